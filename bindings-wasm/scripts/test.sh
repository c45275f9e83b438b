#!/usr/bin/env bash
# Tests the built npm package, not the sources (run `make -C bindings-wasm test`):
#   npm pack bindings-wasm/pkg -> install the tarball into target/wasm-test/project
#   node --test: the shared vectors as ESM import and as CommonJS require, the binding's
#                own tests (errors, browser guard, dates, secrets, fetch round trip, hostile inputs)
#   tsc --noEmit --strict on a file that uses every export (ESM and CommonJS)
#   headless Chromium: the vectors in a page, page-only checks, the demo page + screenshot
# Every vector run must execute exactly the number of cases tests/vectors/count.py prints.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
tools="$root/target/tools/node"
scratch="$root/target/wasm-test"
project="$scratch/project"

"$root/scripts/ensure-tools.sh" wasm
"$root/scripts/ensure-tools.sh" browser
[ -f "$here/pkg/package.json" ] || "$here/scripts/build.sh"

total="$(python3 "$root/tests/vectors/count.py")"
echo "[wasm-test] $total shared vector cases in tests/vectors"

rm -rf "$scratch" && mkdir -p "$project"
tarball="$(cd "$here/pkg" && npm pack --silent --pack-destination "$scratch" | tail -1)"
echo "[wasm-test] npm pack: $tarball ($(stat -c %s "$scratch/$tarball") bytes)"
cd "$project"
echo '{ "private": true, "name": "jiko-onboarding-scratch" }' > package.json
npm install --silent --no-audit --no-fund --prefer-offline "$scratch/$tarball"
cp "$here"/tests/*.mjs "$here"/tests/*.cjs .
cp -r "$here/tests/browser" browser
cp "$here"/tests/types/* .

export JIKO_VECTORS="$root/tests/vectors"
export JIKO_VECTOR_TOTAL="$total"
export JIKO_PKG_DIR="$project/node_modules/jiko-onboarding"
export JIKO_TOOLS="$tools"
export JIKO_EXAMPLES="$here/examples"
export JIKO_SCREENSHOTS="$scratch/screenshots"

passed=0
failed=0
status=0

# run_suite LABEL FILE VECTORS(yes|no): node --test with a compact dot line on the
# terminal and TAP in a file, whose counts are checked and added up.
run_suite() {
  local label="$1" file="$2" vectors="$3" tap="$scratch/${2%.*}.tap"
  echo "[wasm-test] node --test $file ($label)"
  local rc=0
  node --test --test-reporter=dot --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$file" || rc=$?
  local p f
  p="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)"
  f="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)"
  p="${p:-0}"
  f="${f:-0}"
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
    grep -E -A25 '^\s*not ok' "$tap" | grep -vE '^\s+at |^\s+\.\.\.$' | head -120 || true
    [ "$f" -eq 0 ] && f=1
  fi
  if [ "$vectors" = yes ] && ! grep -q "vectors-executed $total of $total" "$tap"; then
    echo "[wasm-test] $label: the run did not execute all $total vector cases" >&2
    f=$((f + 1))
  fi
  if [ "$p" -eq 0 ]; then
    echo "[wasm-test] $label: no test ran" >&2
    f=$((f + 1))
  fi
  echo "[wasm-test] $label: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -eq 0 ] || status=1
}

run_suite "Node, ESM import, shared vectors" vectors.test.mjs yes
run_suite "Node, CommonJS require, shared vectors" vectors.test.cjs yes
run_suite "Node, binding tests" binding.test.mjs no

echo "[wasm-test] tsc --noEmit --strict (TypeScript $("$tools/node_modules/.bin/tsc" --version | awk '{print $2}'))"
if node --input-type=module - <<'EOF'
import { readFileSync } from "node:fs";
const dts = readFileSync("node_modules/jiko-onboarding/index.d.ts", "utf8");
const names = new Set();
for (const m of dts.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) for (const n of m[1].split(",")) if (n.trim()) names.add(n.trim());
for (const m of dts.matchAll(/^export (?:declare )?(?:class|type|interface|function) (\w+)/gm)) names.add(m[1]);
const usage = readFileSync("usage.mts", "utf8");
const unused = [...names].filter((n) => !new RegExp(`\\b${n}\\b`).test(usage.replace(/^\s*(import|export)[^;]*;/gms, "")));
if (unused.length) { console.error(`usage.mts does not use: ${unused.join(", ")}`); process.exit(1); }
console.log(`[wasm-test] usage.mts uses all ${names.size} exports of index.d.ts`);
EOF
then
  if "$tools/node_modules/.bin/tsc" -p tsconfig.json --noEmit --strict; then
    echo "[wasm-test] tsc: 1 passed, 0 failed"
    passed=$((passed + 1))
  else
    echo "[wasm-test] tsc: 0 passed, 1 failed"
    failed=$((failed + 1))
    status=1
  fi
else
  failed=$((failed + 1))
  status=1
fi

run_suite "Chromium $(chromium --version 2>/dev/null | awk '{print $2}'), shared vectors and demo page" browser.test.mjs yes
echo "[wasm-test] demo screenshot: $JIKO_SCREENSHOTS/demo.png"

echo "wasm: $passed passed, $failed failed"
exit "$status"
