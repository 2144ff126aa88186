/* stats-oracle.c: agreement coefficients of ratings read from standard input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests/check-stats-oracle.py, which compares them with NLTK. Input:
 * one "unit coder value" line per rating, integers from 0, units in
 * order; arguments: the number of coders and of values, and optionally the
 * number the first value stands for (0 by default). Output: one JSON
 * object. Values are taken as numbers too (FIRST, FIRST + 1, ...), for the
 * interval and ratio coefficients.
 *
 * "stats-oracle bt N" reads an N x N matrix of wins instead (row i, column
 * j: i's wins over j) and prints the maximum-likelihood Bradley-Terry
 * log-strengths, or null if they do not exist.
 *
 * "stats-oracle pairs" reads "x y" lines of two raters' values (real
 * numbers: a judge's scores against the experts' means) and prints what
 * judge calibration computes from them: Spearman's rho, the
 * quadratic-weighted kappa and the two-rater interval alpha.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "assay-agreement.h"
#include "assay-json.h"
#include "assay-leaderboard.h"
#include "assay-stats-private.h"

static int
bradley_terry (guint n)
{
  g_autofree double *wins = g_new0 (double, MAX ((gsize) n * n, 1));
  g_autofree double *strength = g_new0 (double, MAX (n, 1));
  g_autoptr(json_t) out = json_object ();
  g_autofree char *text = NULL;

  for (gsize i = 0; i < (gsize) n * n; i++)
    if (scanf ("%lf", &wins[i]) != 1)
      return 2;
  if (assay_bradley_terry (n, wins, 0.0, strength, NULL))
    {
      json_t *array = json_array ();

      for (guint i = 0; i < n; i++)
        json_array_append_new (array, json_real (strength[i]));
      json_object_set_new (out, "strength", array);
    }
  else
    json_object_set_new (out, "strength", json_null ());
  json_object_set_new (out, "exists", json_boolean (assay_bradley_terry_mle_exists (n, wins,
                                                                                    NULL)));
  text = assay_json_dumps_compact (out);
  printf ("%s\n", text);
  return 0;
}

static json_t *
number (double value)
{
  return isfinite (value) ? json_real (value) : json_null ();
}

static int
pairs (void)
{
  g_autoptr(GArray) x = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) y = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(json_t) out = json_object ();
  g_autofree char *text = NULL;
  double a, b;

  while (scanf ("%lf %lf", &a, &b) == 2)
    {
      g_array_append_val (x, a);
      g_array_append_val (y, b);
    }
  json_object_set_new (out, "rho", number (_assay_spearman_rho ((double *) x->data,
                                                                 (double *) y->data, x->len)));
  json_object_set_new (out, "qwk", number (_assay_quadratic_kappa_2 ((double *) x->data,
                                                                      (double *) y->data,
                                                                      x->len)));
  json_object_set_new (out, "alpha_interval",
                       number (_assay_interval_alpha_2 ((double *) x->data, (double *) y->data,
                                                        x->len)));
  text = assay_json_dumps_compact (out);
  printf ("%s\n", text);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AssayReliability) r = NULL;
  g_autofree double *values = NULL;
  g_autofree guint *coders = NULL;
  g_autofree guint *codes = NULL;
  g_autoptr(json_t) out = json_object ();
  g_autofree char *text = NULL;
  AssayReliabilityResult result;
  guint n_coders, n_codes, n = 0;
  long unit = -1, u, c, v;
  int first = 0;

  if (argc == 3 && g_str_equal (argv[1], "bt"))
    return bradley_terry (atoi (argv[2]));
  if (argc == 2 && g_str_equal (argv[1], "pairs"))
    return pairs ();
  if (argc != 3 && argc != 4)
    {
      fprintf (stderr, "usage: stats-oracle N_CODERS N_VALUES [FIRST] < ratings\n"
                       "       stats-oracle bt N_MODELS < wins\n");
      return 2;
    }
  n_coders = atoi (argv[1]);
  n_codes = atoi (argv[2]);
  if (argc == 4)
    first = atoi (argv[3]);
  values = g_new (double, n_codes);
  for (guint i = 0; i < n_codes; i++)
    values[i] = first + (int) i;
  coders = g_new (guint, n_coders);
  codes = g_new (guint, n_coders);
  r = assay_reliability_new (n_coders, n_codes, values);

  while (scanf ("%ld %ld %ld", &u, &c, &v) == 3)
    {
      if (u != unit && n > 0)
        {
          assay_reliability_add_unit (r, coders, codes, n, 1);
          n = 0;
        }
      unit = u;
      coders[n] = c;
      codes[n++] = v;
    }
  if (n > 0)
    assay_reliability_add_unit (r, coders, codes, n, 1);

  assay_reliability_compute (r, &result);
  json_object_set_new (out, "alpha_nominal", json_real (result.alpha_nominal));
  json_object_set_new (out, "alpha_interval", json_real (result.alpha_interval));
  json_object_set_new (out, "alpha_ratio", json_real (result.alpha_ratio));
  json_object_set_new (out, "fleiss_kappa", json_real (result.fleiss_kappa));
  json_object_set_new (out, "mean_kappa", json_real (result.mean_kappa));
  json_object_set_new (out, "agreement", json_real (result.agreement));
  assay_reliability_result_clear (&result);

  text = assay_json_dumps_compact (out);
  printf ("%s\n", text);
  return 0;
}
