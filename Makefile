# Two entry points (see README): `make grade-examples` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup grade-examples test lint bench clean browser postgres system-deps
ASSIGNMENTS := tensor_ops loss_activation kfold_regression text_classification mnist_cnn vgg16_transfer activity_lstm

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The main job: for every assignment with bundled examples, generate the student notebook and grade
# the examples (results/<assignment>/: grades, LMS exports, feedback pages, class report).
grade-examples: $(STAMP)
	@for a in $(ASSIGNMENTS); do \
		if [ -d examples/submissions/$$a ]; then \
			$(BIN)/autograder assign $$a && $(BIN)/autograder grade $$a examples/submissions/$$a || exit 1; \
		fi; \
	done

# The whole suite, slow tests included (real sandboxes, real TensorFlow, a real PostgreSQL, Chromium).
test: $(STAMP) system-deps
	$(BIN)/ruff check autograder tests benchmarks solutions
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

# A PostgreSQL server for the gradebook tests (Debian's postgresql; the tests start a throwaway cluster).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "postgres: $$(ls -d /usr/lib/postgresql/*/bin)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; \
	else echo "postgres: missing; as root: apt-get install -y postgresql (the PostgreSQL tests skip without it)"; fi

system-deps: browser postgres

clean:
	rm -rf $(VENV) results
