#!/usr/bin/env bash
# Tests the built wheel, not the sources: fails at once if
# <build dir>/wheels/jiko_onboarding-*.whl is over 500 KB (500,000 bytes), installs it
# into a fresh venv (<build dir>/venv-test), then runs
#   1. pytest over every shared vector case, every file of the hostile corpus, the
#      sentinel, differential-signing and API tests (tests/), failing unless the number
#      of vector cases run equals tests/vectors/count.py's total and the number of
#      hostile cases run equals tests/vectors/hostile/index.json's;
#   2. mypy --strict on the package as installed (its typed Python modules against its
#      stubs) and on the examples, which use every operation;
#   3. python -m mypy.stubtest jiko_onboarding, so the stubs cannot drift;
#   4. the same pytest run under the oldest and newest other CPython found (3.9, 3.13),
#      as the abi3 wheel claims 3.9+ (skipped, and said so, when none is installed).
# httpx (AsyncOnboarding's default transport, pinned in scripts/versions.env) is in
# every venv; the tests drive the worker-thread transport explicitly, and check that
# it is the default when httpx cannot be imported.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/scripts/versions.env"
# The build directory: CARGO_TARGET_DIR when set, else ./target.
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/venv-test"
log="$target_dir/python-pytest.log"

# The newest wheel: the one build-wheel.sh just made (`pip install ./bindings-python`
# also leaves a linux_x86_64 wheel there).
wheel="$(ls -t "$target_dir"/wheels/jiko_onboarding-*.whl 2>/dev/null | head -n 1 || true)"
if [ -z "$wheel" ]; then
  echo "[python] no wheel in $target_dir/wheels: run make -C bindings-python wheel" >&2
  exit 1
fi

# The size guard (issue 7): the wheel is what users download.
max_bytes=500000
bytes="$(stat -c %s "$wheel")"
if [ "$bytes" -gt "$max_bytes" ]; then
  echo "[python] FAIL: $(basename "$wheel") is $bytes bytes, over the $max_bytes-byte limit" >&2
  exit 1
fi
echo "[python] wheel size: $bytes bytes (limit $max_bytes)"

echo "[python] fresh venv $venv with $(basename "$wheel")"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q "$wheel" "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION" \
  "httpx==$HTTPX_VERSION"

total="$(python3 "$root/tests/vectors/count.py")"
hostile_total="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' \
  "$root/tests/vectors/hostile/index.json")"
echo "[python] shared vector cases in tests/vectors: $total; hostile cases: $hostile_total"

# From the tests folder, where no source package can shadow the installed one.
cd "$here/tests"
set +e
JIKO_VECTOR_TOTAL="$total" JIKO_VECTORS_DIR="$root/tests/vectors" \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q -rfEs . 2>&1 | tee "$log"
status="${PIPESTATUS[0]}"
set -e
ran="$(sed -n 's/^shared vectors: \([0-9]*\) cases ran.*/\1/p' "$log" | tail -n 1)"
hostile_ran="$(sed -n 's/^hostile corpus: \([0-9]*\) cases ran.*/\1/p' "$log" | tail -n 1)"
if [ "$status" -ne 0 ]; then
  echo "[python] pytest failed (exit $status)" >&2
  exit "$status"
fi
if [ "${ran:-0}" -ne "$total" ]; then
  echo "[python] FAIL: pytest ran ${ran:-0} vector cases, tests/vectors holds $total" >&2
  exit 1
fi
if [ "${hostile_ran:-0}" -ne "$hostile_total" ]; then
  echo "[python] FAIL: pytest ran ${hostile_ran:-0} hostile cases, the index holds $hostile_total" >&2
  exit 1
fi

echo "[python] mypy --strict -p jiko_onboarding, and the examples"
cd "$target_dir"
"$venv/bin/python" -m mypy --strict --cache-dir "$target_dir/mypy-cache" -p jiko_onboarding
cd "$here/examples"
"$venv/bin/python" -m mypy --strict --cache-dir "$target_dir/mypy-cache" \
  every_operation.py prepared_requests.py quickstart.py webhook_receiver.py

echo "[python] python -m mypy.stubtest jiko_onboarding"
cd "$target_dir"
"$venv/bin/python" -m mypy.stubtest jiko_onboarding

# The abi3 wheel on other interpreters, when this machine has them (pyenv or PATH).
others=""
for v in 3.9 3.13; do
  py="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/$v.*/bin/python$v 2>/dev/null | tail -n 1 || true)"
  if [ -z "$py" ] && command -v "python$v" >/dev/null && "python$v" -c '' 2>/dev/null; then
    py="$(command -v "python$v")"
  fi
  if [ -z "$py" ]; then
    echo "[python] CPython $v not installed here: abi3 check on $v skipped"
    continue
  fi
  echo "[python] the same wheel and tests under $("$py" -V)"
  other="$target_dir/venv-test-$v"
  rm -rf "$other"
  "$py" -m venv "$other"
  "$other/bin/pip" install -q "$wheel" "pytest==$PYTEST_VERSION" "httpx==$HTTPX_VERSION"
  (cd "$here/tests" && JIKO_VECTOR_TOTAL="$total" JIKO_VECTORS_DIR="$root/tests/vectors" \
    "$other/bin/python" -m pytest -p no:cacheprovider -q .)
  others="$others $v"
done

passed="$(grep -E '^[0-9]+ passed' "$log" | tail -n 1)"
echo "[python] OK: $passed; $ran vector cases, $hostile_ran hostile cases, wheel $bytes bytes;"
echo "[python]     mypy --strict and stubtest clean; also ran on:${others:- none}"
