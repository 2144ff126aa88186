/* assay-text-util.c: what the text views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-text-util.h"

int
assay_reading_width (GtkWidget *widget,
                     double     chars)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int width = pango_font_metrics_get_approximate_char_width (metrics);

  pango_font_metrics_unref (metrics);
  return (int) (chars * width / PANGO_SCALE);
}
