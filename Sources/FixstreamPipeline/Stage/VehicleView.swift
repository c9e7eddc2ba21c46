public import FixstreamWire

/// What the state API shows of one vehicle, assembled on its shard's thread from the engine and the stages.
///
/// The engine fills the last fix; each stage adds what it knows through ``PipelineStage/describe(slot:into:)``:
/// GPS loss and idle set ``state``; the trip follower writes its members into ``members``.
public struct VehicleView: Sendable {
    /// Moving unless a stage knows better; `lost` outranks `idle`.
    public enum State: String, Sendable {
        case moving
        case idle
        case lost
    }

    /// The vehicle.
    public var vehicle: VehicleID
    /// The last fix that went through the stages.
    public var lastFix: Fix?
    /// What the vehicle is doing.
    public var state = State.moving
    /// When the current `idle` or `lost` state began.
    public var since: Timestamp?
    /// More JSON members from stages, each starting with a comma (`,"trip":{…}`).
    public var members: [UInt8] = []

    /// A view of `vehicle` with nothing known yet.
    public init(vehicle: VehicleID) {
        self.vehicle = vehicle
    }

    /// Sets the state unless a weightier one is set already (`lost` over `idle` over `moving`).
    public mutating func report(_ state: State, since: Timestamp?) {
        let weight: (State) -> Int = { $0 == .lost ? 2 : $0 == .idle ? 1 : 0 }
        guard weight(state) > weight(self.state) else { return }
        self.state = state
        self.since = since
    }
}
