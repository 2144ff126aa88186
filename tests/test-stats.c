/* test-stats.c: agreement and leaderboard statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every coefficient is checked against a published worked example or a
 * value worked out by hand from the definition (the working is in the
 * comments), to three decimals. tests/check-stats-oracle.py compares the
 * same code with NLTK on random data.
 */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-stats.h"
#include "assay-stats-details.h"

#define assert_close(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 0.0005)

/* Adds units given as rows of coders: table[coder * n_units + unit], 0 missing. */
static void
add_table (AssayReliability *r,
           const int        *table,
           guint             n_coders,
           guint             n_units,
           int               offset)
{
  for (guint u = 0; u < n_units; u++)
    {
      guint coders[16], codes[16], n = 0;

      for (guint c = 0; c < n_coders; c++)
        if (table[c * n_units + u] != 0)
          {
            coders[n] = c;
            codes[n++] = table[c * n_units + u] - offset;
          }
      assay_reliability_add_unit (r, coders, codes, n, 1);
    }
}

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
 * section C: 4 observers, 12 units, values 1-5, missing values (0 here).
 * He reports alpha = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval),
 * 0.797 (ratio);
 * unit 12 has one value and is not pairable, so 11 units and 40 values. */
static const int krippendorff_2011[4 * 12] = {
  1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0,
  1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3,
  0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0,
  1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0,
};

static void
test_krippendorff_2011 (void)
{
  const double values[] = { 1, 2, 3, 4, 5 };
  g_autoptr(AssayReliability) r = assay_reliability_new (4, 5, values);
  AssayReliabilityResult result;

  add_table (r, krippendorff_2011, 4, 12, 1);
  assay_reliability_compute (r, &result);

  assert_close (result.alpha_nominal, 0.743);
  assert_close (result.alpha_ordinal, 0.815);
  assert_close (result.alpha_interval, 0.849);
  /* and 0.797 with the ratio metric */
  assert_close (result.alpha_ratio, 0.797);
  g_assert_cmpuint (result.n_units, ==, 11);
  g_assert_cmpuint (result.n_values, ==, 40);

  /* Missing data: each pair of coders is compared on the units both coded.
   * A and B share units 1-9 and agree on 8 of them (unit 6: 1 vs 2). */
  for (guint i = 0; i < result.pairs->len; i++)
    {
      AssayPairAgreement *p = &g_array_index (result.pairs, AssayPairAgreement, i);

      if (p->coder_a == 0 && p->coder_b == 1)
        {
          g_assert_cmpuint (p->n_units, ==, 9);
          assert_close (p->agreement, 8.0 / 9.0);
        }
      if (p->coder_a == 0 && p->coder_b == 2)
        g_assert_cmpuint (p->n_units, ==, 8);   /* C misses unit 1, A units 10-12 */
    }
  g_assert_cmpuint (result.pairs->len, ==, 6);
  assay_reliability_result_clear (&result);
}

/* Fleiss' kappa, the example in Wikipedia's "Fleiss' kappa" article (after
 * Fleiss 1971): 10 subjects, 14 raters each, 5 categories; the article
 * gives P-bar = 0.378, P_e = 0.213 and kappa = 0.210. Rater identities do
 * not matter to Fleiss' kappa, so raters are numbered within each row. */
static void
test_fleiss_wikipedia (void)
{
  static const int counts[10][5] = {
    { 0, 0, 0, 0, 14 }, { 0, 2, 6, 4, 2 }, { 0, 0, 3, 5, 6 }, { 0, 3, 9, 2, 0 },
    { 2, 2, 8, 1, 1 }, { 7, 7, 0, 0, 0 }, { 3, 2, 6, 3, 0 }, { 2, 5, 3, 2, 2 },
    { 6, 5, 2, 1, 0 }, { 0, 2, 2, 3, 7 },
  };
  g_autoptr(AssayReliability) r = assay_reliability_new (14, 5, NULL);
  AssayReliabilityResult result;

  for (guint u = 0; u < 10; u++)
    {
      guint coders[14], codes[14], n = 0;

      for (guint j = 0; j < 5; j++)
        for (int t = 0; t < counts[u][j]; t++)
          {
            coders[n] = n;
            codes[n++] = j;
          }
      assay_reliability_add_unit (r, coders, codes, n, 1);
    }
  assay_reliability_compute (r, &result);

  assert_close (result.fleiss_kappa, 0.210);
  assert_close (result.agreement, 0.378);   /* P-bar: with 14 raters everywhere, the same */
  g_assert_cmpuint (result.fleiss_raters, ==, 14);
  g_assert_cmpuint (result.fleiss_units, ==, 10);
  assay_reliability_result_clear (&result);
}

/* Fleiss with varying numbers of raters: only the units with the most
 * common number count. Three units have 3 raters, one has 2. The three:
 * (a a a), (a a b), (b b b): P_i = 1, 1/3, 1; P-bar = 7/9; p_a = 5/9,
 * p_b = 4/9, P_e = 41/81; kappa = (63/81 - 41/81) / (40/81) = 22/40. */
static void
test_fleiss_modal (void)
{
  static const int table[3 * 4] = {
    1, 1, 2, 1,
    1, 1, 2, 2,
    1, 2, 2, 0,
  };
  g_autoptr(AssayReliability) r = assay_reliability_new (3, 2, NULL);
  AssayReliabilityResult result;

  add_table (r, table, 3, 4, 1);
  assay_reliability_compute (r, &result);
  assert_close (result.fleiss_kappa, 0.55);
  g_assert_cmpuint (result.fleiss_raters, ==, 3);
  g_assert_cmpuint (result.fleiss_units, ==, 3);
  g_assert_cmpuint (result.n_units, ==, 4);
  assay_reliability_result_clear (&result);
}

/* Cohen's kappa, the example in Wikipedia's "Cohen's kappa" article: 50
 * grant proposals, both readers yes 20, A yes B no 5, A no B yes 10, both no
 * 15. p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4. */
static void
test_cohen_wikipedia (void)
{
  g_autoptr(AssayReliability) r = assay_reliability_new (2, 2, NULL);
  const guint coders[2] = { 0, 1 };
  const guint yy[2] = { 0, 0 }, yn[2] = { 0, 1 }, ny[2] = { 1, 0 }, nn[2] = { 1, 1 };
  AssayReliabilityResult result;
  AssayPairAgreement *pair;

  assay_reliability_add_unit (r, coders, yy, 2, 20);
  assay_reliability_add_unit (r, coders, yn, 2, 5);
  assay_reliability_add_unit (r, coders, ny, 2, 10);
  assay_reliability_add_unit (r, coders, nn, 2, 15);
  assay_reliability_compute (r, &result);

  g_assert_cmpuint (result.pairs->len, ==, 1);
  pair = &g_array_index (result.pairs, AssayPairAgreement, 0);
  g_assert_cmpuint (pair->n_units, ==, 50);
  assert_close (pair->agreement, 0.7);
  assert_close (pair->kappa, 0.4);
  assert_close (result.mean_kappa, 0.4);
  g_assert_true (isnan (pair->weighted_kappa));   /* nominal data */
  assay_reliability_result_clear (&result);
}

/* Quadratic weighted kappa, worked by hand. Two raters, scale 1-3, 10
 * units: (1,1) x3, (2,2) x2, (3,3) x2, (1,2), (2,3), (3,1).
 * Weights (i - j)^2. Observed: (1 + 1 + 4) / 10 = 0.6. Marginals: A 4,3,3;
 * B 4,3,3. Expected: (1*4*3 + 4*4*3 + 1*3*4 + 1*3*3 + 4*3*4 + 1*3*3) / 100
 * = 138 / 100 = 1.38. kappa_w = 1 - 0.6 / 1.38 = 0.5652.
 * Unweighted: p_o = 0.7, p_e = (16 + 9 + 9) / 100 = 0.34, kappa = 0.5455.
 * Within one point: all but (3,1): 0.9. */
static void
test_weighted_kappa (void)
{
  const double values[] = { 1, 2, 3 };
  g_autoptr(AssayReliability) r = assay_reliability_new (2, 3, values);
  const guint coders[2] = { 0, 1 };
  static const guint pairs[][3] = {
    { 0, 0, 3 }, { 1, 1, 2 }, { 2, 2, 2 }, { 0, 1, 1 }, { 1, 2, 1 }, { 2, 0, 1 },
  };
  AssayReliabilityResult result;
  AssayPairAgreement *pair;

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      guint codes[2] = { pairs[i][0], pairs[i][1] };

      assay_reliability_add_unit (r, coders, codes, 2, pairs[i][2]);
    }
  assay_reliability_compute (r, &result);
  pair = &g_array_index (result.pairs, AssayPairAgreement, 0);
  assert_close (pair->weighted_kappa, 1.0 - 0.6 / 1.38);
  assert_close (pair->kappa, 0.36 / 0.66);
  assert_close (pair->within_one, 0.9);
  assert_close (result.within_one, 0.9);
  assert_close (result.agreement, 0.7);
  assay_reliability_result_clear (&result);
}

/* Kendall's W, worked by hand from the definition (Kendall & Babington
 * Smith 1939; with ties as in Siegel & Castellan 1988, eq. 9.16):
 *   W = 12 S / (m^2 (n^3 - n) - m sum T),  T = sum (t^3 - t) over ties.
 * Without ties: rankings (1 2 3 4), (1 3 2 4), (2 1 3 4): rank sums 4, 6, 8,
 * 12, mean 7.5, S = 35, W = 420 / 540 = 0.7778.
 * With ties: (1 2 2 4) -> mid-ranks (1 2.5 2.5 4), (1 3 2 4), (1 1 3 4) ->
 * (1.5 1.5 3 4): sums 3.5, 7, 7.5, 12; S = 36.5; sum T = 6 + 6;
 * W = 438 / (540 - 36) = 0.8690 (0.8111 without the correction). */
static void
test_kendall_w (void)
{
  const double plain[] = { 1, 2, 3, 4, 1, 3, 2, 4, 2, 1, 3, 4 };
  const double tied[] = { 1, 2, 2, 4, 1, 3, 2, 4, 1, 1, 3, 4 };
  const double same[] = { 1, 2, 3, 1, 2, 3 };
  const double flat[] = { 1, 1, 1, 1, 1, 1 };

  assert_close (assay_kendall_w (plain, 3, 4), 420.0 / 540.0);
  assert_close (assay_kendall_w (tied, 3, 4), 438.0 / 504.0);
  assert_close (assay_kendall_w (same, 2, 3), 1.0);
  g_assert_true (isnan (assay_kendall_w (flat, 2, 3)));   /* every ranking ties everything */
  g_assert_true (isnan (assay_kendall_w (plain, 1, 4)));  /* one ranking */
  g_assert_true (isnan (assay_kendall_w (plain, 3, 1)));
}

/* Kendall's tau-b; the values agree with scipy.stats.kendalltau:
 * (1 2 3 4 5) vs (1 3 2 5 4): 8 concordant, 2 discordant, tau = 0.6.
 * (1 1 2 3 4) vs (1 2 2 3 3): 7 concordant, 0 discordant, one tie in each,
 * tau-b = 7 / sqrt (9 * 9)... = 0.8250 (scipy: 0.8249579). */
static void
test_kendall_tau_b (void)
{
  const double x1[] = { 1, 2, 3, 4, 5 }, y1[] = { 1, 3, 2, 5, 4 };
  const double x2[] = { 1, 1, 2, 3, 4 }, y2[] = { 1, 2, 2, 3, 3 };
  const double flat[] = { 2, 2, 2 };

  assert_close (assay_kendall_tau_b (x1, y1, 5), 0.6);
  assert_close (assay_kendall_tau_b (x2, y2, 5), 0.8249579);
  assert_close (assay_kendall_tau_b (x1, x1, 5), 1.0);
  g_assert_true (isnan (assay_kendall_tau_b (x1, flat, 3)));
  g_assert_true (isnan (assay_kendall_tau_b (x1, y1, 1)));
}

/* Degenerate data: never a crash or a division by zero, NaN where the
 * coefficient has no value. */
static void
test_degenerate (void)
{
  AssayReliabilityResult result;
  const guint one_coder[1] = { 0 }, codes_a[1] = { 1 };
  const guint coders[3] = { 0, 1, 2 };
  const guint same[3] = { 2, 2, 2 };
  const guint split[2] = { 0, 1 };

  /* nothing at all */
  {
    g_autoptr(AssayReliability) r = assay_reliability_new (3, 2, NULL);

    assay_reliability_compute (r, &result);
    g_assert_cmpuint (result.n_units, ==, 0);
    g_assert_true (isnan (result.alpha_nominal));
    g_assert_true (isnan (result.fleiss_kappa));
    g_assert_true (isnan (result.agreement));
    g_assert_true (isnan (result.mean_kappa));
    g_assert_cmpuint (result.pairs->len, ==, 0);
    assay_reliability_result_clear (&result);
  }

  /* one coder: nothing is pairable */
  {
    g_autoptr(AssayReliability) r = assay_reliability_new (1, 2, NULL);

    g_assert_true (isnan (assay_reliability_add_unit (r, one_coder, codes_a, 1, 1)));
    assay_reliability_compute (r, &result);
    g_assert_cmpuint (result.n_units, ==, 0);
    g_assert_true (isnan (result.alpha_nominal));
    assay_reliability_result_clear (&result);
  }

  /* everyone agrees on one value: agreement 1, alpha and kappas undefined */
  {
    const double values[] = { 1, 2, 3 };
    g_autoptr(AssayReliability) r = assay_reliability_new (3, 3, values);

    g_assert_cmpfloat (assay_reliability_add_unit (r, coders, same, 3, 5), ==, 0.0);
    assay_reliability_compute (r, &result);
    g_assert_cmpuint (result.n_units, ==, 5);
    assert_close (result.agreement, 1.0);
    g_assert_true (isnan (result.alpha_nominal));
    g_assert_true (isnan (result.alpha_ordinal));
    g_assert_true (isnan (result.alpha_interval));
    g_assert_true (isnan (result.fleiss_kappa));
    g_assert_true (isnan (result.mean_kappa));
    g_assert_true (isnan (result.mean_weighted_kappa));
    assay_reliability_result_clear (&result);
  }

  /* one unit, two coders who disagree: alpha 0 (Krippendorff's formula);
   * Cohen's kappa 0, since each coder used one value and p_e = 0 */
  {
    g_autoptr(AssayReliability) r = assay_reliability_new (2, 2, NULL);

    g_assert_cmpfloat (assay_reliability_add_unit (r, coders, split, 2, 1), ==, 1.0);
    assay_reliability_compute (r, &result);
    assert_close (result.alpha_nominal, 0.0);
    assert_close (g_array_index (result.pairs, AssayPairAgreement, 0).kappa, 0.0);
    assay_reliability_result_clear (&result);
  }
}

/* The disagreement of a unit: the mean distance over its pairs of values,
 * on the scale's range. */
static void
test_unit_disagreement (void)
{
  const double scale[] = { 1, 2, 3, 4, 5 };
  const guint nominal[] = { 0, 0, 1 };
  const guint ends[] = { 0, 4 };
  const guint near[] = { 1, 2 };

  assert_close (assay_unit_disagreement (nominal, 3, NULL, 2), 2.0 / 3.0);
  assert_close (assay_unit_disagreement (ends, 2, scale, 5), 1.0);
  assert_close (assay_unit_disagreement (near, 2, scale, 5), 0.25);
  g_assert_true (isnan (assay_unit_disagreement (near, 1, scale, 5)));
}

/* ---- Bradley-Terry and the bootstrap ---- */

/* Two models, A beat B 3 times and lost once: the MLE has
 * gamma_A / gamma_B = 3, so log-strengths +-ln(3)/2 = +-0.5493.
 * Three models (wins of row over column): A-B 6:4, A-C 8:2, B-C 7:3; the
 * MLE found by minimising the negative log-likelihood with scipy's BFGS,
 * centred: A 0.5915, B 0.1491, C -0.7406. */
static void
test_bradley_terry (void)
{
  const double two[] = { 0, 3, 1, 0 };
  const double three[] = { 0, 6, 8, 4, 0, 7, 2, 3, 0 };
  const double lopsided[] = { 0, 5, 0, 0 };
  double s[3];
  guint iterations;

  g_assert_true (assay_bradley_terry (2, two, 0.0, s, &iterations));
  assert_close (s[0], log (3.0) / 2.0);
  assert_close (s[1], -log (3.0) / 2.0);

  g_assert_true (assay_bradley_terry (3, three, 0.0, s, NULL));
  assert_close (s[0], 0.5915);
  assert_close (s[1], 0.1491);
  assert_close (s[2], -0.7406);

  /* Half a win each for a tie gives the same fit as splitting it. */
  {
    const double ties[] = { 0, 2.5, 1.5, 0 };   /* A 2 wins, B 1 win, 1 tie */
    double t[2];

    g_assert_true (assay_bradley_terry (2, ties, 0.0, t, NULL));
    assert_close (t[0] - t[1], log (2.5 / 1.5));
  }

  /* A model that never lost has no finite MLE; the prior keeps it finite
   * and in order. */
  g_assert_false (assay_bradley_terry (2, lopsided, 0.0, s, NULL));
  g_assert_true (assay_bradley_terry (2, lopsided, 1.0, s, NULL));
  g_assert_true (isfinite (s[0]) && isfinite (s[1]));
  g_assert_cmpfloat (s[0], >, s[1]);
  assert_close (s[0] + s[1], 0.0);

  /* The prior shrinks towards 0. */
  g_assert_true (assay_bradley_terry (2, two, 1.0, s, NULL));
  g_assert_cmpfloat (s[0], <, log (3.0) / 2.0);
  g_assert_cmpfloat (s[0], >, 0.0);

  /* A model without comparisons has no strength. */
  {
    const double isolated[] = { 0, 3, 0, 1, 0, 0, 0, 0, 0 };

    g_assert_true (assay_bradley_terry (3, isolated, 0.0, s, NULL));
    g_assert_true (isnan (s[2]));
    assert_close (s[0], log (3.0) / 2.0);
  }
}

/* Without a prior the MLE exists only if no group of models never lost to
 * the rest; the group is named. Values: an independent Newton-Raphson fit
 * of the log-likelihood (tests/check-stats-oracle.py does the same on
 * random tables). */
static void
test_bradley_terry_mle (void)
{
  /* A and B beat each other; both beat C, who never won: {A, B} never lost
   * to the rest. */
  const double group[] = { 0, 2, 3, 1, 0, 2, 0, 0, 0 };
  /* C's one tie with A is a loss and a win: now it exists. */
  const double tied[] = { 0, 2, 2.5, 1, 0, 2, 0.5, 0, 0 };
  /* two models that never met are not comparable */
  const double apart[] = { 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0 };
  gboolean unbeaten[4];
  double s[4];

  g_assert_false (assay_bradley_terry_mle_exists (3, group, unbeaten));
  g_assert_true (unbeaten[0] && unbeaten[1] && !unbeaten[2]);
  g_assert_false (assay_bradley_terry (3, group, 0.0, s, NULL));
  g_assert_true (isnan (s[0]) && isnan (s[1]) && isnan (s[2]));
  /* the penalised fit has one */
  g_assert_true (assay_bradley_terry (3, group, 1.0, s, NULL));
  g_assert_true (isfinite (s[2]) && s[2] < s[0]);

  g_assert_true (assay_bradley_terry_mle_exists (3, tied, unbeaten));
  g_assert_true (assay_bradley_terry (3, tied, 0.0, s, NULL));
  /* Newton-Raphson, centred: 0.9006, 0.5488, -1.4494 */
  assert_close (s[0], 0.9006);
  assert_close (s[1], 0.5488);
  assert_close (s[2], -1.4494);

  g_assert_false (assay_bradley_terry_mle_exists (4, apart, NULL));
}

static void
build_cells (GArray *cells,
             guint   n_sources,
             double  spread)
{
  /* Model 0 scores 4 +- spread, model 1 scores 2 +- spread, alternating. */
  for (guint s = 0; s < n_sources; s++)
    {
      AssayMetricCell a = { s, 0, 0, 4.0 + (s % 2 ? spread : -spread), 1 };
      AssayMetricCell b = { s, 1, 0, 2.0 + (s % 2 ? -spread : spread), 1 };

      g_array_append_val (cells, a);
      g_array_append_val (cells, b);
    }
}

static void
test_leaderboard_bootstrap (void)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (AssayMetricCell));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (AssayPairCell));
  const guint overall_metrics[] = { 0 };
  const double weights[] = { 1 }, lo[] = { 1 }, hi[] = { 5 };
  AssayLeaderboardInput input = { 0, };
  AssayLeaderboardResult r1, r2, r3;
  g_autoptr(GError) error = NULL;

  build_cells (cells, 40, 1.0);
  for (guint s = 0; s < 40; s++)
    {
      /* model 0 beats model 1 on three sources out of four; a tie on the rest */
      AssayPairCell p = { s, 0, 1, s % 4 == 3 ? 0.5 : 1.0, 1 };

      g_array_append_val (pairs, p);
    }

  input.n_sources = 40;
  input.n_models = 2;
  input.n_metrics = 1;
  input.cells = (const AssayMetricCell *) cells->data;
  input.n_cells = cells->len;
  input.pairs = (const AssayPairCell *) pairs->data;
  input.n_pairs = pairs->len;
  input.n_overall = 1;
  input.overall_metrics = overall_metrics;
  input.overall_weights = weights;
  input.overall_min = lo;
  input.overall_max = hi;
  input.bt_prior = 1.0;

  g_assert_true (assay_leaderboard_compute (&input, 500, 7, 0.95, &r1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (assay_leaderboard_compute (&input, 500, 7, 0.95, &r2, NULL, &error));
  g_assert_true (assay_leaderboard_compute (&input, 500, 8, 0.95, &r3, NULL, &error));

  /* point estimates */
  assert_close (r1.metrics[0].value, 4.0);
  assert_close (r1.metrics[1].value, 2.0);
  assert_close (r1.overall[0].value, 0.75);
  assert_close (r1.overall[1].value, 0.25);
  assert_close (r1.win_rate[0].value, (30 + 5.0) / 40.0);
  assert_close (r1.wins[0 * 2 + 1], 35.0);
  assert_close (r1.games[0 * 2 + 1], 40.0);
  g_assert_cmpfloat (r1.strength[0].value, >, 0.0);
  assert_close (r1.strength[0].value, -r1.strength[1].value);
  g_assert_cmpfloat (r1.metrics[0].n, ==, 40.0);

  /* intervals hold the estimate, and the seed makes them reproducible */
  for (guint m = 0; m < 2; m++)
    {
      g_assert_cmpfloat (r1.metrics[m].low, <=, r1.metrics[m].value);
      g_assert_cmpfloat (r1.metrics[m].high, >=, r1.metrics[m].value);
      g_assert_cmpfloat (r1.metrics[m].low, <, r1.metrics[m].high);
      g_assert_cmpfloat (r1.strength[m].low, <=, r1.strength[m].value);
      g_assert_cmpfloat (r1.strength[m].high, >=, r1.strength[m].value);
      g_assert_cmpfloat (r1.metrics[m].low, ==, r2.metrics[m].low);
      g_assert_cmpfloat (r1.strength[m].high, ==, r2.strength[m].high);
    }
  g_assert_true (r1.metrics[0].low != r3.metrics[0].low ||
                 r1.metrics[0].high != r3.metrics[0].high);
  /* a mean of 40 values +-1 around 4: the interval is about +-0.3 wide */
  g_assert_cmpfloat (r1.metrics[0].high - r1.metrics[0].low, <, 0.8);
  g_assert_cmpfloat (r1.metrics[0].high - r1.metrics[0].low, >, 0.3);

  assay_leaderboard_result_clear (&r1);
  assay_leaderboard_result_clear (&r2);
  assay_leaderboard_result_clear (&r3);

  /* No variation between sources: a zero-width interval. */
  g_array_set_size (cells, 0);
  build_cells (cells, 10, 0.0);
  input.n_sources = 10;
  input.cells = (const AssayMetricCell *) cells->data;
  input.n_cells = cells->len;
  input.n_pairs = 0;
  g_assert_true (assay_leaderboard_compute (&input, 200, 1, 0.95, &r1, NULL, &error));
  assert_close (r1.metrics[0].low, 4.0);
  assert_close (r1.metrics[0].high, 4.0);
  g_assert_true (isnan (r1.strength[0].value));   /* no comparisons */
  g_assert_true (isnan (r1.win_rate[0].value));
  assay_leaderboard_result_clear (&r1);

  /* Fewer sources than ASSAY_INTERVAL_MIN_SOURCES: no interval at all
   * (with one source it would be [4, 4] whatever the spread). */
  for (guint n = 1; n <= ASSAY_INTERVAL_MIN_SOURCES; n++)
    {
      g_array_set_size (cells, 0);
      build_cells (cells, n, 1.0);
      input.n_sources = n;
      input.cells = (const AssayMetricCell *) cells->data;
      input.n_cells = cells->len;
      g_assert_true (assay_leaderboard_compute (&input, 200, 1, 0.95, &r1, NULL, &error));
      g_assert_cmpuint (r1.metrics[0].n_sources, ==, n);
      g_assert_cmpuint (r1.overall[0].n_sources, ==, n);
      g_assert_false (isnan (r1.metrics[0].value));
      g_assert_cmpint (isnan (r1.metrics[0].low), ==, n < ASSAY_INTERVAL_MIN_SOURCES);
      g_assert_cmpint (isnan (r1.overall[0].high), ==, n < ASSAY_INTERVAL_MIN_SOURCES);
      assay_leaderboard_result_clear (&r1);
    }
  g_assert_cmpint (ASSAY_INTERVAL_MIN_SOURCES, ==, 5);
}

/* ---- a whole project, through the core and the CLI ---- */

static const char *template_json =
  "{\"judgments\": [\"labels\", \"spans\", \"correction\", \"scores\", \"ranking\", \"pairwise\"],"
  " \"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "  {\"name\": \"supported\"}, {\"name\": \"unsupported\"}]},"
  " {\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]},"
  " {\"name\": \"issues\", \"multi\": true, \"options\": [{\"name\": \"omission\"},"
  "  {\"name\": \"padding\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 5, \"weight\": 3},"
  "  {\"name\": \"concision\", \"min\": 1, \"max\": 3, \"weight\": 1}]}";

/* Three sources, one candidate of each model m1, m2, m3 per source. Every
 * candidate text but s1/a has exactly three whitespace-separated words. */
static const char *sources_jsonl =
  "{\"id\": \"s1\", \"text\": \"Sales rose four percent in May.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Sales rose four percent in May.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Sales fell sharply.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"Nothing much happened.\"}]}\n"
  "{\"id\": \"s2\", \"text\": \"The rain came early this year.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Rain came early.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Drought hit hard.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"Weather was mixed.\"}]}\n"
  "{\"id\": \"s3\", \"text\": \"Prices went up in the spring.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Prices went up.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Prices went down.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"Prices held steady.\"}]}\n";

typedef struct
{
  char          *dir;
  char          *path;
  AssayProject  *project;
  AssayTemplate *tmpl;
  gint64         cand[3][3];     /* [source][model] */
  gint64         source[3];
  gint64         ann, bob, judge, gold;
} Fixture;

static gint64
option_id (Fixture    *f,
           const char *set,
           const char *option)
{
  AssayLabelOption *o = assay_template_find_option (f->tmpl, set, option, 0, NULL, NULL);

  if (o == NULL)
    o = assay_template_find_option (f->tmpl, set, option, 1, NULL, NULL);
  g_assert_nonnull (o);
  return o->id;
}

static void
set_label (Fixture    *f,
           gint64      candidate,
           gint64      annotator,
           const char *set,
           const char *option)
{
  g_autoptr(GError) error = NULL;
  gint64 id = option_id (f, set, option);

  g_assert_true (assay_project_set_labels (f->project, candidate, annotator,
                                           assay_template_find_label_set (f->tmpl, set)->id,
                                           &id, 1, NULL, &error));
  g_assert_no_error (error);
}

static void
set_score (Fixture    *f,
           gint64      candidate,
           gint64      annotator,
           const char *criterion,
           int         value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_set_score (f->project, candidate, annotator,
                                          assay_template_find_criterion (f->tmpl, criterion)->id,
                                          value, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *template_path = NULL;
  static const char *names[3] = { "s1", "s2", "s3" };
  static const char *cands[3] = { "a", "b", "c" };
  /* faithfulness by ann, bob and judge, in the order s1a s1b s1c s2a ... */
  static const int faith[3][9] = {
    { 5, 2, 3, 5, 3, 4, 4, 2, 3 },
    { 4, 2, 3, 5, 2, 4, 4, 3, 4 },
    { 5, 4, 4, 5, 4, 3, 5, 4, 4 },
  };
  /* verdicts by ann, bob, judge on s1 and s2 (1 accept, 2 reject) */
  static const int verdict[3][6] = {
    { 1, 2, 1, 1, 2, 2 },
    { 1, 2, 2, 1, 2, 2 },
    { 1, 2, 1, 1, 1, 2 },
  };
  gint64 raters[3];

  f->dir = g_dir_make_tmp ("assay-stats-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "s.assay", NULL);
  f->project = assay_project_create (f->path, &error);
  g_assert_no_error (error);

  template_path = g_build_filename (f->dir, "t.json", NULL);
  {
    /* "same-scale": concision on 1-5 as well, so the rubric can be pooled */
    g_autofree char *text = NULL;

    text = g_strdup (template_json);
    if (g_strcmp0 (user_data, "blind") == 0)
      {
        g_autofree char *blind = g_strconcat ("{\"blind\": true, ", text + 1, NULL);

        g_free (text);
        text = g_steal_pointer (&blind);
      }
    if (g_strcmp0 (user_data, "same-scale") == 0)
      {
        char *three = strstr (text, "\"max\": 3");

        g_assert_nonnull (three);
        three[strlen ("\"max\": ")] = '5';
      }
    g_assert_true (g_file_set_contents (template_path, text, -1, NULL));
  }
  f->tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (f->project, f->tmpl, &error));
  g_assert_no_error (error);
  /* the stored template has the row ids */
  assay_template_unref (f->tmpl);
  f->tmpl = assay_project_load_template (f->project, &error);
  g_assert_no_error (error);

  import = assay_import_new (f->project);
  bytes = g_bytes_new_static (sources_jsonl, strlen (sources_jsonl));
  assay_import_add_bytes (import, "s.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  for (guint s = 0; s < 3; s++)
    {
      f->source[s] = assay_project_lookup_source (f->project, names[s]);
      for (guint m = 0; m < 3; m++)
        {
          f->cand[s][m] = assay_project_lookup_candidate (f->project, f->source[s], cands[m]);
          g_assert_cmpint (f->cand[s][m], >, 0);
        }
    }

  g_assert_true (assay_project_ensure_annotator (f->project, "ann", "Ann", ASSAY_ANNOTATOR_PERSON,
                                                 &f->ann, &error));
  g_assert_true (assay_project_ensure_annotator (f->project, "bob", "Bob", ASSAY_ANNOTATOR_PERSON,
                                                 &f->bob, &error));
  g_assert_true (assay_project_ensure_annotator (f->project, "judge", "LLM judge",
                                                 ASSAY_ANNOTATOR_MODEL, &f->judge, &error));
  g_assert_true (assay_project_ensure_annotator (f->project, "gold", "Adjudicator",
                                                 ASSAY_ANNOTATOR_ADJUDICATOR, &f->gold, &error));
  g_assert_no_error (error);
  raters[0] = f->ann;
  raters[1] = f->bob;
  raters[2] = f->judge;

  g_assert_true (assay_project_begin (f->project, &error));
  for (guint r = 0; r < 3; r++)
    for (guint i = 0; i < 9; i++)
      set_score (f, f->cand[i / 3][i % 3], raters[r], "faithfulness", faith[r][i]);
  /* concision by ann only: m1 3, m2 1, m3 2 */
  for (guint s = 0; s < 3; s++)
    for (guint m = 0; m < 3; m++)
      set_score (f, f->cand[s][m], f->ann, "concision", m == 0 ? 3 : m == 1 ? 1 : 2);
  for (guint r = 0; r < 3; r++)
    for (guint i = 0; i < 6; i++)
      set_label (f, f->cand[i / 3][i % 3], raters[r], "verdict",
                 verdict[r][i] == 1 ? "accept" : "reject");

  /* issues: ann omission on s1/c; bob omission and padding there */
  set_label (f, f->cand[0][2], f->ann, "issues", "omission");
  {
    gint64 both[2] = { option_id (f, "issues", "omission"), option_id (f, "issues", "padding") };

    g_assert_true (assay_project_set_labels (f->project, f->cand[0][2], f->bob,
                                             assay_template_find_label_set (f->tmpl, "issues")->id,
                                             both, 2, NULL, &error));
  }

  /* claims on s1/a "Sales rose four percent in May.": ann marks "Sales
   * rose four percent" supported; bob "Sales rose" supported and "four
   * percent" unsupported. */
  g_assert_true (assay_project_save_span (f->project, 0, f->cand[0][0], f->ann, 0, 23,
                                          option_id (f, "claims", "supported"), NULL, NULL, 0,
                                          NULL, NULL, &error));
  g_assert_true (assay_project_save_span (f->project, 0, f->cand[0][0], f->bob, 0, 10,
                                          option_id (f, "claims", "supported"), NULL, NULL, 0,
                                          NULL, NULL, &error));
  g_assert_true (assay_project_save_span (f->project, 0, f->cand[0][0], f->bob, 11, 23,
                                          option_id (f, "claims", "unsupported"), NULL, NULL, 0,
                                          NULL, NULL, &error));
  g_assert_no_error (error);

  /* comparisons on s1: ann a>b, c>b (shown as c vs b), a~c; bob a>b, c>b;
   * judge b>a */
  g_assert_true (assay_project_set_comparison (f->project, f->source[0], f->ann, f->cand[0][0],
                                               f->cand[0][1], ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, f->source[0], f->ann, f->cand[0][2],
                                               f->cand[0][1], ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, f->source[0], f->ann, f->cand[0][0],
                                               f->cand[0][2], ASSAY_WINNER_TIE, NULL, NULL,
                                               &error));
  g_assert_true (assay_project_set_comparison (f->project, f->source[0], f->bob, f->cand[0][1],
                                               f->cand[0][0], ASSAY_WINNER_B, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, f->source[0], f->bob, f->cand[0][1],
                                               f->cand[0][2], ASSAY_WINNER_B, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, f->source[0], f->judge, f->cand[0][0],
                                               f->cand[0][1], ASSAY_WINNER_B, NULL, NULL, &error));
  g_assert_no_error (error);

  /* rankings on s2: ann a1 c2 b3; bob a1 b2 c2 (a tie); judge c1 a2 b3 */
  {
    const gint64 ids[3] = { f->cand[1][0], f->cand[1][1], f->cand[1][2] };
    const int ann_ranks[3] = { 1, 3, 2 }, bob_ranks[3] = { 1, 2, 2 }, judge_ranks[3] = { 2, 3, 1 };

    g_assert_true (assay_project_set_ranking (f->project, f->source[1], f->ann, ids, ann_ranks, 3,
                                              NULL, &error));
    g_assert_true (assay_project_set_ranking (f->project, f->source[1], f->bob, ids, bob_ranks, 3,
                                              NULL, &error));
    g_assert_true (assay_project_set_ranking (f->project, f->source[1], f->judge, ids,
                                              judge_ranks, 3, NULL, &error));
  }

  /* ann corrects s1/b "Sales fell sharply." -> one word changed */
  g_assert_true (assay_project_set_correction (f->project, f->cand[0][1], f->ann,
                                               "Sales rose sharply.", NULL, &error));

  /* The adjudicator's gold must not count by default. */
  set_label (f, f->cand[0][2], f->gold, "verdict", "reject");
  set_score (f, f->cand[0][0], f->gold, "faithfulness", 1);
  g_assert_true (assay_project_commit (f->project, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_clear_object (&f->project);
  g_clear_pointer (&f->tmpl, assay_template_unref);
  d = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static AssayAgreementStat *
find_stat (AssayAgreementReport *report,
           const char           *name)
{
  for (guint i = 0; i < report->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, i);

      if (g_str_equal (stat->name, name))
        return stat;
    }
  g_assert_not_reached ();
}

static const AssayPairAgreement *
find_pair (AssayAgreementReport         *report,
           const AssayReliabilityResult *result,
           const char                   *a,
           const char                   *b)
{
  for (guint i = 0; i < result->pairs->len; i++)
    {
      const AssayPairAgreement *p = &g_array_index (result->pairs, AssayPairAgreement, i);
      AssayStatsAnnotator *x = g_ptr_array_index (report->annotators, p->coder_a);
      AssayStatsAnnotator *y = g_ptr_array_index (report->annotators, p->coder_b);

      if (g_str_equal (x->ext_id, a) && g_str_equal (y->ext_id, b))
        return p;
    }
  g_assert_not_reached ();
}

/* The numbers of the fixture, worked by hand:
 *
 * verdict (ann, bob, judge) on six candidates: (A A A) (R R R) (A R A)
 * (A A A) (R R A) (R R R). 18 values, 9 A and 9 R; the two mixed units each
 * add 1 to o_AR and o_RA. alpha = 1 - 17 * 4 / (2 * 9 * 9) = 0.5802;
 * agreement 14/18 = 0.7778; Fleiss: P-bar = (4 + 2/3) / 6, P_e = 0.5,
 * kappa = 0.5556. Cohen: ann-bob agree on 5 of 6, p_e = (3*2 + 3*4)/36 =
 * 0.5, kappa 0.6667; bob-judge agree on 4, p_e = 16/36, kappa 0.4.
 *
 * claims, per word, ann and bob (judge never marks claims): s1/a has six
 * words, "four percent" disagree (S vs U); the other eight candidates both
 * judged add 24 words that are "none" for both. Values: 60, none 52,
 * supported 6, unsupported 2; o_SU = o_US = 2. alpha = 1 - 59 * 4 / (2 *
 * (52*6 + 52*2 + 6*2)) = 1 - 236/856 = 0.7243; agreement 56/60 = 0.9333.
 *
 * issues (multi-choice), ann and bob over the nine candidates: omission
 * always agrees (alpha 1); padding differs once in 18 values (alpha 0);
 * pooled, 36 values with 3 "chosen": alpha = 1 - 35 * 2 / (2 * 3 * 33) =
 * 0.6465.
 *
 * faithfulness: checked against NLTK (interval alpha 0.4364) and a direct
 * implementation (ordinal alpha 0.4674; quadratic weighted kappa ann-bob
 * 0.7831; within one point 0.8519; exact 0.3333).
 *
 * comparisons on s1: (a,b) ann a, bob a, judge b; (b,c) ann c, bob c; (a,c)
 * ann only. Values: 5; o_FF = 1, o_FS = o_SF = 1, o_SS = 2. agreement 3/5;
 * alpha = 1 - 4 * 2 / (2 * 2 * 3) = 0.3333.
 *
 * rankings on s2 (a, b, c): ann (1 3 2), bob (1 2 2), judge (2 3 1). Rank
 * sums 4, 8.5, 5.5 around 6: S = 10.5; W = 126 / (9*24 - 3*6) = 0.6364.
 * tau-b: ann-bob 2/sqrt(6) = 0.8165, ann-judge 1/3, bob-judge 0; mean
 * 0.3833. */
static void
check_agreement_report (AssayAgreementReport *report)
{
  AssayAgreementStat *verdict = find_stat (report, "verdict");
  AssayAgreementStat *claims = find_stat (report, "claims");
  AssayAgreementStat *issues = find_stat (report, "issues");
  AssayAgreementStat *faith = find_stat (report, "faithfulness");
  AssayAgreementStat *rankings = find_stat (report, "rankings");
  AssayAgreementStat *comparisons = find_stat (report, "comparisons");

  g_assert_cmpuint (report->annotators->len, ==, 3);

  g_assert_cmpuint (verdict->result.n_units, ==, 6);
  assert_close (verdict->result.alpha_nominal, 1.0 - 68.0 / 162.0);
  assert_close (verdict->result.agreement, 14.0 / 18.0);
  assert_close (verdict->result.fleiss_kappa, 5.0 / 9.0);
  g_assert_cmpuint (verdict->result.fleiss_raters, ==, 3);
  assert_close (find_pair (report, &verdict->result, "ann", "bob")->kappa, 2.0 / 3.0);
  assert_close (find_pair (report, &verdict->result, "bob", "judge")->kappa, 0.4);

  g_assert_cmpuint (claims->result.n_values, ==, 60);
  assert_close (claims->result.alpha_nominal, 1.0 - 236.0 / 856.0);
  assert_close (claims->result.agreement, 56.0 / 60.0);

  assert_close (issues->result.alpha_nominal, 1.0 - 70.0 / 198.0);
  g_assert_cmpuint (issues->options->len, ==, 2);
  {
    AssayOptionAgreement *omission = g_ptr_array_index (issues->options, 0);
    AssayOptionAgreement *padding = g_ptr_array_index (issues->options, 1);

    assert_close (omission->result.alpha_nominal, 1.0);
    assert_close (padding->result.alpha_nominal, 0.0);
  }

  g_assert_cmpuint (faith->result.n_units, ==, 9);
  assert_close (faith->result.alpha_interval, 0.4364);
  assert_close (faith->result.alpha_ordinal, 0.4674);
  assert_close (faith->result.within_one, 0.8519);
  assert_close (faith->result.agreement, 1.0 / 3.0);
  assert_close (find_pair (report, &faith->result, "ann", "bob")->weighted_kappa, 0.7831);

  assert_close (comparisons->result.agreement, 0.6);
  assert_close (comparisons->result.alpha_nominal, 1.0 / 3.0);

  assert_close (rankings->kendall_w, 126.0 / 198.0);
  g_assert_cmpuint (rankings->kendall_w_sources, ==, 1);
  g_assert_cmpuint (rankings->sources->len, ==, 1);
  {
    AssaySourceConcordance *sc = &g_array_index (rankings->sources, AssaySourceConcordance, 0);

    assert_close (sc->kendall_w, 126.0 / 198.0);
    g_assert_cmpuint (sc->n_rankings, ==, 3);
    g_assert_cmpuint (sc->n_candidates, ==, 3);
  }
  assert_close (rankings->tau_b, (2.0 / sqrt (6.0) + 1.0 / 3.0) / 3.0);
}

static void
test_project_agreement (Fixture       *f,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  g_autoptr(AssayAgreementReport) report = NULL;
  g_autoptr(AssayAgreementReport) with_gold = NULL;
  g_autoptr(GPtrArray) claims_items = NULL;
  AssayStatsOptions options;
  AssayDisagreementItem *first;
  gboolean found_span = FALSE;

  g_assert_no_error (error);
  assay_stats_options_init (&options);

  /* By default the LLM judge's verdicts are proposals, not ratings: only
   * ann and bob count. verdict (A A) (R R) (A R) (A A) (R R) (R R): 12
   * values, 5 A and 7 R, o_AR = o_RA = 1: alpha = 1 - 11 * 2 / (2 * 5 * 7)
   * = 0.6857; agreement 10/12. */
  {
    g_autoptr(AssayAgreementReport) people = assay_stats_compute_agreement (data, &options, NULL,
                                                                            &error);
    AssayAgreementStat *verdict;

    g_assert_no_error (error);
    g_assert_cmpuint (people->annotators->len, ==, 2);
    for (guint i = 0; i < people->annotators->len; i++)
      g_assert_cmpint (((AssayStatsAnnotator *) g_ptr_array_index (people->annotators, i))->kind,
                       ==, ASSAY_ANNOTATOR_PERSON);
    verdict = find_stat (people, "verdict");
    g_assert_cmpuint (verdict->result.n_values, ==, 12);
    assert_close (verdict->result.alpha_nominal, 1.0 - 22.0 / 70.0);
    assert_close (verdict->result.agreement, 10.0 / 12.0);
    g_assert_cmpuint (verdict->result.pairs->len, ==, 1);
    assert_close (find_pair (people, &verdict->result, "ann", "bob")->kappa, 2.0 / 3.0);
  }

  /* Chosen, the judge is a rater like the experts. */
  options.kinds = ASSAY_STATS_RATERS;
  report = assay_stats_compute_agreement (data, &options, NULL, &error);
  g_assert_no_error (error);
  check_agreement_report (report);

  /* The disagreement list: s1 disagrees most (verdict, claims, issues,
   * comparisons, faithfulness), and the claims unit points at "four
   * percent" (code points 11-23 of s1/a). */
  g_assert_cmpuint (report->items->len, >=, 2);
  first = g_ptr_array_index (report->items, 0);
  g_assert_cmpstr (first->ext_id, ==, "s1");
  for (guint i = 1; i < report->items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);
      AssayDisagreementItem *before = g_ptr_array_index (report->items, i - 1);

      g_assert_cmpfloat (item->disagreement, <=, before->disagreement);
    }
  for (guint u = 0; u < first->units->len; u++)
    {
      AssayDisagreement *d = &g_array_index (first->units, AssayDisagreement, u);
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, d->stat);

      if (u > 0)
        g_assert_cmpfloat (d->disagreement, <=,
                           g_array_index (first->units, AssayDisagreement, u - 1).disagreement);
      if (stat->kind == ASSAY_STAT_SPANS)
        {
          g_assert_cmpint (d->candidate_id, ==, f->cand[0][0]);
          g_assert_cmpint (d->start, ==, 11);
          g_assert_cmpint (d->end, ==, 23);
          assert_close (d->disagreement, 1.0);
          found_span = TRUE;
        }
    }
  g_assert_true (found_span);

  /* per statistic */
  for (guint i = 0; i < report->stats->len; i++)
    if (g_str_equal (((AssayAgreementStat *) g_ptr_array_index (report->stats, i))->name, "claims"))
      claims_items = assay_agreement_report_list_disagreements (report, i);
  g_assert_nonnull (claims_items);
  g_assert_cmpuint (claims_items->len, ==, 1);
  {
    AssayDisagreementItem *item = g_ptr_array_index (claims_items, 0);

    g_assert_cmpuint (item->units->len, ==, 1);
  }

  /* With the adjudicator as a rater, their verdict on s1/c (reject) joins. */
  options.kinds = ASSAY_STATS_ALL_KINDS;
  with_gold = assay_stats_compute_agreement (data, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (with_gold->annotators->len, ==, 4);
  g_assert_cmpuint (find_stat (with_gold, "verdict")->result.n_values, ==, 19);
}

/* Leaderboard of people (ann and bob), worked by hand:
 * faithfulness, each candidate's mean over its raters: m1 (4.5 5 4) = 4.5,
 * m2 (2 2.5 2.5) = 2.3333, m3 (3 4 3.5) = 3.5. concision (ann): 3, 1, 2.
 * Overall, weights 3:1 normalised to 0.75/0.25, scales to 0..1:
 * m1 0.75 * 3.5/4 + 0.25 * 1 = 0.9063; m2 0.75 * 1.3333/4 = 0.25;
 * m3 0.75 * 2.5/4 + 0.25 * 0.5 = 0.5938.
 * Pairs: comparisons (ann a>b, c>b, a~c; bob a>b, c>b) and rankings broken
 * into pairs (ann a>c>b; bob a>b~c): m1-m2 4 of 4; m1-m3 2.5 of 3; m3-m2
 * 3.5 of 4. Corrections: m2, 1 word of 4 tokens. */
static void
check_people_board (AssayLeaderboard *board)
{
  AssayModelStanding *m1, *m2, *m3;

  g_assert_cmpuint (board->models->len, ==, 3);
  g_assert_true (board->ranked_by_strength);
  m1 = g_ptr_array_index (board->models, 0);
  m3 = g_ptr_array_index (board->models, 1);
  m2 = g_ptr_array_index (board->models, 2);
  g_assert_cmpstr (m1->model, ==, "m1");
  g_assert_cmpstr (m3->model, ==, "m3");
  g_assert_cmpstr (m2->model, ==, "m2");
  g_assert_cmpuint (m1->rank, ==, 1);

  assert_close (m1->metrics[0].value, 4.5);
  assert_close (m2->metrics[0].value, 7.0 / 3.0);
  assert_close (m3->metrics[0].value, 3.5);
  assert_close (m1->metrics[1].value, 3.0);
  assert_close (m1->overall.value, 0.90625);
  assert_close (m2->overall.value, 0.25);
  assert_close (m3->overall.value, 0.59375);
  g_assert_cmpfloat (m1->strength.value, >, m3->strength.value);
  g_assert_cmpfloat (m3->strength.value, >, m2->strength.value);
  /* comparisons on s1, rankings on s2 */
  g_assert_cmpuint (m1->strength.n_sources, ==, 2);
  g_assert_true (isnan (m1->strength.low));
  g_assert_cmpuint (m1->overall.n_sources, ==, 3);
  g_assert_true (isnan (m1->overall.low));
  g_assert_true (board->bt_exists);
  g_assert_cmpint (board->ranked_by, ==, ASSAY_RANK_STRENGTH);
  assert_close (m1->win_rate.value, 6.5 / 7.0);
  assert_close (board->wins[0 * 3 + 2] / board->games[0 * 3 + 2], 1.0);     /* m1 over m2 */
  assert_close (board->wins[0 * 3 + 1] / board->games[0 * 3 + 1], 2.5 / 3.0);
  assert_close (board->wins[1 * 3 + 2] / board->games[1 * 3 + 2], 3.5 / 4.0);
  g_assert_cmpfloat (board->games[1 * 3 + 2], ==, 4.0);
  /* by origin: comparisons m1-m3 one tie, rankings m1-m3 two wins;
   * m3-m2: comparisons 2 of 2, rankings 1.5 of 2 */
  g_assert_cmpfloat (board->comparison_games[0 * 3 + 1], ==, 1.0);
  assert_close (board->comparison_wins[0 * 3 + 1], 0.5);
  g_assert_cmpfloat (board->ranking_games[0 * 3 + 1], ==, 2.0);
  assert_close (board->ranking_wins[0 * 3 + 1], 2.0);
  assert_close (board->comparison_wins[1 * 3 + 2], 2.0);
  assert_close (board->ranking_wins[1 * 3 + 2], 1.5);
  assert_close (board->ranking_wins[2 * 3 + 1], 0.5);

  for (guint k = 0; k < board->metrics->len; k++)
    {
      AssayMetricInfo *info = g_ptr_array_index (board->metrics, k);

      if (info->kind == ASSAY_METRIC_EDIT_DISTANCE)
        {
          assert_close (m2->metrics[k].value, 1.0);
          g_assert_true (isnan (m1->metrics[k].value));
        }
      if (info->kind == ASSAY_METRIC_EDIT_RATE)
        assert_close (m2->metrics[k].value, 0.25);
      if (info->kind == ASSAY_METRIC_LABEL_RATE && g_str_equal (info->option, "accept"))
        {
          assert_close (m1->metrics[k].value, 1.0);   /* s1/a and s2/a, both accepted */
          assert_close (m3->metrics[k].value, 0.25);  /* s1/c: ann yes, bob no; s2/c: no */
        }
      if (info->kind == ASSAY_METRIC_SPAN_SHARE && g_str_equal (info->option, "unsupported"))
        assert_close (m1->metrics[k].value, 1.0 / 3.0);
      /* Three sources are too few for an interval: a value, no interval,
       * and the count that says why. */
      if (info->kind == ASSAY_METRIC_SCORE && k == 0)
        {
          g_assert_false (isnan (m1->metrics[k].value));
          g_assert_cmpuint (m1->metrics[k].n_sources, ==, 3);
          g_assert_true (isnan (m1->metrics[k].low));
          g_assert_true (isnan (m1->metrics[k].high));
        }
    }
  assert_close (((AssayMetricInfo *) g_ptr_array_index (board->metrics, 0))->weight, 0.75);
}

static void
test_project_leaderboard (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  g_autoptr(AssayLeaderboard) people = NULL;
  g_autoptr(AssayLeaderboard) models = NULL;
  g_autoptr(AssayLeaderboard) bob = NULL;
  g_autoptr(AssayLeaderboard) nobody = NULL;
  AssayStatsOptions options;
  AssayModelStanding *top;

  g_assert_no_error (error);
  assay_stats_options_init (&options);
  options.n_samples = 200;
  people = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_no_error (error);
  check_people_board (people);
  g_assert_cmpuint (people->annotators->len, ==, 2);

  /* The LLM judge alone: faithfulness m1 5, m2 4, m3 3.6667; it preferred
   * b over a on s1 and ranked c first on s2. */
  options.kinds = ASSAY_STATS_MODELS;
  models = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->annotators->len, ==, 1);
  top = g_ptr_array_index (models->models, 0);
  g_assert_cmpstr (top->model, ==, "m3");
  for (guint i = 0; i < models->models->len; i++)
    {
      AssayModelStanding *s = g_ptr_array_index (models->models, i);

      if (g_str_equal (s->model, "m1"))
        assert_close (s->metrics[0].value, 5.0);
      else if (g_str_equal (s->model, "m2"))
        assert_close (s->metrics[0].value, 4.0);
      else
        assert_close (s->metrics[0].value, 11.0 / 3.0);
    }

  /* One annotator: bob's faithfulness for m1 is (4 5 4). */
  options.kinds = 0;
  options.annotator = "bob";
  bob = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < bob->models->len; i++)
    {
      AssayModelStanding *s = g_ptr_array_index (bob->models, i);

      if (g_str_equal (s->model, "m1"))
        assert_close (s->metrics[0].value, 13.0 / 3.0);
    }

  options.annotator = "nobody";
  nobody = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
  g_assert_null (nobody);
}

/* "Judged" includes a status other than to-do on the source: a rater with
 * only a status there still rates every word of its candidates. */
static void
test_project_status_judged (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) before = NULL;
  g_autoptr(AssayStatsData) after = NULL;
  g_autoptr(AssayAgreementReport) r1 = NULL;
  g_autoptr(AssayAgreementReport) r2 = NULL;
  gint64 cara;

  g_assert_true (assay_project_ensure_annotator (f->project, "cara", NULL, ASSAY_ANNOTATOR_PERSON,
                                                 &cara, &error));
  /* cara marks a claim on s2/a only, so she uses the set; then s3 is done */
  g_assert_true (assay_project_save_span (f->project, 0, f->cand[1][0], cara, 0, 4,
                                          option_id (f, "claims", "supported"), NULL, NULL, 0,
                                          NULL, NULL, &error));
  before = assay_stats_data_load (f->project, NULL, &error);
  r1 = assay_stats_compute_agreement (before, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (assay_project_set_status (f->project, f->source[2], cara, ASSAY_STATUS_DONE,
                                           NULL, &error));
  after = assay_stats_data_load (f->project, NULL, &error);
  r2 = assay_stats_compute_agreement (after, NULL, NULL, &error);
  g_assert_no_error (error);

  /* s3's three candidates, three words each: 9 more values from cara */
  g_assert_cmpuint (find_stat (r2, "claims")->result.n_values, ==,
                    find_stat (r1, "claims")->result.n_values + 9);

  /* a to-do status is not a judgment */
  g_assert_true (assay_project_set_status (f->project, f->source[2], cara, ASSAY_STATUS_TODO,
                                           NULL, &error));
  {
    g_autoptr(AssayStatsData) again = assay_stats_data_load (f->project, NULL, &error);
    g_autoptr(AssayAgreementReport) r3 = assay_stats_compute_agreement (again, NULL, NULL, &error);

    g_assert_cmpuint (find_stat (r3, "claims")->result.n_values, ==,
                      find_stat (r1, "claims")->result.n_values);
  }
}

static char *
run_cli_text (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("ASSAY_CLI");

  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("assay-cli failed: %s", err);
  return g_steal_pointer (&out);
}

static json_t *
run_cli (const char * const *args)
{
  g_autofree char *out = run_cli_text (args);
  json_error_t json_error;
  json_t *json;

  json = json_loads (out, 0, &json_error);
  g_assert_nonnull (json);
  return json;
}

static json_t *
find_named (json_t     *array,
            const char *key,
            const char *name)
{
  size_t i;
  json_t *value;

  json_array_foreach (array, i, value)
    if (g_strcmp0 (json_string_value (json_object_get (value, key)), name) == 0)
      return value;
  g_assert_not_reached ();
}

static double
json_num (json_t     *obj,
          const char *key)
{
  json_t *v = json_object_get (obj, key);

  g_assert_nonnull (v);
  return json_number_value (v);
}

static void
test_project_cli (Fixture       *f,
                  gconstpointer  user_data)
{
  const char *agreement_args[] = { "agreement", f->path, "--json", "--annotators", "people,models",
                                   NULL };
  const char *people_args[] = { "agreement", f->path, "--json", NULL };
  const char *board_args[] = { "leaderboard", f->path, "--json", "--seed", "3", "--samples", "300",
                               NULL };
  const char *models_args[] = { "leaderboard", f->path, "--json", "--annotators", "models", NULL };
  const char *ml_args[] = { "leaderboard", f->path, "--json", "--prior", "0", "--samples", "50",
                            NULL };
  const char *ml_models_args[] = { "leaderboard", f->path, "--json", "--prior", "0",
                                   "--annotators", "models", "--samples", "50", NULL };
  const char *ml_models_text_args[] = { "leaderboard", f->path, "--prior", "0", "--annotators",
                                        "models", "--samples", "50", NULL };
  const char *by_win_args[] = { "leaderboard", f->path, "--json", "--rank-by", "win-rate",
                                "--samples", "50", NULL };
  g_autoptr(json_t) ml = NULL;
  g_autoptr(json_t) ml_models = NULL;
  g_autoptr(json_t) by_win = NULL;
  g_autofree char *text3 = NULL;
  g_autoptr(json_t) agreement = NULL;
  g_autoptr(json_t) board = NULL;
  g_autoptr(json_t) again = NULL;
  g_autoptr(json_t) models = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  json_t *stats, *verdict, *m1, *rankings, *first, *corrections;

  if (g_getenv ("ASSAY_CLI") == NULL)
    {
      g_test_skip ("ASSAY_CLI is not set");
      return;
    }
  /* the CLI opens the file itself */
  g_clear_object (&f->project);

  /* The default: people only; the judge's verdicts are proposals. */
  {
    g_autoptr(json_t) people = run_cli (people_args);
    json_t *annotators = json_object_get (people, "annotators");
    json_t *people_verdict = find_named (json_object_get (people, "statistics"), "name",
                                         "verdict");

    g_assert_cmpuint (json_array_size (annotators), ==, 2);
    for (guint i = 0; i < json_array_size (annotators); i++)
      g_assert_cmpstr (json_string_value (json_object_get (json_array_get (annotators, i),
                                                           "kind")), ==, "person");
    assert_close (json_num (people_verdict, "alpha_nominal"), 1.0 - 22.0 / 70.0);
    g_assert_cmpuint (json_array_size (json_object_get (people_verdict, "pairs")), ==, 1);
  }

  agreement = run_cli (agreement_args);
  g_assert_cmpuint (json_array_size (json_object_get (agreement, "annotators")), ==, 3);
  stats = json_object_get (agreement, "statistics");
  verdict = find_named (stats, "name", "verdict");
  assert_close (json_num (verdict, "alpha_nominal"), 1.0 - 68.0 / 162.0);
  assert_close (json_num (verdict, "fleiss_kappa"), 5.0 / 9.0);
  assert_close (json_num (verdict, "agreement"), 14.0 / 18.0);
  assert_close (json_num (find_named (stats, "name", "claims"), "alpha_nominal"),
                1.0 - 236.0 / 856.0);
  assert_close (json_num (find_named (stats, "name", "faithfulness"), "alpha_interval"), 0.4364);
  rankings = find_named (stats, "name", "rankings");
  assert_close (json_num (rankings, "kendall_w"), 126.0 / 198.0);
  assert_close (json_num (json_array_get (json_object_get (rankings, "per_source"), 0),
                          "kendall_w"), 126.0 / 198.0);
  /* concision has one rater: its coefficients are undefined, null in JSON */
  g_assert_true (json_is_null (json_object_get (find_named (stats, "name", "concision"),
                                                "alpha_interval")));
  g_assert_cmpint (json_integer_value (json_object_get (find_named (stats, "name", "concision"),
                                                        "units")), ==, 0);
  first = json_array_get (json_object_get (agreement, "disagreements"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (first, "source")), ==, "s1");

  board = run_cli (board_args);
  g_assert_cmpint (json_integer_value (json_object_get (board, "samples")), ==, 300);
  g_assert_cmpstr (json_string_value (json_object_get (board, "ranked_by")), ==, "strength");
  /* models m1, m3, m2: m1 won 2.5 of 3 against m3, 1 tie of 1 comparison */
  {
    json_t *matrix = json_object_get (board, "matrix");
    json_t *cmp = json_object_get (matrix, "from_comparisons");

    assert_close (json_number_value (json_array_get (json_array_get (json_object_get (matrix,
                                                                                       "win_rate"),
                                                                     0), 1)), 2.5 / 3.0);
    assert_close (json_number_value (json_array_get (json_array_get (json_object_get (cmp,
                                                                                       "win_rate"),
                                                                     0), 1)), 0.5);
    g_assert_true (json_is_null (json_array_get (json_array_get (json_object_get (cmp, "win_rate"),
                                                                 0), 0)));
  }
  m1 = json_array_get (json_object_get (board, "models"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (m1, "model")), ==, "m1");
  g_assert_cmpint (json_integer_value (json_object_get (m1, "rank")), ==, 1);
  assert_close (json_num (json_object_get (json_object_get (m1, "criteria"), "faithfulness"),
                          "value"), 4.5);
  assert_close (json_num (json_object_get (m1, "overall"), "value"), 0.90625);
  g_assert_cmpfloat (json_num (json_object_get (m1, "strength"), "low"), <=,
                     json_num (json_object_get (m1, "strength"), "value"));
  assert_close (json_num (json_object_get (json_object_get (json_object_get (m1, "labels"),
                                                            "verdict"), "accept"), "value"), 1.0);
  corrections = json_object_get (m1, "corrections");
  g_assert_true (json_is_null (json_object_get (json_object_get (corrections, "edit_distance"),
                                                "value")));

  /* the same seed gives the same report */
  again = run_cli (board_args);
  text1 = assay_json_dumps_compact (board);
  text2 = assay_json_dumps_compact (again);
  g_assert_cmpstr (text1, ==, text2);

  /* Penalised by default, and said to be; three sources give no interval. */
  {
    json_t *bt = json_object_get (board, "bradley_terry");

    g_assert_cmpstr (json_string_value (json_object_get (bt, "estimate")), ==, "penalised");
    assert_close (json_number_value (json_object_get (bt, "prior")), 1.0);
    g_assert_true (json_is_null (json_object_get (json_object_get (m1, "overall"), "low")));
    g_assert_cmpstr (json_string_value (json_object_get (json_object_get (m1, "overall"),
                                                         "no_interval")), ==, "too-few-sources");
    g_assert_cmpint (json_integer_value (json_object_get (json_object_get (m1, "overall"),
                                                          "sources")), ==, 3);
  }

  /* --prior 0: the plain maximum-likelihood fit. Wins m1-m2 4:0, m1-m3
   * 2.5:0.5, m3-m2 3.5:0.5; an independent Newton-Raphson fit gives m1
   * 1.9147, m3 0.1093, m2 -2.0240. */
  ml = run_cli (ml_args);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (ml, "bradley_terry"),
                                                       "estimate")), ==, "maximum-likelihood");
  g_assert_true (json_is_true (json_object_get (json_object_get (ml, "bradley_terry"),
                                                "exists")));
  {
    const char *names[] = { "m1", "m3", "m2" };
    const double strengths[] = { 1.9147, 0.1093, -2.0240 };

    for (guint i = 0; i < 3; i++)
      {
        json_t *m = json_array_get (json_object_get (ml, "models"), i);

        g_assert_cmpstr (json_string_value (json_object_get (m, "model")), ==, names[i]);
        assert_close (json_num (json_object_get (m, "strength"), "value"), strengths[i]);
      }
  }

  /* The judge alone: m3 never lost (b > a on s1, c first on s2). No MLE:
   * no strength, the group named, the models ranked by their scores. */
  ml_models = run_cli (ml_models_args);
  {
    json_t *bt = json_object_get (ml_models, "bradley_terry");
    json_t *unbeaten = json_object_get (bt, "unbeaten");

    g_assert_true (json_is_false (json_object_get (bt, "exists")));
    g_assert_cmpuint (json_array_size (unbeaten), ==, 1);
    g_assert_cmpstr (json_string_value (json_array_get (unbeaten, 0)), ==, "m3");
    g_assert_cmpstr (json_string_value (json_object_get (ml_models, "ranked_by")), ==, "overall");
    for (guint i = 0; i < 3; i++)
      g_assert_true (json_is_null (json_object_get (json_object_get (json_array_get (
        json_object_get (ml_models, "models"), i), "strength"), "value")));
  }
  text3 = run_cli_text (ml_models_text_args);
  g_assert_nonnull (strstr (text3, "do not exist: m3 never lost to the other models"));
  g_assert_nonnull (strstr (text3, "Strength (log, ML)"));

  /* The order is the caller's choice: by win rate, m1 (6.5 of 7), m3 (4 of 7), m2 (0.5 of 8). */
  by_win = run_cli (by_win_args);
  g_assert_cmpstr (json_string_value (json_object_get (by_win, "ranked_by")), ==, "win-rate");
  for (guint i = 0; i < 3; i++)
    {
      json_t *m = json_array_get (json_object_get (by_win, "models"), i);
      const double rates[] = { 6.5 / 7.0, 4.0 / 7.0, 0.5 / 8.0 };

      assert_close (json_num (json_object_get (m, "win_rate"), "value"), rates[i]);
    }

  models = run_cli (models_args);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json_object_get (models,
                                                                                       "models"),
                                                                       0), "model")), ==, "m3");
}

/* The demo has a model's judgments, rankings but no comparisons, and
 * nothing that two raters judged: nothing to compare, and the models are
 * ranked on the rankings alone. */
static void
test_project_demo (Fixture       *f,
                   gconstpointer  user_data)
{
  const char *demo = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *copy = g_build_filename (f->dir, "demo.assay", NULL);
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayAgreementReport) agreement = NULL;
  g_autoptr(AssayLeaderboard) board = NULL;
  g_autoptr(GError) error = NULL;
  AssayStatsOptions options;

  if (demo == NULL)
    {
      g_test_skip ("ASSAY_DEMO_PROJECT is not set");
      return;
    }
  from = g_file_new_for_path (demo);
  to = g_file_new_for_path (copy);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  project = assay_project_open (copy, &error);
  g_assert_no_error (error);

  data = assay_stats_data_load (project, NULL, &error);
  g_assert_no_error (error);
  assay_stats_options_init (&options);
  options.n_samples = 100;
  agreement = assay_stats_compute_agreement (data, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agreement->items->len, ==, 0);
  for (guint i = 0; i < agreement->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (agreement->stats, i);

      g_assert_false (stat->has_result && stat->result.n_units > 0);
    }

  options.kinds = ASSAY_STATS_MODELS;
  board = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_no_error (error);
  /* four models, their games all from the judge's rankings */
  g_assert_cmpuint (board->models->len, ==, 4);
  for (guint i = 0; i < board->models->len; i++)
    {
      AssayModelStanding *s = g_ptr_array_index (board->models, i);

      g_assert_cmpuint (s->rank, ==, i + 1);
      g_assert_false (isnan (s->overall.value));
      for (guint j = 0; j < board->models->len; j++)
        {
          g_assert_cmpfloat (board->comparison_games[i * 4 + j], ==, 0.0);
          g_assert_cmpfloat (board->games[i * 4 + j], ==, board->ranking_games[i * 4 + j]);
        }
    }
}

/* Krippendorff's alpha the long way, from its definition as a ratio of
 * mean distances over pairs of values (Krippendorff 2011, section A),
 * without a coincidence matrix: D_o over the pairs within units (each
 * weighted 1 / (m_u - 1)), D_e over all pairs of pairable values. `units`
 * holds rows of `width` values, 0 for missing. */
static double
alpha_by_definition (const int *units,
                     guint      n_units,
                     guint      width,
                     gboolean   interval)
{
  double within = 0.0, across = 0.0, n = 0.0;
  g_autoptr(GArray) pooled = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint u = 0; u < n_units; u++)
    {
      const int *row = units + (gsize) u * width;
      guint m = 0;

      for (guint i = 0; i < width; i++)
        m += row[i] != 0;
      if (m < 2)
        continue;
      for (guint i = 0; i < width; i++)
        {
          if (row[i] == 0)
            continue;
          g_array_append_val (pooled, row[i]);
          for (guint j = 0; j < width; j++)
            if (j != i && row[j] != 0)
              {
                double d = interval ? (row[i] - row[j]) * (row[i] - row[j]) : row[i] != row[j];

                within += d / (m - 1);
              }
        }
    }
  n = pooled->len;
  for (guint i = 0; i < pooled->len; i++)
    for (guint j = 0; j < pooled->len; j++)
      {
        int a = g_array_index (pooled, int, i), b = g_array_index (pooled, int, j);

        across += interval ? (a - b) * (a - b) : a != b;
      }
  return 1.0 - (within / n) / (across / (n * (n - 1)));
}

/* Alpha pooled over the criteria of a rubric: every candidate and
 * criterion is a unit. Here faithfulness (ann, bob, judge on nine
 * candidates) and concision (ann on nine, bob on s1's three). */
static void
test_project_rubric (Fixture       *f,
                     gconstpointer  user_data)
{
  static const int faith[3][9] = {
    { 5, 2, 3, 5, 3, 4, 4, 2, 3 },
    { 4, 2, 3, 5, 2, 4, 4, 3, 4 },
    { 5, 4, 4, 5, 4, 3, 5, 4, 4 },
  };
  const int bob_concision[3] = { 2, 1, 3 };
  int units[18 * 3] = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayAgreementReport) report = NULL;
  AssayStatsOptions options;

  for (guint m = 0; m < 3; m++)
    set_score (f, f->cand[0][m], f->bob, "concision", bob_concision[m]);
  for (guint i = 0; i < 9; i++)
    {
      for (guint r = 0; r < 3; r++)
        units[i * 3 + r] = faith[r][i];
      units[(9 + i) * 3 + 0] = i % 3 == 0 ? 3 : i % 3 == 1 ? 1 : 2;
      units[(9 + i) * 3 + 1] = i < 3 ? bob_concision[i] : 0;
    }

  data = assay_stats_data_load (f->project, NULL, &error);
  g_assert_no_error (error);
  assay_stats_options_init (&options);
  /* the three raters of the table: ann, bob and the judge */
  options.kinds = ASSAY_STATS_RATERS;
  report = assay_stats_compute_agreement (data, &options, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (report->has_rubric);
  g_assert_cmpint (report->rubric_min, ==, 1);
  g_assert_cmpint (report->rubric_max, ==, 5);
  g_assert_cmpuint (report->rubric.n_units, ==, 12);
  g_test_message ("pooled: nominal %.4f interval %.4f ratio %.4f",
                  report->rubric.alpha_nominal, report->rubric.alpha_interval,
                  report->rubric.alpha_ratio);
  assert_close (report->rubric.alpha_nominal, alpha_by_definition (units, 18, 3, FALSE));
  assert_close (report->rubric.alpha_interval, alpha_by_definition (units, 18, 3, TRUE));
  /* not simply one criterion's */
  g_assert_cmpfloat (fabs (report->rubric.alpha_interval -
                           find_stat (report, "faithfulness")->result.alpha_interval), >, 0.01);
}

/* On the fixture's own template the criteria have different scales: no
 * pooled value, and the JSON says so. */
static void
test_project_rubric_scales (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  g_autoptr(AssayAgreementReport) report = NULL;
  g_autoptr(json_t) json = NULL;

  g_assert_no_error (error);
  report = assay_stats_compute_agreement (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (report->has_rubric);
  json = assay_agreement_report_to_json (report);
  g_assert_true (json_is_null (json_object_get (json, "rubric")));
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
    json_object_get (json, "statistics"), 0), "unit")), ==, "word");
  /* A correction is of one candidate, not of a pair. */
  {
    json_t *stats = json_object_get (json, "statistics"), *stat;
    gboolean seen = FALSE;
    gsize i;

    json_array_foreach (stats, i, stat)
      if (g_strcmp0 (json_string_value (json_object_get (stat, "kind")), "correction") == 0)
        {
          g_assert_cmpstr (json_string_value (json_object_get (stat, "unit")), ==, "candidate");
          seen = TRUE;
        }
    g_assert_true (seen);
  }
}

/* On a blind template the disagreement descriptions name candidates by
 * the Review tabs' letters (assay_item_candidate_letter, blind), which are
 * not the import order's. */
static void
test_project_blind (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  g_autoptr(AssayAgreementReport) report = NULL;
  g_autoptr(AssayStatsDetails) details = NULL;
  guint checked = 0, shuffled = 0;

  g_assert_no_error (error);
  g_assert_true (f->tmpl->blind);
  report = assay_stats_compute_agreement (data, NULL, NULL, &error);
  g_assert_no_error (error);
  details = assay_stats_describe (f->project, report, report->items, 0, report->items->len, TRUE,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (details->items->len, ==, report->items->len);
  /* ann, bob and the adjudicator: the judge's work is proposals, not progress */
  g_assert_cmpuint (details->progress->len, ==, 3);
  for (guint i = 0; i < details->progress->len; i++)
    g_assert_cmpint (((AssayAnnotatorProgress *) g_ptr_array_index (details->progress, i))->kind,
                     !=, ASSAY_ANNOTATOR_MODEL);

  for (guint i = 0; i < report->items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);
      AssayDisagreementDescription *d = g_ptr_array_index (details->items, i);
      g_autoptr(AssayItem) loaded = assay_project_load_item (f->project, item->source_id, f->ann,
                                                             &error);
      g_auto(GStrv) lines = g_strsplit (d->details, "\n", -1);

      g_assert_no_error (error);
      g_assert_cmpint (d->source_id, ==, item->source_id);
      for (guint u = 0; u < item->units->len && u < 8; u++)
        {
          AssayDisagreement *unit = &g_array_index (item->units, AssayDisagreement, u);
          AssayAgreementStat *stat = g_ptr_array_index (report->stats, unit->stat);
          g_autofree char *blind = NULL;
          g_autofree char *plain = NULL;
          g_autofree char *expected = NULL;

          if (stat->kind != ASSAY_STAT_CRITERION && stat->kind != ASSAY_STAT_LABELS)
            continue;
          blind = assay_item_candidate_letter (loaded, TRUE, unit->candidate_id);
          plain = assay_item_candidate_letter (loaded, FALSE, unit->candidate_id);
          expected = stat->multi ? g_strdup_printf (" of %s — ", blind)
                                 : g_strdup_printf ("%s of %s — ", stat->name, blind);
          g_test_message ("%s (import order %s)", lines[u], plain);
          g_assert_nonnull (strstr (lines[u], expected));
          checked++;
          shuffled += !g_str_equal (blind, plain);
        }
    }
  g_assert_cmpuint (checked, >, 0);
  /* the test means something only if the blind order differs somewhere */
  g_assert_cmpuint (shuffled, >, 0);
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_project_async (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayAgreementReport) agreement = NULL;
  g_autoptr(AssayLeaderboard) board = NULL;
  g_autoptr(GError) error = NULL;
  AssayStatsOptions options;

  AssayStatsOptions raters;

  assay_stats_options_init (&options);
  options.n_samples = 100;
  assay_stats_options_init (&raters);
  raters.kinds = ASSAY_STATS_RATERS;
  assay_stats_compute_async (f->path, &raters, &options, NULL, on_computed, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (assay_stats_compute_finish (result, &agreement, &board, &error));
  g_assert_no_error (error);
  check_agreement_report (agreement);
  check_people_board (board);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/stats/krippendorff-2011", test_krippendorff_2011);
  g_test_add_func ("/assay/stats/fleiss-wikipedia", test_fleiss_wikipedia);
  g_test_add_func ("/assay/stats/fleiss-modal", test_fleiss_modal);
  g_test_add_func ("/assay/stats/cohen-wikipedia", test_cohen_wikipedia);
  g_test_add_func ("/assay/stats/weighted-kappa", test_weighted_kappa);
  g_test_add_func ("/assay/stats/kendall-w", test_kendall_w);
  g_test_add_func ("/assay/stats/kendall-tau-b", test_kendall_tau_b);
  g_test_add_func ("/assay/stats/degenerate", test_degenerate);
  g_test_add_func ("/assay/stats/unit-disagreement", test_unit_disagreement);
  g_test_add_func ("/assay/stats/bradley-terry", test_bradley_terry);
  g_test_add_func ("/assay/stats/bradley-terry-mle", test_bradley_terry_mle);
  g_test_add_func ("/assay/stats/bootstrap", test_leaderboard_bootstrap);
  g_test_add ("/assay/stats/project/agreement", Fixture, NULL, fixture_setup,
              test_project_agreement, fixture_teardown);
  g_test_add ("/assay/stats/project/leaderboard", Fixture, NULL, fixture_setup,
              test_project_leaderboard, fixture_teardown);
  g_test_add ("/assay/stats/project/status-judged", Fixture, NULL, fixture_setup,
              test_project_status_judged, fixture_teardown);
  g_test_add ("/assay/stats/project/blind", Fixture, "blind", fixture_setup,
              test_project_blind, fixture_teardown);
  g_test_add ("/assay/stats/project/rubric", Fixture, "same-scale", fixture_setup,
              test_project_rubric, fixture_teardown);
  g_test_add ("/assay/stats/project/rubric-scales", Fixture, NULL, fixture_setup,
              test_project_rubric_scales, fixture_teardown);
  g_test_add ("/assay/stats/project/cli", Fixture, NULL, fixture_setup, test_project_cli,
              fixture_teardown);
  g_test_add ("/assay/stats/project/demo", Fixture, NULL, fixture_setup, test_project_demo,
              fixture_teardown);
  g_test_add ("/assay/stats/project/async", Fixture, NULL, fixture_setup, test_project_async,
              fixture_teardown);

  return g_test_run ();
}
