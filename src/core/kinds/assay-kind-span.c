/* assay-kind-span.c: a marked range of a candidate, with its label and evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A span with the same range and label by the same annotator is the same
 * span. Its evidence is ranges of the source text (span_evidence).
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = {
  "start", "end", "text", "label", "label_set", "note", "evidence", NULL
};

static gboolean
read_evidence (AssayKindRecord  *record,
               guint             ev,
               GArray           *evidence,
               GError          **error)
{
  const AssayJsonDoc *doc = record->r->doc;
  guint item = assay_json_first_child (doc, ev);

  for (guint i = 0; i < doc->nodes[ev].n_children; i++, item = assay_json_next_sibling (doc, item))
    {
      static const char * const keys[] = { "start", "end", NULL };
      g_autofree char *path = g_strdup_printf ("%s%sevidence[%u]",
                                               record->prefix ? record->prefix : "",
                                               record->prefix ? "." : "", i);
      AssayRange range = { 0, 0 };

      if (!_assay_reader_expect (record->r, item, path, ASSAY_JSON_OBJECT, error) ||
          !_assay_reader_check_keys (record->r, item, path, keys, error) ||
          !_assay_reader_int (record->r, item, path, "start", TRUE, &range.start, error) ||
          !_assay_reader_int (record->r, item, path, "end", TRUE, &range.end, error))
        return FALSE;
      g_array_append_val (evidence, range);
    }
  return TRUE;
}

/* The quoted text guards against offsets counted another way (bytes or
 * UTF-16 units), which would silently mark the wrong words. */
static gboolean
quote_matches (AssayKindRecord  *record,
               gint64            start,
               gint64            end,
               const char       *text,
               gboolean         *same,
               GError          **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (record->project,
                                               "SELECT substr (text, ?2 + 1, ?3 - ?2)"
                                               " FROM candidates WHERE id = ?1",
                                               error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->candidate_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  *same = FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *same = g_strcmp0 (_assay_column_text (stmt, 0), text) == 0;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
read_span (AssayKindRecord  *record,
           GError          **error)
{
  const AssayJsonReader *r = record->r;
  g_autofree char *label = NULL;
  g_autofree char *set_name = NULL;
  g_autofree char *note = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  gint64 start = 0, end = 0, option_id = 0;
  GError *local_error = NULL;
  guint ev;

  if (!_assay_reader_int (r, record->object, record->prefix, "start", TRUE, &start, error) ||
      !_assay_reader_int (r, record->object, record->prefix, "end", TRUE, &end, error) ||
      !_assay_reader_string (r, record->object, record->prefix, "label", FALSE, &label, error) ||
      !_assay_reader_string (r, record->object, record->prefix, "label_set", FALSE, &set_name,
                             error) ||
      !_assay_reader_string (r, record->object, record->prefix, "note", FALSE, &note, error) ||
      !_assay_reader_string (r, record->object, record->prefix, "text", FALSE, &text, error) ||
      !_assay_reader_container (r, record->object, record->prefix, "evidence", ASSAY_JSON_ARRAY,
                                FALSE, &ev, error))
    return FALSE;

  if (label != NULL)
    {
      gboolean ambiguous = FALSE;
      AssayLabelOption *option;

      option = assay_template_find_option (record->tmpl, set_name, label, ASSAY_SCOPE_SPAN, NULL,
                                           &ambiguous);
      if (ambiguous)
        return _assay_kind_fail (record, record->object, record->prefix, error,
                                 _("the span label “%s” is in several label sets; name one with "
                                   "“label_set”"), label);
      if (option == NULL && set_name != NULL)
        return _assay_kind_fail (record, record->object, record->prefix, error,
                                 _("the span label set “%s” has no label “%s”"), set_name, label);
      if (option == NULL)
        return _assay_kind_fail (record, record->object, record->prefix, error,
                                 _("the template has no span label “%s”"), label);
      option_id = option->id;
    }

  if (ev != 0 && !read_evidence (record, ev, evidence, error))
    return FALSE;

  if (text != NULL)
    {
      gboolean same;

      if (!quote_matches (record, start, end, text, &same, error))
        return FALSE;
      if (!same)
        return _assay_kind_fail (record, assay_json_object_get (r->doc, record->object, "text"),
                                 record->prefix, error,
                                 _("“text” is not the candidate’s text at %" G_GINT64_FORMAT
                                   "–%" G_GINT64_FORMAT " (offsets count Unicode code points)"),
                                 start, end);
    }

  if (!assay_project_save_span (record->project, 0, record->candidate_id, record->annotator_id,
                                start, end, option_id, note, (AssayRange *) evidence->data,
                                evidence->len, record->stamp, NULL, &local_error))
    return _assay_kind_fail_with (record, record->object, record->prefix, local_error, error);
  return TRUE;
}

static gboolean
write_evidence (AssayKindWriter  *w,
                gint64            span_id,
                GError          **error)
{
  GString *b = _assay_kind_writer_buffer (w);
  gboolean any = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_project_prepare (_assay_kind_writer_project (w),
                                 "SELECT start, end FROM span_evidence WHERE span_id = ?"
                                 " ORDER BY start, end",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, span_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append (b, any ? ",{\"start\":" : ",\"evidence\":[{\"start\":");
      assay_json_append_int (b, sqlite3_column_int64 (stmt, 0));
      g_string_append (b, ",\"end\":");
      assay_json_append_int (b, sqlite3_column_int64 (stmt, 1));
      g_string_append_c (b, '}');
      any = TRUE;
    }
  if (!_assay_kind_writer_done (w, stmt, rc, error))
    return FALSE;
  if (any)
    g_string_append_c (b, ']');
  return TRUE;
}

static gboolean
write_spans (AssayKindWriter  *w,
             gint64            source_id,
             GError          **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  GString *b = _assay_kind_writer_buffer (w);
  sqlite3_stmt *stmt;
  int rc;

  /* Two passes, because each span needs a second query for its evidence
   * and a statement cannot be reused while it is stepping: the first keeps
   * each record up to its evidence, the second finishes them. */
  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT p.id, a.ext_id, c.ext_id, p.start, p.end,"
                                     " substr (c.text, p.start + 1, p.end - p.start), s.name,"
                                     " o.name, p.note, p.created_at, p.updated_at, p.time_spent"
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
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gsize mark = b->len, from;

      _assay_kind_writer_begin (w, "span", _assay_column_text (stmt, 1));
      _assay_kind_writer_column (w, "candidate", stmt, 2);
      _assay_kind_writer_int (w, "start", sqlite3_column_int64 (stmt, 3));
      _assay_kind_writer_int (w, "end", sqlite3_column_int64 (stmt, 4));
      _assay_kind_writer_column (w, "text", stmt, 5);
      _assay_kind_writer_column (w, "label_set", stmt, 6);
      _assay_kind_writer_column (w, "label", stmt, 7);
      _assay_kind_writer_column (w, "note", stmt, 8);
      _assay_kind_writer_stamp (w, stmt, 9);

      /* Kept without the comma that separates it from what precedes it:
       * that is known only when it is written. */
      from = b->str[mark] == ',' ? mark + 1 : mark;
      g_array_append_val (ids, id);
      g_ptr_array_add (records, g_strndup (b->str + from, b->len - from));
      g_string_truncate (b, mark);
    }
  if (!_assay_kind_writer_done (w, stmt, rc, error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      if (b->str[b->len - 1] != '[')
        g_string_append_c (b, ',');
      g_string_append (b, g_ptr_array_index (records, i));
      if (!write_evidence (w, g_array_index (ids, gint64, i), error))
        return FALSE;
      _assay_kind_writer_end (w);
    }
  return TRUE;
}

static void
span_row (AssayItem    *item,
          sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 1));
  AssayItemSpan *span;

  if (candidate == NULL)
    return;
  span = g_new0 (AssayItemSpan, 1);
  span->id = sqlite3_column_int64 (stmt, 0);
  span->option_id = sqlite3_column_int64 (stmt, 2);
  span->start = sqlite3_column_int64 (stmt, 3);
  span->end = sqlite3_column_int64 (stmt, 4);
  span->note = _assay_kind_dup_text (stmt, 5);
  span->evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  g_ptr_array_add (candidate->spans, span);
}

static void
evidence_row (AssayItem    *item,
              sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));
  gint64 span_id = sqlite3_column_int64 (stmt, 1);

  if (candidate == NULL)
    return;
  for (guint i = 0; i < candidate->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

      if (span->id == span_id)
        {
          AssayRange range = { sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3) };

          g_array_append_val (span->evidence, range);
          return;
        }
    }
}

static gboolean
touches_span (AssayItem          *item,
              AssayItemCandidate *candidate)
{
  return candidate->spans->len > 0;
}

/* One block for all the span sets of a candidate. */
static void
span_blocks (AssayTemplate      *tmpl,
             GPtrArray          *candidates,
             AssayItemCandidate *candidate,
             GPtrArray          *out)
{
  g_ptr_array_add (out, _assay_adjudication_block_new (ASSAY_BLOCK_SPANS, candidate->id));
}

static gboolean
holds_spans (const AssayAdjudicationBlock *block,
             AssayItem                    *item)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, block->candidate_id);

  return candidate != NULL && candidate->spans->len > 0;
}

/* A candidate judged with no spans is the answer "no spans". */
static gboolean
spans_none_is_an_answer (const AssayAdjudicationBlock *block)
{
  return TRUE;
}

static gboolean
same_evidence (GArray *x,
               GArray *y)
{
  if (x->len != y->len)
    return FALSE;
  for (guint i = 0; i < x->len; i++)
    {
      AssayRange *p = &g_array_index (x, AssayRange, i), *q = &g_array_index (y, AssayRange, i);

      if (p->start != q->start || p->end != q->end)
        return FALSE;
    }
  return TRUE;
}

/* The same ranges with the same labels; notes and evidence only when
 * `exact`. */
static gboolean
same_spans (const AssayAdjudicationBlock *block,
            AssayItem                    *x,
            AssayItem                    *y,
            gboolean                      exact)
{
  AssayItemCandidate *cx = assay_item_find_candidate (x, block->candidate_id);
  AssayItemCandidate *cy = assay_item_find_candidate (y, block->candidate_id);

  if (cx->spans->len != cy->spans->len)
    return FALSE;
  for (guint i = 0; i < cx->spans->len; i++)
    {
      AssayItemSpan *p = g_ptr_array_index (cx->spans, i);
      AssayItemSpan *q = g_ptr_array_index (cy->spans, i);

      if (p->start != q->start || p->end != q->end || p->option_id != q->option_id)
        return FALSE;
      if (exact && (g_strcmp0 (p->note, q->note) != 0 || !same_evidence (p->evidence, q->evidence)))
        return FALSE;
    }
  return TRUE;
}

static void
clear_spans (AssayItem *item)
{
  for (guint i = 0; i < item->candidates->len; i++)
    g_ptr_array_set_size (((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->spans,
                          0);
}

static const AssayKindStats stats = {
  "SELECT candidate_id, annotator_id, start, end, option_id FROM spans"
  " ORDER BY candidate_id, annotator_id, start, end",
  "SELECT candidate_id, annotator_id, start, end, option_id FROM spans"
  " WHERE candidate_id IN (SELECT id FROM candidates WHERE source_id = ?1)"
  " ORDER BY candidate_id, annotator_id, start, end",
  _assay_stats_row_spans,
};

static const AssayKindLoad load[] = {
  { "SELECT p.id, p.candidate_id, coalesce (p.option_id, 0), p.start, p.end, p.note"
    " FROM candidates c CROSS JOIN spans p ON p.candidate_id = c.id"
    " WHERE c.source_id = ?1 AND p.annotator_id = ?2"
    " ORDER BY c.position, c.id, p.start, p.end",
    span_row },
  { "SELECT p.candidate_id, e.span_id, e.start, e.end FROM candidates c"
    " CROSS JOIN spans p ON p.candidate_id = c.id"
    " CROSS JOIN span_evidence e ON e.span_id = p.id"
    " WHERE c.source_id = ?1 AND p.annotator_id = ?2 ORDER BY c.position, c.id,"
    " p.start, p.end, ifnull (p.option_id, 0), p.id, e.start",
    evidence_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
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
  { NULL, NULL },
};

const AssayKind _assay_kind_span = {
  .type = "span",
  .members = members,
  .candidate = ASSAY_KIND_CANDIDATE,
  .table = "spans",
  .since = 1,
  .scope = ASSAY_KIND_OF_CANDIDATE,
  .key = "candidate_id, annotator_id, start, end, ifnull (option_id, 0)",
  .counted = NULL,
  .present = NULL,
  .judge = ASSAY_JUDGE_SPANS,
  .read = read_span,
  .write = write_spans,
  .touches = touches_span,
  .block = ASSAY_BLOCK_SPANS,
  .shown = 3,
  .blocks = span_blocks,
  .holds = holds_spans,
  .none_is_an_answer = spans_none_is_an_answer,
  .same = same_spans,
  .clear_item = clear_spans,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
