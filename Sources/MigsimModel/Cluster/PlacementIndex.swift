/// The hosts in a tree that finds the best-rated host without rating them
/// all: rolling maintenance of 1,000,000 VMs over 50,001 hosts rated 50,000
/// hosts per migration.
///
/// A segment tree over the host indices keeps, for every range of hosts, the
/// most free memory and the highest upper bound of the rating
/// (``ClusterSimulation/ratingBound(_:)``: the rating with receive and disk
/// bandwidth idle and no migration under way), both of which move only when a
/// host's free memory, CPU demand or updated flag does, which ``HostTable``
/// reports (``HostTable/takeTouched(_:)``). A query explores the ranges best
/// bound first (ties: lower hosts first), skips every range without the
/// memory the VM needs, rates the hosts it reaches exactly, and stops when no
/// range left can beat the best rating found or tie it at a lower index. It
/// returns the host the scan over every host returns (the highest rating,
/// ties to the lower index): a skipped range holds no host with the memory,
/// or none whose rating can reach the best. `Tests/MigsimModelTests/
/// PlacementIndexTests.swift` checks it against the scan.
final class PlacementIndex {
    /// Leaves start here (a power of two >= the hosts).
    private let leaves: Int
    // Only this class's methods reach its arrays, and no call holds an access
    // across another, so the run-time exclusivity checks are left out (as in
    // ``HostTable``): they were a third of a query.
    @exclusivity(unchecked) private var maxFree: [Double]
    @exclusivity(unchecked) private var maxBound: [Double]
    /// Scratch: the tree nodes to explore (a max-heap on bound, then lower range first).
    @exclusivity(unchecked) private var frontier: [Int32] = []
    @exclusivity(unchecked) private var touched: [Int32] = []

    init(hosts: Int, free: (Int) -> Double, bound: (Int) -> Double) {
        var size = 1
        while size < hosts { size <<= 1 }
        leaves = size
        maxFree = [Double](repeating: -.infinity, count: 2 * size)
        maxBound = [Double](repeating: -.infinity, count: 2 * size)
        for h in 0..<hosts {
            maxFree[size + h] = free(h)
            maxBound[size + h] = bound(h)
        }
        var i = size - 1
        while i >= 1 {
            maxFree[i] = max(maxFree[2 * i], maxFree[2 * i + 1])
            maxBound[i] = max(maxBound[2 * i], maxBound[2 * i + 1])
            i -= 1
        }
    }

    /// The host that can take a VM of `memory` bytes (`canTake`) and has a
    /// free slot (`hasSlot`) with the highest `rating`, ties to the lower
    /// index; when there is none, whether some host could take it but has no
    /// free slot (every host with the memory was looked at then). `table`
    /// reports the hosts whose free memory or bound moved since the last query.
    func best(_ table: HostTable, memory: Double, free: (Int) -> Double, bound: (Int) -> Double,
              canTake: (Int) -> Bool, hasSlot: (Int) -> Bool, rating: (Int) -> Double) -> (host: Int?, anyCanTake: Bool) {
        table.takeTouched(&touched)
        for h in touched { update(Int(h), free: free(Int(h)), bound: bound(Int(h))) }
        return best(memory: memory, canTake: canTake, hasSlot: hasSlot, rating: rating)
    }

    /// ``best(_:memory:free:bound:canTake:hasSlot:rating:)`` on the keys as they are.
    func best(memory: Double, canTake: (Int) -> Bool, hasSlot: (Int) -> Bool,
              rating: (Int) -> Double) -> (host: Int?, anyCanTake: Bool) {
        var best = -1, bestRating = -Double.infinity
        var anyCanTake = false
        frontier.removeAll(keepingCapacity: true)
        if maxFree[1] >= memory { push(1) }
        while let node = popFrontier() {
            let b = maxBound[node]
            if b < bestRating { break }
            // A tie can win only at a lower index than the best so far.
            if b == bestRating && first(of: node) > best { continue }
            if node >= leaves {
                let h = node - leaves
                guard canTake(h) else { continue }
                anyCanTake = true
                guard hasSlot(h) else { continue }
                let r = rating(h)
                if r > bestRating || (r == bestRating && h < best) {
                    best = h
                    bestRating = r
                }
                continue
            }
            if maxFree[2 * node] >= memory { push(2 * node) }
            if maxFree[2 * node + 1] >= memory { push(2 * node + 1) }
        }
        return (best >= 0 ? best : nil, anyCanTake)
    }

    /// Sets host `h`'s free memory and rating bound.
    func update(_ h: Int, free: Double, bound: Double) {
        var i = leaves + h
        maxFree[i] = free
        maxBound[i] = bound
        i >>= 1
        while i >= 1 {
            maxFree[i] = max(maxFree[2 * i], maxFree[2 * i + 1])
            maxBound[i] = max(maxBound[2 * i], maxBound[2 * i + 1])
            i >>= 1
        }
    }

    /// The first host of `node`'s range (a node at depth d spans `leaves >> d` leaves).
    @inline(__always) private func first(of node: Int) -> Int {
        let depth = Int.bitWidth - 1 - node.leadingZeroBitCount
        return (node - (1 << depth)) * (leaves >> depth)
    }

    // MARK: The frontier: max-heap on bound, then the lower range first

    @inline(__always) private func above(_ a: Int32, _ b: Int32) -> Bool {
        let ba = maxBound[Int(a)], bb = maxBound[Int(b)]
        return ba > bb || (ba == bb && first(of: Int(a)) < first(of: Int(b)))
    }

    private func push(_ node: Int) {
        let e = Int32(node)
        frontier.append(e)
        var i = frontier.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            guard above(e, frontier[parent]) else { break }
            frontier[i] = frontier[parent]
            i = parent
        }
        frontier[i] = e
    }

    private func popFrontier() -> Int? {
        guard let top = frontier.first else { return nil }
        let last = frontier.removeLast()
        if !frontier.isEmpty {
            var i = 0
            let n = frontier.count
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && above(frontier[child + 1], frontier[child]) { child += 1 }
                guard above(frontier[child], last) else { break }
                frontier[i] = frontier[child]
                i = child
            }
            frontier[i] = last
        }
        return Int(top)
    }
}
