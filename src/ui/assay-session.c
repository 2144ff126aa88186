/* assay-session.c: one expert working in one project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-session.h"

struct _AssaySession
{
  GObject        parent_instance;

  AssayProject  *project;
  AssayTemplate *tmpl;
  AssayQueue    *queue;
  gint64         annotator_id;
  char          *annotator_ext_id;

  AssayItem     *item;
  GArray        *order;        /* indexes into item->candidates, display order */
  GTimer        *timer;        /* time on the item while active */
  gboolean       active;
  double         unsaved_time; /* seconds counted but not yet written */
};

G_DEFINE_FINAL_TYPE (AssaySession, assay_session, G_TYPE_OBJECT)

enum {
  ITEM_CHANGED,
  JUDGMENT_SAVED,
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void save_time (AssaySession *self);

static void
assay_session_dispose (GObject *object)
{
  AssaySession *self = ASSAY_SESSION (object);

  if (self->item != NULL)
    save_time (self);
  g_clear_pointer (&self->item, assay_item_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (assay_session_parent_class)->dispose (object);
}

static void
assay_session_finalize (GObject *object)
{
  AssaySession *self = ASSAY_SESSION (object);

  g_free (self->annotator_ext_id);
  g_timer_destroy (self->timer);

  G_OBJECT_CLASS (assay_session_parent_class)->finalize (object);
}

static void
assay_session_class_init (AssaySessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = assay_session_dispose;
  object_class->finalize = assay_session_finalize;

  /**
   * AssaySession::item-changed:
   *
   * Another item is on screen (or the same one, reloaded).
   */
  signals[ITEM_CHANGED] = g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
  /**
   * AssaySession::judgment-saved:
   * @kind: an #AssaySavedKind
   * @candidate_id: the candidate it is about, or 0
   *
   * A judgment was written to the project.
   */
  signals[JUDGMENT_SAVED] = g_signal_new ("judgment-saved", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
  /**
   * AssaySession::save-failed:
   * @message: what went wrong, for a person
   */
  signals[SAVE_FAILED] = g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
assay_session_init (AssaySession *self)
{
  self->timer = g_timer_new ();
  g_timer_stop (self->timer);
}

static AssaySession *
session_new (AssayProject        *project,
             const char          *annotator_id,
             const char          *annotator_name,
             AssayAnnotatorKind   kind,
             GError             **error)
{
  g_autoptr(AssaySession) self = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (annotator_id != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_SESSION, NULL);
  self->project = g_object_ref (project);
  self->annotator_ext_id = g_strdup (annotator_id);

  /* The name is only set for a new annotator: a name given in an imported
   * file is not overwritten by this machine's user name. A read-only
   * project gets no new annotator: someone who never judged it sees every
   * item to do. */
  self->annotator_id = assay_project_lookup_annotator (project, annotator_id);
  if (self->annotator_id == 0 && !assay_project_get_read_only (project) &&
      !assay_project_ensure_annotator (project, annotator_id, annotator_name, kind,
                                       &self->annotator_id, error))
    return NULL;

  self->tmpl = assay_project_load_template (project, error);
  if (self->tmpl == NULL)
    return NULL;

  self->queue = assay_queue_new (project, self->annotator_id);
  return g_steal_pointer (&self);
}

AssaySession *
assay_session_new (AssayProject  *project,
                   const char    *annotator_id,
                   const char    *annotator_name,
                   GError       **error)
{
  return session_new (project, annotator_id, annotator_name, ASSAY_ANNOTATOR_PERSON, error);
}

AssaySession *
assay_session_new_adjudicator (AssayProject  *project,
                               const char    *annotator_id,
                               const char    *annotator_name,
                               GError       **error)
{
  g_autoptr(GPtrArray) annotators = NULL;
  gint64 existing;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  /* Gold judgments must never be mixed with a rater's own. */
  existing = assay_project_lookup_annotator (project, annotator_id);
  if (existing != 0)
    {
      annotators = assay_project_list_annotators (project, error);
      if (annotators == NULL)
        return NULL;
      for (guint i = 0; i < annotators->len; i++)
        {
          AssayAnnotatorInfo *info = g_ptr_array_index (annotators, i);

          if (info->id == existing && info->kind != ASSAY_ANNOTATOR_ADJUDICATOR)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           _("“%s” is a rater in this project, not an adjudicator"),
                           annotator_id);
              return NULL;
            }
        }
    }
  return session_new (project, annotator_id, annotator_name, ASSAY_ANNOTATOR_ADJUDICATOR, error);
}

AssayProject *
assay_session_get_project (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  return self->project;
}

AssayTemplate *
assay_session_get_template (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  return self->tmpl;
}

AssayQueue *
assay_session_get_queue (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  return self->queue;
}

gint64
assay_session_get_annotator_id (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);
  return self->annotator_id;
}

AssayItem *
assay_session_get_item (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  return self->item;
}

gboolean
assay_session_get_read_only (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), TRUE);
  return assay_project_get_read_only (self->project);
}

const char *
assay_session_get_annotator_ext_id (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  return self->annotator_ext_id;
}

gboolean
assay_session_get_blind (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  return self->tmpl->blind;
}

static gboolean
failed (AssaySession  *self,
        GError        *local_error,
        GError       **error)
{
  g_signal_emit (self, signals[SAVE_FAILED], 0, local_error->message);
  g_propagate_error (error, local_error);
  return FALSE;
}

static void
saved (AssaySession   *self,
       AssaySavedKind  kind,
       gint64          candidate_id)
{
  g_signal_emit (self, signals[JUDGMENT_SAVED], 0, (guint) kind, candidate_id);
}

static double
take_time (AssaySession *self)
{
  double t = self->unsaved_time + g_timer_elapsed (self->timer, NULL);

  self->unsaved_time = 0;
  g_timer_start (self->timer);
  if (!self->active)
    g_timer_stop (self->timer);
  return t;
}

/* Adds the time counted on the item to its status row. */
static void
save_time (AssaySession *self)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  double t = take_time (self);

  if (assay_project_get_read_only (self->project))
    return;
  if (self->item == NULL || t < 1.0)
    {
      self->unsaved_time = t;
      return;
    }
  self->item->time_spent += t;
  stamp.time_spent = self->item->time_spent;
  if (!assay_project_set_status (self->project, self->item->source_id, self->annotator_id,
                                 self->item->status, &stamp, &error))
    g_warning ("Could not save the time spent: %s", error->message);
}

/* The first judgment on an item puts it in progress. */
static void
touch (AssaySession *self)
{
  if (self->item->status == ASSAY_STATUS_TODO)
    assay_session_set_status (self, ASSAY_STATUS_IN_PROGRESS, NULL);
}

gboolean
assay_session_load_item (AssaySession  *self,
                         gint64         source_id,
                         GError       **error)
{
  AssayItem *item;
  g_autofree char *key = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  if (self->item != NULL)
    save_time (self);

  item = assay_project_load_item (self->project, source_id, self->annotator_id, error);
  if (item == NULL)
    return FALSE;

  g_clear_pointer (&self->item, assay_item_unref);
  g_clear_pointer (&self->order, g_array_unref);
  self->item = item;
  self->order = assay_item_display_order (item, self->tmpl->blind);
  self->unsaved_time = 0;
  g_timer_start (self->timer);
  if (!self->active)
    g_timer_stop (self->timer);

  if (!assay_project_get_read_only (self->project))
    {
      key = g_strconcat ("resume.", self->annotator_ext_id, NULL);
      assay_project_set_setting (self->project, key, item->ext_id, NULL);
    }

  g_signal_emit (self, signals[ITEM_CHANGED], 0);
  return TRUE;
}

gint64
assay_session_get_resume_source (AssaySession *self)
{
  g_autofree char *key = NULL;
  g_autofree char *ext_id = NULL;
  gint64 id;
  guint n;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);

  key = g_strconcat ("resume.", self->annotator_ext_id, NULL);
  ext_id = assay_project_dup_setting (self->project, key);
  id = assay_project_lookup_source (self->project, ext_id);
  if (id != 0 && assay_queue_find (self->queue, id) != G_MAXUINT)
    return id;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (self->queue), i);
      AssayStatus status = assay_queue_row_get_status (row);

      if (status == ASSAY_STATUS_TODO || status == ASSAY_STATUS_IN_PROGRESS)
        return assay_queue_row_get_source_id (row);
    }
  return assay_queue_get_source_id (self->queue, 0);
}

gboolean
assay_session_move (AssaySession  *self,
                    int            delta,
                    GError       **error)
{
  guint position, n;
  gint64 target;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  if (n == 0)
    return FALSE;
  position = self->item ? assay_queue_find (self->queue, self->item->source_id) : G_MAXUINT;
  if (position == G_MAXUINT)
    position = delta > 0 ? 0 : n - 1;
  else if ((delta < 0 && position < (guint) -delta) || (delta > 0 && position + delta >= n))
    return FALSE;
  else
    position += delta;

  target = assay_queue_get_source_id (self->queue, position);
  return assay_session_load_item (self, target, error);
}

gboolean
assay_session_next_open (AssaySession  *self,
                         GError       **error)
{
  guint position, n;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  position = self->item ? assay_queue_find (self->queue, self->item->source_id) : G_MAXUINT;
  if (position == G_MAXUINT)
    position = n - 1;

  for (guint k = 1; k <= n; k++)
    {
      guint i = (position + k) % n;
      g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (self->queue), i);
      AssayStatus status = assay_queue_row_get_status (row);

      if ((status == ASSAY_STATUS_TODO || status == ASSAY_STATUS_IN_PROGRESS) &&
          (self->item == NULL || assay_queue_row_get_source_id (row) != self->item->source_id))
        return assay_session_load_item (self, assay_queue_row_get_source_id (row), error);
    }
  return FALSE;
}

void
assay_session_set_active (AssaySession *self,
                          gboolean      active)
{
  g_return_if_fail (ASSAY_IS_SESSION (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  if (active)
    g_timer_continue (self->timer);
  else
    g_timer_stop (self->timer);
}

double
assay_session_get_time_on_item (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);

  if (self->item == NULL)
    return 0;
  return self->item->time_spent + self->unsaved_time + g_timer_elapsed (self->timer, NULL);
}

/* ---- judgments ---- */

gboolean
assay_session_toggle_label (AssaySession  *self,
                            gint64         candidate_id,
                            gint64         option_id,
                            GError       **error)
{
  AssayItemCandidate *candidate;
  AssayLabelSet *set = NULL;
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *local_error = NULL;
  gboolean was_on = FALSE;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  candidate = assay_item_find_candidate (self->item, candidate_id);
  if (candidate == NULL || assay_template_option_by_id (self->tmpl, option_id, &set) == NULL ||
      set->scope != ASSAY_SCOPE_CANDIDATE)
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, _("No such label"));
      return FALSE;
    }

  /* The new choice within the set: the others stay only in a multi-choice set. */
  for (guint i = 0; i < candidate->labels->len; i++)
    {
      gint64 id = g_array_index (candidate->labels, gint64, i);
      AssayLabelSet *other = NULL;

      assay_template_option_by_id (self->tmpl, id, &other);
      if (other != set)
        continue;
      if (id == option_id)
        was_on = TRUE;
      else if (set->multi)
        g_array_append_val (chosen, id);
    }
  if (!was_on)
    g_array_append_val (chosen, option_id);

  if (!assay_project_set_labels (self->project, candidate_id, self->annotator_id, set->id,
                                 (gint64 *) chosen->data, chosen->len, NULL, &local_error))
    return failed (self, local_error, error);

  /* Mirror the stored state: labels of other sets, then this set's. */
  for (guint i = candidate->labels->len; i > 0; i--)
    {
      AssayLabelSet *other = NULL;

      assay_template_option_by_id (self->tmpl, g_array_index (candidate->labels, gint64, i - 1),
                                   &other);
      if (other == set)
        g_array_remove_index (candidate->labels, i - 1);
    }
  g_array_append_vals (candidate->labels, chosen->data, chosen->len);

  touch (self);
  saved (self, ASSAY_SAVED_LABELS, candidate_id);
  return TRUE;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const AssayItemSpan *x = *(AssayItemSpan **) a, *y = *(AssayItemSpan **) b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

AssayItemSpan *
assay_session_find_span (AssaySession        *self,
                         gint64               span_id,
                         AssayItemCandidate **candidate_out)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);

  if (self->item == NULL)
    return NULL;
  for (guint i = 0; i < self->item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (self->item->candidates, i);

      for (guint j = 0; j < candidate->spans->len; j++)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, j);

          if (span->id == span_id)
            {
              if (candidate_out != NULL)
                *candidate_out = candidate;
              return span;
            }
        }
    }
  return NULL;
}

gboolean
assay_session_add_span (AssaySession  *self,
                        gint64         candidate_id,
                        gint64         start,
                        gint64         end,
                        gint64         option_id,
                        gint64        *span_id,
                        GError       **error)
{
  AssayItemCandidate *candidate;
  AssayItemSpan *span;
  GError *local_error = NULL;
  gint64 id = 0;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  candidate = assay_item_find_candidate (self->item, candidate_id);
  if (candidate == NULL)
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, _("No such candidate"));
      return FALSE;
    }

  if (!assay_project_save_span (self->project, 0, candidate_id, self->annotator_id, start, end,
                                option_id, NULL, NULL, 0, NULL, &id, &local_error))
    return failed (self, local_error, error);

  /* Saving the same range and label again returns the existing span. */
  span = assay_session_find_span (self, id, NULL);
  if (span == NULL)
    {
      span = g_new0 (AssayItemSpan, 1);
      span->id = id;
      span->option_id = option_id;
      span->start = start;
      span->end = end;
      span->evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
      g_ptr_array_add (candidate->spans, span);
      g_ptr_array_sort (candidate->spans, compare_spans);
    }
  if (span_id != NULL)
    *span_id = id;

  touch (self);
  saved (self, ASSAY_SAVED_SPANS, candidate_id);
  return TRUE;
}

gboolean
assay_session_update_span (AssaySession  *self,
                           gint64         span_id,
                           gint64         option_id,
                           const char    *note,
                           GArray        *evidence,
                           GError       **error)
{
  AssayItemCandidate *candidate = NULL;
  AssayItemSpan *span;
  GError *local_error = NULL;
  GArray *ranges;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  span = assay_session_find_span (self, span_id, &candidate);
  if (span == NULL)
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND, _("No such span"));
      return FALSE;
    }

  ranges = evidence != NULL ? evidence : span->evidence;
  if (!assay_project_save_span (self->project, span_id, candidate->id, self->annotator_id,
                                span->start, span->end, option_id, note,
                                (AssayRange *) ranges->data, ranges->len, NULL, NULL,
                                &local_error))
    return failed (self, local_error, error);

  span->option_id = option_id;
  g_free (span->note);
  span->note = note != NULL && *note != '\0' ? g_strdup (note) : NULL;
  if (evidence != NULL && evidence != span->evidence)
    {
      g_array_set_size (span->evidence, 0);
      g_array_append_vals (span->evidence, evidence->data, evidence->len);
    }

  saved (self, ASSAY_SAVED_SPANS, candidate->id);
  return TRUE;
}

gboolean
assay_session_delete_span (AssaySession  *self,
                           gint64         span_id,
                           GError       **error)
{
  AssayItemCandidate *candidate = NULL;
  AssayItemSpan *span;
  GError *local_error = NULL;
  gint64 candidate_id;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  span = assay_session_find_span (self, span_id, &candidate);
  if (span == NULL)
    return TRUE;
  if (!assay_project_delete_span (self->project, span_id, &local_error))
    return failed (self, local_error, error);

  candidate_id = candidate->id;
  g_ptr_array_remove (candidate->spans, span);
  saved (self, ASSAY_SAVED_SPANS, candidate_id);
  return TRUE;
}

gboolean
assay_session_set_correction (AssaySession  *self,
                              gint64         candidate_id,
                              const char    *text,
                              GError       **error)
{
  AssayItemCandidate *candidate;
  GError *local_error = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  candidate = assay_item_find_candidate (self->item, candidate_id);
  if (candidate == NULL)
    return FALSE;

  /* Editing back to the original is no correction at all. */
  if (g_strcmp0 (text, candidate->text) == 0)
    text = NULL;
  if (g_strcmp0 (text, candidate->correction) == 0)
    return TRUE;

  if (!assay_project_set_correction (self->project, candidate_id, self->annotator_id, text, NULL,
                                     &local_error))
    return failed (self, local_error, error);

  g_free (candidate->correction);
  candidate->correction = g_strdup (text);
  touch (self);
  saved (self, ASSAY_SAVED_CORRECTION, candidate_id);
  return TRUE;
}

static gboolean
store_score (AssaySession  *self,
             gint64         candidate_id,
             gint64         criterion_id,
             gboolean       clear,
             int            value,
             const char    *rationale,
             GError       **error)
{
  AssayItemCandidate *candidate;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  candidate = assay_item_find_candidate (self->item, candidate_id);
  if (candidate == NULL)
    return FALSE;

  if (clear)
    ok = assay_project_clear_score (self->project, candidate_id, self->annotator_id, criterion_id,
                                    &local_error);
  else
    ok = assay_project_set_score (self->project, candidate_id, self->annotator_id, criterion_id,
                                  value, rationale, NULL, &local_error);
  if (!ok)
    return failed (self, local_error, error);

  if (clear)
    g_hash_table_remove (candidate->scores, &criterion_id);
  else
    {
      AssayItemScore *score = g_new0 (AssayItemScore, 1);
      gint64 *key = g_new (gint64, 1);

      *key = criterion_id;
      score->value = value;
      score->rationale = rationale != NULL && *rationale != '\0' ? g_strdup (rationale) : NULL;
      g_hash_table_replace (candidate->scores, key, score);
    }
  touch (self);
  saved (self, ASSAY_SAVED_SCORES, candidate_id);
  return TRUE;
}

gboolean
assay_session_set_score (AssaySession  *self,
                         gint64         candidate_id,
                         gint64         criterion_id,
                         int            value,
                         const char    *rationale,
                         GError       **error)
{
  return store_score (self, candidate_id, criterion_id, FALSE, value, rationale, error);
}

gboolean
assay_session_clear_score (AssaySession  *self,
                           gint64         candidate_id,
                           gint64         criterion_id,
                           GError       **error)
{
  return store_score (self, candidate_id, criterion_id, TRUE, 0, NULL, error);
}

gboolean
assay_session_set_ranking (AssaySession  *self,
                           const gint64  *candidate_ids,
                           const int     *ranks,
                           guint          n,
                           GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  if (!assay_project_set_ranking (self->project, self->item->source_id, self->annotator_id,
                                  candidate_ids, ranks, n, NULL, &local_error))
    return failed (self, local_error, error);

  for (guint i = 0; i < self->item->candidates->len; i++)
    ((AssayItemCandidate *) g_ptr_array_index (self->item->candidates, i))->rank = 0;
  for (guint i = 0; i < n; i++)
    {
      AssayItemCandidate *candidate = assay_item_find_candidate (self->item, candidate_ids[i]);

      if (candidate != NULL)
        candidate->rank = ranks[i];
    }
  touch (self);
  saved (self, ASSAY_SAVED_RANKING, 0);
  return TRUE;
}

gboolean
assay_session_set_comparison (AssaySession  *self,
                              gint64         a,
                              gint64         b,
                              AssayWinner    winner,
                              const char    *rationale,
                              GError       **error)
{
  AssayItemComparison *comparison;
  GError *local_error = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  if (!assay_project_set_comparison (self->project, self->item->source_id, self->annotator_id,
                                     a, b, winner, rationale, NULL, &local_error))
    return failed (self, local_error, error);

  comparison = assay_item_find_comparison (self->item, a, b);
  if (comparison == NULL)
    {
      comparison = g_new0 (AssayItemComparison, 1);
      g_ptr_array_add (self->item->comparisons, comparison);
    }
  comparison->a = a;
  comparison->b = b;
  comparison->winner = winner;
  g_free (comparison->rationale);
  comparison->rationale = rationale != NULL && *rationale != '\0' ? g_strdup (rationale) : NULL;

  touch (self);
  saved (self, ASSAY_SAVED_COMPARISON, 0);
  return TRUE;
}

gboolean
assay_session_set_note (AssaySession  *self,
                        gint64         candidate_id,
                        const char    *text,
                        GError       **error)
{
  GError *local_error = NULL;
  char **slot;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  if (candidate_id == 0)
    slot = &self->item->note;
  else
    {
      AssayItemCandidate *candidate = assay_item_find_candidate (self->item, candidate_id);

      if (candidate == NULL)
        return FALSE;
      slot = &candidate->note;
    }

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (*slot, text) == 0)
    return TRUE;

  if (!assay_project_set_note (self->project, self->item->source_id, candidate_id,
                               self->annotator_id, text, NULL, &local_error))
    return failed (self, local_error, error);

  g_free (*slot);
  *slot = g_strdup (text);
  saved (self, ASSAY_SAVED_NOTE, candidate_id);
  return TRUE;
}

gboolean
assay_session_set_status (AssaySession  *self,
                          AssayStatus    status,
                          GError       **error)
{
  AssayStamp stamp = ASSAY_STAMP_INIT;
  GError *local_error = NULL;
  double t;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  t = take_time (self);
  stamp.time_spent = self->item->time_spent + t;
  if (!assay_project_set_status (self->project, self->item->source_id, self->annotator_id, status,
                                 &stamp, &local_error))
    {
      self->unsaved_time += t;
      return failed (self, local_error, error);
    }

  self->item->status = status;
  self->item->time_spent = stamp.time_spent;
  assay_queue_source_changed (self->queue, self->item->source_id);
  saved (self, ASSAY_SAVED_STATUS, 0);
  return TRUE;
}

GPtrArray *
assay_session_display_candidates (AssaySession *self)
{
  GPtrArray *candidates = g_ptr_array_new ();

  g_return_val_if_fail (ASSAY_IS_SESSION (self), candidates);

  for (guint i = 0; self->order != NULL && i < self->order->len; i++)
    g_ptr_array_add (candidates,
                     g_ptr_array_index (self->item->candidates,
                                        g_array_index (self->order, guint, i)));
  return candidates;
}

char *
assay_session_candidate_letter (AssaySession *self,
                                gint64        candidate_id)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);

  for (guint i = 0; self->order != NULL && i < self->order->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (self->item->candidates,
                                                         g_array_index (self->order, guint, i));

      if (candidate->id == candidate_id)
        {
          if (i < 26)
            return g_strdup_printf ("%c", 'A' + i);
          return g_strdup_printf ("%u", i + 1);
        }
    }
  return g_strdup ("?");
}

char *
assay_session_candidate_name (AssaySession *self,
                              gint64        candidate_id)
{
  g_autofree char *letter = assay_session_candidate_letter (self, candidate_id);
  AssayItemCandidate *candidate;

  candidate = self->item ? assay_item_find_candidate (self->item, candidate_id) : NULL;
  if (candidate == NULL || self->tmpl->blind)
    return g_steal_pointer (&letter);
  /* TRANSLATORS: a candidate's letter and its model, e.g. "A · scribe-xl" */
  return g_strdup_printf (_("%s · %s"), letter, candidate->model);
}

GPtrArray *
assay_session_missing_required (AssaySession *self)
{
  GPtrArray *missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) candidates = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), missing);

  if (self->item == NULL || !(self->tmpl->kinds & ASSAY_JUDGE_SCORES))
    return missing;

  candidates = assay_session_display_candidates (self);
  for (guint i = 0; i < candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (candidates, i);

      for (guint j = 0; j < self->tmpl->criteria->len; j++)
        {
          AssayCriterion *criterion = g_ptr_array_index (self->tmpl->criteria, j);

          if (criterion->required && !g_hash_table_contains (candidate->scores, &criterion->id))
            {
              g_autofree char *letter = assay_session_candidate_letter (self, candidate->id);

              /* TRANSLATORS: e.g. "Faithfulness of candidate B" */
              g_ptr_array_add (missing, g_strdup_printf (_("%s of candidate %s"),
                                                         criterion->title ? criterion->title
                                                                          : criterion->name,
                                                         letter));
            }
        }
    }
  return missing;
}
