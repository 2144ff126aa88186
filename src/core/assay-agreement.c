/* assay-agreement.c: inter-annotator agreement on in-memory ratings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is accumulated in one pass over the units: Krippendorff's
 * coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability", section B), Fleiss' per-unit category counts grouped
 * by the unit's number of values, and one contingency table per pair of
 * coders for Cohen's kappa. The coefficients are then read off those small
 * tables, so the cost is linear in the ratings and the memory does not grow
 * with the number of units.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "assay-agreement.h"

struct _AssayReliability
{
  guint     n_coders;
  guint     n_codes;
  double   *values;           /* NULL for nominal data */
  double    range;            /* largest minus smallest value; 1 for nominal data */

  double   *coincidence;      /* n_codes x n_codes, Krippendorff's o_ck */
  guint64   n_units;          /* pairable units */

  /* Fleiss: per number of values m in a unit (index m), the units, the
   * sum over them of sum_j n_ij^2, and the category totals. */
  guint64  *fleiss_units;     /* n_coders + 1 */
  guint64  *fleiss_sumsq;     /* n_coders + 1 */
  guint64  *fleiss_totals;    /* (n_coders + 1) x n_codes */

  /* One n_codes x n_codes table per pair of coders (a < b), made when the
   * pair first shares a unit: rows are a's codes, columns b's. */
  guint64 **pairs;

  guint    *scratch_counts;   /* n_codes, zero between calls */
  guint    *scratch_present;  /* the codes a unit uses */
};

AssayReliability *
assay_reliability_new (guint         n_coders,
                       guint         n_codes,
                       const double *code_values)
{
  AssayReliability *self;
  gsize n_pairs = (gsize) n_coders * (n_coders > 0 ? n_coders - 1 : 0) / 2;

  g_return_val_if_fail (n_codes > 0, NULL);
  for (guint c = 1; code_values != NULL && c < n_codes; c++)
    g_return_val_if_fail (code_values[c] > code_values[c - 1], NULL);

  self = g_new0 (AssayReliability, 1);
  self->n_coders = n_coders;
  self->n_codes = n_codes;
  self->range = 1.0;
  if (code_values != NULL)
    {
      self->values = g_memdup2 (code_values, sizeof (double) * n_codes);
      if (n_codes > 1)
        self->range = code_values[n_codes - 1] - code_values[0];
    }
  self->coincidence = g_new0 (double, (gsize) n_codes * n_codes);
  self->fleiss_units = g_new0 (guint64, n_coders + 1);
  self->fleiss_sumsq = g_new0 (guint64, n_coders + 1);
  self->fleiss_totals = g_new0 (guint64, (gsize) (n_coders + 1) * n_codes);
  self->pairs = g_new0 (guint64 *, MAX (n_pairs, 1));
  self->scratch_counts = g_new0 (guint, n_codes);
  self->scratch_present = g_new0 (guint, n_codes);

  return self;
}

void
assay_reliability_free (AssayReliability *self)
{
  gsize n_pairs;

  if (self == NULL)
    return;

  n_pairs = (gsize) self->n_coders * (self->n_coders > 0 ? self->n_coders - 1 : 0) / 2;
  for (gsize i = 0; i < n_pairs; i++)
    g_free (self->pairs[i]);
  g_free (self->pairs);
  g_free (self->values);
  g_free (self->coincidence);
  g_free (self->fleiss_units);
  g_free (self->fleiss_sumsq);
  g_free (self->fleiss_totals);
  g_free (self->scratch_counts);
  g_free (self->scratch_present);
  g_free (self);
}

static inline gsize
pair_index (guint n_coders,
            guint a,
            guint b)
{
  /* Row-major upper triangle without the diagonal. */
  return (gsize) a * n_coders - (gsize) a * (a + 1) / 2 + (b - a - 1);
}

static inline double
code_distance (const double *values,
               double        range,
               guint         c,
               guint         k)
{
  if (c == k)
    return 0.0;
  if (values == NULL)
    return 1.0;
  return fabs (values[c] - values[k]) / range;
}

double
assay_reliability_add_unit (AssayReliability *self,
                            const guint      *coders,
                            const guint      *codes,
                            guint             n,
                            guint64           count)
{
  guint n_present = 0;
  double weight;
  double disagreement = 0.0;
  guint64 sumsq = 0;

  g_return_val_if_fail (self != NULL, NAN);

  if (n < 2 || count == 0)
    return NAN;
  g_return_val_if_fail (n <= self->n_coders, NAN);

  for (guint i = 0; i < n; i++)
    {
      guint c = codes[i];

      g_assert (c < self->n_codes);
      if (self->scratch_counts[c]++ == 0)
        self->scratch_present[n_present++] = c;
    }

  /* Each value of the unit is paired with the n - 1 others, and each pair
   * counts 1 / (n - 1): the unit adds n to the coincidence matrix. */
  weight = (double) count / (n - 1);
  for (guint i = 0; i < n_present; i++)
    {
      guint c = self->scratch_present[i];
      double nc = self->scratch_counts[c];

      sumsq += (guint64) nc * nc;
      for (guint j = 0; j < n_present; j++)
        {
          guint k = self->scratch_present[j];
          double pairs = c == k ? nc * (nc - 1) : nc * self->scratch_counts[k];

          self->coincidence[(gsize) c * self->n_codes + k] += pairs * weight;
          disagreement += pairs * code_distance (self->values, self->range, c, k);
        }
      self->fleiss_totals[(gsize) n * self->n_codes + c] += (guint64) nc * count;
    }
  self->fleiss_units[n] += count;
  self->fleiss_sumsq[n] += sumsq * count;
  self->n_units += count;

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        guint a = coders[i], b = coders[j];
        guint ca = codes[i], cb = codes[j];
        gsize p;

        g_assert (a != b && a < self->n_coders && b < self->n_coders);
        if (a > b)
          {
            guint t = a;

            a = b;
            b = t;
            t = ca;
            ca = cb;
            cb = t;
          }
        p = pair_index (self->n_coders, a, b);
        if (self->pairs[p] == NULL)
          self->pairs[p] = g_new0 (guint64, (gsize) self->n_codes * self->n_codes);
        self->pairs[p][(gsize) ca * self->n_codes + cb] += count;
      }

  for (guint i = 0; i < n_present; i++)
    self->scratch_counts[self->scratch_present[i]] = 0;

  return disagreement / ((double) n * (n - 1));
}

guint64
assay_reliability_get_n_units (AssayReliability *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_units;
}

double
assay_unit_disagreement (const guint  *codes,
                         guint         n,
                         const double *code_values,
                         guint         n_codes)
{
  double range = 1.0;
  double total = 0.0;

  if (n < 2)
    return NAN;
  if (code_values != NULL && n_codes > 1)
    range = code_values[n_codes - 1] - code_values[0];

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      total += code_distance (code_values, range, codes[i], codes[j]);

  return total / ((double) n * (n - 1) / 2);
}

typedef enum
{
  LEVEL_NOMINAL,
  LEVEL_ORDINAL,
  LEVEL_INTERVAL,
  LEVEL_RATIO,
} Level;

/* Krippendorff's alpha from the coincidence matrix:
 *   alpha = 1 - (n - 1) * sum o_ck d_ck / sum n_c n_k d_ck
 * with the metric's squared difference d_ck. */
static double
alpha_from_coincidence (AssayReliability *self,
                        Level             level)
{
  guint K = self->n_codes;
  g_autofree double *marginals = g_new0 (double, K);
  g_autofree double *cumulative = g_new0 (double, K + 1);
  double n = 0.0;
  double observed = 0.0;
  double expected = 0.0;

  for (guint c = 0; c < K; c++)
    {
      for (guint k = 0; k < K; k++)
        marginals[c] += self->coincidence[(gsize) c * K + k];
      n += marginals[c];
      cumulative[c + 1] = cumulative[c] + marginals[c];
    }
  if (n < 2.0)
    return NAN;

  for (guint c = 0; c < K; c++)
    for (guint k = c + 1; k < K; k++)
      {
        double d;

        switch (level)
          {
          case LEVEL_NOMINAL:
            d = 1.0;
            break;
          case LEVEL_ORDINAL:
            /* sum of the marginals from c to k, less half of the two ends */
            d = cumulative[k + 1] - cumulative[c] - (marginals[c] + marginals[k]) / 2.0;
            d *= d;
            break;
          case LEVEL_RATIO:
            /* Krippendorff's ratio metric: differences relative to the
             * sum, so 1 vs 2 is as far apart as 5 vs 10. Only for values
             * measured from a true zero (checked by the caller). */
            d = (self->values[k] - self->values[c]) / (self->values[k] + self->values[c]);
            d *= d;
            break;
          case LEVEL_INTERVAL:
          default:
            d = self->values[k] - self->values[c];
            d *= d;
            break;
          }

        /* o and n_c n_k are symmetric: count each off-diagonal pair twice. */
        observed += 2.0 * self->coincidence[(gsize) c * K + k] * d;
        expected += 2.0 * marginals[c] * marginals[k] * d;
      }

  if (!(expected > 0.0))
    return NAN;
  return 1.0 - (n - 1.0) * observed / expected;
}

static double
fleiss_kappa (AssayReliability *self,
              guint            *raters_out,
              guint64          *units_out)
{
  guint m = 0;
  double N, p_bar, p_e = 0.0;

  /* The most common number of values per unit; the larger one on a tie. */
  for (guint i = 2; i <= self->n_coders; i++)
    if (self->fleiss_units[i] > 0 && (m == 0 || self->fleiss_units[i] >= self->fleiss_units[m]))
      m = i;

  *raters_out = m;
  *units_out = m > 0 ? self->fleiss_units[m] : 0;
  if (m == 0)
    return NAN;

  N = self->fleiss_units[m];
  p_bar = ((double) self->fleiss_sumsq[m] - N * m) / (N * m * (m - 1));
  for (guint c = 0; c < self->n_codes; c++)
    {
      double p = self->fleiss_totals[(gsize) m * self->n_codes + c] / (N * m);

      p_e += p * p;
    }

  if (!(1.0 - p_e > 1e-12))
    return NAN;
  return (p_bar - p_e) / (1.0 - p_e);
}

static void
pair_statistics (AssayReliability   *self,
                 const guint64      *table,
                 AssayPairAgreement *pair)
{
  guint K = self->n_codes;
  g_autofree double *rows = g_new0 (double, K);
  g_autofree double *cols = g_new0 (double, K);
  double N = 0.0, diagonal = 0.0, near = 0.0, p_e = 0.0;

  for (guint i = 0; i < K; i++)
    for (guint j = 0; j < K; j++)
      {
        double t = table[(gsize) i * K + j];

        rows[i] += t;
        cols[j] += t;
        N += t;
        if (i == j)
          diagonal += t;
        if (self->values != NULL && fabs (self->values[i] - self->values[j]) <= 1.0)
          near += t;
      }

  pair->n_units = (guint64) N;
  pair->agreement = diagonal / N;
  for (guint i = 0; i < K; i++)
    p_e += rows[i] * cols[i] / (N * N);
  pair->kappa = 1.0 - p_e > 1e-12 ? (pair->agreement - p_e) / (1.0 - p_e) : NAN;

  pair->weighted_kappa = NAN;
  pair->within_one = NAN;
  if (self->values != NULL)
    {
      double observed = 0.0, expected = 0.0;

      for (guint i = 0; i < K; i++)
        for (guint j = 0; j < K; j++)
          {
            double d = self->values[i] - self->values[j];

            observed += d * d * table[(gsize) i * K + j] / N;
            expected += d * d * rows[i] * cols[j] / (N * N);
          }
      pair->weighted_kappa = expected > 0.0 ? 1.0 - observed / expected : NAN;
      pair->within_one = near / N;
    }
}

void
assay_reliability_compute (AssayReliability       *self,
                           AssayReliabilityResult *result)
{
  guint K;
  double n = 0.0, agree = 0.0, near = 0.0;
  double kappa_sum = 0.0, wkappa_sum = 0.0;
  guint kappa_n = 0, wkappa_n = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (result != NULL);

  K = self->n_codes;
  memset (result, 0, sizeof *result);
  result->pairs = g_array_new (FALSE, TRUE, sizeof (AssayPairAgreement));
  result->n_units = self->n_units;

  for (guint c = 0; c < K; c++)
    for (guint k = 0; k < K; k++)
      {
        double o = self->coincidence[(gsize) c * K + k];

        n += o;
        if (c == k)
          agree += o;
        if (self->values != NULL && fabs (self->values[c] - self->values[k]) <= 1.0)
          near += o;
      }
  /* The matrix adds up to the pairable values (rounding aside). */
  result->n_values = (guint64) llround (n);
  result->agreement = n > 0.0 ? agree / n : NAN;
  result->within_one = self->values != NULL && n > 0.0 ? near / n : NAN;

  result->alpha_nominal = alpha_from_coincidence (self, LEVEL_NOMINAL);
  result->alpha_ordinal = self->values != NULL ? alpha_from_coincidence (self, LEVEL_ORDINAL) : NAN;
  result->alpha_interval = self->values != NULL ? alpha_from_coincidence (self, LEVEL_INTERVAL)
                                                : NAN;
  result->alpha_ratio = self->values != NULL && self->values[0] >= 0.0
                        ? alpha_from_coincidence (self, LEVEL_RATIO) : NAN;
  result->fleiss_kappa = fleiss_kappa (self, &result->fleiss_raters, &result->fleiss_units);

  for (guint a = 0; a < self->n_coders; a++)
    for (guint b = a + 1; b < self->n_coders; b++)
      {
        const guint64 *table = self->pairs[pair_index (self->n_coders, a, b)];
        AssayPairAgreement pair = { a, b, };

        if (table == NULL)
          continue;
        pair_statistics (self, table, &pair);
        if (!isnan (pair.kappa))
          {
            kappa_sum += pair.kappa;
            kappa_n++;
          }
        if (!isnan (pair.weighted_kappa))
          {
            wkappa_sum += pair.weighted_kappa;
            wkappa_n++;
          }
        g_array_append_val (result->pairs, pair);
      }
  result->mean_kappa = kappa_n > 0 ? kappa_sum / kappa_n : NAN;
  result->mean_weighted_kappa = wkappa_n > 0 ? wkappa_sum / wkappa_n : NAN;
}

void
assay_reliability_result_clear (AssayReliabilityResult *result)
{
  g_clear_pointer (&result->pairs, g_array_unref);
}

/* ---- rankings ---- */

typedef struct
{
  double value;
  guint  index;
} Ranked;

static int
compare_ranked (const void *a,
                const void *b)
{
  const Ranked *x = a, *y = b;

  if (x->value != y->value)
    return x->value < y->value ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Mid-ranks (1-based) of `values` into `out`; returns sum (t^3 - t) over the
 * groups of ties. */
static double
mid_ranks (const double *values,
           guint         n,
           Ranked       *scratch,
           double       *out)
{
  double ties = 0.0;

  for (guint i = 0; i < n; i++)
    {
      scratch[i].value = values[i];
      scratch[i].index = i;
    }
  qsort (scratch, n, sizeof (Ranked), compare_ranked);

  for (guint i = 0; i < n;)
    {
      guint j = i + 1;
      double mid;

      while (j < n && scratch[j].value == scratch[i].value)
        j++;
      /* positions i + 1 .. j share their mean */
      mid = (i + 1 + j) / 2.0;
      for (guint k = i; k < j; k++)
        out[scratch[k].index] = mid;
      if (j - i > 1)
        {
          double t = j - i;

          ties += t * t * t - t;
        }
      i = j;
    }
  return ties;
}

double
assay_kendall_w (const double *ranks,
                 guint         m,
                 guint         n)
{
  g_autofree Ranked *scratch = NULL;
  g_autofree double *row = NULL;
  g_autofree double *sums = NULL;
  double ties = 0.0, mean, S = 0.0, denominator;

  g_return_val_if_fail (ranks != NULL || m * n == 0, NAN);

  if (m < 2 || n < 2)
    return NAN;

  scratch = g_new (Ranked, n);
  row = g_new (double, n);
  sums = g_new0 (double, n);
  for (guint r = 0; r < m; r++)
    {
      ties += mid_ranks (ranks + (gsize) r * n, n, scratch, row);
      for (guint i = 0; i < n; i++)
        sums[i] += row[i];
    }

  mean = m * (n + 1) / 2.0;
  for (guint i = 0; i < n; i++)
    S += (sums[i] - mean) * (sums[i] - mean);

  denominator = (double) m * m * ((double) n * n * n - n) - (double) m * ties;
  if (!(denominator > 0.0))
    return NAN;
  return 12.0 * S / denominator;
}

double
assay_kendall_tau_b (const double *x,
                     const double *y,
                     guint         n)
{
  double concordant = 0.0, discordant = 0.0, ties_x = 0.0, ties_y = 0.0, pairs, d;

  if (n < 2)
    return NAN;

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        double dx = x[i] - x[j];
        double dy = y[i] - y[j];

        if (dx == 0.0)
          ties_x++;
        if (dy == 0.0)
          ties_y++;
        if (dx == 0.0 || dy == 0.0)
          continue;
        if ((dx > 0.0) == (dy > 0.0))
          concordant++;
        else
          discordant++;
      }

  pairs = (double) n * (n - 1) / 2.0;
  d = (pairs - ties_x) * (pairs - ties_y);
  if (!(d > 0.0))
    return NAN;
  return (concordant - discordant) / sqrt (d);
}
