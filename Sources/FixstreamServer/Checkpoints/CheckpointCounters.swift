/// What checkpointing did, for metrics and the summary.
struct CheckpointCounters: Sendable {
    /// Vehicles restored from checkpoints at start.
    var restored = 0
    /// Vehicle states saved.
    var saved = 0
    /// Checkpoints skipped at start as corrupt, and saves that failed (each retried).
    var errors = 0
}
