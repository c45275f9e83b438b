#!/usr/bin/env bash
# Tests the built npm package, not the sources (run `make -C bindings-wasm test`):
#   size guards: the browser module (jiko-onboarding/browser) at most 50,000 bytes
#                gzipped (gzip -9), the npm tarball under 300,000 bytes
#   npm pack bindings-wasm/pkg -> install the tarball into <build dir>/wasm-test/project
#                (the build directory is CARGO_TARGET_DIR when set, else ./target)
#   node --test: the shared vectors as ESM import and as CommonJS require, the binding's
#                own tests (errors, browser guard, dates, secrets, JSON text, fetch round trip),
#                the Onboarding driver through a scripted fake transport and a virtual
#                clock, the browser entry (its exports, no signing code, no SHA-256
#                constants, its vectors), the hostile corpus, the sentinel tests,
#                differential signing against crypto.createHmac (seeded: JIKO_SIGN_SEED
#                replays), and the end-to-end flows against the jiko-sandbox simulator
#                (tests/e2e/node, `make e2e` alone), the examples included
#   tsc --noEmit --strict on files that use every export of both entries (ESM and CommonJS)
#   headless Chromium: both entries' vectors and the hostile corpus in a page, page-only
#                checks, the demo page + screenshot
# Every vector run of the main entry must execute exactly the number of cases
# tests/vectors/count.py prints, and every hostile run the number of files
# tests/vectors/hostile/index.json lists.
#   JIKO_WASM_SUITES="e2e" (space-separated: size vectors binding driver browser-entry
#   hostile sentinel differential e2e types chromium) runs only those.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
tools="$target_dir/tools/node"
scratch="$target_dir/wasm-test"
project="$scratch/project"

suites="${JIKO_WASM_SUITES:-size vectors binding driver browser-entry hostile sentinel differential e2e types chromium}"
want() { [[ " $suites " == *" $1 "* ]]; }

"$root/scripts/ensure-tools.sh" wasm
want chromium && "$root/scripts/ensure-tools.sh" browser
[ -f "$here/pkg/package.json" ] || "$here/scripts/build.sh"

total="$(python3 "$root/tests/vectors/count.py")"
echo "[wasm-test] $total shared vector cases in tests/vectors"
hostile_total="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$root/tests/vectors/hostile/index.json")"
echo "[wasm-test] $hostile_total hostile files in tests/vectors/hostile"

rm -rf "$scratch" && mkdir -p "$project"
tarball="$(cd "$here/pkg" && npm pack --silent --pack-destination "$scratch" | tail -1)"
tarball_size=$(stat -c %s "$scratch/$tarball")
echo "[wasm-test] npm pack: $tarball ($tarball_size bytes)"
cd "$project"
echo '{ "private": true, "name": "jiko-onboarding-scratch" }' > package.json
npm install --silent --no-audit --no-fund --prefer-offline "$scratch/$tarball"
cp "$here"/tests/*.mjs "$here"/tests/*.cjs .
cp -r "$here/tests/browser" browser
cp "$here"/tests/types/* .
cp "$root/tests/e2e/node/"*.mjs .
# The Node examples next to the installed package, so that their `jiko-onboarding` is it.
cp -r "$here/examples/node" examples

export JIKO_VECTORS="$root/tests/vectors"
export JIKO_VECTOR_TOTAL="$total"
export JIKO_PKG_DIR="$project/node_modules/jiko-onboarding"
export JIKO_TOOLS="$tools"
export JIKO_EXAMPLES="$here/examples"
export JIKO_EXAMPLES_DIR="$project/examples"
export JIKO_NODE_GUIDE="$root/docs/node.md"
export JIKO_SCREENSHOTS="$scratch/screenshots"

passed=0
failed=0
status=0

# Size guards: the browser module as a web page downloads it (gzip -9, issue 16), and the
# npm tarball. The server module's size is printed, not guarded.
# check_size LABEL BYTES LIMIT: passes when BYTES <= LIMIT.
check_size() {
  if [ "$2" -le "$3" ]; then
    echo "[wasm-test] size: $1 is $2 bytes, limit $3: 1 passed, 0 failed"
    passed=$((passed + 1))
  else
    echo "[wasm-test] size: $1 is $2 bytes, over the limit of $3: 0 passed, 1 failed" >&2
    failed=$((failed + 1))
    status=1
  fi
}
if want size; then
  browser_wasm="$here/pkg/browser/jiko_onboarding_bg.wasm"
  server_wasm="$here/pkg/web/jiko_onboarding_bg.wasm"
  echo "[wasm-test] size: browser module $(stat -c %s "$browser_wasm") bytes raw; server module $(stat -c %s "$server_wasm") bytes raw, $(gzip -9 -n -c "$server_wasm" | wc -c) bytes gzipped"
  check_size "browser/jiko_onboarding_bg.wasm gzipped (gzip -9)" "$(gzip -9 -n -c "$browser_wasm" | wc -c)" 50000
  check_size "the npm tarball" "$tarball_size" 299999
fi

# run_suite LABEL FILE VECTORS(yes|no|hostile): node --test with a compact dot line on
# the terminal and TAP in a file, whose counts are checked and added up.
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
  if [ "$vectors" = hostile ] && ! grep -q "hostile-executed $hostile_total of $hostile_total" "$tap"; then
    echo "[wasm-test] $label: the run did not execute all $hostile_total hostile cases" >&2
    f=$((f + 1))
  fi
  # The counts and the seed the suites report (a failure can be replayed from the seed).
  # (TAP writes a test's own "# ..." line as "# \# ...".)
  sed -n 's/^# \(\\# \)\{0,1\}\(\(vectors\|hostile\)-executed .*\|browser-entry-vectors .*\|sentinel-paths .*\|differential-.*\|e2e-.*\)$/[wasm-test]   \2/p' "$tap"
  if [ "$p" -eq 0 ]; then
    echo "[wasm-test] $label: no test ran" >&2
    f=$((f + 1))
  fi
  echo "[wasm-test] $label: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -eq 0 ] || status=1
}

if want vectors; then
  run_suite "Node, ESM import, shared vectors" vectors.test.mjs yes
  run_suite "Node, CommonJS require, shared vectors" vectors.test.cjs yes
fi
want binding && run_suite "Node, binding tests" binding.test.mjs no
want driver && run_suite "Node, the Onboarding driver (scripted transport, virtual clock)" driver.test.mjs no
want browser-entry && run_suite "Node, jiko-onboarding/browser (exports, no signing code, vectors)" browser-entry.test.mjs no
want hostile && run_suite "Node, hostile corpus" hostile.test.mjs hostile
want sentinel && run_suite "Node, sentinel tests (personal data and secrets)" sentinel.test.mjs no
want differential && run_suite "Node, differential signing against crypto.createHmac" differential.test.mjs no
if want e2e; then
  echo "[wasm-test] cargo build -p jiko-sandbox (the simulator for the end-to-end flows)"
  (cd "$root" && cargo build --quiet -p jiko-sandbox)
  export JIKO_SANDBOX_BIN="$target_dir/debug/jiko-sandbox"
  run_suite "Node, end to end against jiko-sandbox (tests/e2e/node, prepared requests)" e2e.test.mjs no
  run_suite "Node, end to end against jiko-sandbox (tests/e2e/node, the Onboarding driver and the examples)" onboarding.test.mjs no
fi

if want types; then
echo "[wasm-test] tsc --noEmit --strict (TypeScript $("$tools/node_modules/.bin/tsc" --version | awk '{print $2}'))"
if node --input-type=module - <<'EOF'
import { readFileSync } from "node:fs";
// Each entry's declarations against the file that must use every name they export.
let missing = false;
for (const [dtsFile, usageFile] of [["index.d.ts", "usage.mts"], ["browser/index.d.ts", "usage-browser.mts"]]) {
  const dts = readFileSync(`node_modules/jiko-onboarding/${dtsFile}`, "utf8");
  const names = new Set();
  for (const m of dts.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) for (const n of m[1].split(",")) if (n.trim()) names.add(n.trim());
  for (const m of dts.matchAll(/^export (?:declare )?(?:class|type|interface|function) (\w+)/gm)) names.add(m[1]);
  const usage = readFileSync(usageFile, "utf8");
  const unused = [...names].filter((n) => !new RegExp(`\\b${n}\\b`).test(usage.replace(/^\s*(import|export)[^;]*;/gms, "")));
  if (unused.length) {
    console.error(`${usageFile} does not use: ${unused.join(", ")}`);
    missing = true;
  } else {
    console.log(`[wasm-test] ${usageFile} uses all ${names.size} exports of ${dtsFile}`);
  }
}
if (missing) process.exit(1);
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

fi

if want chromium; then
  run_suite "Chromium $(chromium --version 2>/dev/null | awk '{print $2}'), shared vectors, hostile corpus and demo page" browser.test.mjs yes
  echo "[wasm-test] demo screenshot: $JIKO_SCREENSHOTS/demo.png"
fi

echo "wasm: $passed passed, $failed failed"
exit "$status"
