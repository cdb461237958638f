import MigsimModel
import MigsimRandom
import XCTest

/// Bad parameters give an error that names the key and what is accepted.
final class ValidationErrorTests: XCTestCase {
    func expectError(_ vm: VMSpec, key: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Fixture.migrate([vm]), file: file, line: line) { e in
            guard let m = e as? ModelError else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertEqual(m.key, key, file: file, line: line)
            XCTAssertTrue(m.description.contains(key) && m.description.contains("accepted"), file: file, line: line)
        }
    }

    func testNegativeRate() {
        expectError(Fixture.vm(memory: Units.GiB, rate: -5), key: "vms[0].workload.rate")
    }

    func testHotSetLargerThanMemory() {
        expectError(Fixture.vm(memory: Units.GiB, rate: 5, hotFraction: 1.5), key: "vms[0].workload.hot_set_fraction")
    }

    func testPageSizeNotAPowerOfTwo() {
        var vm = Fixture.vm(memory: Units.GiB, rate: 5)
        vm.pageSize = 3000
        expectError(vm, key: "vms[0].page_size")
    }

    func testBadHostAndSettings() {
        var vm = Fixture.vm(memory: Units.GiB, rate: 5)
        vm.host = 9
        expectError(vm, key: "vms[0].host")
        var s = Fixture.settings()
        s.timeout = -1
        XCTAssertThrowsError(try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 1)], settings: s)) {
            XCTAssertEqual(($0 as? ModelError)?.key, "migration.timeout")
        }
        XCTAssertThrowsError(try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 1)], cluster: ClusterSpec(hosts: []))) {
            XCTAssertEqual(($0 as? ModelError)?.key, "cluster.hosts")
        }
    }

    func testHostOverpackedWithVMs() {
        var cluster = Fixture.cluster()
        cluster.hosts[0].memoryBytes = 3 * Units.GiB
        let vms = [Fixture.vm(memory: 2 * Units.GiB, rate: 0), Fixture.vm(memory: 2 * Units.GiB, rate: 0)]
        XCTAssertThrowsError(try Fixture.migrate(vms, cluster: cluster)) {
            XCTAssertEqual(($0 as? ModelError)?.key, "cluster.hosts[0].memory")
        }
    }
}
