import Fleet
import Foundation
import Manifests
import SCM
import Testing

/// Each generator's parameters, with Argo CD's names in both template modes.
@Suite struct GeneratorTests {
    /// list: fasttemplate wants strings (values under values.<k>); goTemplate keeps elements whole.
    @Test func listElementsAndElementsYaml() async throws {
        let flat = try await parameters(
            setYAML("  - list: {elements: [{cluster: a, url: 'https://a', values: {size: big}}], elementsYaml: '[{cluster: b, url: x}]'}"))
        #expect(flat.count == 2)
        #expect(flat[0]["cluster"] == "a" && flat[0]["values.size"] == "big")
        #expect(flat[1]["cluster"] == "b")
        let nested = try await parameters(setYAML("  - list: {elements: [{cluster: a, info: {zone: z1}}]}", goTemplate: true))
        #expect(nested[0]["info"]?["zone"] == "z1")
        await #expect(throws: ApplicationSetError.self) {
            _ = try await parameters(setYAML("  - list: {elements: [{cluster: {nested: true}}]}"))
        }
    }

    static let tree = FixedSources(
        files: [
            "apps/web/kustomization.yaml": "", "apps/api/config.json": #"{"owner": "shop", "replicas": 3, "tags": ["a", "b"]}"#,
            "apps/legacy/x.yaml": "", "envs/prod/config.yaml": "- {region: eu}\n- {region: us}\n", "top/config.json": "{}",
            "apps/web/nested/deep/y.yaml": "",
        ])

    /// git directories: path globs per segment, exclude entries, Argo's path parameters.
    @Test func gitDirectoriesFastTemplate() async throws {
        let sets = try await parameters(
            setYAML("  - git: {repoURL: 'https://git.example.com/r.git', directories: [{path: 'apps/*'}, {path: apps/legacy, exclude: true}]}"),
            sources: Self.tree)
        #expect(sets.map { $0["path"]?.stringValue } == ["apps/api", "apps/web"])
        #expect(sets[1]["path.basename"] == "web")
        #expect(sets[1]["path.basenameNormalized"] == "web")
        #expect(sets[1]["path[0]"] == "apps" && sets[1]["path[1]"] == "web")
    }

    /// goTemplate: `.path.path`, `.path.basename`, `.path.segments`; pathParamPrefix nests them.
    @Test func gitDirectoriesGoTemplate() async throws {
        let sets = try await parameters(
            setYAML(
                "  - git: {repoURL: 'https://git.example.com/r.git', pathParamPrefix: svc, directories: [{path: 'apps/w*'}]}",
                goTemplate: true), sources: Self.tree)
        #expect(sets.count == 1)
        #expect(sets[0]["svc"]?["path"]?["path"] == "apps/web")
        #expect(sets[0]["svc"]?["path"]?["basename"] == "web")
        #expect(sets[0]["svc"]?["path"]?["segments"] == ["apps", "web"])
    }

    /// A pattern without '/' matches top-level directories only, as Go's path.Match does.
    @Test func topLevelPattern() async throws {
        let sets = try await parameters(
            setYAML("  - git: {repoURL: 'https://git.example.com/r.git', directories: [{path: '*'}]}"), sources: Self.tree)
        #expect(sets.map { $0["path"]?.stringValue } == ["apps", "envs", "top"])
    }

    /// git files: flattened in fasttemplate, nested with goTemplate; a list file yields one set per item.
    @Test func gitFiles() async throws {
        let flat = try await parameters(
            setYAML("  - git: {repoURL: 'https://git.example.com/r.git', files: [{path: 'apps/*/config.json'}, {path: 'envs/**'}]}"),
            sources: Self.tree)
        #expect(flat.count == 3)
        #expect(flat[0]["owner"] == "shop" && flat[0]["replicas"] == "3" && flat[0]["tags.1"] == "b")
        #expect(flat[0]["path"] == "apps/api" && flat[0]["path.filename"] == "config.json" && flat[0]["path.basename"] == "api")
        #expect(flat[1]["region"] == "eu" && flat[2]["region"] == "us")
        let nested = try await parameters(
            setYAML("  - git: {repoURL: 'https://git.example.com/r.git', files: [{path: 'apps/*/config.json'}]}", goTemplate: true),
            sources: Self.tree)
        #expect(nested[0]["tags"] == ["a", "b"])
        #expect(nested[0]["path"]?["filename"] == "config.json")
    }

    /// An unparsable file fails the generator (it is never read as "no parameters").
    @Test func unparsableFileFails() async throws {
        let sources = FixedSources(files: ["a/config.json": "{not: [valid"])
        await #expect(throws: ApplicationSetError.self) {
            _ = try await parameters(
                setYAML("  - git: {repoURL: 'https://git.example.com/r.git', files: [{path: 'a/config.json'}]}"), sources: sources)
        }
    }

    /// clusters: in-cluster only without a selector; labels, annotations, values; no config.
    @Test func clusters() async throws {
        let sources = FixedSources(clusterList: [
            ClusterEntry(name: "prod_EU", server: "https://prod", labels: ["env": "prod"], annotations: ["owner": "ops"]),
            ClusterEntry(name: "staging", server: "https://staging", labels: ["env": "staging"]),
        ])
        let all = try await parameters(setYAML("  - clusters: {}"), sources: sources)
        #expect(all.map { $0["name"]?.stringValue } == ["in-cluster", "prod_EU", "staging"])
        let prod = try await parameters(
            setYAML("  - clusters: {selector: {matchLabels: {env: prod}}, values: {ns: 'apps-{{name}}'}}"), sources: sources)
        #expect(prod.count == 1)
        #expect(prod[0]["nameNormalized"] == "prod-eu" && prod[0]["server"] == "https://prod")
        #expect(prod[0]["metadata.labels.env"] == "prod" && prod[0]["metadata.annotations.owner"] == "ops")
        #expect(prod[0]["values.ns"] == "apps-prod_EU")
        let nested = try await parameters(setYAML("  - clusters: {selector: {matchLabels: {env: prod}}}", goTemplate: true), sources: sources)
        #expect(nested[0]["metadata"]?["labels"]?["env"] == "prod")
    }

    /// clusters: nothing of a cluster Secret's credentials reaches a parameter, neither through
    /// `kubectl.kubernetes.io/last-applied-configuration` (the whole Secret when it was
    /// `kubectl apply`'d) nor through another annotation that copies one of its values.
    @Test func clusterSecretContentIsNeverAParameter() async throws {
        let token = "eyJhbGciOiJSUzI1NiJ9.sekrit-token"
        let key = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t"
        let config = #"{"bearerToken": "\#(token)", "tlsClientConfig": {"keyData": "\#(key)"}}"#
        let lastApplied = #"{"apiVersion":"v1","kind":"Secret","stringData":{"config":"{\"bearerToken\": \"\#(token)\"}"}}"#
        var secret = try Manifest.decode(
            Array(
                """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: cluster-prod
                  namespace: keelson
                  labels: {keelson.dev/secret-type: cluster, env: prod}
                  annotations: {owner: ops, copied: "key=\(key)", kubectl.kubernetes.io/restartedAt: now}
                data: {name: cHJvZA==}
                """.utf8), file: "secret.yaml")[0]
        var data = secret.object["data"]?.objectValue ?? [:]
        data["config"] = .string(Data(config.utf8).base64EncodedString())
        secret.object["data"] = .object(data)
        var annotations = secret.metadata["annotations"]?.objectValue ?? [:]
        annotations["kubectl.kubernetes.io/last-applied-configuration"] = .string(lastApplied)
        annotations["tokenCopy"] = .string(token)
        secret.setMetadata("annotations", .object(annotations))

        let entry = ClusterEntry(secret: secret, name: "prod", server: "https://prod")
        #expect(entry.annotations == ["owner": "ops"])
        #expect(entry.labels["env"] == "prod")
        // The rule holds for any source: hidden annotations never enter an entry.
        let fixed = ClusterEntry(name: "prod", server: "https://prod", annotations: ["kubectl.kubernetes.io/last-applied-configuration": lastApplied])
        #expect(fixed.annotations.isEmpty)

        for goTemplate in [false, true] {
            let sources = FixedSources(clusterList: [entry, fixed])
            let all = try await parameters(setYAML("  - clusters: {selector: {matchLabels: {env: prod}}}", goTemplate: goTemplate), sources: sources)
            #expect(all.count == 1)
            let rendered = "\(all)"
            #expect(!rendered.contains(token) && !rendered.contains(key) && !rendered.contains("last-applied"), "\(rendered)")
            #expect(rendered.contains("ops"))
        }
    }

    /// pullRequest: Argo's parameter names; labels filter; labels as a list with goTemplate.
    @Test func pullRequests() async throws {
        let sources = FixedSources(pulls: [
            OpenPullRequest(
                number: 7, title: "Add X", branch: "Feature/Add_X", targetBranch: "main", headSHA: "0123456789abcdef", labels: ["preview"]),
            OpenPullRequest(number: 8, title: "WIP", branch: "wip", targetBranch: "main", headSHA: "fedcba9876543210"),
        ])
        let sets = try await parameters(setYAML("  - pullRequest: {github: {owner: shop, repo: web, labels: [preview]}}"), sources: sources)
        #expect(sets.count == 1)
        #expect(sets[0]["number"] == "7" && sets[0]["branch"] == "Feature/Add_X" && sets[0]["branch_slug"] == "feature-add-x")
        #expect(sets[0]["head_sha"] == "0123456789abcdef" && sets[0]["head_short_sha"] == "01234567" && sets[0]["head_short_sha_7"] == "0123456")
        #expect(sets[0]["target_branch"] == "main" && sets[0]["labels"] == nil)
        let nested = try await parameters(setYAML("  - pullRequest: {gitlab: {project: '42'}}", goTemplate: true), sources: sources)
        #expect(nested[0]["labels"] == ["preview"])
    }

    /// matrix: every combination; the second generator may use the first's parameters.
    @Test func matrix() async throws {
        let sets = try await parameters(
            setYAML(
                """
                  - matrix:
                      generators:
                      - list: {elements: [{env: dev}, {env: prod}]}
                      - list: {elements: [{app: 'web-{{env}}'}, {app: api}]}
                """))
        #expect(sets.count == 4)
        #expect(sets[0]["env"] == "dev" && sets[0]["app"] == "web-dev")
        #expect(sets[2]["env"] == "prod" && sets[2]["app"] == "web-prod")
    }

    /// merge: the base's sets overridden where mergeKeys match; unmatched others dropped.
    @Test func merge() async throws {
        let sets = try await parameters(
            setYAML(
                """
                  - merge:
                      mergeKeys: [name]
                      generators:
                      - list: {elements: [{name: a, size: small}, {name: b, size: small}]}
                      - list: {elements: [{name: b, size: large}, {name: c, size: huge}]}
                """))
        #expect(sets.map { $0["size"]?.stringValue } == ["small", "large"])
    }

    /// A generator's selector filters its parameter sets.
    @Test func selectorPostFilter() async throws {
        let sets = try await parameters(
            setYAML("  - list: {elements: [{env: dev}, {env: prod}]}\n    selector: {matchLabels: {env: prod}}"))
        #expect(sets.map { $0["env"]?.stringValue } == ["prod"])
    }

    /// A source failure is the generator's failure: no parameters at all.
    @Test func failureIsNotEmpty() async throws {
        let sources = FixedSources(failure: ApplicationSetError(.generator, field: "git", "unreachable"))
        await #expect(throws: ApplicationSetError.self) {
            _ = try await parameters(setYAML("  - git: {repoURL: 'https://git.example.com/r.git', directories: [{path: '*'}]}"), sources: sources)
        }
    }
}
