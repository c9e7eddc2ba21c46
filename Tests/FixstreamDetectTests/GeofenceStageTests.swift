import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamWire
import Testing

struct GeofenceStageTests {
    /// A square fence `size` metres wide whose south-west corner is at `east`, `north` metres (closed ring).
    private func square(
        _ id: String,
        east: Double,
        north: Double,
        size: Double,
        dwell: Int64? = nil,
        hole: Double? = nil
    ) throws -> Fence {
        func ring(_ e0: Double, _ n0: Double, _ side: Double) -> [Coordinate] {
            [(0.0, 0.0), (side, 0), (side, side), (0, side), (0, 0)].map { dx, dy in
                Coordinate(latitude: Track.latitude(north: n0 + dy), longitude: Track.longitude(east: e0 + dx))
            }
        }
        var rings = [ring(east, north, size)]
        if let hole { rings.append(ring(east + (size - hole) / 2, north + (size - hole) / 2, hole)) }
        return try Fence(id: id, name: "fence \(id)", dwell: dwell, shape: .polygon(rings))
    }

    private func harness(_ fences: [Fence]) -> Harness {
        Harness([GeofenceStage(index: FenceIndex(fences))])
    }

    /// Drives east along y = `north` at `speed` m/s from x = `from` to `to`, a fix every `interval` s, with noise.
    private func drive(
        seed: UInt64,
        sigma: Double,
        interval: Double = 1,
        speed: Double = 10,
        from: Double = 0,
        to: Double = 1000,
        north: Double = 100
    ) -> Track {
        var random = SeededRandom(seed: seed)
        var track = Track()
        var second = 0.0
        while from + second * speed <= to {
            let east = from + second * speed + random.gaussian(sigma)
            track.add(
                second,
                east: east,
                north: north + random.gaussian(sigma),
                speed: Float(speed + random.gaussian(0.3))
            )
            second += interval
        }
        return track
    }

    @Test(arguments: [5.0, 10.0, 15.0])
    func drivingThroughGivesOneEnterAndOneExitAtTheRightTimes(sigma: Double) throws {
        let fence = try square("A", east: 400, north: 0, size: 200)
        for seed in UInt64(1) ... 20 {
            let harness = harness([fence])
            harness.run(drive(seed: seed, sigma: sigma).fixes)
            let types = harness.alerts.map(\.type)
            #expect(types == [.geofenceEnter, .geofenceExit], "seed \(seed) sigma \(sigma): \(types)")
            // The true crossings are at 40 s and 60 s; the margin (10 m) and noise delay or advance them a little.
            let tolerance = 1 + (10 + 3 * sigma) / 10
            if types.count == 2 {
                #expect(abs(Harness.second(harness.alerts[0]) - 40) <= tolerance, "seed \(seed)")
                #expect(abs(Harness.second(harness.alerts[1]) - 60) <= tolerance, "seed \(seed)")
                #expect(harness.alerts[0]["fence"] == .string("A"))
                #expect(harness.alerts[0]["name"] == .string("fence A"))
                if case .number(let duration) = harness.alerts[1]["duration"] {
                    #expect(abs(duration - 20) <= 2 * tolerance)
                }
            }
        }
    }

    @Test(arguments: [5.0, 10.0, 15.0])
    func aVehicleParkedOnTheBoundaryNeverFlaps(sigma: Double) throws {
        let fence = try square("B", east: 0, north: 0, size: 200)
        for seed in UInt64(1) ... 20 {
            var random = SeededRandom(seed: seed)
            var track = Track()
            for second in 0 ..< 1800 {  // 30 minutes on the western edge; the receiver reports (noisy) zero speed
                let speed = Float(abs(random.gaussian(0.3)))
                track.add(
                    Double(second),
                    east: random.gaussian(sigma),
                    north: 100 + random.gaussian(sigma),
                    speed: speed
                )
            }
            let harness = harness([fence])
            harness.run(track.fixes)
            let types = harness.alerts.map(\.type)
            #expect(types.count <= 1 && !types.contains(.geofenceExit), "seed \(seed) sigma \(sigma): \(types)")
        }
    }

    @Test(arguments: [5.0, 10.0, 15.0])
    func withoutReportedSpeedABoundaryStopSettlesWithinTwentySeconds(sigma: Double) throws {
        // Receivers that report no speed: the stop cannot be told from noise at once, so the first 20 s may give
        // one enter and one exit; after that, nothing.
        let fence = try square("B", east: 0, north: 0, size: 200)
        for seed in UInt64(1) ... 20 {
            var random = SeededRandom(seed: seed)
            var track = Track()
            for second in 0 ..< 1800 {
                track.add(Double(second), east: random.gaussian(sigma), north: 100 + random.gaussian(sigma))
            }
            let harness = harness([fence])
            harness.run(track.fixes)
            let late = harness.alerts.filter { Harness.second($0) > 40 }
            #expect(late.count <= 1 && !late.contains { $0.type == .geofenceExit }, "seed \(seed) sigma \(sigma)")
        }
    }

    @Test func parkedInsideEntersOnceAndParkedOutsideNever() throws {
        let fence = try square("C", east: 0, north: 0, size: 200)
        for (offset, expected) in [(30.0, [AlertType.geofenceEnter]), (-30.0, [])] {
            for seed in UInt64(1) ... 10 {
                var random = SeededRandom(seed: seed)
                var track = Track()
                for second in 0 ..< 1200 {
                    track.add(Double(second), east: offset + random.gaussian(12), north: 100 + random.gaussian(12))
                }
                let harness = harness([fence])
                harness.run(track.fixes)
                #expect(harness.alerts.map(\.type) == expected, "offset \(offset) seed \(seed)")
            }
        }
    }

    @Test func sparseSamplingStillSeesTheVisit() throws {
        // 30 s between fixes at 10 m/s through a 200 m fence: one fix inside at most.
        let fence = try square("D", east: 400, north: 0, size: 200)
        for start in stride(from: 0.0, to: 300, by: 37) {
            let harness = harness([fence])
            harness.run(drive(seed: 1, sigma: 8, interval: 30, from: start, to: start + 1200).fixes)
            #expect(harness.alerts.map(\.type) == [.geofenceEnter, .geofenceExit], "start \(start)")
        }
    }

    @Test func aFenceCrossedBetweenFixesGivesACrossing() throws {
        let fence = try square("E", east: 500, north: 50, size: 100)
        var track = Track()
        track.add(0, east: 300, north: 100)
        track.add(20, east: 700, north: 100)  // 400 m in 20 s, straight through
        let harness = harness([fence])
        harness.run(track.fixes)
        #expect(harness.alerts.map(\.type) == [.geofenceEnter, .geofenceExit])
        #expect(harness.alerts.allSatisfy { $0["crossed"] == .bool(true) })
        // Passing beside it is not a crossing.
        var beside = Track()
        beside.add(0, east: 300, north: 200)
        beside.add(20, east: 700, north: 200)
        let other = self.harness([fence])
        other.run(beside.fixes)
        #expect(other.alerts.isEmpty)
    }

    @Test func dwellFiresOnceOnAFixOrByTimer() throws {
        let fence = try square("F", east: 0, north: 0, size: 200, dwell: 300_000)
        var track = Track()
        for second in 0 ... 20 { track.add(Double(second), east: -100 + Double(second) * 10, north: 100) }
        for second in 21 ... 600 { track.add(Double(second), east: 110, north: 100) }
        let harness = harness([fence])
        harness.run(track.fixes)
        #expect(harness.alerts.map(\.type) == [.geofenceEnter, .geofenceDwell])
        let entered = Harness.second(harness.alerts[0])
        #expect(Harness.second(harness.alerts[1]) == entered + 300)
        // Quiet inside: the timer fires it.
        var quiet = Track()
        for second in 0 ... 20 { quiet.add(Double(second), east: -100 + Double(second) * 10, north: 100) }
        for second in 21 ... 40 { quiet.add(Double(second), east: 110, north: 100) }
        let silent = self.harness([fence])
        silent.run(quiet.fixes)
        silent.advance(toSecond: 1000)
        #expect(silent.alerts.map(\.type) == [.geofenceEnter, .geofenceDwell])
        #expect(Harness.second(silent.alerts[1]) == Harness.second(silent.alerts[0]) + 300)
    }

    @Test func overlappingFencesAndHolesAreIndependent() throws {
        let outer = try square("outer", east: 200, north: 0, size: 600, hole: 200)  // hole: x 400 to 600, y 200 to 400
        let inner = try square("inner", east: 450, north: 250, size: 100)  // inside the hole
        let harness = harness([outer, inner])
        harness.run(drive(seed: 3, sigma: 3, from: 0, to: 1000, north: 300).fixes)
        let events = harness.alerts.map { "\($0.type.name) \($0["fence"].map { "\($0)" } ?? "")" }
        #expect(
            harness.alerts.map(\.type) == [
                .geofenceEnter, .geofenceExit, .geofenceEnter, .geofenceExit, .geofenceEnter, .geofenceExit,
            ],
            "\(events)"
        )
        let fences = harness.alerts.compactMap { alert -> String? in
            if case .string(let id) = alert["fence"] { return id }
            return nil
        }
        #expect(fences == ["outer", "outer", "inner", "inner", "outer", "outer"])
    }

    @Test func duplicatesAndLateFixesRaiseNothingExtra() throws {
        let fence = try square("G", east: 400, north: 0, size: 200)
        var track = drive(seed: 5, sigma: 5)
        var shuffled: [Fix] = []
        for (index, fix) in track.fixes.enumerated() {
            shuffled.append(fix)
            if index % 7 == 0 { shuffled.append(fix) }  // duplicates
            if index % 11 == 0 && index > 3 { shuffled.append(track.fixes[index - 3]) }  // late
        }
        track.fixes = shuffled
        let harness = harness([fence])
        harness.run(track.fixes)
        #expect(harness.alerts.map(\.type) == [.geofenceEnter, .geofenceExit])
    }
}
