/// Latencies in logarithmic buckets (four per power of two, from 1 µs to about 4,000 s): recording is an index
/// computation and an add, quantiles are accurate to about 19 %, and histograms of several threads merge by
/// adding.
struct LatencyHistogram: Sendable, Equatable {
    /// Buckets per doubling.
    private static let perOctave = 4
    private static let octaves = 32
    private(set) var counts = [UInt64](repeating: 0, count: octaves * perOctave + 1)
    private(set) var total: UInt64 = 0
    private(set) var sumNanoseconds: UInt64 = 0

    /// Records one latency.
    mutating func record(nanoseconds: UInt64) {
        counts[Self.bucket(nanoseconds)] &+= 1
        total &+= 1
        sumNanoseconds &+= nanoseconds
    }

    /// The bucket holding `nanoseconds`: 0 below 1 µs, then four per doubling.
    static func bucket(_ nanoseconds: UInt64) -> Int {
        let micros = nanoseconds / 1000
        guard micros > 0 else { return 0 }
        let octave = 63 - micros.leadingZeroBitCount
        // The two bits after the leading one pick the quarter of the octave.
        let quarter = octave >= 2 ? Int((micros >> (octave - 2)) & 3) : Int((micros << (2 - octave)) & 3)
        return min(1 + octave * perOctave + quarter, octaves * perOctave)
    }

    /// Upper bound of bucket `index`, in nanoseconds.
    static func upperBound(_ index: Int) -> Double {
        guard index > 0 else { return 1000 }
        let octave = (index - 1) / perOctave
        let quarter = (index - 1) % perOctave
        return 1000 * Double(1 << octave) * (1 + Double(quarter + 1) / 4)
    }

    /// The latency below which a `quantile` (0...1) of the samples fall (bucket upper bound), in nanoseconds.
    func quantile(_ quantile: Double) -> Double {
        guard total > 0 else { return 0 }
        let rank = UInt64((quantile * Double(total)).rounded(.up))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= max(rank, 1) { return Self.upperBound(index) }
        }
        return Self.upperBound(counts.count - 1)
    }

    /// How many samples were at or below `seconds` (bucket resolution).
    func count(atMost seconds: Double) -> UInt64 {
        var sum: UInt64 = 0
        for (index, count) in counts.enumerated() where Self.upperBound(index) <= seconds * 1e9 { sum += count }
        return sum
    }

    /// Adds another histogram's samples.
    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        total &+= other.total
        sumNanoseconds &+= other.sumNanoseconds
    }
}
