"""Course data: where the Keras dataset files come from, offline, for the sandbox and the grader."""
