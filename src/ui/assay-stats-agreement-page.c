/* assay-stats-agreement-page.c: inter-annotator agreement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of statistics is a GtkColumnView declared in the template, its
 * rows AssayStatsAgreementRow objects and its sorters on their properties
 * (the first column sorts in template order). The pairwise matrices and the
 * rankings' two measures are small grids. Names from imported files go into
 * plain labels.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "assay-stats-agreement-page.h"
#include "assay-stats-page-private.h"
#include "assay-stats-rows.h"

struct _AssayStatsAgreementPage
{
  GtkWidget              parent_instance;

  GtkStack              *agreement_stack;
  AdwStatusPage         *agreement_empty;
  GtkBox                *raters_box;
  GtkCheckButton        *count_judges;
  GtkColumnView         *agreement_view;
  GListStore            *agreement_store;
  GtkColumnViewColumn   *title_column;
  GtkColumnViewColumn   *judge_column;
  GtkLabel              *agreement_legend;
  GtkWidget             *ranking_title;
  GtkWidget             *ranking_card;
  GtkGrid               *ranking_grid;

  AssayAgreementReport  *report;     /* borrowed from the window */
  AssayTemplate         *tmpl;
  AssayStatsKinds        kinds;
};

G_DEFINE_FINAL_TYPE (AssayStatsAgreementPage, assay_stats_agreement_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_KINDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_kinds (AssayStatsAgreementPage *self,
           AssayStatsKinds          kinds)
{
  if (self->kinds == kinds)
    return;
  self->kinds = kinds;
  gtk_check_button_set_active (self->count_judges, (kinds & ASSAY_STATS_MODELS) != 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KINDS]);
}

static void
on_count_judges_toggled (AssayStatsAgreementPage *self)
{
  /* Model annotators are proposals: counted only when asked for. */
  set_kinds (self, gtk_check_button_get_active (self->count_judges)
                   ? ASSAY_STATS_RATERS : assay_stats_kinds_by_default (ASSAY_STATS_RATERS));
}

static void
on_count_judges_clicked (AssayStatsAgreementPage *self)
{
  set_kinds (self, ASSAY_STATS_RATERS);
}

AssayStatsKinds
assay_stats_agreement_page_get_kinds (AssayStatsAgreementPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_AGREEMENT_PAGE (self), 0);
  return self->kinds;
}

typedef struct
{
  const char *name;
  const char *css;
  const char *meaning;
} Band;

static Band
alpha_band (double alpha)
{
  if (alpha >= ASSAY_STATS_ALPHA_GOOD)
    return (Band) { _("Good"), "good", _("Conclusions can rest on these judgments") };
  if (alpha >= ASSAY_STATS_ALPHA_TENTATIVE)
    return (Band) { _("Tentative"), "tentative", _("Only tentative conclusions") };
  return (Band) { _("Unreliable"), "unreliable",
                  _("The instructions, options or training need work before the data is "
                    "used") };
}

/* Which alpha a statistic is read by: ordinal for rubric scores, whose
 * points are ordered; nominal for labels, spans and comparisons. */
static double
stat_alpha (const AssayAgreementStat     *stat,
            const AssayReliabilityResult *result)
{
  return stat->kind == ASSAY_STAT_CRITERION ? result->alpha_ordinal : result->alpha_nominal;
}

static double
pair_kappa (const AssayAgreementStat *stat,
            const AssayPairAgreement *pair)
{
  return stat->kind == ASSAY_STAT_CRITERION ? pair->weighted_kappa : pair->kappa;
}

static const char *
alpha_undefined_reason (const AssayReliabilityResult *result)
{
  if (result->n_units == 0)
    return _("No two annotators judged the same items");
  return _("Every annotator gave the same value on every shared item: with no variation, "
           "alpha is undefined");
}

static guint
count_raters (const AssayReliabilityResult *result,
              guint                         n_annotators)
{
  g_autofree gboolean *seen = g_new0 (gboolean, MAX (1, n_annotators));
  guint n = 0;

  for (guint i = 0; result->pairs != NULL && i < result->pairs->len; i++)
    {
      const AssayPairAgreement *p = &g_array_index (result->pairs, AssayPairAgreement, i);

      guint coders[2] = { p->coder_a, p->coder_b };

      for (guint k = 0; k < 2; k++)
        if (coders[k] < n_annotators && !seen[coders[k]])
          {
            seen[coders[k]] = TRUE;
            n++;
          }
    }
  return n;
}

static AssayAnnotatorKind
rater_kind (AssayAgreementReport *report,
            guint                 index)
{
  return ((AssayStatsAnnotator *) g_ptr_array_index (report->annotators, index))->kind;
}

static const char *
rater_name (AssayAgreementReport *report,
            guint                 index)
{
  return assay_stats_annotator_name (g_ptr_array_index (report->annotators, index));
}

/* The mean kappa between LLM judges and people, and among people. */
static void
judge_vs_people (AssayAgreementReport         *report,
                 const AssayAgreementStat     *stat,
                 const AssayReliabilityResult *result,
                 double                       *judge,
                 double                       *people)
{
  double judge_sum = 0.0, people_sum = 0.0;
  guint judge_n = 0, people_n = 0;

  for (guint i = 0; result->pairs != NULL && i < result->pairs->len; i++)
    {
      const AssayPairAgreement *p = &g_array_index (result->pairs, AssayPairAgreement, i);
      AssayAnnotatorKind a = rater_kind (report, p->coder_a);
      AssayAnnotatorKind b = rater_kind (report, p->coder_b);
      double k = pair_kappa (stat, p);

      if (isnan (k))
        continue;
      if ((a == ASSAY_ANNOTATOR_MODEL && b == ASSAY_ANNOTATOR_PERSON) ||
          (a == ASSAY_ANNOTATOR_PERSON && b == ASSAY_ANNOTATOR_MODEL))
        {
          judge_sum += k;
          judge_n++;
        }
      else if (a == ASSAY_ANNOTATOR_PERSON && b == ASSAY_ANNOTATOR_PERSON)
        {
          people_sum += k;
          people_n++;
        }
    }
  *judge = judge_n > 0 ? judge_sum / judge_n : NAN;
  *people = people_n > 0 ? people_sum / people_n : NAN;
}

static gboolean
report_has_models (AssayAgreementReport *report)
{
  gboolean model = FALSE, person = FALSE;

  for (guint i = 0; i < report->annotators->len; i++)
    {
      AssayAnnotatorKind kind = rater_kind (report, i);

      model |= kind == ASSAY_ANNOTATOR_MODEL;
      person |= kind == ASSAY_ANNOTATOR_PERSON;
    }
  return model && person;
}

/* A rater's name in a pair table, with "LLM judge" under it for models. */
static GtkWidget *
rater_head_new (AssayAgreementReport *report,
                guint                 index,
                gboolean              column)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (rater_name (report, index));
  const char *tag = _assay_stats_kind_tag (rater_kind (report, index));

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 14);
  gtk_label_set_xalign (GTK_LABEL (name), column ? 0.5f : 0.0f);
  gtk_widget_set_tooltip_text (name, rater_name (report, index));
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (box), name);
  if (tag != NULL)
    {
      GtkWidget *pill = gtk_label_new (tag);

      gtk_widget_add_css_class (pill, "stats-tag");
      gtk_widget_add_css_class (pill, "model");
      gtk_widget_set_halign (pill, column ? GTK_ALIGN_CENTER : GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), pill);
    }
  gtk_widget_add_css_class (box, "pair-head");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

typedef struct
{
  AssayStatsAgreementPage *self;
  guint             stat;
  gint              option;    /* -1: the statistic itself */
} PairsData;

static const char *
kappa_reading (double kappa)
{
  if (isnan (kappa))
    return NULL;
  if (kappa < 0.0)
    return _("less than chance");
  if (kappa <= 0.20)
    return _("slight");
  if (kappa <= 0.40)
    return _("fair");
  if (kappa <= 0.60)
    return _("moderate");
  if (kappa <= 0.80)
    return _("substantial");
  return _("almost perfect");
}

static GtkWidget *
pairs_table_new (AssayAgreementReport         *report,
                 const AssayAgreementStat     *stat,
                 const AssayReliabilityResult *result,
                 GArray                       *rank_pairs)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title;
  GtkWidget *hint;
  guint n = report->annotators->len;
  g_autofree gboolean *used = g_new0 (gboolean, MAX (1, n));
  g_autofree double *value = g_new (double, MAX (1, n * n));
  g_autofree char **tips = g_new0 (char *, MAX (1, n * n));
  const char *what;

  for (guint i = 0; i < n * n; i++)
    value[i] = NAN;

  if (rank_pairs != NULL)
    {
      what = _("Kendall’s tau-b by pair");
      for (guint i = 0; i < rank_pairs->len; i++)
        {
          AssayRankPair *p = &g_array_index (rank_pairs, AssayRankPair, i);
          g_autofree char *tau = _assay_stats_format_number (p->tau_b, 3, FALSE);

          used[p->annotator_a] = used[p->annotator_b] = TRUE;
          value[p->annotator_a * n + p->annotator_b] = p->tau_b;
          tips[p->annotator_a * n + p->annotator_b] =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s and %s: tau-b %s, mean over %" G_GUINT64_FORMAT
                                          " source both ranked",
                                          "%s and %s: tau-b %s, mean over %" G_GUINT64_FORMAT
                                          " sources both ranked", (gulong) p->n_sources),
                             rater_name (report, p->annotator_a),
                             rater_name (report, p->annotator_b), tau, p->n_sources);
        }
    }
  else
    {
      what = stat->kind == ASSAY_STAT_CRITERION ? _("Quadratic weighted kappa by pair")
                                                : _("Cohen’s kappa by pair");
      for (guint i = 0; i < result->pairs->len; i++)
        {
          const AssayPairAgreement *p = &g_array_index (result->pairs, AssayPairAgreement, i);
          double k = pair_kappa (stat, p);
          g_autofree char *kappa = _assay_stats_format_number (k, 3, FALSE);
          g_autofree char *agree = _assay_stats_format_percent (p->agreement);
          const char *reading = kappa_reading (k);

          used[p->coder_a] = used[p->coder_b] = TRUE;
          value[p->coder_a * n + p->coder_b] = k;
          tips[p->coder_a * n + p->coder_b] =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s and %s: kappa %s (%s), %s agreement on %"
                                          G_GUINT64_FORMAT " shared item",
                                          "%s and %s: kappa %s (%s), %s agreement on %"
                                          G_GUINT64_FORMAT " shared items", (gulong) p->n_units),
                             rater_name (report, p->coder_a), rater_name (report, p->coder_b),
                             kappa, reading != NULL ? reading : _("undefined"), agree,
                             p->n_units);
        }
    }

  title = gtk_label_new (what);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_box_append (GTK_BOX (box), title);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  {
    g_autoptr(GArray) order = assay_agreement_report_rater_order (report);
    int column = 1, row = 1;

    for (guint j = 0; j < order->len; j++)
      if (used[g_array_index (order, guint, j)])
        gtk_grid_attach (GTK_GRID (grid),
                         rater_head_new (report, g_array_index (order, guint, j), TRUE),
                         column++, 0, 1, 1);
    for (guint i = 0; i < order->len; i++)
      {
        guint a = g_array_index (order, guint, i);

        if (!used[a])
          continue;
        gtk_grid_attach (GTK_GRID (grid), rater_head_new (report, a, FALSE), 0, row, 1, 1);
        column = 1;
        for (guint j = 0; j < order->len; j++)
          {
            guint b = g_array_index (order, guint, j);
            guint lo = MIN (a, b), hi = MAX (a, b);
            GtkWidget *cell;

            if (!used[b])
              continue;
            if (a == b)
              cell = gtk_label_new ("—");
            else
              {
                g_autofree char *text = _assay_stats_format_number (value[lo * n + hi], 3, FALSE);

                cell = gtk_label_new (text);
                if (tips[lo * n + hi] != NULL)
                  gtk_widget_set_tooltip_text (cell, tips[lo * n + hi]);
                else
                  gtk_widget_set_tooltip_text (cell, _("These two share no items"));
                gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                gtk_widget_get_tooltip_text (cell), -1);
              }
            gtk_widget_add_css_class (cell, "numeric");
            gtk_widget_add_css_class (cell, "pair-cell");
            if (a == b)
              gtk_widget_add_css_class (cell, "dim-label");
            gtk_grid_attach (GTK_GRID (grid), cell, column++, row, 1, 1);
          }
        row++;
      }
  }
  gtk_box_append (GTK_BOX (box), grid);

  hint = gtk_label_new (rank_pairs != NULL
                        ? _("1 is the same order, 0 unrelated, −1 reversed.")
                        : _("Landis and Koch: up to 0.20 slight, 0.40 fair, 0.60 moderate, "
                            "0.80 substantial, above almost perfect."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 44);
  gtk_label_set_xalign (GTK_LABEL (hint), 0.0f);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), hint);

  for (guint i = 0; i < n * n; i++)
    g_free (tips[i]);
  gtk_widget_add_css_class (box, "pairs-popover");
  return box;
}

/* ---- agreement by pair ---- */

/* The result a row of the table stands for: a statistic, one of its
 * options, or the rubric pooled (stat G_MAXUINT). */
static gboolean
row_result (AssayStatsAgreementPage       *self,
            guint                          stat_index,
            gint                           option,
            AssayAgreementStat            *pooled,
            const AssayAgreementStat     **stat,
            const AssayReliabilityResult **result)
{
  AssayAgreementReport *report = self->report;
  AssayAgreementStat *s;

  if (report == NULL)
    return FALSE;
  if (stat_index == G_MAXUINT)
    {
      if (!report->has_rubric)
        return FALSE;
      /* the rubric pooled over its criteria: scores, like a criterion */
      memset (pooled, 0, sizeof *pooled);
      pooled->kind = ASSAY_STAT_CRITERION;
      *stat = pooled;
      *result = &report->rubric;
      return TRUE;
    }
  if (stat_index >= report->stats->len)
    return FALSE;
  s = g_ptr_array_index (report->stats, stat_index);
  *stat = s;
  if (option >= 0 && s->options != NULL && (guint) option < s->options->len)
    *result = &((AssayOptionAgreement *) g_ptr_array_index (s->options, option))->result;
  else
    *result = &s->result;
  return TRUE;
}

static void
create_pairs_popover (GtkMenuButton *button,
                      gpointer       user_data)
{
  AssayStatsAgreementPage *self = user_data;
  guint stat_index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "stat"));
  gint option = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "option")) - 1;
  AssayAgreementStat pooled;
  const AssayAgreementStat *stat;
  const AssayReliabilityResult *result;
  GtkWidget *popover;

  if (!row_result (self, stat_index, option, &pooled, &stat, &result))
    return;
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover),
                         pairs_table_new (self->report, stat, result,
                                          stat->kind == ASSAY_STAT_RANKING ? stat->rank_pairs
                                                                           : NULL));
  gtk_menu_button_set_popover (button, popover);
}

/* The button that opens a statistic's table by pair of annotators. */
static void
pairs_button_set (AssayStatsAgreementPage *self,
                  GtkMenuButton           *button,
                  guint                    stat,
                  gint                     option,
                  const char              *title,
                  gboolean                 has_pairs)
{
  g_autofree char *name = g_strdup_printf (_("Pairwise agreement for %s"), title);

  g_object_set_data (G_OBJECT (button), "stat", GUINT_TO_POINTER (stat));
  g_object_set_data (G_OBJECT (button), "option", GINT_TO_POINTER (option + 1));
  gtk_menu_button_set_popover (button, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button),
                               has_pairs ? _("Agreement by Pair of Annotators")
                                         : _("No two annotators share items"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_widget_set_sensitive (GTK_WIDGET (button), has_pairs);
}

static GtkWidget *
pairs_button_new (AssayStatsAgreementPage *self)
{
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-app-grid-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), create_pairs_popover, self,
                                         NULL);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
pairs_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AssayStatsAgreementPage  *self)
{
  gtk_list_item_set_child (item, pairs_button_new (self));
}

static void
pairs_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AssayStatsAgreementPage  *self)
{
  AssayStatsAgreementRow *row = gtk_list_item_get_item (item);

  pairs_button_set (self, GTK_MENU_BUTTON (gtk_list_item_get_child (item)),
                    assay_stats_agreement_row_get_stat (row),
                    assay_stats_agreement_row_get_option (row),
                    assay_stats_agreement_row_get_title (row),
                    assay_stats_agreement_row_get_has_pairs (row));
}

/* ---- the table ---- */

/* A count with what is counted: "719 words", "12 candidates". */
static char *
units_text (const char *unit,
            guint64     n)
{
  gulong k = (gulong) MIN (n, G_MAXULONG);
  const char *format;

  if (g_str_equal (unit, "word"))
    format = g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " word",
                          "%" G_GUINT64_FORMAT " words", k);
  else if (g_str_equal (unit, "candidate-option"))
    format = g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " candidate × option",
                          "%" G_GUINT64_FORMAT " candidates × options", k);
  else if (g_str_equal (unit, "candidate-criterion"))
    format = g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " candidate × criterion",
                          "%" G_GUINT64_FORMAT " candidates × criteria", k);
  else if (g_str_equal (unit, "pair"))
    format = g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " pair",
                          "%" G_GUINT64_FORMAT " pairs", k);
  else
    format = g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " candidate",
                          "%" G_GUINT64_FORMAT " candidates", k);
  return g_strdup_printf (format, n);
}

/* One row of the table: a statistic, an option of it (`option` >= 0) or
 * the rubric pooled (`stat_index` G_MAXUINT). */
static void
append_row (AssayStatsAgreementPage      *self,
            guint                         position,
            guint                         stat_index,
            gint                          option,
            const char                   *title,
            const AssayAgreementStat     *stat,
            const AssayReliabilityResult *result)
{
  AssayAgreementReport *report = self->report;
  gboolean numeric = stat->kind == ASSAY_STAT_CRITERION;
  double alpha = stat_alpha (stat, result);
  double kappa = numeric ? result->mean_weighted_kappa : result->mean_kappa;
  const char *unit = stat_index == G_MAXUINT ? "candidate-criterion"
                     : option >= 0 ? "candidate" : assay_agreement_stat_unit (stat);
  g_autofree char *alpha_text = _assay_stats_format_number (alpha, 3, FALSE);
  g_autofree char *alpha_tip = NULL;
  g_autofree char *kappa_text = _assay_stats_format_number (kappa, 3, FALSE);
  g_autofree char *agree_text = _assay_stats_format_percent (result->agreement);
  g_autofree char *agree_tip = NULL;
  g_autofree char *units = units_text (unit, result->n_units);
  g_autofree char *units_tip = NULL;
  g_autofree char *judge_text = NULL;
  g_autofree char *judge_tip = NULL;
  g_autoptr(AssayStatsAgreementRow) row = NULL;
  AssayStatsAgreementRowData data = { 0, };
  double judge = NAN, people = NAN;

  if (isnan (alpha))
    alpha_tip = g_strdup (alpha_undefined_reason (result));
  else if (numeric)
    {
      g_autofree char *nominal = _assay_stats_format_number (result->alpha_nominal, 3, FALSE);
      g_autofree char *interval = _assay_stats_format_number (result->alpha_interval, 3, FALSE);
      g_autofree char *ratio = _assay_stats_format_number (result->alpha_ratio, 3, FALSE);

      alpha_tip = g_strdup_printf (_("Krippendorff’s alpha, ordinal. Nominal %s, interval %s, "
                                     "ratio %s."), nominal, interval, ratio);
    }
  else
    alpha_tip = g_strdup (_("Krippendorff’s alpha, nominal"));

  if (isnan (result->agreement))
    agree_tip = g_strdup (_("No two annotators judged the same items"));
  else if (numeric)
    {
      g_autofree char *within = _assay_stats_format_percent (result->within_one);

      agree_tip = g_strdup_printf (_("Observed agreement: the share of agreeing pairs of "
                                     "values, a unit with more values counting more. Within "
                                     "one point: %s"), within);
    }
  else
    agree_tip = g_strdup (_("Observed agreement: the share of agreeing pairs of values, a unit "
                            "with more values counting more"));
  units_tip = g_strdup_printf (_("%" G_GUINT64_FORMAT " values on %s judged by two or more"),
                               result->n_values, units);

  judge_vs_people (report, stat, result, &judge, &people);
  judge_text = _assay_stats_format_number (judge, 3, FALSE);
  if (isnan (judge))
    judge_tip = g_strdup (_("No LLM judge shares items with a person here"));
  else
    {
      g_autofree char *people_text = _assay_stats_format_number (people, 3, FALSE);

      judge_tip = g_strdup_printf (_("Mean kappa between LLM judges and people: %s. Among "
                                     "people: %s."), judge_text, people_text);
    }

  data.position = position;
  data.title = title;
  data.indent = option >= 0;
  data.empty = result->n_units == 0;
  data.alpha = alpha;
  data.alpha_text = alpha_text;
  data.alpha_tooltip = alpha_tip;
  if (!isnan (alpha))
    {
      Band band = alpha_band (alpha);

      data.band_text = band.name;
      data.band_css = band.css;
      data.band_tooltip = band.meaning;
    }
  data.kappa = kappa;
  data.kappa_text = kappa_text;
  if (isnan (kappa))
    data.kappa_tooltip = _("No pair of annotators has a defined kappa: they share no items, or "
                           "both gave one and the same value throughout");
  else if (numeric)
    data.kappa_tooltip = _("Mean quadratic weighted kappa over pairs of annotators");
  else
    data.kappa_tooltip = _("Mean Cohen’s kappa over pairs of annotators");
  data.agreement = result->agreement;
  data.agreement_text = agree_text;
  data.agreement_tooltip = agree_tip;
  data.units = result->n_units;
  data.units_text = units;
  data.units_tooltip = units_tip;
  data.raters = count_raters (result, report->annotators->len);
  data.judge = judge;
  data.judge_text = judge_text;
  data.judge_tooltip = judge_tip;
  /* A judge that agrees with the experts less than they agree with each
   * other is the thing to notice. */
  data.judge_below = !isnan (judge) && !isnan (people) && judge < people - 0.1;
  data.stat = stat_index;
  data.option = option;
  data.has_pairs = result->pairs != NULL && result->pairs->len > 0;
  row = assay_stats_agreement_row_new (&data);
  g_list_store_append (self->agreement_store, row);
}

static void
build_ranking (AssayStatsAgreementPage *self,
               guint             index)
{
  AssayAgreementStat *stat = g_ptr_array_index (self->report->stats, index);
  g_autofree char *w = _assay_stats_format_number (stat->kendall_w, 3, FALSE);
  g_autofree char *sources = g_strdup_printf ("%" G_GUINT64_FORMAT, stat->kendall_w_sources);
  g_autofree char *tau = _assay_stats_format_number (stat->tau_b, 3, FALSE);
  g_autofree char *pairs = g_strdup_printf ("%" G_GUINT64_FORMAT, stat->tau_b_pairs);
  int column = 0;

  _assay_stats_grid_clear (self->ranking_grid);
  gtk_grid_attach (self->ranking_grid,
                   _assay_stats_lead (_assay_stats_head_cell_new (_("Measure"), FALSE, NULL)),
                   column++,
                   0, 1, 1);
  gtk_grid_attach (self->ranking_grid, _assay_stats_head_cell_new (_("Value"), TRUE, NULL),
                   column++, 0, 1, 1);
  gtk_grid_attach (self->ranking_grid, _assay_stats_head_cell_new (_("Based on"), TRUE, NULL),
                   column++, 0, 1,
                   1);
  gtk_grid_attach (self->ranking_grid, _assay_stats_head_cell_new ("", FALSE, NULL), column++, 0,
                   1, 1);

  gtk_grid_attach (self->ranking_grid, _assay_stats_name_cell_new (_("Kendall’s W (concordance)")),
                   0, 1, 1,
                   1);
  gtk_grid_attach (self->ranking_grid,
                   _assay_stats_cell_new (w, FALSE, TRUE,
                             isnan (stat->kendall_w)
                             ? _("No source was ranked by two or more annotators")
                             : _("Mean over sources: 1 when the rankings are identical, about "
                                 "1/m for m unrelated rankings")),
                   1, 1, 1, 1);
  {
    g_autofree char *over = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s source",
                                                          "%s sources",
                                                          (gulong) stat->kendall_w_sources),
                                             sources);

    gtk_grid_attach (self->ranking_grid, _assay_stats_cell_new (over, FALSE, TRUE, NULL), 2, 1, 1,
                     1);
  }
  gtk_grid_attach (self->ranking_grid, _assay_stats_cell_new ("", FALSE, FALSE, NULL), 3, 1, 1, 1);

  gtk_grid_attach (self->ranking_grid,
                   _assay_stats_name_cell_new (_("Kendall’s tau-b, mean over pairs")), 0,
                   2, 1, 1);
  gtk_grid_attach (self->ranking_grid,
                   _assay_stats_cell_new (tau, FALSE, TRUE,
                             isnan (stat->tau_b)
                             ? _("No two annotators ranked the same source")
                             : _("1 is the same order, 0 unrelated, −1 reversed")),
                   1, 2, 1, 1);
  {
    /* one per source and pair of annotators who both ranked it */
    g_autofree char *over = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s pair of rankings",
                                                          "%s pairs of rankings",
                                                          (gulong) stat->tau_b_pairs),
                                             pairs);

    gtk_grid_attach (self->ranking_grid, _assay_stats_cell_new (over, FALSE, TRUE, NULL), 2, 2, 1,
                     1);
  }
  {
    GtkWidget *button = pairs_button_new (self);
    GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    /* The cell keeps the row's rule; the button sits in its middle. */
    pairs_button_set (self, GTK_MENU_BUTTON (button), index, -1, _("Rankings"),
                      stat->rank_pairs != NULL && stat->rank_pairs->len > 0);
    gtk_widget_set_hexpand (button, TRUE);
    gtk_widget_add_css_class (cell, "stats-cell");
    gtk_widget_add_css_class (cell, "button-cell");
    gtk_box_append (GTK_BOX (cell), button);
    gtk_grid_attach (self->ranking_grid, cell, 3, 2, 1, 1);
  }
  _assay_stats_grid_mark_last_row (self->ranking_grid, 2, 4);
}

static char *
raters_text (AssayAgreementReport *report)
{
  g_autoptr(GString) text = g_string_new (_("Raters: "));
  g_autoptr(GArray) order = assay_agreement_report_rater_order (report);

  for (guint j = 0; j < order->len; j++)
    {
      guint i = g_array_index (order, guint, j);
      const char *tag = _assay_stats_kind_tag (rater_kind (report, i));

      if (j > 0)
        g_string_append (text, ", ");
      g_string_append (text, rater_name (report, i));
      if (tag != NULL)
        g_string_append_printf (text, " (%s)", tag);
    }
  g_string_append_c (text, '.');
  if (report_has_models (report))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("LLM judges are rated like the experts: their pairs show whether "
                               "they agree with them."));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
build_agreement (AssayStatsAgreementPage *self)
{
  AssayAgreementReport *report = self->report;
  gboolean judge_column = report_has_models (report);
  gint ranking = -1;
  guint position = 0;
  g_autofree char *raters = NULL;
  GtkWidget *label;

  g_list_store_remove_all (self->agreement_store);
  if (report->annotators->len < 2)
    {
      GtkWidget *button = NULL;

      _assay_stats_set_needs_two (self->agreement_empty, report);
      /* An expert and an LLM judge: the judge is one click away. */
      if ((self->kinds & ASSAY_STATS_MODELS) == 0)
        {
          g_autofree char *description =
            g_strconcat (adw_status_page_get_description (self->agreement_empty), " ",
                         _("LLM judges’ judgments are proposals, left out unless you count "
                           "them."), NULL);

          adw_status_page_set_description (self->agreement_empty, description);
          button = gtk_button_new_with_mnemonic (_("Count _LLM Judges"));
          gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "pill");
          g_signal_connect_object (button, "clicked", G_CALLBACK (on_count_judges_clicked), self,
                                   G_CONNECT_SWAPPED);
        }
      adw_status_page_set_child (self->agreement_empty, button);
      gtk_stack_set_visible_child_name (self->agreement_stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->agreement_stack, "report");

  /* The raters, named in plain text. */
  while ((label = gtk_widget_get_first_child (GTK_WIDGET (self->raters_box))) != NULL)
    gtk_box_remove (self->raters_box, label);
  raters = raters_text (report);
  label = gtk_label_new (raters);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (self->raters_box, label);

  gtk_column_view_column_set_visible (self->judge_column, judge_column);
  for (guint i = 0; i < report->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, i);

      if (stat->kind == ASSAY_STAT_RANKING)
        {
          ranking = i;
          continue;
        }
      if (!stat->has_result)
        continue;
      append_row (self, position++, i, -1, _assay_stats_stat_title (stat), stat, &stat->result);
      /* Nobody shares an item in the set: its options would only repeat that. */
      if (stat->result.n_units == 0)
        continue;
      for (guint o = 0; stat->options != NULL && o < stat->options->len; o++)
        {
          AssayOptionAgreement *option = g_ptr_array_index (stat->options, o);
          const char *title = _assay_stats_option_title (self->tmpl, stat->name, option->name);

          append_row (self, position++, i, o, title, stat, &option->result);
        }
      /* The rubric pooled, after its last criterion. */
      if (stat->kind == ASSAY_STAT_CRITERION && report->has_rubric &&
          (i + 1 == report->stats->len ||
           ((AssayAgreementStat *) g_ptr_array_index (report->stats, i + 1))->kind !=
           ASSAY_STAT_CRITERION))
        {
          AssayAgreementStat pooled = { 0, };

          pooled.kind = ASSAY_STAT_CRITERION;
          append_row (self, position++, G_MAXUINT, -1, _("All criteria, pooled"), &pooled,
                      &report->rubric);
        }
    }
  /* In template order to begin with: the first column's order. */
  gtk_column_view_sort_by_column (self->agreement_view, self->title_column, GTK_SORT_ASCENDING);

  {
    g_autoptr(GString) legend = g_string_new (
      _("Alpha reads as Good from 0.800 and Tentative from 0.667; below that, the "
        "instructions, options or training need work before the data is used. Kappa and alpha "
        "run low for rarely used labels even when disagreements are few: read them with the "
        "observed agreement and the number of units. “All criteria, pooled” treats every "
        "score of the rubric as one unit of a single table."));

    if (judge_column)
      {
        g_string_append_c (legend, ' ');
        g_string_append (legend, _("Judge vs People is highlighted where the LLM judges agree "
                                   "with people clearly less than people agree among "
                                   "themselves."));
      }
    gtk_label_set_text (self->agreement_legend, legend->str);
  }

  gtk_widget_set_visible (self->ranking_title, ranking >= 0);
  gtk_widget_set_visible (self->ranking_card, ranking >= 0);
  if (ranking >= 0)
    build_ranking (self, ranking);
}

void
assay_stats_agreement_page_set_report (AssayStatsAgreementPage *self,
                                       AssayAgreementReport    *report,
                                       AssayTemplate           *tmpl)
{
  g_return_if_fail (ASSAY_IS_STATS_AGREEMENT_PAGE (self));

  if (tmpl != NULL)
    assay_template_ref (tmpl);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  self->tmpl = tmpl;
  self->report = report;
  if (report == NULL)
    {
      g_list_store_remove_all (self->agreement_store);
      return;
    }
  build_agreement (self);
}

static void
assay_stats_agreement_page_dispose (GObject *object)
{
  AssayStatsAgreementPage *self = ASSAY_STATS_AGREEMENT_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_STATS_AGREEMENT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->report = NULL;
  g_clear_pointer (&self->tmpl, assay_template_unref);

  G_OBJECT_CLASS (assay_stats_agreement_page_parent_class)->dispose (object);
}

static void
assay_stats_agreement_page_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  AssayStatsAgreementPage *self = ASSAY_STATS_AGREEMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_KINDS:
      g_value_set_uint (value, self->kinds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_stats_agreement_page_class_init (AssayStatsAgreementPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_stats_agreement_page_dispose;
  object_class->get_property = assay_stats_agreement_page_get_property;

  /* An AssayStatsKinds: the raters the expert asked for. */
  properties[PROP_KINDS] =
    g_param_spec_uint ("kinds", NULL, NULL, 0, G_MAXUINT, ASSAY_STATS_PERSONS,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_STATS_AGREEMENT_ROW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-stats-agreement-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, agreement_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, agreement_empty);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, raters_box);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, count_judges);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, agreement_view);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, agreement_store);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, title_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, judge_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, agreement_legend);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, ranking_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, ranking_card);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsAgreementPage, ranking_grid);
  gtk_widget_class_bind_template_callback (widget_class, pairs_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_count_judges_toggled);
  gtk_widget_class_bind_template_callback (widget_class, pairs_bind_cb);
}

static void
assay_stats_agreement_page_init (AssayStatsAgreementPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->kinds = assay_stats_kinds_by_default (ASSAY_STATS_RATERS);
}
