/* test-check.c: is a project file sound, and is a hostile one harmless?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Projects travel between people, so a file may have been damaged or
 * tampered with by someone else. These cases break a project on purpose
 * with raw SQLite, behind Assay's back, and expect assay_check_project to
 * say what is wrong (naming the item), assay_project_open to refuse what it
 * must refuse without writing a byte, and nothing planted in a file to run.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "assay-core.h"
#include "assay-project-private.h"

/* ---- fixture ---- */

typedef struct
{
  char *dir;
  char *path;        /* a project with one judgment of every kind */
} Fixture;

static const char *
data_path (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "data", "cli", name, NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

/* The template and records of tests/data/cli: two sources, one with
 * segments, four candidates, and a label, span with evidence, correction,
 * scores, ranking, comparison, note and status. */
static void
make_project (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayImport) import = NULL;

  project = assay_project_create (path, &error);
  g_assert_no_error (error);
  tmpl = assay_template_load_file (data_path ("template.json"), &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (project, tmpl, &error));
  g_assert_no_error (error);

  import = assay_import_new (project);
  assay_import_add_file (import, data_path ("project.jsonl"), ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 9);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-check-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "field.assay", NULL);
  make_project (f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ---- helpers ---- */

static char *
read_bytes (const char *path,
            gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return contents;
}

static void
write_bytes (const char *path,
             const char *contents,
             gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_no_error (error);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dst = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_same_bytes (const char *path,
                   const char *before,
                   gsize       before_len)
{
  gsize len = 0;
  g_autofree char *now = read_bytes (path, &len);

  g_assert_cmpuint (len, ==, before_len);
  g_assert_true (memcmp (now, before, len) == 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in `dir`, sorted and joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* SQL on the file through a plain connection: no defensive mode, foreign
 * keys off, as any other program (or a hostile one) would write it. */
static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_test_fail_printf ("%s: %s", sql, message);
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static gint64
raw_query_int (const char *path,
               const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  /* Read-write, though it only reads: a read-only connection cannot remove
   * the WAL and shared-memory files when it closes. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gint64
project_query_int (AssayProject *project,
                   const char   *sql)
{
  sqlite3 *db = _assay_project_get_db (project);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* Runs the check, which must succeed in checking and must not change the
 * file, and returns its problems. */
static GPtrArray *
check (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  GPtrArray *problems = NULL;
  gsize before_len = 0;

  before = read_bytes (path, &before_len);
  g_assert_true (assay_check_project (path, &problems, &error));
  g_assert_no_error (error);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", path, (const char *) g_ptr_array_index (problems, i));
  assert_same_bytes (path, before, before_len);
  return problems;
}

static void
assert_no_problems (const char *path)
{
  g_autoptr(GPtrArray) problems = check (path);

  g_assert_cmpuint (problems->len, ==, 0);
}

/* Some problem mentions every one of the NULL-terminated needles. */
static void G_GNUC_NULL_TERMINATED
assert_problem (GPtrArray  *problems,
                const char *first,
                ...)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new ();
  const char *needle;
  va_list ap;

  g_ptr_array_add (needles, (gpointer) first);
  va_start (ap, first);
  while ((needle = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (needles, (gpointer) needle);
  va_end (ap);

  for (guint i = 0; i < problems->len; i++)
    {
      const char *problem = g_ptr_array_index (problems, i);
      gboolean all = TRUE;

      for (guint k = 0; k < needles->len && all; k++)
        all = strstr (problem, g_ptr_array_index (needles, k)) != NULL;
      if (all)
        return;
    }

  {
    g_autoptr(GString) wanted = g_string_new (NULL);

    for (guint k = 0; k < needles->len; k++)
      g_string_append_printf (wanted, "%s“%s”", k > 0 ? " and " : "",
                              (const char *) g_ptr_array_index (needles, k));
    g_test_fail_printf ("no problem mentions %s (%u problems reported)", wanted->str,
                        problems->len);
  }
}

static void
import_jsonl (AssayProject *project,
              const char   *jsonl)
{
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GBytes) bytes = g_bytes_new (jsonl, strlen (jsonl));
  g_autoptr(GError) error = NULL;

  assay_import_add_bytes (import, "test.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

/* A failure's message; a failure without an error is a bug of its own. */
static const char *
message_of (const GError *error)
{
  if (error == NULL)
    {
      g_test_fail_printf ("failed without setting an error");
      return "(no error)";
    }
  return error->message;
}

/* ---- sound projects ---- */

static void
test_fresh (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (f->dir, "empty.assay", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(AssayProject) project = assay_project_create (empty, &error);

    g_assert_no_error (error);
  }
  assert_no_problems (empty);
  /* Every kind of judgment, as the importer writes them. */
  assert_no_problems (f->path);

  /* And after opening again (a no-op migration) and writing. */
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);

    g_assert_no_error (error);
    import_jsonl (project, "{\"id\": \"plot-20\", \"text\": \"Windbreak down on the west side.\","
                           " \"candidates\": [{\"model\": \"sketch-3\", \"text\": \"Windbreak"
                           " down.\"}]}\n");
  }
  assert_no_problems (f->path);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  const char *demo = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *copy = g_build_filename (f->dir, "demo.assay", NULL);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GError) error = NULL;
  AssayProjectCounts counts;

  g_assert_nonnull (demo);
  copy_file (demo, copy);
  assert_no_problems (copy);

  project = assay_project_open (copy, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_get_counts (project, &counts, &error));
  g_assert_cmpint (counts.sources, ==, 6);
  g_clear_object (&project);
  assert_no_problems (copy);
}

/* ---- planted code ---- */

static void
test_planted_trigger (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  raw_exec (f->path,
            "CREATE TRIGGER evil AFTER INSERT ON sources BEGIN DELETE FROM candidates; END;"
            "CREATE TRIGGER snoop AFTER INSERT ON candidates"
            " BEGIN INSERT OR REPLACE INTO settings VALUES ('snooped', NEW.text); END;"
            "CREATE TRIGGER wipe BEFORE UPDATE ON settings BEGIN DELETE FROM spans; END;");

  problems = check (f->path);
  assert_problem (problems, "trigger", "evil", NULL);
  assert_problem (problems, "trigger", "snoop", NULL);
  assert_problem (problems, "trigger", "wipe", NULL);

  /* The file is opened and written as usual; none of it runs. */
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
    g_autofree char *snooped = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (project);
    import_jsonl (project, "{\"id\": \"plot-30\", \"text\": \"Hail damage on the cherries.\","
                           " \"candidates\": [{\"model\": \"pith-1\", \"text\": \"Hail.\"}]}\n");
    g_assert_true (assay_project_set_setting (project, "name", "Orchard survey", &error));
    g_assert_no_error (error);

    g_assert_cmpint (project_query_int (project, "SELECT count(*) FROM candidates"), ==, 5);
    g_assert_cmpint (project_query_int (project, "SELECT count(*) FROM spans"), ==, 1);
    snooped = assay_project_dup_setting (project, "snooped");
    g_assert_null (snooped);
  }

  /* Candidates of the other sources survived, as a second reader sees. */
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM candidates c JOIN sources s"
                                           " ON s.id = c.source_id WHERE s.ext_id = 'plot-07'"),
                   ==, 2);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM settings"
                                           " WHERE key = 'snooped'"), ==, 0);

  /* The triggers are still reported: the file is still altered. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = check (f->path);
  assert_problem (problems, "evil", NULL);
}

static void
test_planted_view (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  AssayProjectCounts counts;

  raw_exec (f->path, "CREATE VIEW sneaky AS SELECT ext_id, text FROM sources;");
  problems = check (f->path);
  assert_problem (problems, "view", "sneaky", NULL);

  /* Assay does not need the view, and works around it. */
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_true (assay_project_get_counts (project, &counts, &error));
    g_assert_no_error (error);
    g_assert_cmpint (counts.sources, ==, 2);
  }
}

/* A table of Assay's swapped for a view of the same name: reported by the
 * check; opening and reading may fail, but with an error. */
static void
test_table_swapped_for_view (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GError) error = NULL;

  raw_exec (f->path, "PRAGMA foreign_keys = OFF; DROP TABLE notes;"
                     " CREATE VIEW notes AS SELECT 1 AS source_id, 0 AS candidate_id,"
                     " 1 AS annotator_id, 'planted' AS text, '' AS created_at,"
                     " '' AS updated_at, 0.0 AS time_spent;");
  problems = check (f->path);
  assert_problem (problems, "notes", NULL);

  project = assay_project_open (f->path, &error);
  if (project != NULL)
    {
      AssayProjectCounts counts;

      if (!assay_project_get_counts (project, &counts, &error))
        {
          g_test_message ("counting failed as it may: %s", message_of (error));
          g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_DATABASE);
        }
    }
  else
    g_test_message ("refused: %s", message_of (error));
}

/* ---- schema changes ---- */

static void
test_schema_extra_column (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;

  raw_exec (f->path, "ALTER TABLE sources ADD COLUMN colour TEXT;");
  problems = check (f->path);
  assert_problem (problems, "table", "sources", NULL);
}

static void
test_schema_dropped_index (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;

  raw_exec (f->path, "DROP INDEX scores_by_criterion;");
  problems = check (f->path);
  assert_problem (problems, "index", "scores_by_criterion", NULL);
}

static void
test_schema_extra_table_and_index (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;

  raw_exec (f->path, "CREATE TABLE stash (x TEXT);"
                     "CREATE INDEX sources_by_title ON sources (title);");
  problems = check (f->path);
  assert_problem (problems, "table", "stash", NULL);
  assert_problem (problems, "index", "sources_by_title", NULL);
}

/* ---- Assay's own rules ---- */

typedef struct
{
  const char *name;
  const char *sql;
  const char *needles[3];   /* all in one problem */
} RuleCase;

#define OPTION(set, option) \
  "(SELECT o.id FROM label_options o JOIN label_sets k ON k.id = o.label_set_id" \
  " WHERE k.name = '" set "' AND o.name = '" option "')"
#define CANDIDATE(source, candidate) \
  "(SELECT c.id FROM candidates c JOIN sources s ON s.id = c.source_id" \
  " WHERE s.ext_id = '" source "' AND c.ext_id = '" candidate "')"
#define SOURCE(source) "(SELECT id FROM sources WHERE ext_id = '" source "')"

static const RuleCase rule_cases[] = {
  { "span-beyond-candidate",
    "UPDATE spans SET end = 500",
    { "Span", "plot-07/b", "500" } },
  { "evidence-beyond-source",
    "UPDATE span_evidence SET end = 4000",
    { "Evidence", "plot-07/b", "4000" } },
  { "score-above-scale",
    "UPDATE scores SET value = 4 WHERE criterion_id ="
    " (SELECT id FROM criteria WHERE name = 'concision')",
    { "plot-07/a", "concision=4", NULL } },
  { "score-below-scale",
    "UPDATE scores SET value = 0 WHERE criterion_id ="
    " (SELECT id FROM criteria WHERE name = 'faithfulness')",
    { "plot-07/a", "faithfulness=0", NULL } },
  { "single-choice-twice",
    "INSERT INTO labels (candidate_id, annotator_id, option_id, created_at, updated_at)"
    " SELECT candidate_id, annotator_id, " OPTION ("verdict", "reject") ", created_at, updated_at"
    " FROM labels WHERE option_id = " OPTION ("verdict", "accept"),
    { "plot-07/a", "verdict", "single-choice" } },
  { "source-metadata-not-object",
    "UPDATE sources SET metadata = '[\"orchard\", 4]' WHERE ext_id = 'plot-07'",
    { "plot-07", "metadata", NULL } },
  { "source-metadata-not-json",
    "UPDATE sources SET metadata = '{orchard: Bramblegate' WHERE ext_id = 'plot-12'",
    { "plot-12", "metadata", NULL } },
  { "candidate-metadata-not-object",
    "UPDATE candidates SET metadata = '\"just a string\"' WHERE id = " CANDIDATE ("plot-12", "b"),
    { "plot-12/b", "metadata", NULL } },
  { "source-text-not-segments",
    "UPDATE sources SET text = 'Rows one to four are fine.' WHERE ext_id = 'plot-07'",
    { "plot-07", "segments", NULL } },
  { "segment-text-changed",
    "UPDATE segments SET text = 'We sprayed sulphur twice in April.' WHERE idx = 1",
    { "plot-07", "segments", NULL } },
  { "span-with-candidate-label",
    "UPDATE spans SET option_id = " OPTION ("verdict", "reject"),
    { "plot-07/b", "verdict", "span" } },
  { "labels-with-span-label",
    "UPDATE labels SET option_id = " OPTION ("claims", "supported")
    " WHERE option_id = " OPTION ("issues", "omission"),
    { "plot-07/a", "claims", NULL } },
  { "ranking-across-sources",
    "UPDATE rankings SET candidate_id = " CANDIDATE ("plot-12", "b")
    " WHERE candidate_id = " CANDIDATE ("plot-07", "b"),
    { "ranking", "plot-07", NULL } },
  { "comparison-across-sources",
    "UPDATE comparisons SET candidate_b = " CANDIDATE ("plot-07", "a"),
    { "comparison", "plot-12", NULL } },
  { "note-on-missing-candidate",
    "UPDATE notes SET candidate_id = 9999",
    { "note", "plot-12", NULL } },
  /* The search index out of step: the message should say which item can
   * no longer be found. */
  { "source-fts-row-missing",
    "DELETE FROM sources_fts WHERE rowid = " SOURCE ("plot-12"),
    { "search index", "plot-12", NULL } },
  { "candidate-fts-row-missing",
    "DELETE FROM candidates_fts WHERE rowid = " CANDIDATE ("plot-07", "b"),
    { "search index", "plot-07/b", NULL } },
  /* The same count of rows, but one source is unfindable and a row points
   * at nothing: out of step all the same. */
  { "source-fts-row-replaced",
    "DELETE FROM sources_fts WHERE rowid = " SOURCE ("plot-12") ";"
    "INSERT INTO sources_fts (rowid, title, text) VALUES (999, 'Ghost', 'Nothing here.')",
    { "search index", "plot-12", NULL } },
};

static void
test_rule (Fixture       *f,
           gconstpointer  data)
{
  const RuleCase *rule = data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  /* Sound before. */
  assert_no_problems (f->path);
  raw_exec (f->path, rule->sql);
  problems = check (f->path);
  g_assert_cmpuint (problems->len, >, 0);
  assert_problem (problems, rule->needles[0], rule->needles[1], rule->needles[2], NULL);

  /* A project that breaks a rule still opens: the check reports, it does
   * not lock the user out. */
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_nonnull (project);
  }
}

/* A multi-choice set takes several options; that is no problem. */
static void
test_rule_multi_choice_is_fine (Fixture       *f,
                                gconstpointer  data)
{
  raw_exec (f->path,
            "INSERT INTO labels (candidate_id, annotator_id, option_id, created_at, updated_at)"
            " SELECT candidate_id, annotator_id, " OPTION ("issues", "padding") ","
            " created_at, updated_at FROM labels WHERE option_id = " OPTION ("issues", "omission"));
  assert_no_problems (f->path);
}

static void
test_foreign_key_check (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *row = NULL;
  gint64 id;

  raw_exec (f->path, "PRAGMA foreign_keys = OFF;"
                     "INSERT INTO candidates (source_id, ext_id, model, text, position)"
                     " VALUES (9999, 'orphan', 'sketch-3', 'A summary of nothing.', 0);");
  id = raw_query_int (f->path, "SELECT id FROM candidates WHERE ext_id = 'orphan'");
  g_assert_cmpint (id, >, 0);
  row = g_strdup_printf (" %" G_GINT64_FORMAT " ", id);

  problems = check (f->path);
  assert_problem (problems, row, "candidates", "sources", NULL);

  /* A judgment on a candidate that is gone. */
  raw_exec (f->path, "PRAGMA foreign_keys = OFF; DELETE FROM candidates WHERE id = "
                     CANDIDATE ("plot-12", "a") ";");
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = check (f->path);
  assert_problem (problems, "candidates", "sources", NULL);
  assert_problem (problems, "comparisons", "candidates", NULL);
}

/* Most judgment tables are WITHOUT ROWID, where foreign_key_check gives no
 * row id: each finding must still say which row it is about. */
static void
test_foreign_key_check_without_rowid (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* plot-07/a has labels, two scores and a rank. */
  raw_exec (f->path, "PRAGMA foreign_keys = OFF; DELETE FROM candidates WHERE id = "
                     CANDIDATE ("plot-07", "a") ";");
  problems = check (f->path);
  assert_problem (problems, "labels", "candidates", NULL);
  assert_problem (problems, "scores", "candidates", NULL);
  assert_problem (problems, "rankings", "candidates", NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const char *problem = g_ptr_array_index (problems, i);

      if (strstr (problem, "Row 0 ") != NULL)
        g_test_fail_printf ("“%s” names a row that does not exist", problem);
      if (!g_hash_table_add (seen, (gpointer) problem))
        g_test_fail_printf ("“%s” is reported twice: its rows cannot be told apart", problem);
    }
}

/* ---- files Assay must refuse without touching ---- */

static void
assert_open_refused (const char *path,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *files_before = list_dir (dir);
  g_autofree char *files_after = NULL;
  g_autofree char *before = NULL;
  gsize before_len = 0;

  before = read_bytes (path, &before_len);
  project = assay_project_open (path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, code);
  if (error != NULL)
    {
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, path));
    }
  assert_same_bytes (path, before, before_len);
  /* No journal, WAL or shared-memory file appeared, or was left. */
  files_after = list_dir (dir);
  g_assert_cmpstr (files_after, ==, files_before);
}

static void
assert_check_refused (const char *path,
                      int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *before = NULL;
  gsize before_len = 0;

  before = read_bytes (path, &before_len);
  g_assert_false (assay_check_project (path, &problems, &error));
  g_assert_error (error, ASSAY_ERROR, code);
  g_assert_null (problems);
  if (error != NULL)
    g_assert_nonnull (strstr (error->message, path));
  assert_same_bytes (path, before, before_len);
}

static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *rollback = g_build_filename (f->dir, "rollback.assay", NULL);
  g_autofree char *version = g_strdup_printf ("%d", ASSAY_SCHEMA_VERSION);

  /* A project as Assay leaves it: WAL mode, one file. */
  raw_exec (f->path, "PRAGMA user_version = 99;");
  g_assert_cmpint (raw_query_int (f->path, "PRAGMA user_version"), ==, 99);
  {
    g_autofree char *files = list_dir (f->dir);

    g_assert_cmpstr (files, ==, "field.assay");
  }
  assert_open_refused (f->path, ASSAY_ERROR_TOO_NEW);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);

    g_assert_null (project);
    g_assert_nonnull (error);
    if (error != NULL)
      {
        g_assert_nonnull (strstr (error->message, "99"));
        g_assert_nonnull (strstr (error->message, version));
      }
  }
  assert_check_refused (f->path, ASSAY_ERROR_TOO_NEW);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_false (assay_check_project (f->path, &problems, &error));
    g_assert_nonnull (error);
    if (error != NULL)
      {
        g_assert_nonnull (strstr (error->message, "99"));
        g_assert_nonnull (strstr (error->message, version));
      }
  }

  /* A newer Assay might use a rollback journal: opening must not switch it
   * to WAL, which would rewrite the header. */
  make_project (rollback);
  raw_exec (rollback, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;");
  {
    gsize len = 0;
    g_autofree char *bytes = read_bytes (rollback, &len);

    /* File format bytes 18 and 19: 1 is the rollback journal, 2 is WAL. */
    g_assert_cmpuint (len, >, 100);
    g_assert_cmpint (bytes[18], ==, 1);
    g_assert_cmpint (bytes[19], ==, 1);
  }
  assert_open_refused (rollback, ASSAY_ERROR_TOO_NEW);
  assert_check_refused (rollback, ASSAY_ERROR_TOO_NEW);
}

static void
make_other_sqlite (const char *path,
                   const char *journal_mode,
                   int         application_id)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s;"
                                          "PRAGMA application_id = %d;"
                                          "CREATE TABLE recipes (name TEXT, minutes INTEGER);"
                                          "INSERT INTO recipes VALUES ('plum crumble', 45);",
                                          journal_mode, application_id);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
test_not_a_project (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (f->dir, "empty.assay", NULL);
  g_autofree char *text = g_build_filename (f->dir, "text.assay", NULL);
  g_autofree char *noise = g_build_filename (f->dir, "noise.assay", NULL);
  g_autofree char *header = g_build_filename (f->dir, "header.assay", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *other_wal = g_build_filename (f->dir, "other-wal.db", NULL);
  g_autofree char *relabelled = g_build_filename (f->dir, "relabelled.assay", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autofree char *random = g_malloc (16384);

  for (guint i = 0; i < 16384; i++)
    random[i] = (char) g_rand_int_range (rand, 0, 256);

  write_bytes (empty, "", 0);
  assert_open_refused (empty, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (empty, ASSAY_ERROR_NOT_A_PROJECT);

  write_bytes (text, "Plot 7: scab on rows one to four.\nPlot 12: fire blight.\n", -1);
  assert_open_refused (text, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (text, ASSAY_ERROR_NOT_A_PROJECT);

  write_bytes (noise, random, 16384);
  assert_open_refused (noise, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (noise, ASSAY_ERROR_NOT_A_PROJECT);

  /* SQLite's magic string, then noise. */
  memcpy (random, "SQLite format 3", 16);
  write_bytes (header, random, 16384);
  assert_open_refused (header, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (header, ASSAY_ERROR_NOT_A_PROJECT);

  make_other_sqlite (other, "DELETE", 0);
  assert_open_refused (other, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (other, ASSAY_ERROR_NOT_A_PROJECT);

  make_other_sqlite (other_wal, "WAL", 0x47504B47);
  assert_open_refused (other_wal, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (other_wal, ASSAY_ERROR_NOT_A_PROJECT);

  /* A real project whose application id another program claimed. */
  make_project (relabelled);
  raw_exec (relabelled, "PRAGMA application_id = 1234;");
  assert_open_refused (relabelled, ASSAY_ERROR_NOT_A_PROJECT);
  assert_check_refused (relabelled, ASSAY_ERROR_NOT_A_PROJECT);
}

/* Cut short: refused, or opened with its damage reported; never a crash. */
static void
try_truncated (const char *path,
               const char *whole,
               gsize       len,
               gsize       cut)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  write_bytes (path, whole, cut);
  g_test_message ("cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", cut, len);

  if (assay_check_project (path, &problems, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpuint (problems->len, >, 0);
      for (guint i = 0; i < problems->len; i++)
        g_test_message ("  %s", (const char *) g_ptr_array_index (problems, i));
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == ASSAY_ERROR);
      g_test_message ("  check refused: %s", message_of (error));
    }
  g_clear_error (&error);

  {
    g_autoptr(AssayProject) project = assay_project_open (path, &error);

    if (project == NULL)
      {
        g_assert_nonnull (error);
        g_assert_true (error->domain == ASSAY_ERROR);
        g_test_message ("  open refused: %s", message_of (error));
      }
    else
      {
        AssayProjectCounts counts;
        g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
        g_autoptr(AssayExportOptions) options = assay_export_options_new ();
        g_autoptr(GError) read_error = NULL;

        /* Reading what is left may fail, with an error. */
        if (!assay_project_get_counts (project, &counts, &read_error))
          g_test_message ("  counts: %s", message_of (read_error));
        g_clear_error (&read_error);
        if (!assay_export_to_stream (project, "native", options, out, NULL, &read_error))
          g_test_message ("  export: %s", message_of (read_error));
      }
  }
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  const char *demo = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *path = g_build_filename (f->dir, "cut.assay", NULL);
  g_autofree char *whole = NULL;
  gsize len = 0;

  g_assert_nonnull (demo);
  whole = read_bytes (demo, &len);
  g_assert_cmpuint (len, >, 8192);

  try_truncated (path, whole, len, len / 2);
  try_truncated (path, whole, len, len / 4);
  try_truncated (path, whole, len, 4096);
  try_truncated (path, whole, len, 100);
  try_truncated (path, whole, len, 50);
}

/* A project cut short (an interrupted copy or download) still says it is
 * an Assay project in its header: it is a damaged project, and the user
 * should be told so rather than that it is not a project at all. */
static void
test_truncated_is_damaged (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *whole = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(AssayProject) project = NULL;
  gsize len = 0;

  whole = read_bytes (f->path, &len);
  g_assert_cmpuint (len, >, 8192);
  g_assert_cmpint (raw_query_int (f->path, "PRAGMA application_id"), ==, ASSAY_APPLICATION_ID);
  write_bytes (f->path, whole, len / 2);

  project = assay_project_open (f->path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT);
  if (error != NULL)
    g_test_message ("open: %s", error->message);
  g_clear_error (&error);

  if (assay_check_project (f->path, &problems, &error))
    g_assert_cmpuint (problems->len, >, 0);
  else
    {
      g_test_message ("check: %s", message_of (error));
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT);
    }
}

/* The check reads; it must not leave the project as more than one file. */
static void
test_check_leaves_one_file (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *files = NULL;

  assert_no_problems (f->path);
  files = list_dir (f->dir);
  g_assert_cmpstr (files, ==, "field.assay");

  raw_exec (f->path, "PRAGMA user_version = 99;");
  assert_check_refused (f->path, ASSAY_ERROR_TOO_NEW);
  g_clear_pointer (&files, g_free);
  files = list_dir (f->dir);
  g_assert_cmpstr (files, ==, "field.assay");
}

/* ---- durability ---- */

#define N_BIG_SOURCES 20000

static char *
write_big_jsonl (const char *dir)
{
  g_autoptr(GString) jsonl = g_string_new (NULL);
  char *path = g_build_filename (dir, "big.jsonl", NULL);

  for (guint i = 0; i < N_BIG_SOURCES; i++)
    {
      g_string_append_printf (jsonl, "{\"id\": \"bulk-%05u\", \"text\": \"", i);
      for (guint k = 0; k < 12; k++)
        g_string_append_printf (jsonl, "Tree %u of row %u was pruned and checked for canker. ",
                                k, i);
      g_string_append_printf (jsonl, "\", \"candidates\": [{\"model\": \"sketch-3\", \"text\":"
                              " \"Row %u pruned.\"}, {\"model\": \"pith-1\", \"text\": \"Row %u"
                              " checked.\"}]}\n", i, i);
    }
  write_bytes (path, jsonl->str, jsonl->len);
  return path;
}

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return st.st_size;
}

static void
assert_all_or_nothing (const char *path,
                       gint64      sources_before,
                       gint64      candidates_before,
                       gint64      added_sources,
                       gint64      added_candidates)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  AssayProjectCounts counts;

  project = assay_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_true (assay_project_get_counts (project, &counts, &error));
  g_assert_no_error (error);
  g_test_message ("after the kill: %" G_GINT64_FORMAT " sources, %" G_GINT64_FORMAT
                  " candidates", counts.sources, counts.candidates);
  if (counts.sources == sources_before)
    g_assert_cmpint (counts.candidates, ==, candidates_before);
  else
    {
      g_assert_cmpint (counts.sources, ==, sources_before + added_sources);
      g_assert_cmpint (counts.candidates, ==, candidates_before + added_candidates);
    }

  /* The project takes new work after the crash. */
  import_jsonl (project, "{\"id\": \"after-crash\", \"text\": \"Bees back in the hives.\"}\n");
}

/* A user's import killed (power cut, kill -9) half-way: the project holds
 * nothing of it and is sound. */
static void
test_import_killed (Fixture       *f,
                    gconstpointer  data)
{
  const char *cli = g_getenv ("ASSAY_CLI");
  g_autofree char *big = write_big_jsonl (f->dir);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  gboolean done = FALSE;

  g_assert_nonnull (cli);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, cli, "import", f->path, big, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (proc, NULL, on_wait_done, &done);

  /* The WAL grows while the transaction writes; a few megabytes in is well
   * before the commit (the whole import writes tens of them, over seconds).
   * Should the pages stay in memory until the commit instead, half a second
   * in is still mid-import. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (!done && file_size (wal) < 4 * 1024 * 1024 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  if (done)
    {
      g_test_fail_printf ("the import ended before it could be killed");
      return;
    }
  g_subprocess_send_signal (proc, SIGKILL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* Checked as the crash left it, then opened (which recovers), then
   * checked again. */
  assert_no_problems (f->path);
  assert_all_or_nothing (f->path, 2, 4, N_BIG_SOURCES, 2 * N_BIG_SOURCES);
  assert_no_problems (f->path);
}

/* The same from inside: a helper mode of this binary dies of SIGKILL from
 * its own import's progress callback, half-way through the input for
 * certain; or right after committing judgments. */
static char *self_path;

static void
die_half_way (double   fraction,
              gpointer user_data)
{
  if (fraction >= 0.5)
    {
      g_print ("killed at %.0f%% of the input\n", 100 * fraction);
      fflush (stdout);
      kill (getpid (), SIGKILL);
    }
}

static int
crash_helper (const char *mode,
              const char *path,
              const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);

  if (project == NULL)
    g_error ("%s", error->message);

  if (g_str_equal (mode, "import-half-way"))
    {
      g_autoptr(AssayImport) import = assay_import_new (project);

      assay_import_set_progress_func (import, die_half_way, NULL);
      assay_import_add_file (import, input, ASSAY_FORMAT_JSONL);
      assay_import_run (import, NULL, &error);
      g_error ("the import ran to its end: %s", error != NULL ? error->message : "no error");
    }

  if (g_str_equal (mode, "judgment"))
    {
      gint64 source, annotator, candidate;

      source = assay_project_lookup_source (project, "plot-12");
      candidate = assay_project_lookup_candidate (project, source, "b");
      if (!assay_project_ensure_annotator (project, "rowan@orchard.example", "Rowan Ashby",
                                           ASSAY_ANNOTATOR_PERSON, &annotator, &error) ||
          !assay_project_set_note (project, source, 0, annotator,
                                   "Blight confirmed on tree 3.", NULL, &error) ||
          !assay_project_set_status (project, source, annotator, ASSAY_STATUS_FLAGGED, NULL,
                                     &error))
        g_error ("%s", error->message);

      /* Work in progress, never committed. */
      if (!assay_project_begin (project, &error) ||
          !assay_project_set_correction (project, candidate, annotator,
                                         "Fire blight on three trees.", NULL, &error))
        g_error ("%s", error->message);

      g_print ("written\n");
      fflush (stdout);
      kill (getpid (), SIGKILL);
    }

  g_error ("unknown helper mode %s", mode);
  return 1;
}

/* Runs this binary's helper; it must die of SIGKILL after printing
 * `marker`. */
static void
run_crash_helper (const char *marker,
                  const char *mode,
                  const char *path,
                  const char *input)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, self_path, "--crash-helper", mode, path, input, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("helper %s: %s%s", mode, out, err);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
  g_assert_nonnull (strstr (out, marker));
}

static void
test_import_killed_half_way (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *big = write_big_jsonl (f->dir);

  run_crash_helper ("killed at", "import-half-way", f->path, big);

  assert_no_problems (f->path);
  /* Half-way is before the commit: nothing of it. */
  assert_all_or_nothing (f->path, 2, 4, 0, 0);
  assert_no_problems (f->path);
}

/* A committed judgment survives the process dying right after; a judgment
 * in a transaction that never committed does not. */
static void
test_judgment_survives_kill (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  run_crash_helper ("written", "judgment", f->path, "");

  assert_no_problems (f->path);
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (project_query_int (project,
                                        "SELECT count(*) FROM notes n JOIN annotators a"
                                        " ON a.id = n.annotator_id"
                                        " WHERE a.ext_id = 'rowan@orchard.example'"
                                        " AND n.text = 'Blight confirmed on tree 3.'"), ==, 1);
    g_assert_cmpint (project_query_int (project,
                                        "SELECT count(*) FROM item_status i JOIN annotators a"
                                        " ON a.id = i.annotator_id"
                                        " WHERE a.ext_id = 'rowan@orchard.example'"
                                        " AND i.status = 'flagged'"), ==, 1);
    g_assert_cmpint (project_query_int (project,
                                        "SELECT count(*) FROM corrections c JOIN annotators a"
                                        " ON a.id = c.annotator_id"
                                        " WHERE a.ext_id = 'rowan@orchard.example'"), ==, 0);
  }
  assert_no_problems (f->path);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], "--crash-helper"))
    return crash_helper (argv[2], argv[3], argv[4]);

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  /* A failing case (a bug it shows) must not hide the cases after it. */
  g_test_set_nonfatal_assertions ();

#define ADD(path, func) \
  g_test_add ("/assay/check/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("fresh", test_fresh);
  ADD ("demo", test_demo);
  ADD ("planted-trigger", test_planted_trigger);
  ADD ("planted-view", test_planted_view);
  ADD ("table-swapped-for-view", test_table_swapped_for_view);
  ADD ("schema/extra-column", test_schema_extra_column);
  ADD ("schema/dropped-index", test_schema_dropped_index);
  ADD ("schema/extra-table-and-index", test_schema_extra_table_and_index);
  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/assay/check/rules/%s", rule_cases[i].name);

      g_test_add (path, Fixture, &rule_cases[i], fixture_setup, test_rule, fixture_teardown);
    }
  ADD ("rules/multi-choice-is-fine", test_rule_multi_choice_is_fine);
  ADD ("foreign-key-check", test_foreign_key_check);
  ADD ("foreign-key-check-without-rowid", test_foreign_key_check_without_rowid);
  ADD ("too-new", test_too_new);
  ADD ("not-a-project", test_not_a_project);
  ADD ("truncated", test_truncated);
  ADD ("truncated-is-damaged", test_truncated_is_damaged);
  ADD ("leaves-one-file", test_check_leaves_one_file);
  ADD ("durability/import-killed", test_import_killed);
  ADD ("durability/import-killed-half-way", test_import_killed_half_way);
  ADD ("durability/judgment-survives-kill", test_judgment_survives_kill);

#undef ADD

  return g_test_run ();
}
