import MigsimKernel

/// A bandwidth resource (NIC direction, uplink, disk, SAN) of one ``FlowNetwork``.
///
/// Resources are numbered densely from 0 in the order they were added and are
/// never removed, so an id is an index into the network's per-resource arrays.
public struct ResourceID: Hashable, Sendable, CustomStringConvertible {
    /// Position of the resource in its network, from 0.
    public let index: Int32

    @inlinable init(index: Int32) { self.index = index }

    public var description: String { "r\(index)" }
}

/// A handle to a flow (one transfer) of a ``FlowNetwork``.
///
/// A handle names a flow slot and the generation of that slot when the flow
/// started. Slots are reused after a flow completes or is cancelled, with the
/// generation incremented, so a stale handle is detected instead of silently
/// naming a later flow.
public struct FlowID: Hashable, Sendable, CustomStringConvertible {
    /// Slot of the flow in its network; completions are reported in increasing slot order.
    public let index: Int32
    /// How many flows used this slot before.
    public let generation: UInt32

    @inlinable init(index: Int32, generation: UInt32) {
        self.index = index
        self.generation = generation
    }

    public var description: String { "f\(index).\(generation)" }
}

/// A flow that finished, as reported by ``FlowNetwork/advance(to:)``.
public struct FlowCompletion: Sendable {
    /// The finished flow; its handle is stale from now on.
    public let id: FlowID
    /// The caller's tag given to ``FlowNetwork/startFlow(bytes:path:cap:tag:now:)``.
    public let tag: Int
    /// The flow's size in bytes.
    public let bytes: Double
    /// When the flow started.
    public let start: SimTime
    /// The time passed to the `advance` call that reported the completion.
    public let end: SimTime
    /// The flow's duration in seconds, without rounding its last segment to a
    /// whole nanosecond.
    ///
    /// Computed as (the time its class's clock was last brought up to date −
    /// `start`), exact in integer nanoseconds, plus the bytes remaining then
    /// divided by the rate in force since. For a flow at a constant rate this is
    /// `bytes / rate` to within rounding of one division, while `end - start`
    /// is that value rounded up to a whole nanosecond.
    public let exactDuration: Double
}

/// The resources one flow crosses, stored inline (no heap array per flow).
///
/// At most ``maxLength`` resources, all distinct. A storage migration over a
/// two-tier fabric crosses source disk read, source NIC transmit, top-of-rack
/// uplink, core, top-of-rack downlink, target NIC receive and target disk
/// write: seven.
public struct FlowPath: RandomAccessCollection, Equatable, Sendable {
    /// The longest path a flow may have.
    public static var maxLength: Int { 8 }

    @usableFromInline var storage: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32)
    @usableFromInline var length: Int32

    /// The empty path (valid only for a flow with a finite cap).
    @inlinable public init() {
        storage = (0, 0, 0, 0, 0, 0, 0, 0)
        length = 0
    }

    /// A path through `resources`, in order; they must be distinct and at most ``maxLength``.
    public init(_ resources: [ResourceID]) {
        self.init()
        for r in resources { append(r) }
    }

    /// Appends `r`, which must not be on the path yet, to a path shorter than ``maxLength``.
    @inlinable public mutating func append(_ r: ResourceID) {
        precondition(Int(length) < Self.maxLength, "a flow path has at most \(Self.maxLength) resources")
        precondition(!contains(r), "resource \(r) appears twice in a flow path")
        let i = Int(length)
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: r.index, toByteOffset: i &* 4, as: Int32.self) }
        length += 1
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { Int(length) }

    @inlinable public subscript(position: Int) -> ResourceID {
        precondition(position >= 0 && position < Int(length), "flow path index out of range")
        return withUnsafeBytes(of: storage) {
            ResourceID(index: $0.load(fromByteOffset: position &* 4, as: Int32.self))
        }
    }

    /// Equal resources in the same order. Slots past `length` are always 0
    /// (only ``append(_:)`` writes), so four word compares decide it.
    @inlinable public static func == (a: FlowPath, b: FlowPath) -> Bool {
        a.length == b.length && a.words == b.words
    }

    /// The eight slots as four words (unused slots are 0).
    @inlinable var words: SIMD4<UInt64> {
        withUnsafeBytes(of: storage) { $0.loadUnaligned(as: SIMD4<UInt64>.self) }
    }
}
