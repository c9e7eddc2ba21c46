import FixstreamDeliver
import FixstreamJSON
import FixstreamStore
import Testing

/// The endpoint value and the `webhooks` configuration reader: every key, the defaults, precise refusals.
struct WebhookEndpointTests {
    private func parse(_ text: String) throws -> [WebhookEndpoint] {
        try WebhookEndpoint.parse(try JSONValue.parse(Array(text.utf8)))
    }

    private func refusal(_ text: String) throws -> WebhookError? {
        let value = try JSONValue.parse(Array(text.utf8))
        return #expect(throws: WebhookError.self) { try WebhookEndpoint.parse(value) }
    }

    @Test func readsEveryKey() throws {
        let endpoints = try parse(
            """
            [{"name":"ops","url":"https://hooks.example.com/fixstream","secret":"k3y","vehicle":"van-7",
              "type":"geofence.","fence":"depot","trip":"T1","batch-size":250,"timeout":2.5,"max-age":3600,
              "from":"start"}]
            """
        )
        let ops = try #require(endpoints.first)
        #expect(ops.name == "ops" && ops.url == "https://hooks.example.com/fixstream" && ops.secret == "k3y")
        #expect(ops.filter == JournalFilter(vehicle: "van-7", typePrefix: "geofence.", fence: "depot", trip: "T1"))
        #expect(ops.batchSize == 250 && ops.timeout == .milliseconds(2500) && ops.maxAge == .seconds(3600))
        #expect(ops.from == .start)
    }

    @Test func appliesTheDefaults() throws {
        let endpoints = try parse(
            #"[{"name":"a","url":"http://127.0.0.1:9000/","secret":"s"},{"name":"b","url":"http://h/","secret":"s"}]"#
        )
        #expect(endpoints.map(\.name) == ["a", "b"])
        let a = endpoints[0]
        #expect(a.filter.isEmpty && a.batchSize == 100 && a.timeout == .seconds(10) && a.maxAge == .seconds(86_400))
        #expect(a.from == .latest)
        #expect(try parse("[]").isEmpty)
    }

    @Test func refusesAnUnknownKeyByName() throws {
        let error = try refusal(#"[{"name":"ops","url":"http://h/","secret":"s","batchsize":10}]"#)
        #expect(error?.code == .unknownKey && error?.key == "batchsize" && error?.index == 0)
        #expect(error?.description.hasPrefix(#"webhooks[0] ("ops"): batchsize: unknown key"#) == true)
    }

    @Test(arguments: [
        (#"{"name":"a"}"#, WebhookError.Code.invalidDocument, nil as String?),
        (#"[1]"#, .invalidDocument, nil),
        (#"[{"url":"http://h/","secret":"s"}]"#, .missingKey, "name"),
        (#"[{"name":"a","secret":"s"}]"#, .missingKey, "url"),
        (#"[{"name":"a","url":"http://h/"}]"#, .missingKey, "secret"),
        (#"[{"name":"a","url":"http://h/","secret":""}]"#, .invalidValue, "secret"),
        (#"[{"name":"a b","url":"http://h/","secret":"s"}]"#, .invalidValue, "name"),
        (#"[{"name":"a","url":"ftp://h/","secret":"s"}]"#, .invalidValue, "url"),
        (#"[{"name":"a","url":"/relative","secret":"s"}]"#, .invalidValue, "url"),
        (#"[{"name":"a","url":"http://h/","secret":"s","batch-size":0}]"#, .invalidValue, "batch-size"),
        (#"[{"name":"a","url":"http://h/","secret":"s","batch-size":1001}]"#, .invalidValue, "batch-size"),
        (#"[{"name":"a","url":"http://h/","secret":"s","batch-size":2.5}]"#, .invalidValue, "batch-size"),
        (#"[{"name":"a","url":"http://h/","secret":"s","batch-size":"10"}]"#, .invalidValue, "batch-size"),
        (#"[{"name":"a","url":"http://h/","secret":"s","timeout":0}]"#, .invalidValue, "timeout"),
        (#"[{"name":"a","url":"http://h/","secret":"s","timeout":301}]"#, .invalidValue, "timeout"),
        (#"[{"name":"a","url":"http://h/","secret":"s","max-age":-1}]"#, .invalidValue, "max-age"),
        (#"[{"name":"a","url":"http://h/","secret":"s","from":"oldest"}]"#, .invalidValue, "from"),
        (#"[{"name":"a","url":"http://h/","secret":"s","vehicle":7}]"#, .invalidValue, "vehicle"),
        (#"[{"name":"a","url":"http://h/","secret":"s","type":"a","type":"b"}]"#, .invalidValue, "type"),
        (
            #"[{"name":"a","url":"http://h/","secret":"s"},{"name":"a","url":"http://i/","secret":"t"}]"#,
            .duplicateName, "name"
        ),
    ])
    func refusesWhatDeliveryCouldNotHonour(text: String, code: WebhookError.Code, key: String?) throws {
        let error = try refusal(text)
        #expect(error?.code == code)
        #expect(error?.key == key)
    }

    @Test func theDescriptionNeverShowsTheSecret() throws {
        let endpoint = try WebhookEndpoint(name: "ops", url: "http://h/", secret: "hunter2")
        #expect("\(endpoint)" == "webhook \"ops\" → http://h/")
        #expect(!String(reflecting: endpoint).contains("hunter2"))
    }
}
