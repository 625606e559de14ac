import ImageAutomation
import Registry
import Testing

struct ImageReferenceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test(arguments: [
        // Docker Hub official image: registry and library/ are implied.
        ("nginx", "docker.io", "library/nginx", nil as String?, nil as String?),
        ("nginx:1.27", "docker.io", "library/nginx", "1.27", nil),
        // A user's Docker Hub repository gets no library/.
        ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", nil),
        // index.docker.io is Docker Hub.
        ("index.docker.io/library/busybox", "docker.io", "library/busybox", nil, nil),
        // A host with a port is a registry, and the port is not a tag.
        ("localhost:5000/team/app", "localhost:5000", "team/app", nil, nil),
        ("127.0.0.1:5000/app:v1@" + digest, "127.0.0.1:5000", "app", "v1", digest),
        ("ghcr.io/org/app@" + digest, "ghcr.io", "org/app", nil, digest),
        // localhost without a port is still a registry.
        ("localhost/app:1", "localhost", "app", "1", nil),
    ])
    func parses(_ text: String, _ registry: String, _ repository: String, _ tag: String?, _ digest: String?) throws {
        let ref = try ImageReference.parse(text)
        #expect(ref.registry == registry)
        #expect(ref.repository == repository)
        #expect(ref.tag == tag)
        #expect(ref.digest == digest)
    }

    @Test(arguments: [
        ("", "empty"), ("Nginx", "uppercase repository"), ("app:", "empty tag"), ("app:-x", "tag starting with -"),
        ("app@sha256:123", "short digest"), ("a//b", "empty path component"), ("ghcr.io:x/app", "non-numeric port"),
        ("app:" + String(repeating: "t", count: 129), "tag over 128 characters"),
    ])
    func refuses(_ text: String, _ rule: String) {
        let error = #expect(throws: RegistryError.self, "\(rule)") { try ImageReference.parse(text) }
        #expect(error?.code == .invalidReference)
    }

    @Test func sameRepositoryNormalisesDockerHub() throws {
        #expect(try ImageReference.parse("nginx").sameRepository(as: ImageReference.parse("docker.io/library/nginx:1")))
        #expect(try !ImageReference.parse("nginx").sameRepository(as: ImageReference.parse("ghcr.io/library/nginx")))
        #expect(try ImageReference.parse("nginx:1").apiHost == "registry-1.docker.io")
    }
}
