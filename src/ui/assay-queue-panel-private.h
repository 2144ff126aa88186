/* assay-queue-panel-private.h: what the queue panel's tests look into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-queue-panel.h"

G_BEGIN_DECLS

/* How many times a row was bound to an item: the rows the list asked for. */
guint        _assay_queue_panel_get_n_binds (AssayQueuePanel *self);
/* For the row widgets: one more row was bound. */
void         _assay_queue_panel_count_bind  (AssayQueuePanel *self);
GtkListView *_assay_queue_panel_get_list    (AssayQueuePanel *self);
/* The order's drop-down: 0 import order, 1 most informative first. */
GtkDropDown *_assay_queue_panel_get_order_choice (AssayQueuePanel *self);

G_END_DECLS
