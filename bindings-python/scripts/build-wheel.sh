#!/usr/bin/env bash
# Builds the abi3 (CPython 3.9+) release wheel of jiko-onboarding into <build dir>/wheels/
# (the build directory is CARGO_TARGET_DIR when set, else ./target):
# manylinux2014 through `maturin --zig` when the ziglang package is installed in the
# tools venv, otherwise the build machine's native manylinux tag. Prints which, and the
# wheel's size (make -C bindings-python test refuses a wheel over 500,000 bytes).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/venv"
out="$target_dir/wheels"
export PATH="$HOME/.cargo/bin:$PATH"

"$root/scripts/ensure-tools.sh" python

mkdir -p "$out"
rm -f "$out"/jiko_onboarding-*.whl

# The Cargo profile and its settings come from pyproject.toml ([tool.maturin] profile and
# config). Deflate level 9: the wheel is what users download.
args=(build --manifest-path "$here/Cargo.toml" --out "$out" --compression-level 9)
if "$venv/bin/python" -c 'import ziglang' 2>/dev/null; then
  how="manylinux2014 (maturin --zig)"
  args+=(--zig --compatibility manylinux2014)
else
  how="native tag (ziglang not installed, so no --zig)"
fi
# The standard library is built from rust-src with panics that abort at once: std's
# panic message and backtrace machinery is otherwise a third of the module (the wheel's
# budget is 500 KB). The core denies panics (clippy), and the fuzz targets and the
# hostile corpus check that no input reaches one. RUSTC_BOOTSTRAP lets the stable
# compiler take -Zbuild-std and -Cpanic=immediate-abort, as bindings-mobile does for the
# one target rustup has no std for; it builds in a target folder of its own, since it
# changes the fingerprints of every crate.
rustup component list --installed 2>/dev/null | grep -q '^rust-src' || rustup component add rust-src
args+=(--target x86_64-unknown-linux-gnu -Zbuild-std=std,panic_abort)
echo "[python] maturin ${args[*]}"
PATH="$venv/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$target_dir/python-build-std" \
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Cllvm-args=-inline-threshold=100" \
  "$venv/bin/maturin" "${args[@]}"

wheel="$(ls "$out"/jiko_onboarding-*.whl)"
bytes="$(stat -c %s "$wheel")"
echo "[python] wheel: $(basename "$wheel")"
echo "[python] platform tag: $how"
echo "[python] wheel size: $bytes bytes ($(( (bytes + 1023) / 1024 )) KiB)"
