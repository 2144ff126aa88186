/* assay-project.c: one review effort in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-core-resources.h"
#include "assay-evidence-private.h"
#include "assay-lock-private.h"
#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"

struct _AssayProject
{
  GObject     parent_instance;
  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* const char *sql -> sqlite3_stmt * */
  guint       depth;        /* open transaction nesting */
  AssayLock  *lock;
  char       *read_only_reason;
  int         format;       /* the schema version of the open file */
  guint       read_only : 1;
  /* Whether closing may checkpoint and remove the WAL when nobody else has
   * the project open: not for a reader that found a WAL it must leave as it
   * was. */
  guint       may_checkpoint : 1;
};

G_DEFINE_FINAL_TYPE (AssayProject, assay_project, G_TYPE_OBJECT)

static AssayTraceSqlFunc trace_sql_func;
static gpointer trace_sql_data;

void
_assay_project_set_trace_sql (AssayTraceSqlFunc func,
                              gpointer          user_data)
{
  trace_sql_func = func;
  trace_sql_data = user_data;
}

static int
trace_sql_cb (unsigned  type,
              void     *context,
              void     *stmt,
              void     *unexpanded)
{
  const char *sql = sqlite3_sql (stmt);

  if (type == SQLITE_TRACE_STMT && sql != NULL && trace_sql_func != NULL)
    trace_sql_func (sqlite3_db_filename (sqlite3_db_handle (stmt), "main"), sql,
                    trace_sql_data);
  return 0;
}

/* Every connection is opened with checkpoint-on-close off: SQLite decides
 * that it is the last one from POSIX locks, which a stray close() in any
 * other process can have dropped. Only when the companion lock (which no
 * close can drop) says nobody else has the project open is it turned back
 * on, so that the last one out leaves the project as one file. */
static void
close_connection (AssayProject *self)
{
  gboolean alone = FALSE;

  if (self->lock != NULL)
    alone = _assay_lock_begin_release (self->lock);
  if (alone && self->may_checkpoint)
    sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      /* A statement outlives the project: the close happens when it is
       * finalized, after the lock is gone, so it must not checkpoint. */
      sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;
  if (self->lock != NULL)
    _assay_lock_end_release (g_steal_pointer (&self->lock), alone);
}

static void
assay_project_finalize (GObject *object)
{
  AssayProject *self = ASSAY_PROJECT (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    close_connection (self);
  else if (self->lock != NULL)
    _assay_lock_end_release (g_steal_pointer (&self->lock),
                             _assay_lock_begin_release (self->lock));
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->read_only_reason, g_free);

  G_OBJECT_CLASS (assay_project_parent_class)->finalize (object);
}

static void
assay_project_class_init (AssayProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_project_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
assay_project_init (AssayProject *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
}

/* What a failed call means for the person who gave the project, for the
 * errors that are about the file rather than the statement. */
static const char *
explain_file_error (int code)
{
  switch (code & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return _("the project file is damaged; “assay-cli check” says what is wrong");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return _("another program kept the project busy for too long; try again when it is done");
    case SQLITE_READONLY:
      return _("the project is open read-only");
    case SQLITE_FULL:
      return _("the disk is full");
    case SQLITE_IOERR:
      return _("the disk reported an error");
    case SQLITE_CANTOPEN:
      return _("a file of the project could not be opened");
    default:
      return NULL;
    }
}

gboolean
_assay_sqlite_error (sqlite3     *db,
                     GError     **error,
                     const char  *context)
{
  int code = sqlite3_extended_errcode (db);
  const char *msg = sqlite3_errmsg (db);
  const char *explanation = explain_file_error (code);
  const char *file = sqlite3_db_filename (db, "main");
  int domain_code = ASSAY_ERROR_DATABASE;
  g_autofree char *detail = NULL;

  if ((code & 0xff) == SQLITE_NOTADB)
    domain_code = ASSAY_ERROR_NOT_A_PROJECT;
  else if ((code & 0xff) == SQLITE_CORRUPT)
    domain_code = ASSAY_ERROR_CORRUPT;
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    domain_code = ASSAY_ERROR_BUSY;
  else if ((code & 0xff) == SQLITE_READONLY)
    domain_code = ASSAY_ERROR_READ_ONLY;

  detail = context != NULL ? g_strdup_printf ("%s: %s", context, msg) : g_strdup (msg);

  /* "database disk image is malformed" alone does not say which file. */
  if (explanation != NULL && file != NULL && *file != '\0')
    {
      g_autofree char *display = g_filename_display_name (file);

      g_set_error (error, ASSAY_ERROR, domain_code, "“%s”: %s (%s)", display, explanation,
                   detail);
    }
  else
    g_set_error_literal (error, ASSAY_ERROR, domain_code, detail);
  return FALSE;
}

/* The project's first 100 bytes, read through SQLite's own descriptor:
 * opening the file a second time and closing it would drop SQLite's locks.
 * A damaged project still has its header. */
static gboolean
header_says_assay (sqlite3 *db)
{
  sqlite3_file *file = NULL;
  unsigned char header[100];

  if (sqlite3_file_control (db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == NULL || file->pMethods == NULL ||
      file->pMethods->xRead (file, header, sizeof header, 0) != SQLITE_OK ||
      memcmp (header, "SQLite format 3", 16) != 0)
    return FALSE;
  return ((guint32) header[68] << 24 | (guint32) header[69] << 16 |
          (guint32) header[70] << 8 | header[71]) == ASSAY_APPLICATION_ID;
}

/* A file name as the path of an SQLite URI: "?" and "#" end the path and
 * "%" escapes, so those are escaped (and anything not plain ASCII). */
static char *
file_uri (const char *path,
          const char *query)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *escaped = g_uri_escape_string (absolute, "/", FALSE);

  return g_strconcat ("file:", escaped, "?", query, NULL);
}

sqlite3 *
_assay_open_connection (const char  *path,
                        int          flags,
                        GError     **error)
{
  return _assay_open_connection_full (path, flags, NULL, error);
}

sqlite3 *
_assay_open_connection_full (const char  *path,
                             int          flags,
                             const char  *uri_query,
                             GError     **error)
{
  g_autofree char *name = NULL;
  sqlite3 *db = NULL;
  int rc;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           _("No file name was given"));
      return NULL;
    }

  /* SQLite gives some names a meaning of their own (":memory:", "" and,
   * with URIs on, "file:..."); a relative path always names a file. */
  if (uri_query != NULL)
    {
      name = file_uri (path, uri_query);
      flags |= SQLITE_OPEN_URI;
    }
  else if ((flags & SQLITE_OPEN_MEMORY) || g_path_is_absolute (path))
    name = g_strdup (path);
  else
    name = g_strconcat ("./", path, NULL);

  rc = sqlite3_open_v2 (name, &db, flags | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      if (db != NULL)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_DATABASE,
                       _("Could not open “%s”: %s"), path, sqlite3_errmsg (db));
          sqlite3_close_v2 (db);
        }
      else
        g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_DATABASE,
                     _("Could not open “%s”: out of memory"), path);
      return NULL;
    }

  /* A project may come from someone else: nothing stored in the file may
   * run code or reach outside it. Defensive mode blocks schema tampering,
   * triggers and views are switched off outright (Assay uses neither, so a
   * planted one is inert), and functions in the schema must be innocuous. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  /* See close_connection(): only the companion lock may turn this back on. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_busy_timeout (db, 5000);
  if (trace_sql_func != NULL)
    sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_sql_cb, NULL);

  if (sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
    {
      _assay_sqlite_error (db, error, path);
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

int
_assay_project_get_format (AssayProject *self)
{
  return self->format != 0 ? self->format : ASSAY_SCHEMA_VERSION;
}

sqlite3 *
_assay_project_get_db (AssayProject *self)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  return self->db;
}

sqlite3_stmt *
_assay_project_prepare (AssayProject  *self,
                        const char    *sql,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _assay_sqlite_error (self->db, error, NULL);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gint64
_assay_project_query_int (AssayProject  *self,
                          const char    *sql,
                          gint64         fallback,
                          GError       **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (self, sql, error);
  gint64 value = fallback;
  int rc;

  if (stmt == NULL)
    return fallback;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    _assay_sqlite_error (self->db, error, NULL);
  sqlite3_reset (stmt);

  return value;
}

gboolean
_assay_project_exec (AssayProject  *self,
                     const char    *sql,
                     GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _assay_sqlite_error (self->db, error, NULL);
  return TRUE;
}

const char *
_assay_schema_v1_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      g_autoptr(GBytes) bytes = NULL;
      char *copy;

      /* Through the resource itself rather than the global registry: the
       * core is a static library, and this reference is what keeps the
       * resource linked in. */
      bytes = g_resource_lookup_data (assay_core_get_resource (),
                                      "/io/github/assaylab/Assay/core/assay-schema.sql",
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert (bytes != NULL);
      copy = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_once_init_leave (&sql, copy);
    }

  return sql;
}

/* Each step takes the schema from version N to N + 1. They run inside the
 * transaction that also sets user_version, so a failed step leaves the file
 * as it was. */
static const char *
migration_sql (int from)
{
  switch (from)
    {
    case 0:
      return _assay_schema_v1_sql ();

    case 1:
      /* Version 2 added full-text search over sources and candidates. */
      return "CREATE VIRTUAL TABLE sources_fts USING fts5"
             "  (title, text, tokenize = 'unicode61 remove_diacritics 2');"
             "CREATE VIRTUAL TABLE candidates_fts USING fts5"
             "  (text, tokenize = 'unicode61 remove_diacritics 2');"
             "INSERT INTO sources_fts (rowid, title, text) SELECT id, title, text FROM sources;"
             "INSERT INTO candidates_fts (rowid, text) SELECT id, text FROM candidates;";

    case 2:
      /* Version 3 added the indexes that the hot queries and the deletes
       * of the rows judgments refer to need: an item's candidates in their
       * order and its comparisons without a scan; every foreign key of a
       * judgment table leads an index, so that removing an annotator, a
       * candidate or a label option finds what refers to it at once.
       * tests/test-query-plan.c checks the plans. */
      return "CREATE INDEX candidates_by_source ON candidates (source_id, position);"
             "CREATE INDEX label_options_by_position ON label_options (position);"
             "CREATE INDEX labels_by_annotator ON labels (annotator_id, option_id);"
             "CREATE INDEX labels_by_option ON labels (option_id);"
             "CREATE INDEX spans_by_annotator ON spans (annotator_id, option_id);"
             "CREATE INDEX spans_by_option ON spans (option_id);"
             "CREATE INDEX corrections_by_annotator ON corrections (annotator_id);"
             "CREATE INDEX scores_by_annotator ON scores (annotator_id);"
             "CREATE INDEX rankings_by_annotator ON rankings (annotator_id);"
             "CREATE INDEX rankings_by_candidate ON rankings (candidate_id);"
             "CREATE INDEX comparisons_by_source ON comparisons (source_id, annotator_id);"
             "CREATE INDEX comparisons_by_a ON comparisons (candidate_a);"
             "CREATE INDEX comparisons_by_b ON comparisons (candidate_b);"
             "CREATE INDEX notes_by_annotator ON notes (annotator_id);";

    case 3:
      /* Version 4 added what models were asked (assay-suggest.c) and the
       * passage index of evidence suggestions (assay-evidence.c). */
      {
        static char *sql;

        if (g_once_init_enter (&sql))
          g_once_init_leave (&sql, g_strconcat (_assay_suggest_schema_sql,
                                                _assay_evidence_schema_sql, NULL));
        return sql;
      }

    default:
      g_assert_not_reached ();
    }
}

int
assay_schema_version (void)
{
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);
  int version = ASSAY_BASE_SCHEMA_VERSION;

  for (guint i = 0; i < n_kinds; i++)
    version = MAX (version, kinds[i]->since);
  return version;
}

/* The step from format `from` to the next: the base schema's migration,
 * then the tables of the kinds that this format adds. */
static gboolean
apply_step (sqlite3  *db,
            int       from,
            GError  **error)
{
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  if (from < ASSAY_BASE_SCHEMA_VERSION &&
      sqlite3_exec (db, migration_sql (from), NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i]->since == from + 1 && kinds[i]->ddl != NULL &&
        sqlite3_exec (db, kinds[i]->ddl, NULL, NULL, NULL) != SQLITE_OK)
      return FALSE;
  return TRUE;
}

gboolean
_assay_schema_apply (sqlite3     *db,
                     int          from,
                     GError     **error)
{
  for (int v = from; v < ASSAY_SCHEMA_VERSION; v++)
    {
      if (!apply_step (db, v, error))
        {
          g_autofree char *context = g_strdup_printf (_("Could not update the project to "
                                                        "format %d"), v + 1);

          return _assay_sqlite_error (db, error, context);
        }
    }
  return TRUE;
}

static gboolean
migrate (AssayProject  *self,
         int            from,
         GError       **error)
{
  g_autofree char *pragma = NULL;

  if (from == ASSAY_SCHEMA_VERSION)
    return TRUE;

  pragma = g_strdup_printf ("PRAGMA user_version = %d", ASSAY_SCHEMA_VERSION);
  if (!assay_project_begin (self, error))
    return FALSE;
  if (!_assay_schema_apply (self->db, from, error) ||
      !_assay_project_exec (self, pragma, error))
    {
      assay_project_rollback (self);
      return FALSE;
    }
  return assay_project_commit (self, error);
}

static gboolean
read_header (sqlite3     *db,
             const char  *path,
             int         *application_id,
             int         *user_version,
             gint64      *n_objects,
             GError     **error)
{
  static const char * const queries[] = {
    "PRAGMA application_id", "PRAGMA user_version", "SELECT count(*) FROM sqlite_schema",
  };
  gint64 values[3] = { 0, 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL) != SQLITE_OK ||
          sqlite3_step (stmt) != SQLITE_ROW)
        {
          int code = sqlite3_errcode (db);

          if ((code == SQLITE_NOTADB || code == SQLITE_CORRUPT) && header_says_assay (db))
            g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT,
                         _("“%s” is a damaged Assay project: SQLite cannot read it (%s)"),
                         path, sqlite3_errmsg (db));
          else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT,
                         _("“%s” is not an Assay project (it is not a readable SQLite database)"),
                         path);
          else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
            g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_BUSY,
                         _("Could not read “%s”: another program kept it busy for too long (%s)"),
                         path, sqlite3_errmsg (db));
          else
            g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_DATABASE,
                         _("Could not read “%s”: %s"), path, sqlite3_errmsg (db));
          return FALSE;
        }
      values[i] = sqlite3_column_int64 (stmt, 0);
    }

  *application_id = (int) values[0];
  *user_version = (int) values[1];
  *n_objects = values[2];
  return TRUE;
}

static gboolean
set_journal (sqlite3     *db,
             GError     **error)
{
  /* WAL lets the app read while an import writes; synchronous=FULL makes
   * every committed judgment durable the moment the call returns. */
  if (sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return _assay_sqlite_error (db, error, NULL);
  return TRUE;
}

/* Why the project cannot be written at all, as a translated phrase, or
 * NULL if it can: SQLite needs to write the file and, for its WAL, the
 * folder. */
static char *
why_not_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *display_dir = NULL;

  if (g_access (path, W_OK) != 0)
    return g_strdup (errno == EROFS ? _("it is on a read-only disk")
                                    : _("the file is read-only"));
  if (g_access (dir, W_OK) != 0)
    {
      display_dir = g_filename_display_name (dir);
      return g_strdup_printf (errno == EROFS ? _("it is on a read-only disk")
                                             : _("the folder “%s” cannot be written"),
                              display_dir);
    }
  return NULL;
}

static gboolean
exists (const char *path,
        const char *suffix)
{
  g_autofree char *companion = g_strconcat (path, suffix, NULL);

  return g_file_test (companion, G_FILE_TEST_EXISTS);
}

/* Opens the connection of a project that will not be written. The aim is
 * to read everything committed, WAL included, and to leave the project as
 * it was found. */
static sqlite3 *
open_reader (AssayProject  *self,
             gboolean       writable,
             gboolean       has_wal,
             GError       **error)
{
  sqlite3 *db;

  /* In a folder we may write: an ordinary connection that is not allowed
   * to write. It shares the wal-index with the other processes as any
   * reader does (a reader that could not write its read mark would fail
   * beside a busy writer). It never checkpoints a WAL it found; one it
   * made itself it removes as it closes, if nobody else came. */
  if (writable)
    {
      self->may_checkpoint = !has_wal;
      db = _assay_open_connection (self->path, SQLITE_OPEN_READWRITE, error);
      if (db != NULL && sqlite3_exec (db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK)
        {
          _assay_sqlite_error (db, error, NULL);
          sqlite3_close_v2 (db);
          return NULL;
        }
      return db;
    }

  /* Nobody here can write it: read it as it is, creating nothing. A WAL
   * left beside it is read through its wal-index, which this connection
   * never writes (SQLite reads the WAL into memory when nobody keeps the
   * index). */
  self->may_checkpoint = FALSE;
  if (has_wal && exists (self->path, "-shm"))
    return _assay_open_connection_full (self->path, SQLITE_OPEN_READONLY,
                                        "mode=ro&readonly_shm=1", error);
  if (has_wal && self->read_only_reason != NULL)
    {
      g_autofree char *reason = g_steal_pointer (&self->read_only_reason);

      self->read_only_reason = g_strdup_printf (_("%s Its latest changes, kept in “%s-wal”, "
                                                  "cannot be read without write access."),
                                                reason, self->path);
    }
  return _assay_open_connection_full (self->path, SQLITE_OPEN_READONLY,
                                      "mode=ro&immutable=1", error);
}

AssayProject *
assay_project_open (const char  *path,
                    GError     **error)
{
  return assay_project_open_full (path, ASSAY_PROJECT_OPEN_DEFAULT, error);
}

/**
 * assay_project_open_full:
 * @path: the project file
 * @flags: how the project will be used
 *
 * Opens an existing project, bringing its schema up to date unless it is
 * opened read-only. A file that is not an Assay project, or that was
 * written by a newer Assay, is refused without being changed.
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
AssayProject *
assay_project_open_full (const char             *path,
                         AssayProjectOpenFlags   flags,
                         GError                **error)
{
  g_autoptr(AssayProject) self = NULL;
  g_autofree char *not_writable = NULL;
  AssayLockMode mode;
  AssayLockState state = ASSAY_LOCK_GRANTED;
  gboolean had_wal, may_checkpoint;
  int application_id, user_version;
  gint64 n_objects;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("“%s” does not exist"), path);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT,
                   _("“%s” is a folder, not an Assay project"), path);
      return NULL;
    }

  had_wal = exists (path, "-wal");
  not_writable = why_not_writable (path);
  if (not_writable != NULL && !(flags & (ASSAY_PROJECT_OPEN_READ_ONLY | ASSAY_PROJECT_OPEN_APP)))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY,
                   _("“%s” is read-only (%s): commands that only read it work, but nothing can "
                     "be changed in it. To change it, copy it to a folder you can write."),
                   path, not_writable);
      return NULL;
    }

  if (not_writable != NULL || (flags & ASSAY_PROJECT_OPEN_READ_ONLY))
    mode = ASSAY_LOCK_READER;
  else if (flags & ASSAY_PROJECT_OPEN_APP)
    mode = ASSAY_LOCK_APP;
  else
    mode = ASSAY_LOCK_WRITER;

  self = g_object_new (ASSAY_TYPE_PROJECT, NULL);
  self->path = g_strdup (path);
  self->lock = _assay_lock_acquire (path, mode, &state, error);
  if (self->lock == NULL)
    return NULL;

  self->read_only = _assay_lock_get_mode (self->lock) == ASSAY_LOCK_READER;
  if (not_writable != NULL)
    self->read_only_reason = g_strdup_printf (_("“%s” is read-only: %s."), path, not_writable);
  else if (state == ASSAY_LOCK_APP_ELSEWHERE)
    self->read_only_reason = g_strdup_printf (_("“%s” is open in another Assay window, where it "
                                                "can be changed."), path);
  else if (state == ASSAY_LOCK_WRITER_ELSEWHERE)
    self->read_only_reason = g_strdup_printf (_("“%s” is being changed by assay-cli. Open it "
                                                "again when the command is done."), path);
  else if (state == ASSAY_LOCK_UNAVAILABLE)
    self->read_only_reason = g_strdup_printf (_("“%s” cannot be changed: its lock file cannot "
                                                "be created."), path);

  if (self->read_only)
    self->db = open_reader (self, not_writable == NULL, had_wal, error);
  else
    {
      self->may_checkpoint = TRUE;
      self->db = _assay_open_connection (path, SQLITE_OPEN_READWRITE, error);
    }
  if (self->db == NULL)
    return NULL;

  /* Read before writing anything: journal_mode=WAL changes the header. A
   * file that fails to open and had a WAL beside it is closed without a
   * checkpoint: that WAL may hold the latest changes of a damaged project,
   * and stays beside it. (A WAL this connection made is removed.) */
  may_checkpoint = self->may_checkpoint;
  if (had_wal)
    self->may_checkpoint = FALSE;
  if (!read_header (self->db, path, &application_id, &user_version, &n_objects, error))
    return NULL;

  if (application_id != ASSAY_APPLICATION_ID)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_A_PROJECT,
                   n_objects == 0
                     ? _("“%s” is not an Assay project (it is empty)")
                     : _("“%s” is not an Assay project (it is an SQLite database of another program)"),
                   path);
      return NULL;
    }

  if (user_version > ASSAY_SCHEMA_VERSION)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_TOO_NEW,
                   _("“%s” was saved by a newer version of Assay (project format %d; this version "
                     "reads formats up to %d). Update Assay to open it; the file was not changed."),
                   path, user_version, ASSAY_SCHEMA_VERSION);
      return NULL;
    }

  if (user_version < 1)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT,
                   _("“%s” is an unfinished Assay project (its creation was interrupted)"), path);
      return NULL;
    }

  if (!self->read_only && (!set_journal (self->db, error) || !migrate (self, user_version, error)))
    return NULL;
  /* A project read without being migrated keeps its older format: the kinds
   * that came later are not in it (assay-kinds.c leaves them out). */
  self->format = self->read_only ? user_version : ASSAY_SCHEMA_VERSION;

  self->may_checkpoint = may_checkpoint;
  return g_steal_pointer (&self);
}

typedef struct
{
  char                  *path;
  AssayProjectOpenFlags  flags;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  AssayProject *project;

  project = assay_project_open_full (data->path, data->flags, &error);
  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, project, g_object_unref);
}

/**
 * assay_project_open_async:
 * @path: the project file
 * @flags: how the project will be used
 * @cancellable: (nullable): cancels waiting for the result; an open that
 *   has begun completes and its project is dropped
 * @callback: called in the thread-default main context of the caller
 *
 * Opens a project as assay_project_open_full() does, in a worker thread.
 */
void
assay_project_open_async (const char            *path,
                          AssayProjectOpenFlags  flags,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (OpenData, 1);
  data->path = g_strdup (path);
  data->flags = flags;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_project_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * assay_project_open_finish:
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
AssayProject *
assay_project_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_project_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
assay_project_get_read_only (AssayProject *self)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), TRUE);

  return self->read_only;
}

const char *
assay_project_get_read_only_reason (AssayProject *self)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  return self->read_only_reason;
}

/**
 * assay_project_create:
 * @path: where to create the project; must not exist
 *
 * Returns: (transfer full): a new, empty project, or %NULL with @error set
 */
AssayProject *
assay_project_create (const char  *path,
                      GError     **error)
{
  g_autoptr(AssayProject) self = NULL;
  g_autofree char *now = NULL;
  g_autofree char *pragma = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (*path == '\0')
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           _("No file name was given"));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_EXISTS,
                   _("“%s” already exists"), path);
      return NULL;
    }

  self = g_object_new (ASSAY_TYPE_PROJECT, NULL);
  self->path = g_strdup (path);
  self->db = _assay_open_connection (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (self->db == NULL)
    return NULL;
  self->may_checkpoint = TRUE;
  self->lock = _assay_lock_acquire (path, ASSAY_LOCK_WRITER, NULL, error);
  if (self->lock == NULL)
    goto failed;

  pragma = g_strdup_printf ("PRAGMA application_id = %d", ASSAY_APPLICATION_ID);
  if (!set_journal (self->db, error) ||
      !_assay_project_exec (self, pragma, error) ||
      !migrate (self, 0, error))
    goto failed;

  now = assay_now_iso8601 ();
  if (!assay_project_set_setting (self, "created_at", now, error) ||
      !assay_project_set_setting (self, "assay_version", PACKAGE_VERSION, error))
    goto failed;

  return g_steal_pointer (&self);

failed:
  g_clear_object (&self);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
  }
  return NULL;
}

const char *
assay_project_get_path (AssayProject *self)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  return self->path;
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

gboolean
assay_project_is_own_file (AssayProject *self,
                           const char   *path)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *journal = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  wal = g_strconcat (self->path, "-wal", NULL);
  shm = g_strconcat (self->path, "-shm", NULL);
  lock = g_strconcat (self->path, "-lock", NULL);
  journal = g_strconcat (self->path, "-journal", NULL);
  return same_file (path, self->path) || same_file (path, wal) || same_file (path, shm) ||
         same_file (path, lock) || same_file (path, journal);
}

/**
 * assay_project_dup_name:
 *
 * Returns: (transfer full): the project's name: the "name" setting, or the
 *   file name without its extension
 */
char *
assay_project_dup_name (AssayProject *self)
{
  g_autofree char *name = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  name = assay_project_dup_setting (self, "name");
  if (name != NULL && *name != '\0')
    return g_steal_pointer (&name);

  base = g_path_get_basename (self->path);
  if (g_str_has_suffix (base, ".assay"))
    base[strlen (base) - strlen (".assay")] = '\0';
  return g_steal_pointer (&base);
}

char *
assay_project_dup_setting (AssayProject *self,
                           const char   *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  stmt = _assay_project_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (_assay_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

/* A NULL value removes the setting. */
gboolean
assay_project_set_setting (AssayProject  *self,
                           const char    *key,
                           const char    *value,
                           GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  if (value == NULL)
    stmt = _assay_project_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = _assay_project_prepare (self,
                                   "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _assay_sqlite_error (self->db, error, NULL);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
begin (AssayProject  *self,
       gboolean       write,
       GError       **error)
{
  g_autofree char *sql = NULL;

  /* IMMEDIATE takes the write lock up front, so a long import cannot fail
   * halfway with "database is locked" because the app started writing. */
  if (self->depth == 0)
    sql = g_strdup (write ? "BEGIN IMMEDIATE" : "BEGIN");
  else
    sql = g_strdup_printf ("SAVEPOINT assay_%u", self->depth);

  if (!_assay_project_exec (self, sql, error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
assay_project_begin (AssayProject  *self,
                     GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  return begin (self, TRUE, error);
}

gboolean
assay_project_begin_read (AssayProject  *self,
                          GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  return begin (self, FALSE, error);
}

void
assay_project_end_read (AssayProject *self)
{
  g_return_if_fail (ASSAY_IS_PROJECT (self));
  if (!assay_project_commit (self, NULL))
    g_debug ("Ending a read transaction failed");
}

gboolean
assay_project_commit (AssayProject  *self,
                      GError       **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE assay_%u", self->depth - 1);

  if (!_assay_project_exec (self, sql, error))
    {
      assay_project_rollback (self);
      return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
assay_project_rollback (AssayProject *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (ASSAY_IS_PROJECT (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO assay_%u; RELEASE assay_%u",
                           self->depth - 1, self->depth - 1);

  /* A rollback can only fail if SQLite already rolled back by itself. */
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  self->depth--;
}

gboolean
assay_project_get_counts (AssayProject        *self,
                          AssayProjectCounts  *counts,
                          GError             **error)
{
  sqlite3_stmt *stmt;
  GError *local_error = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);

  counts->sources = _assay_project_query_int (self, "SELECT count(*) FROM sources", 0,
                                              &local_error);
  if (local_error == NULL)
    counts->candidates = _assay_project_query_int (self, "SELECT count(*) FROM candidates", 0,
                                                   &local_error);
  if (local_error == NULL)
    counts->annotators = _assay_project_query_int (self, "SELECT count(*) FROM annotators", 0,
                                                   &local_error);
  /* Grouped as the native export writes them: one labels record and one
   * scores record per candidate and annotator, one ranking per source and
   * annotator, and one record for each of the others. */
  if (local_error == NULL)
    counts->judgments = _assay_project_query_int (self, _assay_kinds_count_sql (self), 0,
                                                  &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* A source counts once, under the furthest status an annotator whose
   * work counts gave it: flagged before done before skipped before in
   * progress. A model's status is a proposal, not progress. */
  stmt = _assay_project_prepare (self,
    "SELECT st, count(*) FROM ("
    "  SELECT s.id, coalesce ((SELECT i.status FROM item_status i"
    "    JOIN annotators a ON a.id = i.annotator_id"
    "    WHERE i.source_id = s.id AND (a.kind <> 'person' OR ?1) AND (a.kind <> 'model' OR ?2)"
    "      AND (a.kind <> 'adjudicator' OR ?3)"
    "    ORDER BY CASE i.status WHEN 'flagged' THEN 0 WHEN 'done' THEN 1 WHEN 'skipped' THEN 2"
    "      WHEN 'in_progress' THEN 3 ELSE 4 END LIMIT 1), 'todo') AS st"
    "  FROM sources s) GROUP BY st",
    error);
  if (stmt == NULL)
    return FALSE;
  for (int k = ASSAY_ANNOTATOR_PERSON; k <= ASSAY_ANNOTATOR_ADJUDICATOR; k++)
    sqlite3_bind_int (stmt, k + 1, assay_annotator_kind_counts_by_default (k));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      AssayStatus status;

      if (assay_status_from_string (_assay_column_text (stmt, 0), &status))
        counts->status[status] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  return TRUE;
}

void
assay_model_count_free (AssayModelCount *count)
{
  g_free (count->model);
  g_free (count);
}

GPtrArray *
assay_project_list_models (AssayProject  *self,
                           GError       **error)
{
  g_autoptr(GPtrArray) models = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  stmt = _assay_project_prepare (self,
                                 "SELECT model, count (*) FROM candidates GROUP BY model"
                                 " ORDER BY count (*) DESC, model",
                                 error);
  if (stmt == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_model_count_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayModelCount *count = g_new0 (AssayModelCount, 1);

      count->model = g_strdup (_assay_column_text (stmt, 0));
      count->n_candidates = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (models, count);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (self->db, error, NULL);
      return NULL;
    }
  return g_steal_pointer (&models);
}

static const char * const annotator_kinds[] = { "person", "model", "adjudicator" };

const char *
assay_annotator_kind_to_string (AssayAnnotatorKind kind)
{
  g_return_val_if_fail (kind <= ASSAY_ANNOTATOR_ADJUDICATOR, NULL);
  return annotator_kinds[kind];
}

gboolean
assay_annotator_kind_from_string (const char         *str,
                                  AssayAnnotatorKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (annotator_kinds); i++)
    if (g_strcmp0 (str, annotator_kinds[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
assay_annotator_kind_counts_by_default (AssayAnnotatorKind kind)
{
  return kind != ASSAY_ANNOTATOR_MODEL;
}

static const char * const statuses[] = { "todo", "in_progress", "done", "skipped", "flagged" };
G_STATIC_ASSERT (G_N_ELEMENTS (statuses) == ASSAY_N_STATUSES);

const char *
assay_status_to_string (AssayStatus status)
{
  g_return_val_if_fail (status < ASSAY_N_STATUSES, NULL);
  return statuses[status];
}

gboolean
assay_status_from_string (const char  *str,
                          AssayStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (str, statuses[i]) == 0)
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

const char *
assay_status_get_label (AssayStatus status)
{
  static const char * const labels[] = {
    N_("To do"), N_("In progress"), N_("Done"), N_("Skipped"), N_("Flagged"),
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == ASSAY_N_STATUSES);

  g_return_val_if_fail (status < ASSAY_N_STATUSES, NULL);
  return _(labels[status]);
}

static char *
format_iso8601 (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);
  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

char *
assay_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return format_iso8601 (now);
}

char *
assay_normalize_iso8601 (const char *str)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  if (str == NULL)
    return NULL;

  /* A time without a zone is taken as UTC rather than local time, so that
   * the same file imports the same way on every machine. */
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (str, utc);
  if (dt == NULL)
    return NULL;
  return format_iso8601 (dt);
}

gboolean
assay_project_get_annotator_progress (AssayProject  *self,
                                      gint64         annotator_id,
                                      gint64        *done,
                                      gint64        *total,
                                      GError       **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 n_done = 0;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  stmt = _assay_project_prepare (self,
                                 "SELECT count(*) FROM item_status"
                                 " WHERE annotator_id = ?1 AND status = 'done'",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, annotator_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
      sqlite3_reset (stmt);
      return FALSE;
    }
  n_done = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (total != NULL)
    {
      *total = _assay_project_query_int (self, "SELECT count(*) FROM sources", 0, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  if (done != NULL)
    *done = n_done;
  return TRUE;
}
