/* assay-item-model.c: the item on screen, as an object widgets can follow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <string.h>

#include "assay-item-model.h"

struct _AssayItemModel
{
  GObject      parent_instance;

  AssayItem     *item;
  AssayStatus    status;     /* as last notified */
  guint          n_changes;

  AssayTemplate *tmpl;
  GPtrArray     *proposals;  /* AssayProposal: every model annotator's */
  GPtrArray     *pending;    /* those still waiting for the expert, borrowed */
};

G_DEFINE_FINAL_TYPE (AssayItemModel, assay_item_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_SOURCE_ID,
  PROP_STATUS,
  PROP_N_CHANGES,
  PROP_PROPOSALS,
  N_PROPS
};

enum {
  JUDGMENT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
assay_item_model_finalize (GObject *object)
{
  AssayItemModel *self = ASSAY_ITEM_MODEL (object);

  g_clear_pointer (&self->item, assay_item_unref);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->proposals, g_ptr_array_unref);

  G_OBJECT_CLASS (assay_item_model_parent_class)->finalize (object);
}

static void
assay_item_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AssayItemModel *self = ASSAY_ITEM_MODEL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_boxed (value, self->item);
      break;
    case PROP_SOURCE_ID:
      g_value_set_int64 (value, assay_item_model_get_source_id (self));
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_N_CHANGES:
      g_value_set_uint (value, self->n_changes);
      break;
    case PROP_PROPOSALS:
      g_value_set_boxed (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_item_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AssayItemModel *self = ASSAY_ITEM_MODEL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_boxed (value);
      self->status = self->item != NULL ? self->item->status : ASSAY_STATUS_TODO;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_item_model_class_init (AssayItemModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_item_model_finalize;
  object_class->get_property = assay_item_model_get_property;
  object_class->set_property = assay_item_model_set_property;

  properties[PROP_ITEM] =
    g_param_spec_boxed ("item", NULL, NULL, ASSAY_TYPE_ITEM,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE_ID] =
    g_param_spec_int64 ("source-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, 0, ASSAY_N_STATUSES - 1, ASSAY_STATUS_TODO,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CHANGES] =
    g_param_spec_uint ("n-changes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* (element-type AssayProposal): the proposals still pending. */
  properties[PROP_PROPOSALS] =
    g_param_spec_boxed ("proposals", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayItemModel::judgment-changed:
   * @kind: an #AssaySavedKind
   * @candidate_id: the candidate it is about, or 0 for the whole item
   *
   * A judgment on the item was written and the item shows it now.
   */
  signals[JUDGMENT_CHANGED] = g_signal_new ("judgment-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
}

static void
assay_item_model_init (AssayItemModel *self)
{
  self->proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_proposal_free);
  self->pending = g_ptr_array_new ();
}

/* The proposals the item's judgments leave pending, by the core's rule;
 * notifies "proposals" if they are not the ones they were. */
static void
update_pending (AssayItemModel *self)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();
  gboolean same;

  for (guint i = 0; self->tmpl != NULL && i < self->proposals->len; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (self->proposals, i);

      if (assay_proposal_is_pending (proposal, self->item, self->tmpl))
        g_ptr_array_add (pending, proposal);
    }
  same = pending->len == self->pending->len &&
         (pending->len == 0 ||
          memcmp (pending->pdata, self->pending->pdata, pending->len * sizeof (gpointer)) == 0);
  if (same)
    return;
  g_ptr_array_unref (self->pending);
  self->pending = g_steal_pointer (&pending);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPOSALS]);
}

AssayItemModel *
assay_item_model_new (AssayItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return g_object_new (ASSAY_TYPE_ITEM_MODEL, "item", item, NULL);
}

AssayItem *
assay_item_model_get_item (AssayItemModel *self)
{
  g_return_val_if_fail (ASSAY_IS_ITEM_MODEL (self), NULL);
  return self->item;
}

gint64
assay_item_model_get_source_id (AssayItemModel *self)
{
  g_return_val_if_fail (ASSAY_IS_ITEM_MODEL (self), 0);
  return self->item != NULL ? self->item->source_id : 0;
}

AssayStatus
assay_item_model_get_status (AssayItemModel *self)
{
  g_return_val_if_fail (ASSAY_IS_ITEM_MODEL (self), ASSAY_STATUS_TODO);
  return self->status;
}

guint
assay_item_model_get_n_changes (AssayItemModel *self)
{
  g_return_val_if_fail (ASSAY_IS_ITEM_MODEL (self), 0);
  return self->n_changes;
}

void
_assay_item_model_judgment_changed (AssayItemModel *self,
                                    AssaySavedKind  kind,
                                    gint64          candidate_id)
{
  g_return_if_fail (ASSAY_IS_ITEM_MODEL (self));

  g_object_freeze_notify (G_OBJECT (self));
  self->n_changes++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANGES]);
  if (self->item->status != self->status)
    {
      self->status = self->item->status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  /* Before the signal: whoever syncs on it finds the proposals that the
   * change settled gone. */
  update_pending (self);
  g_signal_emit (self, signals[JUDGMENT_CHANGED], 0, (guint) kind, candidate_id);
  g_object_thaw_notify (G_OBJECT (self));
}

GPtrArray *
assay_item_model_get_proposals (AssayItemModel *self)
{
  g_return_val_if_fail (ASSAY_IS_ITEM_MODEL (self), NULL);
  return self->pending;
}

GPtrArray *
assay_item_model_get_all_proposals (AssayItemModel *self)
{
  g_return_val_if_fail (ASSAY_IS_ITEM_MODEL (self), NULL);
  return self->proposals;
}

void
_assay_item_model_set_proposals (AssayItemModel *self,
                                 AssayTemplate  *tmpl,
                                 GPtrArray      *proposals)
{
  g_return_if_fail (ASSAY_IS_ITEM_MODEL (self));
  g_return_if_fail (tmpl != NULL);

  if (self->tmpl != tmpl)
    {
      g_clear_pointer (&self->tmpl, assay_template_unref);
      self->tmpl = assay_template_ref (tmpl);
    }
  /* The pending list points into the old proposals: it goes first. */
  g_object_freeze_notify (G_OBJECT (self));
  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_unref (self->proposals);
  self->proposals = proposals != NULL
                      ? g_ptr_array_ref (proposals)
                      : g_ptr_array_new_with_free_func ((GDestroyNotify) assay_proposal_free);
  update_pending (self);
  /* Emptied above: a list of the same length is new all the same. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPOSALS]);
  g_object_thaw_notify (G_OBJECT (self));
}
