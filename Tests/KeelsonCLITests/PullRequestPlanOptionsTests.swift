import ArgumentParser
import KeelsonTesting
import Plan
import SCM
import Testing

@testable import keelson

/// `keelson controller --pr-plans ...`: off by default, a token is required, API URLs per forge,
/// forks allowed by normalised URL.
@Suite struct PullRequestPlanOptionsTests {
    static let environment = ["KEELSON_SCM_TOKEN": "tok-env"]

    @Test func offByDefault() throws {
        #expect(try ControllerCommand.parse([]).pullRequestPlans.configuration(environment: Self.environment) == nil)
    }

    @Test func theFlagsMakeTheSettings() throws {
        let options = try ControllerCommand.parse([
            "--pr-plans", "--pr-plans-api-url", "https://ghe.example.com/api/v3", "--pr-plans-api-url", "gitlab=https://gitlab.example.com/api/v4/",
            "--pr-plans-api-url", "gitea=https://gitea.example.com", "--pr-plans-fork-repos", "git@github.com:shop/deploy.git", "--pr-plans-id",
            "prod",
        ]).pullRequestPlans
        let settings = try #require(try options.configuration(environment: Self.environment))
        #expect(settings.token == "tok-env" && settings.planID == "prod")
        // A URL without FORGE= serves every forge; GitLab's /api/v4 is the client's to add.
        #expect(
            settings.apiURLs == [
                .github: "https://ghe.example.com/api/v3", .gitlab: "https://gitlab.example.com", .gitea: "https://gitea.example.com",
            ])
        #expect(settings.forkRepositories == ["github.com/shop/deploy"])
        // The token never shows in the settings' description.
        #expect(!"\(settings)".contains("tok-env") && !String(reflecting: settings).contains("tok-env"))
    }

    @Test func theTokenFileWinsOverTheEnvironment() throws {
        let folder = try TemporaryDirectory(prefix: "keelson-pr-plans")
        defer { folder.remove() }
        let file = try folder.write("token", "tok-file\n")
        let settings = try ControllerCommand.parse(["--pr-plans", "--pr-plans-token-file", file]).pullRequestPlans.configuration(
            environment: Self.environment)
        #expect(settings?.token == "tok-file")
    }

    @Test(arguments: [
        // No token anywhere.
        (["--pr-plans"], [String: String]()),
        // Plan flags without --pr-plans.
        (["--pr-plans-fork-repos", "https://github.com/shop/deploy"], environment),
        // An API URL that is no http(s) URL, or carries credentials.
        (["--pr-plans", "--pr-plans-api-url", "ftp://example.com"], environment),
        (["--pr-plans", "--pr-plans-api-url", "https://user:pw@example.com"], environment),
        // Off without the server.
        (["--pr-plans", "--listen", "none"], environment),
    ])
    func badUsageIsRefused(arguments: [String], environment: [String: String]) {
        #expect(throws: (any Error).self) {
            let command = try ControllerCommand.parse(arguments)
            _ = try command.pullRequestPlans.configuration(environment: environment)
            try command.checkPullRequestPlans()
        }
    }
}
