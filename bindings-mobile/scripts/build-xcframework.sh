#!/usr/bin/env bash
# macOS only (needs Xcode's xcodebuild and lipo): builds JikoOnboardingFFI.xcframework for
# the Swift package in bindings-mobile/swift, from release static libraries for
#   iOS devices        aarch64-apple-ios
#   iOS simulator      aarch64-apple-ios-sim + x86_64-apple-ios (one fat library)
#   macOS              aarch64-apple-darwin + x86_64-apple-darwin (for `swift test` on a Mac)
# with the generated header and module map (Headers/JikoOnboardingFFI/) in every slice.
# Not run on the project's Linux machines: they have no Xcode. CI there builds the
# aarch64-apple-ios and aarch64-apple-ios-sim static libraries and checks the header
# with gcc instead (make -C bindings-mobile test).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
crate=jiko-onboarding-mobile
lib=libjiko_onboarding_mobile.a
out="$here/swift/JikoOnboardingFFI.xcframework"
work="$target_dir/xcframework"
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-13.0}"
export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-11.0}"

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null; then
  echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo)" >&2
  exit 1
fi

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
  cargo rustc -p "$crate" --lib --crate-type staticlib --release --target "$t"
done

# Kotlin and Swift sources plus Headers/JikoOnboardingFFI/{JikoOnboardingFFI.h,module.modulemap}.
make -C "$here" generate

rm -rf "$work" "$out"
mkdir -p "$work/ios" "$work/ios-simulator" "$work/macos"
cp "$target_dir/aarch64-apple-ios/release/$lib" "$work/ios/$lib"
lipo -create "$target_dir/aarch64-apple-ios-sim/release/$lib" "$target_dir/x86_64-apple-ios/release/$lib" \
  -output "$work/ios-simulator/$lib"
lipo -create "$target_dir/aarch64-apple-darwin/release/$lib" "$target_dir/x86_64-apple-darwin/release/$lib" \
  -output "$work/macos/$lib"

# The module map sits in a folder named after the module, so that several uniffi
# XCFrameworks in one app do not collide on Headers/module.modulemap.
xcodebuild -create-xcframework \
  -library "$work/ios/$lib" -headers "$here/swift/Headers" \
  -library "$work/ios-simulator/$lib" -headers "$here/swift/Headers" \
  -library "$work/macos/$lib" -headers "$here/swift/Headers" \
  -output "$out"

echo "built $out"
echo "next: cd $here/swift && swift build && swift test"
