public import FixstreamStore

extension StoreError.Code {
    /// The file is not a webhook delivery store: not an SQLite database at all, or another application's.
    public static let notADeliveryStore = StoreError.Code("not_a_delivery_store")
}
