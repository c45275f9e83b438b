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
echo "[python] maturin ${args[*]}"
PATH="$venv/bin:$PATH" "$venv/bin/maturin" "${args[@]}"

wheel="$(ls "$out"/jiko_onboarding-*.whl)"
bytes="$(stat -c %s "$wheel")"
echo "[python] wheel: $(basename "$wheel")"
echo "[python] platform tag: $how"
echo "[python] wheel size: $bytes bytes ($(( (bytes + 1023) / 1024 )) KiB)"
