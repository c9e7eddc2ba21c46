/// The area a fence encloses.
///
/// Rings are closed (first position repeated last), at least 4 positions. Polygon interiors follow the even-odd
/// rule over all rings, so a hole is any ring inside another and ring orientation does not matter.
public enum FenceShape: Hashable, Sendable {
    /// A polygon: the outer ring first, then its holes.
    case polygon([[Coordinate]])
    /// Several polygons (each outer ring then holes), meant not to overlap.
    case multiPolygon([[[Coordinate]]])
    /// A disc: every position within `radius` metres of `center`.
    case circle(center: Coordinate, radius: Double)
    /// A buffered polyline: every position within `buffer` metres of the path (at least 2 positions).
    case corridor(path: [Coordinate], buffer: Double)
}
