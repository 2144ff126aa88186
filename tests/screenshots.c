/* screenshots.c: regenerates the README and AppStream screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real window on a copy of the demo project, brings it into the
 * states the README shows, and renders each to data/screenshots/NAME.png.
 * Run it with build-aux/screenshots.sh (under Xvfb).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-candidate-view-private.h"
#include "assay-candidate-view.h"
#include "assay-judgment-panel.h"
#include "assay-ranking-view-private.h"
#include "assay-review-page.h"
#include "assay-test-ui.h"
#include "assay-transcript-view.h"
#include "assay-window.h"

static void
select_text (GtkTextView *view,
             const char  *needle)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_forward_search (&start, needle, 0, &match_start, &match_end, NULL))
    g_error ("“%s” is not in the text", needle);
  gtk_text_buffer_select_range (buffer, &match_start, &match_end);
}

static GtkWidget *
find (AssayWindow *window,
      GType        type)
{
  GtkWidget *widget = assay_test_find_type (GTK_WIDGET (window), type);

  g_assert_nonnull (widget);
  return widget;
}

static void
shoot (AssayWindow *window,
       const char  *name)
{
  g_autofree char *path = NULL;

  assay_test_iterate (400);
  path = assay_test_screenshot (GTK_WIDGET (window), name);
  g_print ("%s\n", path);
}

/* Marks `needle` in the candidate with a span label, and links evidence. */
static void
mark (AssayWindow *window,
      const char  *needle,
      const char  *label,
      const char  *evidence)
{
  AssaySession *session = assay_window_get_session (window);
  AssayCandidateView *candidate = ASSAY_CANDIDATE_VIEW (find (window, ASSAY_TYPE_CANDIDATE_VIEW));
  AssayTemplate *tmpl = assay_session_get_template (session);
  AssayLabelOption *option = assay_template_find_option (tmpl, "claims", label,
                                                         ASSAY_SCOPE_SPAN, NULL, NULL);

  select_text (_assay_candidate_view_get_text_view (candidate, ASSAY_CANDIDATE_MODE_ORIGINAL),
               needle);
  g_assert_true (assay_candidate_view_mark_selection (candidate, option->id));
  if (evidence != NULL)
    {
      select_text (GTK_TEXT_VIEW (assay_test_find_accessible (GTK_WIDGET (window), "Transcript")),
                   evidence);
      gtk_widget_activate_action (GTK_WIDGET (candidate), "candidate.open-span", NULL);
      assay_test_iterate (100);
      assay_test_click (GTK_WIDGET (window), "Add Transcript Selection as Evidence");
      gtk_popover_popdown (_assay_candidate_view_get_span_popover (candidate));
    }
}

int
main (int    argc,
      char **argv)
{
  const char *out = argc > 1 ? argv[1] : "data/screenshots";
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  AssayWindow *window;
  AssayReviewPage *page;
  AssayCandidateView *candidate;

  g_setenv ("ASSAY_SCREENSHOT_DIR", out, TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);
  assay_test_ui_init (&argc, &argv);
  /* gtk_test_init makes warnings fatal; a picture is still worth taking. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);

  path = assay_test_copy_demo ();
  file = g_file_new_for_path (path);
  window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  /* Welcome: with the demo among the recent projects. */
  assay_test_open (window, file);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL);
  shoot (window, "welcome");

  assay_test_open (window, file);
  page = ASSAY_REVIEW_PAGE (find (window, ASSAY_TYPE_REVIEW_PAGE));
  candidate = ASSAY_CANDIDATE_VIEW (find (window, ASSAY_TYPE_CANDIDATE_VIEW));

  /* Review: claims marked in candidate A, one linked to its evidence,
   * labels and rubric scores with a rationale. */
  mark (window, "who started Fernhollow with Dana Whitcombe", "supported", NULL);
  mark (window, "roughly $6 million in annual revenue", "unsupported",
        "I'm going to politely not give you a revenue number");
  mark (window, "operates 14 sites across three states", "supported", NULL);
  assay_judgment_panel_activate_key (ASSAY_JUDGMENT_PANEL (find (window,
                                                                 ASSAY_TYPE_JUDGMENT_PANEL)),
                                     "n");
  assay_judgment_panel_activate_key (ASSAY_JUDGMENT_PANEL (find (window,
                                                                 ASSAY_TYPE_JUDGMENT_PANEL)),
                                     "r");
  assay_test_click (GTK_WIDGET (window), "Faithfulness 2");
  assay_test_click (GTK_WIDGET (window), "Coverage 4");
  gtk_editable_set_text (GTK_EDITABLE (assay_test_find_accessible (GTK_WIDGET (window),
                                                                   "Faithfulness rationale")),
                         "States a revenue figure the guest explicitly declined to give.");
  {
    /* Show the evidence of the unsupported claim, as a click on it does. */
    AssaySession *session = assay_window_get_session (window);
    AssayItem *item = assay_session_get_item (session);
    g_autoptr(GPtrArray) candidates = assay_session_display_candidates (session);
    AssayItemCandidate *a = g_ptr_array_index (candidates, 0);

    for (guint i = 0; i < a->spans->len; i++)
      {
        AssayItemSpan *span = g_ptr_array_index (a->spans, i);

        if (span->evidence->len > 0)
          assay_transcript_view_show_evidence (ASSAY_TRANSCRIPT_VIEW (find (window,
                                                                            ASSAY_TYPE_TRANSCRIPT_VIEW)),
                                               span->evidence);
      }
    (void) item;
  }
  shoot (window, "review");

  /* The correction and its word-level changes. */
  assay_candidate_view_set_mode (candidate, ASSAY_CANDIDATE_MODE_EDIT);
  {
    GtkTextView *editor = _assay_candidate_view_get_text_view (candidate,
                                                               ASSAY_CANDIDATE_MODE_EDIT);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (editor);
    GtkTextIter start, end;

    gtk_text_buffer_get_start_iter (buffer, &start);
    g_assert_true (gtk_text_iter_forward_search (&start, "which now brings in roughly $6 million "
                                                 "in annual revenue, operates", 0, &start, &end,
                                                 NULL));
    gtk_text_buffer_delete (buffer, &start, &end);
    gtk_text_buffer_insert (buffer, &start, "which now operates", -1);
  }
  assay_candidate_view_flush (candidate);
  assay_candidate_view_set_mode (candidate, ASSAY_CANDIDATE_MODE_CHANGES);
  shoot (window, "correction");

  /* Ranking with a tie. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.mode", "s", "rank");
  {
    AssaySession *session = assay_window_get_session (window);
    g_autoptr(GPtrArray) candidates = assay_session_display_candidates (session);
    AssayRankingView *ranking = ASSAY_RANKING_VIEW (find (window, ASSAY_TYPE_RANKING_VIEW));
    /* Best first, so that each rank set lands where it is meant to. */
    guint order[] = { 1, 2, 3, 0 };
    int ranks[] = { 1, 2, 2, 3 };

    for (guint i = 0; i < candidates->len && i < G_N_ELEMENTS (ranks); i++)
      {
        AssayItemCandidate *c = g_ptr_array_index (candidates, order[i]);

        gtk_widget_activate_action (_assay_ranking_view_get_row (ranking, c->id),
                                    "ranking.set-rank", "(xi)", c->id, ranks[i]);
        assay_test_iterate (50);
      }
  }
  shoot (window, "ranking");

  /* Dark mode, on the review page. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.mode", "s", "review");
  assay_candidate_view_set_mode (candidate, ASSAY_CANDIDATE_MODE_ORIGINAL);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  shoot (window, "dark");

  /* And narrow: 800 by 600, the sidebar folded away. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  shoot (window, "narrow");

  gtk_window_destroy (GTK_WINDOW (window));
  assay_test_remove_copy (path);
  return 0;
}
