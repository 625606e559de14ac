import Manifests

/// A reusable set of metrics with arguments (`keelson.dev/v1alpha1` `AnalysisTemplate`).
///
/// ```swift
/// let template = try AnalysisTemplate(manifest)
/// let args = try AnalysisArgument.resolve(declared: template.arguments, overrides: step.args)
/// let context = AnalysisContext(rollout: "web", namespace: "shop", …, arguments: args)
/// let metrics = try template.metrics.map { try $0.resolve(context, credentials: [:]) }
/// ```
public struct AnalysisTemplate: Sendable, Hashable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `spec.args`: the arguments and their defaults.
    public var arguments: [AnalysisArgument]
    /// `spec.metrics`.
    public var metrics: [Metric]

    /// Creates a template.
    public init(name: String, namespace: String, arguments: [AnalysisArgument] = [], metrics: [Metric]) {
        self.name = name
        self.namespace = namespace
        self.arguments = arguments
        self.metrics = metrics
    }

    /// Reads an AnalysisTemplate; every refusal names the template and the field.
    public init(_ manifest: Manifest) throws(AnalysisSpecError) {
        let object = "\(RolloutAPI.analysisTemplateKind) \(manifest.namespace.isEmpty ? "" : manifest.namespace + "/")\(manifest.name)"
        do throws(AnalysisSpecError) {
            guard manifest.apiVersion == RolloutAPI.apiVersion, manifest.kind == RolloutAPI.analysisTemplateKind else {
                throw AnalysisSpecError(
                    .invalidField, path: "",
                    "is \(manifest.apiVersion) \(manifest.kind), not \(RolloutAPI.apiVersion) \(RolloutAPI.analysisTemplateKind)")
            }
            let spec = try SpecReader(manifest.object["spec"], path: "spec")
            try spec.refuseUnknown(["args", "metrics"])
            let arguments = try AnalysisArgument.parseList(spec.object["args"], path: "spec.args")
            let metrics = try Metric.parseList(spec.object["metrics"], path: "spec.metrics", arguments: Set(arguments.map(\.name)))
            self.init(name: manifest.name, namespace: manifest.namespace, arguments: arguments, metrics: metrics)
        } catch {
            throw error.naming(object)
        }
    }

    /// The metrics of several templates together (an analysis step may name more than one),
    /// refusing two metrics of the same name.
    public static func metrics(of templates: [AnalysisTemplate]) throws(AnalysisSpecError) -> [Metric] {
        var metrics: [Metric] = []
        for template in templates {
            for metric in template.metrics {
                guard !metrics.contains(where: { $0.name == metric.name }) else {
                    throw AnalysisSpecError(.invalidField, path: "metrics", "two templates have a metric named \"\(metric.name)\"")
                }
                metrics.append(metric)
            }
        }
        return metrics
    }
}
