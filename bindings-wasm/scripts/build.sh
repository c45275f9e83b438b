#!/usr/bin/env bash
# Builds the npm package into bindings-wasm/pkg/ and prints the size of the .wasm.
#   cargo (profile wasm-release) -> wasm-bindgen (web + nodejs glue, one module)
#   -> wasm-opt -Oz (npm binaryen, never Debian's) -> scripts/assemble.mjs
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
tools="$root/target/tools/node/node_modules/.bin"
stage="$root/target/wasm-package/stage"
pkg="$here/pkg"

"$root/scripts/ensure-tools.sh" wasm

echo "[wasm] cargo build --profile wasm-release --target wasm32-unknown-unknown"
(cd "$root" && cargo build --quiet -p jiko-onboarding-wasm --lib --target wasm32-unknown-unknown --profile wasm-release)
module="$root/target/wasm32-unknown-unknown/wasm-release/jiko_onboarding_wasm.wasm"

rm -rf "$stage" && mkdir -p "$stage/web" "$stage/node"
echo "[wasm] wasm-bindgen $(wasm-bindgen --version | awk '{print $2}') (web and nodejs glue)"
wasm-bindgen "$module" --out-dir "$stage/web" --out-name jiko_onboarding --target web --weak-refs
wasm-bindgen "$module" --out-dir "$stage/node" --out-name jiko_onboarding --target nodejs --weak-refs
# Both targets produce the same module; ship it once.
cmp -s "$stage/web/jiko_onboarding_bg.wasm" "$stage/node/jiko_onboarding_bg.wasm" || {
  echo "[wasm] the web and nodejs modules differ; cannot share one .wasm" >&2; exit 1; }

echo "[wasm] wasm-opt -Oz ($("$tools/wasm-opt" --version))"
"$tools/wasm-opt" -Oz "$stage/web/jiko_onboarding_bg.wasm" -o "$stage/jiko_onboarding_bg.wasm"

version="$(cd "$root" && cargo pkgid -p jiko-onboarding-wasm | sed 's/.*[#@]//')"
rm -rf "$pkg"
node "$here/scripts/assemble.mjs" "$stage" "$pkg" "$version"

# Load-test the optimized artifact (a broken wasm-opt fails only at load time).
node -e "const j = require('$pkg/node/index.cjs'); if (j.version() !== '$version') process.exit(1)"

wasm="$pkg/web/jiko_onboarding_bg.wasm"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "[wasm] pkg/web/jiko_onboarding_bg.wasm: %d bytes raw (%.1f KiB), %d bytes gzipped (%.1f KiB)\n", r, r/1024, g, g/1024 }'
echo "[wasm] package ready in bindings-wasm/pkg (jiko-onboarding $version)"
