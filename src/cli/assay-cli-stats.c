/* assay-cli-stats.c: assay-cli agreement and assay-cli leaderboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "assay-cli-private.h"
#include "assay-stats.h"

static const char *
kind_label (AssayAnnotatorKind kind)
{
  switch (kind)
    {
    case ASSAY_ANNOTATOR_MODEL:
      return _("model");
    case ASSAY_ANNOTATOR_ADJUDICATOR:
      return _("adjudicator");
    case ASSAY_ANNOTATOR_PERSON:
    default:
      return _("person");
    }
}

/* A number with `digits` decimals, or "undefined". */
static char *
format_number (double value,
               int    digits)
{
  if (!isfinite (value))
    return g_strdup (_("undefined"));
  return g_strdup_printf ("%.*f", digits, value);
}

static char *
format_percent (double value)
{
  if (!isfinite (value))
    return g_strdup (_("undefined"));
  return g_strdup_printf ("%.1f%%", 100.0 * value);
}

/* "value [low, high]" */
static char *
format_estimate (const AssayEstimate *e,
                 int                  digits,
                 gboolean             sign)
{
  if (!isfinite (e->value))
    return g_strdup ("–");
  if (e->n_sources < ASSAY_INTERVAL_MIN_SOURCES)
    /* TRANSLATORS: a value without an interval: too few sources for one */
    return g_strdup_printf (sign ? _("%+.*f [too few sources]") : _("%.*f [too few sources]"),
                            digits, e->value);
  if (!isfinite (e->low) || !isfinite (e->high))
    return g_strdup_printf (sign ? "%+.*f" : "%.*f", digits, e->value);
  if (sign)
    return g_strdup_printf ("%+.*f [%+.*f, %+.*f]", digits, e->value, digits, e->low, digits,
                            e->high);
  return g_strdup_printf ("%.*f [%.*f, %.*f]", digits, e->value, digits, e->low, digits, e->high);
}

/* Pads to `width` characters (printf pads bytes, which misaligns “’”). */
static char *
pad (const char *text,
     int         width)
{
  glong n = g_utf8_strlen (text, -1);
  GString *out = g_string_new (text);

  for (glong i = n; i < width; i++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static void
print_field (const char *label,
             const char *value,
             const char *extra)
{
  g_autofree char *padded = pad (label, 36);

  g_print ("  %s%s%s%s\n", padded, value, extra != NULL ? " " : "", extra != NULL ? extra : "");
}

static void
print_annotators (const char *heading,
                  GPtrArray  *annotators)
{
  g_print ("%s", heading);
  if (annotators->len == 0)
    g_print (" %s", _("none"));
  for (guint i = 0; i < annotators->len; i++)
    {
      AssayStatsAnnotator *a = g_ptr_array_index (annotators, i);

      g_print ("%s %s (%s)", i == 0 ? "" : ",", a->ext_id, kind_label (a->kind));
    }
  g_print ("\n");
}

static gboolean
parse_kinds (const char      *value,
             AssayStatsKinds *kinds)
{
  if (value == NULL)
    return TRUE;
  if (assay_stats_kinds_from_string (value, kinds))
    return TRUE;

  {
    g_autofree char *message = g_strdup_printf (_("unknown annotators “%s” (known: all, people, "
                                                  "models, adjudicators, or a comma-separated "
                                                  "list)"), value);

    assay_cli_print_error (message);
  }
  return FALSE;
}

static int
print_json (json_t *json)
{
  g_autofree char *text = assay_json_dumps_compact (json);

  g_print ("%s\n", text);
  return EXIT_SUCCESS;
}

/* ---- agreement ---- */

static char *
stat_label (AssayAgreementStat *stat)
{
  switch (stat->kind)
    {
    case ASSAY_STAT_LABELS:
      return stat->multi ? g_strdup_printf (_("%s (labels, multiple choice)"), stat->name)
                         : g_strdup_printf (_("%s (labels)"), stat->name);
    case ASSAY_STAT_SPANS:
      return g_strdup_printf (_("%s (spans, per word)"), stat->name);
    case ASSAY_STAT_CRITERION:
      return g_strdup_printf (_("%s (score %d–%d)"), stat->name, stat->scale_min, stat->scale_max);
    case ASSAY_STAT_RANKING:
      return g_strdup (_("Rankings"));
    case ASSAY_STAT_CORRECTION:
      return g_strdup (_("Corrections (disagreements only)"));
    case ASSAY_STAT_COMPARISON:
    default:
      return g_strdup (_("Pairwise comparisons"));
    }
}

/* What a statistic's units are, counted: "719 words". */
static const char *
unit_name (const char *unit,
           guint64     n)
{
  gulong k = (gulong) MIN (n, G_MAXULONG);

  if (g_str_equal (unit, "word"))
    return g_dngettext (GETTEXT_PACKAGE, "word", "words", k);
  if (g_str_equal (unit, "candidate-option"))
    return g_dngettext (GETTEXT_PACKAGE, "candidate and option", "candidates and options", k);
  if (g_str_equal (unit, "candidate-criterion"))
    return g_dngettext (GETTEXT_PACKAGE, "candidate and criterion", "candidates and criteria",
                        k);
  if (g_str_equal (unit, "pair"))
    return g_dngettext (GETTEXT_PACKAGE, "pair of candidates", "pairs of candidates", k);
  if (g_str_equal (unit, "source"))
    return g_dngettext (GETTEXT_PACKAGE, "source", "sources", k);
  return g_dngettext (GETTEXT_PACKAGE, "candidate", "candidates", k);
}

static void
print_reliability (AssayAgreementReport         *report,
                   const AssayReliabilityResult *r,
                   const char                   *unit,
                   gboolean                      numeric)
{
  g_autofree char *agreement = format_percent (r->agreement);
  g_autofree char *alpha = format_number (r->alpha_nominal, 3);
  g_autofree char *fleiss = format_number (r->fleiss_kappa, 3);
  g_autofree char *kappa = format_number (r->mean_kappa, 3);

  if (r->n_units == 0)
    {
      g_print ("  %s\n", _("No unit has values from two raters yet: nothing to compare."));
      return;
    }
  {
    g_autofree char *units = g_strdup_printf ("%" G_GUINT64_FORMAT " %s", r->n_units,
                                              unit_name (unit, r->n_units));

    print_field (_("Units with two or more ratings:"), units, NULL);
  }
  print_field (_("Observed agreement:"), agreement, NULL);
  if (numeric)
    {
      g_autofree char *near = format_percent (r->within_one);

      print_field (_("Within one point:"), near, NULL);
    }
  print_field (_("Krippendorff’s alpha (nominal):"), alpha, NULL);
  if (numeric)
    {
      g_autofree char *ordinal = format_number (r->alpha_ordinal, 3);
      g_autofree char *interval = format_number (r->alpha_interval, 3);

      g_autofree char *ratio = format_number (r->alpha_ratio, 3);

      print_field (_("Krippendorff’s alpha (ordinal):"), ordinal, NULL);
      print_field (_("Krippendorff’s alpha (interval):"), interval, NULL);
      print_field (_("Krippendorff’s alpha (ratio):"), ratio, NULL);
    }
  if (r->fleiss_raters > 0)
    {
      /* TRANSLATORS: the units Fleiss' kappa used, and their number of raters */
      g_autofree char *used = g_strdup_printf (_("(%" G_GUINT64_FORMAT " units with %u raters "
                                                 "each)"), r->fleiss_units, r->fleiss_raters);

      print_field (_("Fleiss’ kappa:"), fleiss, used);
    }
  else
    print_field (_("Fleiss’ kappa:"), fleiss, NULL);
  print_field (_("Mean Cohen’s kappa over pairs:"), kappa, NULL);
  if (numeric)
    {
      g_autofree char *weighted = format_number (r->mean_weighted_kappa, 3);

      print_field (_("Mean quadratic weighted kappa:"), weighted, NULL);
    }

  for (guint i = 0; i < r->pairs->len; i++)
    {
      const AssayPairAgreement *p = &g_array_index (r->pairs, AssayPairAgreement, i);
      AssayStatsAnnotator *a = g_ptr_array_index (report->annotators, p->coder_a);
      AssayStatsAnnotator *b = g_ptr_array_index (report->annotators, p->coder_b);
      g_autofree char *pair = g_strdup_printf ("%s – %s", a->ext_id, b->ext_id);
      g_autofree char *pk = format_number (p->kappa, 3);
      g_autofree char *pa = format_percent (p->agreement);

      if (numeric)
        {
          g_autofree char *pw = format_number (p->weighted_kappa, 3);

          g_print (_("    %-32s kappa %s, weighted kappa %s, percent agreement %s (%"
                     G_GUINT64_FORMAT " units)\n"), pair, pk, pw, pa, p->n_units);
        }
      else
        g_print (_("    %-32s kappa %s, percent agreement %s (%" G_GUINT64_FORMAT " units)\n"),
                 pair, pk, pa, p->n_units);
    }
}

static void
print_unit (AssayAgreementReport *report,
            AssayDisagreement    *d)
{
  AssayAgreementStat *stat = g_ptr_array_index (report->stats, d->stat);
  const char *candidate = NULL, *other = NULL;

  assay_stats_data_describe_candidate (report->data, d->candidate_id, &candidate, NULL, NULL);
  switch (stat->kind)
    {
    case ASSAY_STAT_RANKING:
      g_print (_("      ranking: Kendall’s W %.2f"), 1.0 - d->disagreement);
      break;
    case ASSAY_STAT_COMPARISON:
      assay_stats_data_describe_candidate (report->data, d->other_id, &other, NULL, NULL);
      g_print (_("      comparison of %s and %s"), candidate, other);
      break;
    case ASSAY_STAT_SPANS:
      g_print (_("      %s: candidate %s, characters %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT),
               stat->name, candidate, d->start, d->end);
      break;
    case ASSAY_STAT_CORRECTION:
      g_print (_("      corrections of candidate %s differ"), candidate);
      break;
    case ASSAY_STAT_LABELS:
    case ASSAY_STAT_CRITERION:
    default:
      g_print (_("      %s: candidate %s"), stat->name, candidate);
      break;
    }
  g_print (" (%.2f)\n", d->disagreement);
}

int
assay_cli_agreement (int    argc,
                     char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *kinds_text = NULL;
  int top = 10;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print one JSON object instead of text"), NULL },
    { "annotators", 'a', 0, G_OPTION_ARG_STRING, &kinds_text,
      N_("Whose judgments count: all, people, models, adjudicators, or a list "
         "(default: people)"), N_("KINDS") },
    { "top", 0, 0, G_OPTION_ARG_INT, &top,
      N_("Show this many of the most disagreed-on sources (default: 10)"), N_("N") },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayAgreementReport) report = NULL;
  AssayStatsOptions options;
  GError *error = NULL;

  assay_cli_parse_options ("agreement", _("PROJECT"),
                           _("Inter-annotator agreement on labels, spans, scores, rankings and "
                             "comparisons."),
                           _("Model annotators’ judgments (suggestions, pre-checks, LLM "
                             "judges) are proposals and\nadjudicators’ judgments are gold: "
                             "neither counts as ratings unless asked for\n(--annotators "
                             "people,models).\n“undefined” means the data cannot give a "
                             "value (no variation, or too few ratings).\nSee "
                             "docs/statistics.md."),
                           entries, &argc, &argv, 1, 1);

  assay_stats_options_init (&options);
  if (!parse_kinds (kinds_text, &options.kinds))
    return EXIT_USAGE;

  project = assay_cli_open_project_read_only (argv[1]);
  data = assay_stats_data_load (project, NULL, &error);
  if (data == NULL)
    return assay_cli_fail (error);
  report = assay_stats_compute_agreement (data, &options, NULL, &error);
  if (report == NULL)
    return assay_cli_fail (error);

  if (as_json)
    {
      g_autoptr(json_t) json = assay_agreement_report_to_json (report);

      return print_json (json);
    }

  print_annotators (_("Raters:"), report->annotators);
  for (guint i = 0; i < report->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, i);
      g_autofree char *label = stat_label (stat);

      g_print ("\n%s\n", label);
      if (stat->has_result)
        print_reliability (report, &stat->result, assay_agreement_stat_unit (stat),
                           stat->kind == ASSAY_STAT_CRITERION);
      for (guint o = 0; stat->options != NULL && stat->result.n_units > 0 &&
                        o < stat->options->len; o++)
        {
          AssayOptionAgreement *option = g_ptr_array_index (stat->options, o);
          g_autofree char *alpha = format_number (option->result.alpha_nominal, 3);
          g_autofree char *kappa = format_number (option->result.mean_kappa, 3);
          g_autofree char *agreement = format_percent (option->result.agreement);

          g_print (_("    option %-25s alpha %s, mean kappa %s, observed agreement %s\n"),
                   option->name,
                   alpha, kappa, agreement);
        }
      if (stat->kind == ASSAY_STAT_RANKING && stat->kendall_w_sources == 0 &&
          stat->tau_b_pairs == 0)
        g_print ("  %s\n", _("No source has two rankings yet: nothing to compare."));
      else if (stat->kind == ASSAY_STAT_RANKING)
        {
          g_autofree char *w = format_number (stat->kendall_w, 3);
          g_autofree char *tau = format_number (stat->tau_b, 3);
          g_autofree char *n_sources = g_strdup_printf (_("(%" G_GUINT64_FORMAT " sources)"),
                                                        stat->kendall_w_sources);
          g_autofree char *n_pairs = g_strdup_printf (_("(%" G_GUINT64_FORMAT " pairs of "
                                                        "rankings)"), stat->tau_b_pairs);

          print_field (_("Kendall’s W (mean over sources):"), w, n_sources);
          print_field (_("Kendall’s tau-b (mean over pairs):"), tau, n_pairs);
          for (guint p = 0; p < stat->rank_pairs->len; p++)
            {
              AssayRankPair *pair = &g_array_index (stat->rank_pairs, AssayRankPair, p);
              AssayStatsAnnotator *a = g_ptr_array_index (report->annotators, pair->annotator_a);
              AssayStatsAnnotator *b = g_ptr_array_index (report->annotators, pair->annotator_b);
              g_autofree char *names = g_strdup_printf ("%s – %s", a->ext_id, b->ext_id);
              g_autofree char *ptau = format_number (pair->tau_b, 3);

              g_print (_("    %-32s tau-b %s (%" G_GUINT64_FORMAT " sources)\n"), names, ptau,
                       pair->n_sources);
            }
        }
    }

  if (report->has_rubric)
    {
      g_print ("\n");
      g_print (_("The rubric, pooled over its criteria (score %d–%d)\n"), report->rubric_min,
               report->rubric_max);
      print_reliability (report, &report->rubric, "candidate-criterion", TRUE);
    }

  if (report->items->len > 0 && top > 0)
    {
      g_print ("\n");
      g_print (g_dngettext (GETTEXT_PACKAGE, "Most disagreement (%u of %u source):\n",
                            "Most disagreement (%u of %u sources):\n", report->items->len),
               MIN ((guint) top, report->items->len), report->items->len);
      for (guint i = 0; i < report->items->len && i < (guint) top; i++)
        {
          AssayDisagreementItem *item = g_ptr_array_index (report->items, i);

          g_print ("  %s  %.2f  %s\n", item->ext_id, item->disagreement, item->title);
          for (guint u = 0; u < item->units->len && u < 5; u++)
            print_unit (report, &g_array_index (item->units, AssayDisagreement, u));
          if (item->units->len > 5)
            g_print (g_dngettext (GETTEXT_PACKAGE, "      … and %u more\n",
                                  "      … and %u more\n", item->units->len - 5),
                     item->units->len - 5);
        }
    }
  return EXIT_SUCCESS;
}

/* ---- leaderboard ---- */

int
assay_cli_leaderboard (int    argc,
                       char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *kinds_text = NULL;
  g_autofree char *annotator = NULL;
  gint64 seed = 0;
  int samples = 1000;
  double prior = 1.0;
  g_autofree char *rank_by = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print one JSON object instead of text"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed of the bootstrap (default: 0)"), N_("N") },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples,
      N_("Bootstrap samples (default: 1000)"), N_("N") },
    { "annotators", 'a', 0, G_OPTION_ARG_STRING, &kinds_text,
      N_("Whose judgments count: all, people, models, adjudicators, or a list "
         "(default: people)"), N_("KINDS") },
    { "annotator", 0, 0, G_OPTION_ARG_STRING, &annotator,
      N_("Only this annotator’s judgments"), N_("ID") },
    { "prior", 0, 0, G_OPTION_ARG_DOUBLE, &prior,
      N_("Virtual ties added between every two models in the Bradley–Terry fit (default: 1); "
         "0 gives the plain maximum-likelihood estimate"), N_("N") },
    { "rank-by", 0, 0, G_OPTION_ARG_STRING, &rank_by,
      N_("Order the models by strength, overall or win-rate (default: strength when there "
         "are comparisons, else overall)"), N_("WHAT") },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayLeaderboard) board = NULL;
  AssayStatsOptions options;
  GError *error = NULL;
  guint n;

  assay_cli_parse_options ("leaderboard", _("PROJECT"),
                           _("Rank the models: rubric scores, label rates, corrections and "
                             "Bradley–Terry strengths, with bootstrap intervals."),
                           _("Intervals come from a percentile bootstrap that resamples sources; "
                             "a value from fewer\nthan 5 sources gets none. Rankings count as all "
                             "their pairs of candidates;\nties count half. Strengths are penalised "
                             "by a virtual tie per pair of models\nunless --prior 0. See "
                             "docs/statistics.md."),
                           entries, &argc, &argv, 1, 1);

  assay_stats_options_init (&options);
  if (!parse_kinds (kinds_text, &options.kinds))
    return EXIT_USAGE;
  if (samples < 1 || samples > 1000000)
    {
      assay_cli_print_error (_("--samples must lie between 1 and 1000000"));
      return EXIT_USAGE;
    }
  if (!(prior >= 0.0 && prior <= 1000000.0))
    {
      assay_cli_print_error (_("--prior must be a number of virtual ties from 0 to 1000000"));
      return EXIT_USAGE;
    }
  if (rank_by != NULL && !assay_rank_by_from_string (rank_by, &options.rank_by))
    {
      g_autofree char *message = g_strdup_printf (_("unknown order “%s” (known: strength, "
                                                    "overall, win-rate)"), rank_by);

      assay_cli_print_error (message);
      return EXIT_USAGE;
    }
  options.bt_prior = prior;
  options.n_samples = samples;
  options.seed = (guint64) seed;
  options.annotator = annotator;

  project = assay_cli_open_project_read_only (argv[1]);
  data = assay_stats_data_load (project, NULL, &error);
  if (data == NULL)
    return assay_cli_fail (error);
  board = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  if (board == NULL)
    return assay_cli_fail (error);

  if (as_json)
    {
      g_autoptr(json_t) json = assay_leaderboard_to_json (board);

      return print_json (json);
    }

  n = board->models->len;
  print_annotators (_("Judgments by:"), board->annotators);
  g_print (_("Intervals: %.0f%%, percentile bootstrap over sources, %u samples, seed %"
             G_GUINT64_FORMAT "; none from fewer than %d sources\n"), 100.0 * board->level,
           board->n_samples, board->seed, ASSAY_INTERVAL_MIN_SOURCES);
  if (board->bt_prior == 1.0)
    g_print ("%s\n", _("Strength: penalised Bradley–Terry estimate, one virtual tie between every "
                       "two models (--prior 0 for maximum likelihood)."));
  else if (board->bt_prior > 0.0)
    g_print (_("Strength: penalised Bradley–Terry estimate, %g virtual ties between every two "
               "models (--prior 0 for maximum likelihood).\n"), board->bt_prior);
  else
    g_print ("%s\n", _("Strength: maximum-likelihood Bradley–Terry estimate (no prior)."));
  if (!board->bt_exists)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < board->bt_unbeaten->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                (char *) g_ptr_array_index (board->bt_unbeaten, i));
      g_print (_("The maximum-likelihood strengths do not exist: %s never lost to the other "
                 "models. Use a prior (--prior 1) for finite strengths.\n"), names->str);
    }
  switch (board->ranked_by)
    {
    case ASSAY_RANK_STRENGTH:
      g_print ("%s\n", _("Ranked by Bradley–Terry strength."));
      break;
    case ASSAY_RANK_WIN_RATE:
      g_print ("%s\n", _("Ranked by win rate."));
      break;
    case ASSAY_RANK_OVERALL:
    case ASSAY_RANK_AUTO:
    default:
      g_print ("%s\n", _("Ranked by overall score."));
      break;
    }
  if (n == 0)
    {
      g_print ("%s\n", _("No model has judgments by these annotators."));
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *h_rank = pad (_("Rank"), 5);
    g_autofree char *h_model = pad (_("Model"), 21);
    g_autofree char *h_strength = pad (board->bt_prior > 0.0 ? _("Strength (log, penalised)")
                                                             : _("Strength (log, ML)"), 27);
    g_autofree char *h_win = pad (_("Win rate"), 23);
    g_autofree char *h_overall = pad (_("Overall (0–1)"), 23);

    g_print ("\n%s%s%s%s%s%s\n", h_rank, h_model, h_strength, h_win, h_overall,
             _("Candidates"));
  }
  for (guint i = 0; i < n; i++)
    {
      AssayModelStanding *s = g_ptr_array_index (board->models, i);
      g_autofree char *rank = g_strdup_printf ("%u", s->rank);
      g_autofree char *c_rank = pad (rank, 5);
      g_autofree char *c_model = pad (s->model, 21);
      g_autofree char *strength = format_estimate (&s->strength, 2, TRUE);
      g_autofree char *c_strength = pad (strength, 25);
      g_autofree char *win = format_estimate (&s->win_rate, 2, FALSE);
      g_autofree char *c_win = pad (win, 23);
      g_autofree char *overall = format_estimate (&s->overall, 2, FALSE);
      g_autofree char *c_overall = pad (overall, 23);

      g_print ("%s%s%s%s%s%" G_GUINT64_FORMAT "\n", c_rank, c_model, c_strength, c_win,
               c_overall, s->n_candidates);
    }

  /* every other metric, one block per kind */
  for (guint k = 0; k < board->metrics->len; k++)
    {
      AssayMetricInfo *info = g_ptr_array_index (board->metrics, k);
      AssayMetricInfo *prev = k > 0 ? g_ptr_array_index (board->metrics, k - 1) : NULL;
      g_autofree char *name = NULL;
      gboolean any = FALSE;

      for (guint i = 0; i < n && !any; i++)
        {
          AssayModelStanding *s = g_ptr_array_index (board->models, i);

          any = isfinite (s->metrics[k].value);
        }
      if (!any)
        continue;

      if (prev == NULL || prev->kind != info->kind)
        {
          const char *heading;

          switch (info->kind)
            {
            case ASSAY_METRIC_SCORE:
              heading = _("Mean score per criterion");
              break;
            case ASSAY_METRIC_LABEL_RATE:
              heading = _("Candidate label rates (share of raters)");
              break;
            case ASSAY_METRIC_SPAN_SHARE:
              heading = _("Span labels (share of the model’s spans)");
              break;
            case ASSAY_METRIC_SPAN_RATE:
              heading = _("Span labels per candidate and rater");
              break;
            case ASSAY_METRIC_EDIT_DISTANCE:
            case ASSAY_METRIC_EDIT_RATE:
            default:
              heading = _("Experts’ corrections");
              break;
            }
          if (prev == NULL || !(prev->kind == ASSAY_METRIC_EDIT_DISTANCE &&
                                info->kind == ASSAY_METRIC_EDIT_RATE))
            g_print ("\n%s\n", heading);
        }

      switch (info->kind)
        {
        case ASSAY_METRIC_SCORE:
          name = g_strdup_printf (_("%s (%d–%d, weight %.2f)"), info->set, info->scale_min,
                                  info->scale_max, info->weight);
          break;
        case ASSAY_METRIC_EDIT_DISTANCE:
          name = g_strdup (_("words changed"));
          break;
        case ASSAY_METRIC_EDIT_RATE:
          name = g_strdup (_("per word"));
          break;
        case ASSAY_METRIC_LABEL_RATE:
        case ASSAY_METRIC_SPAN_SHARE:
        case ASSAY_METRIC_SPAN_RATE:
        default:
          name = g_strdup_printf ("%s: %s", info->set, info->option);
          break;
        }
      g_print ("  %s\n", name);
      for (guint i = 0; i < n; i++)
        {
          AssayModelStanding *s = g_ptr_array_index (board->models, i);
          g_autofree char *value = format_estimate (&s->metrics[k], 2, FALSE);

          g_autofree char *model = pad (s->model, 21);

          if (isfinite (s->metrics[k].value))
            g_print ("    %s%s\n", model, value);
        }
    }

  {
    gboolean any = FALSE;

    for (guint i = 0; i < n * n && !any; i++)
      any = board->games[i] > 0.0;
    if (any)
      {
        g_autofree char *corner = pad ("", 21);

        g_print ("\n%s\n%s",
                 _("Win rate of the row’s model against the column’s (comparisons)"), corner);
        for (guint j = 0; j < n; j++)
          {
            AssayModelStanding *s = g_ptr_array_index (board->models, j);
            g_autofree char *head = pad (s->model, 17);

            g_print ("%s", head);
          }
        g_print ("\n");
        for (guint i = 0; i < n; i++)
          {
            AssayModelStanding *s = g_ptr_array_index (board->models, i);
            g_autofree char *row = pad (s->model, 21);

            g_print ("%s", row);
            for (guint j = 0; j < n; j++)
              {
                double games = board->games[(gsize) i * n + j];
                g_autofree char *cell = NULL;
                g_autofree char *padded = NULL;

                if (i == j || games == 0.0)
                  cell = g_strdup ("–");
                else
                  cell = g_strdup_printf ("%.2f (%.0f)", board->wins[(gsize) i * n + j] / games,
                                          games);
                padded = pad (cell, 17);
                g_print ("%s", padded);
              }
            g_print ("\n");
          }
      }
  }

  if (board->separations->len > 0)
    {
      g_print ("\n%s\n",
               board->separation_score == ASSAY_RANK_OVERALL
               ? _("Separation of neighbours (paired bootstrap over sources of the difference "
                   "in overall score)")
               : _("Separation of neighbours (paired bootstrap over sources of the difference "
                   "in win rate)"));
      for (guint i = 0; i < board->separations->len; i++)
        {
          const AssayModelSeparation *pair = &g_array_index (board->separations,
                                                             AssayModelSeparation, i);
          g_autofree char *sentence = assay_leaderboard_describe_separation (board, i);

          g_print ("  %s: %s\n", assay_separation_verdict_get_label (pair->separation.verdict),
                   sentence);
        }
    }

  return EXIT_SUCCESS;
}
