import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP calls from tests to servers they started on 127.0.0.1 (a sandbox's `/sandbox/...`
/// endpoints, a receiver), which need no credentials.
public enum LoopbackHTTP {
    /// The status and body text of one request to `url`.
    public static func call(
        _ url: String, method: String = "GET", body: String? = nil, contentType: String = "application/json"
    ) async throws -> (status: Int, text: String) {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
