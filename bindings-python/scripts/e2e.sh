#!/usr/bin/env bash
# End-to-end tests of the built wheel against the local Jiko sandbox simulator
# (tests/e2e/python: test_e2e.py, the prepared requests; test_flows.py, the drivers
# with each transport, the examples, faults and webhooks): builds the simulator binary
# (`cargo build -p jiko-sandbox`, <build dir>/debug/jiko-sandbox), installs the newest
# <build dir>/wheels/jiko_onboarding-*.whl into a fresh venv (<build dir>/venv-e2e), and runs
# pytest there. The test starts the simulator itself on a free port. Fails if any test
# fails or is skipped, or if none ran.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/scripts/versions.env"
# The build directory: CARGO_TARGET_DIR when set, else ./target.
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/venv-e2e"
log="$target_dir/python-e2e.log"
export PATH="$HOME/.cargo/bin:$PATH"

wheel="$(ls -t "$target_dir"/wheels/jiko_onboarding-*.whl 2>/dev/null | head -n 1 || true)"
if [ -z "$wheel" ]; then
  echo "[python-e2e] no wheel in $target_dir/wheels: run make -C bindings-python wheel" >&2
  exit 1
fi

echo "[python-e2e] cargo build -p jiko-sandbox"
(cd "$root" && cargo build --quiet -p jiko-sandbox)

echo "[python-e2e] fresh venv $venv with $(basename "$wheel")"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q "$wheel" "pytest==$PYTEST_VERSION" "httpx==$HTTPX_VERSION"

cd "$root/tests/e2e/python"
set +e
JIKO_SANDBOX_BIN="$target_dir/debug/jiko-sandbox" \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q -rfEs . 2>&1 | tee "$log"
status="${PIPESTATUS[0]}"
set -e
if [ "$status" -ne 0 ]; then
  echo "[python-e2e] pytest failed (exit $status)" >&2
  exit "$status"
fi
summary="$(grep -E '^[0-9]+ passed' "$log" | tail -n 1)"
if [ -z "$summary" ] || grep -qE 'skipped|deselected|xfail' <<<"$summary"; then
  echo "[python-e2e] FAIL: every end-to-end test must run and pass: ${summary:-none ran}" >&2
  exit 1
fi
echo "[python-e2e] OK: $summary"
