import Foundation
import Notify
import Testing

@Suite struct GenericRequestTests {
    static let hook = "https://hooks.example.com/keelson/in"

    // `generic` POSTs Flux's event shape, so receivers written for Flux's generic provider read it.
    @Test func genericSendsFluxsEventShape() throws {
        let event = Sample.event(.syncFailed)
        let message = Sample.message(event, metadata: ["cluster": "prod-eu", "revision": "spoofed"])
        let request = try #require(try Sample.request(event, Sample.provider(.generic, address: Self.hook), message: message))
        #expect(request.method == "POST" && request.url == Self.hook)
        let body = request.object
        let object = try #require(body["involvedObject"] as? [String: String])
        #expect(object == ["apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "namespace": "keelson", "name": "guestbook"])
        #expect(body["severity"] as? String == "error")
        #expect(body["reason"] as? String == "sync-failed")
        #expect(body["message"] as? String == message.text)
        #expect(body["timestamp"] as? String == "2025-06-15T15:06:40Z")
        #expect(body["reportingController"] as? String == "keelson")
        // The Alert's metadata rides along, but cannot replace the revision.
        #expect(body["metadata"] as? [String: String] == ["cluster": "prod-eu", "revision": Sample.sha])
    }

    // Every request names itself: the ledger key as X-Keelson-Event-ID, User-Agent keelson, JSON.
    @Test(arguments: [ProviderType.generic, .genericHMAC, .webhook, .slack, .msteams, .discord, .alertmanager])
    func everyRequestCarriesTheEventIDAndUserAgent(_ type: ProviderType) throws {
        let event = Sample.event(.deployed)
        let credentials = Sample.credentials(hmacKey: "k3y")
        let request = try #require(try Sample.request(event, Sample.provider(type, address: Self.hook), credentials))
        #expect(request.header("X-Keelson-Event-ID") == event.key)
        #expect(request.header("user-agent") == "keelson")
        #expect(request.header("Content-Type") == "application/json")
    }

    // Values are JSON-escaped: quotes, backslashes, newlines and non-ASCII text survive a round trip.
    @Test func valuesAreEscaped() throws {
        let event = Sample.event(.sourceFailed)
        var message = Sample.message(event)
        message.text = "values.yaml:3: \"image\": key \\ duplicated\n\tsecond line </script> ünïcødé 🚀"
        let request = try #require(try Sample.request(event, Sample.provider(.generic, address: Self.hook), message: message))
        #expect(request.object["message"] as? String == message.text)
    }

    // The Secret's headers and basic auth are sent, but cannot replace Keelson's own headers.
    @Test func secretHeadersAndBasicAuthAreSentButCannotForgeKeelsonsOwn() throws {
        var credentials = Sample.credentials(headers: ["X-Team": "shop", "X-Keelson-Event-ID": "forged"])
        credentials.username = "robot"
        credentials.password = "pw"
        let event = Sample.event(.deployed)
        let request = try #require(try Sample.request(event, Sample.provider(.generic, address: Self.hook), credentials))
        #expect(request.header("X-Team") == "shop")
        #expect(request.header("Authorization") == "Basic " + Data("robot:pw".utf8).base64EncodedString())
        #expect(request.headers.filter { $0.0.lowercased() == "x-keelson-event-id" }.map(\.1) == [event.key])
    }

    // A header value with a line break could smuggle headers in: the Provider is refused.
    @Test func headerValuesWithLineBreaksAreRefused() throws {
        let credentials = Sample.credentials(headers: ["X-Team": "shop\r\nX-Admin: true"])
        let failure = #expect(throws: DeliveryFailure.self) {
            try Sample.request(Sample.event(.deployed), Sample.provider(.generic, address: Self.hook), credentials)
        }
        #expect(failure?.code == .configuration && failure?.isPermanent == true)
    }

    // The Secret's address wins over the spec's (it keeps webhook URLs secret); none at all is a
    // configuration failure, as is a URL that is not http(s), and the message never repeats it.
    @Test func theAddressComesFromTheSecretFirst() throws {
        let provider = Sample.provider(.generic, address: Self.hook)
        let secret = "https://hooks.example.com/private/T000"
        #expect(try Sample.request(Sample.event(.deployed), provider, Sample.credentials(address: secret))?.url == secret)
        let missing = #expect(throws: DeliveryFailure.self) { try Sample.request(Sample.event(.deployed), Sample.provider(.generic)) }
        #expect(missing?.message == "provider hook: no address: set spec.address or the Secret's address key")
        let file = "file:///etc/passwd-secret"
        let refused = #expect(throws: DeliveryFailure.self) {
            try Sample.request(Sample.event(.deployed), Sample.provider(.generic), Sample.credentials(address: file))
        }
        #expect(refused.map { !$0.description.contains("passwd-secret") } == true)
    }

    // generic-hmac without an hmacKey cannot sign: a permanent configuration failure.
    @Test func genericHMACNeedsAKey() throws {
        let failure = #expect(throws: DeliveryFailure.self) {
            try Sample.request(Sample.event(.deployed), Sample.provider(.genericHMAC, address: Self.hook))
        }
        #expect(failure?.code == .configuration && failure?.isPermanent == true)
        #expect(failure?.message.contains("hmacKey") == true)
    }

    // webhook sends the Alert's rendered method, path (after the address) and body as they are.
    @Test func webhookSendsTheRenderedBlock() throws {
        let event = Sample.event(.deployed)
        var message = Sample.message(event)
        message.webhook = WebhookTemplate(method: "put", path: "/deploys/guestbook?env=prod", body: #"{"app":"guestbook","ok":true}"#)
        let provider = Sample.provider(.webhook, address: "https://ci.example.com/api/")
        let request = try #require(try Sample.request(event, provider, message: message))
        #expect(request.method == "PUT")
        #expect(request.url == "https://ci.example.com/api/deploys/guestbook?env=prod")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"app":"guestbook","ok":true}"#)
        #expect(request.header("Content-Type") == "application/json")
    }

    // A rendered path cannot move the request to another host: it stays a path under the address.
    @Test func webhookPathsStayUnderTheAddress() throws {
        let event = Sample.event(.deployed)
        var message = Sample.message(event)
        message.webhook = WebhookTemplate(path: "@evil.example/steal", body: "{}")
        let request = try #require(try Sample.request(event, Sample.provider(.webhook, address: "https://ci.example.com"), message: message))
        #expect(request.url == "https://ci.example.com/@evil.example/steal")
        message.webhook = WebhookTemplate(method: "POST\r\nX: y", body: "{}")
        #expect(throws: DeliveryFailure.self) {
            try Sample.request(event, Sample.provider(.webhook, address: "https://ci.example.com"), message: message)
        }
    }

    // Forge types have no plain request: they go through the forge client.
    @Test func forgeTypesAreNotBuiltHere() {
        #expect(throws: DeliveryFailure.self) {
            try Sample.request(Sample.event(.deployed), Sample.provider(.github, address: Sample.repository))
        }
    }
}
