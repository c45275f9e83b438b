#!/usr/bin/env bash
# Installs what the mobile binding's build and tests need, idempotently (each step
# checks first):
#   - the rustup targets for Android and iOS (retried: the download server has answered
#     404 for aarch64-apple-ios-sim on this machine family; see README.md),
#   - the uniffi-bindgen CLI at exactly the library's uniffi version, built once from
#     this workspace (feature `cli`) into a cache outside target/ so a fresh clone does
#     not pay the ~2.5 minutes of clap + askama again,
#   - Maven and a JDK (checked, not installed: the machine image has them).
# Usage: scripts/ensure-tools.sh [targets|bindgen|maven|all]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# UNIFFI_VERSION: must equal the `=` pin in bindings-mobile/Cargo.toml (checked below).
. "$root/scripts/versions.env"
BINDGEN_ROOT="${JIKO_TOOLS_CACHE:-$HOME/.cache/jiko-onboarding}/uniffi-bindgen-$UNIFFI_VERSION"
ANDROID_TARGETS=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android)
IOS_TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim)

log() { printf '[mobile ensure-tools] %s\n' "$*" >&2; }

installed() { rustup target list --installed | grep -qx "$1"; }

add_target() {
  local t="$1" attempt
  installed "$t" && return 0
  for attempt in 1 2; do
    log "rustup target add $t (attempt $attempt)"
    if rustup target add "$t" >/dev/null 2>&1; then return 0; fi
    sleep 3
  done
  return 1
}

targets() {
  local t missing=()
  for t in "${ANDROID_TARGETS[@]}" "${IOS_TARGETS[@]}"; do
    add_target "$t" || missing+=("$t")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    # The caller (the Makefile) decides what to do with a target that cannot be had:
    # aarch64-apple-ios-sim falls back to building its std from rust-src.
    log "unavailable from rustup: ${missing[*]}"
    if printf '%s\n' "${missing[@]}" | grep -qx aarch64-apple-ios-sim; then
      rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
    fi
  fi
}

bindgen() {
  local bin="$BINDGEN_ROOT/bin/uniffi-bindgen"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "uniffi-bindgen $UNIFFI_VERSION" ]; then
    return 0
  fi
  grep -q "uniffi = { version = \"=$UNIFFI_VERSION\"" "$here/Cargo.toml" || {
    log "bindings-mobile/Cargo.toml does not pin uniffi =$UNIFFI_VERSION"; exit 1; }
  log "building uniffi-bindgen $UNIFFI_VERSION into $BINDGEN_ROOT (about 2.5 minutes, once)"
  cargo install --locked --debug --path "$here" --features cli --bin uniffi-bindgen \
    --target-dir "${CARGO_TARGET_DIR:-$root/target}" --root "$BINDGEN_ROOT" --force
}

maven() {
  command -v mvn >/dev/null || { log "mvn not found: apt-get install -y maven"; exit 1; }
  command -v java >/dev/null || { log "java not found: apt-get install -y openjdk-17-jdk-headless"; exit 1; }
}

case "${1:-all}" in
  targets) targets ;;
  bindgen) bindgen ;;
  maven) maven ;;
  all) targets; bindgen; maven ;;
  *) echo "unknown group: $1" >&2; exit 2 ;;
esac
