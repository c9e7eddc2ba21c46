import FixstreamNet
import Testing

struct EventNotifierTests {
    @Test func wakesAnEpollWaitFromAnotherThread() throws {
        let epoll = try Epoll(capacity: 2)
        let notifier = try EventNotifier()
        try epoll.add(notifier.fd, events: .readable, token: 42)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 0)

        let started = MonotonicClock.nanoseconds()
        let thread = try spawnThread(name: "notifier-test") {
            let until = MonotonicClock.nanoseconds() + 50_000_000
            while MonotonicClock.nanoseconds() < until {}
            notifier.signal()
        }
        #expect(try epoll.wait(timeoutMilliseconds: 10_000) == 1)
        let waited = MonotonicClock.nanoseconds() - started
        thread.join()
        #expect(epoll.token(at: 0) == 42)
        #expect(waited >= 40_000_000 && waited < 10_000_000_000)
        #expect(notifier.drain() == 1)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 0)
    }

    @Test func signalsCoalesceUntilDrained() throws {
        let notifier = try EventNotifier()
        #expect(notifier.drain() == 0)
        notifier.signal()
        notifier.signal()
        notifier.signal()
        #expect(notifier.drain() == 3)
        #expect(notifier.drain() == 0)
    }
}
