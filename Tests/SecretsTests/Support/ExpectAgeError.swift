import Testing

@testable import Secrets

/// Expects `body` to throw an `AgeError` whose code is one of `codes` and whose text omits `secrets`.
func expectAgeError(
    _ codes: Set<AgeError.Code>, hiding secrets: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record(
            "expected an age error (\(codes.map(\.rawValue).sorted())), but the call succeeded",
            sourceLocation: sourceLocation)
    } catch let error as AgeError {
        #expect(codes.contains(error.code), "got \(error)", sourceLocation: sourceLocation)
        for secret in secrets where !secret.isEmpty {
            #expect(!error.description.contains(secret), "error text leaks a secret", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected an AgeError, got \(error)", sourceLocation: sourceLocation)
    }
}
