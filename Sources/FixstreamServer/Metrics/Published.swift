import Synchronization

/// A value one thread owns and updates privately, copied out now and then for others to read.
///
/// Hot loops count into plain local structs; every ~100 ms (and when they go idle or stop) they publish a copy
/// here. Readers (the metrics endpoint, shutdown summaries) take the latest copy under a lock that the owner
/// holds only for that copy.
final class Published<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ initial: Value) {
        value = Mutex(initial)
    }

    /// Owner: replaces the published copy.
    func publish(_ newValue: Value) {
        value.withLock { $0 = newValue }
    }

    /// Reader: the latest published copy.
    func read() -> Value {
        value.withLock { $0 }
    }
}
