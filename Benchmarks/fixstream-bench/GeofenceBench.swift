import FixstreamGeo
import FixstreamWire
@preconcurrency import Foundation

/// `geofence.check`: 10,000 polygon fences over the Swiss drive, every fix checked against the index and the
/// candidates' signed distance; `geofence.build`: the index over 100,000 such fences.
///
/// Fences (seeded, deterministic): star-shaped polygons of 6-24 vertices and 50-500 m radius, every 10th with a
/// hole; 80 % spread uniformly over the drive's bounding box, 20 % within about 1 km of the route (placed
/// uniformly by distance along it, not by fix, so stops do not pile fences up).
/// Points: the drive's fixes repeated to at least 1 M, each repetition shifted by up to about ±150 m.
struct GeofenceBench {
    let fences: [Fence]
    let index: FenceIndex
    let latitudes: [Double]
    let longitudes: [Double]
    private let route: [Fix]
    private let area: BoundingBox

    init(fenceCount: Int = 10_000, minimumPoints: Int = 1_000_000) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "Traces/20100403_Z205_Switzerland.txt"))
        var decoder = FixDecoder(format: .nmea, vehicle: VehicleID("20100403_Z205_Switzerland"))
        var fixes: [Fix] = []
        data.withUnsafeBytes { decoder.decode($0, into: &fixes) }
        decoder.finish(into: &fixes)
        route = fixes
        area = BoundingBox(
            minLatitude: fixes.map(\.latitude).min()!,
            minLongitude: fixes.map(\.longitude).min()!,
            maxLatitude: fixes.map(\.latitude).max()!,
            maxLongitude: fixes.map(\.longitude).max()!
        )
        fences = try Self.makeFences(count: fenceCount, route: fixes, area: area)
        index = FenceIndex(fences)
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        latitudes.reserveCapacity(minimumPoints + fixes.count)
        longitudes.reserveCapacity(minimumPoints + fixes.count)
        var repetition = 0
        while latitudes.count < minimumPoints {
            let dLat = Double(repetition % 13 - 6) * 0.000_2
            let dLon = Double(repetition / 13 % 13 - 6) * 0.000_3
            for fix in fixes {
                latitudes.append(fix.latitude + dLat)
                longitudes.append(fix.longitude + dLon)
            }
            repetition += 1
        }
        self.latitudes = latitudes
        self.longitudes = longitudes
    }

    /// Index candidates and signed distance for every point; returns the (point, fence) containments.
    func check() -> Int { check().containments }

    /// The same, also counting the candidates the index returned.
    func check() -> (containments: Int, candidates: Int) {
        var candidates: [Int32] = []
        candidates.reserveCapacity(64)
        var containments = 0
        var candidateCount = 0
        for point in 0 ..< latitudes.count {
            let latitude = latitudes[point]
            let longitude = longitudes[point]
            index.candidates(latitude: latitude, longitude: longitude, margin: 0, into: &candidates)
            candidateCount += candidates.count
            // Read in place, as the geofence stage does: no copy of the fence, no reference counting.
            for candidate in candidates
            where index.signedDistance(toFence: candidate, latitude: latitude, longitude: longitude) < 0 {
                containments += 1
            }
        }
        return (containments, candidateCount)
    }

    /// Fences generated the same way over the same area, for the build benchmark.
    func moreFences(count: Int) throws -> [Fence] {
        try Self.makeFences(count: count, route: route, area: area)
    }

    /// Writes `geofence-fences.geojson` (a FeatureCollection) and `geofence-points.csv` (lon,lat per line).
    func writeInputs(to directory: URL) throws {
        var json = #"{"type":"FeatureCollection","features":["#
        for (number, fence) in fences.enumerated() {
            guard case .polygon(let rings) = fence.shape else { continue }
            if number > 0 { json += "," }
            json +=
                #"{"type":"Feature","properties":{"id":"\#(fence.id)"},"geometry":{"type":"Polygon","coordinates":["#
            json += rings.map { ring in
                "[" + ring.map { "[\($0.longitude),\($0.latitude)]" }.joined(separator: ",") + "]"
            }.joined(separator: ",")
            json += "]}}\n"
        }
        json += "]}\n"
        try Data(json.utf8).write(to: directory.appendingPathComponent("geofence-fences.geojson"))
        var csv = ""
        csv.reserveCapacity(latitudes.count * 40)
        for point in 0 ..< latitudes.count { csv += "\(longitudes[point]),\(latitudes[point])\n" }
        try Data(csv.utf8).write(to: directory.appendingPathComponent("geofence-points.csv"))
    }

    private static func makeFences(count: Int, route: [Fix], area: BoundingBox) throws -> [Fence] {
        var random = SplitMix64(seed: 0x6765_6F66_656E_6365)
        // Cumulative distance along the route, to place fences uniformly along it.
        var along: [Double] = [0]
        for (previous, fix) in zip(route, route.dropFirst()) {
            along.append(
                along.last!
                    + GreatCircle.distance(
                        latitude1: previous.latitude,
                        longitude1: previous.longitude,
                        latitude2: fix.latitude,
                        longitude2: fix.longitude
                    )
            )
        }
        var fences: [Fence] = []
        fences.reserveCapacity(count)
        let metresPerDegreeLatitude = 111_200.0
        for number in 0 ..< count {
            var center: Coordinate
            if number % 10 < 2 {
                let target = random.uniform(0, along.last!)
                var low = 0
                var high = along.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if along[middle] < target { low = middle + 1 } else { high = middle }
                }
                let fix = route[low]
                center = Coordinate(
                    latitude: fix.latitude + random.uniform(-0.009, 0.009),
                    longitude: fix.longitude + random.uniform(-0.013, 0.013)
                )
            } else {
                center = Coordinate(
                    latitude: random.uniform(area.minLatitude, area.maxLatitude),
                    longitude: random.uniform(area.minLongitude, area.maxLongitude)
                )
            }
            let metresPerDegreeLongitude = metresPerDegreeLatitude * cos(center.latitude * .pi / 180)
            let vertices = 6 + random.next(below: 19)
            let radius = random.uniform(50, 500)
            func ring(scale: Double, jitter: Double) -> [Coordinate] {
                var positions: [Coordinate] = []
                for vertex in 0 ..< vertices {
                    let angle = (Double(vertex) + random.uniform(-jitter, jitter)) * 2 * .pi / Double(vertices)
                    let r = radius * scale * random.uniform(0.5, 1)
                    positions.append(
                        Coordinate(
                            latitude: center.latitude + r * sin(angle) / metresPerDegreeLatitude,
                            longitude: center.longitude + r * cos(angle) / metresPerDegreeLongitude
                        )
                    )
                }
                positions.append(positions[0])
                return positions
            }
            var rings = [ring(scale: 1, jitter: 0.3)]
            if number % 10 == 7 { rings.append(ring(scale: 0.45, jitter: 0)) }
            fences.append(try Fence(id: "f\(number)", shape: .polygon(rings)))
        }
        return fences
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, seeded, the same on every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in low ..< high.
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in 0 ..< bound.
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
