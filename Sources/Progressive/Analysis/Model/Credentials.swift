import Foundation

/// Request headers read from a Secret (`token` → Bearer, `username`/`password` → Basic,
/// `headers` → one `Name: value` per line). Printing it shows no value, and `secrets` lists
/// what messages must never contain.
public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The headers to send.
    public var headers: [String: String]
    /// Every value from the Secret, to scrub from messages.
    public var secrets: [String]

    /// No credentials.
    public static let none = Credentials(headers: [:], secrets: [])

    /// Creates credentials.
    public init(headers: [String: String], secrets: [String]) {
        self.headers = headers
        self.secrets = secrets
    }

    /// The headers a Secret's decoded `data` gives; `path` names the secretRef in a refusal.
    public init(secretData data: [String: String], path: String) throws(AnalysisSpecError) {
        var headers: [String: String] = [:]
        if let token = data["token"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            headers["Authorization"] = "Bearer " + token
        }
        switch (data["username"], data["password"]) {
        case (let username?, let password?):
            headers["Authorization"] = "Basic " + Data((username + ":" + password).utf8).base64EncodedString()
        case (nil, nil): break
        default: throw AnalysisSpecError(.invalidField, path: path, "the Secret has one of username and password without the other")
        }
        for line in (data["headers"] ?? "").split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw AnalysisSpecError(.invalidField, path: path, "the Secret's headers must be lines of Name: value")
            }
            headers[line[..<colon].trimmingCharacters(in: .whitespaces)] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.init(headers: headers, secrets: Array(data.values).filter { $0.count >= 4 } + Array(headers.values))
    }

    /// `2 headers`, never their values.
    public var description: String { "\(headers.count) header\(headers.count == 1 ? "" : "s")" }
    /// As `description`.
    public var debugDescription: String { description }

    /// `text` with every secret value replaced by `***`.
    func scrub(_ text: String) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
