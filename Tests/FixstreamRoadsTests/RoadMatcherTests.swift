import FixstreamGeo
import FixstreamRoads
import Testing

struct RoadMatcherTests {
    /// A drive given as (seconds, metres east, metres north).
    private typealias Drive = [(time: Double, east: Double, north: Double)]

    /// Runs `drive` through a matcher and returns every confirmed fix (in order), the route and the current
    /// answers.
    private func run(
        _ drive: Drive,
        on graph: RoadGraph,
        lag: Int = 3,
        accuracy: Double? = nil
    ) -> (confirmed: [MatchedFix], route: MatchedRoute, current: [RoadPosition?]) {
        var config = MatchConfig()
        config.lag = lag
        let matcher = RoadMatcher(graph: graph, config: config)
        var state = MatchState()
        var output = MatchOutput()
        var confirmed: [MatchedFix] = []
        var route = MatchedRoute()
        var current: [RoadPosition?] = []
        func take() {
            for fix in output.confirmed {
                confirmed.append(fix)
                route.append(fix, path: output.path, graph: graph)
            }
        }
        for (sequence, fix) in drive.enumerated() {
            let position = TestRoads.coordinate(east: fix.east, north: fix.north)
            matcher.match(
                sequence: sequence,
                time: fix.time,
                latitude: position.latitude,
                longitude: position.longitude,
                accuracy: accuracy,
                state: &state,
                output: &output
            )
            current.append(output.current)
            take()
        }
        matcher.finish(state: &state, output: &output)
        take()
        return (confirmed, route, current)
    }

    private func heading(_ graph: RoadGraph, _ position: RoadPosition) -> (east: Double, north: Double) {
        let tail = graph.coordinate(ofNode: graph.tail(Int(position.edge)))
        let head = graph.coordinate(ofNode: graph.head(Int(position.edge)))
        return (head.longitude - tail.longitude, head.latitude - tail.latitude)
    }

    @Test func followsAStraightRoadInTheDirectionDriven() {
        let graph = TestRoads.grid(rows: 3, columns: 4)
        // East along row 0 at 10 m/s, 4 m north of its centre line, alternating ±2 m.
        let drive: Drive = (0 ..< 28).map { index in
            let second = Double(index)
            let north: Double = index % 2 == 0 ? 6 : 2
            return (second, 10 + second * 10, north)
        }
        let result = run(drive, on: graph)
        #expect(result.confirmed.map(\.sequence) == Array(0 ..< 28))
        for fix in result.confirmed {
            let position = try! #require(fix.position)
            #expect(graph.wayID(Int(position.edge)) == 1000)
            #expect(heading(graph, position).east > 0)
            #expect(abs(position.latitude - TestRoads.originLatitude) < 1e-6)
        }
        #expect(result.confirmed.first!.startsChain)
        #expect(!result.confirmed.dropFirst().contains { $0.startsChain })
        #expect(result.route.ways == [1000])
        #expect(abs(result.route.length - 270) < 1)
        #expect(result.route.pieces.count == 1)
    }

    @Test func reconstructsTheRoadsDrivenBetweenSparseFixes() {
        let graph = TestRoads.grid(rows: 4, columns: 4)
        // East along row 0, then north up column 2: a fix every 15 s at 10 m/s, so whole blocks between fixes.
        let drive: Drive = [
            (0, 30, 3), (15, 180, -3), (30, 203, 130), (45, 197, 280),
        ]
        let result = run(drive, on: graph, lag: 1)
        #expect(result.confirmed.count == 4)
        #expect(result.confirmed.allSatisfy { $0.position != nil })
        #expect(result.route.ways == [1000, 2002])
        #expect(abs(result.route.length - (150 + 20 + 280)) < 2)
        // The corner is on the rebuilt line.
        let corner = TestRoads.coordinate(east: 200, north: 0)
        #expect(result.route.coordinates.contains { TestRoads.close($0, corner) })
        // Mid-block fixes 150 m apart on row 0: the block edge between was driven whole.
        let last = try! #require(result.confirmed.last?.position)
        #expect(graph.wayID(Int(last.edge)) == 2002)
        #expect(heading(graph, last).north > 0)
    }

    @Test func answersAtOnceAndConfirmsAfterTheLag() {
        let graph = TestRoads.grid(rows: 2, columns: 4)
        var config = MatchConfig()
        config.lag = 2
        let matcher = RoadMatcher(graph: graph, config: config)
        var state = MatchState()
        var output = MatchOutput()
        var confirmedSoFar: [Int] = []
        for sequence in 0 ..< 6 {
            let position = TestRoads.coordinate(east: 20 + Double(sequence) * 50, north: 1)
            matcher.match(
                sequence: sequence,
                time: Double(sequence * 6),
                latitude: position.latitude,
                longitude: position.longitude,
                accuracy: nil,
                state: &state,
                output: &output
            )
            #expect(output.current != nil)
            confirmedSoFar += output.confirmed.map(\.sequence)
            #expect(confirmedSoFar == Array(0 ..< max(0, sequence - 1)))
        }
        matcher.finish(state: &state, output: &output)
        #expect(output.confirmed.map(\.sequence) == [4, 5])
        #expect(!state.isMatching)
    }

    @Test func denseFixesWaitForTheLatticeFixBeforeThem() {
        let graph = TestRoads.grid(rows: 2, columns: 4)
        var config = MatchConfig()
        config.lag = 1
        let matcher = RoadMatcher(graph: graph, config: config)
        var state = MatchState()
        var output = MatchOutput()
        var batches: [[Int]] = []
        // One fix a second at 10 m/s: the lattice takes one every 5 s (sequences 0, 5, 10, ...).
        for sequence in 0 ..< 16 {
            let position = TestRoads.coordinate(east: 10 + Double(sequence) * 10, north: 2)
            matcher.match(
                sequence: sequence,
                time: Double(sequence),
                latitude: position.latitude,
                longitude: position.longitude,
                accuracy: nil,
                state: &state,
                output: &output
            )
            #expect(output.current != nil)
            if !output.confirmed.isEmpty {
                batches.append(output.confirmed.map(\.sequence))
                #expect(output.confirmed.map(\.isInterpolated) == [false, true, true, true, true])
                #expect(output.confirmed.allSatisfy { $0.position != nil })
            }
        }
        #expect(batches == [Array(0 ..< 5), Array(5 ..< 10), Array(10 ..< 15)])
    }

    @Test func theLiveAnswerTurnsTheCornerBeforeTheNextLatticeFix() {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        let matcher = RoadMatcher(graph: graph)
        var state = MatchState()
        var output = MatchOutput()
        // East along row 0 at 10 m/s to the corner at column 1 (100 m), then north up column 1, a fix a second.
        for second in 0 ..< 16 {
            let along = 40 + Double(second) * 10
            let east = min(along, 100)
            let north = max(0, along - 100)
            let position = TestRoads.coordinate(east: east + (north > 0 ? 2 : 0), north: north + (north > 0 ? 0 : 2))
            matcher.match(
                sequence: second,
                time: Double(second),
                latitude: position.latitude,
                longitude: position.longitude,
                accuracy: nil,
                state: &state,
                output: &output
            )
            let current = try! #require(output.current)
            // Past the corner (north > 10 m), the answer is on column 1 heading north, lattice fix or not.
            if north > 10 {
                #expect(graph.wayID(Int(current.edge)) == 2001, "second \(second)")
                #expect(heading(graph, current).north > 0)
                #expect(current.distance < 3)
            }
        }
    }

    @Test(arguments: [1e17, 1e6, .infinity, .nan, -5, 0])
    func absurdAccuraciesAreBoundedNotFatal(accuracy: Double) {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        let matcher = RoadMatcher(graph: graph)
        var state = MatchState()
        var output = MatchOutput()
        for second in 0 ..< 3 {
            let position = TestRoads.coordinate(east: 50 + Double(second) * 10, north: 0)
            matcher.match(
                sequence: second,
                time: Double(second * 6),
                latitude: position.latitude,
                longitude: position.longitude,
                accuracy: accuracy,
                state: &state,
                output: &output
            )
            #expect(output.current != nil)
        }
        var found: [RoadPosition] = []
        graph.positions(nearLatitude: 43.73, longitude: 7.42, radius: 1e300, limit: 4, into: &found)
        #expect(found.count == 4)
        graph.positions(nearLatitude: .nan, longitude: 7.42, radius: 50, limit: 4, into: &found)
        #expect(found.isEmpty)
    }

    @Test func lagZeroConfirmsEachFixAtOnce() {
        let graph = TestRoads.grid(rows: 2, columns: 4)
        let drive: Drive = (0 ..< 10).map { index in (Double(index) * 5, 15 + Double(index) * 25, -2) }
        let result = run(drive, on: graph, lag: 0)
        #expect(result.confirmed.map(\.sequence) == Array(0 ..< 10))
        for (fix, current) in zip(result.confirmed, result.current) { #expect(fix.position == current) }
    }

    @Test func aFixFarFromAnyRoadIsUnmatchedAndTheChainGoesOn() {
        let graph = TestRoads.grid(rows: 2, columns: 4)
        var drive: Drive = (0 ..< 8).map { index in (Double(index) * 2, 15 + Double(index) * 20, 2) }
        drive[4].north = 2000  // a multipath jump
        let result = run(drive, on: graph)
        #expect(result.confirmed.count == 8)
        #expect(result.confirmed[4].position == nil)
        #expect(result.current[4] == nil)
        #expect(result.confirmed.filter(\.startsChain).map(\.sequence) == [0])
        #expect(result.route.ways == [1000])
        #expect(result.route.pieces.count == 1)
    }

    @Test func aLongSilenceStartsANewChain() {
        let graph = TestRoads.grid(rows: 3, columns: 4)
        var drive: Drive = (0 ..< 5).map { index in
            let step = Double(index)
            return (step * 2, 15 + step * 20, 2)
        }
        let later: Drive = (0 ..< 5).map { index in
            let step = Double(index)
            return (1000 + step * 2, 298, 15 + step * 20)
        }
        drive += later
        let result = run(drive, on: graph)
        #expect(result.confirmed.filter(\.startsChain).map(\.sequence) == [0, 5])
        #expect(result.route.pieces.count == 2)
        #expect(result.route.ways == [1000, 2003])
    }

    @Test func turningRoundMidBlockIsFollowedNotBroken() {
        let graph = TestRoads.grid(rows: 2, columns: 4)
        // East along row 0 to 160 m (mid-block), then back west: a fix every 5 s at 8 m/s, 2 m off the line.
        var drive: Drive = []
        for index in 0 ..< 5 {
            let step = Double(index)
            drive.append((step * 5, 10 + step * 40, 2))
        }
        for index in 1 ..< 4 {
            let step = Double(index)
            drive.append((20 + step * 5, 170 - step * 40, -2))
        }
        let result = run(drive, on: graph, lag: 2)
        #expect(result.confirmed.count == drive.count)
        #expect(result.confirmed.allSatisfy { $0.position != nil })
        #expect(result.confirmed.filter(\.startsChain).count == 1)
        let last = try! #require(result.confirmed.last?.position)
        #expect(heading(graph, last).east < 0)
        // Out 160 m and back 120 m along the same road; no block driven round.
        #expect(abs(result.route.length - 290) < 15)
        #expect(result.route.ways == [1000])
    }

    @Test func standingStillInNoiseDrivesNowhere() {
        let graph = TestRoads.grid(rows: 2, columns: 3)
        let jitter: [(Double, Double)] = [(0, 0), (4, -3), (-5, 2), (3, 4), (-2, -4), (5, 1), (-4, 3), (1, -5)]
        let drive: Drive = (0 ..< 40).map { index in
            let (east, north) = jitter[index % jitter.count]
            return (Double(index), 50 + east, 6 + north)
        }
        let result = run(drive, on: graph, accuracy: 5)
        #expect(result.confirmed.count == 40)
        #expect(result.confirmed.allSatisfy { $0.position != nil })
        #expect(result.route.length < 15)
        #expect(result.route.ways.count == 1)
    }
}
