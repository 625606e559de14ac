import Foundation
import NIOHTTP1

/// One call to a forge's API, relative to its API root: `path` already percent-encoded, with
/// its query.
struct SCMRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var body: [UInt8]?

    init(_ method: HTTPMethod, _ path: String, json: [String: String]? = nil) {
        self.method = method
        self.path = path
        // Sorted keys: the same status always makes the same bytes, which receivers may compare.
        self.body = json.map { fields in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array((try? encoder.encode(fields)) ?? Data("{}".utf8))
        }
    }
}

/// A forge's answer, its body read up to the client's limit.
struct SCMReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The body as text, for the rare rule that must read the forge's message.
    var text: String { String(decoding: body, as: UTF8.self) }
}
