import Foundation
import Kube
import Manifests
import Registry

/// Why a policy cannot be scanned, for its `Ready` condition.
struct PolicyProblem: Error, Sendable {
    var reason: String
    var message: String
}

/// One listed policy: its object and either what to scan or why it cannot be.
struct PolicyEntry: Sendable {
    var id: String
    var object: Manifest
    var outcome: Result<(ImagePolicy, ImageRepositorySpec), PolicyProblem>
}

extension ImageAutomationService {
    /// Keelson's ImagePolicies, and Flux's (with their ImageRepositories) where Flux's CRDs are
    /// served, from the watches; a Keelson policy wins over a Flux one of the same namespace and name.
    func listPolicies(_ stores: ImageAutomationStores) async -> [PolicyEntry] {
        var repositories: [String: Result<ImageRepositorySpec, PolicyProblem>] = [:]
        for entry in await stores.fluxRepositories.all() ?? [] {
            repositories[ImageAutomationStores.Store<ImageRepositorySpec>.id(entry.object)] = entry.parsed.mapError { error in
                PolicyProblem(reason: "InvalidRepository", message: error.description)
            }
        }
        var entries: [PolicyEntry] = []
        var seen: Set<String> = []
        for entry in (await stores.policies.all() ?? []) + (await stores.fluxPolicies.all() ?? []) {
            let id = "\(entry.object.namespace):\(entry.object.name)"
            guard seen.insert(id).inserted else { continue }
            let outcome: Result<(ImagePolicy, ImageRepositorySpec), PolicyProblem>
            switch entry.parsed {
            case .failure(let error): outcome = .failure(PolicyProblem(reason: "InvalidSpec", message: error.description))
            case .success(let policy):
                switch policy.repository {
                case .inline(let repository): outcome = .success((policy, repository))
                case .reference(let name, let namespace):
                    switch repositories["\(namespace)/\(name)"] {
                    case .success(let repository)?: outcome = .success((policy, repository))
                    case .failure(let problem)?: outcome = .failure(problem)
                    case nil:
                        outcome = .failure(PolicyProblem(reason: "RepositoryNotFound", message: "ImageRepository \(namespace)/\(name) not found"))
                    }
                }
            }
            entries.append(PolicyEntry(id: id, object: entry.object, outcome: outcome))
        }
        await state.setPolicies(
            entries.map { entry in
                let image = try? entry.outcome.get().1.image
                return (entry.id, image.flatMap { try? ImageReference.parse($0) }, Self.latestRef(entry.object))
            })
        return entries
    }

    /// The selection a previous run wrote to `status.latestRef`.
    static func latestRef(_ object: Manifest) -> SelectedImage? {
        guard let ref = object.object["status"]?["latestRef"], let name = ref["name"]?.stringValue, let tag = ref["tag"]?.stringValue else {
            return nil
        }
        return SelectedImage(name: name, tag: tag, digest: ref["digest"]?.stringValue)
    }

    /// Scans the policy's repository, chooses a tag, and writes the policy's status.
    func scan(_ policy: ImagePolicy, repository: ImageRepositorySpec, object: Manifest) async {
        let generation = object.metadata["generation"]?.intValue ?? 0
        let interval = policy.interval ?? repository.interval
        let previous = await state.result(policy.id)
        do {
            // The Secret lives beside whatever names it: the policy, or Flux's ImageRepository.
            var secretNamespace = policy.namespace
            if case .reference(_, let namespace) = policy.repository { secretNamespace = namespace }
            let docker = try await dockerConfig(repository.secretRef, namespace: secretNamespace)
            let (selected, tagCount) = try await PolicyScanner.select(
                policy, repository: repository, options: configuration.registry, docker: docker, previous: previous)
            await state.finishScan(policy.id, generation: generation, result: selected, next: .now + interval)
            let latest = selected.value(for: .image) ?? selected.name
            let message = "latest image tag for \(repository.image) resolved to \(selected.tag)"
            await writeStatus(object, conditions: ResourceCondition(ready: true, reason: "Succeeded", message: message)) { status in
                let before = status["latestImage"]?.stringValue
                if let before, before != latest { status["observedPreviousImage"] = .string(before) }
                status["latestImage"] = .string(latest)
                status["latestTag"] = .string(selected.tag)
                var ref: JSONObject = ["name": .string(selected.name), "tag": .string(selected.tag)]
                if let digest = selected.digest { ref["digest"] = .string(digest) }
                status["latestRef"] = .object(ref)
                status["lastScanResult"] = ["tagCount": .number(JSONNumber(Int64(tagCount))), "scanTime": .string(ResourceTime.format(Date()))]
            }
            if previous != selected {
                logger.info("image policy selected", metadata: ["keelson.policy": "\(policy.id)", "image": "\(latest)"])
            }
        } catch {
            await state.finishScan(policy.id, generation: generation, result: nil, next: .now + min(interval, .seconds(60)))
            let (reason, message) = Self.describe(error)
            logger.warning("image scan failed", metadata: ["keelson.policy": "\(policy.id)", "error": "\(message)"])
            await writeStatus(object, conditions: ResourceCondition(ready: false, reason: reason, message: message)) { _ in }
        }
    }

    /// The docker config in the `.dockerconfigjson` of Secret `name` in `namespace`.
    func dockerConfig(_ name: String?, namespace: String) async throws -> DockerConfig? {
        guard let name else { return nil }
        let subject = "Secret \(namespace)/\(name)"
        guard let json = try await secretValues(name, namespace: namespace)[".dockerconfigjson"] else {
            throw ImageAutomationError(.credentials, "has no .dockerconfigjson key (type kubernetes.io/dockerconfigjson)", subject: subject)
        }
        do { return try DockerConfig(Array(json.utf8), source: subject) } catch { throw ImageAutomationError(error) }
    }

    /// The decoded values of Secret `name` in `namespace` (`data`, then `stringData`), each at
    /// most 1 MiB. Errors name the Secret, never a value.
    func secretValues(_ name: String, namespace: String) async throws -> [String: String] {
        let subject = "Secret \(namespace)/\(name)"
        let secret: Manifest
        do { secret = try await client.get(Self.secretKind, name: name, namespace: namespace) } catch {
            throw ImageAutomationError(
                .credentials, error.isNotFound ? "not found" : "cannot be read (\(error.status?.reason ?? "error"))", subject: subject)
        }
        var values: [String: String] = [:]
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, encoded.utf8.count <= 4 << 20 / 3, let data = Data(base64Encoded: encoded) else {
                throw ImageAutomationError(.credentials, "data.\(key) is not base64 of at most 1 MiB", subject: subject)
            }
            values[key] = String(decoding: data, as: UTF8.self)
        }
        for (key, value) in secret.object["stringData"]?.objectValue ?? [:] { values[key] = value.stringValue }
        return values
    }

    /// A condition reason and a message for an error (neither ever holds a credential).
    static func describe(_ error: any Error) -> (String, String) {
        switch error {
        case let error as ImageAutomationError:
            let reason: String =
                switch error.code {
                case .unauthorized, .credentials: "AuthenticationFailed"
                case .noMatchingTag: "NoMatchingTag"
                case .invalidPolicy, .invalidReference, .insecure: "InvalidSpec"
                case .setter: "UpdateFailed"
                default: "ScanFailed"
                }
            return (reason, error.description)
        case let error as ImageResourceError: return ("InvalidSpec", error.description)
        default: return ("Failed", "\(error)")
        }
    }
}
