import GoTemplate

extension ChartMetadata {
    /// `.Chart` as Helm 4 gives it to templates: a map of the metadata's Go field names, with
    /// `IsRoot` added (empty lists as `[]`, missing annotations as nil).
    func value(isRoot: Bool) -> Value {
        func strings(_ items: [String]) -> Value { .list(items.map { .string($0) }) }
        return .map([
            "APIVersion": .string(apiVersion), "Name": .string(name), "Home": .string(home), "Sources": strings(sources),
            "Version": .string(version), "Description": .string(description), "Keywords": strings(keywords),
            "Maintainers": .list(
                maintainers.map { .map(["Name": .string($0.name), "Email": .string($0.email), "URL": .string($0.url)]) }),
            "Icon": .string(icon), "Condition": .string(condition), "Tags": .string(tags), "AppVersion": .string(appVersion),
            "Deprecated": .bool(deprecated),
            "Annotations": annotations.isEmpty ? .null : .map(annotations.mapValues { .string($0) }, element: .string),
            "KubeVersion": .string(kubeVersion), "Type": .string(type), "IsRoot": .bool(isRoot),
            "Dependencies": .list(
                dependencies.map { dependency in
                    .map([
                        "Name": .string(dependency.name), "Version": .string(dependency.version),
                        "Repository": .string(dependency.repository), "Condition": .string(dependency.condition),
                        "Tags": strings(dependency.tags), "Enabled": .bool(dependency.enabled), "ImportValues": .list(dependency.importValues),
                        "Alias": .string(dependency.alias),
                    ])
                }),
        ])
    }
}
