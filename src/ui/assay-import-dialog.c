/* assay-import-dialog.c: bringing files into the project, with progress and a report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-import-dialog.h"
#include "assay-import-dialog-private.h"

static guint show_delay_ms = 300;

/* ---- the job: one import, possibly run twice (the second time skipping
 * the invalid lines). The core runs it in a worker of its own and reports
 * progress here, on the main thread. ---- */

typedef struct
{
  GtkWindow           *parent;
  AssayProject        *project;
  GPtrArray           *files;         /* GFile */
  gboolean             skip_invalid;
  GCancellable        *cancellable;
  AssayImportDone      done;
  gpointer             user_data;

  AssayImport         *import;        /* the run under way, or the last one */
  GPtrArray           *names;         /* display names of the files it reads, in order */
  GPtrArray           *unreadable;    /* "FILE: why", files the core is not given */
  double               fraction;

  AssayImportProgressWindow *progress;      /* shown when the import takes a while */
  guint                show_id;
} Job;

static void
job_free (Job *job)
{
  g_assert (job->show_id == 0);
  g_assert (job->progress == NULL);
  g_clear_object (&job->parent);
  g_clear_object (&job->project);
  g_ptr_array_unref (job->files);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->import);
  g_clear_pointer (&job->names, g_ptr_array_unref);
  g_clear_pointer (&job->unreadable, g_ptr_array_unref);
  g_free (job);
}

static void start_import (Job *job);

/* Calls the caller back, once, and ends the job. */
static void
job_finish (Job        *job,
            gboolean    imported,
            const char *summary)
{
  AssayImportDone done = g_steal_pointer (&job->done);

  if (done != NULL)
    done (imported, summary, job->user_data);
  job_free (job);
}

/* ---- the progress window ---- */

struct _AssayImportProgressWindow
{
  AdwWindow       parent_instance;

  GtkLabel       *file_label;
  GtkProgressBar *progress_bar;

  Job            *job;   /* borrowed: the job owns the window */
  gboolean        cancelling;
};

G_DEFINE_FINAL_TYPE (AssayImportProgressWindow, assay_import_progress_window, ADW_TYPE_WINDOW)

static void
progress_cancel_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AssayImportProgressWindow *self = ASSAY_IMPORT_PROGRESS_WINDOW (widget);

  if (self->job != NULL)
    g_cancellable_cancel (self->job->cancellable);
  self->cancelling = TRUE;
  gtk_widget_action_set_enabled (widget, "import.cancel", FALSE);
  gtk_label_set_text (self->file_label, _("Cancelling…"));
}

/* The window goes when the import has ended, not before: closing it
 * cancels. */
static gboolean
assay_import_progress_window_close_request (GtkWindow *window)
{
  AssayImportProgressWindow *self = ASSAY_IMPORT_PROGRESS_WINDOW (window);

  if (self->job == NULL)
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "import.cancel", NULL);
  return TRUE;
}

static void
assay_import_progress_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ASSAY_TYPE_IMPORT_PROGRESS_WINDOW);
  G_OBJECT_CLASS (assay_import_progress_window_parent_class)->dispose (object);
}

static void
assay_import_progress_window_class_init (AssayImportProgressWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = assay_import_progress_window_dispose;
  window_class->close_request = assay_import_progress_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayImportProgressWindow, file_label);
  gtk_widget_class_bind_template_child (widget_class, AssayImportProgressWindow, progress_bar);

  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, progress_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
assay_import_progress_window_init (AssayImportProgressWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Shows the fraction read, and which file. */
static void
progress_update (AssayImportProgressWindow *self)
{
  Job *job = self->job;
  g_autofree char *text = NULL;
  guint n = job->names->len;

  if (n > 0)
    {
      guint current = MIN (assay_import_get_progress_input (job->import), n - 1);

      if (n == 1)
        text = g_strdup (g_ptr_array_index (job->names, 0));
      else
        /* TRANSLATORS: the file being imported, and its place: "calls.jsonl (2 of 3)" */
        text = g_strdup_printf (_("%s (%u of %u)"),
                                (char *) g_ptr_array_index (job->names, current), current + 1, n);
    }

  gtk_progress_bar_set_fraction (self->progress_bar, job->fraction);
  if (text != NULL && !self->cancelling &&
      g_strcmp0 (text, gtk_label_get_text (self->file_label)) != 0)
    {
      /* File names are not markup. */
      gtk_label_set_text (self->file_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), text);
    }
}

/* From the core, on the main thread. */
static void
progress_func (double   fraction,
               gpointer data)
{
  Job *job = data;

  job->fraction = fraction;
  if (job->progress != NULL)
    progress_update (job->progress);
}

static gboolean
show_progress (gpointer data)
{
  Job *job = data;

  job->show_id = 0;
  job->progress = g_object_new (ASSAY_TYPE_IMPORT_PROGRESS_WINDOW,
                                "transient-for", job->parent,
                                NULL);
  job->progress->job = job;
  progress_update (job->progress);
  gtk_window_present (GTK_WINDOW (job->progress));
  return G_SOURCE_REMOVE;
}

static void
hide_progress (Job *job)
{
  g_clear_handle_id (&job->show_id, g_source_remove);
  if (job->progress != NULL)
    {
      job->progress->job = NULL;
      gtk_window_destroy (GTK_WINDOW (job->progress));
      job->progress = NULL;
    }
}

/* ---- the report ---- */

struct _AssayImportReport
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toasts;
  AdwWindowTitle  *window_title;
  GtkLabel        *explanation;
  GtkListBox      *problems;
  GtkWidget       *import_valid_button;

  Job             *job;      /* owned until the expert decides */
  char            *report;   /* the text Copy Report copies */
};

G_DEFINE_FINAL_TYPE (AssayImportReport, assay_import_report, ADW_TYPE_WINDOW)

static void
report_copy_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AssayImportReport *self = ASSAY_IMPORT_REPORT (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->report);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Report copied")));
}

static void
report_import_valid_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  AssayImportReport *self = ASSAY_IMPORT_REPORT (widget);
  Job *job = g_steal_pointer (&self->job);

  if (job == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (self));
  job->skip_invalid = TRUE;
  start_import (job);
}

static gboolean
assay_import_report_close_request (GtkWindow *window)
{
  AssayImportReport *self = ASSAY_IMPORT_REPORT (window);
  Job *job = g_steal_pointer (&self->job);

  if (job != NULL)
    job_finish (job, FALSE, NULL);
  return FALSE;
}

static void
assay_import_report_dispose (GObject *object)
{
  AssayImportReport *self = ASSAY_IMPORT_REPORT (object);
  Job *job = g_steal_pointer (&self->job);

  if (job != NULL)
    job_finish (job, FALSE, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ASSAY_TYPE_IMPORT_REPORT);
  G_OBJECT_CLASS (assay_import_report_parent_class)->dispose (object);
}

static void
assay_import_report_finalize (GObject *object)
{
  g_free (ASSAY_IMPORT_REPORT (object)->report);
  G_OBJECT_CLASS (assay_import_report_parent_class)->finalize (object);
}

static void
assay_import_report_class_init (AssayImportReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = assay_import_report_dispose;
  object_class->finalize = assay_import_report_finalize;
  window_class->close_request = assay_import_report_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-import-report.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayImportReport, toasts);
  gtk_widget_class_bind_template_child (widget_class, AssayImportReport, window_title);
  gtk_widget_class_bind_template_child (widget_class, AssayImportReport, explanation);
  gtk_widget_class_bind_template_child (widget_class, AssayImportReport, problems);
  gtk_widget_class_bind_template_child (widget_class, AssayImportReport, import_valid_button);

  gtk_widget_class_install_action (widget_class, "report.copy", NULL, report_copy_action);
  gtk_widget_class_install_action (widget_class, "report.import-valid", NULL,
                                   report_import_valid_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "report.copy", NULL);
}

static void
assay_import_report_init (AssayImportReport *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
problem_row (const char *text,
             gboolean    dim)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *row = gtk_list_box_row_new ();

  /* Messages quote the input: plain text, never markup. */
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 10);
  gtk_widget_set_margin_bottom (label, 10);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
show_report (Job       *job,
             GPtrArray *problems,
             guint      n_refused)
{
  AssayImportReport *self = g_object_new (ASSAY_TYPE_IMPORT_REPORT,
                                          "transient-for", job->parent,
                                          NULL);
  g_autoptr(GString) report = g_string_new (NULL);
  g_autofree char *explanation = NULL;
  g_autofree char *more = NULL;
  guint n_listed = problems->len;
  guint n = MAX (n_refused, n_listed);

  self->job = job;

  if (n > n_listed)
    explanation = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "An import is all or nothing, and there is %u "
                                                "problem (the first %u are listed), so the "
                                                "project is unchanged. Fix the input and import "
                                                "again, or import only the valid lines.",
                                                "An import is all or nothing, and there are %u "
                                                "problems (the first %u are listed), so the "
                                                "project is unchanged. Fix the input and import "
                                                "again, or import only the valid lines.",
                                                n), n, n_listed);
  else
    explanation = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "An import is all or nothing, and the input has "
                                                "the problem below, so the project is unchanged. "
                                                "Fix it and import again, or import only the "
                                                "valid lines.",
                                                "An import is all or nothing, and the input has "
                                                "the %u problems below, so the project is "
                                                "unchanged. Fix them and import again, or import "
                                                "only the valid lines.",
                                                n), n);
  gtk_label_set_text (self->explanation, explanation);

  g_string_append_printf (report, "%s\n\n", _("Nothing was imported."));
  for (guint i = 0; i < n_listed; i++)
    {
      const char *problem = g_ptr_array_index (problems, i);

      gtk_list_box_append (self->problems, problem_row (problem, FALSE));
      g_string_append_printf (report, "%s\n", problem);
    }
  if (n > n_listed)
    {
      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %u more problem",
                                           "… and %u more problems", n - n_listed),
                              n - n_listed);
      gtk_list_box_append (self->problems, problem_row (more, TRUE));
      g_string_append_printf (report, "%s\n", more);
    }
  self->report = g_string_free (g_steal_pointer (&report), FALSE);

  /* Room for a few problems without a mostly empty window. */
  gtk_window_set_default_size (GTK_WINDOW (self), 580, n_listed <= 3 ? 340 : 560);

  gtk_window_present (GTK_WINDOW (self));
}

/* ---- the import ---- */

/* What the job found, from the files the core was not given and what the
 * core refused. */
typedef struct
{
  gint64     n_sources;
  gint64     n_candidates;
  gint64     n_judgments;
  guint      n_refused;
} Counts;

static char *
join_counts (GPtrArray *parts)
{
  switch (parts->len)
    {
    case 1:
      /* TRANSLATORS: "Imported 12 items" */
      return g_strdup_printf (_("Imported %s"), (char *) parts->pdata[0]);
    case 2:
      /* TRANSLATORS: "Imported 12 items and 48 summaries" */
      return g_strdup_printf (_("Imported %s and %s"), (char *) parts->pdata[0],
                              (char *) parts->pdata[1]);
    case 3:
      /* TRANSLATORS: "Imported 12 items, 48 summaries and 3 judgments" */
      return g_strdup_printf (_("Imported %s, %s and %s"), (char *) parts->pdata[0],
                              (char *) parts->pdata[1], (char *) parts->pdata[2]);
    default:
      return g_strdup (_("Nothing new to import"));
    }
}

static char *
summarize (Counts *counted)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *counts = NULL;

  if (counted->n_sources > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%'" G_GINT64_FORMAT " item",
                                                          "%'" G_GINT64_FORMAT " items",
                                                          counted->n_sources),
                                             counted->n_sources));
  if (counted->n_candidates > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%'" G_GINT64_FORMAT " summary",
                                                          "%'" G_GINT64_FORMAT " summaries",
                                                          counted->n_candidates),
                                             counted->n_candidates));
  if (counted->n_judgments > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%'" G_GINT64_FORMAT " judgment",
                                                          "%'" G_GINT64_FORMAT " judgments",
                                                          counted->n_judgments),
                                             counted->n_judgments));
  counts = join_counts (parts);
  if (counted->n_refused == 0)
    return g_steal_pointer (&counts);
  /* TRANSLATORS: after "Imported 12 items and 48 summaries" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; skipped %u line with a problem",
                                       "%s; skipped %u lines with problems", counted->n_refused),
                          counts, counted->n_refused);
}

static void
error_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   Job              *job)
{
  job_finish (job, FALSE, NULL);
}

static void
import_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      data)
{
  Job *job = data;
  AssayImport *import = ASSAY_IMPORT (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_steal_pointer (&job->unreadable);
  g_autofree char *summary = NULL;
  Counts counts = { 0, };
  GPtrArray *refused;
  gboolean ok;

  hide_progress (job);

  ok = assay_import_run_finish (import, result, &error);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      job_finish (job, FALSE, _("Import cancelled; nothing was imported"));
      return;
    }
  if (!ok && !g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT))
    {
      GtkWidget *dialog = adw_message_dialog_new (job->parent, _("Could Not Import"), NULL);

      /* The body is plain text: messages quote file names. */
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      g_signal_connect (dialog, "response", G_CALLBACK (error_response_cb), job);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* The files it was not given first, then what the core refused. */
  counts.n_refused = problems->len + assay_import_get_n_refused (import);
  refused = assay_import_get_problems (import);
  for (guint i = 0; i < refused->len; i++)
    g_ptr_array_add (problems, g_strdup (g_ptr_array_index (refused, i)));
  if (!ok)
    {
      /* A refusal without a listed problem would leave an empty report. */
      if (problems->len == 0)
        g_ptr_array_add (problems, g_strdup (error->message));
      show_report (job, problems, counts.n_refused);
      return;
    }

  counts.n_sources = assay_import_get_n_sources (import);
  counts.n_candidates = assay_import_get_n_candidates (import);
  counts.n_judgments = assay_import_get_n_judgments (import);
  summary = summarize (&counts);
  job_finish (job, counts.n_sources + counts.n_candidates + counts.n_judgments > 0, summary);
}

/* Sorts the files: the core reads those Assay imports, in a worker of its
 * own; the others are problems of their own. Nothing here reads a file. */
static void
start_import (Job *job)
{
  g_clear_object (&job->cancellable);
  g_clear_object (&job->import);
  g_clear_pointer (&job->names, g_ptr_array_unref);
  g_clear_pointer (&job->unreadable, g_ptr_array_unref);
  job->cancellable = g_cancellable_new ();
  job->import = assay_import_new (job->project);
  job->names = g_ptr_array_new_with_free_func (g_free);
  job->unreadable = g_ptr_array_new_with_free_func (g_free);
  job->fraction = 0;
  assay_import_set_skip_invalid (job->import, job->skip_invalid);
  /* New candidates come in pre-checked (assay-precheck.h). */
  assay_import_set_precheck (job->import, TRUE);
  assay_import_set_progress_func (job->import, progress_func, job);

  for (guint i = 0; i < job->files->len; i++)
    {
      GFile *file = g_ptr_array_index (job->files, i);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *name = NULL;
      AssayImportFormat format;

      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          g_ptr_array_add (job->unreadable,
                           g_strdup_printf (_("%s: only local files can be imported"), uri));
          continue;
        }
      name = g_filename_display_basename (path);
      format = assay_import_format_for_path (path);
      if (format == ASSAY_FORMAT_AUTO)
        {
          g_ptr_array_add (job->unreadable,
                           g_strdup_printf (_("%s: not a kind of file Assay imports (JSONL, SRT, "
                                              "WebVTT or plain text)"), name));
          continue;
        }
      assay_import_add_file_as (job->import, path, name, format);
      g_ptr_array_add (job->names, g_steal_pointer (&name));
    }

  /* Like a line with a problem, a file that is not for Assay refuses the
   * whole import, unless the expert chose to import what is valid. */
  if (job->unreadable->len > 0 && !job->skip_invalid)
    {
      g_autoptr(GPtrArray) problems = g_steal_pointer (&job->unreadable);

      show_report (job, problems, problems->len);
      return;
    }
  if (job->names->len == 0)
    {
      Counts counts = { .n_refused = job->unreadable->len };
      g_autofree char *summary = summarize (&counts);

      job_finish (job, FALSE, summary);
      return;
    }

  assay_import_run_async (job->import, job->cancellable, import_done_cb, job);

  /* A short import should not flash a window. */
  job->show_id = g_timeout_add (show_delay_ms, show_progress, job);
}

void
assay_import_dialog_run_files (GtkWindow        *parent,
                               AssayProject     *project,
                               GFile           **files,
                               guint             n_files,
                               AssayImportDone   done,
                               gpointer          user_data)
{
  Job *job;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (ASSAY_IS_PROJECT (project));
  g_return_if_fail (files != NULL || n_files == 0);

  job = g_new0 (Job, 1);
  job->parent = parent ? g_object_ref (parent) : NULL;
  job->project = g_object_ref (project);
  job->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (job->files, g_object_ref (files[i]));
  job->done = done;
  job->user_data = user_data;

  if (n_files == 0)
    {
      job_finish (job, FALSE, NULL);
      return;
    }
  start_import (job);
}

/* ---- choosing files ---- */

typedef struct
{
  GtkWindow       *parent;
  AssayProject    *project;
  AssayImportDone  done;
  gpointer         user_data;
} Choice;

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     Choice          *choice)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) list = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      guint n = g_list_model_get_n_items (list);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (files, g_list_model_get_item (list, i));
    }

  if (files->len > 0)
    assay_import_dialog_run_files (choice->parent, choice->project, (GFile **) files->pdata,
                                   files->len, choice->done, choice->user_data);
  else if (choice->done != NULL)
    choice->done (FALSE, NULL, choice->user_data);

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_clear_object (&choice->parent);
  g_clear_object (&choice->project);
  g_free (choice);
}

static void
add_filter (GtkFileChooser      *chooser,
            const char          *name,
            const char * const  *suffixes)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
assay_import_dialog_run (GtkWindow        *parent,
                         AssayProject     *project,
                         AssayImportDone   done,
                         gpointer          user_data)
{
  static const char * const all[] = { "jsonl", "json", "ndjson", "srt", "vtt", "txt", NULL };
  static const char * const jsonl[] = { "jsonl", "json", "ndjson", NULL };
  static const char * const subtitles[] = { "srt", "vtt", NULL };
  static const char * const text[] = { "txt", NULL };
  GtkFileChooserNative *chooser;
  Choice *choice;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (ASSAY_IS_PROJECT (project));

  chooser = gtk_file_chooser_native_new (_("Import Transcripts and Summaries"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("All supported files"), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Assay JSONL"), jsonl);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Subtitles (SRT, WebVTT)"), subtitles);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Plain text"), text);

  choice = g_new0 (Choice, 1);
  choice->parent = parent ? g_object_ref (parent) : NULL;
  choice->project = g_object_ref (project);
  choice->done = done;
  choice->user_data = user_data;
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_assay_import_dialog_set_show_delay (guint ms)
{
  show_delay_ms = ms;
}
