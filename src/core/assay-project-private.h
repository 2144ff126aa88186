/* assay-project-private.h: what the core's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "assay-error.h"
#include "assay-project.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3      *_assay_project_get_db         (AssayProject  *self);

/* A prepared statement for `sql`, which must be a string literal (it is the
 * cache key), reset and with its bindings cleared. Owned by the project. */
sqlite3_stmt *_assay_project_prepare        (AssayProject  *self,
                                             const char    *sql,
                                             GError       **error);

/* A debugging hook for tests: while set, every statement that a connection
 * the core opens afterwards starts to run is passed to `func`, with the
 * file of the connection and the statement's SQL text, from whatever thread
 * runs it. NULL turns it off. */
typedef void (*AssayTraceSqlFunc)           (const char    *file,
                                             const char    *sql,
                                             gpointer       user_data);
void          _assay_project_set_trace_sql  (AssayTraceSqlFunc func,
                                             gpointer       user_data);

/* Sets `error` from the connection's last error. */
gboolean      _assay_sqlite_error           (sqlite3       *db,
                                             GError       **error,
                                             const char    *context);

/* Runs a statement that returns at most one row with one integer column;
 * returns the value, or `fallback` if there is no row. */
/* How lists of annotators are ordered (alias a): persons first, then
 * models, then adjudicators, each by id. */
#define ASSAY_ANNOTATOR_ORDER \
  " ORDER BY CASE a.kind WHEN 'person' THEN 0 WHEN 'model' THEN 1 ELSE 2 END, a.ext_id"

/* The schema version of the open file: older than ASSAY_SCHEMA_VERSION
 * only for a project read without being migrated. */
int           _assay_project_get_format     (AssayProject  *self);
gint64        _assay_project_query_int      (AssayProject  *self,
                                             const char    *sql,
                                             gint64         fallback,
                                             GError       **error);

/* Execs SQL text with no results (several statements allowed). */
gboolean      _assay_project_exec           (AssayProject  *self,
                                             const char    *sql,
                                             GError       **error);

/* Helpers to read a TEXT column as a borrowed, NUL-terminated string. */
static inline const char *
_assay_column_text (sqlite3_stmt *stmt,
                    int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* Bind a possibly-NULL UTF-8 string as TEXT (or NULL), static lifetime
 * is not assumed. */
static inline int
_assay_bind_text (sqlite3_stmt *stmt,
                  int           idx,
                  const char   *str)
{
  if (str == NULL)
    return sqlite3_bind_null (stmt, idx);
  return sqlite3_bind_text (stmt, idx, str, -1, SQLITE_TRANSIENT);
}

/* Opens a raw connection with Assay's safety settings applied (defensive
 * mode, untrusted schema, no triggers or views, foreign keys on, a busy
 * timeout). Exposed for `check` and tests. */
sqlite3      *_assay_open_connection        (const char    *path,
                                             int            flags,
                                             GError       **error);
/* The same, with the file opened through an SQLite URI carrying
 * `uri_query` ("mode=ro&immutable=1"), when not NULL. */
sqlite3      *_assay_open_connection_full   (const char    *path,
                                             int            flags,
                                             const char    *uri_query,
                                             GError       **error);

/* TRUE if the file's header is SQLite's with Assay's application id, even
 * when SQLite cannot read the rest. A file of a project this process has
 * open is not opened (that would drop SQLite's locks) and counts as one. */
gboolean      _assay_header_says_assay      (const char    *path);

/* The SQL of schema version 1 (from the resource). */
const char   *_assay_schema_v1_sql          (void);

/* Runs the migrations from schema version `from` to the current one on a
 * raw connection (no transaction of its own). */
gboolean      _assay_schema_apply           (sqlite3       *db,
                                             int            from,
                                             GError       **error);

G_END_DECLS
