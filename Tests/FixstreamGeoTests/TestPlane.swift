import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

/// Metres east/north around a reference position, converted to degrees with the WGS 84 radii of curvature at the
/// reference latitude: the hand calculation the fences' local plane should agree with.
struct TestPlane {
    let latitude: Double
    let longitude: Double
    let metresPerDegreeLatitude: Double
    let metresPerDegreeLongitude: Double

    init(latitude: Double = 46.5, longitude: Double = 6.6) {
        self.latitude = latitude
        self.longitude = longitude
        let a = 6_378_137.0
        let e2 = 0.006_694_379_990_14
        let s = sin(latitude * .pi / 180)
        let w = 1 - e2 * s * s
        metresPerDegreeLatitude = a * (1 - e2) / (w * w.squareRoot()) * .pi / 180
        metresPerDegreeLongitude = a / w.squareRoot() * cos(latitude * .pi / 180) * .pi / 180
    }

    func at(_ x: Double, _ y: Double) -> Coordinate {
        Coordinate(
            latitude: latitude + y / metresPerDegreeLatitude,
            longitude: longitude + x / metresPerDegreeLongitude
        )
    }

    /// A closed axis-aligned rectangle ring centred at (cx, cy).
    func rectangle(_ cx: Double, _ cy: Double, width: Double, height: Double) -> [Coordinate] {
        let (w, h) = (width / 2, height / 2)
        return [at(cx - w, cy - h), at(cx + w, cy - h), at(cx + w, cy + h), at(cx - w, cy + h), at(cx - w, cy - h)]
    }

    func distance(_ fence: Fence, _ x: Double, _ y: Double) -> Double {
        let c = at(x, y)
        return fence.signedDistance(latitude: c.latitude, longitude: c.longitude)
    }

    func crosses(_ fence: Fence, from a: (Double, Double), to b: (Double, Double), depth: Double) -> Bool {
        let p = at(a.0, a.1)
        let q = at(b.0, b.1)
        return fence.segmentReachesInside(
            fromLatitude: p.latitude,
            fromLongitude: p.longitude,
            toLatitude: q.latitude,
            toLongitude: q.longitude,
            depth: depth
        )
    }
}

/// SplitMix64: a small seeded generator, the same on every machine.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) * 0x1.0p-53
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
