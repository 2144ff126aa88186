/* assay-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ASSAY_TYPE_APPLICATION (assay_application_get_type ())
G_DECLARE_FINAL_TYPE (AssayApplication, assay_application, ASSAY, APPLICATION, AdwApplication)

AssayApplication *assay_application_new (void);

/* Called first thing in main(), before GLib reads any MIME data: an Assay
 * run from its build tree uses the MIME types built there, so that project
 * files are known by name and nothing in the app opens them to guess. */
void              assay_application_prepare_environment (void);

G_END_DECLS
