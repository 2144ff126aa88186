/* test-evidence-panel.c: suggested evidence for a claim, linked with one key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "assay-candidate-view-private.h"
#include "assay-evidence-panel.h"
#include "assay-test-ui.h"
#include "assay-transcript-view.h"

typedef struct
{
  char                *path;
  AssaySession        *session;
  AssayCandidateView  *view;
  AssayTranscriptView *transcript;
  GtkWindow           *window;
  gint64               source_id;
  gint64               candidate_id;
} Fixture;

static void
load_style (void)
{
  static GtkCssProvider *provider;

  if (provider != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/assaylab/Assay/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AssayProject *project;
  GtkWidget *paned;

  load_style ();
  fixture->path = assay_test_copy_demo ();
  if (data != NULL)
    {
      /* A project whose passages are not indexed (an older format's). */
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "INSERT INTO evidence_fts (evidence_fts)"
                                         " VALUES ('delete-all'); DELETE FROM evidence_passages;"
                                         " DELETE FROM evidence_sources;", NULL, NULL, NULL),
                       ==, SQLITE_OK);
      sqlite3_close (db);
    }
  fixture->session = assay_test_session (fixture->path);
  fixture->view = g_object_ref_sink (g_object_new (ASSAY_TYPE_CANDIDATE_VIEW, NULL));
  fixture->transcript = g_object_ref_sink (g_object_new (ASSAY_TYPE_TRANSCRIPT_VIEW, NULL));
  assay_transcript_view_set_session (fixture->transcript, fixture->session);
  assay_candidate_view_set_session (fixture->view, fixture->session);
  assay_candidate_view_set_transcript (fixture->view, fixture->transcript);
  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (fixture->transcript));
  gtk_paned_set_end_child (GTK_PANED (paned), GTK_WIDGET (fixture->view));
  gtk_paned_set_position (GTK_PANED (paned), 380);
  fixture->window = assay_test_window (paned, 800, 600);
  assay_test_catch_announcements (fixture->window);

  project = assay_session_get_project (fixture->session);
  fixture->source_id = assay_project_lookup_source (project, "consult-2291");
  g_assert_true (assay_session_load_item (fixture->session, fixture->source_id, &error));
  g_assert_no_error (error);
  fixture->candidate_id = assay_project_lookup_candidate (project, fixture->source_id, "c2");
  g_assert_cmpint (fixture->candidate_id, >, 0);
  assay_candidate_view_set_candidate (fixture->view, fixture->candidate_id);
  assay_test_iterate (50);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (g_steal_pointer (&fixture->view));
  g_assert_finalize_object (g_steal_pointer (&fixture->transcript));

  g_assert_finalize_object (g_steal_pointer (&fixture->session));
  assay_test_remove_copy (fixture->path);
  g_free (fixture->path);
}

static AssayRange
find_range (const char *text,
            const char *needle)
{
  const char *at = strstr (text, needle);
  AssayRange r;

  g_assert_nonnull (at);
  r.start = g_utf8_pointer_to_offset (text, at);
  r.end = r.start + g_utf8_strlen (needle, -1);
  return r;
}

static const char *
candidate_text (Fixture *fixture)
{
  AssayItem *item = assay_session_get_item (fixture->session);

  return assay_item_find_candidate (item, fixture->candidate_id)->text;
}

/* Selects `needle` in the candidate and puts the keyboard focus there. */
static AssayRange
select_claim (Fixture    *fixture,
              const char *needle)
{
  GtkTextView *original = _assay_candidate_view_get_text_view (fixture->view,
                                                               ASSAY_CANDIDATE_MODE_ORIGINAL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (original);
  AssayRange r = find_range (candidate_text (fixture), needle);
  GtkTextIter a, b;

  gtk_widget_grab_focus (GTK_WIDGET (original));
  gtk_text_buffer_get_iter_at_offset (buffer, &a, r.start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, r.end);
  gtk_text_buffer_select_range (buffer, &a, &b);
  assay_test_iterate (30);
  return r;
}

/* The candidate's spans as stored in the project. */
static AssayItem *
reload (Fixture             *fixture,
        AssayItemCandidate **candidate)
{
  g_autoptr(GError) error = NULL;
  AssayItem *item = assay_project_load_item (assay_session_get_project (fixture->session),
                                             fixture->source_id,
                                             assay_session_get_annotator_id (fixture->session),
                                             &error);

  g_assert_no_error (error);
  *candidate = assay_item_find_candidate (item, fixture->candidate_id);
  return item;
}

static gboolean
has_passages (gpointer data)
{
  return assay_evidence_panel_get_n_passages (data) > 0;
}

static gboolean
popover_visible (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static AssayEvidencePanel *
panel_in (GtkWidget *root)
{
  GtkWidget *panel = assay_test_find_type (root, ASSAY_TYPE_EVIDENCE_PANEL);

  g_assert_nonnull (panel);
  return ASSAY_EVIDENCE_PANEL (panel);
}

static GtkWidget *
focused (Fixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window));
}

/* Select a claim, Alt+E: the passages, best first; Enter: the claim is a
 * span with that passage as its evidence. */
static void
test_selection (Fixture       *fixture,
                gconstpointer  data)
{
  const char *source = assay_session_get_item (fixture->session)->text;
  AssayRange claim, passage;
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *stored;
  const AssayEvidencePassage *best;
  AssayEvidencePanel *panel;
  GtkWidget *row, *list, *popover = NULL;
  AssayItemSpan *span;

  assay_test_focus_window (fixture->window);
  claim = select_claim (fixture, "hives and lip swelling");
  assay_test_press (fixture->window, "<Alt>e");

  panel = NULL;
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (fixture->view)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_POPOVER (w) && gtk_widget_get_visible (w))
      {
        panel = panel_in (w);
        popover = w;
      }
  g_assert_nonnull (panel);
  g_assert_true (assay_test_wait_for (has_passages, panel, 3000));
  assay_test_iterate (50);
  assay_test_screenshot_light_and_dark (popover, "evidence-claim");

  /* Best first, the claim's words in bold, and the best one focused. */
  best = assay_evidence_panel_get_passage (panel, 0);
  g_assert_nonnull (strstr (best->text, "hives and lip swelling"));
  g_assert_cmpuint (assay_evidence_panel_get_n_passages (panel), >=, 2);
  g_assert_nonnull (strstr (assay_evidence_panel_get_passage (panel, 1)->text, "hives all over"));
  row = focused (fixture);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), ==, 0);
  {
    GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "<b>hives</b>"));
  }
  list = gtk_widget_get_parent (row);
  g_assert_true (GTK_IS_LIST_BOX (list));
  g_assert_nonnull (assay_test_find_accessible (GTK_WIDGET (panel),
                                                "Suggested evidence, best first"));

  passage.start = best->start;
  passage.end = best->end;
  assay_test_press (fixture->window, "Return");
  assay_test_iterate (50);

  item = reload (fixture, &stored);
  g_assert_cmpuint (stored->spans->len, ==, 1);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpint (span->start, ==, claim.start);
  g_assert_cmpint (span->end, ==, claim.end);
  g_assert_cmpuint (span->evidence->len, ==, 1);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).start, ==, passage.start);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).end, ==, passage.end);
  g_assert_cmpint (passage.start, ==, find_range (source, "And I've updated your record").start);
  g_assert_nonnull (assay_test_last_announcement (fixture->window));
}

/* An open span shows its suggestions; Down, Enter links the second. */
static void
test_span (Fixture       *fixture,
           gconstpointer  data)
{
  const char *source = assay_session_get_item (fixture->session)->text;
  GtkPopover *popover = _assay_candidate_view_get_span_popover (fixture->view);
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *stored;
  AssayEvidencePanel *panel;
  AssayItemSpan *span;
  AssayRange second;
  gint64 option_id = 0;

  for (guint i = 0; i < assay_session_get_template (fixture->session)->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (assay_session_get_template (fixture->session)
                                              ->label_sets, i);

      for (guint k = 0; k < set->options->len && option_id == 0; k++)
        if (g_strcmp0 (((AssayLabelOption *) g_ptr_array_index (set->options, k))->name,
                       "unsupported") == 0)
          option_id = ((AssayLabelOption *) g_ptr_array_index (set->options, k))->id;
    }
  g_assert_cmpint (option_id, >, 0);

  assay_test_focus_window (fixture->window);
  select_claim (fixture, "hives and lip swelling");
  g_assert_true (assay_candidate_view_mark_selection (fixture->view, option_id));
  assay_test_iterate (30);

  /* With the cursor on the span, Alt+E opens it at its suggestions. */
  assay_test_press (fixture->window, "<Alt>e");
  g_assert_true (assay_test_wait_for (popover_visible, popover, 2000));
  panel = panel_in (GTK_WIDGET (popover));
  g_assert_true (assay_test_wait_for (has_passages, panel, 3000));
  assay_test_iterate (50);
  g_assert_true (GTK_IS_LIST_BOX_ROW (focused (fixture)));

  assay_test_screenshot_light_and_dark (GTK_WIDGET (fixture->window), "evidence-window");
  assay_test_screenshot_light_and_dark (GTK_WIDGET (popover), "evidence-panel");

  second.start = assay_evidence_panel_get_passage (panel, 1)->start;
  second.end = assay_evidence_panel_get_passage (panel, 1)->end;
  assay_test_press (fixture->window, "Down");
  assay_test_press (fixture->window, "Return");
  assay_test_iterate (50);

  item = reload (fixture, &stored);
  g_assert_cmpuint (stored->spans->len, ==, 1);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpint (span->option_id, ==, option_id);
  g_assert_cmpuint (span->evidence->len, ==, 1);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).start, ==, second.start);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).end, ==, second.end);
  g_assert_cmpint (second.start, ==, find_range (source, "Oh, yes. Years ago").start);

  /* Escape closes the editor, as the expert does. */
  assay_test_press (fixture->window, "Escape");
  g_assert_true (assay_test_wait_for (popover_hidden, popover, 2000));
}

static gboolean
claim_popover_open (gpointer data)
{
  Fixture *fixture = data;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (fixture->view)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_POPOVER (w) && gtk_widget_get_visible (w))
      return TRUE;
  return FALSE;
}

static gboolean
row_focused (gpointer data)
{
  Fixture *fixture = data;

  return GTK_IS_LIST_BOX_ROW (focused (fixture));
}

/* Without an index, the passages come once a worker has made it, and the
 * focus goes to the best one then. */
static void
test_indexing (Fixture       *fixture,
               gconstpointer  data)
{
  AssayProject *project = assay_session_get_project (fixture->session);
  AssayEvidencePanel *panel = NULL;

  g_assert_false (assay_evidence_is_ready (project, fixture->source_id));
  assay_test_focus_window (fixture->window);
  select_claim (fixture, "hives and lip swelling");
  assay_test_press (fixture->window, "<Alt>e");
  g_assert_true (assay_test_wait_for (claim_popover_open, fixture, 2000));
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (fixture->view)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_POPOVER (w) && gtk_widget_get_visible (w))
      panel = panel_in (w);
  g_assert_nonnull (panel);
  /* Reading the transcript first, then the passages. */
  g_assert_true (assay_test_wait_for (has_passages, panel, 5000));
  g_assert_true (assay_evidence_is_ready (project, fixture->source_id));
  g_assert_nonnull (strstr (assay_evidence_panel_get_passage (panel, 0)->text,
                            "hives and lip swelling"));
  g_assert_true (assay_test_wait_for (row_focused, fixture, 2000));
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/assay/ui/evidence-panel/selection", Fixture, NULL,
              fixture_setup, test_selection, fixture_teardown);
  g_test_add ("/assay/ui/evidence-panel/span", Fixture, NULL,
              fixture_setup, test_span, fixture_teardown);
  g_test_add ("/assay/ui/evidence-panel/indexing", Fixture, "unindexed",
              fixture_setup, test_indexing, fixture_teardown);

  return g_test_run ();
}
