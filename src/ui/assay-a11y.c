/* assay-a11y.c: names for what screen readers would otherwise announce by type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-a11y.h"

static GtkWidget *
find_toggle (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TOGGLE_BUTTON (child))
        return child;
      if ((found = find_toggle (child)) != NULL)
        return found;
    }
  return NULL;
}

void
assay_a11y_name_toggle (GtkWidget  *composite,
                        const char *name)
{
  GtkWidget *toggle;

  g_return_if_fail (GTK_IS_WIDGET (composite));
  g_return_if_fail (name != NULL);

  toggle = find_toggle (composite);
  if (toggle != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}
