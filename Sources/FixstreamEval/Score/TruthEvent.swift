/// One line of a simulation's `truth.jsonl`: something that really happened, as the simulator drove it.
///
/// The lines record physical facts (where the vehicle was, when it stood still, what was heard from it), not the
/// alerts expected: ``ScoreRules`` turns them into expectations with the detectors' thresholds, so one truth file
/// can be scored against detectors run with other settings. Times are milliseconds since the Unix epoch.
public enum TruthEvent: Sendable, Equatable {
    /// The run as a whole: one line, first.
    case run(Run)
    /// A vehicle's tracker was on from `on` to `off`.
    case power(Power)
    /// A planned stop the vehicle served.
    case stop(Stop)
    /// A planned stop the vehicle never went to.
    case skip(Skip)
    /// An unscheduled halt: the vehicle stood still outside its stops.
    case halt(Halt)
    /// A stretch off the planned route.
    case detour(Detour)
    /// A stay inside a fence's hysteresis zone.
    case visit(Visit)
    /// A silence: nothing was heard from the vehicle for a while.
    case outage(Outage)

    /// The run: seed, fleet size, the first and last delivery times in the fix file, and the fixes written.
    public struct Run: Sendable, Equatable {
        /// The seed the run was made with.
        public var seed: UInt64
        /// How many vehicles.
        public var vehicles: Int
        /// The simulation's start.
        public var start: Int64
        /// The last delivery time of any fix: no alert can be decided on data after it.
        public var end: Int64
        /// Fix lines written (duplicates included).
        public var fixes: Int

        /// Creates the line.
        public init(seed: UInt64, vehicles: Int, start: Int64, end: Int64, fixes: Int) {
            self.seed = seed
            self.vehicles = vehicles
            self.start = start
            self.end = end
            self.fixes = fixes
        }
    }

    /// A vehicle's tracker: switched on at the depot at `on`, off at `off`; `trip` is the trip it drove.
    public struct Power: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// Its trip's id.
        public var trip: String
        /// First fix time.
        public var on: Int64
        /// Last fix time.
        public var off: Int64

        /// Creates the line.
        public init(vehicle: String, trip: String, on: Int64, off: Int64) {
            self.vehicle = vehicle
            self.trip = trip
            self.on = on
            self.off = off
        }
    }

    /// A served stop: when the vehicle came within the stop's arrival radius (`radius` minus the margin, the
    /// distance at which a stop counts as reached) on the way in, and went beyond the radius plus the margin on the
    /// way out.
    public struct Stop: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// The trip.
        public var trip: String
        /// The stop's id in the trip.
        public var stop: String
        /// Arrival.
        public var arrived: Int64
        /// Departure, or nil when the tracker went off (or the run ended) first.
        public var departed: Int64?
        /// When the vehicle set off towards this stop (its departure from the stop served before, or the tracker
        /// switching on).
        public var legStart: Int64
        /// Whether the vehicle was already there when its tracker came on (nothing to approach).
        public var initial: Bool
        /// False when the vehicle was within the arrival radius earlier on the same leg without stopping (a pass
        /// before the real arrival): which of the two counts as the arrival is then a matter of definition.
        public var clear: Bool
        /// The end of the stop's promised window, if it has one.
        public var windowEnd: Int64?

        /// Creates the line.
        public init(
            vehicle: String,
            trip: String,
            stop: String,
            arrived: Int64,
            departed: Int64?,
            legStart: Int64,
            initial: Bool,
            clear: Bool,
            windowEnd: Int64?
        ) {
            self.vehicle = vehicle
            self.trip = trip
            self.stop = stop
            self.arrived = arrived
            self.departed = departed
            self.legStart = legStart
            self.initial = initial
            self.clear = clear
            self.windowEnd = windowEnd
        }
    }

    /// A planned stop the vehicle did not go to.
    public struct Skip: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// The trip.
        public var trip: String
        /// The stop's id.
        public var stop: String

        /// Creates the line.
        public init(vehicle: String, trip: String, stop: String) {
            self.vehicle = vehicle
            self.trip = trip
            self.stop = stop
        }
    }

    /// An unscheduled halt: the vehicle stood still from `start` to `end` at a place away from its stops.
    public struct Halt: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// When it came to rest.
        public var start: Int64
        /// When it moved off, or nil when the tracker went off (or the run ended) first.
        public var end: Int64?
        /// Since when it had been within 30 m (the idle detector's default radius) of where it halted: slowing
        /// down, waiting in a queue.
        public var near: Int64
        /// When it was next farther than 30 m, or nil.
        public var left: Int64?
        /// Where, degrees.
        public var latitude: Double
        /// Where, degrees.
        public var longitude: Double

        /// Creates the line.
        public init(
            vehicle: String,
            start: Int64,
            end: Int64?,
            near: Int64? = nil,
            left: Int64? = nil,
            latitude: Double,
            longitude: Double
        ) {
            self.vehicle = vehicle
            self.start = start
            self.end = end
            self.near = near ?? start
            self.left = left ?? end
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// A stretch off the planned route while the trip was under way: the vehicle's true distance from the route
    /// went beyond `threshold` at `start` and came back within 80 % of it at `end`.
    public struct Detour: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// The trip.
        public var trip: String
        /// First moment farther than `threshold` from the route.
        public var start: Int64
        /// First moment back within 80 % of `threshold`, or nil when the tracker went off (or the run ended)
        /// first.
        public var end: Int64?
        /// The distance the stretch was measured against, metres.
        public var threshold: Double
        /// The farthest it went from the route, metres (capped at 200).
        public var maxOffset: Double
        /// The last moment it was farther than `threshold` plus 15 m (nil if never).
        public var lastClearlyOff: Int64?
        /// Why: `detour` (a planned change of route), `skip` (driving past a skipped stop) or `return` (after the
        /// last stop).
        public var cause: String

        /// Creates the line.
        public init(
            vehicle: String,
            trip: String,
            start: Int64,
            end: Int64?,
            threshold: Double,
            maxOffset: Double,
            lastClearlyOff: Int64?,
            cause: String
        ) {
            self.vehicle = vehicle
            self.trip = trip
            self.start = start
            self.end = end
            self.threshold = threshold
            self.maxOffset = maxOffset
            self.lastClearlyOff = lastClearlyOff
            self.cause = cause
        }
    }

    /// A stay in a fence's hysteresis zone (deeper than `-hysteresis`): entered when the vehicle was first more
    /// than `hysteresis` inside, left when it was next more than `hysteresis` outside.
    public struct Visit: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// The fence.
        public var fence: String
        /// When the vehicle was first deeper inside than the hysteresis, or nil if it never was (a graze).
        public var enter: Int64?
        /// When it was next farther outside than the hysteresis, or nil when the tracker went off first.
        public var exit: Int64?
        /// How deep inside it went, metres.
        public var maxDepth: Double
        /// When it was deepest inside.
        public var deepest: Int64
        /// The fence's hysteresis, metres.
        public var hysteresis: Double
        /// The fence's dwell time, milliseconds, if it has one.
        public var dwell: Int64?

        /// Creates the line.
        public init(
            vehicle: String,
            fence: String,
            enter: Int64?,
            exit: Int64?,
            maxDepth: Double,
            deepest: Int64,
            hysteresis: Double,
            dwell: Int64?
        ) {
            self.vehicle = vehicle
            self.fence = fence
            self.enter = enter
            self.exit = exit
            self.maxDepth = maxDepth
            self.deepest = deepest
            self.hysteresis = hysteresis
            self.dwell = dwell
        }
    }

    /// A silence in what the server heard: the vehicle's fixes, in delivery order, stopped at `last` and resumed
    /// at `resumed`.
    public struct Outage: Sendable, Equatable {
        /// The vehicle.
        public var vehicle: String
        /// Delivery time of the last fix heard before.
        public var last: Int64
        /// Event time (`t`) of that fix.
        public var lastFix: Int64
        /// Delivery time of the next fix heard, or nil when the tracker went off for good.
        public var resumed: Int64?
        /// Event time (`t`) of that fix: what a restored alert is dated at.
        public var firstFix: Int64?
        /// Why: `gps` (no position), `network` (positions kept and sent later in a burst) or `power` (the tracker
        /// was switched off).
        public var cause: String

        /// Creates the line.
        public init(vehicle: String, last: Int64, lastFix: Int64, resumed: Int64?, firstFix: Int64?, cause: String) {
            self.vehicle = vehicle
            self.last = last
            self.lastFix = lastFix
            self.resumed = resumed
            self.firstFix = firstFix
            self.cause = cause
        }
    }
}
