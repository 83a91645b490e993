# Two entry points (see README): `make grade-examples` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup grade-examples test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The main job: generate the student notebook, then grade the bundled example submissions.
grade-examples: $(STAMP)
	$(BIN)/autograder assign tensor_ops
	$(BIN)/autograder grade tensor_ops examples/submissions/tensor_ops

# The whole suite, slow tests included (real sandboxes, real TensorFlow).
test: $(STAMP)
	$(BIN)/ruff check autograder tests
	$(BIN)/mypy autograder
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_tensor_ops.py

clean:
	rm -rf $(VENV) results
