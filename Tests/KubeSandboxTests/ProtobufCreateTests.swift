import Foundation
import Manifests
import Testing

/// One `kubectl create` generator run: what to create, where to read it back, what to find.
struct GeneratorCase: Sendable, CustomTestStringConvertible {
    /// The arguments after `kubectl create`.
    var arguments: [String]
    /// The `kubectl get` arguments that read the object back.
    var get: [String]
    /// Dotted paths and the values the stored object must hold there.
    var expected: [String: JSONValue]
    /// Dotted paths whose values must equal what `--dry-run=client -o json` renders locally.
    var sameAsClient: [String]

    var testDescription: String { "create " + arguments.joined(separator: " ") }

    /// Every generator the sandbox must accept as protobuf, with the fields that prove it read them.
    static let all: [GeneratorCase] = [
        GeneratorCase(
            arguments: ["deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=8080", "--", "/bin/sh", "-c", "sleep 1"],
            get: ["deployment", "web"],
            expected: [
                "spec.replicas": 3, "spec.selector.matchLabels.app": "web", "metadata.labels.app": "web",
                "spec.template.metadata.labels.app": "web", "spec.template.spec.containers.0.image": "nginx:1.27",
                "spec.template.spec.containers.0.name": "nginx", "spec.template.spec.containers.0.ports.0.containerPort": 8080,
                "spec.template.spec.containers.0.command": ["/bin/sh", "-c", "sleep 1"],
            ],
            sameAsClient: ["spec", "metadata.labels"]),
        GeneratorCase(
            arguments: ["deployment", "zero", "--image=busybox", "--replicas=0"], get: ["deployment", "zero"],
            expected: ["spec.replicas": 0, "spec.template.spec.containers.0.image": "busybox"], sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["job", "once", "--image=busybox", "--", "echo", "hi"], get: ["job", "once"],
            expected: ["spec.template.spec.restartPolicy": "Never", "spec.template.spec.containers.0.command": ["echo", "hi"]],
            sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["cronjob", "nightly", "--image=busybox", "--schedule=*/5 * * * *", "--restart=OnFailure", "--", "date"],
            get: ["cronjob", "nightly"],
            expected: [
                "spec.schedule": "*/5 * * * *", "spec.jobTemplate.metadata.name": "nightly",
                "spec.jobTemplate.spec.template.spec.restartPolicy": "OnFailure",
            ],
            sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["service", "clusterip", "api", "--tcp=80:8080", "--tcp=443:8443"], get: ["service", "api"],
            expected: [
                "spec.type": "ClusterIP", "spec.ports.0.name": "80-8080", "spec.ports.0.port": 80, "spec.ports.0.targetPort": 8080,
                "spec.ports.0.protocol": "TCP", "spec.ports.1.port": 443, "spec.selector.app": "api",
            ],
            sameAsClient: ["spec.ports", "spec.selector", "spec.type", "metadata.labels"]),
        GeneratorCase(
            arguments: ["service", "clusterip", "headless", "--clusterip=None"], get: ["service", "headless"],
            expected: ["spec.clusterIP": "None", "spec.type": "ClusterIP"], sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"], get: ["service", "np"],
            expected: ["spec.type": "NodePort", "spec.ports.0.nodePort": 30080, "spec.ports.0.targetPort": 8080],
            sameAsClient: ["spec.ports", "spec.type"]),
        GeneratorCase(
            arguments: ["service", "loadbalancer", "lb", "--tcp=443:8443"], get: ["service", "lb"],
            expected: ["spec.type": "LoadBalancer", "spec.ports.0.port": 443], sameAsClient: ["spec.ports", "spec.type"]),
        GeneratorCase(
            arguments: ["service", "externalname", "ext", "--external-name=example.com", "--tcp=80"], get: ["service", "ext"],
            expected: ["spec.type": "ExternalName", "spec.externalName": "example.com", "spec.ports.0.port": 80],
            sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["serviceaccount", "robot"], get: ["serviceaccount", "robot"], expected: ["metadata.name": "robot"],
            sameAsClient: ["metadata.name"]),
        GeneratorCase(
            arguments: ["role", "reader", "--verb=get,list", "--resource=pods,deployments.apps", "--resource-name=web"],
            get: ["role", "reader"],
            expected: [
                "rules.0.verbs": ["get", "list"], "rules.0.resources": ["pods"], "rules.1.apiGroups": ["apps"], "rules.0.resourceNames": ["web"],
            ],
            sameAsClient: ["rules"]),
        GeneratorCase(
            arguments: ["rolebinding", "read", "--role=reader", "--user=alice", "--group=devs", "--serviceaccount=default:robot"],
            get: ["rolebinding", "read"],
            expected: [
                "roleRef.kind": "Role", "roleRef.name": "reader", "subjects.0.name": "alice", "subjects.1.kind": "Group",
                "subjects.2.namespace": "default",
            ],
            sameAsClient: ["subjects", "roleRef"]),
        GeneratorCase(
            arguments: ["clusterrole", "logs", "--verb=get", "--non-resource-url=/logs"], get: ["clusterrole", "logs"],
            expected: ["rules.0.verbs": ["get"], "rules.0.nonResourceURLs": ["/logs"]], sameAsClient: ["rules"]),
        GeneratorCase(
            arguments: ["clusterrole", "team", "--aggregation-rule=team=a"], get: ["clusterrole", "team"],
            expected: ["aggregationRule.clusterRoleSelectors.0.matchLabels.team": "a", "rules": .null],
            sameAsClient: ["aggregationRule", "rules"]),
        GeneratorCase(
            arguments: ["clusterrolebinding", "alice-logs", "--clusterrole=logs", "--user=alice"], get: ["clusterrolebinding", "alice-logs"],
            expected: ["roleRef.kind": "ClusterRole", "subjects.0.kind": "User", "subjects.0.apiGroup": "rbac.authorization.k8s.io"],
            sameAsClient: ["subjects", "roleRef"]),
        GeneratorCase(
            arguments: [
                "ingress", "web", "--rule=foo.com/bar*=svc:8080,tls=my-cert", "--rule=/path=svc2:http", "--class=nginx",
                "--annotation=team=a", "--default-backend=def:80",
            ],
            get: ["ingress", "web"],
            expected: [
                "spec.ingressClassName": "nginx", "spec.rules.0.host": "foo.com", "spec.rules.0.http.paths.0.pathType": "Prefix",
                "spec.rules.0.http.paths.0.backend.service.port.number": 8080, "spec.rules.1.http.paths.0.backend.service.port.name": "http",
                "spec.tls.0.secretName": "my-cert", "spec.defaultBackend.service.name": "def", "metadata.annotations.team": "a",
            ],
            sameAsClient: ["spec", "metadata.annotations"]),
        GeneratorCase(
            arguments: ["quota", "limits", "--hard=cpu=1,memory=1G,pods=2,services.loadbalancers=2", "--scopes=BestEffort,NotTerminating"],
            get: ["quota", "limits"],
            expected: ["spec.hard.cpu": "1", "spec.hard.memory": "1G", "spec.hard.pods": "2", "spec.scopes": ["BestEffort", "NotTerminating"]],
            sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["poddisruptionbudget", "half", "--selector=app=web", "--min-available=50%"], get: ["pdb", "half"],
            expected: ["spec.minAvailable": "50%", "spec.selector.matchLabels.app": "web"], sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["pdb", "one", "--selector=app=web", "--max-unavailable=1"], get: ["pdb", "one"],
            expected: ["spec.maxUnavailable": 1], sameAsClient: ["spec"]),
        GeneratorCase(
            arguments: ["priorityclass", "high", "--value=1000", "--description=for the important ones", "--preemption-policy=Never"],
            get: ["priorityclass", "high"],
            expected: ["value": 1000, "description": "for the important ones", "preemptionPolicy": "Never"],
            sameAsClient: ["value", "description", "preemptionPolicy", "globalDefault"]),
        GeneratorCase(
            arguments: ["priorityclass", "base", "--value=5", "--global-default"], get: ["priorityclass", "base"],
            expected: ["value": 5, "globalDefault": true, "preemptionPolicy": "PreemptLowerPriority"],
            sameAsClient: ["value", "globalDefault", "preemptionPolicy"]),
    ]
}

@Suite("kubectl create sends protobuf; the sandbox stores what it sent", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct ProtobufCreateTests {
    /// Each case is one typed `kubectl create` (a protobuf body): the stored object holds the
    /// fields given on the command line, and the same parts as kubectl's own rendering.
    @Test(arguments: GeneratorCase.all)
    func generatorStoresWhatKubectlSent(_ generator: GeneratorCase) async throws {
        try await withSandbox { kubectl, _ in
            // The flags go before a `--`: what follows it is the container's command.
            let split = generator.arguments.firstIndex(of: "--") ?? generator.arguments.endIndex
            let dryRun = ["create"] + generator.arguments[..<split] + ["--dry-run=client", "-o", "json"] + generator.arguments[split...]
            let local = try JSONValueBox(try await kubectl.ok(dryRun))
            try await kubectl.ok(["create"] + generator.arguments)
            let stored = try await kubectl.json(["get"] + generator.get)
            for (path, value) in generator.expected.sorted(by: { $0.key < $1.key }) {
                #expect(stored[path] == value, "\(path)")
            }
            // The server adds its defaults; everything kubectl rendered must be there unchanged.
            for path in generator.sameAsClient {
                #expect(Self.holds(stored[path], local[path]), "\(path) differs from kubectl's rendering")
            }
        }
    }

    /// Whether `stored` holds every field of `rendered` with the same value (a `null` in the
    /// rendering, such as a template's `creationTimestamp`, holds anywhere).
    static func holds(_ stored: JSONValue?, _ rendered: JSONValue?) -> Bool {
        switch (stored, rendered) {
        case (_, nil), (_, .null?): return true
        case (.object(let have)?, .object(let want)?): return want.allSatisfy { holds(have[$0.key], $0.value) }
        case (.array(let have)?, .array(let want)?): return have.count == want.count && zip(have, want).allSatisfy { holds($0, $1) }
        default: return stored == rendered
        }
    }

    @Test("create job --from=cronjob copies the template and points its owner reference at the cron job")
    func jobFromCronJob() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--", "date"])
            let cronJob = try await kubectl.json(["get", "cronjob", "nightly"])
            try await kubectl.ok(["create", "job", "now", "--from=cronjob/nightly"])
            let job = try await kubectl.json(["get", "job", "now"])
            #expect(job["metadata.annotations"]?["cronjob.kubernetes.io/instantiate"] == "manual")
            #expect(job.string("metadata.ownerReferences.0.kind") == "CronJob")
            #expect(job.string("metadata.ownerReferences.0.uid") == cronJob.string("metadata.uid"))
            #expect(job["metadata.ownerReferences.0.controller"] == true)
            #expect(job["spec.template.spec.containers"] == cronJob["spec.jobTemplate.spec.template.spec.containers"])
        }
    }

    @Test("scheduling.k8s.io/v1 PriorityClass is served, cluster-scoped, with its short name")
    func priorityClassIsServed() async throws {
        try await withSandbox { kubectl, _ in
            let resources = try await kubectl.ok(["api-resources", "--api-group=scheduling.k8s.io", "--namespaced=false", "-o", "name"])
            #expect(resources.contains("priorityclasses.scheduling.k8s.io"))
            try await kubectl.ok(["create", "priorityclass", "high", "--value=10"])
            #expect(try await kubectl.json(["get", "pc", "high"])["value"] == 10)
            let table = try await kubectl.ok(["get", "pc", "high"])
            #expect(table.contains("GLOBAL-DEFAULT"), "\(table)")
            #expect(table.contains("PREEMPTIONPOLICY"), "\(table)")
        }
    }
}
