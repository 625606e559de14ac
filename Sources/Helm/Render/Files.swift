import Foundation
import GoTemplate
import KeelsonFoundation

/// `.Files`: a chart's non-template files by path, with Helm's accessor methods.
public struct Files: GoObject {
    /// The files' bytes by chart-relative path.
    public var contents: [String: [UInt8]]
    /// How `AsConfig` and `AsSecrets` write their map as YAML (Helm's `toYaml`).
    private let encodeYAML: @Sendable (Value) -> String

    /// Creates the object; `encodeYAML` is Helm's `toYaml`.
    public init(_ contents: [String: [UInt8]], encodeYAML: @escaping @Sendable (Value) -> String) {
        self.contents = contents
        self.encodeYAML = encodeYAML
    }

    public var goType: GoType { GoType("engine.files") }
    public func field(_ name: String) -> Value? { nil }
    public var underlying: Value? { .map(contents.mapValues { .bytes($0) }, element: GoType("[]uint8")) }
    public var jsonValue: Value { underlying! }
    public var formatted: String { underlying!.formatted }

    public func method(_ name: String) -> GoFunction? {
        switch name {
        case "GetBytes": GoFunction([.string]) { arguments, _ in .bytes(contents[Self.string(arguments[0])] ?? []) }
        case "Get": GoFunction([.string]) { arguments, _ in .string(GoString.decode(contents[Self.string(arguments[0])] ?? [])) }
        case "Glob": GoFunction([.string]) { arguments, _ in .object(glob(Self.string(arguments[0]))) }
        case "Lines": GoFunction([.string]) { arguments, _ in .list(lines(Self.string(arguments[0])).map { .string($0) }, element: .string) }
        case "AsConfig": GoFunction([]) { _, _ in .string(asMap { GoString.decode($0) }) }
        case "AsSecrets": GoFunction([]) { _, _ in .string(asMap { Data($0).base64EncodedString() }) }
        default: nil
        }
    }

    /// The files whose path matches `pattern`: `*` and `?` stay within one path component, `**`
    /// crosses them (gobwas/glob with `/` as separator, as Helm compiles it).
    public func glob(_ pattern: String) -> Files {
        let matcher = try? Glob(pattern)
        let selected = contents.filter { path, _ in
            guard let matcher else { return true }
            // Helm matches whole paths: a pattern without `/` selects top-level files only.
            if !pattern.contains("/"), path.contains("/"), !pattern.contains("**") { return false }
            return matcher.matches(path)
        }
        return Files(selected, encodeYAML: encodeYAML)
    }

    /// The lines of a file (a final newline does not make an empty last line); none for a missing file.
    public func lines(_ path: String) -> [String] {
        guard let bytes = contents[path], !bytes.isEmpty else { return [] }
        var text = GoString.decode(bytes)
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func asMap(_ transform: ([UInt8]) -> String) -> String {
        guard !contents.isEmpty else { return "" }
        var map: [String: Value] = [:]
        for (path, bytes) in contents { map[String(path.split(separator: "/").last ?? "")] = .string(transform(bytes)) }
        return encodeYAML(.map(map, element: .string))
    }

    private static func string(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return ""
    }
}
