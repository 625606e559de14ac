import Crypto
import Foundation
import Manifests
import Synchronization

/// Injected failures, set through `POST /sandbox/faults`.
///
/// Body (every field optional): `{"errorRate": 0.5, "codes": [500, 429, 409], "latencyMs": 200,
/// "dropWatches": true}`. `errorRate` is the share of API requests (0…1) answered with one of
/// `codes` (chosen at random); `latencyMs` delays every API request; `dropWatches` closes every
/// open watch once. `DELETE /sandbox/faults` clears all faults; `GET` shows them together with
/// `openWatches`, the number of watch streams currently open, and the counters `requests` (API
/// requests seen), `injected` (failures injected) and `bearerTokens` (SHA-256 digests of the
/// bearer tokens clients sent, so tests can check credentials arrived without the sandbox
/// keeping them). Counters run from the start and are never reset.
public struct FaultConfiguration: Sendable, Hashable {
    /// The share of requests that fail, 0…1.
    public var errorRate: Double
    /// The HTTP codes failures use.
    public var codes: [Int]
    /// Extra latency per request, in milliseconds.
    public var latencyMs: Int

    /// No faults.
    public init(errorRate: Double = 0, codes: [Int] = [500], latencyMs: Int = 0) {
        self.errorRate = errorRate
        self.codes = codes
        self.latencyMs = latencyMs
    }

    /// Reads the admin endpoint's JSON body.
    init(json: JSONValue) throws(APIError) {
        self.init()
        if let rate = json["errorRate"]?.doubleValue {
            guard (0...1).contains(rate) else { throw APIError(.badRequest, "errorRate must be between 0 and 1") }
            errorRate = rate
        }
        if let codes = json["codes"]?.arrayValue {
            let parsed = codes.compactMap(\.intValue).map(Int.init)
            guard !parsed.isEmpty, parsed.allSatisfy({ [409, 429, 500, 503, 504].contains($0) }) else {
                throw APIError(.badRequest, "codes must be a non-empty list of 409, 429, 500, 503 or 504")
            }
            self.codes = parsed
        }
        if let latency = json["latencyMs"]?.intValue { latencyMs = Int(max(0, latency)) }
    }

    /// The JSON shown by `GET /sandbox/faults`.
    var json: JSONValue {
        [
            "errorRate": .number(JSONNumber(errorRate)), "codes": .array(codes.map { .int($0) }),
            "latencyMs": .int(latencyMs),
        ]
    }
}

/// Decides, per request, whether to inject a failure.
final class FaultInjector: Sendable {
    /// What the sandbox has seen, for tests that count attempts.
    struct Counters: Sendable {
        var requests = 0
        var injected = 0
        var bearerTokenDigests: Set<String> = []
    }

    /// The most distinct bearer tokens remembered.
    static let maximumTokenDigests = 1_000

    private let state = Mutex(FaultConfiguration())
    private let counters = Mutex(Counters())

    /// The counters so far.
    var seen: Counters { counters.withLock { $0 } }

    /// Counts one API request and remembers the digest of its bearer token, if any.
    func record(authorization: String?) {
        let digest = authorization.flatMap { header -> String? in
            guard header.hasPrefix("Bearer ") else { return nil }
            return SHA256.hash(data: Array(header.utf8.dropFirst(7))).map { String(format: "%02x", $0) }.joined()
        }
        counters.withLock {
            $0.requests += 1
            // Bounded, so a long-running sandbox with rotating tokens does not grow without end.
            if let digest, $0.bearerTokenDigests.count < Self.maximumTokenDigests { $0.bearerTokenDigests.insert(digest) }
        }
    }

    /// The current configuration.
    var configuration: FaultConfiguration {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// The failure to answer this request with, if any.
    func failure() -> APIError? {
        let config = configuration
        guard config.errorRate > 0, Double.random(in: 0..<1) < config.errorRate, let code = config.codes.randomElement() else {
            return nil
        }
        counters.withLock { $0.injected += 1 }
        switch code {
        case 409: return APIError(.conflict, "injected fault: the object has been modified; please try again")
        case 429: return APIError(.tooManyRequests, "injected fault: too many requests, please try again later")
        case 503: return APIError(.serviceUnavailable, "injected fault: the server is currently unable to handle the request")
        case 504: return APIError(.timeout, "injected fault: the server was unable to return a response in the time allotted")
        default: return APIError(.internalError, "injected fault: an error on the server has prevented the request from succeeding")
        }
    }
}
