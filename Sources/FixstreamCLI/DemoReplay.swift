import FixstreamLoad
import FixstreamNet
import FixstreamWire
import Synchronization

/// `demo`'s replay of the fleet, on a thread of its own so the main thread can wait for it or for Ctrl-C:
/// the fixes as recorded (their order and times, see ``RecordedSchedule``) over one TCP connection.
final class DemoReplay: Sendable {
    /// What the replay thread and the main thread share.
    private final class Shared: Sendable {
        let stopping = Atomic<Bool>(false)
        let outcome = Mutex<Result<ReplayResult, any Error>?>(nil)
        let finished: EventNotifier

        init() throws(SystemError) {
            finished = try EventNotifier()
        }
    }

    private let shared: Shared
    private let thread: ThreadHandle

    /// Starts replaying `fixes` at `speed` (nil: as fast as possible) to the ingest port `port` on loopback.
    /// - Throws: ``CLIError`` when the thread cannot be started.
    init(fixes: [Fix], speed: Double?, port: UInt16) throws {
        var options = ReplayOptions()
        options.speed = speed
        do {
            let shared = try Shared()
            let target = ReplayTarget.tcp(try SocketAddress(host: "127.0.0.1", port: port))
            thread = try spawnThread(name: "fs-demo-replay") {
                let replayer = Replayer(recorded: fixes, options: options, target: target)
                let result = Result { try replayer.run(shouldStop: { shared.stopping.load(ordering: .relaxed) }) }
                shared.outcome.withLock { $0 = result }
                shared.finished.signal()
            }
            self.shared = shared
        } catch {
            throw CLIError(.io, "demo: cannot start the replay: \(error)")
        }
    }

    /// Signalled once the replay has ended (done, stopped or failed).
    var finished: EventNotifier { shared.finished }

    /// Asks the replay to end after what it already queued.
    func stop() {
        shared.stopping.store(true, ordering: .relaxed)
    }

    /// Waits for the replay's thread; returns what it did.
    func join() -> Result<ReplayResult, any Error> {
        thread.join()
        // The thread sets the outcome before it ends.
        return shared.outcome.withLock { $0 }!
    }
}
