import Hummingbird
import NIOCore

extension Request {
    /// The body, read with a running count and given up as soon as it passes `limit` bytes
    /// (without buffering the rest); `nil` when it is larger.
    func collectBody(limit: Int) async throws -> ByteBuffer? {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return nil
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return nil
        }
    }
}
