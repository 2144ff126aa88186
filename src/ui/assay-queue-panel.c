/* assay-queue-panel.c: the sidebar: every item of the project, filtered and searched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel follows the session without callbacks of its own on it: a
 * GBindingGroup binds the session's current item to a GSignalGroup on the
 * item (its status moves the progress), a GSignalGroup on the session says
 * when the current item changes (it is selected in the list), and one on
 * the queue says when the list, its models or its loading state change.
 * Rows are AssayQueueRowWidget templates bound to their row object.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-a11y.h"
#include "assay-queue-panel.h"
#include "assay-queue-panel-private.h"
#include "assay-queue-row-widget.h"

struct _AssayQueuePanel
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *filters_box;
  GtkSearchEntry     *search;
  GtkDropDown        *status_filter;
  GtkDropDown        *model_filter;
  GtkDropDown        *order_choice;  /* an AssayQueueOrder */
  GtkStack           *stack;
  GtkListView        *list;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *empty_page;
  GtkWidget          *import_button;
  GtkWidget          *clear_button;
  GtkWidget          *footer;
  GtkLabel           *progress_label;
  GtkLabel           *shown_label;
  GtkProgressBar     *progress_bar;

  AssaySession       *session;
  AssayQueue         *queue;
  GtkSingleSelection *selection;
  GtkStringList      *models;      /* "All models" first, then the project's models */
  GSignalGroup       *session_signals;
  GBindingGroup      *session_bindings;
  GSignalGroup       *item_signals;  /* on the session's current item */
  GSignalGroup       *queue_signals;

  guint               attach_idle; /* the list gets its model after the first frame */
  gboolean            updating;    /* the filter widgets are being set, not the expert */

  /* A double click emits a single click's activation and then the list's
   * own: the second one for the same row is dropped. */
  gint64              last_activated_id;
  gint64              last_activated_time;

  guint               n_binds;
};

G_DEFINE_FINAL_TYPE (AssayQueuePanel, assay_queue_panel, GTK_TYPE_WIDGET)

enum {
  SOURCE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- rows ---- */

static void
activate_source (AssayQueuePanel *self,
                 gint64           source_id)
{
  gint64 now = g_get_monotonic_time ();
  int double_click_ms = 400;

  if (source_id == 0)
    return;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)),
                "gtk-double-click-time", &double_click_ms, NULL);
  if (source_id == self->last_activated_id &&
      now - self->last_activated_time < (gint64) double_click_ms * 1000)
    return;

  self->last_activated_id = source_id;
  self->last_activated_time = now;
  g_signal_emit (self, signals[SOURCE_ACTIVATED], 0, source_id);
}

/* A row was clicked ("queue.open-source", the source id). */
static void
open_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  activate_source (ASSAY_QUEUE_PANEL (widget), g_variant_get_int64 (param));
}

static void
list_activate_cb (AssayQueuePanel *self,
                  guint            position)
{
  if (self->queue == NULL)
    return;
  activate_source (self, assay_queue_get_source_id (self->queue, position));
}

/* ---- filters ---- */

static int
status_filter_value (AssayQueuePanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_filter);

  return selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
}

static const char *
model_filter_value (AssayQueuePanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->model_filter);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->models, selected);
}

static void
filters_applied_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A newer search replaced this one: nothing to say. */
  if (!assay_queue_set_filter_finish (ASSAY_QUEUE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not search the queue: %s", error->message);
}

/* The search runs in a worker (a whole project's transcripts may take
 * longer than a frame); the list changes when it answers. */
static void
apply_filters (AssayQueuePanel *self)
{
  const char *search;

  if (self->queue == NULL || self->updating)
    return;
  /* The entry says "changed" for text set to what it was: the queue has
   * these filters already (or is reading them), and a request for them
   * again would only start its reading over. */
  search = gtk_editable_get_text (GTK_EDITABLE (self->search));
  if (status_filter_value (self) == assay_queue_get_status_filter (self->queue) &&
      g_strcmp0 (model_filter_value (self), assay_queue_get_model_filter (self->queue)) == 0 &&
      g_strcmp0 (*search != '\0' ? search : NULL, assay_queue_get_search (self->queue)) == 0)
    return;
  assay_queue_set_filter_async (self->queue,
                                status_filter_value (self),
                                model_filter_value (self),
                                gtk_editable_get_text (GTK_EDITABLE (self->search)),
                                NULL, filters_applied_cb, NULL);
}

/* The informative order computes the leaderboard: in a worker, as a
 * search runs. */
static void
order_changed_cb (AssayQueuePanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->order_choice);
  AssayQueueOrder order = selected == 1 ? ASSAY_QUEUE_ORDER_INFORMATIVE
                                        : ASSAY_QUEUE_ORDER_IMPORTED;

  if (self->queue == NULL || self->updating || order == assay_queue_get_order (self->queue))
    return;
  assay_queue_set_order_async (self->queue, order, NULL, filters_applied_cb, NULL);
}

static void
search_changed_cb (AssayQueuePanel *self)
{
  apply_filters (self);
}

static void
filter_changed_cb (AssayQueuePanel *self)
{
  apply_filters (self);
}

/* Escape in the search entry: clear it, or go back to the list. */
static void
stop_search_cb (AssayQueuePanel *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search), "");
      apply_filters (self);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->list));
}

/* Down in the search entry goes to the results. */
static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       AssayQueuePanel       *self)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      (state & GDK_MODIFIER_MASK & ~GDK_LOCK_MASK) != 0 || self->queue == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0)
    return FALSE;

  if (!gtk_widget_grab_focus (GTK_WIDGET (self->list)))
    gtk_widget_child_focus (GTK_WIDGET (self->list), GTK_DIR_TAB_FORWARD);
  return TRUE;
}

/* Enter in the search entry opens the first result. */
static void
open_first_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AssayQueuePanel) self = user_data;
  AssayQueue *queue = ASSAY_QUEUE (object);
  g_autoptr(GError) error = NULL;

  if (!assay_queue_set_filter_finish (queue, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not search the queue: %s", error->message);
      return;
    }
  if (self->queue != queue || g_list_model_get_n_items (G_LIST_MODEL (queue)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", 0);
  activate_source (self, assay_queue_get_source_id (queue, 0));
}

static void
search_activate_cb (AssayQueuePanel *self)
{
  if (self->queue == NULL)
    return;
  /* The first result of what is typed now, once the search has answered. */
  assay_queue_set_filter_async (self->queue,
                                status_filter_value (self),
                                model_filter_value (self),
                                gtk_editable_get_text (GTK_EDITABLE (self->search)),
                                NULL, open_first_result_cb, g_object_ref (self));
}

static void
clear_filters (AssayQueuePanel *self)
{
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search), "");
  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_drop_down_set_selected (self->model_filter, 0);
  self->updating = FALSE;
  apply_filters (self);
}

static void
clear_button_clicked_cb (AssayQueuePanel *self)
{
  clear_filters (self);
}

/* Fills the model drop-down from the queue's models (read with its ids,
 * in a worker), keeping the chosen model. */
static void
load_models (AssayQueuePanel *self)
{
  const char * const *models = self->queue ? assay_queue_get_models (self->queue) : NULL;
  g_autofree char *chosen = g_strdup (model_filter_value (self));
  guint selected = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  /* The queue's own filter, while the list of models was still unread. */
  if (chosen == NULL && self->queue != NULL)
    chosen = g_strdup (assay_queue_get_model_filter (self->queue));

  g_ptr_array_add (names, (gpointer) _("All models"));
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    {
      if (g_strcmp0 (models[i], chosen) == 0)
        selected = names->len;
      g_ptr_array_add (names, (gpointer) models[i]);
    }
  g_ptr_array_add (names, NULL);

  self->updating = TRUE;
  gtk_string_list_splice (self->models, 0, g_list_model_get_n_items (G_LIST_MODEL (self->models)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->model_filter, selected);
  self->updating = FALSE;
}

/* ---- state ---- */

static gboolean
filters_active (AssayQueuePanel *self)
{
  return status_filter_value (self) >= 0 || model_filter_value (self) != NULL ||
         *gtk_editable_get_text (GTK_EDITABLE (self->search)) != '\0';
}

static void
update_empty_state (AssayQueuePanel *self)
{
  guint n = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  guint total = self->queue ? assay_queue_get_total (self->queue) : 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search));
  g_autofree char *description = NULL;

  gtk_widget_set_sensitive (self->filters_box, total > 0);

  /* A queue still reading its ids for the first time. */
  if (self->queue != NULL && !assay_queue_get_loaded (self->queue))
    {
      gtk_spinner_start (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }
  gtk_spinner_stop (self->loading_spinner);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (total == 0 && !filters_active (self))
    {
      adw_status_page_set_icon_name (self->empty_page, "document-open-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Items Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Import transcripts and their summaries to start "
                                         "reviewing"));
      gtk_widget_set_visible (self->import_button, TRUE);
      gtk_widget_set_visible (self->clear_button, FALSE);
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      if (*search != '\0')
        {
          adw_status_page_set_title (self->empty_page, _("No Results"));
          description = g_strdup (_("Try different words or clear the filters"));
        }
      else
        {
          int status = status_filter_value (self);
          const char *model = model_filter_value (self);

          adw_status_page_set_title (self->empty_page, _("No Matching Items"));
          /* The description is markup: model names come from imported files. */
          if (status >= 0 && model != NULL)
            description = g_markup_printf_escaped (_("No item summarized by %s is “%s”"),
                                                   model, assay_status_get_label (status));
          else if (status >= 0)
            description = g_markup_printf_escaped (_("No item is “%s”"),
                                                   assay_status_get_label (status));
          else
            description = g_markup_printf_escaped (_("No item has a summary by %s"), model);
        }
      adw_status_page_set_description (self->empty_page, description);
      gtk_widget_set_visible (self->import_button, FALSE);
      gtk_widget_set_visible (self->clear_button, TRUE);
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
update_progress (AssayQueuePanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  gint64 done = 0, total = 0;
  guint n;

  if (self->session == NULL || !assay_queue_get_loaded (self->queue))
    {
      gtk_widget_set_visible (self->footer, FALSE);
      return;
    }

  /* The sources are counted by the queue, in its worker; what is done is
   * one look in an index. */
  total = assay_queue_get_total (self->queue);
  if (!assay_project_get_annotator_progress (assay_session_get_project (self->session),
                                             assay_session_get_annotator_id (self->session),
                                             &done, NULL, &error))
    {
      g_warning ("Could not read the progress: %s", error->message);
      return;
    }

  gtk_widget_set_visible (self->footer, total > 0);
  /* TRANSLATORS: progress of this reviewer: "3 of 6 done" */
  text = g_strdup_printf (_("%'" G_GINT64_FORMAT " of %'" G_GINT64_FORMAT " done"), done, total);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  if (filters_active (self))
    /* TRANSLATORS: how many items pass the search and filters */
    shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u shown", "%'u shown", n), n);
  gtk_label_set_text (self->shown_label, shown ? shown : "");
  gtk_widget_set_visible (GTK_WIDGET (self->shown_label), shown != NULL);
}

/* Keeps the item on screen selected: a filter change drops the
 * selection. */
static void
select_current (AssayQueuePanel *self,
                gboolean         scroll)
{
  AssayItem *item;
  guint position;

  if (self->session == NULL || self->attach_idle != 0)
    return;
  item = assay_session_get_item (self->session);
  position = item ? assay_queue_find (self->queue, item->source_id) : G_MAXUINT;
  if (position == G_MAXUINT)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }
  if (gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
  if (scroll)
    gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", position);
}

static void
queue_items_changed_cb (AssayQueuePanel *self,
                        guint            position,
                        guint            removed,
                        guint            added)
{
  update_empty_state (self);
  update_progress (self);
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    select_current (self, removed > 1 || added > 1);
}

/* The session shows another item (notify::current-item). */
static void
current_item_cb (AssayQueuePanel *self)
{
  select_current (self, TRUE);
}

/* The current item's status changed (its model's notify::status). */
static void
item_status_cb (AssayQueuePanel *self)
{
  update_progress (self);
}

/* The queue read its ids for the first time, or started or stopped
 * reading. */
static void
queue_state_cb (AssayQueuePanel *self)
{
  update_empty_state (self);
  update_progress (self);
}

static void
queue_models_cb (AssayQueuePanel *self)
{
  /* Before the list is attached, the models are read when it is. */
  if (self->attach_idle == 0)
    load_models (self);
}

/* Shows the queue's own filters, for a queue that already has some. */
static void
sync_filter_widgets (AssayQueuePanel *self)
{
  const char *search = assay_queue_get_search (self->queue);
  const char *model = assay_queue_get_model_filter (self->queue);
  int status = assay_queue_get_status_filter (self->queue);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  guint selected = 0;

  for (guint i = 1; model != NULL && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->models, i), model) == 0)
      selected = i;

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search), search ? search : "");
  gtk_drop_down_set_selected (self->status_filter, status >= 0 ? (guint) status + 1 : 0);
  gtk_drop_down_set_selected (self->model_filter, selected);
  gtk_drop_down_set_selected (self->order_choice,
                              assay_queue_get_order (self->queue) == ASSAY_QUEUE_ORDER_INFORMATIVE
                              ? 1 : 0);
  self->updating = FALSE;
}

static gboolean
attach_model_idle (gpointer data)
{
  AssayQueuePanel *self = data;

  self->attach_idle = 0;
  load_models (self);
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (self->selection));
  select_current (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
clear_session (AssayQueuePanel *self)
{
  if (self->session == NULL)
    return;
  g_signal_group_set_target (self->queue_signals, NULL);
  g_signal_group_set_target (self->session_signals, NULL);
  g_binding_group_set_source (self->session_bindings, NULL);
  g_signal_group_set_target (self->item_signals, NULL);
  g_clear_handle_id (&self->attach_idle, g_source_remove);
  gtk_list_view_set_model (self->list, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->queue);
  g_clear_object (&self->session);
}

/* ---- GObject ---- */

static void
assay_queue_panel_dispose (GObject *object)
{
  AssayQueuePanel *self = ASSAY_QUEUE_PANEL (object);
  GtkWidget *child;

  clear_session (self);
  g_clear_object (&self->queue_signals);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->item_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_QUEUE_PANEL);
  /* The separators are not template children with a name. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (assay_queue_panel_parent_class)->dispose (object);
}

static void
assay_queue_panel_class_init (AssayQueuePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_queue_panel_dispose;

  /**
   * AssayQueuePanel::source-activated:
   * @source_id: the source the expert chose
   *
   * The expert clicked an item, or pressed Enter on it.
   */
  signals[SOURCE_ACTIVATED] = g_signal_new ("source-activated", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-queue-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, filters_box);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, search);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, status_filter);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, order_choice);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, model_filter);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, list);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, import_button);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, clear_button);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, footer);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, shown_label);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePanel, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, order_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_button_clicked_cb);

  /* A row's click opens its source. */
  gtk_widget_class_install_action (widget_class, "queue.open-source", "x", open_source_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "queuepanel");
}

static void
assay_queue_panel_init (AssayQueuePanel *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) orders = gtk_string_list_new (NULL);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkEventController *keys;

  g_type_ensure (ASSAY_TYPE_QUEUE_ROW_WIDGET);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* What the panel follows: the session's current item and its status,
   * and the queue's list, models and loading state. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "notify::status",
                                  G_CALLBACK (item_status_cb), self);
  self->session_signals = g_signal_group_new (ASSAY_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::current-item",
                                  G_CALLBACK (current_item_cb), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);
  self->queue_signals = g_signal_group_new (ASSAY_TYPE_QUEUE);
  g_signal_group_connect_swapped (self->queue_signals, "items-changed",
                                  G_CALLBACK (queue_items_changed_cb), self);
  g_signal_group_connect_swapped (self->queue_signals, "notify::loaded",
                                  G_CALLBACK (queue_state_cb), self);
  g_signal_group_connect_swapped (self->queue_signals, "notify::models",
                                  G_CALLBACK (queue_models_cb), self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->search), keys);

  gtk_string_list_append (statuses, _("All statuses"));
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    gtk_string_list_append (statuses, assay_status_get_label (i));
  gtk_drop_down_set_model (self->status_filter, G_LIST_MODEL (statuses));

  self->models = gtk_string_list_new (NULL);
  gtk_string_list_append (self->models, _("All models"));
  gtk_drop_down_set_model (self->model_filter, G_LIST_MODEL (self->models));

  /* In the order of AssayQueueOrder. */
  gtk_string_list_append (orders, _("Import order"));
  gtk_string_list_append (orders, _("Most informative first"));
  gtk_drop_down_set_model (self->order_choice, G_LIST_MODEL (orders));

  /* The toggle inside each drop-down is what a screen reader lands on. */
  assay_a11y_name_toggle (GTK_WIDGET (self->order_choice), _("Order"));
  assay_a11y_name_toggle (GTK_WIDGET (self->status_filter), _("Status filter"));
  assay_a11y_name_toggle (GTK_WIDGET (self->model_filter), _("Model filter"));

  update_empty_state (self);
  update_progress (self);
}

/* ---- public ---- */

void
assay_queue_panel_set_session (AssayQueuePanel *self,
                               AssaySession    *session)
{
  g_return_if_fail (ASSAY_IS_QUEUE_PANEL (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (self->session == session)
    return;

  clear_session (self);
  if (session == NULL)
    {
      load_models (self);
      update_empty_state (self);
      update_progress (self);
      return;
    }

  self->session = g_object_ref (session);
  self->queue = g_object_ref (assay_session_get_queue (session));

  /* The selection wraps the lazy queue itself: the list asks only for the
   * rows it shows, whatever the size of the project. */
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  /* After the selection's own handler on the queue, so that it has
   * caught up. */
  g_signal_group_set_target (self->queue_signals, self->queue);
  g_signal_group_set_target (self->session_signals, session);
  g_binding_group_set_source (self->session_bindings, session);

  sync_filter_widgets (self);
  update_empty_state (self);
  update_progress (self);

  /* GTK 4.8's list view makes some 200 row widgets when it gets a model,
   * which takes longer than everything else of opening a project: the item
   * is shown first, and the rows follow a frame later. */
  self->attach_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, attach_model_idle, self, NULL);
}

void
assay_queue_panel_select_source (AssayQueuePanel *self,
                                 gint64           source_id)
{
  guint position;

  g_return_if_fail (ASSAY_IS_QUEUE_PANEL (self));

  /* A list still waiting for its model selects the current item when it
   * gets it. */
  if (self->queue == NULL || self->attach_idle != 0)
    return;
  position = assay_queue_find (self->queue, source_id);
  if (position == G_MAXUINT)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", position);
}

void
assay_queue_panel_focus_search (AssayQueuePanel *self)
{
  g_return_if_fail (ASSAY_IS_QUEUE_PANEL (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search));
  gtk_editable_select_region (GTK_EDITABLE (self->search), 0, -1);
}

void
_assay_queue_panel_count_bind (AssayQueuePanel *self)
{
  g_return_if_fail (ASSAY_IS_QUEUE_PANEL (self));
  self->n_binds++;
}

guint
_assay_queue_panel_get_n_binds (AssayQueuePanel *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PANEL (self), 0);
  return self->n_binds;
}

GtkDropDown *
_assay_queue_panel_get_order_choice (AssayQueuePanel *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PANEL (self), NULL);
  return self->order_choice;
}

GtkListView *
_assay_queue_panel_get_list (AssayQueuePanel *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PANEL (self), NULL);
  return self->list;
}
