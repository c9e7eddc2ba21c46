/// Why the importer left a way out of the road network. Every way read is either kept or counted under exactly one
/// of these.
public enum OSMSkipReason: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// No `highway` tag, or a value motor vehicles do not use (footway, steps, cycleway, track, construction, ...).
    case notARoad = "not_a_road"
    /// `area=yes`: the outline of a square or a car park, not a line to drive along.
    case area = "area"
    /// `access`, `vehicle`, `motor_vehicle` or `motorcar` (the most specific one tagged) forbids a delivery van.
    case noAccess = "no_access"
    /// `oneway=reversible` or `alternating`: the direction changes over the day, so neither can be assumed.
    case reversible = "reversible"
    /// Fewer than two distinct nodes (after dropping a node repeated back to back).
    case tooFewNodes = "too_few_nodes"
    /// No two consecutive nodes of the way have a position in the file (cut off by the extract, deleted, or
    /// rejected); a way with such a pair is kept in pieces instead.
    case missingNodes = "missing_nodes"
    /// The way's id or one of its node references does not parse as an integer.
    case malformed = "malformed"

    /// The stable snake_case name used in summaries.
    public var description: String { rawValue }
}
