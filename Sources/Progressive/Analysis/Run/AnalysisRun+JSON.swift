import Foundation
import Manifests

extension AnalysisRun {
    /// The run as stored in `Rollout.status`: camelCase keys, RFC 3339 dates to the second,
    /// absent optionals left out.
    public var json: JSONValue {
        // Encoding plain values with a fixed strategy cannot fail, and the result parses.
        let data = (try? Self.encoder.encode(self)) ?? Data("{}".utf8)
        return (try? JSONParser.parse(Array(data))) ?? [:]
    }

    /// Reads a run stored by `json`.
    public init(json: JSONValue) throws(AnalysisSpecError) {
        do {
            self = try Self.decoder.decode(AnalysisRun.self, from: Data(JSONWriter.compact(json).utf8))
        } catch {
            throw AnalysisSpecError(.invalidField, path: "status.analysis", "is not an analysis run Keelson wrote: \(error)")
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle().format(AnalysisRun.second(date)))
        }
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return AnalysisRun.second(date) }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an RFC 3339 time")
        }
        return decoder
    }
}
