import FixstreamJSON
public import FixstreamTrips
import FixstreamWire

extension ControlStore {
    /// Imports one trip object or an array of them, all or nothing; trips with the ids of stored ones replace
    /// them, other stored trips stay. Each trip's vehicle is registered in `vehicles` if it is new.
    ///
    /// The whole document is parsed with ``TripParser`` first; on any problem nothing is written.
    ///
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: the ids imported, in document order.
    /// - Throws: ``TripError`` naming the trip and stop at fault; ``StoreError`` when writing fails.
    @discardableResult
    public func importTrips(_ bytes: [UInt8]) throws -> [String] {
        let trips = try TripParser.parseDocumentWithJSON(bytes)
        try store(trips)
        return trips.map(\.trip.id)
    }

    /// Stores one trip under `id`, replacing a stored trip with that id.
    ///
    /// - Parameters:
    ///   - id: the trip id; it must equal the trip's `id`.
    ///   - bytes: one trip object (UTF-8 JSON).
    /// - Returns: the trip as stored.
    /// - Throws: ``TripError`` when the trip is invalid or carries another id (``TripError/Code/idMismatch``);
    ///   ``StoreError`` when writing fails.
    @discardableResult
    public func putTrip(id: String, _ bytes: [UInt8]) throws -> Trip {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue.parse(bytes)
        } catch {
            throw TripError(.invalidJSON, "invalid JSON: \(error)", tripID: id, cause: error)
        }
        let trip = try TripParser.parse(value)
        guard trip.id.utf8.elementsEqual(id.utf8) else {  // byte for byte, as SQLite compares keys
            throw TripError(
                .idMismatch,
                "the trip's id is \"\(trip.id)\" but it is being stored as \"\(id)\"",
                tripID: id
            )
        }
        try store([ParsedTrip(trip: trip, json: value)])
        return trip
    }

    /// Deletes the trip with `id`.
    ///
    /// - Returns: whether there was one.
    /// - Throws: ``StoreError`` when the delete fails.
    @discardableResult
    public func deleteTrip(id: String) throws(StoreError) -> Bool {
        let statement = try database.prepare("DELETE FROM trips WHERE id = ?")
        try statement.bind(id, at: 1)
        try statement.run()
        return database.changes > 0
    }

    /// Every stored trip, ordered by id.
    ///
    /// - Throws: ``StoreError`` when reading fails.
    public func trips() throws(StoreError) -> [StoredTrip] {
        try queryTrips("SELECT id, vehicle, trip, updated_at FROM trips ORDER BY id", binding: nil)
    }

    /// The trip with `id`, or nil.
    ///
    /// - Throws: ``StoreError`` when reading fails.
    public func trip(id: String) throws(StoreError) -> StoredTrip? {
        try queryTrips("SELECT id, vehicle, trip, updated_at FROM trips WHERE id = ?", binding: id).first
    }

    /// The trips of one vehicle, ordered by id (uses the index on `trips.vehicle`).
    ///
    /// - Throws: ``StoreError`` when reading fails.
    public func trips(forVehicle vehicle: String) throws(StoreError) -> [StoredTrip] {
        try queryTrips(
            "SELECT id, vehicle, trip, updated_at FROM trips WHERE vehicle = ? ORDER BY id",
            binding: vehicle
        )
    }

    /// Every stored trip parsed and checked again, ordered by id: what a server loads at start.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/corruptRow`` naming the trip whose stored JSON no longer
    ///   validates; ``StoreError`` when reading fails.
    public func loadTrips() throws(StoreError) -> [ParsedTrip] {
        var result: [ParsedTrip] = []
        for stored in try trips() { result.append(try stored.validated()) }
        return result
    }

    /// Every registered vehicle, ordered by id.
    ///
    /// - Throws: ``StoreError`` when reading fails.
    public func vehicles() throws(StoreError) -> [StoredVehicle] {
        let statement = try database.prepare("SELECT id, name, created_at FROM vehicles ORDER BY id")
        var result: [StoredVehicle] = []
        while try statement.step() == .row {
            result.append(
                StoredVehicle(
                    id: statement.string(at: 0) ?? "",
                    name: statement.string(at: 1),
                    createdAt: statement.int64(at: 2)
                )
            )
        }
        return result
    }

    // MARK: Helpers

    private func store(_ trips: [ParsedTrip]) throws {
        let now = clock()
        try database.transaction {
            let upsertTrip = try database.prepare(
                """
                INSERT INTO trips (id, vehicle, trip, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET vehicle = excluded.vehicle, trip = excluded.trip, updated_at = excluded.updated_at
                """
            )
            let registerVehicle = try database.prepare(
                "INSERT INTO vehicles (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING"
            )
            for parsed in trips {
                let vehicle = parsed.trip.vehicle.description
                try upsertTrip.bind(parsed.trip.id, at: 1)
                try upsertTrip.bind(vehicle, at: 2)
                try upsertTrip.bind(parsed.json.serializedText, at: 3)
                try upsertTrip.bind(now, at: 4)
                try upsertTrip.run()
                try registerVehicle.bind(vehicle, at: 1)
                try registerVehicle.bind(now, at: 2)
                try registerVehicle.run()
            }
        }
    }

    private func queryTrips(_ sql: String, binding value: String?) throws(StoreError) -> [StoredTrip] {
        let statement = try database.prepare(sql)
        if let value { try statement.bind(value, at: 1) }
        var result: [StoredTrip] = []
        while try statement.step() == .row {
            result.append(
                StoredTrip(
                    id: statement.string(at: 0) ?? "",
                    vehicle: statement.string(at: 1) ?? "",
                    trip: statement.string(at: 2) ?? "",
                    updatedAt: statement.int64(at: 3)
                )
            )
        }
        return result
    }
}
