import Foundation

/// kubectl-style text for `keelson app` and `keelson rollout`: upper-case headers, columns padded to the widest
/// cell and separated by three spaces, no trailing blanks.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    /// The table as lines ending in a newline.
    func render() -> String {
        let all = [headers] + rows.map { row in (0..<headers.count).map { $0 < row.count ? Self.oneLine(row[$0]) : "" } }
        var widths = Array(repeating: 0, count: headers.count)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "   ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// A cell on one line (newlines and tabs become spaces) and at most 120 characters.
    static func oneLine(_ text: String) -> String {
        let flat = text.map { $0.isNewline || $0 == "\t" ? " " : String($0) }.joined()
        return flat.count > 120 ? String(flat.prefix(119)) + "…" : flat
    }
}
