/* assay-kind-labels.c: the options an annotator chose in a candidate's label sets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stored a row per chosen option; one native record per candidate and
 * annotator holds every set: {"labels": {"Verdict": "Accept", "Issues":
 * ["Omission"]}}.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "labels", NULL };

static gboolean
read_labels (AssayKindRecord  *record,
             GError          **error)
{
  const AssayJsonDoc *doc = record->r->doc;
  g_autofree char *path = _assay_reader_path (record->prefix, "labels");
  guint labels, key;

  if (!_assay_reader_container (record->r, record->object, record->prefix, "labels",
                                ASSAY_JSON_OBJECT, TRUE, &labels, error))
    return FALSE;

  key = assay_json_first_child (doc, labels);
  for (guint i = 0; i < doc->nodes[labels].n_children; i++)
    {
      guint value = assay_json_next_sibling (doc, key);
      g_autofree char *set_name = assay_json_dup_string (doc, key);
      g_autofree char *set_path = g_strdup_printf ("%s.%s", path, set_name);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      AssayLabelSet *set = assay_template_find_label_set (record->tmpl, set_name);
      GError *local_error = NULL;

      if (set == NULL || set->scope != ASSAY_SCOPE_CANDIDATE)
        return _assay_kind_fail (record, key, path, error,
                                 _("the template has no candidate label set “%s”"), set_name);

      if (assay_json_type (doc, value) == ASSAY_JSON_STRING ||
          assay_json_type (doc, value) == ASSAY_JSON_ARRAY)
        {
          gboolean is_array = assay_json_type (doc, value) == ASSAY_JSON_ARRAY;
          guint n = is_array ? doc->nodes[value].n_children : 1;
          guint item = is_array ? assay_json_first_child (doc, value) : value;

          for (guint k = 0; k < n; k++, item = assay_json_next_sibling (doc, item))
            {
              g_autofree char *option_name = NULL;
              AssayLabelOption *option;

              if (!_assay_reader_expect (record->r, item, set_path, ASSAY_JSON_STRING, error))
                return FALSE;
              option_name = assay_json_dup_string (doc, item);
              option = assay_template_find_option (record->tmpl, set_name, option_name,
                                                   ASSAY_SCOPE_CANDIDATE, NULL, NULL);
              if (option == NULL)
                return _assay_kind_fail (record, item, set_path, error,
                                         _("the label set “%s” has no label “%s”"),
                                         set_name, option_name);
              g_array_append_val (ids, option->id);
            }
        }
      else if (assay_json_type (doc, value) != ASSAY_JSON_NULL)
        return _assay_kind_fail (record, value, set_path, error,
                                 _("expected a label name or a list of label names"));

      if (!assay_project_set_labels (record->project, record->candidate_id,
                                     record->annotator_id, set->id, (gint64 *) ids->data,
                                     ids->len, record->stamp, &local_error))
        return _assay_kind_fail_with (record, value, set_path, local_error, error);

      key = assay_json_next_sibling (doc, value);
    }
  return TRUE;
}

static gboolean
write_labels (AssayKindWriter  *w,
              gint64            source_id,
              GError          **error)
{
  g_auto(AssayKindGroup) g = { FALSE };
  GString *b = _assay_kind_writer_buffer (w);
  sqlite3_stmt *stmt;
  gint64 set = -1;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
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

      if (_assay_kind_group_update (w, &g, stmt, "labels", "labels", TRUE, 2))
        set = -1;

      if (row_set == set)
        {
          /* The next choice of a multi-choice set. */
          g_string_append_c (b, ',');
        }
      else
        {
          if (g.in_list)
            g_string_append_c (b, ']');
          if (set != -1)
            g_string_append_c (b, ',');
          set = row_set;
          assay_json_append_string (b, _assay_column_text (stmt, 6), -1);
          g_string_append_c (b, ':');
          g.in_list = sqlite3_column_int (stmt, 7) != 0;
          if (g.in_list)
            g_string_append_c (b, '[');
        }
      assay_json_append_string (b, _assay_column_text (stmt, 8), -1);
    }
  if (!_assay_kind_writer_done (w, stmt, rc, error))
    return FALSE;
  _assay_kind_group_close (w, &g);
  return TRUE;
}

static void
label_row (AssayItem    *item,
           sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));
  gint64 option = sqlite3_column_int64 (stmt, 1);

  if (candidate != NULL)
    g_array_append_val (candidate->labels, option);
}

static gboolean
touches_labels (AssayItem          *item,
                AssayItemCandidate *candidate)
{
  return candidate->labels->len > 0;
}

/* One block per candidate label set. */
static void
labels_blocks (AssayTemplate      *tmpl,
               GPtrArray          *candidates,
               AssayItemCandidate *candidate,
               GPtrArray          *out)
{
  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);
      AssayAdjudicationBlock *block;

      if (set->scope != ASSAY_SCOPE_CANDIDATE)
        continue;
      block = _assay_adjudication_block_new (ASSAY_BLOCK_LABELS, candidate->id);
      block->set = set;
      g_ptr_array_add (out, block);
    }
}

static gboolean
holds_labels (const AssayAdjudicationBlock *block,
              AssayItem                    *item)
{
  g_autoptr(GArray) choice = assay_adjudication_label_choice (item, block->candidate_id,
                                                              block->set);

  return choice->len > 0;
}

/* Choosing nothing in a multi-choice set is the answer "none of these". */
static gboolean
labels_none_is_an_answer (const AssayAdjudicationBlock *block)
{
  return block->set->multi;
}

static gboolean
same_labels (const AssayAdjudicationBlock *block,
             AssayItem                    *x,
             AssayItem                    *y,
             gboolean                      exact)
{
  g_autoptr(GArray) px = assay_adjudication_label_choice (x, block->candidate_id, block->set);
  g_autoptr(GArray) py = assay_adjudication_label_choice (y, block->candidate_id, block->set);

  return px->len == py->len && memcmp (px->data, py->data, px->len * sizeof (gint64)) == 0;
}

static void
clear_labels (AssayItem *item)
{
  for (guint i = 0; i < item->candidates->len; i++)
    g_array_set_size (((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->labels, 0);
}

static const AssayKindStats stats = {
  "SELECT candidate_id, annotator_id, option_id FROM labels"
  " ORDER BY candidate_id, annotator_id, option_id",
  "SELECT candidate_id, annotator_id, option_id FROM labels"
  " WHERE candidate_id IN (SELECT id FROM candidates WHERE source_id = ?1)"
  " ORDER BY candidate_id, annotator_id, option_id",
  _assay_stats_row_labels,
};

static const AssayKindLoad load[] = {
  { "SELECT l.candidate_id, l.option_id FROM candidates c"
    " CROSS JOIN label_options o CROSS JOIN labels l"
    " ON l.candidate_id = c.id AND l.option_id = o.id"
    " WHERE c.source_id = ?1 AND l.annotator_id = ?2"
    " ORDER BY c.position, c.id, o.position",
    label_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
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
  { NULL, NULL },
};

const AssayKind _assay_kind_labels = {
  .type = "labels",
  .members = members,
  .candidate = ASSAY_KIND_CANDIDATE,
  .table = "labels",
  .since = 1,
  .scope = ASSAY_KIND_OF_CANDIDATE,
  .key = "candidate_id, annotator_id, option_id",
  .counted = "candidate_id, annotator_id",
  .present = NULL,
  .judge = ASSAY_JUDGE_LABELS,
  .read = read_labels,
  .write = write_labels,
  .touches = touches_labels,
  .block = ASSAY_BLOCK_LABELS,
  .shown = 1,
  .blocks = labels_blocks,
  .holds = holds_labels,
  .none_is_an_answer = labels_none_is_an_answer,
  .same = same_labels,
  .clear_item = clear_labels,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
