import FixstreamDetect
import FixstreamPipeline
import FixstreamWire

/// Collects `process --eta` lines: after each fix of a vehicle on a trip,
/// `{"type":"eta","vehicle":…,"time":…,"trip":…,"stops":[{"stop":…,"status":…,"eta":…,"distance":…}]}`.
final class ETALines {
    private(set) var bytes: [UInt8] = []

    func append(vehicle: VehicleID, time: Timestamp, trip: String, estimates: [TripStage.Estimate]) {
        bytes.append(contentsOf: #"{"type":"eta","vehicle":""#.utf8)
        vehicle.withUnsafeBytes { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: #"","time":""#.utf8)
        FixJSONWriter.appendTime(time, to: &bytes)
        bytes.append(contentsOf: #"","trip":""#.utf8)
        AlertJSONWriter.appendEscaped(trip, to: &bytes)
        bytes.append(contentsOf: #"","stops":["#.utf8)
        for (index, estimate) in estimates.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: #"{"stop":""#.utf8)
            AlertJSONWriter.appendEscaped(estimate.stop, to: &bytes)
            bytes.append(contentsOf: #"","status":""#.utf8)
            bytes.append(contentsOf: estimate.status.utf8)
            bytes.append(UInt8(ascii: "\""))
            if let eta = estimate.eta {
                bytes.append(contentsOf: #","eta":""#.utf8)
                FixJSONWriter.appendTime(eta, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            if let distance = estimate.distance {
                bytes.append(contentsOf: #","distance":"#.utf8)
                FixJSONWriter.appendInteger(Int64(distance.rounded()), to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(contentsOf: "]}\n".utf8)
    }

    /// The lines so far, emptying the buffer.
    func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }
}
