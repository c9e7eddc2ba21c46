import FixstreamNet
import Synchronization

/// The stop switch shared by the main thread and an IO loop: a flag plus an eventfd the loop's epoll watches.
final class ServerControl: Sendable {
    private let stopping = Atomic<Bool>(false)
    let notifier: EventNotifier

    init() throws {
        notifier = try EventNotifier()
    }

    /// Asks the loop to stop: it stops accepting, flushes its connections into the shards and returns.
    func requestStop() {
        stopping.store(true, ordering: .releasing)
        notifier.signal()
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }
}
