import Foundation
import Manifests
import Secrets

/// AWS credentials for SOPS files wrapped by KMS keys, in an Application's decryption Secret
/// under Flux's key `sops.aws-kms`: YAML with `aws_access_key_id`, `aws_secret_access_key` and,
/// for temporary credentials, `aws_session_token`.
///
/// ```yaml
/// stringData:
///   sops.aws-kms: |
///     aws_access_key_id: AKIA...
///     aws_secret_access_key: ...
/// ```
///
/// The region is the one each key's ARN names, as with sops; the controller's
/// `AWS_ENDPOINT_URL_KMS` (or `AWS_ENDPOINT_URL`) overrides the endpoint.
enum DecryptionAWSCredentials {
    /// The Secret's key, as Flux names it.
    static let key = "sops.aws-kms"

    /// The credentials in `secret`, or nil when it holds none.
    static func read(_ secret: Manifest, application: String) throws -> AWSCredentials? {
        guard let text = try DecryptionSecretData.text(secret, key: key, application: application) else { return nil }
        func failure(_ message: String) -> ApplicationError {
            ApplicationError(
                application: application, field: "spec.source.decryption.secretRef",
                message: "Secret \(secret.namespace)/\(secret.name) key \(key) \(message)")
        }
        // The parser's own message may quote the text, which holds the secret key: it is not repeated.
        guard let document = try? YAMLDecoder().decode(Array(text.utf8), file: key).first?.value, let object = document.objectValue else {
            throw failure("is not a YAML mapping with aws_access_key_id and aws_secret_access_key")
        }
        func field(_ name: String) throws -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw failure("has a \(name) that is not a string")
            }
        }
        for name in object.keys where !["aws_access_key_id", "aws_secret_access_key", "aws_session_token"].contains(name) {
            throw failure("has an unknown field \(name) (aws_access_key_id, aws_secret_access_key, aws_session_token)")
        }
        guard let id = try field("aws_access_key_id"), let secretKey = try field("aws_secret_access_key") else {
            throw failure("lacks aws_access_key_id or aws_secret_access_key")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secretKey, sessionToken: try field("aws_session_token"))
    }
}
