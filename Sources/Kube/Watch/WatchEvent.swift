import Manifests

/// One event of a watch stream.
public struct WatchEvent: Sendable, Hashable {
    /// What happened.
    public enum EventType: String, Sendable, Hashable {
        /// The object was created (or existed when the watch began).
        case added = "ADDED"
        /// The object changed.
        case modified = "MODIFIED"
        /// The object was deleted; `object` is its last state.
        case deleted = "DELETED"
        /// Nothing changed, but the collection reached `object.metadata.resourceVersion`.
        case bookmark = "BOOKMARK"
        /// The watch failed; `object` is a `Status`.
        case error = "ERROR"
    }

    /// What happened.
    public var type: EventType
    /// The object (or Status for `.error`).
    public var object: JSONValue

    /// Creates an event.
    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// `object.metadata.resourceVersion`, or empty.
    public var resourceVersion: String { object["metadata"]?["resourceVersion"]?.stringValue ?? "" }

    /// The object as a manifest (not for `.error`).
    public var manifest: Manifest? { object.objectValue.map { Manifest(unchecked: $0) } }

    /// The Status of an `.error` event.
    public var status: APIStatus? { type == .error ? APIStatus(object) : nil }

    /// Decodes one line of a watch stream (`{"type":"ADDED","object":{...}}`).
    public static func decode(line: [UInt8], resource: String) throws(KubeError) -> WatchEvent {
        let value: JSONValue
        do { value = try JSONParser.parse(line, file: resource) } catch {
            throw KubeError(.decoding, "watch event is not valid JSON: \(error.message)", resource: resource, cause: error)
        }
        guard let typeName = value["type"]?.stringValue else {
            throw KubeError(.decoding, "watch event has no type", resource: resource)
        }
        guard let type = EventType(rawValue: typeName) else {
            throw KubeError(.decoding, "watch event has unknown type \(typeName)", resource: resource)
        }
        guard let object = value["object"], object.objectValue != nil else {
            throw KubeError(.decoding, "watch event \(typeName) has no object", resource: resource)
        }
        return WatchEvent(type: type, object: object)
    }
}

/// Splits a byte stream into newline-terminated lines, refusing lines over a limit so a
/// misbehaving server cannot grow memory without bound.
public struct LineSplitter: Sendable {
    /// The longest line accepted.
    public let maximumLineLength: Int
    private var partial: [UInt8] = []

    /// Creates a splitter.
    public init(maximumLineLength: Int) { self.maximumLineLength = maximumLineLength }

    /// Adds bytes and returns the lines they complete (without the newline; blank lines dropped).
    public mutating func append(_ bytes: some Collection<UInt8>, resource: String) throws(KubeError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
                if !partial.isEmpty { lines.append(partial) }
                partial.removeAll(keepingCapacity: true)
                continue
            }
            partial.append(byte)
            if partial.count > maximumLineLength {
                throw KubeError(.responseTooLarge, "a watch event is larger than the limit of \(maximumLineLength) bytes", resource: resource)
            }
        }
        return lines
    }

    /// The unterminated rest at end of stream, if any.
    public mutating func finish() -> [UInt8]? {
        defer { partial = [] }
        return partial.isEmpty ? nil : partial
    }
}
