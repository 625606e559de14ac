import ArgumentParser
import Foundation
import Kube
import Manifests
import Notify

/// `keelson notify list|test|preview`: Providers and Alerts, and trying them out.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "List Providers and Alerts, send a test notification, or preview an Alert's words.",
        subcommands: [List.self, Test.self, Preview.self]
    )

    static let providerKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Provider")
    static let alertKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Alert")
    static let applicationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// `keelson notify list [-n NS]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List Providers and Alerts with their last delivery and readiness.")

        @Option(name: .shortAndLong, help: "Only this namespace (default: every namespace).")
        var namespace: String?

        @OptionGroup var cluster: ClusterOptions

        func run() async throws {
            try await cluster.withClient { client in
                var out = "PROVIDERS\n"
                for object in try await client.listAll(NotifyCommand.providerKind, namespace: namespace).items {
                    let type = object.object["spec"]?["type"]?.stringValue ?? "?"
                    out += "  \(object.namespace)/\(object.name)  \(type)\n"
                }
                out += "ALERTS\n"
                for object in try await client.listAll(NotifyCommand.alertKind, namespace: namespace).items {
                    let status = object.object["status"]
                    let ready = status?["conditions"]?.arrayValue?.first { $0["type"] == "Ready" }
                    let provider = object.object["spec"]?[path: ["providerRef", "name"]]?.stringValue ?? "?"
                    var line = "  \(object.namespace)/\(object.name)  → \(provider)"
                    if let ready {
                        line += "  Ready=\(ready["status"]?.stringValue ?? "?")"
                        if let message = ready["message"]?.stringValue, !message.isEmpty { line += " (\(message))" }
                    }
                    if let last = status?["lastDelivery"] {
                        line += "  last: \(last["event"]?.stringValue ?? "") \(last["application"]?.stringValue ?? "") "
                        line += "\(last["result"]?.stringValue ?? "") \(last["time"]?.stringValue ?? "")"
                    }
                    out += line + "\n"
                }
                CLI.write(out)
            }
        }
    }

    /// `keelson notify test PROVIDER [--event E] [--app NAME]`.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one synthetic event to a Provider and print the HTTP status.",
            discussion: "Exit status 0 when it was delivered (or the provider has nothing to send for the event), 1 when it failed.")

        @Argument(help: "The Provider's name.")
        var provider: String

        @Option(name: .shortAndLong, help: "The Provider's namespace.")
        var namespace = "keelson"

        @Option(help: "The event to send.")
        var event: EventType = .syncFailed

        @Option(help: "The Application the event is about (read from the cluster when it exists).")
        var app = "example"

        @OptionGroup var cluster: ClusterOptions

        func run() async throws {
            let result: DeliveryResult = try await cluster.withClient { client in
                let spec = try NotifyObjects.provider(try await client.get(NotifyCommand.providerKind, name: provider, namespace: namespace))
                var credentials = ProviderCredentials()
                if let secret = spec.secretRef {
                    credentials = try ProviderCredentials(secret: try await client.get(NotifyCommand.secretKind, name: secret, namespace: namespace))
                }
                let event = try await NotifyCommand.syntheticEvent(event, app: app, namespace: namespace, client: client)
                let alert = AlertSpec(namespace: namespace, name: "test", providerRef: provider, sources: [AlertSource()])
                let message = MessageRenderer().render(event, alert: alert)
                return await Deliverer().deliver(event: event, message: message, provider: spec, credentials: credentials)
            }
            switch result.outcome {
            case .delivered: CLI.write(result.statusCode.map(String.init) ?? "delivered")
            case .skipped(let reason): CLI.write("skipped: \(reason)")
            case .failed(let failure):
                CLI.error(failure.description)
                throw ExitCode(1)
            }
            CLI.write("\n")
        }
    }

    /// `keelson notify preview ALERT --app NAME --event E`.
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print what an Alert would send for an event; sends nothing.")

        @Argument(help: "The Alert's name.")
        var alert: String

        @Option(name: .shortAndLong, help: "The Alert's namespace.")
        var namespace = "keelson"

        @Option(help: "The Application the event is about.")
        var app: String

        @Option(help: "The event.")
        var event: EventType = .deployed

        @Option(name: .customLong("external-url"), help: "The dashboard's address, for {{url}}.")
        var externalURL: String?

        @OptionGroup var cluster: ClusterOptions

        func run() async throws {
            let (message, wanted) = try await cluster.withClient { client in
                let spec = try NotifyObjects.alert(try await client.get(NotifyCommand.alertKind, name: alert, namespace: namespace))
                let event = try await NotifyCommand.syntheticEvent(event, app: app, namespace: namespace, client: client)
                return (
                    MessageRenderer(externalURL: externalURL).render(event, alert: spec),
                    AlertRouter(controllerNamespace: "keelson").wants(spec, event)
                )
            }
            var out = message.text + "\n"
            if let webhook = message.webhook { out += "webhook: \(webhook.method) \(webhook.path)\n\(webhook.body)\n" }
            if !wanted { out += "(this Alert would not send this event for this application)\n" }
            CLI.write(out)
        }
    }

    /// An event about `app` (its labels and repository read from the cluster when it exists there).
    static func syntheticEvent(_ type: EventType, app: String, namespace: String, client: KubeClient) async throws -> NotificationEvent {
        let object = try? await client.get(applicationKind, name: app, namespace: namespace)
        let source = EventSource(
            namespace: namespace, name: app, labels: object?.labels ?? [:],
            repoURL: object?.object["spec"]?[path: ["source", "repoURL"]]?.stringValue ?? "")
        let revision = object?.object["status"]?["revision"]?.stringValue ?? String(repeating: "0", count: 40)
        return NotificationEvent(
            type: type, source: source, revision: revision, message: "a test notification from keelson notify test", sync: "Synced",
            health: "Healthy", key: "test/\(source.id)/\(type.rawValue)/\(UUID().uuidString)", incidentKey: "test/\(source.id)")
    }
}

extension EventType: ExpressibleByArgument {}
