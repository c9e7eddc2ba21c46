/// The tag policy's decision on one way: keep it with what its tags say, or skip it for a counted reason.
public enum OSMWayVerdict: Sendable, Equatable {
    /// A road a delivery van may drive on.
    case keep(OSMRoadTags)
    /// Not part of the road network, and why.
    case skip(OSMSkipReason)
}
