import FixstreamNet
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Wakes a sleeping consumer thread, costing producers nothing while it is awake.
///
/// The consumer announces it is going to sleep, re-checks its queues, then blocks on an eventfd. A producer,
/// after publishing work, looks at the flag and writes the eventfd only when the consumer sleeps. Sequentially
/// consistent fences on both sides make it impossible for both to miss each other (the Dekker pattern).
final class Doorbell: Sendable {
    private let sleeping = Atomic<Bool>(false)
    private let notifier: EventNotifier

    init() throws {
        notifier = try EventNotifier()
    }

    /// Producer: call after publishing work.
    func ring() {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .relaxed), sleeping.exchange(false, ordering: .acquiringAndReleasing) {
            notifier.signal()
        }
    }

    /// Consumer: sleeps up to `timeout` milliseconds unless `hasWork` (checked after announcing the sleep) is true.
    func sleep(timeoutMilliseconds timeout: Int32, unless hasWork: () -> Bool) {
        sleeping.store(true, ordering: .relaxed)
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if hasWork() {
            sleeping.store(false, ordering: .relaxed)
            return
        }
        var poller = pollfd(fd: notifier.fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&poller, 1, timeout)
        sleeping.store(false, ordering: .relaxed)
        notifier.drain()
    }
}
