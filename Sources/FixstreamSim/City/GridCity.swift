public import FixstreamRoads

#if canImport(Glibc)
    import Glibc
#endif

/// A synthetic city to simulate on when no map is at hand (tests, demos): a grid of streets `spacing` metres
/// apart, with two-way 45 km/h avenues every fourth row and column, 30 km/h residential streets between them, and
/// some one-way streets (rows and columns two past an avenue, alternating direction).
public enum GridCity {
    /// Builds the city's road graph, its south-west corner at the given position.
    /// - Parameters:
    ///   - rows: streets running east-west (at least 2).
    ///   - columns: streets running south-north (at least 2).
    ///   - spacing: metres between neighbouring streets.
    ///   - latitude: the south-west corner, degrees.
    ///   - longitude: the south-west corner, degrees.
    public static func build(
        rows: Int = 12,
        columns: Int = 12,
        spacing: Double = 150,
        latitude: Double = 43.72,
        longitude: Double = 7.40
    ) -> RoadGraph {
        let rows = max(2, rows)
        let columns = max(2, columns)
        let metresPerDegreeLatitude = 6_371_008.8 * Double.pi / 180
        let metresPerDegreeLongitude = metresPerDegreeLatitude * cos(latitude * .pi / 180)
        func node(_ row: Int, _ column: Int) -> Int64 { Int64(row * 10_000 + column + 1) }
        var builder = RoadNetworkBuilder()
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                builder.addNode(
                    id: node(row, column),
                    latitude: latitude + Double(row) * spacing / metresPerDegreeLatitude,
                    longitude: longitude + Double(column) * spacing / metresPerDegreeLongitude
                )
            }
        }
        func kind(_ index: Int) -> (RoadClass, RoadDirection) {
            if index % 4 == 0 { return (.secondary, .both) }
            if index % 4 == 2 { return (.residential, index / 4 % 2 == 0 ? .forward : .backward) }
            return (.residential, .both)
        }
        for row in 0 ..< rows {
            let (roadClass, direction) = kind(row)
            builder.addWay(
                RoadWay(
                    id: Int64(100_000 + row),
                    nodes: (0 ..< columns).map { node(row, $0) },
                    direction: direction,
                    roadClass: roadClass,
                    name: "Street \(row + 1)"
                )
            )
        }
        for column in 0 ..< columns {
            let (roadClass, direction) = kind(column)
            builder.addWay(
                RoadWay(
                    id: Int64(200_000 + column),
                    nodes: (0 ..< rows).map { node($0, column) },
                    direction: direction,
                    roadClass: roadClass,
                    name: "Avenue \(column + 1)"
                )
            )
        }
        return builder.build()
    }
}
