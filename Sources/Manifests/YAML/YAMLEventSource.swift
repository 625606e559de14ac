/// A stream of YAML events as libyaml's parser gives them: `YAMLEventParser`, or
/// `SimpleYAMLEvents` for the subset of YAML it reads without libyaml.
public protocol YAMLEventSource {
    /// Reads the next event; after `.streamEnd` it stays there.
    mutating func next() throws(YAMLEventParser.Failure) -> YAMLEventParser.Kind
    /// The current scalar's text (empty for other events).
    var scalarValue: String { get }
    /// Whether the current event is a scalar whose text is `text`, compared byte for byte.
    func scalarIs(_ text: StaticString) -> Bool
    /// Whether the current scalar is plain (unquoted, not a block scalar).
    var isPlainScalar: Bool { get }
    /// Whether the current scalar, sequence or mapping has a tag written on it.
    var hasExplicitTag: Bool { get }
    /// The current node's tag: written on it, or `tag:yaml.org,2002:str` for a quoted scalar.
    var tag: String? { get }
    /// The anchor the current node defines, or the one the current alias names.
    var anchor: String? { get }
}

extension YAMLEventParser: YAMLEventSource {}
