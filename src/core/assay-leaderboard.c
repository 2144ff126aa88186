/* assay-leaderboard.c: model scores with bootstrap intervals, Bradley-Terry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assay-leaderboard.h"

/* ---- random numbers ---- */

/* xoshiro256** (Blackman & Vigna 2018), seeded through splitmix64: small,
 * fast, and the same stream on every platform, which GRand does not
 * promise across GLib versions. */
typedef struct
{
  guint64 s[4];
} Rng;

static inline guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static void
rng_seed (Rng     *rng,
          guint64  seed,
          guint64  stream)
{
  guint64 state = seed ^ (stream * G_GUINT64_CONSTANT (0xd1b54a32d192ed03));

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, bound) without modulo bias (Lemire 2019). */
static inline guint32
rng_below (Rng     *rng,
           guint32  bound)
{
  guint64 m = (rng_next (rng) >> 32) * (guint64) bound;
  guint32 low = (guint32) m;

  if (low < bound)
    {
      guint32 threshold = (guint32) -bound % bound;

      while (low < threshold)
        {
          m = (rng_next (rng) >> 32) * (guint64) bound;
          low = (guint32) m;
        }
    }
  return (guint32) (m >> 32);
}

/* ---- the bootstrap ---- */

typedef struct
{
  guint               n_clusters;
  guint               n_samples;
  guint64             seed;
  guint               n_stats;
  gsize               scratch_size;
  AssayReplicateFunc  func;
  gpointer            user_data;
  double             *samples;       /* n_samples x n_stats */
  GCancellable       *cancellable;
  guint               first;
  guint               stride;
} BootstrapJob;

static gpointer
bootstrap_worker (gpointer data)
{
  BootstrapJob *job = data;
  g_autofree guint32 *weights = g_new (guint32, MAX (job->n_clusters, 1));
  g_autofree guint8 *scratch = g_malloc0 (MAX (job->scratch_size, 1));

  for (guint r = job->first; r < job->n_samples; r += job->stride)
    {
      Rng rng;

      if (g_cancellable_is_cancelled (job->cancellable))
        break;

      rng_seed (&rng, job->seed, r + 1);
      memset (weights, 0, sizeof (guint32) * job->n_clusters);
      for (guint i = 0; i < job->n_clusters; i++)
        weights[rng_below (&rng, job->n_clusters)]++;
      job->func (weights, job->samples + (gsize) r * job->n_stats, scratch, job->user_data);
    }

  return NULL;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (Hyndman & Fan type 7). */
static double
quantile (const double *sorted,
          guint         n,
          double        p)
{
  double h = (n - 1) * p;
  guint lo = (guint) floor (h);

  if (lo + 1 >= n)
    return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

gboolean
assay_bootstrap (guint                n_clusters,
                 guint                n_samples,
                 guint64              seed,
                 guint                n_stats,
                 gsize                scratch_size,
                 AssayReplicateFunc   func,
                 gpointer             user_data,
                 double               level,
                 double              *low,
                 double              *high,
                 guint               *n_defined,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autofree double *samples = NULL;
  g_autofree double *column = NULL;
  g_autofree BootstrapJob *jobs = NULL;
  g_autofree GThread **threads = NULL;
  guint n_threads;

  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (level > 0.0 && level < 1.0, FALSE);

  for (guint s = 0; s < n_stats; s++)
    {
      low[s] = high[s] = NAN;
      if (n_defined != NULL)
        n_defined[s] = 0;
    }
  if (n_clusters == 0 || n_samples == 0 || n_stats == 0)
    return TRUE;

  samples = g_new (double, (gsize) n_samples * n_stats);
  n_threads = CLAMP (g_get_num_processors (), 1u, 8u);
  n_threads = MIN (n_threads, n_samples);
  jobs = g_new0 (BootstrapJob, n_threads);
  threads = g_new0 (GThread *, n_threads);

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (BootstrapJob) {
        n_clusters, n_samples, seed, n_stats, scratch_size, func, user_data, samples,
        cancellable, t, n_threads,
      };
      if (t > 0)
        threads[t] = g_thread_new ("assay-bootstrap", bootstrap_worker, &jobs[t]);
    }
  bootstrap_worker (&jobs[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  column = g_new (double, n_samples);
  for (guint s = 0; s < n_stats; s++)
    {
      guint n = 0;

      for (guint r = 0; r < n_samples; r++)
        {
          double v = samples[(gsize) r * n_stats + s];

          if (isfinite (v))
            column[n++] = v;
        }
      if (n_defined != NULL)
        n_defined[s] = n;
      if (n < 2)
        continue;
      qsort (column, n, sizeof (double), compare_doubles);
      low[s] = quantile (column, n, (1.0 - level) / 2.0);
      high[s] = quantile (column, n, 1.0 - (1.0 - level) / 2.0);
    }

  return TRUE;
}

/* ---- Bradley-Terry ---- */

/* reach[i * n + j]: a chain of wins leads from i to j (i beat k, k beat ...
 * beat j); a breadth-first search from every model, fine for the tens of
 * models a leaderboard has. */
static void
beat_reach (guint         n,
            const double *wins,
            const gboolean *active,
            guint8       *reach,
            guint        *queue)
{
  memset (reach, 0, (gsize) n * n);
  for (guint i = 0; i < n; i++)
    {
      guint head = 0, tail = 0;

      if (!active[i])
        continue;
      reach[(gsize) i * n + i] = 1;
      queue[tail++] = i;
      while (head < tail)
        {
          guint k = queue[head++];

          for (guint j = 0; j < n; j++)
            if (active[j] && !reach[(gsize) i * n + j] && wins[(gsize) k * n + j] > 0.0)
              {
                reach[(gsize) i * n + j] = 1;
                queue[tail++] = j;
              }
        }
    }
}

gboolean
assay_bradley_terry_mle_exists (guint         n,
                                const double *wins,
                                gboolean     *unbeaten)
{
  g_autofree gboolean *active = g_new0 (gboolean, MAX (n, 1));
  g_autofree guint8 *reach = g_new (guint8, MAX ((gsize) n * n, 1));
  g_autofree guint *queue = g_new (guint, MAX (n, 1));

  g_return_val_if_fail (wins != NULL || n == 0, FALSE);

  for (guint i = 0; i < n; i++)
    {
      if (unbeaten != NULL)
        unbeaten[i] = FALSE;
      for (guint j = 0; j < n; j++)
        if (j != i && wins[(gsize) i * n + j] + wins[(gsize) j * n + i] > 0.0)
          active[i] = TRUE;
    }
  beat_reach (n, wins, active, reach, queue);

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      if (active[i] && active[j] && !reach[(gsize) i * n + j])
        {
          /* Not strongly connected. A group that never lost to the rest is
           * a component nobody outside it reaches: take the one of a model
           * that reaches every model that reaches it. */
          if (unbeaten != NULL)
            for (guint a = 0; a < n; a++)
              {
                gboolean top = active[a];

                for (guint b = 0; b < n && top; b++)
                  if (active[b] && reach[(gsize) b * n + a] && !reach[(gsize) a * n + b])
                    top = FALSE;
                if (!top)
                  continue;
                for (guint b = 0; b < n; b++)
                  unbeaten[b] = active[b] && reach[(gsize) b * n + a];
                break;
              }
          return FALSE;
        }
  return TRUE;
}

gboolean
assay_bradley_terry (guint         n,
                     const double *wins,
                     double        prior,
                     double       *log_strength,
                     guint        *iterations)
{
  g_autofree double *gamma = g_new (double, MAX (n, 1));
  g_autofree double *total_wins = g_new0 (double, MAX (n, 1));
  g_autofree double *games = g_new0 (double, MAX ((gsize) n * n, 1));
  g_autofree gboolean *active = g_new0 (gboolean, MAX (n, 1));
  const guint max_iterations = 10000;
  gboolean converged = FALSE;
  guint it = 0;
  double mean = 0.0;
  guint n_active = 0;

  g_return_val_if_fail (prior >= 0.0, FALSE);

  if (prior == 0.0 && !assay_bradley_terry_mle_exists (n, wins, NULL))
    {
      for (guint i = 0; i < n; i++)
        log_strength[i] = NAN;
      if (iterations != NULL)
        *iterations = 0;
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      if (j != i && wins[(gsize) i * n + j] + wins[(gsize) j * n + i] > 0.0)
        active[i] = TRUE;
  for (guint i = 0; i < n; i++)
    {
      gamma[i] = 1.0;
      n_active += active[i];
      for (guint j = 0; j < n; j++)
        {
          /* The prior: `prior` tied games between every two models that
           * play at all, half a win to each side. */
          double extra = j != i && active[i] && active[j] ? prior : 0.0;

          if (j == i)
            continue;
          total_wins[i] += wins[(gsize) i * n + j] + extra / 2.0;
          games[(gsize) i * n + j] = wins[(gsize) i * n + j] + wins[(gsize) j * n + i] + extra;
        }
    }

  /* Hunter (2004), eq. (3), updating one strength at a time (a cyclic MM
   * step still increases the likelihood), then holding the geometric mean
   * at 1, since only ratios are identified. */
  for (it = 0; it < max_iterations && n_active > 0; it++)
    {
      double change = 0.0, log_mean = 0.0;

      for (guint i = 0; i < n; i++)
        {
          double denominator = 0.0;
          double updated;

          if (!active[i])
            continue;
          for (guint j = 0; j < n; j++)
            if (j != i && games[(gsize) i * n + j] > 0.0)
              denominator += games[(gsize) i * n + j] / (gamma[i] + gamma[j]);
          updated = total_wins[i] / denominator;
          if (!(updated > 0.0) || !isfinite (updated))
            {
              /* a model that never won (or never lost), without a prior:
               * the maximum-likelihood estimate does not exist */
              it = max_iterations;
              break;
            }
          change = MAX (change, fabs (log (updated) - log (gamma[i])));
          gamma[i] = updated;
        }
      if (it == max_iterations)
        break;

      for (guint i = 0; i < n; i++)
        if (active[i])
          log_mean += log (gamma[i]);
      log_mean /= n_active;
      for (guint i = 0; i < n; i++)
        if (active[i])
          gamma[i] *= exp (-log_mean);

      if (change < 1e-9)
        {
          converged = TRUE;
          break;
        }
    }
  if (n_active == 0)
    converged = TRUE;

  for (guint i = 0; i < n; i++)
    {
      log_strength[i] = active[i] && converged ? log (gamma[i]) : NAN;
      if (active[i] && converged)
        mean += log_strength[i];
    }
  if (n_active > 0 && converged)
    for (guint i = 0; i < n; i++)
      if (active[i])
        log_strength[i] -= mean / n_active;

  if (iterations != NULL)
    *iterations = it;
  return converged;
}

/* ---- the leaderboard ---- */

typedef struct
{
  guint32 key;        /* model * n_metrics + metric */
  float   sum;
  float   count;
} CompactCell;

typedef struct
{
  const AssayLeaderboardInput *input;
  gsize                       *cell_offsets;   /* n_sources + 1 */
  gsize                       *pair_offsets;   /* n_sources + 1 */
  guint                        n_stats;

  /* The cells again, compact, for the replicates: each replicate reads
   * them all, so their size is what the bootstrap costs. Floats are ample
   * for resampled sums (point estimates use the doubles of the input). */
  CompactCell                 *compact;
  guint32                     *pair_key;       /* model_a * n_models + model_b */
  guint32                     *pair_key_back;  /* model_b * n_models + model_a */
  float                       *pair_wins;
  float                       *pair_n;
} Board;

/* Statistic layout: metrics (model-major), then overall, strength and win
 * rate per model. */
#define STAT_METRIC(b, model, metric) ((gsize) (model) * (b)->input->n_metrics + (metric))
#define STAT_OVERALL(b, model)  ((gsize) (b)->input->n_models * (b)->input->n_metrics + (model))
#define STAT_STRENGTH(b, model) (STAT_OVERALL (b, 0) + (b)->input->n_models + (model))
#define STAT_WIN_RATE(b, model) (STAT_OVERALL (b, 0) + 2 * (b)->input->n_models + (model))

static gsize
board_scratch_size (const AssayLeaderboardInput *in)
{
  gsize cells = (gsize) in->n_models * in->n_metrics;
  gsize pairs = (gsize) in->n_models * in->n_models;

  return sizeof (double) * (2 * cells + pairs + in->n_models);
}

/* From the sums of one replicate (or of the data) to the statistics. */
static void
board_finish (Board  *b,
              double *sum,
              double *count,
              double *wins,
              double *strength,
              double *out)
{
  const AssayLeaderboardInput *in = b->input;
  guint M = in->n_models;
  gboolean any_pairs = FALSE;

  for (guint m = 0; m < M; m++)
    {
      double total = 0.0, weight = 0.0, won = 0.0, played = 0.0;

      for (guint k = 0; k < in->n_metrics; k++)
        {
          gsize i = (gsize) m * in->n_metrics + k;

          out[STAT_METRIC (b, m, k)] = count[i] > 0.0 ? sum[i] / count[i] : NAN;
        }
      for (guint o = 0; o < in->n_overall; o++)
        {
          gsize i = (gsize) m * in->n_metrics + in->overall_metrics[o];

          if (count[i] > 0.0 && in->overall_weights[o] > 0.0)
            {
              double scaled = (sum[i] / count[i] - in->overall_min[o]) /
                              (in->overall_max[o] - in->overall_min[o]);

              total += in->overall_weights[o] * scaled;
              weight += in->overall_weights[o];
            }
        }
      out[STAT_OVERALL (b, m)] = weight > 0.0 ? total / weight : NAN;

      for (guint j = 0; j < M; j++)
        {
          won += wins[(gsize) m * M + j];
          played += wins[(gsize) m * M + j] + wins[(gsize) j * M + m];
        }
      out[STAT_WIN_RATE (b, m)] = played > 0.0 ? won / played : NAN;
      any_pairs = any_pairs || played > 0.0;
    }

  if (any_pairs)
    assay_bradley_terry (M, wins, in->bt_prior, strength, NULL);
  for (guint m = 0; m < M; m++)
    out[STAT_STRENGTH (b, m)] = any_pairs ? strength[m] : NAN;
}

static void
board_replicate (const guint32 *weights,
                 double        *out,
                 gpointer       scratch,
                 gpointer       user_data)
{
  Board *b = user_data;
  const AssayLeaderboardInput *in = b->input;
  gsize n_cells = (gsize) in->n_models * in->n_metrics;
  guint M = in->n_models;
  double *sum = scratch;
  double *count = sum + n_cells;
  double *wins = count + n_cells;
  double *strength = wins + (gsize) M * M;

  memset (scratch, 0, board_scratch_size (in));

  for (guint s = 0; s < in->n_sources; s++)
    {
      double w = weights[s];

      if (w == 0.0)
        continue;
      for (gsize c = b->cell_offsets[s]; c < b->cell_offsets[s + 1]; c++)
        {
          const CompactCell *cell = &b->compact[c];

          sum[cell->key] += w * cell->sum;
          count[cell->key] += w * cell->count;
        }
      for (gsize p = b->pair_offsets[s]; p < b->pair_offsets[s + 1]; p++)
        {
          wins[b->pair_key[p]] += w * b->pair_wins[p];
          wins[b->pair_key_back[p]] += w * (b->pair_n[p] - b->pair_wins[p]);
        }
    }

  board_finish (b, sum, count, wins, strength, out);
}

/* The point estimates, in double precision from the input. */
static void
board_point (Board   *b,
             double  *out,
             gpointer scratch)
{
  const AssayLeaderboardInput *in = b->input;
  gsize n_cells = (gsize) in->n_models * in->n_metrics;
  guint M = in->n_models;
  double *sum = scratch;
  double *count = sum + n_cells;
  double *wins = count + n_cells;
  double *strength = wins + (gsize) M * M;

  memset (scratch, 0, board_scratch_size (in));
  for (gsize c = 0; c < in->n_cells; c++)
    {
      gsize k = (gsize) in->cells[c].model * in->n_metrics + in->cells[c].metric;

      sum[k] += in->cells[c].sum;
      count[k] += in->cells[c].count;
    }
  for (gsize p = 0; p < in->n_pairs; p++)
    {
      const AssayPairCell *pair = &in->pairs[p];

      wins[(gsize) pair->model_a * M + pair->model_b] += pair->wins_a;
      wins[(gsize) pair->model_b * M + pair->model_a] += pair->n - pair->wins_a;
    }
  board_finish (b, sum, count, wins, strength, out);
}

static void
board_clear (Board *board)
{
  g_free (board->cell_offsets);
  g_free (board->pair_offsets);
  g_free (board->compact);
  g_free (board->pair_key);
  g_free (board->pair_key_back);
  g_free (board->pair_wins);
  g_free (board->pair_n);
}

static void
estimate_set (AssayEstimate *e,
              double         value,
              double         low,
              double         high,
              double         n,
              guint          n_sources,
              guint          n_replicates)
{
  gboolean interval = !isnan (value) && n_sources >= ASSAY_INTERVAL_MIN_SOURCES;

  e->value = value;
  e->low = interval ? low : NAN;
  e->high = interval ? high : NAN;
  e->n = n;
  e->n_sources = n_sources;
  e->n_replicates = n_replicates;
}

/* How many sources contribute to each statistic (see Board's layout). */
static void
count_sources (const AssayLeaderboardInput *in,
               guint                        n_stats,
               guint                       *n_sources)
{
  guint M = in->n_models, K = in->n_metrics;
  g_autofree guint32 *last = g_new (guint32, MAX (n_stats, 1));
  g_autofree gboolean *in_overall = g_new0 (gboolean, MAX (K, 1));

  for (guint o = 0; o < in->n_overall; o++)
    if (in->overall_weights[o] > 0.0)
      in_overall[in->overall_metrics[o]] = TRUE;
  memset (n_sources, 0, sizeof (guint) * n_stats);
  for (guint s = 0; s < n_stats; s++)
    last[s] = G_MAXUINT32;

#define COUNT(stat, source) \
  G_STMT_START { \
    if (last[stat] != (source)) \
      { \
        last[stat] = (source); \
        n_sources[stat]++; \
      } \
  } G_STMT_END

  for (gsize c = 0; c < in->n_cells; c++)
    {
      const AssayMetricCell *cell = &in->cells[c];

      if (!(cell->count > 0.0))
        continue;
      COUNT ((gsize) cell->model * K + cell->metric, cell->source);
      if (in_overall[cell->metric])
        COUNT ((gsize) M * K + cell->model, cell->source);
    }
  for (gsize p = 0; p < in->n_pairs; p++)
    {
      const AssayPairCell *pair = &in->pairs[p];

      if (!(pair->n > 0.0))
        continue;
      COUNT ((gsize) M * K + M + pair->model_a, pair->source);
      COUNT ((gsize) M * K + M + pair->model_b, pair->source);
      COUNT ((gsize) M * K + 2 * M + pair->model_a, pair->source);
      COUNT ((gsize) M * K + 2 * M + pair->model_b, pair->source);
    }
#undef COUNT
}

gboolean
assay_leaderboard_compute (const AssayLeaderboardInput  *input,
                           guint                         n_samples,
                           guint64                       seed,
                           double                        level,
                           AssayLeaderboardResult       *result,
                           GCancellable                 *cancellable,
                           GError                      **error)
{
  Board board = { input, };
  g_autofree double *point = NULL;
  g_autofree double *low = NULL;
  g_autofree double *high = NULL;
  g_autofree guint8 *scratch = NULL;
  g_autofree double *counts = NULL;
  g_autofree guint *n_sources = NULL;
  g_autofree guint *n_defined = NULL;
  guint M, K;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  M = input->n_models;
  K = input->n_metrics;
  memset (result, 0, sizeof *result);
  result->n_models = M;
  result->n_metrics = K;
  result->n_samples = n_samples;
  result->metrics = g_new0 (AssayEstimate, MAX ((gsize) M * K, 1));
  result->overall = g_new0 (AssayEstimate, MAX (M, 1));
  result->strength = g_new0 (AssayEstimate, MAX (M, 1));
  result->win_rate = g_new0 (AssayEstimate, MAX (M, 1));
  result->wins = g_new0 (double, MAX ((gsize) M * M, 1));
  result->games = g_new0 (double, MAX ((gsize) M * M, 1));

  /* Where each source's cells start (both arrays are sorted by source). */
  board.cell_offsets = g_new0 (gsize, input->n_sources + 1);
  board.pair_offsets = g_new0 (gsize, input->n_sources + 1);
  for (gsize c = 0; c < input->n_cells; c++)
    {
      g_return_val_if_fail (input->cells[c].source < input->n_sources, FALSE);
      g_return_val_if_fail (c == 0 || input->cells[c].source >= input->cells[c - 1].source, FALSE);
      board.cell_offsets[input->cells[c].source + 1]++;
    }
  for (gsize p = 0; p < input->n_pairs; p++)
    {
      g_return_val_if_fail (input->pairs[p].source < input->n_sources, FALSE);
      g_return_val_if_fail (p == 0 || input->pairs[p].source >= input->pairs[p - 1].source, FALSE);
      board.pair_offsets[input->pairs[p].source + 1]++;
    }
  for (guint s = 0; s < input->n_sources; s++)
    {
      board.cell_offsets[s + 1] += board.cell_offsets[s];
      board.pair_offsets[s + 1] += board.pair_offsets[s];
    }
  board.n_stats = M * K + 3 * M;

  board.compact = g_new (CompactCell, MAX (input->n_cells, 1));
  for (gsize c = 0; c < input->n_cells; c++)
    {
      board.compact[c].key = input->cells[c].model * K + input->cells[c].metric;
      board.compact[c].sum = input->cells[c].sum;
      board.compact[c].count = input->cells[c].count;
    }
  board.pair_key = g_new (guint32, MAX (input->n_pairs, 1));
  board.pair_key_back = g_new (guint32, MAX (input->n_pairs, 1));
  board.pair_wins = g_new (float, MAX (input->n_pairs, 1));
  board.pair_n = g_new (float, MAX (input->n_pairs, 1));
  for (gsize p = 0; p < input->n_pairs; p++)
    {
      board.pair_key[p] = input->pairs[p].model_a * M + input->pairs[p].model_b;
      board.pair_key_back[p] = input->pairs[p].model_b * M + input->pairs[p].model_a;
      board.pair_wins[p] = input->pairs[p].wins_a;
      board.pair_n[p] = input->pairs[p].n;
    }

  /* The point estimates: every source once. */
  point = g_new (double, MAX (board.n_stats, 1));
  scratch = g_malloc0 (board_scratch_size (input) + 1);
  board_point (&board, point, scratch);

  low = g_new (double, MAX (board.n_stats, 1));
  high = g_new (double, MAX (board.n_stats, 1));
  n_defined = g_new0 (guint, MAX (board.n_stats, 1));
  n_sources = g_new0 (guint, MAX (board.n_stats, 1));
  count_sources (input, board.n_stats, n_sources);
  if (!assay_bootstrap (input->n_sources, n_samples, seed, board.n_stats,
                        board_scratch_size (input), board_replicate, &board, level, low, high,
                        n_defined, cancellable, error))
    {
      board_clear (&board);
      assay_leaderboard_result_clear (result);
      return FALSE;
    }

  /* Counts behind each value, and the win matrix. */
  counts = g_new0 (double, MAX ((gsize) M * K, 1));
  for (gsize c = 0; c < input->n_cells; c++)
    counts[(gsize) input->cells[c].model * K + input->cells[c].metric] += input->cells[c].count;
  for (gsize p = 0; p < input->n_pairs; p++)
    {
      const AssayPairCell *pair = &input->pairs[p];

      result->wins[(gsize) pair->model_a * M + pair->model_b] += pair->wins_a;
      result->wins[(gsize) pair->model_b * M + pair->model_a] += pair->n - pair->wins_a;
      result->games[(gsize) pair->model_a * M + pair->model_b] += pair->n;
      result->games[(gsize) pair->model_b * M + pair->model_a] += pair->n;
    }

  for (guint m = 0; m < M; m++)
    {
      double played = 0.0, judged = 0.0;
      gsize o = STAT_OVERALL (&board, m), st = STAT_STRENGTH (&board, m);
      gsize w = STAT_WIN_RATE (&board, m);

      for (guint k = 0; k < K; k++)
        {
          gsize i = STAT_METRIC (&board, m, k);

          estimate_set (&result->metrics[i], point[i], low[i], high[i], counts[i],
                        n_sources[i], n_defined[i]);
        }
      for (guint k = 0; k < input->n_overall; k++)
        judged = MAX (judged, counts[(gsize) m * K + input->overall_metrics[k]]);
      for (guint j = 0; j < M; j++)
        played += result->games[(gsize) m * M + j];

      estimate_set (&result->overall[m], point[o], low[o], high[o], judged, n_sources[o],
                    n_defined[o]);
      estimate_set (&result->strength[m], point[st], low[st], high[st], played, n_sources[st],
                    n_defined[st]);
      /* Without the prior, resamples in which the maximum-likelihood
       * estimate does not exist would be left out, and with them the
       * extreme ones: no interval then rather than a biased one. */
      if (input->bt_prior == 0.0 && n_defined[st] < n_samples)
        result->strength[m].low = result->strength[m].high = NAN;
      estimate_set (&result->win_rate[m], point[w], low[w], high[w], played, n_sources[w],
                    n_defined[w]);
    }

  board_clear (&board);
  return TRUE;
}

void
assay_leaderboard_result_clear (AssayLeaderboardResult *result)
{
  g_clear_pointer (&result->metrics, g_free);
  g_clear_pointer (&result->overall, g_free);
  g_clear_pointer (&result->strength, g_free);
  g_clear_pointer (&result->win_rate, g_free);
  g_clear_pointer (&result->wins, g_free);
  g_clear_pointer (&result->games, g_free);
}
