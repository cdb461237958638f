@testable import MigsimConfig
import MigsimModel
import XCTest

/// Model errors reach the user under schema keys through one table
/// (`Schema.key(for:)`), checked here for every ``ModelField``.
final class ModelFieldKeyTests: XCTestCase {
    /// Every field maps to a key of the schema, so no model error can name a
    /// key `migsim scenario --print-default` does not list.
    func testEveryModelFieldMapsToASchemaKey() {
        for f in ModelField.allCases {
            let key = Schema.key(for: f)
            XCTAssertNotNil(Schema.index[key], "\(f) maps to '\(key)', not a schema key")
        }
        print("model fields: \(ModelField.allCases.count) mapped to schema keys")
    }

    /// A field whose path without indices is itself a schema key (`migration.timeout`,
    /// `vms.page_size`, `cluster.hosts`) maps to exactly that key, so a row of
    /// the table cannot point at a neighbour by mistake.
    func testFieldsSpelledLikeAKeyMapToThatKey() {
        var same = 0
        for f in ModelField.allCases where Schema.index[f.path()] != nil {
            XCTAssertEqual(Schema.key(for: f), f.path(), "\(f)")
            same += 1
        }
        XCTAssertGreaterThan(same, 30, "most fields are spelled like their key")
    }

    /// A model error in a file names the file, the line of the key it maps
    /// to, the key, the model's path and value, and what is accepted.
    func testModelErrorsInAFileNameTheLineOfTheMappedKey() {
        let cases: [(yaml: String, message: String)] = [
            ("vms:\n  count: 2\n  page_size: 4GiB\n  memory: [2GiB]\n",
             "f.yaml: line 3: vms.page_size: vms[0].page_size = 4294967296 is invalid; accepted: at most the VM memory"),
            ("seed: 4\ncluster:\n  rack_uplink: 10Gbps\n",
             "f.yaml: cluster.rack_size: cluster.rack_size = 0 is invalid; accepted: an integer >= 1 when cluster.rack_uplink is set"),
            ("vms:\n  disks: [16TiB]\nmigration:\n  block_size: 4KiB\n",
             "f.yaml: line 2: vms.disks: vms[0].disks = [17592186044416.0] is invalid; accepted: disks of fewer than 4e9 blocks of migration.block_size (4096.0 bytes) in all"),
        ]
        for c in cases {
            XCTAssertThrowsError(try ScenarioFile.parse(c.yaml, source: "f.yaml").scenario(), c.yaml) { e in
                XCTAssertEqual((e as? ConfigError)?.description, c.message)
            }
        }
    }
}
