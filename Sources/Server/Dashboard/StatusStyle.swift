import Foundation
import Manifests

/// How statuses look: a fixed table from status word to badge class, so that no text from
/// the API ever becomes a CSS class, and a short age (`45s`, `12m`, `3h`, `9d`) like kubectl's.
public enum StatusStyle {
    /// Badge class per sync, health, resource-sync and result word; anything else is `muted`.
    static let badgeClasses: [String: String] = [
        "Synced": "ok", "OutOfSync": "warn", "Missing": "warn", "Extraneous": "warn",
        "Healthy": "ok", "Progressing": "info", "Degraded": "bad", "Suspended": "muted",
        "Succeeded": "ok", "Failed": "bad", "True": "ok", "False": "warn",
        // Rollout phases, delivery verdicts and analysis outcomes.
        "Paused": "warn", "Promoting": "info", "Aborted": "bad", "RolledBack": "bad", "Error": "bad", "Superseded": "muted",
        "Successful": "ok", "Inconclusive": "warn", "Running": "info",
    ]

    /// The badge class for a status word.
    static func badge(_ status: String) -> String { badgeClasses[status] ?? "muted" }

    /// The age of an RFC 3339 time relative to `now` (`45s`, `12m`, `3h`, `9d`), or `""`.
    public static func age(of timestamp: String, now: Date) -> String {
        guard let date = parseTime(timestamp) else { return "" }
        return age(seconds: Int(now.timeIntervalSince(date)))
    }

    /// `45s`, `12m`, `3h`, `9d` for a number of seconds (negative counts as 0).
    public static func age(seconds: Int) -> String {
        let s = max(0, seconds)
        if s < 120 { return "\(s)s" }
        if s < 120 * 60 { return "\(s / 60)m" }
        if s < 48 * 3600 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }

    /// An RFC 3339 time with or without fractional seconds.
    static func parseTime(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(text)
    }

    /// The first 7 characters of a commit (all of a tag or branch name up to 24).
    public static func shortRevision(_ revision: String) -> String {
        let isHex = revision.count >= 32 && revision.allSatisfy(\.isHexDigit)
        return isHex ? String(revision.prefix(7)) : String(revision.prefix(24))
    }
}

extension JSONValue {
    /// A scalar as people read it (`"a"` → `a`, `3`, `true`); `""` for null, arrays and objects.
    public var displayText: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n.description
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }
}
