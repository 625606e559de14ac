import Controller
import Manifests
import Testing

/// What the controller does with an Application marked for deletion.
@Suite struct DeletionDecisionTests {
    func application(deleting: Bool, finalizers: [String]) throws -> Manifest {
        var metadata: JSONObject = ["name": "web", "namespace": "keelson"]
        if deleting { metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map(JSONValue.string)) }
        return try Manifest(["apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": .object(metadata)])
    }

    @Test(arguments: [
        // Not marked for deletion: the finalizer changes nothing yet.
        (false, [Application.resourcesFinalizer], false, DeletionDecision.reconcile),
        // Marked without Keelson's finalizer (another holds it): objects stay, nothing is synced.
        (true, ["example.com/other"], false, .leave),
        // Marked with it: the objects are deleted first, whatever other finalizers there are.
        (true, ["example.com/other", Application.resourcesFinalizer], false, .deleteObjects),
        // Suspended: hands off its objects; the finalizer goes and the objects stay.
        (true, [Application.resourcesFinalizer], true, .release),
        // Argo CD's spelling is not Keelson's: the translation maps it.
        (true, ["resources-finalizer.argocd.argoproj.io"], false, .leave),
    ])
    func decision(deleting: Bool, finalizers: [String], suspended: Bool, expected: DeletionDecision) throws {
        #expect(DeletionDecision.decide(try application(deleting: deleting, finalizers: finalizers), suspended: suspended) == expected)
    }
}
