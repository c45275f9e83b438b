#!/usr/bin/env bash
# Builds the npm package into bindings-wasm/pkg/ and prints the size of both modules.
#
# Two WebAssembly modules, both from the crate jiko-onboarding-wasm with cargo's
# wasm-release profile (opt-level z):
#   server   default features: everything, behind the package's main entry
#            `jiko-onboarding` (Node, Deno, Bun, edge runtimes)
#   browser  --no-default-features: the core without its `signing` feature, behind
#            `jiko-onboarding/browser`; it cannot sign, by construction
# Each is run through wasm-bindgen once per kind of host (--target web for browsers,
# Deno, Bun and edge runtimes; --target nodejs for Node's synchronous loader; both glues
# load the same .wasm, which is checked) and wasm-opt -Oz. wasm-opt is npm's binaryen,
# never Debian's. Then scripts/assemble.mjs writes the package.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
tools="$target_dir/tools/node/node_modules/.bin"
stage="$target_dir/wasm-package/stage"
pkg="$here/pkg"

"$root/scripts/ensure-tools.sh" wasm

# Rust flags of the modules (target wasm32 only; build scripts and host builds keep theirs):
#   +simd128: 128-bit SIMD, which sha2 uses for SHA-256 in the server module. Every engine
#     the package targets has it: Node 16.4+, Chrome and Edge 91+, Firefox 89+, Safari
#     16.4+, Deno, Bun. (Rust's wasm32 defaults already include bulk-memory,
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

# wasm-opt: to a fixed point (--converge); drop the producers and target-features
# sections (metadata only); --zero-filled-memory: the module creates its own memory,
# which starts zeroed, so binaryen may drop the zero bytes of data segments. Features are
# read from the module's target-features section (never --all-features: Node 20 rejects
# stringref).
wasm_opt_common=(--converge --strip-producers --strip-target-features --zero-filled-memory)
built="$target_dir/wasm32-unknown-unknown/wasm-release/jiko_onboarding_wasm.wasm"
rm -rf "$stage" && mkdir -p "$stage"

# build_module NAME CARGO_FEATURE_ARGS...: stage/NAME/{web,node}/ glues and one .wasm in web/.
build_module() {
  local name="$1"
  shift
  local out="$stage/$name"
  mkdir -p "$out/web" "$out/node"
  echo "[wasm] $name: cargo build --profile wasm-release --target wasm32-unknown-unknown $* (+simd128)"
  (cd "$root" && cargo build --quiet -p jiko-onboarding-wasm --lib --target wasm32-unknown-unknown \
    --profile wasm-release "$@")
  cp "$built" "$out/raw.wasm"
  for host in web node; do
    local target
    target=$([ "$host" = web ] && echo web || echo nodejs)
    wasm-bindgen "$out/raw.wasm" --out-dir "$out/$host" --out-name jiko_onboarding --target "$target" --weak-refs
  done
  cmp -s "$out/web/jiko_onboarding_bg.wasm" "$out/node/jiko_onboarding_bg.wasm" \
    || { echo "[wasm] wasm-bindgen wrote different $name modules for web and nodejs: ship both" >&2; exit 1; }
  rm "$out/node/jiko_onboarding_bg.wasm" "$out/raw.wasm"
  # Kept with its names section for scripts/size-report.sh.
  cp "$out/web/jiko_onboarding_bg.wasm" "$out/named.wasm"
  "$tools/wasm-opt" -Oz "${wasm_opt_common[@]}" "$out/web/jiko_onboarding_bg.wasm" \
    -o "$out/web/jiko_onboarding_bg.opt.wasm"
  mv "$out/web/jiko_onboarding_bg.opt.wasm" "$out/web/jiko_onboarding_bg.wasm"
}

echo "[wasm] wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), wasm-opt -Oz ${wasm_opt_common[*]} ($("$tools/wasm-opt" --version))"
build_module browser --no-default-features
build_module server

version="$(cd "$root" && cargo pkgid -p jiko-onboarding-wasm | sed 's/.*[#@]//')"
rm -rf "$pkg"
node "$here/scripts/assemble.mjs" "$stage" "$pkg" "$version"

# Load-test the optimized artifacts (a broken wasm-opt fails only at load time).
node -e "
const server = require('$pkg/node/index.cjs');
const browser = require('$pkg/browser/node/index.cjs');
if (server.version() !== '$version' || browser.version() !== '$version') process.exit(1);
"

for module in web/jiko_onboarding_bg.wasm browser/jiko_onboarding_bg.wasm; do
  raw=$(stat -c %s "$pkg/$module")
  # gzip -9 -n: no file name or time in the header, so the figure depends on the content only.
  gz=$(gzip -9 -n -c "$pkg/$module" | wc -c)
  awk -v m="$module" -v r="$raw" -v g="$gz" 'BEGIN { printf "[wasm] pkg/%s: %d bytes raw (%.1f KiB), %d bytes gzipped (%.1f KiB)\n", m, r, r/1024, g, g/1024 }'
done
echo "[wasm] package ready in bindings-wasm/pkg (jiko-onboarding $version)"
