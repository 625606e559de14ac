import Foundation
import Manifests
import Progressive
import Testing

/// A change to a valid template and the field path the refusal must name.
struct RefusalCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var metric: [String: JSONValue]
    var path: String
    var code: AnalysisSpecError.Code = .invalidField
    var testDescription: String { rule }
}

@Suite struct AnalysisTemplateParsingTests {
    static let prometheus: JSONValue = ["prometheus": ["address": "http://prometheus:9090", "query": "sum(up{service=\"{{args.service}}\"})"]]

    /// An AnalysisTemplate with one metric: the valid one with `changes` written over it.
    static func template(_ changes: [String: JSONValue] = [:], metrics: JSONValue? = nil) -> Manifest {
        var metric: JSONObject = ["name": "success-rate", "interval": "30s", "count": 4, "threshold": ["min": 0.95], "provider": prometheus]
        for (key, value) in changes { metric[key] = value == .null ? nil : value }
        return Manifest(unchecked: [
            "apiVersion": "keelson.dev/v1alpha1", "kind": "AnalysisTemplate", "metadata": ["name": "success-rate", "namespace": "shop"],
            "spec": ["args": [["name": "service"]], "metrics": metrics ?? [.object(metric)]],
        ])
    }

    static let refusals: [RefusalCase] = [
        // A provider Keelson does not have is named.
        RefusalCase(rule: "unknown provider", metric: ["provider": ["datadog": ["query": "x"]]], path: "spec.metrics[0].provider.datadog"),
        // Two providers in one metric are refused.
        RefusalCase(
            rule: "two providers", metric: ["provider": ["prometheus": ["address": "http://p", "query": "q"], "web": ["url": "http://w"]]],
            path: "spec.metrics[0].provider"),
        // threshold and equals together are refused.
        RefusalCase(rule: "threshold and equals", metric: ["equals": 1], path: "spec.metrics[0].threshold"),
        // A duration must be a Go duration.
        RefusalCase(rule: "interval not a duration", metric: ["interval": "5 minutes"], path: "spec.metrics[0].interval"),
        // initialDelay too.
        RefusalCase(rule: "initialDelay not a duration", metric: ["initialDelay": "soon"], path: "spec.metrics[0].initialDelay"),
        // A provider timeout too.
        RefusalCase(
            rule: "timeout not a duration", metric: ["provider": ["prometheus": ["address": "http://p", "query": "q", "timeout": "10"]]],
            path: "spec.metrics[0].provider.prometheus.timeout"),
        // A tag outside the vocabulary is refused when the template is read.
        RefusalCase(
            rule: "unknown tag", metric: ["provider": ["prometheus": ["address": "http://p", "query": "up{x=\"{{canary.name}}\"}"]]],
            path: "spec.metrics[0].provider.prometheus.query", code: .invalidTemplate),
        // An argument the template does not declare is refused too.
        RefusalCase(
            rule: "undeclared argument", metric: ["provider": ["prometheus": ["address": "http://p", "query": "{{args.nope}}"]]],
            path: "spec.metrics[0].provider.prometheus.query", code: .invalidTemplate),
        // Queries are bounded at 16 KiB.
        RefusalCase(
            rule: "query too long",
            metric: ["provider": ["prometheus": ["address": "http://p", "query": .string(String(repeating: "a", count: 16 * 1024 + 1))]]],
            path: "spec.metrics[0].provider.prometheus.query", code: .tooLarge),
        // Argo's expression fields are not read silently.
        RefusalCase(rule: "argo successCondition", metric: ["successCondition": "result[0] >= 0.95"], path: "spec.metrics[0].successCondition"),
        // A threshold needs a bound.
        RefusalCase(rule: "empty threshold", metric: ["threshold": [:]], path: "spec.metrics[0].threshold"),
        // min above max can never pass.
        RefusalCase(rule: "min above max", metric: ["threshold": ["min": 2, "max": 1]], path: "spec.metrics[0].threshold"),
        // A prometheus metric without a condition would pass anything.
        RefusalCase(rule: "prometheus without condition", metric: ["threshold": .null], path: "spec.metrics[0]"),
        // noData has three values.
        RefusalCase(rule: "noData value", metric: ["noData": "Ignore"], path: "spec.metrics[0].noData"),
        // failureLimit is a whole number.
        RefusalCase(rule: "failureLimit not a number", metric: ["failureLimit": "one"], path: "spec.metrics[0].failureLimit"),
        // count is at least 1.
        RefusalCase(rule: "count zero", metric: ["count": 0], path: "spec.metrics[0].count"),
        // web methods are GET and POST.
        RefusalCase(
            rule: "web method", metric: ["threshold": .null, "provider": ["web": ["url": "http://w", "method": "DELETE"]]],
            path: "spec.metrics[0].provider.web.method"),
        // The jsonPath subset is checked when read.
        RefusalCase(
            rule: "bad jsonPath", metric: ["provider": ["web": ["url": "http://w", "jsonPath": "data.rate"]]],
            path: "spec.metrics[0].provider.web.jsonPath"),
        // URLs are http(s).
        RefusalCase(
            rule: "address not a URL", metric: ["provider": ["prometheus": ["address": "prometheus:9090", "query": "q"]]],
            path: "spec.metrics[0].provider.prometheus.address"),
        // A job needs a pod template.
        RefusalCase(
            rule: "job without pod template", metric: ["threshold": .null, "provider": ["job": ["template": ["spec": [:]]]]],
            path: "spec.metrics[0].provider.job.template.spec.template"),
    ]

    @Test(arguments: refusals)
    func refuses(_ row: RefusalCase) {
        do {
            _ = try AnalysisTemplate(Self.template(row.metric))
            Issue.record("\(row.rule) was accepted")
        } catch {
            #expect(error.path == row.path)
            #expect(error.code == row.code)
            #expect(error.description.hasPrefix("AnalysisTemplate shop/success-rate: \(row.path): "))
        }
    }

    // More than 32 metrics are refused.
    @Test func boundsMetrics() throws {
        let many = (0..<33).map { index -> JSONValue in
            ["name": .string("m\(index)"), "threshold": ["min": 1], "provider": Self.prometheus]
        }
        let error = try #require(throws: AnalysisSpecError.self) { try AnalysisTemplate(Self.template(metrics: .array(many))) }
        #expect(error.path == "spec.metrics")
        #expect(error.code == .tooLarge)
    }

    // Two metrics of one name are refused at the second.
    @Test func refusesDuplicateNames() throws {
        let metric: JSONValue = ["name": "m", "threshold": ["min": 1], "provider": Self.prometheus]
        let error = try #require(throws: AnalysisSpecError.self) { try AnalysisTemplate(Self.template(metrics: [metric, metric])) }
        #expect(error.path == "spec.metrics[1].name")
    }

    // The design's example reads with its defaults: failureLimit 0, inconclusiveLimit 1, consecutiveErrorLimit 4, 30s timeout.
    @Test func readsTheDesignExample() throws {
        let template = try AnalysisTemplate(Self.template())
        let metric = try #require(template.metrics.first)
        #expect(template.arguments == [AnalysisArgument(name: "service")])
        #expect(metric.interval == .seconds(30))
        #expect(metric.count == 4)
        #expect(metric.failureLimit == 0)
        #expect(metric.inconclusiveLimit == 1)
        #expect(metric.consecutiveErrorLimit == 4)
        #expect(metric.noData == .inconclusive)
        #expect(metric.condition == .threshold(min: 0.95, max: nil))
        guard case .prometheus(let source) = metric.source else { Issue.record("not prometheus"); return }
        #expect(source.timeout == .seconds(30))
    }

    // The Rollout's args override defaults, and a missing one is named.
    @Test func resolvesArguments() throws {
        let template = try AnalysisTemplate(Self.template())
        let missing = try #require(throws: AnalysisSpecError.self) {
            try AnalysisArgument.resolve(declared: template.arguments, overrides: [])
        }
        #expect(missing.code == .missingArgument)
        #expect(missing.message.contains("\"service\""))
        let values = try AnalysisArgument.resolve(declared: template.arguments, overrides: [AnalysisArgument(name: "service", value: "web-canary")])
        let context = AnalysisContext(
            rollout: "web", namespace: "shop", canaryDeployment: "web-canary", canaryService: "web-canary", stableDeployment: "web",
            canaryHash: "abc", arguments: values)
        let resolved = try template.metrics[0].resolve(context)
        guard case .prometheus(_, let query, _, _) = resolved.request else { Issue.record("not prometheus"); return }
        #expect(query == "sum(up{service=\"web-canary\"})")
    }

    // Inline metrics allow any argument when read; one without a value is named when resolved.
    @Test func inlineMetricsCheckArgumentsWhenResolved() throws {
        let metrics = try Metric.parseList(
            [["name": "rate", "threshold": ["min": 1], "provider": ["web": ["url": "http://w/{{args.path}}?d={{rollout.name}}"]]]],
            path: "spec.strategy.canary.steps[2].analysis.metrics", arguments: nil)
        let context = AnalysisContext(
            rollout: "web app", namespace: "shop", canaryDeployment: "web-canary", canaryService: "web-canary", stableDeployment: "web",
            canaryHash: "h")
        let error = try #require(throws: AnalysisSpecError.self) { try metrics[0].resolve(context) }
        #expect(error.code == .missingArgument)
        #expect(error.message.contains("{{args.path}}"))
        var withArgs = context
        withArgs.arguments = ["path": "a/b&c"]
        guard case .web(let url, _, _, _, _, _) = try metrics[0].resolve(withArgs).request else { Issue.record("not web"); return }
        // Values are percent-encoded in URLs: an argument cannot add a parameter.
        #expect(url == "http://w/a%2Fb%26c?d=web%20app")
    }
}
