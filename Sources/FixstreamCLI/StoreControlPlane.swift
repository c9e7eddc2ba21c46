import FixstreamDetect
import FixstreamGeo
import FixstreamServer
import FixstreamStore
import FixstreamTrips

/// The admin API of `serve`: a change is checked and stored in the control store (all or nothing), then the
/// running fences or trips are rebuilt and published to the shards, which apply it from the next fix.
///
/// Lives on the HTTP thread. Rebuilding is O(fences) or O(trips): about 17 ms for 100,000 fences, so changes
/// are cheap at fleet scale but not meant for hundreds per second. Fences or trips given as files
/// (`--fences`, `--trips`) are not the stored ones: changing them through the API is refused with 409
/// (`fences_from_file`, `trips_from_file`), since the change would vanish at the next start.
final class StoreControlPlane: ControlPlane {
    private let store: ControlStore
    private let live: LiveControl
    private var fences: [Fence]
    private var trips: [Trip]
    private let fencesFile: String?
    private let tripsFile: String?

    /// - Parameters:
    ///   - store: the data directory's control store (moved to the HTTP thread with this object).
    ///   - live: what the shards run against; `fences` and `trips` are its current content.
    ///   - fencesFile: the `--fences` file when the fences came from one.
    ///   - tripsFile: the `--trips` file when the trips came from one.
    init(
        store: ControlStore,
        live: LiveControl,
        fences: [Fence],
        trips: [Trip],
        fencesFile: String?,
        tripsFile: String?
    ) {
        self.store = store
        self.live = live
        self.fences = fences
        self.trips = trips
        self.fencesFile = fencesFile
        self.tripsFile = tripsFile
    }

    func put(_ kind: ControlKind, id: String, body: [UInt8]) -> ControlOutcome {
        if let refusal = fromFile(kind) { return refusal }
        do {
            switch kind {
            case .fence:
                let fence = try store.putFence(id: id, featureJSON: body)
                let created = replace(&fences, with: fence, id: \.id)
                live.replace(fences: FenceIndex(fences))
                return .stored(created: created)
            case .trip:
                let trip = try store.putTrip(id: id, body)
                let created = replace(&trips, with: trip, id: \.id)
                live.replace(trips: TripBook(trips))
                return .stored(created: created)
            }
        } catch {
            return Self.outcome(error)
        }
    }

    func delete(_ kind: ControlKind, id: String) -> ControlOutcome {
        if let refusal = fromFile(kind) { return refusal }
        do {
            switch kind {
            case .fence:
                guard try store.deleteFence(id: id) else { return .notFound }
                fences.removeAll { $0.id.utf8.elementsEqual(id.utf8) }
                live.replace(fences: FenceIndex(fences))
            case .trip:
                guard try store.deleteTrip(id: id) else { return .notFound }
                trips.removeAll { $0.id.utf8.elementsEqual(id.utf8) }
                live.replace(trips: TripBook(trips))
            }
            return .deleted
        } catch {
            return Self.outcome(error)
        }
    }

    /// Replaces the element with `id` in place (keeping its position) or appends it; returns whether it is new.
    /// Ids compare byte for byte, as the store's keys do (Swift's `==` would call `é` and `e` + U+0301 equal).
    private func replace<Element>(
        _ elements: inout [Element],
        with element: Element,
        id: KeyPath<Element, String>
    )
        -> Bool
    {
        let key = element[keyPath: id]
        if let position = elements.firstIndex(where: { $0[keyPath: id].utf8.elementsEqual(key.utf8) }) {
            elements[position] = element
            return false
        }
        elements.append(element)
        return true
    }

    private func fromFile(_ kind: ControlKind) -> ControlOutcome? {
        let file = kind == .fence ? fencesFile : tripsFile
        guard let file else { return nil }
        return .conflict(
            reason: "\(kind.noun)s_from_file",
            detail:
                "this server runs the \(kind.noun)s of '\(file)' (--\(kind.noun)s); start it without that option to manage stored \(kind.noun)s through the API"
        )
    }

    private static func outcome(_ error: any Error) -> ControlOutcome {
        switch error {
        case let error as FenceError: .invalid(reason: error.code.rawValue, detail: error.description)
        case let error as TripError: .invalid(reason: error.code.rawValue, detail: error.description)
        default: .failed(detail: "\(error)")
        }
    }
}
