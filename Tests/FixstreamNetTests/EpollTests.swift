import FixstreamNet
import Testing

struct EpollTests {
    @Test func timesOutWithNothingReady() throws {
        let epoll = try Epoll()
        let before = MonotonicClock.nanoseconds()
        #expect(try epoll.wait(timeoutMilliseconds: 20) == 0)
        #expect(MonotonicClock.nanoseconds() - before >= 15_000_000)
    }

    @Test func handsBackFullWidthTokens() throws {
        let epoll = try Epoll(capacity: 4)
        let notifiers = try (0 ..< 3).map { _ in try EventNotifier() }
        let tokens: [UInt64] = [0, 0xDEAD_BEEF_CAFE_BABE, UInt64.max]
        for (notifier, token) in zip(notifiers, tokens) {
            try epoll.add(notifier.fd, events: .readable, token: token)
            notifier.signal()
        }
        #expect(try epoll.wait(timeoutMilliseconds: 1000) == 3)
        #expect(Set((0 ..< 3).map { epoll.token(at: $0) }) == Set(tokens))
        #expect((0 ..< 3).allSatisfy { epoll.events(at: $0) == .readable })
    }

    @Test func reportsAtMostCapacityPerWait() throws {
        let epoll = try Epoll(capacity: 2)
        let notifiers = try (0 ..< 5).map { _ in try EventNotifier() }
        for (index, notifier) in notifiers.enumerated() {
            try epoll.add(notifier.fd, events: .readable, token: UInt64(index))
            notifier.signal()
        }
        #expect(try epoll.wait(timeoutMilliseconds: 1000) == 2)
    }

    @Test func modifyRemoveAndOneShot() throws {
        let epoll = try Epoll(capacity: 4)
        let notifier = try EventNotifier()
        notifier.signal()
        try epoll.add(notifier.fd, events: [.readable, .oneShot], token: 1)
        #expect(try epoll.wait(timeoutMilliseconds: 1000) == 1)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 0)  // Disarmed, though still readable.

        try epoll.modify(notifier.fd, events: .readable, token: 2)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 1)
        #expect(epoll.token(at: 0) == 2)

        try epoll.remove(notifier.fd)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 0)
        #expect(throws: SystemError.self) { try epoll.remove(notifier.fd) }
    }

    @Test func edgeTriggeredReportsOncePerChange() throws {
        let epoll = try Epoll(capacity: 4)
        let notifier = try EventNotifier()
        try epoll.add(notifier.fd, events: [.readable, .edgeTriggered], token: 9)
        notifier.signal()
        #expect(try epoll.wait(timeoutMilliseconds: 1000) == 1)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 0)
        notifier.signal()
        #expect(try epoll.wait(timeoutMilliseconds: 1000) == 1)
    }
}
