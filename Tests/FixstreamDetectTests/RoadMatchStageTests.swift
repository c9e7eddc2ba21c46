import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamRoads
import FixstreamWire
import Testing

struct RoadMatchStageTests {
    /// Row 1 has a name, a ref and a 50 km/h limit.
    private func town() -> RoadGraph {
        RoadFixtures.map([
            RoadFixtures.Road(id: 1000, points: [(0, 0), (100, 0), (200, 0), (300, 0)], name: "Row 0"),
            RoadFixtures.Road(
                id: 1001,
                points: [(0, 100), (100, 100), (200, 100), (300, 100)],
                roadClass: .secondary,
                speedLimit: 50 / 3.6,
                name: "Rue \"Grimaldi\"",
                ref: "D6007"
            ),
            RoadFixtures.Road(id: 2000, points: [(0, 0), (0, 100)], name: "Column 0"),
            RoadFixtures.Road(id: 2001, points: [(100, 0), (100, 100)], name: "Column 1"),
            RoadFixtures.Road(id: 2003, points: [(300, 0), (300, 100)], name: "Column 3"),
        ])
    }

    /// East along row 1 at 10 m/s, 3 to 5 m north of its centre line, a fix a second.
    private func alongRowOne(seconds: Int = 25, vehicle: String = "van-1") -> [Fix] {
        var track = Track(vehicle)
        for second in 0 ..< seconds {
            track.add(Double(second), east: 10 + Double(second) * 10, north: second % 2 == 0 ? 105 : 103, speed: 10)
        }
        return track.fixes
    }

    @Test func fixesAlongAStreetGetItsWayAndTheirSnappedPosition() {
        let graph = town()
        let probe = RoadProbe()
        let harness = Harness([RoadMatchStage(graph: graph), probe])
        let fixes = alongRowOne()
        harness.run(fixes)
        #expect(probe.matches.count == fixes.count)
        // Once the second fix that enters the matcher's lattice (5 s on) has told which way the vehicle drives (at
        // the first one both directions of a two-way road are as likely), every match is row 1 driven east.
        for (fix, match) in zip(fixes, probe.matches).dropFirst(5) {
            let match = try! #require(match)
            #expect(match.way == 1001)
            #expect(abs(match.speedLimit - 50 / 3.6) < 0.01)
            #expect(abs(match.latitude - Track.latitude(north: 100)) < 1e-6)
            #expect(abs(match.longitude - fix.longitude) < 1e-6)
            #expect(match.distance >= 2.9 && match.distance <= 5.1)
            let edge = Int(match.edge)
            #expect(
                graph.coordinate(ofNode: graph.head(edge)).longitude
                    > graph.coordinate(ofNode: graph.tail(edge)).longitude
            )
            let tail = graph.coordinate(ofNode: graph.tail(edge))
            let along = (fix.longitude - tail.longitude) / (Track.longitude(east: 1) - Track.longitude(east: 0))
            #expect(abs(Double(match.offset) - along) < 0.5)
        }
        #expect(harness.engine.stats.map.matched == fixes.count)
        #expect(harness.engine.stats.map.unmatched == 0)
    }

    @Test func aFixFarFromEveryRoadHasNoMatch() {
        let probe = RoadProbe()
        let harness = Harness([RoadMatchStage(graph: town()), probe])
        var fixes = alongRowOne(seconds: 10)
        var far = Track()
        far.add(20, east: 110, north: 400, speed: 10)  // 300 m off the road, 10 s later: no jump
        fixes += far.fixes
        harness.run(fixes)
        #expect(probe.matches.last! == nil)
        #expect(probe.matches.dropLast().allSatisfy { $0 != nil })
        #expect(harness.engine.stats.map.unmatched == 1)
        #expect(harness.engine.stats.summary.contains("map matched 10 unmatched 1"))
    }

    @Test func stagesWithoutAMapSeeNoMatch() {
        let probe = RoadProbe()
        let harness = Harness([probe])
        harness.run(alongRowOne(seconds: 3))
        #expect(probe.matches == [nil, nil, nil])
        #expect(harness.engine.stats.map == MapStats())
        #expect(!harness.engine.stats.summary.contains("map"))
    }

    @Test func theVehicleViewShowsItsRoad() throws {
        let harness = Harness([RoadMatchStage(graph: town())])
        harness.run(alongRowOne(seconds: 5))
        let view = try #require(harness.engine.view(of: VehicleID("van-1")!))
        let members = String(decoding: view.members, as: UTF8.self)
        #expect(
            members.hasPrefix(#","road":{"way":1001,"name":"Rue \"Grimaldi\"","ref":"D6007","speed_limit":13.889,"#)
        )
        #expect(members.contains(#""lat":47.3777993,"lon":8.54"#))
        // A road without name, ref or limit shows only its way and position.
        let plain = Harness([
            RoadMatchStage(graph: RoadFixtures.map([RoadFixtures.Road(id: 7, points: [(0, 100), (300, 100)])]))
        ])
        plain.run(alongRowOne(seconds: 5))
        let other = String(decoding: try #require(plain.engine.view(of: VehicleID("van-1")!)).members, as: UTF8.self)
        #expect(other.hasPrefix(#","road":{"way":7,"lat":"#))
    }

    @Test func eachVehicleHasItsOwnChain() {
        let graph = town()
        let probe = RoadProbe()
        let harness = Harness([RoadMatchStage(graph: graph), probe])
        var interleaved: [Fix] = []
        var south = Track("van-2")
        for second in 0 ..< 20 { south.add(Double(second), east: 290 - Double(second) * 10, north: -4, speed: 10) }
        for (a, b) in zip(alongRowOne(seconds: 20), south.fixes) { interleaved += [a, b] }
        harness.run(interleaved)
        let ways = probe.matches.dropFirst(2).map { $0?.way }
        #expect(ways.enumerated().allSatisfy { $0.element == ($0.offset % 2 == 0 ? 1001 : 1000) })
        // The second vehicle drives row 0 west.
        let last = probe.matches.last!!
        #expect(
            graph.coordinate(ofNode: graph.head(Int(last.edge))).longitude
                < graph.coordinate(ofNode: graph.tail(Int(last.edge))).longitude
        )
    }

    @Test func writesNoCheckpointAndLeavesTheOtherStagesRestorable() throws {
        let graph = town()
        let fixes = alongRowOne(seconds: 10)
        let harness = Harness([RoadMatchStage(graph: graph), GPSLossStage(lostAfter: 60_000)])
        harness.run(fixes)
        harness.advance(toSecond: 100)
        #expect(harness.alerts(.gpsLost).count == 1)
        let blobs = harness.engine.checkpoint(dirtyOnly: false)
        #expect(!String(decoding: blobs[0].1, as: UTF8.self).contains("road-match"))
        let probe = RoadProbe()
        let restarted = try harness.restarted(
            with: [RoadMatchStage(graph: graph), GPSLossStage(lostAfter: 60_000), probe],
            atSecond: 120
        )
        // Still lost: the next fix restores it, and is matched on a new chain.
        var next = Track()
        next.add(130, east: 150, north: 104, speed: 10)
        next.add(131, east: 160, north: 104, speed: 10)
        restarted.run(next.fixes)
        #expect(restarted.alerts(.gpsRestored).count == 1)
        #expect(probe.matches.allSatisfy { $0?.way == 1001 })
    }
}

extension RoadMatchStageTests {
    /// The first fix of a chain cannot tell the two directions of a two-way road apart, nor can the fixes of the
    /// next 5 s (they follow it); the next fix in the matcher's lattice settles it, whichever way the vehicle
    /// drives.
    @Test(arguments: [1.0, -1.0]) func theDirectionDrivenIsSettledAfterTheFirstFix(_ sign: Double) {
        let graph = RoadFixtures.grid(rows: 3, columns: 5)
        let probe = RoadProbe()
        let harness = Harness([RoadMatchStage(graph: graph), probe])
        var track = Track()
        for second in 0 ..< 30 {
            let east = sign > 0 ? 10 + Double(second) * 10 : 390 - Double(second) * 10
            track.add(Double(second), east: east, north: 100 + (second % 2 == 0 ? 4 : 2), speed: 10)
        }
        harness.run(track.fixes)
        for match in probe.matches.dropFirst(5) {
            let edge = Int(match?.edge ?? 0)
            let eastward =
                graph.coordinate(ofNode: graph.head(edge)).longitude
                - graph.coordinate(ofNode: graph.tail(edge)).longitude
            #expect(match?.way == 1001)
            #expect(eastward * sign > 0)
        }
    }
}
