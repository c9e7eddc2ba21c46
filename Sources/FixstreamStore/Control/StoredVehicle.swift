/// A vehicle known to the control store: registered when a trip names it.
public struct StoredVehicle: Sendable, Hashable {
    /// The vehicle id.
    public var id: String
    /// A display name, if one was given.
    public var name: String?
    /// When the vehicle was first registered, in milliseconds since the Unix epoch.
    public var createdAt: Int64

    /// Creates a stored vehicle.
    public init(id: String, name: String?, createdAt: Int64) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
