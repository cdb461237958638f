import CPlatform
import Foundation

/// Process plumbing between a sweep and its worker processes: signals are
/// forwarded, and workers die with their parent.
enum Worker {
    /// The last SIGINT or SIGTERM received, 0 for none. Written only by the
    /// signal handler (an async-signal-safe store), read by the sweep loop.
    nonisolated(unsafe) static var received: sig_atomic_t = 0

    /// Catches SIGINT and SIGTERM into ``received`` instead of dying. A
    /// caught signal (unlike an ignored one) reverts to its default action
    /// in the workers when they `exec`, so they still die of it.
    static func catchSignals() {
        for s in [SIGINT, SIGTERM] { signal(s) { Worker.received = $0 } }
    }

    /// Restores the default actions of SIGINT and SIGTERM.
    static func restoreSignals() {
        for s in [SIGINT, SIGTERM] { signal(s, SIG_DFL) }
    }

    /// The signal received since ``catchSignals()``, if any.
    static func pendingSignal() -> Int32? { received == 0 ? nil : received }

    /// Sends `signal` to every process, waits up to 10 s for them to exit,
    /// then sends SIGKILL to the rest and waits for them.
    static func stop(_ processes: [Process], signal: Int32) {
        for p in processes where p.isRunning { kill(p.processIdentifier, signal) }
        let deadline = ContinuousClock.now + .seconds(10)
        while processes.contains(where: \.isRunning) && ContinuousClock.now < deadline { usleep(10_000) }
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in processes { p.waitUntilExit() }
    }

    /// Called first in a worker: SIGINT and SIGTERM get their default
    /// actions, the kernel sends SIGTERM when the parent exits
    /// (`prctl(PR_SET_PDEATHSIG)`), and the worker exits at once if the
    /// parent `parent` is already gone.
    static func attach(to parent: Int32) {
        restoreSignals()
        _ = migsim_set_parent_death_signal(SIGTERM)
        if getppid() != parent {
            FileHandle.standardError.write(Data("migsim: error: worker: the parent sweep (pid \(parent)) has exited\n".utf8))
            Foundation.exit(1)
        }
    }
}
