/// Why a checkpoint could not be read: it ends early, holds a value that cannot be (garbage), or was written in
/// a format version this build does not know.
///
/// `code` is stable for programs; `message` is for people; `offset` is the byte of the checkpoint where reading
/// failed, and `stage` the stage whose part it was, when it was one.
public struct CheckpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The checkpoint ends before the value being read.
        public static let truncated = Code("truncated")
        /// A value is out of its range (a flag that is not 0 or 1, an unknown enum case, a count larger than what
        /// follows, bytes after the end, ...).
        public static let malformed = Code("malformed")
        /// A format version this build does not read (written by a newer build, or garbage).
        public static let unsupportedVersion = Code("unsupported_version")
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// The byte offset in the checkpoint where reading failed.
    public var offset: Int
    /// The stage whose part of the checkpoint failed (its ``PipelineStage/checkpointName``), if it was one.
    public var stage: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, offset: Int, stage: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.stage = stage
    }

    /// `malformed at byte 12 (stage geofence): …`.
    public var description: String {
        "\(code) at byte \(offset)" + (stage.map { " (stage \($0))" } ?? "") + ": " + message
    }
}
