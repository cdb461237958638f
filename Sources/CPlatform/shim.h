// Linux process calls that Swift cannot reach directly (variadic in C).
// No stable API: the migsim executable is its only client.
#ifndef MIGSIM_CPLATFORM_SHIM_H
#define MIGSIM_CPLATFORM_SHIM_H
#ifdef __linux__
#include <sys/prctl.h>
#include <signal.h>
#endif

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
#endif
