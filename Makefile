# Two entry points (see README): `make grade-examples` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup grade-examples test lint bench clean browser

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

# Headless Chromium and a CJK font for the screenshot tests of the feedback pages and class report
# (Debian packages; installed only when missing and when running as root, otherwise those tests skip).
browser:
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	if [ -z "$$missing" ]; then echo "browser: $$(/usr/bin/chromium --version 2>/dev/null), fonts-noto-cjk"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "browser: missing $$missing; as root: apt-get install -y --no-install-recommends $$missing"; fi

clean:
	rm -rf $(VENV) results
