import KeelsonFoundation

extension ChartLoader {
    /// Loads the chart in the directory `path` under `root` (`""` for the root itself), honouring
    /// its `.helmignore`. Symlinks are followed only while they stay inside the chart directory;
    /// one that leads out of it is refused (Helm would follow it).
    public static func load(directory root: SecureRoot, path: String, limits: Limits = Limits()) throws(ChartError) -> Chart {
        try load(files: try files(directory: root, path: path, limits: limits), limits: limits)
    }

    /// The files of the chart directory `path` as Helm's directory loader reads them (sorted walk,
    /// `.helmignore` and its default rule applied), named from the chart's root.
    public static func files(directory root: SecureRoot, path: String, limits: Limits = Limits()) throws(ChartError) -> [ChartFile] {
        let base = SecureRoot.components(path).joined(separator: "/")
        let chartComponents: [String]
        do throws(SecureRootError) {
            chartComponents = try root.resolve(base.isEmpty ? "." : base)
        } catch {
            throw ChartError(.unreadable, "cannot read chart directory \(path): \(error.message)", path: path)
        }
        var rules = HelmIgnore()
        let ignorePath = base.isEmpty ? ".helmignore" : base + "/.helmignore"
        if (try? root.isDirectory(ignorePath)) == false {
            rules = try HelmIgnore(String(decoding: try read(root, ignorePath, name: ".helmignore"), as: UTF8.self))
        }
        rules.addDefaults()
        var walker = DirectoryWalker(root: root, base: base, chart: chartComponents, rules: rules, limits: limits)
        try walker.walk("", ancestors: [chartComponents])
        return walker.files
    }

    fileprivate static func read(_ root: SecureRoot, _ path: String, name: String) throws(ChartError) -> [UInt8] {
        do throws(SecureRootError) {
            return try root.read(path)
        } catch {
            throw ChartError(error.code == .fileTooLarge ? .tooLarge : .unreadable, "error reading \(name): \(error.message)", path: name)
        }
    }
}

/// Helm's `sympath.Walk` over a chart directory, through a `SecureRoot`.
private struct DirectoryWalker {
    let root: SecureRoot
    /// The chart directory as given, relative to the root.
    let base: String
    /// The chart directory's resolved components.
    let chart: [String]
    let rules: HelmIgnore
    let limits: ChartLoader.Limits
    var files: [ChartFile] = []
    var total = 0

    func full(_ relative: String) -> String {
        if base.isEmpty { return relative.isEmpty ? "." : relative }
        return relative.isEmpty ? base : base + "/" + relative
    }

    /// Walks the directory `relative` (from the chart's root); `ancestors` are the resolved
    /// directories on the way, so a symlink back up is a loop.
    mutating func walk(_ relative: String, ancestors: [[String]]) throws(ChartError) {
        let entries: [SecureRoot.Entry]
        do throws(SecureRootError) {
            entries = try root.list(full(relative))
        } catch {
            throw ChartError(.unreadable, "error reading \(relative.isEmpty ? "." : relative): \(error.message)", path: relative)
        }
        for entry in entries {
            let name = relative.isEmpty ? entry.name : relative + "/" + entry.name
            var type = entry.type
            var resolved: [String] = []
            if type == .symlink || type == .directory {
                do throws(SecureRootError) {
                    resolved = try root.resolve(full(name))
                } catch {
                    if error.code == .notFound, rules.ignores(name, isDirectory: false) { continue }
                    throw ChartError(.unreadable, "chart file \(name) cannot be followed: \(error.message)", path: name)
                }
                guard resolved.starts(with: chart) else {
                    throw ChartError(.unreadable, "chart file \(name) is a symlink leading outside the chart directory", path: name)
                }
                if type == .symlink {
                    type = (try? root.isDirectory(full(name))) == true ? .directory : .file
                }
            }
            switch type {
            case .directory:
                if rules.ignores(name, isDirectory: true) { continue }
                guard !ancestors.contains(resolved) else {
                    throw ChartError(.unreadable, "chart directory \(name) is a symlink to one of its parents", path: name)
                }
                try walk(name, ancestors: ancestors + [resolved])
            case .file:
                if rules.ignores(name, isDirectory: false) { continue }
                let data = try ChartLoader.read(root, full(name), name: name)
                if data.count > limits.maximumFileBytes {
                    throw ChartError(
                        .tooLarge, "chart file \(goQuote(entry.name)) is larger than the maximum file size \(limits.maximumFileBytes)", path: name)
                }
                total += data.count
                if total > limits.maximumTotalBytes {
                    throw ChartError(.tooLarge, "chart exceeds maximum decompressed size of \(limits.maximumTotalBytes) bytes", path: name)
                }
                files.append(ChartFile(name: name, data: ChartLoader.trimmingBOM(data)))
            case .symlink, .other:
                if rules.ignores(name, isDirectory: false) { continue }
                throw ChartError(.unreadable, "cannot load irregular file \(name) as it has file mode type bits set", path: name)
            }
        }
    }
}
