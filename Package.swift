// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "keelson",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keelson", targets: ["keelson"]),
        .library(name: "Manifests", targets: ["Manifests"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(name: "Manifests", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "KeelsonTesting", dependencies: ["Manifests"]),
        .executableTarget(
            name: "keelson",
            dependencies: [
                "Manifests",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "KeelsonTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
