/// What ``FastestPathSearch/search(from:to:maxSeconds:path:)`` found.
public struct FastestPath: Sendable, Equatable {
    /// Travel time, seconds.
    public var seconds: Double
    /// Distance driven, metres.
    public var metres: Double
    /// The index of the source the path starts from.
    public var source: Int
    /// The index of the target it reaches.
    public var target: Int

    /// Creates a result.
    public init(seconds: Double, metres: Double, source: Int, target: Int) {
        self.seconds = seconds
        self.metres = metres
        self.source = source
        self.target = target
    }
}
