import Foundation
import Helm
import Render
import Synchronization

/// Charts inside kustomizations (`helmCharts:`) draw their randomness and `now` from the
/// Application's seed, as charts rendered from a source do, so `randAlphaNum` and `genCA` in a
/// kustomized chart do not change the desired state on every reconcile.
///
/// Most kustomizations hold no chart, so the seed Secret is not read (or created) up front: the
/// first render runs with probes, and only a render that drew randomness or read the clock is
/// done again with the seed.
final class KustomizeChartSeeding: Sendable {
    private let used = Mutex(false)

    /// Options whose randomness and clock note that they were used (and answer as the system does).
    var probing: KustomizeHelmOptions {
        KustomizeHelmOptions(
            random: Probe(seeding: self),
            clock: TemplateClock { [self] in
                markUsed()
                return Date()
            })
    }

    /// Whether a render with `probing` drew randomness or read the clock.
    var wasUsed: Bool { used.withLock { $0 } }

    /// Options drawing from `seed` for one render.
    static func seeded(_ seed: HelmSeed) -> KustomizeHelmOptions {
        KustomizeHelmOptions(random: SeededRandomSource(seed: seed.seed), clock: .fixed(seed.time))
    }

    fileprivate func markUsed() { used.withLock { $0 = true } }

    private struct Probe: RandomSource {
        let seeding: KustomizeChartSeeding
        var dependsOnCallOrder: Bool { false }
        func bytes(_ count: Int, template: String, purpose: String) -> [UInt8] {
            seeding.markUsed()
            return SystemRandomSource().bytes(count, template: template, purpose: purpose)
        }
    }
}
