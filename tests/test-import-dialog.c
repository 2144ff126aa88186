/* test-import-dialog.c: importing files from the window, its progress and its report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-import-dialog.h"
#include "assay-import-dialog-private.h"
#include "assay-test-ui.h"

typedef struct
{
  char         *path;      /* the project */
  char         *dir;       /* its folder, where the input files go too */
  AssayProject *project;
  GtkWindow    *window;
  AssayProjectCounts before;

  gboolean      done;
  gboolean      imported;
  char         *summary;

  gulong        toplevels_id;
  guint         n_shown;   /* progress windows and reports the import showed */
  guint         n_alive;   /* of which not finalized yet */
} Fixture;

static void
get_counts (Fixture            *f,
            AssayProjectCounts *counts)
{
  g_autoptr(GError) error = NULL;
  /* A connection of its own: what is really in the file. */
  g_autoptr(AssayProject) fresh = assay_project_open (f->path, &error);

  g_assert_no_error (error);
  assay_project_get_counts (fresh, counts, &error);
  g_assert_no_error (error);
}

static void
import_window_finalized (gpointer  data,
                         GObject  *where_the_object_was)
{
  Fixture *f = data;

  g_assert_cmpuint (f->n_alive, >, 0);
  f->n_alive--;
}

/* Every progress window and report the import opens is followed to its
 * end: the teardown checks that none outlives the import. */
static void
toplevels_changed_cb (GListModel *toplevels,
                      guint       position,
                      guint       removed,
                      guint       added,
                      Fixture    *f)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (!ASSAY_IS_IMPORT_REPORT (window) && !ASSAY_IS_IMPORT_PROGRESS_WINDOW (window))
        continue;
      if (g_object_get_data (window, "assay-test-followed") != NULL)
        continue;
      g_object_set_data (window, "assay-test-followed", GINT_TO_POINTER (TRUE));
      g_object_weak_ref (window, import_window_finalized, f);
      f->n_shown++;
      f->n_alive++;
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->toplevels_id = g_signal_connect (gtk_window_get_toplevels (), "items-changed",
                                      G_CALLBACK (toplevels_changed_cb), f);
  f->path = assay_test_copy_demo ();
  f->dir = g_path_get_dirname (f->path);
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  f->window = assay_test_window (adw_status_page_new (), 900, 640);
  get_counts (f, &f->before);
  g_assert_cmpint (f->before.sources, ==, 6);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_object_ref (f->window);
  gtk_window_destroy (f->window);
  assay_test_iterate (10);
  g_clear_signal_handler (&f->toplevels_id, gtk_window_get_toplevels ());
  /* The import let go of its windows, its parent and the project. */
  g_test_message ("import windows shown: %u", f->n_shown);
  g_assert_cmpuint (f->n_alive, ==, 0);
  assay_test_finalize (g_steal_pointer (&f->window));
  assay_test_finalize (g_steal_pointer (&f->project));
  assay_test_remove_copy (f->path);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->summary);
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return g_file_new_for_path (path);
}

static void
done_cb (gboolean    imported,
         const char *summary,
         gpointer    data)
{
  Fixture *f = data;

  g_assert_false (f->done);
  f->done = TRUE;
  f->imported = imported;
  g_free (f->summary);
  f->summary = g_strdup (summary);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
wait_done (Fixture *f)
{
  g_assert_true (assay_test_wait_for (is_done, f, 60000));
  /* The windows of the import go away. */
  assay_test_iterate (20);
}

static GtkWindow *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
report_shown (gpointer data)
{
  return find_window (ASSAY_TYPE_IMPORT_REPORT) != NULL;
}

static gboolean
progress_shown (gpointer data)
{
  return find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW) != NULL;
}

static GtkWindow *
wait_report (Fixture *f)
{
  g_assert_true (assay_test_wait_for (report_shown, f, 60000));
  assay_test_iterate (100);
  g_assert_false (f->done);
  return find_window (ASSAY_TYPE_IMPORT_REPORT);
}

/* The text of the report's rows, one per line. */
static char *
report_rows (GtkWindow *report)
{
  GtkWidget *list = assay_test_find_type (GTK_WIDGET (report), GTK_TYPE_LIST_BOX);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = assay_test_find_type (row, GTK_TYPE_LABEL);

      g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
      g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
      g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Returns right after the window painted a frame: a window that keeps
 * changing (the progress) is otherwise caught between layout and paint. */
static void
wait_painted (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (window);
  g_assert_true (assay_test_wait_for (is_true, &painted, 2000));
  g_signal_handler_disconnect (clock, id);
}

static void
screenshot_both (GtkWidget  *window,
                 const char *name)
{
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  wait_painted (window);
  light = assay_test_screenshot (window, name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  assay_test_iterate (120);
  wait_painted (window);
  dark = assay_test_screenshot (window, dark_name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  assay_test_iterate (20);
  g_test_message ("screenshots: %s %s", light, dark);
}

static const char good_jsonl[] =
  "{\"id\": \"call-9001\", \"title\": \"Router keeps rebooting\","
  " \"text\": \"The router reboots every night at two.\","
  " \"candidates\": [{\"model\": \"atlas-7b\", \"text\": \"Nightly reboots.\"},"
  " {\"model\": \"brevity-2\", \"text\": \"Router reboots.\"}]}\n"
  "{\"id\": \"call-9002\", \"title\": \"Refund for a late parcel\","
  " \"text\": \"The parcel came nine days late and the customer wants the fee back.\","
  " \"candidates\": [{\"model\": \"atlas-7b\", \"text\": \"Late parcel, refund asked.\"},"
  " {\"model\": \"quill-mini\", \"text\": \"Refund request.\"}]}\n";

static const char interview_srt[] =
  "1\n00:00:01,000 --> 00:00:04,000\nThanks for coming in today.\n\n"
  "2\n00:00:04,500 --> 00:00:08,000\nHappy to help with the review.\n";

/* Line 2 has a summary whose text is a number. */
static const char bad_jsonl[] =
  "{\"id\": \"call-9101\", \"title\": \"Good line\", \"text\": \"All fine here.\","
  " \"candidates\": [{\"model\": \"atlas-7b\", \"text\": \"Fine.\"}]}\n"
  "{\"id\": \"call-9102\", \"title\": \"Bad line\", \"text\": \"Not fine.\","
  " \"candidates\": [{\"model\": \"atlas-7b\", \"text\": 42}]}\n"
  "{\"id\": \"call-9103\", \"title\": \"Another good line\", \"text\": \"Also fine.\"}\n";

static void
test_good (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GFile) jsonl = write_file (f, "calls.jsonl", good_jsonl, -1);
  g_autoptr(GFile) srt = write_file (f, "interview.srt", interview_srt, -1);
  GFile *files[] = { jsonl, srt };
  AssayProjectCounts after;

  assay_import_dialog_run_files (f->window, f->project, files, 2, done_cb, f);
  wait_done (f);

  g_assert_true (f->imported);
  g_assert_cmpstr (f->summary, ==, "Imported 3 items and 4 summaries");
  g_assert_null (find_window (ASSAY_TYPE_IMPORT_REPORT));
  g_assert_null (find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW));

  get_counts (f, &after);
  g_assert_cmpint (after.sources, ==, f->before.sources + 3);
  g_assert_cmpint (after.candidates, ==, f->before.candidates + 4);
  g_assert_cmpint (assay_project_lookup_source (f->project, "call-9002"), >, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "interview"), >, 0);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GFile) bad = write_file (f, "bad.jsonl", bad_jsonl, -1);
  g_autofree char *rows = NULL;
  GtkWindow *report;
  AssayProjectCounts after;

  assay_import_dialog_run_files (f->window, f->project, &bad, 1, done_cb, f);
  report = wait_report (f);

  /* The problem, by file and line, and nothing in the project. */
  rows = report_rows (report);
  g_test_message ("report: %s", rows);
  g_assert_true (g_str_has_prefix (rows, "bad.jsonl:2: "));
  g_assert_nonnull (strstr (rows, "text"));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (report), "Import the Valid Lines"));
  get_counts (f, &after);
  g_assert_cmpint (after.sources, ==, f->before.sources);
  g_assert_cmpint (after.candidates, ==, f->before.candidates);
  screenshot_both (GTK_WIDGET (report), "import-report");

  /* Import the valid lines: the two good ones. */
  gtk_widget_activate_action (GTK_WIDGET (report), "report.import-valid", NULL);
  wait_done (f);
  g_assert_true (f->imported);
  g_assert_cmpstr (f->summary, ==, "Imported 2 items and 1 summary; skipped 1 line with a problem");
  g_assert_null (find_window (ASSAY_TYPE_IMPORT_REPORT));
  get_counts (f, &after);
  g_assert_cmpint (after.sources, ==, f->before.sources + 2);
  g_assert_cmpint (after.candidates, ==, f->before.candidates + 1);
  g_assert_cmpint (assay_project_lookup_source (f->project, "call-9102"), ==, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "call-9103"), >, 0);
}

static void
text_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  *(char **) data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_report_close (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) bad = write_file (f, "bad.jsonl", bad_jsonl, -1);
  g_autoptr(GFile) docx = write_file (f, "notes.docx", "PK", 2);
  GFile *files[] = { bad, docx };
  g_autofree char *copied = NULL;
  g_autofree char *rows = NULL;
  GtkWindow *report;
  AssayProjectCounts after;

  assay_import_dialog_run_files (f->window, f->project, files, 2, done_cb, f);
  report = wait_report (f);
  rows = report_rows (report);
  g_assert_nonnull (strstr (rows, "notes.docx: not a kind of file Assay imports"));

  /* Copy Report puts every problem on the clipboard. */
  gtk_widget_activate_action (GTK_WIDGET (report), "report.copy", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (report)), NULL,
                                 text_read_cb, &copied);
  g_assert_true (assay_test_wait_for (is_set, &copied, 2000));
  g_assert_nonnull (strstr (copied, "notes.docx: not a kind of file"));

  /* Closing the report imports nothing. */
  gtk_window_close (report);
  wait_done (f);
  g_assert_false (f->imported);
  g_assert_null (f->summary);
  g_assert_null (find_window (ASSAY_TYPE_IMPORT_REPORT));
  get_counts (f, &after);
  g_assert_cmpint (after.sources, ==, f->before.sources);
}

static void
test_many_problems (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *rows = NULL;
  GtkWindow *report;

  /* Lines without text, and one very long id to wrap. */
  for (guint i = 0; i < 60; i++)
    g_string_append_printf (input, "{\"id\": \"empty-%u\", \"title\": \"No text\"}\n", i);
  g_string_append (input, "{\"id\": \"");
  for (guint i = 0; i < 300; i++)
    g_string_append_c (input, 'x');
  g_string_append (input, "\", \"text\": \"Too long an id.\"}\n");
  file = write_file (f, "exported by the <b>old tool & co.jsonl", input->str, input->len);

  assay_import_dialog_run_files (f->window, f->project, &file, 1, done_cb, f);
  report = wait_report (f);
  rows = report_rows (report);
  /* The core lists the first 50; the report says how many more. */
  g_assert_true (g_str_has_prefix (rows, "exported by the <b>old tool & co.jsonl:1: "));
  g_assert_true (g_str_has_suffix (rows, "… and 11 more problems\n"));
  screenshot_both (GTK_WIDGET (report), "import-report-many");

  gtk_window_close (report);
  wait_done (f);
  g_assert_false (f->imported);
}

static double
progress_fraction (void)
{
  GtkWindow *window = find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW);
  GtkWidget *bar;

  if (window == NULL)
    return -1;
  bar = assay_test_find_type (GTK_WIDGET (window), GTK_TYPE_PROGRESS_BAR);
  return gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar));
}

static gboolean
has_progressed (gpointer data)
{
  GtkWindow *window = find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW);

  /* On screen, laid out, and moving. */
  return window != NULL && gtk_widget_get_width (GTK_WIDGET (window)) > 0 &&
         progress_fraction () > 0.05;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  GtkWindow *progress;
  AssayProjectCounts after;
  GtkWidget *label;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (big, "{\"id\": \"bulk-%06u\", \"title\": \"Bulk call %u\","
                            " \"text\": \"Bulk transcript number %u.\"}\n", i, i, i);
  file = write_file (f, "a-rather-long-name-for-a-bulk-export-of-calls.jsonl", big->str,
                     big->len);

  assay_import_dialog_run_files (f->window, f->project, &file, 1, done_cb, f);
  /* Not at once: a short import would not show it at all. */
  assay_test_iterate (100);
  g_assert_null (find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW));
  g_assert_true (assay_test_wait_for (progress_shown, f, 5000));
  g_assert_true (assay_test_wait_for (has_progressed, f, 30000));
  g_assert_false (f->done);

  progress = find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW);
  g_assert_true (gtk_window_get_modal (progress));
  g_assert_true (gtk_window_get_transient_for (progress) == f->window);
  label = assay_test_find_labelled (GTK_WIDGET (progress),
                                    "a-rather-long-name-for-a-bulk-export-of-calls.jsonl");
  g_assert_nonnull (label);
  assay_test_iterate (150);
  g_assert_false (f->done);
  screenshot_both (GTK_WIDGET (progress), "import-progress");
  g_test_message ("cancelling at %.0f%%", progress_fraction () * 100);
  g_assert_false (f->done);

  gtk_widget_activate_action (GTK_WIDGET (progress), "import.cancel", NULL);
  wait_done (f);
  g_assert_false (f->imported);
  g_assert_cmpstr (f->summary, ==, "Import cancelled; nothing was imported");
  g_assert_null (find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW));

  get_counts (f, &after);
  g_assert_cmpint (after.sources, ==, f->before.sources);
  g_assert_cmpint (assay_project_lookup_source (f->project, "bulk-000000"), ==, 0);
}

static void
test_short_no_flash (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GFile) jsonl = write_file (f, "calls.jsonl", good_jsonl, -1);
  gboolean shown = FALSE;

  assay_import_dialog_run_files (f->window, f->project, &jsonl, 1, done_cb, f);
  while (!f->done)
    {
      g_main_context_iteration (NULL, TRUE);
      shown |= find_window (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW) != NULL;
    }
  g_assert_false (shown);
  g_assert_true (f->imported);
}

static gboolean
message_shown (gpointer data)
{
  return find_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* A project open read-only (Open Read-Only, or held by another window)
 * takes nothing in, and the expert is told why. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) reader = assay_project_open_full (f->path,
                                                            ASSAY_PROJECT_OPEN_READ_ONLY,
                                                            &error);
  g_autoptr(GFile) jsonl = write_file (f, "calls.jsonl", good_jsonl, -1);
  GtkWindow *message;
  const char *body;
  AssayProjectCounts after;

  g_assert_no_error (error);
  assay_import_dialog_run_files (f->window, reader, &jsonl, 1, done_cb, f);
  g_assert_true (assay_test_wait_for (message_shown, f, 20000));
  message = find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message)), ==,
                   "Could Not Import");
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message));
  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, "read-only"));
  g_assert_false (f->done);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (message), "close");
  gtk_window_destroy (message);
  wait_done (f);
  g_assert_false (f->imported);

  get_counts (f, &after);
  g_assert_cmpint (after.sources, ==, f->before.sources);
  g_assert_cmpint (assay_project_lookup_source (f->project, "call-9001"), ==, 0);
  assay_test_finalize (g_steal_pointer (&reader));
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/assay/ui/import-dialog/good", Fixture, NULL,
              fixture_setup, test_good, fixture_teardown);
  g_test_add ("/assay/ui/import-dialog/refused", Fixture, NULL,
              fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/assay/ui/import-dialog/report-close", Fixture, NULL,
              fixture_setup, test_report_close, fixture_teardown);
  g_test_add ("/assay/ui/import-dialog/many-problems", Fixture, NULL,
              fixture_setup, test_many_problems, fixture_teardown);
  g_test_add ("/assay/ui/import-dialog/cancel", Fixture, NULL,
              fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/assay/ui/import-dialog/short", Fixture, NULL,
              fixture_setup, test_short_no_flash, fixture_teardown);
  g_test_add ("/assay/ui/import-dialog/read-only", Fixture, NULL,
              fixture_setup, test_read_only, fixture_teardown);

  return g_test_run ();
}
