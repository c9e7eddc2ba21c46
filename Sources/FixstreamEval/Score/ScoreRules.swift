/// How truth becomes expected alerts: the detectors' thresholds (their defaults unless the run changed them)
/// and the scorer's tolerances. Durations in milliseconds, distances in metres.
///
/// An expected alert is *clear* when the truth is decisively on one side of the detector's threshold, and
/// *ambiguous* when it is within a band of it (a halt of 125 s against a 120 s idle threshold, a fence grazed
/// 12 m deep against a 10 m hysteresis, a stop passed within its radius before the real arrival, an event the
/// detector could only decide on data after the end of the run). Clear expectations must be met (recall) and
/// alerts must meet one (precision); an alert that meets an ambiguous expectation counts neither way, and an
/// ambiguous expectation left unmet is not a miss.
public struct ScoreRules: Sendable, Equatable {
    /// How far an alert's time may be from the true event's.
    public var tolerance: Int64 = 30_000
    /// `idle.start` after this long halted (`--idle-after`).
    public var idleAfter: Int64 = 120_000
    /// `gps.lost` after this long without a fix (`--gps-lost`).
    public var gpsLostAfter: Int64 = 120_000
    /// `route.deviation` after this long off the route (`TripConfig.deviationTime`).
    public var deviationTime: Int64 = 30_000
    /// Durations within this of a threshold (idle, GPS loss, dwell) are ambiguous.
    public var durationBand: Int64 = 20_000
    /// Fence visits whose depth is within this of the hysteresis are ambiguous.
    public var depthBand = 10.0
    /// Arrivals within this of a window's end do not decide whether `eta.late` was right.
    public var lateBand: Int64 = 300_000
    /// ETA horizons: the prediction in force this long before the true arrival is scored.
    public var etaHorizons: [Int64] = [1_800_000, 900_000, 300_000]
    /// A prediction older than this at a horizon (the vehicle was silent) does not count.
    public var etaStaleness: Int64 = 120_000

    /// The detectors' defaults.
    public init() {}
}
