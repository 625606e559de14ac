import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` series every Prometheus client exports (CPU, memory, file
/// descriptors, start time), read from `/proc/self` at each scrape, so that the usual dashboards
/// and alerts for a process work on Keelson as on any Go controller.
enum ProcessMetrics {
    /// The series, written into `registry`; a figure Linux does not give is left out.
    static func record(into registry: MetricsRegistry) {
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            registry.set(
                "process_cpu_seconds_total", kind: .counter, help: "Total user and system CPU time spent in seconds.",
                to: seconds(usage.ru_utime) + seconds(usage.ru_stime))
        }
        if let statm = read("/proc/self/statm")?.split(separator: " "), statm.count >= 2,
            let pages = Double(statm[0]), let resident = Double(statm[1])
        {
            let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
            registry.set("process_virtual_memory_bytes", help: "Virtual memory size in bytes.", to: pages * pageSize)
            registry.set("process_resident_memory_bytes", help: "Resident memory size in bytes.", to: resident * pageSize)
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // The listing itself holds one descriptor open while it reads.
            registry.set("process_open_fds", help: "Number of open file descriptors.", to: Double(max(descriptors.count - 1, 0)))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            registry.set("process_max_fds", help: "Maximum number of open file descriptors.", to: Double(limit.rlim_cur))
        }
        if let start = startTime() {
            registry.set("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.", to: start)
        }
    }

    /// When this process started, in Unix seconds: its start in clock ticks after boot
    /// (`/proc/self/stat`, field 22) plus the boot time (`/proc/stat`'s `btime`).
    static func startTime() -> Double? {
        // The command name (field 2) may hold spaces and parentheses: fields are counted after its last `)`.
        guard let stat = read("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name come field 3 (state) onwards: field 22 is at offset 19.
        guard fields.count > 19, let ticks = Double(fields[19]),
            let boot = read("/proc/stat")?.split(separator: "\n").first(where: { $0.hasPrefix("btime ") })
                .flatMap({ Double($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticksPerSecond > 0 ? boot + ticks / ticksPerSecond : nil
    }

    private static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}
