import Foundation
import TillLedger

/// A Unix datagram socket standing in for the system log.
final class DatagramListener {
    let path: String
    private let handle: Int32

    init(path: String) throws {
        self.path = path
        handle = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(handle, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw LedgerError(.invalid, "cannot bind \(path)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(handle)
        unlink(path)
    }

    /// The next line, or nil after 5 s.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(handle, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }
}
