/// A fence as stored: its id and name, the GeoJSON Feature text, and when it was last written.
public struct StoredFence: Sendable, Hashable {
    /// `properties.id` of the feature.
    public var id: String
    /// `properties.name` of the feature, if it has one.
    public var name: String?
    /// The GeoJSON Feature as compact JSON text.
    public var feature: String
    /// When the fence was last imported or put, in milliseconds since the Unix epoch.
    public var updatedAt: Int64

    /// Creates a stored fence.
    public init(id: String, name: String?, feature: String, updatedAt: Int64) {
        self.id = id
        self.name = name
        self.feature = feature
        self.updatedAt = updatedAt
    }
}
