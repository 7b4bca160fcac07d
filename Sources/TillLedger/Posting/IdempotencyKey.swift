/// Idempotency keys live in namespaces, so that no key a person or a script chooses can reach
/// one Till makes for itself: a script's `till pay --key K` is stored as `user:K`, a payment
/// file's line as `import:REFERENCE`, the late-fee run's as `late-fee:ITEM:DATE`, the counter
/// screen's as its run's nonce and draft number. (`till pay --key import:WEB-777` is
/// `user:import:WEB-777`, and cannot make the file's WEB-777 line "posted before".)
public enum IdempotencyKey {
    static let userPrefix = "user:"
    static let internalPrefixes = ["import:", "late-fee:", userPrefix]

    /// A key given by a person or a script.
    public static func user(_ key: String) -> String { userPrefix + key }

    /// The key as its owner wrote it, for messages.
    static func shown(_ key: String) -> String {
        key.hasPrefix(userPrefix) ? String(key.dropFirst(userPrefix.count)) : key
    }

    /// The form a script's key was stored in before namespaces: the bare key, unless that
    /// would be one of Till's own.
    static func legacy(_ key: String) -> String? {
        guard key.hasPrefix(userPrefix) else { return nil }
        let bare = String(key.dropFirst(userPrefix.count))
        return internalPrefixes.contains(where: bare.hasPrefix) ? nil : bare
    }
}
