import Foundation
import KeelsonFoundation
import Manifests

/// The API groups whose Provider and Alert objects Keelson reads: its own, and Flux's
/// notification-controller v1beta3, read as-is.
public enum NotifyObjects {
    public static let group = "keelson.dev"
    public static let apiVersion = "keelson.dev/v1alpha1"
    public static let fluxAPIVersion = "notification.toolkit.fluxcd.io/v1beta3"
    /// Flux's names for the comment providers.
    static let fluxTypes: [String: ProviderType] = [
        "githubpullrequestcomment": .githubPRComment, "gitlabmergerequestcomment": .gitlabMRComment, "giteapullrequestcomment": .giteaPRComment,
    ]

    /// Reads a Provider.
    public static func provider(_ manifest: Manifest) throws(NotifyObjectError) -> ProviderSpec {
        let reader = FieldReader(kind: "Provider", manifest: manifest)
        let spec = try reader.object(manifest.object["spec"], "spec")
        let typeName = try reader.string(spec["type"], "spec.type") ?? ""
        guard let type = ProviderType(rawValue: typeName) ?? fluxTypes[typeName] else {
            throw reader.error("spec.type", "unknown type \"\(typeName)\" (known: \(ProviderType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var provider = ProviderSpec(namespace: reader.namespace, name: manifest.name, type: type)
        provider.address = try reader.string(spec["address"], "spec.address")
        provider.apiURL = try reader.string(spec["apiURL"], "spec.apiURL")
        provider.channel = try reader.string(spec["channel"], "spec.channel")
        provider.username = try reader.string(spec["username"], "spec.username")
        provider.secretRef = try reader.string(spec["secretRef"]?["name"], "spec.secretRef.name")
        provider.statusContext = try reader.string(spec["statusContext"], "spec.statusContext")
        if let context = provider.statusContext {
            do throws(TagTemplate.Error) {
                _ = try TagTemplate(context, vocabulary: AlertTemplate.vocabulary)
            } catch {
                throw reader.error("spec.statusContext", error.message)
            }
        }
        provider.suspend = spec["suspend"]?.boolValue ?? false
        if let timeout = try reader.duration(spec["timeout"], "spec.timeout") { provider.timeout = timeout }
        if let rateLimit = try reader.duration(spec["rateLimit"], "spec.rateLimit") { provider.rateLimit = rateLimit }
        for (field, url) in [("spec.address", provider.address), ("spec.apiURL", provider.apiURL)] {
            guard let url else { continue }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw reader.error(field, "must be an http(s) URL")
            }
        }
        if type.isForge && provider.address == nil { throw reader.error("spec.address", "names the repository and is required for \(type.rawValue)") }
        return provider
    }

    /// Reads an Alert, checking its templates against the tags they may use.
    public static func alert(_ manifest: Manifest) throws(NotifyObjectError) -> AlertSpec {
        let reader = FieldReader(kind: "Alert", manifest: manifest)
        let spec = try reader.object(manifest.object["spec"], "spec")
        guard let provider = try reader.string(spec["providerRef"]?["name"], "spec.providerRef.name") else {
            throw reader.error("spec.providerRef.name", "is required")
        }
        // Flux calls them eventSources, eventSeverity and eventMetadata.
        let sourcesField = spec["sources"] != nil ? "sources" : "eventSources"
        var sources: [AlertSource] = []
        for (index, item) in (spec[sourcesField]?.arrayValue ?? []).enumerated() {
            let field = "spec.\(sourcesField)[\(index)]"
            sources.append(
                AlertSource(
                    kind: try reader.string(item["kind"], field + ".kind") ?? "Application",
                    namespace: try reader.string(item["namespace"], field + ".namespace"),
                    name: try reader.string(item["name"], field + ".name") ?? "*",
                    matchLabels: try reader.map(item["matchLabels"], field + ".matchLabels")))
        }
        guard !sources.isEmpty else { throw reader.error("spec.sources", "names no source") }
        var alert = AlertSpec(namespace: reader.namespace, name: manifest.name, providerRef: provider, sources: sources)
        for (index, name) in (spec["events"]?.arrayValue ?? []).enumerated() {
            guard let type = name.stringValue.flatMap(EventType.init(rawValue:)) else {
                throw reader.error("spec.events[\(index)]", "unknown event (known: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            alert.events.insert(type)
        }
        let severityField = spec["severity"] != nil ? "severity" : "eventSeverity"
        if let severity = try reader.string(spec[severityField], "spec.\(severityField)") {
            guard let parsed = Severity(rawValue: severity) else { throw reader.error("spec.\(severityField)", "must be info, warning or error") }
            alert.severity = parsed
        }
        for field in ["exclusionList", "inclusionList"] {
            let patterns = (spec[field]?.arrayValue ?? []).compactMap(\.stringValue)
            for pattern in patterns where (try? Regex(pattern)) == nil {
                throw reader.error("spec.\(field)", "\(pattern) is not a regular expression")
            }
            if field == "exclusionList" { alert.exclusionList = patterns } else { alert.inclusionList = patterns }
        }
        alert.metadata = try reader.map(spec["metadata"] ?? spec["eventMetadata"], "spec.metadata")
        if let summary = try reader.string(spec["summary"], "spec.summary") { alert.metadata["summary"] = summary }
        alert.suspend = spec["suspend"]?.boolValue ?? false
        alert.template = try template(spec["template"], summary: spec["summary"]?.stringValue, reader: reader)
        return alert
    }

    static func template(_ value: JSONValue?, summary: String?, reader: FieldReader) throws(NotifyObjectError) -> AlertTemplate {
        var template = AlertTemplate.standard
        func parse(_ text: String?, _ field: String) throws(NotifyObjectError) -> TagTemplate? {
            guard let text else { return nil }
            do throws(TagTemplate.Error) {
                return try TagTemplate(text, vocabulary: AlertTemplate.vocabulary)
            } catch {
                throw reader.error(field, error.message)
            }
        }
        // Flux's `summary` is a fixed line, carried as `metadata.summary`.
        if summary != nil, value == nil {
            template.text = try parse("{{event.title}}: {{app.namespace}}/{{app.name}} · {{metadata.summary}} · {{message}}", "spec.summary")!
        }
        guard let value else { return template }
        if let text = try parse(try reader.string(value["text"], "spec.template.text"), "spec.template.text") { template.text = text }
        if let title = try parse(try reader.string(value["title"], "spec.template.title"), "spec.template.title") { template.title = title }
        if let webhook = value["webhook"] {
            template.webhookMethod = try reader.string(webhook["method"], "spec.template.webhook.method")?.uppercased() ?? "POST"
            guard ["POST", "PUT", "PATCH"].contains(template.webhookMethod) else {
                throw reader.error("spec.template.webhook.method", "must be POST, PUT or PATCH")
            }
            template.webhookPath = try parse(try reader.string(webhook["path"], "spec.template.webhook.path"), "spec.template.webhook.path")
            template.webhookBody = try parse(try reader.string(webhook["body"], "spec.template.webhook.body"), "spec.template.webhook.body")
        }
        if let status = value["status"] {
            template.statusContext = try parse(try reader.string(status["context"], "spec.template.status.context"), "spec.template.status.context")
            template.statusDescription = try parse(
                try reader.string(status["description"], "spec.template.status.description"), "spec.template.status.description")
        }
        return template
    }
}
