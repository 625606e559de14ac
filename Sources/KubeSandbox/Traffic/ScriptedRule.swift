import Foundation
import Manifests

/// One rule of the scripted Prometheus: the queries it answers and the answers it gives, in order.
///
/// `{"match": "<regex searched in the query>", "values": [0.99, "empty", "nan", {"error": 503}],
/// "then": 0.5, "series": 2}`: each matching query takes the next of `values`; after the last,
/// `then` repeats (or the last value, without `then`). `series` answers a value with that many
/// series (default 1), labelled `{"series": "0"}`, `{"series": "1"}`, … when more than one.
struct ScriptedRule: Sendable {
    /// One answer.
    enum Answer: Sendable {
        /// A vector whose samples have this value (NaN for `"nan"`).
        case value(Double)
        /// An empty vector.
        case empty
        /// An HTTP error with a Prometheus error body.
        case error(Int)
    }

    static let maximumPatternLength = 1024
    static let maximumValues = 10_000
    static let maximumSeries = 100

    /// The pattern as written; compiled for each match, since a `Regex` is not `Sendable`.
    let source: String
    let values: [Answer]
    let then: Answer?
    let series: Int
    /// How many queries it has answered.
    private(set) var answered = 0

    /// Reads one rule of a `POST /sandbox/prometheus/answers` body.
    init(json: JSONValue) throws(APIError) {
        guard let source = json["match"]?.stringValue, source.count <= Self.maximumPatternLength else {
            throw APIError(.badRequest, "each answer needs \"match\", a regular expression of at most \(Self.maximumPatternLength) characters")
        }
        do {
            _ = try Regex(source)
        } catch {
            throw APIError(.badRequest, "\"match\" \(source) is not a regular expression: \(error)")
        }
        let values = json["values"]?.arrayValue ?? []
        guard values.count <= Self.maximumValues else { throw APIError(.badRequest, "at most \(Self.maximumValues) values per answer") }
        self.source = source
        self.values = try values.map(Self.answer)
        then = try json["then"].map(Self.answer)
        guard !self.values.isEmpty || then != nil else {
            throw APIError(.badRequest, "the answer for \(source) needs \"values\" or \"then\"")
        }
        let series = json["series"]?.intValue ?? 1
        guard (1...Int64(Self.maximumSeries)).contains(series) else {
            throw APIError(.badRequest, "\"series\" must be between 1 and \(Self.maximumSeries)")
        }
        self.series = Int(series)
    }

    /// Whether the rule answers `query`.
    func matches(_ query: String) -> Bool { (try? Regex(source).firstMatch(in: query)) != nil }

    /// The next answer, counted as given.
    mutating func next() -> Answer {
        defer { answered += 1 }
        if answered < values.count { return values[answered] }
        return then ?? values[values.count - 1]
    }

    private static func answer(_ value: JSONValue) throws(APIError) -> Answer {
        if let number = value.doubleValue { return .value(number) }
        switch value.stringValue {
        case "empty": return .empty
        case "nan": return .value(.nan)
        default: break
        }
        if let code = value["error"]?.intValue, (400...599).contains(code) { return .error(Int(code)) }
        throw APIError(.badRequest, "an answer is a number, \"empty\", \"nan\" or {\"error\": <HTTP status 400-599>}")
    }
}
