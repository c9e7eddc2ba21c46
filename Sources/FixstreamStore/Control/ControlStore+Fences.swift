public import FixstreamGeo
import FixstreamJSON

extension ControlStore {
    /// Imports a GeoJSON document of fences, all or nothing; fences with the ids of stored ones replace them,
    /// other stored fences stay.
    ///
    /// The whole document is checked with ``FixstreamGeo/GeoJSONFences/parse(_:)`` first; on any problem nothing
    /// is written. Then each feature's JSON is stored in one transaction.
    ///
    /// - Parameter geojson: a FeatureCollection, a Feature or an array of Features (UTF-8 JSON).
    /// - Returns: the ids imported, in document order.
    /// - Throws: ``FixstreamGeo/FenceError`` naming the feature at fault; ``StoreError`` when writing fails.
    /// - Complexity: O(n) in the document; one transaction.
    @discardableResult
    public func importFences(_ geojson: [UInt8]) throws -> [String] {
        let fences = try GeoJSONFences.parse(geojson)
        // The document parsed just above, so parsing it again cannot fail; the features come in the same order.
        let features = Self.features(of: try JSONValue.parse(geojson))
        precondition(features.count == fences.count, "GeoJSONFences.parse and ControlStore disagree on features")
        let now = clock()
        try database.transaction {
            let upsert = try database.prepare(Self.upsertFence)
            for (fence, feature) in zip(fences, features) {
                try Self.upsert(fence, feature: feature, at: now, with: upsert)
            }
        }
        return fences.map(\.id)
    }

    /// Stores one fence under `id`, replacing a stored fence with that id.
    ///
    /// - Parameters:
    ///   - id: the fence id; it must equal the feature's `properties.id`.
    ///   - featureJSON: one GeoJSON Feature (UTF-8 JSON).
    /// - Returns: the fence as stored.
    /// - Throws: ``FixstreamGeo/FenceError`` when the feature is invalid or carries another id
    ///   (``FixstreamGeo/FenceError/Code/idMismatch``); ``StoreError`` when writing fails.
    @discardableResult
    public func putFence(id: String, featureJSON: [UInt8]) throws -> Fence {
        let feature: JSONValue
        do throws(JSONParseError) {
            feature = try JSONValue.parse(featureJSON)
        } catch {
            throw FenceError(.invalidJSON, "invalid JSON: \(error)", featureID: id, cause: error)
        }
        let fence = try GeoJSONFences.parseFeature(feature)
        guard fence.id.utf8.elementsEqual(id.utf8) else {  // byte for byte, as SQLite compares keys
            throw FenceError(
                .idMismatch,
                "properties.id is \"\(fence.id)\" but the fence is being stored as \"\(id)\"",
                featureID: id
            )
        }
        let now = clock()
        try database.transaction {
            try Self.upsert(fence, feature: feature, at: now, with: try database.prepare(Self.upsertFence))
        }
        return fence
    }

    /// Deletes the fence with `id`.
    ///
    /// - Returns: whether there was one.
    /// - Throws: ``StoreError`` when the delete fails.
    @discardableResult
    public func deleteFence(id: String) throws(StoreError) -> Bool {
        let statement = try database.prepare("DELETE FROM fences WHERE id = ?")
        try statement.bind(id, at: 1)
        try statement.run()
        return database.changes > 0
    }

    /// Every stored fence, ordered by id.
    ///
    /// - Throws: ``StoreError`` when reading fails.
    public func fences() throws(StoreError) -> [StoredFence] {
        let statement = try database.prepare("SELECT id, name, feature, updated_at FROM fences ORDER BY id")
        var result: [StoredFence] = []
        while try statement.step() == .row {
            result.append(
                StoredFence(
                    id: statement.string(at: 0) ?? "",
                    name: statement.string(at: 1),
                    feature: statement.string(at: 2) ?? "",
                    updatedAt: statement.int64(at: 3)
                )
            )
        }
        return result
    }

    /// Every stored fence parsed back into a ``FixstreamGeo/Fence``, ordered by id: what a server loads at start.
    ///
    /// - Returns: the fences, ready for a ``FixstreamGeo/FenceIndex``.
    /// - Throws: ``StoreError`` with ``StoreError/Code/corruptRow`` naming the fence whose stored feature no
    ///   longer parses; ``StoreError`` when reading fails.
    public func loadFences() throws(StoreError) -> [Fence] {
        var result: [Fence] = []
        for stored in try fences() {
            do {
                let fence = try GeoJSONFences.parseFeature(try JSONValue.parse(Array(stored.feature.utf8)))
                guard fence.id == stored.id else {
                    throw FenceError(.idMismatch, "properties.id is \"\(fence.id)\"")
                }
                result.append(fence)
            } catch {
                throw StoreError(.corruptRow, "stored fence \"\(stored.id)\" is invalid: \(error)")
            }
        }
        return result
    }

    // MARK: Helpers

    static let upsertFence = """
        INSERT INTO fences (id, name, feature, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, feature = excluded.feature, updated_at = excluded.updated_at
        """

    private static func upsert(
        _ fence: Fence,
        feature: JSONValue,
        at time: Int64,
        with statement: Statement
    ) throws(StoreError) {
        try statement.bind(fence.id, at: 1)
        try statement.bind(fence.name, at: 2)
        try statement.bind(feature.serializedText, at: 3)
        try statement.bind(time, at: 4)
        try statement.run()
    }

    /// The feature values of a document, the way ``FixstreamGeo/GeoJSONFences/parse(_:)`` finds them.
    private static func features(of document: JSONValue) -> [JSONValue] {
        if let array = document.array { return array }
        if document["type"]?.string == "FeatureCollection" { return document["features"]?.array ?? [] }
        return [document]
    }
}
