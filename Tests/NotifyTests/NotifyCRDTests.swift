import Foundation
import KeelsonTesting
import Manifests
import Notify
import Testing

@Suite struct NotifyCRDTests {
    /// The CRDs the service installs are the files `deploy/crds/` ships, and every type the
    /// reader knows is one the CRD allows.
    @Test func embeddedCRDsMatchTheShippedFiles() throws {
        for (file, yaml) in NotifyCRDs.all {
            let shipped = try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/" + file, encoding: .utf8)
            #expect(yaml == shipped, "\(file)")
        }
        #expect(NotifyCRDs.all.map(\.file) == ["provider.yaml", "alert.yaml"])
        let provider = try #require(try Manifest.decode(Array(NotifyCRDs.all[0].yaml.utf8), file: "provider.yaml").first)
        let version = provider.value[path: ["spec", "versions"]]?.arrayValue?.first
        let types = version?[path: ["schema", "openAPIV3Schema", "properties", "spec", "properties", "type", "enum"]]?.arrayValue ?? []
        #expect(types.compactMap { $0.stringValue } == ProviderType.allCases.map(\.rawValue))
    }
}
