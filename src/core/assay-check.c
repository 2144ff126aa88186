/* assay-check.c: is a project file sound?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-check.h"
#include "assay-kind-private.h"
#include "assay-lock-private.h"
#include "assay-project-private.h"

/* One schema object as SQLite records it. */
typedef struct
{
  char *type;
  char *sql;
} SchemaObject;

static void
schema_object_free (SchemaObject *object)
{
  g_free (object->type);
  g_free (object->sql);
  g_free (object);
}

/* "table", "index"... as a person reads them, for messages. */
static const char *
type_label (const char *type)
{
  if (g_strcmp0 (type, "table") == 0)
    return _("table");
  if (g_strcmp0 (type, "index") == 0)
    return _("index");
  if (g_strcmp0 (type, "trigger") == 0)
    return _("trigger");
  if (g_strcmp0 (type, "view") == 0)
    return _("view");
  return type;
}

static GHashTable *
read_schema (sqlite3  *db,
             GError  **error)
{
  g_autoptr(GHashTable) objects = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) schema_object_free);
  if (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_schema", -1, &stmt, NULL)
      != SQLITE_OK)
    {
      _assay_sqlite_error (db, error, NULL);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SchemaObject *object = g_new0 (SchemaObject, 1);

      object->type = g_strdup (_assay_column_text (stmt, 0));
      object->sql = g_strdup (_assay_column_text (stmt, 2));
      g_hash_table_insert (objects, g_strdup (_assay_column_text (stmt, 1)), object);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (db, error, NULL);
      return NULL;
    }
  return g_steal_pointer (&objects);
}

/* Compares the project's schema with the one a new project of the same
 * version gets. */
static gboolean
check_schema (sqlite3    *db,
              GPtrArray  *problems,
              GError    **error)
{
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GHashTable) actual = NULL;
  g_autoptr(GList) names = NULL;
  sqlite3 *reference;

  reference = _assay_open_connection (":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY,
                                      error);
  if (reference == NULL)
    return FALSE;
  if (!_assay_schema_apply (reference, 0, error))
    {
      sqlite3_close_v2 (reference);
      return FALSE;
    }
  expected = read_schema (reference, error);
  sqlite3_close_v2 (reference);
  if (expected == NULL)
    return FALSE;

  actual = read_schema (db, error);
  if (actual == NULL)
    return FALSE;

  names = g_list_sort (g_hash_table_get_keys (actual), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      SchemaObject *have = g_hash_table_lookup (actual, l->data);
      SchemaObject *want = g_hash_table_lookup (expected, l->data);

      if (want == NULL && (g_strcmp0 (have->type, "trigger") == 0 ||
                           g_strcmp0 (have->type, "view") == 0))
        g_ptr_array_add (problems,
                         g_strdup_printf (_("The file holds a %s “%s” that Assay did not create "
                                            "(Assay never runs it, but the file was altered)"),
                                          type_label (have->type), (const char *) l->data));
      else if (want == NULL)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("The file holds a %s “%s” that Assay did not create"),
                                          type_label (have->type), (const char *) l->data));
      else if (g_strcmp0 (have->type, want->type) != 0 || g_strcmp0 (have->sql, want->sql) != 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("The %s “%s” differs from Assay’s schema"),
                                          type_label (have->type), (const char *) l->data));
    }
  g_clear_pointer (&names, g_list_free);

  names = g_list_sort (g_hash_table_get_keys (expected), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_hash_table_contains (actual, l->data))
      g_ptr_array_add (problems,
                       g_strdup_printf (_("The %s “%s” is missing"),
                                        type_label (((SchemaObject *)
                                                     g_hash_table_lookup (expected,
                                                                          l->data))->type),
                                        (const char *) l->data));
  return TRUE;
}

/* Assay's rules, each a query that lists what breaks it. */
static const struct
{
  const char *sql;
  const char *message;   /* one %s: the first column of a row */
} rules[] = {
  { "SELECT s.ext_id FROM sources s WHERE EXISTS (SELECT 1 FROM segments g WHERE g.source_id = s.id)"
    " AND s.text IS NOT (SELECT group_concat (text, char (10)) FROM"
    "   (SELECT text FROM segments g WHERE g.source_id = s.id ORDER BY idx))",
    N_("Source “%s”: its text is not its segments’ texts joined by line feeds") },
  { "SELECT s.ext_id FROM sources s WHERE NOT (json_valid (s.metadata)"
    " AND json_type (s.metadata) = 'object')",
    N_("Source “%s”: its metadata is not a JSON object") },
  { "SELECT s.ext_id || '/' || c.ext_id FROM candidates c JOIN sources s ON s.id = c.source_id"
    " WHERE NOT (json_valid (c.metadata) AND json_type (c.metadata) = 'object')",
    N_("Candidate “%s”: its metadata is not a JSON object") },
  { "SELECT s.ext_id FROM sources s LEFT JOIN sources_fts f ON f.rowid = s.id"
    " WHERE f.rowid IS NULL OR f.text IS NOT s.text OR f.title IS NOT s.title",
    N_("Source “%s” is missing from the search index, or indexed with other text") },
  { "SELECT s.ext_id || '/' || c.ext_id FROM candidates c JOIN sources s ON s.id = c.source_id"
    " LEFT JOIN candidates_fts f ON f.rowid = c.id WHERE f.rowid IS NULL OR f.text IS NOT c.text",
    N_("Candidate “%s” is missing from the search index, or indexed with other text") },
  { "SELECT f.rowid FROM sources_fts f WHERE f.rowid NOT IN (SELECT id FROM sources)"
    " UNION ALL SELECT f.rowid FROM candidates_fts f"
    " WHERE f.rowid NOT IN (SELECT id FROM candidates)",
    N_("The search index holds an entry (%s) for something that is not in the project") },
};

/* At most this many rows per rule: a broken file should not print forever. */
#define MAX_ROWS_PER_RULE 20

static void
check_rule (sqlite3    *db,
            const char *sql,
            const char *message,
            GPtrArray  *problems)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;
  int rc;

  /* On a damaged schema a rule may not even compile: that is a finding,
   * and the other rules still run. */
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("A check could not run: %s"),
                                                  sqlite3_errmsg (db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n++ < MAX_ROWS_PER_RULE)
        g_ptr_array_add (problems, g_strdup_printf (_(message), _assay_column_text (stmt, 0)));
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("A check could not finish: %s"),
                                                sqlite3_errmsg (db)));
  if (n > MAX_ROWS_PER_RULE)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "(%u more like the one above)",
                                                   "(%u more like the one above)",
                                                   n - MAX_ROWS_PER_RULE),
                                      n - MAX_ROWS_PER_RULE));
}

/* Assay's own rules, then each kind's (assay-kind-private.h). */
static gboolean
check_rules (sqlite3    *db,
             GPtrArray  *problems,
             GError    **error)
{
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int format = ASSAY_SCHEMA_VERSION;

  /* An older file has no tables for the kinds that came after it. */
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    format = sqlite3_column_int (stmt, 0);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    check_rule (db, rules[i].sql, rules[i].message, problems);
  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i]->since <= format)
      for (const AssayKindRule *rule = kinds[i]->rules; rule->sql != NULL; rule++)
        check_rule (db, rule->sql, rule->message, problems);
  return TRUE;
}

static void
check_integrity (sqlite3   *db,
                 GPtrArray *problems)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("SQLite could not check the file: %s"),
                                                  sqlite3_errmsg (db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("SQLite integrity check: %s"), row));
    }
  /* A damaged file can fail the check itself; that is a finding too. */
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("SQLite could not finish checking: %s"),
                                                sqlite3_errmsg (db)));
}

/* Rows whose foreign keys point nowhere, counted per table and parent:
 * most judgment tables have no rowid to name a row by. */
static void
check_foreign_keys (sqlite3   *db,
                    GPtrArray *problems)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  int rc;

  if (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("SQLite could not check references: %s"),
                                                  sqlite3_errmsg (db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *key;
      gpointer value;

      /* Tables with row ids can name the row. */
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_("Row %lld of “%s” refers to a missing row of “%s”"),
                                            (long long) sqlite3_column_int64 (stmt, 1),
                                            sqlite3_column_text (stmt, 0),
                                            sqlite3_column_text (stmt, 2)));
          continue;
        }

      key = g_strdup_printf ("%s\x1f%s", sqlite3_column_text (stmt, 0),
                             sqlite3_column_text (stmt, 2));

      if (g_hash_table_lookup_extended (counts, key, NULL, &value))
        {
          g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (value) + 1));
          continue;
        }
      g_hash_table_insert (counts, key, GUINT_TO_POINTER (1));
      g_ptr_array_add (order, key);
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("SQLite could not finish checking references: %s"),
                                                sqlite3_errmsg (db)));

  for (guint i = 0; i < order->len; i++)
    {
      const char *key = g_ptr_array_index (order, i);
      const char *sep = strchr (key, '\x1f');
      g_autofree char *table = g_strndup (key, sep - key);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      g_ptr_array_add (problems,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u row of “%s” refers to a missing row "
                                                     "of “%s”",
                                                     "%u rows of “%s” refer to missing rows "
                                                     "of “%s”",
                                                     n),
                                        n, table, sep + 1));
    }
}

/* What the first 100 bytes of the file say: the SQLite magic and, at
 * offset 68, the application id. A damaged project still has its header. */
gboolean
_assay_header_says_assay (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  guint8 header[100];
  gsize n = 0;

  if (_assay_lock_is_open_file (path))
    return TRUE;
  file = g_file_new_for_path (path);
  in = g_file_read (file, NULL, NULL);
  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &n, NULL, NULL) ||
      n < sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    return FALSE;
  return ((guint32) header[68] << 24 | (guint32) header[69] << 16 |
          (guint32) header[70] << 8 | header[71]) == ASSAY_APPLICATION_ID;
}

/* An older project is checked on an up-to-date copy in memory, so that
 * the current schema and rules apply and the file is not touched. */
static sqlite3 *
migrated_copy (sqlite3  *db,
               int       from,
               GError  **error)
{
  sqlite3 *copy;
  sqlite3_backup *backup;

  copy = _assay_open_connection (":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, error);
  if (copy == NULL)
    return NULL;
  backup = sqlite3_backup_init (copy, "main", db, "main");
  if (backup == NULL)
    {
      _assay_sqlite_error (copy, error, NULL);
      sqlite3_close_v2 (copy);
      return NULL;
    }
  sqlite3_backup_step (backup, -1);
  if (sqlite3_backup_finish (backup) != SQLITE_OK || !_assay_schema_apply (copy, from, error))
    {
      if (error != NULL && *error == NULL)
        _assay_sqlite_error (copy, error, NULL);
      sqlite3_close_v2 (copy);
      return NULL;
    }
  return copy;
}

gboolean
assay_check_project (const char  *path,
                     GPtrArray  **problems_out,
                     GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  sqlite3 *copy = NULL;
  int user_version = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("“%s” does not exist or is not a file"), path);
      return FALSE;
    }

  /* Read-only: checking must never be what changes a file, and it must be
   * safe while the app has the project open. Opening refuses what is not a
   * project, a damaged header and a newer format, each with its message. */
  project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY, error);
  if (project == NULL)
    return FALSE;
  db = _assay_project_get_db (project);

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    user_version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  check_integrity (db, problems);
  check_foreign_keys (db, problems);

  if (user_version < ASSAY_SCHEMA_VERSION)
    {
      copy = migrated_copy (db, user_version, error);
      if (copy == NULL)
        goto out;
    }
  if (!check_schema (copy ? copy : db, problems, error) ||
      !check_rules (copy ? copy : db, problems, error))
    goto out;

  *problems_out = g_steal_pointer (&problems);
  ok = TRUE;

out:
  if (copy != NULL)
    sqlite3_close_v2 (copy);
  return ok;
}
