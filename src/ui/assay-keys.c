/* assay-keys.c: when a one-key shortcut may act, and saying what it did
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-keys.h"

#define CLAIM_KEY "assay-keys-claim"

gboolean
assay_keys_takes_text (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (GTK_IS_EDITABLE (w))
        return TRUE;
      if (GTK_IS_TEXT_VIEW (w) && gtk_text_view_get_editable (GTK_TEXT_VIEW (w)))
        return TRUE;
    }
  return FALSE;
}

void
assay_keys_claim (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_object_set_data (G_OBJECT (widget), CLAIM_KEY, GINT_TO_POINTER (TRUE));
}

gboolean
assay_keys_one_key_allowed (GtkWidget       *handler,
                            GdkModifierType  state)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (GTK_IS_WIDGET (handler), FALSE);

  /* With Ctrl, Alt or Super it is a chord, not a one-key shortcut. */
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK))
    return FALSE;

  root = gtk_widget_get_root (handler);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus == NULL)
    return TRUE;
  if (assay_keys_takes_text (focus))
    return FALSE;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    {
      /* Popovers and menus have keys of their own (a dropdown's search, a
       * menu's mnemonics), and they sit in the tree of the widget that
       * opened them. */
      if (GTK_IS_POPOVER (w))
        return FALSE;
      if (g_object_get_data (G_OBJECT (w), CLAIM_KEY) != NULL)
        return w == handler || gtk_widget_is_ancestor (handler, w);
    }
  return TRUE;
}

void
assay_keys_announce (GtkWidget  *widget,
                     const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* Empty: the window says what the last change in the session was. */
  gtk_widget_activate_action (widget, "win.announce", "s", text != NULL ? text : "");
}
