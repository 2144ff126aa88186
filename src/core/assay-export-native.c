/* assay-export-native.c: the project back out as native JSONL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The template, then the annotators, then one line per source with its
 * candidates and every judgment on it, in an order that depends only on
 * the data (ids, positions), so the same project always gives the same
 * bytes and an import of the output exports the same records again.
 * Metadata is written back exactly as it was imported.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-export-private.h"
#include "assay-json.h"
#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"
#include "assay-template.h"

struct _AssayKindWriter
{
  AssayProject    *project;
  AssayExportSink *sink;
  GString         *b;
  gboolean         first;     /* no member written yet in the current object */
  GHashTable      *candidates; /* row id -> ext id (borrowed from `names`) */
  GPtrArray       *names;
  /* Suggested judgments of the source: how each record that was suggested
   * begins, and its "suggestion" member, in pairs (assay-suggest.c). */
  GPtrArray       *suggested;
  gsize            record_from; /* where the record being written begins in `b` */
};

typedef AssayKindWriter Writer;

static void
key (Writer     *w,
     const char *name)
{
  if (!w->first)
    g_string_append_c (w->b, ',');
  w->first = FALSE;
  g_string_append_c (w->b, '"');
  g_string_append (w->b, name);
  g_string_append (w->b, "\":");
}

static void
begin_object (Writer *w)
{
  g_string_append_c (w->b, '{');
  w->first = TRUE;
}

static void
end_object (Writer *w)
{
  g_string_append_c (w->b, '}');
  w->first = FALSE;
}

static void
member_string (Writer     *w,
               const char *name,
               const char *value)
{
  if (value == NULL)
    return;
  key (w, name);
  assay_json_append_string (w->b, value, -1);
}

static void
member_column_string (Writer       *w,
                      const char   *name,
                      sqlite3_stmt *stmt,
                      int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return;
  key (w, name);
  assay_json_append_string (w->b, _assay_column_text (stmt, col), sqlite3_column_bytes (stmt, col));
}

static void
member_int (Writer     *w,
            const char *name,
            gint64      value)
{
  key (w, name);
  assay_json_append_int (w->b, value);
}

static void
member_metadata (Writer       *w,
                 sqlite3_stmt *stmt,
                 int           col)
{
  const char *raw = _assay_column_text (stmt, col);

  if (raw == NULL || g_str_equal (raw, "{}"))
    return;
  key (w, "metadata");
  g_string_append_len (w->b, raw, sqlite3_column_bytes (stmt, col));
}

/* created, updated and time_spent, from three consecutive columns. */
static void
member_stamp (Writer       *w,
              sqlite3_stmt *stmt,
              int           col)
{
  member_column_string (w, "created", stmt, col);
  member_column_string (w, "updated", stmt, col + 1);
  key (w, "time_spent");
  assay_json_append_double (w->b, sqlite3_column_double (stmt, col + 2));
}

static const char *
candidate_name (Writer *w,
                gint64  id)
{
  return g_hash_table_lookup (w->candidates, &id);
}

static gboolean
done (Writer        *w,
      sqlite3_stmt  *stmt,
      int            rc,
      GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (w->project), error, NULL);
  return TRUE;
}

/* Prepares `sql` with the source id bound to ?1. */
static sqlite3_stmt *
prepare_for_source (Writer      *w,
                    const char  *sql,
                    gint64       source_id,
                    GError     **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (w->project, sql, error);

  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, source_id);
  return stmt;
}

static void
begin_judgment (Writer     *w,
                const char *type,
                const char *annotator)
{
  if (w->b->str[w->b->len - 1] != '[')
    g_string_append_c (w->b, ',');
  begin_object (w);
  member_string (w, "type", type);
  member_string (w, "annotator", annotator);
}


/* ---- what the kinds write with (assay-kind-private.h) ---- */

sqlite3_stmt *
_assay_kind_writer_prepare (AssayKindWriter *w,
                            const char      *sql,
                            gint64           source_id,
                            GError         **error)
{
  return prepare_for_source (w, sql, source_id, error);
}

gboolean
_assay_kind_writer_done (AssayKindWriter *w,
                         sqlite3_stmt    *stmt,
                         int              rc,
                         GError         **error)
{
  return done (w, stmt, rc, error);
}

AssayProject *
_assay_kind_writer_project (AssayKindWriter *w)
{
  return w->project;
}

GString *
_assay_kind_writer_buffer (AssayKindWriter *w)
{
  return w->b;
}

const char *
_assay_kind_writer_candidate (AssayKindWriter *w,
                              gint64           candidate_id)
{
  return candidate_name (w, candidate_id);
}

void
_assay_kind_writer_begin (AssayKindWriter *w,
                          const char      *type,
                          const char      *annotator)
{
  begin_judgment (w, type, annotator);
}

/* A record of a suggested judgment carries where it came from. Kinds write
 * records in their own ways (some put a record together from parts), so the
 * record is recognised by how it begins: its type, annotator and candidate. */
static void
add_suggestion (Writer *w)
{
  const char *record = w->b->str + w->record_from;

  if (*record == ',')
    record++;
  for (guint i = 0; i < w->suggested->len; i += 2)
    if (g_str_has_prefix (record, g_ptr_array_index (w->suggested, i)))
      {
        key (w, "suggestion");
        g_string_append (w->b, g_ptr_array_index (w->suggested, i + 1));
        return;
      }
}

static gboolean
load_suggested (Writer  *w,
                gint64   source_id,
                GError **error)
{
  static const char * const types[] = { "labels", "span", "scores" };
  g_autoptr(GHashTable) map = NULL;
  GError *local = NULL;
  GHashTableIter iter;
  gpointer k, v;

  g_clear_pointer (&w->suggested, g_ptr_array_unref);
  map = _assay_suggest_source_provenance (w->project, source_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (map == NULL)
    return TRUE;

  w->suggested = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      const char *sep = strchr (k, '\x1f');

      for (guint i = 0; i < G_N_ELEMENTS (types); i++)
        {
          GString *prefix = g_string_new ("{\"type\":");

          assay_json_append_string (prefix, types[i], -1);
          g_string_append (prefix, ",\"annotator\":");
          assay_json_append_string (prefix, k, sep - (const char *) k);
          g_string_append (prefix, ",\"candidate\":");
          assay_json_append_string (prefix, sep + 1, -1);
          g_ptr_array_add (w->suggested, g_string_free (prefix, FALSE));
          g_ptr_array_add (w->suggested, g_strdup (v));
        }
    }
  return TRUE;
}

void
_assay_kind_writer_end (AssayKindWriter *w)
{
  if (w->suggested != NULL)
    add_suggestion (w);
  end_object (w);
  w->record_from = w->b->len;
}

void
_assay_kind_writer_key (AssayKindWriter *w,
                        const char      *name)
{
  key (w, name);
}

void
_assay_kind_writer_string (AssayKindWriter *w,
                           const char      *name,
                           const char      *value)
{
  member_string (w, name, value);
}

void
_assay_kind_writer_column (AssayKindWriter *w,
                           const char      *name,
                           sqlite3_stmt    *stmt,
                           int              col)
{
  member_column_string (w, name, stmt, col);
}

void
_assay_kind_writer_int (AssayKindWriter *w,
                        const char      *name,
                        gint64           value)
{
  member_int (w, name, value);
}

void
_assay_kind_writer_stamp (AssayKindWriter *w,
                          sqlite3_stmt    *stmt,
                          int              col)
{
  member_stamp (w, stmt, col);
}

gboolean
_assay_kind_writer_begin_inner (AssayKindWriter *w)
{
  gboolean saved = w->first;

  begin_object (w);
  return saved;
}

void
_assay_kind_writer_end_inner (AssayKindWriter *w,
                              gboolean         saved)
{
  end_object (w);
  w->first = saved;
}

static gboolean
write_source (Writer        *w,
              sqlite3_stmt  *source,
              GError       **error)
{
  gint64 source_id = sqlite3_column_int64 (source, 0);
  sqlite3_stmt *stmt;
  gboolean has_segments = sqlite3_column_int (source, 5);
  int rc;

  begin_object (w);
  member_column_string (w, "id", source, 1);
  member_column_string (w, "title", source, 2);

  if (has_segments)
    {
      gboolean any = FALSE;

      key (w, "segments");
      g_string_append_c (w->b, '[');
      stmt = prepare_for_source (w,
                                 "SELECT speaker, start_time, end_time, text FROM segments"
                                 " WHERE source_id = ?1 ORDER BY idx",
                                 source_id, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (any)
            g_string_append_c (w->b, ',');
          any = TRUE;
          begin_object (w);
          member_column_string (w, "speaker", stmt, 0);
          if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
            {
              key (w, "start");
              assay_json_append_double (w->b, sqlite3_column_double (stmt, 1));
            }
          if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
            {
              key (w, "end");
              assay_json_append_double (w->b, sqlite3_column_double (stmt, 2));
            }
          member_column_string (w, "text", stmt, 3);
          end_object (w);
        }
      if (!done (w, stmt, rc, error))
        return FALSE;
      g_string_append_c (w->b, ']');
    }
  else
    member_column_string (w, "text", source, 3);

  member_metadata (w, source, 4);

  key (w, "candidates");
  g_string_append_c (w->b, '[');
  g_hash_table_remove_all (w->candidates);
  g_ptr_array_set_size (w->names, 0);
  stmt = prepare_for_source (w,
                             "SELECT id, ext_id, model, text, prompt, metadata FROM candidates"
                             " WHERE source_id = ?1 ORDER BY position, id",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      char *name = g_strdup (_assay_column_text (stmt, 1));

      *id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (w->names, name);
      g_hash_table_insert (w->candidates, id, name);

      if (w->b->str[w->b->len - 1] != '[')
        g_string_append_c (w->b, ',');
      begin_object (w);
      member_column_string (w, "id", stmt, 1);
      member_column_string (w, "model", stmt, 2);
      member_column_string (w, "text", stmt, 3);
      member_column_string (w, "prompt", stmt, 4);
      member_metadata (w, stmt, 5);
      end_object (w);
    }
  if (!done (w, stmt, rc, error))
    return FALSE;
  g_string_append_c (w->b, ']');
  w->first = FALSE;

  key (w, "judgments");
  g_string_append_c (w->b, '[');
  w->record_from = w->b->len;
  if (!load_suggested (w, source_id, error))
    return FALSE;
  {
    guint n_kinds;
    const AssayKind * const *kinds = _assay_kinds (&n_kinds);

    for (guint i = 0; i < n_kinds; i++)
      if (_assay_kind_in_project (kinds[i], w->project) && !kinds[i]->write (w, source_id, error))
        return FALSE;
  }

  if (w->b->str[w->b->len - 1] == '[')
    {
      /* No judgments: leave the key out, as an import without them had. */
      g_string_truncate (w->b, w->b->len - strlen (",\"judgments\":["));
    }
  else
    g_string_append_c (w->b, ']');

  g_string_append (w->b, "}\n");
  return TRUE;
}

/* One kind's records on a source, every annotator's, as a JSON array of
 * the records the export writes (assay-kind-private.h). */
gboolean
_assay_kind_write_records (const AssayKind  *kind,
                           AssayProject     *project,
                           gint64            source_id,
                           GString          *out,
                           GError          **error)
{
  g_autoptr(GHashTable) candidates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                            NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Writer w = { project, NULL, out, TRUE, candidates, names, NULL, 0 };
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_for_source (&w, "SELECT id, ext_id FROM candidates WHERE source_id = ?1",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      char *name = g_strdup (_assay_column_text (stmt, 1));

      *id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (names, name);
      g_hash_table_insert (candidates, id, name);
    }
  if (!done (&w, stmt, rc, error))
    return FALSE;

  g_string_append_c (out, '[');
  if (!kind->write (&w, source_id, error))
    return FALSE;
  g_string_append_c (out, ']');
  return TRUE;
}

static gboolean
write_lines (AssayProject     *project,
             AssayExportSink  *sink,
             Writer           *w,
             GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* The template always goes first, so that even an empty project exports
   * a file that imports back into the same project. */
    {
      g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, error);
      g_autoptr(json_t) json = NULL;
      g_autofree char *text = NULL;

      if (tmpl == NULL)
        return FALSE;
      json = assay_template_to_json (tmpl);
      text = assay_json_dumps_compact (json);
      /* "type" first, so that a reader sees at once what the line is. */
      g_string_append (w->b, "{\"type\":\"template\"");
      if (text[1] != '}')
        g_string_append_c (w->b, ',');
      g_string_append (w->b, text + 1);
      g_string_append_c (w->b, '\n');
    }

  stmt = _assay_project_prepare (project,
                                 "SELECT ext_id, name, kind FROM annotators ORDER BY ext_id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      begin_object (w);
      member_string (w, "type", "annotator");
      member_column_string (w, "id", stmt, 0);
      member_column_string (w, "name", stmt, 1);
      member_column_string (w, "kind", stmt, 2);
      end_object (w);
      g_string_append_c (w->b, '\n');
    }
  if (!done (w, stmt, rc, error))
    return FALSE;

  /* The source statement stays open while the per-source statements run;
   * it is a statement of its own, not one from the project's cache that a
   * nested call could reset. */
  {
    g_autoptr(sqlite3_stmt) sources = NULL;
    sqlite3 *db = _assay_project_get_db (project);

    if (sqlite3_prepare_v2 (db,
                            "SELECT id, ext_id, title, text, metadata,"
                            " EXISTS (SELECT 1 FROM segments g WHERE g.source_id = s.id)"
                            " FROM sources s ORDER BY id",
                            -1, &sources, NULL) != SQLITE_OK)
      return _assay_sqlite_error (db, error, NULL);

    while ((rc = sqlite3_step (sources)) == SQLITE_ROW)
      {
        if (!write_source (w, sources, error) ||
            !assay_export_sink_flush (sink, FALSE, error))
          return FALSE;
      }
    if (rc != SQLITE_DONE)
      return _assay_sqlite_error (db, error, NULL);
  }

  return TRUE;
}

static gboolean
write_native (AssayProject        *project,
              AssayExportOptions  *options,
              AssayExportSink     *sink,
              GError             **error)
{
  g_autoptr(GHashTable) candidates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                            NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Writer w = { project, sink, sink->buf, TRUE, candidates, names, NULL, 0 };
  gboolean ok = write_lines (project, sink, &w, error);

  g_clear_pointer (&w.suggested, g_ptr_array_unref);
  return ok;
}

const AssayExportFormat _assay_export_native = {
  "native",
  N_("Assay’s own JSONL: the template, annotators, sources, candidates and all judgments"),
  "jsonl",
  write_native,
  0,
  N_("Assay project"),
  N_("For moving a project: Assay imports it again, judgments and all."),
};
