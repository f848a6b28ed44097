# invitegen: `make` lists the targets. Only python3 is needed: the first target that needs tools
# creates .venv and installs the pinned toolchain (requirements-dev.txt) plus both packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2
COMPILED := build/compiled

.DEFAULT_GOAL := help
.PHONY: help venv generate regen check-generated test test-deep lint typecheck bench compiled demo clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt pyproject.toml generated/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e . -e ./generated
	touch $(STAMP)

venv: $(STAMP)  ## create .venv with the pinned toolchain

generate: $(STAMP)  ## regenerate generated/ from spec/
	$(BIN)/invitegen generate

regen: generate  ## same as generate (rewrite the golden tree)

check-generated: $(STAMP)  ## fail when generated/ is stale (regen + diff)
	$(BIN)/invitegen check

test: $(STAMP)  ## run the whole test suite (Hypothesis `ci` profile)
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-deep: $(STAMP)  ## the test suite with the `deep` Hypothesis profile (20x the examples)
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest -n $(PYTEST_WORKERS) -q

lint: $(STAMP)  ## ruff + black --check on generator, tests, generated, bench and demo
	$(BIN)/ruff check generator tests generated bench demo
	$(BIN)/black --check --quiet generator tests generated bench demo

typecheck: $(STAMP)  ## mypy --strict on generator/, bench/ and generated/
	$(BIN)/mypy --strict generator bench
	MYPYPATH=generated $(BIN)/mypy --strict -p graph_invite

compiled: $(STAMP)  ## opt-in mypyc build of generated/ (platform wheel in build/compiled), then the differential tests (a public spec's build, compile-schema --compiled)
	rm -rf $(COMPILED)
	HATCH_BUILD_HOOK_ENABLE_CUSTOM=true nice -n 19 $(BIN)/pip wheel --quiet --no-build-isolation --no-deps --wheel-dir $(COMPILED) ./generated
	$(BIN)/python -m zipfile -e $(COMPILED)/*.whl $(COMPILED)/site
	HYPOTHESIS_PROFILE=ci INVITEGEN_COMPILED_SPECS=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_compiled_differential.py tests/test_compiled_public_spec.py tests/test_compiled_schema.py

demo: $(STAMP)  ## the mock Graph service and the generated client: invite (200, 207), list, revoke, list
	$(BIN)/python demo/run_demo.py

bench: $(STAMP)  ## benchmarks against the peers (requirements-bench.txt); never fails; writes bench/results.json; PART=<part> runs one (validation, models, generation, imports, scale, schemas)
	$(BIN)/pip install -q -r requirements-bench.txt
	$(BIN)/python -m bench $(if $(PART),--part $(PART),)

clean:  ## remove .venv and caches
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
