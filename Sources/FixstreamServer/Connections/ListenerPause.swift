import FixstreamNet

/// Listeners taken out of epoll after accepting failed for lack of descriptors (EMFILE, ENFILE).
///
/// Epoll is level-triggered: the connection the kernel cannot hand over would wake the loop at once, forever. A
/// paused listener is looked at again after 100 ms, when closed connections may have freed descriptors.
struct ListenerPause {
    private var paused: [(fd: Int32, token: UInt64, until: Int64)] = []

    /// Whether `error` is one that pausing helps with.
    static func calls(for error: SystemError) -> Bool {
        error.code == .tooManyOpenFiles || error.code == .fileTableOverflow
    }

    /// Takes `listener` out of `epoll` until 100 ms after `now` (monotonic ms).
    mutating func pause(_ listener: Int32, token: UInt64, epoll: Epoll, now: Int64) {
        try? epoll.remove(listener)
        paused.append((listener, token, now + 100))
    }

    /// Puts back the listeners whose pause is over.
    mutating func resume(epoll: Epoll, now: Int64) {
        guard !paused.isEmpty else { return }
        for entry in paused where entry.until <= now {
            try? epoll.add(entry.fd, events: .readable, token: entry.token)
        }
        paused.removeAll { $0.until <= now }
    }

    /// Whether `listener` is out of epoll now.
    func isPaused(_ listener: Int32) -> Bool {
        paused.contains { $0.fd == listener }
    }
}
