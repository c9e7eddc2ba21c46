/// Why the pipeline set a decoded fix aside. Each reason has a stable ``name`` used in metrics and summaries.
public enum FilterReason: UInt8, Sendable, CaseIterable {
    /// Latitude or longitude not a number or out of range.
    case invalid
    /// Exactly 0,0: a receiver's placeholder ("null island"), never a delivery address.
    case zeroCoordinates
    /// Time further in the future than the tolerance allows (a receiver with a broken clock or date).
    case futureTime
    /// The same time as a fix already seen for the vehicle.
    case duplicate
    /// Older than the vehicle's processed history by more than the reorder window allowed to fix up. Late fixes
    /// still reach the stages' `late` hook (position history) but never raise alerts.
    case late
    /// Reaching it from the previous fix would need an implausible speed.
    case implausibleJump
    /// The fix's own accuracy estimate is worse than the threshold.
    case poorAccuracy

    /// Stable name for metrics and summaries.
    public var name: String {
        switch self {
        case .invalid: "invalid"
        case .zeroCoordinates: "zero_coordinates"
        case .futureTime: "future_time"
        case .duplicate: "duplicate"
        case .late: "late"
        case .implausibleJump: "implausible_jump"
        case .poorAccuracy: "poor_accuracy"
        }
    }
}
