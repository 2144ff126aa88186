/* test-async.c: the core's slow calls in worker threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "assay-core.h"
#include "assay-project-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static const char *sources_jsonl =
  "{\"id\": \"call-1\", \"title\": \"Billing dispute\", \"text\": \"The customer was charged"
  " twice for the router.\", \"candidates\": [{\"id\": \"a\", \"model\": \"atlas\", \"text\":"
  " \"A double charge.\"}]}\n"
  "{\"id\": \"visit-2\", \"title\": \"Asthma follow-up\", \"text\": \"Wheezing at night.\","
  " \"candidates\": [{\"id\": \"a\", \"model\": \"brevity\", \"text\": \"Night symptoms.\"}]}\n"
  "{\"id\": \"talk-3\", \"title\": \"Queueing lecture\", \"text\": \"Little's law links"
  " arrivals and waiting; the router of the lab.\", \"candidates\": [{\"id\": \"x\","
  " \"model\": \"atlas\", \"text\": \"A lecture.\"}]}\n";

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (sources_jsonl, strlen (sources_jsonl));

  f->dir = g_dir_make_tmp ("assay-async-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.assay", NULL);
  project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
  import = assay_import_new (project);
  assay_import_add_bytes (import, "s.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
store_result_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* A project of format 2 opens in a worker, migrated to the indexes of 3. */
static void
test_open_migrates (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayProject) project = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP INDEX candidates_by_source; DROP INDEX comparisons_by_source;"
                                 "DROP INDEX label_options_by_position;"
                                 "DROP INDEX labels_by_annotator; DROP INDEX labels_by_option;"
                                 "DROP INDEX spans_by_annotator; DROP INDEX spans_by_option;"
                                 "DROP INDEX corrections_by_annotator;"
                                 "DROP INDEX scores_by_annotator; DROP INDEX rankings_by_annotator;"
                                 "DROP INDEX rankings_by_candidate; DROP INDEX comparisons_by_a;"
                                 "DROP INDEX comparisons_by_b; DROP INDEX notes_by_annotator;"
                                 /* format 4 */
                                 "DROP TABLE evidence_fts; DROP TABLE evidence_passages;"
                                 "DROP TABLE evidence_sources;"
                                 "PRAGMA user_version = 2;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assay_project_open_async (f->path, ASSAY_PROJECT_OPEN_APP, NULL, store_result_cb, &result);
  /* Nothing happens before the main loop runs the callback. */
  g_assert_null (result);
  project = assay_project_open_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_false (assay_project_get_read_only (project));
  g_assert_cmpint (assay_project_lookup_source (project, "visit-2"), >, 0);
  g_clear_object (&project);

  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, ASSAY_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (f->path, "SELECT count (*) FROM sqlite_schema WHERE type = 'index'"
                                     " AND name IN ('rankings_by_candidate', 'labels_by_option',"
                                     " 'spans_by_option', 'comparisons_by_source')"), ==, 4);
}

static void
test_open_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "none.assay", NULL);
  g_autoptr(AssayProject) project = NULL;

  assay_project_open_async (missing, ASSAY_PROJECT_OPEN_APP, NULL, store_result_cb, &result);
  project = assay_project_open_finish (wait_for (&result), &error);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
  g_assert_null (project);
}

typedef struct
{
  guint n_changes;
  guint last_added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n_changes++;
  changes->last_added = added;
}

static char *
titles (AssayQueue *queue)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), i);

      g_string_append_printf (s, "%s%s", i ? ", " : "", assay_queue_row_get_title (row));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Typing a search: each key asks again; only the last answer is shown,
 * in one change of the list, and the earlier requests say they were
 * replaced. */
static void
test_queue_search (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP,
                                                             &error);
  g_autoptr(AssayQueue) queue = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autofree char *shown = NULL;
  Changes changes = { 0, 0 };

  g_assert_no_error (error);
  queue = assay_queue_new (project, 0);
  g_signal_connect (queue, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  assay_queue_set_filter_async (queue, -1, NULL, "r", NULL, store_result_cb, &first);
  assay_queue_set_filter_async (queue, -1, NULL, "rou", NULL, store_result_cb, &second);
  assay_queue_set_filter_async (queue, -1, NULL, "router", NULL, store_result_cb, &third);
  /* The filters read back at once; the list waits for the worker. */
  g_assert_cmpstr (assay_queue_get_search (queue), ==, "router");
  g_assert_true (assay_queue_get_busy (queue));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);

  g_assert_true (assay_queue_set_filter_finish (queue, wait_for (&third), &error));
  g_assert_no_error (error);
  g_assert_false (assay_queue_set_filter_finish (queue, wait_for (&first), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (assay_queue_set_filter_finish (queue, wait_for (&second), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (assay_queue_get_busy (queue));
  g_assert_cmpuint (changes.n_changes, ==, 1);
  g_assert_cmpuint (changes.last_added, ==, 2);
  shown = titles (queue);
  g_assert_cmpstr (shown, ==, "Billing dispute, Queueing lecture");

  /* A model filter, then everything again. */
  g_clear_object (&third);
  assay_queue_set_filter_async (queue, -1, "brevity", NULL, NULL, store_result_cb, &third);
  g_assert_true (assay_queue_set_filter_finish (queue, wait_for (&third), &error));
  g_clear_pointer (&shown, g_free);
  shown = titles (queue);
  g_assert_cmpstr (shown, ==, "Asthma follow-up");
  g_clear_object (&third);
  assay_queue_set_filter_async (queue, -1, NULL, NULL, NULL, store_result_cb, &third);
  g_assert_true (assay_queue_set_filter_finish (queue, wait_for (&third), &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);

  /* A synchronous change replaces a pending one. */
  g_clear_object (&third);
  assay_queue_set_filter_async (queue, -1, NULL, "wheezing", NULL, store_result_cb, &third);
  assay_queue_set_filter (queue, -1, "atlas", NULL);
  g_assert_false (assay_queue_set_filter_finish (queue, wait_for (&third), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  g_assert_null (assay_queue_get_search (queue));

  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&third);
  /* A worker thread lets go of its task (and so of the queue) a moment
   * after the answer has come. */
  {
    gpointer weak = queue;
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_object_add_weak_pointer (G_OBJECT (queue), &weak);
    g_clear_object (&queue);
    while (weak != NULL && g_get_monotonic_time () < end)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_null (weak);
  }
  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayProject) worker = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autofree char *contents = NULL;
  const char *more = "{\"id\": \"call-4\", \"text\": \"A late call about a router.\"}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (more, strlen (more));

  assay_project_open_async (f->path, ASSAY_PROJECT_OPEN_DEFAULT, NULL, store_result_cb, &result);
  worker = assay_project_open_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  import = assay_import_new (worker);
  assay_import_add_bytes (import, "more.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run_async (import, NULL, store_result_cb, &result);
  g_assert_true (assay_import_run_finish (import, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 1);
  g_clear_object (&result);
  g_clear_object (&import);
  g_clear_object (&worker);

  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  assay_export_to_files_async (project, "native", NULL, out, NULL, store_result_cb, &result);
  files = assay_export_to_files_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"call-4\""));
  g_assert_nonnull (strstr (contents, "\"talk-3\""));
}

/* A cancelled export leaves nothing behind. */
static void
test_export_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  assay_export_to_files_async (project, "native", NULL, out, cancellable, store_result_cb,
                               &result);
  files = assay_export_to_files_finish (wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (files);
  d = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_true (g_str_has_prefix (name, "p.assay"));
}

/* ---- an import in a worker, told about on the main thread ---- */

typedef struct
{
  AssayImport  *import;
  AssayProject *caller;
  GThread      *main_thread;
  guint         n_calls;
  guint         n_elsewhere;   /* calls from another thread */
  guint         n_after;       /* calls after the callback */
  double        last;
  gboolean      backwards;
  guint         max_input;
  gboolean      caller_free;   /* the caller's connection answered meanwhile */
  gboolean      ended;
} Progress;

static void
progress_cb (double   fraction,
             gpointer data)
{
  Progress *p = data;

  p->n_calls++;
  if (g_thread_self () != p->main_thread)
    {
      p->n_elsewhere++;
      return;
    }
  if (p->ended)
    p->n_after++;
  if (fraction < p->last)
    p->backwards = TRUE;
  p->last = fraction;
  p->max_input = MAX (p->max_input, assay_import_get_progress_input (p->import));
  /* The import has a connection of its own: the caller's is free, and
   * does not see what is not committed. */
  if (assay_project_lookup_source (p->caller, "talk-3") > 0 &&
      assay_project_lookup_source (p->caller, "bulk-000001") == 0)
    p->caller_free = TRUE;
}

static void
progress_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Progress *p = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_import_run_finish (p->import, result, &error));
  g_assert_no_error (error);
  p->ended = TRUE;
}

static GBytes *
bulk_lines (guint from,
            guint to)
{
  g_autoptr(GString) lines = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    g_string_append_printf (lines, "{\"id\": \"bulk-%06u\", \"text\": \"A call about invoice"
                            " %u and a refund that never came.\"}\n", i, i);
  return g_string_free_to_bytes (g_steal_pointer (&lines));
}

static void
test_import_progress (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP,
                                                             &error);
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  Progress p = { 0, };
  gint64 end;

  g_assert_no_error (error);
  first = bulk_lines (0, 10000);
  second = bulk_lines (10000, 20000);

  import = assay_import_new (project);
  assay_import_add_bytes (import, "first.jsonl", first, ASSAY_FORMAT_JSONL);
  assay_import_add_bytes (import, "second.jsonl", second, ASSAY_FORMAT_JSONL);
  p.import = import;
  p.caller = project;
  p.main_thread = g_thread_self ();
  assay_import_set_progress_func (import, progress_cb, &p);
  assay_import_run_async (import, NULL, progress_done_cb, &p);

  while (!p.ended)
    g_main_context_iteration (NULL, TRUE);
  /* Whatever was still on its way. */
  end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);

  g_test_message ("%u progress calls", p.n_calls);
  g_assert_cmpuint (p.n_calls, >, 0);
  g_assert_cmpuint (p.n_elsewhere, ==, 0);
  g_assert_cmpuint (p.n_after, ==, 0);
  g_assert_false (p.backwards);
  g_assert_cmpuint (p.max_input, ==, 1);
  g_assert_true (p.caller_free);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 20000);
  g_assert_cmpint (assay_project_lookup_source (project, "bulk-019999"), >, 0);
}

/* A read-only project refuses an import at once, and stays as it was. */
static void
test_import_read_only (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                             ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  g_autoptr(AssayImport) import = NULL;
  const char *more = "{\"id\": \"call-4\", \"text\": \"A late call about a router.\"}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (more, strlen (more));
  g_autofree char *missing = g_build_filename (f->dir, "not-written-yet.jsonl", NULL);

  g_assert_no_error (error);
  g_assert_true (assay_project_get_read_only (project));
  import = assay_import_new (project);
  assay_import_add_bytes (import, "more.jsonl", bytes, ASSAY_FORMAT_JSONL);
  /* Said before anything is read: not a complaint about the input. */
  assay_import_add_file (import, missing, ASSAY_FORMAT_JSONL);
  assay_import_run_async (import, NULL, store_result_cb, &result);
  g_assert_false (assay_import_run_finish (import, wait_for (&result), &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_object (&project);
  g_assert_cmpint (raw_int (f->path, "SELECT count (*) FROM sources"), ==, 3);
}

/* Some 2000 sources of 4 KB, so that an export takes a moment. */
static void
add_bulk (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;

  while (text->len < 4000)
    g_string_append (text, "The caller asked about the March invoice and a refund. ");
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (jsonl, "{\"id\": \"bulk-%u\", \"text\": \"%s\", \"candidates\":"
                            " [{\"id\": \"a\", \"model\": \"atlas\", \"text\": \"%.1500s\"}]}\n",
                            i, text->str, text->str);
  bytes = g_string_free_to_bytes (g_steal_pointer (&jsonl));
  assay_import_add_bytes (import, "bulk.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
only_the_project (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_prefix (name, "p.assay"))
      return FALSE;
  return TRUE;
}

/* An application quitting mid-export: its main loop will not run again,
 * so it cancels and waits, and then nothing of the export is left. */
static void
test_export_cancel_and_wait (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  gint64 deadline;

  add_bulk (f);
  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  assay_export_to_files_async (project, "native", NULL, out, cancellable, store_result_cb,
                               &result);
  /* Without the main loop: the worker is writing its temporary file. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (only_the_project (f->dir))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200);
    }
  assay_export_cancel_and_wait (cancellable);
  g_assert_true (only_the_project (f->dir));
  g_assert_null (result);

  files = assay_export_to_files_finish (wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (files);
  g_assert_true (only_the_project (f->dir));
}

/* What the Export dialog lists, read in a worker: the same as the
 * project's own answers. */
static void
test_export_choices (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayExportChoices) choices = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *rule = NULL;
  gint64 annotator;

  g_assert_no_error (error);
  assay_project_ensure_annotator (project, "ada", "Ada Lovelace", ASSAY_ANNOTATOR_PERSON,
                                  &annotator, &error);
  g_assert_no_error (error);

  assay_export_read_choices_async (project, NULL, store_result_cb, &result);
  g_assert_null (result);
  choices = assay_export_read_choices_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (choices->problem);

  g_assert_cmpuint (choices->annotators->len, ==, 1);
  g_assert_cmpstr (((AssayAnnotatorInfo *) g_ptr_array_index (choices->annotators, 0))->ext_id,
                   ==, "ada");
  models = assay_project_list_models (project, &error);
  g_assert_cmpuint (choices->models->len, ==, models->len);
  g_assert_cmpuint (choices->models->len, ==, 2);
  for (guint i = 0; i < models->len; i++)
    g_assert_cmpstr (((AssayModelCount *) g_ptr_array_index (choices->models, i))->model, ==,
                     ((AssayModelCount *) g_ptr_array_index (models, i))->model);
  g_assert_nonnull (choices->tmpl);
  rule = assay_export_describe_gold_rule (project, &error);
  g_assert_cmpstr (choices->gold_rule, ==, rule);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/assay/async/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("open-migrates", test_open_migrates);
  ADD ("open-error", test_open_error);
  ADD ("queue-search", test_queue_search);
  ADD ("import-export", test_import_export);
  ADD ("export-cancelled", test_export_cancelled);
  ADD ("import-progress", test_import_progress);
  ADD ("import-read-only", test_import_read_only);
  ADD ("export-cancel-and-wait", test_export_cancel_and_wait);
  ADD ("export-choices", test_export_choices);

  return g_test_run ();
}
