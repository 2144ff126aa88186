/* test-calibrate.c: judge calibration (assay-cli calibrate)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coefficients are checked on published worked examples, fed through
 * a whole project so that the calibration's own path computes them; then
 * a fictional panel of three experts, a gold and three LLM judges (one
 * that copies an expert, one a point too generous everywhere, one that
 * scores at random) checks what the report says about each.
 * Krippendorff's alpha has its published checks in test-stats.c
 * (Krippendorff 2011); here its two-coder form is checked against the
 * same code on the published table below.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-stats.h"
#include "assay-stats-private.h"
#include "assay-test-run.h"

#define assert_close(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 0.0000005)

/* ---- published examples ---- */

/* Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.: 100 women
 * classified by two abstractors into three pregnancy types, the table his
 * R package irrCAC ships as cont3x3abstractors (rows: the first
 * abstractor, columns: the second). irrCAC's README reports Cohen's kappa
 * 0.7964094 and Krippendorff's alpha 0.7972585, and the kappa2.table
 * example with quadratic.weights(1:3) gives 0.8921569.
 *
 * Worked independently: p_o = 89/100; the margins are rows 13, 27, 60 and
 * columns 13, 24, 63, so p_e = (169 + 648 + 3780) / 10000 = 0.4597 and
 * kappa = (0.89 - 0.4597) / 0.5403 = 0.7964094. Quadratic weights:
 * observed sum of (i - j)^2 p_ij = 0.11; expected sum over the margins =
 * 1.0207; 1 - 0.11 / 1.0207 = 0.8922. Alpha: 200 values, n_c = 26, 51,
 * 123; 1 - 199 * 2 * 11 / (40000 - 676 - 2601 - 15129) = 0.7972585. */
static const guint gwet_table[3][3] = {
  { 13, 0, 0 },
  { 0, 20, 7 },
  { 0, 4, 56 },
};

/* Wikipedia, "Spearman's rank correlation coefficient", the worked
 * example: IQ and hours of television a week of ten people; sum of d^2 =
 * 194, rho = 1 - 6 * 194 / (10 * 99) = -29/165 = -0.175757... */
static const int wiki_iq[10] = { 106, 100, 86, 101, 99, 103, 97, 113, 112, 110 };
static const int wiki_tv[10] = { 7, 27, 2, 50, 28, 29, 20, 12, 6, 17 };

static void
test_spearman_published (void)
{
  double x[10], y[10];

  for (guint i = 0; i < 10; i++)
    {
      x[i] = wiki_iq[i];
      y[i] = wiki_tv[i];
    }
  assert_close (_assay_spearman_rho (x, y, 10), -29.0 / 165.0);

  /* ties take mid-ranks: (1 2 2 3) against (1 2 3 4): ranks (1 2.5 2.5 4),
   * Pearson of the ranks = 4.5 / sqrt (4.5 * 5) = 0.9487 */
  {
    const double a[4] = { 1, 2, 2, 3 }, b[4] = { 1, 2, 3, 4 };

    assert_close (_assay_spearman_rho (a, b, 4), 4.5 / sqrt (4.5 * 5.0));
  }
  /* no variation: undefined */
  {
    const double a[3] = { 2, 2, 2 }, b[3] = { 1, 2, 3 };

    g_assert_true (isnan (_assay_spearman_rho (a, b, 3)));
  }
}

/* The real-valued two-coder forms agree with the agreement report's code
 * on integer data, the published table as a 0-1-2 scale. */
static void
test_two_coder_forms (void)
{
  const double values[3] = { 0, 1, 2 };
  g_autoptr(AssayReliability) r = assay_reliability_new (2, 3, values);
  AssayReliabilityResult result;
  double x[100], y[100];
  guint n = 0;

  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      for (guint k = 0; k < gwet_table[i][j]; k++)
        {
          const guint coders[2] = { 0, 1 }, codes[2] = { i, j };

          assay_reliability_add_unit (r, coders, codes, 2, 1);
          x[n] = i;
          y[n++] = j;
        }
  g_assert_cmpuint (n, ==, 100);
  assay_reliability_compute (r, &result);

  assert_close (_assay_quadratic_kappa_2 (x, y, n), 0.8921569);
  assert_close (g_array_index (result.pairs, AssayPairAgreement, 0).weighted_kappa, 0.8921569);
  assert_close (_assay_interval_alpha_2 (x, y, n), result.alpha_interval);
  assert_close (result.alpha_nominal, 0.7972585);
  assay_reliability_result_clear (&result);
}

/* ---- projects ---- */

static const char *template_json =
  "{\"judgments\": [\"labels\", \"scores\"],"
  " \"label_sets\": ["
  "  {\"name\": \"category\", \"title\": \"Category\", \"options\": [{\"name\": \"first\"},"
  "   {\"name\": \"second\"}, {\"name\": \"third\"}]},"
  "  {\"name\": \"verdict\", \"title\": \"Verdict\", \"options\": [{\"name\": \"accept\"},"
  "   {\"name\": \"reject\"}]},"
  "  {\"name\": \"issues\", \"multi\": true, \"options\": [{\"name\": \"omission\"},"
  "   {\"name\": \"padding\"}]}],"
  " \"criteria\": ["
  "  {\"name\": \"grade\", \"title\": \"Grade\", \"min\": 1, \"max\": 3},"
  "  {\"name\": \"quality\", \"title\": \"Quality\", \"min\": 1, \"max\": 5},"
  "  {\"name\": \"size\", \"min\": 1, \"max\": 10}]}";

typedef struct
{
  char          *dir;
  char          *path;
  AssayProject  *project;
  AssayTemplate *tmpl;
  gint64        *cand;        /* n_sources x per_source, in order */
  guint          n_items;
} Project;

static void
project_free (Project *p)
{
  g_clear_object (&p->project);
  g_clear_pointer (&p->tmpl, assay_template_unref);
  if (p->dir != NULL)
    assay_test_remove_tree (p->dir);
  g_free (p->dir);
  g_free (p->path);
  g_free (p->cand);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Project, project_free)

/* A project of fictional sources, `per_source` candidates each. */
static Project *
project_new (guint n_sources,
             guint per_source)
{
  Project *p = g_new0 (Project, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *template_path = NULL;
  GString *jsonl = g_string_new (NULL);

  p->dir = g_dir_make_tmp ("assay-calibrate-XXXXXX", NULL);
  p->path = g_build_filename (p->dir, "c.assay", NULL);
  p->project = assay_project_create (p->path, &error);
  g_assert_no_error (error);
  template_path = g_build_filename (p->dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (template_path, template_json, -1, NULL));
  p->tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (p->project, p->tmpl, &error));
  assay_template_unref (p->tmpl);
  p->tmpl = assay_project_load_template (p->project, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < n_sources; s++)
    {
      g_string_append_printf (jsonl, "{\"id\": \"s%u\", \"text\": \"Harbour report %u.\","
                              " \"candidates\": [", s, s);
      for (guint c = 0; c < per_source; c++)
        g_string_append_printf (jsonl, "%s{\"id\": \"c%u\", \"model\": \"m%u\","
                                " \"text\": \"Summary %u of report %u.\"}",
                                c == 0 ? "" : ", ", c, c, c, s);
      g_string_append (jsonl, "]}\n");
    }
  bytes = g_string_free_to_bytes (jsonl);
  import = assay_import_new (p->project);
  assay_import_add_bytes (import, "s.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  p->n_items = n_sources * per_source;
  p->cand = g_new (gint64, p->n_items);
  for (guint s = 0; s < n_sources; s++)
    {
      g_autofree char *name = g_strdup_printf ("s%u", s);
      gint64 source = assay_project_lookup_source (p->project, name);

      for (guint c = 0; c < per_source; c++)
        {
          g_autofree char *cname = g_strdup_printf ("c%u", c);

          p->cand[s * per_source + c] = assay_project_lookup_candidate (p->project, source, cname);
          g_assert_cmpint (p->cand[s * per_source + c], >, 0);
        }
    }
  return p;
}

static gint64
add_annotator (Project            *p,
               const char         *id,
               const char         *name,
               AssayAnnotatorKind  kind)
{
  g_autoptr(GError) error = NULL;
  gint64 row = 0;

  g_assert_true (assay_project_ensure_annotator (p->project, id, name, kind, &row, &error));
  g_assert_no_error (error);
  return row;
}

static void
score (Project    *p,
       guint       item,
       gint64      annotator,
       const char *criterion,
       int         value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_set_score (p->project, p->cand[item], annotator,
                                          assay_template_find_criterion (p->tmpl, criterion)->id,
                                          value, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
label (Project    *p,
       guint       item,
       gint64      annotator,
       const char *set,
       const char *option)
{
  g_autoptr(GError) error = NULL;
  AssayLabelOption *o = assay_template_find_option (p->tmpl, set, option, ASSAY_SCOPE_CANDIDATE,
                                                    NULL, NULL);

  g_assert_nonnull (o);
  g_assert_true (assay_project_set_labels (p->project, p->cand[item], annotator,
                                           assay_template_find_label_set (p->tmpl, set)->id,
                                           &o->id, 1, NULL, &error));
  g_assert_no_error (error);
}

static AssayCalibrationReport *
calibrate (Project    *p,
           const char *judge)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (p->project, NULL, &error);
  AssayCalibrationReport *report;
  AssayStatsOptions options;

  g_assert_no_error (error);
  assay_stats_options_init (&options);
  options.annotator = judge;
  options.n_samples = 400;
  options.seed = 7;
  report = assay_stats_compute_calibration (data, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static AssayJudgeCalibration *
find_judge (AssayCalibrationReport *report,
            const char             *id)
{
  for (guint j = 0; j < report->judges->len; j++)
    {
      AssayJudgeCalibration *jc = g_ptr_array_index (report->judges, j);

      if (g_str_equal (jc->judge->ext_id, id))
        return jc;
    }
  g_assert_not_reached ();
}

static AssayCalibrationStat *
find_stat (AssayJudgeCalibration *jc,
           const char            *name)
{
  for (guint k = 0; k < jc->stats->len; k++)
    {
      AssayCalibrationStat *stat = g_ptr_array_index (jc->stats, k);

      if (g_str_equal (stat->name, name))
        return stat;
    }
  g_assert_not_reached ();
}

/* The published tables, through a project: the judge's judgments are the
 * rows, the one expert's the columns. */
static void
test_published_through_project (void)
{
  g_autoptr(Project) p = project_new (20, 5);
  g_autoptr(AssayCalibrationReport) report = NULL;
  g_autoptr(GError) error = NULL;
  static const char *options[3] = { "first", "second", "third" };
  AssayJudgeCalibration *jc;
  AssayCalibrationStat *category, *grade, *size;
  gint64 ann, judge;
  guint item = 0;

  ann = add_annotator (p, "ann", "Ann", ASSAY_ANNOTATOR_PERSON);
  judge = add_annotator (p, "judge", "Judge", ASSAY_ANNOTATOR_MODEL);
  g_assert_true (assay_project_begin (p->project, &error));
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      for (guint k = 0; k < gwet_table[i][j]; k++, item++)
        {
          label (p, item, judge, "category", options[i]);
          label (p, item, ann, "category", options[j]);
          score (p, item, judge, "grade", 1 + i);
          score (p, item, ann, "grade", 1 + j);
        }
  /* A scale has at most 11 points: the example's ranks (neither side
   * has ties) on a 1-10 scale, which leaves rho as it is. */
  for (guint i = 0; i < 10; i++)
    {
      int iq_rank = 1, tv_rank = 1;

      for (guint k = 0; k < 10; k++)
        {
          iq_rank += wiki_iq[k] < wiki_iq[i];
          tv_rank += wiki_tv[k] < wiki_tv[i];
        }
      score (p, i, judge, "size", iq_rank);
      score (p, i, ann, "size", tv_rank);
    }
  g_assert_true (assay_project_commit (p->project, &error));
  g_assert_no_error (error);

  report = calibrate (p, NULL);
  g_assert_cmpuint (report->experts->len, ==, 1);
  g_assert_cmpuint (report->judges->len, ==, 1);
  jc = find_judge (report, "judge");

  category = find_stat (jc, "category");
  g_assert_cmpstr (assay_calibration_stat_level (category), ==, "nominal");
  g_assert_cmpuint (category->experts[0].n_units, ==, 100);
  assert_close (category->experts[0].kappa, 0.7964094);
  assert_close (category->experts[0].alpha, 0.7972585);
  g_assert_true (isnan (category->experts[0].rho));
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      g_assert_cmpuint (category->experts[0].confusion[i * 3 + j], ==, gwet_table[i][j]);
  /* one expert: the consensus is that expert */
  assert_close (category->consensus.kappa, 0.7964094);
  g_assert_false (category->has_gold);

  grade = find_stat (jc, "grade");
  g_assert_cmpstr (assay_calibration_stat_level (grade), ==, "interval");
  assert_close (grade->experts[0].kappa, 0.8921569);
  /* the mean-score path (real values) gives the same numbers */
  assert_close (grade->consensus.kappa, 0.8921569);
  assert_close (grade->consensus.alpha, grade->experts[0].alpha);
  g_assert_null (grade->consensus.confusion);
  /* bias: the rows' mean minus the columns' mean on 0-1-2: (27 + 120 -
   * 24 - 126) / 100 = -0.03 */
  assert_close (grade->experts[0].bias, -0.03);

  size = find_stat (jc, "size");
  g_assert_cmpuint (size->experts[0].n_units, ==, 10);
  assert_close (size->experts[0].rho, -29.0 / 165.0);
  assert_close (size->consensus.rho, -29.0 / 165.0);

  /* one expert: no ceiling, so no verdict */
  g_assert_cmpint (category->verdict, ==, ASSAY_CALIBRATION_UNDECIDED);
  g_assert_cmpint (category->reason, ==, ASSAY_CALIBRATION_NO_EXPERT_PAIR);
}

/* ---- the panel ---- */

typedef struct
{
  Project *p;
  int      truth[60];
  int      ann[60], bob[60], cat[60];
  int      random[60];
} Panel;

#define PANEL_ITEMS 60

static void
panel_free (Panel *panel)
{
  project_free (panel->p);
  g_free (panel);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Panel, panel_free)

/* 30 sources of two candidates. Quality (1-5): the truth t runs over 1-4;
 * Ann gives t, and so do Bob and Cat, except on every third item with t
 * >= 2, where Bob gives t + 1 and Cat t - 1 (so the experts' mean is t
 * everywhere). The gold gives t on the first 20 items. Judges: "copycat"
 * gives Ann's score, "generous" t + 1, "dice" a fixed pseudo-random
 * 1-5. Verdict: accept when t >= 3, by everyone, except item 0, where Bob
 * disagrees and Cat gives none: a tie, so no consensus there. */
static Panel *
panel_new (void)
{
  Panel *panel = g_new0 (Panel, 1);
  g_autoptr(GError) error = NULL;
  gint64 ann, bob, cat, gold, copycat, generous, dice;
  guint32 state = 12345;

  panel->p = project_new (30, 2);
  ann = add_annotator (panel->p, "ann", "Ann", ASSAY_ANNOTATOR_PERSON);
  bob = add_annotator (panel->p, "bob", "Bob", ASSAY_ANNOTATOR_PERSON);
  cat = add_annotator (panel->p, "cat", "Cat", ASSAY_ANNOTATOR_PERSON);
  gold = add_annotator (panel->p, "lead", "Lead", ASSAY_ANNOTATOR_ADJUDICATOR);
  copycat = add_annotator (panel->p, "copycat", "Copycat", ASSAY_ANNOTATOR_MODEL);
  generous = add_annotator (panel->p, "generous", "Generous", ASSAY_ANNOTATOR_MODEL);
  dice = add_annotator (panel->p, "dice", "Dice", ASSAY_ANNOTATOR_MODEL);

  g_assert_true (assay_project_begin (panel->p->project, &error));
  for (guint i = 0; i < PANEL_ITEMS; i++)
    {
      int t = 1 + (int) ((i * 7) % 4);
      gboolean noisy = i % 3 == 0 && t >= 2;
      const char *verdict = t >= 3 ? "accept" : "reject";
      const char *other = t >= 3 ? "reject" : "accept";

      state = state * 1103515245u + 12345u;
      panel->truth[i] = t;
      panel->ann[i] = t;
      panel->bob[i] = noisy ? t + 1 : t;
      panel->cat[i] = noisy ? t - 1 : t;
      panel->random[i] = 1 + (int) ((state >> 16) % 5);

      score (panel->p, i, ann, "quality", panel->ann[i]);
      score (panel->p, i, bob, "quality", panel->bob[i]);
      score (panel->p, i, cat, "quality", panel->cat[i]);
      if (i < 20)
        score (panel->p, i, gold, "quality", t);
      score (panel->p, i, copycat, "quality", panel->ann[i]);
      score (panel->p, i, generous, "quality", t + 1);
      score (panel->p, i, dice, "quality", panel->random[i]);

      label (panel->p, i, ann, "verdict", verdict);
      label (panel->p, i, bob, "verdict", i == 0 ? other : verdict);
      if (i != 0)
        label (panel->p, i, cat, "verdict", verdict);
      label (panel->p, i, copycat, "verdict", verdict);
    }
  g_assert_true (assay_project_commit (panel->p->project, &error));
  g_assert_no_error (error);
  return panel;
}

static double
pair_alpha (const int *a,
            const int *b)
{
  const double values[5] = { 1, 2, 3, 4, 5 };
  g_autoptr(AssayReliability) r = assay_reliability_new (2, 5, values);
  AssayReliabilityResult result;
  double alpha;

  for (guint i = 0; i < PANEL_ITEMS; i++)
    {
      const guint coders[2] = { 0, 1 }, codes[2] = { (guint) a[i] - 1, (guint) b[i] - 1 };

      assay_reliability_add_unit (r, coders, codes, 2, 1);
    }
  assay_reliability_compute (r, &result);
  alpha = result.alpha_interval;
  assay_reliability_result_clear (&result);
  return alpha;
}

static void
test_panel (void)
{
  g_autoptr(Panel) panel = panel_new ();
  g_autoptr(AssayCalibrationReport) report = calibrate (panel->p, NULL);
  AssayJudgeCalibration *copycat, *generous, *dice;
  AssayCalibrationStat *q;
  double ceiling;
  g_autofree char *sentence = NULL;

  g_assert_cmpuint (report->experts->len, ==, 3);
  g_assert_cmpuint (report->gold->len, ==, 1);
  g_assert_cmpuint (report->judges->len, ==, 3);
  g_assert_cmpstr (((AssayStatsAnnotator *) g_ptr_array_index (report->experts, 0))->ext_id, ==,
                   "ann");

  /* the ceiling: the mean of the three experts' pairwise alphas */
  ceiling = (pair_alpha (panel->ann, panel->bob) + pair_alpha (panel->ann, panel->cat) +
             pair_alpha (panel->bob, panel->cat)) / 3.0;

  /* a judge that copies Ann */
  copycat = find_judge (report, "copycat");
  q = find_stat (copycat, "quality");
  assert_close (q->ceiling.value, ceiling);
  g_assert_cmpuint ((guint) q->ceiling.n, ==, 3);
  g_assert_cmpuint (q->ceiling.n_sources, ==, 30);
  g_assert_cmpfloat (q->ceiling.low, <=, q->ceiling.value);
  g_assert_cmpfloat (q->ceiling.high, >=, q->ceiling.value);
  g_assert_cmpfloat (q->ceiling.high, <=, 1.0);
  g_assert_cmpuint (q->experts[0].n_units, ==, PANEL_ITEMS);
  assert_close (q->experts[0].alpha, 1.0);
  assert_close (q->experts[0].kappa, 1.0);
  assert_close (q->experts[0].rho, 1.0);
  assert_close (q->experts[0].bias, 0.0);
  for (guint r = 0; r < 5; r++)
    for (guint c = 0; c < 5; c++)
      if (r != c)
        g_assert_cmpuint (q->experts[0].confusion[r * 5 + c], ==, 0);
  assert_close (q->experts[1].alpha, pair_alpha (panel->ann, panel->bob));
  assert_close (q->agreement, (1.0 + pair_alpha (panel->ann, panel->bob) +
                               pair_alpha (panel->ann, panel->cat)) / 3.0);
  /* Ann's scores are the experts' mean, and the gold on 20 items */
  assert_close (q->consensus.bias, 0.0);
  assert_close (q->consensus.alpha, 1.0);
  g_assert_true (q->has_gold);
  g_assert_cmpuint (q->gold.n_units, ==, 20);
  assert_close (q->gold.alpha, 1.0);
  g_assert_cmpint (q->verdict, ==, ASSAY_CALIBRATION_STANDS_IN);
  sentence = assay_calibration_stat_describe (q, copycat->judge);
  g_assert_true (g_str_has_prefix (sentence, "Copycat can stand in for an expert on “Quality”"));
  g_clear_pointer (&sentence, g_free);

  /* a point too generous everywhere: bias 1, the same order */
  generous = find_judge (report, "generous");
  q = find_stat (generous, "quality");
  assert_close (q->consensus.bias, 1.0);
  assert_close (q->experts[0].bias, 1.0);
  assert_close (q->consensus.rho, 1.0);
  assert_close (q->gold.bias, 1.0);
  g_assert_cmpfloat (q->consensus.kappa, <, 1.0);
  /* every score one column to the right of Ann's */
  for (guint r = 0; r < 5; r++)
    for (guint c = 0; c < 5; c++)
      if (r != c + 1)
        g_assert_cmpuint (q->experts[0].confusion[r * 5 + c], ==, 0);

  /* dice: cannot stand in */
  dice = find_judge (report, "dice");
  q = find_stat (dice, "quality");
  g_assert_cmpfloat (fabs (q->agreement), <, 0.3);
  g_assert_cmpint (q->verdict, ==, ASSAY_CALIBRATION_FALLS_SHORT);
  g_assert_cmpfloat (q->agreement, <, q->ceiling.low);
  sentence = assay_calibration_stat_describe (q, dice->judge);
  g_assert_true (g_str_has_prefix (sentence, "Dice cannot stand in for an expert on “Quality”"));
  g_assert_nonnull (strstr (sentence, "below the experts’ own interval"));
  g_clear_pointer (&sentence, g_free);

  /* labels: the majority; item 0 ties (Ann accept... Bob the other, Cat
   * none) and has no consensus */
  q = find_stat (copycat, "verdict");
  g_assert_cmpstr (assay_calibration_stat_level (q), ==, "nominal");
  g_assert_cmpuint (q->experts[0].n_units, ==, PANEL_ITEMS);
  g_assert_cmpuint (q->experts[2].n_units, ==, PANEL_ITEMS - 1);
  g_assert_cmpuint (q->consensus.n_units, ==, PANEL_ITEMS - 1);
  assert_close (q->consensus.kappa, 1.0);
  g_assert_nonnull (q->consensus.confusion);
  g_assert_cmpuint (q->n_codes, ==, 2);
  g_assert_cmpstr (q->code_names[0], ==, "accept");
  /* the gold never labelled */
  g_assert_cmpuint (q->gold.n_units, ==, 0);

  /* no one labelled issues or graded: no units, nothing to decide */
  q = find_stat (dice, "issues");
  g_assert_true (q->multi);
  g_assert_cmpuint (q->consensus.n_units, ==, 0);
  g_assert_cmpint (q->verdict, ==, ASSAY_CALIBRATION_UNDECIDED);
}

/* The sentences, from the numbers alone. */
static void
test_sentences (void)
{
  AssayStatsAnnotator judge = { 1, (char *) "j", (char *) "Quill", ASSAY_ANNOTATOR_MODEL };
  AssayCalibrationStat stat = { 0, };
  g_autofree char *within = NULL;
  g_autofree char *shaky = NULL;
  g_autofree char *few = NULL;

  stat.kind = ASSAY_STAT_CRITERION;
  stat.name = (char *) "faithfulness";
  stat.title = (char *) "Faithfulness";
  stat.verdict = ASSAY_CALIBRATION_STANDS_IN;
  stat.reason = ASSAY_CALIBRATION_DECIDED;
  stat.agreement = 0.74;
  stat.ceiling.value = 0.72;
  stat.ceiling.low = 0.61;
  stat.ceiling.high = 0.80;
  within = assay_calibration_stat_describe (&stat, &judge);
  g_assert_cmpstr (within, ==, "Quill can stand in for an expert on “Faithfulness”: its "
                   "agreement with the experts (alpha 0.74) is within the experts’ own interval "
                   "(0.61 to 0.80).");

  /* experts who agree too little are no reference */
  stat.agreement = 0.5;
  stat.ceiling.value = 0.3;
  stat.ceiling.low = 0.2;
  stat.ceiling.high = 0.4;
  shaky = assay_calibration_stat_describe (&stat, &judge);
  g_assert_true (g_str_has_prefix (shaky, "Quill can stand in for an expert on “Faithfulness”: "
                                   "its agreement with the experts (alpha 0.50) is above the "
                                   "experts’ own interval (0.20 to 0.40). But the experts agree "
                                   "too little"));

  stat.verdict = ASSAY_CALIBRATION_UNDECIDED;
  stat.reason = ASSAY_CALIBRATION_TOO_FEW_SOURCES;
  stat.ceiling.n_sources = 3;
  few = assay_calibration_stat_describe (&stat, &judge);
  g_assert_cmpstr (few, ==, "Whether Quill can stand in for an expert on “Faithfulness” cannot "
                   "be told yet: the experts’ own interval needs two experts on items of 5 or "
                   "more sources (there are 3).");
}

/* --judge may name a person, who is then calibrated against the others;
 * an unknown one is an error. */
static void
test_person_as_judge (void)
{
  g_autoptr(Panel) panel = panel_new ();
  g_autoptr(AssayCalibrationReport) report = calibrate (panel->p, "bob");
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(GError) error = NULL;
  AssayStatsOptions options;
  AssayCalibrationStat *q;

  g_assert_cmpuint (report->judges->len, ==, 1);
  g_assert_cmpstr (find_judge (report, "bob")->judge->ext_id, ==, "bob");
  g_assert_cmpuint (report->experts->len, ==, 2);
  g_assert_cmpstr (((AssayStatsAnnotator *) g_ptr_array_index (report->experts, 0))->ext_id, ==,
                   "ann");
  g_assert_cmpstr (((AssayStatsAnnotator *) g_ptr_array_index (report->experts, 1))->ext_id, ==,
                   "cat");
  q = find_stat (find_judge (report, "bob"), "quality");
  /* the ceiling is Ann and Cat's alone */
  assert_close (q->ceiling.value, pair_alpha (panel->ann, panel->cat));
  g_assert_cmpuint ((guint) q->ceiling.n, ==, 1);
  assert_close (q->experts[0].alpha, pair_alpha (panel->bob, panel->ann));

  data = assay_stats_data_load (panel->p->project, NULL, &error);
  assay_stats_options_init (&options);
  options.annotator = "nobody";
  g_assert_null (assay_stats_compute_calibration (data, &options, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
}

static void
on_calibrated (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AssayCalibrationReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = assay_stats_calibrate_finish (result, &error);
  g_assert_no_error (error);
}

/* In a worker thread, the same report; the same seed, the same interval. */
static void
test_async (void)
{
  g_autoptr(Panel) panel = panel_new ();
  g_autoptr(AssayCalibrationReport) sync = calibrate (panel->p, NULL);
  g_autoptr(AssayCalibrationReport) async = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) a = NULL;
  g_autoptr(json_t) b = NULL;
  AssayStatsOptions options;

  data = assay_stats_data_load (panel->p->project, NULL, &error);
  g_assert_no_error (error);
  assay_stats_options_init (&options);
  options.n_samples = 400;
  options.seed = 7;
  assay_stats_calibrate_async (data, &options, NULL, on_calibrated, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  a = assay_calibration_report_to_json (sync);
  b = assay_calibration_report_to_json (async);
  g_assert_true (json_equal (a, b));
}

/* assay-cli calibrate: the JSON shape of docs/statistics.md and the
 * sentences in the text. */
static void
test_cli (void)
{
  g_autoptr(Panel) panel = panel_new ();
  g_auto(AssayTestRun) run = { 0, };
  g_auto(AssayTestRun) text = { 0, };
  g_auto(AssayTestRun) bad = { 0, };
  g_autoptr(json_t) root = NULL;
  json_error_t jerror;
  json_t *judges, *judge, *stat = NULL;

  /* the project is closed so that the CLI reads what was committed */
  g_clear_object (&panel->p->project);

  assay_test_run_cli (&run, "calibrate", panel->p->path, "--json", "--samples", "300", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = json_loads (run.out, 0, &jerror);
  g_assert_nonnull (root);
  g_assert_cmpuint (json_array_size (json_object_get (root, "experts")), ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (root, "samples")), ==, 300);
  judges = json_object_get (root, "judges");
  g_assert_cmpuint (json_array_size (judges), ==, 3);
  judge = json_array_get (judges, 0);
  g_assert_cmpstr (json_string_value (json_object_get (judge, "id")), ==, "copycat");
  g_assert_cmpstr (json_string_value (json_object_get (judge, "kind")), ==, "model");
  for (size_t k = 0; k < json_array_size (json_object_get (judge, "statistics")); k++)
    {
      json_t *s = json_array_get (json_object_get (judge, "statistics"), k);

      if (g_str_equal (json_string_value (json_object_get (s, "name")), "quality"))
        stat = s;
    }
  g_assert_nonnull (stat);
  g_assert_cmpstr (json_string_value (json_object_get (stat, "kind")), ==, "criterion");
  g_assert_cmpstr (json_string_value (json_object_get (stat, "level")), ==, "interval");
  g_assert_cmpstr (json_string_value (json_object_get (stat, "verdict")), ==, "stands-in");
  g_assert_true (json_is_null (json_object_get (stat, "reason")));
  assert_close (json_real_value (json_object_get (json_object_get (json_object_get (stat,
                                                                                    "experts"),
                                                                   "ann"), "alpha")), 1.0);
  g_assert_true (json_is_array (json_object_get (json_object_get (json_object_get (stat,
                                                                                   "experts"),
                                                                  "ann"), "confusion")));
  g_assert_true (json_is_null (json_object_get (json_object_get (stat, "consensus"),
                                                "confusion")));
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (stat, "gold"), "units")),
                   ==, 20);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (stat, "ceiling"),
                                                        "sources")), ==, 30);
  g_assert_true (json_is_number (json_object_get (json_object_get (stat, "ceiling"), "low")));
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (stat, "sentence")),
                                   "Copycat can stand in"));

  assay_test_run_cli (&text, "calibrate", panel->p->path, "--judge", "dice", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Experts: ann, bob, cat"));
  g_assert_nonnull (strstr (text.out, "Judge dice (Dice)"));
  g_assert_nonnull (strstr (text.out, "Dice cannot stand in for an expert on “Quality”"));
  g_assert_null (strstr (text.out, "Copycat"));

  assay_test_run_cli (&bad, "calibrate", panel->p->path, "--judge", "nobody", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "nobody"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calibrate/spearman-published", test_spearman_published);
  g_test_add_func ("/calibrate/two-coder-forms", test_two_coder_forms);
  g_test_add_func ("/calibrate/published-through-project", test_published_through_project);
  g_test_add_func ("/calibrate/panel", test_panel);
  g_test_add_func ("/calibrate/sentences", test_sentences);
  g_test_add_func ("/calibrate/person-as-judge", test_person_as_judge);
  g_test_add_func ("/calibrate/async", test_async);
  g_test_add_func ("/calibrate/cli", test_cli);

  return g_test_run ();
}
