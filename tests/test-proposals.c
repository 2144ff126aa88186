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

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "assay-application.h"
#include "assay-candidate-view.h"
#include "assay-candidate-view-private.h"
#include "assay-judgment-panel.h"
#include "assay-judgment-panel-private.h"
#include "assay-preferences-window.h"
#include "assay-queue-row-widget.h"
#include "assay-suggest-bar.h"
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
  /* The rubric: the suggested point and the line that says why. */
  assay_judgment_panel_focus_rubric (panel (f));
  assay_test_iterate (300);
  assay_test_screenshot_light_and_dark (GTK_WIDGET (f->window), "proposals-rubric");
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

  /* Choosing the endpoint Suggest asks. */
  assay_test_click (window, "Suggest with Workstation");
  {
    g_autofree char *chosen = g_settings_get_string (settings, "suggestion-endpoint");

    g_assert_cmpstr (chosen, ==, "Workstation");
  }

  assay_test_screenshot_light_and_dark (window, "preferences");
  gtk_window_destroy (GTK_WINDOW (window));
  assay_test_iterate (50);
  g_settings_reset (settings, "suggestion-endpoints");
  g_settings_reset (settings, "suggestion-endpoint");
}


/* ---- Suggest ---- */

/* tests/chat-server.py on a free port; its answers are the first option of
 * every set, the lowest score and the candidate's first three words as a
 * span. */
typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *log;
} ChatServer;

static void
chat_server_start (ChatServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "chat-server.py", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *port = NULL;
  int fd;

  fd = g_file_open_tmp ("assay-chat-XXXXXX.log", &server->log, &error);
  g_assert_no_error (error);
  close (fd);
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "python3", script,
                                      "--log", server->log, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  port = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port);
  server->url = g_strdup_printf ("http://127.0.0.1:%s/v1", port);
}

static void
chat_server_stop (ChatServer *server)
{
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_unlink (server->log);
  g_clear_pointer (&server->log, g_free);
  g_clear_pointer (&server->url, g_free);
}

/* A server that refuses every request with 401, as an endpoint does when
 * the key is wrong: a failure with a reason, not worth a retry. */
static gboolean
refuse_cb (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source,
           gpointer                data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  const char *reply = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                      "Content-Length: 44\r\nConnection: close\r\n\r\n"
                      "{\"error\": {\"message\": \"invalid api key\"}}  ";
  gsize length = 0;
  char buffer[4096];
  gssize n;

  /* The whole request first: closing on a request still being sent looks
   * like a dropped connection, which is retried. */
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      const char *end, *field;

      g_string_append_len (request, buffer, n);
      end = strstr (request->str, "\r\n\r\n");
      if (end == NULL)
        continue;
      field = strcasestr (request->str, "content-length:");
      length = field != NULL ? g_ascii_strtoull (field + 15, NULL, 10) : 0;
      if (request->len >= (gsize) (end + 4 - request->str) + length)
        break;
    }
  g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static gboolean
not_running (gpointer data)
{
  return !assay_suggest_bar_get_running (data);
}

static AssaySuggestBar *
suggest_bar (Fixture *f)
{
  return ASSAY_SUGGEST_BAR (assay_test_find_type (GTK_WIDGET (f->window),
                                                  ASSAY_TYPE_SUGGEST_BAR));
}

/* Suggest for the item on screen: the model's judgments arrive as
 * proposals on it, the toast says how many candidates, and nothing of it
 * is the expert's. The key is sent, and is nowhere in the project. */
static void
test_suggest_item (Fixture       *f,
                   gconstpointer  data)
{
  ChatServer server = { 0 };
  AssaySuggestBar *bar = suggest_bar (f);
  AssaySession *session = assay_window_get_session (f->window);
  g_autoptr(AssayEndpoint) endpoint = NULL;
  g_autofree char *log = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  gint64 omission = option_id (f, "issues", "omission");
  guint before = n_pending (f);

  chat_server_start (&server);
  endpoint = assay_endpoint_new ("Test server", server.url, "tiny-judge");
  g_assert_false (_assay_judgment_panel_chip_is_suggested (panel (f), omission));

  _assay_suggest_bar_run_with (bar, endpoint, "sk-never-stored", FALSE);
  g_assert_true (assay_suggest_bar_get_running (bar));
  g_assert_true (assay_test_wait_for (not_running, bar, 60000));
  assert_toast (f, "Suggestions ready on 4 candidates");

  /* The new model's suggestions are proposals on screen. */
  g_assert_true (_assay_judgment_panel_chip_is_suggested (panel (f), omission));
  g_assert_cmpuint (n_pending (f), >, before);
  assert_stored (f, NOTHING);
  missing = assay_session_missing_required (session);
  g_assert_cmpuint (missing->len, >, 0);

  g_assert_true (g_file_get_contents (server.log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "Bearer sk-never-stored"));
  g_assert_true (g_file_get_contents (f->path, &file, NULL, NULL));
  g_assert_null (g_strstr_len (file, -1, "sk-never-stored"));
  chat_server_stop (&server);
}

/* An endpoint that refuses: the bar says how many failed, and Details
 * gives the reason the project keeps for each candidate. */
static void
test_suggest_failures (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEndpoint) endpoint = NULL;
  g_autofree char *url = NULL;
  AssaySuggestBar *bar = suggest_bar (f);
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (refuse_cb), NULL);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  endpoint = assay_endpoint_new ("Refusing", url, "tiny-judge");

  _assay_suggest_bar_run_with (bar, endpoint, NULL, FALSE);
  g_assert_true (assay_test_wait_for (not_running, bar, 60000));
  g_assert_cmpstr (_assay_suggest_bar_get_text (bar), ==,
                   "Suggestions ready on 0 candidates; 4 failed");
  assay_test_click (GTK_WIDGET (f->window), "_Details");
  assay_test_iterate (100);
  {
    GList *windows = gtk_window_list_toplevels ();
    gboolean found = FALSE;

    for (GList *l = windows; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        {
          const char *body = adw_message_dialog_get_body (l->data);

          g_assert_nonnull (strstr (body, "A: model:tiny-judge: "));
          g_assert_nonnull (strstr (body, "401"));
          found = TRUE;
          gtk_window_destroy (l->data);
        }
    g_list_free (windows);
    g_assert_true (found);
  }
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static gboolean
has_model_judgments (const char *path,
                     const char *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_assert_no_error (error);
  tmpl = assay_project_load_template (project, &error);
  g_assert_no_error (error);
  list = assay_project_load_proposals (project, tmpl, assay_project_lookup_source (project, source),
                                       &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((AssayProposal *) g_ptr_array_index (list, i))->annotator,
                     "model:tiny-judge"))
      return TRUE;
  return FALSE;
}

static gboolean
has_queue_row (gpointer window)
{
  GtkWidget *row = assay_test_find_type (window, ASSAY_TYPE_QUEUE_ROW_WIDGET);

  return row != NULL && assay_queue_row_widget_get_item (ASSAY_QUEUE_ROW_WIDGET (row)) != NULL;
}

/* The queue's context action asks for an item that is not on screen, with
 * the endpoint chosen in Preferences; without a keyring it goes without a
 * key (a local endpoint needs none). */
static void
test_suggest_source (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (
    (GDestroyNotify) assay_endpoint_free);
  ChatServer server = { 0 };
  AssaySuggestBar *bar = suggest_bar (f);

  chat_server_start (&server);
  g_ptr_array_add (endpoints, assay_endpoint_new ("Elsewhere", "http://127.0.0.1:9/v1", "none"));
  g_ptr_array_add (endpoints, assay_endpoint_new ("Test server", server.url, "tiny-judge"));
  assay_endpoints_save (settings, endpoints);
  g_settings_set_string (settings, "suggestion-endpoint", "Test server");

  /* A secondary click on a row of the queue offers both. */
  {
    GtkWidget *row = NULL;
    g_autoptr(GListModel) controllers = NULL;
    GtkWidget *menu = NULL;

    /* The list binds its rows once laid out, which a loaded machine delays. */
    g_assert_true (assay_test_wait_for (has_queue_row, f->window, 10000));
    row = assay_test_find_type (GTK_WIDGET (f->window), ASSAY_TYPE_QUEUE_ROW_WIDGET);
    controllers = gtk_widget_observe_controllers (row);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller) &&
            gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
          g_signal_emit_by_name (controller, "pressed", 1, 20.0, 10.0);
      }
    assay_test_iterate (200);
    menu = assay_test_find_type (row, GTK_TYPE_POPOVER_MENU);
    g_assert_nonnull (menu);
    g_assert_true (gtk_widget_get_visible (menu));
    g_assert_nonnull (assay_test_find_labelled (menu, "Suggest for This Item"));
    g_assert_nonnull (assay_test_find_labelled (menu, "Suggest for the Queue"));
    assay_test_screenshot (GTK_WIDGET (f->window), "suggest-queue-menu");
    gtk_popover_popdown (GTK_POPOVER (menu));
    assay_test_iterate (100);
    g_assert_null (assay_test_find_type (row, GTK_TYPE_POPOVER_MENU));
  }

  g_assert_false (has_model_judgments (f->path, "consult-2291"));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.suggest-source", "s", "consult-2291");
  g_assert_true (assay_suggest_bar_get_running (bar));
  g_assert_true (assay_test_wait_for (not_running, bar, 60000));
  assert_toast (f, "Suggestions ready on 3 candidates");
  g_assert_true (has_model_judgments (f->path, "consult-2291"));
  /* The item on screen did not change, nor what it proposes. */
  g_assert_cmpuint (n_pending (f), ==, 5);

  g_settings_reset (settings, "suggestion-endpoints");
  g_settings_reset (settings, "suggestion-endpoint");
  chat_server_stop (&server);
}

/* Cancel stops the run at once, and it says so. */
static void
test_suggest_cancel (Fixture       *f,
                     gconstpointer  data)
{
  ChatServer server = { 0 };
  AssaySuggestBar *bar = suggest_bar (f);
  g_autoptr(AssayEndpoint) endpoint = NULL;

  chat_server_start (&server);
  endpoint = assay_endpoint_new ("Test server", server.url, "tiny-judge");
  _assay_suggest_bar_run_with (bar, endpoint, NULL, TRUE);
  g_assert_true (assay_suggest_bar_get_running (bar));
  assay_test_screenshot (GTK_WIDGET (f->window), "suggest-running");
  assay_test_click (GTK_WIDGET (f->window), "_Cancel");
  g_assert_true (assay_test_wait_for (not_running, bar, 30000));
  chat_server_stop (&server);
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
  g_test_add ("/assay/ui/proposals/suggest-item", Fixture, NULL, fixture_setup,
              test_suggest_item, fixture_teardown);
  g_test_add ("/assay/ui/proposals/suggest-failures", Fixture, NULL, fixture_setup,
              test_suggest_failures, fixture_teardown);
  g_test_add ("/assay/ui/proposals/suggest-source", Fixture, NULL, fixture_setup,
              test_suggest_source, fixture_teardown);
  g_test_add ("/assay/ui/proposals/suggest-cancel", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_suggest_cancel, fixture_teardown);
  g_test_add_func ("/assay/ui/proposals/endpoints", test_endpoints);
  g_test_add_func ("/assay/ui/proposals/preferences-window", test_preferences_window);

  return g_test_run ();
}
