import Foundation
import Manifests

extension AnalysisRun {
    /// The run as stored in `Rollout.status`: camelCase keys, RFC 3339 dates to the second,
    /// absent optionals left out.
    public var json: JSONValue { JSONCoding.encode(self) }

    /// Reads a run stored by `json`.
    public init(json: JSONValue) throws(AnalysisSpecError) {
        do {
            self = try JSONCoding.decoded(AnalysisRun.self, from: json)
        } catch {
            throw AnalysisSpecError(.invalidField, path: "status.analysis", "is not an analysis run Keelson wrote: \(error)")
        }
    }
}
