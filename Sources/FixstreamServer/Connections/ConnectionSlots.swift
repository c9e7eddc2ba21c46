/// The connections of one IO loop, by slot, with the epoll tokens that name them.
///
/// A token is the slot plus a generation that changes every time a slot is reused, so an event that was already
/// in flight for a closed connection can never reach the connection that took its slot. Slots are reused (a free
/// list), so the table stays as large as the most connections open at once.
struct ConnectionSlots<Connection> {
    /// Tokens below this are the loop's own (listeners, the stop notifier).
    static var firstToken: UInt64 { 16 }

    private var items: [Connection?] = []
    private var generations: [UInt32] = []
    private var free: [Int] = []
    private var nextGeneration: UInt32 = 1

    /// Every slot number ever used (some empty).
    var indices: Range<Int> { items.indices }

    /// The connection in `slot`, if any; mutations happen in place.
    subscript(slot: Int) -> Connection? {
        get { items[slot] }
        _modify { yield &items[slot] }
    }

    /// Takes a free slot for a new connection and gives its token; ``fill(_:with:)`` or ``release(_:)`` next.
    mutating func reserve() -> (slot: Int, token: UInt64) {
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = items.count
            items.append(nil)
            generations.append(0)
        }
        generations[slot] = nextGeneration
        nextGeneration &+= 1
        return (slot, token(slot))
    }

    /// Puts a connection in a reserved slot.
    mutating func fill(_ slot: Int, with connection: Connection) {
        items[slot] = connection
    }

    /// Empties a slot for reuse.
    mutating func release(_ slot: Int) {
        items[slot] = nil
        free.append(slot)
    }

    /// The token of the connection in `slot`.
    func token(_ slot: Int) -> UInt64 {
        UInt64(generations[slot]) << 32 | (UInt64(slot) + Self.firstToken)
    }

    /// The slot a token names, if its connection is still there.
    func slot(for token: UInt64) -> Int? {
        let slot = Int(token & 0xFFFF_FFFF) - Int(Self.firstToken)
        guard slot >= 0, slot < items.count, items[slot] != nil, generations[slot] == UInt32(token >> 32) else {
            return nil
        }
        return slot
    }
}
