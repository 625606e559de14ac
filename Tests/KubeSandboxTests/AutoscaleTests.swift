import Foundation
import Manifests
import Testing

@testable import KubeSandbox

/// `kubectl autoscale` (an autoscaling/v1 HorizontalPodAutoscaler, in protobuf) and the versions the
/// sandbox serves the same objects in.
@Suite("HorizontalPodAutoscaler in autoscaling/v1 and v2", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct AutoscaleTests {
    @Test("autoscale creates an autoscaling/v1 HorizontalPodAutoscaler, also served as autoscaling/v2")
    func autoscale() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "deployment", "web", "--image=nginx"])
            try await kubectl.ok(["autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=70"])
            let v1 = try await kubectl.json(["get", "horizontalpodautoscalers.v1.autoscaling", "web"])
            #expect(v1.string("apiVersion") == "autoscaling/v1")
            #expect(v1["spec.maxReplicas"] == 5)
            #expect(v1["spec.minReplicas"] == 2)
            #expect(v1["spec.targetCPUUtilizationPercentage"] == 70)
            #expect(v1["spec.scaleTargetRef"] == ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"])
            let v2 = try await kubectl.json(["get", "hpa", "web"])
            #expect(v2.string("apiVersion") == "autoscaling/v2")
            #expect(v2["spec.metrics.0.resource.name"] == "cpu")
            #expect(v2["spec.metrics.0.resource.target"] == ["type": "Utilization", "averageUtilization": 70])
            #expect(v2["spec.targetCPUUtilizationPercentage"] == nil)
            let table = try await kubectl.ok(["get", "hpa", "web"])
            #expect(table.contains("REFERENCE"), "\(table)")
            #expect(table.contains("Deployment/web"), "\(table)")
            #expect(table.contains("cpu: <unknown>/70%"), "\(table)")

            try await kubectl.ok(["autoscale", "deployment", "web", "--name=plain", "--max=3"])
            let plain = try await kubectl.json(["get", "horizontalpodautoscalers.v1.autoscaling", "plain"])
            #expect(plain["spec.maxReplicas"] == 3)
            #expect(plain["spec.targetCPUUtilizationPercentage"] == nil)
        }
    }

    @Test("discovery lists autoscaling/v1 beside autoscaling/v2, which stays preferred")
    func discovery() async throws {
        try await withSandbox { kubectl, _ in
            let versions = try await kubectl.ok(["api-versions"])
            #expect(versions.contains("autoscaling/v1"))
            #expect(versions.contains("autoscaling/v2"))
            let group = try JSONValueBox(try await kubectl.ok(["get", "--raw", "/apis/autoscaling"]))
            #expect(group.string("preferredVersion.version") == "v2")
            let v1 = try JSONValueBox(try await kubectl.ok(["get", "--raw", "/apis/autoscaling/v1"]))
            #expect((v1["resources"]?.arrayValue ?? []).contains { $0["name"] == "horizontalpodautoscalers" })
        }
    }
}

/// The HorizontalPodAutoscaler conversion on its own: what v1 cannot say survives a round trip.
@Suite struct VersionConversionTests {
    static let v2: JSONObject = [
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web"],
        "spec": [
            "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "minReplicas": 1, "maxReplicas": 4,
            "metrics": [
                ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "500Mi"]]],
                ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 60]]],
            ],
            "behavior": ["scaleDown": ["stabilizationWindowSeconds": 30]],
        ],
        "status": [
            "currentReplicas": 2, "desiredReplicas": 2,
            "currentMetrics": [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 40]]]],
            "conditions": [["type": "AbleToScale", "status": "True"]],
        ],
    ]

    @Test("v2 → v1 keeps the CPU target as targetCPUUtilizationPercentage and the rest in annotations")
    func toV1() {
        let v1 = KubeSandbox.VersionConversion.convert(Self.v2, to: "autoscaling/v1")
        #expect(v1["apiVersion"] == "autoscaling/v1")
        #expect(v1["spec"]?["targetCPUUtilizationPercentage"] == 60)
        #expect(v1["spec"]?["metrics"] == nil)
        #expect(v1["status"]?["currentCPUUtilizationPercentage"] == 40)
        let annotations = v1["metadata"]?["annotations"]?.objectValue ?? [:]
        #expect(
            annotations.keys.sorted() == [
                "autoscaling.alpha.kubernetes.io/behavior", "autoscaling.alpha.kubernetes.io/conditions",
                "autoscaling.alpha.kubernetes.io/metrics",
            ])
    }

    @Test("v2 → v1 → v2 gives back the same object")
    func roundTrip() {
        let back = KubeSandbox.VersionConversion.convert(
            KubeSandbox.VersionConversion.convert(Self.v2, to: "autoscaling/v1"), to: "autoscaling/v2")
        var expected = Self.v2
        // The CPU metric comes back first; nothing else moves.
        expected["spec"]?["metrics"] = .array((Self.v2["spec"]?["metrics"]?.arrayValue ?? []).reversed())
        #expect(back == expected)
    }
}
