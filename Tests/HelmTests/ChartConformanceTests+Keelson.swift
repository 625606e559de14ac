import Foundation
import KeelsonTesting

extension ChartConformanceTests {
    /// Keelson's side (stub until the renderer lands on main).
    static func keelson(_ chartCase: ChartCase) -> Outcome { .failed("not implemented") }
}
