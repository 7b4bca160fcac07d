import Dispatch
import GRDBSQLite
import Synchronization

/// A passive checkpoint of the write-ahead log, run on a thread and a connection of its own
/// while the writer goes on. A passive checkpoint takes no write lock: it copies the frames no
/// reader still needs into the ledger file and syncs it, and the next write restarts the log
/// once every frame is copied. One runs at a time; a request while one runs is dropped (the
/// log is looked at again after the next write).
///
/// The connection is opened for each checkpoint and closed after it, so the ledger's last
/// connection to close is still the one that checkpoints and removes the log.
final class BackgroundCheckpoint: Sendable {
    private let path: String
    private let running = Mutex(false)
    private let done = DispatchGroup()

    init(path: String) {
        self.path = path
    }

    func start() {
        let starts = running.withLock { running -> Bool in
            if running { return false }
            running = true
            return true
        }
        guard starts else { return }
        let path = path
        done.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            Self.checkpoint(path)
            running.withLock { $0 = false }
            done.leave()
        }
    }

    /// Waits for a checkpoint under way (a ledger closing, a test).
    func wait() {
        done.wait()
    }

    deinit {
        done.wait()
    }

    private static func checkpoint(_ path: String) {
        var connection: OpaquePointer?
        defer { sqlite3_close_v2(connection) }
        // No URI, no creation: the ledger exists, and a moved file is not made again.
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              sqlite3_exec(connection, "PRAGMA synchronous = FULL", nil, nil, nil) == SQLITE_OK else { return }
        // Waits for nothing: a busy log is left for the next time.
        _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
