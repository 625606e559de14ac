import Hummingbird
import NIOCore

/// `GET /v1/cert.pem`: the certificate that seals, without authentication (it is public, and
/// `kubeseal --cert URL` users fetch it from this path on Bitnami's controller too).
public enum SealingCertificateRoute {
    /// The path, as on Bitnami's controller.
    public static let path = "/v1/cert.pem"

    /// The route, serving what `certificate` returns (503 while there is no key yet).
    public static func registration(certificate: @escaping @Sendable () -> String?) -> RouteRegistration {
        { router, _ in
            router.get(RouterPath(path)) { _, _ -> Response in
                guard let pem = certificate() else {
                    throw APIError(.serviceUnavailable, "NoSealingKey", "no sealing key yet (the leader makes the first one)")
                }
                var headers = HTTPFields()
                headers[.contentType] = "application/x-pem-file"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: pem)))
            }
        }
    }
}
