import FixstreamWire

/// What travels from an IO thread to a shard: a decoded fix and when its bytes were received.
struct IngestItem {
    var fix: Fix
    /// Monotonic clock reading (nanoseconds) taken when the bytes carrying the fix were read.
    var received: UInt64
}
