import FixstreamNet
import Synchronization
import Testing

/// Signals are tested inside one dedicated thread: `SIGUSR2` is blocked there first and sent to that thread
/// only (`pthread_kill`), so it stays pending on that thread and cannot reach (and end) the test process.
struct SignalFDTests {
    final class Outcome: Sendable {
        let readings = Mutex<[Int32?]>([])
        let failure = Mutex<String?>(nil)
    }

    @Test func readsAThreadDirectedSignalBlockedInThatThread() throws {
        let outcome = Outcome()
        let thread = try spawnThread(name: "signal-test") {
            do {
                try Signals.block([Signals.user2])
                let signals = try SignalFD(signals: [Signals.user2])
                let epoll = try Epoll(capacity: 1)
                try epoll.add(signals.fd, events: .readable, token: 0)
                let before = try signals.read()
                try Signals.raiseInCurrentThread(Signals.user2)
                let ready = try epoll.wait(timeoutMilliseconds: 5000)
                let during = try signals.read()
                let after = try signals.read()
                outcome.readings.withLock { $0 = [before, Int32(ready), during, after] }
            } catch {
                outcome.failure.withLock { $0 = "\(error)" }
            }
        }
        thread.join()
        #expect(outcome.failure.withLock { $0 } == nil)
        #expect(outcome.readings.withLock { $0 } == [nil, 1, Signals.user2, nil])
    }

    @Test func invalidSignalNumbersAreRejected() {
        #expect {
            try Signals.block([9999])
        } throws: { error in
            (error as? SystemError)?.code == .invalidArgument
        }
        #expect(throws: SystemError.self) { _ = try SignalFD(signals: [-1]) }
    }

    @Test func ignoringBrokenPipeIsHarmless() {
        Signals.ignoreBrokenPipe()
        Signals.ignoreBrokenPipe()
    }
}
