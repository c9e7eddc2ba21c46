public import FixstreamRoads

/// Which OpenStreetMap ways a delivery van may drive on, and how: road class, direction, speed limit, name.
///
/// Pure: tags in, a verdict out. The rules, checked in this order:
/// 1. `highway` must name a ``RoadClass`` (motor vehicle roads), else ``OSMSkipReason/notARoad``;
/// 2. `area=yes` is ``OSMSkipReason/area``;
/// 3. access: the most specific of `motorcar`, `motor_vehicle`, `vehicle`, `access` whose value decides wins
///    (see ``isRoutable(_:)``); forbidden is ``OSMSkipReason/noAccess``;
/// 4. direction from `oneway`, `junction` and the class (see ``direction(_:roadClass:)``);
///    `oneway=reversible|alternating` is ``OSMSkipReason/reversible``;
/// 5. `maxspeed` (see ``speedLimit(_:)``), `name` and `ref` are copied.
///
/// Not read: conditional restrictions (`*:conditional`), direction-specific limits (`maxspeed:forward`,
/// `maxspeed:backward`), mode-specific one-ways (`oneway:motor_vehicle`), turn restrictions (relations).
public enum OSMTagPolicy {
    /// The way tags the policy reads; the importer keeps only these while reading a way.
    public static let relevantKeys: Set<String> = [
        "highway", "area", "oneway", "junction", "access", "vehicle", "motor_vehicle", "motorcar", "maxspeed",
        "name", "ref",
    ]

    /// Access keys from the most specific to the most general.
    static let accessKeys = ["motorcar", "motor_vehicle", "vehicle", "access"]

    /// Access values that let a delivery van in (it must reach customers behind `destination` and `delivery`).
    static let routableAccess: Set<Substring> = [
        "yes", "permissive", "destination", "delivery", "customers", "designated",
    ]

    /// Access values that keep a delivery van out.
    static let forbiddenAccess: Set<Substring> = [
        "no", "private", "agricultural", "forestry", "emergency", "psv", "bus", "military",
    ]

    /// Decides whether a way with `tags` is kept, and with what.
    public static func verdict(_ tags: [String: String]) -> OSMWayVerdict {
        guard let highway = tags["highway"], let roadClass = RoadClass(highway: highway) else {
            return .skip(.notARoad)
        }
        if tags["area"] == "yes" { return .skip(.area) }
        if !isRoutable(tags) { return .skip(.noAccess) }
        guard let direction = direction(tags, roadClass: roadClass) else { return .skip(.reversible) }
        return .keep(
            OSMRoadTags(
                roadClass: roadClass,
                direction: direction,
                speedLimit: tags["maxspeed"].flatMap(speedLimit),
                name: tags["name"] ?? "",
                ref: tags["ref"] ?? ""
            )
        )
    }

    /// Whether a delivery van may use the way: the most specific access key whose value decides wins.
    ///
    /// A value decides when it (or, for a list `a;b`, any of its parts) is routable (`yes`, `permissive`,
    /// `destination`, `delivery`, `customers`, `designated`) or forbidden (`no`, `private`, `agricultural`,
    /// `forestry`, `emergency`, `psv`, `bus`, `military`); a list with both kinds is routable. Other values
    /// (`unknown`, `discouraged`, typos) leave the decision to the next, more general key. Untagged: routable.
    public static func isRoutable(_ tags: [String: String]) -> Bool {
        for key in accessKeys {
            guard let value = tags[key] else { continue }
            var forbidden = false
            for part in value.split(separator: ";") {
                let part = trimmed(part)
                if routableAccess.contains(part) { return true }
                if forbiddenAccess.contains(part) { forbidden = true }
            }
            if forbidden { return false }
        }
        return true
    }

    /// The directions a motor vehicle may drive, or nil for `oneway=reversible|alternating` (skipped: the
    /// direction changes with the time of day).
    ///
    /// `oneway` = `yes|true|1` is forward, `-1|reverse` backward, `no|false|0` both ways. Without one of these
    /// values, roundabouts (`junction=roundabout|circular`) and motorways (``RoadClass/isImpliedOneway``) are
    /// forward, every other way both.
    public static func direction(_ tags: [String: String], roadClass: RoadClass) -> RoadDirection? {
        switch tags["oneway"] {
        case "yes", "true", "1": return .forward
        case "-1", "reverse": return .backward
        case "no", "false", "0": return .both
        case "reversible", "alternating": return nil
        default: break
        }
        let junction = tags["junction"]
        if junction == "roundabout" || junction == "circular" || roadClass.isImpliedOneway { return .forward }
        return .both
    }

    /// `text` without leading and trailing spaces.
    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
