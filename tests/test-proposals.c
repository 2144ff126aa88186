/* test-proposals.c: a model's judgments shown as proposals, and accepted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model annotator's labels, scores and a span (with a pre-check's reason
 * as its note) are written into a copy of the demo through the core, the
 * real window opens it, and real keys accept them. What counts is what the
 * project file holds for the expert afterwards, read again through the
 * core.
 */
#include "config.h"

#include "assay-application.h"
#include "assay-candidate-view.h"
#include "assay-candidate-view-private.h"
#include "assay-judgment-panel.h"
#include "assay-judgment-panel-private.h"
#include "assay-preferences-window.h"
#include "assay-test-ui.h"
#include "assay-window.h"

#define FIRST "podcast-small-margins-84"
#define REASON "14 sites does not occur in the source"
#define RATIONALE "Says 14 sites; the episode never gives a count"

typedef struct
{
  char        *path;
  AssayWindow *window;
} Fixture;

/* What the model "model:test-judge" suggested on every candidate of the
 * first item: padding and reject, faithfulness 2 (with a rationale) and
 * coverage 4, and the first ten characters as unsupported (with a reason). */
static void
write_suggestions (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayItem) item = NULL;
  AssayLabelSet *issues, *verdict;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  gint64 judge = 0;

  g_assert_no_error (error);
  tmpl = assay_project_load_template (project, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_ensure_annotator (project, "model:test-judge", "Test Judge",
                                                 ASSAY_ANNOTATOR_MODEL, &judge, &error));
  item = assay_project_load_item (project, assay_project_lookup_source (project, FIRST), judge,
                                  &error);
  g_assert_no_error (error);
  issues = assay_template_find_label_set (tmpl, "issues");
  verdict = assay_template_find_label_set (tmpl, "verdict");

  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (item->candidates, i);
      gint64 padding = assay_template_find_option (tmpl, "issues", "padding",
                                                   ASSAY_SCOPE_CANDIDATE, NULL, NULL)->id;
      gint64 reject = assay_template_find_option (tmpl, "verdict", "reject",
                                                  ASSAY_SCOPE_CANDIDATE, NULL, NULL)->id;
      gint64 unsupported = assay_template_find_option (tmpl, "claims", "unsupported",
                                                       ASSAY_SCOPE_SPAN, NULL, NULL)->id;

      g_assert_true (assay_project_set_labels (project, c->id, judge, issues->id, &padding, 1,
                                               &stamp, &error));
      g_assert_true (assay_project_set_labels (project, c->id, judge, verdict->id, &reject, 1,
                                               &stamp, &error));
      g_assert_true (assay_project_set_score (project, c->id, judge,
                                              assay_template_find_criterion (tmpl, "faithfulness")->id,
                                              2, RATIONALE, &stamp, &error));
      g_assert_true (assay_project_set_score (project, c->id, judge,
                                              assay_template_find_criterion (tmpl, "coverage")->id,
                                              4, NULL, &stamp, &error));
      g_assert_true (assay_project_save_span (project, 0, c->id, judge, 0, 10, unsupported,
                                              REASON, NULL, 0, &stamp, NULL, &error));
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  gboolean small = GPOINTER_TO_INT (data);

  f->path = assay_test_copy_demo ();
  write_suggestions (f->path);
  file = g_file_new_for_path (f->path);
  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), small ? 800 : 1300, small ? 600 : 820);
  gtk_window_present (GTK_WINDOW (f->window));
  assay_test_open (f->window, file);
  assay_test_iterate (200);
  assay_test_focus_window (GTK_WINDOW (f->window));
}

/* The focus where the expert reads: in the candidate's text, away from the
 * suggested span at its start. */
static void
focus_text (Fixture *f)
{
  GtkWidget *text = assay_test_find_accessible (GTK_WIDGET (f->window), "Candidate text");

  g_assert_nonnull (text);
  assay_test_click_at (text, gtk_widget_get_width (text) / 2.0,
                       gtk_widget_get_height (text) / 2.0);
  assay_test_iterate (20);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  assay_test_iterate (50);
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

/* ---- what is stored ---- */

/* The expert's judgments on the candidate on screen as a fresh reader of
 * the file sees them: labels, scores, spans; and the item's status. */
static char *
stored (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayItem) item = NULL;
  AssaySession *session = assay_window_get_session (f->window);
  gint64 candidate_id = assay_session_get_candidate (session);
  AssayItemCandidate *c;
  GString *s = g_string_new (NULL);
  gint64 me;

  g_assert_no_error (error);
  tmpl = assay_project_load_template (project, &error);
  g_assert_no_error (error);
  me = assay_project_lookup_annotator (project, g_get_user_name ());
  g_assert_cmpint (me, !=, 0);
  item = assay_project_load_item (project, assay_project_lookup_source (project, FIRST), me,
                                  &error);
  g_assert_no_error (error);
  c = assay_item_find_candidate (item, candidate_id);
  g_assert_nonnull (c);

  g_string_append_printf (s, "%s; labels", assay_status_to_string (item->status));
  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      for (guint j = 0; j < set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, j);

          for (guint k = 0; k < c->labels->len; k++)
            if (g_array_index (c->labels, gint64, k) == option->id)
              g_string_append_printf (s, " %s", option->name);
        }
    }
  for (guint i = 0; i < tmpl->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, i);
      AssayItemScore *score = g_hash_table_lookup (c->scores, &criterion->id);

      if (score != NULL)
        g_string_append_printf (s, "; %s %d %s", criterion->name, score->value,
                                score->rationale != NULL ? score->rationale : "-");
    }
  for (guint i = 0; i < c->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (c->spans, i);

      g_string_append_printf (s, "; span %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s %s",
                              span->start, span->end,
                              assay_template_option_by_id (tmpl, span->option_id, NULL)->name,
                              span->note != NULL ? span->note : "-");
    }
  return g_string_free (s, FALSE);
}

#define assert_stored(f, expected) G_STMT_START { \
    g_autofree char *s__ = stored (f); \
    g_assert_cmpstr (s__, ==, expected); \
  } G_STMT_END

#define NOTHING "todo; labels"
#define EVERYTHING "in_progress; labels padding reject; faithfulness 2 " RATIONALE \
                   "; coverage 4 -; span 0-10 unsupported " REASON

/* ---- the window ---- */

static AssayJudgmentPanel *
panel (Fixture *f)
{
  return ASSAY_JUDGMENT_PANEL (assay_test_find_type (GTK_WIDGET (f->window),
                                                     ASSAY_TYPE_JUDGMENT_PANEL));
}

static AssayCandidateView *
candidate_view (Fixture *f)
{
  return ASSAY_CANDIDATE_VIEW (assay_test_find_type (GTK_WIDGET (f->window),
                                                     ASSAY_TYPE_CANDIDATE_VIEW));
}

static gint64
option_id (Fixture    *f,
           const char *set,
           const char *name)
{
  AssayTemplate *tmpl = assay_session_get_template (assay_window_get_session (f->window));

  return assay_template_find_option (tmpl, set, name, ASSAY_SCOPE_CANDIDATE, NULL, NULL)->id;
}

static gint64
criterion_id (Fixture    *f,
              const char *name)
{
  AssayTemplate *tmpl = assay_session_get_template (assay_window_get_session (f->window));

  return assay_template_find_criterion (tmpl, name)->id;
}

static const char *
wait_for_toast (Fixture    *f,
                const char *expected)
{
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  const char *found;

  while ((found = assay_test_find_toast (GTK_WIDGET (f->window), expected)) == NULL &&
         g_get_monotonic_time () < until)
    assay_test_iterate (10);
  return found;
}

#define assert_toast(f, expected) G_STMT_START { \
    const char *t__ = wait_for_toast ((f), (expected)); \
    g_assert_cmpstr (t__, ==, expected); \
  } G_STMT_END

/* Nothing is pending on screen any more than `n` proposals. */
static guint
n_pending (Fixture *f)
{
  AssaySession *session = assay_window_get_session (f->window);
  GPtrArray *pending = assay_session_get_proposals (session);
  gint64 candidate_id = assay_session_get_candidate (session);
  guint n = 0;

  for (guint i = 0; i < pending->len; i++)
    if (((AssayProposal *) g_ptr_array_index (pending, i))->candidate_id == candidate_id)
      n++;
  return n;
}

/* ---- the tests ---- */

/* The model's judgments are shown apart from the expert's, and are not the
 * expert's: nothing is stored, nothing is scored, the item is still to do. */
static void
test_shown (Fixture       *f,
            gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autoptr(GPtrArray) missing = NULL;
  const char *suggestion;
  GtkToggleButton *chip;

  g_assert_cmpuint (n_pending (f), ==, 5);
  g_assert_true (_assay_judgment_panel_chip_is_suggested (panel (f),
                                                          option_id (f, "issues", "padding")));
  g_assert_true (_assay_judgment_panel_chip_is_suggested (panel (f),
                                                          option_id (f, "verdict", "reject")));
  g_assert_false (_assay_judgment_panel_chip_is_suggested (panel (f),
                                                           option_id (f, "verdict", "accept")));
  /* Suggested is not chosen. */
  chip = GTK_TOGGLE_BUTTON (assay_test_find_accessible (GTK_WIDGET (f->window), "Padding"));
  g_assert_nonnull (chip);
  g_assert_false (gtk_toggle_button_get_active (chip));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (chip)), ==,
                   "Suggested by Test Judge\n"
                   "Contains generic filler that would fit any summary: praise, clich\u00e9s, "
                   "restating the topic.");

  suggestion = _assay_judgment_panel_get_suggestion (panel (f), criterion_id (f, "faithfulness"));
  g_assert_cmpstr (suggestion, ==, "Suggested 2 by Test Judge \u2014 " RATIONALE);
  g_assert_false (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (assay_test_find_accessible (GTK_WIDGET (f->window), "Faithfulness 2"))));
  g_assert_null (_assay_judgment_panel_get_suggestion (panel (f), criterion_id (f, "concision")));
  g_assert_cmpuint (_assay_candidate_view_get_n_suggested_spans (candidate_view (f)), ==, 1);

  /* Not the expert's work: required criteria are still missing. */
  missing = assay_session_missing_required (session);
  g_assert_cmpuint (missing->len, >, 0);
  assert_stored (f, NOTHING);
}

/* "." accepts the next proposal as the expert's own judgment, says so, and
 * Ctrl+Z takes it back. */
static void
test_accept_one (Fixture       *f,
                 gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autofree char *letter = assay_session_candidate_letter (session,
                                                            assay_session_get_candidate (session));
  g_autofree char *toast = g_strdup_printf ("Suggestion accepted: Padding marked on %s", letter);

  focus_text (f);
  assay_test_press (GTK_WINDOW (f->window), "period");
  assert_toast (f, toast);
  assert_stored (f, "in_progress; labels padding");
  g_assert_false (_assay_judgment_panel_chip_is_suggested (panel (f),
                                                           option_id (f, "issues", "padding")));
  g_assert_cmpuint (n_pending (f), ==, 4);

  assay_test_press (GTK_WINDOW (f->window), "<Control>z");
  assay_test_iterate (50);
  assert_stored (f, NOTHING);
  g_assert_true (_assay_judgment_panel_chip_is_suggested (panel (f),
                                                          option_id (f, "issues", "padding")));
  g_assert_cmpuint (n_pending (f), ==, 5);
}

/* "*" accepts every proposal on the candidate in one step: a span with its
 * reason as the note, a score with its rationale. One undo takes all back. */
static void
test_accept_all (Fixture       *f,
                 gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autofree char *letter = assay_session_candidate_letter (session,
                                                            assay_session_get_candidate (session));
  g_autofree char *toast = g_strdup_printf ("5 suggestions accepted on %s", letter);

  focus_text (f);
  assay_test_press (GTK_WINDOW (f->window), "asterisk");
  assert_toast (f, toast);
  assert_stored (f, EVERYTHING);
  g_assert_cmpuint (n_pending (f), ==, 0);
  g_assert_cmpuint (_assay_candidate_view_get_n_suggested_spans (candidate_view (f)), ==, 0);
  g_assert_null (_assay_judgment_panel_get_suggestion (panel (f), criterion_id (f, "faithfulness")));
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (assay_test_find_accessible (GTK_WIDGET (f->window), "Faithfulness 2"))));

  /* Nothing left: the key says so and changes nothing. */
  assay_test_press (GTK_WINDOW (f->window), "period");
  assay_test_iterate (50);
  assert_stored (f, EVERYTHING);

  assay_test_press (GTK_WINDOW (f->window), "<Control>z");
  assay_test_iterate (50);
  assert_stored (f, NOTHING);
  g_assert_cmpuint (n_pending (f), ==, 5);
  g_assert_cmpuint (_assay_candidate_view_get_n_suggested_spans (candidate_view (f)), ==, 1);
}

/* The expert's own judgment replaces the proposal: another score settles
 * the suggested one, and another option of a single-choice set too. With
 * the focus on a criterion's scale, "." takes that criterion's suggestion. */
static void
test_editing_replaces (Fixture       *f,
                       gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  gint64 candidate_id = assay_session_get_candidate (session);
  GtkWidget *faithfulness;

  /* Clicking a point of the scale is the expert's own score. */
  assay_test_click (GTK_WIDGET (f->window), "Coverage 1");
  assay_test_iterate (50);
  g_assert_null (_assay_judgment_panel_get_suggestion (panel (f), criterion_id (f, "coverage")));
  assert_stored (f, "in_progress; labels; coverage 1 -");

  faithfulness = assay_test_find_accessible (GTK_WIDGET (f->window), "Faithfulness 1");
  gtk_widget_grab_focus (faithfulness);
  assay_test_iterate (20);
  assay_test_press (GTK_WINDOW (f->window), "period");
  assay_test_iterate (50);
  assert_stored (f, "in_progress; labels; faithfulness 2 " RATIONALE "; coverage 1 -");

  g_assert_true (assay_session_toggle_label (session, candidate_id,
                                             option_id (f, "verdict", "accept"), NULL));
  assay_test_iterate (20);
  g_assert_false (_assay_judgment_panel_chip_is_suggested (panel (f),
                                                           option_id (f, "verdict", "reject")));
  /* Padding and the span are still waiting. */
  g_assert_cmpuint (n_pending (f), ==, 2);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  assay_test_iterate (200);
  assay_test_screenshot_light_and_dark (GTK_WIDGET (f->window), "proposals");
}

/* ---- preferences ---- */

static void
test_endpoints (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GVariant) stored_list = NULL;
  AssayEndpoint *e;

  g_settings_reset (settings, "suggestion-endpoints");
  endpoints = assay_endpoints_load (settings);
  g_assert_cmpuint (endpoints->len, ==, 0);

  g_ptr_array_add (endpoints, assay_endpoint_new ("Local Ollama", "http://localhost:11434/v1",
                                                  "qwen2.5:7b"));
  g_ptr_array_add (endpoints, assay_endpoint_new ("vLLM", "http://gpu-box:8000/v1",
                                                  "meta-llama/Llama-3.1-8B-Instruct"));
  assay_endpoints_save (settings, endpoints);
  stored_list = g_settings_get_value (settings, "suggestion-endpoints");
  g_assert_cmpstr (g_variant_print (stored_list, FALSE), ==,
                   "[('Local Ollama', 'http://localhost:11434/v1', 'qwen2.5:7b'), "
                   "('vLLM', 'http://gpu-box:8000/v1', 'meta-llama/Llama-3.1-8B-Instruct')]");
  g_clear_pointer (&endpoints, g_ptr_array_unref);

  endpoints = assay_endpoints_load (settings);
  g_assert_cmpuint (endpoints->len, ==, 2);
  e = g_ptr_array_index (endpoints, 1);
  g_assert_cmpstr (e->name, ==, "vLLM");
  g_assert_cmpstr (e->url, ==, "http://gpu-box:8000/v1");
  g_assert_cmpstr (e->model, ==, "meta-llama/Llama-3.1-8B-Instruct");
  g_settings_reset (settings, "suggestion-endpoints");
}

/* The window shows the endpoints, and one added through its rows is in the
 * settings; the key never is. */
static void
test_preferences_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (
    (GDestroyNotify) assay_endpoint_free);
  g_autoptr(GVariant) list = NULL;
  g_autofree char *printed = NULL;
  GtkWidget *window;

  g_settings_reset (settings, "suggestion-endpoints");
  g_ptr_array_add (endpoints, assay_endpoint_new ("Local Ollama", "http://localhost:11434/v1",
                                                  "qwen2.5:7b"));
  assay_endpoints_save (settings, endpoints);

  window = assay_preferences_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);
  gtk_window_present (GTK_WINDOW (window));
  assay_test_iterate (200);
  g_assert_nonnull (assay_test_find_labelled (window, "Local Ollama"));

  _assay_preferences_window_add_endpoint (ASSAY_PREFERENCES_WINDOW (window), "Workstation",
                                          "http://127.0.0.1:8080/v1", "llama-3-8b",
                                          "sk-test-secret-key");
  assay_test_iterate (100);
  g_assert_nonnull (assay_test_find_labelled (window, "Workstation"));
  list = g_settings_get_value (settings, "suggestion-endpoints");
  printed = g_variant_print (list, FALSE);
  g_assert_cmpstr (printed, ==,
                   "[('Local Ollama', 'http://localhost:11434/v1', 'qwen2.5:7b'), "
                   "('Workstation', 'http://127.0.0.1:8080/v1', 'llama-3-8b')]");
  g_assert_null (strstr (printed, "sk-test"));

  /* Under the tests' own D-Bus there is no keyring: the window says what to
   * do about the key, and the endpoint stays. */
  if (g_getenv ("ASSAY_TEST_HAS_KEYRING") == NULL)
    {
      const char *message = NULL;

      for (int i = 0; i < 100 && message == NULL; i++)
        {
          assay_test_iterate (20);
          message = assay_test_find_toast (window, "The API key was not saved");
        }
      g_assert_nonnull (message);
    }
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "suggestions");
  assay_test_iterate (100);

  assay_test_screenshot_light_and_dark (window, "preferences");
  gtk_window_destroy (GTK_WINDOW (window));
  assay_test_iterate (50);
  g_settings_reset (settings, "suggestion-endpoints");
}

int
main (int    argc,
      char **argv)
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/assay/ui/proposals/shown", Fixture, NULL, fixture_setup, test_shown,
              fixture_teardown);
  g_test_add ("/assay/ui/proposals/accept-one", Fixture, NULL, fixture_setup, test_accept_one,
              fixture_teardown);
  g_test_add ("/assay/ui/proposals/accept-all", Fixture, NULL, fixture_setup, test_accept_all,
              fixture_teardown);
  g_test_add ("/assay/ui/proposals/editing-replaces", Fixture, NULL, fixture_setup,
              test_editing_replaces, fixture_teardown);
  g_test_add ("/assay/ui/proposals/screenshots", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_screenshots, fixture_teardown);
  g_test_add_func ("/assay/ui/proposals/endpoints", test_endpoints);
  g_test_add_func ("/assay/ui/proposals/preferences-window", test_preferences_window);

  return g_test_run ();
}
