/// What a `Rollout` asks for: how a new template of its target Deployment reaches users.
public struct RolloutSpec: Sendable, Hashable {
    /// The Rollout's namespace (its target and Service live there too).
    public var namespace: String
    /// The Rollout's name.
    public var name: String
    /// The Deployment rolled out, in the same namespace.
    public var target: String
    /// The "apex" Service from Git that users reach the target through.
    public var service: ServiceReference?
    /// How long a step may make no progress before the rollout is aborted.
    public var progressDeadline: Duration = .seconds(600)
    /// How many recently promoted templates come back without steps (a fast rollback).
    public var rollbackWindow = 3
    /// How long an aborted canary keeps its pods when a router moved traffic away at once.
    public var abortScaleDownDelay: Duration = .seconds(30)
    /// The Application health an abort reports.
    public var abortedHealth: AbortedHealth = .honest
    /// Canary or blue-green.
    public var strategy: Strategy
    /// Flagger-shaped gates: pre-rollout, rollout, confirm-promotion and post-rollout hooks.
    public var webhooks: [Webhook] = []
    /// How many failed pre-rollout or rollout hook calls abort the rollout.
    public var threshold = 1

    public init(namespace: String, name: String, target: String, service: ServiceReference? = nil, strategy: Strategy) {
        self.namespace = namespace
        self.name = name
        self.target = target
        self.service = service
        self.strategy = strategy
    }

    /// The name of the generated Deployment that runs the new template.
    public var canaryDeployment: String { target + "-canary" }
    /// The name of the generated Service that selects only canary pods (router modes).
    public var canaryService: String? { service.map { $0.name + "-canary" } }

    /// The Service users reach the target through.
    public struct ServiceReference: Sendable, Hashable {
        public var name: String
        public var port: Int?
        public init(name: String, port: Int? = nil) {
            self.name = name
            self.port = port
        }
    }

    /// What health an aborted rollout gives its Application.
    public enum AbortedHealth: String, Sendable, Hashable {
        /// Healthy when the stable version serves; the delivery verdict says RolledBack.
        case honest = "Healthy"
        /// Degraded, as Argo Rollouts reports an aborted rollout.
        case degraded = "Degraded"
    }

    /// How traffic moves to the new template.
    public enum Strategy: Sendable, Hashable {
        case canary(Canary)
        case blueGreen(BlueGreen)
    }

    /// Steps that move a growing share of traffic to the canary.
    public struct Canary: Sendable, Hashable {
        public var steps: [Step]
        /// Analysis that runs alongside the steps from `startingStep` on; a failure aborts.
        public var background: BackgroundAnalysis?
        public var traffic: TrafficRouting = .replicas
        public init(steps: [Step], background: BackgroundAnalysis? = nil, traffic: TrafficRouting = .replicas) {
            self.steps = steps
            self.background = background
            self.traffic = traffic
        }
    }

    /// A full-size green copy behind a preview Service, switched to in one write.
    public struct BlueGreen: Sendable, Hashable {
        /// The preview Service's name (`<service>-preview` unless set).
        public var previewService: String?
        /// Switch without waiting for `promote` (Argo's default; Keelson's is a manual gate).
        public var autoPromotion = false
        public var prePromotionAnalysis: AnalysisReference?
        public var postPromotionAnalysis: AnalysisReference?
        /// How long blue keeps running after the switch, for a switch-back.
        public var scaleDownDelay: Duration = .seconds(30)
        public init() {}
    }

    /// One step of a canary.
    public enum Step: Sendable, Hashable {
        /// Route this percentage to the canary.
        case setWeight(Int)
        /// Wait this long, or until `promote` when nil.
        case pause(Duration?)
        /// Run an analysis; its result decides the next step.
        case analysis(AnalysisReference)
    }

    /// AnalysisTemplates to run, with arguments.
    public struct AnalysisReference: Sendable, Hashable {
        public var templates: [String]
        public var args: [String: String]
        public init(templates: [String], args: [String: String] = [:]) {
            self.templates = templates
            self.args = args
        }
    }

    /// Analysis alongside a canary's steps.
    public struct BackgroundAnalysis: Sendable, Hashable {
        public var analysis: AnalysisReference
        /// The step from which it runs.
        public var startingStep: Int
        public init(analysis: AnalysisReference, startingStep: Int = 0) {
            self.analysis = analysis
            self.startingStep = startingStep
        }
    }

    /// Where the canary's share of traffic is set.
    public enum TrafficRouting: Sendable, Hashable {
        /// By the ratio of ready pods behind the one Service (no router).
        case replicas
        /// By backendRef weights in the user's own Gateway API HTTPRoute.
        case gatewayAPI(httpRoute: String, rule: Int?)
        /// By an ingress-nginx canary Ingress generated next to the user's.
        case nginx(ingress: String, annotationPrefix: String)
        /// By two integers written into any object at JSON pointers.
        case patch(PatchTarget)

        /// Whether a router moves traffic (so the canary needs its own Service).
        public var routed: Bool { if case .replicas = self { false } else { true } }
    }

    /// The object and the JSON pointers the patch router writes the weights to.
    public struct PatchTarget: Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var name: String
        public var stableWeight: String
        public var canaryWeight: String
        public init(apiVersion: String, kind: String, name: String, stableWeight: String, canaryWeight: String) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.stableWeight = stableWeight
            self.canaryWeight = canaryWeight
        }
    }
}
