/// Git repository URLs reduced to one comparable form, so a push to
/// `git@GitHub.com:team/app.git` refreshes the Application watching
/// `https://github.com/team/app`.
public enum RepositoryURL {
    /// `host/path` in lower-case host, without scheme, credentials, port-less default ports,
    /// trailing `/` or `.git`.
    public static func normalize(_ url: String) -> String {
        var rest = Substring(url.trimmingCharacters(in: " \t\n"))
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
        } else if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
            // scp-like `user@host:path`
            rest = rest[..<colon] + "/" + rest[rest.index(after: colon)...]
        }
        if let at = rest.firstIndex(of: "@"), rest[..<at].firstIndex(of: "/") == nil { rest = rest[rest.index(after: at)...] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var host = rest[..<slash].lowercased()
        for port in [":443", ":80", ":22"] where host.hasSuffix(port) { host.removeLast(port.count) }
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix(".git") { path.removeLast(4) }
        return host + path
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
