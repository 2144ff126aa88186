/* assay-suggest-bar.h: "Suggest", run in the background with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar under the header while a model suggests judgments: what it is
 * doing, how far it got, and Cancel; when it is done, what came of it, the
 * failures with their reasons, and the new suggestions on the item on
 * screen (as proposals, see assay-proposals.h).
 */
#pragma once

#include <adwaita.h>

#include "assay-endpoints.h"
#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_SUGGEST_BAR (assay_suggest_bar_get_type ())
G_DECLARE_FINAL_TYPE (AssaySuggestBar, assay_suggest_bar, ASSAY, SUGGEST_BAR, GtkWidget)

void      assay_suggest_bar_set_session (AssaySuggestBar *self,
                                         AssaySession    *session);
/* Asks the endpoint chosen in Preferences (its key from the keyring) for
 * the item on screen, or with `whole_queue` for every item of the queue as
 * filtered. Without an endpoint, says where to add one. */
void      assay_suggest_bar_run         (AssaySuggestBar *self,
                                         gboolean         whole_queue);
/* Asks for one item of the project (by external id), on screen or not. */
void      assay_suggest_bar_run_source  (AssaySuggestBar *self,
                                         const char      *source_ext_id);
/* Stops the run: what was stored stays. */
void      assay_suggest_bar_cancel      (AssaySuggestBar *self);
/* "running" */
gboolean  assay_suggest_bar_get_running (AssaySuggestBar *self);

/* For the tests: runs with this endpoint and key, past the settings and
 * the keyring. */
void      _assay_suggest_bar_run_with   (AssaySuggestBar     *self,
                                         const AssayEndpoint *endpoint,
                                         const char          *key,
                                         gboolean             whole_queue);
/* The text the bar shows. */
const char *_assay_suggest_bar_get_text (AssaySuggestBar *self);

G_END_DECLS
