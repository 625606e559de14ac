import Notify
import Testing

@Suite struct SeverityTests {
    @Test func severitiesAreOrderedAndEachEventHasOne() {
        #expect(Severity.info < .warning && Severity.warning < .error)
        #expect(EventType.syncFailed.severity == .error)
        #expect(EventType.driftDetected.severity == .warning)
        #expect(EventType.deployed.severity == .info)
        #expect(EventType.healthDegraded.incident == .trigger && EventType.healthRecovered.incident == .resolve)
    }
}
