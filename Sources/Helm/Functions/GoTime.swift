import Foundation
import GoTemplate

/// A Go `time.Time`: an instant with nanoseconds and a location, as `now`, `toDate` and `dateModify` return.
struct GoTime: GoObject {
    /// Seconds since the Unix epoch.
    var seconds: Int64
    /// Nanoseconds within the second.
    var nanoseconds: Int64
    /// The location the time prints in.
    var zone: TimeZone
    /// A name the zone prints as instead of its abbreviation, as `time.FixedZone` gives one (`date-local`).
    var zoneName: String?
    /// Whether the time carries a monotonic reading (`time.Now`), which `%v` prints as `m=+…`.
    var monotonic = false

    /// Go's zero time, `0001-01-01 00:00:00 +0000 UTC`.
    static let zero = GoTime(seconds: -62_135_596_800, nanoseconds: 0, zone: .goUTC)

    init(seconds: Int64, nanoseconds: Int64, zone: TimeZone, monotonic: Bool = false) {
        (self.seconds, self.nanoseconds, self.zone, self.monotonic) = (seconds, nanoseconds, zone, monotonic)
    }

    init(_ date: Date, zone: TimeZone, monotonic: Bool = false) {
        let whole = date.timeIntervalSince1970.rounded(.down)
        self.init(
            seconds: Int64(whole), nanoseconds: Int64(((date.timeIntervalSince1970 - whole) * 1e9).rounded(.down)), zone: zone,
            monotonic: monotonic)
    }

    /// The time plus `nanoseconds`, without the monotonic reading (as Go's `Add` keeps it, but prints the same).
    func adding(nanoseconds delta: Int64) -> GoTime {
        let total = nanoseconds + delta % 1_000_000_000
        var copy = self
        copy.seconds = seconds + delta / 1_000_000_000 + Int64((Double(total) / 1e9).rounded(.down))
        copy.nanoseconds = ((total % 1_000_000_000) + 1_000_000_000) % 1_000_000_000
        return copy
    }

    /// The same instant in another location.
    func inZone(_ zone: TimeZone) -> GoTime {
        var copy = self
        copy.zone = zone
        return copy
    }

    /// Nanoseconds from `other` to this time.
    func nanoseconds(since other: GoTime) -> Int64 { (seconds - other.seconds) * 1_000_000_000 + (nanoseconds - other.nanoseconds) }

    var goType: GoType { GoType("time.Time") }
    func field(_ name: String) -> Value? { nil }

    func method(_ name: String) -> GoFunction? {
        switch name {
        case "Unix": return GoFunction([]) { _, _ in .int64(seconds) }
        case "UnixNano": return GoFunction([]) { _, _ in .int64(seconds &* 1_000_000_000 &+ nanoseconds) }
        case "Year": return GoFunction([]) { _, _ in .int(GoTimeFormat.components(self).year) }
        case "Format": return GoFunction([.string]) { a, _ in .string(GoTimeFormat.format(self, a[0].text)) }
        case "UTC": return GoFunction([]) { _, _ in .object(inZone(.goUTC)) }
        case "String": return GoFunction([]) { _, _ in .string(formatted) }
        default: return nil
        }
    }

    var jsonValue: Value { .string(GoTimeFormat.format(self, "2006-01-02T15:04:05.999999999Z07:00")) }
    var formatted: String {
        GoTimeFormat.format(self, "2006-01-02 15:04:05.999999999 -0700 MST") + (monotonic ? " m=+0.000000001" : "")
    }
}

extension TimeZone {
    /// UTC as Go names it.
    static let goUTC = TimeZone(identifier: "UTC")!

    /// Go's `time.LoadLocation`: `""` and `UTC` are UTC, `Local` the machine's zone, else an IANA name.
    static func goLocation(_ name: String) -> TimeZone? {
        switch name {
        case "", "UTC": return .goUTC
        case "Local": return .current
        default: return TimeZone(identifier: name)
        }
    }

    /// The abbreviation Go prints for `MST` (`UTC`, `CET`, or the numeric offset when the zone has none).
    func goAbbreviation(at date: Date) -> String {
        if identifier == "UTC" || identifier == "Etc/UTC" || identifier == "GMT" && secondsFromGMT(for: date) == 0 { return "UTC" }
        if let abbreviation = abbreviation(for: date), !abbreviation.hasPrefix("GMT") { return abbreviation }
        let offset = secondsFromGMT(for: date)
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        return (offset < 0 ? "-" : "+") + (hours < 10 ? "0" : "") + String(hours) + (minutes < 10 ? "0" : "") + String(minutes)
    }
}
