public import FixstreamPipeline
public import FixstreamRoads
public import FixstreamWire

/// Puts every fix on the road network (online hidden-Markov map matching) and hands the match to the stages after
/// it as ``StageContext/roadMatch``: the edge, the snapped position, the way and the speed limit.
///
/// The live answer is the matcher's best position for the fix on what is known now (lag 0,
/// ``MatchOutput/current``); the matcher still keeps a short lag of lattice fixes so the chain can change its mind
/// about the past (which of two parallel streets), which makes the next live answers better. Confirmed fixes are
/// not used here (`fixstream match` writes them).
///
/// One stage per shard, so one ``RoadMatcher`` (with its search scratch) per shard thread, over a graph shared by
/// all. Per vehicle it keeps a ``MatchState`` (whose buffers are reused from fix to fix) and the last match, for
/// the state API (`"road":{…}` with the way, name, ref, speed limit and snapped position). Late fixes are not
/// matched: the chain only goes forward in time.
///
/// Nothing is checkpointed: after a restart each vehicle starts a new chain with its next fix.
public final class RoadMatchStage: PipelineStage {
    /// The road network.
    public let graph: RoadGraph
    private let matcher: RoadMatcher
    private var states: [MatchState] = []
    /// Per vehicle slot: the last fix's match, if it had one.
    private var latest: [RoadMatch?] = []
    private var output = MatchOutput()

    /// The lag (in lattice fixes) the stage's matcher keeps by default. On the Monaco traces it puts 2.5 to 5.5 %
    /// more live answers on the true road than confirming at once, for 3.6 KB of matching state per vehicle
    /// instead of 1.4 (a lag of 5 gains at most another 1.3 %, for 5 KB).
    public static let defaultLag = 2

    /// A stage matching on `graph` with `config` (its lag applies to the chain kept, not to the live answer).
    public init(graph: RoadGraph, config: MatchConfig = RoadMatchStage.defaultConfig) {
        self.graph = graph
        matcher = RoadMatcher(graph: graph, config: config)
    }

    /// The matcher's defaults with ``defaultLag``.
    public static var defaultConfig: MatchConfig {
        var config = MatchConfig()
        config.lag = defaultLag
        return config
    }

    /// `road-match`; it writes nothing.
    public var checkpointName: String { "road-match" }

    /// Matches the fix and sets ``StageContext/roadMatch``.
    public func process(_ fix: Fix, context: inout StageContext) {
        let slot = context.slot
        if states.count <= slot {
            states.append(contentsOf: repeatElement(MatchState(), count: slot + 1 - states.count))
            latest.append(contentsOf: repeatElement(nil, count: slot + 1 - latest.count))
        }
        // A reported accuracy is one standard deviation; without one, HDOP times a typical range error.
        let accuracy = MatchConfig.accuracy(reported: fix.accuracy.map(Double.init), hdop: fix.hdop.map(Double.init))
        matcher.match(
            sequence: 0,
            time: Double(fix.time.millisecondsSinceEpoch) / 1000,
            latitude: fix.latitude,
            longitude: fix.longitude,
            accuracy: accuracy,
            state: &states[slot],
            output: &output
        )
        guard let position = output.current else {
            latest[slot] = nil
            context.roadMatch = nil
            context.mapStats.unmatched += 1
            return
        }
        let edge = Int(position.edge)
        let match = RoadMatch(
            edge: position.edge,
            offset: position.offset,
            latitude: position.latitude,
            longitude: position.longitude,
            distance: position.distance,
            way: graph.wayID(edge),
            speedLimit: Float(graph.speedLimit(edge) ?? 0)
        )
        latest[slot] = match
        context.roadMatch = match
        context.mapStats.matched += 1
    }

    /// The road of the vehicle's last fix, as `,"road":{"way":…,"name":…,"ref":…,"speed_limit":…,"lat":…,
    /// "lon":…}` (speed limit in m/s; name, ref and limit left out when the road has none).
    public func describe(slot: Int, into view: inout VehicleView) {
        guard slot < latest.count, let match = latest[slot] else { return }
        let edge = Int(match.edge)
        let name = graph.name(edge)
        let ref = graph.ref(edge)
        var json = JSONMembers(into: view.members)
        json.open("road")
        json.number("way", Double(match.way))
        json.string("name", name.isEmpty ? nil : name)
        json.string("ref", ref.isEmpty ? nil : ref)
        json.number("speed_limit", match.speedLimit > 0 ? Double(match.speedLimit) : nil)
        json.coordinate("lat", match.latitude)
        json.coordinate("lon", match.longitude)
        json.close()
        view.members = json.bytes
    }
}
