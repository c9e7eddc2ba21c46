/// What the admin API does with the control data (fences and trips): the server routes, authorizes and
/// answers; a control plane validates, stores and publishes the change to the shards.
///
/// Called on the HTTP thread only, one request at a time, so an implementation needs no locks of its own.
public protocol ControlPlane: AnyObject {
    /// Stores `body` (a GeoJSON Feature for a fence, a trip object for a trip) under `id`, replacing what was
    /// there, all or nothing, and applies it to the next fixes.
    func put(_ kind: ControlKind, id: String, body: [UInt8]) -> ControlOutcome
    /// Deletes the fence or trip `id` and applies that to the next fixes.
    func delete(_ kind: ControlKind, id: String) -> ControlOutcome
}

/// The kinds of control data the admin API writes.
public enum ControlKind: Sendable, CaseIterable {
    /// A geofence: `/fences/{id}`.
    case fence
    /// A planned trip: `/trips/{id}`.
    case trip

    /// The singular noun, for messages.
    public var noun: String {
        switch self {
        case .fence: "fence"
        case .trip: "trip"
        }
    }
}

/// How a control plane answered.
public enum ControlOutcome: Sendable, Equatable {
    /// Stored; `created` when there was none with that id before.
    case stored(created: Bool)
    /// Deleted.
    case deleted
    /// There is no fence or trip with that id.
    case notFound
    /// The document was refused: `reason` is a stable snake_case code, `detail` says exactly what is wrong.
    case invalid(reason: String, detail: String)
    /// The change cannot be made in the server's current state (for example the fences came from a file).
    case conflict(reason: String, detail: String)
    /// Storing failed (disk full, database locked); nothing changed.
    case failed(detail: String)
}
