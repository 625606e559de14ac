import ArgumentParser
import Foundation
import KubeSandbox
import Logging
import ServiceLifecycle

/// `keelson sandbox`: an embedded Kubernetes-API-compatible cluster on 127.0.0.1.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run an embedded Kubernetes-API-compatible cluster on 127.0.0.1 that kubectl accepts.",
        discussion: """
            Writes a kubeconfig (context keelson-sandbox), prints the address, and serves until SIGINT or SIGTERM. \
            Workloads become ready after --ready-delay; a pod template annotated sandbox.keelson.dev/fail: "true" \
            (or an image tag ending in -broken) never does. Faults can be injected with POST /sandbox/faults.
            """)

    @Option(help: "The port (0 picks a free one).")
    var port = 6443

    @Option(help: "Keep state in this SQLite file across restarts (default: in memory); it and its companions are created mode 0600.")
    var data: String?

    @Option(name: .customLong("kubeconfig-out"), help: "Where to write the kubeconfig.")
    var kubeconfigOut = "keelson-sandbox.kubeconfig"

    @Flag(help: "Serve HTTPS with a generated CA and require the client certificate the kubeconfig carries.")
    var tls = false

    @Option(name: .customLong("ready-delay"), help: "How long simulated workloads take to become ready, e.g. 2s.")
    var readyDelay: DurationArgument = DurationArgument(seconds: 1)

    func run() async throws {
        var logger = Logger(label: "keelson.sandbox")
        logger.logLevel = .warning
        let configuration = SandboxConfiguration(
            port: port, kubeconfigPath: kubeconfigOut, dataPath: data, tls: tls, readyDelay: .seconds(readyDelay.seconds))
        let kubeconfig = kubeconfigOut
        let sandbox = Sandbox(configuration: configuration, logger: logger) { endpoint in
            CLI.write(
                "keelson sandbox listening on \(endpoint.url)\nkubeconfig: \(kubeconfig)\ntry: kubectl --kubeconfig \(kubeconfig) get namespaces\n")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: sandbox, serviceName: "sandbox")], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
