/* assay-judgments.c: writing an expert's judgments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-judgments.h"
#include "assay-kind-private.h"
#include "assay-project-private.h"

static const char * const winners[] = { "a", "b", "tie" };

const char *
assay_winner_to_string (AssayWinner winner)
{
  g_return_val_if_fail (winner <= ASSAY_WINNER_TIE, NULL);
  return winners[winner];
}

gboolean
assay_winner_from_string (const char  *str,
                          AssayWinner *winner)
{
  for (guint i = 0; i < G_N_ELEMENTS (winners); i++)
    if (g_strcmp0 (str, winners[i]) == 0)
      {
        *winner = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
run (AssayProject  *self,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static gint64
lookup_by_text (AssayProject *self,
                const char   *sql,
                gint64        parent,
                const char   *ext_id)
{
  sqlite3_stmt *stmt = _assay_project_prepare (self, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL || ext_id == NULL)
    return 0;
  if (parent != 0)
    {
      sqlite3_bind_int64 (stmt, 1, parent);
      sqlite3_bind_text (stmt, 2, ext_id, -1, SQLITE_STATIC);
    }
  else
    sqlite3_bind_text (stmt, 1, ext_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

gint64
assay_project_lookup_source (AssayProject *self,
                             const char   *ext_id)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), 0);
  return lookup_by_text (self, "SELECT id FROM sources WHERE ext_id = ?1", 0, ext_id);
}

gint64
assay_project_lookup_candidate (AssayProject *self,
                                gint64        source_id,
                                const char   *ext_id)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), 0);
  return lookup_by_text (self, "SELECT id FROM candidates WHERE source_id = ?1 AND ext_id = ?2",
                         source_id, ext_id);
}

gint64
assay_project_lookup_annotator (AssayProject *self,
                                const char   *ext_id)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), 0);
  return lookup_by_text (self, "SELECT id FROM annotators WHERE ext_id = ?1", 0, ext_id);
}

gboolean
assay_project_ensure_annotator (AssayProject  *self,
                                const char    *ext_id,
                                const char    *name,
                                int            kind,
                                gint64        *annotator_id,
                                GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (ext_id != NULL, FALSE);

  if (*ext_id == '\0' || g_utf8_strlen (ext_id, -1) > 256)
    return invalid (error, _("an annotator id must have 1 to 256 characters"));

  stmt = _assay_project_prepare (self,
                                 "INSERT INTO annotators (ext_id, name, kind)"
                                 " VALUES (?1, coalesce (?2, ?1), coalesce (?3, 'person'))"
                                 " ON CONFLICT (ext_id) DO UPDATE SET"
                                 " name = coalesce (?2, name), kind = coalesce (?3, kind)"
                                 " RETURNING id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ext_id, -1, SQLITE_STATIC);
  _assay_bind_text (stmt, 2, name);
  if (kind >= 0)
    sqlite3_bind_text (stmt, 3, assay_annotator_kind_to_string (kind), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *annotator_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Length in code points of a candidate's text and of its source's text;
 * FALSE if there is no such candidate. */
static gboolean
candidate_lengths (AssayProject *self,
                   gint64        candidate_id,
                   gint64       *candidate_len,
                   gint64       *source_len,
                   gint64       *source_id)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _assay_project_prepare (self,
                                 "SELECT length (c.text), length (s.text), s.id FROM candidates c"
                                 " JOIN sources s ON s.id = c.source_id WHERE c.id = ?",
                                 NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *candidate_len = sqlite3_column_int64 (stmt, 0);
      if (source_len != NULL)
        *source_len = sqlite3_column_int64 (stmt, 1);
      if (source_id != NULL)
        *source_id = sqlite3_column_int64 (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/* The label set of an option, its scope and whether it is multi-choice. */
static gboolean
option_info (AssayProject *self,
             gint64        option_id,
             gint64       *set_id,
             gboolean     *is_span,
             gboolean     *multi)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _assay_project_prepare (self,
                                 "SELECT s.id, s.scope = 'span', s.multi FROM label_options o"
                                 " JOIN label_sets s ON s.id = o.label_set_id WHERE o.id = ?",
                                 NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, option_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *set_id = sqlite3_column_int64 (stmt, 0);
      *is_span = sqlite3_column_int (stmt, 1);
      *multi = sqlite3_column_int (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

gboolean
assay_project_set_labels (AssayProject      *self,
                          gint64             candidate_id,
                          gint64             annotator_id,
                          gint64             label_set_id,
                          const gint64      *option_ids,
                          guint              n_options,
                          const AssayStamp  *stamp,
                          GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  for (guint i = 0; i < n_options; i++)
    {
      gint64 set_id;
      gboolean is_span, multi;

      if (!option_info (self, option_ids[i], &set_id, &is_span, &multi) ||
          set_id != label_set_id || is_span)
        return invalid (error, _("the label does not belong to this label set"));
      if (!multi && n_options > 1)
        return invalid (error, _("only one label of this set can be chosen"));
      for (guint j = 0; j < i; j++)
        if (option_ids[j] == option_ids[i])
          return invalid (error, _("the same label is chosen twice"));
    }

  if (!assay_project_begin (self, error))
    return FALSE;

  /* Keep the options that stay chosen (and their creation times); drop the
   * ones no longer chosen. */
  stmt = _assay_project_prepare (self,
                                 "DELETE FROM labels WHERE candidate_id = ?1 AND annotator_id = ?2"
                                 " AND option_id IN (SELECT id FROM label_options"
                                 "   WHERE label_set_id = ?3)"
                                 " AND option_id NOT IN (SELECT value FROM json_each (?4))",
                                 error);
  if (stmt == NULL)
    goto failed;
  {
    g_autoptr(GString) ids = g_string_new ("[");

    for (guint i = 0; i < n_options; i++)
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", option_ids[i]);
    g_string_append_c (ids, ']');
    sqlite3_bind_int64 (stmt, 1, candidate_id);
    sqlite3_bind_int64 (stmt, 2, annotator_id);
    sqlite3_bind_int64 (stmt, 3, label_set_id);
    sqlite3_bind_text (stmt, 4, ids->str, -1, SQLITE_TRANSIENT);
    if (!run (self, stmt, error))
      goto failed;
  }

  for (guint i = 0; i < n_options; i++)
    {
      AssayStampScope scope = { NULL };

      stmt = _assay_project_prepare (self,
                                     "INSERT INTO labels (candidate_id, annotator_id, option_id,"
                                     " created_at, updated_at, time_spent)"
                                     " VALUES (?1, ?2, ?3, " ASSAY_STAMP_VALUES ")"
                                     " ON CONFLICT DO UPDATE SET " ASSAY_STAMP_UPDATE,
                                     error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, candidate_id);
      sqlite3_bind_int64 (stmt, 2, annotator_id);
      sqlite3_bind_int64 (stmt, 3, option_ids[i]);
      _assay_stamp_bind (stmt, stamp, &scope);
      if (!run (self, stmt, error))
        {
          g_free (scope.now);
          goto failed;
        }
      g_free (scope.now);
    }

  return assay_project_commit (self, error);

failed:
  assay_project_rollback (self);
  return FALSE;
}

gboolean
assay_project_save_span (AssayProject      *self,
                         gint64             span_id,
                         gint64             candidate_id,
                         gint64             annotator_id,
                         gint64             start,
                         gint64             end,
                         gint64             option_id,
                         const char        *note,
                         const AssayRange  *evidence,
                         guint              n_evidence,
                         const AssayStamp  *stamp,
                         gint64            *out_span_id,
                         GError           **error)
{
  g_auto(AssayStampScope) scope = { NULL };
  sqlite3_stmt *stmt;
  gint64 candidate_len, source_len;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  if (!candidate_lengths (self, candidate_id, &candidate_len, &source_len, NULL))
    return invalid (error, _("no such candidate"));
  if (start < 0 || end <= start || end > candidate_len)
    return invalid (error,
                    _("the span %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " does not lie within "
                      "the candidate’s text (%" G_GINT64_FORMAT " characters)"),
                    start, end, candidate_len);
  if (option_id != 0)
    {
      gint64 set_id;
      gboolean is_span, multi;

      if (!option_info (self, option_id, &set_id, &is_span, &multi) || !is_span)
        return invalid (error, _("the label is not a span label"));
    }
  for (guint i = 0; i < n_evidence; i++)
    if (evidence[i].start < 0 || evidence[i].end <= evidence[i].start ||
        evidence[i].end > source_len)
      return invalid (error,
                      _("the evidence %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " does not lie "
                        "within the source’s text (%" G_GINT64_FORMAT " characters)"),
                      evidence[i].start, evidence[i].end, source_len);

  if (!assay_project_begin (self, error))
    return FALSE;

  if (span_id != 0)
    stmt = _assay_project_prepare (self,
                                   "UPDATE spans SET start = ?3, end = ?4, option_id = ?5,"
                                   " note = ?6, updated_at = ?21,"
                                   " time_spent = coalesce (?22, time_spent),"
                                   " created_at = CASE WHEN ?23 THEN ?20 ELSE created_at END"
                                   " WHERE id = ?7 AND candidate_id = ?1 AND annotator_id = ?2"
                                   " RETURNING id",
                                   error);
  else
    stmt = _assay_project_prepare (self,
                                   "INSERT INTO spans (candidate_id, annotator_id, start, end,"
                                   " option_id, note, created_at, updated_at, time_spent)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, " ASSAY_STAMP_VALUES ")"
                                   " ON CONFLICT DO UPDATE SET note = excluded.note, "
                                   ASSAY_STAMP_UPDATE " RETURNING id",
                                   error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  if (option_id != 0)
    sqlite3_bind_int64 (stmt, 5, option_id);
  _assay_bind_text (stmt, 6, note != NULL && *note != '\0' ? note : NULL);
  if (span_id != 0)
    sqlite3_bind_int64 (stmt, 7, span_id);
  _assay_stamp_bind (stmt, stamp, &scope);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      span_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      break;
    case SQLITE_DONE:
      sqlite3_reset (stmt);
      invalid (error, _("no such span"));
      goto failed;
    default:
      _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
      sqlite3_reset (stmt);
      goto failed;
    }

  stmt = _assay_project_prepare (self, "DELETE FROM span_evidence WHERE span_id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, span_id);
  if (!run (self, stmt, error))
    goto failed;

  for (guint i = 0; i < n_evidence; i++)
    {
      stmt = _assay_project_prepare (self,
                                     "INSERT OR IGNORE INTO span_evidence (span_id, start, end)"
                                     " VALUES (?, ?, ?)",
                                     error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, span_id);
      sqlite3_bind_int64 (stmt, 2, evidence[i].start);
      sqlite3_bind_int64 (stmt, 3, evidence[i].end);
      if (!run (self, stmt, error))
        goto failed;
    }

  if (!assay_project_commit (self, error))
    return FALSE;
  if (out_span_id != NULL)
    *out_span_id = span_id;
  return TRUE;

failed:
  assay_project_rollback (self);
  return FALSE;
}

gboolean
assay_project_delete_span (AssayProject  *self,
                           gint64         span_id,
                           GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  stmt = _assay_project_prepare (self, "DELETE FROM spans WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, span_id);
  return run (self, stmt, error);
}

gboolean
assay_project_set_correction (AssayProject      *self,
                              gint64             candidate_id,
                              gint64             annotator_id,
                              const char        *text,
                              const AssayStamp  *stamp,
                              GError           **error)
{
  g_auto(AssayStampScope) scope = { NULL };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  if (text == NULL)
    {
      stmt = _assay_project_prepare (self,
                                     "DELETE FROM corrections WHERE candidate_id = ?1"
                                     " AND annotator_id = ?2",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, candidate_id);
      sqlite3_bind_int64 (stmt, 2, annotator_id);
      return run (self, stmt, error);
    }

  stmt = _assay_project_prepare (self,
                                 "INSERT INTO corrections (candidate_id, annotator_id, text,"
                                 " created_at, updated_at, time_spent)"
                                 " VALUES (?1, ?2, ?3, " ASSAY_STAMP_VALUES ")"
                                 " ON CONFLICT DO UPDATE SET text = excluded.text, " ASSAY_STAMP_UPDATE,
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  _assay_stamp_bind (stmt, stamp, &scope);
  return run (self, stmt, error);
}

gboolean
assay_project_set_score (AssayProject      *self,
                         gint64             candidate_id,
                         gint64             annotator_id,
                         gint64             criterion_id,
                         int                value,
                         const char        *rationale,
                         const AssayStamp  *stamp,
                         GError           **error)
{
  g_auto(AssayStampScope) scope = { NULL };
  sqlite3_stmt *stmt;
  int min = 0, max = -1;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  stmt = _assay_project_prepare (self, "SELECT scale_min, scale_max FROM criteria WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, criterion_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      min = sqlite3_column_int (stmt, 0);
      max = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (max < min)
    return invalid (error, _("no such criterion"));
  if (value < min || value > max)
    return invalid (error, _("the score %d is not on the scale %d–%d"), value, min, max);

  stmt = _assay_project_prepare (self,
                                 "INSERT INTO scores (candidate_id, annotator_id, criterion_id,"
                                 " value, rationale, created_at, updated_at, time_spent)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, " ASSAY_STAMP_VALUES ")"
                                 " ON CONFLICT DO UPDATE SET value = excluded.value,"
                                 " rationale = excluded.rationale, " ASSAY_STAMP_UPDATE,
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_int64 (stmt, 3, criterion_id);
  sqlite3_bind_int (stmt, 4, value);
  _assay_bind_text (stmt, 5, rationale != NULL && *rationale != '\0' ? rationale : NULL);
  _assay_stamp_bind (stmt, stamp, &scope);
  return run (self, stmt, error);
}

gboolean
assay_project_clear_score (AssayProject  *self,
                           gint64         candidate_id,
                           gint64         annotator_id,
                           gint64         criterion_id,
                           GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  stmt = _assay_project_prepare (self,
                                 "DELETE FROM scores WHERE candidate_id = ? AND annotator_id = ?"
                                 " AND criterion_id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_int64 (stmt, 3, criterion_id);
  return run (self, stmt, error);
}

static gboolean
candidate_in_source (AssayProject *self,
                     gint64        candidate_id,
                     gint64        source_id)
{
  gint64 len, sid = 0;

  return candidate_lengths (self, candidate_id, &len, NULL, &sid) && sid == source_id;
}

gboolean
assay_project_set_ranking (AssayProject      *self,
                           gint64             source_id,
                           gint64             annotator_id,
                           const gint64      *candidate_ids,
                           const int         *ranks,
                           guint              n,
                           const AssayStamp  *stamp,
                           GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  for (guint i = 0; i < n; i++)
    {
      if (!candidate_in_source (self, candidate_ids[i], source_id))
        return invalid (error, _("a ranked candidate does not belong to this source"));
      if (ranks[i] < 1)
        return invalid (error, _("ranks start at 1"));
      for (guint j = 0; j < i; j++)
        if (candidate_ids[j] == candidate_ids[i])
          return invalid (error, _("a candidate is ranked twice"));
    }

  if (!assay_project_begin (self, error))
    return FALSE;

  stmt = _assay_project_prepare (self,
                                 "DELETE FROM rankings WHERE source_id = ?1 AND annotator_id = ?2"
                                 " AND candidate_id NOT IN (SELECT value FROM json_each (?3))",
                                 error);
  if (stmt == NULL)
    goto failed;
  {
    g_autoptr(GString) ids = g_string_new ("[");

    for (guint i = 0; i < n; i++)
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", candidate_ids[i]);
    g_string_append_c (ids, ']');
    sqlite3_bind_int64 (stmt, 1, source_id);
    sqlite3_bind_int64 (stmt, 2, annotator_id);
    sqlite3_bind_text (stmt, 3, ids->str, -1, SQLITE_TRANSIENT);
    if (!run (self, stmt, error))
      goto failed;
  }

  for (guint i = 0; i < n; i++)
    {
      AssayStampScope scope = { NULL };
      gboolean ok;

      stmt = _assay_project_prepare (self,
                                     "INSERT INTO rankings (source_id, annotator_id, candidate_id,"
                                     " rank, created_at, updated_at, time_spent)"
                                     " VALUES (?1, ?2, ?3, ?4, " ASSAY_STAMP_VALUES ")"
                                     " ON CONFLICT DO UPDATE SET rank = excluded.rank, "
                                     ASSAY_STAMP_UPDATE,
                                     error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, annotator_id);
      sqlite3_bind_int64 (stmt, 3, candidate_ids[i]);
      sqlite3_bind_int (stmt, 4, ranks[i]);
      _assay_stamp_bind (stmt, stamp, &scope);
      ok = run (self, stmt, error);
      g_free (scope.now);
      if (!ok)
        goto failed;
    }

  return assay_project_commit (self, error);

failed:
  assay_project_rollback (self);
  return FALSE;
}

gboolean
assay_project_set_comparison (AssayProject      *self,
                              gint64             source_id,
                              gint64             annotator_id,
                              gint64             candidate_a,
                              gint64             candidate_b,
                              AssayWinner        winner,
                              const char        *rationale,
                              const AssayStamp  *stamp,
                              GError           **error)
{
  g_auto(AssayStampScope) scope = { NULL };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (winner <= ASSAY_WINNER_TIE, FALSE);

  if (candidate_a == candidate_b)
    return invalid (error, _("a candidate cannot be compared with itself"));
  if (!candidate_in_source (self, candidate_a, source_id) ||
      !candidate_in_source (self, candidate_b, source_id))
    return invalid (error, _("a compared candidate does not belong to this source"));

  /* The unique index is on the unordered pair, so the upsert also catches a
   * pair saved earlier the other way round and takes the new sides. */
  stmt = _assay_project_prepare (self,
                                 "INSERT INTO comparisons (source_id, annotator_id, candidate_a,"
                                 " candidate_b, winner, rationale, created_at, updated_at,"
                                 " time_spent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, " ASSAY_STAMP_VALUES ")"
                                 " ON CONFLICT DO UPDATE SET candidate_a = excluded.candidate_a,"
                                 " candidate_b = excluded.candidate_b, winner = excluded.winner,"
                                 " rationale = excluded.rationale, " ASSAY_STAMP_UPDATE,
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_int64 (stmt, 3, candidate_a);
  sqlite3_bind_int64 (stmt, 4, candidate_b);
  sqlite3_bind_text (stmt, 5, assay_winner_to_string (winner), -1, SQLITE_STATIC);
  _assay_bind_text (stmt, 6, rationale != NULL && *rationale != '\0' ? rationale : NULL);
  _assay_stamp_bind (stmt, stamp, &scope);
  return run (self, stmt, error);
}

gboolean
assay_project_delete_comparison (AssayProject  *self,
                                 gint64         annotator_id,
                                 gint64         candidate_a,
                                 gint64         candidate_b,
                                 GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  stmt = _assay_project_prepare (self,
                                 "DELETE FROM comparisons WHERE annotator_id = ?1"
                                 " AND min (candidate_a, candidate_b) = min (?2, ?3)"
                                 " AND max (candidate_a, candidate_b) = max (?2, ?3)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, annotator_id);
  sqlite3_bind_int64 (stmt, 2, candidate_a);
  sqlite3_bind_int64 (stmt, 3, candidate_b);
  return run (self, stmt, error);
}

gboolean
assay_project_set_note (AssayProject      *self,
                        gint64             source_id,
                        gint64             candidate_id,
                        gint64             annotator_id,
                        const char        *text,
                        const AssayStamp  *stamp,
                        GError           **error)
{
  g_auto(AssayStampScope) scope = { NULL };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  if (candidate_id != 0 && !candidate_in_source (self, candidate_id, source_id))
    return invalid (error, _("the candidate does not belong to this source"));

  if (text == NULL || *text == '\0')
    {
      stmt = _assay_project_prepare (self,
                                     "DELETE FROM notes WHERE source_id = ? AND candidate_id = ?"
                                     " AND annotator_id = ?",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, candidate_id);
      sqlite3_bind_int64 (stmt, 3, annotator_id);
      return run (self, stmt, error);
    }

  stmt = _assay_project_prepare (self,
                                 "INSERT INTO notes (source_id, candidate_id, annotator_id, text,"
                                 " created_at, updated_at, time_spent)"
                                 " VALUES (?1, ?2, ?3, ?4, " ASSAY_STAMP_VALUES ")"
                                 " ON CONFLICT DO UPDATE SET text = excluded.text, " ASSAY_STAMP_UPDATE,
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, candidate_id);
  sqlite3_bind_int64 (stmt, 3, annotator_id);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_TRANSIENT);
  _assay_stamp_bind (stmt, stamp, &scope);
  return run (self, stmt, error);
}

gboolean
assay_project_set_status (AssayProject      *self,
                          gint64             source_id,
                          gint64             annotator_id,
                          AssayStatus        status,
                          const AssayStamp  *stamp,
                          GError           **error)
{
  g_auto(AssayStampScope) scope = { NULL };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (status < ASSAY_N_STATUSES, FALSE);

  stmt = _assay_project_prepare (self,
                                 "INSERT INTO item_status (source_id, annotator_id, status,"
                                 " created_at, updated_at, time_spent)"
                                 " VALUES (?1, ?2, ?3, " ASSAY_STAMP_VALUES ")"
                                 " ON CONFLICT DO UPDATE SET status = excluded.status, "
                                 ASSAY_STAMP_UPDATE,
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_text (stmt, 3, assay_status_to_string (status), -1, SQLITE_STATIC);
  _assay_stamp_bind (stmt, stamp, &scope);
  return run (self, stmt, error);
}

gboolean
assay_project_clear_judgments (AssayProject  *self,
                               gint64         source_id,
                               gint64         annotator_id,
                               GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  return _assay_kinds_clear (self, source_id, annotator_id, error);
}

char *
assay_project_dup_last_update (AssayProject *self,
                               gint64        source_id,
                               gint64        annotator_id)
{
  sqlite3_stmt *stmt;
  char *last = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  stmt = _assay_project_prepare (self, _assay_kinds_last_update_sql (self), NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    last = g_strdup (_assay_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return last;
}

/* ---- stamps, shared with the kinds (assay-kind-private.h) ---- */

void
_assay_stamp_scope_clear (AssayStampScope *scope)
{
  g_clear_pointer (&scope->now, g_free);
}

void
_assay_stamp_bind (sqlite3_stmt     *stmt,
                   const AssayStamp *stamp,
                   AssayStampScope  *scope)
{
  static const AssayStamp now_stamp = ASSAY_STAMP_INIT;

  if (stamp == NULL)
    stamp = &now_stamp;
  if (stamp->created_at == NULL || stamp->updated_at == NULL)
    scope->now = assay_now_iso8601 ();

  sqlite3_bind_text (stmt, 20, stamp->created_at ? stamp->created_at : scope->now, -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 21, stamp->updated_at ? stamp->updated_at : scope->now, -1,
                     SQLITE_TRANSIENT);
  if (stamp->time_spent >= 0)
    sqlite3_bind_double (stmt, 22, stamp->time_spent);
  else
    sqlite3_bind_null (stmt, 22);
  sqlite3_bind_int (stmt, 23, stamp->created_at != NULL);
}
