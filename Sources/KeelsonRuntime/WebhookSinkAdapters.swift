import ImageAutomation
import Plan
import SCM
import Server

/// Registry webhooks from the server, verified by image automation, turned into rescans.
struct RegistryWebhookSinkAdapter: RegistryWebhookSink {
    let handler: RegistryWebhookHandler
    let service: ImageAutomationService

    var maximumBodyBytes: Int { RegistryWebhookHandler.defaultMaximumBodyBytes }

    func accepts(provider: String) -> Bool { RegistryWebhookProvider(rawValue: provider.lowercased()) != nil }

    func receive(provider: String, headers: [String: String], body: [UInt8], token: String?) async -> RegistryWebhookOutcome {
        do {
            let policies = try await handler.handle(provider: provider, headers: headers, body: body, token: token)
            await service.rescan(policies)
            return RegistryWebhookOutcome(status: 202, rescanned: policies, message: "rescanning \(policies.count) image policies")
        } catch {
            return RegistryWebhookOutcome(status: error.httpStatus, message: error.description)
        }
    }
}

/// Pull requests from the server's Git webhooks, planned by the pull-request plan service.
struct PullRequestPlanSinkAdapter: PullRequestPlanSink {
    let service: PullRequestPlanService

    func submit(_ event: PullRequestEvent) async -> PullRequestPlanOutcome {
        let admission = await service.submit(event)
        return PullRequestPlanOutcome(queued: admission.queued, unavailable: admission.unavailable, message: admission.message)
    }
}
