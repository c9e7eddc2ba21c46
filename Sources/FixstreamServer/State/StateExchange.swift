import FixstreamNet
import Synchronization

/// Carries state questions from the HTTP thread to the shards and their answers back.
///
/// Questions wait in a per-shard mailbox (the shard's doorbell is rung so a sleeping shard answers at once);
/// answers wait in one list, and an eventfd the HTTP thread's epoll watches says some arrived.
final class StateExchange: Sendable {
    struct Question: Sendable {
        let ticket: UInt64
        let query: StateQuery
    }

    struct Reply: Sendable {
        let ticket: UInt64
        let answer: StateAnswer
    }

    final class Mailbox: Sendable {
        let questions = Mutex<[Question]>([])
        let waiting = Atomic<Bool>(false)
    }

    let mailboxes: [Mailbox]
    private let replies = Mutex<[Reply]>([])
    /// Rung when answers arrive.
    let answered: EventNotifier

    init(shards: Int) throws {
        mailboxes = (0 ..< shards).map { _ in Mailbox() }
        answered = try EventNotifier()
    }

    /// HTTP side: asks shard `shard`.
    func ask(_ query: StateQuery, ticket: UInt64, shard: Int, doorbell: Doorbell) {
        mailboxes[shard].questions.withLock { $0.append(Question(ticket: ticket, query: query)) }
        mailboxes[shard].waiting.store(true, ordering: .releasing)
        doorbell.ring()
    }

    /// Shard side: whether questions wait (one atomic load).
    func hasQuestions(shard: Int) -> Bool { mailboxes[shard].waiting.load(ordering: .acquiring) }

    /// Shard side: answers every waiting question with `answer`.
    func answer(shard: Int, _ answer: (StateQuery) -> StateAnswer) {
        mailboxes[shard].waiting.store(false, ordering: .relaxed)
        let questions = mailboxes[shard].questions.withLock { questions -> [Question] in
            defer { questions.removeAll() }
            return questions
        }
        guard !questions.isEmpty else { return }
        let answers = questions.map { Reply(ticket: $0.ticket, answer: answer($0.query)) }
        replies.withLock { $0.append(contentsOf: answers) }
        answered.signal()
    }

    /// HTTP side: the answers so far.
    func takeReplies() -> [Reply] {
        _ = answered.drain()
        return replies.withLock { replies in
            defer { replies.removeAll() }
            return replies
        }
    }
}
