import Manifests

extension Shape {
    /// Whether traffic is shaped now (any phase but idle).
    var shaping: Bool { state.phase != .healthy }

    /// Points traffic where the state says: the apex Service's selector, the generated Services,
    /// and the router's own object.
    mutating func overlayTraffic() {
        guard let service = spec.service,
            let apexIndex = manifests.firstIndex(where: {
                $0.kind == "Service" && $0.group.isEmpty && $0.name == service.name && $0.namespace == spec.namespace
            })
        else { return }
        let apex = manifests[apexIndex]
        if blueGreen != nil || traffic.routed { touched.insert(apex.key) }
        if blueGreen != nil {
            if shaping { manifests[apexIndex] = selecting(apex, state.setWeight >= 100 ? .canary : .stable) }
            generate(copyOf: apex, named: previewService ?? service.name + "-preview", exists: shaping && canaryExists)
            return
        }
        guard traffic.routed, let canaryService = spec.canaryService else { return }
        if shaping { manifests[apexIndex] = selecting(apex, .stable) }
        generate(copyOf: apex, named: canaryService, exists: shaping)
        switch traffic {
        case .replicas: break
        case .gatewayAPI(let route, let rule): weighRoute(route, rule: rule, apex: service.name, canary: canaryService)
        case .nginx(let ingress, let prefix): canaryIngress(ingress, prefix: prefix, apex: service.name, canary: canaryService)
        case .patch(let target): patchWeights(target)
        }
    }

    /// `service` with its selector narrowed to one track.
    func selecting(_ service: Manifest, _ track: PodTemplate.Track) -> Manifest {
        var service = service
        var selector = service.object["spec"]?["selector"]?.objectValue ?? [:]
        selector[RolloutAPI.trackLabel] = .string(track.rawValue)
        service.object["spec"]?["selector"] = .object(selector)
        return service
    }

    /// A generated ClusterIP copy of `apex` that selects only canary pods, or its removal.
    mutating func generate(copyOf apex: Manifest, named name: String, exists: Bool) {
        guard exists else {
            removed.append(ResourceKey(group: "", kind: "Service", namespace: spec.namespace, name: name))
            return
        }
        var copy = generatedObject(apiVersion: "v1", kind: "Service", name: name)
        var serviceSpec = selecting(apex, .canary).object["spec"]?.objectValue ?? [:]
        for field in ["clusterIP", "clusterIPs", "healthCheckNodePort", "loadBalancerIP", "externalTrafficPolicy", "type"] {
            serviceSpec.entries.removeValue(forKey: field)
        }
        if case .array(let ports) = serviceSpec["ports"] {
            serviceSpec["ports"] = .array(
                ports.map { port in
                    var port = port
                    _ = port.withObject { $0.entries.removeValue(forKey: "nodePort") }
                    return port
                })
        }
        copy.object["spec"] = .object(serviceSpec)
        generated.append(copy)
    }

    /// The user's HTTPRoute with every backendRef to the apex split between stable and canary.
    mutating func weighRoute(_ name: String, rule: Int?, apex: String, canary: String) {
        guard
            let index = manifests.firstIndex(where: {
                $0.kind == "HTTPRoute" && $0.group == "gateway.networking.k8s.io" && $0.name == name && $0.namespace == spec.namespace
            })
        else { return }
        touched.insert(manifests[index].key)
        guard shaping else { return }
        var route = manifests[index]
        guard case .array(var rules) = route.object["spec"]?["rules"] else { return }
        for position in rules.indices where rule == nil || rule == position {
            guard case .array(let refs) = rules[position]["backendRefs"] else { continue }
            var split: [JSONValue] = []
            for ref in refs {
                guard ref["name"]?.stringValue == apex, (ref["kind"]?.stringValue ?? "Service") == "Service" else {
                    split.append(ref)
                    continue
                }
                var stable = ref
                stable["weight"] = .number(JSONNumber(Int64(100 - state.setWeight)))
                var canaryRef = ref
                canaryRef["name"] = .string(canary)
                canaryRef["weight"] = .number(JSONNumber(Int64(state.setWeight)))
                split += [stable, canaryRef]
            }
            rules[position]["backendRefs"] = .array(split)
        }
        route.object["spec"]?["rules"] = .array(rules)
        manifests[index] = route
    }

    /// A generated ingress-nginx canary Ingress beside the user's, carrying the weight.
    mutating func canaryIngress(_ name: String, prefix: String, apex: String, canary: String) {
        let key = ResourceKey(group: "networking.k8s.io", kind: "Ingress", namespace: spec.namespace, name: name + "-canary")
        guard shaping,
            let ingress = manifests.first(where: {
                $0.kind == "Ingress" && $0.group == "networking.k8s.io" && $0.name == name && $0.namespace == spec.namespace
            })
        else {
            removed.append(key)
            return
        }
        var ingressSpec = ingress.object["spec"]?.objectValue ?? [:]
        ingressSpec.entries.removeValue(forKey: "defaultBackend")
        var rules: [JSONValue] = []
        for rule in ingress.object["spec"]?["rules"]?.arrayValue ?? [] {
            let paths = (rule["http"]?["paths"]?.arrayValue ?? []).compactMap { path -> JSONValue? in
                guard path["backend"]?["service"]?["name"]?.stringValue == apex else { return nil }
                var path = path
                path["backend"]?["service"]?["name"] = .string(canary)
                return path
            }
            guard !paths.isEmpty else { continue }
            var rule = rule
            rule["http"]?["paths"] = .array(paths)
            rules.append(rule)
        }
        ingressSpec["rules"] = .array(rules)
        var copy = generatedObject(apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: key.name)
        copy.setAnnotation(prefix + "/canary", "true")
        copy.setAnnotation(prefix + "/canary-weight", String(state.setWeight))
        copy.object["spec"] = .object(ingressSpec)
        generated.append(copy)
    }

    /// The two weights written into the user's object at its JSON pointers.
    mutating func patchWeights(_ target: RolloutSpec.PatchTarget) {
        guard
            let index = manifests.firstIndex(where: {
                $0.apiVersion == target.apiVersion && $0.kind == target.kind && $0.name == target.name
                    && ($0.namespace == spec.namespace || $0.namespace.isEmpty)
            })
        else { return }
        touched.insert(manifests[index].key)
        guard shaping else { return }
        var value = manifests[index].value
        for (pointer, weight) in [(target.stableWeight, 100 - state.setWeight), (target.canaryWeight, state.setWeight)] {
            let document: JSONValue = .array([.object(["op": "add", "path": .string(pointer), "value": .number(JSONNumber(Int64(weight)))])])
            guard let patch = try? JSONPatch(document), let patched = try? patch.apply(to: value) else { continue }
            value = patched
        }
        if let object = value.objectValue { manifests[index] = Manifest(unchecked: object, source: manifests[index].source) }
    }
}
