import Foundation

extension HTTPReceiver {
    /// One request as received.
    public struct Request: Sendable, Hashable {
        /// `GET`, `POST`, …
        public var method: String
        /// The request target: path and query, percent-encoding untouched.
        public var path: String
        /// Header values by lower-cased name; repeated headers joined with ", ".
        public var headers: [String: String]
        /// The body bytes.
        public var body: [UInt8]

        /// Creates a request record.
        public init(method: String, path: String, headers: [String: String], body: [UInt8]) {
            self.method = method
            self.path = path
            self.headers = headers
            self.body = body
        }

        /// The value of header `name`, in any case.
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as a JSON object, or nil.
        public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
        /// `path` without its query.
        public var pathWithoutQuery: String { String(path.prefix { $0 != "?" }) }
        /// The query parameters, percent-decoded; the last of a repeated name wins.
        public var query: [String: String] {
            guard let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
            var parameters: [String: String] = [:]
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                parameters[name] = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            }
            return parameters
        }
    }

    /// An answer from a handler.
    public struct Response: Sendable, Hashable {
        /// The HTTP status.
        public var status: Int
        /// Extra headers.
        public var headers: [String: String]
        /// The body.
        public var body: [UInt8]

        /// Creates an answer.
        public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// An answer with `value` (arrays, dictionaries, strings, numbers, booleans, NSNull) as its JSON body.
        public static func json(_ status: Int, _ value: Any, headers: [String: String] = [:]) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            return Response(status: status, headers: headers.merging(["Content-Type": "application/json"]) { mine, _ in mine }, body: Array(data))
        }
    }

    /// Scripted answers for the requests under one path prefix.
    public struct Script: Sendable, Hashable {
        /// The statuses answered in turn; the last one repeats. Empty means 200.
        public var statuses: [Int]
        /// A `Retry-After` header value for every scripted answer.
        public var retryAfter: String?
        /// How long to wait before answering (to trip a client's timeout).
        public var delay: Duration?
        /// The body of every scripted answer. Without one, a 2xx step goes to the handler when
        /// there is one, so a test can put failures in front of `FakeSCM`'s state.
        public var body: [UInt8]?
        /// Extra headers on every scripted answer.
        public var headers: [String: String]

        /// Creates a script.
        public init(statuses: [Int], retryAfter: String? = nil, delay: Duration? = nil, body: [UInt8]? = nil, headers: [String: String] = [:]) {
            self.statuses = statuses
            self.retryAfter = retryAfter
            self.delay = delay
            self.body = body
            self.headers = headers
        }

        /// The status answered to the `n`th request (from 0).
        func status(forRequest n: Int) -> Int { statuses.isEmpty ? 200 : statuses[min(n, statuses.count - 1)] }
    }
}
