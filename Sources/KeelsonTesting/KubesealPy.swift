import Foundation

/// The Python `kubesealpy` package (Bitnami's SealedSecrets format), driven through `python3`:
/// the interop peer of Keelson's sealing and unsealing. `scripts/test` installs it.
public enum KubesealPy {
    /// Whether `python3` can import `kubesealpy`.
    public static let isAvailable: Bool = {
        guard ProcessRunner.isAvailable("python3") else { return false }
        return (try? ProcessRunner.runBlocking("python3", ["-c", "import kubesealpy"]).status) == 0
    }()

    /// Seals `data` (name → UTF-8 value) for `namespace/name` under `scope` (`strict`,
    /// `namespace-wide`, `cluster-wide`) with the certificate at `certificatePath`; returns the
    /// SealedSecret as JSON.
    public static func seal(certificatePath: String, namespace: String, name: String, scope: String, data: [String: String]) async throws -> String {
        let input = try JSONSerialization.data(withJSONObject: data)
        return try await python(sealScript, [certificatePath, namespace, name, scope], input: input)
    }

    /// Unseals a SealedSecret (JSON or YAML) with the PEM private keys at `keyPaths`; returns the
    /// Secret's values, decoded, as a JSON object of strings.
    public static func unseal(_ sealedSecret: String, keyPaths: [String]) async throws -> [String: String] {
        let output = try await python(unsealScript, keyPaths, input: Data(sealedSecret.utf8))
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String] ?? [:]
    }

    /// A failure of the Python side, with its standard error.
    public struct Failure: Error, CustomStringConvertible {
        /// What python3 wrote to standard error.
        public var description: String
    }

    static func python(_ script: String, _ arguments: [String], input: Data) async throws -> String {
        let result = try await ProcessRunner.run("python3", ["-c", script] + arguments, input: input)
        guard result.status == 0 else { throw Failure(description: "kubesealpy exited \(result.status): \(result.errorOutput)") }
        return result.output
    }

    static let sealScript = """
        import json, sys
        from kubesealpy import Sealer, SealingScope
        cert, namespace, name, scope = sys.argv[1:5]
        data = {k: v.encode() for k, v in json.load(sys.stdin).items()}
        sealed = Sealer.from_certificate_file(cert).seal(name=name, namespace=namespace, data=data, scope=SealingScope(scope))
        print(json.dumps(sealed.model_dump(by_alias=True, exclude_none=True)))
        """

    static let unsealScript = """
        import json, sys, yaml, base64
        from kubesealpy import Unsealer
        from kubesealpy.certificate import load_private_key_from_file
        from kubesealpy.models import SealedSecret
        sealed = SealedSecret.model_validate(yaml.safe_load(sys.stdin.read()))
        secret = Unsealer([load_private_key_from_file(p) for p in sys.argv[1:]]).unseal(sealed)
        print(json.dumps({k: base64.b64decode(v).decode() for k, v in (secret.data or {}).items()}))
        """
}
