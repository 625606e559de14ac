import Foundation
import Manifests

extension ProviderCredentials {
    /// The credentials in a Secret's `data` (base64) and `stringData`: `address`, `token`,
    /// `username`, `password`, `headers` (a YAML map), `routingKey`, `apiKey`, `hmacKey`.
    public init(secret: Manifest) throws(NotifyObjectError) {
        self.init()
        var values: [String: String] = [:]
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
            values[key] = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        for (key, value) in secret.object["stringData"]?.objectValue ?? [:] { values[key] = value.stringValue }
        address = values["address"]
        token = values["token"]
        username = values["username"]
        password = values["password"]
        routingKey = values["routingKey"]
        apiKey = values["apiKey"]
        hmacKey = values["hmacKey"]
        if let text = values["headers"] {
            // The error names the key only: header values are credentials too.
            let refused = NotifyObjectError(
                kind: "Secret", object: "\(secret.namespace)/\(secret.name)", field: "headers", message: "must be a YAML map of strings")
            guard let document = try? YAMLDecoder().decode(text, file: "headers").first?.value, case .object(let map) = document else {
                throw refused
            }
            for (name, value) in map {
                guard let text = value.stringValue else { throw refused }
                headers[name] = text
            }
        }
    }
}
