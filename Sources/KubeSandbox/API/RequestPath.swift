import Foundation

/// A parsed request path: which endpoint of the API a request addresses.
enum RequestPath: Equatable {
    case version
    case health
    case coreVersions
    case groups
    case group(String)
    case resourceList(group: String, version: String)
    case resource(ResourcePath)
    case openAPI(String)
    case faults
    case audit
    /// `/sandbox/traffic`, and `/sandbox/traffic/metrics` when `metrics`.
    case traffic(metrics: Bool)
    /// `/sandbox/prometheus/REST`.
    case prometheus(String)
    case unknown

    /// Parses a URL path.
    init(_ path: String) {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case "version": self = segments.count == 1 ? .version : .unknown
        case "healthz", "readyz", "livez": self = .health
        case "openapi": self = .openAPI(segments.dropFirst().joined(separator: "/"))
        case "sandbox":
            switch segments {
            case ["sandbox", "faults"]: self = .faults
            case ["sandbox", "audit"]: self = .audit
            case ["sandbox", "traffic"]: self = .traffic(metrics: false)
            case ["sandbox", "traffic", "metrics"]: self = .traffic(metrics: true)
            case let parts where parts.count > 2 && parts[1] == "prometheus": self = .prometheus(parts.dropFirst(2).joined(separator: "/"))
            default: self = .unknown
            }
        case "api":
            if segments.count == 1 { self = .coreVersions; return }
            self = Self.resourcePath(group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
        case "apis":
            switch segments.count {
            case 1: self = .groups
            case 2: self = .group(segments[1])
            default: self = Self.resourcePath(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
            }
        default: self = .unknown
        }
    }

    /// Whether this is one of the sandbox's own endpoints, which need no credentials and see no injected faults.
    var isSandboxControl: Bool {
        switch self {
        case .faults, .audit, .traffic, .prometheus: true
        default: false
        }
    }

    private static func resourcePath(group: String, version: String, rest: [String]) -> RequestPath {
        if rest.isEmpty { return .resourceList(group: group, version: version) }
        var parts = rest
        var namespace: String?
        // `/namespaces/NS/RESOURCE...` unless it addresses a namespace's own subresource.
        if parts.count >= 3, parts[0] == "namespaces", group.isEmpty ? !["status", "finalize"].contains(parts[2]) || parts.count > 3 : true {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard parts.count <= 3 else { return .unknown }
        return .resource(
            ResourcePath(
                group: group, version: version, plural: parts[0], namespace: namespace,
                name: parts.count > 1 ? parts[1] : nil, subresource: parts.count > 2 ? parts[2] : nil))
    }
}

/// The address of a resource, a collection or a subresource.
struct ResourcePath: Equatable {
    /// The API group.
    var group: String
    /// The version.
    var version: String
    /// The plural resource name.
    var plural: String
    /// The namespace in the path, if any.
    var namespace: String?
    /// The object name, for single-object requests.
    var name: String?
    /// The subresource (`status`, `scale`), if any.
    var subresource: String?
}

/// Query parameters decoded the way Go's `url.ParseQuery` does (`+` is a space).
struct QueryParameters {
    private var values: [String: String] = [:]

    /// Parses a raw query string.
    init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let key = parts.first { values[key] = parts.count > 1 ? parts[1] : "" }
        }
    }

    /// The value of a parameter.
    subscript(_ key: String) -> String? { values[key] }

    /// A boolean parameter (`true`/`1`).
    func flag(_ key: String) -> Bool { values[key].map { $0 == "true" || $0 == "1" } ?? false }
}
