import GoTemplate
import KeelsonFoundation

extension HelmFunctions {
    /// Sprig's `semver` and `semverCompare` (Masterminds/semver v3 rules, through KeelsonFoundation's `VersionRange`).
    static func semver() -> [String: GoFunction] {
        [
            "semver": GoFunction([.string]) { a, _ in .object(try SemverObject.parse(a[0].text)) },
            "semverCompare": GoFunction([.string, .string]) { a, _ in
                let range: VersionRange
                do {
                    range = try VersionRange(a[0].text)
                } catch {
                    throw GoFunctionError("improper constraint: " + GoQuote.quote(a[0].text))
                }
                let version = try SemverObject.parse(a[1].text)
                return .bool(range.contains(version.version))
            },
        ]
    }
}

/// A `*semver.Version` as templates see it: `Major`, `Minor`, `Patch`, `Prerelease`, `Metadata`, `Original`.
struct SemverObject: GoObject {
    let version: SemanticVersion
    let original: String

    static func parse(_ text: String) throws(GoFunctionError) -> SemverObject {
        guard !text.hasPrefix("V"), let version = SemanticVersion(lenient: text) else { throw GoFunctionError("invalid semantic version") }
        return SemverObject(version: version, original: text)
    }

    var goType: GoType { GoType("*semver.Version") }
    func field(_ name: String) -> Value? { nil }

    func method(_ name: String) -> GoFunction? {
        let value: Value
        switch name {
        case "Major": value = .int(Int64(bitPattern: version.major), .uint64)
        case "Minor": value = .int(Int64(bitPattern: version.minor), .uint64)
        case "Patch": value = .int(Int64(bitPattern: version.patch), .uint64)
        case "Prerelease": value = .string(version.prerelease.joined(separator: "."))
        case "Metadata": value = .string(version.build)
        case "Original": value = .string(original)
        case "String": value = .string(formatted)
        default: return nil
        }
        return GoFunction([]) { _, _ in value }
    }

    var jsonValue: Value { .string(formatted) }
    var formatted: String {
        var text = "\(version.major).\(version.minor).\(version.patch)"
        if version.isPrerelease { text += "-" + version.prerelease.joined(separator: ".") }
        if !version.build.isEmpty { text += "+" + version.build }
        return text
    }
}
