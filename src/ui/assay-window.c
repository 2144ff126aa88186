/* assay-window.c: a project's window: the welcome page, the queue and the workbench
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "assay-export-dialog.h"
#include "assay-import-dialog.h"
#include "assay-keys.h"
#include "assay-queue-panel.h"
#include "assay-review-page.h"
#include "assay-session.h"
#include "assay-stats-window.h"
#include "assay-window.h"

/* Recent projects kept in the settings. */
#define MAX_RECENT 10

struct _AssayWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkButton            *demo_button;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *project_title;
  AssayQueuePanel      *queue_panel;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwFlap              *guidelines_flap;
  GtkLabel             *guidelines_label;
  GtkStack             *item_stack;
  AssayReviewPage      *review_page;
  GtkLabel             *status_label;
  GtkRevealer          *saved_revealer;
  GtkTextView          *note_view;
  GtkPopover           *note_popover;

  GSettings            *settings;
  AssaySession         *session;
  guint                 saved_timeout;
  guint                 clock_timeout;

  /* The toast saying what a key did, and the step its Undo takes back. */
  AdwToast             *change_toast;
  guint64               change_serial;
};

G_DEFINE_FINAL_TYPE (AssayWindow, assay_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_actions (AssayWindow *self);

/* ---- small helpers ---- */

static void
toast (AssayWindow *self,
       const char  *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  /* Toast titles are markup: whatever the text holds must not be taken for it. */
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
show_error (AssayWindow *self,
            const char  *heading,
            const char  *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
annotator_id (AssayWindow *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "annotator-id");

  if (id == NULL || *id == '\0')
    return g_strdup (g_get_user_name ());
  return g_steal_pointer (&id);
}

static char *
annotator_name (AssayWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "annotator-name");
  const char *real;

  if (name != NULL && *name != '\0')
    return g_steal_pointer (&name);
  real = g_get_real_name ();
  if (real == NULL || *real == '\0' || g_str_equal (real, "Unknown"))
    return g_strdup (g_get_user_name ());
  return g_strdup (real);
}

/* ---- recent projects ---- */

static void
on_recent_activated (AdwActionRow *row,
                     AssayWindow  *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  assay_window_open (self, file);
}

static void
fill_recent (AssayWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *base = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *display_dir = NULL;
      GtkWidget *row;

      if (!g_file_test (recent[i], G_FILE_TEST_IS_REGULAR))
        continue;
      base = g_filename_display_basename (recent[i]);
      if (g_str_has_suffix (base, ".assay"))
        base[strlen (base) - strlen (".assay")] = '\0';
      dir = g_path_get_dirname (recent[i]);
      display_dir = g_filename_display_name (dir);
      if (g_str_has_prefix (dir, g_get_home_dir ()))
        {
          g_free (display_dir);
          display_dir = g_strconcat ("~", dir + strlen (g_get_home_dir ()), NULL);
        }

      row = adw_action_row_new ();
      /* File names are not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), display_dir);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      gtk_widget_set_tooltip_text (row, recent[i]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (recent[i]), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_recent_activated), self);
      gtk_list_box_append (self->recent_list, row);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), shown > 0);
}

static void
remember_recent (AssayWindow *self,
                 const char  *path)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (recent[i], path))
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

/* ---- the workbench ---- */

static void
update_status (AssayWindow *self)
{
  AssayItem *item = self->session ? assay_session_get_item (self->session) : NULL;
  AssayQueue *queue;
  g_autofree char *text = NULL;
  guint position, n;
  int minutes;

  if (item == NULL)
    {
      gtk_label_set_text (self->status_label, "");
      return;
    }

  queue = assay_session_get_queue (self->session);
  position = assay_queue_find (queue, item->source_id);
  n = g_list_model_get_n_items (G_LIST_MODEL (queue));
  minutes = (int) (assay_session_get_time_on_item (self->session) / 60);

  if (position != G_MAXUINT)
    /* TRANSLATORS: "Item 3 of 6 · In progress · 4 min" */
    text = g_strdup_printf (_("Item %u of %u · %s · %d min"), position + 1, n,
                            assay_status_get_label (item->status), minutes);
  else
    text = g_strdup_printf (_("%s · %d min"), assay_status_get_label (item->status), minutes);
  gtk_label_set_text (self->status_label, text);
}

static gboolean
tick (gpointer data)
{
  update_status (data);
  return G_SOURCE_CONTINUE;
}

static void
update_activity (AssayWindow *self)
{
  if (self->session == NULL)
    return;
  assay_session_set_active (self->session,
                            gtk_window_is_active (GTK_WINDOW (self)) &&
                            assay_session_get_item (self->session) != NULL);
}

static void
on_item_changed (AssaySession *session,
                 AssayWindow  *self)
{
  AssayItem *item = assay_session_get_item (session);
  g_autofree char *subtitle = NULL;

  gtk_stack_set_visible_child_name (self->item_stack, item ? "item" : "empty");
  adw_view_switcher_title_set_title (self->switcher_title, item ? item->title : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->switcher_title), item ? item->title : NULL);
  if (item != NULL)
    {
      /* On a narrow window, the item rather than the list. */
      adw_leaflet_set_visible_child_name (self->leaflet, "content");
      assay_queue_panel_select_source (self->queue_panel, item->source_id);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view),
                                item->note ? item->note : "", -1);
      adw_view_switcher_title_set_subtitle (self->switcher_title, item->ext_id);
    }
  assay_review_page_show_missing (self->review_page, FALSE);
  update_status (self);
  update_activity (self);
  update_actions (self);
}

static gboolean
hide_saved (gpointer data)
{
  AssayWindow *self = data;

  gtk_revealer_set_reveal_child (self->saved_revealer, FALSE);
  self->saved_timeout = 0;
  return G_SOURCE_REMOVE;
}

/* A quiet sign that the judgment is in the project. */
static void
on_judgment_saved (AssaySession *session,
                   guint         kind,
                   gint64        candidate_id,
                   AssayWindow  *self)
{
  gtk_revealer_set_reveal_child (self->saved_revealer, TRUE);
  g_clear_handle_id (&self->saved_timeout, g_source_remove);
  self->saved_timeout = g_timeout_add_seconds (3, hide_saved, self);
  if (kind == ASSAY_SAVED_STATUS)
    update_status (self);
  if (kind == ASSAY_SAVED_NOTE && candidate_id == 0 && assay_session_is_replaying (session))
    {
      AssayItem *item = assay_session_get_item (session);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view),
                                item->note != NULL ? item->note : "", -1);
    }
}

static void
dismiss_change_toast (AssayWindow *self)
{
  if (self->change_toast != NULL)
    adw_toast_dismiss (self->change_toast);
  g_clear_weak_pointer (&self->change_toast);
  self->change_serial = 0;
}

/* A toast's Undo takes back the change it names, and nothing else: once
 * another change is made (or that one undone) the toast goes. */
static void
on_history_changed (AssaySession *session,
                    AssayWindow  *self)
{
  if (self->change_toast != NULL &&
      assay_session_get_undo_serial (session) != self->change_serial)
    dismiss_change_toast (self);
  update_actions (self);
}

/* A toast sits at the bottom of the window: when the expert goes on to
 * type in a field it would cover, it makes way. */
static void
on_focus_changed (AssayWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  graphene_rect_t bounds;

  if (self->change_toast == NULL || focus == NULL || !assay_keys_takes_text (focus))
    return;
  if (gtk_widget_compute_bounds (focus, GTK_WIDGET (self->toast_overlay), &bounds) &&
      bounds.origin.y + bounds.size.height >
        gtk_widget_get_height (GTK_WIDGET (self->toast_overlay)) - 96)
    dismiss_change_toast (self);
}

static void
show_change_toast (AssayWindow *self,
                   const char  *text,
                   const char  *button,
                   const char  *action,
                   GVariant    *target)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast;

  /* One at a time: a quick run of keys does not queue a toast per key. */
  dismiss_change_toast (self);
  toast = adw_toast_new (escaped);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (button != NULL)
    {
      adw_toast_set_button_label (toast, button);
      adw_toast_set_action_name (toast, action);
      if (target != NULL)
        adw_toast_set_action_target_value (toast, target);
    }
  g_set_weak_pointer (&self->change_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* What a one-key shortcut did, said with an Undo for exactly that change. */
static void
announce_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  const char *text = g_variant_get_string (param, NULL);
  guint64 serial;

  if (self->session == NULL)
    return;
  /* A text is a note on a key that changed nothing: no Undo with it. */
  if (*text != '\0')
    {
      show_change_toast (self, text, NULL, NULL, NULL);
      return;
    }
  serial = assay_session_get_undo_serial (self->session);
  text = assay_session_get_undo_description (self->session);
  if (text == NULL || serial == 0)
    return;
  show_change_toast (self, text, _("_Undo"), "win.undo-change",
                     g_variant_new_uint64 (serial));
  self->change_serial = serial;
}

static void
undo_redo (AssayWindow *self,
           gboolean     undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  if (self->session == NULL)
    return;
  /* Text still waiting for a pause is a change of its own, and the newest. */
  assay_review_page_flush (self->review_page);
  ok = undo ? assay_session_undo (self->session, &what, &error)
            : assay_session_redo (self->session, &what, &error);
  if (!ok)
    {
      if (error != NULL)
        toast (self, error->message);
      else
        gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  /* TRANSLATORS: e.g. "Undone: Faithfulness of A: 4" */
  text = g_strdup_printf (undo ? _("Undone: %s") : _("Redone: %s"), what);
  show_change_toast (self, text, undo ? _("_Redo") : _("_Undo"),
                     undo ? "win.redo" : "win.undo", NULL);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  undo_redo (ASSAY_WINDOW (widget), g_str_equal (action_name, "win.undo"));
}

/* Ctrl+Z and the like. In a text field they are the field's, also when it
 * has nothing left to undo: the key then does nothing rather than take back
 * a judgment made somewhere else. */
static gboolean
undo_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   data)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (self->session == NULL || (focus != NULL && assay_keys_takes_text (focus)))
    return FALSE;
  undo_redo (self, g_variant_get_boolean (args));
  return TRUE;
}

/* The Undo of a toast: only while the change it names is the newest. */
static void
undo_change_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  if (self->session != NULL &&
      assay_session_get_undo_serial (self->session) == g_variant_get_uint64 (param))
    undo_redo (self, TRUE);
}

static void
on_save_failed (AssaySession *session,
                const char   *message,
                AssayWindow  *self)
{
  g_autofree char *text = g_strdup_printf (_("Not saved: %s"), message);

  toast (self, text);
}

static void
on_source_activated (AssayQueuePanel *panel,
                     gint64           source_id,
                     AssayWindow     *self)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;
  assay_review_page_flush (self->review_page);
  if (!assay_session_load_item (self->session, source_id, &error))
    toast (self, error->message);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_note_closed (GtkPopover  *popover,
                AssayWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->session == NULL || assay_session_get_item (self->session) == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  assay_session_set_note (self->session, 0, g_strstrip (text), &error);
}

static void
set_session (AssayWindow  *self,
             AssaySession *session)
{
  if (self->session != NULL)
    {
      assay_review_page_flush (self->review_page);
      g_signal_handlers_disconnect_by_data (self->session, self);
      assay_session_set_active (self->session, FALSE);
    }
  g_set_object (&self->session, session);
  dismiss_change_toast (self);

  assay_queue_panel_set_session (self->queue_panel, session);
  assay_review_page_set_session (self->review_page, session);

  if (session != NULL)
    {
      AssayTemplate *tmpl = assay_session_get_template (session);

      g_signal_connect (session, "item-changed", G_CALLBACK (on_item_changed), self);
      g_signal_connect (session, "judgment-saved", G_CALLBACK (on_judgment_saved), self);
      g_signal_connect (session, "save-failed", G_CALLBACK (on_save_failed), self);
      g_signal_connect (session, "history-changed", G_CALLBACK (on_history_changed), self);
      gtk_label_set_text (self->guidelines_label,
                          tmpl->guidelines && *tmpl->guidelines
                            ? tmpl->guidelines
                            : _("This project’s template has no guidelines."));
      if (self->clock_timeout == 0)
        self->clock_timeout = g_timeout_add_seconds (30, tick, self);
    }
  else
    g_clear_handle_id (&self->clock_timeout, g_source_remove);

  update_actions (self);
}

/**
 * assay_window_open:
 * @file: a project file
 *
 * Opens the project in this window and returns to where the annotator left
 * off. Errors are shown in a dialog; the window keeps what it showed.
 */
void
assay_window_open (AssayWindow *self,
                   GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssaySession) session = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *project_name = NULL;
  gint64 resume;

  g_return_if_fail (ASSAY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_error (self, _("Could Not Open the Project"), _("Only local files can be opened."));
      return;
    }

  project = assay_project_open (path, &error);
  if (project != NULL)
    {
      id = annotator_id (self);
      name = annotator_name (self);
      session = assay_session_new (project, id, name, &error);
    }
  if (session == NULL)
    {
      show_error (self, _("Could Not Open the Project"), error->message);
      return;
    }

  set_session (self, session);
  remember_recent (self, path);

  project_name = assay_project_dup_name (project);
  adw_window_title_set_title (self->project_title, project_name);
  adw_window_title_set_subtitle (self->project_title, name);
  gtk_window_set_title (GTK_WINDOW (self), project_name);
  gtk_stack_set_visible_child_name (self->main_stack, "workbench");

  resume = assay_session_get_resume_source (session);
  if (resume == 0 || !assay_session_load_item (session, resume, &error))
    {
      gtk_stack_set_visible_child_name (self->item_stack, "empty");
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
    }
  update_actions (self);
}

AssaySession *
assay_window_get_session (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return self->session;
}

/* ---- actions ---- */

static void
update_actions (AssayWindow *self)
{
  gboolean open = self->session != NULL;
  gboolean item = open && assay_session_get_item (self->session) != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.import", open);
  gtk_widget_action_set_enabled (widget, "win.export", open);
  gtk_widget_action_set_enabled (widget, "win.statistics", open);
  gtk_widget_action_set_enabled (widget, "win.close-project", open);
  gtk_widget_action_set_enabled (widget, "win.submit", item);
  gtk_widget_action_set_enabled (widget, "win.skip", item);
  gtk_widget_action_set_enabled (widget, "win.flag", item);
  gtk_widget_action_set_enabled (widget, "win.next-item", item);
  gtk_widget_action_set_enabled (widget, "win.previous-item", item);
  gtk_widget_action_set_enabled (widget, "win.find", item);
  gtk_widget_action_set_enabled (widget, "win.search-items", open);
  gtk_widget_action_set_enabled (widget, "win.show-items", open);
  gtk_widget_action_set_enabled (widget, "win.toggle-guidelines", open);
  gtk_widget_action_set_enabled (widget, "win.undo", open && assay_session_can_undo (self->session));
  gtk_widget_action_set_enabled (widget, "win.redo", open && assay_session_can_redo (self->session));
}

static void
after_status (AssayWindow *self,
              const char  *done_message)
{
  g_autoptr(GError) error = NULL;

  if (!assay_session_next_open (self->session, &error))
    {
      if (error != NULL)
        toast (self, error->message);
      else
        toast (self, done_message);
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;

  assay_review_page_flush (self->review_page);
  missing = assay_session_missing_required (self->session);
  if (missing->len > 0)
    {
      const char *first = g_ptr_array_index (missing, 0);
      g_autofree char *text = NULL;

      /* Short enough for a toast on a narrow window: the first gap, which
       * the workbench then shows, and how many more there are. */
      if (missing->len == 1)
        /* TRANSLATORS: %s is what is missing, e.g. "Faithfulness of candidate B" */
        text = g_strdup_printf (_("Still required: %s"), first);
      else
        /* TRANSLATORS: e.g. "Still required: Faithfulness of candidate A and 5 more" */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Still required: %s and %u more",
                                             "Still required: %s and %u more", missing->len - 1),
                                first, missing->len - 1);
      toast (self, text);
      assay_review_page_show_missing (self->review_page, TRUE);
      return;
    }

  if (!assay_session_set_status (self->session, ASSAY_STATUS_DONE, &error))
    return;
  after_status (self, _("Every item is done"));
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  assay_review_page_flush (self->review_page);
  if (!assay_session_set_status (self->session, ASSAY_STATUS_SKIPPED, &error))
    return;
  after_status (self, _("No open items left"));
}

static void
flag_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  AssayItem *item = assay_session_get_item (self->session);
  g_autoptr(GError) error = NULL;
  gboolean flagged = item->status == ASSAY_STATUS_FLAGGED;

  assay_review_page_flush (self->review_page);
  if (!assay_session_set_status (self->session,
                                 flagged ? ASSAY_STATUS_IN_PROGRESS : ASSAY_STATUS_FLAGGED,
                                 &error))
    return;
  toast (self, flagged ? _("Flag removed") : _("Flagged for discussion"));
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  int delta = g_str_equal (action_name, "win.next-item") ? 1 : -1;

  assay_review_page_flush (self->review_page);
  if (!assay_session_move (self->session, delta, &error))
    {
      if (error != NULL)
        toast (self, error->message);
      else
        gtk_widget_error_bell (widget);
    }
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  assay_review_page_start_search (ASSAY_WINDOW (widget)->review_page);
}

static void
search_items_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  assay_queue_panel_focus_search (self->queue_panel);
}

static void
show_items_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  adw_leaflet_navigate (ASSAY_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
toggle_guidelines_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  adw_flap_set_reveal_flap (self->guidelines_flap, !adw_flap_get_reveal_flap (self->guidelines_flap));
}

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  set_session (self, NULL);
  fill_recent (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Assay"));
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  AssayWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      assay_window_open (self, file);
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Assay Projects"));
  gtk_file_filter_add_pattern (filter, "*.assay");
  gtk_file_filter_add_mime_type (filter, "application/x-assay-project");
  return filter;
}

static void
open_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = project_filter ();

  dialog = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_import_done (gboolean    imported,
                const char *summary,
                gpointer    user_data)
{
  AssayWindow *self = user_data;

  if (summary != NULL)
    toast (self, summary);
  if (imported && self->session != NULL)
    {
      assay_queue_reload (assay_session_get_queue (self->session));
      if (assay_session_get_item (self->session) == NULL)
        {
          gint64 resume = assay_session_get_resume_source (self->session);

          if (resume != 0)
            assay_session_load_item (self->session, resume, NULL);
        }
    }
  g_object_unref (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  assay_import_dialog_run (GTK_WINDOW (self), assay_session_get_project (self->session),
                           on_import_done, g_object_ref (self));
}

static void
on_export_done (const char *summary,
                gpointer    user_data)
{
  AssayWindow *self = user_data;

  if (summary != NULL)
    toast (self, summary);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  assay_review_page_flush (self->review_page);
  assay_export_dialog_present (GTK_WINDOW (self), assay_session_get_project (self->session),
                               on_export_done, g_object_ref (self));
}

/* The statistics are the eval lead's: the window adjudicates as the same
 * person, into a gold annotator of their own. */
static void
statistics_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autofree char *id = annotator_id (self);
  g_autofree char *name = annotator_name (self);
  GtkWindow *stats;

  assay_review_page_flush (self->review_page);
  stats = assay_stats_window_new (GTK_WINDOW (self), assay_session_get_project (self->session),
                                  id, name);
  gtk_window_present (stats);
}

static void
on_new_import_response (AdwMessageDialog *dialog,
                        const char       *response,
                        AssayWindow      *self)
{
  if (g_str_equal (response, "import"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.import", NULL);
}

static void
on_new_response (GtkNativeDialog *dialog,
                 int              response,
                 AssayWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayProject) project = NULL;
      g_autoptr(AssayTemplate) tmpl = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (path != NULL && !g_str_has_suffix (path, ".assay"))
        {
          char *with_extension = g_strconcat (path, ".assay", NULL);

          g_free (path);
          path = with_extension;
        }
      /* The chooser already asked whether to replace an existing file. */
      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        g_unlink (path);

      /* A new project starts from the bundled template (supported /
       * unsupported / contradicted, and a four-criterion rubric). */
      bytes = g_resources_lookup_data ("/io/github/assaylab/Assay/default-template.json",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      if (path != NULL)
        project = assay_project_create (path, &error);
      if (project != NULL && bytes != NULL)
        {
          AssayJsonDoc doc;
          AssayJsonError json_error;

          assay_json_doc_init (&doc);
          if (assay_json_parse (&doc, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                0, &json_error))
            tmpl = assay_template_from_json (&doc, 0, "default-template.json", 1, NULL);
          assay_json_doc_clear (&doc);
          if (tmpl != NULL)
            assay_project_store_template (project, tmpl, NULL);
        }
      if (project == NULL)
        show_error (self, _("Could Not Create the Project"),
                    error ? error->message : _("Only local files can be used."));
      else
        {
          GtkWidget *ask;

          g_clear_object (&project);
          assay_window_open (self, file);
          ask = adw_message_dialog_new (GTK_WINDOW (self), _("Import Files Now?"),
                                        _("Bring in transcripts (SRT, WebVTT, text) and their "
                                          "summaries (JSONL) to start reviewing."));
          adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (ask),
                                            "later", _("_Later"),
                                            "import", _("_Import Files…"),
                                            NULL);
          adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (ask), "import",
                                                      ADW_RESPONSE_SUGGESTED);
          adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (ask), "import");
          g_signal_connect (ask, "response", G_CALLBACK (on_new_import_response), self);
          gtk_window_present (GTK_WINDOW (ask));
        }
    }
  g_object_unref (dialog);
}

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = project_filter ();

  dialog = gtk_file_chooser_native_new (_("New Project"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Create"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("Untitled.assay"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_new_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The demo is a read-only file in the installation (or the build tree);
 * the expert works on a copy in their data folder, made once. */
char *
assay_window_find_demo (void)
{
  const char *env = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo.assay", NULL);

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_REGULAR))
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  return NULL;
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autofree char *demo = assay_window_find_demo ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "assay", NULL);
  g_autofree char *copy = g_build_filename (dir, "Demo.assay", NULL);
  g_autoptr(GFile) file = NULL;

  if (demo == NULL)
    {
      show_error (self, _("The Demo Is Missing"),
                  _("This installation of Assay has no demo project."));
      return;
    }

  if (!g_file_test (copy, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) source = g_file_new_for_path (demo);
      g_autoptr(GFile) target = g_file_new_for_path (copy);
      g_autoptr(GError) error = NULL;

      g_mkdir_with_parents (dir, 0700);
      if (!g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
        {
          show_error (self, _("Could Not Open the Demo"), error->message);
          return;
        }
    }

  file = g_file_new_for_path (copy);
  assay_window_open (self, file);
}

/* ---- drag and drop ---- */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AssayWindow   *self)
{
  GdkFileList *list;
  g_autoptr(GSList) files = NULL;
  g_autoptr(GPtrArray) to_import = g_ptr_array_new_with_free_func (g_object_unref);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);

  for (GSList *l = files; l != NULL; l = l->next)
    {
      GFile *file = l->data;
      g_autofree char *name = g_file_get_basename (file);

      if (g_str_has_suffix (name, ".assay"))
        {
          assay_window_open (self, file);
          return TRUE;
        }
      g_ptr_array_add (to_import, g_object_ref (file));
    }

  if (to_import->len > 0 && self->session != NULL)
    {
      assay_import_dialog_run_files (GTK_WINDOW (self), assay_session_get_project (self->session),
                                     (GFile **) to_import->pdata, to_import->len,
                                     on_import_done, g_object_ref (self));
      return TRUE;
    }
  return FALSE;
}

/* ---- the window ---- */

static gboolean
assay_window_close_request (GtkWindow *window)
{
  AssayWindow *self = ASSAY_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_set_boolean (self->settings, "guidelines-visible",
                          adw_flap_get_reveal_flap (self->guidelines_flap));

  /* The time on the item and any text waiting for a pause go in now. */
  set_session (self, NULL);

  return GTK_WINDOW_CLASS (assay_window_parent_class)->close_request (window);
}

static void
on_font_scale_changed (GSettings   *settings,
                       const char  *key,
                       AssayWindow *self)
{
  assay_review_page_set_font_scale (self->review_page,
                                    g_settings_get_double (settings, "transcript-font-scale"));
}

static void
assay_window_dispose (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_clear_handle_id (&self->saved_timeout, g_source_remove);
  g_clear_handle_id (&self->clock_timeout, g_source_remove);
  g_clear_weak_pointer (&self->change_toast);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_WINDOW);

  G_OBJECT_CLASS (assay_window_parent_class)->dispose (object);
}

static void
assay_window_finalize (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (assay_window_parent_class)->finalize (object);
}

static void
assay_window_class_init (AssayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = assay_window_dispose;
  object_class->finalize = assay_window_finalize;
  window_class->close_request = assay_window_close_request;

  g_type_ensure (ASSAY_TYPE_QUEUE_PANEL);
  g_type_ensure (ASSAY_TYPE_REVIEW_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, project_title);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, queue_panel);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, guidelines_flap);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, guidelines_label);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, item_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, review_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, saved_revealer);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, note_view);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, note_popover);
  gtk_widget_class_bind_template_callback (widget_class, on_source_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_note_closed);

  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-project", NULL, open_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.statistics", NULL, statistics_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "win.flag", NULL, flag_action);
  gtk_widget_class_install_action (widget_class, "win.next-item", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "win.previous-item", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.search-items", NULL, search_items_action);
  gtk_widget_class_install_action (widget_class, "win.show-items", NULL, show_items_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-guidelines", NULL,
                                   toggle_guidelines_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.undo-change", "t", undo_change_action);
  gtk_widget_class_install_action (widget_class, "win.announce", "s", announce_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.statistics", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.skip", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.flag", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK,
                                       "win.next-item", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK,
                                       "win.previous-item", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "win.search-items", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0,
                                       "win.toggle-guidelines", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0,
                                       "win.show-items", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "win.close-project", NULL);
  /* Bindings of the window run after the focused widget's own: Ctrl+Z in
   * a text field undoes typing there, anywhere else it undoes judgments. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                undo_key_cb, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                undo_key_cb, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_y, GDK_CONTROL_MASK,
                                undo_key_cb, "b", FALSE);
}

static void
assay_window_init (AssayWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  adw_flap_set_reveal_flap (self->guidelines_flap,
                            g_settings_get_boolean (self->settings, "guidelines-visible"));
  g_signal_connect (self->settings, "changed::transcript-font-scale",
                    G_CALLBACK (on_font_scale_changed), self);
  on_font_scale_changed (self->settings, NULL, self);

  adw_view_switcher_title_set_stack (self->switcher_title,
                                     assay_review_page_get_stack (self->review_page));
  adw_view_switcher_bar_set_stack (self->switcher_bar,
                                   assay_review_page_get_stack (self->review_page));

  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (update_activity), self);
  g_signal_connect_swapped (self, "notify::focus-widget", G_CALLBACK (on_focus_changed), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  {
    g_autofree char *demo = assay_window_find_demo ();

    gtk_widget_set_visible (GTK_WIDGET (self->demo_button), demo != NULL);
  }
  fill_recent (self);
  update_actions (self);
}
