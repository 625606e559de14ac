/// What a measurement without data (an empty vector, NaN, a JSON path that selects nothing)
/// counts as. Flagger counts it as a failed check and Argo as an error; both confuse users
/// whose canary has no traffic yet, so Keelson makes the choice explicit.
public enum NoDataPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The measurement is Inconclusive (the default): the rollout pauses with reason NoData.
    case inconclusive = "Inconclusive"
    /// The measurement Failed.
    case fail = "Fail"
    /// The measurement is Successful.
    case pass = "Pass"
}
