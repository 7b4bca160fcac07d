extension Money {
    /// `$1,234.56`, `-$5.00`.
    public var formatted: String {
        let negative = cents < 0
        // Int64.min has no positive counterpart; work in UInt64.
        let magnitude = cents.magnitude
        let dollars = magnitude / 100
        let remainder = magnitude % 100
        let fraction = remainder < 10 ? "0\(remainder)" : "\(remainder)"
        return (negative ? "-$" : "$") + Money.groupThousands(dollars) + "." + fraction
    }

    /// Plain decimal without symbol or grouping, for files: `1234.56`, `-5.00`.
    public var decimalString: String {
        let magnitude = cents.magnitude
        let remainder = magnitude % 100
        let fraction = remainder < 10 ? "0\(remainder)" : "\(remainder)"
        return (cents < 0 ? "-" : "") + "\(magnitude / 100).\(fraction)"
    }

    static func groupThousands(_ value: UInt64) -> String {
        let digits = Array(String(value).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + digits.count / 3)
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
