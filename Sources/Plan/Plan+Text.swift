/// The plan as plain text, one line per object, like `flux diff`: for terminals and CI logs.
extension Plan {
    public var text: String {
        var out = "Keelson plan: base \(base.prefix(7)) → head \(head.prefix(7))\n"
        for error in errors { out += "✗ \(error)\n" }
        for app in applications where app.change != .unchanged {
            let counts = app.counts
            switch app.change {
            case .error:
                out += "✗ \(app.id): render failed: \(app.error ?? "")\n"
                continue
            case .added, .removed: out += "\(app.id): \(app.change.rawValue)"
            case .changed, .unchanged: out += "\(app.id):"
            }
            out += " +\(counts.added) ~\(counts.changed) −\(counts.removed)\n"
            for warning in app.warnings { out += "  \(warning.message)\n" }
            for object in app.objects {
                out += "  ► \(object.key) \(object.change.rawValue)\n"
                for note in object.notes { out += "    \(note)\n" }
                for warning in object.warnings { out += "    \(warning.message)\n" }
            }
        }
        if !notAffected.isEmpty {
            out += "\(notAffected.count) application\(notAffected.count == 1 ? "" : "s") from other repositories not planned: "
            out += notAffected.joined(separator: ", ") + "\n"
        }
        if let live { out += live.text }
        let summary = self.summary
        out += "\(summary.changed) changed, \(summary.added) added, \(summary.removed) removed, \(summary.unchanged) unchanged"
        out += ", \(summary.errors + errors.count) failed; Secret values masked\n"
        return out
    }
}
