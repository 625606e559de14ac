import ImageAutomation
import Testing

struct SetterUpdaterTests {
    static let digest = "sha256:" + String(repeating: "a", count: 64)
    static let policies: [String: SelectedImage] = [
        "flux-system:podinfo": SelectedImage(name: "ghcr.io/stefanprodan/podinfo", tag: "6.5.0", digest: digest),
        "apps:web": SelectedImage(name: "registry.example.com:5000/team/web", tag: "2.1.0"),
        "apps:worker": SelectedImage(name: "docker.io/acme/worker", tag: "v1.4.2"),
        "apps:numeric": SelectedImage(name: "example.com/numeric", tag: "6.0"),
    ]
    static let corpus = FixtureCorpus("setters")

    /// Each fixture becomes exactly its `.expected.yaml`, or is left unwritten when there is none.
    @Test(arguments: corpus.inputs)
    func fixture(_ name: String) throws {
        try Self.corpus.check(name) { input in try SetterUpdater(policies: Self.policies).update(input, file: name) }
    }

    @Test func reportsFileLineOldAndNew() throws {
        let input = try #require(try Self.corpus.read("kustomization.yaml"))
        let update = try #require(try SetterUpdater(policies: Self.policies).update(input, file: "overlays/prod/kustomization.yaml"))
        #expect(update.changes.map(\.description) == [
            "overlays/prod/kustomization.yaml:9 6.3.0 → 6.5.0",
            "overlays/prod/kustomization.yaml:11 old.example.com/web → registry.example.com:5000/team/web",
            "overlays/prod/kustomization.yaml:12 2.0.0 → 2.1.0",
            "overlays/prod/kustomization.yaml:14 sha256:\(String(repeating: "0", count: 64)) → \(Self.digest)",
        ])
    }

    @Test(arguments: [
        // A marker that is not NAMESPACE:NAME is an error naming the line, not a silent skip.
        ("image: a:1 # {\"$imagepolicy\": \"justname\"}\n", "x.yaml:1"),
        ("image: a:1 # {\"$imagepolicy\": \"ns:name:version\"}\n", "x.yaml:1"),
        // A marked block scalar cannot be edited in place: an error, not a silent skip.
        ("a: 1\nimage: | # {\"$imagepolicy\": \"apps:web\"}\n  x:1\n", "x.yaml:2"),
        // An alias bomb (9^8 nodes) is refused where it starts, before any walk over its shared nodes.
        ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g] # {\"$imagepolicy\": \"apps:web\"}\n", "x.yaml:1:8"),
        // Broken YAML in a file that has markers names the line.
        ("a: 1 # {\"$imagepolicy\": \"ns:p\"}\nb: [\n", "x.yaml:"),
    ])
    func malformedInputIsAnError(_ text: String, _ subject: String) {
        let error = #expect(throws: ImageAutomationError.self) {
            try SetterUpdater(policies: Self.policies).update(Array(text.utf8), file: "x.yaml")
        }
        #expect(error?.code == .setter)
        #expect(error?.subject.hasPrefix(subject) == true, "\(String(describing: error))")
        #expect(error?.message.isEmpty == false)
    }

    @Test func digestMarkerWithoutDigestLeavesValue() throws {
        let text = "digest: sha256:\(String(repeating: "0", count: 64)) # {\"$imagepolicy\": \"apps:web:digest\"}\n"
        #expect(try SetterUpdater(policies: Self.policies).update(Array(text.utf8), file: "x.yaml") == nil)
    }
}
