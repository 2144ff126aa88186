/* assay-stats-judges-page.c: can an LLM judge stand in for an expert?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table row per judge and statistic (AssayStatsJudgeRow, bound and
 * sorted by the GtkColumnView of the template), then the verdict sentence
 * of each, as the core words it (assay_calibration_stat_describe). The
 * calibration runs in a worker thread of the core's on the snapshot the
 * window's agreement report already holds, so nothing is read twice.
 * Annotator names come from imported files: plain labels only.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "assay-stats-judges-page.h"
#include "assay-stats-page-private.h"

/* ---- a row of the table ---- */

#define ASSAY_TYPE_STATS_JUDGE_ROW (assay_stats_judge_row_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsJudgeRow, assay_stats_judge_row, ASSAY, STATS_JUDGE_ROW, GObject)

enum
{
  TEXT_JUDGE,
  TEXT_TITLE,
  TEXT_LEVEL,
  TEXT_AGREEMENT,
  TEXT_AGREEMENT_TIP,
  TEXT_CEILING,            /* markup: our numbers only */
  TEXT_CEILING_TIP,
  TEXT_KAPPA,
  TEXT_KAPPA_TIP,
  TEXT_RHO,
  TEXT_RHO_TIP,
  TEXT_BIAS,
  TEXT_BIAS_TIP,
  TEXT_GOLD,
  TEXT_GOLD_TIP,
  TEXT_VERDICT,
  TEXT_SENTENCE,
  N_TEXTS
};

enum
{
  NUM_AGREEMENT,
  NUM_CEILING,
  NUM_KAPPA,
  NUM_RHO,
  NUM_BIAS,
  NUM_GOLD,
  N_NUMBERS
};

struct _AssayStatsJudgeRow
{
  GObject  parent_instance;

  char    *texts[N_TEXTS];
  double   numbers[N_NUMBERS];
  guint    position;
  int      verdict;          /* sorts "can stand in" first when descending */
  char    *verdict_css;      /* "good", "unreliable" or NULL */
};

G_DEFINE_FINAL_TYPE (AssayStatsJudgeRow, assay_stats_judge_row, G_TYPE_OBJECT)

enum
{
  ROW_PROP_0,
  ROW_PROP_POSITION = 1 + N_TEXTS + N_NUMBERS,
  ROW_PROP_VERDICT,
  ROW_PROP_CELL_CSS,
  ROW_PROP_VERDICT_CSS,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static const char *text_names[N_TEXTS] = {
  "judge", "title", "level-text", "agreement-text", "agreement-tooltip", "ceiling-markup",
  "ceiling-tooltip", "kappa-text", "kappa-tooltip", "rho-text", "rho-tooltip", "bias-text",
  "bias-tooltip", "gold-text", "gold-tooltip", "verdict-text", "sentence",
};

static const char *number_names[N_NUMBERS] = {
  "agreement", "ceiling", "kappa", "rho", "bias", "gold",
};

static void
assay_stats_judge_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AssayStatsJudgeRow *self = ASSAY_STATS_JUDGE_ROW (object);

  if (prop_id >= 1 && prop_id < 1 + N_TEXTS)
    g_value_set_string (value, self->texts[prop_id - 1]);
  else if (prop_id >= 1 + N_TEXTS && prop_id < 1 + N_TEXTS + N_NUMBERS)
    {
      double v = self->numbers[prop_id - 1 - N_TEXTS];

      /* undefined sorts last when the best come first */
      g_value_set_double (value, isfinite (v) ? v : -G_MAXDOUBLE);
    }
  else
    switch (prop_id)
      {
      case ROW_PROP_POSITION:
        g_value_set_uint (value, self->position);
        break;
      case ROW_PROP_VERDICT:
        g_value_set_int (value, self->verdict);
        break;
      case ROW_PROP_CELL_CSS:
        g_value_take_boxed (value, g_strdupv ((char *[]) { "numeric", NULL }));
        break;
      case ROW_PROP_VERDICT_CSS:
        g_value_take_boxed (value, self->verdict_css != NULL
                                   ? g_strdupv ((char *[]) { "alpha-band", self->verdict_css,
                                                             NULL })
                                   : g_strdupv ((char *[]) { "alpha-band", "dim-label", NULL }));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      }
}

static void
assay_stats_judge_row_finalize (GObject *object)
{
  AssayStatsJudgeRow *self = ASSAY_STATS_JUDGE_ROW (object);

  for (guint i = 0; i < N_TEXTS; i++)
    g_free (self->texts[i]);
  g_free (self->verdict_css);

  G_OBJECT_CLASS (assay_stats_judge_row_parent_class)->finalize (object);
}

static void
assay_stats_judge_row_class_init (AssayStatsJudgeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags RO = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = assay_stats_judge_row_get_property;
  object_class->finalize = assay_stats_judge_row_finalize;

  for (guint i = 0; i < N_TEXTS; i++)
    row_properties[1 + i] = g_param_spec_string (text_names[i], NULL, NULL, NULL, RO);
  for (guint i = 0; i < N_NUMBERS; i++)
    row_properties[1 + N_TEXTS + i] = g_param_spec_double (number_names[i], NULL, NULL,
                                                           -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  row_properties[ROW_PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                                                         RO);
  row_properties[ROW_PROP_VERDICT] = g_param_spec_int ("verdict", NULL, NULL, -1, 1, 0, RO);
  row_properties[ROW_PROP_CELL_CSS] = g_param_spec_boxed ("cell-css", NULL, NULL, G_TYPE_STRV,
                                                          RO);
  row_properties[ROW_PROP_VERDICT_CSS] = g_param_spec_boxed ("verdict-css", NULL, NULL,
                                                             G_TYPE_STRV, RO);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
assay_stats_judge_row_init (AssayStatsJudgeRow *self)
{
}

/* ---- the page ---- */

struct _AssayStatsJudgesPage
{
  GtkWidget               parent_instance;

  GtkStack               *judges_stack;
  GtkSpinner             *spinner;
  GtkLabel               *experts_label;
  GtkColumnView          *judges_view;
  GListStore             *judges_store;
  GtkColumnViewColumn    *judge_column;
  GtkColumnViewColumn    *gold_column;
  GtkColumnViewColumn    *title_column;
  GtkListBox             *sentences;

  GCancellable           *cancellable;
  AssayCalibrationReport *report;
};

G_DEFINE_FINAL_TYPE (AssayStatsJudgesPage, assay_stats_judges_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
number (double value,
        int    decimals,
        gboolean signed_)
{
  return _assay_stats_format_number (value, decimals, signed_);
}

static char *
agreement_tip (const AssayCalibrationAgreement *a,
               const char                      *against)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Against %s, over %" G_GUINT64_FORMAT
                                       " item both judged",
                                       "Against %s, over %" G_GUINT64_FORMAT
                                       " items both judged", a->n_units),
                          against, a->n_units);
}

static AssayStatsJudgeRow *
row_new (AssayCalibrationReport *report,
         AssayJudgeCalibration  *jc,
         AssayCalibrationStat   *stat,
         guint                   position)
{
  AssayStatsJudgeRow *row = g_object_new (ASSAY_TYPE_STATS_JUDGE_ROW, NULL);
  gboolean criterion = stat->kind == ASSAY_STAT_CRITERION;
  const char *consensus = criterion ? _("the experts’ mean score")
                                    : _("the experts’ majority label");

  row->position = position;
  row->texts[TEXT_JUDGE] = g_strdup (jc->judge->name != NULL && *jc->judge->name != '\0'
                                     ? jc->judge->name : jc->judge->ext_id);
  row->texts[TEXT_TITLE] = g_strdup (stat->title != NULL && *stat->title != '\0'
                                     ? stat->title : stat->name);
  row->texts[TEXT_LEVEL] = criterion
    ? g_strdup_printf (_("Scores %d–%d, interval level"), stat->scale_min, stat->scale_max)
    : g_strdup (stat->multi ? _("Labels, one yes/no unit per option, nominal level")
                            : _("Labels, nominal level"));

  row->numbers[NUM_AGREEMENT] = stat->agreement;
  row->texts[TEXT_AGREEMENT] = number (stat->agreement, 2, FALSE);
  row->texts[TEXT_AGREEMENT_TIP] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "Krippendorff’s alpha with "
                                                                 "the expert",
                                                                 "Krippendorff’s alpha with "
                                                                 "each of %u experts, averaged",
                                                                 stat->n_experts),
                                                    stat->n_experts);

  row->numbers[NUM_CEILING] = stat->ceiling.value;
  /* the interval under the value: the table stays narrow enough for 700 px */
  row->texts[TEXT_CEILING] = _assay_stats_estimate_markup (&stat->ceiling, 0.0, 1.0,
                                                           ASSAY_STATS_AS_NUMBER, TRUE);
  if (isfinite (stat->ceiling.value) && stat->ceiling.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
    row->texts[TEXT_CEILING_TIP] = _assay_stats_too_few_sources_tip (stat->ceiling.n_sources);
  else
    row->texts[TEXT_CEILING_TIP] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "The experts’ mean alpha with "
                                                                 "each other (%u pair), with "
                                                                 "its 95%% interval over %u "
                                                                 "sources",
                                                                 "The experts’ mean alpha with "
                                                                 "each other (%u pairs), with "
                                                                 "its 95%% interval over %u "
                                                                 "sources",
                                                                 (gulong) stat->ceiling.n),
                                                    (guint) stat->ceiling.n,
                                                    stat->ceiling.n_sources);

  row->numbers[NUM_KAPPA] = stat->consensus.kappa;
  row->texts[TEXT_KAPPA] = number (stat->consensus.kappa, 2, FALSE);
  {
    g_autofree char *tip = agreement_tip (&stat->consensus, consensus);

    row->texts[TEXT_KAPPA_TIP] = g_strdup_printf ("%s: %s", criterion
                                                  ? _("Quadratic-weighted kappa")
                                                  : _("Cohen’s kappa"), tip);
    row->texts[TEXT_RHO_TIP] = g_strdup_printf ("%s: %s", _("Spearman’s rho"), tip);
    row->texts[TEXT_BIAS_TIP] = g_strdup_printf ("%s: %s", _("The judge’s score minus the "
                                                             "experts’ mean, averaged"), tip);
  }
  row->numbers[NUM_RHO] = criterion ? stat->consensus.rho : NAN;
  row->texts[TEXT_RHO] = criterion ? number (stat->consensus.rho, 2, FALSE) : g_strdup ("–");
  row->numbers[NUM_BIAS] = criterion ? stat->consensus.bias : NAN;
  row->texts[TEXT_BIAS] = criterion ? number (stat->consensus.bias, 2, TRUE) : g_strdup ("–");

  row->numbers[NUM_GOLD] = stat->has_gold ? stat->gold.alpha : NAN;
  row->texts[TEXT_GOLD] = stat->has_gold ? number (stat->gold.alpha, 2, FALSE) : g_strdup ("–");
  row->texts[TEXT_GOLD_TIP] = stat->has_gold
    ? agreement_tip (&stat->gold, _("the adjudicated gold"))
    : g_strdup (_("No adjudicator in the project"));

  switch (stat->verdict)
    {
    case ASSAY_CALIBRATION_STANDS_IN:
      row->texts[TEXT_VERDICT] = g_strdup (_("Can stand in"));
      row->verdict_css = g_strdup ("good");
      row->verdict = 1;
      break;
    case ASSAY_CALIBRATION_FALLS_SHORT:
      row->texts[TEXT_VERDICT] = g_strdup (_("Cannot stand in"));
      row->verdict_css = g_strdup ("unreliable");
      row->verdict = -1;
      break;
    case ASSAY_CALIBRATION_UNDECIDED:
    default:
      row->texts[TEXT_VERDICT] = g_strdup (_("Cannot tell yet"));
      row->verdict = 0;
      break;
    }
  row->texts[TEXT_SENTENCE] = assay_calibration_stat_describe (stat, jc->judge);
  return row;
}

/* Whether a statistic has anything to show for the judge: a value, or a
 * ceiling to reach. */
static gboolean
stat_has_data (const AssayCalibrationStat *stat)
{
  if (stat->consensus.n_units > 0 || (stat->has_gold && stat->gold.n_units > 0) ||
      isfinite (stat->ceiling.value))
    return TRUE;
  for (guint e = 0; e < stat->n_experts; e++)
    if (stat->experts[e].n_units > 0)
      return TRUE;
  return FALSE;
}

static void
clear_sentences (AssayStatsJudgesPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sentences))) != NULL)
    gtk_list_box_remove (self->sentences, child);
}

static void
show_report (AssayStatsJudgesPage *self)
{
  AssayCalibrationReport *report = self->report;
  g_autoptr(GString) experts = g_string_new (NULL);
  guint position = 0;

  g_list_store_remove_all (self->judges_store);
  clear_sentences (self);

  if (report == NULL || report->judges->len == 0)
    {
      gtk_stack_set_visible_child_name (self->judges_stack, "empty");
      return;
    }

  for (guint e = 0; e < report->experts->len; e++)
    {
      AssayStatsAnnotator *a = g_ptr_array_index (report->experts, e);

      if (e > 0)
        g_string_append (experts, ", ");
      g_string_append (experts, a->name != NULL && *a->name != '\0' ? a->name : a->ext_id);
    }
  {
    g_autofree char *text = NULL;

    if (report->experts->len == 0)
      text = g_strdup (_("No expert has judged yet: the judges have no one to be compared "
                         "with."));
    else if (report->gold->len > 0)
      text = g_strdup_printf (_("Experts: %s. Gold: the adjudicated judgments."), experts->str);
    else
      text = g_strdup_printf (_("Experts: %s."), experts->str);
    gtk_label_set_text (self->experts_label, text);
  }

  for (guint j = 0; j < report->judges->len; j++)
    {
      AssayJudgeCalibration *jc = g_ptr_array_index (report->judges, j);

      for (guint k = 0; k < jc->stats->len; k++)
        {
          AssayCalibrationStat *stat = g_ptr_array_index (jc->stats, k);
          g_autoptr(AssayStatsJudgeRow) row = NULL;
          GtkWidget *label;

          if (!stat_has_data (stat))
            continue;
          row = row_new (report, jc, stat, position++);
          g_list_store_append (self->judges_store, row);

          label = gtk_label_new (row->texts[TEXT_SENTENCE]);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_set_margin_top (label, 10);
          gtk_widget_set_margin_bottom (label, 10);
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_end (label, 12);
          gtk_list_box_append (self->sentences, label);
        }
    }

  gtk_column_view_column_set_visible (self->judge_column, report->judges->len > 1);
  gtk_column_view_column_set_visible (self->gold_column, report->gold->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sentences), position > 0);
  gtk_stack_set_visible_child_name (self->judges_stack, "report");
}

static void
set_busy (AssayStatsJudgesPage *self,
          gboolean              busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

typedef struct
{
  AssayStatsJudgesPage *self;
  GCancellable         *cancellable;
} Run;

static void
on_calibrated (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  AssayStatsJudgesPage *self = run->self;
  g_autoptr(GError) error = NULL;
  AssayCalibrationReport *report;

  report = assay_stats_calibrate_finish (result, &error);
  if (run->cancellable == self->cancellable && !g_cancellable_is_cancelled (run->cancellable))
    {
      g_clear_object (&self->cancellable);
      g_clear_pointer (&self->report, assay_calibration_report_free);
      self->report = report;
      report = NULL;
      if (self->report == NULL)
        g_warning ("Could not calibrate the judges: %s", error->message);
      show_report (self);
      set_busy (self, FALSE);
    }
  assay_calibration_report_free (report);
  g_object_unref (run->cancellable);
  g_object_unref (run->self);
  g_free (run);
}

void
assay_stats_judges_page_set_data (AssayStatsJudgesPage *self,
                                  AssayStatsData       *data)
{
  AssayStatsOptions options;
  Run *run;

  g_return_if_fail (ASSAY_IS_STATS_JUDGES_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (data == NULL)
    {
      g_clear_pointer (&self->report, assay_calibration_report_free);
      show_report (self);
      set_busy (self, FALSE);
      return;
    }

  /* The old report stays on screen while the new one is computed. */
  if (self->report == NULL)
    gtk_stack_set_visible_child_name (self->judges_stack, "computing");
  self->cancellable = g_cancellable_new ();
  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->cancellable = g_object_ref (self->cancellable);
  assay_stats_options_init (&options);
  assay_stats_calibrate_async (data, &options, self->cancellable, on_calibrated, run);
  set_busy (self, TRUE);
}

gboolean
assay_stats_judges_page_get_busy (AssayStatsJudgesPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_JUDGES_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

AssayCalibrationReport *
assay_stats_judges_page_get_report (AssayStatsJudgesPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_JUDGES_PAGE (self), NULL);

  return self->report;
}

static void
assay_stats_judges_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AssayStatsJudgesPage *self = ASSAY_STATS_JUDGES_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, assay_stats_judges_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_stats_judges_page_dispose (GObject *object)
{
  AssayStatsJudgesPage *self = ASSAY_STATS_JUDGES_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_STATS_JUDGES_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->report, assay_calibration_report_free);

  G_OBJECT_CLASS (assay_stats_judges_page_parent_class)->dispose (object);
}

static void
assay_stats_judges_page_class_init (AssayStatsJudgesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = assay_stats_judges_page_get_property;
  object_class->dispose = assay_stats_judges_page_dispose;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_STATS_JUDGE_ROW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-stats-judges-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, judges_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, experts_label);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, judges_view);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, judges_store);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, judge_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, gold_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, title_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsJudgesPage, sentences);
}

static void
assay_stats_judges_page_init (AssayStatsJudgesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* in judge and template order to begin with */
  gtk_column_view_sort_by_column (self->judges_view, self->title_column, GTK_SORT_ASCENDING);
}
