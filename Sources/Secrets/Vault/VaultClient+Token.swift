import Manifests

extension VaultClient {
    /// What `auth/token/lookup-self` says of the token in use (logging in first when needed):
    /// its policies and the seconds it has left (0 for a token that never expires). Proves the
    /// server answers and accepts the credentials without reading any secret.
    public func lookupSelf() async throws(VaultError) -> (policies: [String], ttl: Int) {
        let call = Call(.GET, ["auth", "token", "lookup-self"])
        guard let data = try await send(call)?["data"] else { throw malformed(call, "the answer has no data object") }
        let policies = data["policies"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return (policies, Int(data["ttl"]?.intValue ?? 0))
    }
}
