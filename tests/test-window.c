/* test-window.c: the whole workbench, driven through its actions and its
 * accessible controls, then checked in the project file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-candidate-view-private.h"
#include "assay-candidate-view.h"
#include "assay-compare-view.h"
#include "assay-judgment-panel.h"
#include "assay-ranking-view-private.h"
#include "assay-review-page.h"
#include "assay-stats-window.h"
#include "assay-test-ui.h"
#include "assay-window-private.h"
#include "assay-transcript-view.h"
#include "assay-window.h"

typedef struct
{
  char        *path;
  AssayWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;

  f->path = assay_test_copy_demo ();
  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1300, 820);
  gtk_window_present (GTK_WINDOW (f->window));
  file = g_file_new_for_path (f->path);
  assay_test_open (f->window, file);
  assay_test_iterate (200);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  AssaySession *session;
  AssayProject *project = NULL;

  /* GTK owns the window; the window the session, the session the project.
   * Closed, nothing keeps any of them. */
  session = assay_window_get_session (f->window);
  if (session != NULL)
    {
      g_object_ref (session);
      project = g_object_ref (assay_session_get_project (session));
    }
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  assay_test_iterate (50);
  assay_test_finalize (g_steal_pointer (&f->window));
  if (session != NULL)
    {
      assay_test_finalize (session);
      assay_test_finalize (project);
    }
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

/* The project as a fresh reader sees it: what is stored is what counts. */
static AssayItem *
stored_item (Fixture    *f,
             const char *ext_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  gint64 annotator;

  g_assert_no_error (error);
  annotator = assay_project_lookup_annotator (project, g_get_user_name ());
  g_assert_cmpint (annotator, !=, 0);
  return assay_project_load_item (project, assay_project_lookup_source (project, ext_id),
                                  annotator, &error);
}

static GtkWidget *
find (Fixture *f,
      GType    type)
{
  GtkWidget *widget = assay_test_find_type (GTK_WIDGET (f->window), type);

  g_assert_nonnull (widget);
  return widget;
}

static void
select_text (GtkTextView *view,
             const char  *needle)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, needle, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_select_range (buffer, &match_start, &match_end);
}

/* Opening returns to the first open item, and shows it. */
static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  AssayItem *item = assay_session_get_item (session);
  GtkWidget *transcript = assay_test_find_accessible (GTK_WIDGET (f->window), "Transcript");
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_assert_nonnull (item);
  g_assert_cmpstr (item->ext_id, ==, "podcast-small-margins-84");
  g_assert_nonnull (transcript);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (transcript));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (text, "Welcome back to Small Margins"));
  /* Speaker headings are shown with the text. */
  g_assert_nonnull (strstr (text, "Maya Lindqvist"));
}

/* The journey an expert makes on one item, every judgment kind, then
 * Submit and Next. */
static void
test_review_item (Fixture       *f,
                  gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  GtkWidget *root = GTK_WIDGET (f->window);
  AssayReviewPage *page = ASSAY_REVIEW_PAGE (find (f, ASSAY_TYPE_REVIEW_PAGE));
  AssayCandidateView *candidate = ASSAY_CANDIDATE_VIEW (find (f, ASSAY_TYPE_CANDIDATE_VIEW));
  AssayJudgmentPanel *panel = ASSAY_JUDGMENT_PANEL (find (f, ASSAY_TYPE_JUDGMENT_PANEL));
  AssayTranscriptView *transcript = ASSAY_TRANSCRIPT_VIEW (find (f, ASSAY_TYPE_TRANSCRIPT_VIEW));
  AssayTemplate *tmpl = assay_session_get_template (session);
  g_autoptr(GPtrArray) candidates = assay_session_display_candidates (session);
  g_autoptr(AssayItem) stored = NULL;
  AssayLabelOption *unsupported;
  AssayItemCandidate *first, *stored_first;
  AssayItemSpan *span;
  AssayRange evidence;
  GtkTextView *editor;
  gint64 span_id, first_id, second_id;
  g_autofree char *first_text = NULL;
  GtkWidget *next_title;

  first = g_ptr_array_index (candidates, 0);
  first_id = first->id;
  second_id = ((AssayItemCandidate *) g_ptr_array_index (candidates, 1))->id;
  first_text = g_strdup (first->text);

  /* A candidate label by its key, as the expert presses "a". */
  g_assert_true (assay_judgment_panel_activate_key (panel, "a"));
  assay_test_iterate (100);

  /* A span: select "roughly $6 million" in candidate A and press its key. */
  select_text (_assay_candidate_view_get_text_view (candidate, ASSAY_CANDIDATE_MODE_ORIGINAL),
               "roughly $6 million in annual revenue");
  unsupported = assay_template_find_option (tmpl, "claims", "unsupported", ASSAY_SCOPE_SPAN,
                                            NULL, NULL);
  g_assert_true (assay_candidate_view_mark_selection (candidate, unsupported->id));
  span_id = _assay_candidate_view_get_current_span (candidate);
  g_assert_cmpint (span_id, !=, 0);

  /* Its evidence: the passage in the transcript where the guest declines
   * to give revenue. */
  select_text (GTK_TEXT_VIEW (assay_test_find_accessible (root, "Transcript")),
               "I'm going to politely not give you a revenue number");
  g_assert_true (assay_transcript_view_get_selection (transcript, &evidence));
  gtk_widget_activate_action (GTK_WIDGET (candidate), "candidate.open-span", NULL);
  assay_test_iterate (50);
  assay_test_click (root, "Add Transcript Selection as Evidence");

  /* A correction, through Ctrl+E's action and the editor. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.edit", NULL);
  assay_test_iterate (50);
  g_assert_cmpint (assay_candidate_view_get_mode (candidate), ==, ASSAY_CANDIDATE_MODE_EDIT);
  editor = _assay_candidate_view_get_text_view (candidate, ASSAY_CANDIDATE_MODE_EDIT);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (editor);
    GtkTextIter start, end;

    gtk_text_buffer_get_start_iter (buffer, &start);
    g_assert_true (gtk_text_iter_forward_search (&start, "brings in roughly $6 million in annual "
                                                 "revenue, ", 0, &start, &end, NULL));
    gtk_text_buffer_delete (buffer, &start, &end);
  }
  assay_candidate_view_flush (candidate);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.edit", NULL);

  /* Rubric scores for every candidate, with a rationale on one. */
  for (guint i = 0; i < candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (candidates, i);

      gtk_widget_activate_action (GTK_WIDGET (page), "review.candidate", "i", i + 1);
      assay_test_iterate (30);
      g_assert_cmpint (assay_candidate_view_get_candidate (candidate), ==, c->id);
      assay_test_click (root, i == 0 ? "Faithfulness 2" : "Faithfulness 4");
      assay_test_click (root, "Coverage 4");
    }
  gtk_widget_activate_action (GTK_WIDGET (page), "review.candidate", "i", 1);
  assay_test_iterate (30);
  gtk_editable_set_text (GTK_EDITABLE (assay_test_find_accessible (root,
                                                                   "Faithfulness rationale")),
                         "Invents a revenue figure.");
  assay_judgment_panel_flush (panel);

  /* Ranking: candidate B first, by keyboard actions on the Rank page. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.mode", "s", "rank");
  assay_test_iterate (50);
  {
    AssayRankingView *ranking = ASSAY_RANKING_VIEW (find (f, ASSAY_TYPE_RANKING_VIEW));
    AssayItemCandidate *b = g_ptr_array_index (candidates, 1);
    GtkWidget *row = _assay_ranking_view_get_row (ranking, b->id);

    gtk_widget_activate_action (row, "ranking.set-rank", "(xi)", b->id, 1);
    assay_test_iterate (30);
  }

  /* A blind comparison: the left one is better (its button names it by its
   * letter). */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.mode", "s", "compare");
  assay_test_iterate (50);
  {
    g_autofree char *left = assay_test_compare_button (root, session, FALSE);

    assay_test_click (root, left);
  }

  /* Submit and Next: the item is done and the next open one is shown (the
   * item in memory, and `candidates` with it, are replaced). */
  g_clear_pointer (&candidates, g_ptr_array_unref);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.submit", NULL);
  assay_test_iterate (100);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");
  next_title = assay_test_find_labelled (root, "Diabetes follow-up with a new dental infection");
  g_assert_nonnull (next_title);

  /* What is stored. */
  stored = stored_item (f, "podcast-small-margins-84");
  g_assert_cmpint (stored->status, ==, ASSAY_STATUS_DONE);
  stored_first = assay_item_find_candidate (stored, first_id);
  g_assert_cmpuint (stored_first->labels->len, ==, 1);
  g_assert_cmpint (g_array_index (stored_first->labels, gint64, 0), ==,
                   assay_template_find_option (tmpl, "verdict", "accept", ASSAY_SCOPE_CANDIDATE,
                                               NULL, NULL)->id);
  g_assert_cmpuint (stored_first->spans->len, ==, 1);
  span = g_ptr_array_index (stored_first->spans, 0);
  g_assert_cmpint (span->option_id, ==, unsupported->id);
  g_assert_cmpint (span->end - span->start, ==,
                   g_utf8_strlen ("roughly $6 million in annual revenue", -1));
  g_assert_cmpuint (span->evidence->len, ==, 1);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).start, ==, evidence.start);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).end, ==, evidence.end);
  g_assert_nonnull (stored_first->correction);
  g_assert_null (strstr (stored_first->correction, "$6 million"));
  g_assert_nonnull (strstr (first_text, "$6 million"));   /* the original is kept */
  g_assert_nonnull (strstr (stored_first->text, "$6 million"));
  g_assert_cmpuint (g_hash_table_size (stored_first->scores), ==, 2);
  {
    AssayCriterion *faithfulness = assay_template_find_criterion (tmpl, "faithfulness");
    AssayItemScore *score = g_hash_table_lookup (stored_first->scores, &faithfulness->id);

    g_assert_cmpint (score->value, ==, 2);
    g_assert_cmpstr (score->rationale, ==, "Invents a revenue figure.");
  }
  g_assert_cmpint (assay_item_find_candidate (stored, second_id)->rank, ==, 1);
  g_assert_cmpuint (stored->comparisons->len, ==, 1);
  g_assert_cmpint (((AssayItemComparison *) g_ptr_array_index (stored->comparisons, 0))->winner,
                   ==, ASSAY_WINNER_A);
}

/* Submitting with a required criterion missing says which and stays. */
static void
test_submit_refused (Fixture       *f,
                     gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autoptr(AssayItem) stored = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.submit", NULL);
  assay_test_iterate (50);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "podcast-small-margins-84");
  stored = stored_item (f, "podcast-small-margins-84");
  g_assert_cmpint (stored->status, !=, ASSAY_STATUS_DONE);
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->window),
                                              "Still required: Faithfulness of candidate A "
                                              "and 7 more"));
}

static gboolean
flagged_row_shown (gpointer window)
{
  return assay_test_find_accessible (GTK_WIDGET (window),
                                     "Small Margins, ep. 84: Cold rooms for corner shops — "
                                     "Flagged") != NULL;
}

/* Skip and flag, previous and next, and the queue follows. */
static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autoptr(AssayItem) flagged = NULL;
  g_autoptr(AssayItem) skipped = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.flag", NULL);
  assay_test_iterate (30);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-item", NULL);
  assay_test_iterate (30);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.skip", NULL);
  assay_test_iterate (30);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "support-call-7731");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.previous-item", NULL);
  assay_test_iterate (30);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");

  flagged = stored_item (f, "podcast-small-margins-84");
  skipped = stored_item (f, "consult-2291");
  g_assert_cmpint (flagged->status, ==, ASSAY_STATUS_FLAGGED);
  g_assert_cmpint (skipped->status, ==, ASSAY_STATUS_SKIPPED);
  /* The queue shows the new status of the rows (accessible name), once the
   * list has laid out again. */
  g_assert_true (assay_test_wait_for (flagged_row_shown, f->window, 3000));
}

/* Reopening returns to where the expert left off. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  AssayWindow *second;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-item", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-item", NULL);
  assay_test_iterate (30);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "support-call-7731");
  gtk_window_close (GTK_WINDOW (f->window));
  assay_test_iterate (50);

  second = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (second));
  assay_test_open (second, file);
  g_assert_cmpstr (assay_session_get_item (assay_window_get_session (second))->ext_id, ==,
                   "support-call-7731");
  gtk_window_destroy (GTK_WINDOW (second));
  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
}

/* The welcome page when nothing is open, with the recent project in it. */
static void
test_welcome (Fixture       *f,
              gconstpointer  data)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-project", NULL);
  assay_test_iterate (50);
  g_assert_null (assay_window_get_session (f->window));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->window), "New Project…"));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->window), "demo"));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* The eval lead's windows open from the main menu's actions. */
static void
test_lead_windows (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *stats;
  GtkWindow *export;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.statistics", NULL);
  assay_test_iterate (100);
  stats = find_toplevel (ASSAY_TYPE_STATS_WINDOW);
  g_assert_nonnull (stats);
  g_assert_true (gtk_window_get_transient_for (stats) == GTK_WINDOW (f->window));
  gtk_window_destroy (stats);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL);
  assay_test_iterate (100);
  export = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (window != GTK_WINDOW (f->window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
            gtk_window_get_transient_for (window) == GTK_WINDOW (f->window))
          export = window;
      }
  }
  g_assert_nonnull (export);
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (export), "Export…") ?:
                    assay_test_find_accessible (GTK_WIDGET (export), "Export…"));
  gtk_window_destroy (export);
}

static gboolean
has_session (gpointer data)
{
  return assay_window_get_session (data) != NULL;
}

/* Opening runs in workers: the call returns at once; the workbench then
 * shows the queue reading its items, and once it has them, the item to
 * resume. */
static void
test_open_async (void)
{
  g_autofree char *path = assay_test_copy_demo ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AssayWindow *window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  AssaySession *session;
  GtkWidget *reading, *opening;

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  assay_test_iterate (50);

  assay_window_open (window, file);
  g_assert_null (assay_window_get_session (window));
  g_assert_true (_assay_window_get_opening (window));

  /* The project is open: its queue is still being read, in a worker. */
  g_assert_true (assay_test_wait_for (has_session, window, 20000));
  session = assay_window_get_session (window);
  g_assert_false (assay_queue_get_loaded (assay_session_get_queue (session)));
  g_assert_null (assay_session_get_item (session));
  g_assert_true (_assay_window_get_opening (window));
  reading = assay_test_find_accessible (GTK_WIDGET (window), "Reading the items");
  g_assert_true (GTK_IS_SPINNER (reading));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (reading)));
  /* Folded at this width, the window shows the list while it loads; the
   * workbench beside it would show a spinner, never "empty". */
  opening = assay_test_find_accessible (GTK_WIDGET (window), "Opening the project");
  g_assert_true (opening == NULL || GTK_IS_SPINNER (opening));
  g_assert_null (assay_test_find_accessible (GTK_WIDGET (window), "This Project Is Empty"));

  /* Then the first item to do, selected in the list. */
  assay_test_wait_opened (window);
  g_assert_true (assay_window_get_session (window) == session);
  g_assert_true (assay_queue_get_loaded (assay_session_get_queue (session)));
  g_assert_nonnull (assay_session_get_item (session));
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "podcast-small-margins-84");
  g_assert_null (assay_test_find_accessible (GTK_WIDGET (window), "Reading the items"));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (window), "Item 1 of 6 · To do · 0 min"));
  assay_test_screenshot_light_and_dark (GTK_WIDGET (window), "window-800x600");
  /* Folded, the list is a page of its own. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-items", NULL);
  assay_test_iterate (300);
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (window), "0 of 6 done"));
  assay_test_screenshot_light_and_dark (GTK_WIDGET (window), "window-800x600-queue");

  gtk_window_destroy (GTK_WINDOW (window));
  assay_test_iterate (50);
  assay_test_remove_copy (path);
}

/* Opening another project while one is being opened: only the last one
 * counts, and the first is let go. */
static void
test_open_twice (void)
{
  g_autofree char *first = assay_test_copy_demo ();
  g_autofree char *second = assay_test_copy_demo ();
  g_autoptr(GFile) first_file = g_file_new_for_path (first);
  g_autoptr(GFile) second_file = g_file_new_for_path (second);
  AssayWindow *window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  AssaySession *session;

  gtk_window_present (GTK_WINDOW (window));
  assay_window_open (window, first_file);
  assay_test_open (window, second_file);
  session = assay_window_get_session (window);
  g_assert_nonnull (session);
  g_assert_cmpstr (assay_project_get_path (assay_session_get_project (session)), ==, second);
  g_assert_nonnull (assay_session_get_item (session));
  assay_test_iterate (100);
  g_assert_true (assay_window_get_session (window) == session);

  gtk_window_destroy (GTK_WINDOW (window));
  assay_test_iterate (50);
  assay_test_remove_copy (first);
  assay_test_remove_copy (second);
}

/* The shortcuts window (Ctrl+?) parses and lists the workbench's keys. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/assaylab/Assay/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (overlay),
                                              "Submit and go to the next open item"));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (overlay),
                                              "Undo the last judgment, on any item"));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int    argc,
      char **argv)
{
  assay_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/ui/window/open", test_open);
  ADD ("/assay/ui/window/review-item", test_review_item);
  ADD ("/assay/ui/window/submit-refused", test_submit_refused);
  ADD ("/assay/ui/window/flow", test_flow);
  ADD ("/assay/ui/window/resume", test_resume);
  ADD ("/assay/ui/window/welcome", test_welcome);
  ADD ("/assay/ui/window/lead-windows", test_lead_windows);
  g_test_add_func ("/assay/ui/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/assay/ui/window/open-async", test_open_async);
  g_test_add_func ("/assay/ui/window/open-twice", test_open_twice);

  return g_test_run ();
}
