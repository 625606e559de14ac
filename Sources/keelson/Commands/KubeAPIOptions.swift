import ArgumentParser
import Kube

/// The controller's request budget towards the Kubernetes API: the flags Flux's controllers
/// take, with the same defaults (50 requests a second, bursts of 100), which are `KubeClientOptions`'.
struct KubeAPIOptions: ParsableArguments {
    @Option(name: .customLong("kube-api-qps"), help: "The most requests a second sent to the Kubernetes API in the long run.")
    var qps = KubeClientOptions().qps

    @Option(name: .customLong("kube-api-burst"), help: "The most requests sent to the Kubernetes API at once after a quiet spell.")
    var burst = KubeClientOptions().burst

    func validate() throws {
        guard qps.isFinite, qps > 0 else {
            throw ValidationError("--kube-api-qps \(qps): must be a positive number of requests a second")
        }
        guard burst > 0 else { throw ValidationError("--kube-api-burst \(burst): must be a positive number of requests") }
    }

    /// Client options with this budget; `clock` is what the rate limit waits on.
    func clientOptions(clock: any Clock<Duration> = ContinuousClock()) -> KubeClientOptions {
        KubeClientOptions(qps: qps, burst: burst, clock: clock)
    }
}
