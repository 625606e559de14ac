import KeelsonFoundation
import Manifests

/// An HTTP endpoint answering JSON, read with a small JSON path.
public struct WebSource: Sendable, Hashable {
    /// `GET` or `POST`.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// `GET`.
        case get = "GET"
        /// `POST`.
        case post = "POST"
    }

    /// The URL, with tags.
    public var url: AnalysisText
    /// The method (GET by default).
    public var method: Method
    /// The request body, with tags.
    public var body: AnalysisText?
    /// The Secret whose `token`, `username`/`password` or `headers` become request headers.
    public var secretRef: String?
    /// Where the value sits in the answer; nil reads the whole answer.
    public var jsonPath: JSONPathExpression?
    /// How long one request may take (10s by default, as Argo's web metric).
    public var timeout: Duration

    /// The default timeout.
    public static let defaultTimeout = Duration.seconds(10)

    /// Reads `web` at `path`.
    init(_ value: JSONValue?, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) {
        let reader = try SpecReader(value, path: path)
        try reader.refuseUnknown(["url", "method", "body", "secretRef", "jsonPath", "timeout"])
        let urlText = try reader.requiredString("url")
        _ = try Self.httpURL(urlText, path: reader.at("url"))
        url = try AnalysisText(urlText, path: reader.at("url"), vocabulary: vocabulary)
        let methodText = try reader.string("method")?.uppercased() ?? "GET"
        guard let method = Method(rawValue: methodText) else {
            throw AnalysisSpecError(.invalidField, path: reader.at("method"), "must be GET or POST, not \(methodText)")
        }
        self.method = method
        body = try reader.text("body", vocabulary: vocabulary)
        if body != nil, method == .get {
            throw AnalysisSpecError(.invalidField, path: reader.at("body"), "is only sent with method POST")
        }
        secretRef = try SecretReference.name(reader, "secretRef")
        jsonPath = try reader.string("jsonPath").map { text throws(AnalysisSpecError) in
            try JSONPathExpression(text, path: reader.at("jsonPath"))
        }
        timeout = try reader.duration("timeout") ?? Self.defaultTimeout
    }

    /// `text` when it is an http(s) URL, without a trailing slash; refused otherwise.
    static func httpURL(_ text: String, path: String) throws(AnalysisSpecError) -> String {
        let scheme = text.prefix { $0 != ":" }
        let rest = text.dropFirst(scheme.count)
        guard scheme == "http" || scheme == "https", rest.hasPrefix("://"), rest.count > 3, !rest.dropFirst(3).hasPrefix("/") else {
            throw AnalysisSpecError(.invalidField, path: path, "must be an http:// or https:// URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
