/* assay-precheck.c: storing the pre-check's findings as a model's spans
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The findings of assay-precheck-text.c on a candidate become the spans of
 * the built-in model annotator `assay:precheck` on it, each labelled with
 * the template's "unsupported" span label (when it has one) and with its
 * reason as the note. A run makes the annotator's spans on each candidate
 * it checks exactly the current findings: a span already there with the
 * same range, label and reason stays as it was (times included), others go.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-judgments.h"
#include "assay-precheck.h"
#include "assay-project-private.h"
#include "assay-template.h"

void
assay_precheck_stored_free (AssayPrecheckStored *stored)
{
  if (stored == NULL)
    return;
  g_free (stored->source);
  g_free (stored->candidate);
  g_free (stored->text);
  g_free (stored->reason);
  g_free (stored);
}

static gboolean
says_unsupported (const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, "unsupported") != NULL || strstr (folded, "not supported") != NULL;
}

gint64
assay_precheck_find_label (AssayProject  *self,
                           GError       **error)
{
  g_autoptr(AssayTemplate) tmpl = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), 0);

  tmpl = assay_project_load_template (self, error);
  if (tmpl == NULL)
    return 0;
  /* The name first, then the title, then the description: an option
   * called "unsupported" wins over one that only mentions it. */
  for (int pass = 0; pass < 3; pass++)
    for (guint i = 0; i < tmpl->label_sets->len; i++)
      {
        AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

        if (set->scope != ASSAY_SCOPE_SPAN)
          continue;
        for (guint j = 0; j < set->options->len; j++)
          {
            AssayLabelOption *option = g_ptr_array_index (set->options, j);
            const char *text = pass == 0 ? option->name
                               : pass == 1 ? option->title : option->description;

            if (says_unsupported (text))
              return option->id;
          }
      }
  return 0;
}

typedef struct
{
  gint64 id;
  gint64 start;
  gint64 end;
  gint64 option_id;
  char  *note;
} StoredSpan;

static void
stored_span_clear (gpointer data)
{
  g_free (((StoredSpan *) data)->note);
}

static gboolean
read_stored (AssayProject  *self,
             gint64         candidate_id,
             gint64         annotator_id,
             GArray        *out,
             GError       **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (self,
                                               "SELECT id, start, end, ifnull (option_id, 0), note"
                                               " FROM spans"
                                               " WHERE candidate_id = ?1 AND annotator_id = ?2",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StoredSpan s = {
        sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
        sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3),
        g_strdup (_assay_column_text (stmt, 4)),
      };

      g_array_append_val (out, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
  return TRUE;
}

/* Makes the annotator's spans on the candidate exactly the findings. */
static gboolean
store_findings (AssayProject  *self,
                gint64         candidate_id,
                gint64         annotator_id,
                gint64         option_id,
                GPtrArray     *findings,
                gboolean      *changed,
                GError       **error)
{
  g_autoptr(GArray) stored = g_array_new (FALSE, TRUE, sizeof (StoredSpan));
  g_autofree gboolean *kept = g_new0 (gboolean, findings->len + 1);
  AssayStamp stamp = ASSAY_STAMP_INIT;

  g_array_set_clear_func (stored, stored_span_clear);
  stamp.time_spent = 0;
  *changed = FALSE;
  if (!read_stored (self, candidate_id, annotator_id, stored, error))
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    {
      StoredSpan *s = &g_array_index (stored, StoredSpan, i);
      gboolean found = FALSE;

      for (guint j = 0; j < findings->len && !found; j++)
        {
          AssayPrecheckFinding *f = g_ptr_array_index (findings, j);

          if (!kept[j] && f->start == s->start && f->end == s->end && s->option_id == option_id &&
              g_strcmp0 (f->reason, s->note) == 0)
            found = kept[j] = TRUE;
        }
      if (!found)
        {
          if (!assay_project_delete_span (self, s->id, error))
            return FALSE;
          *changed = TRUE;
        }
    }
  for (guint j = 0; j < findings->len; j++)
    {
      AssayPrecheckFinding *f = g_ptr_array_index (findings, j);

      if (kept[j])
        continue;
      if (!assay_project_save_span (self, 0, candidate_id, annotator_id, f->start, f->end,
                                    option_id, f->reason, NULL, 0, &stamp, NULL, error))
        return FALSE;
      *changed = TRUE;
    }
  return TRUE;
}

/* One finding per range: the first (a range is the key of a span). */
static void
drop_same_ranges (GPtrArray *findings)
{
  for (guint i = 1; i < findings->len; i++)
    {
      AssayPrecheckFinding *a = g_ptr_array_index (findings, i - 1);
      AssayPrecheckFinding *b = g_ptr_array_index (findings, i);

      if (a->start == b->start && a->end == b->end)
        g_ptr_array_remove_index (findings, i--);
    }
}

static char *
candidate_text (AssayProject  *self,
                gint64         candidate_id,
                GError       **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (self, "SELECT text FROM candidates WHERE id = ?1",
                                               error);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup (_assay_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (text == NULL)
    g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND, _("no such candidate"));
  return text;
}

/* One source's part of a run: read from the project on the caller's
 * thread, checked on a worker, stored on the caller's thread again. */
typedef struct
{
  gint64     source_id;
  GArray    *candidate_ids;    /* gint64, borrowed */
  char      *text;
  GPtrArray *more;             /* title and speakers, NULL-terminated */
  GPtrArray *candidate_texts;  /* utf8 */
  GPtrArray *findings;         /* per candidate: GPtrArray of AssayPrecheckFinding */
} Job;

static void
job_free (Job *job)
{
  g_free (job->text);
  g_clear_pointer (&job->more, g_ptr_array_unref);
  g_clear_pointer (&job->candidate_texts, g_ptr_array_unref);
  g_clear_pointer (&job->findings, g_ptr_array_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
load_job (AssayProject  *self,
          gint64         source_id,
          GArray        *candidate_ids,
          GError       **error)
{
  g_autoptr(Job) job = g_new0 (Job, 1);
  g_autoptr(GHashTable) speakers = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  job->source_id = source_id;
  job->candidate_ids = candidate_ids;
  job->more = g_ptr_array_new_with_free_func (g_free);
  job->candidate_texts = g_ptr_array_new_with_free_func (g_free);

  stmt = _assay_project_prepare (self, "SELECT title, text FROM sources WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (job->more, g_strdup (_assay_column_text (stmt, 0)));
      job->text = g_strdup (_assay_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (job->text == NULL)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND, _("The item is not in the project"));
      return NULL;
    }

  /* Transcripts name their speakers beside the text. */
  stmt = _assay_project_prepare (self,
                                 "SELECT speaker FROM segments"
                                 " WHERE source_id = ?1 AND speaker IS NOT NULL",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *speaker = _assay_column_text (stmt, 0);

      if (!g_hash_table_contains (speakers, speaker))
        {
          char *copy = g_strdup (speaker);

          g_ptr_array_add (job->more, copy);
          g_hash_table_add (speakers, copy);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
      return NULL;
    }
  g_ptr_array_add (job->more, NULL);

  for (guint i = 0; i < candidate_ids->len; i++)
    {
      char *text = candidate_text (self, g_array_index (candidate_ids, gint64, i), error);

      if (text == NULL)
        return NULL;
      g_ptr_array_add (job->candidate_texts, text);
    }
  return g_steal_pointer (&job);
}

/* On a worker: nothing here touches the project. */
static void
check_job (Job *job)
{
  g_autoptr(AssayPrecheckSource) source =
    assay_precheck_source_new (job->text, (const char * const *) job->more->pdata);

  job->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < job->candidate_texts->len; i++)
    {
      GPtrArray *findings = assay_precheck_source_check (source,
                                                         g_ptr_array_index (job->candidate_texts,
                                                                            i));

      drop_same_ranges (findings);
      g_ptr_array_add (job->findings, findings);
    }
}

static gboolean
store_job (AssayProject          *self,
           Job                   *job,
           gint64                *annotator_id,
           gint64                 option_id,
           AssayPrecheckSummary  *summary,
           GError               **error)
{
  for (guint i = 0; i < job->candidate_ids->len; i++)
    {
      gint64 candidate_id = g_array_index (job->candidate_ids, gint64, i);
      GPtrArray *findings = g_ptr_array_index (job->findings, i);
      gboolean changed = FALSE;

      /* The annotator comes with its first finding: a project where the
       * pre-check never found anything does not list it. */
      if (*annotator_id == 0 && findings->len > 0 &&
          !assay_project_ensure_annotator (self, ASSAY_PRECHECK_ANNOTATOR, _("Pre-check"),
                                           ASSAY_ANNOTATOR_MODEL, annotator_id, error))
        return FALSE;
      if (*annotator_id != 0 &&
          !store_findings (self, candidate_id, *annotator_id, option_id, findings, &changed,
                           error))
        return FALSE;
      summary->n_candidates++;
      summary->n_findings += findings->len;
      summary->n_changed += changed;
    }
  return TRUE;
}

/* Sources are read, checked and stored a batch at a time, the checks of a
 * batch on every core: the reading of texts is most of a run's work, and
 * a batch bounds the memory a large import needs. */
#define BATCH_SOURCES 64

typedef struct
{
  GMutex lock;
  GCond  cond;
  guint  pending;
} Batch;

static void
check_in_pool (gpointer data,
               gpointer user_data)
{
  Batch *batch = user_data;

  check_job (data);
  g_mutex_lock (&batch->lock);
  if (--batch->pending == 0)
    g_cond_signal (&batch->cond);
  g_mutex_unlock (&batch->lock);
}

static void
check_batch (GThreadPool *pool,
             Batch       *batch,
             GPtrArray   *jobs)
{
  if (pool == NULL || jobs->len == 1)
    {
      for (guint i = 0; i < jobs->len; i++)
        check_job (g_ptr_array_index (jobs, i));
      return;
    }
  g_mutex_lock (&batch->lock);
  batch->pending = jobs->len;
  g_mutex_unlock (&batch->lock);
  for (guint i = 0; i < jobs->len; i++)
    g_thread_pool_push (pool, g_ptr_array_index (jobs, i), NULL);
  g_mutex_lock (&batch->lock);
  while (batch->pending > 0)
    g_cond_wait (&batch->cond, &batch->lock);
  g_mutex_unlock (&batch->lock);
}

static void
stop_pool (GThreadPool *pool)
{
  g_thread_pool_free (pool, FALSE, TRUE);
}

gboolean
assay_project_precheck (AssayProject          *self,
                        gint64                 after_candidate_id,
                        AssayPrecheckSummary  *summary,
                        GCancellable          *cancellable,
                        GError               **error)
{
  g_autoptr(GHashTable) by_source = NULL;
  g_autoptr(GArray) sources = g_array_new (FALSE, FALSE, sizeof (gint64));
  AssayPrecheckSummary own = { 0 };
  GThreadPool *pool = NULL;
  Batch batch;
  guint n_threads;
  gint64 annotator_id = 0, option_id;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), FALSE);

  if (summary == NULL)
    summary = &own;
  memset (summary, 0, sizeof *summary);

  /* The candidates to check, by source (each source is read once). */
  by_source = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) g_array_unref);
  stmt = _assay_project_prepare (self,
                                 "SELECT id, source_id FROM candidates WHERE id > ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_candidate_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0), source_id = sqlite3_column_int64 (stmt, 1);
      GArray *ids = g_hash_table_lookup (by_source, &source_id);

      if (ids == NULL)
        {
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (by_source, g_memdup2 (&source_id, sizeof source_id), ids);
          g_array_append_val (sources, source_id);
        }
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
  if (sources->len == 0)
    return TRUE;

  if (!assay_project_begin (self, error))
    return FALSE;
  g_mutex_init (&batch.lock);
  g_cond_init (&batch.cond);
  batch.pending = 0;
  annotator_id = assay_project_lookup_annotator (self, ASSAY_PRECHECK_ANNOTATOR);
  option_id = assay_precheck_find_label (self, &local_error);
  if (local_error != NULL)
    goto fail;
  n_threads = MIN (g_get_num_processors (), 8);
  if (n_threads > 1 && sources->len > 1)
    pool = g_thread_pool_new (check_in_pool, &batch, n_threads, FALSE, NULL);
  for (guint from = 0; from < sources->len; from += BATCH_SOURCES)
    {
      g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        goto fail;
      for (guint i = from; i < sources->len && i < from + BATCH_SOURCES; i++)
        {
          gint64 source_id = g_array_index (sources, gint64, i);
          Job *job = load_job (self, source_id, g_hash_table_lookup (by_source, &source_id),
                               &local_error);

          if (job == NULL)
            goto fail;
          g_ptr_array_add (jobs, job);
        }
      check_batch (pool, &batch, jobs);
      for (guint i = 0; i < jobs->len; i++)
        if (!store_job (self, g_ptr_array_index (jobs, i), &annotator_id, option_id, summary,
                        &local_error))
          goto fail;
    }
  g_clear_pointer (&pool, stop_pool);
  g_mutex_clear (&batch.lock);
  g_cond_clear (&batch.cond);
  return assay_project_commit (self, error);

fail:
  g_clear_pointer (&pool, stop_pool);
  g_mutex_clear (&batch.lock);
  g_cond_clear (&batch.cond);
  assay_project_rollback (self);
  memset (summary, 0, sizeof *summary);
  g_propagate_error (error, local_error);
  return FALSE;
}

GPtrArray *
assay_project_dup_precheck (AssayProject  *self,
                            GError       **error)
{
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GArray) source_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) source_exts = g_ptr_array_new_with_free_func (g_free);
  gint64 annotator_id;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_precheck_stored_free);
  annotator_id = assay_project_lookup_annotator (self, ASSAY_PRECHECK_ANNOTATOR);
  if (annotator_id == 0)
    return g_steal_pointer (&out);

  if (!assay_project_begin_read (self, error))
    return NULL;
  stmt = _assay_project_prepare (self, "SELECT id, ext_id FROM sources ORDER BY id", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (source_ids, id);
      g_ptr_array_add (source_exts, g_strdup (_assay_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
      goto fail;
    }

  for (guint i = 0; i < source_ids->len; i++)
    {
      stmt = _assay_project_prepare (self,
                                     "SELECT c.ext_id, p.start, p.end,"
                                     " substr (c.text, p.start + 1, p.end - p.start), p.note"
                                     " FROM candidates c"
                                     " CROSS JOIN spans p ON p.candidate_id = c.id"
                                     " WHERE c.source_id = ?1 AND p.annotator_id = ?2"
                                     " ORDER BY c.position, c.id, p.start, p.end",
                                     error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (source_ids, gint64, i));
      sqlite3_bind_int64 (stmt, 2, annotator_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          AssayPrecheckStored *s = g_new0 (AssayPrecheckStored, 1);

          s->source = g_strdup (g_ptr_array_index (source_exts, i));
          s->candidate = g_strdup (_assay_column_text (stmt, 0));
          s->start = sqlite3_column_int64 (stmt, 1);
          s->end = sqlite3_column_int64 (stmt, 2);
          s->text = g_strdup (_assay_column_text (stmt, 3));
          s->reason = g_strdup (_assay_column_text (stmt, 4) ? _assay_column_text (stmt, 4) : "");
          g_ptr_array_add (out, s);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _assay_sqlite_error (_assay_project_get_db (self), error, NULL);
          goto fail;
        }
    }
  assay_project_end_read (self);
  return g_steal_pointer (&out);

fail:
  assay_project_end_read (self);
  return NULL;
}
