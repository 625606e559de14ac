import Manifests

/// A file split into the value trees sops walks (one per YAML document) and its `sops` metadata, if any.
struct SOPSLoadedFile {
    var branches: [SOPSNode]
    var metadata: JSONValue?
}

/// Reading and writing the three formats, as sops' YAML, JSON and dotenv stores lay them out.
enum SOPSStore {
    static let metadataKey = "sops"

    static func load(_ bytes: [UInt8], format: SOPS.Format, file: String, maxDepth: Int) throws(SOPSError) -> SOPSLoadedFile {
        switch format {
        case .yaml:
            let documents: [YAMLDocument]
            do {
                documents = try YAMLDecoder().decode(bytes, file: file)
            } catch {
                throw SOPSError(.syntax, "not valid YAML: \(error)", cause: error)
            }
            return try split(documents.map(\.value), maxDepth: maxDepth)
        case .json:
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes, file: file)
            } catch {
                throw SOPSError(.syntax, "not valid JSON: \(error)", cause: error)
            }
            return try split([value], maxDepth: maxDepth)
        case .dotenv:
            return try SOPSDotenv.load(bytes)
        }
    }

    /// Takes the metadata from the first document, as sops does, and removes the `sops` key from every one.
    private static func split(_ documents: [JSONValue], maxDepth: Int) throws(SOPSError) -> SOPSLoadedFile {
        var branches: [SOPSNode] = []
        var metadata: JSONValue?
        for (index, document) in documents.enumerated() {
            guard case .object(var object) = document else {
                throw SOPSError(.syntax, "document \(index + 1) is a \(document.typeName), but SOPS files hold mappings")
            }
            if let found = object.entries.removeValue(forKey: metadataKey), index == 0 { metadata = found }
            branches.append(try SOPSNode(.object(object), maxDepth: maxDepth))
        }
        return SOPSLoadedFile(branches: branches, metadata: metadata)
    }

    /// Writes decrypted trees; YAML and JSON drop comments, which their value model cannot hold.
    static func emitPlain(_ branches: [SOPSNode], format: SOPS.Format) -> [UInt8] {
        switch format {
        case .yaml: Array(YAMLEncoder.encodeDocuments(branches.map(\.jsonValue)).utf8)
        case .json: Array(JSONWriter.pretty(branches.first?.jsonValue ?? .object([:])).utf8)
        case .dotenv: SOPSDotenv.emit(branches.first, metadata: nil)
        }
    }

    /// Writes encrypted trees with the metadata appended: to every YAML document, as sops does.
    static func emitEncrypted(_ branches: [SOPSNode], metadata: SOPSMetadata, format: SOPS.Format) -> [UInt8] {
        func withMetadata(_ node: SOPSNode) -> JSONValue {
            var value = node.jsonValue
            value[metadataKey] = metadata.jsonValue
            return value
        }
        switch format {
        case .yaml: return Array(YAMLEncoder.encodeDocuments(branches.map(withMetadata)).utf8)
        case .json: return Array(JSONWriter.pretty(withMetadata(branches.first ?? .mapping([]))).utf8)
        case .dotenv: return SOPSDotenv.emit(branches.first, metadata: metadata)
        }
    }
}
