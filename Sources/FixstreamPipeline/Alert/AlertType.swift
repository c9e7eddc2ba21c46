/// The kinds of alert Fixstream raises. Each has a stable dotted ``name`` used on the wire and in metrics.
public enum AlertType: UInt8, Sendable, CaseIterable {
    /// The vehicle entered a fence (beyond the hysteresis margin).
    case geofenceEnter
    /// The vehicle left a fence (beyond the hysteresis margin).
    case geofenceExit
    /// The vehicle stayed inside a fence for its dwell time.
    case geofenceDwell
    /// The vehicle halted outside its planned stops.
    case idleStart
    /// The halt ended.
    case idleEnd
    /// The vehicle left its planned route.
    case routeDeviation
    /// The vehicle is back on its planned route.
    case routeRejoin
    /// The vehicle is close to its next stop.
    case stopApproaching
    /// The vehicle reached a stop.
    case stopArrived
    /// The vehicle left a stop.
    case stopDeparted
    /// A stop's estimated arrival moved significantly.
    case etaChanged
    /// A stop will be (or is) reached after its time window.
    case etaLate
    /// Nothing was heard from the vehicle for the configured time.
    case gpsLost
    /// The vehicle reported again after a loss.
    case gpsRestored

    /// Stable name: `geofence.enter`, `gps.lost`, ...
    public var name: String {
        switch self {
        case .geofenceEnter: "geofence.enter"
        case .geofenceExit: "geofence.exit"
        case .geofenceDwell: "geofence.dwell"
        case .idleStart: "idle.start"
        case .idleEnd: "idle.end"
        case .routeDeviation: "route.deviation"
        case .routeRejoin: "route.rejoin"
        case .stopApproaching: "stop.approaching"
        case .stopArrived: "stop.arrived"
        case .stopDeparted: "stop.departed"
        case .etaChanged: "eta.changed"
        case .etaLate: "eta.late"
        case .gpsLost: "gps.lost"
        case .gpsRestored: "gps.restored"
        }
    }

    /// The type whose ``name`` is `name`.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
