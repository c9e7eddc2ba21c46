import Synchronization

/// A bounded single-producer, single-consumer queue on atomics: the link from one IO thread to one shard.
///
/// Exactly one thread pushes and exactly one pops. Each side caches the other side's index and reloads it only
/// when the ring looks full (producer) or empty (consumer), so a push or pop in steady state touches one shared
/// cache line with one release store. Capacity is a power of two; a full ring refuses the push and the caller
/// decides (TCP: stop reading the connection; UDP: drop and count).
final class SPSCRing<Element>: @unchecked Sendable {
    // @unchecked: the buffer is shared by design; the head/tail protocol (acquire/release) orders every slot's
    // write before its read, and each cached index is touched by one side only.
    let capacity: Int
    private let mask: Int
    private let buffer: UnsafeMutablePointer<Element>
    /// Next slot to pop; written by the consumer.
    private let head = Atomic<Int>(0)
    private let padding1: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
    /// Next slot to push; written by the producer.
    private let tail = Atomic<Int>(0)
    private let padding2: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
    /// Producer-side: its own tail and the last head it saw.
    private let producer: UnsafeMutablePointer<(tail: Int, head: Int)>
    /// Consumer-side: its own head and the last tail it saw.
    private let consumer: UnsafeMutablePointer<(head: Int, tail: Int)>

    /// Creates a ring holding up to `capacity` elements (rounded up to a power of two, at least 2).
    init(capacity: Int) {
        var size = 2
        while size < capacity { size <<= 1 }
        self.capacity = size
        mask = size - 1
        buffer = .allocate(capacity: size)
        producer = .allocate(capacity: 1)
        producer.initialize(to: (0, 0))
        consumer = .allocate(capacity: 1)
        consumer.initialize(to: (0, 0))
    }

    deinit {
        var index = head.load(ordering: .relaxed)
        let end = producer.pointee.tail  // staged elements too
        while index != end {
            (buffer + (index & mask)).deinitialize(count: 1)
            index &+= 1
        }
        buffer.deallocate()
        producer.deallocate()
        consumer.deallocate()
    }

    /// Producer: appends `element` unless the ring is full. Returns whether it was queued.
    func push(_ element: Element) -> Bool {
        guard stage(element) else { return false }
        publish()
        return true
    }

    /// Producer: appends `element` unless the ring is full, but the consumer sees it only after the next
    /// ``publish()``: a batch then costs the shared tail one store (and the consumer one cache miss) instead of
    /// one per element. Returns whether it was staged.
    @inline(__always)
    func stage(_ element: Element) -> Bool {
        let position = producer.pointee.tail
        if position &- producer.pointee.head >= capacity {
            producer.pointee.head = head.load(ordering: .acquiring)
            if position &- producer.pointee.head >= capacity { return false }
        }
        (buffer + (position & mask)).initialize(to: element)
        producer.pointee.tail = position &+ 1
        return true
    }

    /// Producer: makes every staged element visible to the consumer.
    @inline(__always)
    func publish() {
        tail.store(producer.pointee.tail, ordering: .releasing)
    }

    /// Consumer: moves up to `limit` elements to `body`, oldest first. Returns how many were taken.
    func drain(limit: Int, _ body: (consuming Element) -> Void) -> Int {
        var position = consumer.pointee.head
        if position == consumer.pointee.tail {
            consumer.pointee.tail = tail.load(ordering: .acquiring)
            if position == consumer.pointee.tail { return 0 }
        }
        let available = min(limit, consumer.pointee.tail &- position)
        for _ in 0 ..< available {
            body((buffer + (position & mask)).move())
            position &+= 1
        }
        consumer.pointee.head = position
        head.store(position, ordering: .releasing)
        return available
    }

    /// Producer: how many more elements fit now (staged ones count as queued; the consumer may free more at any
    /// moment).
    var room: Int {
        producer.pointee.head = head.load(ordering: .acquiring)
        return capacity &- (producer.pointee.tail &- producer.pointee.head)
    }

    /// Elements queued (a snapshot; exact only when both sides are idle).
    var count: Int {
        tail.load(ordering: .relaxed) &- head.load(ordering: .relaxed)
    }
}
