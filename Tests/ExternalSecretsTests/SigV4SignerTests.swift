import Foundation
import Secrets
import Testing

/// The signer against AWS's published examples: the Signature Version 4 test suite
/// (`AKIDEXAMPLE`, service `service`, 2015-08-30T12:36:00Z) and the S3 API reference's
/// header-signing examples (2013-05-24).
@Suite struct SigV4SignerTests {
    static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let suite = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), region: "us-east-1",
        service: "service")
    static let s3 = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3")
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)

    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var signer: SigV4Signer
        var date: Date
        var method: String
        var url: String
        var headers: [(String, String)] = []
        var signedHeaders: String
        var signature: String
        var description: String { name }
    }

    static let vectors: [Vector] = [
        // get-vanilla: the smallest request, Host and X-Amz-Date signed.
        Vector(
            name: "get-vanilla", signer: suite, date: suiteDate, method: "GET", url: "https://example.amazonaws.com/",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        // get-vanilla-query-order-key-case: query parameters sorted by name.
        Vector(
            name: "get-vanilla-query-order-key-case", signer: suite, date: suiteDate, method: "GET",
            url: "https://example.amazonaws.com/?Param2=value2&Param1=value1", signedHeaders: "host;x-amz-date",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        // post-vanilla: the method is part of the canonical request.
        Vector(
            name: "post-vanilla", signer: suite, date: suiteDate, method: "POST", url: "https://example.amazonaws.com/",
            signedHeaders: "host;x-amz-date",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        // S3 GET Object: extra headers signed in order, the payload hash taken from X-Amz-Content-Sha256.
        Vector(
            name: "s3 GET object", signer: s3, date: s3Date, method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
            headers: [("Range", "bytes=0-9"), ("X-Amz-Content-Sha256", empty)], signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        // S3 GET lifecycle: a query name without a value signs as `lifecycle=`.
        Vector(
            name: "s3 GET lifecycle", signer: s3, date: s3Date, method: "GET", url: "https://examplebucket.s3.amazonaws.com/?lifecycle",
            headers: [("X-Amz-Content-Sha256", empty)], signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
        // S3 list objects: several query parameters, sorted.
        Vector(
            name: "s3 list objects", signer: s3, date: s3Date, method: "GET", url: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
            headers: [("X-Amz-Content-Sha256", empty)], signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ]

    @Test(arguments: vectors)
    func publishedVector(_ vector: Vector) throws {
        let url = try #require(URL(string: vector.url))
        let headers = vector.signer.sign(method: vector.method, url: url, headers: vector.headers, payload: [], date: vector.date)
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        let scope =
            "\(vector.signer.credentials.accessKeyID)/\(vector.date == Self.suiteDate ? "20150830" : "20130524")/us-east-1/\(vector.signer.service)/aws4_request"
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=\(scope), SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
    }

    /// A session token is sent and signed; the date header is the suite's format.
    @Test func sessionTokenIsSignedAndDateIsFormatted() throws {
        var signer = Self.suite
        signer.credentials.sessionToken = "token"
        let headers = signer.sign(
            method: "GET", url: try #require(URL(string: "https://example.amazonaws.com/")), headers: [], payload: [], date: Self.suiteDate)
        #expect(headers.first { $0.0 == "X-Amz-Date" }?.1 == "20150830T123600Z")
        #expect(headers.first { $0.0 == "X-Amz-Security-Token" }?.1 == "token")
        #expect(headers.first { $0.0 == "Authorization" }?.1.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
    }

    /// Credentials print without their secret.
    @Test func credentialsDoNotPrintTheSecret() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "very-secret-key", sessionToken: "session-secret")
        #expect(!"\(credentials)".contains("very-secret-key") && !"\(credentials)".contains("session-secret"))
    }
}
