/// A template parse error, worded as Go's parser words it (`template: NAME:LINE: MESSAGE`).
public struct TemplateParseError: Error, Sendable, CustomStringConvertible {
    /// The name of the text being parsed.
    public var name: String
    /// The 1-based line of the offending token.
    public var line: Int
    /// The message after the location.
    public var message: String
    /// Go's full error text.
    public var description: String { "template: \(name):\(line): \(message)" }
}

/// Go's `text/template/parse` parser: turns one text into its top-level template and the templates it defines.
struct Parser {
    let tokens: [Token]
    var index = 0
    var furthest = 0
    private let parseName: String
    private let source: SourceText
    let functionExists: (String) -> Bool
    var variables: [String] = ["$"]
    var rangeDepth = 0
    var actionLine = 0
    private(set) var trees: [String: ParsedTemplate] = [:]
    private(set) var order: [String] = []

    /// Parses `text` named `name`; the result holds the top-level template under `name` and each `define`/`block`.
    static func parse(name: String, text: String, functionExists: @escaping (String) -> Bool) throws(TemplateParseError) -> (
        trees: [String: ParsedTemplate], order: [String]
    ) {
        var parser = Parser(tokens: Lexer.tokenize(text), parseName: name, source: SourceText(text), functionExists: functionExists)
        let root = try parser.parseTop()
        try parser.add(ParsedTemplate(name: name, parseName: name, root: root, source: parser.source))
        return (parser.trees, parser.order)
    }

    private init(tokens: [Token], parseName: String, source: SourceText, functionExists: @escaping (String) -> Bool) {
        self.tokens = tokens
        self.parseName = parseName
        self.source = source
        self.functionExists = functionExists
    }

    // MARK: Tokens

    mutating func next() -> Token {
        let token = tokens[min(index, tokens.count - 1)]
        index += 1
        furthest = max(furthest, index - 1)
        return token
    }

    mutating func peek() -> Token {
        furthest = max(furthest, min(index, tokens.count - 1))
        return tokens[min(index, tokens.count - 1)]
    }

    mutating func backup(_ count: Int = 1) { index -= count }

    mutating func nextNonSpace() -> Token {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    mutating func peekNonSpace() -> Token {
        let token = nextNonSpace()
        backup()
        return token
    }

    func error(_ message: String) -> TemplateParseError {
        TemplateParseError(name: parseName, line: tokens[min(furthest, tokens.count - 1)].line, message: message)
    }

    func unexpected(_ token: Token, _ context: String) -> TemplateParseError {
        if token.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != token.line {
                extra = " in action started at \(parseName):\(actionLine)"
                if token.text.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return error(token.text + extra)
        }
        return error("unexpected \(token.description) in \(context)")
    }

    mutating func expect(_ kind: Token.Kind, _ context: String) throws(TemplateParseError) -> Token {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, context) }
        return token
    }

    private mutating func add(_ tree: ParsedTemplate) throws(TemplateParseError) {
        if let existing = trees[tree.name], !existing.isEmpty {
            if !tree.isEmpty { throw error("template: multiple definition of template \(GoQuote.quote(tree.name))") }
            return
        }
        if trees[tree.name] == nil { order.append(tree.name) }
        trees[tree.name] = tree
    }

    // MARK: Structure

    private mutating func parseTop() throws(TemplateParseError) -> ListNode {
        var root = ListNode(pos: peek().pos)
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let mark = index
                _ = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                index = mark
            }
            let node = try textOrAction()
            switch node {
            case .end, .elseMarker: throw error("unexpected \(node.description)")
            case .node(let node): root.nodes.append(node)
            }
        }
        return root
    }

    private mutating func parseDefinition() throws(TemplateParseError) {
        let context = "define clause"
        let token = nextNonSpace()
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let name = GoQuote.unquote(token.text) else { throw error("invalid syntax") }
        _ = try expect(.rightDelim, context)
        let saved = variables
        variables = ["$"]
        let (list, end) = try itemList()
        variables = saved
        guard case .end = end else { throw error("unexpected \(end.description) in \(context)") }
        try add(ParsedTemplate(name: name, parseName: parseName, root: list, source: source))
    }

    enum Item {
        case node(Node)
        case end(pos: Int)
        case elseMarker(pos: Int)

        var description: String {
            switch self {
            case .node(let node): node.description
            case .end: "{{end}}"
            case .elseMarker: "{{else}}"
            }
        }
    }

    private mutating func itemList() throws(TemplateParseError) -> (ListNode, Item) {
        var list = ListNode(pos: peekNonSpace().pos)
        while peekNonSpace().kind != .eof {
            let item = try textOrAction()
            switch item {
            case .end, .elseMarker: return (list, item)
            case .node(let node): list.nodes.append(node)
            }
        }
        throw error("unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateParseError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text: return .node(.text(pos: token.pos, token.text))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        case .comment: return .node(.comment(pos: token.pos, token.text))
        default: throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(TemplateParseError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword, .continueKeyword:
            let isBreak = token.kind == .breakKeyword
            let closing = nextNonSpace()
            guard closing.kind == .rightDelim else { throw unexpected(closing, isBreak ? "{{break}}" : "{{continue}}") }
            guard rangeDepth > 0 else { throw error(isBreak ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}") }
            return .node(isBreak ? .breakNode(pos: token.pos) : .continueNode(pos: token.pos))
        case .elseKeyword:
            let peeked = peekNonSpace()
            if peeked.kind == .ifKeyword || peeked.kind == .with { return .elseMarker(pos: peeked.pos) }
            return .elseMarker(pos: try expect(.rightDelim, "else").pos)
        case .end: return .end(pos: try expect(.rightDelim, "end").pos)
        case .ifKeyword: return .node(.ifNode(try parseControl("if")))
        case .range: return .node(.range(try parseControl("range")))
        case .template: return .node(try templateControl())
        case .with: return .node(.with(try parseControl("with")))
        default:
            backup()
            let pos = peek().pos
            return .node(.action(pos: pos, try pipeline("command", end: .rightDelim)))
        }
    }

    private mutating func parseControl(_ context: String) throws(TemplateParseError) -> Branch {
        let savedCount = variables.count
        defer { variables.removeLast(variables.count - savedCount) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, following) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: ListNode?
        switch following {
        case .end: break
        case .elseMarker(let pos):
            if context == "if" && peek().kind == .ifKeyword {
                _ = next()
                elseList = ListNode(pos: pos, nodes: [.ifNode(try parseControl("if"))])
            } else if context == "with" && peek().kind == .with {
                _ = next()
                elseList = ListNode(pos: pos, nodes: [.with(try parseControl("with"))])
            } else {
                let (list, end) = try itemList()
                guard case .end = end else { throw error("expected end; found \(end.description)") }
                elseList = list
            }
        case .node: break
        }
        return Branch(pos: pipe.pos, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func templateName(_ token: Token, _ context: String) throws(TemplateParseError) -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let name = GoQuote.unquote(token.text) else { throw error("invalid syntax") }
        return name
    }

    private mutating func templateControl() throws(TemplateParseError) -> Node {
        let token = nextNonSpace()
        let name = try templateName(token, "template clause")
        var pipe: Pipe?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline("template clause", end: .rightDelim)
        }
        return .template(pos: token.pos, name: name, pipe)
    }

    private mutating func blockControl() throws(TemplateParseError) -> Node {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        let saved = (variables, rangeDepth)
        variables = ["$"]
        rangeDepth = 0
        let (list, end) = try itemList()
        (variables, rangeDepth) = saved
        guard case .end = end else { throw error("unexpected \(end.description) in \(context)") }
        try add(ParsedTemplate(name: name, parseName: parseName, root: list, source: source))
        return .template(pos: token.pos, name: name, pipe)
    }
}
