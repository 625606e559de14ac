import Kube
import Logging
import Manifests

/// The cluster's image automation objects, kept by watches: Keelson's ImagePolicies and
/// ImageUpdateAutomations, and Flux's ImagePolicies and ImageRepositories where Flux's CRDs are
/// served (looked for again once a minute where they are not).
struct ImageAutomationStores: Sendable {
    typealias Store<Value: Sendable> = ResourceStore<Value, ImageResourceError>

    let policies: Store<ImagePolicy>
    let automations: Store<ImageUpdateAutomation>
    let fluxPolicies: Store<ImagePolicy>
    let fluxRepositories: Store<ImageRepositorySpec>

    /// The stores; each change calls `onChange`.
    init(client: any KubernetesAPI, scope: WatchScope, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        policies = Store(
            client: client, kind: ImageAutomationService.policyKind, scope: scope, logger: logger,
            parse: { object throws(ImageResourceError) in
                try ImagePolicy(object)
            }, onChange: onChange)
        automations = Store(
            client: client, kind: ImageAutomationService.automationKind, scope: scope, logger: logger,
            parse: { object throws(ImageResourceError) in
                try ImageUpdateAutomation(object)
            }, onChange: onChange)
        fluxPolicies = Store(
            client: client, kind: ImageAutomationService.fluxPolicyKind, scope: scope, retryDelay: .seconds(60), logger: logger,
            parse: { object throws(ImageResourceError) in try ImagePolicy(object) }, onChange: onChange)
        fluxRepositories = Store(
            client: client, kind: ImageAutomationService.fluxRepositoryKind, scope: scope, retryDelay: .seconds(60), logger: logger,
            parse: { object throws(ImageResourceError) in try ImageRepositorySpec.flux(object).spec }, onChange: onChange)
    }

    /// Lists and watches every kind until the task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await policies.run() }
            group.addTask { await automations.run() }
            group.addTask { await fluxPolicies.run() }
            group.addTask { await fluxRepositories.run() }
        }
    }
}
