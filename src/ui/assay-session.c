/* assay-session.c: one expert working in one project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "assay-session.h"
#include "assay-session-private.h"

typedef struct _Step Step;

struct _AssaySession
{
  GObject        parent_instance;

  AssayProject  *project;
  AssayTemplate *tmpl;
  AssayQueue    *queue;
  gint64         annotator_id;
  char          *annotator_ext_id;

  AssayItem     *item;
  AssayItemModel *item_model;  /* the item as widgets follow it */
  GArray        *order;        /* indexes into item->candidates, display order */
  gint64         candidate_id; /* the candidate in the main view */

  /* Time on screen: the item's visit counts while the session is active.
   * Times below are seconds of the visit (see on_screen()). */
  AssaySessionClock clock;
  gpointer       clock_data;
  gboolean       active;
  gint64         active_since; /* clock time the session became active */
  double         visit_time;   /* seconds on screen before active_since */
  double         item_saved_at; /* the item's time is written up to here */
  double         judged_at;    /* the last judgment change on the item */
  double         timing_at;    /* when judgment_time() was last asked */
  GHashTable    *judgment_times; /* judgment key -> seconds (double *) this visit */

  /* The history (see "undo and redo" below). */
  GQueue        *undo;         /* Step, the newest first */
  GQueue        *redo;
  Step          *step;         /* being recorded */
  guint64        serial;
  gboolean       replaying;
  guint          batch;        /* inside one action that makes several changes */
  char          *batch_description; /* what the batch's last change would have been called */
  gboolean       mergeable;    /* the newest step takes the next save of its text */
  gboolean       could_undo;   /* as last notified */
  gboolean       could_redo;

  guint          resume_id;    /* writes where to resume, once the expert settles */
};

/* Seconds on an item before it becomes the place to resume. */
#define RESUME_DELAY_S 2

G_DEFINE_FINAL_TYPE (AssaySession, assay_session, G_TYPE_OBJECT)

enum {
  ITEM_CHANGED,
  JUDGMENT_SAVED,
  SAVE_FAILED,
  HISTORY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_TEMPLATE,
  PROP_READ_ONLY,
  PROP_BLIND,
  PROP_CURRENT_ITEM,
  PROP_CANDIDATE_ID,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void     save_time     (AssaySession  *self);
static gboolean change_status (AssaySession  *self,
                               AssayStatus    status,
                               GError       **error);
static void     step_free     (gpointer       data);

/* Remembers the item on screen as the place to resume the project. */
static void
store_resume (AssaySession *self)
{
  g_autofree char *key = NULL;

  g_clear_handle_id (&self->resume_id, g_source_remove);
  if (self->item == NULL || assay_project_get_read_only (self->project))
    return;
  key = g_strconcat ("resume.", self->annotator_ext_id, NULL);
  assay_project_set_setting (self->project, key, self->item->ext_id, NULL);
}

static gboolean
store_resume_cb (gpointer data)
{
  AssaySession *self = data;

  self->resume_id = 0;
  store_resume (self);
  return G_SOURCE_REMOVE;
}

static void
assay_session_dispose (GObject *object)
{
  AssaySession *self = ASSAY_SESSION (object);

  if (self->resume_id != 0)
    store_resume (self);
  if (self->item != NULL)
    save_time (self);
  g_clear_pointer (&self->item, assay_item_unref);
  g_clear_object (&self->item_model);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->batch_description, g_free);
  if (self->queue != NULL)
    assay_queue_close (self->queue);
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
  g_hash_table_unref (self->judgment_times);
  g_queue_free_full (self->undo, step_free);
  g_queue_free_full (self->redo, step_free);
  g_clear_pointer (&self->step, step_free);

  G_OBJECT_CLASS (assay_session_parent_class)->finalize (object);
}

static void
assay_session_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AssaySession *self = ASSAY_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_TEMPLATE:
      g_value_set_boxed (value, self->tmpl);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, assay_session_get_read_only (self));
      break;
    case PROP_BLIND:
      g_value_set_boolean (value, self->tmpl != NULL && self->tmpl->blind);
      break;
    case PROP_CURRENT_ITEM:
      g_value_set_object (value, self->item_model);
      break;
    case PROP_CANDIDATE_ID:
      g_value_set_int64 (value, self->candidate_id);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, assay_session_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, assay_session_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_session_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AssaySession *self = ASSAY_SESSION (object);

  switch (prop_id)
    {
    case PROP_CANDIDATE_ID:
      assay_session_set_candidate (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_session_class_init (AssaySessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = assay_session_dispose;
  object_class->finalize = assay_session_finalize;
  object_class->get_property = assay_session_get_property;
  object_class->set_property = assay_session_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, ASSAY_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE] =
    g_param_spec_boxed ("template", NULL, NULL, ASSAY_TYPE_TEMPLATE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLIND] =
    g_param_spec_boolean ("blind", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * AssaySession:current-item:
   *
   * The item on screen (an #AssayItemModel, a new one for each load), or
   * %NULL. Widgets follow it and its "judgment-changed" signal.
   */
  properties[PROP_CURRENT_ITEM] =
    g_param_spec_object ("current-item", NULL, NULL, ASSAY_TYPE_ITEM_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AssaySession:candidate-id:
   *
   * The candidate the expert is judging in the Review page (0: none). A
   * new item starts on its first candidate in display order.
   */
  properties[PROP_CANDIDATE_ID] =
    g_param_spec_int64 ("candidate-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  /**
   * AssaySession::history-changed:
   *
   * A change was recorded, undone or redone: what Undo and Redo would do
   * is different now.
   */
  signals[HISTORY_CHANGED] = g_signal_new ("history-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
assay_session_init (AssaySession *self)
{
  self->judgment_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->undo = g_queue_new ();
  self->redo = g_queue_new ();
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

  /* Reading every source id takes most of a second on a project of a
   * million sources: the queue starts empty, and whoever shows it fills it
   * with assay_queue_reload_async(). */
  self->queue = assay_queue_new_empty (project, self->annotator_id);
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
  /* The item's own signal first: the widgets on the item are up to date
   * before anything that follows the session as a whole. */
  if (self->item_model != NULL)
    _assay_item_model_judgment_changed (self->item_model, kind, candidate_id);
  g_signal_emit (self, signals[JUDGMENT_SAVED], 0, (guint) kind, candidate_id);
}

/* ---- time on screen ----
 *
 * A visit of an item lasts from its load to the next; it counts only while
 * the session is active (the window shows the item and has the focus).
 * The item's time (on its status row) grows by the visit's time. Each
 * judgment written during the visit gets the time since the previous
 * judgment change on the item (or since the visit began), added up over
 * the visit when the same judgment is changed again: the time the item
 * was on screen while that judgment was being made. */

static gint64
clock_now (AssaySession *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

/* Seconds of the current visit so far. */
static double
on_screen (AssaySession *self)
{
  double t = self->visit_time;

  if (self->active)
    t += (clock_now (self) - self->active_since) / (double) G_USEC_PER_SEC;
  return t;
}

static void
start_visit (AssaySession *self)
{
  self->visit_time = 0;
  self->item_saved_at = 0;
  self->judged_at = 0;
  self->timing_at = 0;
  self->active_since = clock_now (self);
  g_hash_table_remove_all (self->judgment_times);
}

static char *
judgment_key (int    kind,
              gint64 candidate_id,
              gint64 key)
{
  return g_strdup_printf ("%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, kind, candidate_id, key);
}

/* The time to store with a judgment about to be written: what it had this
 * visit and the time since the last judgment change. judgment_timed()
 * takes it once the write succeeded. While an undo or redo writes, the
 * stored time is kept (-1). */
static double
judgment_time (AssaySession *self,
               int           kind,
               gint64        candidate_id,
               gint64        key)
{
  g_autofree char *name = NULL;
  double *before;

  if (self->replaying)
    return -1.0;
  name = judgment_key (kind, candidate_id, key);
  before = g_hash_table_lookup (self->judgment_times, name);
  self->timing_at = on_screen (self);
  return (before != NULL ? *before : 0) + MAX (0, self->timing_at - self->judged_at);
}

static void
judgment_timed (AssaySession *self,
                int           kind,
                gint64        candidate_id,
                gint64        key,
                double        seconds)
{
  double *value;

  if (self->replaying)
    return;
  value = g_new (double, 1);
  *value = seconds;
  g_hash_table_replace (self->judgment_times, judgment_key (kind, candidate_id, key), value);
  self->judged_at = MAX (self->judged_at, self->timing_at);
}

/* A judgment removed: the time until now went into removing it. */
static void
judgment_removed (AssaySession *self,
                  int           kind,
                  gint64        candidate_id,
                  gint64        key)
{
  g_autofree char *name = NULL;

  if (self->replaying)
    return;
  name = judgment_key (kind, candidate_id, key);
  g_hash_table_remove (self->judgment_times, name);
  self->judged_at = on_screen (self);
}

/* Adds the time counted on the item to its status row. */
static void
save_time (AssaySession *self)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  double now = on_screen (self);
  double t = now - self->item_saved_at;

  if (assay_project_get_read_only (self->project))
    return;
  if (self->item == NULL || t < 1.0)
    return;
  self->item_saved_at = now;
  self->item->time_spent += t;
  stamp.time_spent = self->item->time_spent;
  if (!assay_project_set_status (self->project, self->item->source_id, self->annotator_id,
                                 self->item->status, &stamp, &error))
    g_warning ("Could not save the time spent: %s", error->message);
}

/* The model annotators' judgments on the item, as proposals. Failing to
 * read them costs the expert only the proposals, never the item. */
static gboolean
load_proposals (AssaySession  *self)
{
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;

  proposals = assay_project_load_proposals (self->project, self->tmpl, self->item->source_id,
                                            &error);
  if (proposals == NULL)
    g_warning ("Could not read the suggestions on “%s”: %s", self->item->ext_id, error->message);
  _assay_item_model_set_proposals (self->item_model, self->tmpl, proposals);
  return proposals != NULL;
}

gboolean
assay_session_load_item (AssaySession  *self,
                         gint64         source_id,
                         GError       **error)
{
  AssayItem *item;
  gint64 previous;

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
  start_visit (self);

  /* Where to resume is written a moment after the expert settles on an
   * item, and when the session ends: a committed write (a full sync)
   * on every switch would cost each switch a disk flush. */
  if (!assay_project_get_read_only (self->project))
    {
      g_clear_handle_id (&self->resume_id, g_source_remove);
      self->resume_id = g_timeout_add_seconds (RESUME_DELAY_S, store_resume_cb, self);
    }

  /* The item's new model, and its first candidate, before anyone is told:
   * whoever follows one of them finds the other up to date. */
  previous = self->candidate_id;
  self->candidate_id = self->order->len > 0
                         ? ((AssayItemCandidate *)
                            g_ptr_array_index (item->candidates,
                                               g_array_index (self->order, guint, 0)))->id
                         : 0;
  g_clear_object (&self->item_model);
  self->item_model = assay_item_model_new (item);
  load_proposals (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_ITEM]);
  if (self->candidate_id != previous)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANDIDATE_ID]);

  g_signal_emit (self, signals[ITEM_CHANGED], 0);
  return TRUE;
}

AssayItemModel *
assay_session_get_current_item (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  return self->item_model;
}

gint64
assay_session_get_candidate (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);
  return self->candidate_id;
}

void
assay_session_set_candidate (AssaySession *self,
                             gint64        candidate_id)
{
  g_return_if_fail (ASSAY_IS_SESSION (self));

  if (candidate_id != 0 &&
      (self->item == NULL || assay_item_find_candidate (self->item, candidate_id) == NULL))
    candidate_id = 0;
  if (self->candidate_id == candidate_id)
    return;
  self->candidate_id = candidate_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANDIDATE_ID]);
}

gint64
assay_session_get_resume_source (AssaySession *self)
{
  g_autofree char *key = NULL;
  g_autofree char *ext_id = NULL;
  gint64 id;
  guint n;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);

  if (self->resume_id != 0)
    store_resume (self);
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
  if (active)
    self->active_since = clock_now (self);
  else
    self->visit_time = on_screen (self);
  self->active = active;
}

double
assay_session_get_time_on_item (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);

  if (self->item == NULL)
    return 0;
  return self->item->time_spent + on_screen (self) - self->item_saved_at;
}

/* ---- the history of changes (undo and redo) ----
 *
 * Every judgment the workbench writes is recorded with what it replaced, as
 * one step per action of the expert (the first judgment on an item also
 * puts the item in progress: that goes in the same step). Undo writes the
 * state before back through the same calls as the expert's own writes, so
 * it is saved at once and the widgets follow as they always do; redo writes
 * the state after. Text typed in pauses (a rationale, a note, a
 * correction) is saved several times: consecutive saves of the same text
 * are one step.
 *
 * The history is the session's: it spans items, and a step on another item
 * brings that item back on screen before it is undone, so the expert sees
 * what changes. It ends with the session (the project closed). */

#define MAX_STEPS 500

typedef enum
{
  CHANGE_LABELS,
  CHANGE_SPAN,
  CHANGE_CORRECTION,
  CHANGE_SCORE,
  CHANGE_RANKING,
  CHANGE_COMPARISON,
  CHANGE_NOTE,
  CHANGE_STATUS,
  CHANGE_RECORDS,     /* any kind, through its native records */
} ChangeKind;

/* One judgment as it was before a change, or after it. */
typedef struct
{
  gboolean  present;
  GArray   *ids;         /* labels: option ids of the set; ranking: candidate ids */
  GArray   *ranks;       /* ranking: the rank of ids[i] */
  int       value;       /* score value, status, winner */
  char     *text;        /* rationale, correction, note, span note */
  gint64    option_id;   /* span */
  gint64    start;
  gint64    end;
  GArray   *evidence;    /* span: AssayRange */
  gint64    a;           /* comparison, sides as shown */
  gint64    b;
} State;

typedef struct
{
  ChangeKind kind;
  gint64     candidate_id;  /* 0: the item's (ranking, comparison, note, status) */
  gint64     key;           /* label set, criterion or span id; the other side of a pair */
  const char *type;         /* CHANGE_RECORDS: the kind's record type */
  State      before;       /* CHANGE_RECORDS: text is the records, a JSON array */
  State      after;
} Change;

struct _Step
{
  guint64    serial;
  gint64     source_id;
  char      *description;
  GPtrArray *changes;      /* Change, in the order they were written */
};

static void
state_clear (State *state)
{
  g_clear_pointer (&state->ids, g_array_unref);
  g_clear_pointer (&state->ranks, g_array_unref);
  g_clear_pointer (&state->text, g_free);
  g_clear_pointer (&state->evidence, g_array_unref);
}

static void
change_free (gpointer data)
{
  Change *change = data;

  state_clear (&change->before);
  state_clear (&change->after);
  g_free (change);
}

static Change *
change_new (ChangeKind kind,
            gint64     candidate_id,
            gint64     key)
{
  Change *change = g_new0 (Change, 1);

  change->kind = kind;
  change->candidate_id = candidate_id;
  change->key = key;
  return change;
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->description);
  g_ptr_array_unref (step->changes);
  g_free (step);
}

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static char *
dup_text (const char *text)
{
  return g_strdup (nonempty (text));
}

static GArray *
copy_ranges (GArray *ranges)
{
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (AssayRange));

  if (ranges != NULL)
    g_array_append_vals (copy, ranges->data, ranges->len);
  return copy;
}

static gboolean
same_ranges (GArray *a,
             GArray *b)
{
  guint na = a != NULL ? a->len : 0, nb = b != NULL ? b->len : 0;

  return na == nb && (na == 0 || memcmp (a->data, b->data, na * sizeof (AssayRange)) == 0);
}

static void
history_changed (AssaySession *self)
{
  gboolean can_undo = !g_queue_is_empty (self->undo);
  gboolean can_redo = !g_queue_is_empty (self->redo);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->could_undo != can_undo)
    {
      self->could_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (self->could_redo != can_redo)
    {
      self->could_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  g_signal_emit (self, signals[HISTORY_CHANGED], 0);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Adds a change to the step being recorded (none while undoing). */
static void
record (AssaySession *self,
        Change       *change)
{
  if (self->replaying)
    {
      change_free (change);
      return;
    }
  if (self->step == NULL)
    {
      self->step = g_new0 (Step, 1);
      self->step->changes = g_ptr_array_new_with_free_func (change_free);
      self->step->source_id = self->item != NULL ? self->item->source_id : 0;
    }
  g_ptr_array_add (self->step->changes, change);
}

/* A change of text alone, which the next save of the same text extends. */
static gboolean
is_text_edit (const Change *change)
{
  switch (change->kind)
    {
    case CHANGE_NOTE:
    case CHANGE_CORRECTION:
      return TRUE;
    case CHANGE_SCORE:
      return change->before.present && change->after.present &&
             change->before.value == change->after.value;
    case CHANGE_COMPARISON:
      return change->before.present && change->after.present &&
             change->before.value == change->after.value &&
             change->before.a == change->after.a;
    case CHANGE_SPAN:
      return change->before.present && change->after.present &&
             change->before.option_id == change->after.option_id &&
             same_ranges (change->before.evidence, change->after.evidence);
    case CHANGE_LABELS:
    case CHANGE_RANKING:
    case CHANGE_STATUS:
    default:
      return FALSE;
    }
}

/* Ends the expert's action: its changes become one step of the history. */
static void
finish_step (AssaySession *self,
             char         *description)
{
  Step *step;
  Step *top;

  /* Inside a batch, its changes wait for the batch's own step. */
  if (self->batch > 0 && !self->replaying)
    {
      g_free (self->batch_description);
      self->batch_description = description;
      return;
    }
  step = g_steal_pointer (&self->step);
  if (step == NULL || self->replaying)
    {
      g_free (description);
      g_clear_pointer (&step, step_free);
      return;
    }
  step->description = description;

  top = g_queue_peek_head (self->undo);
  if (self->mergeable && top != NULL && step->changes->len == 1 && top->changes->len == 1 &&
      top->source_id == step->source_id)
    {
      Change *now = g_ptr_array_index (step->changes, 0);
      Change *before = g_ptr_array_index (top->changes, 0);

      if (now->kind == before->kind && now->candidate_id == before->candidate_id &&
          now->key == before->key && is_text_edit (now) && is_text_edit (before))
        {
          State swap = before->after;

          before->after = now->after;
          now->after = swap;
          step_free (step);
          history_changed (self);
          return;
        }
    }

  step->serial = ++self->serial;
  g_queue_push_head (self->undo, step);
  while (g_queue_get_length (self->undo) > MAX_STEPS)
    step_free (g_queue_pop_tail (self->undo));
  g_queue_clear_full (self->redo, step_free);
  self->mergeable = step->changes->len == 1 &&
                    is_text_edit (g_ptr_array_index (step->changes, 0));
  history_changed (self);
}

static char *
letter (AssaySession *self,
        gint64        candidate_id)
{
  return assay_session_candidate_letter (self, candidate_id);
}

static const char *
option_title (AssaySession *self,
              gint64        option_id)
{
  AssayLabelOption *option = assay_template_option_by_id (self->tmpl, option_id, NULL);

  if (option == NULL)
    return NULL;
  return option->title != NULL ? option->title : option->name;
}

static const char *
criterion_title (AssaySession *self,
                 gint64        criterion_id)
{
  AssayCriterion *criterion = assay_template_criterion_by_id (self->tmpl, criterion_id);

  if (criterion == NULL)
    return "?";
  return criterion->title != NULL ? criterion->title : criterion->name;
}

/* ---- judgments ---- */

/* The first judgment on an item puts it in progress (part of the same step:
 * undoing the judgment puts the item back to do). */
static void
touch (AssaySession *self)
{
  if (self->item->status == ASSAY_STATUS_TODO && !self->replaying)
    change_status (self, ASSAY_STATUS_IN_PROGRESS, NULL);
}

/* Stores the options of one label set that the candidate has. */
static gboolean
store_labels (AssaySession        *self,
              AssayItemCandidate  *candidate,
              AssayLabelSet       *set,
              GArray              *chosen,
              GError             **error)
{
  GError *local_error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;

  stamp.time_spent = judgment_time (self, CHANGE_LABELS, candidate->id, set->id);
  if (!assay_project_set_labels (self->project, candidate->id, self->annotator_id, set->id,
                                 (gint64 *) chosen->data, chosen->len, &stamp, &local_error))
    return failed (self, local_error, error);
  judgment_timed (self, CHANGE_LABELS, candidate->id, set->id, stamp.time_spent);

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
  saved (self, ASSAY_SAVED_LABELS, candidate->id);
  return TRUE;
}

/* The options of `set` the candidate has now. */
static GArray *
labels_of_set (AssaySession       *self,
               AssayItemCandidate *candidate,
               AssayLabelSet      *set)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < candidate->labels->len; i++)
    {
      gint64 id = g_array_index (candidate->labels, gint64, i);
      AssayLabelSet *other = NULL;

      assay_template_option_by_id (self->tmpl, id, &other);
      if (other == set)
        g_array_append_val (ids, id);
    }
  return ids;
}

gboolean
assay_session_toggle_label (AssaySession  *self,
                            gint64         candidate_id,
                            gint64         option_id,
                            GError       **error)
{
  AssayItemCandidate *candidate;
  AssayLabelSet *set = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *name = NULL;
  gboolean was_on = FALSE;
  Change *change;

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
  before = labels_of_set (self, candidate, set);
  for (guint i = 0; i < before->len; i++)
    {
      gint64 id = g_array_index (before, gint64, i);

      if (id == option_id)
        was_on = TRUE;
      else if (set->multi)
        g_array_append_val (chosen, id);
    }
  if (!was_on)
    g_array_append_val (chosen, option_id);

  change = change_new (CHANGE_LABELS, candidate_id, set->id);
  change->before.ids = g_array_ref (before);
  change->after.ids = g_array_ref (chosen);
  if (!store_labels (self, candidate, set, chosen, error))
    {
      change_free (change);
      return FALSE;
    }
  record (self, change);

  name = letter (self, candidate_id);
  finish_step (self, was_on
                     /* TRANSLATORS: what a key did, e.g. "Omission removed from B" */
                     ? g_strdup_printf (_("%s removed from %s"), option_title (self, option_id),
                                        name)
                     /* TRANSLATORS: what a key did, e.g. "Omission marked on B" */
                     : g_strdup_printf (_("%s marked on %s"), option_title (self, option_id),
                                        name));
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

static void
span_state (State         *state,
            AssayItemSpan *span)
{
  state->present = TRUE;
  state->option_id = span->option_id;
  state->start = span->start;
  state->end = span->end;
  state->text = dup_text (span->note);
  state->evidence = copy_ranges (span->evidence);
}

/* A span undone away and back is a new row with a new id: the history's
 * changes of the old one now name the new one. */
static void
rename_span (AssaySession *self,
             gint64        old_id,
             gint64        new_id)
{
  GQueue *queues[] = { self->undo, self->redo };

  for (guint q = 0; q < G_N_ELEMENTS (queues); q++)
    for (GList *l = queues[q]->head; l != NULL; l = l->next)
      {
        Step *step = l->data;

        for (guint i = 0; i < step->changes->len; i++)
          {
            Change *change = g_ptr_array_index (step->changes, i);

            if (change->kind == CHANGE_SPAN && change->key == old_id)
              change->key = new_id;
          }
      }
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
  g_autofree char *name = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  const char *title;
  gint64 id = 0;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  candidate = assay_item_find_candidate (self->item, candidate_id);
  if (candidate == NULL)
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, _("No such candidate"));
      return FALSE;
    }

  /* A new span's time is the time until it was marked. */
  stamp.time_spent = judgment_time (self, CHANGE_SPAN, candidate_id, 0);
  if (!assay_project_save_span (self->project, 0, candidate_id, self->annotator_id, start, end,
                                option_id, NULL, NULL, 0, &stamp, &id, &local_error))
    return failed (self, local_error, error);
  judgment_timed (self, CHANGE_SPAN, candidate_id, id, stamp.time_spent);

  /* Saving the same range and label again returns the existing span. */
  span = assay_session_find_span (self, id, NULL);
  if (span_id != NULL)
    *span_id = id;
  if (span != NULL)
    return TRUE;

  span = g_new0 (AssayItemSpan, 1);
  span->id = id;
  span->option_id = option_id;
  span->start = start;
  span->end = end;
  span->evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  g_ptr_array_add (candidate->spans, span);
  g_ptr_array_sort (candidate->spans, compare_spans);

  {
    Change *change = change_new (CHANGE_SPAN, candidate_id, id);

    span_state (&change->after, span);
    record (self, change);
  }
  touch (self);
  saved (self, ASSAY_SAVED_SPANS, candidate_id);

  name = letter (self, candidate_id);
  title = option_title (self, option_id);
  finish_step (self, title != NULL
                     /* TRANSLATORS: e.g. "Span on A marked Unsupported" */
                     ? g_strdup_printf (_("Span on %s marked %s"), name, title)
                     : g_strdup_printf (_("Span marked on %s"), name));
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
  g_autofree char *name = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  GArray *ranges;
  Change *change;
  gboolean relabelled;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  span = assay_session_find_span (self, span_id, &candidate);
  if (span == NULL)
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND, _("No such span"));
      return FALSE;
    }

  ranges = evidence != NULL ? evidence : span->evidence;
  if (span->option_id == option_id && g_strcmp0 (nonempty (note), span->note) == 0 &&
      same_ranges (ranges, span->evidence))
    return TRUE;
  stamp.time_spent = judgment_time (self, CHANGE_SPAN, candidate->id, span_id);
  if (!assay_project_save_span (self->project, span_id, candidate->id, self->annotator_id,
                                span->start, span->end, option_id, note,
                                (AssayRange *) ranges->data, ranges->len, &stamp, NULL,
                                &local_error))
    return failed (self, local_error, error);
  judgment_timed (self, CHANGE_SPAN, candidate->id, span_id, stamp.time_spent);

  change = change_new (CHANGE_SPAN, candidate->id, span_id);
  span_state (&change->before, span);
  relabelled = span->option_id != option_id;

  span->option_id = option_id;
  g_free (span->note);
  span->note = dup_text (note);
  if (evidence != NULL && evidence != span->evidence)
    {
      g_array_set_size (span->evidence, 0);
      g_array_append_vals (span->evidence, evidence->data, evidence->len);
    }
  span_state (&change->after, span);
  record (self, change);

  saved (self, ASSAY_SAVED_SPANS, candidate->id);
  name = letter (self, candidate->id);
  finish_step (self, relabelled && option_title (self, option_id) != NULL
                     /* TRANSLATORS: e.g. "Span on A relabelled Contradicted" */
                     ? g_strdup_printf (_("Span on %s relabelled %s"), name,
                                        option_title (self, option_id))
                     : g_strdup_printf (_("Span on %s changed"), name));
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
  g_autofree char *name = NULL;
  gint64 candidate_id;
  Change *change;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  span = assay_session_find_span (self, span_id, &candidate);
  if (span == NULL)
    return TRUE;
  if (!assay_project_delete_span (self->project, span_id, &local_error))
    return failed (self, local_error, error);
  judgment_removed (self, CHANGE_SPAN, candidate->id, span_id);

  /* Everything the span held comes back with an undo. */
  candidate_id = candidate->id;
  change = change_new (CHANGE_SPAN, candidate_id, span_id);
  span_state (&change->before, span);
  record (self, change);
  g_ptr_array_remove (candidate->spans, span);
  saved (self, ASSAY_SAVED_SPANS, candidate_id);

  name = letter (self, candidate_id);
  finish_step (self, g_strdup_printf (_("Span removed from %s"), name));
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
  g_autofree char *name = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  Change *change;

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

  stamp.time_spent = judgment_time (self, CHANGE_CORRECTION, candidate_id, 0);
  if (!assay_project_set_correction (self->project, candidate_id, self->annotator_id, text,
                                     &stamp, &local_error))
    return failed (self, local_error, error);
  if (text != NULL)
    judgment_timed (self, CHANGE_CORRECTION, candidate_id, 0, stamp.time_spent);
  else
    judgment_removed (self, CHANGE_CORRECTION, candidate_id, 0);

  change = change_new (CHANGE_CORRECTION, candidate_id, 0);
  change->before.present = candidate->correction != NULL;
  change->before.text = g_strdup (candidate->correction);
  change->after.present = text != NULL;
  change->after.text = g_strdup (text);
  record (self, change);

  g_free (candidate->correction);
  candidate->correction = g_strdup (text);
  touch (self);
  saved (self, ASSAY_SAVED_CORRECTION, candidate_id);

  name = letter (self, candidate_id);
  finish_step (self, text != NULL ? g_strdup_printf (_("Correction of %s changed"), name)
                                  : g_strdup_printf (_("Correction of %s removed"), name));
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
  AssayItemScore *old;
  GError *local_error = NULL;
  g_autofree char *name = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  const char *title;
  Change *change;
  gboolean ok;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  candidate = assay_item_find_candidate (self->item, candidate_id);
  if (candidate == NULL)
    return FALSE;

  old = g_hash_table_lookup (candidate->scores, &criterion_id);
  if (clear && old == NULL)
    return TRUE;
  if (!clear && old != NULL && old->value == value &&
      g_strcmp0 (nonempty (rationale), old->rationale) == 0)
    return TRUE;

  if (clear)
    ok = assay_project_clear_score (self->project, candidate_id, self->annotator_id, criterion_id,
                                    &local_error);
  else
    {
      stamp.time_spent = judgment_time (self, CHANGE_SCORE, candidate_id, criterion_id);
      ok = assay_project_set_score (self->project, candidate_id, self->annotator_id, criterion_id,
                                    value, rationale, &stamp, &local_error);
    }
  if (!ok)
    return failed (self, local_error, error);
  if (clear)
    judgment_removed (self, CHANGE_SCORE, candidate_id, criterion_id);
  else
    judgment_timed (self, CHANGE_SCORE, candidate_id, criterion_id, stamp.time_spent);

  change = change_new (CHANGE_SCORE, candidate_id, criterion_id);
  if (old != NULL)
    {
      change->before.present = TRUE;
      change->before.value = old->value;
      change->before.text = g_strdup (old->rationale);
    }
  change->after.present = !clear;
  change->after.value = value;
  change->after.text = clear ? NULL : dup_text (rationale);
  record (self, change);

  if (clear)
    g_hash_table_remove (candidate->scores, &criterion_id);
  else
    {
      AssayItemScore *score = g_new0 (AssayItemScore, 1);
      gint64 *key = g_new (gint64, 1);

      *key = criterion_id;
      score->value = value;
      score->rationale = dup_text (rationale);
      g_hash_table_replace (candidate->scores, key, score);
    }
  touch (self);
  saved (self, ASSAY_SAVED_SCORES, candidate_id);

  name = letter (self, candidate_id);
  title = criterion_title (self, criterion_id);
  if (clear)
    /* TRANSLATORS: e.g. "Faithfulness of A cleared" */
    finish_step (self, g_strdup_printf (_("%s of %s cleared"), title, name));
  else if (is_text_edit (change))
    /* TRANSLATORS: e.g. "Rationale for Faithfulness of A" */
    finish_step (self, g_strdup_printf (_("Rationale for %s of %s"), title, name));
  else
    /* TRANSLATORS: what a key did, e.g. "Faithfulness of A: 4" */
    finish_step (self, g_strdup_printf (_("%s of %s: %d"), title, name, value));
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
  AssayStamp stamp = ASSAY_STAMP_INIT;
  Change *change;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  stamp.time_spent = judgment_time (self, CHANGE_RANKING, 0, 0);
  if (!assay_project_set_ranking (self->project, self->item->source_id, self->annotator_id,
                                  candidate_ids, ranks, n, &stamp, &local_error))
    return failed (self, local_error, error);
  if (n > 0)
    judgment_timed (self, CHANGE_RANKING, 0, 0, stamp.time_spent);
  else
    judgment_removed (self, CHANGE_RANKING, 0, 0);

  change = change_new (CHANGE_RANKING, 0, 0);
  change->before.ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  change->before.ranks = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < self->item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (self->item->candidates, i);

      if (candidate->rank > 0)
        {
          g_array_append_val (change->before.ids, candidate->id);
          g_array_append_val (change->before.ranks, candidate->rank);
        }
      candidate->rank = 0;
    }
  change->after.ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  change->after.ranks = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_vals (change->after.ids, candidate_ids, n);
  g_array_append_vals (change->after.ranks, ranks, n);
  record (self, change);

  for (guint i = 0; i < n; i++)
    {
      AssayItemCandidate *candidate = assay_item_find_candidate (self->item, candidate_ids[i]);

      if (candidate != NULL)
        candidate->rank = ranks[i];
    }
  touch (self);
  saved (self, ASSAY_SAVED_RANKING, 0);
  finish_step (self, n > 0 ? g_strdup (_("Ranking changed")) : g_strdup (_("Ranking removed")));
  return TRUE;
}

/* Names the better candidate by its own letter, as Compare shows it. */
static char *
winner_phrase (AssaySession *self,
               gint64        a,
               gint64        b,
               AssayWinner   winner)
{
  g_autofree char *name = NULL;

  if (winner == ASSAY_WINNER_TIE)
    return g_strdup (_("Comparison: the same"));
  name = letter (self, winner == ASSAY_WINNER_A ? a : b);
  /* TRANSLATORS: what a choice in Compare did; %s is a candidate's letter */
  return g_strdup_printf (_("Comparison: %s is better"), name);
}

static gboolean
store_comparison (AssaySession  *self,
                  gboolean       remove,
                  gint64         a,
                  gint64         b,
                  AssayWinner    winner,
                  const char    *rationale,
                  GError       **error)
{
  AssayItemComparison *comparison;
  GError *local_error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  gboolean ok;
  Change *change;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  comparison = assay_item_find_comparison (self->item, a, b);
  if (remove && comparison == NULL)
    return TRUE;
  if (remove)
    ok = assay_project_delete_comparison (self->project, self->annotator_id, a, b, &local_error);
  else
    {
      stamp.time_spent = judgment_time (self, CHANGE_COMPARISON, MIN (a, b), MAX (a, b));
      ok = assay_project_set_comparison (self->project, self->item->source_id,
                                         self->annotator_id, a, b, winner, rationale, &stamp,
                                         &local_error);
    }
  if (!ok)
    return failed (self, local_error, error);
  if (remove)
    judgment_removed (self, CHANGE_COMPARISON, MIN (a, b), MAX (a, b));
  else
    judgment_timed (self, CHANGE_COMPARISON, MIN (a, b), MAX (a, b), stamp.time_spent);

  /* The pair, in either order, is what merges two saves of its rationale. */
  change = change_new (CHANGE_COMPARISON, MIN (a, b), MAX (a, b));
  if (comparison != NULL)
    {
      change->before.present = TRUE;
      change->before.a = comparison->a;
      change->before.b = comparison->b;
      change->before.value = comparison->winner;
      change->before.text = g_strdup (comparison->rationale);
    }
  change->after.present = !remove;
  change->after.a = a;
  change->after.b = b;
  change->after.value = winner;
  change->after.text = remove ? NULL : dup_text (rationale);
  record (self, change);

  if (remove)
    g_ptr_array_remove (self->item->comparisons, comparison);
  else
    {
      if (comparison == NULL)
        {
          comparison = g_new0 (AssayItemComparison, 1);
          g_ptr_array_add (self->item->comparisons, comparison);
        }
      comparison->a = a;
      comparison->b = b;
      comparison->winner = winner;
      g_free (comparison->rationale);
      comparison->rationale = dup_text (rationale);
    }

  touch (self);
  saved (self, ASSAY_SAVED_COMPARISON, 0);
  if (remove)
    finish_step (self, g_strdup (_("Comparison removed")));
  else if (is_text_edit (change))
    finish_step (self, g_strdup (_("Rationale of a comparison")));
  else
    finish_step (self, winner_phrase (self, a, b, winner));
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
  return store_comparison (self, FALSE, a, b, winner, rationale, error);
}

gboolean
assay_session_set_note (AssaySession  *self,
                        gint64         candidate_id,
                        const char    *text,
                        GError       **error)
{
  GError *local_error = NULL;
  g_autofree char *name = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  Change *change;
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

  stamp.time_spent = judgment_time (self, CHANGE_NOTE, candidate_id, 0);
  if (!assay_project_set_note (self->project, self->item->source_id, candidate_id,
                               self->annotator_id, text, &stamp, &local_error))
    return failed (self, local_error, error);
  if (text != NULL)
    judgment_timed (self, CHANGE_NOTE, candidate_id, 0, stamp.time_spent);
  else
    judgment_removed (self, CHANGE_NOTE, candidate_id, 0);

  change = change_new (CHANGE_NOTE, candidate_id, 0);
  change->before.text = g_strdup (*slot);
  change->after.text = g_strdup (text);
  record (self, change);

  g_free (*slot);
  *slot = g_strdup (text);
  saved (self, ASSAY_SAVED_NOTE, candidate_id);

  if (candidate_id == 0)
    finish_step (self, g_strdup (_("Note on the item changed")));
  else
    {
      name = letter (self, candidate_id);
      finish_step (self, g_strdup_printf (_("Note on %s changed"), name));
    }
  return TRUE;
}

/* ---- any kind, through its records ---- */

/* What widgets are told changed: the kind's own signal where it has
 * fields in AssayItem, else ASSAY_SAVED_RECORDS. */
static AssaySavedKind
saved_kind_of (const char *type)
{
  static const struct { const char *type; AssaySavedKind kind; } known[] = {
    { "labels", ASSAY_SAVED_LABELS },
    { "span", ASSAY_SAVED_SPANS },
    { "correction", ASSAY_SAVED_CORRECTION },
    { "scores", ASSAY_SAVED_SCORES },
    { "ranking", ASSAY_SAVED_RANKING },
    { "comparison", ASSAY_SAVED_COMPARISON },
    { "note", ASSAY_SAVED_NOTE },
    { "status", ASSAY_SAVED_STATUS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (known[i].type, type))
      return known[i].kind;
  return ASSAY_SAVED_RECORDS;
}

/* Makes the annotator's records of `type` on the candidate (or the item)
 * exactly `records` (a JSON array), through the core's checks. */
static gboolean
store_records (AssaySession  *self,
               const char    *type,
               gint64         candidate_id,
               const char    *records,
               GError       **error)
{
  AssayStamp stamp = ASSAY_STAMP_INIT;
  GError *local_error = NULL;
  gboolean ok;

  stamp.time_spent = judgment_time (self, CHANGE_RECORDS, candidate_id, 0);
  ok = assay_project_replace_records (self->project, self->item->source_id, self->annotator_id,
                                      type, candidate_id, records != NULL ? records : "[]",
                                      &stamp, &local_error);
  if (ok)
    judgment_timed (self, CHANGE_RECORDS, candidate_id, 0, stamp.time_spent);
  /* The item follows, whether the kind has fields of its own or records. */
  if (!ok || !assay_project_reload_item_kind (self->project, self->item, type, &local_error))
    return failed (self, local_error, error);
  saved (self, saved_kind_of (type), candidate_id);
  return TRUE;
}

gboolean
assay_session_set_records (AssaySession  *self,
                           const char    *type,
                           gint64         candidate_id,
                           const char    *records,
                           GError       **error)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *name = NULL;
  Change *change;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  before = assay_project_dup_records (self->project, self->item->source_id, self->annotator_id,
                                      type, candidate_id, error);
  if (before == NULL)
    return FALSE;
  touch (self);
  if (!store_records (self, type, candidate_id, records, error))
    return FALSE;
  after = assay_project_dup_records (self->project, self->item->source_id, self->annotator_id,
                                     type, candidate_id, error);
  if (after == NULL)
    return FALSE;
  if (g_strcmp0 (before, after) == 0)
    {
      /* Nothing changed: no step (the status change, if any, stays one). */
      finish_step (self, g_strdup (_("Item put in progress")));
      return TRUE;
    }

  change = change_new (CHANGE_RECORDS, candidate_id, 0);
  change->type = g_intern_string (type);
  change->before.present = TRUE;
  change->before.text = g_steal_pointer (&before);
  change->after.present = TRUE;
  change->after.text = g_steal_pointer (&after);
  record (self, change);

  if (candidate_id == 0)
    finish_step (self, g_strdup_printf (_("Judgment “%s” changed"), type));
  else
    {
      name = letter (self, candidate_id);
      /* TRANSLATORS: "Judgment “confidence” of B changed": the kind's record type and a
       * candidate's letter */
      finish_step (self, g_strdup_printf (_("Judgment “%s” of %s changed"), type, name));
    }
  return TRUE;
}

static gboolean
change_status (AssaySession  *self,
               AssayStatus    status,
               GError       **error)
{
  AssayStamp stamp = ASSAY_STAMP_INIT;
  GError *local_error = NULL;
  Change *change;
  double now = on_screen (self);

  stamp.time_spent = self->item->time_spent + (now - self->item_saved_at);
  if (!assay_project_set_status (self->project, self->item->source_id, self->annotator_id, status,
                                 &stamp, &local_error))
    return failed (self, local_error, error);
  self->item_saved_at = now;

  if (self->item->status != status)
    {
      change = change_new (CHANGE_STATUS, 0, 0);
      change->before.value = self->item->status;
      change->after.value = status;
      record (self, change);
    }
  self->item->status = status;
  self->item->time_spent = stamp.time_spent;
  assay_queue_source_changed (self->queue, self->item->source_id);
  saved (self, ASSAY_SAVED_STATUS, 0);
  return TRUE;
}

gboolean
assay_session_set_status (AssaySession  *self,
                          AssayStatus    status,
                          GError       **error)
{
  const char *what;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  if (!change_status (self, status, error))
    return FALSE;
  switch (status)
    {
    case ASSAY_STATUS_DONE:
      what = _("Item submitted");
      break;
    case ASSAY_STATUS_SKIPPED:
      what = _("Item skipped");
      break;
    case ASSAY_STATUS_FLAGGED:
      what = _("Item flagged");
      break;
    case ASSAY_STATUS_IN_PROGRESS:
      what = _("Item in progress");
      break;
    case ASSAY_STATUS_TODO:
    default:
      what = _("Item to do");
      break;
    }
  finish_step (self, g_strdup (what));
  return TRUE;
}

/* ---- undo and redo ---- */

/* Writes one side of a change back, through the same calls as the
 * expert's own writes. */
static gboolean
apply (AssaySession  *self,
       Change        *change,
       State         *state,
       GError       **error)
{
  switch (change->kind)
    {
    case CHANGE_LABELS:
      {
        AssayItemCandidate *candidate = assay_item_find_candidate (self->item,
                                                                   change->candidate_id);
        AssayLabelSet *set = NULL;

        for (guint i = 0; i < self->tmpl->label_sets->len && set == NULL; i++)
          if (((AssayLabelSet *) g_ptr_array_index (self->tmpl->label_sets, i))->id == change->key)
            set = g_ptr_array_index (self->tmpl->label_sets, i);
        if (candidate == NULL || set == NULL)
          break;
        return store_labels (self, candidate, set, state->ids, error);
      }

    case CHANGE_SPAN:
      {
        AssayItemSpan *span = assay_session_find_span (self, change->key, NULL);
        gint64 id = 0;

        if (!state->present)
          return span == NULL || assay_session_delete_span (self, change->key, error);
        if (span == NULL)
          {
            if (!assay_session_add_span (self, change->candidate_id, state->start, state->end,
                                         state->option_id, &id, error))
              return FALSE;
            rename_span (self, change->key, id);
          }
        return assay_session_update_span (self, change->key, state->option_id, state->text,
                                          state->evidence, error);
      }

    case CHANGE_CORRECTION:
      return assay_session_set_correction (self, change->candidate_id, state->text, error);

    case CHANGE_SCORE:
      return store_score (self, change->candidate_id, change->key, !state->present, state->value,
                          state->text, error);

    case CHANGE_RANKING:
      return assay_session_set_ranking (self, (gint64 *) state->ids->data,
                                        (int *) state->ranks->data, state->ids->len, error);

    case CHANGE_COMPARISON:
      {
        State *other = state == &change->before ? &change->after : &change->before;

        if (!state->present)
          return store_comparison (self, TRUE, other->a, other->b, 0, NULL, error);
        return store_comparison (self, FALSE, state->a, state->b, state->value, state->text,
                                 error);
      }

    case CHANGE_NOTE:
      return assay_session_set_note (self, change->candidate_id, state->text, error);

    case CHANGE_STATUS:
      return change_status (self, state->value, error);

    case CHANGE_RECORDS:
      return store_records (self, change->type, change->candidate_id, state->text, error);

    default:
      break;
    }
  g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                       _("What this change was about is no longer there"));
  return FALSE;
}

static gboolean
replay (AssaySession  *self,
        gboolean       undo,
        char         **description,
        GError       **error)
{
  GQueue *from = undo ? self->undo : self->redo;
  GQueue *to = undo ? self->redo : self->undo;
  Step *step = g_queue_peek_head (from);
  gboolean ok = TRUE;

  if (step == NULL)
    return FALSE;

  /* The step's item comes back on screen first: an undo is never out of
   * sight. */
  if ((self->item == NULL || self->item->source_id != step->source_id) &&
      !assay_session_load_item (self, step->source_id, error))
    return FALSE;

  self->replaying = TRUE;
  for (guint k = 0; k < step->changes->len && ok; k++)
    {
      guint i = undo ? step->changes->len - 1 - k : k;
      Change *change = g_ptr_array_index (step->changes, i);

      ok = apply (self, change, undo ? &change->before : &change->after, error);
    }
  self->replaying = FALSE;
  if (!ok)
    return FALSE;

  g_queue_push_head (to, g_queue_pop_head (from));
  self->mergeable = FALSE;
  if (description != NULL)
    *description = g_strdup (step->description);
  history_changed (self);
  return TRUE;
}

gboolean
assay_session_undo (AssaySession  *self,
                    char         **description,
                    GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  return replay (self, TRUE, description, error);
}

gboolean
assay_session_redo (AssaySession  *self,
                    char         **description,
                    GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  return replay (self, FALSE, description, error);
}

gboolean
assay_session_can_undo (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  return !g_queue_is_empty (self->undo);
}

gboolean
assay_session_can_redo (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  return !g_queue_is_empty (self->redo);
}

const char *
assay_session_get_undo_description (AssaySession *self)
{
  Step *step;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);
  step = g_queue_peek_head (self->undo);
  return step != NULL ? step->description : NULL;
}

void
assay_session_set_undo_description (AssaySession *self,
                                    const char   *description)
{
  Step *step;

  g_return_if_fail (ASSAY_IS_SESSION (self));
  g_return_if_fail (description != NULL);

  step = g_queue_peek_head (self->undo);
  if (step == NULL)
    return;
  g_free (step->description);
  step->description = g_strdup (description);
}

guint64
assay_session_get_undo_serial (AssaySession *self)
{
  Step *step;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), 0);
  step = g_queue_peek_head (self->undo);
  return step != NULL ? step->serial : 0;
}

gboolean
assay_session_is_replaying (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  return self->replaying;
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

  if (self->item == NULL)
    return g_strdup ("?");
  return assay_item_candidate_letter (self->item, self->tmpl->blind, candidate_id);
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

/* The required criteria not scored, in display order: (candidate,
 * criterion) pairs, at most `limit` of them. */
static GArray *
required_gaps (AssaySession *self,
               guint         limit)
{
  GArray *gaps = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  g_autoptr(GPtrArray) candidates = NULL;

  if (self->item == NULL || !(self->tmpl->kinds & ASSAY_JUDGE_SCORES))
    return gaps;

  candidates = assay_session_display_candidates (self);
  for (guint i = 0; i < candidates->len && gaps->len < limit; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (candidates, i);

      for (guint j = 0; j < self->tmpl->criteria->len && gaps->len < limit; j++)
        {
          AssayCriterion *criterion = g_ptr_array_index (self->tmpl->criteria, j);
          gint64 gap[2] = { candidate->id, criterion->id };

          if (criterion->required && !g_hash_table_contains (candidate->scores, &criterion->id))
            g_array_append_val (gaps, gap);
        }
    }
  return gaps;
}

GPtrArray *
assay_session_missing_required (AssaySession *self)
{
  GPtrArray *missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) gaps = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), missing);

  gaps = required_gaps (self, G_MAXUINT);
  for (guint i = 0; i < gaps->len; i++)
    {
      gint64 *gap = &g_array_index (gaps, gint64, 2 * i);
      AssayCriterion *criterion = assay_template_criterion_by_id (self->tmpl, gap[1]);
      g_autofree char *letter = assay_session_candidate_letter (self, gap[0]);

      /* TRANSLATORS: e.g. "Faithfulness of candidate B" */
      g_ptr_array_add (missing, g_strdup_printf (_("%s of candidate %s"),
                                                 criterion->title ? criterion->title
                                                                  : criterion->name,
                                                 letter));
    }
  return missing;
}

gboolean
assay_session_first_gap (AssaySession *self,
                         gint64       *candidate_id,
                         gint64       *criterion_id)
{
  g_autoptr(GArray) gaps = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  gaps = required_gaps (self, 1);
  if (gaps->len == 0)
    return FALSE;
  if (candidate_id != NULL)
    *candidate_id = g_array_index (gaps, gint64, 0);
  if (criterion_id != NULL)
    *criterion_id = g_array_index (gaps, gint64, 1);
  return TRUE;
}

/* ---- for the tests ---- */

void
_assay_session_set_clock (AssaySession      *self,
                          AssaySessionClock  clock,
                          gpointer           data)
{
  g_return_if_fail (ASSAY_IS_SESSION (self));

  self->clock = clock;
  self->clock_data = data;
  self->active_since = clock_now (self);
}

/* ---- proposals ---- */

GPtrArray *
assay_session_get_proposals (AssaySession *self)
{
  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);

  if (self->item_model == NULL)
    return NULL;
  return assay_item_model_get_proposals (self->item_model);
}

gboolean
assay_session_reload_proposals (AssaySession  *self,
                                GError       **error)
{
  g_autoptr(GPtrArray) proposals = NULL;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  if (self->item == NULL)
    return TRUE;
  proposals = assay_project_load_proposals (self->project, self->tmpl, self->item->source_id,
                                            error);
  if (proposals == NULL)
    return FALSE;
  _assay_item_model_set_proposals (self->item_model, self->tmpl, proposals);
  return TRUE;
}

const AssayProposal *
assay_session_next_proposal (AssaySession *self,
                             gint64        candidate_id)
{
  GPtrArray *pending;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), NULL);

  pending = assay_session_get_proposals (self);
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (pending, i);

      if (candidate_id == 0 || proposal->candidate_id == candidate_id)
        return proposal;
    }
  return NULL;
}

/* Writes the proposal as the expert's own judgment, through the calls the
 * expert's own actions use (so time, status and history follow). */
static gboolean
store_proposal (AssaySession         *self,
                const AssayProposal  *proposal,
                GError              **error)
{
  switch (proposal->kind)
    {
    case ASSAY_PROPOSAL_LABEL:
      return assay_session_toggle_label (self, proposal->candidate_id, proposal->option_id,
                                         error);

    case ASSAY_PROPOSAL_SCORE:
      return assay_session_set_score (self, proposal->candidate_id, proposal->criterion_id,
                                      proposal->value, proposal->text, error);

    case ASSAY_PROPOSAL_SPAN:
      {
        gint64 span_id = 0;

        if (!assay_session_add_span (self, proposal->candidate_id, proposal->start,
                                     proposal->end, proposal->option_id, &span_id, error))
          return FALSE;
        /* A pre-check's reason stays with the span as its note. */
        if (nonempty (proposal->text) != NULL)
          return assay_session_update_span (self, span_id, proposal->option_id, proposal->text,
                                            NULL, error);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
accept (AssaySession         *self,
        GPtrArray            *proposals,
        guint                *n_accepted,
        char                **what,
        GError              **error)
{
  gboolean ok = TRUE;
  guint n = 0;

  self->batch++;
  for (guint i = 0; i < proposals->len && ok; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (proposals, i);

      /* An earlier one of the batch may have settled it (a second model's
       * score on the same criterion). */
      if (!assay_proposal_is_pending (proposal, self->item, self->tmpl))
        continue;
      ok = store_proposal (self, proposal, error);
      if (ok)
        n++;
    }
  self->batch--;
  *n_accepted = n;
  *what = g_steal_pointer (&self->batch_description);
  return ok;
}

gboolean
assay_session_accept_proposal (AssaySession         *self,
                               const AssayProposal  *proposal,
                               GError              **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_proposal_free);
  g_autofree char *what = NULL;
  gboolean ok;
  guint n;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (proposal != NULL, FALSE);
  g_return_val_if_fail (self->item != NULL, FALSE);

  /* A copy: writing settles the proposal, and the item's list lets go of it. */
  g_ptr_array_add (one, assay_proposal_copy (proposal));
  ok = accept (self, one, &n, &what, error);
  finish_step (self, n == 0 ? NULL
                     /* TRANSLATORS: e.g. "Suggestion accepted: Faithfulness of A: 4" */
                     : g_strdup_printf (_("Suggestion accepted: %s"), what != NULL ? what : ""));
  return ok;
}

gboolean
assay_session_accept_proposals (AssaySession  *self,
                                gint64         candidate_id,
                                guint         *n_accepted,
                                GError       **error)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_proposal_free);
  g_autofree char *what = NULL;
  g_autofree char *name = NULL;
  GPtrArray *pending;
  gboolean ok;
  guint n = 0;

  g_return_val_if_fail (ASSAY_IS_SESSION (self), FALSE);

  pending = assay_session_get_proposals (self);
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (pending, i);

      if (candidate_id == 0 || proposal->candidate_id == candidate_id)
        g_ptr_array_add (chosen, assay_proposal_copy (proposal));
    }
  ok = accept (self, chosen, &n, &what, error);
  if (n_accepted != NULL)
    *n_accepted = n;
  if (n == 1)
    finish_step (self, g_strdup_printf (_("Suggestion accepted: %s"), what != NULL ? what : ""));
  else if (candidate_id != 0)
    {
      name = letter (self, candidate_id);
      /* TRANSLATORS: e.g. "4 suggestions accepted on B" */
      finish_step (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%u suggestion accepted on %s",
                                                       "%u suggestions accepted on %s", n),
                                          n, name));
    }
  else
    /* TRANSLATORS: e.g. "7 suggestions accepted" */
    finish_step (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u suggestion accepted",
                                                     "%u suggestions accepted", n),
                                        n));
  return ok;
}
