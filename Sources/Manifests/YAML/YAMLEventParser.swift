import CYaml

/// libyaml's event stream over a UTF-8 text, for readers that need a few values of a document
/// rather than its whole tree: no node is built, no tag resolved, no alias expanded.
///
/// ```swift
/// let parser = YAMLEventParser(Array("kind: Pod\n".utf8))
/// while try parser.next() != .streamEnd {
///     if parser.kind == .scalar { print(parser.scalarValue) }
/// }
/// ```
///
/// The text is copied; the parser owns libyaml's state and frees it when it goes.
public final class YAMLEventParser {
    /// What an event is.
    public enum Kind: Sendable, Equatable {
        case streamStart, streamEnd, documentStart, documentEnd, alias, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd
    }

    /// libyaml's error, with its positions (lines and columns counted from zero).
    public struct Failure: Error, Sendable {
        /// The stage of libyaml that failed.
        public enum Stage: Sendable { case reader, scanner, parser, other }
        /// The stage that failed.
        public var stage: Stage
        /// libyaml's problem text.
        public var problem: String
        /// The line of the problem.
        public var line: Int
        /// The column of the problem.
        public var column: Int
        /// The line of the construct the problem is in (`while parsing a block mapping` started there), if libyaml names one.
        public var contextLine: Int?
        /// libyaml's name for that construct (`while parsing a block mapping`), if it gives one.
        public var context: String? = nil
        /// The byte offset of the problem in the text (what a reader error reports).
        public var offset: Int = 0
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var holdsEvent = false

    /// Creates a parser over `text` (UTF-8).
    public init(_ text: some Collection<UInt8>) {
        input = .allocate(capacity: max(text.count, 1))
        _ = input.initialize(from: text)
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, text.count)
    }

    deinit {
        if holdsEvent { yaml_event_delete(event) }
        yaml_parser_delete(parser)
        parser.deallocate()
        event.deallocate()
        input.deallocate()
    }

    /// The current event's kind (`.streamStart` before the first `next()`).
    public private(set) var kind: Kind = .streamStart

    /// Reads the next event; after `.streamEnd` it stays there.
    @discardableResult
    public func next() throws(Failure) -> Kind {
        if kind == .streamEnd, holdsEvent { return kind }
        if holdsEvent {
            yaml_event_delete(event)
            holdsEvent = false
        }
        guard yaml_parser_parse(parser, event) == 1 else { throw failure() }
        holdsEvent = true
        kind = Self.kind(of: event.pointee.type)
        return kind
    }

    /// Where the current event starts: its line and column, counted from zero (columns in
    /// Unicode scalars, as libyaml counts them).
    public var start: (line: Int, column: Int) {
        (event.pointee.start_mark.line, event.pointee.start_mark.column)
    }

    /// The current scalar's text (empty for other events).
    public var scalarValue: String {
        guard kind == .scalar, let value = event.pointee.data.scalar.value else { return "" }
        return String(decoding: UnsafeBufferPointer(start: value, count: event.pointee.data.scalar.length), as: UTF8.self)
    }

    /// Whether the current event is a scalar whose text is `text`, compared byte for byte.
    public func scalarIs(_ text: StaticString) -> Bool {
        guard kind == .scalar else { return false }
        let length = event.pointee.data.scalar.length
        guard length == text.utf8CodeUnitCount else { return false }
        guard length > 0, let value = event.pointee.data.scalar.value else { return length == 0 }
        return UnsafeBufferPointer(start: value, count: length).elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: length))
    }

    /// Whether the current scalar is plain (unquoted, not a block scalar).
    public var isPlainScalar: Bool {
        kind == .scalar && event.pointee.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
    }

    /// The tag written on the current scalar, sequence or mapping (`tag:yaml.org,2002:int` for
    /// `!!int`); a quoted or block scalar without one has `tag:yaml.org,2002:str`, as YAML reads it.
    public var tag: String? {
        let tag: UnsafeMutablePointer<UInt8>?
        switch kind {
        case .scalar:
            if event.pointee.data.scalar.quoted_implicit == 1 { return "tag:yaml.org,2002:str" }
            tag = event.pointee.data.scalar.tag
        case .sequenceStart: tag = event.pointee.data.sequence_start.tag
        case .mappingStart: tag = event.pointee.data.mapping_start.tag
        default: tag = nil
        }
        return tag.map { String(cString: $0) }
    }

    /// The anchor the current node defines, or the one the current alias names.
    public var anchor: String? {
        let anchor: UnsafeMutablePointer<UInt8>?
        switch kind {
        case .scalar: anchor = event.pointee.data.scalar.anchor
        case .sequenceStart: anchor = event.pointee.data.sequence_start.anchor
        case .mappingStart: anchor = event.pointee.data.mapping_start.anchor
        case .alias: anchor = event.pointee.data.alias.anchor
        default: anchor = nil
        }
        return anchor.map { String(cString: $0) }
    }

    /// Whether the current scalar, sequence or mapping carries a tag written in the text.
    public var hasExplicitTag: Bool {
        switch kind {
        case .scalar: event.pointee.data.scalar.tag != nil
        case .sequenceStart: event.pointee.data.sequence_start.tag != nil
        case .mappingStart: event.pointee.data.mapping_start.tag != nil
        default: false
        }
    }

    private func failure() -> Failure {
        let state = parser.pointee
        let stage: Failure.Stage =
            switch state.error {
            case YAML_READER_ERROR: .reader
            case YAML_SCANNER_ERROR: .scanner
            case YAML_PARSER_ERROR: .parser
            default: .other
            }
        return Failure(
            stage: stage, problem: state.problem.map { String(cString: $0) } ?? "unknown YAML error", line: state.problem_mark.line,
            column: state.problem_mark.column, contextLine: state.context == nil ? nil : state.context_mark.line,
            context: state.context.map { String(cString: $0) }, offset: state.problem_offset)
    }

    private static func kind(of type: yaml_event_type_t) -> Kind {
        switch type {
        case YAML_STREAM_START_EVENT: .streamStart
        case YAML_STREAM_END_EVENT: .streamEnd
        case YAML_DOCUMENT_START_EVENT: .documentStart
        case YAML_DOCUMENT_END_EVENT: .documentEnd
        case YAML_ALIAS_EVENT: .alias
        case YAML_SCALAR_EVENT: .scalar
        case YAML_SEQUENCE_START_EVENT: .sequenceStart
        case YAML_SEQUENCE_END_EVENT: .sequenceEnd
        case YAML_MAPPING_START_EVENT: .mappingStart
        default: .mappingEnd
        }
    }
}
