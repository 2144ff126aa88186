/* stats-oracle.c: agreement coefficients of ratings read from standard input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests/check-stats-oracle.py, which compares them with NLTK. Input:
 * one "unit coder value" line per rating, integers from 0, units in
 * order; arguments: the number of coders and of values. Output: one JSON
 * object. Values are taken as numbers too (0, 1, 2, ...), for the interval
 * coefficient.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "assay-agreement.h"
#include "assay-json.h"

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

  if (argc != 3)
    {
      fprintf (stderr, "usage: stats-oracle N_CODERS N_VALUES < ratings\n");
      return 2;
    }
  n_coders = atoi (argv[1]);
  n_codes = atoi (argv[2]);
  values = g_new (double, n_codes);
  for (guint i = 0; i < n_codes; i++)
    values[i] = i;
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
  json_object_set_new (out, "fleiss_kappa", json_real (result.fleiss_kappa));
  json_object_set_new (out, "mean_kappa", json_real (result.mean_kappa));
  json_object_set_new (out, "agreement", json_real (result.agreement));
  assay_reliability_result_clear (&result);

  text = assay_json_dumps_compact (out);
  printf ("%s\n", text);
  return 0;
}
