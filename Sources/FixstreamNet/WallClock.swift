@preconcurrency import Glibc

/// `CLOCK_REALTIME`: the date; may jump when the system clock is set, so not for measuring durations.
public enum WallClock {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public static func milliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
