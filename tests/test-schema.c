/* test-schema.c: the project file, its pragmas and its migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-project-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("assay-schema-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "test.assay", NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (f->path, &error);
  g_autofree char *journal = NULL;
  g_autofree char *created = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_nonnull (project);
  db = _assay_project_get_db (project);

  g_assert_cmpint (query_int (db, "PRAGMA application_id"), ==, ASSAY_APPLICATION_ID);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, ASSAY_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 2);  /* FULL */
  journal = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");

  created = assay_project_dup_setting (project, "created_at");
  g_assert_nonnull (created);
  g_assert_true (g_str_has_suffix (created, "Z"));

  /* The file's name is the project's name until it is given one. */
  {
    g_autofree char *name = assay_project_dup_name (project);
    g_assert_cmpstr (name, ==, "test");
  }
  g_assert_true (assay_project_set_setting (project, "name", "Cardiology round", &error));
  g_assert_no_error (error);
  {
    g_autofree char *name = assay_project_dup_name (project);
    g_assert_cmpstr (name, ==, "Cardiology round");
  }
}

static void
test_create_refuses_existing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (f->path, "precious", -1, NULL));
  project = assay_project_create (f->path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_EXISTS);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
}

static void
test_open_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;

  project = assay_project_open (f->path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  project = assay_project_open (f->dir, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (f->path, "id,title\n1,not a database\n", -1, NULL));
  project = assay_project_open (f->path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT);
  g_assert_nonnull (strstr (error->message, f->path));
}

/* A project whose creation was cut short has the application id but no
 * schema version: it must not be taken for an empty project. */
static void
test_open_unfinished (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d; CREATE TABLE t (x);",
                                             ASSAY_APPLICATION_ID);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  project = assay_project_open (f->path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT);
}

/* A project made by the first release (schema 1, before full-text search)
 * is brought up to date on open, and its existing rows become searchable. */
static void
test_migrate_from_v1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 1;",
                                             ASSAY_APPLICATION_ID);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _assay_schema_v1_sql (), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO sources (ext_id, title, text, created_at)"
                                 " VALUES ('visit-1', 'Follow-up', 'The patient reports"
                                 " wheezing at night.', '2026-01-01T00:00:00.000Z');"
                                 "INSERT INTO candidates (source_id, ext_id, model, text, position)"
                                 " VALUES (1, 'a', 'scribe', 'Nocturnal wheeze noted.', 0);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'sources_fts'"),
                   ==, 0);
  sqlite3_close (db);

  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  db = _assay_project_get_db (project);

  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, ASSAY_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'wheezing'"),
                   ==, 1);
  g_assert_cmpint (query_int (db, "SELECT rowid FROM candidates_fts"
                                  " WHERE candidates_fts MATCH 'nocturnal'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sources"), ==, 1);
}

/* Opening a file from a newer Assay must fail before anything is written:
 * the bytes of the file stay the same. */
static void
test_refuse_newer (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  sqlite3 *db = NULL;

  project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 7",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (f->path, &before, &before_len, NULL));
  project = assay_project_open (f->path, &error);
  g_assert_null (project);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Assay"));
  g_assert_nonnull (strstr (error->message, "7"));
  g_assert_true (g_file_get_contents (f->path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_strict_tables (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (f->path, &error);
  sqlite3 *db = _assay_project_get_db (project);

  /* STRICT: a number where text belongs is refused by SQLite itself. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO sources (ext_id, title, text, created_at)"
                                     " VALUES ('a', 'A', x'00ff', 'now')",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  /* CHECK: a status outside the five is refused. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO sources (ext_id, title, text, created_at)"
                                 " VALUES ('a', 'A', 'text', 'now');"
                                 "INSERT INTO annotators (ext_id, name) VALUES ('x', 'X');"
                                 "INSERT INTO item_status VALUES (1, 1, 'finished', 'n', 'n', 0)",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  /* Foreign keys: a candidate of a missing source is refused. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO candidates (source_id, ext_id, model, text,"
                                     " position) VALUES (99, 'c', 'm', 't', 0)",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
}

/* Defensive mode: the connection cannot be talked into rewriting the
 * schema, and triggers and views in a file are never run. */
static void
test_defensive (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (f->path, &error);
  sqlite3 *db = _assay_project_get_db (project);
  int enabled = -1;

  g_assert_no_error (error);
  sqlite3_exec (db, "PRAGMA writable_schema = ON", NULL, NULL, NULL);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sqlite_schema SET sql = 'x' WHERE name = 'sources'",
                                 NULL, NULL, NULL), !=, SQLITE_OK);

  g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &enabled), ==,
                   SQLITE_OK);
  g_assert_cmpint (enabled, ==, 0);
  g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &enabled), ==,
                   SQLITE_OK);
  g_assert_cmpint (enabled, ==, 0);
  g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, -1, &enabled), ==,
                   SQLITE_OK);
  g_assert_cmpint (enabled, ==, 1);
}

static void
test_transactions (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (f->path, &error);
  g_autofree char *value = NULL;

  g_assert_true (assay_project_begin (project, &error));
  g_assert_true (assay_project_set_setting (project, "outer", "1", &error));
  g_assert_true (assay_project_begin (project, &error));
  g_assert_true (assay_project_set_setting (project, "inner", "1", &error));
  assay_project_rollback (project);
  g_assert_true (assay_project_commit (project, &error));
  g_assert_no_error (error);

  value = assay_project_dup_setting (project, "outer");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);
  value = assay_project_dup_setting (project, "inner");
  g_assert_null (value);

  /* Outside a transaction every write is committed at once: another
   * connection sees it immediately. */
  g_assert_true (assay_project_set_setting (project, "seen", "yes", &error));
  {
    g_autoptr(AssayProject) other = assay_project_open (f->path, &error);
    g_autofree char *seen = NULL;

    g_assert_no_error (error);
    seen = assay_project_dup_setting (other, "seen");
    g_assert_cmpstr (seen, ==, "yes");
  }
}

/* Closing the last connection leaves one file, with no -wal beside it,
 * so the project can be copied or mailed as it is. */
static void
test_single_file_after_close (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (f->path, &error);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  g_assert_true (assay_project_set_setting (project, "k", "v", &error));
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_clear_object (&project);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_iso8601 (void)
{
  g_autofree char *now = assay_now_iso8601 ();
  g_autofree char *a = assay_normalize_iso8601 ("2026-03-01T10:20:30+02:00");
  g_autofree char *b = assay_normalize_iso8601 ("2026-03-01T08:20:30.5Z");
  g_autofree char *c = assay_normalize_iso8601 ("2026-03-01 08:20:30");
  g_autofree char *d = assay_normalize_iso8601 ("yesterday");

  g_assert_cmpuint (strlen (now), ==, strlen ("2026-11-24T09:15:02.250Z"));
  g_assert_cmpstr (a, ==, "2026-03-01T08:20:30.000Z");
  g_assert_cmpstr (b, ==, "2026-03-01T08:20:30.500Z");
  /* Without a zone the time is taken as UTC, the same on every machine. */
  g_assert_cmpstr (c, ==, "2026-03-01T08:20:30.000Z");
  g_assert_null (d);
}

static void
test_status_names (void)
{
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    {
      AssayStatus status;

      g_assert_true (assay_status_from_string (assay_status_to_string (i), &status));
      g_assert_cmpint (status, ==, i);
      g_assert_nonnull (assay_status_get_label (i));
    }
  {
    AssayStatus status;

    g_assert_false (assay_status_from_string ("finished", &status));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/schema/create", test_create);
  ADD ("/assay/schema/create-refuses-existing", test_create_refuses_existing);
  ADD ("/assay/schema/open-errors", test_open_errors);
  ADD ("/assay/schema/open-unfinished", test_open_unfinished);
  ADD ("/assay/schema/migrate-from-v1", test_migrate_from_v1);
  ADD ("/assay/schema/refuse-newer", test_refuse_newer);
  ADD ("/assay/schema/strict-tables", test_strict_tables);
  ADD ("/assay/schema/defensive", test_defensive);
  ADD ("/assay/schema/transactions", test_transactions);
  ADD ("/assay/schema/single-file-after-close", test_single_file_after_close);
  g_test_add_func ("/assay/schema/iso8601", test_iso8601);
  g_test_add_func ("/assay/schema/status-names", test_status_names);

  return g_test_run ();
}
