import Foundation
import FoundationNetworking

/// One endpoint's URLSession: signed POSTs out, completions into ``DeliveryControl``.
///
/// Each endpoint has its own session (its own connections and, in swift-corelibs-foundation, its own libcurl
/// multi handle and work queue), so a slow receiver cannot hold up another's transfers. The session is
/// ephemeral: no cookies, no cache, no credentials kept. Redirects are refused, so a 3xx counts as a failure
/// rather than sending alerts somewhere the configuration does not name. Response bodies are discarded as they
/// arrive (a task with a delegate keeps no copy), so a receiver cannot make the sender buffer a large answer.
///
/// Timeouts: `URLRequest.timeoutInterval` is an idle timeout in swift-corelibs-foundation (a receiver that
/// trickles bytes never reaches it), and `timeoutIntervalForResource` is not enforced there; the delivery loop
/// therefore cancels any POST still running after the endpoint's timeout.
///
/// Delegate calls run on a serial queue of the session's own, not on the default delegate queue: that one runs
/// on Dispatch's global pool, shared with Swift concurrency's cooperative threads, and code that blocks those
/// threads (on a 2-core machine, two blocked threads are enough) stalled every response here for seconds until
/// Dispatch added a thread. A serial queue made with a label gets a thread of its own whenever it has work.
final class WebhookSession: Sendable {
    /// The endpoint POSTed to.
    let endpoint: WebhookEndpoint
    private let session: URLSession
    /// Runs the delegate's calls; held here because `OperationQueue.underlyingQueue` does not retain it.
    private let callbackQueue: DispatchQueue

    /// Creates the session; its delegate reports completions to `control` under `lane`.
    init(endpoint: WebhookEndpoint, lane: Int, control: DeliveryControl) {
        self.endpoint = endpoint
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Double(endpoint.timeout.milliseconds) / 1000
        configuration.httpMaximumConnectionsPerHost = 2
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        callbackQueue = DispatchQueue(label: "fixstream.webhooks.\(endpoint.name)")
        let callbacks = OperationQueue()
        callbacks.name = "fixstream.webhooks.\(endpoint.name)"
        callbacks.maxConcurrentOperationCount = 1
        callbacks.underlyingQueue = callbackQueue
        session = URLSession(
            configuration: configuration,
            delegate: SessionDelegate(lane: lane, control: control),
            delegateQueue: callbacks
        )
    }

    /// The `X-Fixstream-Signature` of `body` with the endpoint's secret.
    func sign(_ body: [UInt8]) -> String {
        HMACSHA256.signature(body, secret: endpoint.secret)
    }

    /// Starts one POST of `body` with its signature (see ``sign(_:)``) and a fresh delivery id.
    ///
    /// - Returns: the task (its `taskIdentifier` comes back with the completion; cancel it to give up).
    func post(_ body: [UInt8], signature: String) -> URLSessionDataTask {
        var request = URLRequest(
            url: endpoint.target,
            cachePolicy: .reloadIgnoringLocalCacheData,
            timeoutInterval: Double(endpoint.timeout.milliseconds) / 1000
        )
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("fixstream-webhooks", forHTTPHeaderField: "User-Agent")
        request.setValue(signature, forHTTPHeaderField: "X-Fixstream-Signature")
        request.setValue(UUID().uuidString.lowercased(), forHTTPHeaderField: "X-Fixstream-Delivery")
        request.httpBody = Data(body)
        let task = session.dataTask(with: request)
        task.resume()
        return task
    }

    /// Cancels every task and releases the delegate; the session cannot be used afterwards.
    func invalidate() {
        session.invalidateAndCancel()
    }
}

/// Reports each finished task to the delivery thread and refuses redirects.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    let lane: Int
    let control: DeliveryControl

    init(lane: Int, control: DeliveryControl) {
        self.lane = lane
        self.control = control
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        control.post(
            DeliveryControl.Completion(
                lane: lane,
                task: task.taskIdentifier,
                status: (task.response as? HTTPURLResponse)?.statusCode,
                error: error.map(Self.describe)
            )
        )
    }

    /// libcurl's message when it has one (`Failed to connect to … port …: Couldn't connect to server`), with
    /// the URL error code.
    static func describe(_ error: any Error) -> String {
        let error = error as NSError
        switch error.code {
        case NSURLErrorTimedOut: return "timed out (no data for the endpoint's timeout)"
        case NSURLErrorCancelled: return "cancelled"
        default: return "\(error.localizedDescription) (\(error.domain) \(error.code))"
        }
    }
}
