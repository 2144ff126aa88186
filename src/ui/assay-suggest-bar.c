/* assay-suggest-bar.c: "Suggest", run in the background with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "assay-suggest.h"
#include "assay-suggest-bar.h"

/* At most this many failures are listed in Details; the rest are counted. */
#define MAX_LISTED 40

struct _AssaySuggestBar
{
  GtkWidget        parent_instance;

  GtkRevealer     *revealer;
  GtkLabel        *label;
  GtkProgressBar  *progress;
  GtkWidget       *details_button;
  GtkWidget       *cancel_button;
  GtkWidget       *close_button;

  AssaySession    *session;
  GCancellable    *cancellable;    /* the run (and its key lookup) */
  gboolean         running;
  gboolean         whole_queue;
  char            *source;         /* the item asked for; NULL with whole_queue */
  char            *endpoint_name;
  AssayEndpoint   *endpoint;       /* between the key lookup and the run */
  GPtrArray       *failures;       /* lines for Details */
};

G_DEFINE_FINAL_TYPE (AssaySuggestBar, assay_suggest_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_running (AssaySuggestBar *self,
             gboolean         running)
{
  if (self->running == running)
    return;
  self->running = running;
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->close_button, !running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
show_text (AssaySuggestBar *self,
           const char      *text)
{
  gtk_label_set_text (self->label, text);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

static void
hide (AssaySuggestBar *self)
{
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  gtk_widget_set_visible (self->details_button, FALSE);
}

/* A toast in the window, through the action widgets use to say things. */
static void
announce (AssaySuggestBar *self,
          const char      *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.announce", "s", text);
}

/* ---- the run ---- */

static void
progress_cb (guint       done,
             guint       total,
             const char *source_ext_id,
             const char *candidate_ext_id,
             const char *failure,
             gpointer    data)
{
  AssaySuggestBar *self = data;
  g_autofree char *text = NULL;

  if (!self->running)
    return;
  if (failure != NULL && self->failures->len < MAX_LISTED)
    g_ptr_array_add (self->failures,
                     g_strdup_printf ("%s/%s: %s", source_ext_id, candidate_ext_id, failure));
  /* TRANSLATORS: e.g. "Suggesting with Local Ollama: 3 of 12 candidates" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Suggesting with %s: %u of %u candidate",
                                       "Suggesting with %s: %u of %u candidates", total),
                          self->endpoint_name, done, total);
  gtk_label_set_text (self->label, text);
  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 0);
}

/* The current item's failures as the project keeps them, named by the
 * candidates' letters. */
static void
add_item_failures (AssaySuggestBar *self)
{
  AssayItem *item = assay_session_get_item (self->session);
  g_autoptr(GPtrArray) candidates = NULL;

  if (item == NULL)
    return;
  g_ptr_array_set_size (self->failures, 0);
  candidates = assay_session_display_candidates (self->session);
  for (guint i = 0; i < candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autoptr(GPtrArray) reasons = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *letter = assay_session_candidate_letter (self->session, candidate->id);

      reasons = assay_suggest_dup_failures (assay_session_get_project (self->session),
                                            candidate->id, &error);
      if (reasons == NULL)
        {
          g_warning ("Could not read why suggesting failed: %s", error->message);
          continue;
        }
      for (guint j = 0; j < reasons->len; j++)
        g_ptr_array_add (self->failures,
                         g_strdup_printf ("%s: %s", letter,
                                          (char *) g_ptr_array_index (reasons, j)));
    }
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(AssaySuggestBar) self = data;
  g_autoptr(AssaySuggestReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reload_error = NULL;
  g_autofree char *text = NULL;
  guint n;

  report = assay_suggest_run_finish (ASSAY_PROJECT (source), result, &error);
  set_running (self, FALSE);
  if (self->session == NULL)
    return;

  /* What was stored shows, even after a cancel or a failure. */
  if (!assay_session_reload_proposals (self->session, &reload_error))
    g_warning ("Could not read the new suggestions: %s", reload_error->message);

  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          hide (self);
          announce (self, _("Suggesting stopped"));
        }
      else
        show_text (self, error->message);
      return;
    }

  n = report->n_answered + report->n_present;
  if (!self->whole_queue && assay_session_get_item (self->session) != NULL &&
      g_strcmp0 (assay_session_get_item (self->session)->ext_id, self->source) == 0)
    add_item_failures (self);
  else if (report->failures != NULL)
    {
      g_ptr_array_set_size (self->failures, 0);
      for (guint i = 0; i < report->failures->len && i < MAX_LISTED; i++)
        g_ptr_array_add (self->failures, g_strdup (g_ptr_array_index (report->failures, i)));
    }

  if (report->n_failed == 0)
    {
      hide (self);
      /* TRANSLATORS: e.g. "Suggestions ready on 4 candidates" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Suggestions ready on %u candidate",
                                           "Suggestions ready on %u candidates", n),
                              n);
      announce (self, text);
      return;
    }
  /* TRANSLATORS: e.g. "Suggestions ready on 10 candidates; 2 failed" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Suggestions ready on %u candidates; %u failed",
                                       "Suggestions ready on %u candidates; %u failed",
                                       report->n_failed),
                          n, report->n_failed);
  gtk_widget_set_visible (self->details_button, self->failures->len > 0);
  show_text (self, text);
}

static void
start (AssaySuggestBar     *self,
       const AssayEndpoint *endpoint,
       const char          *key)
{
  g_autoptr(AssaySuggestOptions) options = NULL;
  AssayProject *project = assay_session_get_project (self->session);
  AssayQueue *queue = assay_session_get_queue (self->session);
  g_autofree char *text = NULL;

  options = assay_suggest_options_new (endpoint->url, endpoint->model);
  if (key != NULL && *key != '\0')
    assay_suggest_options_set_api_key (options, key);
  if (!self->whole_queue)
    assay_suggest_options_add_source (options, self->source);
  else if (assay_queue_get_status_filter (queue) >= 0 ||
           assay_queue_get_model_filter (queue) != NULL ||
           assay_queue_get_search (queue) != NULL)
    {
      /* The queue as filtered; unfiltered, it is every source. */
      guint n = g_list_model_get_n_items (G_LIST_MODEL (queue));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), i);

          if (row != NULL)
            assay_suggest_options_add_source (options, assay_queue_row_get_ext_id (row));
        }
    }

  g_free (self->endpoint_name);
  self->endpoint_name = g_strdup (endpoint->name);
  g_ptr_array_set_size (self->failures, 0);
  gtk_widget_set_visible (self->details_button, FALSE);
  gtk_progress_bar_set_fraction (self->progress, 0);
  /* TRANSLATORS: e.g. "Suggesting with Local Ollama…" */
  text = g_strdup_printf (_("Suggesting with %s…"), endpoint->name);
  show_text (self, text);

  assay_suggest_run_async (project, options, progress_cb, g_object_ref (self), g_object_unref,
                           self->cancellable, run_done_cb, g_object_ref (self));
}

static void
key_found_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(AssaySuggestBar) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEndpoint) endpoint = g_steal_pointer (&self->endpoint);
  char *key = assay_endpoint_lookup_key_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    {
      set_running (self, FALSE);
      hide (self);
      if (key != NULL)
        secret_password_free (key);
      return;
    }
  /* Without a keyring the endpoint is asked without a key: a local one
   * needs none, and one that does says so in the failures. */
  if (error != NULL)
    g_debug ("No key for the endpoint: %s", error->message);
  start (self, endpoint, key);
  if (key != NULL)
    secret_password_free (key);
}

static void
run (AssaySuggestBar     *self,
     const AssayEndpoint *endpoint,
     const char          *key,
     gboolean             use_key,
     gboolean             whole_queue)
{
  AssayItem *item;

  if (self->session == NULL || self->running)
    return;
  item = assay_session_get_item (self->session);
  if (!whole_queue && self->source == NULL && item == NULL)
    return;
  if (!whole_queue && self->source == NULL)
    self->source = g_strdup (item->ext_id);
  if (whole_queue)
    g_clear_pointer (&self->source, g_free);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->whole_queue = whole_queue;
  set_running (self, TRUE);
  if (use_key)
    {
      start (self, endpoint, key);
      return;
    }
  g_clear_pointer (&self->endpoint, assay_endpoint_free);
  self->endpoint = assay_endpoint_new (endpoint->name, endpoint->url, endpoint->model);
  show_text (self, _("Looking up the API key…"));
  assay_endpoint_lookup_key_async (endpoint->url, self->cancellable, key_found_cb,
                                   g_object_ref (self));
}

static void run_chosen (AssaySuggestBar *self,
                        gboolean         whole_queue);

void
assay_suggest_bar_run (AssaySuggestBar *self,
                       gboolean         whole_queue)
{
  g_return_if_fail (ASSAY_IS_SUGGEST_BAR (self));

  if (self->running)
    return;
  g_clear_pointer (&self->source, g_free);
  run_chosen (self, whole_queue);
}

void
assay_suggest_bar_run_source (AssaySuggestBar *self,
                              const char      *source_ext_id)
{
  g_return_if_fail (ASSAY_IS_SUGGEST_BAR (self));
  g_return_if_fail (source_ext_id != NULL);

  if (self->running)
    return;
  g_free (self->source);
  self->source = g_strdup (source_ext_id);
  run_chosen (self, FALSE);
}

/* With the endpoint chosen in Preferences. */
static void
run_chosen (AssaySuggestBar *self,
            gboolean         whole_queue)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) endpoints = assay_endpoints_load (settings);
  g_autofree char *chosen = g_settings_get_string (settings, "suggestion-endpoint");
  AssayEndpoint *endpoint = NULL;

  for (guint i = 0; i < endpoints->len && endpoint == NULL; i++)
    if (g_strcmp0 (((AssayEndpoint *) g_ptr_array_index (endpoints, i))->name, chosen) == 0)
      endpoint = g_ptr_array_index (endpoints, i);
  if (endpoint == NULL && endpoints->len > 0)
    endpoint = g_ptr_array_index (endpoints, 0);
  if (endpoint == NULL)
    {
      announce (self, _("Add an endpoint under Preferences › Suggestions first"));
      return;
    }
  run (self, endpoint, NULL, FALSE, whole_queue);
}

void
_assay_suggest_bar_run_with (AssaySuggestBar     *self,
                             const AssayEndpoint *endpoint,
                             const char          *key,
                             gboolean             whole_queue)
{
  g_return_if_fail (ASSAY_IS_SUGGEST_BAR (self));

  if (self->running)
    return;
  g_clear_pointer (&self->source, g_free);
  run (self, endpoint, key, TRUE, whole_queue);
}

void
assay_suggest_bar_cancel (AssaySuggestBar *self)
{
  g_return_if_fail (ASSAY_IS_SUGGEST_BAR (self));

  if (!self->running)
    return;
  gtk_label_set_text (self->label, _("Stopping…"));
  g_cancellable_cancel (self->cancellable);
}

gboolean
assay_suggest_bar_get_running (AssaySuggestBar *self)
{
  g_return_val_if_fail (ASSAY_IS_SUGGEST_BAR (self), FALSE);
  return self->running;
}

const char *
_assay_suggest_bar_get_text (AssaySuggestBar *self)
{
  return gtk_label_get_text (self->label);
}

/* ---- details ---- */

static void
details_clicked_cb (AssaySuggestBar *self)
{
  GtkWidget *dialog;
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < self->failures->len; i++)
    {
      if (i > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, g_ptr_array_index (self->failures, i));
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Why Suggesting Failed"), NULL);
  /* The reasons come from the endpoint: plain text. */
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the widget ---- */

static void
assay_suggest_bar_dispose (GObject *object)
{
  AssaySuggestBar *self = ASSAY_SUGGEST_BAR (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->endpoint, assay_endpoint_free);
  if (self->revealer != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->revealer));
      self->revealer = NULL;
    }

  G_OBJECT_CLASS (assay_suggest_bar_parent_class)->dispose (object);
}

static void
assay_suggest_bar_finalize (GObject *object)
{
  AssaySuggestBar *self = ASSAY_SUGGEST_BAR (object);

  g_free (self->endpoint_name);
  g_free (self->source);
  g_ptr_array_unref (self->failures);

  G_OBJECT_CLASS (assay_suggest_bar_parent_class)->finalize (object);
}

static void
assay_suggest_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssaySuggestBar *self = ASSAY_SUGGEST_BAR (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_suggest_bar_class_init (AssaySuggestBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_suggest_bar_dispose;
  object_class->finalize = assay_suggest_bar_finalize;
  object_class->get_property = assay_suggest_bar_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "suggestbar");
}

static void
assay_suggest_bar_init (AssaySuggestBar *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("system-run-symbolic");

  self->failures = g_ptr_array_new_with_free_func (g_free);

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));
  gtk_widget_add_css_class (box, "suggest-bar");
  gtk_revealer_set_child (self->revealer, box);

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (GTK_WIDGET (self->progress), 120, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Suggestion progress"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));

  self->details_button = gtk_button_new_with_mnemonic (_("_Details"));
  gtk_widget_set_valign (self->details_button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->details_button, FALSE);
  g_signal_connect_swapped (self->details_button, "clicked", G_CALLBACK (details_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (box), self->details_button);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_valign (self->cancel_button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (assay_suggest_bar_cancel),
                            self);
  gtk_box_append (GTK_BOX (box), self->cancel_button);

  self->close_button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (self->close_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->close_button, "flat");
  gtk_widget_set_tooltip_text (self->close_button, _("Dismiss"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->close_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dismiss"), -1);
  g_signal_connect_swapped (self->close_button, "clicked", G_CALLBACK (hide), self);
  gtk_box_append (GTK_BOX (box), self->close_button);
}

void
assay_suggest_bar_set_session (AssaySuggestBar *self,
                               AssaySession    *session)
{
  g_return_if_fail (ASSAY_IS_SUGGEST_BAR (self));

  if (self->session == session)
    return;
  /* A run belongs to its project. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->session, session);
  hide (self);
}
