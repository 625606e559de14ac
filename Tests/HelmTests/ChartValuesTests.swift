import Foundation
import GoTemplate
import KeelsonTesting
import Testing

@testable import Helm

/// Each case: a chart tree and user values; every chart's `.Values` (or the error) must be what
/// the real `helm template` gives.
@Suite struct ChartValuesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        var user: String = ""
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Defaults under user values; subchart values scoped under its name; globals copied down
        // and merged, the parent's winning over the subchart's own.
        Case(
            name: "globals and scoping",
            files: chartFiles(
                "p", "apiVersion: v2\nname: p\nversion: 1.0.0\n", values: "global:\n  env: prod\n  nested: {a: 1}\nsub:\n  x: 1\nown: 1\n"
            )
            .merging(
                chartFiles(
                    "p/charts/sub", "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
                    values: "global:\n  env: dev\n  only: sub\n  nested: {b: 2}\nx: 0\nz: 2\nlist: [1, 2]\n")
            ) { a, _ in a },
            user: "global:\n  user: 1\nsub:\n  z: 3\n  list: [9]\n"),
        // A null in user values deletes a default key, at the top and inside tables.
        Case(
            name: "null deletes defaults",
            files: chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n", values: "a: 1\nb:\n  c: 1\n  d: 2\nkeep: null\n")
                .merging(chartFiles("p/charts/sub", "apiVersion: v2\nname: sub\nversion: 1.0.0\n", values: "n: null\nm: {k: null, j: 1}\nz: 1\n")) {
                    a, _ in a
                },
            user: "a: null\nb:\n  c: null\nnew: null\nsub:\n  z: null\n"),
        // A scalar over a table and a table over a scalar: the user's value stays.
        Case(
            name: "tables versus scalars",
            files: chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n", values: "t: {a: 1}\ns: 5\nu: {v: {w: 1}}\n"),
            user: "t: 5\ns: {a: 1}\nu: {v: 2}\n"),
        // Conditions (first path resolving to a bool wins) and tags (any true tag enables).
        Case(
            name: "conditions and tags",
            files: chartFiles(
                "p",
                """
                apiVersion: v2
                name: p
                version: 1.0.0
                dependencies:
                - {name: one, version: 1.0.0, condition: "one.enabled,global.one"}
                - {name: two, version: 1.0.0, condition: "two.notbool,two.enabled"}
                - {name: three, version: 1.0.0, tags: [front]}
                - {name: four, version: 1.0.0, tags: [a, b]}
                - {name: five, version: 1.0.0, condition: missing.path, tags: [a]}
                """, values: "one: {enabled: true}\ntwo: {notbool: yes please, enabled: false}\ntags: {front: false, a: false, b: true}\n"
            )
            .merging(chartFiles("p/charts/one", "apiVersion: v2\nname: one\nversion: 1.0.0\n", values: "o: 1\n")) { a, _ in a }
            .merging(chartFiles("p/charts/two", "apiVersion: v2\nname: two\nversion: 1.0.0\n")) { a, _ in a }
            .merging(chartFiles("p/charts/three", "apiVersion: v2\nname: three\nversion: 1.0.0\n")) { a, _ in a }
            .merging(chartFiles("p/charts/four", "apiVersion: v2\nname: four\nversion: 1.0.0\n")) { a, _ in a }
            .merging(chartFiles("p/charts/five", "apiVersion: v2\nname: five\nversion: 1.0.0\n")) { a, _ in a },
            user: "one: {enabled: false}\nglobal: {one: true}\n"),
        // The same chart twice under two aliases, each with its own values.
        Case(
            name: "aliases",
            files: chartFiles(
                "p",
                """
                apiVersion: v2
                name: p
                version: 1.0.0
                dependencies:
                - {name: lib, version: "^1.0.0", alias: first}
                - {name: lib, version: ">=1", alias: second, condition: second.on}
                """, values: "first: {v: 1}\nsecond: {on: true}\n"
            ).merging(chartFiles("p/charts/lib", "apiVersion: v2\nname: lib\nversion: 1.2.0\n", values: "v: 0\nw: 0\n")) { a, _ in a },
            user: "second: {w: 2}\n"),
        // import-values in both forms; the parent's own values win over imported ones.
        Case(
            name: "import values",
            files: chartFiles(
                "p",
                """
                apiVersion: v2
                name: p
                version: 1.0.0
                dependencies:
                - name: sub
                  version: 1.0.0
                  import-values:
                  - data
                  - {child: deep.table, parent: imported.here}
                  - {child: missing, parent: nowhere}
                """, values: "fromExports: parent\n"
            ).merging(
                chartFiles(
                    "p/charts/sub", "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
                    values: "exports:\n  data:\n    fromExports: child\n    other: 1\ndeep:\n  table: {k: v}\n")
            ) { a, _ in a }),
        // A grandchild's condition is read under its parent's path, and globals reach it.
        Case(
            name: "nested subcharts",
            files: chartFiles(
                "p", "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n- {name: mid, version: 1.0.0}\n", values: "global: {g: 1}\n"
            )
            .merging(
                chartFiles(
                    "p/charts/mid",
                    "apiVersion: v2\nname: mid\nversion: 1.0.0\ndependencies:\n- {name: leaf, version: 1.0.0, condition: leaf.enabled}\n- {name: off, version: 1.0.0, condition: off.enabled}\n",
                    values: "leaf: {enabled: true}\noff: {enabled: true}\n")
            ) { a, _ in a }
            .merging(chartFiles("p/charts/mid/charts/leaf", "apiVersion: v2\nname: leaf\nversion: 1.0.0\n", values: "l: 1\n")) { a, _ in a }
            .merging(chartFiles("p/charts/mid/charts/off", "apiVersion: v2\nname: off\nversion: 1.0.0\n")) { a, _ in a },
            user: "mid:\n  off:\n    enabled: false\n"),
        // An entry without a version matches no subchart: the subchart stays under its own name,
        // the alias unused; a library subchart still contributes its values; a subchart's own
        // kubeVersion is not checked.
        Case(
            name: "unversioned alias and library subchart",
            files: chartFiles(
                "p", "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n- {name: s, alias: renamed}\n- {name: lib, version: 1.0.0}\n"
            )
            .merging(chartFiles("p/charts/s", "apiVersion: v2\nname: s\nversion: 1.0.0\nkubeVersion: \">=1.99\"\n")) { a, _ in a }
            .merging([
                "p/charts/lib/Chart.yaml": "apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n", "p/charts/lib/values.yaml": "a: 1\n",
            ]) { a, _ in a }),
        // An apiVersion v1 chart takes its dependencies from requirements.yaml.
        Case(
            name: "v1 requirements",
            files: chartFiles(
                "p", "name: p\nversion: 1.0.0\n", extra: ["requirements.yaml": "dependencies:\n- {name: s, version: 1.0.0, condition: s.enabled}\n"]
            )
            .merging(chartFiles("p/charts/s", "apiVersion: v1\nname: s\nversion: 1.0.0\n", values: "enabled: true\n")) { a, _ in a },
            user: "s:\n  enabled: false\n"),
        // A subchart's values that are not a table fail as Helm fails.
        Case(
            name: "subchart values not a table",
            files: chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n")
                .merging(chartFiles("p/charts/sub", "apiVersion: v2\nname: sub\nversion: 1.0.0\n")) { a, _ in a },
            user: "sub: 5\n"),
        // A list where a subchart's table belongs: Go's %t of each element.
        Case(
            name: "subchart values a list",
            files: chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n")
                .merging(chartFiles("p/charts/sub", "apiVersion: v2\nname: sub\nversion: 1.0.0\n")) { a, _ in a },
            user: "sub: [1, x]\n"),
    ]

    @Test(arguments: cases)
    func valuesMatchHelm(_ testCase: Case) async throws {
        var files = testCase.files
        files["user.yaml"] = testCase.user
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        let helm = try await HelmRun.values(fixture.path("p"), ["-f", fixture.path("user.yaml")])
        let ours = try fixture.keelsonValues("p", user: try ChartYAML.values(testCase.user))
        #expect(ours.error == helm.error?.components(separatedBy: "\n").first)
        #expect(ours.values.keys.sorted() == helm.values.keys.sorted())
        for (path, values) in helm.values { #expect(ours.values[path] == values, "\(path)") }
    }
}

@Suite struct ChartValuesWarningTests {
    // The warnings Helm logs when user values and defaults disagree on tables and scalars.
    @Test func warningsMatchHelm() async throws {
        var files = chartFiles("w", "apiVersion: v2\nname: w\nversion: 1.0.0\n", values: "t: {a: 1}\ns: 5\nu: {v: {w: 1}}\nglobal: {g: {a: 1}}\n")
        files.merge(chartFiles("w/charts/s", "apiVersion: v2\nname: s\nversion: 1.0.0\n", values: "global: {g: 5}\nk: {a: 1}\n")) { a, _ in a }
        let user = "t: 5\ns: {a: 1}\nu: {v: 2}\n"
        files["user.yaml"] = user
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        let result = try await HelmReference.run(["template", "rel", fixture.path("w"), "-f", fixture.path("user.yaml")])
        let helmWarnings = Set(
            result.errorOutput.split(separator: "\n").compactMap { line -> String? in
                guard let start = line.range(of: "msg=\"") else { return nil }
                return String(line[start.upperBound...].dropLast())
            })
        let prepared = try ChartValues.prepare(chart: try fixture.load("w"), user: try ChartYAML.values(user))
        #expect(Set(prepared.warnings) == helmWarnings)
        #expect(!helmWarnings.isEmpty)
    }
}
