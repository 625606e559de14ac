import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Manifests

/// Answers Kubernetes API requests from the cluster store.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The largest request body accepted, as the API server's 3 MiB limit.
    static let maximumBodySize = 3 * 1024 * 1024

    let store: ClusterStore
    let catalog: ResourceCatalog
    let faults: FaultInjector
    let audit: WriteAudit
    let traffic: TrafficLedger
    let prometheus: ScriptedPrometheus
    let configuration: SandboxConfiguration
    let serverAddress: @Sendable () -> String
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = RequestPath(request.uri.path)
        do {
            if !path.isSandboxControl && path != .health {
                faults.record(authorization: request.headers[.authorization])
                let latency = faults.configuration.latencyMs
                if latency > 0 { try await Task.sleep(for: .milliseconds(latency)) }
                if let failure = faults.failure() { throw failure }
            }
            let user = path.isSandboxControl ? nil : try await authorize(request, path: path)
            let response = try await route(path, request: request, user: user)
            if case .resource = path, WriteAudit.writes(request.method), response.status.code < 400 {
                audit.record(
                    verb: request.method.rawValue, path: request.uri.path, userAgent: request.headers[.userAgent] ?? "",
                    code: response.status.code)
            }
            return response
        } catch let error as APIError {
            if error.code.httpCode >= 500 {
                logger.warning("request failed", metadata: ["k8s.path": "\(request.uri.path)", "error": "\(error)"])
            }
            return Self.status(error)
        }
    }

    private func route(_ path: RequestPath, request: Request, user: UserInfo?) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        switch path {
        case .version: return Self.json(Discovery.version)
        case .health: return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        case .coreVersions:
            if let version = Discovery.aggregatedVersion(accept: request.headers[.accept]) {
                return Self.aggregated(Discovery.aggregated(core: true, catalog: catalog, format: version), version: version)
            }
            return Self.json(Discovery.coreVersions(serverAddress: serverAddress()))
        case .groups:
            if let version = Discovery.aggregatedVersion(accept: request.headers[.accept]) {
                return Self.aggregated(Discovery.aggregated(core: false, catalog: catalog, format: version), version: version)
            }
            return Self.json(Discovery.groups(catalog: catalog))
        case .group(let name):
            guard catalog.groups.contains(name) else { throw APIError(.notFound, "the server could not find the requested resource") }
            var group = Discovery.group(name, catalog: catalog)
            group["kind"] = "APIGroup"
            group["apiVersion"] = "v1"
            return Self.json(group)
        case .resourceList(let group, let version):
            guard let list = Discovery.resourceList(group: group, version: version, catalog: catalog) else {
                throw APIError(.notFound, "the server could not find the requested resource")
            }
            return Self.json(list)
        case .openAPI(let rest):
            if rest == "v3" { return Self.json(OpenAPI.root(catalog: catalog)) }
            if rest == "v2" {
                let protobuf = request.headers[.accept]?.contains("protobuf") == true
                return Response(
                    status: .ok, headers: [.contentType: protobuf ? OpenAPI.v2ProtobufType : "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPI.v2Bytes(catalog: catalog, protobuf: protobuf))))
            }
            if rest.hasPrefix("v3/"), let text = OpenAPI.documentText(path: String(rest.dropFirst(3)), catalog: catalog) {
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            throw APIError(.notFound, "the server could not find the requested resource")
        case .faults: return try await handleFaults(request)
        case .audit:
            guard request.method == .get else { throw APIError(.methodNotAllowed, "use GET on /sandbox/audit") }
            return Self.json(audit.json(after: query["after"].flatMap { Int($0) } ?? 0))
        case .traffic(let metrics): return try handleTraffic(request, metrics: metrics)
        case .prometheus(let rest): return try await handlePrometheus(rest, request: request)
        case .resource(let resource): return try await handleResource(resource, request: request, query: query, user: user)
        case .unknown: throw APIError(.notFound, "the server could not find the requested resource")
        }
    }

    private func handleFaults(_ request: Request) async throws -> Response {
        switch request.method {
        case .get: break
        case .delete: faults.configuration = FaultConfiguration()
        case .post, .put:
            let body = try await Self.body(request, anyContentType: true)
            faults.configuration = try FaultConfiguration(json: body)
            if body["dropWatches"]?.boolValue == true { await store.dropWatches() }
        default: throw APIError(.methodNotAllowed, "use GET, POST or DELETE on /sandbox/faults")
        }
        var state = faults.configuration.json
        state["openWatches"] = .int(await store.watchCount)
        let seen = faults.seen
        state["requests"] = .int(seen.requests)
        state["injected"] = .int(seen.injected)
        state["bearerTokens"] = .array(seen.bearerTokenDigests.sorted().map { .string($0) })
        return Self.json(state)
    }

    // MARK: Encoding

    /// A JSON response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, warnings: WarningSink? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        // RFC 7234 warnings, as the API server sends them and kubectl prints them (`Warning: ...`).
        for text in warnings?.all ?? [] {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers.append(HTTPField(name: warningHeader, value: "299 - \"\(escaped)\""))
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.compact(value))))
    }

    /// The `Warning` header's name.
    private static let warningHeader = HTTPField.Name("Warning")!

    private static func aggregated(_ value: JSONValue, version: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: Discovery.aggregatedContentType(version: version)],
            body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.compact(value))))
    }

    /// A `Status` error response.
    static func status(_ error: APIError) -> Response {
        var response = json(error.status, status: HTTPResponse.Status(code: error.code.httpCode))
        if error.code == .tooManyRequests { response.headers[.retryAfter] = "1" }
        return response
    }

    /// The request body parsed as JSON (or YAML, for apply patches).
    /// `empty` is what an empty body reads as; nil makes it an error, as for a write.
    static func body(_ request: Request, yaml: Bool = false, anyContentType: Bool = false, empty: JSONValue? = nil) async throws -> JSONValue {
        let contentType = request.headers[.contentType] ?? ""
        let protobuf = !yaml && contentType.hasPrefix(ProtobufBody.contentType)
        if !yaml, !anyContentType, !protobuf, !contentType.isEmpty, !contentType.hasPrefix("application/json"),
            !contentType.contains("patch+json")
        {
            // CBOR, and protobuf beyond the kinds ProtobufBody knows, need per-kind schemas; a real server also refuses types it cannot decode.
            throw APIError(
                .unsupportedMediaType,
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBodySize)
        } catch {
            throw APIError(.requestEntityTooLarge, "the request body exceeds \(maximumBodySize) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty, let empty { return empty }
        if protobuf { return try ProtobufBody.decode(bytes) }
        do {
            if yaml {
                let documents = try YAMLDecoder().decode(bytes, file: "<request body>")
                guard documents.count == 1, let document = documents.first else {
                    throw APIError(.badRequest, "an apply patch must hold exactly one YAML document")
                }
                return document.value
            }
            return try JSONParser.parse(bytes, file: "<request body>")
        } catch let error as ManifestError {
            throw APIError(.badRequest, "the request body is not valid: \(error)", cause: error)
        }
    }

    /// The request body as an object.
    static func objectBody(_ request: Request, yaml: Bool = false) async throws -> JSONObject {
        guard let object = try await body(request, yaml: yaml).objectValue else {
            throw APIError(.badRequest, "the request body must be a JSON object")
        }
        return object
    }
}
