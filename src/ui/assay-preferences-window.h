/* assay-preferences-window.h: Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-endpoints.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_PREFERENCES_WINDOW (assay_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AssayPreferencesWindow, assay_preferences_window, ASSAY,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* `parent` (nullable): the window it is for, whose project "Change…" of
 * the annotator goes to. */
GtkWidget *assay_preferences_window_new (GtkWindow *parent);

/* For the tests: fills the "Add an Endpoint" rows and presses Add. */
void       _assay_preferences_window_add_endpoint (AssayPreferencesWindow *self,
                                                   const char             *name,
                                                   const char             *url,
                                                   const char             *model,
                                                   const char             *key);

G_END_DECLS
