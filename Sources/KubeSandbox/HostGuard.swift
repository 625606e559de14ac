import Hummingbird

/// Refuses requests whose `Host` names something other than the sandbox's own address, the
/// guard against DNS rebinding: a web page on `evil.example` that re-resolves its name to
/// 127.0.0.1 can reach a plain-HTTP sandbox, but its requests still say `Host: evil.example`.
///
/// Accepted: the listen host, `localhost` (and `*.localhost`, which resolves only to loopback),
/// and any IP literal, each with or without a port. A name that is an IP address cannot be
/// rebound, and a request without `Host` cannot come from a browser. Refusals are 403 with a
/// `Status` body, as the API server answers a request it forbids.
struct HostGuard<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    typealias Context = BasicRequestContext

    /// The responder that answers accepted requests.
    let inner: Inner
    /// The host the sandbox listens on, as configured; `nil` accepts every `Host` (with TLS,
    /// a browser cannot present the client certificate the sandbox requires).
    let listenHost: String?

    func respond(to request: Request, context: Context) async throws -> Response {
        if let listenHost, let authority = request.head.authority, !Self.accepts(authority, listenHost: listenHost) {
            return APIResponder.status(
                APIError(.forbidden, "host \"\(authority)\" is not an address of this sandbox (listening on \(listenHost))"))
        }
        return try await inner.respond(to: request, context: context)
    }

    /// Whether `authority` (a `Host` header value) names the sandbox listening on `listenHost`.
    static func accepts(_ authority: String, listenHost: String) -> Bool {
        let host = Self.host(of: authority).lowercased()
        if host == listenHost.lowercased() || host == "localhost" || host.hasSuffix(".localhost") { return true }
        return isIPLiteral(host)
    }

    /// The host part of `host[:port]` or `[v6]:port`, without brackets or a trailing dot.
    static func host(of authority: String) -> String {
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    /// Dotted-quad IPv4 or an IPv6 address (hex digits, colons, and an IPv4 tail).
    static func isIPLiteral(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil }) { return true }
        return host.contains(":") && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
