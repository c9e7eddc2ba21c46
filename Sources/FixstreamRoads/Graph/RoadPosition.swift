/// A position on the road network: a point of a directed edge, at some distance along it from its tail.
public struct RoadPosition: Sendable, Equatable {
    /// The directed edge.
    public var edge: Int32
    /// Metres along the edge from its tail.
    public var offset: Float
    /// The point's latitude, degrees.
    public var latitude: Double
    /// The point's longitude, degrees.
    public var longitude: Double
    /// Metres from the position that was snapped to it (0 when not from a snap).
    public var distance: Float

    /// Creates a position.
    public init(edge: Int32, offset: Float, latitude: Double, longitude: Double, distance: Float = 0) {
        self.edge = edge
        self.offset = offset
        self.latitude = latitude
        self.longitude = longitude
        self.distance = distance
    }
}
