// swift-tools-version:5.9
// The Swift package of jiko-onboarding (module JikoOnboarding).
//
// Before building, on macOS with Xcode:
//   bindings-mobile/scripts/build-xcframework.sh
// which generates Sources/JikoOnboarding/{JikoOnboarding,JikoOnboardingCore}.swift and
// Headers/JikoOnboardingFFI/{JikoOnboardingFFI.h,JikoOnboardingCoreFFI.h,module.modulemap}
// with uniffi (the binding crate's and the core's types), and packs the
// static libraries (iOS device, iOS simulator, macOS) with those headers into
// JikoOnboardingFFI.xcframework. Then `swift build` / `swift test` here, or add this folder
// to an Xcode project as a local package.
import PackageDescription

let package = Package(
    name: "JikoOnboarding",
    platforms: [.iOS(.v13), .macOS(.v11)],
    products: [
        .library(name: "JikoOnboarding", targets: ["JikoOnboarding"]),
    ],
    targets: [
        // The Rust core and its C interface (module JikoOnboardingFFI).
        .binaryTarget(name: "JikoOnboardingFFI", path: "JikoOnboardingFFI.xcframework"),
        // The Swift that uniffi generates, plus JikoError+Fields.swift and the driver
        // (Onboarding.swift).
        .target(
            name: "JikoOnboarding",
            dependencies: ["JikoOnboardingFFI"],
            path: "Sources/JikoOnboarding"
        ),
        .testTarget(
            name: "JikoOnboardingTests",
            dependencies: ["JikoOnboarding"],
            path: "Tests/JikoOnboardingTests"
        ),
    ]
)
