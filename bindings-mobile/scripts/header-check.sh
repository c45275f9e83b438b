#!/usr/bin/env bash
# Proves that the generated C headers and the library agree, without a Swift compiler:
# compiles a C program against the headers that Swift imports (JikoOnboardingFFI.h for
# the binding crate, JikoOnboardingCoreFFI.h for the core's types), takes the address of
# every function the headers declare (so linking fails if any
# symbol is missing from the library), links it with the host static library, then
# calls two exported functions through the raw C ABI: version() and
# sandbox_scenario() (a string argument in, a record out).
# Usage: scripts/header-check.sh HEADER_DIR STATIC_LIB EXPECTED_VERSION OUT_DIR
set -euo pipefail
header_dir="$1" lib="$2" expected="$3" out="$4"
headers=("$header_dir/JikoOnboardingFFI.h" "$header_dir/JikoOnboardingCoreFFI.h")
mkdir -p "$out"
cc="${CC:-gcc}"

# Every function declaration of the header: `<type> uniffi_...(` or `<type> ffi_...(`.
mapfile -t fns < <(cat "${headers[@]}" | grep -oE '^[A-Za-z_][A-Za-z0-9_ *]*[ *]((uniffi|ffi)_[A-Za-z0-9_]+)\(' \
  | grep -oE '(uniffi|ffi)_[A-Za-z0-9_]+\($' | tr -d '(' | sort -u)
[ "${#fns[@]}" -gt 50 ] || { echo "header-check: only ${#fns[@]} functions found in ${headers[*]}" >&2; exit 1; }

{
  echo '#include <stdio.h>'
  echo '#include <string.h>'
  echo '#include "JikoOnboardingFFI.h"'
  echo '#include "JikoOnboardingCoreFFI.h"'
  echo 'static void *const every_symbol[] = {'
  for f in "${fns[@]}"; do echo "  (void *)&$f,"; done
  echo '};'
  cat <<C
static RustBuffer string_buffer(const char *text, RustCallStatus *status) {
  ForeignBytes bytes = { (int32_t)strlen(text), (const uint8_t *)text };
  return ffi_jiko_onboarding_mobile_rustbuffer_from_bytes(bytes, status);
}

int main(void) {
  RustCallStatus status = {0};
  size_t n = sizeof every_symbol / sizeof every_symbol[0];
  for (size_t i = 0; i < n; i++) {
    if (every_symbol[i] == NULL) { fprintf(stderr, "symbol %zu is NULL\n", i); return 1; }
  }
  uint32_t contract = ffi_jiko_onboarding_mobile_uniffi_contract_version();

  RustBuffer version = uniffi_jiko_onboarding_mobile_fn_func_version(&status);
  if (status.code != 0) { fprintf(stderr, "version() failed: %d\n", status.code); return 1; }
  int ok = version.len == strlen("$expected") && memcmp(version.data, "$expected", version.len) == 0;
  printf("C header check: %zu symbols linked, uniffi contract %u, version() = %.*s\n",
         n, contract, (int)version.len, (const char *)version.data);
  ffi_jiko_onboarding_mobile_rustbuffer_free(version, &status);
  if (!ok) { fprintf(stderr, "version() is not $expected\n"); return 1; }

  /* sandbox_scenario("411111111"): a record serialized by uniffi; APPROVED is variant 5 */
  RustBuffer ssn = string_buffer("411111111", &status);
  RustBuffer scenario = uniffi_jiko_onboarding_mobile_fn_func_sandbox_scenario(ssn, &status);
  if (status.code != 0 || scenario.len < 4) { fprintf(stderr, "sandbox_scenario() failed\n"); return 1; }
  uint32_t variant = ((uint32_t)scenario.data[0] << 24) | ((uint32_t)scenario.data[1] << 16) |
                     ((uint32_t)scenario.data[2] << 8) | scenario.data[3];
  printf("C header check: sandbox_scenario(\"411111111\").status_after_apply = variant %u (APPROVED = 5)\n", variant);
  ffi_jiko_onboarding_mobile_rustbuffer_free(scenario, &status);
  return variant == 5 ? 0 : 1;
}
C
} > "$out/header_check.c"

"$cc" -std=c11 -Wall -Wextra -Werror -D_Nullable= -D_Nonnull= -D_Null_unspecified= \
  -I "$header_dir" "$out/header_check.c" "$lib" \
  -lpthread -ldl -lm -lrt -lutil -lgcc_s -o "$out/header_check"
"$out/header_check"
