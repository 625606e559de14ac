import Foundation
import Manifests

/// Bearer tokens by registry host and the scope they were granted for, kept until shortly
/// before they expire. A token for `pull,push` also serves `pull` requests.
actor TokenCache {
    private struct Entry {
        var repository: String
        var actions: Set<String>
        var token: String
        var expires: ContinuousClock.Instant
    }

    private var entries: [String: [Entry]] = [:]

    /// A live token for `host` whose scope covers `scope` (`repository:NAME:ACTIONS`).
    func token(host: String, scope: String) -> String? {
        guard let (repository, actions) = Self.parse(scope) else { return nil }
        let now = ContinuousClock.now
        return entries[host]?.last { $0.repository == repository && $0.actions.isSuperset(of: actions) && $0.expires > now }?.token
    }

    /// Keeps `token`, granted for `scope`, for `lifetime` less ten seconds of margin.
    func store(_ token: String, host: String, scope: String, lifetime: Duration) {
        guard let (repository, actions) = Self.parse(scope) else { return }
        let now = ContinuousClock.now
        var list = entries[host, default: []].filter { $0.expires > now }
        list.append(Entry(repository: repository, actions: actions, token: token, expires: now + max(.zero, lifetime - .seconds(10))))
        entries[host] = list
    }

    private static func parse(_ scope: String) -> (String, Set<String>)? {
        let parts = scope.split(separator: ":")
        guard parts.count >= 3, parts[0] == "repository" else { return nil }
        // Repository names may hold a port-less host, never a colon; the actions come last.
        return (parts[1..<(parts.count - 1)].joined(separator: ":"), Set(parts[parts.count - 1].split(separator: ",").map(String.init)))
    }
}

extension RegistryClient {
    /// Asks the challenge's realm for a token with `scope`, sending Basic credentials when there are some.
    func fetchToken(
        _ challenge: AuthChallenge, scope: String, credential: RegistryCredential, request: RegistryRequest
    ) async throws(RegistryError) -> String {
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm),
            let realmHost = components.host
        else {
            throw RegistryError(.unauthorized, "the Bearer challenge has no usable realm", subject: request.image.name)
        }
        let hostWithPort = realmHost + (components.port.map { ":\($0)" } ?? "")
        guard components.scheme == "https" || (components.scheme == "http" && options.insecure && RegistryOptions.isLoopback(hostWithPort)) else {
            throw RegistryError(.insecure, "the token realm \(hostWithPort) is not https", subject: request.image.name)
        }
        var query = components.queryItems ?? []
        if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
        // Ask for (and remember) what the registry asked for; it may want less than the request's scope.
        let granted = challenge.parameters["scope"] ?? scope
        query.append(URLQueryItem(name: "scope", value: granted))
        components.queryItems = query
        guard let url = components.string else {
            throw RegistryError(.unauthorized, "the Bearer challenge's realm is not a URL", subject: request.image.name)
        }
        let tokenRequest = RegistryRequest(url: url, image: request.image)
        let reply = try await perform(tokenRequest, authorization: credential.basicAuthorization)
        guard reply.status == 200 else {
            let code: RegistryError.Code = reply.status == 401 || reply.status == 403 ? .unauthorized : .registry
            throw RegistryError(
                code, "the token service \(hostWithPort) answered \(reply.status) for \(credential)", subject: request.image.name)
        }
        guard let body = try? JSONParser.parse(reply.body, file: "token"),
            let token = body["token"]?.stringValue ?? body["access_token"]?.stringValue, !token.isEmpty
        else {
            throw RegistryError(.decoding, "the token service's reply holds no token", subject: request.image.name)
        }
        // The spec's default lifetime is 60 seconds.
        let lifetime = body["expires_in"]?.intValue.map { Duration.seconds($0) } ?? .seconds(60)
        await tokens.store(token, host: request.image.apiHost, scope: granted, lifetime: lifetime)
        return token
    }
}
