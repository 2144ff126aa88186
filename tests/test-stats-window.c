/* test-stats-window.c: progress, leaderboard, agreement and disagreements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture is the demo project (whose LLM judge, Lumen Judge, judged two
 * sources) with two experts added through the core: they score every
 * summary, give verdicts, rank, compare and mark a claim, agreeing mostly
 * and disagreeing on purpose in a few places. What the window shows is
 * checked against the core's own reports, computed directly with the same
 * options, and formatted as the window promises to.
 */
#include "config.h"

#include <math.h>

#include "assay-adjudication-view.h"
#include "assay-leaderboard-chart.h"
#include "assay-stats-judges-page.h"
#include "assay-stats-page-private.h"
#include "assay-stats-window.h"
#include "assay-stats-window-private.h"
#include "assay-test-ui.h"

typedef struct
{
  char          *path;
  AssayProject  *project;
  GtkWindow     *window;
} Fixture;

static const char *sources[] = {
  "podcast-small-margins-84", "consult-2291", "support-call-7731",
  "earnings-halden-q3-fy26", "investigation-interview-0312", "lecture-opm2140-07",
};

/* How good each model is, on the 1-5 rubric, in this fixture. */
static int
quality (const char *model)
{
  if (g_str_equal (model, "scribe-xl"))
    return 5;
  if (g_str_equal (model, "atlas-7b"))
    return 4;
  if (g_str_equal (model, "quill-mini"))
    return 3;
  return 2;
}

static gint64
option_id (AssayTemplate *tmpl,
           const char    *set,
           const char    *option)
{
  AssayLabelOption *o = assay_template_find_option (tmpl, set, option, ASSAY_SCOPE_CANDIDATE,
                                                    NULL, NULL);

  if (o == NULL)
    o = assay_template_find_option (tmpl, set, option, ASSAY_SCOPE_SPAN, NULL, NULL);
  g_assert_nonnull (o);
  return o->id;
}

static void
score (AssayProject  *project,
       AssayTemplate *tmpl,
       gint64         candidate,
       gint64         annotator,
       const char    *criterion,
       int            value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_set_score (project, candidate, annotator,
                                          assay_template_find_criterion (tmpl, criterion)->id,
                                          CLAMP (value, 1, 5), NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
verdict (AssayProject  *project,
         AssayTemplate *tmpl,
         gint64         candidate,
         gint64         annotator,
         gboolean       accept)
{
  g_autoptr(GError) error = NULL;
  gint64 id = option_id (tmpl, "verdict", accept ? "accept" : "reject");

  g_assert_true (assay_project_set_labels (project, candidate, annotator,
                                           assay_template_find_label_set (tmpl, "verdict")->id,
                                           &id, 1, NULL, &error));
  g_assert_no_error (error);
}

/* Ann and Bob judge every source; Bob is a point harsher on some
 * summaries, and they part ways on purpose on consult-2291/c1. */
static void
add_experts (AssayProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, &error);
  gint64 ann, bob;

  g_assert_no_error (error);
  g_assert_true (assay_project_ensure_annotator (project, "ann", "Ann Park",
                                                 ASSAY_ANNOTATOR_PERSON, &ann, &error));
  g_assert_true (assay_project_ensure_annotator (project, "bob", "Bob Lindqvist",
                                                 ASSAY_ANNOTATOR_PERSON, &bob, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_begin (project, &error));

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      gint64 source = assay_project_lookup_source (project, sources[s]);
      g_autoptr(AssayItem) item = assay_project_load_item (project, source, ann, &error);
      g_autofree gint64 *ids = NULL;
      g_autofree int *ann_ranks = NULL;
      g_autofree int *bob_ranks = NULL;
      guint n;

      g_assert_no_error (error);
      n = item->candidates->len;
      ids = g_new (gint64, n);
      ann_ranks = g_new (int, n);
      bob_ranks = g_new (int, n);

      for (guint c = 0; c < n; c++)
        {
          AssayItemCandidate *cand = g_ptr_array_index (item->candidates, c);
          int q = quality (cand->model);
          int harsh = (s + c) % 4 == 0 ? 1 : 0;

          score (project, tmpl, cand->id, ann, "faithfulness", q);
          score (project, tmpl, cand->id, ann, "coverage", q - (s % 2));
          score (project, tmpl, cand->id, ann, "concision", q);
          score (project, tmpl, cand->id, ann, "clarity", 4);
          score (project, tmpl, cand->id, bob, "faithfulness", q - harsh);
          score (project, tmpl, cand->id, bob, "coverage", q - (s % 2) - (s == 3 && c == 0));
          score (project, tmpl, cand->id, bob, "clarity", 3 + (q > 3));
          verdict (project, tmpl, cand->id, ann, q >= 4);
          verdict (project, tmpl, cand->id, bob, q >= 3);

          ids[c] = cand->id;
          ann_ranks[c] = 6 - q;
          bob_ranks[c] = 6 - q + (q <= 3 ? s % 2 : 0);
        }
      g_assert_true (assay_project_set_ranking (project, source, ann, ids, ann_ranks, n, NULL,
                                                &error));
      g_assert_true (assay_project_set_ranking (project, source, bob, ids, bob_ranks, n, NULL,
                                                &error));
      g_assert_no_error (error);
      g_assert_true (assay_project_set_status (project, source, ann, ASSAY_STATUS_DONE, NULL,
                                               &error));
      if (s < 3)
        g_assert_true (assay_project_set_status (project, source, bob, ASSAY_STATUS_DONE, NULL,
                                                 &error));
      g_assert_no_error (error);

      if (s == 1)
        {
          /* consult-2291: c1 (quill-mini) is where they part ways, and they
           * read the first words of c2 differently. */
          AssayItemCandidate *c1 = g_ptr_array_index (item->candidates, 0);
          AssayItemCandidate *c2 = g_ptr_array_index (item->candidates, 1);
          const char *space = strchr (c2->text + 12, ' ');
          gint64 end = g_utf8_pointer_to_offset (c2->text, space);

          score (project, tmpl, c1->id, ann, "faithfulness", 1);
          score (project, tmpl, c1->id, bob, "faithfulness", 5);
          g_assert_true (assay_project_save_span (project, 0, c2->id, ann, 0, end,
                                                  option_id (tmpl, "claims", "supported"), NULL,
                                                  NULL, 0, NULL, NULL, &error));
          g_assert_true (assay_project_save_span (project, 0, c2->id, bob, 0, end,
                                                  option_id (tmpl, "claims", "unsupported"),
                                                  NULL, NULL, 0, NULL, NULL, &error));
          g_assert_true (assay_project_set_comparison (project, source, ann, c1->id, c2->id,
                                                       ASSAY_WINNER_B, NULL, NULL, &error));
          g_assert_true (assay_project_set_comparison (project, source, bob, c1->id, c2->id,
                                                       ASSAY_WINNER_A, NULL, NULL, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_true (assay_project_commit (project, &error));
  g_assert_no_error (error);
}

static void
open_window (Fixture *f,
             int      width,
             int      height)
{
  f->window = assay_stats_window_new (NULL, f->project, "lead", "Lee Eval");
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_present (f->window);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->path = assay_test_copy_demo ();
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  if (data == NULL || g_strcmp0 (data, "blind") == 0)
    add_experts (f->project);
  if (g_strcmp0 (data, "blind") == 0)
    {
      g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, &error);

      g_assert_no_error (error);
      tmpl->blind = TRUE;
      g_assert_true (assay_project_store_template (f->project, tmpl, &error));
      g_assert_no_error (error);
    }
}

/* Nothing but the window itself holds it: the workers of the core have let
 * go of it. */
static gboolean
only_ref (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    {
      GtkWindow *window = g_object_ref (f->window);

      gtk_window_destroy (window);
      /* a run cancelled on closing may still hold it a moment */
      g_assert_true (assay_test_wait_for (only_ref, window, 5000));
      g_assert_finalize_object (window);
      f->window = NULL;
    }
  assay_test_iterate (50);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_clear_object (&f->project);
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

static gboolean
computed (gpointer data)
{
  AssayStatsWindow *window = data;

  return !_assay_stats_window_get_busy (window) &&
         g_strcmp0 (_assay_stats_window_get_page (window), "computing") != 0;
}

static void
wait_computed (Fixture *f)
{
  g_assert_true (assay_test_wait_for (computed, f->window, 20000));
  assay_test_iterate (100);
}

static void
show_page (Fixture    *f,
           const char *page)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "stats.page", "s", page));
  assay_test_iterate (100);
  g_assert_cmpstr (_assay_stats_window_get_page (ASSAY_STATS_WINDOW (f->window)), ==, page);
}

/* The reports as the window asks for them (agreement by default; the
 * leaderboard of the given kinds). */
static AssayAgreementReport *
agreement_report_of (Fixture         *f,
                     AssayStatsKinds  kinds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  AssayStatsOptions options;
  AssayAgreementReport *report;

  g_assert_no_error (error);
  assay_stats_options_init (&options);
  options.kinds = kinds;
  report = assay_stats_compute_agreement (data, &options, NULL, &error);
  g_assert_no_error (error);
  return report;
}

static AssayAgreementReport *
agreement_report (Fixture *f)
{
  return agreement_report_of (f, 0);
}

static AssayLeaderboard *
leaderboard (Fixture         *f,
             AssayStatsKinds  kinds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  AssayStatsOptions options;
  AssayLeaderboard *board;

  g_assert_no_error (error);
  assay_stats_options_init (&options);
  options.kinds = kinds;
  board = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_no_error (error);
  return board;
}

static GtkWidget *
get_labelled (GtkWidget  *root,
              const char *text)
{
  GtkWidget *widget = assay_test_find_labelled (root, text);

  if (widget == NULL)
    g_error ("No widget labelled “%s”", text);
  return widget;
}

/* A label whose text contains `needle`. */
static GtkWidget *
find_containing (GtkWidget  *root,
                 const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_containing (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The same among the widgets on screen: other pages (the Judges page
 * names the judges) do not count. */
static GtkWidget *
find_shown_containing (GtkWidget  *root,
                       const char *needle)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_containing (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A column view's cell widget holding `widget` (its row's child), or NULL. */
static GtkWidget *
column_view_cell (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (g_str_equal (G_OBJECT_TYPE_NAME (w), "GtkColumnViewCell"))
      return w;
  return NULL;
}

/* The cell `columns` to the right of a label in the same table row: a
 * GtkGrid's, or a GtkColumnView's (the row's cells are its children, in
 * column order, each holding the widget its factory made). */
static GtkWidget *
cell_beside (GtkWidget *label,
             int        columns)
{
  GtkWidget *grid = gtk_widget_get_parent (label);
  GtkWidget *cell = column_view_cell (label);
  int column, row;

  if (cell != NULL)
    {
      for (; cell != NULL && columns > 0; columns--)
        {
          cell = gtk_widget_get_next_sibling (cell);
          while (cell != NULL && !gtk_widget_get_visible (cell))
            cell = gtk_widget_get_next_sibling (cell);
        }
      for (; cell != NULL && columns < 0; columns++)
        cell = gtk_widget_get_prev_sibling (cell);
      g_assert_nonnull (cell);
      return gtk_widget_get_first_child (cell);
    }
  g_assert_true (GTK_IS_GRID (grid));
  gtk_grid_query_child (GTK_GRID (grid), label, &column, &row, NULL, NULL);
  return gtk_grid_get_child_at (GTK_GRID (grid), column + columns, row);
}

/* The labels of a column view's column, top to bottom as shown. */
static GPtrArray *
column_texts (GtkColumnView *view,
              guint          column)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *list = NULL;

  /* the list of rows is the child after the header */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      list = child;
  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *cell = gtk_widget_get_first_child (row);

      for (guint c = 0; cell != NULL && c < column; c++)
        cell = gtk_widget_get_next_sibling (cell);
      if (cell != NULL && gtk_widget_get_first_child (cell) != NULL &&
          GTK_IS_LABEL (gtk_widget_get_first_child (cell)))
        g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (
          gtk_widget_get_first_child (cell)))));
    }
  return texts;
}

static const char *
text_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  /* a box holding a label (the band pill) */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      return gtk_label_get_text (GTK_LABEL (child));
  return NULL;
}

static char *
overall_text (AssayLeaderboard *board,
              guint             index)
{
  AssayModelStanding *m = g_ptr_array_index (board->models, index);
  double lo, hi;

  /* Every demo criterion is on 1-5: the overall is shown on that scale. */
  g_assert_true (assay_leaderboard_chart_get_overall_scale (board, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 1.0);
  g_assert_cmpfloat (hi, ==, 5.0);
  /* Too few sources: the value, and that there is too little data. */
  if (m->overall.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
    {
      g_assert_true (isnan (m->overall.low));
      return g_strdup_printf ("%.2f [too few sources]", lo + m->overall.value * (hi - lo));
    }
  return g_strdup_printf ("%.2f [%.2f, %.2f]", lo + m->overall.value * (hi - lo),
                          lo + m->overall.low * (hi - lo), lo + m->overall.high * (hi - lo));
}

/* ---- the overview ---- */

static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(AssayLeaderboard) board = leaderboard (f, ASSAY_STATS_PERSONS);
  AssayModelStanding *first = g_ptr_array_index (board->models, 0);
  g_autofree char *ci = overall_text (board, 0);
  GtkWidget *window, *model, *rank, *overall, *row;
  GtkWindow *parent;

  g_assert_cmpuint (board->models->len, ==, 4);
  /* The fixture is built so that scribe-xl leads the experts' board. */
  g_assert_cmpstr (first->model, ==, "scribe-xl");

  parent = GTK_WINDOW (gtk_window_new ());
  f->window = assay_stats_window_new (parent, f->project, "lead", "Lee Eval");
  gtk_window_set_default_size (f->window, 1000, 720);
  gtk_window_present (f->window);
  window = GTK_WIDGET (f->window);
  /* Computing happens off the main thread: the spinner page first. */
  g_assert_true (_assay_stats_window_get_busy (ASSAY_STATS_WINDOW (f->window)));
  g_assert_cmpstr (_assay_stats_window_get_page (ASSAY_STATS_WINDOW (f->window)), ==,
                   "computing");
  wait_computed (f);
  g_assert_cmpstr (_assay_stats_window_get_page (ASSAY_STATS_WINDOW (f->window)), ==,
                   "overview");
  /* Beside the main window, not blocking it. */
  g_assert_true (gtk_window_get_transient_for (f->window) == parent);
  g_assert_false (gtk_window_get_modal (f->window));

  /* The leaderboard's first row: rank 1, the model, its overall with CI. */
  model = get_labelled (window, first->model);
  rank = cell_beside (model, -1);
  overall = cell_beside (model, 1);
  g_assert_cmpstr (text_of (rank), ==, "1");
  g_assert_cmpstr (text_of (overall), ==, ci);
  g_test_message ("first model %s, overall %s", first->model, ci);
  g_assert_true (gtk_widget_get_mapped (overall));

  /* The last model too, in its place. */
  {
    AssayModelStanding *last = g_ptr_array_index (board->models, board->models->len - 1);
    g_autofree char *last_ci = overall_text (board, board->models->len - 1);
    g_autofree char *last_rank = g_strdup_printf ("%u", last->rank);
    GtkWidget *last_model = get_labelled (window, last->model);

    g_assert_cmpstr (text_of (cell_beside (last_model, 1)), ==, last_ci);
    g_assert_cmpstr (text_of (cell_beside (last_model, -1)), ==, last_rank);
  }

  /* Progress: Ann has done all six items, Bob three; the judge is marked. */
  row = get_labelled (window, "Ann Park");
  g_assert_nonnull (get_labelled (row, "6 / 6"));
  row = get_labelled (window, "Bob Lindqvist");
  g_assert_nonnull (get_labelled (row, "3 / 6"));
  /* The judge's statuses are proposals, not progress: no row for it. */
  g_assert_null (assay_test_find_labelled (window, "Lumen Judge"));
  g_assert_null (assay_test_find_labelled (get_labelled (window, "Ann Park"), "LLM judge"));

  /* Each pair of neighbours: the core's sentence and the verdict. */
  g_assert_cmpuint (board->separations->len, ==, board->models->len - 1);
  for (guint i = 0; i < board->separations->len; i++)
    {
      const AssayModelSeparation *pair = &g_array_index (board->separations,
                                                         AssayModelSeparation, i);
      g_autofree char *sentence = assay_leaderboard_describe_separation (board, i);
      AssayModelStanding *better = g_ptr_array_index (board->models, pair->better);
      AssayModelStanding *worse = g_ptr_array_index (board->models, pair->worse);
      g_autofree char *title = g_strdup_printf ("%s – %s", better->model, worse->model);

      g_test_message ("%s: %s", title, sentence);
      row = get_labelled (window, title);
      while (row != NULL && !ADW_IS_ACTION_ROW (row))
        row = gtk_widget_get_parent (row);
      g_assert_nonnull (row);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, sentence);
      g_assert_nonnull (get_labelled (row,
                                      assay_separation_verdict_get_label (
                                        pair->separation.verdict)));
    }

  /* The seed is on screen, for reproducibility. */
  g_assert_nonnull (find_containing (window, "bootstrap resamples of the sources, seed 0"));

  /* It goes when the main window goes. */
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (parent);
  assay_test_iterate (100);
  g_assert_null (f->window);
}

/* ---- which annotators count ---- */

static void
test_kinds (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AssayLeaderboard) judges = leaderboard (f, ASSAY_STATS_MODELS);
  g_autoptr(AssayLeaderboard) all = leaderboard (f, ASSAY_STATS_ALL_KINDS);
  GtkWidget *window;
  g_autofree char *judge_ci = NULL;
  g_autofree char *all_ci = NULL;
  AssayModelStanding *first;

  open_window (f, 1000, 720);
  window = GTK_WIDGET (f->window);
  wait_computed (f);

  /* The LLM judge alone judged two sources: too few for an interval. */
  assay_test_click (window, "LLM Judges");
  wait_computed (f);
  first = g_ptr_array_index (judges->models, 0);
  g_assert_cmpuint (first->overall.n_sources, <, ASSAY_INTERVAL_MIN_SOURCES);
  judge_ci = overall_text (judges, 0);
  g_assert_true (g_str_has_suffix (judge_ci, " [too few sources]"));
  g_assert_nonnull (find_containing (window, "fewer than 5 sources has no interval"));
  g_assert_cmpstr (text_of (cell_beside (get_labelled (window, first->model), 1)), ==, judge_ci);

  assay_test_click (window, "All");
  wait_computed (f);
  first = g_ptr_array_index (all->models, 0);
  all_ci = overall_text (all, 0);
  g_assert_cmpstr (text_of (cell_beside (get_labelled (window, first->model), 1)), ==, all_ci);
  g_assert_cmpstr (judge_ci, !=, all_ci);
}

/* ---- the order of the leaderboard ---- */

static double
leading_number (const char *text)
{
  /* "3.82 [3.61, 4.02]", "+0.41", "−0.41", "77.8%" */
  if (g_str_has_prefix (text, "−"))
    return -g_ascii_strtod (text + strlen ("−"), NULL);
  return g_ascii_strtod (text, NULL);
}

/* The table starts in the core's order, by strength, and says so; a
 * column's heading sorts by that column, so the order never contradicts
 * the numbers without a visible reason. */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AssayLeaderboard) board = leaderboard (f, ASSAY_STATS_PERSONS);
  GtkColumnView *view;
  GListModel *columns;
  GtkColumnViewColumn *overall = NULL, *strength = NULL;
  g_autoptr(GPtrArray) ranks = NULL;
  g_autoptr(GPtrArray) values = NULL;

  g_assert_true (board->ranked_by_strength);
  open_window (f, 1000, 720);
  wait_computed (f);
  view = GTK_COLUMN_VIEW (assay_test_find_type (GTK_WIDGET (f->window), GTK_TYPE_COLUMN_VIEW));
  g_assert_nonnull (view);
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const char *title = gtk_column_view_column_get_title (column);

      if (g_str_has_prefix (title, "Overall"))
        overall = column;
      if (g_str_has_prefix (title, "Strength"))
        strength = column;
      /* every column can sort the table */
      g_assert_nonnull (gtk_column_view_column_get_sorter (column));
    }
  g_assert_nonnull (overall);
  g_assert_nonnull (strength);
  /* what the strengths are */
  g_assert_cmpstr (gtk_column_view_column_get_title (strength), ==, "Strength (penalised)");
  g_assert_nonnull (find_containing (GTK_WIDGET (f->window), "Ranked by Bradley–Terry strength"));

  /* the core's order: ranks 1, 2, 3, 4 down the table, strengths falling */
  ranks = column_texts (view, 0);
  g_assert_cmpuint (ranks->len, ==, board->models->len);
  for (guint i = 0; i < ranks->len; i++)
    {
      g_autofree char *rank = g_strdup_printf ("%u", i + 1);

      g_assert_cmpstr (g_ptr_array_index (ranks, i), ==, rank);
    }
  values = column_texts (view, 3);
  for (guint i = 1; i < values->len; i++)
    g_assert_cmpfloat (leading_number (g_ptr_array_index (values, i - 1)), >=,
                       leading_number (g_ptr_array_index (values, i)));

  /* by the overall score, as a click on its heading does */
  gtk_column_view_sort_by_column (view, overall, GTK_SORT_DESCENDING);
  assay_test_iterate (100);
  g_clear_pointer (&values, g_ptr_array_unref);
  values = column_texts (view, 2);
  g_assert_cmpuint (values->len, ==, board->models->len);
  for (guint i = 1; i < values->len; i++)
    {
      g_test_message ("%s >= %s", (char *) g_ptr_array_index (values, i - 1),
                      (char *) g_ptr_array_index (values, i));
      g_assert_cmpfloat (leading_number (g_ptr_array_index (values, i - 1)), >=,
                         leading_number (g_ptr_array_index (values, i)));
    }
  gtk_column_view_sort_by_column (view, overall, GTK_SORT_ASCENDING);
  assay_test_iterate (100);
  g_clear_pointer (&values, g_ptr_array_unref);
  values = column_texts (view, 2);
  for (guint i = 1; i < values->len; i++)
    g_assert_cmpfloat (leading_number (g_ptr_array_index (values, i - 1)), <=,
                       leading_number (g_ptr_array_index (values, i)));
}

/* ---- agreement ---- */

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

static const char *
band_of (double alpha)
{
  return alpha >= 0.8 ? "Good" : alpha >= 0.667 ? "Tentative" : "Unreliable";
}

static void
test_agreement (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AssayAgreementReport) people = agreement_report (f);
  g_autoptr(AssayAgreementReport) report = agreement_report_of (f, ASSAY_STATS_RATERS);
  AssayAgreementStat *faith = find_stat (report, "faithfulness");
  AssayAgreementStat *verdict_stat = find_stat (report, "verdict");
  g_autofree char *faith_alpha = g_strdup_printf ("%.3f", faith->result.alpha_ordinal);
  g_autofree char *verdict_alpha = g_strdup_printf ("%.3f", verdict_stat->result.alpha_nominal);
  g_autofree char *verdict_agree = g_strdup_printf ("%.1f%%",
                                                    verdict_stat->result.agreement * 100.0);
  GtkWidget *window, *name, *button;
  GtkPopover *popover;

  /* By default the judge's proposals are not ratings: Ann and Bob. */
  g_assert_cmpuint (people->annotators->len, ==, 2);
  /* Counted, Ann, Bob and the judge are the raters; the judge is a model. */
  g_assert_cmpuint (report->annotators->len, ==, 3);
  g_assert_false (isnan (faith->result.alpha_ordinal));

  open_window (f, 1000, 720);
  window = GTK_WIDGET (f->window);
  wait_computed (f);
  show_page (f, "agreement");

  g_assert_nonnull (find_containing (window, "Raters: Ann Park, Bob Lindqvist."));
  g_assert_null (find_shown_containing (window, "Lumen Judge"));
  {
    GtkWidget *judge = assay_test_find_labelled (window, "Judge vs People");

    g_assert_true (judge == NULL || !gtk_widget_get_mapped (judge));
  }
  {
    GtkWidget *check = get_labelled (window, "Count LLM Judges");

    while (check != NULL && !GTK_IS_CHECK_BUTTON (check))
      check = gtk_widget_get_parent (check);
    g_assert_nonnull (check);
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    wait_computed (f);
  }

  name = get_labelled (window, "Faithfulness");
  g_assert_true (gtk_widget_get_mapped (name));
  g_assert_cmpstr (text_of (cell_beside (name, 1)), ==, faith_alpha);
  g_assert_cmpstr (text_of (cell_beside (name, 2)), ==, band_of (faith->result.alpha_ordinal));
  g_test_message ("faithfulness alpha %s, %s", faith_alpha,
                  band_of (faith->result.alpha_ordinal));

  name = get_labelled (window, "Verdict");
  g_assert_cmpstr (text_of (cell_beside (name, 1)), ==, verdict_alpha);
  g_assert_cmpstr (text_of (cell_beside (name, 2)), ==,
                   band_of (verdict_stat->result.alpha_nominal));
  g_assert_cmpstr (text_of (cell_beside (name, 4)), ==, verdict_agree);

  /* The rubric pooled over its four criteria (all on 1-5), beside them;
   * ratio alpha in the alpha's tooltip; counts with their unit. */
  g_assert_true (report->has_rubric);
  {
    g_autofree char *pooled = g_strdup_printf ("%.3f", report->rubric.alpha_ordinal);
    g_autofree char *ratio = g_strdup_printf ("ratio %.3f", faith->result.alpha_ratio);
    g_autofree char *words = NULL;
    AssayAgreementStat *claims = find_stat (report, "claims");
    GtkWidget *alpha;

    name = get_labelled (window, "All criteria, pooled");
    g_assert_cmpstr (text_of (cell_beside (name, 1)), ==, pooled);
    g_assert_true (g_str_has_suffix (text_of (cell_beside (name, 5)), "candidates × criteria"));
    alpha = cell_beside (get_labelled (window, "Faithfulness"), 1);
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (alpha), ratio));
    words = g_strdup_printf ("%" G_GUINT64_FORMAT " words", claims->result.n_units);
    g_assert_cmpstr (text_of (cell_beside (get_labelled (window, "Claim support"), 5)), ==,
                     words);
    g_test_message ("pooled alpha %s; claim support %s", pooled, words);
  }
  g_assert_nonnull (get_labelled (window, "Observed agreement"));

  /* The LLM judge is among the raters, and compared with the people. */
  g_assert_nonnull (get_labelled (window, "Judge vs People"));
  g_assert_nonnull (find_containing (window,
                                     "Raters: Ann Park, Bob Lindqvist, Lumen Judge (LLM judge)."));

  /* The pairwise matrix on demand: Ann and Bob's weighted kappa. */
  button = assay_test_find_accessible (window, "Pairwise agreement for Faithfulness");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  assay_test_iterate (200);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  {
    const AssayPairAgreement *pair = NULL;
    g_autofree char *kappa = NULL;

    for (guint i = 0; i < faith->result.pairs->len; i++)
      {
        const AssayPairAgreement *p = &g_array_index (faith->result.pairs, AssayPairAgreement,
                                                      i);
        AssayStatsAnnotator *a = g_ptr_array_index (report->annotators, p->coder_a);
        AssayStatsAnnotator *b = g_ptr_array_index (report->annotators, p->coder_b);

        if (g_str_equal (a->ext_id, "ann") && g_str_equal (b->ext_id, "bob"))
          pair = p;
      }
    g_assert_nonnull (pair);
    kappa = g_strdup_printf ("%.3f", pair->weighted_kappa);
    g_assert_nonnull (get_labelled (GTK_WIDGET (popover), kappa));
    g_assert_nonnull (get_labelled (GTK_WIDGET (popover), "Quadratic weighted kappa by pair"));
    /* The judge's row and column say it is a model. */
    g_assert_nonnull (get_labelled (GTK_WIDGET (popover), "LLM judge"));
  }
  gtk_popover_popdown (popover);
}

/* ---- disagreements and adjudication ---- */

static gboolean
has_rows (gpointer data)
{
  AssayStatsWindow *window = data;

  return gtk_widget_get_first_child (
    GTK_WIDGET (_assay_stats_window_get_disagreement_list (window))) != NULL;
}

static void
test_disagreements (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AssayAgreementReport) report = agreement_report (f);
  AssayDisagreementItem *worst = g_ptr_array_index (report->items, 0);
  AssayStatsWindow *window;
  GtkListBox *list;
  GtkListBoxRow *row;
  GtkWidget *view;
  const char *subtitle;
  guint n_rows = 0;


  open_window (f, 1000, 720);
  window = ASSAY_STATS_WINDOW (f->window);
  wait_computed (f);
  show_page (f, "disagreements");
  list = _assay_stats_window_get_disagreement_list (window);
  g_assert_true (has_rows (window));
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (list)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, MIN (report->items->len, 100));

  /* The rows come in the core's order, most disagreed-on first. */
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, worst->title);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_test_message ("first disagreement: %s — %s", worst->title, subtitle);
  g_test_message ("tooltip: %s", gtk_widget_get_tooltip_text (GTK_WIDGET (row)));
  g_assert_nonnull (strstr (subtitle, " vs "));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "settled"));
  for (guint i = 1; i < MIN (report->items->len, 100); i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);
      GtkListBoxRow *other = gtk_list_box_get_row_at_index (list, i);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (other)), ==,
                       item->title);
    }

  /* What they disagree on, spelled out, with who said what: consult-2291,
   * where Ann gave summary A (c1) 1 for faithfulness and Bob 5; the judge's
   * 4 is a proposal, not counted by default. */
  {
    GtkListBoxRow *consult = NULL;

    for (guint i = 0; i < report->items->len; i++)
      if (g_str_equal (((AssayDisagreementItem *) g_ptr_array_index (report->items, i))->ext_id,
                       "consult-2291"))
        consult = gtk_list_box_get_row_at_index (list, i);
    g_assert_nonnull (consult);
    g_test_message ("consult: %s\n%s", adw_action_row_get_subtitle (ADW_ACTION_ROW (consult)),
                    gtk_widget_get_tooltip_text (GTK_WIDGET (consult)));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (consult)),
                              "Faithfulness of A — Ann Park: 1, Bob Lindqvist: 5"));
    g_assert_null (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (consult)), "Lumen Judge"));
  }

  /* One statistic only: the list the core gives for it. */
  {
    guint faith_index = G_MAXUINT, entry = G_MAXUINT;
    g_autoptr(GPtrArray) faith_items = NULL;
    GListModel *entries = gtk_drop_down_get_model (GTK_DROP_DOWN (
      assay_test_find_type (GTK_WIDGET (f->window), GTK_TYPE_DROP_DOWN)));
    GtkDropDown *filter = GTK_DROP_DOWN (assay_test_find_type (GTK_WIDGET (f->window),
                                                               GTK_TYPE_DROP_DOWN));
    AssayDisagreementItem *top;
    GtkListBoxRow *first;

    for (guint i = 0; i < report->stats->len; i++)
      if (g_str_equal (((AssayAgreementStat *) g_ptr_array_index (report->stats, i))->name,
                       "faithfulness"))
        faith_index = i;
    faith_items = assay_agreement_report_list_disagreements (report, faith_index);
    for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (entries), i),
                       "Faithfulness"))
        entry = i;
    g_assert_cmpuint (entry, !=, G_MAXUINT);
    gtk_drop_down_set_selected (filter, entry);
    g_assert_true (assay_test_wait_for (computed, f->window, 20000));
    assay_test_iterate (50);
    top = g_ptr_array_index (faith_items, 0);
    first = gtk_list_box_get_row_at_index (list, 0);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                     top->title);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)),
                                     "Faithfulness of "));
    g_assert_null (gtk_list_box_get_row_at_index (list, faith_items->len));
    g_assert_nonnull (gtk_list_box_get_row_at_index (list, faith_items->len - 1));

    gtk_drop_down_set_selected (filter, 0);
    g_assert_true (assay_test_wait_for (computed, f->window, 20000));
    assay_test_iterate (50);
    row = gtk_list_box_get_row_at_index (list, 0);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                     worst->title);
  }

  /* Activating it opens the adjudication view on that source. */
  g_signal_emit_by_name (row, "activate");
  assay_test_iterate (200);
  g_assert_cmpstr (_assay_stats_window_get_page (window), ==, "adjudicate");
  view = _assay_stats_window_get_adjudication (window);
  g_assert_nonnull (view);
  g_assert_true (ASSAY_IS_ADJUDICATION_VIEW (view));
  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_nonnull (get_labelled (GTK_WIDGET (f->window), worst->title));

  /* Gold saved: the item is marked settled when the lead comes back. */
  g_signal_emit_by_name (view, "changed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "stats.back", NULL));
  assay_test_iterate (200);
  g_assert_cmpstr (_assay_stats_window_get_page (window), ==, "disagreements");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "settled"));
  g_assert_true (gtk_widget_get_visible (get_labelled (GTK_WIDGET (row), "Settled")));
}

/* On a blind template the list names candidates as the Review tabs do
 * (assay_item_candidate_letter, blind), not in import order. */
static void
test_blind (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AssayAgreementReport) report = agreement_report (f);
  g_autoptr(GError) error = NULL;
  gint64 source = assay_project_lookup_source (f->project, "consult-2291");
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *c1;
  g_autofree char *blind = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *expected = NULL;
  GtkListBox *list;
  GtkListBoxRow *consult = NULL;
  gint64 ann = 0;

  g_assert_true (assay_project_ensure_annotator (f->project, "ann", "Ann Park",
                                                 ASSAY_ANNOTATOR_PERSON, &ann, &error));
  item = assay_project_load_item (f->project, source, ann, &error);
  g_assert_no_error (error);
  /* c1, the first candidate imported, is where Ann and Bob part ways */
  c1 = g_ptr_array_index (item->candidates, 0);
  blind = assay_item_candidate_letter (item, TRUE, c1->id);
  plain = assay_item_candidate_letter (item, FALSE, c1->id);
  g_test_message ("c1 is %s on the Review tabs, %s in import order", blind, plain);
  g_assert_cmpstr (plain, ==, "A");
  /* the test means something only if the shuffle moved it */
  g_assert_cmpstr (blind, !=, plain);

  open_window (f, 1000, 720);
  wait_computed (f);
  show_page (f, "disagreements");
  list = _assay_stats_window_get_disagreement_list (ASSAY_STATS_WINDOW (f->window));
  for (guint i = 0; i < report->items->len; i++)
    if (g_str_equal (((AssayDisagreementItem *) g_ptr_array_index (report->items, i))->ext_id,
                     "consult-2291"))
      consult = gtk_list_box_get_row_at_index (list, i);
  g_assert_nonnull (consult);
  expected = g_strdup_printf ("Faithfulness of %s — Ann Park: 1, Bob Lindqvist: 5", blind);
  g_test_message ("%s", gtk_widget_get_tooltip_text (GTK_WIDGET (consult)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (consult)), expected));
}

/* The list is read a page at a time: "Show More" reads the next. */
static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AssayAgreementReport) report = agreement_report (f);
  AssayStatsWindow *window;
  GtkListBox *list;
  GtkWidget *more;

  g_assert_cmpuint (report->items->len, ==, 6);
  open_window (f, 1000, 720);
  window = ASSAY_STATS_WINDOW (f->window);
  _assay_stats_window_set_page_size (window, 4);
  assay_stats_window_refresh (window);
  wait_computed (f);
  show_page (f, "disagreements");
  list = _assay_stats_window_get_disagreement_list (window);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 3));
  g_assert_null (gtk_list_box_get_row_at_index (list, 4));

  more = gtk_widget_get_ancestor (get_labelled (GTK_WIDGET (f->window), "Show More"),
                                  GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_mapped (more));
  g_signal_emit_by_name (more, "clicked");
  g_assert_true (_assay_stats_window_get_busy (window));
  wait_computed (f);
  for (guint i = 0; i < report->items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       item->title);
      g_assert_nonnull (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
    }
  g_assert_null (gtk_list_box_get_row_at_index (list, report->items->len));
  g_assert_false (gtk_widget_get_visible (more));
}

/* Gold in the project (an adjudicator's judgment) shows as settled after
 * a refresh, read by the worker; the lead's own handler can take over. */
static gboolean
on_adjudicate (AssayStatsWindow *window,
               gint64            source_id,
               gint64           *seen)
{
  *seen = source_id;
  return TRUE;
}

static void
test_settled (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, &error);
  g_autoptr(AssayAgreementReport) report = agreement_report (f);
  AssayDisagreementItem *worst = g_ptr_array_index (report->items, 0);
  gint64 source = worst->source_id;
  gint64 c1 = assay_project_lookup_candidate (f->project, source, "c1");
  gint64 gold, seen = 0;
  AssayStatsWindow *window;
  GtkListBoxRow *row;

  open_window (f, 1000, 720);
  window = ASSAY_STATS_WINDOW (f->window);
  wait_computed (f);
  row = gtk_list_box_get_row_at_index (_assay_stats_window_get_disagreement_list (window), 0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "settled"));

  g_assert_true (assay_project_ensure_annotator (f->project, "gold:lead", "Lee Eval (gold)",
                                                 ASSAY_ANNOTATOR_ADJUDICATOR, &gold, &error));
  score (f->project, tmpl, c1, gold, "faithfulness", 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "stats.refresh", NULL));
  wait_computed (f);
  row = gtk_list_box_get_row_at_index (_assay_stats_window_get_disagreement_list (window), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, worst->title);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "settled"));
  /* The adjudicator is listed in the progress, as gold. */
  g_assert_nonnull (get_labelled (get_labelled (GTK_WIDGET (f->window), "Lee Eval (gold)"),
                                  "Gold"));

  g_signal_connect (window, "adjudicate", G_CALLBACK (on_adjudicate), &seen);
  g_signal_emit_by_name (row, "activate");
  assay_test_iterate (50);
  g_assert_cmpint (seen, ==, source);
  g_assert_cmpstr (_assay_stats_window_get_page (window), ==, "overview");
  g_assert_null (_assay_stats_window_get_adjudication (window));
}

/* ---- the chart ---- */

static guint
distinct_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  for (int i = 0; i < width * height; i++)
    g_hash_table_add (seen, GUINT_TO_POINTER (pixels[i]));
  return g_hash_table_size (seen);
}

static void
test_chart (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AssayLeaderboard) board = leaderboard (f, ASSAY_STATS_PERSONS);
  AssayLeaderboardChart *chart;
  const char *description;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t bounds;
  int height_before;

  open_window (f, 1000, 720);
  wait_computed (f);
  chart = ASSAY_LEADERBOARD_CHART (_assay_stats_window_get_chart (ASSAY_STATS_WINDOW (f->window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));

  /* Not silent to a screen reader: every model and its numbers. */
  description = assay_leaderboard_chart_get_description (chart);
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "Overall score on the 1–5 scale"));
  for (guint i = 0; i < board->models->len; i++)
    {
      AssayModelStanding *m = g_ptr_array_index (board->models, i);
      g_autofree char *value = g_strdup_printf ("%s %.2f (%.2f to %.2f)", m->model,
                                                1 + 4 * m->overall.value, 1 + 4 * m->overall.low,
                                                1 + 4 * m->overall.high);

      g_assert_nonnull (strstr (description, value));
    }
  {
    g_autofree char *mismatch =
      gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description);

    g_assert_null (mismatch);
  }
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG));

  /* It draws: a point and whisker per model, in more than a couple of
   * colours over its area. */
  paintable = gtk_widget_paintable_new (GTK_WIDGET (chart));
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (GTK_WIDGET (chart)),
                          gtk_widget_get_height (GTK_WIDGET (chart)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  g_assert_cmpfloat (bounds.size.width, >, 100);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (
                                           GTK_WIDGET (chart))),
                                         node, &GRAPHENE_RECT_INIT (0, 0,
                                                                    gtk_widget_get_width (
                                                                      GTK_WIDGET (chart)),
                                                                    gtk_widget_get_height (
                                                                      GTK_WIDGET (chart))));
  g_assert_cmpuint (distinct_colours (texture), >, 10);

  /* It measures itself: one row per model. */
  height_before = gtk_widget_get_height (GTK_WIDGET (chart));
  assay_leaderboard_chart_set_leaderboard (chart, NULL);
  assay_test_iterate (50);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (chart)), <, height_before);
  g_assert_nonnull (strstr (assay_leaderboard_chart_get_description (chart), "No models"));
  assay_leaderboard_chart_set_leaderboard (chart, board);
  assay_test_iterate (50);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (chart)), ==, height_before);

  /* The strength toggle. */
  assay_test_click (GTK_WIDGET (f->window), "Plot Strength");
  g_assert_cmpint (assay_leaderboard_chart_get_measure (chart), ==,
                   ASSAY_LEADERBOARD_CHART_STRENGTH);
  description = assay_leaderboard_chart_get_description (chart);
  g_assert_nonnull (strstr (description, "Bradley–Terry strength"));
  {
    AssayModelStanding *m = g_ptr_array_index (board->models, 0);
    g_autofree char *value = g_strdup_printf ("%s %s%.2f", m->model,
                                              m->strength.value > 0 ? "+" : "",
                                              m->strength.value);

    g_assert_nonnull (strstr (description, value));
  }
}

/* ---- empty states ---- */

static void
test_one_annotator (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *window, *title;
  g_autoptr(AssayLeaderboard) all = NULL;

  /* The demo alone: Lumen Judge is the only annotator. */
  open_window (f, 1000, 720);
  window = GTK_WIDGET (f->window);
  wait_computed (f);

  /* No person has scored: the leaderboard says so and offers to count
   * everyone. */
  title = get_labelled (window, "No Scores Yet");
  g_assert_true (gtk_widget_get_mapped (title));

  show_page (f, "agreement");
  title = get_labelled (window, "Agreement Needs Two or More Annotators");
  g_assert_true (gtk_widget_get_mapped (title));
  show_page (f, "disagreements");
  g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (
    _assay_stats_window_get_disagreement_list (ASSAY_STATS_WINDOW (f->window)))));

  show_page (f, "overview");
  {
    GtkWidget *button = gtk_widget_get_ancestor (get_labelled (window, "Count Everyone"),
                                                 GTK_TYPE_BUTTON);

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_mapped (button));
    g_signal_emit_by_name (button, "clicked");
  }
  g_assert_true (_assay_stats_window_get_busy (ASSAY_STATS_WINDOW (f->window)));
  wait_computed (f);
  all = leaderboard (f, ASSAY_STATS_ALL_KINDS);
  {
    AssayModelStanding *first = g_ptr_array_index (all->models, 0);
    g_autofree char *ci = overall_text (all, 0);
    GtkWidget *model = get_labelled (window, first->model);

    g_assert_true (gtk_widget_get_mapped (model));
    g_assert_cmpstr (text_of (cell_beside (model, 1)), ==, ci);
  }
}

static void
test_no_judgments (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *path = g_build_filename (dir, "empty.assay", NULL);
  g_autoptr(AssayProject) empty = assay_project_create (path, &error);

  g_assert_no_error (error);
  f->window = assay_stats_window_new (NULL, empty, "lead", NULL);
  gtk_window_present (f->window);
  wait_computed (f);
  g_assert_cmpstr (_assay_stats_window_get_page (ASSAY_STATS_WINDOW (f->window)), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (get_labelled (GTK_WIDGET (f->window),
                                                      "No Judgments Yet")));
}

/* Closing while the worker runs: the run is cancelled and its results are
 * dropped without touching the window. */
static void
test_close_while_computing (Fixture       *f,
                            gconstpointer  data)
{
  GtkWindow *window;

  for (guint i = 0; i < 3; i++)
    {
      window = assay_stats_window_new (NULL, f->project, "lead", "Lee Eval");
      g_assert_true (_assay_stats_window_get_busy (ASSAY_STATS_WINDOW (window)));
      gtk_window_present (window);
      /* at different stages: computing, reading the details, done */
      assay_test_iterate (i * 15);
      /* closing destroys it; the workers may still hold it a moment */
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
      gtk_window_close (window);
      assay_test_iterate (300);
      g_assert_null (window);
    }
  assay_test_iterate (1500);

  /* Refresh twice in a row: the first run's results are dropped. */
  open_window (f, 1000, 720);
  assay_stats_window_refresh (ASSAY_STATS_WINDOW (f->window));
  assay_stats_window_refresh (ASSAY_STATS_WINDOW (f->window));
  wait_computed (f);
  g_assert_cmpstr (_assay_stats_window_get_page (ASSAY_STATS_WINDOW (f->window)), ==,
                   "overview");
}

/* ---- screenshots ---- */

/* The scrolled window of the page on screen, if it scrolls. */
static GtkScrolledWindow *
find_scroller (GtkWidget *root)
{
  if (GTK_IS_SCROLLED_WINDOW (root) && gtk_widget_get_mapped (root))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (root));

      if (gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 1)
        return GTK_SCROLLED_WINDOW (root);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
scroll_to_end (Fixture *f,
               gboolean end)
{
  GtkScrolledWindow *scroller = find_scroller (GTK_WIDGET (f->window));
  GtkAdjustment *adj;

  if (scroller == NULL)
    return;
  adj = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_adjustment_set_value (adj, end ? gtk_adjustment_get_upper (adj) : 0.0);
  assay_test_iterate (100);
}

/* The leaderboard page scrolled to "Can the Data Tell Them Apart?". */
static void
shoot_separation (Fixture *f)
{
  GtkWidget *title = get_labelled (GTK_WIDGET (f->window), "Can the Data Tell Them Apart?");
  GtkScrolledWindow *scroller = find_scroller (GTK_WIDGET (f->window));
  GtkWidget *content;
  graphene_point_t at;

  g_assert_nonnull (scroller);
  content = gtk_scrolled_window_get_child (scroller);
  g_assert_true (gtk_widget_compute_point (title, content, &GRAPHENE_POINT_INIT (0, 0), &at));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scroller), at.y - 12);
  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *png = NULL;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                               : ADW_COLOR_SCHEME_FORCE_LIGHT);
      assay_test_iterate (150);
      png = assay_test_screenshot (GTK_WIDGET (f->window),
                                   dark ? "stats-separation-dark" : "stats-separation-light");
      g_test_message ("%s", png);
    }
  scroll_to_end (f, FALSE);
}

static void
shoot (Fixture    *f,
       const char *name)
{
  const struct { int width, height; } sizes[] = { { 1000, 720 }, { 800, 600 }, { 700, 600 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint dark = 0; dark < 2; dark++)
      {
        g_autofree char *file = g_strdup_printf ("stats-%s-%dx%d-%s", name, sizes[s].width,
                                                 sizes[s].height, dark ? "dark" : "light");
        g_autofree char *png = NULL;

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                 : ADW_COLOR_SCHEME_FORCE_LIGHT);
        gtk_window_set_default_size (f->window, sizes[s].width, sizes[s].height);
        assay_test_iterate (250);
        png = assay_test_screenshot (GTK_WIDGET (f->window), file);
        g_test_message ("%s", png);
        if (find_scroller (GTK_WIDGET (f->window)) != NULL)
          {
            g_autofree char *end_file = g_strconcat (file, "-end", NULL);
            g_autofree char *end_png = NULL;

            scroll_to_end (f, TRUE);
            end_png = assay_test_screenshot (GTK_WIDGET (f->window), end_file);
            g_test_message ("%s", end_png);
            scroll_to_end (f, FALSE);
          }
      }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (f->window, 1000, 720);
  assay_test_iterate (100);
}

static gboolean
drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* The chart's card alone, at the window's two widths. */
static void
shoot_chart (Fixture    *f,
             const char *name)
{
  GtkWidget *card = gtk_widget_get_parent (_assay_stats_window_get_chart (
    ASSAY_STATS_WINDOW (f->window)));
  const int widths[] = { 1000, 700 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint dark = 0; dark < 2; dark++)
      {
        g_autofree char *file = g_strdup_printf ("stats-chart-%s-%d-%s", name, widths[w],
                                                 dark ? "dark" : "light");
        g_autofree char *png = NULL;

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                 : ADW_COLOR_SCHEME_FORCE_LIGHT);
        gtk_window_set_default_size (f->window, widths[w], 720);
        assay_test_iterate (250);
        /* Scrolled so that the card is at the top, in the whole window:
         * cards are translucent in dark mode. */
        {
          GtkScrolledWindow *scroller = find_scroller (GTK_WIDGET (f->window));
          GtkWidget *content = gtk_scrolled_window_get_child (scroller);
          graphene_rect_t bounds;

          g_assert_true (gtk_widget_compute_bounds (card, content, &bounds));
          gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scroller),
                                    bounds.origin.y - 12);
          assay_test_iterate (100);
        }
        png = assay_test_screenshot (GTK_WIDGET (f->window), file);
        g_test_message ("%s", png);
        scroll_to_end (f, FALSE);
      }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (f->window, 1000, 720);
  assay_test_iterate (100);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *button;
  GtkPopover *popover;

  open_window (f, 1000, 720);
  g_assert_true (assay_test_wait_for (drawn, f->window, 5000));
  {
    g_autofree char *png = assay_test_screenshot (GTK_WIDGET (f->window),
                                                  "stats-computing-1000x720-light");

    g_test_message ("%s", png);
  }
  wait_computed (f);
  shoot (f, "overview");
  gtk_window_set_default_size (f->window, 1000, 720);
  assay_test_iterate (100);
  shoot_separation (f);
  shoot_chart (f, "score");
  assay_test_click (GTK_WIDGET (f->window), "Plot Strength");
  shoot (f, "overview-strength");
  shoot_chart (f, "strength");
  show_page (f, "agreement");
  shoot (f, "agreement");
  show_page (f, "judges");
  shoot (f, "judges");
  show_page (f, "agreement");

  button = assay_test_find_accessible (GTK_WIDGET (f->window),
                                       "Pairwise agreement for Faithfulness");
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  assay_test_iterate (200);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *png = NULL;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                               : ADW_COLOR_SCHEME_FORCE_LIGHT);
      assay_test_iterate (150);
      png = assay_test_screenshot (GTK_WIDGET (popover),
                                   dark ? "stats-pairs-popover-dark" : "stats-pairs-popover-light");
      g_test_message ("%s", png);
    }
  gtk_popover_popdown (popover);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

  show_page (f, "disagreements");
  shoot (f, "disagreements");
  g_signal_emit_by_name (gtk_list_box_get_row_at_index (
    _assay_stats_window_get_disagreement_list (ASSAY_STATS_WINDOW (f->window)), 0), "activate");
  assay_test_iterate (300);
  shoot (f, "adjudicate");
}

static void
test_screenshots_empty (Fixture       *f,
                        gconstpointer  data)
{
  open_window (f, 1000, 720);
  wait_computed (f);
  shoot (f, "one-annotator-overview");
  show_page (f, "agreement");
  shoot (f, "one-annotator-agreement");
}


/* ---- judges ---- */

static AssayCalibrationReport *
calibration_report (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  AssayStatsOptions options;
  AssayCalibrationReport *report;

  g_assert_no_error (error);
  assay_stats_options_init (&options);
  report = assay_stats_compute_calibration (data, &options, NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* The Judges page: one row per statistic Lumen Judge shares with the
 * experts, its numbers as the core computes them, the verdict, and the
 * core's sentence for each. */
static void
test_judges (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AssayCalibrationReport) report = calibration_report (f);
  AssayStatsJudgesPage *page;
  AssayJudgeCalibration *jc;
  AssayCalibrationStat *faith = NULL;
  g_autoptr(json_t) shown = NULL;
  g_autoptr(json_t) expected = NULL;
  g_autofree char *sentence = NULL;
  GtkWidget *title, *verdict;
  guint decided = 0;

  open_window (f, 800, 600);
  wait_computed (f);
  show_page (f, "judges");
  page = ASSAY_STATS_JUDGES_PAGE (_assay_stats_window_get_judges_page (
    ASSAY_STATS_WINDOW (f->window)));
  g_assert_false (assay_stats_judges_page_get_busy (page));

  /* the page shows the core's report: the same seed, the same numbers */
  g_assert_nonnull (assay_stats_judges_page_get_report (page));
  shown = assay_calibration_report_to_json (assay_stats_judges_page_get_report (page));
  expected = assay_calibration_report_to_json (report);
  g_assert_true (json_equal (shown, expected));

  g_assert_cmpuint (report->judges->len, ==, 1);
  g_assert_cmpuint (report->experts->len, ==, 2);
  jc = g_ptr_array_index (report->judges, 0);
  g_assert_cmpstr (jc->judge->ext_id, ==, "lumen-judge");
  for (guint k = 0; k < jc->stats->len; k++)
    {
      AssayCalibrationStat *stat = g_ptr_array_index (jc->stats, k);

      if (g_str_equal (stat->name, "faithfulness"))
        faith = stat;
      decided += stat->verdict != ASSAY_CALIBRATION_UNDECIDED;
    }
  g_assert_nonnull (faith);
  /* both experts judged all six sources: a ceiling with an interval */
  g_assert_cmpuint (faith->ceiling.n_sources, ==, 6);
  g_assert_true (isfinite (faith->ceiling.low));
  g_assert_true (isfinite (faith->agreement));
  g_assert_cmpuint (decided, >, 0);

  get_labelled (GTK_WIDGET (page), "Experts: Ann Park, Bob Lindqvist.");
  /* one judge: no judge column, the statistic comes first */
  title = get_labelled (GTK_WIDGET (page), "Faithfulness");
  g_assert_true (gtk_widget_get_mapped (title));
  {
    g_autofree char *agreement = _assay_stats_format_number (faith->agreement, 2, FALSE);
    g_autofree char *value = _assay_stats_format_number (faith->ceiling.value, 2, FALSE);
    g_autofree char *low = _assay_stats_format_number (faith->ceiling.low, 2, FALSE);
    g_autofree char *kappa = _assay_stats_format_number (faith->consensus.kappa, 2, FALSE);
    g_autofree char *bias = _assay_stats_format_number (faith->consensus.bias, 2, TRUE);
    const char *ceiling = text_of (cell_beside (title, 2));

    g_assert_cmpstr (text_of (cell_beside (title, 1)), ==, agreement);
    g_assert_true (g_str_has_prefix (ceiling, value));
    g_assert_nonnull (strstr (ceiling, low));
    g_assert_cmpstr (text_of (cell_beside (title, 3)), ==, kappa);
    g_assert_cmpstr (text_of (cell_beside (title, 5)), ==, bias);
  }
  verdict = cell_beside (title, 6);
  g_assert_cmpstr (text_of (verdict),
                   ==,
                   faith->verdict == ASSAY_CALIBRATION_STANDS_IN ? "Can stand in"
                   : faith->verdict == ASSAY_CALIBRATION_FALLS_SHORT ? "Cannot stand in"
                   : "Cannot tell yet");

  /* the sentence, as the core words it */
  sentence = assay_calibration_stat_describe (faith, jc->judge);
  g_assert_true (gtk_widget_get_mapped (find_containing (GTK_WIDGET (page), sentence)));
  g_assert_nonnull (strstr (sentence, "Lumen Judge"));
  g_assert_nonnull (strstr (sentence, "“Faithfulness”"));
}

/* No model annotator: the page says so. */
static void
test_judges_empty (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *status;
  gint64 id;

  /* the demo's judge, made a person */
  g_assert_true (assay_project_ensure_annotator (f->project, "lumen-judge", NULL,
                                                 ASSAY_ANNOTATOR_PERSON, &id, &error));
  g_assert_no_error (error);
  open_window (f, 800, 600);
  wait_computed (f);
  show_page (f, "judges");
  status = get_labelled (GTK_WIDGET (f->window), "No LLM Judges");
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_null (find_containing (GTK_WIDGET (f->window), "for an expert on “"));
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

#define ADD(name, data, func) \
  g_test_add ("/assay/ui/stats-window/" name, Fixture, data, fixture_setup, func, \
              fixture_teardown)
  ADD ("overview", NULL, test_overview);
  ADD ("kinds", NULL, test_kinds);
  ADD ("order", NULL, test_order);
  ADD ("agreement", NULL, test_agreement);
  ADD ("disagreements", NULL, test_disagreements);
  ADD ("paging", NULL, test_paging);
  ADD ("blind", "blind", test_blind);
  ADD ("settled", NULL, test_settled);
  ADD ("chart", NULL, test_chart);
  ADD ("one-annotator", "demo", test_one_annotator);
  ADD ("no-judgments", "demo", test_no_judgments);
  ADD ("close-while-computing", NULL, test_close_while_computing);
  ADD ("judges", NULL, test_judges);
  ADD ("judges-empty", NULL, test_judges_empty);
  ADD ("screenshots", NULL, test_screenshots);
  ADD ("screenshots-empty", "demo", test_screenshots_empty);

  return g_test_run ();
}
