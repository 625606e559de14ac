/// The `format` checks draft 7 asserts, for the formats charts use.
enum SchemaFormats {
    /// Why `text` is not a valid `format`, or nil when it is (or the format is not checked).
    static func check(_ format: String, _ text: String) -> String? {
        switch format {
        case "email", "idn-email":
            guard let at = text.lastIndex(of: "@") else { return "missing @" }
            if text[..<at].isEmpty { return "empty local part" }
            if text[text.index(after: at)...].isEmpty { return "empty domain" }
            return nil
        case "ipv4":
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return "expected four decimals" }
            for part in parts {
                guard let number = UInt8(part), part == "0" || !part.hasPrefix("0") else { return "invalid decimal \(goQuote(String(part)))" }
                _ = number
            }
            return nil
        default:
            return nil
        }
    }
}
