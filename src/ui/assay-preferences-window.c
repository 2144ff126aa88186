/* assay-preferences-window.c: Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who you are, the transcript's text size, and the endpoints that suggest
 * judgments. An endpoint's key goes to the keyring, never to the settings.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "assay-preferences-window.h"

struct _AssayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  AdwPreferencesGroup  *endpoints_group;
  GPtrArray            *endpoint_rows;   /* GtkWidget, in the group */
  GtkWidget            *no_endpoints;
  AdwEntryRow          *name_row;
  AdwEntryRow          *url_row;
  AdwEntryRow          *model_row;
  AdwEntryRow          *key_row;
  GtkLabel             *add_error;
};

G_DEFINE_FINAL_TYPE (AssayPreferencesWindow, assay_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void fill_endpoints (AssayPreferencesWindow *self);

static void
toast (AssayPreferencesWindow *self,
       const char             *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 8);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), t);
}

/* ---- the endpoints ---- */

/* A key the keyring would not take is said beside the rows it was typed
 * in, where there is room for what to do about it. */
static void
key_stored_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(AssayPreferencesWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (assay_endpoint_store_key_finish (result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->add_error == NULL)
    return;
  gtk_label_set_text (self->add_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), TRUE);
  toast (self, _("The API key was not saved"));
}

static void
remove_clicked_cb (GtkButton              *button,
                   AssayPreferencesWindow *self)
{
  g_autoptr(GPtrArray) endpoints = assay_endpoints_load (self->settings);
  const char *url = g_object_get_data (G_OBJECT (button), "assay-url");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "assay-index"));
  gboolean url_used = FALSE;

  if (index >= endpoints->len)
    return;
  g_ptr_array_remove_index (endpoints, index);
  assay_endpoints_save (self->settings, endpoints);
  /* The key goes with the last endpoint at its URL. */
  for (guint i = 0; i < endpoints->len; i++)
    if (g_strcmp0 (((AssayEndpoint *) g_ptr_array_index (endpoints, i))->url, url) == 0)
      url_used = TRUE;
  if (!url_used)
    assay_endpoint_store_key_async (url, NULL, self->cancellable, key_stored_cb,
                                    g_object_ref (self));
  fill_endpoints (self);
}

static void
use_toggled_cb (GtkCheckButton         *check,
                AssayPreferencesWindow *self)
{
  if (gtk_check_button_get_active (check))
    g_settings_set_string (self->settings, "suggestion-endpoint",
                           g_object_get_data (G_OBJECT (check), "assay-name"));
}

static void
fill_endpoints (AssayPreferencesWindow *self)
{
  g_autoptr(GPtrArray) endpoints = assay_endpoints_load (self->settings);
  g_autofree char *chosen = g_settings_get_string (self->settings, "suggestion-endpoint");
  GtkCheckButton *group = NULL;
  gboolean any_chosen = FALSE;

  /* Suggest asks the chosen one, or the first when none is. */
  for (guint i = 0; i < endpoints->len; i++)
    if (g_strcmp0 (((AssayEndpoint *) g_ptr_array_index (endpoints, i))->name, chosen) == 0)
      any_chosen = TRUE;

  for (guint i = 0; i < self->endpoint_rows->len; i++)
    adw_preferences_group_remove (self->endpoints_group,
                                  g_ptr_array_index (self->endpoint_rows, i));
  g_ptr_array_set_size (self->endpoint_rows, 0);

  for (guint i = 0; i < endpoints->len; i++)
    {
      AssayEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = g_strdup_printf ("%s \u00b7 %s", endpoint->model, endpoint->url);
      /* TRANSLATORS: a button's accessible name, e.g. "Remove Local Ollama" */
      g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), endpoint->name);

      /* Typed by the expert: never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), endpoint->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      g_object_set_data_full (G_OBJECT (remove), "assay-url", g_strdup (endpoint->url), g_free);
      g_object_set_data (G_OBJECT (remove), "assay-index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      {
        GtkWidget *use = gtk_check_button_new ();
        /* TRANSLATORS: a radio button's accessible name, e.g. "Suggest with Local Ollama" */
        g_autofree char *use_name = g_strdup_printf (_("Suggest with %s"), endpoint->name);

        gtk_widget_set_valign (use, GTK_ALIGN_CENTER);
        gtk_check_button_set_group (GTK_CHECK_BUTTON (use), group);
        if (group == NULL)
          group = GTK_CHECK_BUTTON (use);
        gtk_check_button_set_active (GTK_CHECK_BUTTON (use),
                                     any_chosen ? g_strcmp0 (endpoint->name, chosen) == 0 : i == 0);
        gtk_accessible_update_property (GTK_ACCESSIBLE (use), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        use_name, -1);
        g_object_set_data_full (G_OBJECT (use), "assay-name", g_strdup (endpoint->name), g_free);
        g_signal_connect (use, "toggled", G_CALLBACK (use_toggled_cb), self);
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), use);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), use);
      }
      adw_preferences_group_add (self->endpoints_group, row);
      g_ptr_array_add (self->endpoint_rows, row);
    }
  if (endpoints->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No endpoints yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Add one below"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->endpoints_group, row);
      g_ptr_array_add (self->endpoint_rows, row);
    }
}

static void
add_clicked_cb (AssayPreferencesWindow *self)
{
  g_autoptr(GPtrArray) endpoints = assay_endpoints_load (self->settings);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  g_autofree char *model = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->model_row))));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  g_autofree char *problem = assay_endpoint_check (name, url, model);

  /* A trailing slash would make "…/v1//chat/completions". */
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  gtk_label_set_text (self->add_error, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), problem != NULL);
  if (problem != NULL)
    return;

  g_ptr_array_add (endpoints, assay_endpoint_new (name, url, model));
  assay_endpoints_save (self->settings, endpoints);
  if (*key != '\0')
    assay_endpoint_store_key_async (url, key, self->cancellable, key_stored_cb,
                                    g_object_ref (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  fill_endpoints (self);
}

static GtkWidget *
build_endpoints_page (AssayPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *add_group = adw_preferences_group_new ();
  GtkWidget *add_button = gtk_button_new_with_mnemonic (_("_Add Endpoint"));

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Suggestions"));
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (page), "suggestions");
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "network-server-symbolic");

  self->endpoints_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->endpoints_group, _("Endpoints"));
  adw_preferences_group_set_description (self->endpoints_group,
                                         _("Servers that speak the OpenAI Chat Completions API "
                                           "(OpenAI, vLLM, llama.cpp, Ollama) and suggest "
                                           "judgments for you to accept or correct. Suggest asks "
                                           "the one chosen here; what it suggests is never "
                                           "counted as your work."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->endpoints_group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (add_group), _("Add an Endpoint"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (add_group),
                                         _("The API key is kept in your keyring, never in "
                                           "the project or the settings."));
  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Name"));
  self->url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row),
                                 _("Base URL, e.g. http://localhost:11434/v1"));
  self->model_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->model_row), _("Model"));
  self->key_row = ADW_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), _("API Key (optional)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (self->name_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (self->url_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (self->model_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (self->key_row));

  self->add_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->add_error, TRUE);
  gtk_label_set_xalign (self->add_error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->add_error), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->add_error), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (self->add_error));

  gtk_widget_set_halign (add_button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (add_button, 12);
  gtk_widget_add_css_class (add_button, "suggested-action");
  g_signal_connect_swapped (add_button, "clicked", G_CALLBACK (add_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), add_button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (add_group));

  fill_endpoints (self);
  return page;
}

/* ---- you and reading ---- */

static void
on_font_size_changed (GtkSpinButton          *spin,
                      AssayPreferencesWindow *self)
{
  g_settings_set_double (self->settings, "transcript-font-scale",
                         gtk_spin_button_get_value (spin) / 100.0);
}

/* Who is judging is asked by the window (it also switches the open
 * project's judgments to the new annotator). */
static void
on_change_annotator_clicked (GtkButton              *button,
                             AssayPreferencesWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  gtk_window_close (GTK_WINDOW (self));
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.change-annotator", NULL);
}

static GtkWidget *
build_general_page (AssayPreferencesWindow *self,
                    GtkWindow              *parent)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *you = adw_preferences_group_new ();
  GtkWidget *reading = adw_preferences_group_new ();
  GtkWidget *you_row = adw_action_row_new ();
  GtkWidget *change = gtk_button_new_with_mnemonic (_("_Change…"));
  GtkWidget *size_row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (70, 200, 10);
  g_autofree char *name = g_settings_get_string (self->settings, "annotator-name");
  g_autofree char *id = g_settings_get_string (self->settings, "annotator-id");

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (you), _("You"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (you),
                                         _("Your judgments are stored under this name and id, "
                                           "so that an eval lead can merge several experts’ "
                                           "work."));
  /* Changed through the window's question, never keystroke by keystroke:
   * every id typed would become an annotator of the open project. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (you_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (you_row),
                                 *name != '\0' ? name : _("Not set yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (you_row),
                               *id != '\0' ? id : _("Asked when you first open a project"));
  gtk_widget_set_valign (change, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (change, parent != NULL);
  g_signal_connect (change, "clicked", G_CALLBACK (on_change_annotator_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (you_row), change);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (you), you_row);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (reading), _("Reading"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (size_row), _("Transcript Text Size"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (size_row), _("Percent of the normal size"));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             100 * g_settings_get_double (self->settings,
                                                          "transcript-font-scale"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Transcript Text Size"), -1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_font_size_changed), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (size_row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (reading), size_row);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (you));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (reading));
  return page;
}

/* ---- the window ---- */

static void
assay_preferences_window_dispose (GObject *object)
{
  AssayPreferencesWindow *self = ASSAY_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->endpoint_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (assay_preferences_window_parent_class)->dispose (object);
}

static void
assay_preferences_window_class_init (AssayPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = assay_preferences_window_dispose;
}

static void
assay_preferences_window_init (AssayPreferencesWindow *self)
{
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->endpoint_rows = g_ptr_array_new ();
}

GtkWidget *
assay_preferences_window_new (GtkWindow *parent)
{
  AssayPreferencesWindow *self = g_object_new (ASSAY_TYPE_PREFERENCES_WINDOW, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_modal (GTK_WINDOW (self), parent != NULL);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (build_general_page (self, parent)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (build_endpoints_page (self)));
  return GTK_WIDGET (self);
}

void
_assay_preferences_window_add_endpoint (AssayPreferencesWindow *self,
                                        const char             *name,
                                        const char             *url,
                                        const char             *model,
                                        const char             *key)
{
  g_return_if_fail (ASSAY_IS_PREFERENCES_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), model);
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), key != NULL ? key : "");
  add_clicked_cb (self);
}
