import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension SOPS {
    /// Bounds on a scan of a folder for data keys wrapped by a key service.
    public struct ScanLimits: Sendable, Hashable {
        /// The most files looked at.
        public var maxFiles: Int
        /// The largest file read; larger ones are skipped (a render refuses them anyway).
        public var maxFileBytes: Int

        /// Creates limits that fit any real repository.
        public init(maxFiles: Int = 50_000, maxFileBytes: Int = 8 << 20) {
            self.maxFiles = maxFiles
            self.maxFileBytes = maxFileBytes
        }
    }

    /// The `hc_vault` and `kms` entries of every SOPS file under `directory` (a checkout): what a
    /// render of it may need unwrapped. Only regular files are read (symlinks are neither followed nor
    /// read, so nothing outside the folder is); `.git` is skipped; files that do not parse are
    /// left for the render to report.
    ///
    /// With `path`, only the folder at that relative path is scanned, and only when each of its
    /// components is a real folder (not a symlink): an Application's Vault and AWS credentials then
    /// go only to the services named by files it renders from its own path. A file outside it (a
    /// Kustomize base elsewhere in the repository) is not unwrapped and fails to decrypt, saying so,
    /// rather than sending the credentials to whatever service the rest of the repository names.
    public static func wrappedKeys(inDirectory directory: String, under path: String = ".", limits: ScanLimits = ScanLimits()) -> SOPSWrappedKeys {
        var found = SOPSWrappedKeys()
        var seen = Set<String>()
        var start = ""
        for component in path.split(separator: "/") where component != "." {
            start = start.isEmpty ? String(component) : start + "/" + component
            var info = stat()
            guard component != "..", component != ".git", lstat(directory + "/" + start, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                return SOPSWrappedKeys()
            }
        }
        var pending = [start]
        var files = 0
        while let relative = pending.popLast(), files < limits.maxFiles {
            let folder = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where name != ".git" {
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                if info.st_mode & S_IFMT == S_IFDIR {
                    pending.append(child)
                    continue
                }
                guard info.st_mode & S_IFMT == S_IFREG, let format = Format(path: name), Int(info.st_size) <= limits.maxFileBytes else { continue }
                files += 1
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let bytes = Array(data)
                guard SOPSFileDecrypter.contains(bytes, "hc_vault") || SOPSFileDecrypter.contains(bytes, "kms"),
                    SOPSFileDecrypter.mightBeEncrypted(bytes), let entries = try? wrappedKeys(in: bytes, format: format)
                else { continue }
                found.add(entries, seen: &seen)
            }
        }
        return found
    }
}
