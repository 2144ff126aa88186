/* assay-a11y.h: names for what screen readers would otherwise announce by type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8's GtkMenuButton and GtkDropDown keep the label given to them for
 * themselves, while the toggle button inside them is what takes the focus,
 * and a screen reader names it by its type ("GtkToggleButton"). This names
 * that toggle button `name`. */
void assay_a11y_name_toggle (GtkWidget  *composite,
                             const char *name);

G_END_DECLS
