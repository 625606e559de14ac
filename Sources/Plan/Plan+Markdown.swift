/// The plan as GitHub-flavoured Markdown: a table of the Applications that change, warnings and
/// errors, then a folded diff per object. Deterministic: no times, stable order.
extension Plan {
    /// The body; over `limit` characters, diffs are cut, the largest first, and the body ends
    /// with how many lines `plan.md` holds beyond it.
    public func markdown(limit: Int? = nil) -> String {
        let blocks = objectBlocks()
        let head = markdownHeader()
        let foot = markdownFooter()
        guard let limit else { return head + blocks.map { $0.text(lines: $0.lines.count) }.joined() + foot }
        // Forges count code points: so does the cap.
        func length(_ text: String) -> Int { text.unicodeScalars.count }
        // The largest per-diff line count that fits: the size only grows with it.
        func size(_ cap: Int) -> Int { length(head) + length(foot) + blocks.reduce(0) { $0 + $1.size(lines: cap) } }
        let reserve = 80
        var (low, high) = (0, blocks.map(\.lines.count).max() ?? 0)
        if size(high) <= limit { return head + blocks.map { $0.text(lines: $0.lines.count) }.joined() + foot }
        while low < high {
            let middle = (low + high + 1) / 2
            if size(middle) + reserve <= limit { low = middle } else { high = middle - 1 }
        }
        var body = head
        var omitted = 0
        for block in blocks {
            let shown = min(block.lines.count, low)
            // Blocks that no longer fit at all are left to plan.md.
            if shown == 0 || length(body) + block.size(lines: shown) + length(foot) + reserve > limit {
                omitted += block.lines.count
                continue
            }
            omitted += block.lines.count - shown
            body += block.text(lines: shown)
        }
        let note = "\n… \(omitted) more lines in plan.md\n"
        body += foot
        // A header or live section too large on its own is cut as well.
        if length(body) + length(note) > limit {
            body = String(String.UnicodeScalarView(body.unicodeScalars.prefix(max(0, limit - length(note) - 1)))) + "\n"
        }
        return body + note
    }

    /// The most notes one table row shows.
    static let notesPerRow = 12

    func markdownHeader() -> String {
        let summary = self.summary
        let changing = applications.count - summary.unchanged
        var out = "### Keelson plan: \(changing) of \(applications.count) application\(applications.count == 1 ? "" : "s") "
        out += "change\(changing == 1 ? "s" : "") (base \(base.prefix(7)) → head \(head.prefix(7)))\n\n"
        let listed = applications.filter { $0.change != .unchanged }
        if !listed.isEmpty {
            out += "| application | + | ~ | − | notes |\n|---|---|---|---|---|\n"
            for app in listed {
                let counts = app.counts
                var notes = app.change == .changed ? [] : [app.change.rawValue]
                notes += app.warnings.map(\.message) + app.objects.flatMap { $0.warnings.map(\.message) + $0.notes }
                if notes.count > Self.notesPerRow { notes = notes.prefix(Self.notesPerRow) + ["\(notes.count - Self.notesPerRow) more in plan.md"] }
                out += "| \(cell(app.id)) | \(counts.added) | \(counts.changed) | \(counts.removed) | \(cell(notes.joined(separator: " · "))) |\n"
            }
            out += "\n"
        }
        for app in applications where app.change == .error {
            out += "- ❌ **\(Self.inline(app.id)) · render failed: \(Self.inline(app.error ?? ""))**\n"
        }
        for error in errors { out += "- ❌ **\(Self.inline(error))**\n" }
        if listed.contains(where: { $0.change == .error }) || !errors.isEmpty { out += "\n" }
        return out
    }

    func markdownFooter() -> String {
        var parts: [String] = []
        let live = self.live.map { "\n" + $0.markdown } ?? ""
        let unchanged = summary.unchanged
        parts.append("\(unchanged) application\(unchanged == 1 ? "" : "s") unchanged")
        if !notAffected.isEmpty { parts.append("\(notAffected.count) from other repositories") }
        parts.append("Secret values masked")
        return live + parts.joined(separator: " · ") + "\n"
    }

    /// One folded diff per changed object, in plan order.
    func objectBlocks() -> [MarkdownBlock] {
        applications.flatMap { app in
            app.objects.map { object in
                MarkdownBlock(
                    summary: "\(app.id) · \(object.key.kind) \(PlanRules.name(object.key)) \(object.change.rawValue)",
                    lines: object.diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast(object.diff.hasSuffix("\n") ? 1 : 0)
                        .map(String.init))
            }
        }
    }

    /// A table cell: one line, pipes and HTML escaped.
    private func cell(_ text: String) -> String { Self.inline(text).replacing("|", with: "\\|") }

    /// Text from the change (names, images, error messages) as one line of Markdown that can
    /// start no HTML: a pull request must not be able to inject markup or hide the plan.
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

/// A `<details>` block holding one object's diff.
struct MarkdownBlock: Sendable {
    var summary: String
    var lines: [String]

    /// A fence longer than any run of backticks in the diff, so no line can close it.
    var fence: String {
        var longest = 0
        for line in lines {
            var run = 0
            for character in line {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// The block with its first `lines` diff lines.
    func text(lines shown: Int) -> String {
        let summary = Plan.inline(self.summary)
        var out = "<details><summary>\(summary)</summary>\n\n\(fence)diff\n"
        for line in lines.prefix(shown) { out += line + "\n" }
        if shown < lines.count { out += "… \(lines.count - shown) more lines in plan.md\n" }
        return out + fence + "\n</details>\n\n"
    }

    /// The size of `text(lines:)` in code points, or 0 when no line is shown (the block is left out).
    func size(lines cap: Int) -> Int {
        let shown = min(cap, lines.count)
        guard shown > 0 else { return 0 }
        return text(lines: shown).unicodeScalars.count
    }
}
