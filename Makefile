# jiko-onboarding: one Rust core, three bindings, one set of shared vectors.
#   make demo    a full onboarding against the built-in sandbox simulator
#   make test    every test of every language (installs what it needs)
#   make check   formatting, lints and dependency hygiene
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: test check core-test sandbox-test python-test wasm-test vectors-check demo wasm python mobile bench fuzz soak tools

tools:
	scripts/ensure-tools.sh rust

## The one test command of the project.
test: tools vectors-check check core-test sandbox-test python-test wasm-test
	@echo "make test: all suites passed"

## The shared vectors are generated from generate.py: the committed JSON must match it.
vectors-check:
	@python3 tests/vectors/generate.py
	@git diff --exit-code --stat -- tests/vectors/ || { echo "tests/vectors/*.json differ from generate.py: commit the regenerated files"; exit 1; }
	@echo "shared vector cases: $$(python3 tests/vectors/count.py)"

check: tools
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	python3 scripts/deps-check.py

## Coverage-guided fuzzing of every parser and validator (FUZZ_SECONDS per target).
fuzz:
	scripts/fuzz.sh

core-test:
	cargo test -p jiko-onboarding
	scripts/ensure-tools.sh wasm-target
	cargo check -p jiko-onboarding --target wasm32-unknown-unknown

## The Python package: an abi3 wheel in target/wheels/, then pytest, mypy and stubtest
## against the installed wheel in a fresh virtual environment.
python:
	$(MAKE) -C bindings-python wheel

python-test:
	$(MAKE) -C bindings-python check
	$(MAKE) -C bindings-python test

## The npm package in bindings-wasm/pkg/ (prints the .wasm size), and its tests: the
## packed tarball in Node (ESM and CommonJS), tsc --strict, and headless Chromium.
wasm:
	$(MAKE) -C bindings-wasm package

wasm-test:
	$(MAKE) -C bindings-wasm lint
	$(MAKE) -C bindings-wasm test

## A complete onboarding of several applicants against the local sandbox simulator
## (or against Jiko's sandbox when JIKO_PARTNER, JIKO_USERNAME, JIKO_PASSWORD and
## JIKO_SIGNING_SECRET are set).
demo: tools
	$(MAKE) -C tests/sandbox demo

## The simulator's own tests, the Rust end-to-end flows and refusals, and the load test.
sandbox-test:
	$(MAKE) -C tests/sandbox test
	$(MAKE) -C tests/sandbox build
