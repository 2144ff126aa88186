/* assay-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_WINDOW (assay_window_get_type ())
G_DECLARE_FINAL_TYPE (AssayWindow, assay_window, ASSAY, WINDOW, AdwApplicationWindow)

void          assay_window_open         (AssayWindow *self,
                                         GFile       *file);
/* The session of the open project, or NULL on the welcome page. */
AssaySession *assay_window_get_session  (AssayWindow *self);
/* The bundled demo project (installed, or the build tree's), or NULL. */
char         *assay_window_find_demo    (void);

G_END_DECLS
