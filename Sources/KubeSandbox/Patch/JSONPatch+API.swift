import Manifests

extension JSONPatch {
    /// Applies a JSON patch request body, refusing it as the API server does: a malformed patch
    /// is a bad request, a missing path or a failed test makes the request invalid.
    static func apply(_ body: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        do {
            return try JSONPatch(body).apply(to: target)
        } catch {
            switch error.code {
            case .malformed: throw APIError(.badRequest, error.message)
            case .pathNotFound: throw APIError(.invalid, "the server rejected our request due to an error in our request: \(error.message)")
            case .testFailed: throw APIError(.invalid, error.message)
            }
        }
    }
}
