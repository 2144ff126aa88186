/* assay-queue-row-widget.h: one row of the queue panel's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "assay-core.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_QUEUE_ROW_WIDGET (assay_queue_row_widget_get_type ())
G_DECLARE_FINAL_TYPE (AssayQueueRowWidget, assay_queue_row_widget, ASSAY, QUEUE_ROW_WIDGET,
                      GtkWidget)

/* The row shown ("item"): its title (or external id), how many summaries
 * it has and the annotator's status, kept up to date as the row changes.
 * A click activates "queue.open-source" with the row's source id. */
AssayQueueRow *assay_queue_row_widget_get_item (AssayQueueRowWidget *self);
void           assay_queue_row_widget_set_item (AssayQueueRowWidget *self,
                                                AssayQueueRow       *item);

G_END_DECLS
