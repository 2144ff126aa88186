/* assay-queue-panel.h: the sidebar: every item of the project, filtered and searched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_QUEUE_PANEL (assay_queue_panel_get_type ())
G_DECLARE_FINAL_TYPE (AssayQueuePanel, assay_queue_panel, ASSAY, QUEUE_PANEL, GtkWidget)

/* Shows the session's queue (an AssayQueue, a lazy GListModel of
 * AssayQueueRow). NULL clears. */
void       assay_queue_panel_set_session   (AssayQueuePanel *self,
                                            AssaySession    *session);
/* Marks the item on screen as selected and scrolls it into view. */
void       assay_queue_panel_select_source (AssayQueuePanel *self,
                                            gint64           source_id);
/* Puts the keyboard focus in the search entry (Ctrl+K in the window). */
void       assay_queue_panel_focus_search  (AssayQueuePanel *self);

/* Signal "source-activated" (gint64 source_id): the expert chose an item. */

G_END_DECLS
