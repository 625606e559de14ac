import OrderedCollections

/// Builds each document of a YAML stream as a `JSONValue` straight from libyaml's events, with
/// no node tree in between: scalars read as kustomize v5 reads them (`ScalarResolver`),
/// duplicate keys refused, aliases and merge keys (`<<`) expanded.
///
/// Every node and every byte of key and scalar text is counted as it is produced, an alias at
/// its full expanded size before its value is shared, so an alias bomb fails as soon as a budget
/// is spent instead of exhausting memory. Anchors hold for the document that defines them, as
/// in go-yaml, which kustomize reads with.
///
/// Collections are built with a stack rather than by recursion, so no nesting exhausts the
/// thread's stack.
///
/// Errors come in the order a composing reader (kustomize's, Yams) gives them: a syntax error,
/// an undefined alias or a duplicate key anywhere in a document wins over a value that cannot be
/// converted (a bad tag, a collection as a key, a merge of a scalar, a spent budget). Values are
/// built as the events come, so when a conversion fails the document is read again, composing
/// only, to find such an error first.
struct DocumentBuilder {
    let file: String
    /// The nodes aliases may still expand to.
    private(set) var remaining: Int
    private let budget: Int
    /// The most bytes one document may expand to.
    let documentLimit: Int
    /// The bytes the current document has expanded to so far.
    private var documentBytes = 0
    /// The bytes every document of the stream (or the render) may expand to together.
    var bytes: ExpansionBudget
    /// Composing only: conversion problems are passed over, budgets not counted, merges not
    /// applied; only syntax errors, undefined aliases and duplicate keys are errors.
    private var composingOnly = false
    /// The documents read whole so far.
    private var documentsRead = 0

    /// Why a document could not be read: as composing it (reported at once), or as converting
    /// a value of it (reported unless composing the document fails too).
    private enum Failure: Error {
        case composition(ManifestError)
        case conversion(ManifestError)
    }

    init(file: String, budget: Int, documentLimit: Int, bytes: ExpansionBudget) {
        self.file = file
        self.budget = budget
        self.remaining = budget
        self.documentLimit = documentLimit
        self.bytes = bytes
    }

    /// Where a node starts, counted from one as errors show it.
    private struct Mark {
        var line: Int
        var column: Int

        init(_ parser: YAMLEventParser) {
            let start = parser.start
            line = start.line + 1
            column = start.column + 1
        }
    }

    /// A scalar as written: what reading it as a value or as a mapping key needs.
    private struct Scalar {
        var text: String
        var tag: ScalarResolver.Tag
        /// The tag written on it, expanded (`tag:yaml.org,2002:int` for `!!int`).
        var writtenTag: String?
        var isPlain: Bool

        init(_ parser: YAMLEventParser) {
            text = parser.scalarValue
            isPlain = parser.isPlainScalar
            writtenTag = parser.hasExplicitTag ? parser.tag : nil
            tag = Self.tag(writtenTag, isPlain: isPlain)
        }

        /// go-yaml's merge key: a plain `<<` without a tag, or one tagged `!!merge`.
        var isMergeKey: Bool {
            text == "<<" && (writtenTag == "tag:yaml.org,2002:merge" || (isPlain && tag == .implicit))
        }

        /// The tag that decides how a scalar reads: quoted and block scalars are strings, `!`
        /// on a plain scalar means "resolve as usual" (go-yaml v3 reads it that way).
        static func tag(_ written: String?, isPlain: Bool) -> ScalarResolver.Tag {
            switch written {
            case nil, "", "!", "?": isPlain ? .implicit : .string
            case "tag:yaml.org,2002:str": .string
            case "tag:yaml.org,2002:int": .int
            case "tag:yaml.org,2002:float": .float
            case "tag:yaml.org,2002:bool": .bool
            case "tag:yaml.org,2002:null": .null
            case "tag:yaml.org,2002:timestamp": .timestamp
            case "tag:yaml.org,2002:binary": .binary
            default: .other
            }
        }
    }

    /// What an anchor names: its value, its size for the budgets, and the scalar it was
    /// written as, for an alias used as a mapping key.
    private struct Anchored {
        var value: JSONValue
        var nodes: Int
        var bytes: Int
        var scalar: Scalar?
    }

    /// A mapping key read, waiting for its value.
    private enum Key {
        case name(String, Mark)
        case merge
        /// Composing only: the collection being read is a key.
        case collection
        /// Composing only: the key was a collection; its value is passed over.
        case ignored
    }

    /// A sequence or mapping being built.
    private struct Frame {
        let isMapping: Bool
        let anchor: String?
        let mark: Mark
        var items: [JSONValue] = []
        var entries = OrderedDictionary<String, JSONValue>()
        /// Where each entry's key is, by the entry's position, for the duplicate-key error.
        var keyMarks: [Mark] = []
        /// Keys given twice, with where each was first given.
        var duplicates: [(name: String, first: Mark)] = []
        /// Where the first merge key is.
        var firstMerge: Mark?
        var key: Key?
        /// Where each item is, for a sequence that is a merge key's value (its errors name the item).
        var itemMarks: [Mark]?
        /// Merge keys' values: the mappings to merge and where the merge key stood among the entries.
        var merges: [(position: Int, sources: [JSONObject])] = []
        /// The nodes inside, itself included, and the bytes of their text: an anchor's size.
        var nodes = 1
        var bytes = 0

        init(isMapping: Bool, anchor: String?, mark: Mark) {
            self.isMapping = isMapping
            self.anchor = anchor
            self.mark = mark
        }
    }

    /// Reads every document of `text`; a document that is empty or null is left out.
    mutating func documents(_ text: String) throws(ManifestError) -> [YAMLDocument] {
        do {
            return try read(text)
        } catch {
            switch error {
            case .composition(let error): throw error
            case .conversion(let error): throw Self.compositionError(in: text, file: file, through: documentsRead) ?? error
            }
        }
    }

    /// The syntax error, undefined alias or duplicate key in documents `0...index` of `text`, if any.
    private static func compositionError(in text: String, file: String, through index: Int) -> ManifestError? {
        var composer = DocumentBuilder(file: file, budget: .max, documentLimit: .max, bytes: ExpansionBudget(limit: .max, name: ""))
        composer.composingOnly = true
        do {
            _ = try composer.read(text, through: index)
        } catch {
            if case .composition(let error) = error { return error }
        }
        return nil
    }

    /// The non-null documents of `text` up to document `last`; `documentsRead` counts those read
    /// whole, so after a failure it is the index of the document that failed.
    private mutating func read(_ text: String, through last: Int = .max) throws(Failure) -> [YAMLDocument] {
        let parser = YAMLEventParser(text.utf8)
        var documents: [YAMLDocument] = []
        while documentsRead <= last {
            switch try next(parser) {
            case .streamEnd:
                return documents
            case .documentStart:
                let (value, mark) = try document(parser)
                documentsRead += 1
                if !value.isNull {
                    documents.append(YAMLDocument(value: value, location: SourceLocation(file: file, line: mark.line, column: mark.column)))
                }
            default:
                continue
            }
        }
        return documents
    }

    /// Reads the root node of the document just started, and the document's end.
    private mutating func document(_ parser: YAMLEventParser) throws(Failure) -> (JSONValue, Mark) {
        documentBytes = 0
        var anchors: [String: Anchored] = [:]
        var stack: [Frame] = []
        while true {
            let kind = try next(parser)
            var mark = Mark(parser)
            let value: JSONValue
            // The nodes `value` holds, and the bytes of their text (an alias repeats an anchor's).
            var nodes = 1
            var size = 0
            var itemMarks: [Mark]?
            let awaitingKey = stack.last.map { $0.isMapping && $0.key == nil } ?? false
            switch kind {
            case .scalar:
                let scalar = Scalar(parser)
                if awaitingKey {
                    try readKey(scalar, at: mark, into: &stack[stack.count - 1])
                    if let anchor = parser.anchor {
                        anchors[anchor] = Anchored(value: try resolve(scalar, at: mark), nodes: 1, bytes: scalar.text.utf8.count, scalar: scalar)
                    }
                    continue
                }
                try count(1, at: mark)
                size = scalar.text.utf8.count
                try charge(size, at: mark)
                value = try resolve(scalar, at: mark)
                if let anchor = parser.anchor { anchors[anchor] = Anchored(value: value, nodes: 1, bytes: size, scalar: scalar) }
            case .alias:
                let name = parser.anchor ?? ""
                guard let anchored = anchors[name] else { throw .composition(error(.syntax, "found undefined alias", at: mark)) }
                if awaitingKey {
                    if let scalar = anchored.scalar {
                        try readKey(scalar, at: mark, into: &stack[stack.count - 1])
                    } else {
                        guard composingOnly else { throw collectionKey(at: mark) }
                        stack[stack.count - 1].key = .ignored
                    }
                    continue
                }
                try count(anchored.nodes, at: mark)
                try charge(anchored.bytes, at: mark)
                (value, nodes, size) = (anchored.value, anchored.nodes, anchored.bytes)
            case .sequenceStart, .mappingStart:
                if awaitingKey {
                    guard composingOnly else { throw collectionKey(at: mark) }
                    stack[stack.count - 1].key = .collection
                }
                try count(1, at: mark)
                var frame = Frame(isMapping: kind == .mappingStart, anchor: parser.anchor, mark: mark)
                if kind == .sequenceStart, case .merge? = stack.last?.key { frame.itemMarks = [] }
                stack.append(frame)
                continue
            case .sequenceEnd, .mappingEnd:
                var frame = stack.removeLast()
                itemMarks = frame.itemMarks
                value = frame.isMapping ? .object(try finish(&frame)) : .array(frame.items)
                (mark, nodes, size) = (frame.mark, frame.nodes, frame.bytes)
                if let anchor = frame.anchor { anchors[anchor] = Anchored(value: value, nodes: nodes, bytes: size, scalar: nil) }
            case .streamStart, .streamEnd, .documentStart, .documentEnd:
                throw .composition(error(.syntax, "unexpected end of document", at: mark))
            }
            guard !stack.isEmpty else {
                guard try next(parser) == .documentEnd else { throw .composition(error(.syntax, "expected the end of the document", at: mark)) }
                return (value, mark)
            }
            try add(value, nodes: nodes, bytes: size, at: mark, itemMarks: itemMarks, to: &stack[stack.count - 1])
        }
    }

    /// Reads a mapping key: a merge key, or a name, which must read as a string.
    private mutating func readKey(_ scalar: Scalar, at mark: Mark, into frame: inout Frame) throws(Failure) {
        if scalar.isMergeKey {
            if let first = frame.firstMerge {
                frame.duplicates.append(("<<", first))
            } else {
                frame.firstMerge = mark
            }
            frame.key = .merge
            return
        }
        let name = try keyName(scalar, at: mark)
        let size = name.utf8.count
        try charge(size, at: mark)
        frame.bytes += size
        if let index = frame.entries.index(forKey: name) {
            frame.duplicates.append((name, frame.keyMarks[index]))
        }
        frame.key = .name(name, mark)
    }

    /// Adds a finished value to the collection being built; `itemMarks` are where a sequence's items are.
    private func add(
        _ value: JSONValue, nodes: Int, bytes: Int, at mark: Mark, itemMarks: [Mark]?, to frame: inout Frame
    ) throws(Failure) {
        frame.nodes += nodes
        frame.bytes += bytes
        guard frame.isMapping else {
            frame.items.append(value)
            frame.itemMarks?.append(mark)
            return
        }
        switch frame.key {
        case .name(let name, let keyMark):
            if frame.entries.updateValue(value, forKey: name) == nil { frame.keyMarks.append(keyMark) }
        case .merge:
            guard !composingOnly else { break }
            let sources: [JSONObject]
            switch value {
            case .object(let object):
                sources = [object]
            case .array(let items):
                sources = try items.enumerated().map { index, item throws(Failure) in
                    guard case .object(let object) = item else { throw mergeOfScalar(at: itemMarks?[index] ?? mark) }
                    return object
                }
            default:
                throw mergeOfScalar(at: mark)
            }
            frame.merges.append((frame.entries.count, sources))
        case .collection:
            // The collection just read was a key; its value comes next.
            frame.key = .ignored
            return
        case .ignored, nil:
            break
        }
        frame.key = nil
    }

    /// The mapping a frame built, with its merge keys applied; a key given twice is an error.
    private func finish(_ frame: inout Frame) throws(Failure) -> JSONObject {
        if !frame.duplicates.isEmpty {
            let names = Set(frame.duplicates.map(\.name)).sorted()
            let first = frame.duplicates.first { $0.name == names[0] }?.first ?? frame.mark
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            throw .composition(error(.duplicateKey, "mapping key \(list) already defined", at: first))
        }
        guard !frame.merges.isEmpty else { return JSONObject(frame.entries) }
        // Merged keys never override explicit ones; within one merge the first source wins,
        // and a later merge key's entries win over an earlier one's.
        var entries = frame.entries
        let explicit = Set(entries.keys)
        for merge in frame.merges.reversed() {
            var merged = OrderedDictionary<String, JSONValue>()
            for source in merge.sources {
                for (name, value) in source.entries where !explicit.contains(name) && merged[name] == nil {
                    merged[name] = value
                }
            }
            for (name, _) in merged where entries[name] != nil { merged[name] = nil }
            var position = merge.position
            for (name, value) in merged {
                entries.updateValue(value, forKey: name, insertingAt: position)
                position += 1
            }
        }
        return JSONObject(entries)
    }

    /// The name a key scalar gives: any string, or a plain scalar that reads back as one.
    private func keyName(_ scalar: Scalar, at mark: Mark) throws(Failure) -> String {
        switch scalar.tag {
        case .string, .other:
            return scalar.text
        case .implicit:
            if ScalarResolver.readsAsPlainString(scalar.text) { return scalar.text }
        default:
            if case .success(.string(let name)) = ScalarResolver.resolve(scalar.text, tag: scalar.tag),
                ScalarResolver.readsAsPlainString(scalar.text)
            {
                return name
            }
        }
        if composingOnly { return scalar.text }
        throw .conversion(error(.unrepresentable, "mapping key \(scalar.text) is not a string; quote it", at: mark))
    }

    private func resolve(_ scalar: Scalar, at mark: Mark) throws(Failure) -> JSONValue {
        switch ScalarResolver.resolve(scalar.text, tag: scalar.tag) {
        case .success(let value):
            return value
        case .failure where composingOnly:
            return .null
        case .failure(.nonFinite):
            throw .conversion(error(.unrepresentable, "an infinite or NaN float cannot be represented in JSON", at: mark))
        case .failure(.mismatch(let found)):
            throw .conversion(error(.badTag, "cannot decode \(found) as \(scalar.writtenTag ?? "")", at: mark))
        }
    }

    /// Counts `nodes` against the stream's node budget.
    private mutating func count(_ nodes: Int, at mark: Mark) throws(Failure) {
        guard !composingOnly else { return }
        remaining -= nodes
        if remaining < 0 {
            throw .conversion(error(.aliasExpansion, "document expands to more than \(budget) nodes through aliases", at: mark))
        }
    }

    /// Counts `count` bytes of text against the document's and the stream's byte limits.
    private mutating func charge(_ count: Int, at mark: Mark) throws(Failure) {
        guard !composingOnly else { return }
        documentBytes += count
        if documentBytes > documentLimit {
            throw .conversion(
                error(
                    .aliasExpansion,
                    "document expands to \(ExpansionBudget.describe(documentLimit, "the document limit (YAMLDecoder.maximumDocumentBytes)"))",
                    at: mark))
        }
        guard bytes.spend(count) else {
            throw .conversion(error(.tooLarge, "documents expand to \(bytes.exceeded)", at: mark))
        }
    }

    private func next(_ parser: YAMLEventParser) throws(Failure) -> YAMLEventParser.Kind {
        do {
            return try parser.next()
        } catch {
            throw .composition(translate(error))
        }
    }

    /// libyaml's failure in Keelson's terms, with libyaml's wording.
    private func translate(_ failure: YAMLEventParser.Failure) -> ManifestError {
        switch failure.stage {
        case .reader:
            return ManifestError(.encoding, "\(failure.problem) at byte \(failure.offset)", at: SourceLocation(file: file))
        case .scanner, .parser, .other:
            let message = failure.context.map { "\(failure.problem) (\($0))" } ?? failure.problem
            return ManifestError(.syntax, message, at: SourceLocation(file: file, line: failure.line + 1, column: failure.column + 1))
        }
    }

    private func collectionKey(at mark: Mark) -> Failure {
        .conversion(error(.unrepresentable, "mapping key is a collection; only string keys are allowed", at: mark))
    }

    private func mergeOfScalar(at mark: Mark) -> Failure {
        .conversion(error(.syntax, "map merge requires map or sequence of maps as the value", at: mark))
    }

    private func error(_ code: ManifestError.Code, _ message: String, at mark: Mark) -> ManifestError {
        ManifestError(code, message, at: SourceLocation(file: file, line: mark.line, column: mark.column))
    }
}
