import GoTemplate

extension HelmFunctions {
    /// Sprig's `path` functions and their `filepath` twins (identical on Linux).
    static func paths() -> [String: GoFunction] {
        var map: [String: GoFunction] = [:]
        for prefix in ["", "os"] {
            func name(_ base: String) -> String { prefix.isEmpty ? base : prefix + base.prefix(1).uppercased() + base.dropFirst() }
            map[name("base")] = .stringToString(GoPath.base)
            map[name("dir")] = .stringToString(GoPath.dir)
            map[name("clean")] = .stringToString(GoPath.clean)
            map[name("ext")] = .stringToString(GoPath.ext)
            map[name("isAbs")] = GoFunction([.string]) { a, _ in .bool(a[0].text.hasPrefix("/")) }
        }
        return map
    }
}

/// Go's `path` package.
enum GoPath {
    /// `path.Clean`: the shortest equivalent path.
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `path.Base`: the last element, trailing slashes removed.
    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { trimmed = trimmed[trimmed.index(after: slash)...] }
        return trimmed.isEmpty ? "/" : String(trimmed)
    }

    /// `path.Dir`: everything up to the last slash, cleaned.
    static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return clean("") }
        return clean(String(path[...slash]))
    }

    /// `path.Ext`: from the last dot of the last element.
    static func ext(_ path: String) -> String {
        for index in path.indices.reversed() {
            if path[index] == "/" { return "" }
            if path[index] == "." { return String(path[index...]) }
        }
        return ""
    }
}
