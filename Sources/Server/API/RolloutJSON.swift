import Foundation
import KeelsonFoundation
import Manifests
import Progressive

/// The API's view of one Rollout: what the Application's `status.rollouts[]` reports, made
/// fresher and fuller by the live Rollout (its spec's steps, its state and analysis runs).
enum RolloutJSON {
    /// The keys of a report the item carries as they are.
    static let reportKeys = [
        "namespace", "name", "phase", "reason", "message", "setWeight", "actualWeight", "stableHash", "canaryHash", "stableRevision",
        "canaryRevision",
    ]

    /// The item of `GET .../rollouts` for `report`, joined with `live` when there is one.
    static func item(report: JSONValue, live: Manifest?) -> JSONObject {
        let spec = live.flatMap { try? RolloutSpec($0) }
        let status = live.map { RolloutStatus($0) }
        // The live state is newer than the Application's last status write.
        let current = spec.flatMap { spec in status.map { RolloutReport(spec: spec, status: $0).json } } ?? report
        var item: JSONObject = [:]
        for key in reportKeys { item[key] = current[key] ?? .null }
        item["currentStep"] = current["step"] ?? .null
        item["strategy"] = spec.map { if case .canary = $0.strategy { "canary" } else { "blueGreen" } } ?? .null
        item["steps"] = .array(spec.map { steps($0, state: status?.state) } ?? [])
        item["analysis"] = .array(analysis(status?.analysis ?? [:]))
        let annotations = live?.annotations ?? [:]
        item["requested"] = .array(
            RolloutAction.allCases.filter { annotations[$0.annotation].map { !$0.isEmpty && $0 != "false" } ?? false }
                .map { .string($0.rawValue) })
        return item
    }

    /// The canary's steps, each saying whether it is the current one or already done.
    static func steps(_ spec: RolloutSpec, state: RolloutState?) -> [JSONValue] {
        guard case .canary(let canary) = spec.strategy else { return [] }
        let running = state?.isRunning == true
        let currentStep = state?.currentStep ?? 0
        return canary.steps.enumerated().map { index, step in
            [
                "index": .number(JSONNumber(Int64(index))), "kind": .string(kind(step)), "text": .string(text(step)),
                "current": .bool(running && index == currentStep), "done": .bool(running && index < currentStep),
            ]
        }
    }

    static func kind(_ step: RolloutSpec.Step) -> String {
        switch step {
        case .setWeight: "setWeight"
        case .pause: "pause"
        case .analysis: "analysis"
        }
    }

    /// `setWeight 20`, `pause`, `pause 1m`, `analysis success-rate`.
    static func text(_ step: RolloutSpec.Step) -> String {
        switch step {
        case .setWeight(let weight): "setWeight \(weight)"
        case .pause(nil): "pause (until promoted)"
        case .pause(let duration?): "pause \(GoDuration.format(duration))"
        case .analysis(let reference): "analysis " + reference.templates.joined(separator: ", ")
        }
    }

    /// The analysis runs by slot, each metric with its counters and last measurements.
    static func analysis(_ slots: [String: AnalysisSlot]) -> [JSONValue] {
        slots.sorted { $0.key < $1.key }.map { slot, value in
            let run = value.run.flatMap { try? AnalysisRun(json: $0) }
            return [
                "slot": .string(slot), "templates": .array(value.templates.map(JSONValue.string)), "outcome": .string(value.outcome),
                "message": .string(value.message), "startedAt": run.map { .string(timestamp($0.startedAt)) } ?? .null,
                "metrics": .array((run?.metrics ?? []).map(metric)),
            ]
        }
    }

    static func metric(_ metric: MetricRun) -> JSONValue {
        let measurements: [JSONValue] = metric.measurements.suffix(MetricRun.measurementHistory).map { measurement in
            [
                "phase": .string(measurement.phase.rawValue), "value": measurement.value.map(JSONValue.string) ?? .null,
                "startedAt": .string(timestamp(measurement.startedAt)),
                "finishedAt": measurement.finishedAt.map { .string(timestamp($0)) } ?? .null,
                "message": measurement.message.map(JSONValue.string) ?? .null,
            ]
        }
        return [
            "name": .string(metric.name), "phase": .string(metric.phase.rawValue), "message": metric.message.map(JSONValue.string) ?? .null,
            "successful": count(metric.successful), "failed": count(metric.failed), "inconclusive": count(metric.inconclusive),
            "error": count(metric.error), "measurements": .array(measurements),
        ]
    }

    static func count(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }

    static func timestamp(_ date: Date) -> String { Date.ISO8601FormatStyle().format(date) }
}
