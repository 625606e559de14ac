import Foundation
import Manifests

/// What a Rollout's `status` holds: the machine's state and the engine's bookkeeping around it.
public struct RolloutStatus: Codable, Sendable, Hashable {
    /// The machine's state.
    public var state = RolloutState()
    /// The weight the last tick wrote to the cluster (a route is applied once it equals the state's).
    public var appliedWeight: Int?
    /// The share of ready pods running the canary, in percent.
    public var actualWeight: Int?
    /// The analysis runs in progress or last finished, by slot (`step`, `background`).
    public var analysis: [String: AnalysisSlot] = [:]
    /// The objects the rollout generated.
    public var generated: [String] = []
    /// The generation of the spec this status is about.
    public var observedGeneration: Int64?
    /// What an aborted rollout makes of the Application's health (`Healthy` or `Degraded`).
    public var abortedHealth: String?

    public init() {}

    /// The status in `rollout`, or a fresh one.
    public init(_ rollout: Manifest) {
        self = rollout.object["status"].flatMap { JSONCoding.decode(RolloutStatus.self, from: $0) } ?? RolloutStatus()
    }

    /// The status as the JSON the API server stores.
    public var json: JSONValue { JSONCoding.encode(self) }
}

/// One analysis run the engine keeps for a slot.
public struct AnalysisSlot: Codable, Sendable, Hashable {
    /// The templates and arguments it runs.
    public var templates: [String]
    public var args: [String: String]
    /// The run's own state, as the analysis runner keeps it.
    public var run: JSONValue?
    /// The verdict so far: running, successful, failed, error or inconclusive.
    public var outcome: String
    /// Words for people: the last measurement or why it failed.
    public var message: String

    public init(templates: [String], args: [String: String], run: JSONValue?, outcome: String, message: String) {
        self.templates = templates
        self.args = args
        self.run = run
        self.outcome = outcome
        self.message = message
    }
}

/// Codable values to and from `JSONValue`, the way Kubernetes stores them (RFC 3339 dates).
enum JSONCoding {
    static func encode(_ value: some Encodable) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value), let json = try? JSONParser.parse(Array(data)) else { return .null }
        return json
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) -> T? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(type, from: Data(JSONWriter.compact(value).utf8))
    }
}
