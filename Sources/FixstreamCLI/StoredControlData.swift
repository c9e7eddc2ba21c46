import FixstreamDetect
import FixstreamGeo
import FixstreamStore
import FixstreamTrips

/// The fences and trips stored in the data directory's control database, ready for the shards.
struct StoredControlData {
    var fences: FenceIndex?
    var trips: TripBook?

    /// Loads what `fixstream fences import` and `fixstream trips import` stored; nothing stored gives nils.
    /// - Throws: ``CLIError`` when the database cannot be opened or a stored row no longer parses.
    static func load(dataDirectory: String) throws -> StoredControlData {
        do {
            let store = try ControlStore(dataDirectory: dataDirectory)
            let fences = try store.loadFences()
            let trips = try store.loadTrips().map(\.trip)
            return StoredControlData(
                fences: fences.isEmpty ? nil : FenceIndex(fences),
                trips: trips.isEmpty ? nil : TripBook(trips)
            )
        } catch {
            throw CLIError(.io, "cannot load control data from '\(dataDirectory)': \(error)")
        }
    }
}
