import FixstreamGeo
import FixstreamRoads

/// Small road networks near Monaco for the tests, laid out in metres.
enum TestRoads {
    static let originLatitude = 43.73
    static let originLongitude = 7.42
    static let metresPerDegreeLatitude = 111_195.0
    static let metresPerDegreeLongitude = 111_195.0 * 0.7224  // cos 43.73°

    /// The position `east` and `north` metres from the origin.
    static func coordinate(east: Double, north: Double) -> Coordinate {
        Coordinate(
            latitude: originLatitude + north / metresPerDegreeLatitude,
            longitude: originLongitude + east / metresPerDegreeLongitude
        )
    }

    /// Node id of grid corner (row, column).
    static func node(_ row: Int, _ column: Int) -> Int64 { Int64(row * 100 + column + 1) }

    /// A grid of two-way residential streets `spacing` metres apart: one way per row (west to east, id 1000 +
    /// row) and per column (south to north, id 2000 + column).
    static func grid(rows: Int, columns: Int, spacing: Double = 100, oneway: Set<Int64> = []) -> RoadGraph {
        var builder = RoadNetworkBuilder()
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                let position = coordinate(east: Double(column) * spacing, north: Double(row) * spacing)
                builder.addNode(id: node(row, column), latitude: position.latitude, longitude: position.longitude)
            }
        }
        for row in 0 ..< rows {
            let id = Int64(1000 + row)
            builder.addWay(
                RoadWay(
                    id: id,
                    nodes: (0 ..< columns).map { node(row, $0) },
                    direction: oneway.contains(id) ? .forward : .both,
                    roadClass: .residential,
                    name: "Row \(row)"
                )
            )
        }
        for column in 0 ..< columns {
            let id = Int64(2000 + column)
            builder.addWay(
                RoadWay(
                    id: id,
                    nodes: (0 ..< rows).map { node($0, column) },
                    direction: oneway.contains(id) ? .forward : .both,
                    roadClass: .residential,
                    name: "Column \(column)"
                )
            )
        }
        return builder.build()
    }

    /// The edge from corner `from` to corner `to` (adjacent corners).
    static func edge(_ graph: RoadGraph, from: Coordinate, to: Coordinate) -> Int? {
        for edge in 0 ..< graph.edgeCount {
            let tail = graph.coordinate(ofNode: graph.tail(edge))
            let head = graph.coordinate(ofNode: graph.head(edge))
            if close(tail, from) && close(head, to) { return edge }
        }
        return nil
    }

    static func close(_ a: Coordinate, _ b: Coordinate) -> Bool {
        abs(a.latitude - b.latitude) < 1e-6 && abs(a.longitude - b.longitude) < 1e-6
    }
}
