/// Tunables of the trip follower. Durations in milliseconds, distances in metres, speeds in m/s.
public struct TripConfig: Sendable, Equatable {
    /// Hysteresis for arriving at and leaving a stop. Default 10 m.
    public var margin = 10.0
    /// An arrival at a stop is reported once the vehicle has stayed in its radius (less the margin) for this long,
    /// dated from the first fix inside, or at once at the next stop when a fix there reports walking speed or
    /// less: driving through a stop's radius, or one multipath fix inside a later stop's, is no arrival.
    /// Default 20 s.
    public var arrivalConfirmation: Int64 = 20_000
    /// A departure from a stop is reported once the vehicle has been out of its radius (plus the margin) for this
    /// long, dated from the first fix outside: one multipath fix far from a parked van is not a departure.
    /// Default 10 s.
    public var departureConfirmation: Int64 = 10_000
    /// Off the planned route by more than this ... Default 100 m.
    public var deviationDistance = 100.0
    /// ... for this long raises `route.deviation`. Default 30 s.
    public var deviationTime: Int64 = 30_000
    /// `route.rejoin` once the vehicle has been back within 80 % of the deviation distance for this long, dated from
    /// the first fix back (one multipath fix near the route is not a return). Default 10 s.
    public var rejoinConfirmation: Int64 = 10_000
    /// `stop.approaching` when the next stop's ETA is under this ... Default 5 min.
    public var approachingTime: Int64 = 300_000
    /// ... or it is closer than this. Default 500 m.
    public var approachingDistance = 500.0
    /// `eta.changed` when a stop's ETA moved by more than this since the last one announced. Default 120 s.
    public var etaChange: Int64 = 120_000
    /// `eta.late` once a stop's ETA is more than this past the end of its window: a warning means clearly late,
    /// not a prediction wobbling around the window's end. Default 5 min (the band within which `score` calls an
    /// arrival neither on time nor late).
    public var lateMargin: Int64 = 300_000
    /// Typical speed blended with the vehicle's recent speed. Default 8.33 m/s (30 km/h, urban delivery).
    public var typicalSpeed = 8.33
    /// Without a route, straight-line distances are multiplied by this to approximate roads. Default 1.3.
    public var detourFactor = 1.3
    /// With a road map: a stop's road position is the nearest road within this distance. Default 250 m.
    public var roadSnapRadius = 250.0
    /// With a road map: a vehicle that left its way to the next stop gets a new one at most this often (a new stop
    /// to go to always gets one at once). Default 10 s.
    public var roadReplanInterval: Int64 = 10_000

    /// The documented defaults.
    public init() {}
}
