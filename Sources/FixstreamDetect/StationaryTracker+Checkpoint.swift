import FixstreamPipeline

#if canImport(Glibc)
    import Glibc
#endif

/// Checkpoints of a tracker: its cluster and the latest fix's verdicts.
extension StationaryTracker {
    /// Writes the cluster (origin, sums, count, times, outside run) and the latest fix's reported speed and join.
    func checkpoint(into writer: inout CheckpointWriter) {
        writer.write(originLatitude)
        writer.write(originLongitude)
        writer.write(sumX)
        writer.write(sumY)
        writer.write(sumSquares)
        writer.write(count)
        writer.write(start)
        writer.write(latest)
        writer.write(outside)
        writer.write(firstOutside)
        writer.write(reportedSlow) { $0.write($1) }
        writer.write(lastJoined)
    }

    /// Reads a tracker written by ``checkpoint(into:)``.
    /// - Throws: ``CheckpointError`` when truncated or impossible (negative counts).
    init(from reader: inout CheckpointReader) throws(CheckpointError) {
        self.init()
        originLatitude = try reader.readDouble()
        originLongitude = try reader.readDouble()
        metresPerDegreeLongitude = max(1, Self.metresPerDegree * cos(originLatitude * .pi / 180))
        sumX = try reader.readDouble()
        sumY = try reader.readDouble()
        sumSquares = try reader.readDouble()
        count = try reader.readInt()
        start = try reader.readInt64()
        latest = try reader.readInt64()
        outside = try reader.readInt()
        firstOutside = try reader.readInt64()
        reportedSlow = try reader.readOptional { reader throws(CheckpointError) in try reader.readBool() }
        lastJoined = try reader.readBool()
        guard count >= 0, outside >= 0 else { throw reader.failure(.malformed, "an impossible stationary cluster") }
    }
}
