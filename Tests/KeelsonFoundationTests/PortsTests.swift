import Foundation
import KeelsonTesting
import Testing

/// Child servers get ports from `Ports.free`; two tests must never be handed the same one, and a
/// port the kernel may give to a port 0 bind or an outgoing connection must never be handed out.
@Suite struct PortsTests {
    @Test func portsAreDistinctFreeAndOutsideTheEphemeralRange() throws {
        let text = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(bounds.count == 2)
        let ports = try (0..<200).map { _ in try Ports.free() }
        #expect(Set(ports).count == ports.count, "a port was handed out twice")
        #expect(ports.allSatisfy { $0 > 1024 && $0 <= 65535 })
        if bounds[0] > 11000 {
            #expect(ports.allSatisfy { $0 < bounds[0] }, "a port in the ephemeral range \(bounds[0])-\(bounds[1])")
        }
    }

}
