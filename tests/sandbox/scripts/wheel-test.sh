#!/usr/bin/env bash
# Builds the `jiko-sandbox` wheel (maturin, `bin` bindings; the debug profile, which
# shares the build of the tests), installs it into a fresh virtual environment, and
# runs the installed command: `jiko-sandbox --help` must list every flag, and a short
# exchange (Login, then the stats) must work against it.
# maturin comes from the project's tools venv (scripts/ensure-tools.sh python, the one
# pinned version). WHEEL_PROFILE=release builds the wheel to publish instead.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export PATH="$HOME/.cargo/bin:$PATH"

"$root/scripts/ensure-tools.sh" python
tools="$target/venv"
out="$target/wheels-sandbox"
venv="$target/venv-sandbox-wheel"
rm -rf "$out" "$venv"

args=(build --manifest-path "$here/Cargo.toml" --out "$out")
if [ "${WHEEL_PROFILE:-debug}" = release ]; then
  args+=(--release)
fi
echo "[sandbox wheel] maturin ${args[*]}"
PATH="$tools/bin:$PATH" "$tools/bin/maturin" "${args[@]}"
wheel="$(ls "$out"/jiko_sandbox-*.whl)"
echo "[sandbox wheel] $(basename "$wheel"): $(stat -c %s "$wheel") bytes"

python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --no-index --no-deps "$wheel"
exe="$venv/bin/jiko-sandbox"
[ -x "$exe" ] || { echo "[sandbox wheel] no jiko-sandbox in the venv's bin" >&2; exit 1; }

help="$("$exe" --help)"
for flag in --port --username --password --signing-secret --outcome-after-polls \
  --outcome-after-ms --decide-after-ms --token-lifetime-seconds --idempotency --faults \
  --seed --webhook-attempts --webhook-retry-ms --max-connections --request-timeout-ms --log; do
  grep -q -- "$flag" <<<"$help" || { echo "[sandbox wheel] --help does not list $flag" >&2; exit 1; }
done

"$venv/bin/python" - "$exe" <<'PY'
import json, subprocess, sys, urllib.request
process = subprocess.Popen([sys.argv[1], "--port", "0", "--seed", "7"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
try:
    line = process.stdout.readline().strip()
    assert line.startswith("listening on http://127.0.0.1:"), line
    base = line.removeprefix("listening on ")
    assert "seed 7" in process.stderr.readline()
    login = urllib.request.Request(base + "/api/v1/login/", method="POST",
        data=json.dumps({"username": "sandbox-user", "password": "sandbox-password"}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(login, timeout=10) as r:
        assert r.status == 200 and len(json.loads(r.read())["token"]) == 64
    with urllib.request.urlopen(base + "/_simulator/stats", timeout=10) as r:
        stats = json.loads(r.read())
    assert stats["requests"] == {"POST /api/v1/login/": {"200": 1}}, stats["requests"]
    print(f"[sandbox wheel] the installed jiko-sandbox served Login and the stats on {base}")
finally:
    process.kill()
    process.wait()
PY
