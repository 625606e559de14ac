import AsyncHTTPClient
import Foundation
import Manifests
import NIOCore
import NIOHTTP1
import NIOPosix

/// A failed call to the Keelson API, as one line for people.
struct APIClientError: Error, CustomStringConvertible {
    /// The HTTP status, or `nil` when the server was not reached.
    var status: Int?
    var description: String
}

/// The REST API as `keelson app` and `keelson rollout` call it: bearer token, JSON in and out, errors that say
/// what to do. The token is sent only in the `Authorization` header and never printed.
struct APIClient {
    /// The server's base URL, without a trailing slash.
    let server: String
    let token: String?
    let timeout: TimeAmount

    /// Largest reply read.
    static let maxReply = 64 << 20

    init(server: String, token: String?, timeout: TimeAmount = .seconds(30)) {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        self.server = base
        self.token = token
        self.timeout = timeout
    }

    /// `GET path` → the JSON reply.
    func get(_ path: String) async throws(APIClientError) -> JSONValue {
        try await send(.GET, path, body: nil).json
    }

    /// `POST path` with a JSON body → status and JSON reply.
    func post(_ path: String, body: JSONValue) async throws(APIClientError) -> (status: Int, json: JSONValue) {
        try await send(.POST, path, body: body)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: JSONValue?) async throws(APIClientError) -> (status: Int, json: JSONValue) {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "keelson-cli")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONWriter.compact(body)))
        }
        // A refused connection fails at once instead of being retried until the deadline.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: Self.maxReply)
            try? await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw APIClientError(status: nil, description: Self.describeTransport(error, server: server))
        }
        let text = String(buffer: bytes)
        let json = try? JSONParser.parse(text, file: "reply of \(method.rawValue) \(path)")
        guard (200..<300).contains(status) else { throw Self.describe(status: status, reply: json, method: method, path: path) }
        guard let json else {
            throw APIClientError(status: status, description: "\(method.rawValue) \(path): the server's reply is not JSON")
        }
        return (status, json)
    }

    /// One line for an HTTP error, using the API's `{"error": {...}}` when present.
    static func describe(status: Int, reply: JSONValue?, method: HTTPMethod, path: String) -> APIClientError {
        let message = reply?["error"]?["message"]?.stringValue
        let line: String
        switch status {
        case 401:
            line = "the server refused the token (401 Unauthorized): pass --token or set KEELSON_TOKEN"
        case 403:
            line = "forbidden (403): " + (message ?? "the token's role does not allow \(method.rawValue) \(path)")
        case 404:
            line = "not found (404): " + (message ?? "\(path)")
        case 409 where reply?["error"]?["reason"]?.stringValue == "Ambiguous":
            line = "conflict (409): " + (message ?? "\(path)") + "; pass --namespace"
        default:
            line = "\(method.rawValue) \(path) failed (\(status)): " + (message ?? "no error message")
        }
        return APIClientError(status: status, description: line)
    }

    static func describeTransport(_ error: any Error, server: String) -> String {
        let text = String(describing: error)
        if isConnectionRefused(error) {
            return "cannot reach the Keelson server at \(server): connection refused (is `keelson controller` running? see --server)"
        }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "the Keelson server at \(server) did not answer in time"
        }
        if let error = error as? NIOTooManyBytesError {
            return "the reply from \(server) is larger than \(maxReply) bytes (\(error))"
        }
        return "cannot reach the Keelson server at \(server): \(text)"
    }

    /// Whether every address of the server refused the connection (ECONNREFUSED).
    static func isConnectionRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            let failures = error.connectionErrors.map(\.error)
            return !failures.isEmpty && failures.allSatisfy(isConnectionRefused)
        }
        return false
    }
}
