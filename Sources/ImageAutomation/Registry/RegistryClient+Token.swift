import Foundation
import Manifests

/// Bearer tokens by registry host and scope, kept until shortly before they expire.
actor TokenCache {
    private var tokens: [String: (token: String, expires: ContinuousClock.Instant)] = [:]

    /// A token for `host` and `scope` that has not expired.
    func token(host: String, scope: String) -> String? {
        guard let entry = tokens[host + " " + scope], entry.expires > .now else { return nil }
        return entry.token
    }

    /// Keeps `token` for `lifetime`, less ten seconds of margin.
    func store(_ token: String, host: String, scope: String, lifetime: Duration) {
        tokens[host + " " + scope] = (token, .now + max(.zero, lifetime - .seconds(10)))
    }
}

extension RegistryClient {
    /// Asks the challenge's realm for a token with `scope`, sending Basic credentials when there are some.
    func fetchToken(
        _ challenge: AuthChallenge, scope: String, credential: RegistryCredential, request: RegistryRequest
    ) async throws(ImageAutomationError) -> String {
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm),
            let realmHost = components.host
        else {
            throw ImageAutomationError(.unauthorized, "the Bearer challenge has no usable realm", subject: request.image.name)
        }
        let hostWithPort = realmHost + (components.port.map { ":\($0)" } ?? "")
        guard components.scheme == "https" || (components.scheme == "http" && options.insecure && RegistryOptions.isLoopback(hostWithPort)) else {
            throw ImageAutomationError(.insecure, "the token realm \(hostWithPort) is not https", subject: request.image.name)
        }
        var query = components.queryItems ?? []
        if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
        query.append(URLQueryItem(name: "scope", value: challenge.parameters["scope"] ?? scope))
        components.queryItems = query
        guard let url = components.string else {
            throw ImageAutomationError(.unauthorized, "the Bearer challenge's realm is not a URL", subject: request.image.name)
        }
        let tokenRequest = RegistryRequest(url: url, image: request.image)
        let reply = try await perform(tokenRequest, authorization: credential.basicAuthorization)
        guard reply.status == 200 else {
            let code: ImageAutomationError.Code = reply.status == 401 || reply.status == 403 ? .unauthorized : .registry
            throw ImageAutomationError(code, "the token service \(hostWithPort) answered \(reply.status) for \(credential)", subject: request.image.name)
        }
        guard let body = try? JSONParser.parse(reply.body, file: "token"),
            let token = body["token"]?.stringValue ?? body["access_token"]?.stringValue, !token.isEmpty
        else {
            throw ImageAutomationError(.decoding, "the token service's reply holds no token", subject: request.image.name)
        }
        // The spec's default lifetime is 60 seconds.
        let lifetime = body["expires_in"]?.intValue.map { Duration.seconds($0) } ?? .seconds(60)
        await tokens.store(token, host: request.image.apiHost, scope: scope, lifetime: lifetime)
        return token
    }
}
