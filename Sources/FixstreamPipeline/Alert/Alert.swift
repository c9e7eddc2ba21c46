public import FixstreamWire

/// One alert: what happened, to which vehicle, when (the event time of the fix or timer that caused it) and where.
///
/// Type-specific details (fence id, durations, ETA, ...) travel as ordered ``fields``. Alerts are rare next to
/// fixes, so a small array per alert is fine; the fix path itself allocates nothing.
public struct Alert: Sendable, Equatable {
    /// What happened.
    public var type: AlertType
    /// The vehicle it happened to.
    public var vehicle: VehicleID
    /// Event time: the fix's time, or for timer alerts the moment the rule's deadline passed.
    public var time: Timestamp
    /// Where the vehicle was (its last known position for timer alerts).
    public var latitude: Double
    /// Where the vehicle was.
    public var longitude: Double
    /// Type-specific fields, written in this order after the common ones.
    public var fields: [AlertField]

    /// Creates an alert.
    public init(
        type: AlertType,
        vehicle: VehicleID,
        time: Timestamp,
        latitude: Double,
        longitude: Double,
        fields: [AlertField] = []
    ) {
        self.type = type
        self.vehicle = vehicle
        self.time = time
        self.latitude = latitude
        self.longitude = longitude
        self.fields = fields
    }

    /// The value of the field named `key`, if present.
    public subscript(key: String) -> AlertField.Value? {
        fields.first { $0.key == key }?.value
    }
}

/// A named, typed value attached to an alert.
public struct AlertField: Sendable, Equatable {
    /// A field value; each case has one JSON rendering.
    public enum Value: Sendable, Equatable {
        /// A JSON string (escaped on output).
        case string(String)
        /// A JSON integer.
        case integer(Int64)
        /// A JSON number.
        case number(Double)
        /// A time, written as RFC 3339 UTC with milliseconds.
        case time(Timestamp)
        /// A JSON boolean.
        case bool(Bool)
    }

    /// The JSON member name (plain ASCII, no escaping needed).
    public var key: String
    /// The value.
    public var value: Value

    /// Creates a field.
    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }
}
