import FixstreamDetect
import FixstreamGeo
import FixstreamStore
import FixstreamTrips

/// The fences and trips stored in the data directory's control database, ready for the shards.
struct StoredControlData {
    var fences: [Fence] = []
    var trips: [Trip] = []

    /// Loads what `fixstream fences import`, `fixstream trips import` and the admin API stored.
    /// - Parameters:
    ///   - store: the open control store.
    ///   - fences: whether to load the fences (not when a file replaces them).
    ///   - trips: whether to load the trips.
    ///   - dataDirectory: for messages.
    /// - Throws: ``CLIError`` when a stored row no longer parses or the database cannot be read.
    static func load(
        from store: ControlStore,
        fences: Bool = true,
        trips: Bool = true,
        dataDirectory: String
    ) throws -> StoredControlData {
        var data = StoredControlData()
        do {
            if fences { data.fences = try store.loadFences() }
            if trips { data.trips = try store.loadTrips().map(\.trip) }
            return data
        } catch {
            throw CLIError(.io, "cannot load control data from '\(dataDirectory)': \(error)")
        }
    }
}
