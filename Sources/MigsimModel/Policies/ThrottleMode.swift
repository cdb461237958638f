/// vCPU throttling during pre-copy. A throttle of `p` scales the VM's write
/// rate by `1 - p`.
public enum ThrottleMode: Sendable, Equatable {
    case none
    /// QEMU auto-converge (`migration/ram.c`, `mig_throttle_guest_down`;
    /// `options.c`: initial 20 %, increment 10 %, max 99 %, threshold 50 %).
    ///
    /// Checks happen at round ends at least `period` seconds apart; a check is
    /// "high" when the bytes dirtied since the last check exceed
    /// `threshold` x the bytes sent. After two high checks the throttle is set
    /// to `initial` (first time) or raised by `increment`, up to `maximum`.
    case autoConverge(initial: Double, increment: Double, maximum: Double, threshold: Double, period: Double)
    /// VMware Stun During Page Send (Broadcom KB 436882): when the dirtying
    /// rate reaches the send rate, slow the vCPUs so the dirtying rate falls to
    /// `targetRatio` x the send rate (the ratio is migsim's assumption; VMware
    /// does not publish it). Capped at 99 %.
    case sdps(targetRatio: Double)

    /// QEMU's defaults.
    public static let qemuAutoConverge = ThrottleMode.autoConverge(initial: 0.2, increment: 0.1, maximum: 0.99, threshold: 0.5, period: 1)
}

/// The evolving throttle of one migration.
public struct ThrottleState: Sendable {
    public private(set) var throttle = 0.0
    var highChecks = 0
    var sentSinceCheck = 0.0
    var dirtiedSinceCheck = 0.0
    var timeSinceCheck = 0.0

    public init() {}

    /// Updates after a round: `sent` and `dirtied` bytes over `duration` seconds.
    /// `unthrottledDirtyRate` is bytes/s the VM would dirty at throttle 0.
    public mutating func update(mode: ThrottleMode, sent: Double, dirtied: Double, duration: Double) {
        switch mode {
        case .none:
            return
        case let .autoConverge(initial, increment, maximum, threshold, period):
            sentSinceCheck += sent
            dirtiedSinceCheck += dirtied
            timeSinceCheck += duration
            guard timeSinceCheck >= period else { return }
            if dirtiedSinceCheck > threshold * sentSinceCheck {
                highChecks += 1
                if highChecks >= 2 {
                    throttle = throttle == 0 ? initial : Swift.min(maximum, throttle + increment)
                    highChecks = 0
                }
            }
            sentSinceCheck = 0
            dirtiedSinceCheck = 0
            timeSinceCheck = 0
        case let .sdps(target):
            guard duration > 0, sent > 0 else { return }
            let sendRate = sent / duration
            let dirtyRate = dirtied / duration
            guard dirtyRate >= sendRate * target else { return }
            // The dirtying rate observed was at (1 - throttle); aim for target x send rate.
            let unthrottled = dirtyRate / Swift.max(1 - throttle, 0.01)
            let needed = 1 - target * sendRate / unthrottled
            throttle = Swift.min(0.99, Swift.max(throttle, needed))
        }
    }
}
