# Two entry points (see README): `make grade-examples` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup grade-examples test test-fast lint bench clean browser postgres fashion-mnist system-deps
# every assignment folder of solutions/ (discovered, as the grader discovers them)
ASSIGNMENTS := $(patsubst solutions/%/public_checks.py,%,$(wildcard solutions/*/public_checks.py))

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# the distribution was called `autograder` before it became keras-autograder: drop that old install
	$(BIN)/pip uninstall --quiet --yes autograder 2>/dev/null || true
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The main job. First the data the assignments declare (solutions/<id>/data.yaml): `autograder data fetch`
# fills the Keras cache from the course data folder (`data_dir`, e.g. ../shared) or, for what is not there,
# with Keras' own download. Then, for every assignment with bundled examples, generate the student notebook
# and grade the examples (results/<assignment>/: grades, LMS exports, feedback pages, class report). An
# assignment whose data is still missing is refused by `autograder grade` (exit 3, naming the files): it is
# skipped, the others are graded, and the target fails at the end naming the skipped ones.
grade-examples: $(STAMP)
	@$(BIN)/autograder data fetch || echo "grade-examples: some data is missing (above); those assignments are skipped"
	@skipped=""; for a in $(ASSIGNMENTS); do \
		[ -d solutions/$$a/examples ] || continue; \
		$(BIN)/autograder assign --no-validate $$a || exit 1; \
		$(BIN)/autograder grade $$a solutions/$$a/examples; rc=$$?; \
		if [ $$rc -eq 3 ]; then skipped="$$skipped $$a"; elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	done; \
	if [ -n "$$skipped" ]; then \
		echo "grade-examples: NOT graded, their data is missing (see above):$$skipped." \
			"Get it: $(BIN)/autograder data fetch (offline: --from DIR, a copy of the course data folder)" >&2; \
		exit 1; \
	fi

# The whole suite, slow tests included (real sandboxes, real TensorFlow, a real PostgreSQL, Chromium).
test: $(STAMP) system-deps
	$(BIN)/ruff check autograder tests benchmarks solutions
	$(BIN)/mypy autograder solutions
	$(BIN)/pytest -q

# The tests not marked `slow` (the slow ones run real notebooks with TensorFlow or many sandboxes), with ruff and
# mypy, for the edit-test loop. `make test` (everything) is still what CI runs.
test-fast: $(STAMP)
	$(BIN)/ruff check autograder tests benchmarks solutions
	$(BIN)/mypy autograder solutions
	$(BIN)/pytest -q -m "not slow"

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

# Fashion-MNIST (the exam-practice exercises): Debian's dataset-fashion-mnist puts the four files Keras
# downloads in /usr/share/datasets/fashion-mnist/; `autograder data fetch fashion_mnist` puts them in the Keras cache.
fashion-mnist:
	@if [ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then \
		echo "fashion-mnist: /usr/share/datasets/fashion-mnist"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			dataset-fashion-mnist; \
	else echo "fashion-mnist: missing; as root: apt-get install -y dataset-fashion-mnist"; fi

system-deps: browser postgres fashion-mnist

clean:
	rm -rf $(VENV) results
