extension ChartLoader {
    /// Loads a chart from the bytes of a `.tgz` archive, with Helm's archive rules: entries sit
    /// under one top-level folder, `..` and absolute names are refused, and sizes are capped.
    public static func load(archive: [UInt8], limits: Limits = Limits()) throws(ChartError) -> Chart {
        try load(archive: archive, limits: limits, depth: 0)
    }

    /// The files of a chart archive, named from the chart's root (the top-level folder removed).
    public static func files(archive: [UInt8], limits: Limits = Limits()) throws(ChartError) -> [ChartFile] {
        // Tar headers and padding take room beyond the files' own bytes.
        let tarBytes = limits.maximumTotalBytes + 1024 * (limits.maximumEntries + 2)
        let tar = try Gunzip.decompress(archive, maximumBytes: tarBytes)
        var remaining = limits.maximumTotalBytes
        var files: [ChartFile] = []
        for entry in try TarReader(maximumEntries: limits.maximumEntries).entries(tar) {
            let delimiter: Character = entry.name.contains("\\") ? "\\" : "/"
            let parts = entry.name.split(separator: delimiter, omittingEmptySubsequences: false).map(String.init)
            let joined = parts.dropFirst().joined(separator: "/")
            if joined.hasPrefix("/") { throw ChartError(.invalidArchive, "chart illegally contains absolute paths", path: entry.name) }
            let name = cleanPath(joined)
            if name == "." {
                throw ChartError(
                    .invalidArchive, "chart illegally contains content outside the base directory: \(goQuote(entry.name))", path: entry.name)
            }
            if name.hasPrefix("..") { throw ChartError(.invalidArchive, "chart illegally references parent directory", path: entry.name) }
            if name.count >= 3, name.first!.isASCII, name.first!.isLetter, name.dropFirst().hasPrefix(":/") {
                throw ChartError(.invalidArchive, "chart contains illegally named files", path: entry.name)
            }
            if parts[0] == "Chart.yaml" { throw ChartError(.invalidArchive, "chart yaml not in base directory", path: entry.name) }
            if entry.data.count > limits.maximumFileBytes {
                throw ChartError(
                    .tooLarge, "decompressed chart file \(goQuote(entry.name)) is larger than the maximum file size \(limits.maximumFileBytes)",
                    path: entry.name)
            }
            remaining -= entry.data.count
            if remaining < 0 {
                throw ChartError(.tooLarge, "decompressed chart is larger than the maximum size \(limits.maximumTotalBytes)")
            }
            files.append(ChartFile(name: name, data: trimmingBOM(Array(entry.data))))
        }
        if files.isEmpty { throw ChartError(.invalidArchive, "no files in chart archive") }
        return files
    }

    static func load(archive: [UInt8], limits: Limits, depth: Int) throws(ChartError) -> Chart {
        try load(files: try files(archive: archive, limits: limits), limits: limits, depth: depth)
    }

    /// Go's `path.Clean`: `.` and empty components dropped, `..` folded, the result `.` when empty.
    static func cleanPath(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", let last = out.last, last != ".." {
                out.removeLast()
            } else if part == "..", rooted {
                continue
            } else {
                out.append(part)
            }
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
