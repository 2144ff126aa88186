/* test-concurrency.c: the app, its file dialogs and assay-cli on one project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the project used to be corrupted in ordinary use: the Import or
 * Export file chooser listed the project's folder and read the project's
 * files to guess their type, which dropped the locks SQLite held on them in
 * the app's process; then any assay-cli call took the app for gone,
 * checkpointed and deleted the WAL the app was writing into. This test
 * opens both choosers on the project's folder, checks that the app still
 * holds its locks, runs assay-cli reads and writes beside the window, keeps
 * judging, quits, and checks the file and every judgment.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-export-dialog-private.h"
#include "assay-export-dialog.h"
#include "assay-test-run.h"
#include "assay-test-ui.h"
#include "assay-window.h"

typedef struct
{
  char        *path;
  char        *dir;
  char        *previous_cwd;
  AssayWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* Who is judging, so that no question stands in the way. */
  g_settings_set_string (settings, "annotator-id", "dr-lund");
  g_settings_set_string (settings, "annotator-name", "Dr. Ada Lund");

  f->path = assay_test_copy_demo ();
  f->dir = g_path_get_dirname (f->path);
  /* The import chooser opens where the app was started. */
  f->previous_cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (f->dir), ==, 0);

  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  file = g_file_new_for_path (f->path);
  assay_test_open (f->window, file);
  assay_test_iterate (200);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  assay_test_iterate (50);
  g_chdir (f->previous_cwd);
  assay_test_remove_copy (f->path);
  g_free (f->previous_cwd);
  g_free (f->dir);
  g_free (f->path);
}

static void
assert_locks_held (Fixture *f)
{
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_assert_true (assay_test_holds_posix_lock (f->path));
  g_assert_true (assay_test_holds_posix_lock (shm));
}

static GtkWidget *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

/* Lets the chooser list the project's folder (it reads every file's type,
 * then, as the user looks around), and cancels it. */
static void
browse_and_cancel (Fixture *f)
{
  GtkWidget *chooser;
  g_autoptr(GFile) folder = g_file_new_for_path (f->dir);

  g_assert_true (assay_test_wait_for (chooser_shown, NULL, 5000));
  chooser = find_chooser ();
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  assay_test_iterate (1500);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  assay_test_iterate (200);
  g_assert_null (find_chooser ());
}

/* Every command a script might run beside the window: reads work, writes
 * are refused with a message that says why, and nothing is lost. */
static void
run_commands (Fixture *f)
{
  g_autofree char *out = g_build_filename (f->dir, "beside.jsonl", NULL);
  g_autofree char *input = g_build_filename (f->dir, "more.jsonl", NULL);
  g_auto(AssayTestRun) r = { 0 };

  g_assert_true (g_file_set_contents (input, "{\"id\": \"more-1\", \"text\": \"More.\"}\n", -1,
                                      NULL));
  assay_test_run_cli (&r, "info", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "export", f->path, "--format", "native", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "agreement", f->path, NULL);
  g_assert_cmpint (r.status, !=, 2);
  assay_test_run_cli (&r, "check", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "import", f->path, input, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "is open in Assay"));
  assay_test_run_cli (&r, "merge", f->path, input, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "is open in Assay"));
}

typedef struct
{
  gint64 candidate;
  gint64 criterion;
  int    value;
} Score;

/* Scores every criterion of every candidate of the item on screen, as
 * the workbench does, and returns what it set. */
static GArray *
judge_item (AssaySession *session,
            int           seed)
{
  AssayTemplate *tmpl = assay_session_get_template (session);
  AssayItem *item = assay_session_get_item (session);
  GArray *scores = g_array_new (FALSE, FALSE, sizeof (Score));

  g_assert_nonnull (item);
  for (guint c = 0; c < item->candidates->len; c++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, c);

      for (guint k = 0; k < tmpl->criteria->len; k++)
        {
          AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, k);
          Score s = { candidate->id, criterion->id,
                      criterion->min + (int) ((c + k + seed) % (criterion->max - criterion->min + 1)) };
          g_autoptr(GError) error = NULL;

          g_assert_true (assay_session_set_score (session, s.candidate, s.criterion, s.value,
                                                  "checked against the transcript", &error));
          g_assert_no_error (error);
          g_array_append_val (scores, s);
        }
    }
  return scores;
}

static void
assert_stored (const char *path,
               gint64      source_id,
               GArray     *scores)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  g_autoptr(AssayItem) item = NULL;
  gint64 annotator;

  g_assert_no_error (error);
  annotator = assay_project_lookup_annotator (project, "dr-lund");
  g_assert_cmpint (annotator, !=, 0);
  item = assay_project_load_item (project, source_id, annotator, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < scores->len; i++)
    {
      Score *s = &g_array_index (scores, Score, i);
      AssayItemCandidate *candidate = assay_item_find_candidate (item, s->candidate);
      AssayItemScore *stored = g_hash_table_lookup (candidate->scores, &s->criterion);

      g_assert_nonnull (stored);
      g_assert_cmpint (stored->value, ==, s->value);
    }
}

static void
test_dialogs_and_commands (Fixture       *f,
                           gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;
  gint64 first_source, second_source;
  GtkWindow *export_dialog;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(AssayTestRun) r = { 0 };
  const char *left[] = { "demo.assay", "beside.jsonl", "more.jsonl", NULL };

  g_assert_nonnull (session);
  first_source = assay_session_get_item (session)->source_id;
  first = judge_item (session, 0);
  assert_locks_held (f);

  /* The import chooser, on the project's folder. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL);
  browse_and_cancel (f);
  assert_locks_held (f);
  run_commands (f);

  /* The export chooser starts in the project's folder. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL);
  assay_test_iterate (200);
  export_dialog = GTK_WINDOW (find_toplevel (ASSAY_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (export_dialog);
  gtk_widget_activate_action (GTK_WIDGET (export_dialog), "export.export", NULL);
  browse_and_cancel (f);
  gtk_window_destroy (export_dialog);
  assay_test_iterate (100);
  assert_locks_held (f);
  run_commands (f);

  /* The expert goes on judging; what the app commits, commands see. */
  g_assert_true (assay_session_move (session, 1, &error));
  g_assert_no_error (error);
  second_source = assay_session_get_item (session)->source_id;
  second = judge_item (session, 1);
  run_commands (f);
  assay_test_run_cli (&r, "export", f->path, "--format", "native", "-o", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"dr-lund\""));

  /* Quit. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  assay_test_iterate (100);

  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      if (!g_strv_contains (left, name))
        g_error ("“%s” was left beside the project", name);
  }
  assay_test_run_cli (&r, "check", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (assay_check_project (f->path, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  assert_stored (f->path, first_source, first);
  assert_stored (f->path, second_source, second);
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/concurrency/dialogs-and-commands", Fixture, NULL, fixture_setup,
              test_dialogs_and_commands, fixture_teardown);

  return g_test_run ();
}
