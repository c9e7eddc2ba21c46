extension Socket {
    /// What one ``Socket/read(_:into:)`` got.
    public enum ReadResult: Hashable, Sendable {
        /// This many bytes (at least 1) are now at the start of the buffer.
        case bytes(Int)
        /// The peer closed its sending side and everything it sent has been read.
        case endOfFile
        /// Nothing to read yet: wait for readability.
        case wouldBlock
        /// The peer reset the connection (`ECONNRESET`); close the socket, and count it if you like.
        case connectionReset
    }
}
