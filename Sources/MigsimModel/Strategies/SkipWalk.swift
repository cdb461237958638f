import MigsimRandom
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Xen's `to_skip` page by page: which pages a pre-copy round skips because
/// they were written again before the round reached them (page-exact
/// fidelity with ``Mechanisms/skipRedirtied``).
///
/// **What Xen does.** `tools/libxc/xc_domain_save.c`, function
/// `xc_domain_save`, as released in RELEASE-4.1.0 and RELEASE-4.4.0 (tag
/// commit 816e8d88db5bb82c80dc989747948cef91b32d58):
/// - log-dirty mode is switched on before the first iteration
///   (`XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY`) and `to_send` starts all ones;
/// - an iteration walks the pfns `N = 0, 1, ...` in order. Before each batch,
///   except in the last iteration (`if ( !last_iter )`), it peeks the
///   log-dirty bitmap into `to_skip` (`xc_shadow_control(...,
///   XEN_DOMCTL_SHADOW_OP_PEEK, to_skip, ...)`: the pages written since the
///   last clean, left set). It then fills the batch with up to
///   `MAX_BATCH_SIZE` pfns to send (1024, `xg_save_restore.h`). A pfn set in
///   both `to_send` and `to_skip` counts in `skip_this_iter` and is left
///   out: it takes no slot, so the batch goes on filling with later pfns.
///   The batch is then mapped and written, and the next peek follows;
/// - after the iteration, `XEN_DOMCTL_SHADOW_OP_CLEAN` copies the log into
///   `to_send` and clears it. A skipped page was written since the last
///   clean, so it is in the next `to_send`;
/// - the stop test counts `sent_this_iter + skip_this_iter < 50`;
/// - the last iteration neither peeks nor skips (`dont_skip`). In 4.4.0 the
///   first iteration also sends without skipping, but only with superpages
///   (`superpages && iter==1`); migsim has no superpages.
///
/// **The model.**
/// - The send set S is the set of pages dirty when the round begins (round
///   1: every page, never-written pages included), kept as a bitmap from one
///   round to the next.
/// - Order: migsim numbers pages by popularity level, level 0 first; Xen's
///   pfns hold the levels wherever the guest put them, which no source
///   gives. migsim's assumption is that every level is spread evenly over
///   the pfns (``PfnOrder``), so each batch holds every level in about its
///   share of the pages. Never-written pages are spread the same way.
/// - Time: the log is cleaned when the round begins. The first peek comes
///   after the round latency, and pages are sent at the round's estimated
///   payload bandwidth, which is the last round's (round 1: the path's
///   capacity) under the cap, as in the expectation. So batch `j` is peeked at
///   `latency + (bytes sent before it) / bandwidth`. Skipped pages cost no
///   time, as in Xen, where they take no slot. The estimate is migsim's
///   assumption: Xen peeks when the last batch's write returns.
/// - Writes: each page of level `k` is written as a Poisson process at
///   `share_k / pages_k` times the VM's write rate (throttled, integrated
///   over the rate's phases and on/off periods ahead of time with
///   ``DirtyRateProcess/lookahead()``). Times are counted in expected writes
///   since the round began (the *write clock*): a page is skipped when it is
///   in S and written before its batch's peek.
/// - At the round's end the dirty pages are every page written during the
///   round: the skipped ones, sent ones written after their batch's peek,
///   and pages outside S written at all. Writes drawn one by one before the
///   peeks are kept for the round's end. When the walk goes page by page
///   it only learns, for each page of S, whether it was written before its
///   peek. The writes not yet drawn are independent of what the walk learnt
///   (Poisson increments), so the round's end draws them, and no write is
///   drawn twice.
/// - When the round ends before its last peek's estimated time (a
///   switch-over part-way, or the estimate ran late), the kept writes are
///   dropped and the round's end draws all writes up to its end, except
///   the ones that made pages skipped: a page skipped for a write after the
///   round's end stays dirty. It is in the next round's set either way.
///
/// **Cost.** A walk visits the words of the bitmap (one per 64 pages).
/// While the writes before the last peek are expected to be fewer than S's
/// pages in use, they are drawn one by one (two 32-bit draws each) and the
/// walk goes a word at a time, stopping only at peeks and skipped pages.
/// Otherwise it goes page by page, one draw per page of S not yet written,
/// and it switches to that as soon as the writes placed so far would exceed
/// S's pages. The round's end draws the writes not yet drawn the same way
/// against all pages in use: one by one (a third draw, the write's time,
/// only for a page sent page by page), or one draw per page. So a round
/// costs about two draws per write when writes are fewer than pages, and
/// at most about two draws per page however many writes it has. Three
/// bitmaps (send set, dirty pages, the kept writes' pages) take one bit per
/// page each, and each 64-page word's batch index (32 bits) half a bit more.
final class SkipWalk {
    /// Pages per batch: Xen's `MAX_BATCH_SIZE` (`tools/libxc/xg_save_restore.h`).
    static let maxBatchSize = 1024

    /// A round's pace, as estimated when it begins.
    struct Timeline {
        /// Seconds from the round's start (its log clean) to the first peek: the round latency.
        var latency: Double
        /// Seconds per payload byte: 1 / the estimated bandwidth.
        var secondsPerByte: Double
        /// Payload bytes of a page in use, and of a never-written page (a header or a whole page).
        var pageBytes: Double, zeroPageBytes: Double
    }

    /// Where a round's writes before the peeks come from.
    enum Writes {
        /// Drawn from the walk's stream. `estimated` is the expected writes
        /// before the last peek. It only picks the cheaper way to draw them.
        case sampled(estimated: Double)
        /// Given, as (page index, write clock): a test seam.
        case given([(page: Int, clock: Double)])
    }

    let set: PageSet
    /// Pages in use (indices `0..<inUse`, by level) and all pages (the rest never written).
    let inUse: Int, total: Int
    let order: PfnOrder
    let batchPages: Int
    /// S: the pages the round sends. After ``begin(_:clock:writes:)``,
    /// the skipped ones are cleared from it.
    private(set) var send: PageBitmap
    /// Pages written during the round, as far as drawn: after
    /// ``begin(_:clock:writes:)`` the skipped ones.
    private(set) var dirty: PageBitmap
    private let stream: RandomStream
    private let levelStarts: [Int]
    private let picker: LevelPicker
    /// Walk position at which each batch's scan begins, and the write clock of its peek.
    private(set) var batchStarts: [Int] = [], peekClocks: [Double] = []
    /// Up to this write clock every page's writes are drawn (the writes
    /// placed write by write before the walk went page by page).
    private var realized = 0.0
    /// Pages those placed writes hit, other than the ones they made skipped:
    /// dirty if the round lasts until ``realized`` on the write clock.
    private var early: PageBitmap
    /// The batch in force at the first position of each word's turn, so
    /// finding a page's batch takes a step or two, not a search.
    private var wordBatch: [UInt32] = []
    /// The round's pace, kept for a switch-over part-way.
    private var timeline = Timeline(latency: 0, secondsPerByte: 0, pageBytes: 0, zeroPageBytes: 0)
    /// Whether a round has ended, so its dirty pages become the next send set.
    private var ended = false
    /// Per-level thresholds cached for one (kind, batch), see ``threshold(_:_:stamp:)``.
    private var thresholds: [UInt64], stamps: [Int]

    /// A walk over `set`'s pages in use and `zeroPages` never-written pages;
    /// the first send set is every page. `batchPages` is Xen's batch size
    /// unless a test says otherwise.
    init(set: PageSet, zeroPages: Int, key: StreamKey, batchPages: Int = SkipWalk.maxBatchSize) {
        precondition(batchPages > 0 && zeroPages >= 0)
        self.set = set
        inUse = set.pages
        total = set.pages + zeroPages
        order = PfnOrder(pages: total)
        self.batchPages = batchPages
        send = PageBitmap(pages: total)
        send.setAll(below: total)
        dirty = PageBitmap(pages: total)
        early = PageBitmap(pages: total)
        stream = RandomStream(key, kind: .taus2)
        levelStarts = set.levels.reduce(into: [0]) { $0.append($0.last! + $1.pages) }
        picker = LevelPicker(set)
        thresholds = [UInt64](repeating: 0, count: set.levels.count)
        stamps = [Int](repeating: -1, count: set.levels.count)
    }

    /// Pages in use of the current send set, by level (before ``begin(_:clock:writes:)``).
    var sendByLevel: [Int] {
        let s = ended ? dirty : send
        return self.set.levels.indices.map { s.count(from: levelStarts[$0], to: levelStarts[$0 + 1]) }
    }

    /// Never-written pages in the current send set (all in round 1; later,
    /// those a switch-over part-way left unsent).
    var sendZeroPages: Int { (ended ? dirty : send).count(from: inUse, to: total) }

    /// Walks the round's send set and returns the pages skipped, by level.
    ///
    /// `clock(t)` is the expected writes from the round's start to `t`
    /// seconds after it; it is asked at increasing `t` only.
    func begin(_ timeline: Timeline, clock: (Double) -> Double, writes: Writes) -> [Int] {
        if ended {
            swap(&send, &dirty)
            dirty.clearAll()
            ended = false
        }
        self.timeline = timeline
        resetThresholds()
        batchStarts.removeAll(keepingCapacity: true)
        peekClocks.removeAll(keepingCapacity: true)
        var skipped = [Int](repeating: 0, count: set.levels.count)
        let sendPages = Double(sendByLevel.reduce(0, +))
        var given: [(page: Int, clock: Double)] = []
        var perPage = false
        switch writes {
        case .sampled(let estimated): perPage = estimated > sendPages
        case .given(let list): given = list.sorted { $0.clock < $1.clock }
        }
        var nextGiven = 0
        // Writes are placed up to `placed` on the write clock; page-by-page
        // draws cover the writes from `perPageFrom` on.
        var placed = 0.0, placedCount = 0.0, perPageFrom = 0.0
        // Pages in use and never-written pages sent so far; pages in the current batch.
        var sentPages = 0, sentZero = 0, inBatch = 0, batch = -1, clockNow = 0.0
        var scan = 0
        var level = LevelCursor(starts: levelStarts)

        /// A write to page `p` before the current peek: `p` is skipped if it
        /// is in S and the walk has not reached it, and dirty in any case.
        func place(_ p: Int) {
            if send.test(p) && order.position(of: p) >= scan { dirty.set(p) } else { early.set(p) }
        }
        /// Xen's peek before a batch: the writes up to it are placed.
        func peek() {
            batch += 1
            inBatch = 0
            let bytes = Double(sentPages) * timeline.pageBytes + Double(sentZero) * timeline.zeroPageBytes
            clockNow = clock(timeline.latency + bytes * timeline.secondsPerByte)
            batchStarts.append(scan)
            peekClocks.append(clockNow)
            guard !perPage else { return }
            switch writes {
            case .given:
                while nextGiven < given.count && given[nextGiven].clock < clockNow {
                    place(given[nextGiven].page)
                    nextGiven += 1
                }
                placed = max(placed, clockNow)
            case .sampled:
                let mean = clockNow - placed
                guard mean > 0 else { return }
                if placedCount + mean > sendPages {
                    // More writes than pages after all: page by page from here.
                    perPage = true
                    perPageFrom = placed
                    return
                }
                let n = DirtyModel.poissonLarge(mean, stream)
                placedCount += n
                var i = 0.0
                while i < n {
                    place(picker.page(stream))
                    i += 1
                }
                placed = clockNow
            }
        }

        peek()
        // The per-level thresholds of the current batch, in locals for the page-by-page loop.
        let rng = stream
        var cached = thresholds, stamp = stamps
        // Never-written pages of word `w`: indices from `inUse` on.
        func zeroMask(_ w: Int) -> UInt64 { w << 6 + 64 <= inUse ? 0 : ~0 << UInt64(max(0, inUse - w << 6)) }
        for k in 0..<order.words {
            let w = order.word(at: k)
            var bits = send.words[w]  // the word's pages of S not yet scanned
            while bits != 0 {
                if inBatch == batchPages {
                    scan = k << 6 | bits.trailingZeroBitCount
                    peek()
                }
                if perPage {
                    // One draw per page of S not already written, up to the
                    // page that fills the batch (a peek then changes no bit).
                    // Counters in locals: those the nested functions capture live in boxes.
                    var sw = send.words[w], dw = dirty.words[w]
                    let zero = zeroMask(w), span = clockNow - perPageFrom, j = batch, full = batchPages
                    var filled = inBatch, pages = 0, zeros = 0
                    // The current level's range, threshold and skips (scalars in the loop).
                    var lo = -1, hi = -1, l = 0, t: UInt64 = 0, skips = 0
                    while bits != 0 && filled < full {
                        let b = bits.trailingZeroBitCount
                        let bit = UInt64(1) << UInt64(b)
                        bits &= bits - 1
                        filled += 1
                        if zero & bit != 0 {
                            zeros += 1  // never written, so never skipped
                            continue
                        }
                        let p = w << 6 | b
                        if p >= hi || p < lo {
                            if lo >= 0 { skipped[l] += skips }
                            skips = 0
                            l = level.level(of: p)
                            (lo, hi) = (levelStarts[l], levelStarts[l + 1])
                            if stamp[l] != j {
                                cached[l] = threshold(l, span, stamp: j)
                                stamp[l] = j
                            }
                            t = cached[l]
                        }
                        if dw & bit == 0 && t != 0 && UInt64(rng.next32()) < t { dw |= bit }
                        if dw & bit != 0 {
                            skips += 1
                            sw &= ~bit
                            filled -= 1
                        } else {
                            pages += 1
                        }
                    }
                    if lo >= 0 { skipped[l] += skips }
                    inBatch = filled
                    sentPages += pages
                    sentZero += zeros
                    send.words[w] = sw
                    dirty.words[w] = dw
                    continue
                }
                // Write by write, the placed writes have marked the pages to
                // skip: the pages up to the one that fills the batch go at once.
                let marked = bits & dirty.words[w]
                var chunk = bits, sent = bits & ~marked
                let room = batchPages - inBatch
                if sent.nonzeroBitCount > room {
                    var fill = sent
                    for _ in 1..<room { fill &= fill - 1 }
                    let last = fill.trailingZeroBitCount
                    let upTo: UInt64 = last == 63 ? ~0 : (UInt64(1) << UInt64(last + 1)) - 1
                    chunk &= upTo
                    sent &= upTo
                }
                var skip = chunk & marked
                while skip != 0 {
                    let p = w << 6 | skip.trailingZeroBitCount
                    skip &= skip - 1
                    skipped[level.level(of: p)] += 1
                    send.clear(p)
                }
                let n = sent.nonzeroBitCount, zero = (sent & zeroMask(w)).nonzeroBitCount
                sentPages += n - zero
                sentZero += zero
                inBatch += n
                bits &= ~chunk
            }
        }
        realized = perPage ? perPageFrom : placed
        wordBatch.removeAll(keepingCapacity: true)
        var j = 0
        for k in 0..<order.words {
            while j + 1 < batchStarts.count && batchStarts[j + 1] <= k << 6 { j += 1 }
            wordBatch.append(UInt32(j))
        }
        return skipped
    }

    /// Ends the round with `writes` expected writes over it (the write clock
    /// at its end) and returns its dirty pages, by level: the skipped pages
    /// and every other page written during the round.
    func end(writes: Double) -> [Int] {
        settle(writes)
        resetThresholds()
        let left = writes - realized
        if left > Double(inUse) {
            endPageByPage(writes)
        } else if left > 0 {
            let n = UInt64(min(DirtyModel.poissonLarge(left, stream), 2 * Double(inUse) + 1e6))
            let from = realized
            var i: UInt64 = 0
            while i < n {
                let p = picker.page(stream)
                mark(p) { from + self.stream.uniform() * left }
                i += 1
            }
        }
        ended = true
        return dirtyByLevel
    }

    /// ``end(writes:)`` with given writes (page index, write clock): a test seam.
    func end(given writes: [(page: Int, clock: Double)], upTo clock: Double) -> [Int] {
        settle(clock)
        for w in writes where w.clock >= realized && w.clock < clock { mark(w.page) { w.clock } }
        ended = true
        return dirtyByLevel
    }

    /// After a switch-over part-way through the round: the pages of S that
    /// had not begun within the first `share` of the round's bytes join the
    /// next send set (the page under way counts as sent, so a round that
    /// sent anything makes progress). Returns that set by level, and how
    /// many pages (and never-written pages) were not sent.
    func carryUnsent(share: Double) -> (byLevel: [Int], pages: Int, zeroPages: Int) {
        precondition(ended, "carryUnsent after end")
        func bytes(_ p: Int) -> Double { p < inUse ? timeline.pageBytes : timeline.zeroPageBytes }
        var all = 0.0
        send.forEach { all += bytes($0) }
        let cut = share * all
        var offset = 0.0, pages = 0, zero = 0
        for k in 0..<order.words {
            let w = order.word(at: k)
            var bits = send.words[w]
            while bits != 0 {
                let p = w << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                let begins = offset
                offset += bytes(p)
                guard begins >= cut else { continue }
                pages += 1
                if p >= inUse { zero += 1 }
                dirty.set(p)
            }
        }
        return (dirtyByLevel, pages, zero)
    }

    /// The round ended at `writes` on the write clock. If that is past
    /// ``realized``, the pages hit by the placed writes are dirty. If it
    /// is before (a switch-over part-way, or the bandwidth estimate ran
    /// late), some placed writes came after the round: they are dropped,
    /// and every write but the ones that made pages skipped is drawn again.
    private func settle(_ writes: Double) {
        if writes >= realized {
            dirty.formUnion(early)
        } else {
            realized = 0
        }
        early.clearAll()
    }

    /// Marks page `p` dirty for a write at `clock()` (after ``realized``;
    /// drawn only when needed) unless the walk already knows that write: a
    /// page it sent page by page was not written before its batch's peek,
    /// so a write drawn there is not one.
    private func mark(_ p: Int, clock: () -> Double) {
        if dirty.test(p) { return }
        if send.test(p) {
            let peek = peekClocks[batch(at: order.position(of: p))]
            if peek > realized && clock() < peek { return }
        }
        dirty.set(p)
    }

    /// One draw per page in use not yet dirty: written after ``realized``
    /// (a sent page: after its batch's peek, if later) and before the round's
    /// end C, with probability `1 - exp(-h (C - from))`, `h` its level's
    /// writes per page.
    private func endPageByPage(_ writes: Double) {
        var level = LevelCursor(starts: levelStarts)
        // Pages outside S: one threshold per level.
        let whole = set.levels.indices.map { threshold($0, writes - realized, stamp: -2) }
        resetThresholds()
        var batch = 0
        let starts = batchStarts, rng = stream
        var cached = thresholds, stamp = stamps
        var nextBatch = starts.count > 1 ? starts[1] : Int.max
        for k in 0..<order.words {
            let w = order.word(at: k)
            let base = w << 6
            guard base < inUse else { continue }
            let sw = send.words[w]
            var dw = dirty.words[w]
            var todo = ~dw & (base + 64 <= inUse ? ~0 : (UInt64(1) << UInt64(inUse - base)) - 1)
            var lo = -1, hi = -1
            while todo != 0 {
                let b = todo.trailingZeroBitCount
                let bit = UInt64(1) << UInt64(b)
                todo &= todo - 1
                let p = base | b
                if p >= hi || p < lo {
                    let l = level.level(of: p)
                    (lo, hi) = (levelStarts[l], levelStarts[l + 1])
                }
                let l = level.current
                let t: UInt64
                if sw & bit != 0 {
                    let position = k << 6 | b
                    if position >= nextBatch {
                        while position >= nextBatch {
                            batch += 1
                            nextBatch = batch + 1 < starts.count ? starts[batch + 1] : Int.max
                        }
                    }
                    if stamp[l] != batch {
                        cached[l] = threshold(l, writes - max(realized, peekClocks[batch]), stamp: batch)
                        stamp[l] = batch
                    }
                    t = cached[l]
                } else {
                    t = whole[l]
                }
                if t != 0 && UInt64(rng.next32()) < t { dw |= bit }
            }
            dirty.words[w] = dw
        }
    }

    /// The batch whose scan covers walk position `position`.
    private func batch(at position: Int) -> Int {
        var j = Int(wordBatch[position >> 6])
        while j + 1 < batchStarts.count && batchStarts[j + 1] <= position { j += 1 }
        return j
    }

    private var dirtyByLevel: [Int] {
        self.set.levels.indices.map { dirty.count(from: levelStarts[$0], to: levelStarts[$0 + 1]) }
    }

    private func resetThresholds() {
        for i in stamps.indices { stamps[i] = -1 }
    }

    /// `P(a page of level l is written within `span` expected writes) x 2^32`
    /// (0 when `span` <= 0: then no draw), cached per level while `stamp`
    /// (the batch) stays the same; reset when a walk or a round's end begins.
    private func threshold(_ l: Int, _ span: Double, stamp: Int) -> UInt64 {
        if stamps[l] == stamp { return thresholds[l] }
        let level = set.levels[l]
        let p = span > 0 ? -expm1(-span * level.share / Double(level.pages)) : 0
        let t = p >= 1 ? UInt64(1) << 32 : UInt64(p * 4294967296.0)
        thresholds[l] = t
        stamps[l] = stamp
        return t
    }
}

/// Xen's pfn order over migsim's page indices: the bitmap's 64-page words
/// visited with a stride coprime to their count, near `(sqrt(5) - 1) / 2`
/// of it (the golden-ratio sequence, the most even spread), the pages of a
/// word in order. Page indices run by level, so consecutive pfns come
/// from all over the levels. This is migsim's assumption: where the guest's
/// hot pages sit in pfn space is not known.
struct PfnOrder {
    /// Words of 64 pages.
    let words: Int
    let stride: Int
    /// `stride`'s inverse modulo `words`.
    let inverse: Int

    init(pages: Int) {
        let n = max(1, (pages + 63) / 64)
        words = n
        guard n > 1 else {
            stride = 0
            inverse = 0
            return
        }
        var a = max(1, min(n - 1, Int((Double(n) * 0.618_033_988_749_894_9).rounded())))
        while Self.gcd(a, n) != 1 { a = a + 1 < n ? a + 1 : 1 }
        stride = a
        // Extended Euclid: a x = 1 (mod n).
        var (r0, r1, x0, x1) = (n, a, 0, 1)
        while r1 != 0 {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (x0, x1) = (x1, x0 - q * x1)
        }
        inverse = ((x0 % n) + n) % n
    }

    /// The word visited `k`-th.
    @inline(__always) func word(at k: Int) -> Int { words == 1 ? 0 : k * stride % words }

    /// The walk position of page `index`: its word's turn times 64 plus its bit.
    @inline(__always) func position(of index: Int) -> Int {
        words == 1 ? index : ((index >> 6) * inverse % words) << 6 | (index & 63)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

/// Picks a page for one write: its level by the levels' shares (a 32-bit
/// draw against cumulative shares x 2^32), then a page of that level
/// uniformly (multiply-shift), as ``PageBitmap/markAndCount(writes:set:stream:)``.
/// Levels after the one that takes the remainder, whose share is 0, get none.
struct LevelPicker {
    let cumulative: [UInt64]
    let starts: [Int]
    let sizes: [UInt64]

    init(_ set: PageSet) {
        var c: [UInt64] = [], acc = 0.0
        for l in set.levels {
            acc += l.share
            c.append(acc >= 1 ? UInt64(1) << 32 : UInt64(acc * 4294967296.0))
        }
        for i in set.remainderLevel..<c.count { c[i] = UInt64(1) << 32 }
        cumulative = c
        starts = set.levels.reduce(into: [0]) { $0.append($0.last! + $1.pages) }
        sizes = set.levels.map { UInt64($0.pages) }
    }

    func page(_ s: RandomStream) -> Int {
        let u = UInt64(s.next32()), v = UInt64(s.next32())
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if u < cumulative[mid] { hi = mid } else { lo = mid + 1 }
        }
        return starts[lo] + Int((v &* sizes[lo]) >> 32)
    }
}

/// The level of a page index, remembering the last level found (pages come
/// in runs of a word from one level, mostly).
struct LevelCursor {
    let starts: [Int]
    var current = 0

    init(starts: [Int]) { self.starts = starts }

    mutating func level(of p: Int) -> Int {
        if p >= starts[current] && p < starts[current + 1] { return current }
        var lo = 0, hi = starts.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if starts[mid] <= p { lo = mid } else { hi = mid - 1 }
        }
        current = lo
        return lo
    }
}

extension PageBitmap {
    @inline(__always) func test(_ p: Int) -> Bool { words[p >> 6] >> UInt64(p & 63) & 1 == 1 }
    @inline(__always) func set(_ p: Int) { words[p >> 6] |= 1 << UInt64(p & 63) }
    @inline(__always) func clear(_ p: Int) { words[p >> 6] &= ~(1 << UInt64(p & 63)) }

    func clearAll() {
        for i in words.indices { words[i] = 0 }
    }

    /// Sets pages `0..<n`.
    func setAll(below n: Int) {
        for i in 0..<(n >> 6) { words[i] = ~0 }
        if n & 63 != 0 { words[n >> 6] |= (UInt64(1) << UInt64(n & 63)) - 1 }
    }

    /// Set bits in pages `lo..<hi`, left as they are.
    func count(from lo: Int, to hi: Int) -> Int {
        var count = 0, p = lo
        while p < hi {
            let word = p >> 6, bit = p & 63
            let end = Swift.min(hi, (p | 63) + 1)
            let width = end - p
            let mask: UInt64 = width == 64 ? ~0 : ((UInt64(1) << UInt64(width)) - 1) << UInt64(bit)
            count += (words[word] & mask).nonzeroBitCount
            p = end
        }
        return count
    }

    /// Sets every page set in `other` (a bitmap of the same size).
    func formUnion(_ other: PageBitmap) {
        for i in words.indices { words[i] |= other.words[i] }
    }

    /// Calls `body` with every set page, in index order.
    func forEach(_ body: (Int) -> Void) {
        for (i, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                body(i << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}
