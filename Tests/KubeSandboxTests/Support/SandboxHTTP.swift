import Foundation
import KeelsonTesting
import KubeSandbox

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP calls to a sandbox's own endpoints (`/sandbox/...`), which need no credentials.
enum SandboxHTTP {
    /// The status and body text of one request to `endpoint`'s `path` (with its query).
    static func call(
        _ endpoint: SandboxEndpoint, _ path: String, method: String = "GET", body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> (status: Int, text: String) {
        try await LoopbackHTTP.call(endpoint.url + path, method: method, body: body, contentType: contentType)
    }

    /// The parsed JSON answer of a GET.
    static func json(_ endpoint: SandboxEndpoint, _ path: String) async throws -> JSONValueBox {
        try JSONValueBox(try await call(endpoint, path).text)
    }

    /// The shares of each Deployment in `GET /sandbox/traffic`'s entry point `key` (`ns/name`).
    static func shares(_ endpoint: SandboxEndpoint, _ key: String) async throws -> [String: Double] {
        let traffic = try await json(endpoint, "/sandbox/traffic")
        let share = traffic.value["entrypoints"]?[key]?["share"]?.objectValue ?? [:]
        return share.reduce(into: [:]) { $0[$1.key] = $1.value.doubleValue }
    }

    /// The value of the sample of `metric` whose labels include `labels`, in Prometheus text.
    static func sample(_ text: String, _ metric: String, _ labels: [String: String]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") {
            guard let close = line.lastIndex(of: "}") else { continue }
            let pairs = line[line.index(line.startIndex, offsetBy: metric.count + 1)..<close].split(separator: ",")
            let present = Set(pairs.map(String.init))
            guard labels.allSatisfy({ present.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            return Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
