import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

/// The equirectangular plane the simulation drives on, centred on the city, with the sphere's scale (the same
/// one the detectors' great-circle distances use). Over a city's extent distances on it are exact to well under
/// 0.5 %, and converting back to degrees is exact.
struct CityPlane: Sendable {
    let latitude: Double
    let longitude: Double
    let metresPerDegreeLatitude: Double
    let metresPerDegreeLongitude: Double

    init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
        metresPerDegreeLatitude = GreatCircle.earthRadius * .pi / 180
        metresPerDegreeLongitude = max(1, metresPerDegreeLatitude * cos(latitude * .pi / 180))
    }

    @inline(__always)
    func point(latitude: Double, longitude: Double) -> PlanePoint {
        PlanePoint(
            x: (longitude - self.longitude) * metresPerDegreeLongitude,
            y: (latitude - self.latitude) * metresPerDegreeLatitude
        )
    }

    @inline(__always)
    func point(_ coordinate: Coordinate) -> PlanePoint {
        point(latitude: coordinate.latitude, longitude: coordinate.longitude)
    }

    @inline(__always)
    func coordinate(_ point: PlanePoint) -> Coordinate {
        Coordinate(
            latitude: latitude + point.y / metresPerDegreeLatitude,
            longitude: longitude + point.x / metresPerDegreeLongitude
        )
    }
}
