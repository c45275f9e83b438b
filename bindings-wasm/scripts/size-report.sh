#!/usr/bin/env bash
# What is large in the npm package's two modules, by twiggy (make -C bindings-wasm
# size-report; not part of make test). Reads the modules scripts/build.sh staged with
# their names, optimizes them as the build does but keeps the names, then prints twiggy's
# largest items and dominators, and the gzipped size the names do not count in.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
tools="$target_dir/tools/node/node_modules/.bin"
stage="$target_dir/wasm-package/stage"

"$root/scripts/ensure-tools.sh" twiggy
[ -f "$stage/browser/named.wasm" ] || "$here/scripts/build.sh"
for module in browser server; do
  named="$stage/$module/named.opt.wasm"
  "$tools/wasm-opt" -Oz --converge --strip-target-features --zero-filled-memory --debuginfo \
    "$stage/$module/named.wasm" -o "$named"
  shipped="$stage/$module/web/jiko_onboarding_bg.wasm"
  echo "== $module module: $(stat -c %s "$shipped") bytes raw, $(gzip -9 -n -c "$shipped" | wc -c) bytes gzipped (gzip -9)"
  twiggy top -n 25 "$named"
  twiggy dominators -d 2 -r 30 "$named"
done
