"""Tests of the certificate-exam practice (autograder/exam/, the top-level exam/ folder)."""
