// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "keelson",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keelson", targets: ["keelson"]),
        .library(name: "Manifests", targets: ["Manifests"]),
        .library(name: "Render", targets: ["Render"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "Manifests",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(name: "Render", dependencies: ["Manifests"]),
        .target(name: "Sync", dependencies: ["Manifests"]),
        .target(name: "KeelsonTesting", dependencies: ["Manifests"]),
        .target(name: "Secrets", dependencies: ["Manifests", .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .executableTarget(
            name: "keelson",
            dependencies: [
                "Manifests",
                "Render",
                "Secrets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "keelson-bench", dependencies: ["Manifests", "Render"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "KeelsonTesting"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "KeelsonTesting"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "KeelsonTesting"]),
        .testTarget(name: "KeelsonCLITests", dependencies: ["keelson", "Manifests", "KeelsonTesting"]),
        .testTarget(name: "SecretsTests", dependencies: ["Secrets", "Manifests", "KeelsonTesting", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
