/* assay-stats-window.c: progress, the model leaderboard, agreement and
 * disagreements, for the eval lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here runs on the main thread that reads more than a row: the
 * reports come from assay_stats_compute_async, and a second worker reads
 * what the pages need besides (progress, the template's titles, and what
 * each annotator said on the most disagreed-on items). Every run has a
 * generation number, so the results of a run that was superseded by a
 * refresh, or of a window that was closed, are dropped.
 *
 * All names shown here (annotators, models, titles, options) come from
 * imported files: they go into plain labels, or are escaped where a
 * widget takes markup.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "assay-adjudication-view.h"
#include "assay-leaderboard-chart.h"
#include "assay-stats-details.h"
#include "assay-stats-rows.h"
#include "assay-stats-window.h"
#include "assay-stats-window-private.h"

/* Items whose units are spelled out per request; "Show More" asks for the
 * next ones. Reading them means loading each rater's judgments. */
#define PAGE_SIZE            100
/* Units named in a row's subtitle, and in its tooltip. */
#define UNITS_IN_SUBTITLE    2
#define UNITS_IN_TOOLTIP     8
#define ALL_STATS            G_MAXUINT

/* Krippendorff (2004, §11.4); docs/statistics.md. */
#define ALPHA_GOOD           0.800
#define ALPHA_TENTATIVE      0.667

struct _AssayStatsWindow
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  AdwViewSwitcherTitle *switcher_title;
  GtkSpinner           *header_spinner;
  GtkSpinner           *computing_spinner;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *agreement_page;
  AdwViewStackPage     *disagreements_page;

  AdwPreferencesGroup  *progress_group;
  GtkToggleButton      *kinds_people;
  GtkToggleButton      *kinds_models;
  GtkToggleButton      *kinds_all;
  GtkStack             *board_stack;
  GtkColumnView        *board_view;
  GListStore           *board_store;
  GtkColumnViewColumn  *rank_column;
  GtkColumnViewColumn  *overall_column;
  GtkColumnViewColumn  *strength_column;
  GtkColumnViewColumn  *win_rate_column;
  AssayLeaderboardChart *chart;
  GtkLabel             *chart_title;
  GtkToggleButton      *measure_overall;
  GtkToggleButton      *measure_strength;
  GtkLabel             *board_note;
  AdwStatusPage        *board_empty;
  GtkWidget            *measures_title;
  GtkWidget            *measures_card;
  GtkGrid              *measures_grid;

  GtkStack             *agreement_stack;
  AdwStatusPage        *agreement_empty;
  GtkBox               *raters_box;
  GtkGrid              *agreement_grid;
  GtkLabel             *agreement_legend;
  GtkWidget            *ranking_title;
  GtkWidget            *ranking_card;
  GtkGrid              *ranking_grid;

  GtkStack             *disagree_stack;
  AdwStatusPage        *disagree_empty;
  GtkLabel             *disagree_summary;
  GtkDropDown          *disagree_filter;
  GtkListBox           *disagree_list;
  GtkWidget            *more_button;

  AdwWindowTitle       *adjudicate_title;
  GtkBox               *adjudicate_box;

  AssayProject         *project;
  char                 *path;
  char                 *lead_id;
  char                 *lead_name;

  GCancellable         *cancellable;
  guint                 generation;
  guint                 busy;
  gboolean              shown;          /* a report is on screen */

  AssayAgreementReport *report;
  AssayLeaderboard     *board;
  AssayTemplate        *tmpl;

  GPtrArray            *progress_rows;  /* the AdwActionRows in progress_group */
  GArray               *filter_stats;   /* guint: the dropdown's entries, ALL_STATS first */
  guint                 filter;         /* a report stat index, or ALL_STATS */
  GPtrArray            *items;          /* AssayDisagreementItem for the filter */
  guint                 n_requested;    /* items asked of the worker so far */
  guint                 page_size;
  guint                 filling;        /* the dropdown is being rebuilt */
  GHashTable           *settled;        /* source ids (gint64 *) with gold */

  GtkWidget            *adjudication;
  gint64                adjudicating;
  gboolean              gold_changed;
};

G_DEFINE_FINAL_TYPE (AssayStatsWindow, assay_stats_window, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_ADJUDICATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_details (AssayStatsWindow *self,
                           gboolean          with_progress,
                           guint             generation);

/* ---- formatting ---- */

/* Locale digits, but a typographic minus, which lines up with "+". */
static char *
format_number (double   value,
               int      decimals,
               gboolean signed_)
{
  g_autofree char *text = NULL;

  if (isnan (value))
    return g_strdup (_("n/a"));
  if (fabs (value) < 0.5 * pow (10.0, -decimals))
    value = 0.0;
  text = g_strdup_printf (signed_ && value > 0 ? "+%.*f" : "%.*f", decimals, value);
  if (text[0] == '-')
    return g_strconcat ("−", text + 1, NULL);
  return g_steal_pointer (&text);
}

static char *
format_percent (double value)
{
  if (isnan (value))
    return g_strdup (_("n/a"));
  /* Translators: a percentage with one decimal, "77.8%" */
  return g_strdup_printf (_("%.1f%%"), value * 100.0);
}

typedef enum
{
  AS_NUMBER,
  AS_SIGNED,
  AS_PERCENT,
} Style;

static char *
format_as (double value,
           Style  style)
{
  if (style == AS_PERCENT)
    return format_percent (value);
  return format_number (value, 2, style == AS_SIGNED);
}

/* "3.82 [3.61, 4.02]", the interval dimmed, as markup (numbers only).
 * `offset` and `factor` put a 0..1 overall score on its scale. */
static char *
estimate_markup (const AssayEstimate *e,
                 double               offset,
                 double               factor,
                 Style                style,
                 gboolean             two_lines)
{
  g_autofree char *value = format_as (offset + e->value * factor, style);
  g_autofree char *low = NULL, *high = NULL;

  if (!isnan (e->value) && e->n_sources < ASSAY_INTERVAL_MIN_SOURCES)
    /* Translators: a value shown without its interval */
    return g_strdup_printf (two_lines ? _("%s\n<span alpha=\"60%%\" size=\"small\">[too few "
                                          "sources]</span>")
                                      : _("%s <span alpha=\"60%%\">[too few sources]</span>"),
                            value);
  if (isnan (e->value) || isnan (e->low) || isnan (e->high))
    return g_strdup (value);
  low = format_as (offset + e->low * factor, style);
  high = format_as (offset + e->high * factor, style);
  if (two_lines)
    return g_strdup_printf ("%s\n<span alpha=\"60%%\" size=\"small\">[%s, %s]</span>", value,
                            low, high);
  return g_strdup_printf ("%s <span alpha=\"60%%\">[%s, %s]</span>", value, low, high);
}

static char *
too_few_sources_tip (guint n_sources)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Too little data for an interval: this value rests on %u "
                                       "source, and intervals need at least %d",
                                       "Too little data for an interval: this value rests on %u "
                                       "sources, and intervals need at least %d", n_sources),
                          n_sources, ASSAY_INTERVAL_MIN_SOURCES);
}

static const char *
kind_tag (AssayAnnotatorKind kind)
{
  switch (kind)
    {
    case ASSAY_ANNOTATOR_MODEL:
      return _("LLM judge");
    case ASSAY_ANNOTATOR_ADJUDICATOR:
      return _("Gold");
    case ASSAY_ANNOTATOR_PERSON:
    default:
      return NULL;
    }
}

static const char *
stat_title (const AssayAgreementStat *stat)
{
  if (stat->kind == ASSAY_STAT_RANKING)
    return _("Rankings");
  if (stat->kind == ASSAY_STAT_COMPARISON)
    return _("Comparisons");
  return stat->title != NULL && *stat->title != '\0' ? stat->title : stat->name;
}

static const char *
option_title (AssayTemplate *tmpl,
              const char    *set_name,
              const char    *option_name)
{
  AssayLabelSet *set = tmpl != NULL ? assay_template_find_label_set (tmpl, set_name) : NULL;

  if (set != NULL)
    for (guint i = 0; i < set->options->len; i++)
      {
        AssayLabelOption *option = g_ptr_array_index (set->options, i);

        if (g_strcmp0 (option->name, option_name) == 0)
          return option->title != NULL && *option->title != '\0' ? option->title : option->name;
      }
  return option_name;
}

static const char *
set_title (AssayTemplate *tmpl,
           const char    *set_name)
{
  AssayLabelSet *set = tmpl != NULL ? assay_template_find_label_set (tmpl, set_name) : NULL;

  if (set != NULL && set->title != NULL && *set->title != '\0')
    return set->title;
  return set_name;
}

static const char *
criterion_title (AssayTemplate *tmpl,
                 const char    *name)
{
  AssayCriterion *criterion = tmpl != NULL ? assay_template_find_criterion (tmpl, name) : NULL;

  if (criterion != NULL && criterion->title != NULL && *criterion->title != '\0')
    return criterion->title;
  return name;
}

/* ---- runs ---- */

typedef struct
{
  AssayStatsWindow     *self;
  guint                 generation;
  gboolean              with_progress;
  AssayAgreementReport *report;
  AssayLeaderboard     *board;
} RunData;

static void
run_data_free (RunData *data)
{
  g_object_unref (data->self);
  g_clear_pointer (&data->report, assay_agreement_report_free);
  g_clear_pointer (&data->board, assay_leaderboard_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

static RunData *
run_data_new (AssayStatsWindow *self,
              guint             generation)
{
  RunData *data = g_new0 (RunData, 1);

  data->self = g_object_ref (self);
  data->generation = generation;
  return data;
}

/* The page switcher works once there are pages to switch between. */
static void
set_shown (AssayStatsWindow *self,
           gboolean          shown)
{
  self->shown = shown;
  gtk_widget_set_sensitive (GTK_WIDGET (self->switcher_title), shown);
}

static void
set_busy (AssayStatsWindow *self,
          gboolean          busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), self->busy > 0 && self->shown);
  gtk_spinner_set_spinning (self->header_spinner, self->busy > 0 && self->shown);
  gtk_spinner_set_spinning (self->computing_spinner, self->busy > 0 && !self->shown);
}

static gboolean
is_current (RunData *data)
{
  return data->generation == data->self->generation && data->self->cancellable != NULL &&
         !g_cancellable_is_cancelled (data->self->cancellable);
}

static void
show_error (AssayStatsWindow *self,
            const GError     *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  set_shown (self, FALSE);
}

static AssayStatsKinds
counted_kinds (AssayStatsWindow *self)
{
  if (gtk_toggle_button_get_active (self->kinds_models))
    return ASSAY_STATS_MODELS;
  if (gtk_toggle_button_get_active (self->kinds_all))
    return ASSAY_STATS_ALL_KINDS;
  return ASSAY_STATS_PERSONS;
}

/* ---- the overview ---- */

static void
grid_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

/* A table cell. Names from files go in as plain text; only our own number
 * markup is ever parsed. */
static GtkWidget *
cell_new (const char *text,
          gboolean    markup,
          gboolean    numeric,
          const char *tooltip)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (markup)
    gtk_label_set_markup (GTK_LABEL (label), text);
  else
    gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_widget_add_css_class (label, "stats-cell");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (label, tooltip);
  return label;
}

/* The first column's cells keep off the card's edge. */
static GtkWidget *
lead (GtkWidget *cell)
{
  gtk_widget_add_css_class (cell, "lead");
  return cell;
}

static GtkWidget *
name_cell_new (const char *text)
{
  GtkWidget *label = cell_new (text, FALSE, FALSE, NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, text);
  gtk_widget_add_css_class (label, "lead");
  return label;
}

static GtkWidget *
head_cell_new (const char *text,
               gboolean    numeric,
               const char *tooltip)
{
  GtkWidget *label = cell_new (text, FALSE, numeric, tooltip);

  /* Long headings take two lines rather than widening their column. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_yalign (GTK_LABEL (label), 1.0f);
  gtk_label_set_justify (GTK_LABEL (label), numeric ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
  gtk_widget_add_css_class (label, "stats-head");
  return label;
}

/* The bottom border runs under every cell but the last row's. */
static void
grid_mark_last_row (GtkGrid *grid,
                    int      row,
                    int      n_columns)
{
  for (int column = 0; column < n_columns; column++)
    {
      GtkWidget *cell = gtk_grid_get_child_at (grid, column, row);

      if (cell != NULL)
        gtk_widget_add_css_class (cell, "last");
    }
}

static void
build_progress (AssayStatsWindow *self,
                GPtrArray        *progress)
{
  for (guint i = 0; i < self->progress_rows->len; i++)
    adw_preferences_group_remove (self->progress_group,
                                  g_ptr_array_index (self->progress_rows, i));
  g_ptr_array_set_size (self->progress_rows, 0);

  for (guint i = 0; progress != NULL && i < progress->len; i++)
    {
      AssayAnnotatorProgress *p = g_ptr_array_index (progress, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, MAX (1, p->total));
      GtkWidget *count;
      const char *tag = kind_tag (p->kind);
      g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                                                     p->done, p->total);
      g_autofree char *a11y = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->name);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      gtk_widget_set_tooltip_text (row, p->name);
      if (tag != NULL)
        {
          GtkWidget *pill = gtk_label_new (tag);

          gtk_widget_add_css_class (pill, "stats-tag");
          gtk_widget_add_css_class (pill, p->kind == ASSAY_ANNOTATOR_MODEL ? "model" : "gold");
          gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
        }

      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), MIN (p->done, MAX (1, p->total)));
      /* No "low/high/full" colours: progress is not a warning. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_size_request (bar, 140, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      a11y = g_strdup_printf (_("%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " items done"),
                              p->name, p->done, p->total);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);

      count = gtk_label_new (count_text);
      gtk_label_set_width_chars (GTK_LABEL (count), 9);
      gtk_label_set_xalign (GTK_LABEL (count), 1.0f);
      gtk_widget_add_css_class (count, "numeric");
      gtk_widget_add_css_class (count, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);

      adw_preferences_group_add (self->progress_group, row);
      g_ptr_array_add (self->progress_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), self->progress_rows->len > 0);
}

static gboolean
any_defined (AssayLeaderboard *board,
             gboolean          strength)
{
  for (guint i = 0; i < board->models->len; i++)
    {
      AssayModelStanding *m = g_ptr_array_index (board->models, i);

      if (!isnan (strength ? m->strength.value : m->overall.value))
        return TRUE;
    }
  return FALSE;
}

static char *
metric_title (AssayStatsWindow *self,
              AssayMetricInfo  *info)
{
  switch (info->kind)
    {
    case ASSAY_METRIC_SCORE:
      /* Translators: CRITERION (MIN–MAX), "Faithfulness (1–5)" */
      return g_strdup_printf (_("%s (%d–%d)"), criterion_title (self->tmpl, info->set),
                              info->scale_min, info->scale_max);
    case ASSAY_METRIC_LABEL_RATE:
    case ASSAY_METRIC_SPAN_SHARE:
    case ASSAY_METRIC_SPAN_RATE:
      return g_strdup (option_title (self->tmpl, info->set, info->option));
    case ASSAY_METRIC_EDIT_DISTANCE:
      return g_strdup (_("Words changed"));
    case ASSAY_METRIC_EDIT_RATE:
      return g_strdup (_("Share of words changed"));
    default:
      return g_strdup (info->set);
    }
}

/* The heading a measure sits under: one per criterion set, label set and
 * way of counting spans. */
static char *
metric_group (AssayStatsWindow *self,
              AssayMetricInfo  *info)
{
  switch (info->kind)
    {
    case ASSAY_METRIC_SCORE:
      return g_strdup (_("Rubric means"));
    case ASSAY_METRIC_LABEL_RATE:
      /* Translators: a label set, "Verdict: share of raters choosing" */
      return g_strdup_printf (_("%s: share of raters choosing"), set_title (self->tmpl, info->set));
    case ASSAY_METRIC_SPAN_SHARE:
      /* Translators: a span label set, "Claim support: share of spans" */
      return g_strdup_printf (_("%s: share of spans"), set_title (self->tmpl, info->set));
    case ASSAY_METRIC_SPAN_RATE:
      /* Translators: a span label set, "Claim support: spans per summary" */
      return g_strdup_printf (_("%s: spans per summary and rater"),
                              set_title (self->tmpl, info->set));
    case ASSAY_METRIC_EDIT_DISTANCE:
    case ASSAY_METRIC_EDIT_RATE:
    default:
      return g_strdup (_("Corrections"));
    }
}

static void
build_measures (AssayStatsWindow *self)
{
  AssayLeaderboard *board = self->board;
  g_autofree char *group = NULL;
  int row = 0;
  guint n = board->models->len;

  grid_clear (self->measures_grid);
  gtk_grid_attach (self->measures_grid, lead (head_cell_new (_("Measure"), FALSE, NULL)), 0, row,
                   1, 1);
  for (guint i = 0; i < n; i++)
    {
      AssayModelStanding *m = g_ptr_array_index (board->models, i);
      GtkWidget *head = head_cell_new (m->model, TRUE, m->model);

      gtk_label_set_wrap (GTK_LABEL (head), FALSE);
      gtk_label_set_ellipsize (GTK_LABEL (head), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (head), 16);
      gtk_grid_attach (self->measures_grid, head, 1 + i, row, 1, 1);
    }
  row++;

  for (guint k = 0; k < board->metrics->len; k++)
    {
      AssayMetricInfo *info = g_ptr_array_index (board->metrics, k);
      g_autofree char *this_group = metric_group (self, info);
      g_autofree char *title = metric_title (self, info);
      Style style = info->kind == ASSAY_METRIC_LABEL_RATE ||
                    info->kind == ASSAY_METRIC_SPAN_SHARE ||
                    info->kind == ASSAY_METRIC_EDIT_RATE ? AS_PERCENT : AS_NUMBER;
      gboolean any = FALSE;

      for (guint i = 0; i < n && !any; i++)
        any = !isnan (((AssayModelStanding *) g_ptr_array_index (board->models, i))
                        ->metrics[k].value);
      /* A measure nobody has data for is noise in the table. */
      if (!any)
        continue;

      if (g_strcmp0 (group, this_group) != 0)
        {
          GtkWidget *head = lead (cell_new (this_group, FALSE, FALSE, NULL));

          gtk_widget_add_css_class (head, "stats-group");
          gtk_grid_attach (self->measures_grid, head, 0, row++, 1 + n, 1);
          g_free (group);
          group = g_steal_pointer (&this_group);
        }

      {
        GtkWidget *name = name_cell_new (title);

        gtk_widget_add_css_class (name, "indent");
        gtk_grid_attach (self->measures_grid, name, 0, row, 1, 1);
      }
      for (guint i = 0; i < n; i++)
        {
          AssayModelStanding *m = g_ptr_array_index (board->models, i);
          const AssayEstimate *e = &m->metrics[k];
          g_autofree char *markup = estimate_markup (e, 0.0, 1.0, style, TRUE);
          const char *why = isnan (e->value) ? _("No data from the counted annotators") : NULL;
          GtkWidget *cell = cell_new (markup, TRUE, TRUE, why);

          gtk_label_set_justify (GTK_LABEL (cell), GTK_JUSTIFY_RIGHT);
          gtk_grid_attach (self->measures_grid, cell, 1 + i, row, 1, 1);
        }
      row++;
    }
  grid_mark_last_row (self->measures_grid, row - 1, 1 + n);
  gtk_widget_set_visible (self->measures_title, row > 1);
  gtk_widget_set_visible (self->measures_card, row > 1);
}

static void
update_chart_title (AssayStatsWindow *self)
{
  g_autofree char *title = NULL;
  int percent = self->board != NULL ? (int) round (self->board->level * 100.0) : 95;
  double lo, hi;

  if (assay_leaderboard_chart_get_measure (self->chart) == ASSAY_LEADERBOARD_CHART_STRENGTH)
    title = g_strdup_printf (_("Bradley–Terry strength with %d%% intervals"), percent);
  else if (self->board != NULL &&
           assay_leaderboard_chart_get_overall_scale (self->board, &lo, &hi))
    title = g_strdup_printf (_("Overall score (%g–%g) with %d%% intervals"), lo, hi, percent);
  else
    title = g_strdup_printf (_("Overall score (0–1) with %d%% intervals"), percent);
  gtk_label_set_text (self->chart_title, title);
}

static void
on_count_models_clicked (AssayStatsWindow *self)
{
  gtk_toggle_button_set_active (self->kinds_all, TRUE);
}

static void
build_board (AssayStatsWindow *self)
{
  AssayLeaderboard *board = self->board;
  gboolean has_overall = any_defined (board, FALSE);
  gboolean has_strength = any_defined (board, TRUE);
  double lo, hi, span;
  gboolean on_scale;
  g_autofree char *overall_head = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  guint64 results = 0;

  if (board->models->len == 0 || (!has_overall && !has_strength))
    {
      AssayStatsKinds kinds = counted_kinds (self);
      GtkWidget *button = NULL;

      if (kinds == ASSAY_STATS_PERSONS)
        {
          adw_status_page_set_description (self->board_empty,
                                           _("No expert has scored, ranked or compared "
                                             "summaries yet. LLM judges’ judgments are left "
                                             "out unless you count them."));
          button = gtk_button_new_with_mnemonic (_("_Count Everyone"));
          gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "pill");
          g_signal_connect_object (button, "clicked", G_CALLBACK (on_count_models_clicked), self,
                                   G_CONNECT_SWAPPED);
        }
      else
        adw_status_page_set_description (self->board_empty,
                                         _("None of the counted annotators has scored, ranked "
                                           "or compared summaries yet."));
      adw_status_page_set_child (self->board_empty, button);
      gtk_stack_set_visible_child_name (self->board_stack, "empty");
      gtk_widget_set_visible (self->measures_title, FALSE);
      gtk_widget_set_visible (self->measures_card, FALSE);
      assay_leaderboard_chart_set_leaderboard (self->chart, NULL);
      return;
    }
  gtk_stack_set_visible_child_name (self->board_stack, "board");

  on_scale = assay_leaderboard_chart_get_overall_scale (board, &lo, &hi);
  span = hi - lo;
  if (on_scale)
    /* Translators: the overall score column, on the criteria's scale */
    overall_head = g_strdup_printf (_("Overall (%g–%g)"), lo, hi);
  else
    overall_head = g_strdup (_("Overall (0–1)"));
  gtk_column_view_column_set_title (self->overall_column, overall_head);
  /* What the strengths are: penalised by the prior unless it is 0. */
  gtk_column_view_column_set_title (self->strength_column,
                                    board->bt_prior > 0.0 ? _("Strength (penalised)")
                                                          : _("Strength (ML)"));
  gtk_column_view_column_set_visible (self->strength_column, has_strength || !board->bt_exists);
  gtk_column_view_column_set_visible (self->win_rate_column, has_strength || !board->bt_exists);

  g_list_store_remove_all (self->board_store);
  for (guint i = 0; i < board->models->len; i++)
    {
      AssayModelStanding *m = g_ptr_array_index (board->models, i);
      g_autofree char *overall = estimate_markup (&m->overall, lo, span, AS_NUMBER, FALSE);
      g_autofree char *strength = estimate_markup (&m->strength, 0.0, 1.0, AS_SIGNED, FALSE);
      g_autofree char *win = format_percent (m->win_rate.value);
      g_autofree char *overall_tip = NULL;
      g_autofree char *strength_tip = NULL;
      g_autoptr(AssayStatsModelRow) row = NULL;
      AssayStatsModelRowData data = { 0, };

      if (isnan (m->overall.value))
        overall_tip = g_strdup (_("No rubric scores for this model from the counted annotators"));
      else if (m->overall.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
        overall_tip = too_few_sources_tip (m->overall.n_sources);
      if (!board->bt_exists)
        strength_tip = g_strdup (_("No maximum-likelihood strength: a group of models never lost "
                                   "to the others"));
      else if (isnan (m->strength.value))
        strength_tip = g_strdup (_("No rankings or comparisons involve this model"));
      else if (m->strength.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
        strength_tip = too_few_sources_tip (m->strength.n_sources);
      else if (board->bt_prior > 0.0)
        strength_tip = g_strdup (_("Penalised Bradley–Terry log-strength: one virtual tie "
                                   "between every two models pulls the strengths together"));

      data.rank = m->rank;
      data.model = m->model;
      data.overall = m->overall.value;
      data.overall_markup = overall;
      data.overall_tooltip = overall_tip;
      data.strength = m->strength.value;
      data.strength_markup = strength;
      data.strength_tooltip = strength_tip;
      data.win_rate = m->win_rate.value;
      data.win_rate_text = win;
      data.candidates = m->n_candidates;
      row = assay_stats_model_row_new (&data);
      g_list_store_append (self->board_store, row);
      if (has_strength)
        results += (guint64) m->win_rate.n;
    }

  /* The table starts in the core's order, with the arrow on the column
   * that gives it; any heading sorts by its column. */
  switch (board->ranked_by)
    {
    case ASSAY_RANK_STRENGTH:
      gtk_column_view_sort_by_column (self->board_view, self->strength_column,
                                      GTK_SORT_DESCENDING);
      break;
    case ASSAY_RANK_WIN_RATE:
      gtk_column_view_sort_by_column (self->board_view, self->win_rate_column,
                                      GTK_SORT_DESCENDING);
      break;
    case ASSAY_RANK_OVERALL:
    case ASSAY_RANK_AUTO:
    default:
      gtk_column_view_sort_by_column (self->board_view, self->overall_column,
                                      GTK_SORT_DESCENDING);
      break;
    }

  assay_leaderboard_chart_set_leaderboard (self->chart, board);
  gtk_widget_set_sensitive (GTK_WIDGET (self->measure_strength), has_strength);
  gtk_widget_set_sensitive (GTK_WIDGET (self->measure_overall), has_overall);
  if (!has_strength)
    gtk_toggle_button_set_active (self->measure_overall, TRUE);
  else if (!has_overall)
    gtk_toggle_button_set_active (self->measure_strength, TRUE);
  update_chart_title (self);

  if (board->ranked_by_strength)
    g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE,
                                               "Ranked by Bradley–Terry strength from %"
                                               G_GUINT64_FORMAT " comparison result; click a "
                                               "column’s heading to sort by it.",
                                               "Ranked by Bradley–Terry strength from %"
                                               G_GUINT64_FORMAT " comparison results; click a "
                                               "column’s heading to sort by it.",
                                               (gulong) (results / 2)),
                            results / 2);
  else
    g_string_append (note, _("Ranked by overall score; click a column’s heading to sort by "
                             "it."));
  g_string_append_c (note, ' ');
  if (!board->bt_exists)
    g_string_append (note, _("Without a prior the maximum-likelihood strengths do not exist: "
                             "a group of models never lost to the others. "));
  else if (board->bt_prior > 0.0 && has_strength)
    g_string_append_printf (note, _("Strengths are penalised: %g virtual tie between every two "
                                    "models keeps them finite and pulls them together. "),
                            board->bt_prior);
  g_string_append_printf (note,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Intervals from %u bootstrap resample of the sources, "
                                       "seed %" G_GUINT64_FORMAT ": the same project and seed "
                                       "give the same numbers. A value from fewer than %d "
                                       "sources has no interval: too little data.",
                                       "Intervals from %u bootstrap resamples of the sources, "
                                       "seed %" G_GUINT64_FORMAT ": the same project and seed "
                                       "give the same numbers. A value from fewer than %d "
                                       "sources has no interval: too little data.",
                                       board->n_samples),
                          board->n_samples, board->seed, ASSAY_INTERVAL_MIN_SOURCES);
  if (board->annotators->len > 0)
    {
      g_string_append_c (note, ' ');
      g_string_append (note, _("Counted: "));
      for (guint i = 0; i < board->annotators->len; i++)
        {
          AssayStatsAnnotator *a = g_ptr_array_index (board->annotators, i);

          if (i > 0)
            g_string_append (note, ", ");
          g_string_append (note, a->name != NULL ? a->name : a->ext_id);
        }
      g_string_append_c (note, '.');
    }
  gtk_label_set_text (self->board_note, note->str);

  build_measures (self);
}

/* ---- agreement ---- */

typedef struct
{
  const char *name;
  const char *css;
  const char *meaning;
} Band;

static Band
alpha_band (double alpha)
{
  if (alpha >= ALPHA_GOOD)
    return (Band) { _("Good"), "good", _("Conclusions can rest on these judgments") };
  if (alpha >= ALPHA_TENTATIVE)
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
  AssayStatsAnnotator *a = g_ptr_array_index (report->annotators, index);

  return a->name != NULL && *a->name != '\0' ? a->name : a->ext_id;
}

/* The raters' indexes, people first, then LLM judges, then the rest: the
 * order of every list of raters in the window. */
static GArray *
rater_order (AssayAgreementReport *report)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));

  for (int kind = ASSAY_ANNOTATOR_PERSON; kind <= ASSAY_ANNOTATOR_ADJUDICATOR; kind++)
    for (guint i = 0; i < report->annotators->len; i++)
      if ((int) rater_kind (report, i) == kind)
        g_array_append_val (order, i);
  return order;
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
  const char *tag = kind_tag (rater_kind (report, index));

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
  AssayStatsWindow *self;
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
          g_autofree char *tau = format_number (p->tau_b, 3, FALSE);

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
          g_autofree char *kappa = format_number (k, 3, FALSE);
          g_autofree char *agree = format_percent (p->agreement);
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
    g_autoptr(GArray) order = rater_order (report);
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
                g_autofree char *text = format_number (value[lo * n + hi], 3, FALSE);

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

static void
create_pairs_popover (GtkMenuButton *button,
                      gpointer       user_data)
{
  PairsData *data = user_data;
  AssayStatsWindow *self = data->self;
  AssayAgreementStat *stat;
  const AssayReliabilityResult *result;
  GtkWidget *popover;

  AssayAgreementStat pooled = { 0, };

  if (self->report != NULL && data->stat == G_MAXUINT && self->report->has_rubric)
    {
      /* the rubric pooled over its criteria: scores, like a criterion */
      pooled.kind = ASSAY_STAT_CRITERION;
      popover = gtk_popover_new ();
      gtk_popover_set_child (GTK_POPOVER (popover),
                             pairs_table_new (self->report, &pooled, &self->report->rubric,
                                              NULL));
      gtk_menu_button_set_popover (button, popover);
      return;
    }
  if (self->report == NULL || data->stat >= self->report->stats->len)
    return;
  stat = g_ptr_array_index (self->report->stats, data->stat);
  if (data->option >= 0 && stat->options != NULL && (guint) data->option < stat->options->len)
    result = &((AssayOptionAgreement *) g_ptr_array_index (stat->options, data->option))->result;
  else
    result = &stat->result;

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover),
                         pairs_table_new (self->report, stat, result,
                                          stat->kind == ASSAY_STAT_RANKING ? stat->rank_pairs
                                                                           : NULL));
  gtk_menu_button_set_popover (button, popover);
}

static GtkWidget *
pairs_button_new (AssayStatsWindow *self,
                  guint             stat,
                  gint              option,
                  const char       *title,
                  gboolean          has_pairs)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *cell;
  PairsData *data = g_new0 (PairsData, 1);
  g_autofree char *name = g_strdup_printf (_("Pairwise agreement for %s"), title);

  data->self = self;
  data->stat = stat;
  data->option = option;
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-app-grid-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), create_pairs_popover, data,
                                         g_free);
  gtk_widget_set_tooltip_text (button, has_pairs ? _("Agreement by Pair of Annotators")
                                                 : _("No two annotators share items"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_widget_set_sensitive (button, has_pairs);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_add_css_class (button, "flat");

  /* The cell keeps the row's rule; the button sits in its middle. */
  cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (cell, "stats-cell");
  gtk_widget_add_css_class (cell, "button-cell");
  gtk_box_append (GTK_BOX (cell), button);
  return cell;
}

static GtkWidget *
alpha_cell_new (const AssayAgreementStat     *stat,
                const AssayReliabilityResult *result)
{
  double alpha = stat_alpha (stat, result);
  g_autofree char *text = format_number (alpha, 3, FALSE);
  g_autofree char *tip = NULL;
  GtkWidget *label = cell_new (text, FALSE, TRUE, NULL);

  if (isnan (alpha))
    tip = g_strdup (alpha_undefined_reason (result));
  else if (stat->kind == ASSAY_STAT_CRITERION)
    {
      g_autofree char *nominal = format_number (result->alpha_nominal, 3, FALSE);
      g_autofree char *interval = format_number (result->alpha_interval, 3, FALSE);

      g_autofree char *ratio = format_number (result->alpha_ratio, 3, FALSE);

      tip = g_strdup_printf (_("Krippendorff’s alpha, ordinal. Nominal %s, interval %s, ratio "
                               "%s."), nominal, interval, ratio);
    }
  else
    tip = g_strdup (_("Krippendorff’s alpha, nominal"));
  gtk_widget_set_tooltip_text (label, tip);
  return label;
}

static GtkWidget *
band_cell_new (const AssayAgreementStat     *stat,
               const AssayReliabilityResult *result)
{
  double alpha = stat_alpha (stat, result);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (box, "stats-cell");
  if (!isnan (alpha))
    {
      Band band = alpha_band (alpha);
      GtkWidget *pill = gtk_label_new (band.name);

      gtk_widget_add_css_class (pill, "alpha-band");
      gtk_widget_add_css_class (pill, band.css);
      gtk_widget_set_tooltip_text (pill, band.meaning);
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), pill);
    }
  return box;
}

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

static void
attach_agreement_row (AssayStatsWindow             *self,
                      int                           row,
                      guint                         stat_index,
                      gint                          option,
                      const char                   *title,
                      const AssayAgreementStat     *stat,
                      const AssayReliabilityResult *result,
                      gboolean                      judge_column)
{
  AssayAgreementReport *report = self->report;
  double kappa = stat->kind == ASSAY_STAT_CRITERION ? result->mean_weighted_kappa
                                                    : result->mean_kappa;
  g_autofree char *kappa_text = format_number (kappa, 3, FALSE);
  g_autofree char *agree_text = format_percent (result->agreement);
  g_autofree char *units = units_text (stat_index == G_MAXUINT ? "candidate-criterion"
                                      : option >= 0 ? "candidate"
                                      : assay_agreement_stat_unit (stat), result->n_units);
  g_autofree char *raters = g_strdup_printf ("%u", count_raters (result,
                                                                 report->annotators->len));
  g_autofree char *agree_tip = NULL;
  g_autofree char *units_tip = NULL;
  const char *kappa_tip;
  GtkWidget *name = name_cell_new (title);
  int column = 0;

  if (option >= 0)
    gtk_widget_add_css_class (name, "indent");
  gtk_grid_attach (self->agreement_grid, name, column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid, alpha_cell_new (stat, result), column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid, band_cell_new (stat, result), column++, row, 1, 1);

  if (isnan (kappa))
    kappa_tip = _("No pair of annotators has a defined kappa: they share no items, or both "
                  "gave one and the same value throughout");
  else if (stat->kind == ASSAY_STAT_CRITERION)
    kappa_tip = _("Mean quadratic weighted kappa over pairs of annotators");
  else
    kappa_tip = _("Mean Cohen’s kappa over pairs of annotators");
  gtk_grid_attach (self->agreement_grid, cell_new (kappa_text, FALSE, TRUE, kappa_tip), column++,
                   row, 1, 1);

  if (isnan (result->agreement))
    agree_tip = g_strdup (_("No two annotators judged the same items"));
  else if (stat->kind == ASSAY_STAT_CRITERION)
    {
      g_autofree char *within = format_percent (result->within_one);

      agree_tip = g_strdup_printf (_("Exact agreement; within one point: %s"), within);
    }
  gtk_grid_attach (self->agreement_grid, cell_new (agree_text, FALSE, TRUE, agree_tip), column++,
                   row, 1, 1);
  units_tip = g_strdup_printf (_("%" G_GUINT64_FORMAT " values on %s judged by two or more"),
                               result->n_values, units);
  gtk_grid_attach (self->agreement_grid, cell_new (units, FALSE, TRUE, units_tip), column++, row,
                   1, 1);
  gtk_grid_attach (self->agreement_grid, cell_new (raters, FALSE, TRUE, NULL), column++, row, 1,
                   1);

  if (judge_column)
    {
      double judge, people;
      g_autofree char *judge_text = NULL;
      g_autofree char *people_text = NULL;
      g_autofree char *tip = NULL;

      judge_vs_people (report, stat, result, &judge, &people);
      judge_text = format_number (judge, 3, FALSE);
      people_text = format_number (people, 3, FALSE);
      if (isnan (judge))
        tip = g_strdup (_("No LLM judge shares items with a person here"));
      else
        tip = g_strdup_printf (_("Mean kappa between LLM judges and people: %s. Among people: "
                                 "%s."), judge_text, people_text);
      {
        GtkWidget *cell = cell_new (judge_text, FALSE, TRUE, tip);

        /* A judge that agrees with the experts less than they agree with
         * each other is the thing to notice. */
        if (!isnan (judge) && !isnan (people) && judge < people - 0.1)
          gtk_widget_add_css_class (cell, "judge-below");
        gtk_grid_attach (self->agreement_grid, cell, column++, row, 1, 1);
      }
    }

  gtk_grid_attach (self->agreement_grid,
                   pairs_button_new (self, stat_index, option, title,
                                     result->pairs != NULL && result->pairs->len > 0),
                   column++, row, 1, 1);

  /* A statistic nobody shares an item on is there to say so, quietly. */
  if (result->n_units == 0)
    for (int c = 0; c < column; c++)
      gtk_widget_add_css_class (gtk_grid_get_child_at (self->agreement_grid, c, row), "empty");
}

static void
build_ranking (AssayStatsWindow *self,
               guint             index)
{
  AssayAgreementStat *stat = g_ptr_array_index (self->report->stats, index);
  g_autofree char *w = format_number (stat->kendall_w, 3, FALSE);
  g_autofree char *sources = g_strdup_printf ("%" G_GUINT64_FORMAT, stat->kendall_w_sources);
  g_autofree char *tau = format_number (stat->tau_b, 3, FALSE);
  g_autofree char *pairs = g_strdup_printf ("%" G_GUINT64_FORMAT, stat->tau_b_pairs);
  int column = 0;

  grid_clear (self->ranking_grid);
  gtk_grid_attach (self->ranking_grid, lead (head_cell_new (_("Measure"), FALSE, NULL)), column++,
                   0, 1, 1);
  gtk_grid_attach (self->ranking_grid, head_cell_new (_("Value"), TRUE, NULL), column++, 0, 1, 1);
  gtk_grid_attach (self->ranking_grid, head_cell_new (_("Based on"), TRUE, NULL), column++, 0, 1,
                   1);
  gtk_grid_attach (self->ranking_grid, head_cell_new ("", FALSE, NULL), column++, 0, 1, 1);

  gtk_grid_attach (self->ranking_grid, name_cell_new (_("Kendall’s W (concordance)")), 0, 1, 1,
                   1);
  gtk_grid_attach (self->ranking_grid,
                   cell_new (w, FALSE, TRUE,
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

    gtk_grid_attach (self->ranking_grid, cell_new (over, FALSE, TRUE, NULL), 2, 1, 1, 1);
  }
  gtk_grid_attach (self->ranking_grid, cell_new ("", FALSE, FALSE, NULL), 3, 1, 1, 1);

  gtk_grid_attach (self->ranking_grid, name_cell_new (_("Kendall’s tau-b, mean over pairs")), 0,
                   2, 1, 1);
  gtk_grid_attach (self->ranking_grid,
                   cell_new (tau, FALSE, TRUE,
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

    gtk_grid_attach (self->ranking_grid, cell_new (over, FALSE, TRUE, NULL), 2, 2, 1, 1);
  }
  gtk_grid_attach (self->ranking_grid,
                   pairs_button_new (self, index, -1, _("Rankings"),
                                     stat->rank_pairs != NULL && stat->rank_pairs->len > 0),
                   3, 2, 1, 1);
  grid_mark_last_row (self->ranking_grid, 2, 4);
}

static char *
raters_text (AssayAgreementReport *report)
{
  g_autoptr(GString) text = g_string_new (_("Raters: "));
  g_autoptr(GArray) order = rater_order (report);

  for (guint j = 0; j < order->len; j++)
    {
      guint i = g_array_index (order, guint, j);
      const char *tag = kind_tag (rater_kind (report, i));

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
set_needs_two (AssayStatsWindow *self,
               AdwStatusPage    *page)
{
  AssayAgreementReport *report = self->report;
  g_autofree char *description = NULL;

  if (report->annotators->len == 1)
    {
      g_autofree char *name = g_markup_escape_text (rater_name (report, 0), -1);

      description = g_strdup_printf (_("Only %s has judged items so far. Merge other experts’ "
                                       "projects into this one, or import an LLM judge’s "
                                       "judgments, to see how well they agree."), name);
    }
  else
    description = g_strdup (_("Nobody has judged items yet. Agreement compares two or more "
                              "annotators’ judgments on the same items."));
  adw_status_page_set_title (page, _("Agreement Needs Two or More Annotators"));
  adw_status_page_set_description (page, description);
  adw_status_page_set_icon_name (page, "system-users-symbolic");
}

static void
build_agreement (AssayStatsWindow *self)
{
  AssayAgreementReport *report = self->report;
  gboolean judge_column = report_has_models (report);
  int row = 0, column = 0;
  gint ranking = -1;
  g_autofree char *raters = NULL;
  GtkWidget *label;

  if (report->annotators->len < 2)
    {
      set_needs_two (self, self->agreement_empty);
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

  grid_clear (self->agreement_grid);
  gtk_grid_attach (self->agreement_grid, lead (head_cell_new (_("Statistic"), FALSE, NULL)),
                   column++,
                   row, 1, 1);
  gtk_grid_attach (self->agreement_grid,
                   head_cell_new (_("Alpha"), TRUE,
                                  _("Krippendorff’s alpha: ordinal for rubric scores, nominal "
                                    "otherwise")),
                   column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid,
                   head_cell_new (_("Reading"), FALSE,
                                  _("Good from 0.800, tentative from 0.667, unreliable below "
                                    "(Krippendorff 2004)")),
                   column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid,
                   head_cell_new (_("Kappa"), TRUE,
                                  _("Mean Cohen’s kappa over pairs of annotators (quadratic "
                                    "weighted for rubric scores)")),
                   column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid,
                   head_cell_new (_("Observed agreement"), TRUE,
                                  _("Observed agreement: the share of agreeing pairs of values "
                                    "within units, a unit with more values counting more. The "
                                    "pairwise table gives each pair of annotators’ percent "
                                    "agreement instead")),
                   column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid,
                   head_cell_new (_("Units"), TRUE,
                                  _("What was judged by two or more annotators, counted in its "
                                    "own unit: candidates, words for spans, pairs for "
                                    "comparisons")),
                   column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid,
                   head_cell_new (_("Raters"), TRUE,
                                  _("Annotators who share an item with another")),
                   column++, row, 1, 1);
  if (judge_column)
    gtk_grid_attach (self->agreement_grid,
                     head_cell_new (_("Judge vs People"), TRUE,
                                    _("Mean kappa between LLM judges and people; compare it "
                                      "with the people’s among themselves in the tooltip")),
                     column++, row, 1, 1);
  gtk_grid_attach (self->agreement_grid, head_cell_new ("", FALSE, NULL), column++, row, 1, 1);
  row++;

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
      attach_agreement_row (self, row++, i, -1, stat_title (stat), stat, &stat->result,
                            judge_column);
      /* Nobody shares an item in the set: its options would only repeat that. */
      if (stat->result.n_units == 0)
        continue;
      for (guint o = 0; stat->options != NULL && o < stat->options->len; o++)
        {
          AssayOptionAgreement *option = g_ptr_array_index (stat->options, o);
          const char *title = option_title (self->tmpl, stat->name, option->name);

          attach_agreement_row (self, row++, i, o, title, stat, &option->result, judge_column);
        }
    }
  if (report->has_rubric)
    {
      AssayAgreementStat pooled = { 0, };

      pooled.kind = ASSAY_STAT_CRITERION;
      pooled.name = (char *) "rubric";
      pooled.scale_min = report->rubric_min;
      pooled.scale_max = report->rubric_max;
      attach_agreement_row (self, row++, G_MAXUINT, -1, _("All criteria, pooled"), &pooled,
                            &report->rubric, judge_column);
    }
  grid_mark_last_row (self->agreement_grid, row - 1, column);

  {
    g_autoptr(GString) legend = g_string_new (
      _("Alpha reads as Good from 0.800 and Tentative from 0.667; below that, the "
        "instructions, options or training need work before the data is used. Kappa and alpha "
        "run low for rarely used labels even when disagreements are few: read them with the "
        "agreement and the number of items."));

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

/* ---- disagreements ---- */

static void
list_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
row_set_settled (GtkWidget *row,
                 gboolean   settled)
{
  GtkWidget *tag = g_object_get_data (G_OBJECT (row), "settled-tag");

  if (tag != NULL)
    gtk_widget_set_visible (tag, settled);
  if (settled)
    gtk_widget_add_css_class (row, "settled");
  else
    gtk_widget_remove_css_class (row, "settled");
}

static GtkWidget *
disagreement_row_new (AssayStatsWindow             *self,
                      AssayDisagreementDescription *d)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tag = gtk_label_new (_("Settled"));
  GtkWidget *measure;
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  g_autofree char *value = format_number (d->disagreement, 2, FALSE);
  g_autofree char *measure_tip = NULL;
  g_autofree char *tooltip = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), d->title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  if (d->summary != NULL && *d->summary != '\0')
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), d->summary);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), UNITS_IN_SUBTITLE + 1);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  tooltip = d->details != NULL ? g_strconcat (d->title, "\n", d->details, NULL)
                               : g_strdup (d->title);
  gtk_widget_set_tooltip_text (row, tooltip);

  gtk_widget_add_css_class (tag, "stats-tag");
  gtk_widget_add_css_class (tag, "settled");
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (tag, _("Gold judgments have been set for this item"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);

  measure = gtk_label_new (value);
  measure_tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Disagreement %s over %u difference: each counts "
                                              "from 0 (all agree) to 1 (as far apart as the "
                                              "scale allows)",
                                              "Disagreement %s over %u differences: each counts "
                                              "from 0 (all agree) to 1 (as far apart as the "
                                              "scale allows)", d->n_units),
                                 value, d->n_units);
  gtk_widget_set_tooltip_text (measure, measure_tip);
  gtk_widget_add_css_class (measure, "numeric");
  gtk_widget_add_css_class (measure, "disagreement-measure");
  gtk_widget_set_valign (measure, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), measure);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_object_set_data (G_OBJECT (row), "settled-tag", tag);
  g_object_set_data_full (G_OBJECT (row), "source-id", g_memdup2 (&d->source_id, sizeof (gint64)),
                          g_free);
  row_set_settled (row, d->settled || g_hash_table_contains (self->settled, &d->source_id));
  return row;
}

static void
update_more_button (AssayStatsWindow *self)
{
  guint left = self->items != NULL && self->items->len > self->n_requested
               ? self->items->len - self->n_requested : 0;

  gtk_widget_set_visible (self->more_button, left > 0);
}

static void
append_rows (AssayStatsWindow *self,
             GPtrArray        *rows)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      AssayDisagreementDescription *d = g_ptr_array_index (rows, i);

      if (d->settled)
        g_hash_table_add (self->settled, g_memdup2 (&d->source_id, sizeof (gint64)));
      gtk_list_box_append (self->disagree_list, disagreement_row_new (self, d));
    }
  update_more_button (self);
}

static void
update_disagreement_summary (AssayStatsWindow *self)
{
  g_autofree char *text = NULL;
  guint n = self->items != NULL ? self->items->len : 0;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u item where annotators disagree, the most disagreed-on "
                                       "first. Open one to set its gold judgments.",
                                       "%u items where annotators disagree, the most "
                                       "disagreed-on first. Open one to set its gold judgments.",
                                       n), n);
  gtk_label_set_text (self->disagree_summary, text);
}

static void
fill_filter (AssayStatsWindow *self)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autofree gboolean *disagreed = NULL;
  guint all = ALL_STATS;

  self->filling++;
  g_array_set_size (self->filter_stats, 0);
  gtk_string_list_append (strings, _("All Statistics"));
  g_array_append_val (self->filter_stats, all);
  /* Only statistics someone disagrees on: the others would list nothing. */
  disagreed = g_new0 (gboolean, MAX (1, self->report->stats->len));
  for (guint k = 0; k < self->report->items->len; k++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (self->report->items, k);

      for (guint u = 0; u < item->units->len; u++)
        {
          guint stat = g_array_index (item->units, AssayDisagreement, u).stat;

          if (stat < self->report->stats->len)
            disagreed[stat] = TRUE;
        }
    }
  for (guint i = 0; i < self->report->stats->len; i++)
    {
      if (!disagreed[i])
        continue;
      gtk_string_list_append (strings, stat_title (g_ptr_array_index (self->report->stats, i)));
      g_array_append_val (self->filter_stats, i);
    }
  gtk_drop_down_set_model (self->disagree_filter, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (self->disagree_filter, 0);
  self->filter = ALL_STATS;
  self->filling--;
}

/* Lists the items for the filter; the rows come from the worker. */
static void
select_items (AssayStatsWindow *self)
{
  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (self->filter == ALL_STATS)
    self->items = g_ptr_array_ref (self->report->items);
  else
    self->items = assay_agreement_report_list_disagreements (self->report, self->filter);
  self->n_requested = 0;
  list_clear (self->disagree_list);
  update_disagreement_summary (self);
  gtk_widget_set_visible (self->more_button, FALSE);
}

static void
build_disagreements (AssayStatsWindow *self,
                     GPtrArray        *rows)
{
  AssayAgreementReport *report = self->report;
  guint n = report->items->len;

  adw_view_stack_page_set_badge_number (self->disagreements_page, n);
  if (report->annotators->len < 2)
    {
      set_needs_two (self, self->disagree_empty);
      gtk_stack_set_visible_child_name (self->disagree_stack, "empty");
      return;
    }
  if (n == 0)
    {
      adw_status_page_set_icon_name (self->disagree_empty, "emblem-ok-symbolic");
      adw_status_page_set_title (self->disagree_empty, _("No Disagreements"));
      adw_status_page_set_description (self->disagree_empty,
                                       _("The annotators agree on every item they share."));
      gtk_stack_set_visible_child_name (self->disagree_stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->disagree_stack, "list");
  append_rows (self, rows);
}

/* ---- putting a run on screen ---- */

static void
show_results (AssayStatsWindow  *self,
              AssayStatsDetails *details)
{
  if (assay_stats_data_get_n_ratings (self->report->data) == 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      set_shown (self, FALSE);
      return;
    }

  build_progress (self, details->progress);
  build_board (self);
  build_agreement (self);
  build_disagreements (self, details->items);
  gtk_stack_set_visible_child_name (self->main_stack, "stats");
  set_shown (self, TRUE);
}

static void
on_details_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  AssayStatsWindow *self = data->self;
  g_autoptr(AssayStatsDetails) details = NULL;
  g_autoptr(GError) error = NULL;

  details = assay_stats_describe_finish (result, &error);
  if (details == NULL)
    {
      if (is_current (data))
        {
          set_busy (self, FALSE);
          show_error (self, error);
        }
      else if (data->generation == self->generation)
        set_busy (self, FALSE);
      return;
    }
  if (!is_current (data))
    return;
  set_busy (self, FALSE);

  g_clear_pointer (&self->tmpl, assay_template_unref);
  self->tmpl = g_steal_pointer (&details->tmpl);
  if (data->report != NULL)
    {
      /* A new run: its reports replace the ones on screen. */
      g_clear_pointer (&self->report, assay_agreement_report_free);
      g_clear_pointer (&self->board, assay_leaderboard_free);
      self->report = g_steal_pointer (&data->report);
      self->board = g_steal_pointer (&data->board);
      fill_filter (self);
      select_items (self);
      self->n_requested = MIN (self->page_size, self->items->len);
      show_results (self, details);
    }
  else
    append_rows (self, details->items);
}

static void
run_details (AssayStatsWindow     *self,
             RunData              *data,
             AssayAgreementReport *report,
             GPtrArray            *items,
             guint                 start,
             guint                 end)
{
  set_busy (self, TRUE);
  assay_stats_describe_async (self->path, report, items, start, end, data->with_progress,
                              self->cancellable, on_details_done, data);
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  AssayStatsWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  AssayAgreementReport *report = NULL;
  AssayLeaderboard *board = NULL;

  if (!assay_stats_compute_finish (result, &report, &board, &error))
    {
      if (is_current (data))
        {
          set_busy (self, FALSE);
          show_error (self, error);
        }
      else if (data->generation == self->generation)
        set_busy (self, FALSE);
      return;
    }
  data->report = report;
  data->board = board;
  if (!is_current (data))
    return;
  set_busy (self, FALSE);

  {
    /* The details of the first page of the list the filter will show. */
    g_autoptr(GPtrArray) items = g_ptr_array_ref (report->items);

    data->with_progress = TRUE;
    run_details (self, g_steal_pointer (&data), report, items, 0, self->page_size);
  }
}

void
assay_stats_window_refresh (AssayStatsWindow *self)
{
  AssayStatsOptions agreement, leaderboard;

  g_return_if_fail (ASSAY_IS_STATS_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->busy = 0;

  assay_stats_options_init (&agreement);
  assay_stats_options_init (&leaderboard);
  leaderboard.kinds = counted_kinds (self);

  if (!self->shown)
    gtk_stack_set_visible_child_name (self->main_stack, "computing");
  set_busy (self, TRUE);
  assay_stats_compute_async (self->path, &agreement, &leaderboard, self->cancellable,
                             on_computed, run_data_new (self, self->generation));
}

/* Details for more items of the list on screen (paging, filtering). */
static void
start_details (AssayStatsWindow *self,
               gboolean          with_progress,
               guint             generation)
{
  RunData *data;
  guint start = self->n_requested;
  guint end = MIN (start + self->page_size, self->items->len);

  if (self->report == NULL || start >= end)
    {
      update_more_button (self);
      return;
    }
  self->n_requested = end;
  data = run_data_new (self, generation);
  data->with_progress = with_progress;
  run_details (self, data, self->report, self->items, start, end);
  gtk_widget_set_visible (self->more_button, FALSE);
}

/* ---- signal handlers ---- */

static void
on_kinds_toggled (AssayStatsWindow *self,
                  GtkToggleButton  *button)
{
  /* Each click toggles two buttons of the group; act on the one turned on. */
  if (!gtk_toggle_button_get_active (button) || self->path == NULL)
    return;
  assay_stats_window_refresh (self);
}

static void
on_measure_toggled (AssayStatsWindow *self,
                    GtkToggleButton  *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  assay_leaderboard_chart_set_measure (self->chart,
                                       button == self->measure_strength
                                       ? ASSAY_LEADERBOARD_CHART_STRENGTH
                                       : ASSAY_LEADERBOARD_CHART_OVERALL);
  update_chart_title (self);
}

static void
on_filter_changed (AssayStatsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->disagree_filter);

  if (self->filling > 0 || self->report == NULL || selected >= self->filter_stats->len)
    return;
  self->filter = g_array_index (self->filter_stats, guint, selected);
  select_items (self);
  start_details (self, FALSE, self->generation);
}

static void
on_more_clicked (AssayStatsWindow *self)
{
  start_details (self, FALSE, self->generation);
}

static void
on_disagreement_activated (AssayStatsWindow *self,
                           GtkListBoxRow    *row)
{
  gint64 *source_id = g_object_get_data (G_OBJECT (row), "source-id");

  if (source_id != NULL)
    assay_stats_window_adjudicate (self, *source_id);
}

static GtkWidget *
find_row (AssayStatsWindow *self,
          gint64            source_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->disagree_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      gint64 *id = g_object_get_data (G_OBJECT (child), "source-id");

      if (id != NULL && *id == source_id)
        return child;
    }
  return NULL;
}

static void
on_gold_changed (AssayStatsWindow *self)
{
  GtkWidget *row;

  if (self->adjudicating == 0)
    return;
  g_hash_table_add (self->settled, g_memdup2 (&self->adjudicating, sizeof (gint64)));
  row = find_row (self, self->adjudicating);
  if (row != NULL)
    row_set_settled (row, TRUE);
  self->gold_changed = TRUE;
}

static void
on_leaflet_page_changed (AssayStatsWindow *self)
{
  GtkWidget *row;

  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "stats") != 0)
    return;
  /* Back from the adjudication view, at the row the lead came from. */
  row = self->adjudicating != 0 ? find_row (self, self->adjudicating) : NULL;
  if (row != NULL)
    gtk_widget_grab_focus (row);
  /* Gold counts in the leaderboard only when "All" is chosen. */
  if (self->gold_changed && (counted_kinds (self) & ASSAY_STATS_ADJUDICATORS) != 0)
    assay_stats_window_refresh (self);
  self->gold_changed = FALSE;
}

static gboolean
assay_stats_window_real_adjudicate (AssayStatsWindow *self,
                                    gint64            source_id)
{
  g_autoptr(GError) error = NULL;

  if (self->adjudication == NULL)
    {
      self->adjudication = assay_adjudication_view_new (self->project, self->lead_id,
                                                        self->lead_name);
      gtk_widget_set_vexpand (self->adjudication, TRUE);
      g_signal_connect_object (self->adjudication, "changed", G_CALLBACK (on_gold_changed), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->adjudicate_box, self->adjudication);
    }

  if (!assay_adjudication_view_set_source (ASSAY_ADJUDICATION_VIEW (self->adjudication),
                                           source_id, &error))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
      return TRUE;
    }

  /* The view names the item itself; the header says where the lead is. */
  self->adjudicating = source_id;
  adw_leaflet_set_visible_child_name (self->leaflet, "adjudicate");
  return TRUE;
}

void
assay_stats_window_adjudicate (AssayStatsWindow *self,
                               gint64            source_id)
{
  gboolean handled = FALSE;

  g_return_if_fail (ASSAY_IS_STATS_WINDOW (self));
  g_return_if_fail (source_id > 0);

  g_signal_emit (self, signals[SIGNAL_ADJUDICATE], 0, source_id, &handled);
}

/* ---- actions ---- */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  assay_stats_window_refresh (ASSAY_STATS_WINDOW (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "stats");
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    return;
  adw_leaflet_set_visible_child_name (self->leaflet, "stats");
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
adjudicate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gint64 source_id = g_variant_get_int64 (parameter);

  if (source_id > 0)
    assay_stats_window_adjudicate (ASSAY_STATS_WINDOW (widget), source_id);
}

/* ---- private, for the tests ---- */

gboolean
_assay_stats_window_get_busy (AssayStatsWindow *self)
{
  return self->busy > 0;
}

const char *
_assay_stats_window_get_page (AssayStatsWindow *self)
{
  const char *main_page;

  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "adjudicate") == 0)
    return "adjudicate";
  main_page = gtk_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (main_page, "stats") != 0)
    return main_page;
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
_assay_stats_window_get_chart (AssayStatsWindow *self)
{
  return GTK_WIDGET (self->chart);
}

GtkWidget *
_assay_stats_window_get_adjudication (AssayStatsWindow *self)
{
  return self->adjudication;
}

GtkListBox *
_assay_stats_window_get_disagreement_list (AssayStatsWindow *self)
{
  return self->disagree_list;
}

void
_assay_stats_window_set_page_size (AssayStatsWindow *self,
                                   guint             page_size)
{
  self->page_size = MAX (1, page_size);
}

/* ---- GObject ---- */

GtkWindow *
assay_stats_window_new (GtkWindow    *parent,
                        AssayProject *project,
                        const char   *lead_id,
                        const char   *lead_name)
{
  AssayStatsWindow *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_STATS_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "modal", FALSE,
                       NULL);
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->project = g_object_ref (project);
  self->path = g_strdup (assay_project_get_path (project));
  self->lead_id = g_strdup (lead_id);
  self->lead_name = g_strdup (lead_name);

  name = assay_project_dup_name (project);
  adw_view_switcher_title_set_subtitle (self->switcher_title, name);

  assay_stats_window_refresh (self);
  return GTK_WINDOW (self);
}

static gboolean
assay_stats_window_close_request (GtkWindow *window)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (window);

  /* The workers stop at their next check; their results are dropped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (GTK_WINDOW_CLASS (assay_stats_window_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (assay_stats_window_parent_class)->close_request (window);
  return FALSE;
}

static void
assay_stats_window_dispose (GObject *object)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (object);

  /* Results still on their way are for a window that is gone. */
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_STATS_WINDOW);
  g_clear_object (&self->project);
  g_clear_pointer (&self->report, assay_agreement_report_free);
  g_clear_pointer (&self->board, assay_leaderboard_free);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (assay_stats_window_parent_class)->dispose (object);
}

static void
assay_stats_window_finalize (GObject *object)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (object);

  g_free (self->path);
  g_free (self->lead_id);
  g_free (self->lead_name);
  g_ptr_array_unref (self->progress_rows);
  g_array_unref (self->filter_stats);
  g_hash_table_unref (self->settled);

  G_OBJECT_CLASS (assay_stats_window_parent_class)->finalize (object);
}

static void
assay_stats_window_class_init (AssayStatsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = assay_stats_window_dispose;
  object_class->finalize = assay_stats_window_finalize;
  window_class->close_request = assay_stats_window_close_request;

  /**
   * AssayStatsWindow::adjudicate:
   * @source_id: the source's row id
   *
   * The lead asked to settle a source's disagreements. Return TRUE to
   * handle it; by default the window shows its adjudication view.
   */
  signals[SIGNAL_ADJUDICATE] =
    g_signal_new_class_handler ("adjudicate",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (assay_stats_window_real_adjudicate),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_INT64);

  g_type_ensure (ASSAY_TYPE_LEADERBOARD_CHART);
  g_type_ensure (ASSAY_TYPE_STATS_MODEL_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-stats-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, computing_spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, agreement_page);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagreements_page);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, progress_group);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, kinds_people);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, kinds_models);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, kinds_all);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, board_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, board_view);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, board_store);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, rank_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, overall_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, strength_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, win_rate_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, chart_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, measure_overall);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, measure_strength);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, board_note);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, board_empty);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, measures_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, measures_card);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, measures_grid);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, agreement_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, agreement_empty);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, raters_box);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, agreement_grid);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, agreement_legend);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, ranking_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, ranking_card);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, ranking_grid);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagree_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagree_empty);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagree_summary);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagree_filter);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagree_list);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, more_button);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, adjudicate_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, adjudicate_box);
  gtk_widget_class_bind_template_callback (widget_class, on_kinds_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_measure_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_disagreement_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_page_changed);

  gtk_widget_class_install_action (widget_class, "stats.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "stats.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "stats.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "stats.adjudicate", "x", adjudicate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "stats.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "stats.page", "s", "overview");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "stats.page", "s", "agreement");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "stats.page", "s", "disagreements");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
assay_stats_window_init (AssayStatsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->progress_rows = g_ptr_array_new ();
  self->filter_stats = g_array_new (FALSE, FALSE, sizeof (guint));
  self->filter = ALL_STATS;
  self->page_size = PAGE_SIZE;
  set_shown (self, FALSE);
  self->settled = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "stats-window");
  update_chart_title (self);
}
