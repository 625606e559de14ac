import Fleet
import Foundation
import KeelsonTesting
import Manifests
import Testing

/// Reading sets: Argo CD's field names, every unsupported field refused with its path.
@Suite struct ApplicationSetParsingTests {
    @Test func readsArgoFieldNames() throws {
        let set = try applicationSet(
            setYAML(
                "  - list: {elements: [{a: b}]}", goTemplate: true,
                extra: """
                      goTemplateOptions: [missingkey=error]
                      syncPolicy: {applicationsSync: create-update, preserveResourcesOnDeletion: true, maxDeletionShare: '10%'}
                      strategy:
                        type: RollingSync
                        rollingSync:
                          steps:
                          - matchExpressions: [{key: env, operator: In, values: [dev]}]
                          - matchExpressions: [{key: env, operator: In, values: [prod]}]
                            maxUpdate: 25%
                    """))
        #expect(set.goTemplate && set.missingKeyIsError)
        #expect(set.syncPolicy.applicationsSync == .createUpdate && set.syncPolicy.preserveResourcesOnDeletion)
        #expect(set.syncPolicy.maxDeletionShare == .percent(10))
        #expect(set.rollingSync?.steps.count == 2 && set.rollingSync?.steps[1].maxUpdate == .percent(25))
    }

    /// Unknown or unsupported fields name themselves.
    @Test(arguments: [
        ("  - list: {elements: []}\n    template: {}", "generators[0].template"),
        ("  - scmProvider: {}", "spec.generators[0].scmProvider"),
        ("  - git: {repoURL: r}", "spec.generators[0].git"),
        ("  - matrix: {generators: [{list: {elements: []}}]}", "matrix.generators"),
    ])
    func refusals(generators: String, field: String) throws {
        #expect {
            _ = try applicationSet(setYAML(generators))
        } throws: { error in
            "\(error)".contains(field)
        }
    }

    /// The CRD the service installs is the file deploy/crds/ ships.
    @Test func shippedCRDIsTheEmbeddedOne() throws {
        for (file, yaml) in ApplicationSetCRDs.all {
            let shipped = try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/" + file, encoding: .utf8)
            #expect(shipped == yaml, "deploy/crds/\(file)")
        }
    }
}
