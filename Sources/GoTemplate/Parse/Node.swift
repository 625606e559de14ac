/// A parsed template: its name, the name of the text it came from (for error locations) and its body.
public struct ParsedTemplate: Sendable {
    /// The template's name (`define`'s name or the file's name).
    public var name: String
    /// The name of the text the template was parsed from, as errors print it.
    var parseName: String
    var root: ListNode
    var source: SourceText

    /// Go's `parse.IsEmptyTree`: only whitespace text, comments and empty control structures.
    var isEmpty: Bool { root.isEmpty }
}

/// The text a template was parsed from, kept to turn node offsets into `LINE:COL`.
final class SourceText: Sendable {
    let bytes: [UInt8]
    init(_ text: String) { bytes = Array(text.utf8) }

    /// Go's `ErrorContext` location: 1-based line and 0-based byte column.
    func location(_ pos: Int) -> (line: Int, column: Int) {
        let end = min(pos, bytes.count)
        var line = 1
        var lastNewline = -1
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lastNewline = index
        }
        return (line, lastNewline < 0 ? pos : pos - lastNewline - 1)
    }
}

struct ListNode: Sendable {
    var pos: Int
    var nodes: [Node] = []

    var isEmpty: Bool { nodes.allSatisfy(\.isEmpty) }
    var description: String { nodes.map(\.description).joined() }
}

struct Branch: Sendable {
    var pos: Int
    var pipe: Pipe
    var list: ListNode
    var elseList: ListNode?

    func description(_ keyword: String) -> String {
        var out = "{{\(keyword) \(pipe.description)}}\(list.description)"
        if let elseList { out += "{{else}}\(elseList.description)" }
        return out + "{{end}}"
    }
}

indirect enum Node: Sendable {
    case text(pos: Int, String)
    case comment(pos: Int, String)
    case action(pos: Int, Pipe)
    case ifNode(Branch)
    case range(Branch)
    case with(Branch)
    case template(pos: Int, name: String, Pipe?)
    case breakNode(pos: Int)
    case continueNode(pos: Int)
    case list(ListNode)

    var pos: Int {
        switch self {
        case .text(let pos, _), .comment(let pos, _), .action(let pos, _), .template(let pos, _, _), .breakNode(let pos), .continueNode(let pos):
            pos
        case .ifNode(let branch), .range(let branch), .with(let branch): branch.pos
        case .list(let list): list.pos
        }
    }

    var isEmpty: Bool {
        switch self {
        case .text(_, let text): text.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        case .comment: true
        case .action, .template, .breakNode, .continueNode: false
        case .ifNode(let branch), .range(let branch), .with(let branch): branch.list.isEmpty && (branch.elseList?.isEmpty ?? true)
        case .list(let list): list.isEmpty
        }
    }

    var description: String {
        switch self {
        case .text(_, let text): text
        case .comment(_, let text): "{{\(text)}}"
        case .action(_, let pipe): "{{\(pipe.description)}}"
        case .ifNode(let branch): branch.description("if")
        case .range(let branch): branch.description("range")
        case .with(let branch): branch.description("with")
        case .template(_, let name, let pipe):
            pipe.map { "{{template \(GoQuote.quote(name)) \($0.description)}}" } ?? "{{template \(GoQuote.quote(name))}}"
        case .breakNode: "{{break}}"
        case .continueNode: "{{continue}}"
        case .list(let list): list.description
        }
    }
}

/// A pipeline: optional variable declarations and `|`-separated commands.
struct Pipe: Sendable {
    var pos: Int
    var isAssign = false
    var declarations: [(pos: Int, name: String)] = []
    var commands: [Command] = []

    var description: String {
        var out = ""
        if !declarations.isEmpty {
            out = declarations.map(\.name).joined(separator: ", ") + (isAssign ? " = " : " := ")
        }
        return out + commands.map(\.description).joined(separator: " | ")
    }
}

struct Command: Sendable {
    var pos: Int
    var arguments: [Argument] = []

    var description: String {
        arguments.map { argument in
            if case .pipe(let pipe) = argument { return "(\(pipe.description))" }
            return argument.description
        }.joined(separator: " ")
    }
}

struct NumberNode: Sendable {
    var pos: Int
    var text: String
    var isInt = false
    var isUint = false
    var isFloat = false
    var isComplex = false
    var int: Int64 = 0
    var uint: UInt64 = 0
    var float: Double = 0
}

/// An operand of a command.
indirect enum Argument: Sendable {
    case field(pos: Int, [String])
    case chain(pos: Int, Argument, [String])
    case variable(pos: Int, [String])
    case identifier(pos: Int, String)
    case dot(pos: Int)
    case nilValue(pos: Int)
    case bool(pos: Int, Bool)
    case number(NumberNode)
    case string(pos: Int, quoted: String, String)
    case pipe(Pipe)

    var pos: Int {
        switch self {
        case .field(let pos, _), .chain(let pos, _, _), .variable(let pos, _), .identifier(let pos, _), .dot(let pos), .nilValue(let pos),
            .bool(let pos, _), .string(let pos, _, _):
            pos
        case .number(let number): number.pos
        case .pipe(let pipe): pipe.pos
        }
    }

    var description: String {
        switch self {
        case .field(_, let names): names.map { "." + $0 }.joined()
        case .chain(_, let base, let names):
            if case .pipe(let pipe) = base {
                "(\(pipe.description))" + names.map { "." + $0 }.joined()
            } else {
                base.description + names.map { "." + $0 }.joined()
            }
        case .variable(_, let names): names.joined(separator: ".")
        case .identifier(_, let name): name
        case .dot: "."
        case .nilValue: "nil"
        case .bool(_, let value): value ? "true" : "false"
        case .number(let number): number.text
        case .string(_, let quoted, _): quoted
        case .pipe(let pipe): pipe.description
        }
    }
}
