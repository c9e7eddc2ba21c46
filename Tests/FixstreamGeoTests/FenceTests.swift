import FixstreamGeo
import Testing

struct FenceTests {
    let plane = TestPlane()
    let tolerance = 0.01

    @Test func squareInsideOutsideAndOnTheBoundary() throws {
        let fence = try Fence(id: "sq", shape: .polygon([plane.rectangle(0, 0, width: 200, height: 200)]))
        #expect(abs(plane.distance(fence, 0, 0) - -100) < tolerance)
        #expect(abs(plane.distance(fence, 30, 0) - -70) < tolerance)
        #expect(abs(plane.distance(fence, 0, -95) - -5) < tolerance)
        #expect(abs(plane.distance(fence, 150, 0) - 50) < tolerance)
        #expect(abs(plane.distance(fence, 0, -300) - 200) < tolerance)
        #expect(abs(plane.distance(fence, 150, 150) - 70.710_678) < tolerance)  // nearest is the corner
        #expect(abs(plane.distance(fence, 100, 0)) < tolerance)
        #expect(abs(plane.distance(fence, 100, 100)) < tolerance)
    }

    @Test func ringOrientationDoesNotMatter() throws {
        let ring = plane.rectangle(0, 0, width: 200, height: 100)
        let forward = try Fence(id: "a", shape: .polygon([ring]))
        let backward = try Fence(id: "b", shape: .polygon([ring.reversed()]))
        for (x, y) in [(0.0, 0.0), (90, 40), (120, 0), (-300, 70)] {
            #expect(plane.distance(forward, x, y) == plane.distance(backward, x, y))
        }
    }

    @Test func triangleAgainstHandComputedValues() throws {
        // Right triangle (0,0) (300,0) (0,400): hypotenuse 500 m long, 240 m from the origin.
        let ring = [plane.at(0, 0), plane.at(300, 0), plane.at(0, 400), plane.at(0, 0)]
        let fence = try Fence(id: "tri", shape: .polygon([ring]))
        #expect(abs(plane.distance(fence, 50, 50) - -50) < 0.5)
        // (100,100): distance to the hypotenuse 4x + 3y = 1200 is (1200 - 700) / 5 = 100; to the legs 100.
        #expect(abs(plane.distance(fence, 100, 100) - -100) < 0.5)
        // (300, 400): outside, (4·300 + 3·400 - 1200) / 5 = 240 from the hypotenuse, foot inside the edge.
        #expect(abs(plane.distance(fence, 300, 400) - 240) < 0.5)
        #expect(abs(plane.distance(fence, -30, -40) - 50) < 0.5)  // nearest is the vertex (0, 0)
    }

    @Test func holesAreOutside() throws {
        let fence = try Fence(
            id: "ring",
            shape: .polygon([
                plane.rectangle(0, 0, width: 400, height: 400), plane.rectangle(0, 0, width: 100, height: 100),
            ])
        )
        #expect(abs(plane.distance(fence, 0, 0) - 50) < tolerance)  // in the hole: 50 m from its edge
        #expect(abs(plane.distance(fence, 20, 0) - 30) < tolerance)
        #expect(abs(plane.distance(fence, 100, 0) - -50) < tolerance)  // between hole and outer ring
        #expect(abs(plane.distance(fence, 180, 0) - -20) < tolerance)
        #expect(abs(plane.distance(fence, 250, 0) - 50) < tolerance)
        #expect(abs(plane.distance(fence, 50, 0)) < tolerance)
    }

    @Test func multiPolygonsUseTheNearestPart() throws {
        let fence = try Fence(
            id: "two",
            shape: .multiPolygon([
                [plane.rectangle(-200, 0, width: 200, height: 200)],
                [
                    plane.rectangle(200, 0, width: 200, height: 200),
                    plane.rectangle(200, 0, width: 40, height: 40),
                ],
            ])
        )
        #expect(abs(plane.distance(fence, -200, 0) - -100) < tolerance)
        #expect(abs(plane.distance(fence, 150, 0) - -30) < tolerance)
        #expect(abs(plane.distance(fence, 0, 0) - 100) < tolerance)  // midway between the parts
        #expect(abs(plane.distance(fence, 80, 0) - 20) < tolerance)
        #expect(abs(plane.distance(fence, 200, 0) - 20) < tolerance)  // in the second part's hole
    }

    @Test func circles() throws {
        let fence = try Fence(id: "c", shape: .circle(center: plane.at(0, 0), radius: 150))
        #expect(abs(plane.distance(fence, 0, 0) - -150) < tolerance)
        #expect(abs(plane.distance(fence, 0, 100) - -50) < tolerance)
        #expect(abs(plane.distance(fence, 200, 0) - 50) < tolerance)
        #expect(abs(plane.distance(fence, -90, 120)) < tolerance)
        #expect(abs(plane.distance(fence, 300, 400) - 350) < 0.5)
    }

    @Test func corridors() throws {
        let fence = try Fence(
            id: "road",
            shape: .corridor(path: [plane.at(-300, 0), plane.at(300, 0), plane.at(300, 300)], buffer: 50)
        )
        #expect(abs(plane.distance(fence, 0, 20) - -30) < tolerance)
        #expect(abs(plane.distance(fence, 0, 0) - -50) < tolerance)
        #expect(abs(plane.distance(fence, 0, -80) - 30) < tolerance)
        #expect(abs(plane.distance(fence, -400, 0) - 50) < tolerance)  // past the end
        #expect(abs(plane.distance(fence, 250, 150) - 0) < tolerance)  // 50 m from the second leg
        #expect(abs(plane.distance(fence, 0, 50)) < tolerance)
    }

    @Test func localPlaneAgreesWithGreatCircleDistances() throws {
        // A circle of 20 km: the point 15 km away along several bearings is 5 km inside, to within 0.5 % of the
        // spherical distance (the sphere and the ellipsoid differ by up to 0.3 % at this latitude).
        let center = Coordinate(latitude: 46.5, longitude: 6.6)
        let fence = try Fence(id: "big", shape: .circle(center: center, radius: 20_000))
        for (dLat, dLon) in [(0.1, 0.0), (0.0, 0.15), (-0.07, 0.1), (0.05, -0.12)] {
            let latitude = center.latitude + dLat
            let longitude = center.longitude + dLon
            let sphere = GreatCircle.distance(
                latitude1: center.latitude,
                longitude1: center.longitude,
                latitude2: latitude,
                longitude2: longitude
            )
            let plane = fence.signedDistance(latitude: latitude, longitude: longitude) + 20_000
            #expect(abs(plane - sphere) / sphere < 0.005, "\(plane) vs \(sphere)")
        }
    }

    @Test func boundingBoxesIncludeRadiusAndBuffer() throws {
        let square = try Fence(id: "sq", shape: .polygon([plane.rectangle(0, 0, width: 200, height: 100)]))
        #expect(square.boundingBox.minLatitude == plane.at(0, -50).latitude)
        #expect(square.boundingBox.maxLongitude == plane.at(100, 0).longitude)
        let circle = try Fence(id: "c", shape: .circle(center: plane.at(0, 0), radius: 1000))
        let box = circle.boundingBox
        #expect(abs((box.maxLatitude - box.minLatitude) * plane.metresPerDegreeLatitude - 2000) < 1)
        #expect(abs((box.maxLongitude - box.minLongitude) * plane.metresPerDegreeLongitude - 2000) < 2)
        #expect(box.contains(latitude: plane.latitude, longitude: plane.longitude))
        #expect(circle.hysteresis == 10)
        #expect(circle.id == "c")
        #expect(circle.name == nil)
    }

    @Test func invalidShapesAreRefused() throws {
        let ring = plane.rectangle(0, 0, width: 100, height: 100)
        let cases: [(FenceShape, FenceError.Code)] = [
            (.polygon([]), .invalidGeometry),
            (.polygon([Array(ring.prefix(3))]), .invalidGeometry),
            (.polygon([Array(ring.dropLast())]), .invalidGeometry),
            (.multiPolygon([]), .invalidGeometry),
            (.circle(center: plane.at(0, 0), radius: 0), .invalidProperty),
            (.circle(center: Coordinate(latitude: 91, longitude: 0), radius: 5), .coordinateOutOfRange),
            (.corridor(path: [plane.at(0, 0)], buffer: 5), .invalidGeometry),
            (.corridor(path: [plane.at(0, 0), plane.at(1, 1)], buffer: -1), .invalidProperty),
            (
                .polygon([
                    [
                        Coordinate(latitude: 0, longitude: 179.9), Coordinate(latitude: 0, longitude: -179.9),
                        Coordinate(latitude: 1, longitude: -179.9), Coordinate(latitude: 0, longitude: 179.9),
                    ]
                ]),
                .crossesAntimeridian
            ),
            (.circle(center: Coordinate(latitude: 0, longitude: 179.9999), radius: 100), .crossesAntimeridian),
        ]
        for (shape, code) in cases {
            #expect(throws: FenceError.self) { try Fence(id: "x", shape: shape) }
            do {
                _ = try Fence(id: "x", shape: shape)
            } catch {
                #expect(error.code == code, "\(error)")
                #expect(error.featureID == "x")
            }
        }
        #expect(throws: FenceError.self) { try Fence(id: "", shape: .polygon([ring])) }
        #expect(throws: FenceError.self) { try Fence(id: "h", hysteresis: -1, shape: .polygon([ring])) }
        #expect(throws: FenceError.self) { try Fence(id: "d", dwell: -5, shape: .polygon([ring])) }
    }

    @Test func fencesNextToTheAntimeridianWork() throws {
        let fence = try Fence(
            id: "east",
            shape: .circle(center: Coordinate(latitude: 0, longitude: 179.99), radius: 500)
        )
        #expect(fence.signedDistance(latitude: 0, longitude: 179.99) < -499)
        // 0.02° west across the line from the centre: about 2.2 km, outside.
        #expect(abs(fence.signedDistance(latitude: 0, longitude: -179.99) - (0.02 * 111_319.5 - 500)) < 5)
    }
}
