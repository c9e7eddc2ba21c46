public import FixstreamWire

/// What an engine call produced: alerts in the order raised, and (with ``PipelineConfig/emitFixes``) the fixes
/// that went through the stages. The caller drains and reuses it.
public struct PipelineOutput {
    /// Alerts raised, in order.
    public var alerts: [Alert] = []
    /// Accepted fixes, in processing order (only with `emitFixes`).
    public var fixes: [Fix] = []
    /// For each of ``fixes``, how many ``alerts`` had been raised before it: lets a writer interleave the two
    /// lists in the order things happened.
    public var alertsBeforeFix: [Int] = []

    /// An empty output.
    public init() {}

    /// Whether nothing was produced.
    public var isEmpty: Bool { alerts.isEmpty && fixes.isEmpty }

    /// Empties both lists, keeping their capacity.
    public mutating func removeAll() {
        alerts.removeAll(keepingCapacity: true)
        fixes.removeAll(keepingCapacity: true)
        alertsBeforeFix.removeAll(keepingCapacity: true)
    }
}
