import FixstreamNet
import Testing

struct ClockTests {
    @Test func monotonicClockNeverGoesBack() {
        var previous = MonotonicClock.nanoseconds()
        for _ in 0 ..< 10_000 {
            let now = MonotonicClock.nanoseconds()
            #expect(now >= previous)
            previous = now
        }
    }

    @Test func wallClockIsEpochMilliseconds() {
        let now = WallClock.milliseconds()
        #expect(now > 1_735_689_600_000)  // 2025-01-01
        #expect(now < 4_102_444_800_000)  // 2100-01-01
    }

    @Test func cpuCountIsAtLeastOne() {
        #expect(CPU.count >= 1)
    }
}
