import FixstreamGeo
import FixstreamJSON
import FixstreamStore
import FixstreamTrips
import Foundation
import Testing

struct ControlStoreTests {
    // MARK: Schema

    @Test func createsTheDirectoryAndSchemaAndReopens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("nested/data")
        do {
            let store = try ControlStore(dataDirectory: data)
            #expect(store.path == data + "/control.sqlite3")
            #expect(try store.storedSchemaVersion == ControlStore.schemaVersion)
            #expect(try store.database.pragma("journal_mode") == "wal")
            try store.importFences(bytes(circleFeature("depot")))
        }
        #expect(FileManager.default.fileExists(atPath: data + "/control.sqlite3"))
        let reopened = try ControlStore(dataDirectory: data + "/")
        #expect(try reopened.storedSchemaVersion == ControlStore.schemaVersion)
        #expect(try reopened.fences().map(\.id) == ["depot"])
        let tables = try reopened.database.prepare(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        var names: [String] = []
        while try tables.step() == .row { names.append(tables.string(at: 0) ?? "") }
        #expect(names == ["fences", "trips", "trips_by_vehicle", "vehicles"])
    }

    @Test func refusesADatabaseFromANewerBuild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let store = try ControlStore(dataDirectory: directory.path)
            try store.database.setUserVersion(ControlStore.schemaVersion + 1)
        }
        let error = #expect(throws: StoreError.self) { try ControlStore(dataDirectory: directory.path) }
        #expect(error?.code == .schemaTooNew)
    }

    @Test func refusesADataDirectoryThatIsAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(FileManager.default.createFile(atPath: directory.path("file"), contents: Data()))
        let error = #expect(throws: StoreError.self) { try ControlStore(dataDirectory: directory.path("file/data")) }
        #expect(error?.code == .io)
    }

    // MARK: Fences

    @Test func importsListsAndDeletesFences() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock(1_000)
        let store = try ControlStore(dataDirectory: directory.path, clock: clock.read)
        let ids = try store.importFences(
            bytes(collection([circleFeature("b-site", name: "Yard"), circleFeature("a-depot")]))
        )
        #expect(ids == ["b-site", "a-depot"])
        let listed = try store.fences()
        #expect(listed.map(\.id) == ["a-depot", "b-site"])
        #expect(listed.map(\.name) == [nil, "Yard"])
        #expect(listed.allSatisfy { $0.updatedAt == 1_000 })
        // The stored text is the feature, compact, parsing back to the same value.
        let original = try JSONValue.parse(bytes(circleFeature("b-site", name: "Yard")))
        #expect(listed[1].feature == original.serializedText)
        #expect(try JSONValue.parse(bytes(listed[1].feature)) == original)

        let loaded = try store.loadFences()
        #expect(loaded.map(\.id) == ["a-depot", "b-site"])
        #expect(loaded[1].name == "Yard")
        if case .circle(_, let radius) = loaded[0].shape {
            #expect(radius == 100)
        } else {
            Issue.record("not a circle")
        }

        // Re-importing an id replaces it; other fences stay.
        clock.now = 2_000
        try store.importFences(bytes(circleFeature("b-site", name: "New yard")))
        #expect(try store.fences().map(\.name) == [nil, "New yard"])
        #expect(try store.fences().map(\.updatedAt) == [1_000, 2_000])

        #expect(try store.deleteFence(id: "a-depot"))
        #expect(try !store.deleteFence(id: "a-depot"))
        #expect(try store.fences().map(\.id) == ["b-site"])
    }

    @Test func aBadFeatureStoresNothingAndIsNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        try store.importFences(bytes(circleFeature("existing", name: "Old")))
        let bad =
            #"{"type":"Feature","properties":{"id":"broken"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[1,1]]]}}"#
        let document = collection([circleFeature("existing", name: "Replaced"), circleFeature("new"), bad])
        let error = #expect(throws: FenceError.self) { try store.importFences(bytes(document)) }
        #expect(error?.featureIndex == 2)
        #expect(error?.featureID == "broken")
        #expect(error?.description.hasPrefix(#"feature 2 ("broken"): "#) == true)
        #expect(try store.fences().map(\.id) == ["existing"])
        #expect(try store.fences().map(\.name) == ["Old"])

        #expect(throws: FenceError.self) { try store.importFences(bytes("{not json")) }
        #expect(throws: FenceError.self) {
            try store.importFences(bytes(collection([circleFeature("dup"), circleFeature("dup")])))
        }
        #expect(try store.fences().map(\.id) == ["existing"])
    }

    @Test func putFenceStoresOneFeatureAndRefusesAMismatchedID() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        try store.putFence(id: "depot", featureJSON: bytes(circleFeature("depot", name: "Depot")))
        #expect(try store.fences().map(\.name) == ["Depot"])
        let error = #expect(throws: FenceError.self) {
            try store.putFence(id: "depot", featureJSON: bytes(circleFeature("elsewhere")))
        }
        #expect(error?.code == .idMismatch)
        #expect(error?.description.contains("elsewhere") == true)
        #expect(throws: FenceError.self) { try store.putFence(id: "x", featureJSON: bytes("[")) }
        #expect(throws: FenceError.self) {
            try store.putFence(id: "x", featureJSON: bytes(collection([circleFeature("x")])))
        }
        #expect(try store.fences().map(\.id) == ["depot"])
        #expect(try store.fences().map(\.name) == ["Depot"])
    }

    @Test func aCorruptStoredFenceIsAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        try store.importFences(bytes(circleFeature("good")))
        try store.database.execute(
            "INSERT INTO fences (id, name, feature, updated_at) VALUES ('rotten', NULL, '{\"type\":\"Feature\"}', 0)"
        )
        let error = #expect(throws: StoreError.self) { try store.loadFences() }
        #expect(error?.code == .corruptRow)
        #expect(error?.message.contains(#"fence "rotten""#) == true)
    }

    @Test func importsTenThousandFencesInOneGo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        let features = (0 ..< 10_000).map { index in
            circleFeature("f\(index)", lon: 12 + Double(index % 100) * 0.001, lat: 49 + Double(index / 100) * 0.001)
        }
        let ids = try store.importFences(bytes(collection(features)))
        #expect(ids.count == 10_000)
        #expect(Set(ids).count == 10_000)
        #expect(try store.fences().count == 10_000)
        let loaded = try store.loadFences()
        #expect(loaded.count == 10_000)
        #expect(FenceIndex(loaded).fences.count == 10_000)
    }

    // MARK: Trips

    @Test func importsListsAndDeletesTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock(5_000)
        let store = try ControlStore(dataDirectory: directory.path, clock: clock.read)
        #expect(try store.importTrips(bytes(tripJSON("T1"))) == ["T1"])
        let ids = try store.importTrips(
            bytes("[" + tripJSON("T3", vehicle: "truck-9") + "," + tripJSON("T2") + "]")
        )
        #expect(ids == ["T3", "T2"])
        #expect(try store.trips().map(\.id) == ["T1", "T2", "T3"])
        #expect(try store.trips(forVehicle: "van-1").map(\.id) == ["T1", "T2"])
        #expect(try store.trips(forVehicle: "truck-9").map(\.id) == ["T3"])
        #expect(try store.trips(forVehicle: "nobody").isEmpty)
        let stored = try #require(try store.trip(id: "T3"))
        #expect(stored.vehicle == "truck-9")
        #expect(stored.updatedAt == 5_000)
        #expect(try JSONValue.parse(bytes(stored.trip)) == JSONValue.parse(bytes(tripJSON("T3", vehicle: "truck-9"))))
        #expect(try store.trip(id: "T9") == nil)
        #expect(try store.loadTrips().map(\.trip.stops.count) == [2, 2, 2])
        #expect(try store.vehicles().map(\.id) == ["truck-9", "van-1"])
        #expect(try store.vehicles().allSatisfy { $0.createdAt == 5_000 })

        // A re-import moves the trip to another vehicle.
        clock.now = 6_000
        try store.putTrip(id: "T1", bytes(tripJSON("T1", vehicle: "truck-9")))
        #expect(try store.trips(forVehicle: "truck-9").map(\.id) == ["T1", "T3"])
        #expect(try store.trip(id: "T1")?.updatedAt == 6_000)

        #expect(try store.deleteTrip(id: "T2"))
        #expect(try !store.deleteTrip(id: "T2"))
        #expect(try store.trips().map(\.id) == ["T1", "T3"])
    }

    @Test func aBadTripStoresNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        let bad = tripJSON("T2", extraStop: #",{"id":"S3","lat":95,"lon":12}"#)
        let error = #expect(throws: TripError.self) {
            try store.importTrips(bytes("[" + tripJSON("T1") + "," + bad + "]"))
        }
        #expect(error?.description == #"trip "T2": stop 2 ("S3"): lat 95 out of range"#)
        #expect(error?.tripIndex == 1)
        #expect(try store.trips().isEmpty)
        #expect(try store.vehicles().isEmpty)
    }

    @Test func putTripRefusesAMismatchedID() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        let error = #expect(throws: TripError.self) { try store.putTrip(id: "T1", bytes(tripJSON("T2"))) }
        #expect(error?.code == .idMismatch)
        #expect(throws: TripError.self) { try store.putTrip(id: "T1", bytes("[" + tripJSON("T1") + "]")) }
        #expect(try store.trips().isEmpty)
    }

    @Test func aCorruptStoredTripIsAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ControlStore(dataDirectory: directory.path)
        try store.database.execute("INSERT INTO trips VALUES ('T7', 'van-1', '{\"id\":\"T7\"}', 0)")
        let error = #expect(throws: StoreError.self) { try store.loadTrips() }
        #expect(error?.code == .corruptRow)
        #expect(error?.message.contains(#"trip "T7""#) == true)
    }
}
