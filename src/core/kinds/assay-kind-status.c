/* assay-kind-status.c: where an annotator stands on a source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per source and annotator: to do, in progress, done, skipped or
 * flagged, with the time the item was on screen. A status of "to do" is
 * no judgment (it is what every source starts as).
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "status", NULL };

static gboolean
read_status (AssayKindRecord  *record,
             GError          **error)
{
  g_autofree char *text = NULL;
  GError *local_error = NULL;
  AssayStatus status;

  if (!_assay_reader_string (record->r, record->object, record->prefix, "status", TRUE, &text,
                             error))
    return FALSE;
  if (!assay_status_from_string (text, &status))
    return _assay_kind_fail (record, assay_json_object_get (record->r->doc, record->object,
                                                            "status"),
                             record->prefix, error,
                             _("unknown status “%s” (known: todo, in_progress, done, skipped, "
                               "flagged)"), text);
  if (!assay_project_set_status (record->project, record->source_id, record->annotator_id,
                                 status, record->stamp, &local_error))
    return _assay_kind_fail_with (record, record->object, record->prefix, local_error, error);
  return TRUE;
}

static gboolean
write_status (AssayKindWriter  *w,
              gint64            source_id,
              GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT a.ext_id, i.status, i.created_at, i.updated_at,"
                                     " i.time_spent FROM item_status i"
                                     " JOIN annotators a ON a.id = i.annotator_id"
                                     " WHERE i.source_id = ?1 ORDER BY a.ext_id",
                                     source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      _assay_kind_writer_begin (w, "status", _assay_column_text (stmt, 0));
      _assay_kind_writer_column (w, "status", stmt, 1);
      _assay_kind_writer_stamp (w, stmt, 2);
      _assay_kind_writer_end (w);
    }
  return _assay_kind_writer_done (w, stmt, rc, error);
}

static void
status_row (AssayItem    *item,
            sqlite3_stmt *stmt)
{
  if (!assay_status_from_string (_assay_column_text (stmt, 0), &item->status))
    item->status = ASSAY_STATUS_TODO;
  item->time_spent = sqlite3_column_double (stmt, 1);
}

/* A status other than "to do" and "skipped" is a judgment of the whole
 * source: skipping says nothing about it. */
static gboolean
touches_status (AssayItem          *item,
                AssayItemCandidate *candidate)
{
  return item->status != ASSAY_STATUS_TODO && item->status != ASSAY_STATUS_SKIPPED;
}

static void
clear_status (AssayItem *item)
{
  item->status = ASSAY_STATUS_TODO;
  item->time_spent = 0;
}

/* A status other than "to do" and "skipped" says its annotator judged the
 * source; skipping says nothing about it (docs/statistics.md). */
static const AssayKindStats stats = {
  "SELECT source_id, annotator_id FROM item_status WHERE status NOT IN ('todo', 'skipped')",
  "SELECT source_id, annotator_id FROM item_status"
  " WHERE source_id = ?1 AND status NOT IN ('todo', 'skipped')",
  _assay_stats_row_status,
};

static const AssayKindLoad load[] = {
  { "SELECT status, time_spent FROM item_status WHERE source_id = ?1 AND annotator_id = ?2",
    status_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
  { NULL, NULL },
};

const AssayKind _assay_kind_status = {
  .type = "status",
  .members = members,
  .candidate = ASSAY_KIND_NO_CANDIDATE,
  .table = "item_status",
  .since = 1,
  .scope = ASSAY_KIND_OF_SOURCE,
  .key = "source_id, annotator_id",
  .counted = NULL,
  .present = "status <> 'todo'",
  .judge = 0,
  .read = read_status,
  .write = write_status,
  .touches = touches_status,
  .clear_item = clear_status,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
