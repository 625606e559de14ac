import ImageAutomation
import Registry
import Testing

struct ImageReferenceUpdaterTests {
    static let corpus = FixtureCorpus("promote")
    static let digest = "sha256:" + String(repeating: "b", count: 64)

    /// Every fixture gets exactly its expected bytes for `ghcr.io/acme/web=ghcr.io/acme/web:1.4.0`.
    @Test(arguments: corpus.inputs)
    func fixture(_ name: String) throws {
        let promotion = try ImagePromotion(parsing: "ghcr.io/acme/web=ghcr.io/acme/web:1.4.0")
        try Self.corpus.check(name) { input in try ImageReferenceUpdater(promotion).update(input, file: name) }
    }

    @Test func workloadChangesAreReportedByLine() throws {
        let input = try #require(try Self.corpus.read("workloads.yaml"))
        let update = try #require(
            try ImageReferenceUpdater(ImagePromotion(parsing: "ghcr.io/acme/web=ghcr.io/acme/web:1.4.0")).update(input, file: "w.yaml"))
        #expect(
            update.changes.map(\.description) == [
                "w.yaml:11 ghcr.io/acme/web@sha256:\(String(repeating: "0", count: 64)) → ghcr.io/acme/web:1.4.0",
                "w.yaml:14 ghcr.io/acme/web:1.0.0 → ghcr.io/acme/web:1.4.0",
                "w.yaml:32 ghcr.io/acme/web:0.9.0 → ghcr.io/acme/web:1.4.0",
            ])
    }

    /// A move to a mirror with a digest sets newName, newTag and digest, adding the missing ones after `name`.
    @Test func kustomizeEntryGainsNewNameAndDigest() throws {
        let input = "images:\n  - name: ghcr.io/acme/web\n    newTag: \"1.0.0\"\n"
        let promotion = try ImagePromotion(parsing: "ghcr.io/acme/web=mirror.local:5000/acme/web:1.4.0@\(Self.digest)")
        let doc = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + input
        let update = try #require(try ImageReferenceUpdater(promotion).update(Array(doc.utf8), file: "k.yaml"))
        #expect(
            String(decoding: update.bytes, as: UTF8.self) == """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                images:
                  - name: ghcr.io/acme/web
                    newName: mirror.local:5000/acme/web
                    digest: \(Self.digest)
                    newTag: "1.4.0"

                """)
        #expect(update.changes.map(\.line) == [5, 6, 7])
    }

    /// kustomize prefers a digest over newTag, so a tag-only promotion of a pinned entry is refused.
    @Test func pinnedKustomizeEntryNeedsADigest() throws {
        let doc = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: ghcr.io/acme/web\n  digest: \(Self.digest)\n"
        let error = #expect(throws: ImageAutomationError.self) {
            try ImageReferenceUpdater(ImagePromotion(parsing: "ghcr.io/acme/web=ghcr.io/acme/web:1.4.0")).update(Array(doc.utf8), file: "k.yaml")
        }
        #expect(error?.subject == "k.yaml:4")
    }

    /// Docker Hub short names match their long form, and the new value is written as given.
    @Test func dockerHubShortNamesMatch() throws {
        let doc = "kind: Pod\nspec:\n  containers:\n  - image: docker.io/library/nginx:1.25\n  - image: nginx\n"
        let update = try #require(try ImageReferenceUpdater(ImagePromotion(parsing: "nginx=nginx:1.27")).update(Array(doc.utf8), file: "p.yaml"))
        #expect(String(decoding: update.bytes, as: UTF8.self) == "kind: Pod\nspec:\n  containers:\n  - image: nginx:1.27\n  - image: nginx:1.27\n")
    }

    @Test(arguments: [
        ("ghcr.io/acme/web", "no ="), ("ghcr.io/acme/web:1=ghcr.io/acme/web:2", "name with a tag"),
        ("ghcr.io/acme/web=ghcr.io/acme/web", "new reference without tag or digest"), ("=x:1", "empty name"),
    ])
    func badPromotionsAreRefused(_ text: String, _ rule: String) {
        #expect(throws: ImageAutomationError.self, "\(rule)") { try ImagePromotion(parsing: text) }
    }
}
