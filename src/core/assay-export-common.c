/* assay-export-common.c: reading a project for the dataset writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speed matters here: a project can hold tens of thousands of sources of
 * several thousand words each. So each table is read with one query,
 * ordered by source id, and the queries are walked in step (a merge join)
 * instead of being run once per source; strings that must outlive a row
 * are copied into one arena that is emptied per source; and JSON is
 * written straight into the sink's buffer with the core's escaper, never
 * through a tree of jansson values.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-export-common-private.h"
#include "assay-json.h"
#include "assay-project-private.h"

#define DEFAULT_PROMPT_TEMPLATE "Summarise the following.\n\n{{text}}"

typedef enum
{
  TABLE_CANDIDATES,
  TABLE_CORRECTIONS,
  TABLE_RANKS,
  TABLE_COMPARISONS,
  TABLE_LABELS,
  TABLE_SCORES,
  N_TABLES
} Table;

/* Every judgment query starts with these columns. */
enum
{
  COL_SOURCE,
  COL_CANDIDATE,
  COL_ANNOTATOR,
  COL_CREATED,
  COL_UPDATED,
  COL_TIME_SPENT,
  COL_FIRST_OWN,
};

/* Ordered by source only: within a source the rows are sorted in C, which
 * is cheaper than having SQLite sort whole tables, texts and all. */
static const char * const table_sql[N_TABLES] = {
  "SELECT source_id, id, ext_id, model, text, position FROM candidates ORDER BY source_id",
  "SELECT c.source_id, r.candidate_id, r.annotator_id, r.created_at, r.updated_at, r.time_spent,"
  " r.text FROM corrections r JOIN candidates c ON c.id = r.candidate_id ORDER BY c.source_id",
  "SELECT source_id, candidate_id, annotator_id, created_at, updated_at, time_spent, rank"
  " FROM rankings ORDER BY source_id",
  "SELECT source_id, candidate_a, annotator_id, created_at, updated_at, time_spent,"
  " candidate_b, winner, rationale FROM comparisons ORDER BY source_id",
  "SELECT c.source_id, l.candidate_id, l.annotator_id, l.created_at, l.updated_at, l.time_spent,"
  " l.option_id FROM labels l JOIN candidates c ON c.id = l.candidate_id ORDER BY c.source_id",
  "SELECT c.source_id, s.candidate_id, s.annotator_id, s.created_at, s.updated_at, s.time_spent,"
  " s.criterion_id, s.value, s.rationale FROM scores s JOIN candidates c ON c.id = s.candidate_id"
  " ORDER BY c.source_id",
};

static const char candidates_sql_no_text[] =
  "SELECT source_id, id, ext_id, model, NULL, position FROM candidates ORDER BY source_id";

static const char sources_sql[] =
  "SELECT id, ext_id, title, text, metadata, created_at FROM sources ORDER BY id";
static const char sources_sql_no_text[] =
  "SELECT id, ext_id, title, NULL, metadata, created_at FROM sources ORDER BY id";

typedef struct
{
  sqlite3_stmt *stmt;
  int           rc;       /* SQLITE_ROW while on a row */
} Cursor;

typedef struct
{
  AssayLabelSet    *set;
  AssayLabelOption *option;
  guint             set_index;
  guint             option_index;
} OptionRef;

typedef struct
{
  AssayCriterion *criterion;
  guint           index;
} CriterionRef;

typedef enum
{
  PIECE_LITERAL,
  PIECE_TEXT,
  PIECE_TITLE,
  PIECE_ID,
} PieceKind;

typedef struct
{
  PieceKind   kind;
  const char *str;      /* PIECE_LITERAL: into ctx->prompt_template */
  gsize       len;
} Piece;

struct _AssayExportContext
{
  AssayProject       *project;
  AssayExportOptions *options;
  AssayExportSink    *sink;
  AssayExportNeeds    needs;
  AssayTemplate      *tmpl;
  sqlite3            *db;

  GPtrArray          *annotators;        /* AssayExportAnnotator, owned */
  GHashTable         *annotators_by_id;  /* &id -> AssayExportAnnotator */
  GHashTable         *options_by_id;     /* &id -> OptionRef */
  GHashTable         *criteria_by_id;    /* &id -> CriterionRef */

  /* Filters. */
  GHashTable         *status_sources;    /* source ids that pass --status; NULL: all */
  const GPtrArray    *models;            /* NULL or empty: all */
  GPtrArray          *label_filters;     /* OptionRef *, from --label */
  gboolean            splitting;

  /* The gold rule. */
  AssayLabelOption   *accept_option;
  AssayLabelSet      *accept_set;

  sqlite3_stmt       *sources;
  Cursor              cursors[N_TABLES];
  GStringChunk       *chunk;
  AssayExportItem     item;
  gboolean            finished;

  /* The prompt. */
  char               *prompt_template;
  GArray             *pieces;            /* Piece */
  GString            *system_message;    /* {"role":"system",...}, or empty */
  GString            *prompt_string;     /* caches for the current item */
  GString            *prompt_messages;
  gint64              prompt_string_for;
  gint64              prompt_messages_for;

  GString            *template_members;
  GPtrArray          *gold_annotators;
  GArray             *scratch_sum;       /* double per candidate */
  GArray             *scratch_count;     /* guint per candidate */
};

/* ---- small writers ---- */

/* assay_json_append_string writes a whole literal, quotes and all. To
 * continue a literal that is already open, the byte before the insertion
 * point is set aside, the literal is appended so that its opening quote
 * lands on that byte, the byte is put back, and the closing quote is
 * dropped: the text is escaped in place, in one pass, with no copy. */
void
_assay_export_append_escaped (GString    *out,
                              const char *str,
                              gssize      len)
{
  gsize at = out->len;
  char saved;

  g_assert (at > 0);

  saved = out->str[at - 1];
  g_string_truncate (out, at - 1);
  assay_json_append_string (out, str, len);
  out->str[at - 1] = saved;
  g_string_truncate (out, out->len - 1);
}

void
_assay_export_append_nullable (GString    *out,
                               const char *str)
{
  if (str == NULL)
    g_string_append (out, "null");
  else
    assay_json_append_string (out, str, -1);
}

/* ---- setting up ---- */

static void
annotator_free (gpointer data)
{
  AssayExportAnnotator *a = data;

  g_free (a->ext_id);
  g_free (a->name);
  g_free (a);
}

static int
compare_annotators_by_ext_id (gconstpointer a,
                              gconstpointer b)
{
  const AssayExportAnnotator *x = *(AssayExportAnnotator * const *) a;
  const AssayExportAnnotator *y = *(AssayExportAnnotator * const *) b;

  return strcmp (x->ext_id, y->ext_id);
}

static gboolean
load_annotators (AssayExportContext  *ctx,
                 GError             **error)
{
  const GPtrArray *wanted = _assay_export_options_get_annotators (ctx->options);
  gboolean adjudicated_only = _assay_export_options_get_adjudicated_only (ctx->options);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (ctx->db, "SELECT id, ext_id, name, kind FROM annotators", -1, &stmt,
                          NULL) != SQLITE_OK)
    return _assay_sqlite_error (ctx->db, error, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayExportAnnotator *a = g_new0 (AssayExportAnnotator, 1);
      AssayAnnotatorKind kind = ASSAY_ANNOTATOR_PERSON;

      a->id = sqlite3_column_int64 (stmt, 0);
      a->ext_id = g_strdup (_assay_column_text (stmt, 1));
      a->name = g_strdup (_assay_column_text (stmt, 2));
      assay_annotator_kind_from_string (_assay_column_text (stmt, 3), &kind);
      a->kind = kind;
      a->in_scope = (!adjudicated_only || kind == ASSAY_ANNOTATOR_ADJUDICATOR) &&
                    _assay_export_options_counts_kind (ctx->options, kind);
      g_ptr_array_add (ctx->annotators, a);
    }
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (ctx->db, error, NULL);

  g_ptr_array_sort (ctx->annotators, compare_annotators_by_ext_id);
  for (guint i = 0; i < ctx->annotators->len; i++)
    {
      AssayExportAnnotator *a = g_ptr_array_index (ctx->annotators, i);

      a->order = i;
      g_hash_table_insert (ctx->annotators_by_id, &a->id, a);
    }

  if (wanted != NULL && wanted->len > 0)
    {
      for (guint i = 0; i < ctx->annotators->len; i++)
        {
          AssayExportAnnotator *a = g_ptr_array_index (ctx->annotators, i);

          if (!g_ptr_array_find_with_equal_func ((GPtrArray *) wanted, a->ext_id, g_str_equal,
                                                 NULL))
            a->in_scope = FALSE;
        }
      for (guint i = 0; i < wanted->len; i++)
        {
          const char *id = g_ptr_array_index (wanted, i);
          gboolean found = FALSE;

          for (guint k = 0; k < ctx->annotators->len && !found; k++)
            found = g_str_equal (((AssayExportAnnotator *) g_ptr_array_index (ctx->annotators,
                                                                             k))->ext_id, id);
          if (!found)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                           _("No annotator “%s” in the project"), id);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Keyed by the row ids inside the template, which the context holds. */
static void
index_template (AssayExportContext *ctx)
{
  AssayTemplate *tmpl = ctx->tmpl;

  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      for (guint k = 0; k < set->options->len; k++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, k);
          OptionRef *ref = g_new0 (OptionRef, 1);

          *ref = (OptionRef) { set, option, i, k };
          g_hash_table_insert (ctx->options_by_id, &option->id, ref);
        }
    }

  for (guint i = 0; i < tmpl->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, i);
      CriterionRef *ref = g_new0 (CriterionRef, 1);

      *ref = (CriterionRef) { criterion, i };
      g_hash_table_insert (ctx->criteria_by_id, &criterion->id, ref);
    }

  if (tmpl->accept.rule == ASSAY_ACCEPT_LABEL && tmpl->accept.label_set != NULL &&
      tmpl->accept.label != NULL)
    ctx->accept_option = assay_template_find_option (tmpl, tmpl->accept.label_set,
                                                     tmpl->accept.label, ASSAY_SCOPE_CANDIDATE,
                                                     &ctx->accept_set, NULL);
}

static gboolean
load_filters (AssayExportContext  *ctx,
              GError             **error)
{
  const GPtrArray *statuses = _assay_export_options_get_statuses (ctx->options);
  const GPtrArray *labels = _assay_export_options_get_labels (ctx->options);

  ctx->models = _assay_export_options_get_models (ctx->options);
  for (guint i = 0; ctx->models != NULL && i < ctx->models->len; i++)
    {
      const char *model = g_ptr_array_index (ctx->models, i);
      sqlite3_stmt *stmt = _assay_project_prepare (ctx->project,
                                                   "SELECT 1 FROM candidates WHERE model = ?1"
                                                   " LIMIT 1",
                                                   error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      _assay_bind_text (stmt, 1, model);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                       _("No candidates of model “%s” in the project"), model);
          return FALSE;
        }
      if (rc != SQLITE_ROW)
        return _assay_sqlite_error (ctx->db, error, NULL);
    }

  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      const AssayExportLabelFilter *filter = g_ptr_array_index (labels, i);
      AssayLabelSet *set = assay_template_find_label_set (ctx->tmpl, filter->label_set);
      AssayLabelOption *option = NULL;

      if (set == NULL || set->scope != ASSAY_SCOPE_CANDIDATE)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                       _("The template has no candidate label set “%s”"), filter->label_set);
          return FALSE;
        }
      option = assay_template_find_option (ctx->tmpl, filter->label_set, filter->label,
                                           ASSAY_SCOPE_CANDIDATE, NULL, NULL);
      if (option == NULL)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                       _("The label set “%s” has no label “%s”"), filter->label_set,
                       filter->label);
          return FALSE;
        }
      g_ptr_array_add (ctx->label_filters, g_hash_table_lookup (ctx->options_by_id, &option->id));
    }

  if (statuses != NULL && statuses->len > 0)
    {
      ctx->status_sources = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < statuses->len; i++)
        {
          sqlite3_stmt *stmt = _assay_project_prepare (ctx->project,
                                                       "SELECT source_id, annotator_id"
                                                       " FROM item_status WHERE status = ?1",
                                                       error);
          int rc;

          if (stmt == NULL)
            return FALSE;
          _assay_bind_text (stmt, 1, g_ptr_array_index (statuses, i));
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            {
              gint64 annotator_id = sqlite3_column_int64 (stmt, 1);
              const AssayExportAnnotator *a = g_hash_table_lookup (ctx->annotators_by_id,
                                                                   &annotator_id);
              gint64 *id;

              /* A status a model gave is a proposal, not a review. */
              if (a == NULL || !_assay_export_options_counts_kind (ctx->options, a->kind))
                continue;
              id = g_new (gint64, 1);
              *id = sqlite3_column_int64 (stmt, 0);
              g_hash_table_add (ctx->status_sources, id);
            }
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return _assay_sqlite_error (ctx->db, error, NULL);
        }
    }

  ctx->splitting = assay_export_options_get_splits (ctx->options)[0] != NULL;
  return TRUE;
}

static void
parse_prompt_template (AssayExportContext *ctx)
{
  const char *p;
  const char *literal;
  gboolean has_text = FALSE;

  ctx->prompt_template = g_strdup (ctx->tmpl->prompt_template != NULL &&
                                   ctx->tmpl->prompt_template[0] != '\0'
                                   ? ctx->tmpl->prompt_template : DEFAULT_PROMPT_TEMPLATE);

  p = literal = ctx->prompt_template;
  while ((p = strstr (p, "{{")) != NULL)
    {
      const char *close = strstr (p + 2, "}}");
      const char *name;
      const char *name_end;
      PieceKind kind;

      if (close == NULL)
        break;
      name = p + 2;
      name_end = close;
      while (name < name_end && g_ascii_isspace (*name))
        name++;
      while (name_end > name && g_ascii_isspace (name_end[-1]))
        name_end--;

      if (name_end - name == 4 && memcmp (name, "text", 4) == 0)
        kind = PIECE_TEXT;
      else if (name_end - name == 5 && memcmp (name, "title", 5) == 0)
        kind = PIECE_TITLE;
      else if (name_end - name == 2 && memcmp (name, "id", 2) == 0)
        kind = PIECE_ID;
      else
        {
          /* Not ours: kept as written. */
          p += 2;
          continue;
        }

      if (p > literal)
        g_array_append_val (ctx->pieces, ((Piece) { PIECE_LITERAL, literal, p - literal }));
      g_array_append_val (ctx->pieces, ((Piece) { kind, NULL, 0 }));
      has_text |= kind == PIECE_TEXT;
      p = literal = close + 2;
    }
  if (*literal != '\0')
    g_array_append_val (ctx->pieces, ((Piece) { PIECE_LITERAL, literal, strlen (literal) }));

  /* A training record without its source would teach nothing. */
  if (!has_text)
    {
      g_array_append_val (ctx->pieces, ((Piece) { PIECE_LITERAL, "\n\n", 2 }));
      g_array_append_val (ctx->pieces, ((Piece) { PIECE_TEXT, NULL, 0 }));
    }

  if (ctx->tmpl->system_prompt != NULL && ctx->tmpl->system_prompt[0] != '\0')
    {
      g_string_append (ctx->system_message, "{\"role\":\"system\",\"content\":");
      assay_json_append_string (ctx->system_message, ctx->tmpl->system_prompt, -1);
      g_string_append (ctx->system_message, "},");
    }
}

static gboolean
open_cursor (AssayExportContext  *ctx,
             Table                table,
             const char          *sql,
             GError             **error)
{
  Cursor *c = &ctx->cursors[table];

  if (sqlite3_prepare_v2 (ctx->db, sql, -1, &c->stmt, NULL) != SQLITE_OK)
    return _assay_sqlite_error (ctx->db, error, NULL);
  c->rc = sqlite3_step (c->stmt);
  if (c->rc != SQLITE_ROW && c->rc != SQLITE_DONE)
    return _assay_sqlite_error (ctx->db, error, NULL);
  return TRUE;
}

AssayExportContext *
_assay_export_context_new (AssayProject        *project,
                           AssayExportOptions  *options,
                           AssayExportSink     *sink,
                           AssayExportNeeds     needs,
                           GError             **error)
{
  g_autoptr(AssayExportContext) ctx = g_new0 (AssayExportContext, 1);
  static const AssayExportNeeds table_needs[N_TABLES] = {
    0,
    ASSAY_EXPORT_NEED_CORRECTIONS,
    ASSAY_EXPORT_NEED_RANKS,
    ASSAY_EXPORT_NEED_COMPARISONS,
    ASSAY_EXPORT_NEED_LABELS,
    ASSAY_EXPORT_NEED_SCORES,
  };

  ctx->project = g_object_ref (project);
  ctx->options = options;
  ctx->sink = sink;
  ctx->db = _assay_project_get_db (project);
  ctx->annotators = g_ptr_array_new_with_free_func (annotator_free);
  ctx->annotators_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  ctx->options_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  ctx->criteria_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  ctx->label_filters = g_ptr_array_new ();
  ctx->chunk = g_string_chunk_new (64 * 1024);
  ctx->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  ctx->system_message = g_string_new (NULL);
  ctx->prompt_string = g_string_new (NULL);
  ctx->prompt_messages = g_string_new (NULL);
  ctx->prompt_string_for = ctx->prompt_messages_for = -1;
  ctx->template_members = g_string_new (NULL);
  ctx->gold_annotators = g_ptr_array_new ();
  ctx->scratch_sum = g_array_new (FALSE, TRUE, sizeof (double));
  ctx->scratch_count = g_array_new (FALSE, TRUE, sizeof (guint));
  ctx->item.candidates = g_array_new (FALSE, FALSE, sizeof (AssayExportCandidate));
  ctx->item.corrections = g_array_new (FALSE, FALSE, sizeof (AssayExportCorrection));
  ctx->item.ranks = g_array_new (FALSE, FALSE, sizeof (AssayExportRank));
  ctx->item.comparisons = g_array_new (FALSE, FALSE, sizeof (AssayExportComparison));
  ctx->item.labels = g_array_new (FALSE, FALSE, sizeof (AssayExportLabel));
  ctx->item.scores = g_array_new (FALSE, FALSE, sizeof (AssayExportScore));

  ctx->tmpl = assay_project_load_template (project, error);
  if (ctx->tmpl == NULL)
    return NULL;

  if (needs & ASSAY_EXPORT_NEED_GOLD)
    {
      needs |= ASSAY_EXPORT_NEED_CORRECTIONS | ASSAY_EXPORT_NEED_CANDIDATE_TEXT;
      switch (ctx->tmpl->accept.rule)
        {
        case ASSAY_ACCEPT_LABEL:
          needs |= ASSAY_EXPORT_NEED_LABELS;
          break;
        case ASSAY_ACCEPT_SCORE:
          needs |= ASSAY_EXPORT_NEED_SCORES;
          break;
        case ASSAY_ACCEPT_RANK:
        default:
          needs |= ASSAY_EXPORT_NEED_RANKS;
          break;
        }
    }
  {
    const GPtrArray *labels = _assay_export_options_get_labels (options);

    if (labels != NULL && labels->len > 0)
      needs |= ASSAY_EXPORT_NEED_LABELS;
  }
  ctx->needs = needs;

  index_template (ctx);
  parse_prompt_template (ctx);
  if (!load_annotators (ctx, error) || !load_filters (ctx, error))
    return NULL;

  g_string_append (ctx->template_members, "\"template\":");
  _assay_export_append_nullable (ctx->template_members, ctx->tmpl->name);
  g_string_append (ctx->template_members, ",\"template_version\":");
  _assay_export_append_nullable (ctx->template_members, ctx->tmpl->version);

  if (sqlite3_prepare_v2 (ctx->db,
                          (needs & ASSAY_EXPORT_NEED_SOURCE_TEXT) ? sources_sql : sources_sql_no_text,
                          -1, &ctx->sources, NULL) != SQLITE_OK)
    {
      _assay_sqlite_error (ctx->db, error, NULL);
      return NULL;
    }

  for (guint t = 0; t < N_TABLES; t++)
    {
      const char *sql = table_sql[t];

      if (t == TABLE_CANDIDATES && !(needs & ASSAY_EXPORT_NEED_CANDIDATE_TEXT))
        sql = candidates_sql_no_text;
      if (t != TABLE_CANDIDATES && !(needs & table_needs[t]))
        continue;
      if (!open_cursor (ctx, t, sql, error))
        return NULL;
    }

  return g_steal_pointer (&ctx);
}

void
_assay_export_context_free (AssayExportContext *ctx)
{
  if (ctx == NULL)
    return;
  for (guint t = 0; t < N_TABLES; t++)
    sqlite3_finalize (ctx->cursors[t].stmt);
  sqlite3_finalize (ctx->sources);
  g_clear_object (&ctx->project);
  g_clear_pointer (&ctx->tmpl, assay_template_unref);
  g_ptr_array_unref (ctx->annotators);
  g_hash_table_unref (ctx->annotators_by_id);
  g_hash_table_unref (ctx->options_by_id);
  g_hash_table_unref (ctx->criteria_by_id);
  g_clear_pointer (&ctx->status_sources, g_hash_table_unref);
  g_ptr_array_unref (ctx->label_filters);
  g_string_chunk_free (ctx->chunk);
  g_free (ctx->prompt_template);
  g_array_unref (ctx->pieces);
  g_string_free (ctx->system_message, TRUE);
  g_string_free (ctx->prompt_string, TRUE);
  g_string_free (ctx->prompt_messages, TRUE);
  g_string_free (ctx->template_members, TRUE);
  g_ptr_array_unref (ctx->gold_annotators);
  g_array_unref (ctx->scratch_sum);
  g_array_unref (ctx->scratch_count);
  g_array_unref (ctx->item.candidates);
  g_array_unref (ctx->item.corrections);
  g_array_unref (ctx->item.ranks);
  g_array_unref (ctx->item.comparisons);
  g_array_unref (ctx->item.labels);
  g_array_unref (ctx->item.scores);
  g_free (ctx);
}

AssayTemplate *
_assay_export_context_get_template (AssayExportContext *ctx)
{
  return ctx->tmpl;
}

/* ---- reading a source ---- */

static const char *
copy_column (AssayExportContext *ctx,
             sqlite3_stmt       *stmt,
             int                 col,
             gsize              *len)
{
  const char *text = _assay_column_text (stmt, col);
  gsize n;

  if (text == NULL)
    {
      if (len != NULL)
        *len = 0;
      return NULL;
    }
  n = sqlite3_column_bytes (stmt, col);
  if (len != NULL)
    *len = n;
  return g_string_chunk_insert_len (ctx->chunk, text, n);
}

static gboolean
find_candidate (AssayExportItem *item,
                gint64           id,
                guint           *index)
{
  for (guint i = 0; i < item->candidates->len; i++)
    if (_assay_export_item_candidate (item, i)->id == id)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

/* The columns every judgment row starts with; FALSE if the row is out of
 * scope (its annotator is filtered out). */
static gboolean
read_judgment (AssayExportContext  *ctx,
               sqlite3_stmt        *stmt,
               AssayExportJudgment *j)
{
  gint64 candidate_id = sqlite3_column_int64 (stmt, COL_CANDIDATE);
  gint64 annotator_id = sqlite3_column_int64 (stmt, COL_ANNOTATOR);

  j->annotator = g_hash_table_lookup (ctx->annotators_by_id, &annotator_id);
  if (j->annotator == NULL || !j->annotator->in_scope)
    return FALSE;
  if (!find_candidate (&ctx->item, candidate_id, &j->candidate))
    return FALSE;
  j->created = copy_column (ctx, stmt, COL_CREATED, NULL);
  j->updated = copy_column (ctx, stmt, COL_UPDATED, NULL);
  j->time_spent = sqlite3_column_double (stmt, COL_TIME_SPENT);
  return TRUE;
}

static void
read_row (AssayExportContext *ctx,
          Table               table,
          sqlite3_stmt       *stmt)
{
  AssayExportItem *item = &ctx->item;

  switch (table)
    {
    case TABLE_CANDIDATES:
      {
        AssayExportCandidate c = { 0 };

        c.id = sqlite3_column_int64 (stmt, 1);
        c.ext_id = copy_column (ctx, stmt, 2, NULL);
        c.model = copy_column (ctx, stmt, 3, NULL);
        c.text = copy_column (ctx, stmt, 4, &c.text_len);
        c.position = sqlite3_column_int64 (stmt, 5);
        c.in_scope = TRUE;
        g_array_append_val (item->candidates, c);
      }
      break;

    case TABLE_CORRECTIONS:
      {
        AssayExportCorrection r = { 0 };

        if (!read_judgment (ctx, stmt, &r.j))
          return;
        r.text = copy_column (ctx, stmt, COL_FIRST_OWN, &r.text_len);
        g_array_append_val (item->corrections, r);
      }
      break;

    case TABLE_RANKS:
      {
        AssayExportRank r = { 0 };

        if (!read_judgment (ctx, stmt, &r.j))
          return;
        r.rank = sqlite3_column_int (stmt, COL_FIRST_OWN);
        g_array_append_val (item->ranks, r);
      }
      break;

    case TABLE_COMPARISONS:
      {
        AssayExportComparison r = { 0 };
        const char *winner;

        if (!read_judgment (ctx, stmt, &r.j) ||
            !find_candidate (item, sqlite3_column_int64 (stmt, COL_FIRST_OWN), &r.b))
          return;
        winner = _assay_column_text (stmt, COL_FIRST_OWN + 1);
        if (!assay_winner_from_string (winner, &r.winner))
          return;
        r.rationale = copy_column (ctx, stmt, COL_FIRST_OWN + 2, NULL);
        g_array_append_val (item->comparisons, r);
      }
      break;

    case TABLE_LABELS:
      {
        AssayExportLabel r = { 0 };
        gint64 option_id = sqlite3_column_int64 (stmt, COL_FIRST_OWN);
        OptionRef *ref = g_hash_table_lookup (ctx->options_by_id, &option_id);

        if (ref == NULL || !read_judgment (ctx, stmt, &r.j))
          return;
        r.set = ref->set;
        r.option = ref->option;
        r.set_index = ref->set_index;
        r.option_index = ref->option_index;
        g_array_append_val (item->labels, r);
      }
      break;

    case TABLE_SCORES:
      {
        AssayExportScore r = { 0 };
        gint64 criterion_id = sqlite3_column_int64 (stmt, COL_FIRST_OWN);
        CriterionRef *ref = g_hash_table_lookup (ctx->criteria_by_id, &criterion_id);

        if (ref == NULL || !read_judgment (ctx, stmt, &r.j))
          return;
        r.criterion = ref->criterion;
        r.criterion_index = ref->index;
        r.value = sqlite3_column_int (stmt, COL_FIRST_OWN + 1);
        r.rationale = copy_column (ctx, stmt, COL_FIRST_OWN + 2, NULL);
        g_array_append_val (item->scores, r);
      }
      break;

    case N_TABLES:
    default:
      g_assert_not_reached ();
    }
}

/* Steps the table's cursor past the rows of earlier sources and reads the
 * rows of `source_id`. */
static gboolean
read_table (AssayExportContext  *ctx,
            Table                table,
            gint64               source_id,
            GError             **error)
{
  Cursor *c = &ctx->cursors[table];

  if (c->stmt == NULL)
    return TRUE;

  while (c->rc == SQLITE_ROW)
    {
      gint64 row_source = sqlite3_column_int64 (c->stmt, COL_SOURCE);

      if (row_source > source_id)
        break;
      if (row_source == source_id)
        read_row (ctx, table, c->stmt);
      c->rc = sqlite3_step (c->stmt);
    }
  if (c->rc != SQLITE_ROW && c->rc != SQLITE_DONE)
    return _assay_sqlite_error (ctx->db, error, NULL);
  return TRUE;
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const AssayExportCandidate *x = a;
  const AssayExportCandidate *y = b;

  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

#define CMP(x, y) if ((x) != (y)) return (x) < (y) ? -1 : 1

/* By candidate position, then annotator id. */
static int
compare_by_candidate (const AssayExportJudgment *x,
                      const AssayExportJudgment *y)
{
  CMP (x->candidate, y->candidate);
  CMP (x->annotator->order, y->annotator->order);
  return 0;
}

static int
compare_corrections (gconstpointer a,
                     gconstpointer b)
{
  return compare_by_candidate (a, b);
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  const AssayExportLabel *x = a;
  const AssayExportLabel *y = b;
  int c = compare_by_candidate (&x->j, &y->j);

  if (c != 0)
    return c;
  CMP (x->set_index, y->set_index);
  CMP (x->option_index, y->option_index);
  return 0;
}

static int
compare_scores (gconstpointer a,
                gconstpointer b)
{
  const AssayExportScore *x = a;
  const AssayExportScore *y = b;
  int c = compare_by_candidate (&x->j, &y->j);

  if (c != 0)
    return c;
  CMP (x->criterion_index, y->criterion_index);
  return 0;
}

static int
compare_ranks (gconstpointer a,
               gconstpointer b)
{
  const AssayExportRank *x = a;
  const AssayExportRank *y = b;

  CMP (x->j.annotator->order, y->j.annotator->order);
  CMP (x->rank, y->rank);
  CMP (x->j.candidate, y->j.candidate);
  return 0;
}

static int
compare_comparisons (gconstpointer a,
                     gconstpointer b)
{
  const AssayExportComparison *x = a;
  const AssayExportComparison *y = b;

  CMP (x->j.annotator->order, y->j.annotator->order);
  CMP (MIN (x->j.candidate, x->b), MIN (y->j.candidate, y->b));
  CMP (MAX (x->j.candidate, x->b), MAX (y->j.candidate, y->b));
  return 0;
}

#undef CMP

/* Drops the judgments on candidates that the filters leave out. Every
 * element starts with its AssayExportJudgment; with `pairs` the elements
 * are comparisons, whose other side must pass too. */
static void
keep_in_scope (AssayExportItem *item,
               GArray          *array,
               gboolean         pairs)
{
  guint kept = 0;
  guint size = g_array_get_element_size (array);

  for (guint i = 0; i < array->len; i++)
    {
      char *element = array->data + (gsize) i * size;
      AssayExportJudgment *j = (AssayExportJudgment *) element;
      gboolean in = _assay_export_item_candidate (item, j->candidate)->in_scope;

      if (in && pairs)
        in = _assay_export_item_candidate (item, ((AssayExportComparison *) element)->b)->in_scope;
      if (!in)
        continue;
      if (kept != i)
        memcpy (array->data + (gsize) kept * size, element, size);
      kept++;
    }
  g_array_set_size (array, kept);
}

static gboolean
candidate_has_label (AssayExportItem *item,
                     guint            candidate,
                     OptionRef       *ref)
{
  for (guint i = 0; i < item->labels->len; i++)
    {
      AssayExportLabel *l = &g_array_index (item->labels, AssayExportLabel, i);

      if (l->j.candidate == candidate && l->option == ref->option)
        return TRUE;
    }
  return FALSE;
}

/* --model and --label: a candidate passes if its model is one of those
 * given, and, for each label set named, it was given one of the labels
 * named in that set. */
static void
apply_candidate_filters (AssayExportContext *ctx)
{
  AssayExportItem *item = &ctx->item;
  gboolean any_out = FALSE;

  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayExportCandidate *c = _assay_export_item_candidate (item, i);

      if (ctx->models != NULL && ctx->models->len > 0 &&
          !g_ptr_array_find_with_equal_func ((GPtrArray *) ctx->models, c->model, g_str_equal,
                                             NULL))
        c->in_scope = FALSE;

      for (guint f = 0; f < ctx->label_filters->len && c->in_scope; f++)
        {
          OptionRef *ref = g_ptr_array_index (ctx->label_filters, f);
          gboolean seen_set = FALSE;
          gboolean ok = FALSE;

          /* Only the first filter of each set decides, for the whole set. */
          for (guint g = 0; g < f && !seen_set; g++)
            seen_set = ((OptionRef *) g_ptr_array_index (ctx->label_filters, g))->set == ref->set;
          if (seen_set)
            continue;
          for (guint g = f; g < ctx->label_filters->len && !ok; g++)
            {
              OptionRef *other = g_ptr_array_index (ctx->label_filters, g);

              ok = other->set == ref->set && candidate_has_label (item, i, other);
            }
          c->in_scope = ok;
        }
      any_out |= !c->in_scope;
    }

  if (!any_out)
    return;
  keep_in_scope (item, item->corrections, FALSE);
  keep_in_scope (item, item->ranks, FALSE);
  keep_in_scope (item, item->comparisons, TRUE);
  keep_in_scope (item, item->labels, FALSE);
  keep_in_scope (item, item->scores, FALSE);
}

AssayExportItem *
_assay_export_context_next (AssayExportContext  *ctx,
                            GError             **error)
{
  AssayExportItem *item = &ctx->item;
  sqlite3_stmt *s = ctx->sources;
  int rc;

  if (ctx->finished)
    return NULL;

  /* What the previous source wrote goes out first, to its own file. */
  if (!assay_export_sink_flush (ctx->sink, FALSE, error) ||
      g_cancellable_set_error_if_cancelled (ctx->sink->cancellable, error))
    return NULL;

  for (;;)
    {
      gint64 id;

      rc = sqlite3_step (s);
      if (rc != SQLITE_ROW)
        break;
      id = sqlite3_column_int64 (s, 0);
      if (ctx->status_sources != NULL && !g_hash_table_contains (ctx->status_sources, &id))
        continue;

      g_string_chunk_clear (ctx->chunk);
      g_array_set_size (item->candidates, 0);
      g_array_set_size (item->corrections, 0);
      g_array_set_size (item->ranks, 0);
      g_array_set_size (item->comparisons, 0);
      g_array_set_size (item->labels, 0);
      g_array_set_size (item->scores, 0);

      item->id = id;
      item->ext_id = _assay_column_text (s, 1);
      item->title = _assay_column_text (s, 2);
      item->text = _assay_column_text (s, 3);
      item->text_len = item->text != NULL ? (gsize) sqlite3_column_bytes (s, 3) : 0;
      item->metadata = _assay_column_text (s, 4);
      item->created = _assay_column_text (s, 5);
      item->split = ctx->splitting ? assay_export_options_split_for (ctx->options, item->ext_id)
                                   : -1;

      if (!read_table (ctx, TABLE_CANDIDATES, id, error))
        return NULL;
      g_array_sort (item->candidates, compare_candidates);
      for (guint t = TABLE_CANDIDATES + 1; t < N_TABLES; t++)
        if (!read_table (ctx, t, id, error))
          return NULL;

      g_array_sort (item->corrections, compare_corrections);
      g_array_sort (item->ranks, compare_ranks);
      g_array_sort (item->comparisons, compare_comparisons);
      g_array_sort (item->labels, compare_labels);
      g_array_sort (item->scores, compare_scores);
      apply_candidate_filters (ctx);

      if (item->split >= 0)
        _assay_export_sink_select (ctx->sink, item->split);
      return item;
    }

  ctx->finished = TRUE;
  if (rc != SQLITE_DONE)
    _assay_sqlite_error (ctx->db, error, NULL);
  return NULL;
}

/* ---- the gold summary ---- */

const char *
_assay_export_gold_kind_to_string (AssayExportGoldKind kind)
{
  static const char * const names[] = { NULL, "correction", "rank", "label", "score" };

  g_assert ((guint) kind < G_N_ELEMENTS (names));
  return names[kind];
}

static gboolean
is_adjudicator (const AssayExportJudgment *j)
{
  return j->annotator->kind == ASSAY_ANNOTATOR_ADJUDICATOR;
}

/* Adds the judgment's annotator (once) and widens the gold's times. */
static void
gold_add (AssayExportGold           *gold,
          const AssayExportJudgment *j)
{
  GPtrArray *annotators = gold->annotators;

  if (!g_ptr_array_find (annotators, j->annotator, NULL))
    g_ptr_array_add (annotators, (gpointer) j->annotator);
  if (gold->created == NULL || strcmp (j->created, gold->created) < 0)
    gold->created = j->created;
  if (gold->updated == NULL || strcmp (j->updated, gold->updated) > 0)
    gold->updated = j->updated;
}

static int
compare_annotator_pointers (gconstpointer a,
                            gconstpointer b)
{
  const AssayExportAnnotator *x = *(AssayExportAnnotator * const *) a;
  const AssayExportAnnotator *y = *(AssayExportAnnotator * const *) b;

  return x->order < y->order ? -1 : x->order > y->order;
}

static void
reset_scratch (AssayExportContext *ctx,
               guint               n)
{
  g_array_set_size (ctx->scratch_sum, n);
  g_array_set_size (ctx->scratch_count, n);
  /* A source without candidates leaves the arrays' data NULL, and memset
   * must not be given NULL even for no bytes. */
  if (n == 0)
    return;
  memset (ctx->scratch_sum->data, 0, n * sizeof (double));
  memset (ctx->scratch_count->data, 0, n * sizeof (guint));
}

/* The candidate with the best mean rank (lowest), ties to the earlier one. */
static int
gold_by_rank (AssayExportContext *ctx,
              AssayExportItem    *item,
              gboolean           *adjudicated)
{
  double *sum;
  guint *count;
  int best = -1;

  *adjudicated = FALSE;
  for (guint i = 0; i < item->ranks->len && !*adjudicated; i++)
    *adjudicated = is_adjudicator (&g_array_index (item->ranks, AssayExportRank, i).j);

  reset_scratch (ctx, item->candidates->len);
  sum = (double *) ctx->scratch_sum->data;
  count = (guint *) ctx->scratch_count->data;
  for (guint i = 0; i < item->ranks->len; i++)
    {
      AssayExportRank *r = &g_array_index (item->ranks, AssayExportRank, i);

      if (*adjudicated && !is_adjudicator (&r->j))
        continue;
      sum[r->j.candidate] += r->rank;
      count[r->j.candidate]++;
    }
  for (guint c = 0; c < item->candidates->len; c++)
    if (count[c] > 0 && (best < 0 || sum[c] / count[c] < sum[best] / count[best]))
      best = c;
  return best;
}

/* The candidate given the accept label by the most annotators. */
static int
gold_by_label (AssayExportContext *ctx,
               AssayExportItem    *item,
               gboolean           *adjudicated)
{
  guint *count;
  int best = -1;

  *adjudicated = FALSE;
  if (ctx->accept_option == NULL)
    return -1;
  for (guint i = 0; i < item->labels->len && !*adjudicated; i++)
    {
      AssayExportLabel *l = &g_array_index (item->labels, AssayExportLabel, i);

      *adjudicated = l->set == ctx->accept_set && is_adjudicator (&l->j);
    }

  reset_scratch (ctx, item->candidates->len);
  count = (guint *) ctx->scratch_count->data;
  for (guint i = 0; i < item->labels->len; i++)
    {
      AssayExportLabel *l = &g_array_index (item->labels, AssayExportLabel, i);

      if (l->option != ctx->accept_option || (*adjudicated && !is_adjudicator (&l->j)))
        continue;
      count[l->j.candidate]++;
    }
  for (guint c = 0; c < item->candidates->len; c++)
    if (count[c] > 0 && (best < 0 || count[c] > count[best]))
      best = c;
  return best;
}

/* The candidate with the best weighted mean score, if it reaches the
 * threshold: each annotator's scores are averaged with the criteria's
 * weights, then the annotators' means are averaged. */
static int
gold_by_score (AssayExportContext *ctx,
               AssayExportItem    *item,
               gboolean           *adjudicated)
{
  double *sum;
  guint *count;
  int best = -1;
  guint i = 0;

  *adjudicated = FALSE;
  for (guint k = 0; k < item->scores->len && !*adjudicated; k++)
    *adjudicated = is_adjudicator (&g_array_index (item->scores, AssayExportScore, k).j);

  reset_scratch (ctx, item->candidates->len);
  sum = (double *) ctx->scratch_sum->data;
  count = (guint *) ctx->scratch_count->data;

  /* Scores are sorted by candidate and annotator: one group per pair. */
  while (i < item->scores->len)
    {
      AssayExportScore *first = &g_array_index (item->scores, AssayExportScore, i);
      double weighted = 0, weights = 0, plain = 0;
      guint n = 0;

      for (; i < item->scores->len; i++)
        {
          AssayExportScore *s = &g_array_index (item->scores, AssayExportScore, i);

          if (s->j.candidate != first->j.candidate || s->j.annotator != first->j.annotator)
            break;
          weighted += s->criterion->weight * s->value;
          weights += s->criterion->weight;
          plain += s->value;
          n++;
        }
      if (*adjudicated && !is_adjudicator (&first->j))
        continue;
      sum[first->j.candidate] += weights > 0 ? weighted / weights : plain / n;
      count[first->j.candidate]++;
    }

  for (guint c = 0; c < item->candidates->len; c++)
    {
      if (count[c] == 0 || sum[c] / count[c] < ctx->tmpl->accept.min_score - 1e-9)
        continue;
      if (best < 0 || sum[c] / count[c] > sum[best] / count[best])
        best = c;
    }
  return best;
}

gboolean
_assay_export_select_gold (AssayExportContext *ctx,
                           AssayExportItem    *item,
                           AssayExportGold    *gold)
{
  gboolean adjudicated = FALSE;
  int best;

  memset (gold, 0, sizeof *gold);
  gold->annotators = ctx->gold_annotators;
  g_ptr_array_set_size (gold->annotators, 0);

  /* A correction wins: an adjudicator's, then the most recently updated,
   * then the first by candidate position and annotator id. */
  if (item->corrections->len > 0)
    {
      AssayExportCorrection *pick = NULL;

      for (guint i = 0; i < item->corrections->len; i++)
        {
          AssayExportCorrection *r = &g_array_index (item->corrections, AssayExportCorrection, i);

          if (pick == NULL ||
              (is_adjudicator (&r->j) && !is_adjudicator (&pick->j)) ||
              (is_adjudicator (&r->j) == is_adjudicator (&pick->j) &&
               strcmp (r->j.updated, pick->j.updated) > 0))
            pick = r;
        }
      gold->kind = ASSAY_EXPORT_GOLD_CORRECTION;
      gold->candidate = pick->j.candidate;
      gold->text = pick->text;
      gold->text_len = pick->text_len;
      gold_add (gold, &pick->j);
      return TRUE;
    }

  switch (ctx->tmpl->accept.rule)
    {
    case ASSAY_ACCEPT_LABEL:
      best = gold_by_label (ctx, item, &adjudicated);
      gold->kind = ASSAY_EXPORT_GOLD_LABEL;
      if (best >= 0)
        for (guint i = 0; i < item->labels->len; i++)
          {
            AssayExportLabel *l = &g_array_index (item->labels, AssayExportLabel, i);

            if (l->j.candidate == (guint) best && l->option == ctx->accept_option &&
                (!adjudicated || is_adjudicator (&l->j)))
              gold_add (gold, &l->j);
          }
      break;

    case ASSAY_ACCEPT_SCORE:
      best = gold_by_score (ctx, item, &adjudicated);
      gold->kind = ASSAY_EXPORT_GOLD_SCORE;
      if (best >= 0)
        for (guint i = 0; i < item->scores->len; i++)
          {
            AssayExportScore *s = &g_array_index (item->scores, AssayExportScore, i);

            if (s->j.candidate == (guint) best && (!adjudicated || is_adjudicator (&s->j)))
              gold_add (gold, &s->j);
          }
      break;

    case ASSAY_ACCEPT_RANK:
    default:
      best = gold_by_rank (ctx, item, &adjudicated);
      gold->kind = ASSAY_EXPORT_GOLD_RANK;
      if (best >= 0)
        for (guint i = 0; i < item->ranks->len; i++)
          {
            AssayExportRank *r = &g_array_index (item->ranks, AssayExportRank, i);

            if (r->j.candidate == (guint) best && (!adjudicated || is_adjudicator (&r->j)))
              gold_add (gold, &r->j);
          }
      break;
    }

  if (best < 0)
    {
      gold->kind = ASSAY_EXPORT_GOLD_NONE;
      return FALSE;
    }

  g_ptr_array_sort (gold->annotators, compare_annotator_pointers);
  gold->candidate = best;
  gold->text = _assay_export_item_candidate (item, best)->text;
  gold->text_len = _assay_export_item_candidate (item, best)->text_len;
  g_assert (gold->text != NULL);
  return TRUE;
}

/* ---- prompts and provenance ---- */

static void
append_prompt_literal (AssayExportContext *ctx,
                       AssayExportItem    *item,
                       GString            *out)
{
  g_assert (item->text != NULL);

  g_string_append_c (out, '"');
  for (guint i = 0; i < ctx->pieces->len; i++)
    {
      Piece *piece = &g_array_index (ctx->pieces, Piece, i);

      switch (piece->kind)
        {
        case PIECE_LITERAL:
          _assay_export_append_escaped (out, piece->str, piece->len);
          break;
        case PIECE_TEXT:
          _assay_export_append_escaped (out, item->text, item->text_len);
          break;
        case PIECE_TITLE:
          _assay_export_append_escaped (out, item->title, -1);
          break;
        case PIECE_ID:
          _assay_export_append_escaped (out, item->ext_id, -1);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_c (out, '"');
}

void
_assay_export_append_prompt (AssayExportContext *ctx,
                             AssayExportItem    *item,
                             gboolean            messages,
                             GString            *out)
{
  if (messages)
    {
      g_string_append_len (out, ctx->system_message->str, ctx->system_message->len);
      g_string_append (out, "{\"role\":\"user\",\"content\":");
      append_prompt_literal (ctx, item, out);
      g_string_append_c (out, '}');
    }
  else
    append_prompt_literal (ctx, item, out);
}

const GString *
_assay_export_prompt_string (AssayExportContext *ctx,
                             AssayExportItem    *item)
{
  if (ctx->prompt_string_for != item->id)
    {
      g_string_truncate (ctx->prompt_string, 0);
      append_prompt_literal (ctx, item, ctx->prompt_string);
      ctx->prompt_string_for = item->id;
    }
  return ctx->prompt_string;
}

const GString *
_assay_export_prompt_messages (AssayExportContext *ctx,
                               AssayExportItem    *item)
{
  if (ctx->prompt_messages_for != item->id)
    {
      g_string_truncate (ctx->prompt_messages, 0);
      _assay_export_append_prompt (ctx, item, TRUE, ctx->prompt_messages);
      ctx->prompt_messages_for = item->id;
    }
  return ctx->prompt_messages;
}

void
_assay_export_append_template_members (AssayExportContext *ctx,
                                       AssayExportItem    *item,
                                       GString            *out)
{
  g_string_append_len (out, ctx->template_members->str, ctx->template_members->len);
  if (item->split >= 0)
    {
      g_string_append (out, ",\"split\":");
      assay_json_append_string (out, assay_export_options_get_splits (ctx->options)[item->split],
                                -1);
    }
}

void
_assay_export_append_gold_metadata (AssayExportContext *ctx,
                                    AssayExportItem    *item,
                                    AssayExportGold    *gold,
                                    GString            *out)
{
  AssayExportCandidate *c = _assay_export_item_candidate (item, gold->candidate);

  g_string_append (out, "{\"source\":");
  assay_json_append_string (out, item->ext_id, -1);
  g_string_append (out, ",\"title\":");
  assay_json_append_string (out, item->title, -1);
  g_string_append (out, ",\"candidate\":");
  assay_json_append_string (out, c->ext_id, -1);
  g_string_append (out, ",\"model\":");
  assay_json_append_string (out, c->model, -1);
  g_string_append (out, ",\"gold\":\"");
  g_string_append (out, _assay_export_gold_kind_to_string (gold->kind));
  g_string_append (out, "\",\"annotators\":[");
  for (guint i = 0; i < gold->annotators->len; i++)
    {
      AssayExportAnnotator *a = g_ptr_array_index (gold->annotators, i);

      if (i > 0)
        g_string_append_c (out, ',');
      assay_json_append_string (out, a->ext_id, -1);
    }
  g_string_append (out, "],\"created\":");
  _assay_export_append_nullable (out, gold->created);
  g_string_append (out, ",\"updated\":");
  _assay_export_append_nullable (out, gold->updated);
  g_string_append_c (out, ',');
  _assay_export_append_template_members (ctx, item, out);
  g_string_append_c (out, '}');
}
