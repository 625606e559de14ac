import Logging
import Synchronization

/// Collects every log line (level, message, metadata, error) of a `Logger` made for one test,
/// at every level, so tests can check what is and is not logged.
public final class LogCapture: Sendable {
    let storage = Mutex<[String]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger writing into this capture at trace level.
    public var logger: Logger {
        let box = self
        return Logger(label: "test") { _ in CapturingLogHandler(box: box) }
    }

    /// The lines logged so far.
    public var lines: [String] { storage.withLock { $0 } }
}

/// Appends every log event to a `LogCapture`.
struct CapturingLogHandler: LogHandler {
    let box: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = self.metadata.merging(event.metadata ?? [:]) { $1 }
        box.storage.withLock { $0.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")") }
    }
}
