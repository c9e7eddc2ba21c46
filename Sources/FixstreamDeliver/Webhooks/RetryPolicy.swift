/// When a failed webhook batch is tried again: exponential backoff with jitter, capped.
///
/// Retry `n` (from 1) waits `initialDelay × multiplier^(n-1)`, capped at `maximumDelay`, then scaled by a random
/// factor in `1 ± jitter`. The default, 0.75 s doubling to 30 s with ±20 %, retries first within about a second
/// (0.6 to 0.9 s), then after about 1.5, 3, 6, 12, 24 and every 30 s: a receiver down for half a minute gets the
/// batch within about 30 s of coming back, and loses nothing. Jitter keeps endpoints that failed together (one
/// network outage) from retrying in lockstep.
public struct RetryPolicy: Sendable, Hashable {
    /// The wait before the first retry, before jitter.
    public var initialDelay: Duration
    /// How much each wait grows over the one before; at least 1.
    public var multiplier: Double
    /// The largest wait before jitter.
    public var maximumDelay: Duration
    /// The relative spread of each wait, 0 to 1: 0.2 makes a wait of 10 s anything from 8 to 12 s.
    public var jitter: Double

    /// Creates a policy; the defaults are the server's.
    public init(
        initialDelay: Duration = .milliseconds(750),
        multiplier: Double = 2,
        maximumDelay: Duration = .seconds(30),
        jitter: Double = 0.2
    ) {
        self.initialDelay = initialDelay
        self.multiplier = max(1, multiplier)
        self.maximumDelay = maximumDelay
        self.jitter = min(1, max(0, jitter))
    }

    /// The wait before retry `retry` (1 for the first) in milliseconds.
    ///
    /// - Parameters:
    ///   - retry: which retry, from 1.
    ///   - random: a number in `0..<1` that picks the jitter (uniform for a uniform spread).
    /// - Returns: the wait, at least 1 ms.
    public func delayMilliseconds(beforeRetry retry: Int, random: Double) -> Int64 {
        let initial = Double(initialDelay.milliseconds)
        let cap = Double(maximumDelay.milliseconds)
        // Once past the cap the growth no longer matters; stopping there also keeps the power finite.
        var base = initial
        var step = 1
        while step < retry, base < cap, multiplier > 1 {
            base *= multiplier
            step += 1
        }
        let jittered = min(base, cap) * (1 - jitter + 2 * jitter * random)
        return max(1, Int64(jittered.rounded()))
    }
}
