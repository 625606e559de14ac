import ExternalSecrets
import Testing

/// ESO's refresh rules, one case per rule.
@Suite struct RefreshScheduleTests {
    static let hour = Duration.seconds(3600)

    @Test func neverSyncedIsDueNow() {
        for policy in ExternalSecret.RefreshPolicy.allCases {
            #expect(
                RefreshSchedule.decide(policy: policy, interval: Self.hour, currentVersion: "1-a", syncedVersion: nil, sinceLastRefresh: nil) == .now)
        }
    }

    @Test func periodicWaitsForTheInterval() {
        #expect(
            RefreshSchedule.decide(
                policy: .periodic, interval: Self.hour, currentVersion: "1-a", syncedVersion: "1-a", sinceLastRefresh: .seconds(600))
                == .after(.seconds(3000)))
        #expect(
            RefreshSchedule.decide(policy: .periodic, interval: Self.hour, currentVersion: "1-a", syncedVersion: "1-a", sinceLastRefresh: Self.hour)
                == .now)
    }

    @Test func periodicRefreshesAtOnceWhenTheSpecChanged() {
        #expect(
            RefreshSchedule.decide(policy: .periodic, interval: Self.hour, currentVersion: "2-a", syncedVersion: "1-a", sinceLastRefresh: .seconds(1))
                == .now)
    }

    @Test func zeroIntervalSyncsOncePerChange() {
        #expect(
            RefreshSchedule.decide(policy: .periodic, interval: .zero, currentVersion: "1-a", syncedVersion: "1-a", sinceLastRefresh: Self.hour)
                == .never)
        #expect(
            RefreshSchedule.decide(policy: .periodic, interval: .zero, currentVersion: "2-a", syncedVersion: "1-a", sinceLastRefresh: Self.hour)
                == .now)
    }

    @Test func refreshTimeInTheFutureRefreshes() {
        #expect(
            RefreshSchedule.decide(
                policy: .periodic, interval: Self.hour, currentVersion: "1-a", syncedVersion: "1-a", sinceLastRefresh: .seconds(-60)) == .now)
    }

    @Test func createdOnceNeverRefreshes() {
        #expect(
            RefreshSchedule.decide(
                policy: .createdOnce, interval: Self.hour, currentVersion: "2-a", syncedVersion: "1-a", sinceLastRefresh: Self.hour * 5)
                == .never)
    }

    @Test func onChangeRefreshesOnlyOnChange() {
        #expect(
            RefreshSchedule.decide(
                policy: .onChange, interval: Self.hour, currentVersion: "1-a", syncedVersion: "1-a", sinceLastRefresh: Self.hour * 5)
                == .never)
        #expect(
            RefreshSchedule.decide(policy: .onChange, interval: Self.hour, currentVersion: "1-b", syncedVersion: "1-a", sinceLastRefresh: .zero)
                == .now)
    }
}
