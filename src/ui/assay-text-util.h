/* assay-text-util.h: what the text views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The width in pixels of `chars` average characters of `widget`'s font: a
 * comfortable line length to keep reading text to, whatever the window. */
int assay_reading_width (GtkWidget *widget,
                         double     chars);

G_END_DECLS
