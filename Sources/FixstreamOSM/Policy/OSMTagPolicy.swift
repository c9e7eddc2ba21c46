public import FixstreamRoads

/// Which OpenStreetMap ways a delivery van may drive on, and how: road class, direction, speed limit, name.
///
/// Pure: tags in, a verdict out. The rules, checked in this order:
/// 1. `highway` must name a ``RoadClass`` (motor vehicle roads, tracks included); any other `highway` (footway,
///    pedestrian, path, ...) counts as a service road when `motorcar`, `motor_vehicle` or `vehicle` explicitly
///    lets motor vehicles on; else ``OSMSkipReason/notARoad``;
/// 2. `area=yes` is ``OSMSkipReason/area``;
/// 3. access: the most specific of `motorcar`, `motor_vehicle`, `vehicle`, `access` whose value decides wins
///    (see ``access(_:)``); forbidden is ``OSMSkipReason/noAccess``; restricted (private, destination, delivery,
///    customers) is kept but slow (``RoadWay/isRestricted``): a van delivers there, routes do not pass through;
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

    /// Who may use a way, as far as a delivery van is concerned.
    public enum Access: Sendable, Equatable {
        /// Everyone (untagged, `yes`, `permissive`, `designated`).
        case open
        /// Only traffic with business there (`private`, `destination`, `delivery`, `customers`): a van may be
        /// delivering.
        case restricted
        /// Not a van (`no`, `agricultural`, `forestry`, `emergency`, `psv`, `bus`, `military`).
        case forbidden
    }

    /// Access keys from the most specific to the most general.
    static let accessKeys = ["motorcar", "motor_vehicle", "vehicle", "access"]

    /// Access values open to a delivery van.
    static let openAccess: Set<Substring> = ["yes", "permissive", "designated"]

    /// Access values that let a delivery van in on business only.
    static let restrictedAccess: Set<Substring> = ["private", "destination", "delivery", "customers"]

    /// Access values that keep a delivery van out.
    static let forbiddenAccess: Set<Substring> = [
        "no", "agricultural", "forestry", "emergency", "psv", "bus", "military",
    ]

    /// Decides whether a way with `tags` is kept, and with what.
    public static func verdict(_ tags: [String: String]) -> OSMWayVerdict {
        guard let highway = tags["highway"], let roadClass = roadClass(highway, tags) else {
            return .skip(.notARoad)
        }
        if tags["area"] == "yes" { return .skip(.area) }
        let access = access(tags)
        if access == .forbidden { return .skip(.noAccess) }
        guard let direction = direction(tags, roadClass: roadClass) else { return .skip(.reversible) }
        return .keep(
            OSMRoadTags(
                roadClass: roadClass,
                direction: direction,
                speedLimit: tags["maxspeed"].flatMap(speedLimit),
                name: tags["name"] ?? "",
                ref: tags["ref"] ?? "",
                isRestricted: access == .restricted
            )
        )
    }

    /// The class of a `highway` value; another `highway` (footway, pedestrian, ...) is a service road when a
    /// motor-vehicle key (not the general `access`) explicitly lets motor vehicles on.
    static func roadClass(_ highway: String, _ tags: [String: String]) -> RoadClass? {
        if let roadClass = RoadClass(highway: highway) { return roadClass }
        for key in accessKeys.dropLast() {
            guard let value = tags[key] else { continue }
            let parts = value.split(separator: ";").map(trimmed)
            if parts.contains(where: { openAccess.contains($0) || restrictedAccess.contains($0) }) { return .service }
            if parts.contains(where: { forbiddenAccess.contains($0) }) { return nil }
        }
        return nil
    }

    /// Whether a delivery van may use the way at all (open or restricted access).
    public static func isRoutable(_ tags: [String: String]) -> Bool {
        access(tags) != .forbidden
    }

    /// Who may use the way: the most specific access key whose value decides wins.
    ///
    /// A value decides when it (or, for a list `a;b`, any of its parts) is open, restricted or forbidden; in a
    /// list the most permissive part wins. Other values (`unknown`, `discouraged`, typos) leave the decision to
    /// the next, more general key. Untagged: open.
    public static func access(_ tags: [String: String]) -> Access {
        for key in accessKeys {
            guard let value = tags[key] else { continue }
            var decided: Access?
            for part in value.split(separator: ";") {
                let part = trimmed(part)
                if openAccess.contains(part) { return .open }
                if restrictedAccess.contains(part) { decided = .restricted }
                if forbiddenAccess.contains(part) && decided == nil { decided = .forbidden }
            }
            if let decided { return decided }
        }
        return .open
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
