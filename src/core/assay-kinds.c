/* assay-kinds.c: the list of judgment kinds, and what follows from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statements that must cover every kind (clearing an annotator's work
 * on a source, its latest change, who judged a source, how many records a
 * project holds, loading an item) are made here from the descriptions, so
 * that no list of tables is kept by hand anywhere else.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-json.h"
#include "assay-kind-private.h"
#include "assay-kinds-list.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"
#include "assay-stats-private.h"

#define X(name) extern const AssayKind _assay_kind_##name;
ASSAY_KINDS
#undef X

#define X(name) &_assay_kind_##name,
static const AssayKind * const kinds[] = { ASSAY_KINDS };
#undef X

const AssayKind * const *
_assay_kinds (guint *n_kinds)
{
  *n_kinds = G_N_ELEMENTS (kinds);
  return kinds;
}

const AssayKind *
_assay_kind_lookup (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i]->type, type) == 0)
      return kinds[i];
  return NULL;
}

static const AssayKind *kind_or_error (const char  *type,
                                       GError     **error);

/* Statements made once from the list, for the life of the process. */
typedef struct
{
  char       *types;
  char       *last_update;
  char       *annotators;
  char       *count;
  GPtrArray  *clear;
  GPtrArray  *clear_candidate;  /* ?3: the candidate */
  AssayKindStats *judged;       /* per kind, for kinds without statistics */
} Made;

/* The rows of a kind that belong to source ?1 (and annotator ?2 when
 * `annotator`), under the alias `t`. */
static void
append_rows_of_source (GString         *sql,
                       const AssayKind *kind,
                       const char      *column,
                       gboolean         annotator)
{
  if (kind->scope == ASSAY_KIND_OF_SOURCE)
    g_string_append_printf (sql, "SELECT t.%s FROM %s t WHERE t.source_id = ?1", column,
                            kind->table);
  else
    /* Candidates first: projects carry no planner statistics, and SQLite
     * would otherwise pick an index on the annotator, which holds every
     * judgment that person ever made, over a source's few rows. */
    g_string_append_printf (sql, "SELECT t.%s FROM candidates c CROSS JOIN %s t"
                            " ON t.candidate_id = c.id WHERE c.source_id = ?1",
                            column, kind->table);
  if (annotator)
    g_string_append (sql, " AND t.annotator_id = ?2");
}

static Made *
make (int format)
{
  Made *m = g_new0 (Made, 1);
  GString *types = g_string_new (NULL);
  GString *last = g_string_new ("SELECT max (u) FROM (");
  GString *who = g_string_new (NULL);
  GString *count = g_string_new ("SELECT 0");
  guint n = 0;

  m->clear = g_ptr_array_new ();
  m->clear_candidate = g_ptr_array_new ();
  m->judged = g_new0 (AssayKindStats, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const AssayKind *kind = kinds[i];

      g_string_append_printf (types, "%s%s", i > 0 ? ", " : "", kind->type);

      /* A kind newer than the file is not in it: its statements are left
       * out (the clear statements keep their places, NULL). */
      if (kind->since > format)
        {
          g_ptr_array_add (m->clear, NULL);
          g_ptr_array_add (m->clear_candidate, NULL);
          continue;
        }

      if (n > 0)
        g_string_append (last, " UNION ALL ");
      append_rows_of_source (last, kind, "updated_at AS u", TRUE);

      if (n > 0)
        g_string_append (who, " UNION ");
      append_rows_of_source (who, kind, "annotator_id", FALSE);
      if (kind->present != NULL)
        g_string_append_printf (who, " AND t.%s", kind->present);
      n++;

      if (kind->stats == NULL && kind->scope == ASSAY_KIND_OF_CANDIDATE)
        {
          m->judged[i].every_source = g_strdup_printf ("SELECT candidate_id, annotator_id FROM %s",
                                                       kind->table);
          m->judged[i].one_source = g_strdup_printf ("SELECT t.candidate_id, t.annotator_id"
                                                     " FROM candidates c CROSS JOIN %s t"
                                                     " ON t.candidate_id = c.id"
                                                     " WHERE c.source_id = ?1", kind->table);
          m->judged[i].row = _assay_stats_row_judged;
        }

      if (kind->counted != NULL)
        g_string_append_printf (count, " + (SELECT count(*) FROM (SELECT DISTINCT %s FROM %s))",
                                kind->counted, kind->table);
      else
        g_string_append_printf (count, " + (SELECT count(*) FROM %s)", kind->table);

      if (kind->scope == ASSAY_KIND_OF_SOURCE)
        {
          g_ptr_array_add (m->clear,
                           g_strdup_printf ("DELETE FROM %s WHERE source_id = ?1"
                                            " AND annotator_id = ?2", kind->table));
          g_ptr_array_add (m->clear_candidate,
                           g_strdup_printf ("DELETE FROM %s WHERE source_id = ?1"
                                            " AND annotator_id = ?2 AND candidate_id = ?3",
                                            kind->table));
        }
      else
        {
          g_ptr_array_add (m->clear,
                           g_strdup_printf ("DELETE FROM %s WHERE annotator_id = ?2"
                                            " AND candidate_id IN (SELECT id FROM candidates"
                                            " WHERE source_id = ?1)", kind->table));
          g_ptr_array_add (m->clear_candidate,
                           g_strdup_printf ("DELETE FROM %s WHERE annotator_id = ?2"
                                            " AND candidate_id = ?3 AND candidate_id IN"
                                            " (SELECT id FROM candidates WHERE source_id = ?1)",
                                            kind->table));
        }
    }
  g_string_append_c (last, ')');

  m->types = g_string_free (types, FALSE);
  m->last_update = g_string_free (last, FALSE);
  g_string_prepend (who, "SELECT a.id, a.ext_id, a.name, a.kind FROM annotators a WHERE a.id IN (");
  g_string_append (who, ")" ASSAY_ANNOTATOR_ORDER);
  m->annotators = g_string_free (who, FALSE);
  m->count = g_string_free (count, FALSE);
  return m;
}

/* The statements for a file of the given format, made once each. */
static const Made *
made_for (int format)
{
  static GMutex lock;
  static Made **by_format;
  static int n_formats;
  Made *m;

  g_mutex_lock (&lock);
  if (by_format == NULL)
    {
      n_formats = ASSAY_SCHEMA_VERSION + 1;
      by_format = g_new0 (Made *, n_formats);
    }
  format = CLAMP (format, 1, n_formats - 1);
  if (by_format[format] == NULL)
    by_format[format] = make (format);
  m = by_format[format];
  g_mutex_unlock (&lock);
  return m;
}

static const Made *
made (AssayProject *project)
{
  return made_for (_assay_project_get_format (project));
}

/* The kind's place in the list, and in the statements made from it. */
static guint
kind_index (const AssayKind *kind)
{
  guint index = 0;

  while (kinds[index] != kind)
    index++;
  return index;
}

const AssayKindStats *
_assay_kind_stats (const AssayKind *kind,
                   AssayProject    *project)
{
  const Made *m;
  guint index;

  if (!_assay_kind_in_project (kind, project))
    return NULL;
  if (kind->stats != NULL)
    return kind->stats;
  m = made (project);
  index = kind_index (kind);
  return m->judged[index].row != NULL ? &m->judged[index] : NULL;
}

gboolean
_assay_kind_in_project (const AssayKind *kind,
                        AssayProject    *project)
{
  return kind->since <= _assay_project_get_format (project);
}

const char *
_assay_kinds_type_list (void)
{
  return made_for (ASSAY_SCHEMA_VERSION)->types;
}

const char *
_assay_kinds_last_update_sql (AssayProject *project)
{
  return made (project)->last_update;
}

const char *
_assay_kinds_annotators_sql (AssayProject *project)
{
  return made (project)->annotators;
}

const char *
_assay_kinds_count_sql (AssayProject *project)
{
  return made (project)->count;
}

gboolean
_assay_kinds_clear (AssayProject  *project,
                    gint64         source_id,
                    gint64         annotator_id,
                    GError       **error)
{
  const Made *m = made (project);

  if (!assay_project_begin (project, error))
    return FALSE;
  for (guint i = 0; i < m->clear->len; i++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (g_ptr_array_index (m->clear, i) == NULL)
        continue;
      stmt = _assay_project_prepare (project, g_ptr_array_index (m->clear, i), error);
      if (stmt == NULL)
        {
          assay_project_rollback (project);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, annotator_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
          assay_project_rollback (project);
          return FALSE;
        }
    }
  return assay_project_commit (project, error);
}

static gboolean
load_kind (AssayProject     *project,
           AssayItem        *item,
           const AssayKind  *kind,
           GError          **error)
{
  /* A kind newer than the file has nothing in it. */
  if (!_assay_kind_in_project (kind, project))
    {
      if (kind->load == NULL)
        g_hash_table_replace (item->records, (gpointer) kind->type, g_strdup ("[]"));
      return TRUE;
    }
  /* A kind without a field of its own in AssayItem goes in as records. */
  if (kind->load == NULL)
    {
      char *records = assay_project_dup_records (project, item->source_id, item->annotator_id,
                                                 kind->type, 0, error);

      if (records == NULL)
        return FALSE;
      g_hash_table_replace (item->records, (gpointer) kind->type, records);
      return TRUE;
    }
  for (const AssayKindLoad *load = kind->load; load->sql != NULL; load++)
    {
      sqlite3_stmt *stmt = _assay_project_prepare (project, load->sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item->source_id);
      sqlite3_bind_int64 (stmt, 2, item->annotator_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        load->row (item, stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
    }
  return TRUE;
}

gboolean
assay_project_reload_item_kind (AssayProject  *project,
                                AssayItem     *item,
                                const char    *type,
                                GError       **error)
{
  const AssayKind *kind;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if ((kind = kind_or_error (type, error)) == NULL)
    return FALSE;
  if (kind->clear_item != NULL)
    kind->clear_item (item);
  return load_kind (project, item, kind, error);
}

gboolean
_assay_kinds_load_item (AssayProject  *project,
                        AssayItem     *item,
                        GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (!load_kind (project, item, kinds[i], error))
      return FALSE;
  return TRUE;
}

/* ---- reading records ---- */

gboolean
_assay_kind_check_members (const AssayKind  *kind,
                           AssayKindRecord  *record,
                           GError          **error)
{
  static const char * const common[] = {
    "type", "source", "annotator", "created", "updated", "time_spent", "candidate",
    "suggestion", NULL
  };
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  for (guint i = 0; common[i] != NULL; i++)
    if (kind->candidate != ASSAY_KIND_NO_CANDIDATE || !g_str_equal (common[i], "candidate"))
      g_ptr_array_add (keys, (gpointer) common[i]);
  for (guint i = 0; kind->members[i] != NULL; i++)
    g_ptr_array_add (keys, (gpointer) kind->members[i]);
  g_ptr_array_add (keys, NULL);
  return _assay_reader_check_keys (record->r, record->object, record->prefix,
                                   (const char * const *) keys->pdata, error);
}

gboolean
_assay_kind_read_record (const AssayKind  *kind,
                         AssayKindRecord  *record,
                         GError          **error)
{
  if (kind->candidate == ASSAY_KIND_CANDIDATE ||
      (kind->candidate == ASSAY_KIND_CANDIDATE_OPTIONAL &&
       assay_json_object_get (record->r->doc, record->object, "candidate") != 0))
    {
      if (!_assay_kind_candidate_ref (record, "candidate", &record->candidate_id, error))
        return FALSE;
    }
  return kind->read (record, error);
}

gboolean
_assay_kind_fail_with (AssayKindRecord  *record,
                       guint             node,
                       const char       *path,
                       GError           *local_error,
                       GError          **error)
{
  gboolean ret = _assay_reader_fail (record->r, node, path, error, "%s", local_error->message);

  g_error_free (local_error);
  return ret;
}

gboolean
_assay_kind_candidate_ref (AssayKindRecord  *record,
                           const char       *key,
                           gint64           *candidate_id,
                           GError          **error)
{
  g_autofree char *id = NULL;
  g_autofree char *path = _assay_reader_path (record->prefix, key);

  if (!_assay_reader_string (record->r, record->object, record->prefix, key, TRUE, &id, error))
    return FALSE;
  *candidate_id = assay_project_lookup_candidate (record->project, record->source_id, id);
  if (*candidate_id == 0)
    {
      *record->unresolved = TRUE;
      return _assay_kind_fail (record, assay_json_object_get (record->r->doc, record->object, key),
                               path, error, _("source “%s” has no candidate “%s”"),
                               record->source_ext, id);
    }
  return TRUE;
}

char *
_assay_kind_dup_text (sqlite3_stmt *stmt,
                      int           col)
{
  const char *text = _assay_column_text (stmt, col);

  return text != NULL ? g_strdup (text) : NULL;
}

/* ---- grouped records ---- */

void
_assay_kind_group_clear (AssayKindGroup *g)
{
  g_clear_pointer (&g->key, g_free);
  g_clear_pointer (&g->created, g_free);
  g_clear_pointer (&g->updated, g_free);
}

void
_assay_kind_group_close (AssayKindWriter *w,
                         AssayKindGroup  *g)
{
  GString *b = _assay_kind_writer_buffer (w);

  if (!g->open)
    return;
  if (g->in_list)
    g_string_append_c (b, ']');
  g->in_list = FALSE;
  g_string_append_c (b, '}');
  _assay_kind_writer_string (w, "created", g->created);
  _assay_kind_writer_string (w, "updated", g->updated);
  _assay_kind_writer_key (w, "time_spent");
  assay_json_append_double (b, g->time_spent);
  _assay_kind_writer_end (w);
  g->open = FALSE;
}

gboolean
_assay_kind_group_update (AssayKindWriter *w,
                          AssayKindGroup  *g,
                          sqlite3_stmt    *stmt,
                          const char      *type,
                          const char      *inner,
                          gboolean         with_candidate,
                          int              col)
{
  const char *annotator = _assay_column_text (stmt, 0);
  const char *candidate = with_candidate ? _assay_column_text (stmt, 1) : "";
  g_autofree char *row_key = g_strconcat (annotator, "\x1f", candidate, NULL);

  if (g->open && g_str_equal (g->key, row_key))
    return FALSE;

  _assay_kind_group_close (w, g);
  g_free (g->key);
  g->key = g_steal_pointer (&row_key);
  g_free (g->created);
  g->created = g_strdup (_assay_column_text (stmt, col));
  g_free (g->updated);
  g->updated = g_strdup (_assay_column_text (stmt, col + 1));
  g->time_spent = sqlite3_column_double (stmt, col + 2);
  g->open = TRUE;

  _assay_kind_writer_begin (w, type, annotator);
  if (with_candidate)
    _assay_kind_writer_string (w, "candidate", candidate);
  _assay_kind_writer_key (w, inner);
  g_string_append_c (_assay_kind_writer_buffer (w), '{');
  return TRUE;
}

/* ---- any kind, through its record ---- */

const char * const *
assay_judgment_types (void)
{
  static const char **types;

  if (g_once_init_enter (&types))
    {
      const char **list = g_new0 (const char *, G_N_ELEMENTS (kinds) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        list[i] = kinds[i]->type;
      g_once_init_leave (&types, list);
    }
  return types;
}

static const AssayKind *
kind_or_error (const char  *type,
               GError     **error)
{
  const AssayKind *kind = _assay_kind_lookup (type);

  if (kind == NULL)
    g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                 _("unknown judgment type “%s” (known: %s)"), type ? type : "",
                 _assay_kinds_type_list ());
  return kind;
}

/* The external id of a row, or NULL: `sql` takes the row id as ?1 (and
 * `parent` as ?2 when it is not 0). */
static char *
ext_id_of (AssayProject *project,
           const char   *sql,
           gint64        id,
           gint64        parent)
{
  sqlite3_stmt *stmt = _assay_project_prepare (project, sql, NULL);
  char *ext = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (parent != 0)
    sqlite3_bind_int64 (stmt, 2, parent);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ext = _assay_kind_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return ext;
}

#define annotator_ext_id(project, id) \
  ext_id_of ((project), "SELECT ext_id FROM annotators WHERE id = ?1", (id), 0)
#define source_ext_id(project, id) \
  ext_id_of ((project), "SELECT ext_id FROM sources WHERE id = ?1", (id), 0)
#define candidate_ext_id(project, source_id, id) \
  ext_id_of ((project), "SELECT ext_id FROM candidates WHERE id = ?1 AND source_id = ?2", (id), \
             (source_id))

/* Saves one record, the template and the source's id already at hand.
 * `type`, when not NULL, is the only kind the record may be. */
static gboolean
save_record (AssayProject      *self,
             AssayTemplate     *tmpl,
             const char        *source_ext,
             gint64             source_id,
             gint64             annotator_id,
             const char        *type_wanted,
             const char        *text,
             const AssayStamp  *stamp,
             GError           **error)
{
  static const AssayStamp now = ASSAY_STAMP_INIT;
  AssayJsonDoc doc;
  AssayJsonError json_error;
  AssayJsonReader r = { &doc, _("the judgment"), 0 };
  AssayKindRecord record = { 0 };
  AssayStamp own;
  g_autofree char *type = NULL;
  g_autofree char *created_raw = NULL;
  g_autofree char *updated_raw = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  const AssayKind *kind;
  gboolean ok = FALSE;

  own = stamp != NULL ? *stamp : now;
  assay_json_doc_init (&doc);
  if (!assay_json_parse (&doc, text, strlen (text), ASSAY_JSON_DEFAULT_MAX_DEPTH, &json_error))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("The judgment is not valid JSON at column %zu: %s"), json_error.column,
                   json_error.message);
      goto out;
    }
  if (!_assay_reader_expect (&r, 0, NULL, ASSAY_JSON_OBJECT, error) ||
      !_assay_reader_string (&r, 0, NULL, "type", TRUE, &type, error) ||
      (kind = kind_or_error (type, error)) == NULL)
    goto out;
  if (type_wanted != NULL && !g_str_equal (type, type_wanted))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("A judgment of type “%s” is among the records of type “%s”"), type,
                   type_wanted);
      goto out;
    }

  record.project = self;
  record.tmpl = tmpl;
  record.r = &r;
  record.object = 0;
  record.source_id = source_id;
  record.source_ext = source_ext;
  record.annotator_id = annotator_id;
  record.stamp = &own;
  record.unresolved = &(gboolean) { FALSE };
  if (!_assay_kind_check_members (kind, &record, error) ||
      !_assay_reader_string (&r, 0, NULL, "created", FALSE, &created_raw, error) ||
      !_assay_reader_string (&r, 0, NULL, "updated", FALSE, &updated_raw, error) ||
      !_assay_reader_double (&r, 0, NULL, "time_spent", FALSE, &own.time_spent, error))
    goto out;
  if ((created_raw != NULL && (created = assay_normalize_iso8601 (created_raw)) == NULL) ||
      (updated_raw != NULL && (updated = assay_normalize_iso8601 (updated_raw)) == NULL))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("“%s” is not an ISO 8601 time such as 2026-11-24T09:15:02Z"),
                   created == NULL && created_raw != NULL ? created_raw : updated_raw);
      goto out;
    }
  if (created != NULL)
    own.created_at = created;
  if (updated != NULL || created != NULL)
    own.updated_at = updated != NULL ? updated : created;
  ok = _assay_kind_read_record (kind, &record, error) &&
       _assay_suggest_import_provenance (self, &r, 0, NULL, annotator_id, record.candidate_id,
                                         own.created_at, error);

out:
  assay_json_doc_clear (&doc);
  return ok;
}

/* What every record of a source is read against. */
static gboolean
record_context (AssayProject    *self,
                gint64           source_id,
                AssayTemplate  **tmpl,
                char           **source_ext,
                GError         **error)
{
  *source_ext = source_ext_id (self, source_id);
  if (*source_ext == NULL)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND, _("The item is not in the project"));
      return FALSE;
    }
  *tmpl = assay_project_load_template (self, error);
  return *tmpl != NULL;
}

gboolean
assay_project_save_record (AssayProject      *self,
                           gint64             source_id,
                           gint64             annotator_id,
                           const char        *text,
                           const AssayStamp  *stamp,
                           GError           **error)
{
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *source_ext = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  return record_context (self, source_id, &tmpl, &source_ext, error) &&
         save_record (self, tmpl, source_ext, source_id, annotator_id, NULL, text, stamp, error);
}

gboolean
assay_project_replace_records (AssayProject      *self,
                               gint64             source_id,
                               gint64             annotator_id,
                               const char        *type,
                               gint64             candidate_id,
                               const char        *records,
                               const AssayStamp  *stamp,
                               GError           **error)
{
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *source_ext = NULL;
  json_error_t json_error;
  json_t *list, *record;
  gboolean ok;
  gsize i;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (type != NULL && records != NULL, FALSE);

  list = json_loads (records, 0, &json_error);
  if (list == NULL || !json_is_array (list))
    {
      g_clear_pointer (&list, json_decref);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("The judgments are not a JSON array of records"));
      return FALSE;
    }
  ok = record_context (self, source_id, &tmpl, &source_ext, error) &&
       assay_project_begin (self, error);
  if (!ok)
    {
      json_decref (list);
      return FALSE;
    }
  ok = assay_project_clear_records (self, source_id, annotator_id, type, candidate_id, error);
  json_array_foreach (list, i, record)
    {
      g_autofree char *text = NULL;

      if (!ok)
        break;
      text = json_dumps (record, JSON_COMPACT | JSON_ENCODE_ANY);
      ok = save_record (self, tmpl, source_ext, source_id, annotator_id, type, text, stamp, error);
    }
  json_decref (list);
  if (!ok)
    {
      assay_project_rollback (self);
      return FALSE;
    }
  return assay_project_commit (self, error);
}

/* Whether a record (a json object) belongs to the annotator and, when a
 * candidate is given and the kind names candidates, names that one. */
static gboolean
record_matches (const AssayKind *kind,
                json_t          *record,
                const char      *annotator,
                const char      *candidate)
{
  if (g_strcmp0 (json_string_value (json_object_get (record, "annotator")), annotator) != 0)
    return FALSE;
  if (candidate == NULL || kind->candidate == ASSAY_KIND_NO_CANDIDATE)
    return TRUE;
  return g_strcmp0 (json_string_value (json_object_get (record, "candidate")), candidate) == 0;
}

char *
assay_project_dup_records (AssayProject  *self,
                           gint64         source_id,
                           gint64         annotator_id,
                           const char    *type,
                           gint64         candidate_id,
                           GError       **error)
{
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *annotator = NULL;
  g_autofree char *candidate = NULL;
  json_t *parsed, *kept;
  json_error_t json_error;
  const AssayKind *kind;
  char *text;
  gsize i;
  json_t *record;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  if ((kind = kind_or_error (type, error)) == NULL)
    return NULL;
  if (!_assay_kind_in_project (kind, self))
    return g_strdup ("[]");
  if (!_assay_kind_write_records (kind, self, source_id, all, error))
    return NULL;
  annotator = annotator_ext_id (self, annotator_id);
  if (candidate_id != 0)
    candidate = candidate_ext_id (self, source_id, candidate_id);

  parsed = json_loadb (all->str, all->len, JSON_DECODE_ANY, &json_error);
  g_assert (parsed != NULL);
  kept = json_array ();
  json_array_foreach (parsed, i, record)
    if (annotator != NULL && record_matches (kind, record, annotator, candidate))
      json_array_append (kept, record);
  text = json_dumps (kept, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref (parsed);
  json_decref (kept);
  return text;
}

gboolean
assay_project_clear_records (AssayProject  *self,
                             gint64         source_id,
                             gint64         annotator_id,
                             const char    *type,
                             gint64         candidate_id,
                             GError       **error)
{
  gboolean one_candidate;
  const AssayKind *kind;
  const char *sql;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  if ((kind = kind_or_error (type, error)) == NULL)
    return FALSE;
  /* A kind newer than the file has nothing in it to remove. */
  if (!_assay_kind_in_project (kind, self))
    return TRUE;
  one_candidate = candidate_id != 0 && kind->candidate != ASSAY_KIND_NO_CANDIDATE;
  sql = g_ptr_array_index (one_candidate ? made (self)->clear_candidate : made (self)->clear,
                           kind_index (kind));
  stmt = _assay_project_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (one_candidate)
    sqlite3_bind_int64 (stmt, 3, candidate_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
  return TRUE;
}
