import Foundation
import Kube
import Manifests

extension NotificationService {
    /// Writes `snapshot` to `status.notified` of the Application (whose other status fields
    /// the controller owns and keeps), retrying on conflicts.
    func persist(_ snapshot: AppSnapshot, app object: Manifest) async {
        let notified: JSONValue = ["snapshot": snapshot.json]
        for _ in 0..<5 {
            do {
                var current = try await client.get(Self.applicationKind, name: object.name, namespace: object.namespace)
                guard case .object(var status) = current.object["status"] ?? .object([:]) else { return }
                if status["notified"] == notified { return }
                status["notified"] = notified
                current.object["status"] = .object(status)
                _ = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch {
                if error.isNotFound { return }
                if !error.isConflict {
                    logger.warning(
                        "cannot record what was announced", metadata: ["keelson.app": "\(object.namespace)/\(object.name)", "error": "\(error)"])
                    return
                }
            }
        }
    }

    /// Counts a delivery, remembers it as its Alert's last, and sets the Alert's `Ready`
    /// condition: `False`, `DeliveryFailed`, with the failure's message (which names the
    /// provider and the HTTP status, never a URL or credential) when it failed for good.
    func report(
        _ result: DeliveryResult, route: NotificationWork.Route, alert: AlertSpec, providerName: String, at time: Date, seconds: Double
    ) async {
        let (word, counted): (String, String) =
            switch result.outcome {
            case .delivered: ("Delivered", "delivered")
            case .skipped: ("Skipped", "skipped")
            case .failed: ("Failed", "failed")
            }
        configuration.onMetric(
            NotificationMetric(
                provider: "\(alert.namespace)/\(providerName)", type: route.event.type.rawValue, result: counted, seconds: seconds,
                retries: max(0, result.attempts - 1)))
        if case .skipped = result.outcome { return }
        let failure = result.failure
        let delivery = LastDelivery(
            time: time, event: route.event.type.rawValue, application: route.event.source.id, result: word, code: result.statusCode,
            message: failure?.message ?? "", permanent: failure?.isPermanent ?? false)
        await state.record(delivery, alert: alert.id)
        // A subscription has no Alert object to write to.
        if let failure, !failure.isPermanent { return }
        if route.subscription { return }
        let condition: JSONValue =
            failure.map { ["type": "Ready", "status": "False", "reason": "DeliveryFailed", "message": .string($0.message)] }
            ?? ["type": "Ready", "status": "True", "reason": "Delivering", "message": ""]
        var last: JSONObject = [
            "time": .string(Self.timestamp(time)), "event": .string(delivery.event), "application": .string(delivery.application),
            "result": .string(word),
        ]
        if let code = result.statusCode { last["code"] = .number(JSONNumber(Int64(code))) }
        await writeAlertStatus(alert, ["conditions": [condition], "lastDelivery": .object(last)])
    }

    /// Alerts that cannot be read say why on their `Ready` condition.
    func reportInvalid(_ entries: [ResourceStore<AlertSpec, NotifyObjectError>.Entry]) async {
        for entry in entries {
            guard case .failure(let error) = entry.parsed else { continue }
            let condition: JSONValue = ["type": "Ready", "status": "False", "reason": "InvalidSpec", "message": .string(error.description)]
            guard entry.object.object["status"]?["conditions"] != [condition] else { continue }
            var alert = AlertSpec(namespace: entry.object.namespace, name: entry.object.name, providerRef: "", sources: [])
            alert.suspend = true
            await writeAlertStatus(alert, ["conditions": [condition]])
        }
    }

    func writeAlertStatus(_ alert: AlertSpec, _ status: JSONObject) async {
        for _ in 0..<3 {
            do {
                var current = try await client.get(Self.alertKind, name: alert.name, namespace: alert.namespace)
                if current.object["status"] == .object(status) { return }
                current.object["status"] = .object(status)
                _ = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch {
                if !error.isConflict {
                    logger.warning("cannot write an Alert's status", metadata: ["keelson.alert": "\(alert.id)", "error": "\(error)"])
                    return
                }
            }
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
