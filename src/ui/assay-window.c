/* assay-window.c: a project's window: the welcome page, the queue and the workbench
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "assay-a11y.h"
#include "assay-export-dialog.h"
#include "assay-import-dialog.h"
#include "assay-keys.h"
#include "assay-queue-panel.h"
#include "assay-review-page.h"
#include "assay-suggest-bar.h"
#include "assay-session.h"
#include "assay-stats-window.h"
#include "assay-window-private.h"
#include "assay-window.h"

/* Recent projects kept in the settings. */
#define MAX_RECENT 10

struct _AssayWindow
{
  AdwApplicationWindow  parent_instance;

  /* The window follows the session and its current item. */
  GSignalGroup         *session_signals;
  GSignalGroup         *item_signals;
  GBindingGroup        *session_bindings;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkButton            *demo_button;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;
  AdwLeaflet           *leaflet;
  AdwClamp             *sidebar_clamp;
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
  GtkMenuButton        *note_button;
  GtkWidget            *welcome_menu_button;
  GtkWidget            *damaged_menu_button;
  GtkWidget            *sidebar_menu_button;
  GtkWidget            *menu_button;
  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  AssaySuggestBar      *suggest_bar;
  AdwWindowTitle       *damaged_title;
  AdwStatusPage        *damaged_page;
  GtkListBox           *problems_list;
  GtkSpinner           *damaged_spinner;
  GtkLabel             *wal_label;
  GtkLabel             *damaged_advice;

  GSettings            *settings;
  AssaySession         *session;
  guint                 saved_timeout;
  guint                 clock_timeout;
  guint                 switcher_idle;

  /* A project being opened (in a worker), then its queue being read:
   * cancelled when another project opens, this one closes or the window
   * goes. `reopen_source` is the item to show again once the queue is read
   * (Try Again), `retrying` says that a Try Again is under way. */
  GCancellable         *opening;
  guint                 n_opening;    /* opens and queue reads under way */
  gboolean              want_item;    /* an item opens once the queue is read */
  GSignalGroup         *queue_signals;
  gint64                reopen_source;
  gboolean              retrying;
  /* A project opened and waiting for the annotator to say who they are. */
  AssayProject         *pending;
  GtkWidget            *identity_dialog;
  /* The damaged project on the damaged page (or open read-only because of
   * the damage), and the checks and salvage running on it. */
  char                 *damaged_path;
  gboolean              damaged_readable;
  gboolean              opened_damaged;
  GCancellable         *check_cancellable;
  GCancellable         *closing;      /* cancelled when the window goes */
  gboolean              salvaging;
  /* A new project between the file chooser and its template. */
  char                 *new_path;
  char                 *new_template_name;

  /* The toast saying what a key did, and the step its Undo takes back. */
  AdwToast             *change_toast;
  guint64               change_serial;
};

G_DEFINE_FINAL_TYPE (AssayWindow, assay_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_actions (AssayWindow *self);
static void show_damaged (AssayWindow *self,
                          const char  *path,
                          const char  *message,
                          GPtrArray   *problems);
static void ask_identity (AssayWindow *self,
                          gboolean     first);
static gboolean finish_open (AssayWindow  *self,
                             AssayProject *project);
static void show_welcome (AssayWindow *self);
static void load_queue (AssayWindow *self,
                        gint64       reopen_source);
static void present_new_project_prompt (AssayWindow *self,
                                        const char  *path,
                                        const char  *template_name);

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

/* The annotator who judges: set once, through ask_identity(). Until then
 * (and on a read-only project, which never asks) the account's. */
static gboolean
identity_known (AssayWindow *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "annotator-id");
  g_autofree char *name = g_settings_get_string (self->settings, "annotator-name");

  return id != NULL && *id != '\0' && name != NULL && *name != '\0';
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
item_shown (AssayWindow *self)
{
  AssayItem *item = assay_session_get_item (self->session);
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
judgment_changed_cb (AssayWindow *self,
                     guint        kind,
                     gint64       candidate_id)
{
  gtk_revealer_set_reveal_child (self->saved_revealer, TRUE);
  g_clear_handle_id (&self->saved_timeout, g_source_remove);
  self->saved_timeout = g_timeout_add_seconds (3, hide_saved, self);
  if (kind == ASSAY_SAVED_NOTE && candidate_id == 0 && assay_session_is_replaying (self->session))
    {
      AssayItem *item = assay_session_get_item (self->session);

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
history_changed_cb (AssayWindow *self)
{
  if (self->change_toast != NULL &&
      assay_session_get_undo_serial (self->session) != self->change_serial)
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
save_failed_cb (AssayWindow *self,
                const char  *message)
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
      assay_session_set_active (self->session, FALSE);
    }
  g_set_object (&self->session, session);
  dismiss_change_toast (self);

  self->want_item = FALSE;
  g_signal_group_set_target (self->queue_signals,
                             session != NULL ? assay_session_get_queue (session) : NULL);
  assay_queue_panel_set_session (self->queue_panel, session);
  assay_review_page_set_session (self->review_page, session);
  assay_suggest_bar_set_session (self->suggest_bar, session);
  g_signal_group_set_target (self->session_signals, session);
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL)
    g_signal_group_set_target (self->item_signals, NULL);

  if (session != NULL)
    {
      AssayTemplate *tmpl = assay_session_get_template (session);

      gtk_label_set_text (self->guidelines_label,
                          tmpl->guidelines && *tmpl->guidelines
                            ? tmpl->guidelines
                            : _("This project’s template has no guidelines."));
      if (self->clock_timeout == 0)
        self->clock_timeout = g_timeout_add_seconds (30, tick, self);
    }
  else
    {
      g_clear_handle_id (&self->clock_timeout, g_source_remove);
      g_cancellable_cancel (self->opening);
      g_cancellable_cancel (self->check_cancellable);
      self->opened_damaged = FALSE;
      gtk_revealer_set_reveal_child (self->banner, FALSE);
    }

  update_actions (self);
}

/* ---- read-only projects ---- */

/* A project that only became read-only because something else holds it
 * (another window, a command) can be opened again for writing later. */
static gboolean
held_elsewhere (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_access (path, W_OK) == 0 && g_access (dir, W_OK) == 0;
}

/* The banner under the header bar says why nothing can be changed. */
static void
update_banner (AssayWindow *self)
{
  AssayProject *project = self->session ? assay_session_get_project (self->session) : NULL;
  gboolean read_only = project != NULL && assay_project_get_read_only (project);
  g_autofree char *text = NULL;
  const char *button = NULL;
  const char *action = NULL;

  if (read_only)
    {
      g_autofree char *name = g_filename_display_basename (assay_project_get_path (project));
      const char *reason = assay_project_get_read_only_reason (project);

      if (self->opened_damaged)
        {
          text = g_strdup_printf (_("“%s” is damaged, so it is open read-only: what can be read "
                                    "can be reviewed and exported. To go on judging, save a "
                                    "readable copy."), name);
          button = _("Save Readable Copy…");
          action = "win.salvage";
        }
      else
        {
          text = reason != NULL ? g_strdup (reason)
                                : g_strdup_printf (_("“%s” is open read-only: nothing can be "
                                                     "changed in it."), name);
          if (held_elsewhere (assay_project_get_path (project)))
            {
              button = _("Try Again");
              action = "win.try-again";
            }
        }
    }
  gtk_label_set_text (self->banner_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), button != NULL);
  if (button != NULL)
    {
      gtk_button_set_label (self->banner_button, button);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner_button), action);
    }
  gtk_revealer_set_reveal_child (self->banner, read_only);
}

/* Who is judging, under the project's name. */
static void
update_subtitle (AssayWindow *self)
{
  g_autofree char *name = annotator_name (self);
  g_autofree char *subtitle = NULL;

  if (self->session == NULL)
    return;
  if (assay_session_get_read_only (self->session))
    subtitle = g_strdup (_("Read-only"));
  else
    /* TRANSLATORS: under the project's name: who the judgments are stored for */
    subtitle = g_strdup_printf (_("Judging as %s"), name);
  adw_window_title_set_subtitle (self->project_title, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->project_title), subtitle);
}

/* ---- checking for damage ---- */

typedef struct
{
  char      *path;
  GPtrArray *problems;
  gboolean   readable;
  gboolean   full;      /* the whole check, for the damaged page */
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (data->full)
    {
      g_autoptr(AssayProject) project = NULL;

      /* What check finds; a project that cannot even be checked says why. */
      if (!assay_check_project (data->path, &data->problems, &error))
        {
          data->problems = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (data->problems, g_strdup (error->message));
          g_clear_error (&error);
        }
      project = assay_project_open_full (data->path, ASSAY_PROJECT_OPEN_READ_ONLY, NULL);
      data->readable = project != NULL;
    }
  else if (!assay_check_pages (data->path, &data->problems, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_quick_check_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AssayWindow *self = ASSAY_WINDOW (source);
  CheckData *data = g_task_get_task_data (G_TASK (result));
  AssayProject *project;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || data->problems == NULL ||
      data->problems->len == 0 || self->session == NULL)
    return;
  project = assay_session_get_project (self->session);
  if (g_strcmp0 (assay_project_get_path (project), data->path) != 0)
    return;
  /* The project is damaged: stop working in it before anything else is
   * written into it, and say what was found. */
  show_damaged (self, data->path, NULL, data->problems);
}

/* SQLite's page check of the project just opened, in a thread: a damaged
 * project still opens when its header is sound, and showing it as it reads
 * (an empty queue) would hide the damage. */
static void
start_quick_check (AssayWindow *self,
                   const char  *path)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data = g_new0 (CheckData, 1);

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  data->path = g_strdup (path);
  task = g_task_new (self, self->check_cancellable, on_quick_check_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/* ---- a damaged project ---- */

/* How many of check's findings the page lists; the rest are counted. */
#define MAX_PROBLEMS_SHOWN 5

static void
fill_problems (AssayWindow *self,
               GPtrArray   *problems)
{
  GtkWidget *child;
  guint n = problems != NULL ? problems->len : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  for (guint i = 0; i < n && i < MAX_PROBLEMS_SHOWN; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (problems, i));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "damage-problem");
      gtk_list_box_append (self->problems_list, label);
    }
  if (n > MAX_PROBLEMS_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "… and %u more problem",
                                                            "… and %u more problems",
                                                            n - MAX_PROBLEMS_SHOWN),
                                               n - MAX_PROBLEMS_SHOWN);
      GtkWidget *label = gtk_label_new (more);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "damage-problem");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->problems_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), n > 0);
}

static void
update_damaged_actions (AssayWindow *self)
{
  gboolean ready = !gtk_spinner_get_spinning (self->damaged_spinner) && !self->salvaging;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-read-only",
                                 ready && self->damaged_path != NULL && self->damaged_readable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.salvage",
                                 ready && self->damaged_path != NULL && self->damaged_readable);
}

static void
update_damaged_advice (AssayWindow *self)
{
  if (gtk_spinner_get_spinning (self->damaged_spinner))
    gtk_label_set_text (self->damaged_advice, _("Checking what can still be read…"));
  else if (self->damaged_readable)
    gtk_label_set_text (self->damaged_advice,
                        _("To go on working, save a readable copy: everything SQLite can still "
                          "read goes into a new project, which opens here; the damaged file "
                          "stays as it is. To review or export what can be read, open it "
                          "read-only."));
  else
    gtk_label_set_text (self->damaged_advice,
                        _("Nothing in this file can be read any more. If you have an earlier "
                          "copy of it, open that instead."));
}

static void
on_full_check_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AssayWindow *self = ASSAY_WINDOW (source);
  CheckData *data = g_task_get_task_data (G_TASK (result));

  if (g_cancellable_is_cancelled (self->closing) ||
      !g_task_propagate_boolean (G_TASK (result), NULL) ||
      g_strcmp0 (data->path, self->damaged_path) != 0)
    return;
  gtk_spinner_stop (self->damaged_spinner);
  /* A check that found nothing more than the message that brought us
   * here keeps that message. */
  if (data->problems->len > 0)
    fill_problems (self, data->problems);
  self->damaged_readable = data->readable;
  update_damaged_advice (self);
  update_damaged_actions (self);
}

/* The damaged page: what is wrong, and what can be done. `problems` (from a
 * check already made) or, failing that, `message` is shown at once; a full
 * check then runs in a thread to say more. */
static void
show_damaged (AssayWindow *self,
              const char  *path,
              const char  *message,
              GPtrArray   *problems)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  /* Nothing more is written into a damaged file from this window. */
  set_session (self, NULL);
  g_clear_object (&self->pending);
  self->opened_damaged = FALSE;
  g_free (self->damaged_path);
  self->damaged_path = g_strdup (path);
  self->damaged_readable = FALSE;

  adw_window_title_set_title (self->damaged_title, name);
  adw_window_title_set_subtitle (self->damaged_title, _("Damaged"));
  gtk_window_set_title (GTK_WINDOW (self), name);
  escaped = g_markup_escape_text (display, -1);
  description = g_strdup_printf (_("SQLite cannot read all of “%s”, so Assay will not write to "
                                   "it."), escaped);
  adw_status_page_set_description (self->damaged_page, description);

  if (problems == NULL)
    {
      shown = g_ptr_array_new_with_free_func (g_free);
      if (message != NULL)
        g_ptr_array_add (shown, g_strdup (message));
      problems = shown;
    }
  fill_problems (self, problems);

  /* The WAL holds the latest changes: without it, they are lost for good. */
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autofree char *wal_name = g_filename_display_basename (wal);
      g_autofree char *text = g_strdup_printf (_("“%s” beside the project holds its latest "
                                                 "changes. Keep it beside “%s”, under that "
                                                 "name: never delete it, and copy both files "
                                                 "together."), wal_name, name);

      gtk_label_set_text (self->wal_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->wal_label),
                          g_file_test (wal, G_FILE_TEST_EXISTS));

  gtk_spinner_start (self->damaged_spinner);
  update_damaged_advice (self);
  update_damaged_actions (self);
  gtk_stack_set_visible_child_name (self->main_stack, "damaged");
  update_actions (self);

  data = g_new0 (CheckData, 1);
  data->path = g_strdup (path);
  data->full = TRUE;
  task = g_task_new (self, NULL, on_full_check_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

static void
open_read_only_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;

  project = assay_project_open_full (self->damaged_path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  if (project == NULL)
    {
      show_error (self, _("Could Not Open the Project"), error->message);
      return;
    }
  self->opened_damaged = TRUE;
  finish_open (self, project);
}

typedef struct
{
  char               *damaged;
  char               *target;
  AssaySalvageReport *report;
} SalvageData;

static void
salvage_data_free (SalvageData *data)
{
  g_free (data->damaged);
  g_free (data->target);
  g_clear_pointer (&data->report, assay_salvage_report_free);
  g_free (data);
}

static void
salvage_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SalvageData *data = task_data;
  GError *error = NULL;

  if (!assay_salvage_project (data->damaged, data->target, &data->report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_salvage_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AssayWindow *self = ASSAY_WINDOW (source);
  SalvageData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *damaged_name = g_filename_display_basename (data->damaged);
  g_autofree char *target_name = g_filename_display_basename (data->target);
  AssaySalvageReport *report = data->report;
  GtkWidget *dialog;

  if (g_cancellable_is_cancelled (self->closing))
    return;
  self->salvaging = FALSE;
  gtk_spinner_stop (self->damaged_spinner);
  update_damaged_actions (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, _("Could Not Save a Readable Copy"), error->message);
      return;
    }

  file = g_file_new_for_path (data->target);
  assay_window_open (self, file);

  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                             "%" G_GINT64_FORMAT " record of “%s” was saved "
                                             "into “%s”, which is now open.",
                                             "%" G_GINT64_FORMAT " records of “%s” were saved "
                                             "into “%s”, which is now open.",
                                             (gulong) report->saved),
                          report->saved, damaged_name, target_name);
  if (report->unreadable > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                                 "%" G_GINT64_FORMAT " could not be read.",
                                                 "%" G_GINT64_FORMAT " could not be read.",
                                                 (gulong) report->unreadable),
                              report->unreadable);
    }
  if (report->refused > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                                 "%" G_GINT64_FORMAT " was left out because "
                                                 "what it belonged to was lost or incomplete.",
                                                 "%" G_GINT64_FORMAT " were left out because "
                                                 "what they belonged to was lost or incomplete.",
                                                 (gulong) report->refused),
                              report->refused);
    }
  if (report->n_damaged > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append (body, _("Parts of the file were unreadable, so more may be missing: "
                               "check the copy before relying on it."));
    }
  g_string_append_c (body, ' ');
  g_string_append_printf (body, _("“%s” itself was not changed; keep it."), damaged_name);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Readable Copy Saved"), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Salvages into `target` (from the chooser) in a thread. */
static void
salvage_to (AssayWindow *self,
            const char  *target)
{
  g_autoptr(GTask) task = NULL;
  SalvageData *data = g_new0 (SalvageData, 1);

  data->damaged = g_strdup (self->damaged_path);
  data->target = g_strdup (target);
  self->salvaging = TRUE;
  gtk_spinner_start (self->damaged_spinner);
  update_damaged_actions (self);

  task = g_task_new (self, NULL, on_salvage_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) salvage_data_free);
  g_task_run_in_thread (task, salvage_thread);
}

/* ---- who is judging ---- */

/* An id as people write them: an e-mail address or a handle, without
 * spaces, at most 64 characters. */
static gboolean
valid_annotator_id (const char *id)
{
  glong n = g_utf8_strlen (id, -1);

  if (n < 1 || n > 64)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._@+-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* "Dr. Ada Lund" → "dr-ada-lund". */
char *
_assay_window_id_from_name (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *id = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (id, g_ascii_tolower (*p));
      else if (id->len > 0 && id->str[id->len - 1] != '-')
        g_string_append_c (id, '-');
    }
  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);
  if (id->len > 64)
    g_string_truncate (id, 64);
  return g_string_free (id, FALSE);
}

typedef struct
{
  AdwMessageDialog *dialog;
  AdwEntryRow      *name_row;
  AdwEntryRow      *id_row;
  GtkLabel         *hint;
  gboolean          id_edited;   /* the id no longer follows the name */
  gboolean          setting_id;
} IdentityForm;

static void
validate_identity (IdentityForm *form)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->name_row))));
  const char *id = gtk_editable_get_text (GTK_EDITABLE (form->id_row));
  gboolean name_ok = *name != '\0' && g_utf8_strlen (name, -1) <= 256;
  gboolean id_ok = valid_annotator_id (id);

  if (*id != '\0' && !id_ok)
    {
      gtk_label_set_text (form->hint, _("The id may hold letters, digits and . _ @ + - "
                                        "(no spaces), up to 64 characters."));
      gtk_widget_add_css_class (GTK_WIDGET (form->hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (form->id_row), "error");
    }
  else
    {
      gtk_label_set_text (form->hint, _("The id tells your judgments apart from other "
                                        "experts’: your e-mail address, or a handle your team "
                                        "uses. Use the same one in every project."));
      gtk_widget_remove_css_class (GTK_WIDGET (form->hint), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (form->id_row), "error");
    }
  adw_message_dialog_set_response_enabled (form->dialog, "save", name_ok && id_ok);
}

static void
on_identity_name_changed (GtkEditable  *editable,
                          IdentityForm *form)
{
  if (!form->id_edited)
    {
      g_autofree char *id = _assay_window_id_from_name (gtk_editable_get_text (editable));

      form->setting_id = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (form->id_row), id);
      form->setting_id = FALSE;
    }
  validate_identity (form);
}

static void
on_identity_id_changed (GtkEditable  *editable,
                        IdentityForm *form)
{
  if (!form->setting_id)
    form->id_edited = TRUE;
  validate_identity (form);
}

/* The session judges as a new annotator from now on; the item on screen
 * stays. */
static void
switch_annotator (AssayWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySession) session = NULL;
  g_autofree char *id = annotator_id (self);
  g_autofree char *name = annotator_name (self);
  AssayProject *project;
  AssayItem *item;
  gint64 source_id;

  if (self->session == NULL)
    return;
  project = assay_session_get_project (self->session);
  item = assay_session_get_item (self->session);
  source_id = item != NULL ? item->source_id : 0;
  assay_review_page_flush (self->review_page);
  session = assay_session_new (project, id, name, &error);
  if (session == NULL)
    {
      show_error (self, _("Could Not Change Who Is Judging"), error->message);
      return;
    }
  set_session (self, session);
  update_subtitle (self);
  /* The item on screen stays; without one, the place to resume is known
   * once the new annotator's queue is read. */
  if (source_id != 0 && !assay_session_load_item (session, source_id, &error))
    gtk_stack_set_visible_child_name (self->item_stack, "empty");
  load_queue (self, 0);
  update_status (self);
  update_actions (self);
}

static void
on_identity_response (AdwMessageDialog *dialog,
                      const char       *response,
                      AssayWindow      *self)
{
  IdentityForm *form = g_object_get_data (G_OBJECT (dialog), "form");
  g_autoptr(AssayProject) pending = g_steal_pointer (&self->pending);

  self->identity_dialog = NULL;
  if (g_str_equal (response, "save"))
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->name_row))));
      const char *id = gtk_editable_get_text (GTK_EDITABLE (form->id_row));
      g_autofree char *old_id = g_settings_get_string (self->settings, "annotator-id");
      g_autofree char *old_name = g_settings_get_string (self->settings, "annotator-name");
      gboolean changed = g_strcmp0 (old_id, id) != 0 || g_strcmp0 (old_name, name) != 0;

      g_settings_set_string (self->settings, "annotator-name", name);
      g_settings_set_string (self->settings, "annotator-id", id);
      if (pending != NULL)
        finish_open (self, pending);
      else if (changed)
        switch_annotator (self);
      return;
    }

  /* Without a name nothing can be judged: the project waiting for one is
   * not opened. */
  if (pending != NULL && self->session == NULL)
    {
      fill_recent (self);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }
}

/* Asks who is judging: the first time a project is opened for judging
 * (`first`, and nothing can be judged before it is answered), or from the
 * main menu. */
static void
ask_identity (AssayWindow *self,
              gboolean     first)
{
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  IdentityForm *form = g_new0 (IdentityForm, 1);
  g_autofree char *name = g_settings_get_string (self->settings, "annotator-name");
  g_autofree char *id = g_settings_get_string (self->settings, "annotator-id");

  if (self->identity_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->identity_dialog));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Who Is Judging?"),
                                   first
                                     ? _("Every judgment is stored with the name and id of the "
                                         "person who made it, so that an eval lead can tell "
                                         "experts apart and merge their work. Enter yours once; "
                                         "the main menu changes it.")
                                     : _("Judgments you make from now on are stored under this "
                                         "name and id. Those already made keep theirs."));
  form->dialog = ADW_MESSAGE_DIALOG (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "form", form, g_free);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  form->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->name_row), _("Your Name"));
  form->id_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->id_row),
                                 _("Id (E-mail or Handle)"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (form->name_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (form->id_row));
  form->hint = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (form->hint, TRUE);
  gtk_label_set_xalign (form->hint, 0);
  gtk_label_set_width_chars (form->hint, 30);
  gtk_label_set_max_width_chars (form->hint, 40);
  gtk_widget_add_css_class (GTK_WIDGET (form->hint), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (form->hint), "dim-label");
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->hint));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", first ? _("_Close Project") : _("_Cancel"),
                                    "save", first ? _("_Start Judging") : _("_Change"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  /* An id already given stays; a new one follows the name as it is typed. */
  form->id_edited = id != NULL && *id != '\0';
  gtk_editable_set_text (GTK_EDITABLE (form->name_row), name ? name : "");
  form->setting_id = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (form->id_row), id ? id : "");
  form->setting_id = FALSE;
  g_signal_connect (form->name_row, "changed", G_CALLBACK (on_identity_name_changed), form);
  g_signal_connect (form->id_row, "changed", G_CALLBACK (on_identity_id_changed), form);
  validate_identity (form);

  g_signal_connect (dialog, "response", G_CALLBACK (on_identity_response), self);
  self->identity_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (form->name_row));
}

static void
change_annotator_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  ask_identity (ASSAY_WINDOW (widget), FALSE);
}

static void
try_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  g_autoptr(GFile) file = NULL;
  AssayItem *item;
  gint64 source_id;

  if (self->session == NULL)
    return;
  file = g_file_new_for_path (assay_project_get_path (assay_session_get_project (self->session)));
  item = assay_session_get_item (self->session);
  source_id = item != NULL ? item->source_id : 0;
  assay_window_open (self, file);
  /* The same item as before, now that it may be judged, once the project
   * is open again and its queue read. */
  self->reopen_source = source_id;
  self->retrying = TRUE;
}

/* ---- opening ----
 *
 * Nothing of opening runs on the UI thread for longer than a frame: the
 * project opens in a worker (assay_project_open_async(): reading its
 * header, waiting for a command that writes it, migrating it), the
 * session is made at once with an empty queue, which a worker fills
 * (assay_queue_reload_async()) while the queue panel says it is reading
 * the items; the item to resume opens once the queue is known. */

typedef struct
{
  AssayWindow  *self;
  GCancellable *cancellable;  /* self->opening when this began */
  char         *path;
} OpenRequest;

static OpenRequest *
open_request_new (AssayWindow *self,
                  const char  *path)
{
  OpenRequest *request = g_new0 (OpenRequest, 1);

  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->opening);
  self->n_opening++;
  request->path = g_strdup (path);
  return request;
}

static void
open_request_free (OpenRequest *request)
{
  request->self->n_opening--;
  g_object_unref (request->self);
  g_object_unref (request->cancellable);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenRequest, open_request_free)

/* A new opening: the one under way, if any, is dropped. */
static void
begin_opening (AssayWindow *self)
{
  g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  self->opening = g_cancellable_new ();
  self->reopen_source = 0;
  self->retrying = FALSE;
}

/* The queue has been read: the item the annotator left off at opens (or
 * the one that was on screen before Try Again). */
static void
show_first_item (AssayWindow *self)
{
  g_autoptr(GError) error = NULL;
  AssayQueue *queue = assay_session_get_queue (self->session);
  gint64 resume;

  self->want_item = FALSE;
  if (assay_session_get_item (self->session) == NULL)
    {
      resume = self->reopen_source;
      if (resume == 0 || assay_queue_find (queue, resume) == G_MAXUINT)
        resume = assay_session_get_resume_source (self->session);
      if (resume == 0 || !assay_session_load_item (self->session, resume, &error))
        {
          gtk_stack_set_visible_child_name (self->item_stack, "empty");
          adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
          if (error != NULL && g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT) &&
              !self->opened_damaged)
            {
              show_damaged (self, assay_project_get_path (assay_session_get_project (
                                                             self->session)),
                            error->message, NULL);
              return;
            }
          if (error != NULL)
            toast (self, error->message);
        }
    }
  self->reopen_source = 0;
  if (self->retrying)
    {
      self->retrying = FALSE;
      if (assay_session_get_read_only (self->session))
        toast (self, _("Still read-only"));
    }
  /* "Item 3 of 6" now that the queue is known. */
  update_status (self);
  update_actions (self);
}

/* The queue is done reading: with the window's own request, or with one
 * that replaced it (a search typed meanwhile). */
static void
queue_busy_cb (AssayWindow *self)
{
  AssayQueue *queue;

  if (self->session == NULL)
    return;
  queue = assay_session_get_queue (self->session);
  if (self->want_item && !assay_queue_get_busy (queue) && assay_queue_get_loaded (queue))
    show_first_item (self);
}

static void
on_queue_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OpenRequest) request = user_data;
  AssayWindow *self = request->self;
  AssayQueue *queue = ASSAY_QUEUE (source);
  g_autoptr(GError) error = NULL;
  gboolean current;

  current = !g_cancellable_is_cancelled (request->cancellable) && self->session != NULL &&
            assay_session_get_queue (self->session) == queue;
  if (assay_queue_set_filter_finish (queue, result, &error))
    {
      if (current)
        {
          queue_busy_cb (self);
          update_status (self);
        }
      return;
    }
  /* Replaced by a newer request: its answer counts (queue_busy_cb). */
  if (!current || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->want_item = FALSE;
  if (g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT) && !self->opened_damaged)
    {
      show_damaged (self, request->path, error->message, NULL);
      return;
    }
  gtk_stack_set_visible_child_name (self->item_stack, "empty");
  toast (self, error->message);
}

/* Reads the session's queue in a worker; the item to show follows
 * (`reopen_source` if it is in the queue, else where the annotator left
 * off) unless one is on screen already. */
static void
load_queue (AssayWindow *self,
            gint64       reopen_source)
{
  AssayProject *project;

  if (self->session == NULL)
    return;
  if (self->opening == NULL || g_cancellable_is_cancelled (self->opening))
    {
      g_clear_object (&self->opening);
      self->opening = g_cancellable_new ();
    }
  if (reopen_source != 0)
    self->reopen_source = reopen_source;
  if (assay_session_get_item (self->session) == NULL)
    {
      self->want_item = TRUE;
      gtk_stack_set_visible_child_name (self->item_stack, "loading");
    }
  project = assay_session_get_project (self->session);
  assay_queue_reload_async (assay_session_get_queue (self->session), self->opening,
                            on_queue_loaded,
                            open_request_new (self, assay_project_get_path (project)));
}

/* Shows a project opened (and, unless read-only, with a known annotator);
 * the annotator's queue is read next, and then the item they left off at
 * opens. */
static gboolean
finish_open (AssayWindow   *self,
             AssayProject  *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySession) session = NULL;
  g_autofree char *id = annotator_id (self);
  g_autofree char *name = annotator_name (self);
  g_autofree char *project_name = NULL;
  g_autofree char *path = g_strdup (assay_project_get_path (project));

  session = assay_session_new (project, id, name, &error);
  if (session == NULL)
    {
      if (g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT) && !self->opened_damaged)
        show_damaged (self, path, error->message, NULL);
      else
        show_error (self, _("Could Not Open the Project"), error->message);
      return FALSE;
    }

  set_session (self, session);
  remember_recent (self, path);

  project_name = assay_project_dup_name (project);
  adw_window_title_set_title (self->project_title, project_name);
  update_subtitle (self);
  update_banner (self);
  gtk_window_set_title (GTK_WINDOW (self), project_name);
  gtk_stack_set_visible_child_name (self->main_stack, "workbench");

  load_queue (self, 0);

  /* Nothing of the previous project's item stays in the action bar. */
  update_status (self);
  if (!self->opened_damaged)
    {
      g_clear_pointer (&self->damaged_path, g_free);
      start_quick_check (self, path);
    }
  update_damaged_actions (self);
  update_actions (self);
  if (self->new_template_name != NULL)
    {
      g_autofree char *template_name = g_steal_pointer (&self->new_template_name);

      present_new_project_prompt (self, path, template_name);
    }
  return TRUE;
}

/* A project opened for writing waits for the annotator's name the first
 * time: every judgment is stored under it. */
static void
open_project (AssayWindow  *self,
              AssayProject *project)
{
  if (!assay_project_get_read_only (project) && !identity_known (self))
    {
      g_set_object (&self->pending, project);
      ask_identity (self, TRUE);
      return;
    }
  finish_open (self, project);
}

static void
on_project_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OpenRequest) request = user_data;
  AssayWindow *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;

  project = assay_project_open_finish (result, &error);
  /* Another project was opened meanwhile, or the window closed: this one
   * is dropped (closing it here lets go of its lock). */
  if (g_cancellable_is_cancelled (request->cancellable) ||
      g_cancellable_is_cancelled (self->closing))
    return;
  if (project == NULL)
    {
      self->retrying = FALSE;
      self->reopen_source = 0;
      if (g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_CORRUPT))
        show_damaged (self, request->path, error->message, NULL);
      else
        show_error (self, _("Could Not Open the Project"), error->message);
      return;
    }
  open_project (self, project);
}

/**
 * assay_window_open:
 * @file: a project file
 *
 * Opens the project in this window, in a worker thread, and returns to
 * where the annotator left off once its queue is read. A project that
 * another program holds, or that cannot be written, opens read-only with a
 * banner that says why; a damaged one shows what is wrong and what can be
 * done. Other errors are shown in a dialog; the window keeps what it
 * showed.
 */
void
assay_window_open (AssayWindow *self,
                   GFile       *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (ASSAY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_error (self, _("Could Not Open the Project"), _("Only local files can be opened."));
      return;
    }

  /* The project in this window goes first: opening it again in the same
   * window must not find it held by itself. */
  if (self->session != NULL &&
      assay_project_is_own_file (assay_session_get_project (self->session), path))
    show_welcome (self);

  begin_opening (self);
  self->opened_damaged = FALSE;
  assay_project_open_async (path, ASSAY_PROJECT_OPEN_APP, self->opening, on_project_opened,
                            open_request_new (self, path));
}

gboolean
_assay_window_get_opening (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), FALSE);
  return self->n_opening > 0 || self->want_item;
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
  gboolean writable = open && !assay_session_get_read_only (self->session);
  gboolean damaged = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                "damaged") == 0;
  GtkWidget *widget = GTK_WIDGET (self);

  /* A read-only project can be read, reviewed and exported; nothing that
   * would write to it is offered. */
  gtk_widget_action_set_enabled (widget, "win.import", writable);
  gtk_widget_action_set_enabled (widget, "win.export", open);
  gtk_widget_action_set_enabled (widget, "win.statistics", open);
  gtk_widget_action_set_enabled (widget, "win.close-project", open || damaged);
  gtk_widget_action_set_enabled (widget, "win.submit", item && writable);
  gtk_widget_action_set_enabled (widget, "win.skip", item && writable);
  gtk_widget_action_set_enabled (widget, "win.flag", item && writable);
  gtk_widget_action_set_enabled (widget, "win.change-annotator",
                                 !open || writable || self->pending != NULL);
  gtk_widget_action_set_enabled (widget, "win.try-again", open && !writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_button), item && writable);
  gtk_widget_action_set_enabled (widget, "win.next-item", item);
  gtk_widget_action_set_enabled (widget, "win.previous-item", item);
  gtk_widget_action_set_enabled (widget, "win.find", item);
  gtk_widget_action_set_enabled (widget, "win.search-items", open);
  gtk_widget_action_set_enabled (widget, "win.show-items", open);
  gtk_widget_action_set_enabled (widget, "win.toggle-guidelines", open);
  gtk_widget_action_set_enabled (widget, "win.undo",
                                 writable && assay_session_can_undo (self->session));
  gtk_widget_action_set_enabled (widget, "win.redo",
                                 writable && assay_session_can_redo (self->session));
  /* One run at a time; it writes a model's judgments into the project. */
  gtk_widget_action_set_enabled (widget, "win.suggest",
                                 item && writable &&
                                 !assay_suggest_bar_get_running (self->suggest_bar));
  gtk_widget_action_set_enabled (widget, "win.suggest-source",
                                 writable && !assay_suggest_bar_get_running (self->suggest_bar));
}

/* Suggest: a model's judgments for the item on screen ("item") or the
 * queue as filtered ("queue"), or (suggest-source) an item of the queue by
 * its id, in the background. */
static void
suggest_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  if (self->session == NULL)
    return;
  assay_review_page_flush (self->review_page);
  if (g_str_equal (action_name, "win.suggest-source"))
    assay_suggest_bar_run_source (self->suggest_bar, g_variant_get_string (param, NULL));
  else
    assay_suggest_bar_run (self->suggest_bar,
                           g_strcmp0 (g_variant_get_string (param, NULL), "queue") == 0);
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
show_welcome (AssayWindow *self)
{
  set_session (self, NULL);
  g_clear_pointer (&self->damaged_path, g_free);
  fill_recent (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Assay"));
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  update_damaged_actions (self);
  update_actions (self);
}

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  show_welcome (ASSAY_WINDOW (widget));
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
  /* The queue is read again in a worker; without an item on screen, the
   * first to resume opens once it is. */
  if (imported && self->session != NULL)
    load_queue (self, 0);
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

/* ---- new projects ---- */

/* The file a save chooser picked, as the path of a new project (or copy):
 * with the .assay extension, and never an existing project. The chooser's
 * "Replace" is not enough for one: it may be open in this window or another
 * program, and its -wal beside it would be taken for the new file's. NULL
 * (with the error shown) if the file cannot be used. */
static char *
new_project_path (AssayWindow *self,
                  GFile       *chosen,
                  const char  *heading)
{
  g_autofree char *path = g_file_get_path (chosen);
  g_autofree char *display = NULL;
  gboolean appended = FALSE;

  if (path == NULL)
    {
      show_error (self, heading, _("Only local files can be used."));
      return NULL;
    }
  if (!g_str_has_suffix (path, ".assay"))
    {
      char *with_extension = g_strconcat (path, ".assay", NULL);

      g_free (path);
      path = with_extension;
      appended = TRUE;
    }
  display = g_filename_display_name (path);

  if (assay_path_holds_project (path) ||
      (self->session != NULL &&
       assay_project_is_own_file (assay_session_get_project (self->session), path)))
    {
      g_autofree char *body = g_strdup_printf (_("“%s” is an Assay project already, and Assay "
                                                 "never replaces a project. Choose another "
                                                 "name, or move that project away first."),
                                               display);

      show_error (self, heading, body);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* The chooser asked about the name it showed, not the one with the
       * extension added. */
      if (appended)
        {
          g_autofree char *body = g_strdup_printf (_("“%s” already exists. Choose another name."),
                                                   display);

          show_error (self, heading, body);
          return NULL;
        }
      if (g_unlink (path) != 0)
        {
          int saved_errno = errno;
          g_autofree char *body = g_strdup_printf (_("Could not replace “%s”: %s"), display,
                                                   g_strerror (saved_errno));

          show_error (self, heading, body);
          return NULL;
        }
    }
  return g_steal_pointer (&path);
}

static void
on_new_import_response (AdwMessageDialog *dialog,
                        const char       *response,
                        AssayWindow      *self)
{
  if (g_str_equal (response, "import"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.import", NULL);
}

/* After a new project opens: what it starts from, how to change that, and
 * the first import. */
static void
present_new_project_prompt (AssayWindow *self,
                            const char  *path,
                            const char  *template_name)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *body = NULL;
  GtkWidget *ask;

  body = g_strdup_printf (_("“%s” uses the template “%s”: its labels, rubric and guidelines. "
                            "To use another one, run “assay-cli template import” on the project "
                            "before anyone judges.\n\nBring in transcripts (SRT, WebVTT, text) "
                            "and their summaries (JSONL) to start reviewing."),
                          name, template_name);
  ask = adw_message_dialog_new (GTK_WINDOW (self), _("Import Files Now?"), body);
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

static AssayTemplate *
load_bundled_template (const char  *name,
                       GError     **error)
{
  g_autofree char *resource = g_strconcat ("/io/github/assaylab/Assay/templates/", name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                     error);

  /* The core reads it as it reads a template file, and says where it is
   * wrong. */
  if (bytes == NULL)
    return NULL;
  return assay_template_load_bytes (bytes, name, error);
}

/* Creates the project at `path` with `tmpl`, and opens it. */
static gboolean
create_project (AssayWindow   *self,
                const char    *path,
                AssayTemplate *tmpl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  project = assay_project_create (path, &error);
  if (project != NULL && !assay_project_store_template (project, tmpl, &error))
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_clear_object (&project);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
    }
  if (project == NULL)
    {
      show_error (self, _("Could Not Create the Project"), error->message);
      return FALSE;
    }
  g_clear_object (&project);

  g_free (self->new_template_name);
  self->new_template_name = g_strdup (tmpl->name != NULL && *tmpl->name ? tmpl->name
                                                                        : _("Untitled"));
  assay_window_open (self, file);
  return TRUE;
}

static void
on_template_file_response (GtkNativeDialog *dialog,
                           int              response,
                           AssayWindow     *self)
{
  g_autofree char *path = g_steal_pointer (&self->new_path);

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *template_path = g_file_get_path (file);
      g_autoptr(AssayTemplate) tmpl = NULL;
      g_autoptr(GError) error = NULL;

      if (template_path == NULL)
        show_error (self, _("Could Not Read the Template"), _("Only local files can be used."));
      else if ((tmpl = assay_template_load_file (template_path, &error)) == NULL)
        show_error (self, _("Could Not Read the Template"), error->message);
      else
        create_project (self, path, tmpl);
    }
  g_object_unref (dialog);
}

static void
choose_template_file (AssayWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Assay Templates (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  dialog = gtk_file_chooser_native_new (_("Choose a Template"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Use"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_template_file_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_template_response (AdwMessageDialog *dialog,
                      const char       *response,
                      AssayWindow      *self)
{
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_str_equal (response, "file"))
    {
      choose_template_file (self);
      return;
    }
  path = g_steal_pointer (&self->new_path);
  if (path == NULL || !(g_str_equal (response, "standard") || g_str_equal (response, "demo")))
    return;
  tmpl = load_bundled_template (g_str_equal (response, "demo") ? "demo.json" : "standard.json",
                                &error);
  if (tmpl == NULL)
    show_error (self, _("Could Not Create the Project"), error->message);
  else
    create_project (self, path, tmpl);
}

/* A template sets what experts judge; the choice is made once, before the
 * project exists, so nobody finds out after judging that it was the
 * wrong one. */
static void
ask_template (AssayWindow *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Start From Which Template?"),
                                   _("A template sets what experts judge: the labels, the rubric "
                                     "and the guidelines. The standard one asks for claim "
                                     "labels, a verdict and a three-criterion rubric; the demo’s "
                                     "adds issue labels and a clarity criterion, with guidelines "
                                     "for interviews and consultations. A template of your own "
                                     "is a JSON file (see “assay-cli template export”)."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "file", _("From a _File…"),
                                    "demo", _("The _Demo’s"),
                                    "standard", _("_Standard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "standard",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "standard");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_template_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What the New Project chooser's response does, apart from the chooser
 * (tests call it): the path is checked, then the template asked for. */
void
_assay_window_new_project_at (AssayWindow *self,
                              GFile       *chosen)
{
  g_autofree char *path = new_project_path (self, chosen, _("Could Not Create the Project"));

  if (path == NULL)
    return;
  g_free (self->new_path);
  self->new_path = g_steal_pointer (&path);
  ask_template (self);
}

static void
on_new_response (GtkNativeDialog *dialog,
                 int              response,
                 AssayWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      _assay_window_new_project_at (self, file);
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

/* ---- saving a readable copy of a damaged project ---- */

void
_assay_window_salvage_to (AssayWindow *self,
                          GFile       *chosen)
{
  g_autofree char *path = NULL;

  if (self->damaged_path == NULL)
    return;
  path = new_project_path (self, chosen, _("Could Not Save a Readable Copy"));
  if (path != NULL)
    salvage_to (self, path);
}

static void
on_salvage_response (GtkNativeDialog *dialog,
                     int              response,
                     AssayWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      _assay_window_salvage_to (self, file);
    }
  g_object_unref (dialog);
}

static void
salvage_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = project_filter ();
  g_autofree char *base = g_path_get_basename (self->damaged_path);
  g_autofree char *name = NULL;

  if (g_str_has_suffix (base, ".assay"))
    base[strlen (base) - strlen (".assay")] = '\0';
  /* TRANSLATORS: file name of the readable copy of a damaged project; %s is its name */
  name = g_strdup_printf (_("%s (readable copy).assay"), base);
  dialog = gtk_file_chooser_native_new (_("Save Readable Copy"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_salvage_response), widget);
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

  if (to_import->len > 0 && self->session != NULL &&
      assay_session_get_read_only (self->session))
    {
      AssayProject *project = assay_session_get_project (self->session);
      const char *reason = assay_project_get_read_only_reason (project);
      g_autofree char *name = g_filename_display_basename (assay_project_get_path (project));
      g_autofree char *text = reason != NULL
                                ? g_strdup_printf (_("Nothing was imported: %s"), reason)
                                : g_strdup_printf (_("Nothing was imported: “%s” is open "
                                                     "read-only."), name);

      toast (self, text);
      return TRUE;
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

/* Beside the workbench the queue keeps a sidebar's width; folded, it is
 * the whole window. */
static void
on_folded_changed (AssayWindow *self)
{
  adw_clamp_set_maximum_size (self->sidebar_clamp,
                              adw_leaflet_get_folded (self->leaflet) ? 1280 : 300);
  adw_clamp_set_tightening_threshold (self->sidebar_clamp,
                                      adw_leaflet_get_folded (self->leaflet) ? 1280 : 300);
}

static gboolean
reveal_switcher_bar (gpointer data)
{
  AssayWindow *self = data;

  self->switcher_idle = 0;
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));
  return G_SOURCE_REMOVE;
}

/* The view switcher moves to the bottom bar when the header has no room
 * for it. The title decides that while it is being allocated, and a bar
 * revealed in the middle of that allocation is allocated before it was
 * measured (GTK warns, with a height of -1): the bar follows a moment
 * later instead. */
static void
on_title_visible_changed (AssayWindow *self)
{
  if (self->switcher_idle == 0)
    self->switcher_idle = g_idle_add (reveal_switcher_bar, self);
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
  g_clear_handle_id (&self->switcher_idle, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  /* Checks and a salvage still running end without this window, and so
   * does a project being opened. */
  g_cancellable_cancel (self->closing);
  g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  g_clear_weak_pointer (&self->change_toast);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->queue_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->pending);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_WINDOW);

  G_OBJECT_CLASS (assay_window_parent_class)->dispose (object);
}

static void
assay_window_finalize (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->closing);
  g_free (self->damaged_path);
  g_free (self->new_path);
  g_free (self->new_template_name);
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
  g_type_ensure (ASSAY_TYPE_SUGGEST_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, sidebar_clamp);
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
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, note_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, welcome_menu_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, damaged_menu_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, sidebar_menu_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, suggest_bar);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, damaged_title);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, damaged_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, problems_list);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, damaged_spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, wal_label);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, damaged_advice);
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
  gtk_widget_class_install_action (widget_class, "win.open-read-only", NULL,
                                   open_read_only_action);
  gtk_widget_class_install_action (widget_class, "win.salvage", NULL, salvage_action);
  gtk_widget_class_install_action (widget_class, "win.try-again", NULL, try_again_action);
  gtk_widget_class_install_action (widget_class, "win.change-annotator", NULL,
                                   change_annotator_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.undo-change", "t", undo_change_action);
  gtk_widget_class_install_action (widget_class, "win.announce", "s", announce_action);
  gtk_widget_class_install_action (widget_class, "win.suggest", "s", suggest_action);
  gtk_widget_class_install_action (widget_class, "win.suggest-source", "s", suggest_action);

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
  g_signal_connect_object (self->suggest_bar, "notify::running", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);

  /* Connected before any session is set, and so after the review page's
   * own: the page is up to date when the window looks at the item. */
  self->session_signals = g_signal_group_new (ASSAY_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "save-failed",
                                  G_CALLBACK (save_failed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "history-changed",
                                  G_CALLBACK (history_changed_cb), self);
  /* The queue of the session, read in a worker after opening: when it is
   * done, the first item opens. */
  self->queue_signals = g_signal_group_new (ASSAY_TYPE_QUEUE);
  g_signal_group_connect_swapped (self->queue_signals, "notify::busy",
                                  G_CALLBACK (queue_busy_cb), self);
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "judgment-changed",
                                  G_CALLBACK (judgment_changed_cb), self);
  g_signal_group_connect_swapped (self->item_signals, "notify::status",
                                  G_CALLBACK (update_status), self);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);

  self->closing = g_cancellable_new ();
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
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (on_title_visible_changed), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed),
                            self);
  on_folded_changed (self);

  /* What takes the focus in these is a toggle button inside them. */
  assay_a11y_name_toggle (self->welcome_menu_button, _("Main Menu"));
  assay_a11y_name_toggle (self->damaged_menu_button, _("Main Menu"));
  assay_a11y_name_toggle (self->sidebar_menu_button, _("Main Menu"));
  assay_a11y_name_toggle (self->menu_button, _("Main Menu"));
  assay_a11y_name_toggle (GTK_WIDGET (self->note_button), _("Note on This Item"));
  g_signal_connect_swapped (self, "notify::focus-widget", G_CALLBACK (on_focus_changed), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  {
    g_autofree char *demo = assay_window_find_demo ();

    gtk_widget_set_visible (GTK_WIDGET (self->demo_button), demo != NULL);
  }
  fill_recent (self);
  update_damaged_actions (self);
  update_actions (self);
}
