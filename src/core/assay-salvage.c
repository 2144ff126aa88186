/* assay-salvage.c: what can still be read of a damaged project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A damaged page makes SQLite stop a scan with SQLITE_CORRUPT, and every
 * later seek that passes through that page fails the same way; the rows on
 * the other pages are still there. So each table is read three ways: in key
 * order until the damage, in reverse key order until the damage, and in
 * between one value of the leading key column at a time (every Assay table
 * is keyed by integers: a rowid, or an id first in a WITHOUT ROWID key), each
 * of those lookups reading only the pages that hold that value. The table's
 * indexes, scanned on their own pages, tell which rows existed but could not
 * be read.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-evidence-private.h"
#include "assay-lock-private.h"
#include "assay-project-private.h"
#include "assay-salvage.h"

/* Lookups past the last key found before the table is taken to end, when
 * the end of the table could not be read. Keys are dense in Assay's tables. */
#define PROBE_SLACK 1024

typedef struct
{
  char           *key;      /* the primary key's values as text, to tell rows apart */
  sqlite3_value **values;   /* in the order of TableCopy.columns */
} Row;

typedef struct
{
  const char *name;         /* from the new project's own schema */
  GPtrArray  *columns;      /* (char *) columns in both projects, quoted */
  GPtrArray  *key;          /* (char *) "rowid" or the primary key's columns, quoted */
  char       *select;       /* "SELECT key…, columns… FROM table" */
  GPtrArray  *rows;         /* (Row *) in the order read */
  GHashTable *seen;         /* key → Row, borrowed from rows */
  GHashTable *listed;       /* keys the indexes list */
  gint64      max_listed;   /* the largest leading key an index lists */
  gboolean    damaged;
} TableCopy;

static void
row_free (gpointer data)
{
  Row *row = data;

  for (guint i = 0; row->values != NULL && row->values[i] != NULL; i++)
    sqlite3_value_free (row->values[i]);
  g_free (row->values);
  g_free (row->key);
  g_free (row);
}

static void
table_copy_free (TableCopy *t)
{
  g_ptr_array_unref (t->columns);
  g_ptr_array_unref (t->key);
  g_free (t->select);
  g_hash_table_unref (t->seen);
  g_hash_table_unref (t->listed);
  g_ptr_array_unref (t->rows);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TableCopy, table_copy_free)

static void
salvage_table_free (gpointer data)
{
  AssaySalvageTable *table = data;

  g_free (table->table);
  g_free (table);
}

void
assay_salvage_report_free (AssaySalvageReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->tables);
  g_free (report);
}

static char *
quote (const char *identifier)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = identifier; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

static char *
join (GPtrArray  *parts,
      const char *separator,
      const char *suffix)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append (joined, separator);
      g_string_append (joined, g_ptr_array_index (parts, i));
      if (suffix != NULL)
        g_string_append (joined, suffix);
    }
  return g_string_free (joined, FALSE);
}

/* The key of the current row (its first n columns) as text. */
static char *
row_key (sqlite3_stmt *stmt,
         guint         n)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, (int) i);

      g_string_append_printf (key, "%d:%s\x1f", sqlite3_column_type (stmt, (int) i),
                              text != NULL ? text : "");
    }
  return g_string_free (key, FALSE);
}

/* Steps a query of the form TableCopy.select, keeping every row it
 * returns before it stops, and resets it. Returns FALSE if it stopped on
 * damage. `last_lead` gets the leading key of the last row read, when there
 * was one, and `n_read` the number of rows. */
static gboolean
read_rows (sqlite3_stmt *stmt,
           TableCopy    *t,
           gint64       *last_lead,
           guint        *n_read)
{
  guint n_key = t->key->len;
  guint n_columns = t->columns->len;
  int rc;

  *n_read = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *key = row_key (stmt, n_key);
      Row *row;

      *last_lead = sqlite3_column_int64 (stmt, 0);
      (*n_read)++;
      if (g_hash_table_contains (t->seen, key))
        continue;

      row = g_new0 (Row, 1);
      row->key = g_steal_pointer (&key);
      row->values = g_new0 (sqlite3_value *, n_columns + 1);
      for (guint i = 0; i < n_columns; i++)
        row->values[i] = sqlite3_value_dup (sqlite3_column_value (stmt, (int) (n_key + i)));
      g_ptr_array_add (t->rows, row);
      g_hash_table_insert (t->seen, row->key, row);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* Prepares and reads one of the table's queries; FALSE on damage. */
static gboolean
read_query (sqlite3    *db,
            TableCopy  *t,
            const char *sql,
            gint64     *last_lead,
            guint      *n_read)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *n_read = 0;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  return read_rows (stmt, t, last_lead, n_read);
}

/* The keys the table's indexes list, each index read until it ends or
 * meets damage of its own. */
static void
read_index_keys (sqlite3   *db,
                 TableCopy *t)
{
  g_autofree char *table = quote (t->name);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA index_list (%s)", table);
  g_autofree char *keys = join (t->key, ", ", NULL);
  g_autoptr(sqlite3_stmt) list = NULL;
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (db, pragma, -1, &list, NULL) != SQLITE_OK)
    return;
  while (sqlite3_step (list) == SQLITE_ROW)
    g_ptr_array_add (indexes, g_strdup ((const char *) sqlite3_column_text (list, 1)));

  for (guint i = 0; i < indexes->len; i++)
    {
      g_autofree char *index = quote (g_ptr_array_index (indexes, i));
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s INDEXED BY %s", keys, table,
                                              index);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        continue;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          t->max_listed = MAX (t->max_listed, sqlite3_column_int64 (stmt, 0));
          g_hash_table_add (t->listed, row_key (stmt, t->key->len));
        }
    }
}

static void
read_table (sqlite3   *db,
            TableCopy *t)
{
  g_autofree char *keys = join (t->key, ", ", NULL);
  g_autofree char *keys_desc = join (t->key, ", ", " DESC");
  g_autofree char *forward = g_strdup_printf ("%s ORDER BY %s", t->select, keys);
  g_autofree char *backward = g_strdup_printf ("%s ORDER BY %s", t->select, keys_desc);
  g_autofree char *probe_sql = g_strdup_printf ("%s WHERE %s = ?1 ORDER BY %s", t->select,
                                                (const char *) g_ptr_array_index (t->key, 0),
                                                keys);
  g_autoptr(sqlite3_stmt) probe = NULL;
  gint64 start = 0, end = 0, unused;
  guint n_forward, n_backward, n;

  read_index_keys (db, t);

  if (read_query (db, t, forward, &start, &n_forward))
    return;
  t->damaged = TRUE;

  read_query (db, t, backward, &end, &n_backward);
  if (n_forward == 0)
    start = 0;
  if (n_backward == 0)
    end = start;
  end = MAX (end, t->max_listed);

  /* One leading key at a time between where the two scans stopped, and on
   * past the last one found while the end of the table is unknown. */
  if (sqlite3_prepare_v2 (db, probe_sql, -1, &probe, NULL) != SQLITE_OK)
    return;
  for (gint64 lead = start, last_found = start;
       lead <= end || (n_backward == 0 && lead - last_found <= PROBE_SLACK);
       lead++)
    {
      sqlite3_bind_int64 (probe, 1, lead);
      read_rows (probe, t, &unused, &n);
      if (n > 0)
        last_found = lead;
    }
}

/* The columns of `table` in `db`, by name. */
static GHashTable *
column_names (sqlite3    *db,
              const char *table,
              GPtrArray  *key)
{
  g_autofree char *quoted = quote (table);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA table_info (%s)", quoted);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) pk = g_array_new (FALSE, TRUE, sizeof (char *));

  if (sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL) != SQLITE_OK)
    return names;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      int pk_index = sqlite3_column_int (stmt, 5);

      g_hash_table_add (names, g_strdup (name));
      if (key != NULL && pk_index > 0)
        {
          char *quoted_name = quote (name);

          if ((guint) pk_index > pk->len)
            g_array_set_size (pk, pk_index);
          g_array_index (pk, char *, pk_index - 1) = quoted_name;
        }
    }
  for (guint i = 0; key != NULL && i < pk->len; i++)
    if (g_array_index (pk, char *, i) != NULL)
      g_ptr_array_add (key, g_array_index (pk, char *, i));
  return names;
}

/* The tables of the new project that hold data, in the order their schema
 * creates them, which puts every table after the ones it refers to. */
static GPtrArray *
list_tables (sqlite3  *db,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *tables = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (db,
                          "SELECT s.name, l.wr FROM sqlite_schema s"
                          " JOIN pragma_table_list l ON l.name = s.name AND l.schema = 'main'"
                          " WHERE s.type = 'table' AND l.type = 'table'"
                          " AND s.name NOT LIKE 'sqlite_%' ORDER BY s.rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _assay_sqlite_error (db, error, NULL);
      g_ptr_array_unref (tables);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup_printf ("%c%s", sqlite3_column_int (stmt, 1) ? 'w' : 'r',
                                              (const char *) sqlite3_column_text (stmt, 0)));
  return tables;
}

static TableCopy *
plan_table (sqlite3    *from,
            sqlite3    *to,
            const char *entry)
{
  g_autoptr(GHashTable) have = NULL;
  g_autoptr(GHashTable) want = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *columns = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *pragma = NULL;
  TableCopy *t;
  gboolean without_rowid = entry[0] == 'w';

  t = g_new0 (TableCopy, 1);
  t->name = entry + 1;
  t->columns = g_ptr_array_new_with_free_func (g_free);
  t->key = g_ptr_array_new_with_free_func (g_free);
  t->rows = g_ptr_array_new_with_free_func (row_free);
  t->seen = g_hash_table_new (g_str_hash, g_str_equal);
  t->listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  quoted = quote (t->name);
  have = column_names (from, t->name, without_rowid ? t->key : NULL);
  if (!without_rowid)
    g_ptr_array_add (t->key, g_strdup ("rowid"));

  /* The new project's columns, in its order, that the damaged one has. */
  pragma = g_strdup_printf ("PRAGMA table_info (%s)", quoted);
  if (sqlite3_prepare_v2 (to, pragma, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        const char *name = (const char *) sqlite3_column_text (stmt, 1);

        if (g_hash_table_contains (have, name))
          g_ptr_array_add (t->columns, quote (name));
      }

  if (t->columns->len > 0 && t->key->len > 0)
    {
      keys = join (t->key, ", ", NULL);
      columns = join (t->columns, ", ", NULL);
      t->select = g_strdup_printf ("SELECT %s, %s FROM %s", keys, columns, quoted);
    }
  return t;
}

/* Writes the rows read into the new project. Rows the new project refuses
 * (a parent that was lost, a value that breaks a rule) are counted;
 * anything else that fails stops the salvage. */
static gboolean
write_table (sqlite3            *to,
             TableCopy          *t,
             AssaySalvageTable  *result,
             GError            **error)
{
  g_autofree char *quoted = quote (t->name);
  g_autofree char *columns = join (t->columns, ", ", NULL);
  g_autoptr(GString) marks = g_string_new (NULL);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  for (guint i = 0; i < t->columns->len; i++)
    g_string_append (marks, i > 0 ? ", ?" : "?");
  /* A new project already holds a few settings of its own; the damaged
   * project's win. */
  sql = g_strdup_printf ("INSERT %s INTO %s (%s) VALUES (%s)",
                         g_str_equal (t->name, "settings") ? "OR REPLACE" : "",
                         quoted, columns, marks->str);
  if (sqlite3_prepare_v2 (to, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _assay_sqlite_error (to, error, NULL);

  for (guint i = 0; i < t->rows->len; i++)
    {
      Row *row = g_ptr_array_index (t->rows, i);
      int rc;

      for (guint j = 0; j < t->columns->len; j++)
        sqlite3_bind_value (stmt, (int) j + 1, row->values[j]);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        result->saved++;
      else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        result->refused++;
      else
        return _assay_sqlite_error (to, error, NULL);
    }

  /* What an index lists and no read could reach. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, t->listed);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_hash_table_contains (t->seen, key))
        result->unreadable++;
  }
  result->damaged = t->damaged;
  return TRUE;
}

/* What the foreign keys cannot see. A note on a candidate has none (0
 * stands for the whole item): a note on a candidate that was lost goes
 * with it. And a transcript whose turns were not all read no longer adds
 * up to its text: its turns go, and the source keeps its text whole. */
static const struct
{
  const char *table;
  const char *sql;
} orphans[] = {
  { "notes",
    "DELETE FROM notes WHERE candidate_id <> 0"
    " AND candidate_id NOT IN (SELECT id FROM candidates)" },
  { "segments",
    "DELETE FROM segments WHERE source_id IN (SELECT s.id FROM sources s"
    " WHERE EXISTS (SELECT 1 FROM segments g WHERE g.source_id = s.id)"
    " AND s.text IS NOT (SELECT group_concat (text, char (10)) FROM"
    "   (SELECT text FROM segments g WHERE g.source_id = s.id ORDER BY idx)))" },
};

static gboolean
drop_orphans (sqlite3             *to,
              AssaySalvageReport  *report,
              GError             **error)
{
  for (guint i = 0; i < report->tables->len; i++)
    {
      AssaySalvageTable *table = g_ptr_array_index (report->tables, i);

      for (guint j = 0; j < G_N_ELEMENTS (orphans); j++)
        {
          int n;

          if (!g_str_equal (table->table, orphans[j].table))
            continue;
          if (sqlite3_exec (to, orphans[j].sql, NULL, NULL, NULL) != SQLITE_OK)
            return _assay_sqlite_error (to, error, NULL);
          n = sqlite3_changes (to);
          table->saved -= n;
          table->refused += n;
        }
    }
  return TRUE;
}

static void
remove_project_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

gboolean
assay_salvage_project (const char          *damaged,
                       const char          *target,
                       AssaySalvageReport **report_out,
                       GError             **error)
{
  g_autoptr(AssayProject) source = NULL;
  g_autoptr(AssayProject) copy = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(AssaySalvageReport) report = NULL;
  sqlite3 *from, *to;

  g_return_val_if_fail (damaged != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  source = assay_project_open_full (damaged, ASSAY_PROJECT_OPEN_READ_ONLY, error);
  if (source == NULL)
    return FALSE;
  if (assay_project_is_own_file (source, target))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_EXISTS,
                   _("“%s” is a file of the damaged project itself; save the copy under another "
                     "name"), target);
      return FALSE;
    }
  copy = assay_project_create (target, error);
  if (copy == NULL)
    return FALSE;
  from = _assay_project_get_db (source);
  to = _assay_project_get_db (copy);

  report = g_new0 (AssaySalvageReport, 1);
  report->tables = g_ptr_array_new_with_free_func (salvage_table_free);

  tables = list_tables (to, error);
  if (tables == NULL || !assay_project_begin (copy, error))
    goto failed;

  /* One snapshot of the damaged project for the whole copy. */
  sqlite3_exec (from, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < tables->len; i++)
    {
      const char *entry = g_ptr_array_index (tables, i);
      g_autoptr(TableCopy) t = plan_table (from, to, entry);
      AssaySalvageTable *result = g_new0 (AssaySalvageTable, 1);

      result->table = g_strdup (t->name);
      g_ptr_array_add (report->tables, result);
      if (t->select == NULL)
        continue;    /* a table the damaged project does not have (an older format) */
      read_table (from, t);
      if (!write_table (to, t, result, error))
        {
          sqlite3_exec (from, "COMMIT", NULL, NULL, NULL);
          assay_project_rollback (copy);
          goto failed;
        }
    }
  sqlite3_exec (from, "COMMIT", NULL, NULL, NULL);

  /* The search index is made again from what was saved. */
  if (!drop_orphans (to, report, error) ||
      !_assay_project_exec (copy,
                            "DELETE FROM sources_fts; DELETE FROM candidates_fts;"
                            "INSERT INTO sources_fts (rowid, title, text)"
                            " SELECT id, title, text FROM sources;"
                            "INSERT INTO candidates_fts (rowid, text) SELECT id, text FROM candidates;",
                            error) ||
      !assay_evidence_reset (copy, error) ||
      !assay_project_commit (copy, error))
    {
      assay_project_rollback (copy);
      goto failed;
    }

  for (guint i = 0; i < report->tables->len; i++)
    {
      AssaySalvageTable *table = g_ptr_array_index (report->tables, i);

      report->saved += table->saved;
      report->unreadable += table->unreadable;
      report->refused += table->refused;
      report->n_damaged += table->damaged;
    }
  if (report_out != NULL)
    *report_out = g_steal_pointer (&report);
  return TRUE;

failed:
  g_clear_object (&copy);
  remove_project_files (target);
  return FALSE;
}

static int
check_cancelled (void *data)
{
  return g_cancellable_is_cancelled (data);
}

gboolean
assay_check_pages (const char    *path,
                   GPtrArray    **problems_out,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (problems_out != NULL, FALSE);

  project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY, error);
  if (project == NULL)
    return FALSE;
  db = _assay_project_get_db (project);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, check_cancelled, cancellable);

  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    return _assay_sqlite_error (db, error, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") != 0)
        g_ptr_array_add (problems, g_strdup (row));
    }
  sqlite3_progress_handler (db, 0, NULL, NULL);

  if (rc == SQLITE_INTERRUPT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return FALSE;
    }
  /* A check that cannot even run found the worst damage of all. */
  if (rc != SQLITE_DONE)
    {
      g_autoptr(GError) local_error = NULL;

      _assay_sqlite_error (db, &local_error, NULL);
      g_ptr_array_add (problems, g_strdup (local_error->message));
    }

  *problems_out = g_steal_pointer (&problems);
  return TRUE;
}

gboolean
assay_path_holds_project (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "-lock" };

  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *companion = g_strconcat (path, suffixes[i], NULL);

      if (g_file_test (companion, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && _assay_header_says_assay (path);
}
