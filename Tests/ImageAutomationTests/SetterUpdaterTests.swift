import Foundation
import ImageAutomation
import KeelsonTesting
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
        #expect(
            update.changes.map(\.description) == [
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
        (
            "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g] # {\"$imagepolicy\": \"apps:web\"}\n",
            "x.yaml:7:"
        ),
        // A marker on the line above a line of several values cannot say which it marks.
        ("# {\"$imagepolicy\": \"apps:web\"}\nc: {name: web, image: web}\n", "x.yaml:2"),
        // A marker on the line above a block scalar is refused like one after it.
        ("a: 1\n# {\"$imagepolicy\": \"apps:web\"}\nimage: >-\n  x:1\n", "x.yaml:3"),
        // A line-above marker that is not NAMESPACE:NAME names its own line.
        ("a: 1\n# {\"$imagepolicy\": \"nope\"}\nimage: x:1\n", "x.yaml:2"),
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

    /// Only files whose marked values change are written: the others keep their bytes and mtime.
    @Test func workTreeWritesOnlyChangedFiles() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let marked = "image: registry.example.com:5000/team/web:2.0.0 # {\"$imagepolicy\": \"apps:web\"}\n"
        let current = "image: registry.example.com:5000/team/web:2.1.0 # {\"$imagepolicy\": \"apps:web\"}\n"
        let unmarked = "image: registry.example.com:5000/team/web:2.0.0\n"
        try folder.write("apps/a.yaml", marked)
        try folder.write("apps/b.yml", current)
        try folder.write("apps/c.yaml", unmarked)
        try folder.write("apps/.hidden.yaml", marked)
        try folder.write("apps/readme.txt", marked)
        let old = Date(timeIntervalSince1970: 1_000_000)
        for name in ["a.yaml", "b.yml", "c.yaml"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.path + "/apps/" + name)
        }
        let updater = SetterUpdater(policies: Self.policies)
        let result = try WorkTreeSetters.run(workTree: folder.path, directory: "apps") { bytes, file in try updater.update(bytes, file: file) }
        #expect(result.paths == ["apps/a.yaml"])
        #expect(
            result.changes.map(\.description) == ["apps/a.yaml:1 registry.example.com:5000/team/web:2.0.0 → registry.example.com:5000/team/web:2.1.0"]
        )
        #expect(result.changes.first?.policy == "apps:web")
        #expect(try String(contentsOfFile: folder.path + "/apps/a.yaml", encoding: .utf8) == current)
        for (name, text) in [("b.yml", current), ("c.yaml", unmarked), (".hidden.yaml", marked), ("readme.txt", marked)] {
            #expect(try String(contentsOfFile: folder.path + "/apps/" + name, encoding: .utf8) == text)
        }
        for name in ["b.yml", "c.yaml"] {
            let date = try FileManager.default.attributesOfItem(atPath: folder.path + "/apps/" + name)[.modificationDate] as? Date
            #expect(date == old, "\(name) was rewritten")
        }
    }
}
