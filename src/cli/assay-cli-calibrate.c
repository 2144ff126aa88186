/* assay-cli-calibrate.c: assay-cli calibrate, how far a judge can stand in
 * for an expert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "assay-cli-private.h"
#include "assay-json.h"
#include "assay-stats.h"

static char *
number (double value,
        int    digits,
        gboolean sign)
{
  if (!isfinite (value))
    return g_strdup ("–");
  /* no "-0.000" */
  if (fabs (value) < 0.5 * pow (10.0, -digits))
    value = 0.0;
  return g_strdup_printf (sign ? "%+.*f" : "%.*f", digits, value);
}

/* Pads to `width` characters, not bytes. */
static char *
pad (const char *text,
     int         width)
{
  GString *out = g_string_new (text);

  for (glong i = g_utf8_strlen (text, -1); i < width; i++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

/* Right-aligns in `width` characters. */
static char *
rpad (const char *text,
      int         width)
{
  GString *out = g_string_new (NULL);

  for (glong i = g_utf8_strlen (text, -1); i < width; i++)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
  return g_string_free (out, FALSE);
}

static void
print_people (const char *heading,
              GPtrArray  *annotators)
{
  g_print ("%s", heading);
  if (annotators->len == 0)
    g_print (" %s", _("none"));
  for (guint i = 0; i < annotators->len; i++)
    g_print ("%s %s", i == 0 ? "" : ",",
             ((AssayStatsAnnotator *) g_ptr_array_index (annotators, i))->ext_id);
  g_print ("\n");
}

static void
print_row (const AssayCalibrationStat      *stat,
           const char                      *label,
           const AssayCalibrationAgreement *a)
{
  g_autofree char *padded = pad (label, 20);
  g_autofree char *n_alpha = number (a->alpha, 3, FALSE);
  g_autofree char *n_kappa = number (a->kappa, 3, FALSE);
  g_autofree char *alpha = rpad (n_alpha, 8);
  g_autofree char *kappa = rpad (n_kappa, 9);

  if (stat->kind == ASSAY_STAT_CRITERION)
    {
      g_autofree char *n_rho = number (a->rho, 3, FALSE);
      g_autofree char *n_bias = number (a->bias, 2, TRUE);
      g_autofree char *rho = rpad (n_rho, 8);
      g_autofree char *bias = rpad (n_bias, 8);

      g_print ("    %s %7" G_GUINT64_FORMAT "%s%s%s%s\n", padded, a->n_units, alpha, kappa,
               rho, bias);
    }
  else
    g_print ("    %s %7" G_GUINT64_FORMAT "%s%s\n", padded, a->n_units, alpha, kappa);
}

/* One matrix: against the gold where there is one, else the experts
 * pooled (each expert's judgment of a unit counts once). */
static void
print_confusion (AssayCalibrationReport     *report,
                 const AssayCalibrationStat *stat)
{
  g_autofree guint64 *pooled = g_new0 (guint64, (gsize) stat->n_codes * stat->n_codes);
  const guint64 *matrix = pooled;
  guint64 total = 0;
  int width = 6;

  if (stat->has_gold && stat->gold.n_units > 0)
    matrix = stat->gold.confusion;
  else
    for (guint e = 0; e < stat->n_experts; e++)
      for (gsize i = 0; i < (gsize) stat->n_codes * stat->n_codes; i++)
        pooled[i] += stat->experts[e].confusion[i];
  for (gsize i = 0; i < (gsize) stat->n_codes * stat->n_codes; i++)
    total += matrix[i];
  if (total == 0)
    return;

  for (guint c = 0; c < stat->n_codes; c++)
    width = MAX (width, (int) g_utf8_strlen (stat->code_names[c], -1) + 1);
  for (gsize i = 0; i < (gsize) stat->n_codes * stat->n_codes; i++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, matrix[i]);

      width = MAX (width, (int) strlen (count) + 1);
    }
  g_print ("    %s\n", matrix == pooled ? _("Confusion (rows: the judge; columns: the experts, "
                                              "pooled):")
                                        : _("Confusion (rows: the judge; columns: the gold):"));
  {
    g_autofree char *corner = pad ("", width);

    g_print ("      %s", corner);
  }
  for (guint c = 0; c < stat->n_codes; c++)
    {
      g_autofree char *head = pad (stat->code_names[c], width);

      g_print (" %s", head);
    }
  g_print ("\n");
  for (guint r = 0; r < stat->n_codes; r++)
    {
      g_autofree char *head = pad (stat->code_names[r], width);

      g_print ("      %s", head);
      for (guint c = 0; c < stat->n_codes; c++)
        {
          g_autofree char *cell = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                   matrix[(gsize) r * stat->n_codes + c]);
          g_autofree char *padded = pad (cell, width);

          g_print (" %s", padded);
        }
      g_print ("\n");
    }
}

static void
print_stat (AssayCalibrationReport     *report,
            AssayJudgeCalibration      *jc,
            const AssayCalibrationStat *stat)
{
  const char *title = stat->title != NULL ? stat->title : stat->name;
  g_autofree char *sentence = assay_calibration_stat_describe (stat, jc->judge);
  g_autofree char *ceiling = number (stat->ceiling.value, 3, FALSE);
  g_autofree char *agreement = number (stat->agreement, 3, FALSE);
  g_autofree char *label_a = pad (_("The experts’ own agreement:"), 36);
  g_autofree char *label_b = pad (_("The judge’s agreement with them:"), 36);

  if (stat->kind == ASSAY_STAT_CRITERION)
    g_print ("\n  %s (%s, %d–%d, %s)\n", title, stat->name, stat->scale_min, stat->scale_max,
             _("interval"));
  else
    g_print ("\n  %s (%s, %s)\n", title, stat->name,
             stat->multi ? _("multiple choice, nominal, one unit per option") : _("nominal"));

  {
    g_autofree char *pairs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u pair of experts",
                                                           "%u pairs of experts",
                                                           (gulong) stat->ceiling.n),
                                              (guint) stat->ceiling.n);
    g_autofree char *sources = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u source",
                                                             "%u sources",
                                                             stat->ceiling.n_sources),
                                                stat->ceiling.n_sources);

    if (isfinite (stat->ceiling.low))
      g_print ("    %salpha %s [%.3f, %.3f] (%s, %s)\n", label_a, ceiling, stat->ceiling.low,
               stat->ceiling.high, pairs, sources);
    else
      g_print ("    %salpha %s (%s, %s)\n", label_a, ceiling, pairs, sources);
  }
  g_print (_("    %salpha %s\n"), label_b, agreement);

  {
    gboolean any = stat->consensus.n_units > 0 || (stat->has_gold && stat->gold.n_units > 0);

    for (guint e = 0; e < stat->n_experts; e++)
      any = any || stat->experts[e].n_units > 0;
    if (!any)
      {
        g_print ("    %s\n", _("The judge and the experts have no item of this in common."));
        g_print ("    %s\n", sentence);
        return;
      }
  }

  {
    g_autofree char *padded = pad (_("against"), 20);

    g_autofree char *units = rpad (_("units"), 7);
    g_autofree char *alpha = rpad (_("alpha"), 8);
    g_autofree char *kappa = rpad (stat->kind == ASSAY_STAT_CRITERION ? _("qw-kappa")
                                                                     : _("kappa"), 9);
    g_autofree char *rho = rpad (_("rho"), 8);
    g_autofree char *bias = rpad (_("bias"), 8);

    if (stat->kind == ASSAY_STAT_CRITERION)
      g_print ("    %s %s%s%s%s%s\n", padded, units, alpha, kappa, rho, bias);
    else
      g_print ("    %s %s%s%s\n", padded, units, alpha, kappa);
  }
  for (guint e = 0; e < stat->n_experts; e++)
    print_row (stat, ((AssayStatsAnnotator *) g_ptr_array_index (report->experts, e))->ext_id,
               &stat->experts[e]);
  print_row (stat, stat->kind == ASSAY_STAT_CRITERION ? _("consensus (mean)")
                                                      : _("consensus (majority)"),
             &stat->consensus);
  if (stat->has_gold)
    print_row (stat, _("gold"), &stat->gold);
  print_confusion (report, stat);
  g_print ("    %s\n", sentence);
}

int
assay_cli_calibrate (int    argc,
                     char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *judge = NULL;
  gint64 seed = 0;
  int samples = 1000;
  GOptionEntry entries[] = {
    { "judge", 'j', 0, G_OPTION_ARG_STRING, &judge,
      N_("Calibrate this annotator only (a person is calibrated against the other persons)"),
      N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print one JSON object instead of text"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed of the bootstrap (default: 0)"), N_("N") },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples,
      N_("Bootstrap replicates (default: 1000)"), N_("N") },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayCalibrationReport) report = NULL;
  AssayStatsOptions options;
  GError *error = NULL;

  assay_cli_parse_options ("calibrate", _("PROJECT"),
                           _("How far each LLM judge can stand in for an expert, criterion by "
                             "criterion and label set by label set."),
                           _("Experts are the persons; adjudicators are the gold. The judge is "
                             "compared with each expert, with the experts’ consensus and with "
                             "the gold; the experts’ agreement with each other, with a 95% "
                             "bootstrap interval over sources, is the ceiling.\nSee "
                             "docs/statistics.md, “Judge calibration”."),
                           entries, &argc, &argv, 1, 1);
  if (samples < 1)
    {
      assay_cli_print_error (_("--samples must be 1 or more"));
      return EXIT_USAGE;
    }

  assay_stats_options_init (&options);
  options.annotator = judge;
  options.seed = (guint64) seed;
  options.n_samples = samples;

  project = assay_cli_open_project_read_only (argv[1]);
  data = assay_stats_data_load (project, NULL, &error);
  if (data == NULL)
    return assay_cli_fail (error);
  report = assay_stats_compute_calibration (data, &options, NULL, &error);
  if (report == NULL)
    return assay_cli_fail (error);

  if (as_json)
    {
      g_autoptr(json_t) json = assay_calibration_report_to_json (report);
      g_autofree char *text = assay_json_dumps_compact (json);

      g_print ("%s\n", text);
      return EXIT_SUCCESS;
    }

  print_people (_("Experts:"), report->experts);
  print_people (_("Gold:"), report->gold);
  g_print (_("Ceiling intervals: %.0f%%, %u bootstrap samples over sources, seed %"
             G_GUINT64_FORMAT ".\n"), 100.0 * report->level, report->n_samples, report->seed);
  if (report->judges->len == 0)
    {
      g_print ("\n%s\n", _("There is no LLM judge (model annotator) in the project; name an "
                           "annotator with --judge to calibrate it."));
      return EXIT_SUCCESS;
    }
  for (guint j = 0; j < report->judges->len; j++)
    {
      AssayJudgeCalibration *jc = g_ptr_array_index (report->judges, j);

      g_print ("\n");
      g_print (_("Judge %s (%s)\n"), jc->judge->ext_id, jc->judge->name);
      for (guint k = 0; k < jc->stats->len; k++)
        print_stat (report, jc, g_ptr_array_index (jc->stats, k));
    }
  return EXIT_SUCCESS;
}
