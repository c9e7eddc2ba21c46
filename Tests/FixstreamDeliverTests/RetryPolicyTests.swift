import FixstreamDeliver
import Testing

/// Backoff: the first retry within about a second, doubling, capped, with bounded jitter.
struct RetryPolicyTests {
    @Test func theDefaultRetriesFirstWithinASecondThenBacksOffToThirtySeconds() {
        let policy = RetryPolicy()
        #expect(policy.delayMilliseconds(beforeRetry: 1, random: 0) == 600)
        #expect(policy.delayMilliseconds(beforeRetry: 1, random: 0.5) == 750)
        #expect(policy.delayMilliseconds(beforeRetry: 1, random: 0.999_999) == 900)
        let middle = (1 ... 9).map { policy.delayMilliseconds(beforeRetry: $0, random: 0.5) }
        #expect(middle == [750, 1500, 3000, 6000, 12_000, 24_000, 30_000, 30_000, 30_000])
        #expect(policy.delayMilliseconds(beforeRetry: 1_000_000, random: 1) == 36_000)
        #expect(policy.delayMilliseconds(beforeRetry: .max, random: 0) == 24_000)
    }

    @Test func aReceiverDownForHalfAMinuteIsRetriedSoonAfter() {
        // Even with the longest waits, the retries keep coming: none is more than 36 s after the one before.
        let policy = RetryPolicy()
        var elapsed: Int64 = 0
        var retry = 1
        while elapsed < 30_000 {
            elapsed += policy.delayMilliseconds(beforeRetry: retry, random: 1)
            retry += 1
        }
        #expect(elapsed < 30_000 + 36_000)
    }

    @Test func valuesAreKeptInRange() {
        let policy = RetryPolicy(initialDelay: .milliseconds(10), multiplier: 0.5, maximumDelay: .seconds(1), jitter: 3)
        #expect(policy.multiplier == 1 && policy.jitter == 1)
        #expect(policy.delayMilliseconds(beforeRetry: 50, random: 0) == 1)
        #expect(policy.delayMilliseconds(beforeRetry: 50, random: 0.5) == 10)
    }
}
