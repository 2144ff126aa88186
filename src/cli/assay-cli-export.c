/* assay-cli-export.c: assay-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "assay-cli-private.h"

static int
usage_error (const char *message)
{
  assay_cli_print_error (message);
  return EXIT_USAGE;
}

/* The export runs in a thread while the main thread waits for it and for
 * SIGINT, SIGTERM or SIGHUP: a signal cancels the export, which then
 * removes its temporary files before the process goes. */
typedef struct
{
  AssayProject       *project;
  const char         *format;
  AssayExportOptions *options;
  const char         *output;
  GCancellable       *cancellable;
  GMainLoop          *loop;
  GPtrArray          *files;
  GError             *error;
  AssayCliInterrupt   interrupt;
} Run;

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
export_thread (gpointer data)
{
  Run *run = data;

  run->files = assay_export_to_files (run->project, run->format, run->options, run->output,
                                      run->cancellable, &run->error);
  g_idle_add (quit_loop, run->loop);
  return NULL;
}

static void
export_interruptibly (Run *run)
{
  GThread *thread;

  run->cancellable = g_cancellable_new ();
  run->loop = g_main_loop_new (NULL, FALSE);
  assay_cli_interrupt_watch (&run->interrupt, run->cancellable);

  thread = g_thread_new ("export", export_thread, run);
  g_main_loop_run (run->loop);
  g_thread_join (thread);

  assay_cli_interrupt_unwatch (&run->interrupt);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->cancellable);
}

int
assay_cli_export (int    argc,
                  char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *style = NULL;
  g_autofree char *split = NULL;
  g_autofree char *seed = NULL;
  g_auto(GStrv) statuses = NULL;
  g_auto(GStrv) annotators = NULL;
  g_autofree char *kinds_text = NULL;
  g_auto(GStrv) models = NULL;
  g_auto(GStrv) labels = NULL;
  gboolean conversational = FALSE;
  gboolean provenance = FALSE;
  gboolean adjudicated_only = FALSE;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("The dataset format (see below)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write; “-” is standard output"), N_("FILE") },
    { "style", 0, 0, G_OPTION_ARG_STRING, &style,
      N_("sft: “messages” (OpenAI, the default) or “prompt-completion” (TRL)"), N_("STYLE") },
    { "conversational", 0, 0, G_OPTION_ARG_NONE, &conversational,
      N_("preference, sft prompt-completion: message lists instead of strings"), NULL },
    { "provenance", 0, 0, G_OPTION_ARG_NONE, &provenance,
      N_("sft, dpo-openai, openai-evals: add the “metadata” object OpenAI’s upload check may "
         "refuse"), NULL },
    { "status", 0, 0, G_OPTION_ARG_STRING_ARRAY, &statuses,
      N_("Only sources some annotator gave this status: todo, in_progress, done, skipped, "
         "flagged (repeatable)"), N_("STATUS") },
    { "annotators", 'a', 0, G_OPTION_ARG_STRING, &kinds_text,
      N_("Whose judgments count: all, people, models, adjudicators, or a list (default: "
         "people,adjudicators; models’ proposals only when chosen)"), N_("KINDS") },
    { "annotator", 0, 0, G_OPTION_ARG_STRING_ARRAY, &annotators,
      N_("Only this annotator’s judgments, whatever its kind (repeatable)"), N_("ID") },
    { "model", 0, 0, G_OPTION_ARG_STRING_ARRAY, &models,
      N_("Only candidates of this model (repeatable)"), N_("NAME") },
    { "label", 0, 0, G_OPTION_ARG_STRING_ARRAY, &labels,
      N_("Only candidates given this label, e.g. verdict=accept (repeatable)"),
      N_("SET=OPTION") },
    { "adjudicated-only", 0, 0, G_OPTION_ARG_NONE, &adjudicated_only,
      N_("Only judgments by adjudicators"), NULL },
    { "split", 0, 0, G_OPTION_ARG_STRING, &split,
      N_("Split whole sources into files, e.g. train=0.8,test=0.2"), N_("SPLITS") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("The seed of the split (default 0)"), N_("N") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Say how the gold summary was chosen and how many records each file got"), NULL },
    { NULL }
  };
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  const AssayExportFormat *fmt;
  g_autoptr(GString) description = g_string_new (_("Formats:"));
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayExportOptions) options = NULL;
  g_autoptr(GPtrArray) files = NULL;
  GError *error = NULL;
  void (*report) (const char *format, ...);

  for (guint i = 0; formats[i] != NULL; i++)
    g_string_append_printf (description, "\n  %-14s %s%s", formats[i]->name,
                            _(formats[i]->description),
                            (formats[i]->flags & ASSAY_EXPORT_FORMAT_STYLE) ? " (--style)" : "");
  g_string_append_printf (description, "\n\n%s",
                          _("Judgments of model annotators (suggestions, pre-checks, LLM judges) "
                            "are proposals:\nthey are left out unless chosen with --annotators "
                            "or --annotator; native keeps\neverything.\n\n"
                            "The filters narrow the project before the dataset is made; with "
                            "--split, each\nsplit goes to a file of its own (out.jsonl: "
                            "out.train.jsonl, out.test.jsonl).\nFiles are written whole or not "
                            "at all. See docs/formats.md, “Exports”."));

  assay_cli_parse_options ("export", _("PROJECT --format FORMAT -o FILE"),
                           _("Write the project, or a dataset made from it, as JSONL or CSV."),
                           description->str, entries, &argc, &argv, 1, 1);

  if (format == NULL || output == NULL)
    return usage_error (format == NULL ? _("give the format with --format")
                                       : _("give the output file with -o (“-” for standard "
                                           "output)"));
  fmt = assay_export_find_format (format);
  if (fmt == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown export format “%s”"), format);

      assay_cli_print_error (message);
      g_printerr ("%s\n", description->str);
      return EXIT_USAGE;
    }

  options = assay_export_options_new ();
  if (style != NULL)
    assay_export_options_set (options, "style", style);
  if (conversational)
    assay_export_options_set (options, "conversational", "true");
  if (provenance)
    assay_export_options_set (options, "provenance", "true");
  for (guint i = 0; statuses != NULL && statuses[i] != NULL; i++)
    if (!assay_export_options_add_status (options, statuses[i], &error))
      goto usage;
  for (guint i = 0; annotators != NULL && annotators[i] != NULL; i++)
    assay_export_options_add_annotator (options, annotators[i]);
  if (kinds_text != NULL)
    {
      AssayStatsKinds kinds;

      if (!assay_stats_kinds_from_string (kinds_text, &kinds))
        {
          g_autofree char *message = g_strdup_printf (_("unknown annotators “%s” (known: all, "
                                                        "people, models, adjudicators, or a "
                                                        "comma-separated list)"), kinds_text);

          return usage_error (message);
        }
      assay_export_options_set_kinds (options, kinds);
    }
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    assay_export_options_add_model (options, models[i]);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    if (!assay_export_options_add_label (options, labels[i], &error))
      goto usage;
  assay_export_options_set_adjudicated_only (options, adjudicated_only);
  if (split != NULL && !assay_export_options_set_split (options, split, &error))
    goto usage;
  if (seed != NULL)
    {
      guint64 value;

      if (split == NULL)
        return usage_error (_("--seed goes with --split"));
      if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &value, NULL))
        return usage_error (_("the seed must be a whole number, 0 or more"));
      assay_export_options_set_seed (options, value);
    }
  if (split != NULL && g_str_equal (output, "-"))
    return usage_error (_("--split writes one file per split: give a file name with -o"));
  if (!assay_export_format_check_options (fmt, options, &error))
    goto usage;

  project = assay_cli_open_project_read_only (argv[1]);
  {
    Run run = { project, format, options, output };

    export_interruptibly (&run);
    files = run.files;
    error = run.error;
    if (files == NULL && run.interrupt.signal != 0)
      {
        /* The temporary files are gone. Close the project (so that nothing
         * but it is left), then end as the signal would have ended us, so
         * that a shell or a script sees the interruption for what it is:
         * the shell's status is 130 for SIGINT, 143 for SIGTERM. */
        g_clear_object (&project);
        g_clear_error (&error);
        assay_cli_print_error (g_str_equal (output, "-")
                                 ? _("export interrupted")
                                 : _("export interrupted; no file was written"));
        return assay_cli_interrupt_reraise (&run.interrupt);
      }
  }
  if (files == NULL)
    return assay_cli_fail (error);

  if (!verbose)
    return EXIT_SUCCESS;

  /* Standard output may be the dataset itself. */
  report = g_str_equal (output, "-") ? g_printerr : g_print;
  if (fmt->flags & ASSAY_EXPORT_FORMAT_GOLD)
    {
      g_autofree char *rule = assay_export_describe_gold_rule (project, &error);

      if (rule == NULL)
        return assay_cli_fail (error);
      report (_("Gold summary: %s.\n"), rule);
    }
  for (guint i = 0; i < files->len; i++)
    {
      AssayExportFile *file = g_ptr_array_index (files, i);
      g_autofree char *display = g_filename_display_name (file->path);

      report (g_dngettext (GETTEXT_PACKAGE, "%s: %" G_GINT64_FORMAT " record\n",
                           "%s: %" G_GINT64_FORMAT " records\n", file->n_records),
              g_str_equal (file->path, "-") ? _("standard output") : display, file->n_records);
    }
  return EXIT_SUCCESS;

usage:
  assay_cli_print_error (error->message);
  g_error_free (error);
  return EXIT_USAGE;
}
