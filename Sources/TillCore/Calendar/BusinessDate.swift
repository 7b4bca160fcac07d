/// A calendar date (`YYYY-MM-DD`) with no time zone: the business day a posting
/// belongs to, a due date, a bill date. Day arithmetic uses the proleptic
/// Gregorian calendar by day number, so it never depends on the machine's clock.
public struct BusinessDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(DomainError) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...BusinessDate.daysIn(month: month, year: year)).contains(day) else {
            throw DomainError(.invalidDate, "\(year)-\(month)-\(day) is not a date")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2026-11-22`.
    public init(_ text: String) throws(DomainError) {
        let parts = text.trimmingSpaces().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw DomainError(.invalidDate, "\"\(text)\" is not a date in the form YYYY-MM-DD")
        }
        try self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yearOfEra + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> BusinessDate { BusinessDate(dayNumber: dayNumber + days) }

    /// Same day `months` later, clamped to the month's last day.
    public func adding(months: Int) -> BusinessDate {
        let index = year * 12 + (month - 1) + months
        let y = index / 12
        let m = index % 12 + 1
        let d = Swift.min(day, BusinessDate.daysIn(month: m, year: y))
        return BusinessDate(uncheckedYear: y, month: m, day: d)
    }

    public func days(since other: BusinessDate) -> Int { dayNumber - other.dayNumber }

    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 4) % 7 }
    public var isWeekend: Bool { weekday == 0 || weekday == 6 }

    public var description: String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return String(repeating: "0", count: Swift.max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    public static func < (lhs: BusinessDate, rhs: BusinessDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    private init(uncheckedYear: Int, month: Int, day: Int) {
        self.year = uncheckedYear
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
