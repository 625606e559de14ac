import Testing

@testable import SCM

@Suite struct RedactionTests {
    // URLs keep scheme, host and first path segment, then `/***`; credentials in them go too.
    @Test(arguments: [
        ("https://api.github.com/repos/shop/deploy/statuses/abc?x=1", "https://api.github.com/repos/***"),
        ("http://127.0.0.1:9099/services/T000/B000/XXXX", "http://127.0.0.1:9099/services/***"),
        ("https://user:pw@gitlab.example.com/api/v4/projects/1", "https://gitlab.example.com/api/***"),
        ("https://gitlab.com", "https://gitlab.com"),
        ("https://hooks.example.com?key=secret", "https://hooks.example.com/***"),
    ])
    func urlsAreCut(_ url: String, expected: String) {
        #expect(Redaction.url(url[...]) == expected)
    }

    // Text keeps its words; the secret and the tails of URLs in it are gone.
    @Test func textIsScrubbed() {
        let text = #"token s3cr3t refused at "https://ghe.example.com/api/v3/repos/a/b" and http://x/y/z."#
        #expect(Redaction.scrub(text, secret: "s3cr3t") == #"token *** refused at "https://ghe.example.com/api/***" and http://x/y/***"#)
    }
}
