import Foundation
import KeelsonTesting
import Notify
import Testing

@Suite struct SignatureTests {
    // B5: both signature headers equal `sha256=` + the HMAC that openssl computes over the
    // body as received, so receivers checking either header accept it.
    @Test(.enabled(if: ProcessRunner.isAvailable("openssl"), "openssl is not installed"))
    func genericHMACSignsTheBodyAsReceived() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let event = Sample.event(.deployed)
            var message = Sample.message(event)
            message.text = "deployed \"guestbook\" — ünïcødé\n"
            let result = await Deliverer.testing().deliver(
                event: event, message: message, provider: Sample.provider(.genericHMAC, address: receiver.url + "/hmac"),
                credentials: Sample.credentials(hmacKey: "s3cret"))
            #expect(result.isDelivered)
            let recorded = try #require(await receiver.requests.first)
            let openssl = try await ProcessRunner.run("openssl", ["dgst", "-sha256", "-hmac", "s3cret"], input: Data(recorded.body))
            #expect(openssl.status == 0)
            // `SHA2-256(stdin)= <hex>` (OpenSSL 3) or `(stdin)= <hex>` (1.1).
            let hex = try #require(openssl.output.split(separator: "=").last?.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(hex.count == 64)
            #expect(recorded.header("X-Keelson-Signature") == "sha256=" + hex)
            #expect(recorded.header("X-Signature") == "sha256=" + hex)
        }
    }
}
