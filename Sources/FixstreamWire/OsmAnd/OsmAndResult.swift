/// What one OsmAnd report decoded to: a fix, or why there is none.
public enum OsmAndResult: Hashable, Sendable {
    /// The report's position, with ``Fix/source`` ``FixSource/osmand``.
    case fix(Fix)
    /// The report was refused; the reason is counted like any decoder's rejects.
    case rejected(RejectReason)

    /// The fix, or `nil` when the report was rejected.
    public var fix: Fix? {
        if case .fix(let fix) = self { return fix }
        return nil
    }

    /// The reject reason, or `nil` when the report gave a fix.
    public var rejectReason: RejectReason? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }
}
