#!/usr/bin/env bash
# Installs what the build and tests need, idempotently: each step checks first and
# returns at once when the right version is already there. Usage:
#   scripts/ensure-tools.sh rust|wasm|wasm-target|browser|python|mobile|all
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
WASM_BINDGEN_VERSION="0.2.130"   # must equal wasm-bindgen in Cargo.lock
BINARYEN_VERSION="132.0.0"       # npm binaryen; never Debian's wasm-opt 108
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

need_target() {
  local t
  for t in "$@"; do
    if ! rustup target list --installed | grep -qx "$t"; then
      log "rustup target add $t"
      rustup target add "$t"
    fi
  done
}

rust() {
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
}

wasm() {
  need_target wasm32-unknown-unknown
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3.5 minutes)"
    # --locked fails: the CLI's lock file names a yanked crate.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  local tools="$here/target/tools/node"
  if [ ! -x "$tools/node_modules/.bin/wasm-opt" ] || ! grep -q "\"version\": \"$BINARYEN_VERSION\"" "$tools/node_modules/binaryen/package.json" 2>/dev/null \
    || [ ! -x "$tools/node_modules/.bin/tsc" ] || [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
    log "npm install binaryen@$BINARYEN_VERSION typescript playwright-core"
    mkdir -p "$tools"
    (cd "$tools" && [ -f package.json ] || echo '{"private":true}' > package.json)
    (cd "$tools" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" "typescript@5" "playwright-core@1")
  fi
}

browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "apt-get install chromium chromium-driver (about 70 s)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

python() {
  local venv="$here/target/venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c 'import maturin, pytest, mypy' 2>/dev/null; then
    log "pip install maturin pytest mypy"
    "$venv/bin/pip" install -q "maturin==1.16.0" "pytest>=8" "mypy>=1.10"
  fi
  # zig lets maturin link manylinux2014 wheels; optional: without it the wheel gets
  # the build machine's manylinux tag. Tried once per venv (a marker records a miss).
  if ! "$venv/bin/python" -c 'import ziglang' 2>/dev/null && [ ! -e "$venv/.no-ziglang" ]; then
    log "pip install ziglang (optional)"
    "$venv/bin/pip" install -q ziglang || { log "ziglang unavailable: native wheel tag"; touch "$venv/.no-ziglang"; }
  fi
}

mobile() {
  need_target aarch64-apple-ios aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android
  # rustup has answered 404 for this one's standard library here; bindings-mobile then
  # builds it from source (see bindings-mobile/scripts/ensure-tools.sh).
  need_target aarch64-apple-ios-sim || log "aarch64-apple-ios-sim is not available from rustup; built from source when needed"
}

case "${1:-all}" in
  rust) rust ;;
  wasm) wasm ;;
  wasm-target) need_target wasm32-unknown-unknown ;;
  browser) browser ;;
  python) python ;;
  mobile) mobile ;;
  all) rust; wasm; browser; python; mobile ;;
  *) echo "unknown group: $1" >&2; exit 2 ;;
esac
