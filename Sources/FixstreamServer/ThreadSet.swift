import FixstreamNet
import Synchronization

/// The server's threads by role, joined role by role on shutdown.
final class ThreadSet: Sendable {
    enum Role: Hashable, Sendable {
        case io
        case shard
        case checkpoints
        case alerts
    }

    private let handles = Mutex<[Role: [ThreadHandle]]>([:])

    /// Starts a named thread in `role`.
    func start(_ role: Role, name: String, _ body: sending @escaping () -> Void) throws {
        let handle = try spawnThread(name: name, body)
        handles.withLock { $0[role, default: []].append(handle) }
    }

    /// Waits for every thread of `role` to end (once).
    func join(_ role: Role) {
        let waiting = handles.withLock { $0.removeValue(forKey: role) ?? [] }
        for handle in waiting { handle.join() }
    }
}
