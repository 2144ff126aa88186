/* assay-separation.c: the paired bootstrap and the power calculation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>

#include "assay-leaderboard.h"
#include "assay-separation.h"

double
assay_normal_quantile (double p)
{
  double lo = -40.0, hi = 40.0;

  g_return_val_if_fail (p > 0.0 && p < 1.0, NAN);

  /* Bisection on the distribution function, 0.5 erfc (-z / sqrt 2):
   * monotone and exact to the last bit after enough halvings, with no
   * table of coefficients to get wrong. */
  for (guint i = 0; i < 200 && hi - lo > 1e-15; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (0.5 * erfc (-mid / G_SQRT2) < p)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

typedef struct
{
  const double *d;
  guint         n;
} Paired;

static void
mean_replicate (const guint32 *weights,
                double        *out,
                gpointer       scratch,
                gpointer       user_data)
{
  const Paired *paired = user_data;
  double sum = 0.0;

  for (guint i = 0; i < paired->n; i++)
    sum += weights[i] * paired->d[i];
  out[0] = sum / paired->n;
}

gboolean
assay_separation_compute (const double     *differences,
                          guint             n,
                          guint             n_samples,
                          guint64           seed,
                          double            level,
                          double            power,
                          AssaySeparation  *out,
                          GCancellable     *cancellable,
                          GError          **error)
{
  Paired paired = { differences, n };
  double sum = 0.0, ss = 0.0;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (n == 0 || differences != NULL, FALSE);
  g_return_val_if_fail (level > 0.0 && level < 1.0, FALSE);
  g_return_val_if_fail (power > 0.0 && power < 1.0, FALSE);

  *out = (AssaySeparation) {
    ASSAY_SEPARATION_CANNOT_TELL, ASSAY_SEPARATION_REASON_TOO_FEW_SOURCES, n,
    NAN, NAN, NAN, NAN, NAN, 0,
  };
  if (n == 0)
    return TRUE;

  for (guint i = 0; i < n; i++)
    sum += differences[i];
  out->difference = sum / n;
  if (n >= 2)
    {
      for (guint i = 0; i < n; i++)
        ss += (differences[i] - out->difference) * (differences[i] - out->difference);
      out->sd = sqrt (ss / (n - 1));
    }
  /* A mean of exactly equal scores, up to rounding. */
  if (fabs (out->difference) < 1e-12)
    {
      out->difference = 0.0;
      out->reason = ASSAY_SEPARATION_REASON_NO_DIFFERENCE;
      return TRUE;
    }
  if (n < ASSAY_INTERVAL_MIN_SOURCES)
    return TRUE;

  out->reason = ASSAY_SEPARATION_REASON_NONE;
  if (!assay_bootstrap (n, n_samples, seed, 1, 0, mean_replicate, &paired, level, &out->low,
                        &out->high, NULL, cancellable, error))
    return FALSE;
  /* Every difference the same: every resample gives it. */
  if (isnan (out->low) && out->sd == 0.0)
    out->low = out->high = out->difference;

  {
    double z = assay_normal_quantile (1.0 - (1.0 - level) / 2.0) + assay_normal_quantile (power);
    double ratio = z * out->sd / out->difference;

    out->needed = ratio * ratio;
  }
  if (out->low > 0.0 || out->high < 0.0)
    out->verdict = ASSAY_SEPARATION_SEPARATED;
  else
    {
      double more = ceil (out->needed - 1e-9) - n;

      out->verdict = ASSAY_SEPARATION_NOT_SEPARATED;
      /* The bootstrap and the normal approximation can disagree at the
       * edge: an interval that touches 0 still needs a source or so. */
      out->more = more < 1.0 ? 1 : more > (double) G_MAXUINT64 / 2 ? G_MAXUINT64 / 2
                                                                   : (guint64) more;
    }
  return TRUE;
}

const char *
assay_separation_verdict_to_string (AssaySeparationVerdict verdict)
{
  static const char * const names[] = { "separated", "not-separated", "cannot-tell" };

  g_return_val_if_fail (verdict <= ASSAY_SEPARATION_CANNOT_TELL, NULL);
  return names[verdict];
}

const char *
assay_separation_reason_to_string (AssaySeparationReason reason)
{
  switch (reason)
    {
    case ASSAY_SEPARATION_REASON_TOO_FEW_SOURCES:
      return "too-few-sources";
    case ASSAY_SEPARATION_REASON_NO_DIFFERENCE:
      return "no-difference";
    case ASSAY_SEPARATION_REASON_NONE:
    default:
      return NULL;
    }
}
