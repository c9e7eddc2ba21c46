import FixstreamGeo
import Testing

struct FenceIndexTests {
    /// 10,000 random fences (polygons, circles, corridors) of 20 m to 2 km over about 50 × 50 km.
    private static func randomFences(count: Int, seed: UInt64) throws -> [Fence] {
        var random = TestRandom(seed: seed)
        var fences: [Fence] = []
        for number in 0 ..< count {
            let plane = TestPlane(latitude: random.uniform(47.0, 47.45), longitude: random.uniform(8.0, 8.65))
            let size = random.uniform(20, 2000)
            let hysteresis = random.uniform(0, 30)
            let shape: FenceShape
            switch number % 3 {
            case 0: shape = .polygon([plane.rectangle(0, 0, width: size, height: size * random.uniform(0.2, 1))])
            case 1: shape = .circle(center: plane.at(0, 0), radius: size / 2)
            default: shape = .corridor(path: [plane.at(-size / 2, 0), plane.at(size / 2, size / 3)], buffer: size / 10)
            }
            fences.append(try Fence(id: "f\(number)", hysteresis: hysteresis, shape: shape))
        }
        return fences
    }

    /// Whether the point lies in the fence's box grown by `metres` (converted at the box's latitude).
    private static func grownBoxContains(
        _ fence: Fence,
        _ latitude: Double,
        _ longitude: Double,
        metres: Double,
        slack: Double
    )
        -> Bool
    {
        let box = fence.boundingBox
        let plane = TestPlane(latitude: (box.minLatitude + box.maxLatitude) / 2, longitude: 0)
        let dLat = metres / plane.metresPerDegreeLatitude * slack
        let dLon = metres / plane.metresPerDegreeLongitude * slack
        return latitude >= box.minLatitude - dLat && latitude <= box.maxLatitude + dLat
            && longitude >= box.minLongitude - dLon && longitude <= box.maxLongitude + dLon
    }

    @Test func pointCandidatesMatchBruteForce() throws {
        let fences = try Self.randomFences(count: 10_000, seed: 7)
        let index = FenceIndex(fences)
        var random = TestRandom(seed: 8)
        var candidates: [Int32] = []
        var returned = 0
        var generous = 0
        var containing = 0
        for _ in 0 ..< 10_000 {
            let latitude = random.uniform(46.98, 47.47)
            let longitude = random.uniform(7.98, 8.67)
            let margin = random.below(2) == 0 ? 0 : random.uniform(0, 100)
            index.candidates(latitude: latitude, longitude: longitude, margin: margin, into: &candidates)
            let found = Set(candidates)
            #expect(found.count == candidates.count, "duplicates")
            returned += candidates.count
            for (number, fence) in fences.enumerated() {
                let metres = fence.hysteresis + margin
                // Anything within reach lies in the box grown a little more: test that cheap box first.
                guard Self.grownBoxContains(fence, latitude, longitude, metres: metres + 5, slack: 1.01) else {
                    continue
                }
                generous += 1
                if fence.signedDistance(latitude: latitude, longitude: longitude) < metres {
                    containing += 1
                    #expect(found.contains(Int32(number)), "fence \(number) within reach but not a candidate")
                }
                if Self.grownBoxContains(fence, latitude, longitude, metres: metres, slack: 1) {
                    #expect(found.contains(Int32(number)), "fence \(number) box contains the point")
                }
            }
        }
        #expect(containing > 1_000)
        #expect(returned <= generous, "candidates beyond the boxes grown by a further 5 m and 1 %")
    }

    @Test func segmentCandidatesMatchBruteForce() throws {
        let fences = try Self.randomFences(count: 10_000, seed: 9)
        let index = FenceIndex(fences)
        var random = TestRandom(seed: 10)
        var candidates: [Int32] = []
        for _ in 0 ..< 2_000 {
            let from = (random.uniform(46.98, 47.47), random.uniform(7.98, 8.67))
            let to = (from.0 + random.uniform(-0.01, 0.01), from.1 + random.uniform(-0.015, 0.015))
            let margin = random.uniform(0, 50)
            index.candidates(
                fromLatitude: from.0,
                fromLongitude: from.1,
                toLatitude: to.0,
                toLongitude: to.1,
                margin: margin,
                into: &candidates
            )
            let found = Set(candidates)
            #expect(found.count == candidates.count, "duplicates")
            for (number, fence) in fences.enumerated() {
                let depth = -(fence.hysteresis + margin)
                let box = fence.boundingBox
                let plane = TestPlane(latitude: box.minLatitude, longitude: 0)
                let dLat = (fence.hysteresis + margin) / plane.metresPerDegreeLatitude
                let dLon = (fence.hysteresis + margin) / plane.metresPerDegreeLongitude
                let meets =
                    min(from.0, to.0) <= box.maxLatitude + dLat && max(from.0, to.0) >= box.minLatitude - dLat
                    && min(from.1, to.1) <= box.maxLongitude + dLon && max(from.1, to.1) >= box.minLongitude - dLon
                if meets { #expect(found.contains(Int32(number)), "fence \(number)") }
                if fence.segmentReachesInside(
                    fromLatitude: from.0,
                    fromLongitude: from.1,
                    toLatitude: to.0,
                    toLongitude: to.1,
                    depth: depth
                ) {
                    #expect(found.contains(Int32(number)), "fence \(number) reached but not a candidate")
                }
            }
        }
    }

    @Test func emptyIndexAndOddQueries() throws {
        var candidates: [Int32] = [1, 2, 3]
        FenceIndex([]).candidates(latitude: 47, longitude: 8, margin: 10, into: &candidates)
        #expect(candidates.isEmpty)
        let plane = TestPlane()
        let index = FenceIndex([try Fence(id: "c", shape: .circle(center: plane.at(0, 0), radius: 100))])
        index.candidates(latitude: .nan, longitude: 8, margin: 0, into: &candidates)
        #expect(candidates.isEmpty)
        index.candidates(latitude: plane.latitude, longitude: plane.longitude, margin: .nan, into: &candidates)
        #expect(candidates == [0])
        index.candidates(latitude: -80, longitude: 170, margin: 1e9, into: &candidates)
        #expect(candidates == [0])
        index.candidates(latitude: 10, longitude: -170, margin: 0, into: &candidates)
        #expect(candidates.isEmpty)
        #expect(index.fences.count == 1)
    }

    @Test func segmentsAcrossTheAntimeridian() throws {
        let east = try Fence(
            id: "east",
            shape: .circle(center: Coordinate(latitude: 0, longitude: 179.99), radius: 300)
        )
        let west = try Fence(
            id: "west",
            shape: .circle(center: Coordinate(latitude: 0, longitude: -179.99), radius: 300)
        )
        let middle = try Fence(id: "zero", shape: .circle(center: Coordinate(latitude: 0, longitude: 0), radius: 300))
        let index = FenceIndex([east, west, middle])
        var candidates: [Int32] = []
        index.candidates(
            fromLatitude: 0,
            fromLongitude: 179.98,
            toLatitude: 0,
            toLongitude: -179.98,
            margin: 0,
            into: &candidates
        )
        #expect(Set(candidates) == [0, 1])
        #expect(
            east.segmentReachesInside(
                fromLatitude: 0,
                fromLongitude: 179.98,
                toLatitude: 0,
                toLongitude: -179.98,
                depth: 100
            )
        )
    }

    @Test func hundredThousandFencesBuild() throws {
        let fences = try Self.randomFences(count: 100_000, seed: 11)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = FenceIndex(fences) }
        // Debug build: the release build takes a few tens of milliseconds (fixstream-bench geofence.build).
        #expect(elapsed < .seconds(5))
    }
}
