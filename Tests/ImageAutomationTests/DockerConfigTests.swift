import Foundation
import ImageAutomation
import Registry
import Testing

struct DockerConfigTests {
    static let config = """
        {
          "auths": {
            "https://index.docker.io/v1/": {"auth": "\(Data("hubuser:hub-pw".utf8).base64EncodedString())"},
            "ghcr.io": {"username": "octo", "password": "ghp-token"},
            "127.0.0.1:5000": {"auth": "\(Data("local:pw:with:colons".utf8).base64EncodedString())"},
            "desktop.example": {}
          },
          "credsStore": "desktop",
          "credHelpers": {"123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"}
        }
        """

    @Test(arguments: [
        // Docker Hub's legacy key serves docker.io images.
        ("docker.io", RegistryCredential.basic(username: "hubuser", password: "hub-pw")),
        ("ghcr.io", .basic(username: "octo", password: "ghp-token")),
        // Only the first colon separates user from password.
        ("127.0.0.1:5000", .basic(username: "local", password: "pw:with:colons")),
        // A registry without an entry is anonymous.
        ("quay.io", .anonymous),
    ])
    func credentials(_ registry: String, _ expected: RegistryCredential) throws {
        #expect(try DockerConfig(Array(Self.config.utf8), source: "config.json").credential(for: registry) == expected)
    }

    @Test(arguments: ["123.dkr.ecr.us-east-1.amazonaws.com", "desktop.example"])
    func helpersAndStoresAreRefusedClearly(_ registry: String) throws {
        let config = try DockerConfig(Array(Self.config.utf8), source: "config.json")
        let error = #expect(throws: RegistryError.self) { try config.credential(for: registry) }
        #expect(error?.code == .credentials)
        #expect(error?.message.contains("docker-credential-") == true)
    }

    @Test func badAuthValueNamesTheFileNotTheSecret() {
        let text = #"{"auths": {"ghcr.io": {"auth": "bm90LWEtcGFpcg=="}}}"#  // base64 of "not-a-pair"
        let error = #expect(throws: RegistryError.self) { try DockerConfig(Array(text.utf8), source: "/home/ci/.docker/config.json") }
        #expect(error?.subject == "/home/ci/.docker/config.json")
        #expect(error.map { !"\($0)".contains("not-a-pair") } == true)
    }

    @Test func descriptionsHideSecrets() {
        #expect("\(RegistryCredential.basic(username: "u", password: "p4ss"))" == "basic auth as u")
        #expect(!"\(RegistryCredential.bearer("t0ken"))".contains("t0ken"))
    }
}
