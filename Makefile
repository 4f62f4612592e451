# The two commands of the README. Each bootstraps .venv (and the system packages it
# needs, when run as root) on first use; nothing else is installed by hand.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
OUT     ?= $(CURDIR)/out/demo
# nbgrader runs `alembic`, `jupyter` and kernels from PATH: make them the venv's.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test bootstrap system demo-system clean mutation
# Prerequisites run in the order written: the system check comes before any work.
.NOTPARALLEL:

demo: demo-system $(STAMP)
	$(BIN)/workbench demo --out "$(OUT)"

test: $(STAMP) system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bootstrap: $(STAMP)

# Mutation score of the rule modules (mutmut, long: not part of `make test` nor .ci/run).
# MUTATION_ARGS="--module validator/ --write" narrows it; see benchmarks/README.md.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python benchmarks/bench_mutation.py $(MUTATION_ARGS)

# The venv is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml candidate/pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./candidate -e '.[test,data]'
	touch $(STAMP)

# System packages the sandbox and the real-service tests need (bubblewrap, chromium,
# postgresql). Installed only when missing; skipped with a notice when not root.
system:
	@scripts/install-system-packages

# The demo needs bubblewrap (its autograde sandbox) and chromium (the PDF of the jury's
# minutes): installed when root, otherwise one line says how. Its gradebook is SQLite, so no
# postgresql: that serves the real-service tests of `make test` only.
demo-system:
	@scripts/install-system-packages --required bubblewrap chromium

clean:
	rm -rf $(VENV) out
