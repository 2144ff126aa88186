/* assay-leaderboard.h: model scores with bootstrap intervals, Bradley-Terry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure statistics on in-memory aggregates: no project, no SQL. The caller
 * reduces its judgments to small per-source cells; the bootstrap resamples
 * sources (the units that were drawn independently), never single ratings,
 * so ratings of the same source stay together. See docs/statistics.md.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* ---- the percentile bootstrap ---- */

/* Computes one replicate: `weights` says how many times each cluster was
 * drawn (they add up to the number of clusters); write `n_stats` values to
 * `out` (NaN where a value is undefined in this replicate). `scratch` is
 * `scratch_size` bytes of the calling thread's own, for the function's use.
 * Called from several threads at once. */
typedef void (*AssayReplicateFunc) (const guint32 *weights,
                                    double        *out,
                                    gpointer       scratch,
                                    gpointer       user_data);

/* Runs `n_samples` replicates, each drawing `n_clusters` clusters with
 * replacement, and gives each statistic's percentile interval at `level`
 * (0.95: the 2.5th and 97.5th percentiles, interpolated linearly between
 * order statistics; replicates where the statistic is NaN are left out).
 * Replicate r draws from a generator seeded by (seed, r) alone, so the
 * result does not depend on the number of threads. */
/* `n_defined` (nullable) receives, per statistic, how many replicates gave
 * it a finite value. */
gboolean assay_bootstrap            (guint               n_clusters,
                                     guint               n_samples,
                                     guint64             seed,
                                     guint               n_stats,
                                     gsize               scratch_size,
                                     AssayReplicateFunc  func,
                                     gpointer            user_data,
                                     double              level,
                                     double             *low,
                                     double             *high,
                                     guint              *n_defined,
                                     GCancellable       *cancellable,
                                     GError            **error);

/* The fewest clusters (sources) behind a value for which a percentile
 * bootstrap interval is given at all. With one source every resample is
 * the same and the interval has zero width; with a handful the percentile
 * interval is still much too narrow (its coverage falls well short of the
 * nominal level), so below this no interval is reported. See
 * docs/statistics.md. */
#define ASSAY_INTERVAL_MIN_SOURCES 5

/* ---- Bradley-Terry ---- */

/* Fits Bradley-Terry strengths with Hunter's (2004) MM algorithm. `wins` is
 * n x n: wins[i * n + j] is how often i beat j (a tie counts half to each
 * side). `prior` > 0 adds that many virtual tied comparisons between every
 * two models that took part in any comparison: a penalised (maximum a
 * posteriori) estimate, pulled towards equal strengths, that is finite even
 * when a group of models never lost to the rest. `prior` 0 gives the plain
 * maximum-likelihood estimate, which exists only when
 * assay_bradley_terry_mle_exists says so; when it does not, this returns
 * FALSE at once. `log_strength` receives the natural logarithms of the
 * strengths, centred to mean 0 over the models that took part in any
 * comparison (NaN for the others). Returns FALSE if there is no estimate
 * or it did not converge (then all are NaN). */
gboolean assay_bradley_terry        (guint               n,
                                     const double       *wins,
                                     double              prior,
                                     double             *log_strength,
                                     guint              *iterations);

/* Whether the maximum-likelihood Bradley-Terry strengths of the models that
 * took part in a comparison exist (Zermelo 1929, Ford 1957): they do unless
 * the models can be split into two groups one of which never lost to the
 * other (a tie counts as a win and a loss for both), that is unless the
 * graph of "i beat j" is not strongly connected. If they do not and
 * `unbeaten` (n entries, nullable) is given, it marks one such group: models
 * that never lost to any model outside it. */
gboolean assay_bradley_terry_mle_exists (guint               n,
                                         const double       *wins,
                                         gboolean           *unbeaten);

/* ---- the leaderboard ---- */

typedef struct
{
  guint32 source;     /* the cluster: 0 .. n_sources - 1; cells sorted by it */
  guint32 model;
  guint32 metric;
  double  sum;        /* the metric is sum / count, pooled over sources */
  double  count;
} AssayMetricCell;

typedef struct
{
  guint32 source;     /* sorted by it */
  guint32 model_a;
  guint32 model_b;
  double  wins_a;     /* a's wins over b, ties counting half */
  double  n;          /* comparisons between them */
} AssayPairCell;

typedef struct
{
  guint                  n_sources;
  guint                  n_models;
  guint                  n_metrics;
  const AssayMetricCell *cells;
  gsize                  n_cells;
  const AssayPairCell   *pairs;
  gsize                  n_pairs;

  /* The overall score: a weighted mean of these metrics (criteria), each
   * rescaled from [min, max] to [0, 1]; the weights are normalised over the
   * metrics a model has. */
  guint                  n_overall;
  const guint           *overall_metrics;
  const double          *overall_weights;
  const double          *overall_min;
  const double          *overall_max;

  double                 bt_prior;   /* see assay_bradley_terry */
} AssayLeaderboardInput;

typedef struct
{
  double value;       /* on all the data; NaN if there are none */
  double low;         /* the bootstrap interval; NaN if undefined */
  double high;
  double n;           /* the count behind the value */
  guint  n_sources;   /* the sources (bootstrap clusters) that contribute to it; no
                       * interval below ASSAY_INTERVAL_MIN_SOURCES */
  guint  n_replicates; /* bootstrap replicates in which it was defined */
} AssayEstimate;

typedef struct
{
  guint          n_models;
  guint          n_metrics;
  guint          n_samples;
  AssayEstimate *metrics;     /* [model * n_metrics + metric] */
  AssayEstimate *overall;     /* per model */
  AssayEstimate *strength;    /* per model: Bradley-Terry log-strength, mean 0 */
  AssayEstimate *win_rate;    /* per model: the share of its comparisons won */
  double        *wins;        /* [i * n_models + j]: i's wins over j, ties half */
  double        *games;       /* [i * n_models + j]: comparisons between i and j */
} AssayLeaderboardResult;

gboolean assay_leaderboard_compute  (const AssayLeaderboardInput  *input,
                                     guint                         n_samples,
                                     guint64                       seed,
                                     double                        level,
                                     AssayLeaderboardResult       *result,
                                     GCancellable                 *cancellable,
                                     GError                      **error);
void     assay_leaderboard_result_clear (AssayLeaderboardResult   *result);

G_END_DECLS
