"""Each assignment's own tests (``tests/assignments/test_<id>.py``): its checks on the reference and on mistakes,
its messages, its examples graded as intended."""
