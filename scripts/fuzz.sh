#!/usr/bin/env bash
# make fuzz: runs each cargo-fuzz target for a time budget (FUZZ_SECONDS, default 60),
# installing the nightly toolchain and cargo-fuzz when missing. Prints the executions
# of each target; a crash stops the run with the reproducer under fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
. scripts/versions.env
# The build directory: CARGO_TARGET_DIR when set, else ./target.
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
# Seed each corpus with the shared vectors and the hostile corpus.
for target in parse_responses validate_application check_upload sandbox_and_signing; do
  mkdir -p "fuzz/corpus/$target"
done
cp -n tests/vectors/hostile/*.json tests/vectors/hostile/*.bin fuzz/corpus/parse_responses/ 2>/dev/null || true
python3 - <<'PY'
import json, pathlib
root = pathlib.Path("fuzz/corpus")
for i, case in enumerate(json.loads(pathlib.Path("tests/vectors/validation.json").read_text())["cases"]):
    (root / "validate_application" / f"vector_{i}").write_text(json.dumps(case["application"]))
    # Compact too, as JSON.stringify writes it.
    (root / "validate_application" / f"compact_{i}").write_text(json.dumps(case["application"], separators=(",", ":"), ensure_ascii=False))
for i, case in enumerate(json.loads(pathlib.Path("tests/vectors/onboarding.json").read_text())["cases"]):
    (root / "parse_responses" / f"vector_{i}").write_bytes(b"\x00" + json.dumps(case["application"]).encode())
PY
report="$target_dir/fuzz-report.txt"
mkdir -p "$target_dir"; : > "$report"
for target in parse_responses validate_application check_upload sandbox_and_signing; do
  echo "== $target (${seconds}s)"
  log="$target_dir/fuzz-$target.log"
  (cd fuzz && cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1) 2>&1 | tee "$log" | grep -E "^#[0-9]+ *DONE|ERROR|panicked|crash-" || true
  execs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1 || true)
  echo "$target: ${execs:-?} executions in ${seconds}s" | tee -a "$report"
  if grep -qE 'ERROR: libFuzzer|panicked' "$log"; then echo "$target found a crash: see fuzz/artifacts/$target" >&2; exit 1; fi
done
cat "$report"
