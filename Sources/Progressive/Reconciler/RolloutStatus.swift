import Foundation
import Manifests

/// What a Rollout's `status` holds: the machine's state and the engine's bookkeeping around it.
public struct RolloutStatus: Codable, Sendable, Hashable {
    /// The machine's state.
    public var state = RolloutState()
    /// The weight the last tick wrote to the cluster (a route is applied once it equals the state's).
    public var appliedWeight: Int?
    /// A digest of the objects the last write sent, and when: unchanged objects are not sent again.
    public var appliedDigest: String?
    public var appliedAt: Date?
    /// The share of ready pods running the canary, in percent.
    public var actualWeight: Int?
    /// The analysis runs in progress or last finished, by slot (`step`, `background`).
    public var analysis: [String: AnalysisSlot] = [:]
    /// Where the rollout's hooks stand.
    public var gates: GateStatus?
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

/// Codable values to and from `JSONValue`, the way Kubernetes stores them: sorted keys and
/// RFC 3339 times to the second (a value read back decides exactly as the one written).
enum JSONCoding {
    static func encode(_ value: some Encodable) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle().format(second(date)))
        }
        // Encoding plain values with a fixed strategy cannot fail, and the result parses.
        guard let data = try? encoder.encode(value), let json = try? JSONParser.parse(Array(data)) else { return .null }
        return json
    }

    /// `value` decoded, or nil when it is not a `T`.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) -> T? { try? decoded(type, from: value) }

    /// `value` decoded, throwing why it is not a `T`.
    static func decoded<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return second(date) }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an RFC 3339 time")
        }
        return try decoder.decode(type, from: Data(JSONWriter.compact(value).utf8))
    }

    /// `date` without its fraction of a second.
    static func second(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
}
