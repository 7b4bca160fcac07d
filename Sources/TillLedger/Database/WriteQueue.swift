import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Terminals take their turn at the ledger's write lock in the order they asked for it.
///
/// SQLite queues no one: every waiting writer polls, and whoever polls first after a commit
/// wins, so under load one terminal can lose many times running (the stress test saw a post
/// wait 590 ms while the median wait was 20 ms). This queue is a ticket line in a small file
/// beside the ledger (`<ledger>-queue`): a writer takes the next ticket and holds a lock on
/// its ticket's byte until it has committed; the next ticket waits for that byte alone. The
/// locks are the kernel's open-file-description locks, so a terminal killed at any moment
/// lets go of its place and the line moves on.
///
/// The queue only orders writers; SQLite's `BEGIN IMMEDIATE` is still what keeps writes
/// apart. Where the file cannot be opened (a read-only directory), or a lock call fails,
/// writes go straight to SQLite's lock as before.
final class WriteQueue: @unchecked Sendable {
    /// A place in the line: the byte locked until the write is over.
    struct Place {
        fileprivate let slot: Int64
        fileprivate let ticket: Int64
    }

    private static let counterBytes: Int64 = 8
    private static let firstSlot: Int64 = 4_096
    private static let slots: Int64 = 4_096
    // Linux's open-file-description locks (fcntl.h); each `WriteQueue` has its own.
    private static let setLock: Int32 = 37 // F_OFD_SETLK
    private static let setLockWait: Int32 = 38 // F_OFD_SETLKW

    private let descriptor: Int32

    /// `nil`: no queue file (a PostgreSQL ledger: its server's locks keep the order).
    init(ledgerPath: String?) {
        descriptor = ledgerPath.map { open($0 + "-queue", O_RDWR | O_CREAT | O_CLOEXEC, 0o600) } ?? -1
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Takes the next ticket and waits (telling `waits`, which gives up after its limit) until
    /// the ticket before it has written or its terminal has gone. nil: no queue, or gave up
    /// waiting; the write then goes straight to SQLite's lock.
    func enter(waits: LedgerWaits) -> Place? {
        guard descriptor >= 0, lock(F_WRLCK, 0, Self.counterBytes, wait: true) else { return nil }
        var counter: Int64 = 0
        let read = pread(descriptor, &counter, Int(Self.counterBytes), 0)
        let ticket = read == Int(Self.counterBytes) ? Int64(littleEndian: counter) : 0
        var next = (ticket &+ 1).littleEndian
        let written = pwrite(descriptor, &next, Int(Self.counterBytes), 0)
        let place = Place(slot: Self.firstSlot + ticket.magnitudeRemainder(Self.slots), ticket: ticket)
        let holding = written == Int(Self.counterBytes) && lock(F_WRLCK, place.slot, 1, wait: false)
        _ = lock(F_UNLCK, 0, Self.counterBytes, wait: false)
        guard holding else { return nil }

        let before = Self.firstSlot + (ticket &- 1).magnitudeRemainder(Self.slots)
        if ticket > 0, !lock(F_RDLCK, before, 1, wait: false) {
            // Someone is ahead: wait for their byte on another thread, so the wait can be
            // told about after a second and abandoned at the limit.
            // The thread keeps the queue (and its descriptor) alive until the lock call returns.
            let free = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                _ = self.lock(F_RDLCK, before, 1, wait: true)
                _ = self.lock(F_UNLCK, before, 1, wait: false)
                free.signal()
            }
            guard waits.waitInQueue(free) else {
                leave(place)
                return nil
            }
        } else if ticket > 0 {
            _ = lock(F_UNLCK, before, 1, wait: false)
        }
        return place
    }

    /// Whether another writer has taken a ticket after `place` (and so waits for this write):
    /// one read of the ticket counter, for a long write that gives way as soon as anyone asks.
    func isAnyoneBehind(_ place: Place?) -> Bool {
        guard let place else { return false }
        var counter: Int64 = 0
        guard pread(descriptor, &counter, Int(Self.counterBytes), 0) == Int(Self.counterBytes) else { return false }
        return Int64(littleEndian: counter) > place.ticket &+ 1
    }

    /// The write is over (committed or rolled back): the next ticket goes.
    func leave(_ place: Place?) {
        guard let place else { return }
        _ = lock(F_UNLCK, place.slot, 1, wait: false)
    }

    private func lock(_ type: Int32, _ start: Int64, _ length: Int64, wait: Bool) -> Bool {
        var request = Self.request(type, start, length)
        while true {
            if fcntl(descriptor, wait ? Self.setLockWait : Self.setLock, &request) == 0 { return true }
            if errno != EINTR { return false }
        }
    }

    private static func request(_ type: Int32, _ start: Int64, _ length: Int64) -> flock {
        var request = flock()
        request.l_type = Int16(type)
        request.l_whence = Int16(SEEK_SET)
        request.l_start = off_t(start)
        request.l_len = off_t(length)
        request.l_pid = 0 // required for open-file-description locks
        return request
    }
}

private extension Int64 {
    func magnitudeRemainder(_ divisor: Int64) -> Int64 { Int64(magnitude % UInt64(divisor)) }
}
