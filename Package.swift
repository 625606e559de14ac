// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "keelson",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keelson", targets: ["keelson"]),
        .library(name: "Manifests", targets: ["Manifests"]),
        .library(name: "KeelsonFoundation", targets: ["KeelsonFoundation"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "KubeSandbox", targets: ["KubeSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
    ],
    targets: [
        .target(
            name: "Manifests",
            dependencies: [
                "KeelsonFoundation",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(name: "KeelsonFoundation"),
        .target(
            name: "Registry",
            dependencies: [
                "Manifests",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "GoTemplate"),
        .target(
            name: "Helm",
            dependencies: [
                "GoTemplate", "Manifests", "KeelsonFoundation", "CZlib", "Registry",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        .target(name: "Render", dependencies: ["Manifests", "KeelsonFoundation", "Helm"]),
        .target(name: "Sync", dependencies: ["Manifests", "Kube"]),
        .target(
            name: "GitSource",
            dependencies: [
                "KeelsonFoundation",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Controller",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Render", "Kube", "Sync", "GitSource", "Secrets", "Helm", "Progressive",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("CRDs/application.yaml"), .embedInCode("CRDs/project.yaml")]
        ),
        .target(
            name: "Fleet",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Controller", "GitSource", "Kube", "SCM", "GoTemplate", "Helm",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("ApplicationSets/CRDs/applicationset.yaml")]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Kube", "Sync", "GitSource", "Controller", "SCM", "Progressive",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "Plan",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Render", "Controller", "GitSource", "Secrets", "Sync", "Kube", "SCM", "Progressive",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Notify",
            dependencies: [
                "Manifests", "KeelsonFoundation", "SCM", "GitSource", "Kube", "Progressive",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("CRDs/provider.yaml"), .embedInCode("CRDs/alert.yaml")]
        ),
        .target(
            name: "Progressive",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Kube",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("CRDs/rollout.yaml"), .embedInCode("CRDs/analysistemplate.yaml")]
        ),
        .target(
            name: "SCM",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KeelsonTesting",
            dependencies: [
                "Manifests", "SCM", "Kube", "KeelsonFoundation",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "KubeSandbox",
            dependencies: [
                "Manifests", "KeelsonFoundation",
                "CSQLite",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Secrets",
            dependencies: [
                "Manifests", .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "SealedSecrets",
            dependencies: [
                "Secrets", "Manifests", "Kube", "KeelsonFoundation",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("CRDs/sealedsecret.yaml")]
        ),
        .target(
            name: "ExternalSecrets",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Kube", "Secrets", "GoTemplate", "Helm",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("CRDs/secretstore.yaml"), .embedInCode("CRDs/clustersecretstore.yaml"), .embedInCode("CRDs/externalsecret.yaml"),
            ]
        ),
        .target(
            name: "Kube",
            dependencies: [
                "Manifests", "KeelsonFoundation",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ImageAutomation",
            dependencies: [
                "Manifests", "KeelsonFoundation", "Render", "Kube", "GitSource", "Registry",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("CRDs/imagepolicy.yaml"), .embedInCode("CRDs/imageupdateautomation.yaml")]
        ),
        .target(
            name: "KeelsonRuntime",
            dependencies: [
                "Controller", "Server", "ImageAutomation", "Notify", "Plan", "SCM", "Kube", "GitSource", "Manifests", "Render",
                "KeelsonFoundation", "SealedSecrets", "ExternalSecrets", "Fleet",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Installation/kustomization.yaml"), .embedInCode("Installation/namespace.yaml"),
                .embedInCode("Installation/rbac.yaml"), .embedInCode("Installation/controller.yaml"),
                .embedInCode("Installation/service.yaml"), .embedInCode("Installation/networkpolicy.yaml"),
            ]
        ),
        .executableTarget(
            name: "keelson",
            dependencies: [
                "KeelsonRuntime",
                "Fleet",
                "Helm",
                "Registry",
                "Manifests",
                "Render",
                "Secrets",
                "Kube",
                "Sync",
                "ImageAutomation",
                "KubeSandbox",
                "Controller",
                "GitSource",
                "Server",
                "Plan",
                "SCM",
                "Notify",
                "Progressive",
                "SealedSecrets",
                "ExternalSecrets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "keelson-bench",
            dependencies: [
                "Manifests", "Render", "Sync", "Kube", "KubeSandbox", "Controller", "GitSource", "Server", "Helm", "KeelsonTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "FleetTests",
            dependencies: [
                "Fleet", "Controller", "GitSource", "SCM", "Kube", "KubeSandbox", "Manifests", "KeelsonTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "KeelsonTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeSandboxTests", dependencies: ["KubeSandbox", "Manifests", "KeelsonTesting"]),
        .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate"]),
        .testTarget(name: "PlanTests", dependencies: ["Plan", "SCM", "Controller", "GitSource", "Kube", "Manifests", "KeelsonTesting"]),
        .testTarget(
            name: "NotifyTests",
            dependencies: [
                "Notify", "SCM", "KeelsonTesting", "Controller", "Kube", "KubeSandbox", "Manifests",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "ProgressiveTests",
            dependencies: [
                "Progressive", "Kube", "KubeSandbox", "Manifests", "KeelsonFoundation", "KeelsonTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SCMTests",
            dependencies: [
                "SCM", "KeelsonTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "HelmTests",
            dependencies: [
                "Helm", "Registry", "KeelsonTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "KeelsonFoundationTests", dependencies: ["KeelsonFoundation", "KeelsonTesting"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Helm", "KeelsonTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "KeelsonTesting"], exclude: ["Fixtures"]),
        .testTarget(
            name: "SyncIntegrationTests",
            dependencies: ["Sync", "Kube", "KubeSandbox", "Manifests", "Render", "KeelsonTesting"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GitSourceTests",
            dependencies: ["GitSource", "KeelsonFoundation", "KeelsonTesting", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Helm", "Kube", "KeelsonFoundation", "KeelsonTesting"]),
        .testTarget(
            name: "ControllerIntegrationTests",
            dependencies: [
                "keelson", "KeelsonRuntime", "Controller", "GitSource", "Helm", "Kube", "KubeSandbox", "Manifests", "Render", "Secrets",
                "KeelsonTesting", "Notify", "SCM", "Fleet",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Controller", "Manifests", "Render", "Kube", "KeelsonTesting", "GitSource", "SCM",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServerIntegrationTests",
            dependencies: [
                "Server", "KeelsonRuntime", "Controller", "GitSource", "Kube", "KubeSandbox", "Manifests", "Secrets", "KeelsonTesting", "keelson",
                "Notify", "Plan", "SCM", "SealedSecrets", "ExternalSecrets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "KeelsonCLITests",
            dependencies: [
                "keelson", "Controller", "KeelsonRuntime", "Kube", "KubeSandbox", "Manifests", "KeelsonTesting", "SCM", "Secrets", "Fleet",
            ]),
        .testTarget(
            name: "SecretsTests",
            dependencies: [
                "Secrets", "Manifests", "KeelsonTesting", "KubeSandbox", "Kube", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["SOPS/Fixtures"]),
        .testTarget(
            name: "SealedSecretsTests",
            dependencies: [
                "SealedSecrets", "Secrets", "Kube", "KubeSandbox", "Manifests", "KeelsonTesting",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "ImageAutomationTests",
            dependencies: [
                "keelson",
                "ImageAutomation", "Registry", "KeelsonFoundation", "KeelsonRuntime", "Manifests", "KeelsonTesting", "Controller", "GitSource",
                "Kube",
                "KubeSandbox",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ExternalSecretsTests",
            dependencies: [
                "ExternalSecrets", "Secrets", "Kube", "KubeSandbox", "Manifests", "KeelsonTesting", "Helm",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KubeIntegrationTests",
            dependencies: [
                "Kube", "KubeSandbox", "Manifests", "KeelsonTesting",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KubeTests",
            dependencies: [
                "Kube", "Manifests", "KeelsonTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
