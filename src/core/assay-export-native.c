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
#include "assay-project-private.h"
#include "assay-template.h"

typedef struct
{
  AssayProject    *project;
  AssayExportSink *sink;
  GString         *b;
  gboolean         first;     /* no member written yet in the current object */
  GHashTable      *candidates; /* row id -> ext id (borrowed from `names`) */
  GPtrArray       *names;
} Writer;

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

static gboolean
write_simple_judgments (Writer  *w,
                        gint64   source_id,
                        GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, i.status, i.created_at, i.updated_at, i.time_spent"
                             " FROM item_status i JOIN annotators a ON a.id = i.annotator_id"
                             " WHERE i.source_id = ?1 ORDER BY a.ext_id",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      begin_judgment (w, "status", _assay_column_text (stmt, 0));
      member_column_string (w, "status", stmt, 1);
      member_stamp (w, stmt, 2);
      end_object (w);
    }
  if (!done (w, stmt, rc, error))
    return FALSE;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, n.candidate_id, n.text, n.created_at,"
                             " n.updated_at, n.time_spent FROM notes n"
                             " JOIN annotators a ON a.id = n.annotator_id"
                             " LEFT JOIN candidates c ON c.id = n.candidate_id"
                             " WHERE n.source_id = ?1"
                             " ORDER BY coalesce (c.position, -1), a.ext_id",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      begin_judgment (w, "note", _assay_column_text (stmt, 0));
      if (sqlite3_column_int64 (stmt, 1) != 0)
        member_string (w, "candidate", candidate_name (w, sqlite3_column_int64 (stmt, 1)));
      member_column_string (w, "text", stmt, 2);
      member_stamp (w, stmt, 3);
      end_object (w);
    }
  if (!done (w, stmt, rc, error))
    return FALSE;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, c.ext_id, r.text, r.created_at, r.updated_at,"
                             " r.time_spent FROM corrections r"
                             " JOIN candidates c ON c.id = r.candidate_id"
                             " JOIN annotators a ON a.id = r.annotator_id"
                             " WHERE c.source_id = ?1 ORDER BY c.position, a.ext_id",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      begin_judgment (w, "correction", _assay_column_text (stmt, 0));
      member_column_string (w, "candidate", stmt, 1);
      member_column_string (w, "text", stmt, 2);
      member_stamp (w, stmt, 3);
      end_object (w);
    }
  if (!done (w, stmt, rc, error))
    return FALSE;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, ca.ext_id, cb.ext_id, p.winner, p.rationale,"
                             " p.created_at, p.updated_at, p.time_spent FROM comparisons p"
                             " JOIN annotators a ON a.id = p.annotator_id"
                             " JOIN candidates ca ON ca.id = p.candidate_a"
                             " JOIN candidates cb ON cb.id = p.candidate_b"
                             " WHERE p.source_id = ?1"
                             " ORDER BY a.ext_id, min (ca.position, cb.position),"
                             " max (ca.position, cb.position)",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      begin_judgment (w, "comparison", _assay_column_text (stmt, 0));
      member_column_string (w, "a", stmt, 1);
      member_column_string (w, "b", stmt, 2);
      member_column_string (w, "winner", stmt, 3);
      member_column_string (w, "rationale", stmt, 4);
      member_stamp (w, stmt, 5);
      end_object (w);
    }
  return done (w, stmt, rc, error);
}

/* Labels, scores and rankings are stored a row per choice; they go out as
 * one record per candidate (or source) and annotator, stamped with the
 * earliest creation and the latest change of its rows. A Group tracks the
 * record being written. */
typedef struct
{
  gboolean  open;
  gboolean  in_list;      /* a multi-choice label list is open inside */
  char     *key;          /* annotator and candidate of the open record */
  char     *created;
  char     *updated;
  double    time_spent;
} Group;

static void
group_clear (Group *g)
{
  g_clear_pointer (&g->key, g_free);
  g_clear_pointer (&g->created, g_free);
  g_clear_pointer (&g->updated, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Group, group_clear)

/* Closes the open record: its inner object, then its stamp. */
static void
group_close (Writer *w,
             Group  *g)
{
  if (!g->open)
    return;
  if (g->in_list)
    g_string_append_c (w->b, ']');
  g->in_list = FALSE;
  g_string_append_c (w->b, '}');
  member_string (w, "created", g->created);
  member_string (w, "updated", g->updated);
  key (w, "time_spent");
  assay_json_append_double (w->b, g->time_spent);
  end_object (w);
  g->open = FALSE;
}

/* Starts a new record when the row's annotator or candidate differ from the
 * open one's; returns TRUE if it did. The stamp is in columns col..col+2. */
static gboolean
group_update (Writer       *w,
              Group        *g,
              sqlite3_stmt *stmt,
              const char   *type,
              const char   *inner,
              gboolean      with_candidate,
              int           col)
{
  const char *annotator = _assay_column_text (stmt, 0);
  const char *candidate = with_candidate ? _assay_column_text (stmt, 1) : "";
  g_autofree char *row_key = g_strconcat (annotator, "\x1f", candidate, NULL);

  if (g->open && g_str_equal (g->key, row_key))
    return FALSE;

  group_close (w, g);
  g_free (g->key);
  g->key = g_steal_pointer (&row_key);
  g_free (g->created);
  g->created = g_strdup (_assay_column_text (stmt, col));
  g_free (g->updated);
  g->updated = g_strdup (_assay_column_text (stmt, col + 1));
  g->time_spent = sqlite3_column_double (stmt, col + 2);
  g->open = TRUE;

  begin_judgment (w, type, annotator);
  if (with_candidate)
    member_string (w, "candidate", candidate);
  key (w, inner);
  g_string_append_c (w->b, '{');
  return TRUE;
}

static gboolean
write_labels (Writer  *w,
              gint64   source_id,
              GError **error)
{
  g_auto(Group) g = { FALSE };
  sqlite3_stmt *stmt;
  gint64 set = -1;
  int rc;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, c.ext_id, min (l.created_at) OVER g,"
                             " max (l.updated_at) OVER g, max (l.time_spent) OVER g,"
                             " s.id, s.name, s.multi, o.name"
                             " FROM labels l JOIN candidates c ON c.id = l.candidate_id"
                             " JOIN annotators a ON a.id = l.annotator_id"
                             " JOIN label_options o ON o.id = l.option_id"
                             " JOIN label_sets s ON s.id = o.label_set_id"
                             " WHERE c.source_id = ?1"
                             " WINDOW g AS (PARTITION BY l.candidate_id, l.annotator_id)"
                             " ORDER BY c.position, a.ext_id, s.position, o.position",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 row_set = sqlite3_column_int64 (stmt, 5);

      if (group_update (w, &g, stmt, "labels", "labels", TRUE, 2))
        set = -1;

      if (row_set == set)
        {
          /* The next choice of a multi-choice set. */
          g_string_append_c (w->b, ',');
        }
      else
        {
          if (g.in_list)
            g_string_append_c (w->b, ']');
          if (set != -1)
            g_string_append_c (w->b, ',');
          set = row_set;
          assay_json_append_string (w->b, _assay_column_text (stmt, 6), -1);
          g_string_append_c (w->b, ':');
          g.in_list = sqlite3_column_int (stmt, 7) != 0;
          if (g.in_list)
            g_string_append_c (w->b, '[');
        }
      assay_json_append_string (w->b, _assay_column_text (stmt, 8), -1);
    }
  if (!done (w, stmt, rc, error))
    return FALSE;
  group_close (w, &g);
  return TRUE;
}

static gboolean
write_scores (Writer  *w,
              gint64   source_id,
              GError **error)
{
  g_auto(Group) g = { FALSE };
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, c.ext_id, min (s.created_at) OVER g,"
                             " max (s.updated_at) OVER g, max (s.time_spent) OVER g,"
                             " k.name, s.value, s.rationale"
                             " FROM scores s JOIN candidates c ON c.id = s.candidate_id"
                             " JOIN annotators a ON a.id = s.annotator_id"
                             " JOIN criteria k ON k.id = s.criterion_id"
                             " WHERE c.source_id = ?1"
                             " WINDOW g AS (PARTITION BY s.candidate_id, s.annotator_id)"
                             " ORDER BY c.position, a.ext_id, k.position",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean first_member;

      if (!group_update (w, &g, stmt, "scores", "scores", TRUE, 2))
        g_string_append_c (w->b, ',');
      assay_json_append_string (w->b, _assay_column_text (stmt, 5), -1);
      g_string_append_c (w->b, ':');

      first_member = w->first;
      begin_object (w);
      member_int (w, "score", sqlite3_column_int64 (stmt, 6));
      member_column_string (w, "rationale", stmt, 7);
      end_object (w);
      w->first = first_member;
    }
  if (!done (w, stmt, rc, error))
    return FALSE;
  group_close (w, &g);
  return TRUE;
}

static gboolean
write_rankings (Writer  *w,
                gint64   source_id,
                GError **error)
{
  g_auto(Group) g = { FALSE };
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_for_source (w,
                             "SELECT a.ext_id, NULL, min (r.created_at) OVER g,"
                             " max (r.updated_at) OVER g, max (r.time_spent) OVER g,"
                             " c.ext_id, r.rank"
                             " FROM rankings r JOIN candidates c ON c.id = r.candidate_id"
                             " JOIN annotators a ON a.id = r.annotator_id"
                             " WHERE r.source_id = ?1"
                             " WINDOW g AS (PARTITION BY r.annotator_id)"
                             " ORDER BY a.ext_id, r.rank, c.position",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!group_update (w, &g, stmt, "ranking", "ranks", FALSE, 2))
        g_string_append_c (w->b, ',');
      assay_json_append_string (w->b, _assay_column_text (stmt, 5), -1);
      g_string_append_c (w->b, ':');
      assay_json_append_int (w->b, sqlite3_column_int64 (stmt, 6));
    }
  if (!done (w, stmt, rc, error))
    return FALSE;
  group_close (w, &g);
  return TRUE;
}

static gboolean
write_spans (Writer  *w,
             gint64   source_id,
             GError **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Spans are written in two passes because each needs a second query for
   * its evidence, and a statement cannot be reused while it is stepping. */
  stmt = prepare_for_source (w,
                             "SELECT p.id, a.ext_id, c.ext_id, p.start, p.end,"
                             " substr (c.text, p.start + 1, p.end - p.start), s.name, o.name,"
                             " p.note, p.created_at, p.updated_at, p.time_spent"
                             " FROM spans p JOIN candidates c ON c.id = p.candidate_id"
                             " JOIN annotators a ON a.id = p.annotator_id"
                             " LEFT JOIN label_options o ON o.id = p.option_id"
                             " LEFT JOIN label_sets s ON s.id = o.label_set_id"
                             " WHERE c.source_id = ?1"
                             " ORDER BY c.position, a.ext_id, p.start, p.end,"
                             " s.position, o.position",
                             source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GString) b = g_string_new (NULL);
      GString *saved = w->b;
      gint64 id = sqlite3_column_int64 (stmt, 0);

      /* Everything up to the evidence, kept until the evidence is known. */
      w->b = b;
      begin_object (w);
      member_string (w, "type", "span");
      member_column_string (w, "annotator", stmt, 1);
      member_column_string (w, "candidate", stmt, 2);
      member_int (w, "start", sqlite3_column_int64 (stmt, 3));
      member_int (w, "end", sqlite3_column_int64 (stmt, 4));
      member_column_string (w, "text", stmt, 5);
      member_column_string (w, "label_set", stmt, 6);
      member_column_string (w, "label", stmt, 7);
      member_column_string (w, "note", stmt, 8);
      member_stamp (w, stmt, 9);
      w->b = saved;

      g_array_append_val (ids, id);
      g_ptr_array_add (records, g_string_free (g_steal_pointer (&b), FALSE));
    }
  if (!done (w, stmt, rc, error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      gboolean any = FALSE;

      if (w->b->str[w->b->len - 1] != '[')
        g_string_append_c (w->b, ',');
      g_string_append (w->b, g_ptr_array_index (records, i));

      stmt = _assay_project_prepare (w->project,
                                     "SELECT start, end FROM span_evidence WHERE span_id = ?"
                                     " ORDER BY start, end",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_string_append (w->b, any ? ",{\"start\":" : ",\"evidence\":[{\"start\":");
          assay_json_append_int (w->b, sqlite3_column_int64 (stmt, 0));
          g_string_append (w->b, ",\"end\":");
          assay_json_append_int (w->b, sqlite3_column_int64 (stmt, 1));
          g_string_append_c (w->b, '}');
          any = TRUE;
        }
      if (!done (w, stmt, rc, error))
        return FALSE;
      g_string_append (w->b, any ? "]}" : "}");
    }
  return TRUE;
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
  if (!write_simple_judgments (w, source_id, error) ||
      !write_labels (w, source_id, error) ||
      !write_spans (w, source_id, error) ||
      !write_scores (w, source_id, error) ||
      !write_rankings (w, source_id, error))
    return FALSE;

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

static gboolean
write_native (AssayProject        *project,
              AssayExportOptions  *options,
              AssayExportSink     *sink,
              GError             **error)
{
  g_autoptr(GHashTable) candidates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                            NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Writer w = { project, sink, sink->buf, TRUE, candidates, names };
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
      g_string_append (w.b, "{\"type\":\"template\"");
      if (text[1] != '}')
        g_string_append_c (w.b, ',');
      g_string_append (w.b, text + 1);
      g_string_append_c (w.b, '\n');
    }

  stmt = _assay_project_prepare (project,
                                 "SELECT ext_id, name, kind FROM annotators ORDER BY ext_id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      begin_object (&w);
      member_string (&w, "type", "annotator");
      member_column_string (&w, "id", stmt, 0);
      member_column_string (&w, "name", stmt, 1);
      member_column_string (&w, "kind", stmt, 2);
      end_object (&w);
      g_string_append_c (w.b, '\n');
    }
  if (!done (&w, stmt, rc, error))
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
        if (!write_source (&w, sources, error) ||
            !assay_export_sink_flush (sink, FALSE, error))
          return FALSE;
      }
    if (rc != SQLITE_DONE)
      return _assay_sqlite_error (db, error, NULL);
  }

  return TRUE;
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
