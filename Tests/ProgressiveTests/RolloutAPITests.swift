import Progressive
import Testing

@Suite struct RolloutAPITests {
    // The group is the one Applications use, so one CRD install covers both.
    @Test func kindsShareTheApplicationGroup() {
        #expect(RolloutAPI.apiVersion == RolloutAPI.group + "/v1alpha1")
    }
}
