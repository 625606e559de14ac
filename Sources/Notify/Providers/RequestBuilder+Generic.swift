import Crypto
import Foundation
import Manifests

/// `generic`, `generic-hmac` and `webhook`: Keelson's event as JSON to a URL the user owns.
extension RequestBuilder {
    /// POSTs the event in Flux's event shape, so receivers written for Flux's `generic`
    /// provider work unchanged; with the Secret's `headers` and basic auth.
    static func generic(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        try input.withSecretHeaders(input.json(try input.address(), eventBody(input)))
    }

    /// `generic`, signed: `X-Keelson-Signature` (what Keelson's own `/hooks/generic` checks)
    /// and `X-Signature` (what Flux receivers check) both carry `sha256=<hex HMAC of the body>`.
    static func genericHMAC(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        guard let key = input.credentials.hmacKey, !key.isEmpty else {
            throw input.failure("generic-hmac needs the Secret's hmacKey")
        }
        var request = try generic(input)
        let signature = "sha256=" + hmacSHA256(request.body, key: Array(key.utf8))
        request.setHeader("X-Keelson-Signature", signature)
        request.setHeader("X-Signature", signature)
        return request
    }

    /// The Alert's `webhook` block: its method, its path appended to the address, its body (the
    /// template engine escaped the values). Without a block, `generic`'s body is POSTed.
    static func webhook(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        guard let template = input.message.webhook else { return try generic(input) }
        let method = template.method.uppercased()
        guard (1...16).contains(method.count), method.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw input.failure("the webhook method \"\(method.prefix(16))\" is not an HTTP method")
        }
        let path = template.path
        guard !path.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw input.failure("the webhook path holds whitespace or control characters")
        }
        // A leading `/` keeps the path a path: `@evil.example` after the host would change the host.
        let suffix = path.isEmpty || path.hasPrefix("/") || path.hasPrefix("?") ? path : "/" + path
        let body = method == "GET" || method == "HEAD" ? [] : Array(template.body.utf8)
        return try input.withSecretHeaders(input.raw(method, try input.address() + suffix, body))
    }

    /// Flux's `eventv1.Event`: the object, severity, time, message, reason and metadata. The
    /// revision goes into `metadata` after the Alert's metadata, so an Alert cannot hide it.
    static func eventBody(_ input: RequestInput) -> JSONValue {
        var metadata = input.message.metadata
        metadata["revision"] = input.event.revision
        return [
            "involvedObject": [
                "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "namespace": .string(input.event.source.namespace),
                "name": .string(input.event.source.name),
            ],
            "severity": .string(input.event.severity.rawValue),
            "timestamp": .string(input.timestamp),
            "message": .string(input.message.text),
            "reason": .string(input.event.type.rawValue),
            "metadata": RequestInput.strings(metadata),
            "reportingController": "keelson",
        ]
    }

    /// The lower-case hex HMAC-SHA256 of `body` under `key`.
    static func hmacSHA256(_ body: [UInt8], key: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: key))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
