/* assay-separation.h: does the data separate two models, and if not, how
 * many more sources would?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure statistics on one array of per-source differences (the better
 * model's score minus the other's, on each source both were judged on):
 * a paired percentile bootstrap of their mean, and a power calculation
 * for the number of sources a paired comparison needs at the observed
 * difference and spread. See docs/statistics.md, "Separation".
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  ASSAY_SEPARATION_SEPARATED,       /* the interval of the mean difference excludes 0 */
  ASSAY_SEPARATION_NOT_SEPARATED,   /* it includes 0 */
  ASSAY_SEPARATION_CANNOT_TELL,     /* too few sources, or no difference at all */
} AssaySeparationVerdict;

/* Why a verdict is "cannot tell". */
typedef enum
{
  ASSAY_SEPARATION_REASON_NONE,
  ASSAY_SEPARATION_REASON_TOO_FEW_SOURCES,  /* fewer than ASSAY_INTERVAL_MIN_SOURCES */
  ASSAY_SEPARATION_REASON_NO_DIFFERENCE,    /* the mean difference is 0 */
} AssaySeparationReason;

/* The power the "how many more" calculation asks for. */
#define ASSAY_SEPARATION_POWER 0.8

typedef struct
{
  AssaySeparationVerdict verdict;
  AssaySeparationReason  reason;
  guint    n_sources;    /* sources with a difference */
  double   difference;   /* their mean; NaN without sources */
  double   sd;           /* the sample standard deviation (n - 1); NaN below two sources */
  double   low;          /* the percentile bootstrap interval of the mean; NaN below */
  double   high;         /*   ASSAY_INTERVAL_MIN_SOURCES sources */
  double   needed;       /* ((z_{1-a/2} + z_{power}) sd / difference)^2: the sources a paired
                          * comparison needs; NaN when it cannot be told */
  guint64  more;         /* when not separated: ceil (needed) - n_sources, at least 1;
                          * 0 otherwise */
} AssaySeparation;

/* The quantile function of the standard normal distribution: z with
 * P(Z <= z) = p, for 0 < p < 1 (to double precision). */
double       assay_normal_quantile          (double                  p);

/* Whether `differences` (n of them, one per source) separate two models at
 * `level` (0.95): `n_samples` bootstrap replicates drawn from `seed` (see
 * assay_bootstrap), and the sources needed at `power`. */
gboolean     assay_separation_compute       (const double           *differences,
                                             guint                   n,
                                             guint                   n_samples,
                                             guint64                 seed,
                                             double                  level,
                                             double                  power,
                                             AssaySeparation        *out,
                                             GCancellable           *cancellable,
                                             GError                **error);

/* "separated", "not-separated", "cannot-tell". */
const char  *assay_separation_verdict_to_string (AssaySeparationVerdict verdict);
/* NULL, "too-few-sources", "no-difference". */
const char  *assay_separation_reason_to_string  (AssaySeparationReason  reason);

G_END_DECLS
