/// Tunables of the per-vehicle pipeline. Durations are in milliseconds, distances in metres, speeds in m/s.
public struct PipelineConfig: Sendable, Equatable {
    /// How far back (event time) an out-of-order fix may reach and still be put in order. Default 5 s.
    public var reorderWindow: Int64 = 5_000
    /// How long a held fix waits for stragglers at most, on the shard clock. A vehicle that has not shown disorder
    /// is not held at all; see docs/ARCHITECTURE.md. Default: the reorder window.
    public var maxHold: Int64 = 5_000
    /// A vehicle that has shown no disorder for this long (shard clock) stops being held. Default 60 s.
    public var holdDecay: Int64 = 60_000
    /// Fixes timed more than this after the reference clock are rejected as `future_time`. Default 5 min.
    public var futureTolerance: Int64 = 300_000
    /// Fastest plausible speed between consecutive fixes. Default 70 m/s (252 km/h).
    public var maxSpeed: Double = 70
    /// Distances below this never count as a jump, whatever the time between fixes (GPS noise). Default 100 m.
    public var jumpSlack: Double = 100
    /// After this many consecutive jump rejects that agree with one another, the vehicle really moved (or the
    /// earlier fix was the bad one): the next fix is accepted as the new anchor. Default 3.
    public var jumpReanchor: Int = 3
    /// Fixes reporting an accuracy worse than this are rejected. Default 100 m; nil disables.
    public var maxAccuracy: Float? = 100
    /// Whether exactly 0,0 is rejected. Default true.
    public var rejectZeroCoordinates = true
    /// Whether accepted fixes are also returned (for `process --fixes`). Default false.
    public var emitFixes = false

    /// Defaults as documented on each property.
    public init() {}
}
