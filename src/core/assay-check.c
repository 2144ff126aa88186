/* assay-check.c: is a project file sound?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-check.h"
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

      if (want == NULL)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("The file holds a %s “%s” that Assay did not create "
                                            "(it is never run, but the file was altered)"),
                                          have->type, (const char *) l->data));
      else if (g_strcmp0 (have->type, want->type) != 0 || g_strcmp0 (have->sql, want->sql) != 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("The %s “%s” differs from Assay’s schema"),
                                          have->type, (const char *) l->data));
    }
  g_clear_pointer (&names, g_list_free);

  names = g_list_sort (g_hash_table_get_keys (expected), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_hash_table_contains (actual, l->data))
      g_ptr_array_add (problems,
                       g_strdup_printf (_("The %s “%s” is missing"),
                                        ((SchemaObject *) g_hash_table_lookup (expected,
                                                                               l->data))->type,
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
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || p.start || '–' || p.end FROM spans p"
    " JOIN candidates c ON c.id = p.candidate_id JOIN sources s ON s.id = c.source_id"
    " WHERE p.end > length (c.text)",
    N_("Span %s lies beyond the end of its candidate’s text") },
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || e.start || '–' || e.end FROM span_evidence e"
    " JOIN spans p ON p.id = e.span_id JOIN candidates c ON c.id = p.candidate_id"
    " JOIN sources s ON s.id = c.source_id WHERE e.end > length (s.text)",
    N_("Evidence %s lies beyond the end of its source’s text") },
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || k.name FROM spans p"
    " JOIN label_options o ON o.id = p.option_id JOIN label_sets k ON k.id = o.label_set_id"
    " JOIN candidates c ON c.id = p.candidate_id JOIN sources s ON s.id = c.source_id"
    " WHERE k.scope <> 'span'",
    N_("Span on %s uses a label that is not a span label") },
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || k.name FROM labels l"
    " JOIN label_options o ON o.id = l.option_id JOIN label_sets k ON k.id = o.label_set_id"
    " JOIN candidates c ON c.id = l.candidate_id JOIN sources s ON s.id = c.source_id"
    " WHERE k.scope <> 'candidate'",
    N_("Labels on %s use a span label as a candidate label") },
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || k.name FROM labels l"
    " JOIN label_options o ON o.id = l.option_id JOIN label_sets k ON k.id = o.label_set_id"
    " JOIN candidates c ON c.id = l.candidate_id JOIN sources s ON s.id = c.source_id"
    " WHERE k.multi = 0 GROUP BY l.candidate_id, l.annotator_id, k.id HAVING count (*) > 1",
    N_("Labels on %s choose several options of a single-choice set") },
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || k.name || '=' || r.value FROM scores r"
    " JOIN criteria k ON k.id = r.criterion_id JOIN candidates c ON c.id = r.candidate_id"
    " JOIN sources s ON s.id = c.source_id"
    " WHERE r.value < k.scale_min OR r.value > k.scale_max",
    N_("Score %s is not on its criterion’s scale") },
  { "SELECT s.ext_id FROM rankings r JOIN candidates c ON c.id = r.candidate_id"
    " JOIN sources s ON s.id = r.source_id WHERE c.source_id <> r.source_id",
    N_("A ranking of “%s” includes a candidate of another source") },
  { "SELECT s.ext_id FROM comparisons p JOIN candidates a ON a.id = p.candidate_a"
    " JOIN candidates b ON b.id = p.candidate_b JOIN sources s ON s.id = p.source_id"
    " WHERE a.source_id <> p.source_id OR b.source_id <> p.source_id",
    N_("A comparison on “%s” includes a candidate of another source") },
  { "SELECT s.ext_id FROM notes n JOIN sources s ON s.id = n.source_id WHERE n.candidate_id <> 0"
    " AND NOT EXISTS (SELECT 1 FROM candidates c WHERE c.id = n.candidate_id"
    "   AND c.source_id = n.source_id)",
    N_("A note on “%s” names a candidate that is not there") },
  { "SELECT 'sources' WHERE (SELECT count (*) FROM sources)"
    " <> (SELECT count (*) FROM sources_fts)"
    " UNION ALL SELECT 'candidates' WHERE (SELECT count (*) FROM candidates)"
    " <> (SELECT count (*) FROM candidates_fts)",
    N_("The search index of %s is out of step") },
};

/* At most this many rows per rule: a broken file should not print forever. */
#define MAX_ROWS_PER_RULE 20

static gboolean
check_rules (sqlite3    *db,
             GPtrArray  *problems,
             GError    **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      guint n = 0;
      int rc;

      if (sqlite3_prepare_v2 (db, rules[i].sql, -1, &stmt, NULL) != SQLITE_OK)
        return _assay_sqlite_error (db, error, NULL);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (n++ < MAX_ROWS_PER_RULE)
            g_ptr_array_add (problems, g_strdup_printf (_(rules[i].message),
                                                        _assay_column_text (stmt, 0)));
        }
      if (rc != SQLITE_DONE)
        return _assay_sqlite_error (db, error, NULL);
      if (n > MAX_ROWS_PER_RULE)
        g_ptr_array_add (problems,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "(%u more like the one above)",
                                                       "(%u more like the one above)",
                                                       n - MAX_ROWS_PER_RULE),
                                          n - MAX_ROWS_PER_RULE));
    }
  return TRUE;
}

static gboolean
check_pragma (sqlite3     *db,
              const char  *sql,
              gboolean     ok_row_is_ok,
              GPtrArray   *problems,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _assay_sqlite_error (db, error, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *first = _assay_column_text (stmt, 0);

      if (ok_row_is_ok && g_strcmp0 (first, "ok") == 0)
        continue;
      if (ok_row_is_ok)
        g_ptr_array_add (problems, g_strdup_printf (_("SQLite integrity check: %s"), first));
      else
        g_ptr_array_add (problems,
                         g_strdup_printf (_("Row %lld of “%s” refers to a missing row of “%s”"),
                                          (long long) sqlite3_column_int64 (stmt, 1), first,
                                          _assay_column_text (stmt, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      /* A damaged file can fail the check itself; that is a finding too. */
      g_ptr_array_add (problems, g_strdup_printf (_("SQLite could not finish checking: %s"),
                                                  sqlite3_errmsg (db)));
    }
  return TRUE;
}

gboolean
assay_check_project (const char  *path,
                     GPtrArray  **problems_out,
                     GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int application_id = 0, user_version = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("“%s” does not exist or is not a file"), path);
      return FALSE;
    }

  /* Read-only: checking must never be what changes a file. */
  db = _assay_open_connection (path, SQLITE_OPEN_READONLY, error);
  if (db == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT (SELECT application_id FROM pragma_application_id),"
                          " (SELECT user_version FROM pragma_user_version)",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT,
                   _("“%s” is not an Assay project (it is not a readable SQLite database)"),
                   path);
      goto out;
    }
  application_id = sqlite3_column_int (stmt, 0);
  user_version = sqlite3_column_int (stmt, 1);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (application_id != ASSAY_APPLICATION_ID)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT,
                   _("“%s” is not an Assay project"), path);
      goto out;
    }
  if (user_version > ASSAY_SCHEMA_VERSION)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_TOO_NEW,
                   _("“%s” was saved by a newer version of Assay (project format %d; this "
                     "version checks formats up to %d)"),
                   path, user_version, ASSAY_SCHEMA_VERSION);
      goto out;
    }

  if (!check_pragma (db, "PRAGMA integrity_check", TRUE, problems, error) ||
      !check_pragma (db, "PRAGMA foreign_key_check", FALSE, problems, error))
    goto out;

  if (user_version < ASSAY_SCHEMA_VERSION)
    g_ptr_array_add (problems,
                     g_strdup_printf (_("The project uses format %d; opening it in Assay updates "
                                        "it to format %d"),
                                      user_version, ASSAY_SCHEMA_VERSION));
  else if (!check_schema (db, problems, error))
    goto out;

  /* The rules read the current schema; on an older or altered one they
   * could only report noise. */
  if (problems->len == 0 && !check_rules (db, problems, error))
    goto out;

  *problems_out = g_steal_pointer (&problems);
  ok = TRUE;

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close_v2 (db);
  return ok;
}
