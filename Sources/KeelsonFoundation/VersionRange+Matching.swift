extension VersionRange.Comparison {
    /// Whether `v` satisfies this comparison, with Masterminds semver v3's rules for
    /// wildcards and pre-releases.
    func matches(_ v: SemanticVersion) -> Bool {
        // A pre-release is only considered by comparisons that name a pre-release themselves.
        if v.isPrerelease && !version.isPrerelease { return false }
        let c = version
        switch op {
        case .tildeOrEqual, .equal: return dirty ? tilde(v) : v == c
        case .notEqual: return notEqual(v)
        case .greater: return greater(v)
        case .less: return v < c
        case .greaterOrEqual, .greaterOrEqualAlt: return v >= c
        case .lessOrEqual, .lessOrEqualAlt:
            guard dirty else { return v <= c }
            if v.major > c.major { return false }
            return !(v.major == c.major && v.minor > c.minor && !minorDirty)
        case .tilde, .tildeArrow: return tilde(v)
        case .caret: return caret(v)
        }
    }

    private func notEqual(_ v: SemanticVersion) -> Bool {
        let c = version
        guard dirty else { return v != c }
        if c.major != v.major { return true }
        if c.minor != v.minor && !minorDirty { return true }
        if minorDirty { return false }
        if c.patch != v.patch && !patchDirty { return true }
        if patchDirty { return (v.isPrerelease || c.isPrerelease) && v.prerelease != c.prerelease }
        return v != c
    }

    private func greater(_ v: SemanticVersion) -> Bool {
        let c = version
        guard dirty else { return v > c }
        if v.major != c.major { return v.major > c.major }
        if minorDirty { return false }  // `>1` needs 2.0.0 or more
        if patchDirty { return v.minor > c.minor }  // `>1.1` needs 1.2.0 or more
        return v > c
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`; `~1` is `>=1.0.0 <2.0.0`; `~0.0.0` is anything.
    private func tilde(_ v: SemanticVersion) -> Bool {
        let c = version
        if v < c { return false }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !minorDirty && !patchDirty { return true }
        if v.major != c.major { return false }
        return v.minor == c.minor || minorDirty
    }

    /// `^1.2.3` is `>=1.2.3 <2.0.0`; `^0.2.3` is `>=0.2.3 <0.3.0`; `^0.0.3` is `=0.0.3`.
    private func caret(_ v: SemanticVersion) -> Bool {
        let c = version
        if v < c { return false }
        if c.major > 0 || minorDirty { return v.major == c.major }
        if v.major > 0 { return false }
        if c.minor > 0 || patchDirty { return v.minor == c.minor }
        if v.minor > 0 { return false }
        return v.patch == c.patch
    }
}
