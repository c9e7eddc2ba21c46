import FixstreamDetect
import FixstreamStore
import FixstreamTrips
import Foundation
import Testing

@testable import FixstreamCLI

/// Every trip the control store accepts must load into the detectors (or `serve` would refuse to start).
struct StoredTripsLoadTests {
    @Test func boundaryTripsAcceptedByTheStoreLoad() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trips = #"""
            [{"id":"T1","vehicle":"van-1","stops":[
              {"id":"S1","lat":49,"lon":12,"radius":250000,"service":172800,"tracking":""},
              {"id":"S2","lat":-90,"lon":180,"radius":0.5,"service":0,"window":{"start":"2026-11-22T09:00:00+01:00"}},
              {"id":"S3","lat":90,"lon":-180,"window":{"end":"2026-11-22T10:00:00Z"},"note":{"free":"form"}}],
             "route":{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[12,49],[12.1,49.1,300]]}}},
             {"id":"T2","vehicle":"van-2","stops":[{"id":"S1","lat":49,"lon":12,"radius":null,"window":null}]}]
            """#
        let store = try ControlStore(dataDirectory: directory.url.path)
        #expect(try store.importTrips(Array(trips.utf8)) == ["T1", "T2"])
        let loaded = try StoredControlData.load(from: store, dataDirectory: directory.url.path)
        #expect(Set(loaded.trips.map(\.vehicle)).count == 2)
        let stops = loaded.trips.first { $0.id == "T1" }?.stops
        #expect(stops?.map(\.service) == [172_800_000, 0, 0])
        #expect(stops?.first?.tracking == nil)
    }
}
