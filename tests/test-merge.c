/* test-merge.c: several experts' work merged into one project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "assay-core.h"
#include "assay-project-private.h"

typedef struct
{
  char *dir;
  char *lead;
  char *expert_a;
  char *expert_b;
} Fixture;

static const char *template_json =
  "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "  {\"name\": \"supported\"}, {\"name\": \"unsupported\"}]},"
  " {\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\"}, {\"name\": \"coverage\"}]}";

static const char *sources_jsonl =
  "{\"id\": \"call-1\", \"text\": \"The refund of 40 euros was sent on Monday.\","
  " \"candidates\": [{\"id\": \"a\", \"model\": \"atlas\", \"text\": \"A refund was sent.\"},"
  "  {\"id\": \"b\", \"model\": \"brevity\", \"text\": \"A 400 euro refund.\"}]}\n"
  "{\"id\": \"call-2\", \"text\": \"The customer asked to cancel.\","
  " \"candidates\": [{\"id\": \"a\", \"model\": \"atlas\", \"text\": \"Cancellation request.\"},"
  "  {\"id\": \"b\", \"model\": \"brevity\", \"text\": \"A complaint.\"}]}\n";

static void
import_text (AssayProject *project,
             const char   *name,
             const char   *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  assay_import_add_bytes (import, name, bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (to, contents, len, NULL));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) base = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *template_path = NULL;

  f->dir = g_dir_make_tmp ("assay-merge-XXXXXX", NULL);
  f->lead = g_build_filename (f->dir, "lead.assay", NULL);
  f->expert_a = g_build_filename (f->dir, "a.assay", NULL);
  f->expert_b = g_build_filename (f->dir, "b.assay", NULL);

  template_path = g_build_filename (f->dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (template_path, template_json, -1, NULL));
  tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);

  base = assay_project_create (f->lead, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (base, tmpl, &error));
  import_text (base, "sources.jsonl", sources_jsonl);
  g_clear_object (&base);

  /* Each expert works on a copy of the lead's project. */
  copy_file (f->lead, f->expert_a);
  copy_file (f->lead, f->expert_b);
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
  g_free (f->lead);
  g_free (f->expert_a);
  g_free (f->expert_b);
}

typedef struct
{
  AssayProject *project;
  gint64        annotator;
  gint64        source;
  gint64        a, b;
} Expert;

static void
expert_open (Expert     *e,
             const char *path,
             const char *who,
             const char *source)
{
  g_autoptr(GError) error = NULL;

  e->project = assay_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_ensure_annotator (e->project, who, NULL, ASSAY_ANNOTATOR_PERSON,
                                                 &e->annotator, &error));
  e->source = assay_project_lookup_source (e->project, source);
  e->a = assay_project_lookup_candidate (e->project, e->source, "a");
  e->b = assay_project_lookup_candidate (e->project, e->source, "b");
}

static gint64
criterion (AssayProject *project,
           const char   *name)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, NULL);

  return assay_template_find_criterion (tmpl, name)->id;
}

static gint64
option (AssayProject *project,
        const char   *set,
        const char   *name,
        AssayLabelScope scope)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, NULL);

  return assay_template_find_option (tmpl, set, name, scope, NULL, NULL)->id;
}

/* Expert work: scores, a span and a ranking on call-1. */
static void
judge (Expert *e,
       int     faithfulness_b)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[] = { e->a, e->b };
  int ranks[] = { 1, 2 };
  gint64 unsupported = option (e->project, "claims", "unsupported", ASSAY_SCOPE_SPAN);

  g_assert_true (assay_project_set_score (e->project, e->b, e->annotator,
                                          criterion (e->project, "faithfulness"), faithfulness_b,
                                          "The amount is wrong.", NULL, &error));
  g_assert_true (assay_project_save_span (e->project, 0, e->b, e->annotator, 2, 11, unsupported,
                                          NULL, NULL, 0, NULL, NULL, &error));
  g_assert_true (assay_project_set_ranking (e->project, e->source, e->annotator, ids, ranks, 2,
                                            NULL, &error));
  g_assert_true (assay_project_set_status (e->project, e->source, e->annotator,
                                           ASSAY_STATUS_DONE, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
merge (Fixture     *f,
       const char **paths,
       guint       *replaced,
       guint       *kept,
       GError     **error)
{
  g_autoptr(AssayProject) lead = assay_project_open (f->lead, error);
  g_autoptr(AssayImport) import = NULL;

  if (lead == NULL)
    return FALSE;
  import = assay_import_new (lead);
  assay_import_set_merge (import, TRUE);
  for (guint i = 0; paths[i] != NULL; i++)
    if (!assay_import_add_merge_source (import, lead, paths[i], error))
      return FALSE;
  if (!assay_import_run (import, NULL, error))
    return FALSE;
  if (replaced != NULL)
    *replaced = assay_import_get_n_replaced (import);
  if (kept != NULL)
    *kept = assay_import_get_n_kept (import);
  return TRUE;
}

static char *
export_native (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_no_error (error);
  g_assert_true (assay_export_to_stream (project, "native", NULL, out, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static AssayItem *
lead_item (Fixture    *f,
           const char *who,
           const char *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) lead = assay_project_open (f->lead, &error);
  gint64 annotator = assay_project_lookup_annotator (lead, who);

  g_assert_cmpint (annotator, !=, 0);
  return assay_project_load_item (lead, assay_project_lookup_source (lead, source), annotator,
                                  &error);
}

static void
test_two_experts (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { f->expert_a, f->expert_b, NULL };
  g_autoptr(AssayItem) a = NULL;
  g_autoptr(AssayItem) b = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *other_before = NULL;
  g_autofree char *other_after = NULL;
  gsize other_len, other_len2;
  guint replaced = 0;

  {
    Expert ea = { 0 }, eb = { 0 };

    expert_open (&ea, f->expert_a, "ana", "call-1");
    judge (&ea, 2);
    g_clear_object (&ea.project);
    expert_open (&eb, f->expert_b, "ben", "call-1");
    judge (&eb, 3);
    g_clear_object (&eb.project);
  }
  g_assert_true (g_file_get_contents (f->expert_a, &other_before, &other_len, NULL));

  merge (f, paths, &replaced, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replaced, ==, 2);

  /* Every judgment keeps its annotator. */
  a = lead_item (f, "ana", "call-1");
  b = lead_item (f, "ben", "call-1");
  g_assert_cmpint (a->status, ==, ASSAY_STATUS_DONE);
  g_assert_cmpint (b->status, ==, ASSAY_STATUS_DONE);
  g_assert_cmpuint (((AssayItemCandidate *) g_ptr_array_index (a->candidates, 1))->spans->len, ==,
                    1);
  {
    AssayItemCandidate *ab = g_ptr_array_index (a->candidates, 1);
    AssayItemCandidate *bb = g_ptr_array_index (b->candidates, 1);
    GHashTableIter iter;
    gpointer value;
    int va = 0, vb = 0;

    g_hash_table_iter_init (&iter, ab->scores);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      va = ((AssayItemScore *) value)->value;
    g_hash_table_iter_init (&iter, bb->scores);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      vb = ((AssayItemScore *) value)->value;
    g_assert_cmpint (va, ==, 2);
    g_assert_cmpint (vb, ==, 3);
  }

  /* Merging again changes nothing. */
  before = export_native (f->lead);
  g_assert_true (merge (f, paths, NULL, NULL, &error));
  after = export_native (f->lead);
  g_assert_cmpstr (before, ==, after);

  /* The other projects were read, not changed. */
  g_assert_true (g_file_get_contents (f->expert_a, &other_after, &other_len2, NULL));
  g_assert_cmpmem (other_before, other_len, other_after, other_len2);
}

static void
test_newer_file_updates (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { f->expert_a, NULL };
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *b;
  Expert ea = { 0 };

  expert_open (&ea, f->expert_a, "ana", "call-1");
  judge (&ea, 2);
  g_clear_object (&ea.project);
  g_assert_true (merge (f, paths, NULL, NULL, &error));

  /* Ana revisits: a new score, her span removed. */
  g_usleep (5000);
  expert_open (&ea, f->expert_a, "ana", "call-1");
  g_assert_true (assay_project_set_score (ea.project, ea.b, ea.annotator,
                                          criterion (ea.project, "faithfulness"), 1,
                                          "Wrong amount and wrong tone.", NULL, &error));
  {
    g_autoptr(AssayItem) mine = assay_project_load_item (ea.project, ea.source, ea.annotator,
                                                         &error);
    AssayItemCandidate *cb = assay_item_find_candidate (mine, ea.b);

    g_assert_true (assay_project_delete_span (ea.project,
                                              ((AssayItemSpan *) g_ptr_array_index (cb->spans,
                                                                                    0))->id,
                                              &error));
  }
  g_clear_object (&ea.project);

  g_assert_true (merge (f, paths, NULL, NULL, &error));
  g_assert_no_error (error);
  item = lead_item (f, "ana", "call-1");
  b = g_ptr_array_index (item->candidates, 1);
  g_assert_cmpuint (b->spans->len, ==, 0);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, b->scores);
    g_assert_true (g_hash_table_iter_next (&iter, NULL, &value));
    g_assert_cmpint (((AssayItemScore *) value)->value, ==, 1);
    g_assert_cmpstr (((AssayItemScore *) value)->rationale, ==, "Wrong amount and wrong tone.");
  }
}

/* The lead's copy of an annotator's judgments is newer: an old file does
 * not roll it back. */
static void
test_newer_here_is_kept (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { f->expert_a, NULL };
  g_autoptr(AssayItem) item = NULL;
  guint kept = 0;
  Expert ea = { 0 }, lead = { 0 };

  expert_open (&ea, f->expert_a, "ana", "call-1");
  judge (&ea, 2);
  g_clear_object (&ea.project);
  g_assert_true (merge (f, paths, NULL, NULL, &error));

  g_usleep (5000);
  expert_open (&lead, f->lead, "ana", "call-1");
  g_assert_true (assay_project_set_score (lead.project, lead.b, lead.annotator,
                                          criterion (lead.project, "faithfulness"), 4,
                                          "Settled with Ana on the phone.", NULL, &error));
  g_clear_object (&lead.project);

  g_assert_true (merge (f, paths, NULL, &kept, &error));
  g_assert_cmpuint (kept, ==, 1);
  item = lead_item (f, "ana", "call-1");
  {
    AssayItemCandidate *b = g_ptr_array_index (item->candidates, 1);
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, b->scores);
    g_assert_true (g_hash_table_iter_next (&iter, NULL, &value));
    g_assert_cmpint (((AssayItemScore *) value)->value, ==, 4);
  }
}

/* An LLM judge's scores in a native judgment file, as a model annotator. */
static void
test_judge_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "judge.jsonl", NULL);
  const char *paths[] = { path, NULL };
  g_autoptr(GPtrArray) annotators = NULL;
  g_autoptr(AssayProject) lead = NULL;
  gboolean found = FALSE;

  g_assert_true (g_file_set_contents (path,
                                      "{\"type\": \"annotator\", \"id\": \"lumen\", \"name\":"
                                      " \"Lumen judge\", \"kind\": \"model\"}\n"
                                      "{\"type\": \"scores\", \"source\": \"call-1\", \"candidate\":"
                                      " \"b\", \"annotator\": \"lumen\", \"updated\":"
                                      " \"2026-11-01T10:00:00Z\", \"scores\": {\"faithfulness\":"
                                      " {\"score\": 2, \"rationale\": \"400 is not 40.\"}}}\n",
                                      -1, NULL));
  g_assert_true (merge (f, paths, NULL, NULL, &error));
  g_assert_no_error (error);

  lead = assay_project_open (f->lead, &error);
  annotators = assay_project_list_annotators (lead, &error);
  for (guint i = 0; i < annotators->len; i++)
    {
      AssayAnnotatorInfo *info = g_ptr_array_index (annotators, i);

      if (g_str_equal (info->ext_id, "lumen"))
        {
          g_assert_cmpint (info->kind, ==, ASSAY_ANNOTATOR_MODEL);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "other.jsonl", NULL);
  const char *paths[] = { path, NULL };
  const char *self_paths[] = { f->lead, NULL };
  g_autofree char *before = export_native (f->lead);
  g_autofree char *after = NULL;

  /* The same id with another text is not the same source. */
  g_assert_true (g_file_set_contents (path,
                                      "{\"id\": \"call-1\", \"text\": \"Something else.\"}\n",
                                      -1, NULL));
  g_assert_false (merge (f, paths, NULL, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "other.jsonl:1"));
  g_assert_nonnull (strstr (error->message, "another text"));
  g_clear_error (&error);

  /* Nor a candidate with another text. */
  g_assert_true (g_file_set_contents (path,
                                      "{\"id\": \"call-1\", \"text\": \"The refund of 40 euros was"
                                      " sent on Monday.\", \"candidates\": [{\"id\": \"a\","
                                      " \"model\": \"atlas\", \"text\": \"Changed.\"}]}\n",
                                      -1, NULL));
  g_assert_false (merge (f, paths, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "candidate “a” of source “call-1” differs"));
  g_clear_error (&error);

  g_assert_false (merge (f, self_paths, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "the project itself"));

  after = export_native (f->lead);
  g_assert_cmpstr (before, ==, after);
}

/* ---- the other project's -wal ---- */

/* A file's bytes, or NULL if there is no such file. */
static GBytes *
file_bytes (const char *path,
            const char *suffix)
{
  g_autofree char *full = g_strconcat (path, suffix, NULL);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (full, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}

static void
assert_same_bytes (GBytes *before,
                   GBytes *after)
{
  g_assert_nonnull (before);
  g_assert_nonnull (after);
  g_assert_cmpmem (g_bytes_get_data (before, NULL), g_bytes_get_size (before),
                   g_bytes_get_data (after, NULL), g_bytes_get_size (after));
}

/* How many scores the main file alone holds, as a copy of it without its
 * -wal shows: what a merge that copies the file would have seen. */
static gint64
scores_in_main_file (Fixture    *f,
                     const char *path)
{
  g_autofree char *copy = g_build_filename (f->dir, "main-only.assay", NULL);
  g_autofree char *uri = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  copy_file (path, copy);
  uri = g_strdup_printf ("file:%s?immutable=1", copy);
  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM scores", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_unlink (copy);
  return n;
}

typedef enum
{
  WRITER_STAYS,    /* the app keeps the project open */
  WRITER_KILLED,   /* the writer was killed with SIGKILL */
} WriterEnd;

/* In a child process, ana judges call-1 and call-2 in expert A's project,
 * each judgment committed, then either keeps the project open (as the app
 * does) until told to go, or is killed. Either way the judgments are in
 * the -wal only. Returns the child's pid, and the pipe that lets it go. */
static GPid
judge_in_child (Fixture   *f,
                WriterEnd  end,
                int       *release_fd)
{
  int ready[2], release[2];
  char byte = 0;
  pid_t pid;

  g_assert_true (g_unix_open_pipe (ready, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_open_pipe (release, FD_CLOEXEC, NULL));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      AssayProject *project;
      gint64 annotator, call2, c;

      close (ready[0]);
      close (release[1]);
      project = assay_project_open_full (f->expert_a, end == WRITER_STAYS
                                                        ? ASSAY_PROJECT_OPEN_APP
                                                        : ASSAY_PROJECT_OPEN_DEFAULT, &error);
      if (project == NULL ||
          !assay_project_ensure_annotator (project, "ana", NULL, ASSAY_ANNOTATOR_PERSON,
                                           &annotator, &error))
        _exit (2);
      {
        Expert e = { project, annotator, assay_project_lookup_source (project, "call-1") };

        e.a = assay_project_lookup_candidate (project, e.source, "a");
        e.b = assay_project_lookup_candidate (project, e.source, "b");
        judge (&e, 2);
      }
      call2 = assay_project_lookup_source (project, "call-2");
      c = assay_project_lookup_candidate (project, call2, "a");
      if (!assay_project_set_note (project, call2, c, annotator, "Cancellation, not a complaint.",
                                   NULL, &error) ||
          !assay_project_set_status (project, call2, annotator, ASSAY_STATUS_FLAGGED, NULL,
                                     &error))
        _exit (3);
      if (write (ready[1], &byte, 1) != 1)
        _exit (4);
      if (end == WRITER_KILLED)
        raise (SIGKILL);
      /* Until the test is done with the project; the connection is never
       * closed, so nothing is checkpointed. */
      if (read (release[0], &byte, 1) < 0)
        _exit (5);
      _exit (0);
    }

  close (ready[1]);
  close (release[0]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  close (ready[0]);
  if (end == WRITER_KILLED)
    {
      int status = 0;

      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      close (release[1]);
      *release_fd = -1;
    }
  else
    *release_fd = release[1];
  return pid;
}

static void
test_wal (Fixture       *f,
          gconstpointer  data)
{
  WriterEnd end = GPOINTER_TO_INT (data);
  const char *paths[] = { f->expert_a, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) main_before = NULL;
  g_autoptr(GBytes) wal_before = NULL;
  g_autoptr(GBytes) main_after = NULL;
  g_autoptr(GBytes) wal_after = NULL;
  g_autoptr(AssayItem) one = NULL;
  g_autoptr(AssayItem) two = NULL;
  int release_fd = -1;
  GPid pid;

  pid = judge_in_child (f, end, &release_fd);

  /* The judgments are committed, and in the -wal only. */
  main_before = file_bytes (f->expert_a, "");
  wal_before = file_bytes (f->expert_a, "-wal");
  g_assert_nonnull (wal_before);
  g_assert_cmpuint (g_bytes_get_size (wal_before), >, 0);
  g_assert_cmpint (scores_in_main_file (f, f->expert_a), ==, 0);

  g_assert_true (merge (f, paths, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Every judgment came in. */
  one = lead_item (f, "ana", "call-1");
  two = lead_item (f, "ana", "call-2");
  g_assert_cmpint (one->status, ==, ASSAY_STATUS_DONE);
  g_assert_cmpuint (((AssayItemCandidate *) g_ptr_array_index (one->candidates, 1))->spans->len,
                    ==, 1);
  g_assert_cmpuint (g_hash_table_size (((AssayItemCandidate *) g_ptr_array_index (
                      one->candidates, 1))->scores), ==, 1);
  g_assert_cmpint (((AssayItemCandidate *) g_ptr_array_index (one->candidates, 0))->rank, ==, 1);
  g_assert_cmpint (two->status, ==, ASSAY_STATUS_FLAGGED);
  g_assert_cmpstr (((AssayItemCandidate *) g_ptr_array_index (two->candidates, 0))->note, ==,
                   "Cancellation, not a complaint.");

  /* And the other project and its WAL are as they were, byte for byte
   * (the -shm beside them is SQLite's wal-index, which any reader may
   * rebuild; docs/architecture.md, "Locks"). */
  main_after = file_bytes (f->expert_a, "");
  wal_after = file_bytes (f->expert_a, "-wal");
  assert_same_bytes (main_before, main_after);
  assert_same_bytes (wal_before, wal_after);

  if (release_fd >= 0)
    {
      int status = 0;

      close (release_fd);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
}

/* A project of the first format (before full-text search) is merged as it
 * is: not migrated, not changed. */
static void
test_older_format (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *old = g_build_filename (f->dir, "old.assay", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d;"
                                             " PRAGMA user_version = 1;", ASSAY_APPLICATION_ID);
  const char *paths[] = { old, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(AssayItem) item = NULL;
  g_autoptr(AssayProject) lead = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (old, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _assay_schema_v1_sql (), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO sources (ext_id, title, text, created_at)"
                                 " VALUES ('call-3', 'Third', 'The parcel came late.',"
                                 " '2026-01-01T00:00:00.000Z');"
                                 "INSERT INTO candidates (source_id, ext_id, model, text, position)"
                                 " VALUES (1, 'a', 'atlas', 'A late parcel.', 0);"
                                 "INSERT INTO annotators (ext_id, name, kind)"
                                 " VALUES ('cleo', 'Cleo', 'person');"
                                 "INSERT INTO item_status (source_id, annotator_id, status,"
                                 " created_at, updated_at) VALUES (1, 1, 'done',"
                                 " '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_bytes (old, "");

  g_assert_true (merge (f, paths, NULL, NULL, &error));
  g_assert_no_error (error);

  lead = assay_project_open (f->lead, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_project_lookup_source (lead, "call-3"), !=, 0);
  g_clear_object (&lead);
  item = lead_item (f, "cleo", "call-3");
  g_assert_cmpint (item->status, ==, ASSAY_STATUS_DONE);

  /* Still format 1, byte for byte, with nothing beside it. */
  after = file_bytes (old, "");
  assert_same_bytes (before, after);
  g_assert_null (file_bytes (old, "-wal"));
  g_assert_null (file_bytes (old, "-journal"));
  g_assert_cmpint (sqlite3_open_v2 (old, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/merge/two-experts", test_two_experts);
  ADD ("/assay/merge/newer-file-updates", test_newer_file_updates);
  ADD ("/assay/merge/newer-here-is-kept", test_newer_here_is_kept);
  ADD ("/assay/merge/judge-file", test_judge_file);
  ADD ("/assay/merge/refusals", test_refusals);
  ADD ("/assay/merge/older-format", test_older_format);
  g_test_add ("/assay/merge/wal/app-open", Fixture, GINT_TO_POINTER (WRITER_STAYS), fixture_setup,
              test_wal, fixture_teardown);
  g_test_add ("/assay/merge/wal/writer-killed", Fixture, GINT_TO_POINTER (WRITER_KILLED),
              fixture_setup, test_wal, fixture_teardown);

  return g_test_run ();
}
