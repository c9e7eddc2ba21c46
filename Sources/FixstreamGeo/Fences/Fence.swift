/// A named area a vehicle can be inside or outside of, ready for fast queries.
///
/// Creating a fence validates the shape and prepares its geometry in a local plane (metres, see
/// ``signedDistance(latitude:longitude:)``); queries then allocate nothing and may run on any thread
/// concurrently.
///
/// A fence is one reference to shared immutable storage plus a few plain values, so copying one (out of an array,
/// into a closure) costs a single reference count increment.
public struct Fence: Sendable {
    /// Unique id (GeoJSON `properties.id`).
    public var id: String { geometry.id }
    /// Display name (GeoJSON `properties.name`).
    public var name: String? { geometry.name }
    /// How long a vehicle must stay inside before it counts, milliseconds (GeoJSON `properties.dwell`, seconds).
    public let dwell: Int64?
    /// Distance in metres a vehicle must go past the boundary before its state flips (GeoJSON
    /// `properties.hysteresis`; default 10).
    public let hysteresis: Double
    /// The area.
    public var shape: FenceShape { geometry.shape }
    /// The smallest latitude/longitude box holding the area (for circles and corridors, including the radius or
    /// buffer).
    public let boundingBox: BoundingBox

    /// The id, name, shape and the prepared geometry in the fence's local plane.
    let geometry: FenceGeometry

    /// Hysteresis used when a fence does not say, metres.
    public static let defaultHysteresis = 10.0

    /// Creates a fence, checking the shape and values.
    ///
    /// - Parameters:
    ///   - id: unique id; must not be empty.
    ///   - name: display name.
    ///   - dwell: milliseconds, at least 0.
    ///   - hysteresis: metres, finite and at least 0.
    ///   - shape: the area; see ``FenceShape`` for the rules on rings.
    /// - Throws: ``FenceError`` naming the problem (too few positions, unclosed ring, coordinate out of range,
    ///   a radius or buffer that is not positive, an area spanning more than 180° of longitude, ...).
    public init(
        id: String,
        name: String? = nil,
        dwell: Int64? = nil,
        hysteresis: Double = Fence.defaultHysteresis,
        shape: FenceShape
    ) throws(FenceError) {
        guard !id.isEmpty else { throw FenceError(.missingID, "the fence id is empty") }
        guard hysteresis.isFinite, hysteresis >= 0 else {
            throw FenceError(.invalidProperty, "hysteresis must be a finite number of metres >= 0, got \(hysteresis)")
        }
        if let dwell, dwell < 0 {
            throw FenceError(.invalidProperty, "dwell must be >= 0, got \(dwell) ms")
        }
        self.dwell = dwell
        self.hysteresis = hysteresis
        do throws(FenceError) {
            let prepared = try FenceGeometry.prepare(shape, id: id, name: name)
            self.geometry = prepared.geometry
            self.boundingBox = prepared.boundingBox
        } catch {
            var error = error
            error.featureID = id
            throw error
        }
    }
}
