import KeelsonFoundation

/// The names of measurement Jobs: `<rollout>-<run>-<metric>-<n>`, lower-case, at most 63
/// characters (the Job controller copies the name into a pod label). A name cut short keeps a
/// hash of the whole, so two measurements never share one.
enum JobName {
    static let maximumLength = 63

    static func make(rollout: String, runID: String, metric: String, ordinal: Int) -> String {
        let full = "\(rollout)-\(runID)-\(metric)-\(ordinal)"
        let clean = String(full.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        guard clean.count > maximumLength else { return clean }
        let hash = String(FNV1a.hash32(Array(full.utf8)), radix: 16)
        let suffix = "-\(hash)-\(ordinal)"
        var head = String(clean.prefix(maximumLength - suffix.count))
        while head.hasSuffix("-") { head.removeLast() }
        return head + suffix
    }
}
