import Foundation

/// A fresh directory under the system temporary directory; tests remove it with a `defer`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-store-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` in the directory (the file need not exist).
    func path(_ name: String) -> String { path + "/" + name }
}

/// A clock for the store that returns what the test sets.
final class ManualClock {
    var now: Int64

    init(_ now: Int64) { self.now = now }

    func read() -> Int64 { now }
}

/// UTF-8 bytes of a string literal.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A Point fence feature with a radius.
func circleFeature(_ id: String, name: String? = nil, lon: Double = 12.1, lat: Double = 49.02) -> String {
    let nameMember = name.map { #","name":"\#($0)""# } ?? ""
    return
        #"{"type":"Feature","properties":{"id":"\#(id)"\#(nameMember),"radius":100},"geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]}}"#
}

/// A FeatureCollection of the given feature texts.
func collection(_ features: [String]) -> String {
    #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
}

/// A valid trip with two stops.
func tripJSON(_ id: String, vehicle: String = "van-1", extraStop: String = "") -> String {
    #"""
    {"id":"\#(id)","vehicle":"\#(vehicle)","stops":[
      {"id":"S1","lat":49.01,"lon":12.09,"radius":80,"window":{"start":"2026-11-22T09:00:00Z","end":"2026-11-22T11:00:00+01:00"},"service":300},
      {"id":"S2","lat":49.02,"lon":12.11,"tracking":"parcel-77"}\#(extraStop)
    ]}
    """#
}
