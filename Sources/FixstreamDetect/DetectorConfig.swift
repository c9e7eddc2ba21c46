/// Tunables of the detectors. Durations in milliseconds, distances in metres.
public struct DetectorConfig: Sendable, Equatable {
    /// `gps.lost` after this long without a valid fix (on the shard clock). Default 120 s; nil disables.
    public var gpsLostAfter: Int64? = 120_000
    /// A halt is a stay within this radius. Default 30 m.
    public var idleRadius: Double = 30
    /// ... for at least this long (event time). Default 120 s; nil disables idle detection.
    public var idleAfter: Int64? = 120_000
    /// A halt ends after at least this many consecutive fixes beyond it ... Default 2.
    public var idleExitFixes = 2
    /// ... spanning at least this long, so a burst of multipath fixes does not end it. Default 10 s.
    public var idleExitSpan: Int64 = 10_000

    /// The documented defaults.
    public init() {}
}
