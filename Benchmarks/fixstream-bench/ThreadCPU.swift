@preconcurrency import Foundation

/// CPU time used so far by this process's threads, by thread name, from `/proc/self/task/*/schedstat` (time on
/// CPU, in nanoseconds, kernel work done on the thread's behalf included).
///
/// On a loaded machine wall-clock rates move with the neighbours; CPU time per fix moves much less, so it is the
/// figure to compare between builds.
enum ThreadCPU {
    /// Nanoseconds on CPU per thread name (threads sharing a name are summed).
    static func snapshot() -> [String: UInt64] {
        var totals: [String: UInt64] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks {
            guard
                let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/schedstat", encoding: .utf8),
                let first = stat.split(separator: " ").first, let nanoseconds = UInt64(first)
            else { continue }
            totals[name.trimmingCharacters(in: .whitespacesAndNewlines), default: 0] += nanoseconds
        }
        return totals
    }

    /// CPU nanoseconds each named thread used between two snapshots (threads that ended in between are lost).
    static func used(from before: [String: UInt64], to after: [String: UInt64]) -> [String: UInt64] {
        var used: [String: UInt64] = [:]
        for (name, end) in after {
            let start = before[name] ?? 0
            if end > start { used[name] = end - start }
        }
        return used
    }
}
