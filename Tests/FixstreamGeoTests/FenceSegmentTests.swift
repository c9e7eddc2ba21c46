import FixstreamGeo
import Testing

struct FenceSegmentTests {
    let plane = TestPlane()

    @Test func segmentThroughASmallSquareReachesInside() throws {
        let fence = try Fence(id: "sq", shape: .polygon([plane.rectangle(0, 0, width: 60, height: 60)]))
        #expect(plane.crosses(fence, from: (-500, 10), to: (500, -10), depth: 10))
        #expect(plane.crosses(fence, from: (-400, -400), to: (400, 400), depth: 25))  // diagonal: 30 m deep
        #expect(!plane.crosses(fence, from: (-400, -400), to: (400, 400), depth: 31))
    }

    @Test func segmentBesideTheFenceDoesNot() throws {
        let fence = try Fence(id: "sq", shape: .polygon([plane.rectangle(0, 0, width: 60, height: 60)]))
        #expect(!plane.crosses(fence, from: (-500, 45), to: (500, 45), depth: 0))
        #expect(!plane.crosses(fence, from: (-500, -200), to: (-100, 200), depth: 0))
        #expect(!plane.crosses(fence, from: (100, -500), to: (100, 500), depth: 0))
    }

    @Test func grazingWithinTheDepthDoesNot() throws {
        let fence = try Fence(id: "sq", shape: .polygon([plane.rectangle(0, 0, width: 60, height: 60)]))
        // Along y = 25: at most 5 m inside.
        #expect(!plane.crosses(fence, from: (-500, 25), to: (500, 25), depth: 10))
        #expect(plane.crosses(fence, from: (-500, 25), to: (500, 25), depth: 4))
        // Clipping a corner along x + y = 50: the deepest point, (25, 25), is 5 m in.
        #expect(!plane.crosses(fence, from: (0, 50), to: (50, 0), depth: 6))
        #expect(plane.crosses(fence, from: (0, 50), to: (50, 0), depth: 4))
    }

    @Test func segmentsThroughHolesAndMultiPolygons() throws {
        let ring = try Fence(
            id: "ring",
            shape: .polygon([
                plane.rectangle(0, 0, width: 400, height: 400), plane.rectangle(0, 0, width: 300, height: 300),
            ])
        )
        // The band is 50 m wide: the deepest point is 25 m in.
        #expect(plane.crosses(ring, from: (-500, 0), to: (0, 0), depth: 20))
        #expect(!plane.crosses(ring, from: (-500, 0), to: (0, 0), depth: 26))
        #expect(!plane.crosses(ring, from: (-100, 0), to: (100, 0), depth: 0))  // inside the hole only
        let two = try Fence(
            id: "two",
            shape: .multiPolygon([
                [plane.rectangle(-300, 0, width: 100, height: 100)], [plane.rectangle(300, 0, width: 100, height: 100)],
            ])
        )
        #expect(plane.crosses(two, from: (-1000, 0), to: (1000, 0), depth: 40))
        #expect(!plane.crosses(two, from: (-200, 300), to: (200, -300), depth: 0))
    }

    @Test func circlesAndCorridors() throws {
        let circle = try Fence(id: "c", shape: .circle(center: plane.at(0, 0), radius: 150))
        #expect(plane.crosses(circle, from: (-500, 100), to: (500, 100), depth: 40))
        #expect(!plane.crosses(circle, from: (-500, 100), to: (500, 100), depth: 60))
        #expect(!plane.crosses(circle, from: (-500, 200), to: (-200, 200), depth: 0))
        let road = try Fence(id: "r", shape: .corridor(path: [plane.at(-300, 0), plane.at(300, 0)], buffer: 50))
        #expect(plane.crosses(road, from: (0, -400), to: (10, 400), depth: 40))
        #expect(!plane.crosses(road, from: (0, -400), to: (10, 400), depth: 50))
        #expect(!plane.crosses(road, from: (-500, 70), to: (500, 70), depth: 0))
        #expect(plane.crosses(road, from: (-500, 30), to: (500, 30), depth: 10))
    }

    @Test func degenerateSegmentsAreThePoint() throws {
        let fence = try Fence(id: "sq", shape: .polygon([plane.rectangle(0, 0, width: 60, height: 60)]))
        #expect(plane.crosses(fence, from: (0, 0), to: (0, 0), depth: 20))
        #expect(!plane.crosses(fence, from: (0, 0), to: (0, 0), depth: 40))
    }

    /// The exact method against dense sampling along random segments and star polygons.
    @Test func agreesWithDenseSampling() throws {
        var random = TestRandom(seed: 42)
        for number in 0 ..< 300 {
            let vertices = 5 + random.below(12)
            var ring: [Coordinate] = []
            for vertex in 0 ..< vertices {
                let angle = Double(vertex) / Double(vertices) * 2 * .pi
                let r = random.uniform(40, 200)
                ring.append(plane.at(r * cos(angle), r * sin(angle)))
            }
            ring.append(ring[0])
            let fence = try Fence(id: "s\(number)", shape: .polygon([ring]))
            let a = (random.uniform(-300, 300), random.uniform(-300, 300))
            let b = (random.uniform(-300, 300), random.uniform(-300, 300))
            let depth = random.uniform(0, 40)
            var deepest = Double.infinity
            let steps = 4000
            for step in 0 ... steps {
                let t = Double(step) / Double(steps)
                deepest = min(deepest, plane.distance(fence, a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
            }
            let exact = plane.crosses(fence, from: a, to: b, depth: depth)
            // Samples are at most 0.2 m apart, so the sampled minimum is within 0.1 m of the true one.
            if deepest < -depth - 0.15 { #expect(exact, "fence \(number)") }
            if deepest > -depth + 0.15 { #expect(!exact, "fence \(number)") }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
