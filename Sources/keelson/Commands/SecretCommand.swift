import ArgumentParser
import Foundation
import Secrets

/// `keelson secret keygen|encrypt|decrypt|seal|cert`: age keys and SOPS files, compatible with
/// `age` and `sops`, and SealedSecrets, compatible with `kubeseal`.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Create age keys, encrypt or decrypt SOPS files, and seal Secrets.",
        subcommands: [Keygen.self, Encrypt.self, Decrypt.self, SealCommand.self, CertCommand.self]
    )

    /// `keelson secret keygen [-o FILE]`.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate an age identity (X25519), as age-keygen does.",
            discussion: "With -o the identity is written to FILE (mode 0600, never overwritten) and the public key is printed to stderr.")

        @Option(name: .shortAndLong, help: "Write the identity to this file instead of standard output.")
        var output: String?

        func run() throws {
            let identity = AgeIdentity.generate()
            let contents = identity.fileContents()
            guard let output else { return CLI.write(contents) }
            let fd = open(output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CLIError("\(output): cannot create (it may exist already)") }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            try handle.write(contentsOf: Data(contents.utf8))
            FileHandle.standardError.write(Data("Public key: \(identity.recipient)\n".utf8))
        }
    }

    /// `keelson secret encrypt [--age R]... [--hc-vault-transit URI]... [--kms ARN]... FILE`.
    struct Encrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encrypt a YAML, JSON or dotenv file with SOPS for age recipients, Vault transit keys or AWS KMS keys.",
            discussion: """
                Without --age, --hc-vault-transit or --kms, the first creation rule of the nearest .sops.yaml that matches FILE \
                gives the keys (age, hc_vault_transit_uri, kms) and rules. Vault keys are used with VAULT_TOKEN (or ~/.vault-token), \
                KMS keys with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN at the region the ARN names \
                (AWS_ENDPOINT_URL_KMS overrides the endpoint), as sops does. Assuming a role (ARN+ROLE_ARN) is not supported.
                """)

        @Option(name: .customLong("age"), help: "An age recipient (age1…); repeatable.")
        var recipients: [String] = []

        @Option(
            name: .customLong("hc-vault-transit"),
            help: "A Vault transit key, https://HOST:PORT/v1/ENGINE/keys/KEY (repeatable, or comma-separated).")
        var vaultURIs: [String] = []

        @Option(name: .customLong("kms"), help: "An AWS KMS key ARN, arn:aws:kms:REGION:ACCOUNT:key/ID (repeatable, or comma-separated).")
        var kmsARNs: [String] = []

        @Option(name: .customLong("encryption-context"), help: "The KMS encryption context, key:value,key2:value2.")
        var encryptionContext: String?

        @OptionGroup var inputType: InputTypeOption

        @Flag(name: .shortAndLong, help: "Encrypt the file in place.")
        var inPlace = false

        @Argument(help: "The plaintext file.")
        var file: String

        func run() async throws {
            let format = try inputType.format(of: file)
            let plaintext = try SecretCommand.read(file)
            let credentials = try SOPSCredentials.environment()
            let encrypted: [UInt8]
            if recipients.isEmpty && vaultURIs.isEmpty && kmsARNs.isEmpty {
                guard let (config, relative) = try SecretCommand.nearestConfig(for: file) else {
                    throw CLIError("\(file): no --age recipient, --hc-vault-transit or --kms key given and no .sops.yaml found above it")
                }
                encrypted = try await SOPS.encrypt(plaintext, format: format, path: relative, config: config, credentials: credentials)
            } else {
                let parsed = try recipients.map { recipient in
                    do { return try AgeRecipient(recipient) } catch let error as AgeError {
                        throw ValidationError("--age \(recipient): \(error.message)")
                    }
                }
                let keys = try vaultURIs.flatMap { $0.split(separator: ",") }.map { uri in
                    do { return try SOPSVaultTransitKey(uri: String(uri)) } catch let error as SOPSError {
                        throw ValidationError("--hc-vault-transit: \(error.message)")
                    }
                }
                let kmsKeys = try kmsKeys()
                encrypted = try await SOPS.encrypt(
                    plaintext, format: format, recipients: parsed, vaultKeys: keys, kmsKeys: kmsKeys, credentials: credentials, source: file)
            }
            if inPlace {
                try Data(encrypted).write(to: URL(fileURLWithPath: file), options: .atomic)
            } else {
                FileHandle.standardOutput.write(Data(encrypted))
            }
        }

        /// The keys of `--kms`, each with the `--encryption-context`.
        func kmsKeys() throws -> [SOPSKMSKey] {
            var context: [String: String] = [:]
            var keys: [SOPSKMSKey] = []
            do {
                if let encryptionContext { context = try SOPSKMSKey.context(encryptionContext) }
                for arn in kmsARNs.flatMap({ $0.split(separator: ",") }) {
                    keys.append(try SOPSKMSKey(argument: String(arn), context: context))
                }
            } catch {
                throw ValidationError("--kms: \(error.message)")
            }
            return keys
        }
    }

    /// `keelson secret decrypt --identity FILE FILE`.
    struct Decrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decrypt a SOPS file (the MAC is verified before anything is printed).",
            discussion: """
                Identities come from --identity, else from the file named by $SOPS_AGE_KEY_FILE. A data key wrapped by Vault \
                transit is unwrapped at the server the file names, with VAULT_TOKEN (or ~/.vault-token); one wrapped by AWS KMS \
                with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, as sops does.
                """)

        @Option(name: .customLong("identity"), help: "An age identity file; repeatable.")
        var identityFiles: [String] = []

        @OptionGroup var inputType: InputTypeOption

        @Argument(help: "The encrypted file.")
        var file: String

        func run() async throws {
            var files = identityFiles
            if files.isEmpty, let fromEnvironment = ProcessInfo.processInfo.environment["SOPS_AGE_KEY_FILE"] {
                files = [fromEnvironment]
            }
            let format = try inputType.format(of: file)
            let input = try SecretCommand.read(file)
            let wrapped = try SOPS.wrappedKeys(in: input, format: format)
            guard !files.isEmpty || !wrapped.isEmpty else {
                throw ValidationError("no identity: pass --identity FILE or set SOPS_AGE_KEY_FILE")
            }
            var identities: [AgeIdentity] = []
            for path in files {
                let text = String(decoding: try SecretCommand.read(path), as: UTF8.self)
                identities += try AgeIdentity.parseFile(text, source: path)
            }
            var keys = SOPSKeyRing(identities: identities)
            if !wrapped.isEmpty {
                keys = await SOPS.unwrap(wrapped, credentials: try SOPSCredentials.environment(), identities: identities)
            }
            let plaintext = try SOPS.decrypt(input, format: format, keys: keys, source: file)
            FileHandle.standardOutput.write(Data(plaintext))
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read") }
        return Array(data)
    }

    /// The nearest `.sops.yaml` at or above the file's directory, and the file's path relative to it.
    static func nearestConfig(for file: String) throws -> (SOPSCreationRules, String)? {
        let absolute = URL(fileURLWithPath: file).standardizedFileURL
        var directory = absolute.deletingLastPathComponent()
        while true {
            let candidate = directory.appendingPathComponent(".sops.yaml").path
            if FileManager.default.fileExists(atPath: candidate) {
                let rules = try SOPSCreationRules.parse(try read(candidate), file: candidate)
                let relative = String(absolute.path.dropFirst(directory.path.count).drop { $0 == "/" })
                return (rules, relative)
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}

extension SOPS.Format: ExpressibleByArgument {}

/// A failure of the work that the CLI reports as one line.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `--input-type`: the format of a SOPS file, when its name does not tell.
struct InputTypeOption: ParsableArguments {
    @Option(name: .customLong("input-type"), help: "yaml, json or dotenv (default: from the file name).")
    var explicit: SOPS.Format?

    /// The format of `file`: `--input-type` if given, else the one its name tells.
    func format(of file: String) throws -> SOPS.Format {
        if let explicit { return explicit }
        guard let format = SOPS.Format(path: file) else {
            throw ValidationError("\(file): cannot tell the format from the name; pass --input-type yaml|json|dotenv")
        }
        return format
    }
}
