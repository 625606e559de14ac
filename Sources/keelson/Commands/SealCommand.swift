import ArgumentParser
import AsyncHTTPClient
import Foundation
import Kube
import Manifests
import NIOCore
import SealedSecrets
import Secrets
import Server

/// `keelson secret seal`: what `kubeseal` makes of a Secret, for Keelson's (or Bitnami's) controller.
struct SealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal a Secret manifest into a bitnami.com/v1alpha1 SealedSecret, as kubeseal does.",
        discussion: """
            The certificate comes from --cert (a file or an http(s) URL), --server (the Keelson server's /v1/cert.pem), or \
            the newest sealing key in the cluster (--kubeconfig, --controller-namespace). Without --scope, the Secret's \
            sealedsecrets.bitnami.com/namespace-wide or cluster-wide annotation decides; the default is strict.
            """)

    @OptionGroup var source: SealingCertificateOptions

    @Option(help: "strict (namespace and name), namespace-wide or cluster-wide.")
    var scope: SealingScope?

    @Option(name: .shortAndLong, help: "The namespace of a Secret that names none.")
    var namespace: String?

    @Option(name: .shortAndLong, help: "json (as kubeseal prints by default) or yaml.")
    var output: SealedOutputFormat = .json

    @Argument(help: "The Secret manifest (YAML or JSON); - reads standard input.")
    var file: String

    func run() async throws {
        let bytes = try Self.readInput(file)
        let documents = try Manifest.decode(bytes, file: file == "-" ? "<stdin>" : file)
        guard documents.count == 1, let secret = documents.first else {
            throw CLIError("\(file): expected one Secret, found \(documents.count) documents")
        }
        let key = try SealingPublicKey(certificatePEM: try await source.certificate(), source: source.description)
        let sealed = try SealedSecretSealer(key: key).seal(secret, scope: scope, defaultNamespace: namespace)
        switch output {
        case .json: CLI.write(JSONWriter.pretty(sealed.value, indent: 2))
        case .yaml: CLI.write(YAMLEncoder.encode(sealed.value))
        }
    }

    /// Largest Secret read: a Secret is at most 1 MiB, in base64 a third more.
    static let maximumInputBytes = 4 << 20

    static func readInput(_ path: String) throws -> [UInt8] {
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: path) else { throw CLIError("\(path): cannot read") }
            handle = file
        }
        let data = try handle.read(upToCount: maximumInputBytes + 1) ?? Data()
        guard data.count <= maximumInputBytes else { throw CLIError("\(path): larger than 4 MiB") }
        return Array(data)
    }
}

/// `keelson secret cert`: the certificate that seals.
struct CertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Print the sealing certificate (PEM), as kubeseal --fetch-cert does.",
        discussion: "From --server (its /v1/cert.pem), --cert, or the newest sealing key Secret in the cluster.")

    @OptionGroup var source: SealingCertificateOptions

    func run() async throws {
        CLI.write(try await source.certificate())
    }
}

/// `-o json|yaml` of `keelson secret seal`.
enum SealedOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, yaml
}

extension SealingScope: ExpressibleByArgument {}

/// Where the sealing certificate comes from.
struct SealingCertificateOptions: ParsableArguments, CustomStringConvertible {
    @Option(help: "The certificate: a PEM file, or an http(s) URL to fetch it from.")
    var cert: String?

    @Option(help: "A Keelson server (or Bitnami controller) URL; the certificate is fetched from URL/v1/cert.pem.")
    var server: String?

    @Option(name: .customLong("controller-namespace"), help: "Without --cert or --server: the namespace of the sealing key Secrets.")
    var controllerNamespace = "keelson"

    @OptionGroup var cluster: ClusterOptions

    var description: String { cert ?? server.map { $0 + SealingCertificateRoute.path } ?? "the sealing keys in \(controllerNamespace)" }

    func validate() throws {
        if cert != nil && server != nil { throw ValidationError("pass --cert or --server, not both") }
    }

    /// The certificate, PEM, checked: it parses as an RSA certificate and has not expired
    /// (`kubeseal` refuses an expired one too), so nothing unchecked is printed or sealed to.
    func certificate() async throws -> String {
        let pem = try await fetchCertificate()
        try SealingPublicKey(certificatePEM: pem, source: description).checkNotExpired(source: description)
        return pem
    }

    /// The largest certificate read, from a file or a server.
    static let maximumCertificateBytes = 64 * 1024

    func fetchCertificate() async throws -> String {
        if let server {
            var base = server
            while base.hasSuffix("/") { base.removeLast() }
            return try await Self.fetch(base + SealingCertificateRoute.path)
        }
        if let cert {
            if cert.hasPrefix("http://") || cert.hasPrefix("https://") { return try await Self.fetch(cert) }
            guard let file = FileHandle(forReadingAtPath: cert) else { throw CLIError("\(cert): cannot read") }
            defer { try? file.close() }
            let data = try file.read(upToCount: Self.maximumCertificateBytes + 1) ?? Data()
            guard data.count <= Self.maximumCertificateBytes else { throw CLIError("\(cert): larger than 64 KiB; not a certificate") }
            return String(decoding: data, as: UTF8.self)
        }
        return try await cluster.withClient { client in
            // Only key Secrets are read (never the namespace's other Secrets), ranked as the controller ranks them.
            let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
            var secrets = try await client.list(
                secretKind, namespace: controllerNamespace, options: ListOptions(labelSelector: [.exists(SealingKeySecret.label)])
            ).items
            if !secrets.contains(where: { $0.name == SealingKeySecret.legacyName }),
                let legacy = try? await client.get(secretKind, name: SealingKeySecret.legacyName, namespace: controllerNamespace)
            {
                secrets.append(legacy)
            }
            let keys = secrets.compactMap { try? SealingKeySecret.key(of: $0) }
            guard let newest = SealingKeyRegistry.rank(keys, now: Date()).first else {
                throw CLIError("no sealing key Secret (label \(SealingKeySecret.label)=active) in namespace \(controllerNamespace)")
            }
            return newest.pair.certificatePEM
        }
    }

    /// GET `url` → its body, at most 64 KiB.
    static func fetch(_ url: String) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "keelson-cli")
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: maximumCertificateBytes)
            try? await http.shutdown()
            guard response.status.code == 200 else { throw CLIError("\(url): HTTP \(response.status.code)") }
            return String(buffer: body)
        } catch let error as CLIError {
            throw error
        } catch {
            try? await http.shutdown()
            throw CLIError("\(url): cannot fetch the certificate: \(error)")
        }
    }
}
