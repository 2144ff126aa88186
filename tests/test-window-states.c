/* test-window-states.c: the window on projects that are not simply there
 * to judge: damaged, read-only or held by another window, new and empty;
 * who is judging; and what the window keeps or resets between items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The helper role `test-window-states --hold PATH` opens PATH as the app
 * does (another Assay window, in another process), says "ready" and keeps
 * it open until its standard input closes.
 */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-export-dialog-private.h"
#include "assay-judgment-panel.h"
#include "assay-queue-panel.h"
#include "assay-review-page.h"
#include "assay-stats-window-private.h"
#include "assay-test-run.h"
#include "assay-test-ui.h"
#include "assay-transcript-view.h"
#include "assay-window-private.h"
#include "assay-window.h"

static const char *self_exe;

typedef struct
{
  char        *path;
  char        *dir;
  AssayWindow *window;
  GSubprocess *holder;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* Some tests change who is judging; each starts as the suites do. */
  g_settings_set_string (settings, "annotator-id", g_get_user_name ());
  g_settings_set_string (settings, "annotator-name", "Test Reviewer");
  f->path = assay_test_copy_demo ();
  f->dir = g_path_get_dirname (f->path);
  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  assay_test_iterate (50);
}

static void
close_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (!ASSAY_IS_WINDOW (window))
        gtk_window_destroy (window);
    }
}

static void
finish_holder (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->holder == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (f->holder), NULL, NULL);
  g_assert_true (g_subprocess_wait_check (f->holder, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->holder);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  AssaySession *session;
  AssayProject *project = NULL;

  close_dialogs ();
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
  assay_test_iterate (100);
  assay_test_finalize (g_steal_pointer (&f->window));
  if (session != NULL)
    {
      assay_test_finalize (session);
      assay_test_finalize (project);
    }
  finish_holder (f);
  assay_test_remove_copy (f->path);
  g_free (f->path);
  g_free (f->dir);
}

static void
open_project (Fixture    *f,
              const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  assay_test_open (f->window, file);
  assay_test_iterate (200);
}

static GtkWidget *
find (Fixture    *f,
      const char *name)
{
  GtkWidget *widget = assay_test_find_accessible (GTK_WIDGET (f->window), name);

  if (widget == NULL)
    widget = assay_test_find_labelled (GTK_WIDGET (f->window), name);
  if (widget == NULL)
    g_error ("nothing named “%s” in the window", name);
  return widget;
}

/* A label on screen (mapped) whose text holds `needle`. */
static GtkLabel *
find_text (GtkWidget  *root,
           const char *needle)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_text (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
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

/* Answers a message dialog as a click on one of its buttons does. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  assay_test_iterate (100);
}

static const char *
visible_page (Fixture *f)
{
  GtkWidget *stack = assay_test_find_type (GTK_WIDGET (f->window), GTK_TYPE_STACK);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static char *
checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("absent");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* The project file and its WAL, byte for byte. */
static char *
project_state (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *main_sum = checksum (path);
  g_autofree char *wal_sum = checksum (wal);

  return g_strconcat (main_sum, "/", wal_sum, NULL);
}

static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  g_autofree char *path = NULL;

  assay_test_iterate (300);
  path = assay_test_screenshot (GTK_WIDGET (f->window), name);
  g_test_message ("screenshot: %s", path);
}

/* ---- a project another Assay window holds ---- */

static void
hold (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  f->holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                &error, self_exe, "--hold", f->path, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->holder));
  line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  g_assert_cmpstr (line, ==, "ready");
}

static gboolean
export_finished (gpointer dialog)
{
  return !_assay_export_dialog_is_busy (dialog);
}

static gboolean
stats_finished (gpointer stats)
{
  return !_assay_stats_window_get_busy (stats);
}

/* Held by another window: opens read-only, says why, offers nothing that
 * writes, writes nothing whatever is tried, and still reviews, exports
 * and computes statistics; Try Again opens it for judging once it is free. */
static void
test_held_elsewhere (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *export_path = g_build_filename (f->dir, "held.jsonl", NULL);
  g_autofree char *exported = NULL;
  AssaySession *session;
  AssayJudgmentPanel *panel;
  AssayCriterion *faithfulness;
  AssayItemCandidate *first;
  g_autoptr(GPtrArray) candidates = NULL;
  GtkRevealer *banner;
  GtkWindow *export, *stats;

  hold (f);
  before = project_state (f->path);
  open_project (f, f->path);

  session = assay_window_get_session (f->window);
  g_assert_nonnull (session);
  g_assert_true (assay_session_get_read_only (session));
  g_assert_nonnull (assay_session_get_item (session));     /* review works */

  /* The banner says why, naming the project, and offers to try again. */
  banner = GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (find_text (GTK_WIDGET (f->window),
                                                                         "open in another Assay "
                                                                         "window")),
                                                  GTK_TYPE_REVEALER));
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_nonnull (find_text (GTK_WIDGET (banner), f->path));
  g_assert_true (gtk_widget_get_visible (find (f, "Try Again")));
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "Read-only"));
  save_screenshot (f, "window-read-only");

  /* Nothing that writes can be used. */
  g_assert_false (gtk_widget_is_sensitive (find (f, "Import Files")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Submit and Next")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Skip")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Flag for Discussion")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Note on This Item")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Accept")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Faithfulness 4")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Correction")));

  /* What is tried anyway changes nothing, and says why. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.submit", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.flag", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.skip", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL);
  panel = ASSAY_JUDGMENT_PANEL (assay_test_find_type (GTK_WIDGET (f->window),
                                                      ASSAY_TYPE_JUDGMENT_PANEL));
  assay_judgment_panel_activate_key (panel, "a");
  assay_test_iterate (100);
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "read-only"));
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "Not saved"));

  candidates = assay_session_display_candidates (session);
  first = g_ptr_array_index (candidates, 0);
  faithfulness = assay_template_find_criterion (assay_session_get_template (session),
                                                "faithfulness");
  g_assert_false (assay_session_set_score (session, first->id, faithfulness->id, 4, NULL,
                                           &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-item", NULL);
  assay_test_iterate (100);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");

  /* Export and statistics read. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL);
  assay_test_iterate (100);
  export = find_toplevel (ASSAY_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (export);
  g_object_ref (export);
  {
    const AssayExportFormat * const *formats = assay_export_get_formats ();
    GtkWidget *format = assay_test_find_type (GTK_WIDGET (export), ADW_TYPE_COMBO_ROW);

    /* The whole project, whatever its statuses. */
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (format)), ==, "Format");
    for (guint i = 0; formats[i] != NULL; i++)
      if (g_str_equal (formats[i]->name, "native"))
        adw_combo_row_set_selected (ADW_COMBO_ROW (format), i);
    assay_test_iterate (20);
  }
  _assay_export_dialog_export_to (ASSAY_EXPORT_DIALOG (export), export_path);
  g_assert_true (assay_test_wait_for (export_finished, export, 20000));
  g_assert_true (g_file_get_contents (export_path, &exported, NULL, NULL));
  g_assert_nonnull (strstr (exported, "podcast-small-margins-84"));
  gtk_window_destroy (export);
  g_object_unref (export);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.statistics", NULL);
  assay_test_iterate (100);
  stats = find_toplevel (ASSAY_TYPE_STATS_WINDOW);
  g_assert_nonnull (stats);
  g_assert_true (assay_test_wait_for (stats_finished, stats, 20000));
  g_assert_cmpstr (_assay_stats_window_get_page (ASSAY_STATS_WINDOW (stats)), !=, "error");
  gtk_window_destroy (stats);

  /* Not a byte of the project changed. */
  after = project_state (f->path);
  g_assert_cmpstr (after, ==, before);

  /* Once the other window lets go, Try Again opens it for judging, on the
   * same item. */
  finish_holder (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.try-again", NULL);
  assay_test_wait_opened (f->window);
  session = assay_window_get_session (f->window);
  g_assert_false (assay_session_get_read_only (session));
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_assert_true (gtk_widget_is_sensitive (find (f, "Submit and Next")));
  g_assert_true (gtk_widget_is_sensitive (find (f, "Accept")));
}

/* ---- a damaged project ---- */

static gboolean
damaged_page_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (visible_page (f), "damaged") == 0;
}

/* The spinner on screen (the damaged page's; the queue and the item have
 * spinners of their own while they load). */
static GtkWidget *
find_mapped_spinner (GtkWidget *root)
{
  if (GTK_IS_SPINNER (root) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped_spinner (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
damage_checked (gpointer data)
{
  Fixture *f = data;
  GtkWidget *spinner;

  if (!damaged_page_shown (f))
    return FALSE;
  spinner = find_mapped_spinner (GTK_WIDGET (f->window));
  return spinner != NULL && !gtk_spinner_get_spinning (GTK_SPINNER (spinner));
}

static gboolean
session_on_copy (gpointer data)
{
  Fixture *f = data;
  AssaySession *session = assay_window_get_session (f->window);

  return session != NULL &&
         g_str_has_suffix (assay_project_get_path (assay_session_get_project (session)),
                           "rescued.assay");
}

/* A damaged project shows what check found and what can be done, not an
 * empty project; read-only it still reviews; its readable copy opens. */
static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (f->dir, "rescued.assay", NULL);
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkLabel *problem;
  AssaySession *session;

  assay_test_damage_table (f->path, "segments");
  open_project (f, f->path);

  g_assert_true (assay_test_wait_for (damage_checked, f, 20000));
  /* From here on nothing is written into the damaged file. */
  before = project_state (f->path);
  g_assert_null (assay_window_get_session (f->window));
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "This Project Is Damaged"));
  g_assert_null (find_text (GTK_WIDGET (f->window), "This Project Is Empty"));
  /* What check found, in a list under its heading. */
  problem = find_text (GTK_WIDGET (f->window), "SQLite integrity check");
  g_assert_nonnull (problem);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (problem),
                                         gtk_widget_get_ancestor (GTK_WIDGET (find (f, "What the Check Found")),
                                                                  ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_true (gtk_widget_is_sensitive (find (f, "Open Read-Only")));
  g_assert_true (gtk_widget_is_sensitive (find (f, "Save Readable Copy…")));
  /* No WAL beside it, so nothing is said about one. */
  g_assert_null (find_text (GTK_WIDGET (f->window), "-wal"));
  save_screenshot (f, "window-damaged");

  /* Read-only: what can be read is reviewed; nothing can be judged. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-read-only", NULL);
  assay_test_iterate (200);
  session = assay_window_get_session (f->window);
  g_assert_nonnull (session);
  g_assert_true (assay_session_get_read_only (session));
  g_assert_cmpstr (visible_page (f), ==, "workbench");
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "is damaged, so it is open read-only"));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Submit and Next")));
  g_assert_true (gtk_widget_is_sensitive (find (f, "Save Readable Copy…")));

  /* The readable copy is saved beside it and opens for judging. */
  _assay_window_salvage_to (f->window, copy_file);
  g_assert_true (assay_test_wait_for (session_on_copy, f, 20000));
  assay_test_iterate (200);
  g_assert_false (assay_session_get_read_only (assay_window_get_session (f->window)));
  g_assert_nonnull (find_dialog ("Readable Copy Saved"));
  {
    g_autofree char *shot = NULL;

    assay_test_iterate (300);
    shot = assay_test_screenshot (GTK_WIDGET (find_dialog ("Readable Copy Saved")),
                                  "window-copy-saved");
    g_test_message ("screenshot: %s", shot);
  }
  g_assert_true (assay_check_project (copy, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  after = project_state (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* A project whose schema cannot be read fails to open at all: the page says
 * so, offers nothing it cannot do, and tells to keep the WAL beside it. */
static void
test_unreadable_with_wal (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  sqlite3 *db = NULL;
  guint8 garbage[4096];
  int fd;

  /* A committed change that stays in the WAL, as when the app was killed. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL;"
                                 " INSERT INTO settings VALUES ('unsaved', 'yes')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_close (db);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* The schema's page, garbage after the file header, which still says
   * Assay. */
  memset (garbage, 0xa5, sizeof garbage);
  fd = g_open (f->path, O_WRONLY, 0);
  g_assert_cmpint (pwrite (fd, garbage, 4096 - 100, 100), ==, 4096 - 100);
  close (fd);

  open_project (f, f->path);
  g_assert_true (assay_test_wait_for (damage_checked, f, 20000));
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "This Project Is Damaged"));
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "demo.assay-wal"));
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "never delete it"));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Open Read-Only")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Save Readable Copy…")));
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  save_screenshot (f, "window-unreadable");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-project", NULL);
  assay_test_iterate (50);
  g_assert_cmpstr (visible_page (f), ==, "welcome");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* ---- who is judging ---- */

static void
forget_identity (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "annotator-id", "");
  g_settings_set_string (settings, "annotator-name", "");
}

static GtkEditable *
entry_row (AdwMessageDialog *dialog,
           const char       *title)
{
  GtkWidget *row = assay_test_find_labelled (GTK_WIDGET (dialog), title);

  /* An AdwEntryRow's title is a label inside it. */
  row = row != NULL ? gtk_widget_get_ancestor (row, ADW_TYPE_ENTRY_ROW) : NULL;
  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

static AssayItem *
stored_item (Fixture    *f,
             const char *annotator,
             const char *ext_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                             ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  gint64 id;

  g_assert_no_error (error);
  id = assay_project_lookup_annotator (project, annotator);
  g_assert_cmpint (id, !=, 0);
  return assay_project_load_item (project, assay_project_lookup_source (project, ext_id), id,
                                  &error);
}

static guint
count_labels (AssayItem *item)
{
  guint n = 0;

  for (guint i = 0; i < item->candidates->len; i++)
    n += ((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->labels->len;
  return n;
}

static char *
stored_annotator_name (Fixture    *f,
                       const char *annotator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                             ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  g_autoptr(GPtrArray) annotators = assay_project_list_annotators (project, &error);

  for (guint i = 0; i < annotators->len; i++)
    {
      AssayAnnotatorInfo *info = g_ptr_array_index (annotators, i);

      if (g_str_equal (info->ext_id, annotator))
        return g_strdup (info->name);
    }
  return NULL;
}

/* The first time, the window asks who is judging before anything can be
 * judged; the answer is kept, shown, and stored with every judgment; the
 * main menu changes it. */
static void
test_identity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(AssayItem) stored = NULL;
  g_autofree char *stored_name = NULL;
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog;
  AssayJudgmentPanel *panel;
  GtkEditable *name, *annotator;

  forget_identity ();
  open_project (f, f->path);

  /* Nothing is open for judging until the question is answered. */
  dialog = find_dialog ("Who Is Judging?");
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_null (assay_window_get_session (f->window));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));

  /* The id follows the name as it is typed, and is checked. */
  name = entry_row (dialog, "Your Name");
  annotator = entry_row (dialog, "Id (E-mail or Handle)");
  gtk_editable_set_text (name, "Dr. Ada Lund");
  g_assert_cmpstr (gtk_editable_get_text (annotator), ==, "dr-ada-lund");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (annotator, "ada lund");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_nonnull (find_text (GTK_WIDGET (dialog), "no spaces"));
  gtk_editable_set_text (annotator, "ada.lund@example.org");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  /* Typing the name again leaves an id the expert wrote alone. */
  gtk_editable_set_text (name, "Dr. Ada Lund");
  g_assert_cmpstr (gtk_editable_get_text (annotator), ==, "ada.lund@example.org");
  {
    g_autofree char *shot = NULL;

    assay_test_iterate (300);
    shot = assay_test_screenshot (GTK_WIDGET (dialog), "window-identity");
    g_test_message ("screenshot: %s", shot);
  }
  respond (dialog, "save");

  g_assert_nonnull (assay_window_get_session (f->window));
  id = g_settings_get_string (settings, "annotator-id");
  g_assert_cmpstr (id, ==, "ada.lund@example.org");
  g_clear_pointer (&id, g_free);
  id = g_settings_get_string (settings, "annotator-name");
  g_assert_cmpstr (id, ==, "Dr. Ada Lund");
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "Judging as Dr. Ada Lund"));

  /* The next judgment is stored under that annotator. */
  panel = ASSAY_JUDGMENT_PANEL (assay_test_find_type (GTK_WIDGET (f->window),
                                                      ASSAY_TYPE_JUDGMENT_PANEL));
  g_assert_true (assay_judgment_panel_activate_key (panel, "a"));
  assay_test_iterate (50);
  stored = stored_item (f, "ada.lund@example.org", "podcast-small-margins-84");
  g_assert_cmpuint (count_labels (stored), ==, 1);
  stored_name = stored_annotator_name (f, "ada.lund@example.org");
  g_assert_cmpstr (stored_name, ==, "Dr. Ada Lund");

  /* The main menu changes it; the item on screen stays. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.change-annotator", NULL);
  assay_test_iterate (50);
  dialog = find_dialog ("Who Is Judging?");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (entry_row (dialog, "Your Name")), ==, "Dr. Ada Lund");
  gtk_editable_set_text (entry_row (dialog, "Your Name"), "Dr. Ben Osei");
  gtk_editable_set_text (entry_row (dialog, "Id (E-mail or Handle)"), "ben.osei@example.org");
  respond (dialog, "save");
  g_assert_nonnull (find_text (GTK_WIDGET (f->window), "Judging as Dr. Ben Osei"));
  g_assert_cmpstr (assay_session_get_annotator_ext_id (assay_window_get_session (f->window)), ==,
                   "ben.osei@example.org");
  panel = ASSAY_JUDGMENT_PANEL (assay_test_find_type (GTK_WIDGET (f->window),
                                                      ASSAY_TYPE_JUDGMENT_PANEL));
  g_assert_true (assay_judgment_panel_activate_key (panel, "r"));
  assay_test_iterate (50);
  g_clear_pointer (&stored, assay_item_unref);
  stored = stored_item (f, "ben.osei@example.org", "podcast-small-margins-84");
  g_assert_cmpuint (count_labels (stored), ==, 1);
}

/* Closing the question instead of answering it opens nothing, and leaves
 * no annotator behind in the project. */
static void
test_identity_declined (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;

  forget_identity ();
  open_project (f, f->path);
  respond (find_dialog ("Who Is Judging?"), "close");
  g_assert_null (assay_window_get_session (f->window));
  g_assert_cmpstr (visible_page (f), ==, "welcome");
  project = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_project_lookup_annotator (project, g_get_user_name ()), ==, 0);
}

/* A read-only project does not ask: nothing will be judged in it. */
static void
test_identity_read_only (Fixture       *f,
                         gconstpointer  data)
{
  forget_identity ();
  hold (f);
  open_project (f, f->path);
  g_assert_null (find_dialog ("Who Is Judging?"));
  g_assert_nonnull (assay_window_get_session (f->window));
  g_assert_true (assay_session_get_read_only (assay_window_get_session (f->window)));
}

/* ---- new projects ---- */

/* A new project: the extension is added and the file with it is what
 * opens; the template is asked for, and said with how to change it; the
 * action bar says nothing of the project before. */
static void
test_new_project (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *chosen = g_build_filename (f->dir, "Ward rounds", NULL);
  g_autofree char *created = g_strconcat (chosen, ".assay", NULL);
  g_autoptr(GFile) chosen_file = g_file_new_for_path (chosen);
  g_autoptr(GError) error = NULL;
  GtkLabel *status;
  AdwMessageDialog *prompt;
  AssaySession *session;

  open_project (f, f->path);
  status = GTK_LABEL (find (f, "Item 1 of 6 · To do · 0 min"));
  g_assert_nonnull (status);

  _assay_window_new_project_at (f->window, chosen_file);
  assay_test_iterate (300);
  {
    g_autofree char *shot = assay_test_screenshot (GTK_WIDGET (find_dialog ("Start From Which "
                                                                            "Template?")),
                                                   "window-template-question");

    g_test_message ("screenshot: %s", shot);
  }
  respond (find_dialog ("Start From Which Template?"), "standard");

  session = assay_window_get_session (f->window);
  g_assert_nonnull (session);
  g_assert_cmpstr (assay_project_get_path (assay_session_get_project (session)), ==, created);
  g_assert_false (g_file_test (chosen, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (assay_session_get_template (session)->name, ==, "Summary review");
  g_assert_null (assay_session_get_item (session));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "");

  prompt = find_dialog ("Import Files Now?");
  g_assert_nonnull (prompt);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (prompt), "“Summary review”"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (prompt), "assay-cli template import"));
  save_screenshot (f, "window-new-project");
  respond (prompt, "later");

  /* The demo's template, when asked for. */
  {
    g_autofree char *second = g_build_filename (f->dir, "Interviews.assay", NULL);
    g_autoptr(GFile) second_file = g_file_new_for_path (second);

    _assay_window_new_project_at (f->window, second_file);
    respond (find_dialog ("Start From Which Template?"), "demo");
    session = assay_window_get_session (f->window);
    g_assert_cmpstr (assay_project_get_path (assay_session_get_project (session)), ==, second);
    g_assert_cmpstr (assay_session_get_template (session)->name, ==, "Summary review (demo)");
    respond (find_dialog ("Import Files Now?"), "later");
  }
}

/* A new project never replaces an existing one, least of all the one open
 * in the window, even when the file chooser said to replace it. */
static void
test_new_project_never_replaces (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bare = g_build_filename (f->dir, "demo", NULL);
  g_autoptr(GFile) bare_file = g_file_new_for_path (bare);
  AssaySession *session;

  open_project (f, f->path);
  session = assay_window_get_session (f->window);
  before = project_state (f->path);

  _assay_window_new_project_at (f->window, file);
  assay_test_iterate (50);
  g_assert_null (find_dialog ("Start From Which Template?"));
  g_assert_nonnull (find_dialog ("Could Not Create the Project"));
  g_assert_true (assay_window_get_session (f->window) == session);
  close_dialogs ();

  /* "demo" becomes "demo.assay": the same project. */
  _assay_window_new_project_at (f->window, bare_file);
  assay_test_iterate (50);
  g_assert_null (find_dialog ("Start From Which Template?"));
  g_assert_nonnull (find_dialog ("Could Not Create the Project"));
  close_dialogs ();

  after = project_state (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "podcast-small-margins-84");
}

/* ---- between items ---- */

static gboolean
taller_than_page (gpointer adjustment)
{
  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment);
}

/* Submit and Next opens the next item at the top of its rubric. */
static void
test_rubric_at_top (Fixture       *f,
                    gconstpointer  data)
{
  AssaySession *session;
  AssayTemplate *tmpl;
  g_autoptr(GPtrArray) candidates = NULL;
  GtkWidget *panel;
  GtkAdjustment *scroll;
  g_autoptr(GError) error = NULL;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  open_project (f, f->path);
  session = assay_window_get_session (f->window);
  tmpl = assay_session_get_template (session);
  candidates = assay_session_display_candidates (session);
  for (guint i = 0; i < candidates->len; i++)
    for (guint j = 0; j < tmpl->criteria->len; j++)
      {
        AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, j);

        g_assert_true (assay_session_set_score (session,
                                                ((AssayItemCandidate *) g_ptr_array_index (candidates, i))->id,
                                                criterion->id, 3, NULL, &error));
      }
  g_clear_pointer (&candidates, g_ptr_array_unref);

  /* The panel's own scrolled window. */
  panel = assay_test_find_type (GTK_WIDGET (f->window), ASSAY_TYPE_JUDGMENT_PANEL);
  scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (assay_test_find_type (panel, GTK_TYPE_SCROLLED_WINDOW)));
  /* Laid out, which takes more than a moment on a busy machine. */
  assay_test_wait_for (taller_than_page, scroll, 5000);
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll), >, gtk_adjustment_get_page_size (scroll));
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  assay_test_iterate (50);
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.submit", NULL);
  assay_test_iterate (300);
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, 0);
}

/* The transcript's find bar starts empty on the next item. */
static void
test_find_reset (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *entry, *bar;

  open_project (f, f->path);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", NULL);
  assay_test_iterate (50);
  entry = find (f, "Find in transcript");
  bar = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_BAR);
  gtk_editable_set_text (GTK_EDITABLE (entry), "revenue");
  assay_test_iterate (100);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-item", NULL);
  assay_test_iterate (100);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
}

/* ---- layout and names ---- */

static GtkWidget *
first_toggle (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TOGGLE_BUTTON (child))
        return child;
      if ((found = first_toggle (child)) != NULL)
        return found;
    }
  return NULL;
}

static void
assert_named (GtkWidget  *widget,
              const char *name)
{
  g_autofree char *mismatch = NULL;

  g_assert_nonnull (widget);
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  if (mismatch != NULL)
    g_error ("%s: %s", G_OBJECT_TYPE_NAME (widget), mismatch);
}

/* The window fits 800 × 600 with the rubric above the fold; the candidate
 * tabs are never cut short; the toggles inside the main menu button and the
 * filter drop-downs have names; "Import…" says what it does. */
/* Every tab's shown child has its room (the first frames may not have
 * laid them out yet). */
static gboolean
tabs_laid_out (gpointer data)
{
  for (GtkWidget *tab = gtk_widget_get_first_child (data); tab != NULL;
       tab = gtk_widget_get_next_sibling (tab))
    {
      GtkWidget *squeezer = gtk_button_get_child (GTK_BUTTON (tab));
      GtkWidget *shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));

      if (shown == NULL || gtk_widget_get_width (shown) == 0)
        return FALSE;
    }
  return TRUE;
}

static void
test_layout (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *queue, *dropdown, *review, *tabs, *score, *scroller;
  graphene_rect_t bounds;
  int min_width;

  open_project (f, f->path);
  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  g_assert_cmpint (min_width, <=, 720);

  /* "Import…" is a labelled button, not a bare "+". */
  g_assert_nonnull (find_text (GTK_WIDGET (find (f, "Import Files")), "Import…"));

  /* Names for what takes the focus. */
  queue = assay_test_find_type (GTK_WIDGET (f->window), ASSAY_TYPE_QUEUE_PANEL);
  dropdown = assay_test_find_type (queue, GTK_TYPE_DROP_DOWN);
  assert_named (first_toggle (dropdown), "Status filter");
  dropdown = gtk_widget_get_next_sibling (dropdown);
  g_assert_true (GTK_IS_DROP_DOWN (dropdown));
  assert_named (first_toggle (dropdown), "Model filter");
  g_assert_null (gtk_widget_get_tooltip_text (dropdown));
  assert_named (first_toggle (find (f, "Main Menu")), "Main Menu");
  assert_named (first_toggle (find (f, "Note on This Item")), "Note on This Item");

  /* No tab shows a name cut short: each shows its whole name or its letter. */
  review = assay_test_find_type (GTK_WIDGET (f->window), ASSAY_TYPE_REVIEW_PAGE);
  tabs = find (f, "Candidates");
  g_assert_true (assay_test_wait_for (tabs_laid_out, tabs, 3000));
  for (GtkWidget *tab = gtk_widget_get_first_child (tabs); tab != NULL;
       tab = gtk_widget_get_next_sibling (tab))
    {
      GtkWidget *squeezer = gtk_button_get_child (GTK_BUTTON (tab));
      GtkWidget *shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));
      int nat;

      gtk_widget_measure (shown, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_width (shown), >=, nat);
    }
  g_assert_nonnull (review);

  /* 800 × 600: the rubric's first scores show above the fold. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  assay_test_iterate (500);
  save_screenshot (f, "window-800x600");
  score = find (f, "Faithfulness 1");
  scroller = gtk_widget_get_ancestor (score, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (gtk_widget_compute_bounds (score, scroller, &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height / 2, <=, gtk_widget_get_height (scroller));
}

/* ---- the holder ---- */

static int
hold_role (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_APP, &error);
  char c;

  g_assert_no_error (error);
  g_assert_false (assay_project_get_read_only (project));
  g_print ("ready\n");
  fflush (stdout);
  while (read (0, &c, 1) > 0)
    ;
  return 0;
}

int
main (int    argc,
      char **argv)
{
  self_exe = argv[0];
  if (argc == 3 && g_str_equal (argv[1], "--hold"))
    return hold_role (argv[2]);

  assay_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/ui/window-states/held-elsewhere", test_held_elsewhere);
  ADD ("/assay/ui/window-states/damaged", test_damaged);
  ADD ("/assay/ui/window-states/unreadable-with-wal", test_unreadable_with_wal);
  ADD ("/assay/ui/window-states/identity", test_identity);
  ADD ("/assay/ui/window-states/identity-declined", test_identity_declined);
  ADD ("/assay/ui/window-states/identity-read-only", test_identity_read_only);
  ADD ("/assay/ui/window-states/new-project", test_new_project);
  ADD ("/assay/ui/window-states/new-project-never-replaces", test_new_project_never_replaces);
  ADD ("/assay/ui/window-states/rubric-at-top", test_rubric_at_top);
  ADD ("/assay/ui/window-states/find-reset", test_find_reset);
  ADD ("/assay/ui/window-states/layout", test_layout);

  return g_test_run ();
}
