import AsyncHTTPClient
import Foundation
import Kube
import Manifests
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Mean time to production, in the shape of Flux's published MTTP benchmark: N Applications of
/// four objects each (ServiceAccount, Service, Deployment with 0 replicas, Ingress), one folder
/// each in one local Git repository, applied in one go to a fresh `keelson sandbox`; the real
/// `keelson controller` with its defaults, each in a process of its own. Measured: the time from
/// applying the Applications until every object is Ready (the Deployment's Available condition
/// True, the others present), the controller's Kubernetes requests per application, and its
/// peak memory.
///
///     swift run -c release keelson-bench mttp [N ...]    (or KEELSON_BENCH_MTTP="100 500"; default 100 500 1000)
enum MTTPBenchmark {
    /// Flux v2.9's published kustomize-controller durations.
    static let flux: [Int: String] = [100: "26s", 500: "2m0s", 1000: "4m13s"]
    /// Issue #14's targets on this machine.
    static let targets: [Int: Double] = [500: 90, 1000: 180]
    static let memoryTarget = 150.0
    static let namespace = "mttp"
    static let poll: Duration = .milliseconds(500)
    static let kinds = [
        GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount"),
        GroupVersionKind(group: "", version: "v1", kind: "Service"),
        GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"),
        GroupVersionKind(group: "networking.k8s.io", version: "v1", kind: "Ingress"),
    ]

    static func run() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst(2))
        let words =
            arguments.isEmpty
            ? (ProcessInfo.processInfo.environment["KEELSON_BENCH_MTTP"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            : arguments
        let counts = try words.map { word in
            guard let count = Int(word), count > 0 else { throw BenchmarkError("mttp: \(word) is not a number of applications") }
            return count
        }
        let keelson = try ChildProgram.sibling("keelson")
        print(
            "mttp: N Applications × (ServiceAccount, Service, Deployment with 0 replicas, Ingress) from one local Git repository; "
                + "`keelson controller` with its defaults and `keelson sandbox`, each in its own process (\(keelson)); "
                + "load average \(loadAverage()) at start")
        for count in counts.isEmpty ? [100, 500, 1000] : counts {
            try await measure(count, keelson: keelson)
        }
    }

    /// One run on a fresh sandbox, controller and repository.
    static func measure(_ count: Int, keelson: String) async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/keelson-bench-mttp-\(getpid())-\(count)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let repository = directory + "/repo"
        try writeRepository(repository, count: count)

        let kubeconfig = directory + "/kubeconfig"
        let sandbox = try ChildProgram(
            "keelson sandbox", executable: keelson, arguments: ["sandbox", "--port", "0", "--kubeconfig-out", kubeconfig],
            log: directory + "/sandbox.log")
        defer { sandbox.stop() }
        try await ControllerBenchmark.waitUntil("keelson sandbox writes its kubeconfig", timeout: .seconds(60)) {
            try sandbox.checkRunning()
            return sandbox.output().contains("listening on") && FileManager.default.fileExists(atPath: kubeconfig)
        }

        let port = try freePort()
        let controller = try ChildProgram(
            "keelson controller", executable: keelson,
            arguments: ["controller", "--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache", "--listen", "127.0.0.1:\(port)"],
            log: directory + "/controller.log")
        defer { controller.stop() }

        // The bench's own client: unthrottled, and not counted (the controller's requests are its /metrics).
        let options = KubeClientOptions(qps: 1_000_000, burst: 1_000_000, logger: SyncBenchmark.quiet("keelson.bench"))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await KubeClient.withClient(try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig)), options: options) { client in
                let token = try await generatedToken(controller)
                let base = "http://127.0.0.1:\(port)"
                try await ControllerBenchmark.waitUntil("the controller is ready (/readyz)", timeout: .seconds(120)) {
                    try controller.checkRunning()
                    return (try? await get(http, base + "/readyz", token: token).status) == 200
                }
                _ = try await client.apply(
                    try Manifest(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]),
                    options: ApplyOptions(fieldManager: "bench", force: true))
                let before = try await requests(http, base, token: token)

                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            for index in stride(from: worker, to: count, by: 8) {
                                let application = try ControllerBenchmark.application(
                                    index, repo: repository, destination: namespace, syncPolicy: ["automated": ["prune": true, "selfHeal": true]])
                                _ = try await client.apply(application, options: ApplyOptions(fieldManager: "bench", force: true))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let applied = ControllerBenchmark.seconds(ContinuousClock.now - start)
                try await waitUntilReady(client, count: count, since: start, controller: controller)
                let elapsed = ControllerBenchmark.seconds(ContinuousClock.now - start)

                let after = try await requests(http, base, token: token)
                let spent = after.subtracting(before)
                let memory = controller.peakMemoryMiB()
                let cpu = controller.cpuSeconds()
                print(line(count: count, elapsed: elapsed, requests: Double(spent.total) / Double(count), memory: memory))
                print(
                    "    controller CPU \(Measure.format(cpu, 1)) s in all; Applications applied in \(Measure.format(applied, 1)) s; "
                        + "\(before.total) requests before the first Application (startup, not counted); requests per application by verb and code: "
                        + spent.byLabel.sorted { $0.key < $1.key }.map { "\($0.key) \(Measure.format(Double($0.value) / Double(count), 1))" }.joined(
                            separator: ", ")
                        + "; load average \(loadAverage())")
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// One result line, next to Flux's published figure and the issue's targets.
    static func line(count: Int, elapsed: Double, requests: Double, memory: Double) -> String {
        var line = "  N=\(count): every object Ready after \(duration(elapsed)) (\(flux[count].map { "Flux v2.9: \($0)" } ?? "no Flux figure")"
        if let target = targets[count] { line += "; target < \(duration(target)) \(elapsed < target ? "met" : "missed")" }
        line += "), \(Measure.format(requests, 1)) requests per application, controller peak memory \(Measure.format(memory, 1)) MiB"
        return line + " (target < \(Int(memoryTarget)) MiB \(memory < memoryTarget ? "met" : "missed"))"
    }

    /// `74.2 s` or `3m47s`, as Flux writes durations above a minute.
    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? "\(Measure.format(seconds, 1)) s" : "\(Int(seconds) / 60)m\(Int(seconds) % 60)s"
    }

    // MARK: Readiness

    /// Lists each kind every `poll` (only kinds with objects still missing) until all 4 × `count` are Ready.
    static func waitUntilReady(_ client: KubeClient, count: Int, since start: ContinuousClock.Instant, controller: ChildProgram) async throws {
        var ready: [String: Int] = [:]
        var lastReport = start
        let deadline = start + .seconds(max(1800, count * 2))
        while true {
            try controller.checkRunning()
            for kind in kinds where ready[kind.kind, default: 0] < count {
                let list = try await client.list(kind, namespace: namespace, options: ListOptions())
                ready[kind.kind] = list.items.filter { isReady($0) && $0.name.hasPrefix("app-") }.count
            }
            if ready.values.reduce(0, +) == 4 * count && ready.count == kinds.count { return }
            let now = ContinuousClock.now
            guard now < deadline else {
                throw BenchmarkError("mttp N=\(count): not every object Ready after \(duration(ControllerBenchmark.seconds(now - start))): \(ready)")
            }
            if now - lastReport >= .seconds(15) {
                lastReport = now
                let counts = kinds.map { "\($0.kind) \(ready[$0.kind, default: 0])" }.joined(separator: ", ")
                FileHandle.standardError.write(Data("    \(Int(ControllerBenchmark.seconds(now - start))) s: \(counts) of \(count) Ready\n".utf8))
            }
            try await Task.sleep(for: poll)
        }
    }

    /// A Deployment is Ready when its Available condition is True; the other kinds when they exist.
    static func isReady(_ object: Manifest) -> Bool {
        guard object.kind == "Deployment" else { return true }
        let conditions = object.object["status"]?["conditions"]?.arrayValue ?? []
        return conditions.contains { $0["type"]?.stringValue == "Available" && $0["status"]?.stringValue == "True" }
    }

    // MARK: The controller's figures

    /// The admin token `keelson controller` prints once without `--tokens`.
    static func generatedToken(_ controller: ChildProgram) async throws -> String {
        let marker = "admin token for this run: "
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            try controller.checkRunning()
            if let line = controller.output().split(separator: "\n").first(where: { $0.contains(marker) }), let range = line.range(of: marker) {
                return line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError("keelson controller printed no admin token within 60 s (\(controller.log))")
    }

    /// `keelson_kubernetes_requests_total` from the controller's `/metrics`: in all, and by `verb code`.
    struct Requests {
        var byLabel: [String: Int] = [:]
        var total: Int { byLabel.values.reduce(0, +) }

        func subtracting(_ earlier: Requests) -> Requests {
            Requests(byLabel: byLabel.merging(earlier.byLabel.mapValues { -$0 }, uniquingKeysWith: +).filter { $0.value != 0 })
        }
    }

    static func requests(_ http: HTTPClient, _ base: String, token: String) async throws -> Requests {
        let response = try await get(http, base + "/metrics", token: token)
        guard response.status == 200 else { throw BenchmarkError("GET \(base)/metrics answered \(response.status)") }
        var requests = Requests()
        for line in response.body.split(separator: "\n") where line.hasPrefix("keelson_kubernetes_requests_total{") {
            // keelson_kubernetes_requests_total{code="200",verb="GET"} 12
            guard let close = line.lastIndex(of: "}"), let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
            else { continue }
            let labels = Dictionary(
                line[line.index(after: line.firstIndex(of: "{")!)..<close].split(separator: ",").compactMap { pair -> (String, String)? in
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))) : nil
                }, uniquingKeysWith: { $1 })
            requests.byLabel["\(labels["verb"] ?? "?") \(labels["code"] ?? "?")", default: 0] += Int(value)
        }
        return requests
    }

    static func get(_ http: HTTPClient, _ url: String, token: String) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (response.status.code, String(buffer: body))
    }

    // MARK: Fixtures

    static func writeRepository(_ repository: String, count: Int) throws {
        for index in 0..<count {
            let folder = "\(repository)/apps/app-\(index)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (file, text) in objects(index) { try text.write(toFile: "\(folder)/\(file)", atomically: false, encoding: .utf8) }
        }
        try ServerBenchmark.commitNewRepository(repository, message: "\(count) applications")
    }

    /// The four objects of application `index`, by file name.
    static func objects(_ index: Int) -> [(String, String)] {
        let name = "app-\(index)"
        return [
            ("serviceaccount.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \(name)\n"),
            (
                "service.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata:
                  name: \(name)
                spec:
                  selector:
                    app: \(name)
                  ports:
                    - name: http
                      port: 80
                      targetPort: 9898

                """
            ),
            (
                "deployment.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: \(name)
                spec:
                  replicas: 0
                  selector:
                    matchLabels:
                      app: \(name)
                  template:
                    metadata:
                      labels:
                        app: \(name)
                    spec:
                      serviceAccountName: \(name)
                      containers:
                        - name: podinfo
                          image: ghcr.io/stefanprodan/podinfo:6.7.0
                          ports:
                            - containerPort: 9898

                """
            ),
            (
                "ingress.yaml",
                """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: \(name)
                spec:
                  rules:
                    - host: \(name).mttp.example
                      http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend:
                              service:
                                name: \(name)
                                port:
                                  number: 80

                """
            ),
        ]
    }

    // MARK: Machine

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkError("cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard bound == 0, named == 0 else { throw BenchmarkError("cannot bind 127.0.0.1:0 to find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The 1-minute load average (`/proc/loadavg`): other work on the machine skews the figures.
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(String.init) ?? "?"
    }
}
