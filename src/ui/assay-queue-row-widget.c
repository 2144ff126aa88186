/* assay-queue-row-widget.c: one row of the queue panel's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A template bound to its row object: the row's properties go to the
 * labels and the icon through a GBindingGroup, and what is made of several
 * of them (the status's style, the names a screen reader says) follows the
 * row's notifications through a GSignalGroup. A row whose status changes
 * is the same object, so the widget changes with it, without the list
 * rebinding anything.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-queue-panel-private.h"
#include "assay-queue-row-widget.h"

struct _AssayQueueRowWidget
{
  GtkWidget      parent_instance;

  GtkImage      *status_icon;
  GtkWidget     *text_box;
  GtkLabel      *title_label;
  GtkLabel      *caption;

  AssayQueueRow *item;
  GtkWidget     *context;   /* the row's context menu while it is open */
  GBindingGroup *bindings;
  GSignalGroup  *signals;
};

G_DEFINE_FINAL_TYPE (AssayQueueRowWidget, assay_queue_row_widget, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The status classes a row's indicator can carry, for style.css. */
static const char * const status_classes[ASSAY_N_STATUSES] = {
  "status-todo", "status-in-progress", "status-done", "status-skipped", "status-flagged",
};

static const char * const status_icons[ASSAY_N_STATUSES] = {
  "radio-symbolic",
  "document-edit-symbolic",
  "emblem-ok-symbolic",
  "media-skip-forward-symbolic",
  "emoji-flags-symbolic",
};

/* What the row is called: its title, or its id when it has none. */
static const char *
row_name (AssayQueueRow *row)
{
  const char *title = assay_queue_row_get_title (row);

  return title != NULL && *title != '\0' ? title : assay_queue_row_get_ext_id (row);
}

static gboolean
title_to_label (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_autoptr(GObject) row = g_binding_dup_source (binding);

  g_value_set_string (to, row != NULL ? row_name (ASSAY_QUEUE_ROW (row)) : "");
  return TRUE;
}

static gboolean
count_to_caption (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint n = g_value_get_uint (from);

  if (n == 0)
    g_value_set_string (to, _("No summaries"));
  else
    g_value_take_string (to, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u summary",
                                                           "%u summaries", n), n));
  return TRUE;
}

static gboolean
status_to_icon (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  int status = g_value_get_int (from);

  g_value_set_static_string (to, status_icons[CLAMP (status, 0, ASSAY_N_STATUSES - 1)]);
  return TRUE;
}

/* The status's colour, the tooltip and the names a screen reader says:
 * each is made of several of the row's properties. */
static void
update_row (AssayQueueRowWidget *self)
{
  GtkWidget *owner = gtk_widget_get_parent (GTK_WIDGET (self));
  AssayStatus status;
  const char *name;
  const char *ext_id;
  g_autofree char *tooltip = NULL;
  g_autofree char *label = NULL;

  if (self->item == NULL)
    return;
  status = assay_queue_row_get_status (self->item);
  name = row_name (self->item);
  ext_id = assay_queue_row_get_ext_id (self->item);

  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    if (i != status)
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), status_classes[status]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, assay_status_get_label (status),
                                  -1);

  if (g_strcmp0 (name, ext_id) != 0)
    tooltip = g_strdup_printf ("%s\n%s", name, ext_id);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip != NULL ? tooltip : name);

  /* TRANSLATORS: a row of the queue for screen readers: "Billing dispute, March — Done" */
  label = g_strdup_printf (C_("queue row", "%s — %s"), name, assay_status_get_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  /* The focusable row is the list's own widget around this one. */
  if (owner != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (owner), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
}

static void
released_cb (AssayQueueRowWidget *self,
             int                  n_press,
             double               x,
             double               y,
             GtkGestureClick     *gesture)
{
  if (n_press != 1 || self->item == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "queue.open-source", "x",
                              assay_queue_row_get_source_id (self->item));
}

static gboolean
drop_context_cb (gpointer data)
{
  g_autoptr(AssayQueueRowWidget) self = data;

  if (self->context != NULL)
    gtk_widget_unparent (g_steal_pointer (&self->context));
  return G_SOURCE_REMOVE;
}

static void
context_closed_cb (AssayQueueRowWidget *self)
{
  /* Not inside the popover's own "closed". */
  g_idle_add (drop_context_cb, g_object_ref (self));
}

/* The row's context menu (secondary click, or a long press): suggestions
 * for this item or the whole queue. */
static void
show_context (AssayQueueRowWidget *self,
              double               x,
              double               y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) one = NULL;
  g_autoptr(GMenuItem) all = NULL;

  if (self->item == NULL || self->context != NULL)
    return;
  one = g_menu_item_new (_("_Suggest for This Item"), NULL);
  g_menu_item_set_action_and_target_value (one, "win.suggest-source",
                                           g_variant_new_string (assay_queue_row_get_ext_id (self->item)));
  g_menu_append_item (menu, one);
  all = g_menu_item_new (_("Suggest for the _Queue"), NULL);
  g_menu_item_set_action_and_target_value (all, "win.suggest", g_variant_new_string ("queue"));
  g_menu_append_item (menu, all);

  self->context = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (self->context, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context), FALSE);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect_object (self->context, "closed", G_CALLBACK (context_closed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_popover_popup (GTK_POPOVER (self->context));
}

static void
context_pressed_cb (GtkGestureClick     *gesture,
                    int                  n_press,
                    double               x,
                    double               y,
                    AssayQueueRowWidget *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_context (self, x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 AssayQueueRowWidget *self)
{
  show_context (self, x, y);
}

AssayQueueRow *
assay_queue_row_widget_get_item (AssayQueueRowWidget *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW_WIDGET (self), NULL);
  return self->item;
}

void
assay_queue_row_widget_set_item (AssayQueueRowWidget *self,
                                 AssayQueueRow       *item)
{
  GtkWidget *panel;

  g_return_if_fail (ASSAY_IS_QUEUE_ROW_WIDGET (self));
  g_return_if_fail (item == NULL || ASSAY_IS_QUEUE_ROW (item));

  if (!g_set_object (&self->item, item))
    return;
  g_binding_group_set_source (self->bindings, item);
  g_signal_group_set_target (self->signals, item);
  update_row (self);

  /* The panel counts the rows the list asked for (its tests check that a
   * list over a huge queue only binds what it shows). */
  panel = gtk_widget_get_ancestor (GTK_WIDGET (self), ASSAY_TYPE_QUEUE_PANEL);
  if (item != NULL && panel != NULL)
    _assay_queue_panel_count_bind (ASSAY_QUEUE_PANEL (panel));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

static void
assay_queue_row_widget_dispose (GObject *object)
{
  AssayQueueRowWidget *self = ASSAY_QUEUE_ROW_WIDGET (object);

  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->item);
  if (self->context != NULL)
    gtk_widget_unparent (g_steal_pointer (&self->context));
  gtk_widget_dispose_template (GTK_WIDGET (object), ASSAY_TYPE_QUEUE_ROW_WIDGET);

  G_OBJECT_CLASS (assay_queue_row_widget_parent_class)->dispose (object);
}

static void
assay_queue_row_widget_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AssayQueueRowWidget *self = ASSAY_QUEUE_ROW_WIDGET (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_queue_row_widget_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AssayQueueRowWidget *self = ASSAY_QUEUE_ROW_WIDGET (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      assay_queue_row_widget_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_queue_row_widget_class_init (AssayQueueRowWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_queue_row_widget_dispose;
  object_class->get_property = assay_queue_row_widget_get_property;
  object_class->set_property = assay_queue_row_widget_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, ASSAY_TYPE_QUEUE_ROW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-queue-row-widget.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayQueueRowWidget, status_icon);
  gtk_widget_class_bind_template_child (widget_class, AssayQueueRowWidget, text_box);
  gtk_widget_class_bind_template_child (widget_class, AssayQueueRowWidget, title_label);
  gtk_widget_class_bind_template_child (widget_class, AssayQueueRowWidget, caption);
  gtk_widget_class_bind_template_callback (widget_class, released_cb);
}

static void
assay_queue_row_widget_init (AssayQueueRowWidget *self)
{
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "title", self->title_label, "label",
                             G_BINDING_SYNC_CREATE, title_to_label, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "ext-id", self->title_label, "label",
                             G_BINDING_SYNC_CREATE, title_to_label, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "n-candidates", self->caption, "label",
                             G_BINDING_SYNC_CREATE, count_to_caption, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "status", self->status_icon, "icon-name",
                             G_BINDING_SYNC_CREATE, status_to_icon, NULL, NULL, NULL);

  self->signals = g_signal_group_new (ASSAY_TYPE_QUEUE_ROW);
  g_signal_group_connect_swapped (self->signals, "notify::status", G_CALLBACK (update_row), self);
  g_signal_group_connect_swapped (self->signals, "notify::title", G_CALLBACK (update_row), self);
  g_signal_group_connect_swapped (self->signals, "notify::ext-id", G_CALLBACK (update_row), self);
}
