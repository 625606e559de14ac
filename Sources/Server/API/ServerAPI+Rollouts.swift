import Controller
import Foundation
import Hummingbird
import Kube
import Manifests
import Progressive

extension ServerAPI {
    static let rolloutKind = GroupVersionKind(group: RolloutAPI.group, version: "v1alpha1", kind: RolloutAPI.rolloutKind)

    /// `GET .../rollouts`: the application's rollouts (`status.rollouts[]`) joined with each live
    /// Rollout (steps, weights, analysis runs), and the delivery verdict.
    func rollouts(_ request: Request, _ context: ServerContext) async throws -> Response {
        JSONResponse.make(.object(try await rolloutsJSON(try await resolve(request, context))))
    }

    /// `{items, delivery}` of `view`. The live Rollouts are read from the server's own cluster;
    /// an application of another cluster shows what its status reports.
    func rolloutsJSON(_ view: ApplicationView) async throws -> JSONObject {
        var items: [JSONValue] = []
        for report in view.status["rollouts"]?.arrayValue ?? [] {
            let namespace = report["namespace"]?.stringValue ?? ""
            let name = report["name"]?.stringValue ?? ""
            var live: Manifest?
            if view.application?.spec.destination.isInCluster == true {
                live = try? await client.get(Self.rolloutKind, name: name, namespace: namespace)
            }
            items.append(.object(RolloutJSON.item(report: report, live: live)))
        }
        return ["items": .array(items), "delivery": view.status["delivery"] ?? .null]
    }

    /// `POST .../rollouts/{rolloutNamespace}/{rollout}/{action}`: sets the action's annotation on
    /// the Rollout (202), which the controller handles on its next tick and clears. Only a Rollout
    /// of the application's render or inventory (404 otherwise). A standby replica writes the same
    /// annotation: the leader's watch sees it.
    func rolloutAction(_ request: Request, _ context: ServerContext) async throws -> Response {
        let word = context.parameters.get("action") ?? ""
        guard let action = RolloutAction(rawValue: word) else {
            throw APIError.notFound("no rollout action \(word); one of " + RolloutAction.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let audited = "rollout-" + action.rawValue
        let (view, principal) = try await resolveForAction(audited, request, context)
        let namespace = try context.parameters.require("rolloutNamespace")
        let name = try context.parameters.require("rollout")
        let key = "\(namespace)/\(name)"
        guard Self.owns(view, namespace: namespace, name: name) else {
            record(
                audited, principal, context, application: view.id, outcome: "denied", status: 404, detail: "Rollout \(key) is not the application's")
            throw APIError.notFound("application \(view.id) has no Rollout \(key)")
        }
        if let application = view.application, !application.spec.destination.isInCluster {
            record(audited, principal, context, application: view.id, outcome: "failed", status: 501, detail: "Rollout \(key) on another cluster")
            try Self.refuseOtherClusters(application)
        }
        let patch: JSONValue = ["metadata": ["annotations": .object([action.annotation: "true"])]]
        do {
            _ = try await client.mergePatch(
                Self.rolloutKind, name: name, namespace: namespace, patch: patch, options: WriteOptions(fieldManager: Self.fieldManager))
        } catch {
            let status = error.isNotFound ? 404 : 502
            record(audited, principal, context, application: view.id, outcome: "failed", status: status, detail: "Rollout \(key): \(error.message)")
            if error.isNotFound { throw APIError.notFound("Rollout \(key) does not exist (yet) in the cluster") }
            throw APIError(.badGateway, "KubernetesError", "cannot annotate Rollout \(key): \(error.message)")
        }
        await handle.refresh([view.id])
        record(audited, principal, context, application: view.id, outcome: "accepted", status: 202, detail: "Rollout \(key)")
        return JSONResponse.make(
            ["accepted": true, "application": .string(view.id), "action": .string(action.rawValue), "rollout": .string(key)], status: .accepted)
    }

    /// Whether the Rollout `namespace/name` is one of `view`'s: its status reports it, or its inventory holds it.
    static func owns(_ view: ApplicationView, namespace: String, name: String) -> Bool {
        let reported = (view.status["rollouts"]?.arrayValue ?? []).contains {
            $0["namespace"]?.stringValue == namespace && $0["name"]?.stringValue == name
        }
        let inventory = (view.status["inventory"]?.arrayValue ?? []).compactMap(\.stringValue)
        return reported || inventory.contains("\(RolloutAPI.rolloutKind)/\(namespace)/\(name)")
    }
}
