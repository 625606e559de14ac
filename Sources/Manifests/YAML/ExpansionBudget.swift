/// A limit on the bytes of text that decoded documents may expand to, counted as they are
/// converted (an alias at its expanded size, before the expansion is built) and shared by
/// every file of one render.
///
/// The measure is the UTF-8 bytes of every mapping key and scalar: a lower bound on the size
/// of any encoding the objects are later written in, so a limit on it is a limit on output.
///
/// ```swift
/// var budget = ExpansionBudget(limit: 100 << 20, name: "the render limit")
/// let first = try YAMLDecoder().decode(bytesA, file: "a.yaml", budget: &budget)
/// let second = try YAMLDecoder().decode(bytesB, file: "b.yaml", budget: &budget)  // shares the limit
/// ```
public struct ExpansionBudget: Sendable, Hashable {
    /// The most bytes allowed.
    public let limit: Int
    /// What the limit is called in errors, e.g. "the render limit (DirectoryRenderer.maximumRenderBytes)".
    public let name: String
    /// The bytes spent so far.
    public private(set) var used = 0

    /// Creates a budget with nothing spent.
    public init(limit: Int, name: String) {
        self.limit = limit
        self.name = name
    }

    /// Spends `bytes`, or returns false and spends nothing when that would pass the limit.
    public mutating func spend(_ bytes: Int) -> Bool {
        guard bytes <= limit - used else { return false }
        used += bytes
        return true
    }

    /// "more than 4194304 bytes (4 MiB), <name>": how errors state the limit that was hit.
    public var exceeded: String { Self.describe(limit, name) }

    static func describe(_ limit: Int, _ name: String) -> String {
        let size = limit >= 1 << 20 && limit % (1 << 20) == 0 ? " (\(limit >> 20) MiB)" : ""
        return "more than \(limit) bytes\(size), \(name)"
    }
}

extension JSONValue {
    /// The UTF-8 bytes of the value's keys and scalars, the measure an `ExpansionBudget`
    /// counts: strings and keys by their text, numbers, booleans and null by their JSON text.
    public var textByteCount: Int {
        switch self {
        case .null: 4
        case .bool(let value): value ? 4 : 5
        case .number(let number): number.description.utf8.count
        case .string(let string): string.utf8.count
        case .array(let items): items.reduce(0) { $0 + $1.textByteCount }
        case .object(let object): object.entries.reduce(0) { $0 + $1.key.utf8.count + $1.value.textByteCount }
        }
    }
}
