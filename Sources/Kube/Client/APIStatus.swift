import Manifests

/// The Kubernetes API `Status` object a server returns with a failed request.
public struct APIStatus: Sendable, Hashable {
    /// One field-level cause in `details.causes`.
    public struct Cause: Sendable, Hashable {
        /// The machine-readable reason, e.g. `FieldValueInvalid`.
        public var reason: String
        /// The human-readable message.
        public var message: String
        /// The field the cause is about, e.g. `spec.replicas`.
        public var field: String

        /// Creates a cause.
        public init(reason: String = "", message: String = "", field: String = "") {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// `Success` or `Failure`.
    public var status: String
    /// The HTTP status code the server reported.
    public var code: Int
    /// The machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`.
    public var reason: String
    /// The human-readable message.
    public var message: String
    /// `details.name`.
    public var name: String
    /// `details.group`.
    public var group: String
    /// `details.kind`.
    public var kind: String
    /// `details.retryAfterSeconds`, when the server suggested a delay.
    public var retryAfterSeconds: Int?
    /// `details.causes`.
    public var causes: [Cause]

    /// Creates a status.
    public init(
        status: String = "Failure", code: Int, reason: String = "", message: String = "", name: String = "",
        group: String = "", kind: String = "", retryAfterSeconds: Int? = nil, causes: [Cause] = []
    ) {
        self.status = status
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.retryAfterSeconds = retryAfterSeconds
        self.causes = causes
    }

    /// Reads a `Status` object; `nil` when `value` is not one.
    public init?(_ value: JSONValue) {
        guard value["kind"]?.stringValue == "Status" else { return nil }
        let details = value["details"]
        self.init(
            status: value["status"]?.stringValue ?? "Failure",
            code: Int(value["code"]?.intValue ?? 0),
            reason: value["reason"]?.stringValue ?? "",
            message: value["message"]?.stringValue ?? "",
            name: details?["name"]?.stringValue ?? "",
            group: details?["group"]?.stringValue ?? "",
            kind: details?["kind"]?.stringValue ?? "",
            retryAfterSeconds: details?["retryAfterSeconds"]?.intValue.map { Int($0) },
            causes: (details?["causes"]?.arrayValue ?? []).map { cause in
                Cause(
                    reason: cause["reason"]?.stringValue ?? "",
                    message: cause["message"]?.stringValue ?? "",
                    field: cause["field"]?.stringValue ?? ""
                )
            }
        )
    }

    /// A status for a reply that carried none: the reason is derived from the HTTP code,
    /// as client-go does.
    public static func fromHTTP(code: Int, body: String) -> APIStatus {
        let reason = reasonForCode[code] ?? (code >= 500 ? "InternalError" : "Unknown")
        let trimmed = body.count > 512 ? String(body.prefix(512)) + "…" : body
        let message = trimmed.isEmpty ? "the server responded with HTTP \(code)" : trimmed
        return APIStatus(code: code, reason: reason, message: message)
    }

    /// The reasons client-go assumes for bare HTTP codes.
    static let reasonForCode: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
        406: "NotAcceptable", 409: "Conflict", 410: "Expired", 413: "RequestEntityTooLarge",
        415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests", 500: "InternalError",
        503: "ServiceUnavailable", 504: "Timeout",
    ]
}
