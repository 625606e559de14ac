import Manifests

extension ListGenerator {
    /// One parameter set per element: the element as it is with `goTemplate`; otherwise its
    /// scalar fields as strings and its `values` map as `values.<key>` (Argo CD refuses nested
    /// values in fasttemplate mode, and so does Keelson).
    func parameters(goTemplate: Bool, field: String) throws(ApplicationSetError) -> [Parameters] {
        guard !goTemplate else { return elements }
        var result: [Parameters] = []
        for (index, element) in elements.enumerated() {
            var parameters = Parameters()
            for (key, value) in element {
                if key == "values", let values = value.objectValue {
                    for (name, item) in values {
                        guard let text = Self.scalarText(item) else {
                            throw ApplicationSetError(.generator, field: "\(field).elements[\(index)].values.\(name)", "must be a string")
                        }
                        parameters["values." + name] = .string(text)
                    }
                    continue
                }
                guard let text = Self.scalarText(value) else {
                    throw ApplicationSetError(
                        .generator, field: "\(field).elements[\(index)].\(key)", "must be a string unless the set uses goTemplate")
                }
                parameters[key] = .string(text)
            }
            result.append(parameters)
        }
        return result
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string, .number, .bool: ParameterText.text(value)
        default: nil
        }
    }
}
