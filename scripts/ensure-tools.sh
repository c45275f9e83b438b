#!/usr/bin/env bash
# Installs what the build and tests need, idempotently: each step checks first and
# returns at once when the right version is already there. Usage:
#   scripts/ensure-tools.sh rust|wasm|wasm-target|browser|twiggy|python|mobile|all
# Versions come from scripts/versions.env; tools and venvs go under the build directory
# (CARGO_TARGET_DIR when set, else ./target).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/scripts/versions.env"
target_dir="${CARGO_TARGET_DIR:-$here/target}"
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
  if ! grep -A1 '^name = "wasm-bindgen"$' "$here/Cargo.lock" | grep -qx "version = \"$WASM_BINDGEN_VERSION\""; then
    log "scripts/versions.env has wasm-bindgen-cli $WASM_BINDGEN_VERSION but Cargo.lock another wasm-bindgen: make them equal"
    exit 1
  fi
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3.5 minutes)"
    # --locked fails: the CLI's lock file names a yanked crate.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  local tools="$target_dir/tools/node" packages=("binaryen@$BINARYEN_VERSION" "typescript@$TYPESCRIPT_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION")
  local package installed=yes
  for package in "${packages[@]}"; do
    grep -q "\"version\": \"${package##*@}\"" "$tools/node_modules/${package%@*}/package.json" 2>/dev/null || installed=no
  done
  if [ "$installed" = no ]; then
    log "npm install ${packages[*]} into $tools"
    mkdir -p "$tools"
    (cd "$tools" && [ -f package.json ] || echo '{"private":true}' > package.json)
    (cd "$tools" && npm install --no-audit --no-fund --silent --save-exact "${packages[@]}")
  fi
}

# twiggy, for make -C bindings-wasm size-report (not needed by make test).
twiggy_tool() {
  if ! command -v twiggy >/dev/null || [ "$(command twiggy --version | awk '{print $2}')" != "$TWIGGY_VERSION" ]; then
    log "cargo install twiggy $TWIGGY_VERSION (about 1 minute)"
    cargo install twiggy --version "$TWIGGY_VERSION" --locked --force
  fi
}

# Debian's Chromium, which playwright-core drives (no driver binary is needed).
browser() {
  if ! command -v chromium >/dev/null; then
    log "apt-get install chromium (about 70 s)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
}

python() {
  local venv="$target_dir/venv"
  local packages=("maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION")
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
  fi
  if [ "$("$venv/bin/pip" freeze 2>/dev/null | grep -cxF -f <(printf '%s\n' "${packages[@]}"))" != "${#packages[@]}" ]; then
    log "pip install ${packages[*]} into $venv"
    "$venv/bin/pip" install -q "${packages[@]}"
  fi
  # zig lets maturin link manylinux2014 wheels; optional: without it the wheel gets
  # the build machine's manylinux tag. Tried once per venv (a marker records a miss).
  if ! "$venv/bin/python" -c 'import ziglang' 2>/dev/null && [ ! -e "$venv/.no-ziglang" ]; then
    log "pip install ziglang==$ZIGLANG_VERSION (optional)"
    "$venv/bin/pip" install -q "ziglang==$ZIGLANG_VERSION" || { log "ziglang unavailable: native wheel tag"; touch "$venv/.no-ziglang"; }
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
  twiggy) twiggy_tool ;;
  python) python ;;
  mobile) mobile ;;
  all) rust; wasm; browser; python; mobile ;;
  *) echo "unknown group: $1" >&2; exit 2 ;;
esac
