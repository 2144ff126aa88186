/* assay-item-model.h: the item on screen, as an object widgets can follow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session shows one item at a time; each item it loads gets an
 * AssayItemModel of its own, which is the session's "current-item"
 * property. Every judgment the session writes on the item (or that an undo
 * or redo writes back) is announced here with "judgment-changed", so a
 * widget follows the current item with a GSignalGroup whose target is bound
 * to the session's "current-item", and never has to tell a stale item from
 * the one on screen: the signals of an item that is gone stop with it.
 *
 * The model lives in the UI because the session is where judgments are
 * written and mirrored into the item (with the undo history beside them);
 * the AssayItem it wraps is the core's plain snapshot.
 */
#pragma once

#include <gio/gio.h>

#include "assay-core.h"

G_BEGIN_DECLS

/* What a judgment change is about, for widgets that only care about some
 * kinds. */
typedef enum
{
  ASSAY_SAVED_LABELS,
  ASSAY_SAVED_SPANS,
  ASSAY_SAVED_CORRECTION,
  ASSAY_SAVED_SCORES,
  ASSAY_SAVED_RANKING,
  ASSAY_SAVED_COMPARISON,
  ASSAY_SAVED_NOTE,
  ASSAY_SAVED_STATUS,
  ASSAY_SAVED_RECORDS,   /* a kind without fields of its own (item->records) */
} AssaySavedKind;

#define ASSAY_TYPE_ITEM_MODEL (assay_item_model_get_type ())
G_DECLARE_FINAL_TYPE (AssayItemModel, assay_item_model, ASSAY, ITEM_MODEL, GObject)

AssayItemModel *assay_item_model_new            (AssayItem      *item);
/* The snapshot the session keeps up to date as judgments are written. */
AssayItem      *assay_item_model_get_item       (AssayItemModel *self);
gint64          assay_item_model_get_source_id  (AssayItemModel *self);
/* The annotator's status of the item ("status" notifies its changes). */
AssayStatus     assay_item_model_get_status     (AssayItemModel *self);
/* How many judgment changes the item has had while on screen. */
guint           assay_item_model_get_n_changes  (AssayItemModel *self);

/* (element-type AssayProposal) (transfer none): the judgments of model
 * annotators on the item that still wait for the expert (see
 * assay-proposals.h), in the core's order. "proposals" notifies when they
 * change: after the expert's judgments settle some, or new ones came. */
GPtrArray      *assay_item_model_get_proposals  (AssayItemModel *self);
/* (element-type AssayProposal) (transfer none): all of them, pending or not. */
GPtrArray      *assay_item_model_get_all_proposals (AssayItemModel *self);

/* For the session: the model annotators' judgments on the item, as loaded
 * by assay_project_load_proposals (NULL: none). */
void            _assay_item_model_set_proposals (AssayItemModel *self,
                                                 AssayTemplate  *tmpl,
                                                 GPtrArray      *proposals);

/* For the session, once it has written a judgment and mirrored it into the
 * item: emits "judgment-changed" and notifies what changed with it. */
void            _assay_item_model_judgment_changed (AssayItemModel *self,
                                                    AssaySavedKind  kind,
                                                    gint64          candidate_id);

G_END_DECLS
