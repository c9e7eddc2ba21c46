import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamRoads
import FixstreamWire

/// Small road maps laid out in metres on ``Track``'s plane, so a track's positions fall on their streets.
enum RoadFixtures {
    /// One road: its id, its corners in metres (east, north), which ways it may be driven, its class and limit.
    struct Road {
        var id: Int64
        var points: [(east: Double, north: Double)]
        var direction = RoadDirection.both
        var roadClass = RoadClass.residential
        var speedLimit: Float?
        var name = ""
        var ref = ""
    }

    /// A map of `roads`; corners shared by two roads (the same position) are junctions.
    static func map(_ roads: [Road]) -> RoadGraph {
        var builder = RoadNetworkBuilder()
        var ids: [String: Int64] = [:]
        var ways: [RoadWay] = []
        for road in roads {
            var nodes: [Int64] = []
            for point in road.points {
                let key = "\(point.east),\(point.north)"
                let id = ids[key] ?? Int64(ids.count + 1)
                if ids[key] == nil {
                    ids[key] = id
                    builder.addNode(
                        id: id,
                        latitude: Track.latitude(north: point.north),
                        longitude: Track.longitude(east: point.east)
                    )
                }
                nodes.append(id)
            }
            ways.append(
                RoadWay(
                    id: road.id,
                    nodes: nodes,
                    direction: road.direction,
                    roadClass: road.roadClass,
                    speedLimit: road.speedLimit,
                    name: road.name,
                    ref: road.ref
                )
            )
        }
        for way in ways { builder.addWay(way) }
        return builder.build()
    }

    /// A grid of two-way residential streets `spacing` metres apart, from (0, 0): one way per row (west to east,
    /// id 1000 + row, "Row r") and per column (south to north, id 2000 + column, "Column c").
    static func grid(rows: Int, columns: Int, spacing: Double = 100) -> RoadGraph {
        var roads: [Road] = []
        for row in 0 ..< rows {
            roads.append(
                Road(
                    id: Int64(1000 + row),
                    points: (0 ..< columns).map { (Double($0) * spacing, Double(row) * spacing) },
                    name: "Row \(row)"
                )
            )
        }
        for column in 0 ..< columns {
            roads.append(
                Road(
                    id: Int64(2000 + column),
                    points: (0 ..< rows).map { (Double(column) * spacing, Double($0) * spacing) },
                    name: "Column \(column)"
                )
            )
        }
        return map(roads)
    }

    /// Two long streets 100 m apart, joined only at their east end (x = 1,000) and, at their west end, by a
    /// one-way street running south: from the south street's west end the north street is 100 m away as the crow
    /// flies and 2 km by road. A dead-end side street runs 600 m south from the middle of the south street.
    ///
    /// Ids: south street 1, north street 2, east link 3, west one-way 4, side street 5.
    static func detour() -> RoadGraph {
        map([
            Road(id: 1, points: [(0, 0), (500, 0), (1000, 0)], name: "South Street"),
            Road(id: 2, points: [(0, 100), (500, 100), (1000, 100)], name: "North Street"),
            Road(id: 3, points: [(1000, 0), (1000, 100)], name: "East Link"),
            Road(id: 4, points: [(0, 100), (0, 0)], direction: .forward, name: "West One-way"),
            Road(id: 5, points: [(500, 0), (500, -600)], name: "Side Street"),
        ])
    }
}

/// A stage that records what the stages before it left on the context for each fix.
final class RoadProbe: PipelineStage {
    var matches: [RoadMatch?] = []

    func process(_ fix: Fix, context: inout StageContext) {
        matches.append(context.roadMatch)
    }
}
