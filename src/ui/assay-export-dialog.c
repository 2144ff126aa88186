/* assay-export-dialog.c: writing datasets out of the project, as `assay-cli export` does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "assay-export-dialog.h"
#include "assay-export-dialog-private.h"

#define DEFAULT_FORMAT   "sft"
#define DEFAULT_STATUSES (1u << ASSAY_STATUS_DONE)
#define ALL_STATUSES     ((1u << ASSAY_N_STATUSES) - 1)
#define DEFAULT_TRAIN    80

/* What the expert chose last, kept while the app runs: the settings schema
 * has no keys for it. A filter that names an annotator, a model or a label
 * comes back only in a project that has it. */
typedef struct
{
  char     *format;
  gboolean  prompt_completion;
  gboolean  conversational;
  gboolean  provenance;
  guint     statuses;            /* 1 << AssayStatus */
  char     *annotator;           /* an annotator's id; NULL: all */
  char     *model;               /* NULL: all */
  char     *label;               /* SET=OPTION; NULL: any */
  gboolean  adjudicated_only;
  gboolean  proposals;           /* model annotators' judgments count too */
  gboolean  split;
  int       train_percent;
  guint64   seed;
  char     *folder;              /* where the last export went */
} Choices;

static Choices choices = {
  .statuses = DEFAULT_STATUSES,
  .train_percent = DEFAULT_TRAIN,
};

struct _AssayExportDialog
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toasts;
  AdwWindowTitle      *window_title;
  GtkSpinner          *spinner;
  AdwPreferencesPage  *page;
  AdwComboRow         *format_row;
  AdwActionRow        *gold_row;
  GtkLabel            *readers_label;
  AdwPreferencesGroup *options_group;
  AdwComboRow         *style_row;
  AdwActionRow        *conversational_row;
  GtkSwitch           *conversational_switch;
  AdwActionRow        *provenance_row;
  GtkSwitch           *provenance_switch;
  AdwPreferencesGroup *filters_group;
  AdwExpanderRow      *status_row;
  AdwComboRow         *annotator_row;
  AdwComboRow         *model_row;
  AdwComboRow         *label_row;
  AdwActionRow        *adjudicated_row;
  GtkSwitch           *adjudicated_switch;
  AdwActionRow        *proposals_row;
  GtkSwitch           *proposals_switch;
  AdwPreferencesGroup *split_group;
  AdwActionRow        *split_row;
  GtkSwitch           *split_switch;
  AdwActionRow        *train_row;
  GtkSpinButton       *train_spin;
  AdwActionRow        *seed_row;
  GtkSpinButton       *seed_spin;
  GtkCheckButton      *status_checks[ASSAY_N_STATUSES];

  AssayProject        *project;
  char                *project_name;
  char                *gold_rule;       /* NULL if the template could not be read */
  GPtrArray           *annotator_ids;   /* char *, for the annotator row's items after "All" */
  GPtrArray           *models;          /* char *, likewise */
  GPtrArray           *labels;          /* char * SET=OPTION, likewise */
  gboolean             has_adjudicator;
  gboolean             has_model;

  AssayExportDone      done;
  gpointer             user_data;

  GtkFileChooserNative *chooser;

  /* The project's annotators, models and labels, being read. */
  GCancellable        *loading;
  char                *deferred;        /* where to export once they are in */

  /* The export under way. */
  GCancellable        *cancellable;
  char                *staging;         /* the folder it writes in first */
  char                *target;          /* the file the expert chose */
  gboolean             close_when_done;
  gboolean             disposed;
};

G_DEFINE_FINAL_TYPE (AssayExportDialog, assay_export_dialog, ADW_TYPE_WINDOW)

/* ---- reading the controls ---- */

static const AssayExportFormat *
selected_format (AssayExportDialog *self)
{
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  guint selected = adw_combo_row_get_selected (self->format_row);
  guint n = 0;

  while (formats[n] != NULL)
    n++;
  return formats[selected < n ? selected : 0];
}

static gboolean
prompt_completion (AssayExportDialog *self)
{
  return adw_combo_row_get_selected (self->style_row) == 1;
}

static guint
selected_statuses (AssayExportDialog *self)
{
  guint statuses = 0;

  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    if (gtk_check_button_get_active (self->status_checks[i]))
      statuses |= 1u << i;
  return statuses;
}

/* The item after "All" or "Any" that a filter row has selected, or NULL. */
static const char *
selected_value (AdwComboRow *row,
                GPtrArray   *values)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > values->len)
    return NULL;
  return g_ptr_array_index (values, selected - 1);
}

static int
train_percent (AssayExportDialog *self)
{
  return gtk_spin_button_get_value_as_int (self->train_spin);
}

static char *
split_spec (int percent)
{
  char train[G_ASCII_DTOSTR_BUF_SIZE];
  char test[G_ASCII_DTOSTR_BUF_SIZE];

  /* Not printf: the fraction needs a dot in every locale. */
  g_ascii_formatd (train, sizeof train, "%.2f", percent / 100.0);
  g_ascii_formatd (test, sizeof test, "%.2f", (100 - percent) / 100.0);
  return g_strdup_printf ("train=%s,test=%s", train, test);
}

/* What the format refuses of these options, in the core's words, or NULL
 * if it takes them. The dialog asks the core rather than knowing the rules
 * itself, so that it and the CLI never disagree. */
static char *
format_refuses (const AssayExportFormat *format,
                const char              *style,
                const char              *conversational,
                const char              *status,
                const char              *split)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(GError) error = NULL;

  if (style != NULL)
    assay_export_options_set (options, "style", style);
  if (conversational != NULL)
    assay_export_options_set (options, "conversational", conversational);
  if (status != NULL)
    assay_export_options_add_status (options, status, NULL);
  if (split != NULL)
    assay_export_options_set_split (options, split, NULL);
  if (assay_export_format_check_options (format, options, &error))
    return NULL;
  return g_strdup (error->message);
}

static gboolean
takes_filters (const AssayExportFormat *format)
{
  g_autofree char *refusal = format_refuses (format, NULL, NULL, "done", NULL);

  return refusal == NULL;
}

static gboolean
takes_split (const AssayExportFormat *format)
{
  g_autofree char *refusal = format_refuses (format, NULL, NULL, NULL, "train=0.5,test=0.5");

  return refusal == NULL;
}

static const char *
style_value (AssayExportDialog *self)
{
  return prompt_completion (self) ? "prompt-completion" : "messages";
}

static gboolean
takes_conversational (AssayExportDialog       *self,
                      const AssayExportFormat *format)
{
  g_autofree char *refusal = NULL;

  if (!(format->flags & ASSAY_EXPORT_FORMAT_CONVERSATIONAL))
    return FALSE;
  refusal = format_refuses (format,
                            (format->flags & ASSAY_EXPORT_FORMAT_STYLE) ? style_value (self) : NULL,
                            "true", NULL, NULL);
  return refusal == NULL;
}

/* Prompt-completion records carry their metadata always (TRL ignores what
 * it does not use); only OpenAI's formats make it a choice. */
static gboolean
takes_provenance (AssayExportDialog       *self,
                  const AssayExportFormat *format)
{
  if (!(format->flags & ASSAY_EXPORT_FORMAT_PROVENANCE))
    return FALSE;
  return !((format->flags & ASSAY_EXPORT_FORMAT_STYLE) && prompt_completion (self));
}

/* The options the controls describe, as `assay-cli export` would get them. */
static AssayExportOptions *
build_options (AssayExportDialog  *self,
               GError            **error)
{
  const AssayExportFormat *format = selected_format (self);
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  const char *value;

  if ((format->flags & ASSAY_EXPORT_FORMAT_STYLE) && prompt_completion (self))
    assay_export_options_set (options, "style", "prompt-completion");
  if (takes_conversational (self, format) && gtk_switch_get_active (self->conversational_switch))
    assay_export_options_set (options, "conversational", "true");
  if (takes_provenance (self, format) && gtk_switch_get_active (self->provenance_switch))
    assay_export_options_set (options, "provenance", "true");

  if (takes_filters (format))
    {
      guint statuses = selected_statuses (self);

      if (statuses == 0)
        {
          g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                               _("Choose at least one review status"));
          return NULL;
        }
      /* Every status is no filter at all: sources nobody has opened yet
       * have no status, and they are wanted too. */
      if (statuses != ALL_STATUSES)
        for (guint i = 0; i < ASSAY_N_STATUSES; i++)
          if ((statuses & (1u << i)) &&
              !assay_export_options_add_status (options, assay_status_to_string (i), error))
            return NULL;
      if ((value = selected_value (self->annotator_row, self->annotator_ids)) != NULL)
        assay_export_options_add_annotator (options, value);
      if ((value = selected_value (self->model_row, self->models)) != NULL)
        assay_export_options_add_model (options, value);
      if ((value = selected_value (self->label_row, self->labels)) != NULL &&
          !assay_export_options_add_label (options, value, error))
        return NULL;
      assay_export_options_set_adjudicated_only (options,
                                                 gtk_switch_get_active (self->adjudicated_switch));
      /* Off, the core's default: every kind but models. A chosen annotator
       * counts whatever its kind. */
      if (gtk_switch_get_active (self->proposals_switch))
        assay_export_options_set_kinds (options, ASSAY_STATS_ALL_KINDS);
    }

  if (takes_split (format) && gtk_switch_get_active (self->split_switch))
    {
      g_autofree char *spec = split_spec (train_percent (self));

      if (!assay_export_options_set_split (options, spec, error))
        return NULL;
      assay_export_options_set_seed (options,
                                     (guint64) gtk_spin_button_get_value (self->seed_spin));
    }

  if (!assay_export_format_check_options (format, options, error))
    return NULL;
  return g_steal_pointer (&options);
}

/* ---- showing what applies ---- */

static char *
describe_statuses (guint statuses)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (statuses == 0)
    return g_strdup (_("None chosen: choose at least one"));
  if (statuses == ALL_STATUSES)
    return g_strdup (_("Any status"));
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    if (statuses & (1u << i))
      {
        if (text->len > 0)
          /* TRANSLATORS: between the review statuses a filter keeps: "Done, Flagged" */
          g_string_append (text, _(", "));
        g_string_append (text, assay_status_get_label (i));
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_group_note (AdwPreferencesGroup *group,
                const char          *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  /* A group's description is markup; the core's messages quote names. */
  adw_preferences_group_set_description (group, escaped);
}

static gboolean
is_busy (AssayExportDialog *self)
{
  return self->cancellable != NULL;
}

static void
update (AssayExportDialog *self)
{
  const AssayExportFormat *format = selected_format (self);
  const char *description = _(format->description);
  g_autofree char *statuses = NULL;
  g_autofree char *filter_refusal = NULL;
  g_autofree char *split_refusal = NULL;
  g_autofree char *conversational_refusal = NULL;
  g_autofree char *split_subtitle = NULL;
  g_autofree char *train_subtitle = NULL;
  g_autoptr(AssayExportOptions) options = NULL;
  const char *readers_text = format->audience != NULL ? _(format->audience) : NULL;
  gboolean has_style = (format->flags & ASSAY_EXPORT_FORMAT_STYLE) != 0;
  gboolean has_conversational = (format->flags & ASSAY_EXPORT_FORMAT_CONVERSATIONAL) != 0;
  gboolean has_provenance = (format->flags & ASSAY_EXPORT_FORMAT_PROVENANCE) != 0;
  gboolean filters, split, split_on;
  int percent = train_percent (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->format_row), description);
  gtk_widget_set_visible (GTK_WIDGET (self->gold_row),
                          (format->flags & ASSAY_EXPORT_FORMAT_GOLD) && self->gold_rule != NULL);
  gtk_label_set_text (self->readers_label, readers_text != NULL ? readers_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->readers_label), readers_text != NULL);

  /* Options: shown only for the formats that take them; a combination the
   * core refuses is made impossible here, with its reason in view. */
  gtk_widget_set_visible (GTK_WIDGET (self->style_row), has_style);
  gtk_widget_set_visible (GTK_WIDGET (self->conversational_row), has_conversational);
  gtk_widget_set_visible (GTK_WIDGET (self->provenance_row), has_provenance);
  gtk_widget_set_visible (GTK_WIDGET (self->options_group),
                          has_style || has_conversational || has_provenance);
  if (has_conversational)
    {
      conversational_refusal = format_refuses (format, has_style ? style_value (self) : NULL,
                                               "true", NULL, NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->conversational_row),
                                conversational_refusal == NULL);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->conversational_row),
                                   conversational_refusal != NULL
                                   ? conversational_refusal
                                   : _("The prompt and the answers as lists of chat messages, "
                                       "with the system prompt, instead of plain strings"));
    }
  if (has_provenance)
    {
      gboolean choice = takes_provenance (self, format);

      gtk_widget_set_sensitive (GTK_WIDGET (self->provenance_row), choice);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->provenance_row),
                                   choice
                                   ? _("Adds a “metadata” object saying where each record came "
                                       "from. OpenAI’s validators may reject keys they do not "
                                       "know.")
                                   : _("Prompt-completion records always carry their "
                                       "metadata: TRL ignores what it does not use"));
    }

  /* Filters and the split. */
  filter_refusal = format_refuses (format, NULL, NULL, "done", NULL);
  split_refusal = format_refuses (format, NULL, NULL, NULL, "train=0.5,test=0.5");
  filters = filter_refusal == NULL;
  split = split_refusal == NULL;
  set_group_note (self->filters_group, filter_refusal);
  set_group_note (self->split_group, split_refusal);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_row), filters);
  /* The project's values come a moment after the window. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->annotator_row), filters && self->loading == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), filters && self->loading == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->label_row), filters && self->loading == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->adjudicated_row), filters);
  gtk_widget_set_sensitive (GTK_WIDGET (self->proposals_row), filters);
  if (!filters)
    adw_expander_row_set_expanded (self->status_row, FALSE);

  statuses = describe_statuses (selected_statuses (self));
  adw_expander_row_set_subtitle (self->status_row, statuses);
  if (selected_statuses (self) == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_row), "none-chosen");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_row), "none-chosen");

  split_on = gtk_switch_get_active (self->split_switch);
  gtk_widget_set_sensitive (GTK_WIDGET (self->split_row), split);
  gtk_widget_set_visible (GTK_WIDGET (self->train_row), split && split_on);
  gtk_widget_set_visible (GTK_WIDGET (self->seed_row), split && split_on);
  {
    g_autofree char *name = _assay_export_dialog_dup_suggested_name (self);
    g_autofree char *train = assay_export_split_path (name, "train");
    g_autofree char *test = assay_export_split_path (name, "test");

    /* TRANSLATORS: the files of a split: "demo.sft.train.jsonl and demo.sft.test.jsonl" */
    split_subtitle = g_strdup_printf (_("Whole sources go to one split, so nothing about a test "
                                        "source leaks into training. Each split is a file of "
                                        "its own, such as %s and %s."), train, test);
  }
  adw_action_row_set_subtitle (self->split_row, split_subtitle);
  train_subtitle = g_strdup_printf (_("%d %% of the sources for training, %d %% for testing"),
                                    percent, 100 - percent);
  adw_action_row_set_subtitle (self->train_row, train_subtitle);

  /* Export only what the core would take. */
  options = build_options (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.export",
                                 options != NULL && !is_busy (self));
}

static void
changed_cb (AssayExportDialog *self)
{
  update (self);
}

static void
set_busy (AssayExportDialog *self,
          gboolean           busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !busy);
  adw_window_title_set_subtitle (self->window_title, busy ? _("Exporting…") : self->project_name);
  update (self);
}

/* ---- keeping the choices ---- */

static void
restore_value (AdwComboRow *row,
               GPtrArray   *values,
               const char  *value)
{
  if (value == NULL)
    return;
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value))
      {
        adw_combo_row_set_selected (row, i + 1);
        return;
      }
}

static void
restore_choices (AssayExportDialog *self)
{
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  const char *format = choices.format != NULL ? choices.format : DEFAULT_FORMAT;

  for (guint i = 0; formats[i] != NULL; i++)
    if (g_str_equal (formats[i]->name, format))
      adw_combo_row_set_selected (self->format_row, i);
  adw_combo_row_set_selected (self->style_row, choices.prompt_completion ? 1 : 0);
  gtk_switch_set_active (self->conversational_switch, choices.conversational);
  gtk_switch_set_active (self->provenance_switch, choices.provenance);
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    gtk_check_button_set_active (self->status_checks[i], (choices.statuses & (1u << i)) != 0);
  restore_value (self->annotator_row, self->annotator_ids, choices.annotator);
  restore_value (self->model_row, self->models, choices.model);
  restore_value (self->label_row, self->labels, choices.label);
  gtk_switch_set_active (self->adjudicated_switch, choices.adjudicated_only);
  gtk_switch_set_active (self->proposals_switch, choices.proposals);
  gtk_switch_set_active (self->split_switch, choices.split);
  gtk_spin_button_set_value (self->train_spin, choices.train_percent);
  gtk_spin_button_set_value (self->seed_spin, (double) choices.seed);
}

static void
save_choices (AssayExportDialog *self)
{
  g_free (choices.format);
  choices.format = g_strdup (selected_format (self)->name);
  choices.prompt_completion = prompt_completion (self);
  choices.conversational = gtk_switch_get_active (self->conversational_switch);
  choices.provenance = gtk_switch_get_active (self->provenance_switch);
  choices.statuses = selected_statuses (self);
  /* Closed before the project's values came: the last ones stay. */
  if (self->loading == NULL)
    {
      g_free (choices.annotator);
      choices.annotator = g_strdup (selected_value (self->annotator_row, self->annotator_ids));
      g_free (choices.model);
      choices.model = g_strdup (selected_value (self->model_row, self->models));
      g_free (choices.label);
      choices.label = g_strdup (selected_value (self->label_row, self->labels));
    }
  choices.adjudicated_only = gtk_switch_get_active (self->adjudicated_switch);
  choices.proposals = gtk_switch_get_active (self->proposals_switch);
  choices.split = gtk_switch_get_active (self->split_switch);
  choices.train_percent = train_percent (self);
  choices.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
}

void
_assay_export_dialog_reset_choices (void)
{
  g_clear_pointer (&choices.format, g_free);
  g_clear_pointer (&choices.annotator, g_free);
  g_clear_pointer (&choices.model, g_free);
  g_clear_pointer (&choices.label, g_free);
  g_clear_pointer (&choices.folder, g_free);
  choices = (Choices) {
    .statuses = DEFAULT_STATUSES,
    .train_percent = DEFAULT_TRAIN,
  };
}

/* ---- ending ---- */

/* Calls the caller back, once, and closes. */
static void
finish (AssayExportDialog *self,
        const char        *summary)
{
  AssayExportDone done = g_steal_pointer (&self->done);

  save_choices (self);
  if (done != NULL)
    done (summary, self->user_data);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
message_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          data)
{
}

static void
show_message (AssayExportDialog *self,
              const char        *heading,
              const char        *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);

  /* Plain text: messages quote file and annotator names. */
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  g_signal_connect (dialog, "response", G_CALLBACK (message_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the export ---- */

static void
remove_staging (AssayExportDialog *self)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->staging == NULL)
    return;
  dir = g_dir_open (self->staging, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->staging, name, NULL);

      g_unlink (path);
    }
  g_rmdir (self->staging);
  g_clear_pointer (&self->staging, g_free);
}

/* The core names the files it writes, which are in the staging folder:
 * the expert knows only the folder they chose. */
static char *
unstage_message (AssayExportDialog *self,
                 const char        *message)
{
  g_autofree char *folder = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_auto(GStrv) parts = NULL;

  /* Already removed, as the application shut down. */
  if (self->staging == NULL)
    return g_strdup (message);
  folder = g_path_get_dirname (self->staging);
  from = g_filename_display_name (self->staging);
  to = g_filename_display_name (folder);
  parts = g_strsplit (message, from, -1);
  return g_strjoinv (to, parts);
}

static char *
summarize (GPtrArray *files)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    {
      AssayExportFile *file = g_ptr_array_index (files, i);
      g_autofree char *name = g_filename_display_basename (file->path);

      /* TRANSLATORS: "5 records to calls.sft.jsonl", after "Wrote" */
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%'" G_GINT64_FORMAT " record to %s",
                                                            "%'" G_GINT64_FORMAT " records to %s",
                                                            file->n_records),
                                               file->n_records, name));
    }
  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append (list, i + 1 == parts->len
                               /* TRANSLATORS: before the last of the files written */
                               ? _(" and ")
                               /* TRANSLATORS: between the files written */
                               : _(", "));
      g_string_append (list, g_ptr_array_index (parts, i));
    }
  /* TRANSLATORS: "Wrote 5 records to calls.sft.jsonl" */
  return g_strdup_printf (_("Wrote %s"), list->str);
}

/* Why an export found nothing, in words that lead to the control that
 * did it. */
static char *
explain_nothing (AssayExportDialog *self)
{
  const AssayExportFormat *format = selected_format (self);
  g_autoptr(GString) body = g_string_new (_("No record matched, so no file was written."));
  guint statuses = selected_statuses (self);

  g_string_append_c (body, ' ');
  if (takes_filters (format) && gtk_switch_get_active (self->adjudicated_switch))
    {
      if (!self->has_adjudicator)
        g_string_append (body, _("Adjudicated Only keeps only the gold judgments set when "
                                 "settling disagreements, and nobody has settled any in this "
                                 "project yet. Turn it off to export everyone’s judgments."));
      else
        g_string_append (body, _("Adjudicated Only keeps only the gold judgments set when "
                                 "settling disagreements, and none of them passes the other "
                                 "filters."));
      return g_string_free (g_steal_pointer (&body), FALSE);
    }
  if (takes_filters (format) && statuses != ALL_STATUSES)
    {
      g_autofree char *names = describe_statuses (statuses);

      g_string_append_printf (body, _("Only sources with the review status %s are exported; "
                                      "check the filters."), names);
      g_string_append_c (body, ' ');
    }
  else if (takes_filters (format) &&
           (selected_value (self->annotator_row, self->annotator_ids) != NULL ||
            selected_value (self->model_row, self->models) != NULL ||
            selected_value (self->label_row, self->labels) != NULL))
    {
      g_string_append (body, _("Check the filters."));
      g_string_append_c (body, ' ');
    }

  if (takes_filters (format) && self->has_model &&
      !gtk_switch_get_active (self->proposals_switch) &&
      selected_value (self->annotator_row, self->annotator_ids) == NULL)
    {
      g_string_append (body, _("Model proposals are left out unless Include Model Proposals "
                               "is on."));
      g_string_append_c (body, ' ');
    }

  if ((format->flags & ASSAY_EXPORT_FORMAT_GOLD) && self->gold_rule != NULL)
    /* TRANSLATORS: the rule is the text of the Gold Summary row */
    g_string_append_printf (body, _("A record needs a gold summary: %s."), self->gold_rule);
  else if ((format->flags & ASSAY_EXPORT_FORMAT_CONVERSATIONAL) ||
           g_str_equal (format->name, "dpo-openai"))
    g_string_append (body, _("Pairs come from rankings, comparisons and corrections."));
  else if (format->flags & ASSAY_EXPORT_FORMAT_FILTERS)
    g_string_append (body, _("Rows come from rubric scores."));
  return g_string_free (g_steal_pointer (&body), FALSE);
}

static void
export_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(AssayExportDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *summary = NULL;
  gint64 total = 0;

  files = assay_export_to_files_finish (result, &error);
  g_clear_object (&self->cancellable);

  /* The dialog was destroyed while the export ran (the app quit). */
  if (self->disposed)
    {
      remove_staging (self);
      return;
    }
  set_busy (self, FALSE);

  if (files == NULL)
    {
      g_autofree char *message = unstage_message (self, error->message);

      remove_staging (self);
      if (self->close_when_done)
        finish (self, NULL);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toasts,
                                     adw_toast_new (_("Export cancelled; no file was written")));
      else
        show_message (self, _("Could Not Export"), message);
      return;
    }

  for (guint i = 0; i < files->len; i++)
    total += ((AssayExportFile *) g_ptr_array_index (files, i))->n_records;
  if (total == 0)
    {
      g_autofree char *body = explain_nothing (self);

      remove_staging (self);
      show_message (self, _("Nothing to Export"), body);
      return;
    }

  /* Into place: each file is complete and on disk, and a rename in one
   * folder is atomic. */
  folder = g_path_get_dirname (self->target);
  for (guint i = 0; i < files->len; i++)
    {
      AssayExportFile *file = g_ptr_array_index (files, i);
      g_autofree char *name = g_path_get_basename (file->path);
      g_autofree char *final = g_build_filename (folder, name, NULL);

      if (g_rename (file->path, final) != 0)
        {
          int saved_errno = errno;
          g_autofree char *display = g_filename_display_name (final);
          g_autofree char *message = g_strdup_printf (_("Could not write “%s”: %s"), display,
                                                      g_strerror (saved_errno));

          remove_staging (self);
          show_message (self, _("Could Not Export"), message);
          return;
        }
      g_free (file->path);
      file->path = g_steal_pointer (&final);
    }
  remove_staging (self);

  g_free (choices.folder);
  choices.folder = g_steal_pointer (&folder);
  summary = summarize (files);
  finish (self, summary);
}

static void
run_export (AssayExportDialog  *self,
            const char         *path,
            AssayExportOptions *options)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *staged = NULL;

  /* The files are written in a folder of their own beside the target and
   * moved into place only when complete, counted and not cancelled: a
   * cancelled or empty export leaves nothing, not even a temporary file,
   * and replaces nothing. */
  self->staging = g_build_filename (folder, ".assay-export-XXXXXX", NULL);
  if (g_mkdtemp (self->staging) == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *message = g_strdup_printf (_("Could not write “%s”: %s"), display,
                                                  g_strerror (saved_errno));

      g_clear_pointer (&self->staging, g_free);
      assay_export_options_free (options);
      show_message (self, _("Could Not Export"), message);
      return;
    }

  g_free (self->target);
  self->target = g_strdup (path);
  staged = g_build_filename (self->staging, name, NULL);

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  /* The core reads the project through a connection of its own, so that
   * the expert can go on judging while it writes. */
  assay_export_to_files_async (self->project, selected_format (self)->name, options, staged,
                               self->cancellable, export_done_cb, g_object_ref (self));
}

typedef struct
{
  AssayExportDialog  *self;
  char               *path;
  AssayExportOptions *options;
} Pending;

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Pending          *pending)
{
  /* Once: a response that does not close the dialog must not come back. */
  g_signal_handlers_disconnect_by_data (dialog, pending);
  if (g_str_equal (response, "replace") && !is_busy (pending->self))
    run_export (pending->self, pending->path, g_steal_pointer (&pending->options));
  assay_export_options_free (pending->options);
  g_object_unref (pending->self);
  g_free (pending->path);
  g_free (pending);
}

static void
start_export (AssayExportDialog *self,
              const char        *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayExportOptions) options = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);
  const char * const *splits;

  if (is_busy (self))
    return;
  /* The choices kept from the last time are not all in the controls yet. */
  if (self->loading != NULL)
    {
      g_free (self->deferred);
      self->deferred = g_strdup (path);
      return;
    }
  options = build_options (self, &error);
  if (options == NULL)
    {
      show_message (self, _("Could Not Export"), error->message);
      return;
    }

  splits = assay_export_options_get_splits (options);
  if (splits[0] == NULL)
    g_ptr_array_add (targets, g_strdup (path));
  for (guint i = 0; splits[i] != NULL; i++)
    g_ptr_array_add (targets, assay_export_split_path (path, splits[i]));

  for (guint i = 0; i < targets->len; i++)
    {
      const char *target = g_ptr_array_index (targets, i);
      g_autofree char *display = g_filename_display_basename (target);

      if (assay_project_is_own_file (self->project, target))
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is the project itself; write the export to another file"),
                             display);

          show_message (self, _("Could Not Export"), message);
          return;
        }
      /* The file chooser asked about the file it was given; the split's
       * files are other names. */
      if (splits[0] != NULL && g_file_test (target, G_FILE_TEST_EXISTS))
        g_ptr_array_add (existing, g_steal_pointer (&display));
    }

  if (existing->len > 0)
    {
      GtkWidget *dialog;
      Pending *pending;
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree char *folder_name = g_filename_display_basename (folder);
      g_autofree char *body = NULL;

      if (existing->len == 1)
        body = g_strdup_printf (_("“%s” already exists in “%s”. Replacing it overwrites "
                                  "its contents."), (char *) existing->pdata[0], folder_name);
      else
        {
          g_autofree char *names = NULL;

          g_ptr_array_add (existing, NULL);
          /* TRANSLATORS: between the names of files that exist already */
          names = g_strjoinv (_(", "), (char **) existing->pdata);
          g_ptr_array_remove_index (existing, existing->len - 1);
          body = g_strdup_printf (_("These files already exist in “%s”: %s. Replacing them "
                                    "overwrites their contents."), folder_name, names);
        }
      dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                       existing->len == 1 ? _("Replace Existing File?")
                                                          : _("Replace Existing Files?"),
                                       NULL);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "replace", _("_Replace"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      pending = g_new0 (Pending, 1);
      pending->self = g_object_ref (self);
      pending->path = g_strdup (path);
      pending->options = g_steal_pointer (&options);
      g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), pending);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  run_export (self, path, g_steal_pointer (&options));
}

/* ---- choosing the file ---- */

char *
_assay_export_dialog_dup_suggested_name (AssayExportDialog *self)
{
  const AssayExportFormat *format = selected_format (self);
  g_autofree char *name = g_strdup (self->project_name);
  g_autofree char *suffix = g_strconcat ("-", format->extension, NULL);
  g_autofree char *kind = g_strdup (format->name);

  /* "scores-csv" is already said by ".csv". */
  if (g_str_has_suffix (kind, suffix))
    kind[strlen (kind) - strlen (suffix)] = '\0';
  g_strdelimit (name, G_DIR_SEPARATOR_S, '-');
  return g_strdup_printf ("%s.%s.%s", name, kind, format->extension);
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     AssayExportDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_message (self, _("Could Not Export"), _("Exports are written to local files only"));
      return;
    }
  start_export (self, path);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AssayExportDialog *self = ASSAY_EXPORT_DIALOG (widget);
  const AssayExportFormat *format = selected_format (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = _assay_export_dialog_dup_suggested_name (self);
  g_autofree char *folder = NULL;
  g_autoptr(GFile) folder_file = NULL;

  if (is_busy (self) || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Dataset"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, g_str_equal (format->extension, "csv")
                                    ? _("CSV files")
                                    : _("JSON Lines files"));
  gtk_file_filter_add_suffix (filter, format->extension);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  folder = choices.folder != NULL ? g_strdup (choices.folder)
                                  : g_path_get_dirname (assay_project_get_path (self->project));
  folder_file = g_file_new_for_path (folder);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder_file, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AssayExportDialog *self = ASSAY_EXPORT_DIALOG (widget);

  if (!is_busy (self))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  g_cancellable_cancel (self->cancellable);
  adw_window_title_set_subtitle (self->window_title, _("Cancelling…"));
}

/* ---- building the rows ---- */

/* The formats' list shows what each is, and marks the one chosen as the
 * default list does. */
static void
format_item_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 44);
  gtk_label_set_width_chars (GTK_LABEL (description), 44);
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), description);
  gtk_box_append (GTK_BOX (row), box);
  gtk_box_append (GTK_BOX (row), check);
  gtk_list_item_set_child (item, row);
}

static void
format_item_mark (AdwComboRow *combo,
                  GParamSpec  *pspec,
                  GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected (combo) ==
                                 gtk_list_item_get_position (item) ? 1 : 0);
}

static void
format_item_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     AssayExportDialog        *self)
{
  GtkWidget *box = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkStringObject *string = gtk_list_item_get_item (item);
  const char *name = gtk_string_object_get_string (string);
  const AssayExportFormat *format = assay_export_find_format (name);
  g_autofree char *title = NULL;

  g_assert (format != NULL);
  /* TRANSLATORS: a format in the Export dialog's list: "Supervised fine-tuning (sft)" */
  title = g_strdup_printf (C_("export format", "%s (%s)"), _(format->title), format->name);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), title);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), _(format->description));
  g_signal_connect_object (self->format_row, "notify::selected",
                           G_CALLBACK (format_item_mark), item, 0);
  format_item_mark (self->format_row, NULL, item);
}

static void
format_item_unbind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       AssayExportDialog        *self)
{
  /* The row may be gone already: the list goes with it. */
  if (self->format_row != NULL)
    g_signal_handlers_disconnect_by_func (self->format_row, format_item_mark, item);
}

static void
populate_formats (AssayExportDialog *self)
{
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  for (guint i = 0; formats[i] != NULL; i++)
    gtk_string_list_append (names, formats[i]->name);
  g_signal_connect (factory, "setup", G_CALLBACK (format_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (format_item_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (format_item_unbind_cb), self);
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (names));
  adw_combo_row_set_list_factory (self->format_row, factory);
}

static void
populate_statuses (AssayExportDialog *self)
{
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *label = assay_status_get_label (i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->status_row, row);
      g_signal_connect_swapped (check, "notify::active", G_CALLBACK (changed_cb), self);
      self->status_checks[i] = GTK_CHECK_BUTTON (check);
    }
}

/* A filter row: "All" (or "Any") first, then the project's values. */
static void
set_filter_model (AdwComboRow *row,
                  const char  *first,
                  GPtrArray   *titles)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, first);
  for (guint i = 0; i < titles->len; i++)
    gtk_string_list_append (list, g_ptr_array_index (titles, i));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static const char *
kind_title (AssayAnnotatorKind kind)
{
  switch (kind)
    {
    case ASSAY_ANNOTATOR_MODEL:
      return _("LLM judge");
    case ASSAY_ANNOTATOR_ADJUDICATOR:
      return _("adjudicator");
    case ASSAY_ANNOTATOR_PERSON:
    default:
      return _("person");
    }
}

static void start_export (AssayExportDialog *self,
                          const char        *path);

static void
fill_filters (AssayExportDialog  *self,
              AssayExportChoices *read)
{
  g_autoptr(GPtrArray) annotator_titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) label_titles = g_ptr_array_new_with_free_func (g_free);
  AssayTemplate *tmpl = read->tmpl;

  for (guint i = 0; read->annotators != NULL && i < read->annotators->len; i++)
    {
      AssayAnnotatorInfo *info = g_ptr_array_index (read->annotators, i);
      const char *name = info->name != NULL && *info->name != '\0' ? info->name : info->ext_id;

      g_ptr_array_add (self->annotator_ids, g_strdup (info->ext_id));
      /* TRANSLATORS: an annotator and their kind: "Lumen Judge (LLM judge)" */
      g_ptr_array_add (annotator_titles, g_strdup_printf (_("%s (%s)"), name,
                                                          kind_title (info->kind)));
      if (info->kind == ASSAY_ANNOTATOR_ADJUDICATOR)
        self->has_adjudicator = TRUE;
      if (!assay_annotator_kind_counts_by_default (info->kind))
        self->has_model = TRUE;
    }
  set_filter_model (self->annotator_row, _("All"), annotator_titles);

  for (guint i = 0; read->models != NULL && i < read->models->len; i++)
    {
      AssayModelCount *count = g_ptr_array_index (read->models, i);

      if (count->model != NULL)
        g_ptr_array_add (self->models, g_strdup (count->model));
    }
  set_filter_model (self->model_row, _("All"), self->models);

  for (guint i = 0; tmpl != NULL && i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      if (set->scope != ASSAY_SCOPE_CANDIDATE)
        continue;
      for (guint k = 0; k < set->options->len; k++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, k);

          g_ptr_array_add (self->labels, g_strdup_printf ("%s=%s", set->name, option->name));
          /* TRANSLATORS: a label set and one of its labels: "Verdict: Accept" */
          g_ptr_array_add (label_titles,
                           g_strdup_printf (_("%s: %s"),
                                            set->title != NULL ? set->title : set->name,
                                            option->title != NULL ? option->title
                                                                  : option->name));
        }
    }
  set_filter_model (self->label_row, _("Any"), label_titles);

  if (read->gold_rule != NULL)
    {
      /* The core's rule is the middle of a sentence; the row's is a
       * sentence of its own. */
      const char *rule = read->gold_rule;
      const char *rest = g_utf8_next_char (rule);
      g_autofree char *first = g_utf8_strup (rule, rest - rule);
      g_autofree char *sentence = g_strconcat (first, rest, ".", NULL);

      adw_action_row_set_subtitle (self->gold_row, sentence);
      self->gold_rule = g_strdup (rule);
    }
}

static void
choices_read_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(AssayExportDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayExportChoices) read = assay_export_read_choices_finish (result, &error);
  g_autofree char *deferred = NULL;

  if (self->disposed)
    return;
  g_clear_object (&self->loading);
  if (read == NULL)
    g_warning ("Could not read the project’s annotators, models and labels: %s",
               error->message);
  else
    {
      if (read->problem != NULL)
        g_warning ("Could not read all the project’s filters: %s", read->problem);
      fill_filters (self, read);
    }
  restore_value (self->annotator_row, self->annotator_ids, choices.annotator);
  restore_value (self->model_row, self->models, choices.model);
  restore_value (self->label_row, self->labels, choices.label);
  update (self);

  deferred = g_steal_pointer (&self->deferred);
  if (deferred != NULL)
    start_export (self, deferred);
}

/* Listing a large project's models takes a while: the core does it in a
 * worker while the window is on screen. */
static void
populate_filters (AssayExportDialog *self)
{
  self->loading = g_cancellable_new ();
  assay_export_read_choices_async (self->project, self->loading, choices_read_cb,
                                   g_object_ref (self));
}

/* A long annotator or model name is cut short in the row: the whole of it
 * is in the tooltip. */
static void
filter_selected_cb (AdwComboRow       *row,
                    GParamSpec        *pspec,
                    AssayExportDialog *self)
{
  GObject *item = adw_combo_row_get_selected_item (row);
  const char *text = item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;

  gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                               text != NULL && g_utf8_strlen (text, -1) > 24 ? text : NULL);
  update (self);
}

/* ---- the window ---- */

/* The application quits while an export runs: its main loop will not run
 * export_done_cb, and the process may end at any moment after this. Stop
 * the worker, wait for it (it removes its temporary files as it stops) and
 * remove the staging folder with whatever is in it. */
static void
app_shutdown_cb (AssayExportDialog *self)
{
  if (!is_busy (self))
    return;

  assay_export_cancel_and_wait (self->cancellable);
  remove_staging (self);
}

static gboolean
assay_export_dialog_close_request (GtkWindow *window)
{
  AssayExportDialog *self = ASSAY_EXPORT_DIALOG (window);

  /* The window goes when the export has stopped, having written nothing. */
  if (is_busy (self))
    {
      self->close_when_done = TRUE;
      g_cancellable_cancel (self->cancellable);
      adw_window_title_set_subtitle (self->window_title, _("Cancelling…"));
      return TRUE;
    }
  finish (self, NULL);
  return TRUE;
}

static void
assay_export_dialog_dispose (GObject *object)
{
  AssayExportDialog *self = ASSAY_EXPORT_DIALOG (object);
  AssayExportDone done = g_steal_pointer (&self->done);

  /* A running export finds out in export_done_cb, and cleans up there. */
  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (done != NULL)
    {
      save_choices (self);
      done (NULL, self->user_data);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), ASSAY_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (assay_export_dialog_parent_class)->dispose (object);
}

static void
assay_export_dialog_finalize (GObject *object)
{
  AssayExportDialog *self = ASSAY_EXPORT_DIALOG (object);

  g_free (self->project_name);
  g_free (self->gold_rule);
  g_ptr_array_unref (self->annotator_ids);
  g_ptr_array_unref (self->models);
  g_ptr_array_unref (self->labels);
  g_free (self->target);
  g_free (self->deferred);
  g_clear_object (&self->loading);
  G_OBJECT_CLASS (assay_export_dialog_parent_class)->finalize (object);
}

static void
assay_export_dialog_class_init (AssayExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = assay_export_dialog_dispose;
  object_class->finalize = assay_export_dialog_finalize;
  window_class->close_request = assay_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, page);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, gold_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, readers_label);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, style_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, conversational_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, conversational_switch);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, provenance_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, provenance_switch);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, filters_group);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, annotator_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, adjudicated_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, adjudicated_switch);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, proposals_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, proposals_switch);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, split_group);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, split_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, split_switch);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, train_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, train_spin);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, seed_row);
  gtk_widget_class_bind_template_child (widget_class, AssayExportDialog, seed_spin);

  gtk_widget_class_install_action (widget_class, "export.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "export.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "export.export", NULL);
}

static void
assay_export_dialog_init (AssayExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->annotator_ids = g_ptr_array_new_with_free_func (g_free);
  self->models = g_ptr_array_new_with_free_func (g_free);
  self->labels = g_ptr_array_new_with_free_func (g_free);

  populate_formats (self);
  populate_statuses (self);
}

AssayExportDialog *
_assay_export_dialog_new (GtkWindow       *parent,
                          AssayProject    *project,
                          AssayExportDone  done,
                          gpointer         user_data)
{
  AssayExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  self = g_object_new (ASSAY_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->project = g_object_ref (project);
  self->project_name = assay_project_dup_name (project);
  self->done = done;
  if (g_application_get_default () != NULL)
    g_signal_connect_object (g_application_get_default (), "shutdown",
                             G_CALLBACK (app_shutdown_cb), self, G_CONNECT_SWAPPED);
  self->user_data = user_data;
  adw_window_title_set_subtitle (self->window_title, self->project_name);

  populate_filters (self);
  restore_choices (self);

  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->style_row, "notify::selected", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->conversational_switch, "notify::active",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->provenance_switch, "notify::active",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect (self->annotator_row, "notify::selected", G_CALLBACK (filter_selected_cb),
                    self);
  g_signal_connect (self->model_row, "notify::selected", G_CALLBACK (filter_selected_cb), self);
  g_signal_connect (self->label_row, "notify::selected", G_CALLBACK (filter_selected_cb), self);
  g_signal_connect_swapped (self->adjudicated_switch, "notify::active",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->proposals_switch, "notify::active",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->split_switch, "notify::active", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->train_spin, "value-changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->seed_spin, "value-changed", G_CALLBACK (changed_cb), self);
  update (self);
  return self;
}

void
assay_export_dialog_present (GtkWindow       *parent,
                             AssayProject    *project,
                             AssayExportDone  done,
                             gpointer         user_data)
{
  AssayExportDialog *self;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (ASSAY_IS_PROJECT (project));

  self = _assay_export_dialog_new (parent, project, done, user_data);
  gtk_window_present (GTK_WINDOW (self));
}

void
_assay_export_dialog_export_to (AssayExportDialog *self,
                                const char        *path)
{
  g_return_if_fail (ASSAY_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  start_export (self, path);
}

gboolean
_assay_export_dialog_is_busy (AssayExportDialog *self)
{
  g_return_val_if_fail (ASSAY_IS_EXPORT_DIALOG (self), FALSE);

  return is_busy (self) || self->deferred != NULL;
}

gboolean
_assay_export_dialog_is_loading (AssayExportDialog *self)
{
  g_return_val_if_fail (ASSAY_IS_EXPORT_DIALOG (self), FALSE);

  return self->loading != NULL;
}
