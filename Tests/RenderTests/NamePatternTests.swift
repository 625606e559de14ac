import Testing

@testable import Render

/// `NamePattern` and `ImagePattern` match the common names without compiling kustomize's
/// regular expressions; every answer must be the regular expression's.
@Suite struct NamePatternTests {
    static let imageNames = [
        "nginx", "Kx/app", "registry.example.com/app", "registry.example.com:5000/team/app", "a.b", "app-1_x", "ghcr.io/org/img",
        // Not plain: compiled, as kustomize does.
        "nginx|redis", "app[0-9]", "(app)", "img.*",
    ]
    static let images = [
        "nginx", "nginx:1.25", "nginx@sha256", "nginx@sha256:abc123", "nginx:1.25@sha256:abc", "nginx@sha256:ab:c", "nginx:1.2@sha256:a{b}",
        "nginx@sha512:abc", "nginx:@sha256:", "nginx:t@", "nginx@sha256:", "nginx:{{tag}}", "nginx:1.25@sha256:abc", "nginxx", "nginx:",
        "nginx:bad/tag", "registry.example.com/app", "registryXexampleYcom/app:2", "registry.example.com/app:2.0.0",
        "registry.example.com:5000/team/app@sha256:ff", "registry.example.com:5000/team/app", "a.b", "axb", "a\nb", "app-1_x:v",
        "ghcr.io/org/img:latest", "ghcrXio/org/img", "redis", "app7", "app", "img.anything", "", "nginx:tag:more", "\u{212A}x/app:1",
    ]

    @Test(arguments: imageNames)
    func imagesMatchAsTheRegularExpressionDoes(_ name: String) throws {
        let pattern = try #require(ImagePattern(name))
        try Self.expectAgreement(pattern.matches, "^" + name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$", Self.images)
    }

    static let targetPatterns = ["Keep", "Deployment", "apps", "v1", "my-app.v2", "app-.", "Deployment|StatefulSet", ".*", "web-[0-9]+", "a.c"]
    static let targetTexts = [
        "Deployment", "deployment", "Deploymentx", "StatefulSet", "apps", "v1", "v10", "my-app.v2", "my-appXv2", "app-1", "app-12",
        "web-3", "web-", "", "abc", "a\nc", "a.c", "\u{212A}eep", "Keep",
    ]

    @Test(arguments: targetPatterns)
    func targetsMatchAsTheRegularExpressionDoes(_ text: String) throws {
        let pattern = try #require(NamePattern(text))
        try Self.expectAgreement(pattern.matches, "^(?:" + text + ")$", Self.targetTexts)
    }

    /// Expects `matches` to answer as the regular expression `expression` does for every text.
    static func expectAgreement(_ matches: (String) -> Bool, _ expression: String, _ texts: [String]) throws {
        let regex = try Regex(expression)
        for text in texts {
            let expected = (try? regex.wholeMatch(in: text)) != nil
            #expect(matches(text) == expected, "\(expression) against \(text.debugDescription)")
        }
    }

    @Test func invalidExpressionsAreRefused() {
        #expect(ImagePattern("app[") == nil)
        #expect(NamePattern("web-(") == nil)
    }
}
