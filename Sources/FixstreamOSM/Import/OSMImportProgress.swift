/// How far an import has got, reported every ``OSMImporter/progressInterval`` while reading.
public struct OSMImportProgress: Sendable, Equatable {
    /// Bytes of the file read so far (the parser reads ahead of what it has parsed by at most a chunk).
    public var bytesRead: Int
    /// The file's size in bytes, or nil when unknown (a pipe).
    public var totalBytes: Int?
    /// Nodes read so far.
    public var nodes: Int
    /// Ways read so far (kept or not).
    public var ways: Int
    /// Ways kept so far.
    public var waysKept: Int
    /// Seconds since the import started.
    public var seconds: Double

    /// Creates a progress report.
    public init(bytesRead: Int, totalBytes: Int?, nodes: Int, ways: Int, waysKept: Int, seconds: Double) {
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.nodes = nodes
        self.ways = ways
        self.waysKept = waysKept
        self.seconds = seconds
    }
}
