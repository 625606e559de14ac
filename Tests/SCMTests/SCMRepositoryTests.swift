import SCM
import Testing

@Suite struct SCMRepositoryTests {
    // Without an apiURL, GitHub and GitLab mean their public services; Gitea has none to mean.
    @Test func publicDefaults() throws {
        #expect(try SCMRepository(forge: .github, project: "shop/deploy").apiURL == "https://api.github.com")
        #expect(try SCMRepository(forge: .gitlab, project: "shop/deploy").apiURL == "https://gitlab.com")
        #expect(throws: SCMError.self) { try SCMRepository(forge: .gitea, project: "shop/deploy") }
    }

    // A trailing slash is dropped, so the client never sends `//repos`.
    @Test func trailingSlashesAreDropped() throws {
        let repository = try SCMRepository(forge: .github, apiURL: "https://ghe.example.com/api/v3/", project: "shop/deploy")
        #expect(repository.apiURL == "https://ghe.example.com/api/v3")
    }

    // Only http(s) URLs with a host and without credentials, query or fragment are API roots.
    @Test(arguments: ["ftp://host", "host/api", "https://", "https://user:pw@host", "https://host/?a=1", "https://host/#x", "https://ho st"])
    func badAPIURLsAreRefused(_ url: String) {
        let error = #expect(throws: SCMError.self) { try SCMRepository(forge: .gitea, apiURL: url, project: "shop/deploy") }
        #expect(error?.code == .invalid)
        #expect(error?.message.contains("pw") == false)
    }

    // GitHub and Gitea projects are owner/repo; GitLab's are a numeric id or a namespaced path.
    @Test(arguments: [
        (Forge.github, "shop/deploy", true), (.github, "shop", false), (.github, "a/b/c", false), (.github, "../deploy", false),
        (.github, "shop/de ploy", false), (.github, "shop/", false), (.gitea, "shop/deploy.git", true), (.gitea, "42", false),
        (.gitlab, "42", true), (.gitlab, "group/sub/project", true), (.gitlab, "group", false), (.gitlab, "group/%2e%2e", false),
    ])
    func projectShapes(_ forge: Forge, project: String, valid: Bool) {
        let repository = try? SCMRepository(forge: forge, apiURL: "https://forge.example", project: project)
        #expect((repository != nil) == valid)
    }
}
