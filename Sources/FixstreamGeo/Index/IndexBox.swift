/// A fence's bounding box grown by its hysteresis, with the degrees-per-metre factors to grow it further.
struct IndexBox: Sendable {
    let minLatitude: Double
    let maxLatitude: Double
    let minLongitude: Double
    let maxLongitude: Double
    /// Degrees of latitude per metre (largest over the box: at its most polar edge).
    let latitudePerMetre: Double
    /// Degrees of longitude per metre (largest over the box: at its most polar edge).
    let longitudePerMetre: Double

    init(_ fence: Fence) {
        let box = fence.boundingBox
        // Slightly generous: scales at the most polar latitude the grown box can reach, plus 0.1 %.
        let polar = min(90, max(abs(box.minLatitude), abs(box.maxLatitude)) + 0.5)
        let scale = LocalProjection.metresPerDegree(atLatitude: polar)
        let equator = LocalProjection.metresPerDegree(atLatitude: 0)
        latitudePerMetre = 1.001 / equator.latitude
        longitudePerMetre = 1.001 / scale.longitude
        let growLatitude = fence.hysteresis * latitudePerMetre
        let growLongitude = fence.hysteresis * longitudePerMetre
        minLatitude = box.minLatitude - growLatitude
        maxLatitude = box.maxLatitude + growLatitude
        minLongitude = box.minLongitude - growLongitude
        maxLongitude = box.maxLongitude + growLongitude
    }
}
