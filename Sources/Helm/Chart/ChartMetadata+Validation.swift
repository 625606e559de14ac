import KeelsonFoundation

extension ChartMetadata {
    /// Helm's `Metadata.Validate`: sanitises the free-text fields, then checks the required ones.
    mutating func validate() throws(ChartError) {
        for path in [\ChartMetadata.name, \.description, \.home, \.icon, \.condition, \.tags, \.appVersion, \.kubeVersion] {
            self[keyPath: path] = Self.sanitize(self[keyPath: path])
        }
        sources = sources.map(Self.sanitize)
        keywords = keywords.map(Self.sanitize)
        func invalid(_ message: String) -> ChartError { ChartError(.invalidMetadata, "validation: " + message, path: "Chart.yaml") }
        if apiVersion.isEmpty { throw invalid("chart.metadata.apiVersion is required") }
        if name.isEmpty { throw invalid("chart.metadata.name is required") }
        if name != Self.baseName(name) { throw invalid("chart.metadata.name \(goQuote(name)) is invalid") }
        if version.isEmpty { throw invalid("chart.metadata.version is required") }
        if HelmSemver.version(version) == nil { throw invalid("chart.metadata.version \(goQuote(version)) is invalid") }
        if !["", "application", "library"].contains(type) { throw invalid("chart.metadata.type must be application or library") }
        maintainers = maintainers.map { Maintainer(name: Self.sanitize($0.name), email: Self.sanitize($0.email), url: Self.sanitize($0.url)) }
        var seen = Set<String>()
        for index in dependencies.indices {
            var dependency = dependencies[index]
            dependency.name = Self.sanitize(dependency.name)
            dependency.version = Self.sanitize(dependency.version)
            dependency.repository = Self.sanitize(dependency.repository)
            dependency.condition = Self.sanitize(dependency.condition)
            dependency.tags = dependency.tags.map(Self.sanitize)
            if !dependency.alias.isEmpty, !dependency.alias.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                throw invalid("dependency \(goQuote(dependency.name)) has disallowed characters in the alias")
            }
            let key = dependency.alias.isEmpty ? dependency.name : dependency.alias
            guard seen.insert(key).inserted else {
                throw invalid("more than one dependency with name or alias \(goQuote(key))")
            }
            dependencies[index] = dependency
        }
    }

    /// Whitespace becomes a space, unprintable characters are dropped (Go's `unicode.IsPrint`, roughly).
    static func sanitize(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    if scalar.properties.isWhitespace { return " " }
                    switch scalar.properties.generalCategory {
                    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return nil
                    default: return scalar
                    }
                }))
    }

    /// Go's `filepath.Base`.
    static func baseName(_ path: String) -> String {
        if path.isEmpty { return "." }
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        return String(trimmed.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    }
}

/// Versions and ranges as Helm reads them with Masterminds semver v3.
enum HelmSemver {
    /// `semver.NewVersion`: an optional `v`, one to three numbers (leading zeros allowed), a
    /// pre-release (numeric identifiers without leading zeros) and build metadata.
    static func version(_ text: String) -> SemanticVersion? {
        var rest = Substring(text)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        var build = ""
        if let plus = rest.firstIndex(of: "+") {
            build = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard SemanticVersion.identifiersValid(build, numeric: false) else { return nil }
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            let text = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard SemanticVersion.identifiersValid(text, numeric: true) else { return nil }
            prerelease = text.split(separator: ".").map(String.init)
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [UInt64] = [0, 0, 0]
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty, part.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = UInt64(part) else { return nil }
            numbers[index] = number
        }
        return SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease: prerelease, build: build)
    }

    /// Helm's `IsCompatibleRange`: false when either side does not parse.
    static func isCompatible(range: String, version: String) -> Bool {
        guard let parsed = self.version(version), let constraint = try? VersionRange(range) else { return false }
        return constraint.contains(parsed)
    }
}
