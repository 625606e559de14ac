import ArgumentParser
import Controller
import Foundation
import KeelsonFoundation
import Kube
import Manifests

/// `keelson cluster add|list`: the clusters Applications may deploy to, registered as Secrets
/// in the controller's namespace (Argo CD's format), never printing their credentials.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Register clusters for spec.destination.cluster, and list them.",
        subcommands: [ClusterAddCommand.self, ClusterListCommand.self])
}

/// Where Keelson runs: the cluster the cluster Secrets are written to.
struct HomeClusterOptions: ParsableArguments {
    @Option(name: .customLong("to-kubeconfig"), help: "The kubeconfig of the cluster Keelson runs in (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(name: .customLong("to-context"), help: "Its context.")
    var context: String?

    @Option(help: "Keelson's namespace there, where cluster Secrets live.")
    var namespace = "keelson"

    func withClient<T: Sendable>(_ body: (KubeClient) async throws -> T) async throws -> T {
        let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig, context: context))
        return try await KubeClient.withClient(configuration, body)
    }
}

struct ClusterAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register the cluster of a kubeconfig context as NAME (a Secret cluster-NAME; credentials are never printed).",
        discussion: """
            The context's server, CA and credentials (a token, a token file read now, a client certificate, or basic \
            authentication) are stored. An exec credential plugin is stored as Argo CD's execProviderConfig, and the \
            controller runs it: the program must be in the controller's image. Running it again replaces the Secret.
            """)

    @Argument(help: "The name Applications use in spec.destination.cluster.")
    var name: String

    @Option(help: "The kubeconfig of the cluster to add.")
    var kubeconfig: String

    @Option(help: "Its context (default: the current one).")
    var context: String?

    @OptionGroup var home: HomeClusterOptions

    func validate() throws {
        guard ClusterDefinition.isValidName(name) else {
            throw ValidationError("the cluster name must be lowercase letters, digits and '-' (at most 63), not in-cluster")
        }
    }

    func run() async throws {
        let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig, context: context))
        let secret: Manifest
        do { secret = try ClusterDefinition.secret(name: name, configuration: configuration, namespace: home.namespace) } catch {
            throw ValidationError(error.description)
        }
        try await home.withClient { client in
            guard try await Self.namespaceExists(home.namespace, in: client) else {
                throw CLIError("namespace \(home.namespace) not found: is Keelson installed there? (keelson install)")
            }
            _ = try await client.apply(secret, options: ApplyOptions(fieldManager: "keelson-cluster-add", force: true))
        }
        print("cluster \(name) registered: \(configuration.server) (Secret \(home.namespace)/\(secret.name))")
        if case .exec(let exec, _, _) = configuration.credentials {
            FileHandle.standardError.write(
                Data("note: the controller runs the credential plugin \(exec.command): it must be in the controller's image\n".utf8))
        }
    }

    static func namespaceExists(_ name: String, in client: KubeClient) async throws -> Bool {
        do {
            _ = try await client.get(GroupVersionKind(apiVersion: "v1", kind: "Namespace"), name: name, namespace: nil)
            return true
        } catch  where error.isNotFound {
            return false
        }
    }
}

struct ClusterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The registered clusters: server, whether each answers now, its version, how many Applications use it.")

    @OptionGroup var home: HomeClusterOptions

    func run() async throws {
        let rows = try await home.withClient { client in
            let secrets = try await client.listAll(GroupVersionKind(group: "", version: "v1", kind: "Secret"), namespace: home.namespace)
            let apps = (try? await client.listAll(GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")))?.items ?? []
            let uses = Dictionary(grouping: apps.compactMap { try? Application($0) }, by: \.spec.destination.cluster).mapValues(\.count)
            var rows = [["NAME", "SERVER", "REACHABLE", "VERSION", "APPLICATIONS"]]
            rows.append(
                [ApplicationSpec.Destination.inCluster, "(this cluster)", "yes", await Self.version(client) ?? "?", "\(uses["in-cluster"] ?? 0)"])
            for secret in secrets.items.sorted(by: { $0.name < $1.name }) {
                guard let definition = try? ClusterDefinition.parse(secret) else {
                    if secret.labels[ClusterDefinition.label] == ClusterDefinition.labelValue {
                        rows.append([secret.name, "(invalid Secret)", "-", "-", "-"])
                    }
                    continue
                }
                // A credential plugin named in a Secret is the controller's to run, not this machine's:
                // anyone who may write the Secret would choose the command.
                if case .exec(let exec, _, _) = definition.configuration.credentials {
                    rows.append([
                        definition.name, definition.configuration.server, "not checked (runs \(exec.command) in the controller)", "-",
                        "\(uses[definition.name] ?? 0)",
                    ])
                    continue
                }
                let version: String? = await (try? KubeClient.withClient(definition.configuration) { remote in await Self.version(remote) }) ?? nil
                rows.append([
                    definition.name, definition.configuration.server, version == nil ? "no" : "yes", version ?? "-", "\(uses[definition.name] ?? 0)",
                ])
            }
            return rows
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "   "))
        }
    }

    /// The server's version, or `nil` when it does not answer within 5 s.
    static func version(_ client: any KubernetesAPI) async -> String? {
        await withTimeLimit(.seconds(5), on: ContinuousClock()) { () -> String? in (try? await client.serverVersion())?.gitVersion } ?? nil
    }
}
