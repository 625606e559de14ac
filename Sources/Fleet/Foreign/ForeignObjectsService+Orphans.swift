import Controller
import Kube
import Manifests

extension ForeignObjectsService {
    /// Deletes the translated objects whose origin is confirmed gone, or translates without error
    /// to objects that no longer include them. Nothing is deleted when a list fails.
    func deleteOrphans(_ result: PassResult, memory: inout PassMemory) async {
        var tools: [String] = []
        if configuration.readArgoCD { tools.append("argocd") }
        if configuration.readFlux { tools.append("flux") }
        let selector: LabelSelector = [.in(Self.translatedLabel, tools)]
        var namespaces: [String?] = configuration.watchScope.namespaces.map { $0.map(Optional.some) } ?? [nil]
        if !namespaces.contains(nil), !namespaces.contains(configuration.controllerNamespace) { namespaces.append(configuration.controllerNamespace) }
        var candidates: [String: (kind: GroupVersionKind, object: Manifest)] = [:]
        for kind in ForeignKinds.translated {
            for namespace in namespaces {
                do {
                    for object in try await client.listAll(kind, namespace: namespace, options: ListOptions(labelSelector: selector)).items {
                        candidates[Self.id(object)] = (kind, object)
                    }
                } catch {
                    // A kind not served holds no translation; any other failure leaves everything in place.
                    guard error.code == .unknownKind else { return }
                }
            }
        }
        var terminating: [String: Bool] = [:]
        var orphans: [(kind: GroupVersionKind, object: Manifest, origin: String)] = []
        for (id, candidate) in candidates.sorted(by: { $0.key < $1.key }) {
            guard let origin = candidate.object.annotations[TranslatedFrom.annotation],
                result.listedKinds.contains(String(origin.prefix { $0 != " " }))
            else { continue }
            if let produced = result.produced[origin] {
                if produced.contains(id) { continue }  // still produced
            } else if result.origins[origin] != nil {
                continue  // the origin is there but does not translate now: keep what it made
            } else if await !isGone(origin, terminating: &terminating, memory: &memory) {
                continue
            }
            orphans.append((candidate.kind, candidate.object, origin))
        }
        guard !orphans.isEmpty else { return }
        // A Project goes only once no Application names it (its Applications may still be finalizing).
        var projectsInUse: Set<String> = []
        let scope: [String?] = configuration.watchScope.namespaces.map { $0.map(Optional.some) } ?? [nil]
        for namespace in scope {
            guard let list = try? await client.listAll(ForeignKinds.translated[0], namespace: namespace) else { return }
            for application in list.items { projectsInUse.insert(application.object["spec"]?["project"]?.stringValue ?? Project.defaultName) }
        }
        for orphan in orphans {
            if orphan.object.kind == Project.kind, projectsInUse.contains(orphan.object.name) { continue }
            let id = Self.id(orphan.object)
            do {
                _ = try await client.delete(orphan.kind, name: orphan.object.name, namespace: orphan.object.namespace, options: DeleteOptions())
                memory.applied[id] = nil
                logger.info("deleted \(id): \(orphan.origin) no longer translates to it")
            } catch {
                guard !error.isNotFound else { continue }
                logger.warning("cannot delete \(id)", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Whether the origin named `origin` (`group/Kind namespace/name`) is confirmed gone: a read
    /// answers NotFound, and its kind's CRD is not being deleted (a removal of the tool sweeps its
    /// objects: Keelson's stay).
    func isGone(_ origin: String, terminating: inout [String: Bool], memory: inout PassMemory) async -> Bool {
        let parts = origin.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        let groupKind = parts[0].split(separator: "/").map(String.init)
        let place = parts[1].split(separator: "/").map(String.init)
        guard groupKind.count == 2, place.count == 2,
            let kind = (ForeignKinds.argoCD + ForeignKinds.flux).first(where: { $0.group == groupKind[0] && $0.kind == groupKind[1] })
        else { return false }
        do {
            _ = try await client.get(kind, name: place[1], namespace: place[0])
            return false
        } catch {
            guard error.isNotFound else { return false }
        }
        let key = "\(kind.group)/\(kind.kind)"
        if terminating[key] == nil {
            let crd = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
            if let resource = try? await client.resource(for: kind),
                let definition = try? await client.get(crd, name: "\(resource.plural).\(kind.group)", namespace: nil)
            {
                terminating[key] = definition.metadata["deletionTimestamp"] != nil
            } else {
                terminating[key] = true  // unknown: keep
            }
        }
        if terminating[key] == true {
            note(&memory, "the \(key) CRD is being removed (or cannot be read): what was translated from its objects is kept")
            return false
        }
        return true
    }
}
