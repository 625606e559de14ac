import GitSource
import KeelsonTesting
import Kube
import Testing

@testable import Controller
@testable import Plan

/// What `submit` answers before a plan is queued: events that arrive before the controller has
/// listed the Applications are to be sent again, not skipped for good.
@Suite struct PullRequestPlanAdmissionTests {
    @Test func anEventBeforeTheFirstListIsToBeSentAgain() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-plan-admission")
        defer { folder.remove() }
        let handle = ControllerHandle()
        let git = try GitCache(directory: folder.path + "/cache", runner: try GitRunner())
        let event = PullRequestPlanQueueTests.event()
        // Never asked: an event that is not queued touches neither the cluster nor Git.
        try await KubeClient.withClient(KubeConfiguration(server: "http://127.0.0.1:1")) { client in
            let service = PullRequestPlanService(
                handle: handle, client: client, git: git, configuration: PullRequestPlanConfiguration(token: "t"))

            let early = await service.submit(event)
            #expect(early.unavailable && !early.queued)
            #expect(early.message == "the controller has not listed the Applications yet; send the event again later")

            // Once listed, the same event is judged on the Applications: none follows its repository.
            await handle.setApplications([])
            let listed = await service.submit(event)
            #expect(!listed.unavailable && !listed.queued)
            #expect(listed.message == "no Application follows this repository")
        }
    }
}
