import CSQLite
import Foundation
import Manifests

/// A failure of the sandbox's SQLite persistence.
public struct PersistenceError: Error, Sendable, CustomStringConvertible {
    /// The SQLite result code.
    public var code: Int32
    /// What failed, with SQLite's message.
    public var message: String
    /// The database file.
    public var path: String

    public var description: String { "\(path): \(message) (sqlite code \(code))" }
}

/// The sandbox's objects on disk: one row per object plus the last resourceVersion.
///
/// Used only from `ClusterStore`'s actor isolation, which serialises every call.
final class SQLiteStore: @unchecked Sendable {
    private var db: OpaquePointer?
    let path: String
    /// The database file, open for as long as the store with an exclusive `flock`: one sandbox a
    /// file. (SQLite's own locks are `fcntl` locks, which `flock` does not touch; this descriptor
    /// closes only after SQLite's, as closing any descriptor of the file drops those.)
    private let lock: Int32

    /// Opens (creating if needed) the database at `path`, readable by its owner only; fails when
    /// another sandbox holds it, which would otherwise serve the same objects and watches from a
    /// state that no longer moves.
    init(path: String) throws(PersistenceError) {
        self.path = path
        try Self.createPrivately(path)
        let lock = open(path, O_RDONLY | O_CLOEXEC)
        guard lock >= 0 else {
            throw PersistenceError(code: SQLITE_CANTOPEN, message: "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            let reason =
                errno == EWOULDBLOCK
                ? "another keelson sandbox is serving it; stop that one or pass another --data" : String(cString: strerror(errno))
            // Closed before `self.lock` is set, so the deinit (which runs when an initializer
            // throws after every property is set) cannot close the number a second time.
            close(lock)
            throw PersistenceError(code: SQLITE_BUSY, message: reason, path: path)
        }
        self.lock = lock
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil) == SQLITE_OK
        else { throw failure("cannot open database") }
        try execute(
            """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS objects (storage_id TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                body TEXT NOT NULL, PRIMARY KEY (storage_id, namespace, name));
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """)
    }

    deinit {
        sqlite3_close_v2(db)
        close(lock)
    }

    /// Creates the database file 0600 before SQLite writes a byte (whatever the umask), and
    /// narrows an existing one and any companions left from an earlier run: they hold every
    /// Secret of the sandbox. SQLite gives the `-wal`, `-shm` and `-journal` companions it
    /// creates the database file's mode.
    private static func createPrivately(_ path: String) throws(PersistenceError) {
        // The database may be a symlink the user made; a companion never is.
        for (file, flags) in [(path, O_CREAT)] + ["-wal", "-shm", "-journal"].map({ (path + $0, O_NOFOLLOW) }) {
            let descriptor = open(file, O_RDWR | O_CLOEXEC | flags, 0o600)
            if descriptor < 0 && errno == ENOENT && flags != O_CREAT { continue }
            guard descriptor >= 0 else {
                throw PersistenceError(code: SQLITE_CANTOPEN, message: "cannot open: \(String(cString: strerror(errno)))", path: file)
            }
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else {
                throw PersistenceError(code: SQLITE_PERM, message: "cannot make private: \(String(cString: strerror(errno)))", path: file)
            }
        }
    }

    /// Every stored object and the last resourceVersion handed out.
    func load() throws(PersistenceError) -> (entries: [(storageID: String, object: JSONObject)], revision: Int64) {
        var entries: [(storageID: String, object: JSONObject)] = []
        try query("SELECT storage_id, body FROM objects ORDER BY storage_id, namespace, name", []) { row in
            if let object = (try? JSONParser.parse(row[1], file: path))?.objectValue { entries.append((row[0], object)) }
        }
        var revision: Int64 = 0
        try query("SELECT value FROM meta WHERE key = 'revision'", []) { row in revision = Int64(row[0]) ?? 0 }
        return (entries, revision)
    }

    /// Records one change and the new resourceVersion in a single transaction.
    func record(_ event: WatchEvent) throws(PersistenceError) {
        let object = event.object
        try execute("BEGIN")
        do {
            if event.type == "DELETED" {
                try run(
                    "DELETE FROM objects WHERE storage_id = ? AND namespace = ? AND name = ?",
                    [event.storageID, object.namespace, object.name])
            } else {
                try run(
                    "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)",
                    [event.storageID, object.namespace, object.name, JSONWriter.compact(.object(object))])
            }
            try run("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", [String(event.revision)])
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func execute(_ sql: String) throws(PersistenceError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure("cannot run \(sql.prefix(40))") }
    }

    private func run(_ sql: String, _ arguments: [String]) throws(PersistenceError) {
        try query(sql, arguments) { _ in }
    }

    private func query(_ sql: String, _ arguments: [String], row: ([String]) -> Void) throws(PersistenceError) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("cannot prepare statement") }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, argument) in arguments.enumerated() {
            sqlite3_bind_text(statement, Int32(index + 1), argument, -1, transient)
        }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let columns = (0..<sqlite3_column_count(statement)).map { column in
                    sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
                }
                row(columns)
            case SQLITE_DONE: return
            default: throw failure("cannot step statement")
            }
        }
    }

    private func failure(_ what: String) -> PersistenceError {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
        return PersistenceError(code: db.map { sqlite3_errcode($0) } ?? SQLITE_ERROR, message: "\(what): \(message)", path: path)
    }
}
