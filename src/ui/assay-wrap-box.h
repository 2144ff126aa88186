/* assay-wrap-box.h: children laid out in lines, like words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ASSAY_TYPE_WRAP_BOX (assay_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (AssayWrapBox, assay_wrap_box, ASSAY, WRAP_BOX, GtkWidget)

/* Add children with gtk_widget_set_parent; they are unparented on dispose. */
GtkWidget *assay_wrap_box_new (void);

G_END_DECLS
