// Linux process calls that Swift cannot reach directly (variadic in C).
// No stable API: the migsim executable is its only client.
#ifndef MIGSIM_CPLATFORM_SHIM_H
#define MIGSIM_CPLATFORM_SHIM_H
#ifdef __linux__
#include <sys/prctl.h>
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#endif
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/// mallopt(M_MMAP_THRESHOLD, mmap) and mallopt(M_TRIM_THRESHOLD, trim) with
/// glibc: allocations below `mmap` bytes come from the heap, and up to `trim`
/// free bytes stay in it. Returns 1 on success, 0 elsewhere (not glibc).
static inline int migsim_malloc_thresholds(int mmap, int trim) {
#ifdef __GLIBC__
    return mallopt(M_MMAP_THRESHOLD, mmap) && mallopt(M_TRIM_THRESHOLD, trim);
#else
    (void)mmap; (void)trim;
    return 0;
#endif
}

/// prctl(PR_SET_PDEATHSIG, sig): the kernel sends `sig` to this process when
/// the thread that created it exits. Returns 0, or -1 with errno set; -1 with
/// errno unchanged where the call does not exist (not Linux).
static inline int migsim_set_parent_death_signal(int sig) {
#ifdef __linux__
    return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0UL, 0UL, 0UL);
#else
    (void)sig;
    return -1;
#endif
}

/// renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE): swaps two existing
/// paths atomically (Linux 3.15+). Returns 0, or -1 with errno set (EINVAL
/// where the file system cannot, ENOSYS elsewhere).
static inline int migsim_exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 1 << 1 /* RENAME_EXCHANGE */);
#else
    (void)a; (void)b;
    errno = ENOSYS;
    return -1;
#endif
}
#endif
