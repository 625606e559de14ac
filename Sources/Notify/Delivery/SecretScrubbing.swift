import SCM

extension ProviderCredentials {
    /// Every value of the Secret that must never be shown; short ones (under 4 characters)
    /// are left out, as removing them would garble messages without hiding anything.
    var secretValues: [String] {
        let values = [address, token, password, routingKey, apiKey, hmacKey].compactMap { $0 } + Array(headers.values)
        // Longest first, so a token inside a longer secret does not leave the rest behind.
        return Set(values.filter { $0.count >= 4 }).sorted { $0.count > $1.count }
    }
}

/// Makes text safe to show: every secret value replaced by `***`, then every URL cut to scheme,
/// host and first path segment.
enum Scrub {
    static func text(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets { text = text.replacing(secret, with: "***") }
        return Redaction.scrub(text, secret: "")
    }
}
