"""Keras models in the grader: loaded safely from sandbox bytes, described, compared, evaluated."""
