/* assay-stats-overview-page.c: progress and the model leaderboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The leaderboard is a GtkColumnView declared in the template, its rows
 * AssayStatsModelRow objects and its sorters on their properties: it opens
 * in the core's order with the arrow on the column that gives it, and any
 * heading sorts by its column. Names from imported files go into plain
 * labels.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "assay-leaderboard-chart.h"
#include "assay-stats-overview-page.h"
#include "assay-stats-page-private.h"
#include "assay-stats-rows.h"

struct _AssayStatsOverviewPage
{
  GtkWidget              parent_instance;

  AdwPreferencesGroup   *progress_group;
  GtkToggleButton       *kinds_people;
  GtkToggleButton       *kinds_models;
  GtkToggleButton       *kinds_all;
  GtkStack              *board_stack;
  GtkColumnView         *board_view;
  GListStore            *board_store;
  GtkColumnViewColumn   *overall_column;
  GtkColumnViewColumn   *strength_column;
  GtkColumnViewColumn   *win_rate_column;
  AssayLeaderboardChart *chart;
  GtkLabel              *chart_title;
  GtkToggleButton       *measure_overall;
  GtkToggleButton       *measure_strength;
  GtkLabel              *board_note;
  AdwStatusPage         *board_empty;
  AdwPreferencesGroup   *separation_group;
  GtkWidget             *measures_title;
  GtkWidget             *measures_card;
  GtkGrid               *measures_grid;

  AssayStatsKinds        kinds;
  AssayLeaderboard      *board;
  AssayTemplate         *tmpl;
  GPtrArray             *progress_rows;  /* the AdwActionRows in progress_group */
  GPtrArray             *separation_rows; /* the AdwActionRows in separation_group */
};

G_DEFINE_FINAL_TYPE (AssayStatsOverviewPage, assay_stats_overview_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_KINDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
build_progress (AssayStatsOverviewPage *self,
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
      const char *tag = _assay_stats_kind_tag (p->kind);
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

/* One row per pair of neighbours: the core's sentence, and the verdict as
 * a tag. */
static void
build_separation (AssayStatsOverviewPage *self,
                  AssayLeaderboard       *board)
{
  for (guint i = 0; i < self->separation_rows->len; i++)
    adw_preferences_group_remove (self->separation_group,
                                  g_ptr_array_index (self->separation_rows, i));
  g_ptr_array_set_size (self->separation_rows, 0);

  for (guint i = 0; board != NULL && board->separations != NULL &&
                    i < board->separations->len; i++)
    {
      const AssayModelSeparation *pair = &g_array_index (board->separations,
                                                         AssayModelSeparation, i);
      AssayModelStanding *better = g_ptr_array_index (board->models, pair->better);
      AssayModelStanding *worse = g_ptr_array_index (board->models, pair->worse);
      g_autofree char *sentence = assay_leaderboard_describe_separation (board, i);
      /* TRANSLATORS: two models next to each other in the ranking */
      g_autofree char *title = g_strdup_printf (_("%s – %s"), better->model, worse->model);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *tag = gtk_label_new (assay_separation_verdict_get_label (
                                        pair->separation.verdict));

      /* Model names come from imported files: plain text. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sentence);
      gtk_widget_add_css_class (tag, "stats-tag");
      if (pair->separation.verdict == ASSAY_SEPARATION_SEPARATED)
        gtk_widget_add_css_class (tag, "settled");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      adw_preferences_group_add (self->separation_group, row);
      g_ptr_array_add (self->separation_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->separation_group), self->separation_rows->len > 0);
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
metric_title (AssayStatsOverviewPage *self,
              AssayMetricInfo  *info)
{
  switch (info->kind)
    {
    case ASSAY_METRIC_SCORE:
      /* Translators: CRITERION (MIN–MAX), "Faithfulness (1–5)" */
      return g_strdup_printf (_("%s (%d–%d)"),
                              _assay_stats_criterion_title (self->tmpl, info->set),
                              info->scale_min, info->scale_max);
    case ASSAY_METRIC_LABEL_RATE:
    case ASSAY_METRIC_SPAN_SHARE:
    case ASSAY_METRIC_SPAN_RATE:
      return g_strdup (_assay_stats_option_title (self->tmpl, info->set, info->option));
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
metric_group (AssayStatsOverviewPage *self,
              AssayMetricInfo  *info)
{
  switch (info->kind)
    {
    case ASSAY_METRIC_SCORE:
      return g_strdup (_("Rubric means"));
    case ASSAY_METRIC_LABEL_RATE:
      /* Translators: a label set, "Verdict: share of raters choosing" */
      return g_strdup_printf (_("%s: share of raters choosing"),
                              _assay_stats_set_title (self->tmpl, info->set));
    case ASSAY_METRIC_SPAN_SHARE:
      /* Translators: a span label set, "Claim support: share of spans" */
      return g_strdup_printf (_("%s: share of spans"),
                              _assay_stats_set_title (self->tmpl, info->set));
    case ASSAY_METRIC_SPAN_RATE:
      /* Translators: a span label set, "Claim support: spans per summary" */
      return g_strdup_printf (_("%s: spans per summary and rater"),
                              _assay_stats_set_title (self->tmpl, info->set));
    case ASSAY_METRIC_EDIT_DISTANCE:
    case ASSAY_METRIC_EDIT_RATE:
    default:
      return g_strdup (_("Corrections"));
    }
}

static void
build_measures (AssayStatsOverviewPage *self)
{
  AssayLeaderboard *board = self->board;
  g_autofree char *group = NULL;
  int row = 0;
  guint n = board->models->len;

  _assay_stats_grid_clear (self->measures_grid);
  gtk_grid_attach (self->measures_grid,
                   _assay_stats_lead (_assay_stats_head_cell_new (_("Measure"), FALSE, NULL)),
                   0, row,
                   1, 1);
  for (guint i = 0; i < n; i++)
    {
      AssayModelStanding *m = g_ptr_array_index (board->models, i);
      GtkWidget *head = _assay_stats_head_cell_new (m->model, TRUE, m->model);

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
      AssayStatsStyle style = info->kind == ASSAY_METRIC_LABEL_RATE ||
                    info->kind == ASSAY_METRIC_SPAN_SHARE ||
                    info->kind == ASSAY_METRIC_EDIT_RATE
                    ? ASSAY_STATS_AS_PERCENT : ASSAY_STATS_AS_NUMBER;
      gboolean any = FALSE;

      for (guint i = 0; i < n && !any; i++)
        any = !isnan (((AssayModelStanding *) g_ptr_array_index (board->models, i))
                        ->metrics[k].value);
      /* A measure nobody has data for is noise in the table. */
      if (!any)
        continue;

      if (g_strcmp0 (group, this_group) != 0)
        {
          GtkWidget *head = _assay_stats_lead (_assay_stats_cell_new (this_group, FALSE, FALSE,
                                                                      NULL));

          gtk_widget_add_css_class (head, "stats-group");
          gtk_grid_attach (self->measures_grid, head, 0, row++, 1 + n, 1);
          g_free (group);
          group = g_steal_pointer (&this_group);
        }

      {
        GtkWidget *name = _assay_stats_name_cell_new (title);

        gtk_widget_add_css_class (name, "indent");
        gtk_grid_attach (self->measures_grid, name, 0, row, 1, 1);
      }
      for (guint i = 0; i < n; i++)
        {
          AssayModelStanding *m = g_ptr_array_index (board->models, i);
          const AssayEstimate *e = &m->metrics[k];
          g_autofree char *markup = _assay_stats_estimate_markup (e, 0.0, 1.0, style, TRUE);
          const char *why = isnan (e->value) ? _("No data from the counted annotators") : NULL;
          GtkWidget *cell = _assay_stats_cell_new (markup, TRUE, TRUE, why);

          gtk_label_set_justify (GTK_LABEL (cell), GTK_JUSTIFY_RIGHT);
          gtk_grid_attach (self->measures_grid, cell, 1 + i, row, 1, 1);
        }
      row++;
    }
  _assay_stats_grid_mark_last_row (self->measures_grid, row - 1, 1 + n);
  gtk_widget_set_visible (self->measures_title, row > 1);
  gtk_widget_set_visible (self->measures_card, row > 1);
}

static void
update_chart_title (AssayStatsOverviewPage *self)
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
on_count_models_clicked (AssayStatsOverviewPage *self)
{
  gtk_toggle_button_set_active (self->kinds_all, TRUE);
}

static void
build_board (AssayStatsOverviewPage *self)
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
      AssayStatsKinds kinds = self->kinds;
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
      build_separation (self, NULL);
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
      g_autofree char *overall = _assay_stats_estimate_markup (&m->overall, lo, span,
                                                               ASSAY_STATS_AS_NUMBER, FALSE);
      g_autofree char *strength = _assay_stats_estimate_markup (&m->strength, 0.0, 1.0,
                                                                ASSAY_STATS_AS_SIGNED, FALSE);
      g_autofree char *win = _assay_stats_format_percent (m->win_rate.value);
      g_autofree char *overall_tip = NULL;
      g_autofree char *strength_tip = NULL;
      g_autoptr(AssayStatsModelRow) row = NULL;
      AssayStatsModelRowData data = { 0, };

      if (isnan (m->overall.value))
        overall_tip = g_strdup (_("No rubric scores for this model from the counted annotators"));
      else if (m->overall.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
        overall_tip = _assay_stats_too_few_sources_tip (m->overall.n_sources);
      if (!board->bt_exists)
        strength_tip = g_strdup (_("No maximum-likelihood strength: a group of models never lost "
                                   "to the others"));
      else if (isnan (m->strength.value))
        strength_tip = g_strdup (_("No rankings or comparisons involve this model"));
      else if (m->strength.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
        strength_tip = _assay_stats_too_few_sources_tip (m->strength.n_sources);
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

  build_separation (self, board);
  build_measures (self);
}


static void
on_measure_toggled (AssayStatsOverviewPage *self,
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
on_kinds_toggled (AssayStatsOverviewPage *self,
                  GtkToggleButton        *button)
{
  AssayStatsKinds kinds;

  /* Each click toggles two buttons of the group; act on the one turned on. */
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->kinds_models)
    kinds = ASSAY_STATS_MODELS;
  else if (button == self->kinds_all)
    kinds = ASSAY_STATS_ALL_KINDS;
  else
    kinds = ASSAY_STATS_PERSONS;
  if (kinds == self->kinds)
    return;
  self->kinds = kinds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KINDS]);
}

void
assay_stats_overview_page_set_progress (AssayStatsOverviewPage *self,
                                        GPtrArray              *progress)
{
  g_return_if_fail (ASSAY_IS_STATS_OVERVIEW_PAGE (self));

  build_progress (self, progress);
}

void
assay_stats_overview_page_set_leaderboard (AssayStatsOverviewPage *self,
                                           AssayLeaderboard       *board,
                                           AssayTemplate          *tmpl)
{
  g_return_if_fail (ASSAY_IS_STATS_OVERVIEW_PAGE (self));
  g_return_if_fail (board != NULL);

  if (tmpl != NULL)
    assay_template_ref (tmpl);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  self->tmpl = tmpl;
  /* The chart keeps no pointer to the old board once given the new one. */
  assay_leaderboard_chart_set_leaderboard (self->chart, NULL);
  g_clear_pointer (&self->board, assay_leaderboard_free);
  self->board = board;
  build_board (self);
}

AssayStatsKinds
assay_stats_overview_page_get_kinds (AssayStatsOverviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_OVERVIEW_PAGE (self), ASSAY_STATS_PERSONS);

  return self->kinds;
}

GtkWidget *
assay_stats_overview_page_get_chart (AssayStatsOverviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_OVERVIEW_PAGE (self), NULL);

  return GTK_WIDGET (self->chart);
}

static void
assay_stats_overview_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AssayStatsOverviewPage *self = ASSAY_STATS_OVERVIEW_PAGE (object);

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
assay_stats_overview_page_dispose (GObject *object)
{
  AssayStatsOverviewPage *self = ASSAY_STATS_OVERVIEW_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_STATS_OVERVIEW_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->board, assay_leaderboard_free);
  g_clear_pointer (&self->tmpl, assay_template_unref);

  G_OBJECT_CLASS (assay_stats_overview_page_parent_class)->dispose (object);
}

static void
assay_stats_overview_page_finalize (GObject *object)
{
  AssayStatsOverviewPage *self = ASSAY_STATS_OVERVIEW_PAGE (object);

  g_ptr_array_unref (self->progress_rows);
  g_ptr_array_unref (self->separation_rows);

  G_OBJECT_CLASS (assay_stats_overview_page_parent_class)->finalize (object);
}

static void
assay_stats_overview_page_class_init (AssayStatsOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = assay_stats_overview_page_get_property;
  object_class->dispose = assay_stats_overview_page_dispose;
  object_class->finalize = assay_stats_overview_page_finalize;

  /**
   * AssayStatsOverviewPage:kinds:
   *
   * Whose judgments the leaderboard counts (AssayStatsKinds), as the
   * People / LLM Judges / All buttons say; the window computes again when
   * it changes.
   */
  properties[PROP_KINDS] =
    g_param_spec_uint ("kinds", NULL, NULL, 0, G_MAXUINT, ASSAY_STATS_PERSONS,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_LEADERBOARD_CHART);
  g_type_ensure (ASSAY_TYPE_STATS_MODEL_ROW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-stats-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, separation_group);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, kinds_people);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, kinds_models);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, kinds_all);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, board_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, board_view);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, board_store);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, overall_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, strength_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, win_rate_column);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, chart);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, chart_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, measure_overall);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, measure_strength);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, board_note);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, board_empty);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, measures_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, measures_card);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsOverviewPage, measures_grid);
  gtk_widget_class_bind_template_callback (widget_class, on_kinds_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_measure_toggled);
}

static void
assay_stats_overview_page_init (AssayStatsOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->kinds = ASSAY_STATS_PERSONS;
  self->progress_rows = g_ptr_array_new ();
  self->separation_rows = g_ptr_array_new ();
  update_chart_title (self);
}
