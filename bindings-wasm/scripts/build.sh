#!/usr/bin/env bash
# Builds the npm package into bindings-wasm/pkg/ and prints the size of the .wasm.
# One module: cargo --profile wasm-release (opt-level z: browsers download it), then
# wasm-bindgen once per kind of host (--target web for browsers, bundlers and Deno;
# --target nodejs for Node's synchronous loader), both loading the same .wasm, which
# wasm-opt -Oz optimizes.
# wasm-opt is npm's binaryen, never Debian's. Then scripts/assemble.mjs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
tools="$target_dir/tools/node/node_modules/.bin"
stage="$target_dir/wasm-package/stage"
pkg="$here/pkg"

"$root/scripts/ensure-tools.sh" wasm

# Rust flags of the module (target wasm32 only; build scripts and host builds keep theirs):
#   +simd128: 128-bit SIMD, which sha2 uses for SHA-256 (signing 1 KB: 5.0 us instead of
#     6.4 us in Node 20) and which also makes the module smaller (about 1.9 KB gzipped).
#     Every engine the package targets has it: Node 16.4+, Chrome and Edge 91+, Firefox
#     89+, Safari 16.4+, Deno, Bun. (Rust's wasm32 defaults already include bulk-memory,
#     nontrapping-fptoint, sign-ext, multivalue and reference-types.)
#   --remap-path-prefix: source paths in panic locations become short and machine-independent
#     (`serde_json-1.0.154/src/de.rs` instead of /root/.cargo/registry/src/...).
# RUSTFLAGS would override the per-target flags, so it is cleared for this build.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
wasm_flags="-C target-feature=+simd128"
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && wasm_flags="$wasm_flags --remap-path-prefix=$dir="
done
wasm_flags="$wasm_flags --remap-path-prefix=$(rustc --print sysroot)/lib/rustlib/src/rust/=/rust/"
wasm_flags="$wasm_flags --remap-path-prefix=$root/="
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$wasm_flags"

rm -rf "$stage" && mkdir -p "$stage/web" "$stage/node"
# wasm-opt: to a fixed point (--converge); drop the producers and target-features
# sections (metadata only); --zero-filled-memory: the module creates its own memory,
# which starts zeroed, so binaryen may drop the zero bytes of data segments. Features are
# read from the module's target-features section (never --all-features: Node 20 rejects
# stringref).
wasm_opt_common=(--converge --strip-producers --strip-target-features --zero-filled-memory)
echo "[wasm] cargo build --profile wasm-release --target wasm32-unknown-unknown (+simd128)"
(cd "$root" && cargo build --quiet -p jiko-onboarding-wasm --lib --target wasm32-unknown-unknown --profile wasm-release)
module="$target_dir/wasm32-unknown-unknown/wasm-release/jiko_onboarding_wasm.wasm"
# The glue of each kind of host; wasm-bindgen writes the same module for both (checked),
# which is optimized once and shipped once, in web/.
for host in web node; do
  target=$([ "$host" = web ] && echo web || echo nodejs)
  echo "[wasm] $host: wasm-bindgen $(wasm-bindgen --version | awk '{print $2}') --target $target"
  wasm-bindgen "$module" --out-dir "$stage/$host" --out-name jiko_onboarding --target "$target" --weak-refs
done
cmp -s "$stage/web/jiko_onboarding_bg.wasm" "$stage/node/jiko_onboarding_bg.wasm" \
  || { echo "[wasm] wasm-bindgen wrote different modules for web and nodejs: ship both" >&2; exit 1; }
rm "$stage/node/jiko_onboarding_bg.wasm"
echo "[wasm] wasm-opt -Oz ${wasm_opt_common[*]} ($("$tools/wasm-opt" --version))"
"$tools/wasm-opt" -Oz "${wasm_opt_common[@]}" "$stage/web/jiko_onboarding_bg.wasm" \
  -o "$stage/web/jiko_onboarding_bg.opt.wasm"
mv "$stage/web/jiko_onboarding_bg.opt.wasm" "$stage/web/jiko_onboarding_bg.wasm"

version="$(cd "$root" && cargo pkgid -p jiko-onboarding-wasm | sed 's/.*[#@]//')"
rm -rf "$pkg"
node "$here/scripts/assemble.mjs" "$stage" "$pkg" "$version"

# Load-test the optimized artifact (a broken wasm-opt fails only at load time).
node -e "const j = require('$pkg/node/index.cjs'); if (j.version() !== '$version') process.exit(1)"

wasm="$pkg/web/jiko_onboarding_bg.wasm"
raw=$(stat -c %s "$wasm")
# gzip -9 -n: no file name or time in the header, so the figure depends on the content only.
gz=$(gzip -9 -n -c "$wasm" | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "[wasm] pkg/web/jiko_onboarding_bg.wasm: %d bytes raw (%.1f KiB), %d bytes gzipped (%.1f KiB)\n", r, r/1024, g, g/1024 }'
echo "[wasm] package ready in bindings-wasm/pkg (jiko-onboarding $version)"
