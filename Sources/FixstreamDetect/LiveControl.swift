public import FixstreamGeo
import Synchronization

/// The fences and trips the detectors run against, replaceable while the shards run.
///
/// One writer (the admin API) builds a new immutable ``FenceIndex`` or ``TripBook`` and calls ``replace(fences:trips:)``;
/// every shard's stages look at ``version`` on each fix (one atomic load) and, when it moved, take the new
/// ``Snapshot`` and carry their vehicles' state over to it (memberships by fence id, trip progress by trip and
/// stop id). A change therefore applies from the next fix (or timer) of each vehicle, with no restart and no lock
/// on the per-fix path; a vehicle that sends nothing keeps the timers it had until then.
public final class LiveControl: Sendable {
    /// The fences and trips at one version.
    public struct Snapshot: Sendable {
        /// Increases by one on every replacement.
        public let version: Int
        /// The geofences.
        public let fences: FenceIndex
        /// The planned trips.
        public let trips: TripBook
    }

    private let published: Atomic<Int>
    private let current: Mutex<Snapshot>

    /// Control data starting with `fences` and `trips` (none of either by default).
    public init(fences: FenceIndex = FenceIndex([]), trips: TripBook = TripBook([])) {
        published = Atomic(0)
        current = Mutex(Snapshot(version: 0, fences: fences, trips: trips))
    }

    /// The version of the current snapshot: cheap enough to read on every fix.
    public var version: Int { published.load(ordering: .acquiring) }

    /// The current fences and trips.
    public var snapshot: Snapshot { current.withLock { $0 } }

    /// Publishes new fences, new trips or both (nil keeps the current ones).
    public func replace(fences: FenceIndex? = nil, trips: TripBook? = nil) {
        current.withLock { snapshot in
            snapshot = Snapshot(
                version: snapshot.version + 1,
                fences: fences ?? snapshot.fences,
                trips: trips ?? snapshot.trips
            )
            published.store(snapshot.version, ordering: .releasing)
        }
    }
}
