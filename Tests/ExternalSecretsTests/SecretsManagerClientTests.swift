import Foundation
import KeelsonTesting
import Secrets
import Testing

/// The Secrets Manager client against the real moto server, secrets written by boto3: versions
/// by id and by stage, list filters, and errors that name the secret.
@Suite(.enabled(if: RealMoto.isAvailable, "moto_server is not installed (scripts/test installs it)"))
struct SecretsManagerClientTests {
    @Test func versionsFiltersAndErrors() async throws {
        try await RealMoto.withRunning { moto in
            let first = try await moto.createSecret("svc/token", value: "v1", tags: ["env": "prod"])
            try await moto.putSecretValue("svc/token", value: "v2")
            try await moto.createSecret("svc/other", value: "o1", tags: ["env": "dev"])
            let endpoint = try AWSEndpoint.url(
                service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: moto.region,
                environment: ["AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.endpoint])
            let client = SecretsManagerClient(
                endpoint: endpoint, region: moto.region, credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))

            #expect(try await client.getSecretValue("svc/token").string == "v2")
            #expect(try await client.getSecretValue("svc/token", versionID: first).string == "v1")
            #expect(try await client.getSecretValue("svc/token", versionStage: "AWSPREVIOUS").string == "v1")
            let tagged = try await client.listSecrets(filters: [.init(key: "tag-key", values: ["env"]), .init(key: "tag-value", values: ["prod"])])
            #expect(tagged.map(\.name) == ["svc/token"])
            #expect(tagged.first?.tags == ["env": "prod"])
            #expect(Set(try await client.listSecrets(filters: [.init(key: "name", values: ["svc/"])]).map(\.name)) == ["svc/token", "svc/other"])
            try await client.probe()

            let missing = await #expect(throws: SecretsManagerError.self) { try await client.getSecretValue("absent") }
            #expect(missing?.code == .notFound && missing?.description.contains("\"absent\"") == true)
            moto.stop()
            let down = await #expect(throws: SecretsManagerError.self) { try await client.getSecretValue("svc/token") }
            #expect(down?.code == .unreachable)
        }
    }

    /// The endpoint: the service's own variable first, then the general one, then AWS's.
    @Test func endpointResolution() throws {
        #expect(
            try AWSEndpoint.url(
                service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: "eu-west-1",
                environment: ["AWS_ENDPOINT_URL": "http://b:2", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://a:1"]
            ).absoluteString == "http://a:1")
        #expect(
            try AWSEndpoint.url(
                service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: "eu-west-1", environment: ["AWS_ENDPOINT_URL": "http://b:2"]
            )
            .absoluteString == "http://b:2")
        #expect(
            try AWSEndpoint.url(service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: "eu-west-1", environment: [:]).absoluteString
                == "https://secretsmanager.eu-west-1.amazonaws.com")
        #expect(throws: AWSEndpointError.self) {
            try AWSEndpoint.url(
                service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: "x", environment: ["AWS_ENDPOINT_URL": "ftp://x"])
        }
    }
}
