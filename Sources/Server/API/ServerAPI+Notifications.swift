import Hummingbird
import Kube
import Manifests
import SCM

extension ServerAPI {
    static let providerKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Provider")
    static let alertKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Alert")

    /// `GET /api/v1/notifications`: Providers and Alerts with their readiness and last
    /// delivery (admins only). Never a credential: Secrets are named, not read, and addresses are
    /// cut after their first path segment (a webhook URL can be a secret itself).
    func notifications(_ context: ServerContext) async throws -> Response {
        JSONResponse.make(try await notificationsJSON(for: try context.requirePrincipal()))
    }

    /// The answer of `GET /api/v1/notifications`; 403 for anyone but an admin.
    func notificationsJSON(for principal: Principal) async throws(APIError) -> JSONValue {
        guard principal.role >= .admin else { throw APIError.forbidden("only an admin may list notification providers and alerts") }
        let providers = (try? await client.listAll(Self.providerKind).items) ?? []
        let alerts = (try? await client.listAll(Self.alertKind).items) ?? []
        return ["providers": .array(providers.map(Self.providerJSON)), "alerts": .array(alerts.map(Self.alertJSON))]
    }

    static func providerJSON(_ object: Manifest) -> JSONValue {
        let spec = object.object["spec"]
        return [
            "namespace": .string(object.namespace), "name": .string(object.name), "type": .string(spec?["type"]?.stringValue ?? ""),
            "address": spec?["address"]?.stringValue.map { .string(Redaction.url(Substring($0))) } ?? .null,
            "secretRef": spec?[path: ["secretRef", "name"]]?.stringValue.map(JSONValue.string) ?? .null,
            "suspend": .bool(spec?["suspend"]?.boolValue ?? false),
        ]
    }

    static func alertJSON(_ object: Manifest) -> JSONValue {
        let spec = object.object["spec"]
        let status = object.object["status"]
        let ready = status?["conditions"]?.arrayValue?.first { $0["type"] == "Ready" }
        var item: JSONObject = [
            "namespace": .string(object.namespace), "name": .string(object.name),
            "provider": .string(spec?[path: ["providerRef", "name"]]?.stringValue ?? ""),
            "events": .array((spec?["events"]?.arrayValue ?? []).compactMap { $0.stringValue.map(JSONValue.string) }),
            "severity": .string(spec?["severity"]?.stringValue ?? "info"), "suspend": .bool(spec?["suspend"]?.boolValue ?? false),
        ]
        item["ready"] =
            ready.map {
                [
                    "status": .string($0["status"]?.stringValue ?? ""), "reason": .string($0["reason"]?.stringValue ?? ""),
                    "message": .string($0["message"]?.stringValue ?? ""),
                ]
            } ?? .null
        if let last = status?["lastDelivery"]?.objectValue {
            var delivery: JSONObject = [:]
            for key in ["time", "event", "application", "result"] { delivery[key] = .string(last[key]?.stringValue ?? "") }
            delivery["code"] = last["code"]?.intValue.map { .number(JSONNumber($0)) } ?? .null
            item["lastDelivery"] = .object(delivery)
        } else {
            item["lastDelivery"] = .null
        }
        return .object(item)
    }
}
