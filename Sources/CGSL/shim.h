/* CGSL: the C shim between migsim and GNU GSL.
 *
 * This module has no stable API. Only MigsimRandom imports it; every other
 * module reaches GSL through MigsimRandom's Swift types.
 *
 * GSL exposes its generator types as mutable globals (`gsl_rng_mt19937`,
 * `gsl_qrng_sobol`, ...),
 * which Swift 6's strict concurrency checking rejects. The static inline
 * accessors below read them on the C side instead.
 */
#ifndef MIGSIM_CGSL_SHIM_H
#define MIGSIM_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>

static inline const gsl_rng_type *migsim_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *migsim_gsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_qrng_type *migsim_gsl_qrng_sobol(void) { return gsl_qrng_sobol; }

/* Raw 32-bit output and [0,1) double, called through the generator's own
 * function pointers exactly as gsl_rng_get / gsl_rng_uniform do. */
static inline unsigned long migsim_gsl_rng_get(const gsl_rng *r) { return gsl_rng_get(r); }
static inline double migsim_gsl_rng_uniform(const gsl_rng *r) { return gsl_rng_uniform(r); }

#endif
