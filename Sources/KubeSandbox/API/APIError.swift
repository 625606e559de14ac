import Hummingbird
import Manifests

/// An error the sandbox reports to clients as a Kubernetes `Status` object.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `Status.reason` vocabulary of the Kubernetes API, with its HTTP code.
    public enum Code: String, Sendable, Hashable {
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case invalid = "Invalid"
        case badRequest = "BadRequest"
        case forbidden = "Forbidden"
        case methodNotAllowed = "MethodNotAllowed"
        case notAcceptable = "NotAcceptable"
        case unsupportedMediaType = "UnsupportedMediaType"
        case gone = "Gone"
        case expired = "Expired"
        case tooManyRequests = "TooManyRequests"
        case internalError = "InternalError"
        case serviceUnavailable = "ServiceUnavailable"
        case timeout = "Timeout"
        case requestEntityTooLarge = "RequestEntityTooLarge"

        /// The HTTP status code a real API server sends with this reason.
        public var httpCode: Int {
            switch self {
            case .notFound: 404
            case .alreadyExists, .conflict: 409
            case .invalid: 422
            case .badRequest: 400
            case .forbidden: 403
            case .methodNotAllowed: 405
            case .notAcceptable: 406
            case .unsupportedMediaType: 415
            case .gone, .expired: 410
            case .tooManyRequests: 429
            case .internalError: 500
            case .serviceUnavailable: 503
            case .timeout: 504
            case .requestEntityTooLarge: 413
            }
        }
    }

    /// One entry of `Status.details.causes`.
    public struct Cause: Sendable, Hashable {
        /// The machine-readable reason, e.g. `FieldManagerConflict`.
        public var reason: String
        /// The human-readable message.
        public var message: String
        /// The field path the cause refers to.
        public var field: String

        /// Creates a cause.
        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// The Kubernetes reason.
    public var code: Code
    /// The human-readable message.
    public var message: String
    /// The API group of the object involved, if any.
    public var resourceGroup: String?
    /// The resource (plural) of the object involved, if any.
    public var resourcePlural: String?
    /// The name of the object involved, if any.
    public var name: String?
    /// The detailed causes.
    public var causes: [Cause]
    /// The underlying error, if this wraps one (e.g. a JSON parse failure).
    public var cause: ManifestError?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, group: String? = nil, plural: String? = nil, name: String? = nil,
        causes: [Cause] = [], cause: ManifestError? = nil
    ) {
        self.code = code
        self.message = message
        self.resourceGroup = group
        self.resourcePlural = plural
        self.name = name
        self.causes = causes
        self.cause = cause
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The `Status` object sent to clients.
    public var status: JSONValue {
        var details = JSONObject()
        if let name { details["name"] = .string(name) }
        if let resourceGroup { details["group"] = .string(resourceGroup) }
        if let resourcePlural { details["kind"] = .string(resourcePlural) }
        if !causes.isEmpty {
            details["causes"] = .array(
                causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] }
            )
        }
        var body: JSONObject = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(code.rawValue),
        ]
        if !details.isEmpty { body["details"] = .object(details) }
        body["code"] = .number(JSONNumber(Int64(code.httpCode)))
        return .object(body)
    }

    public static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.name == rhs.name && lhs.causes == rhs.causes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}

extension APIError {
    /// A `NotFound` error for one object, worded like the API server's.
    static func notFound(_ type: ResourceType, _ name: String) -> APIError {
        APIError(
            .notFound, "\(type.qualifiedPlural) \"\(name)\" not found", group: type.group, plural: type.plural, name: name)
    }

    /// An `AlreadyExists` error for one object.
    static func alreadyExists(_ type: ResourceType, _ name: String) -> APIError {
        APIError(
            .alreadyExists, "\(type.qualifiedPlural) \"\(name)\" already exists", group: type.group,
            plural: type.plural, name: name)
    }

    /// The optimistic-concurrency `Conflict` error.
    static func staleUpdate(_ type: ResourceType, _ name: String) -> APIError {
        APIError(
            .conflict,
            "Operation cannot be fulfilled on \(type.qualifiedPlural) \"\(name)\": the object has been modified; "
                + "please apply your changes to the latest version and try again",
            group: type.group, plural: type.plural, name: name)
    }

    /// An `Invalid` error with one field cause.
    static func invalid(_ type: ResourceType, _ name: String, field: String, _ detail: String) -> APIError {
        APIError(
            .invalid, "\(type.qualifiedKind) \"\(name)\" is invalid: \(field): \(detail)", group: type.group,
            plural: type.kind, name: name, causes: [Cause(reason: "FieldValueInvalid", message: detail, field: field)])
    }
}
