import Helm
import Testing

@Suite struct HelmVersionTests {
    @Test func targetsHelm4() {
        #expect(HelmVersion.version.hasPrefix("v4."))
    }
}
