import Manifests

/// The built-in transformers a kustomization runs over its resources, in kustomize's order.
extension Build {
    mutating func runTransformers(_ kustomization: Kustomization, on set: inout ResourceSet) throws(RenderError) {
        try applyStrategicMergePatches(kustomization, to: &set)
        try applyPatches(kustomization, to: &set)
        try applyNamespace(kustomization, to: &set)
        try applyPrefixSuffix(kustomization, to: &set)
        try applyLabels(kustomization, to: &set)
        try applyAnnotations(kustomization, to: &set)
        try applyJSON6902Patches(kustomization, to: &set)
        try applyReplicas(kustomization, to: &set)
        try applyImages(kustomization, to: &set)
        try applyReplacements(kustomization, to: &set)
    }

    // MARK: namespace

    /// Sets `namespace` on namespaced objects and at the namespace field specs; role binding
    /// subjects get it as `options` say (those named `default`, for the kustomization field).
    func applyNamespace(
        _ kustomization: Kustomization, to set: inout ResourceSet, options: NamespaceOptions = NamespaceOptions()
    ) throws(RenderError) {
        let namespace = try kustomization.string("namespace")
        guard !namespace.isEmpty else { return }
        let specs = set.config.namespace.filter { $0.path != "metadata/namespace" }
        func assign(_ value: inout JSONValue) {
            if !options.unsetOnly || (value.stringValue ?? "").isEmpty { value = .string(namespace) }
        }
        // kustomize v5.8 leaves Helm's output where the chart put it (the release namespace went to Helm).
        for index in set.indices where !set.resources[index].fromHelmChart {
            var resource = set.resources[index]
            resource.storePreviousId()
            let id = resource.currentId
            if !id.isClusterScoped && (!options.unsetOnly || id.namespace.isEmpty) { resource.setNamespace(namespace) }
            let isRoleBinding = id.kind == "RoleBinding" || id.kind == "ClusterRoleBinding"
            if isRoleBinding, var subjects = resource.object["subjects"]?.arrayValue {
                for i in subjects.indices where options.subjects.covers(subjects[i]) {
                    var value = subjects[i]["namespace"] ?? .null
                    assign(&value)
                    subjects[i]["namespace"] = value
                }
                resource.object["subjects"] = .array(subjects)
            }
            // Only the core Namespace (apiVersion v1) is renamed to the namespace, not a custom kind of that name.
            let isCoreObject = resource.object["apiVersion"]?.stringValue == "v1"
            for spec in specs where !(isRoleBinding && spec.path.hasPrefix("subjects")) && (isCoreObject || spec.path != "metadata/name") {
                try FieldPath.apply(spec, to: &resource.object, leaf: .string) { value throws(RenderError) in assign(&value) }
            }
            set.resources[index] = resource
        }
        var seen: Set<ResId.Key> = []
        for resource in set.resources where !seen.insert(resource.currentId.key).inserted {
            throw kustomization.error("namespace", "namespace transformation produces ID conflict: \(resource.currentId)", code: .transform)
        }
    }

    // MARK: namePrefix / nameSuffix

    func applyPrefixSuffix(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        let prefix = try kustomization.string("namePrefix")
        let suffix = try kustomization.string("nameSuffix")
        let specs = set.config.namePrefix
        for index in set.indices {
            let original = set.resources[index].originalId
            if FieldSpecs.prefixSkipped.contains(where: { $0.selects(original) }) { continue }
            for spec in specs where spec.selects(original) {
                if spec.path == "metadata/name" {
                    if !prefix.isEmpty { set.resources[index].prefixes.append(prefix) }
                    if !suffix.isEmpty { set.resources[index].suffixes.append(suffix) }
                    if !prefix.isEmpty || !suffix.isEmpty { set.resources[index].storePreviousId() }
                }
                guard !prefix.isEmpty || !suffix.isEmpty else { continue }
                try FieldPath.visit(&set.resources[index].object, spec.segments[...], create: spec.create, leaf: .string) {
                    value throws(RenderError) in
                    if let name = value.stringValue { value = .string(prefix + name + suffix) }
                }
            }
        }
    }

    // MARK: labels and annotations

    func applyLabels(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for entry in try kustomization.objects("labels") {
            let pairs = try Kustomization.stringMap(entry["pairs"], field: "labels", in: kustomization)
            var specs = try TransformerConfig.specs(entry["fields"] ?? .array([]), file: kustomization.file, table: "labels")
            if entry["includeSelectors"]?.boolValue == true {
                Self.add(set.config.commonLabels, to: &specs)
            } else {
                if entry["includeTemplates"]?.boolValue == true { Self.add(set.config.templateLabels, to: &specs) }
                Self.add([FieldSpec(path: "metadata/labels", create: true)], to: &specs)
            }
            Self.add(set.config.labels, to: &specs)
            try setEntries(pairs, at: specs, in: &set)
        }
        try setEntries(try kustomization.stringMap("commonLabels"), at: set.config.commonLabels, in: &set)
    }

    func applyAnnotations(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        try setEntries(try kustomization.stringMap("commonAnnotations"), at: set.config.commonAnnotations, in: &set)
    }

    static func add(_ specs: [FieldSpec], to list: inout [FieldSpec]) {
        for spec in specs where !list.contains(where: { $0.path == spec.path && $0.kind == spec.kind && $0.group == spec.group }) {
            list.append(spec)
        }
    }

    /// Sets each pair in the maps found at `specs`, creating maps where the spec says so.
    func setEntries(_ pairs: [(String, String)], at specs: [FieldSpec], in set: inout ResourceSet) throws(RenderError) {
        guard !pairs.isEmpty else { return }
        for index in set.indices {
            // Labels and annotations never change a kind, so the specs that apply are chosen once per object.
            let id = set.resources[index].currentId
            let selected = specs.filter { $0.selects(id) }
            guard !selected.isEmpty else { continue }
            for spec in selected {
                try FieldPath.visit(&set.resources[index].object, spec.segments[...], create: spec.create, leaf: .object) {
                    value throws(RenderError) in
                    if value.isNull { value = .object([:]) }
                    guard case .object = value else {
                        throw RenderError(.transform, "\(spec.path): expected a map, found \(value.typeName)")
                    }
                    value.withObject { (map: inout JSONObject) in
                        for (key, text) in pairs { map[key] = .string(text) }
                    }
                }
            }
        }
    }
}
