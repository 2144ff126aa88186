/* assay-agreement.h: inter-annotator agreement on in-memory ratings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure statistics: no project, no SQL. Ratings arrive one unit at a time as
 * integer codes, so a caller can stream a million of them without building
 * a table first. Every coefficient that has no defined value (no variation,
 * fewer than two coders, no common units) is NaN; callers test with isnan()
 * and show "undefined". See docs/statistics.md for the definitions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint   coder_a;           /* coder_a < coder_b */
  guint   coder_b;
  guint64 n_units;           /* units both coded */
  double  agreement;         /* share of those units on which they agree */
  double  kappa;             /* Cohen's kappa (1960) */
  double  weighted_kappa;    /* quadratic weights (Cohen 1968); NaN for nominal data */
  double  within_one;        /* share at most one point apart; NaN for nominal data */
} AssayPairAgreement;

typedef struct
{
  guint64 n_units;           /* units with at least two values (pairable) */
  guint64 n_values;          /* values in those units */
  double  agreement;         /* observed agreement: the share of agreeing pairs of values */
  double  within_one;        /* the share of pairs at most one point apart; NaN if nominal */
  double  alpha_nominal;     /* Krippendorff's alpha */
  double  alpha_ordinal;     /* NaN if nominal */
  double  alpha_interval;    /* NaN if nominal */
  double  alpha_ratio;       /* NaN if nominal, or if a value is negative */
  double  fleiss_kappa;      /* over the units with the most common number of values */
  guint   fleiss_raters;     /* that number (0 if there is none) */
  guint64 fleiss_units;      /* and how many units have it */
  double  mean_kappa;        /* mean of the defined pairwise Cohen's kappas */
  double  mean_weighted_kappa;
  GArray *pairs;             /* (element-type AssayPairAgreement): pairs with a common unit */
} AssayReliabilityResult;

/* An accumulator for one statistic (a label set, a criterion, ...). Codes
 * run from 0 to n_codes - 1. `code_values` (nullable) gives each code a
 * number, strictly increasing with the code: then the data are numeric and
 * the ordinal and interval coefficients are computed as well. */
typedef struct _AssayReliability AssayReliability;

AssayReliability *assay_reliability_new        (guint                   n_coders,
                                                guint                   n_codes,
                                                const double           *code_values);
void              assay_reliability_free       (AssayReliability       *self);

/* Adds one unit: coders[i] gave codes[i]; a coder appears at most once.
 * `count` > 1 adds that many identical units at once. Units with fewer than
 * two values are not pairable and add nothing. Returns how much the unit's
 * values disagree, from 0 (all equal) to 1 (as far apart as the scale
 * allows): the mean distance over its pairs of values, NaN if it has fewer
 * than two. */
double            assay_reliability_add_unit   (AssayReliability       *self,
                                                const guint            *coders,
                                                const guint            *codes,
                                                guint                   n,
                                                guint64                 count);
guint64           assay_reliability_get_n_units (AssayReliability      *self);

/* Fills `result` (clear it with assay_reliability_result_clear). */
void              assay_reliability_compute    (AssayReliability       *self,
                                                AssayReliabilityResult *result);
void              assay_reliability_result_clear (AssayReliabilityResult *result);

/* The disagreement of one unit as assay_reliability_add_unit returns it,
 * without adding it anywhere. */
double            assay_unit_disagreement      (const guint            *codes,
                                                guint                   n,
                                                const double           *code_values,
                                                guint                   n_codes);

/* Kendall's coefficient of concordance W for m rankings of the same n
 * objects, corrected for ties (Kendall & Babington Smith 1939; Siegel &
 * Castellan 1988). `ranks` is m rows of n values, row-major; equal values
 * are ties, and lower is better (only the order matters: the ranks are
 * turned into mid-ranks first). NaN if m < 2 or n < 2, or if every ranking
 * ties everything. */
double            assay_kendall_w              (const double           *ranks,
                                                guint                   m,
                                                guint                   n);

/* Kendall's tau-b between two rankings of n objects (ties allowed). NaN if
 * n < 2 or either ranking ties everything. */
double            assay_kendall_tau_b          (const double           *x,
                                                const double           *y,
                                                guint                   n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayReliability, assay_reliability_free)

G_END_DECLS
