/* assay-cli.c: Assay from scripts and the terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Quiet on success, errors on standard error, exit status 0 only when the
 * command did all it was asked. Usage errors exit with 2.
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "assay-cli-private.h"

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *args;         /* shown after the command in the usage line */
  const char  *summary;      /* translatable */
  CommandFunc  func;
} Command;

static gboolean
on_interrupt (AssayCliInterrupt *interrupt,
              int                signum)
{
  if (interrupt->signal == 0)
    interrupt->signal = signum;
  g_cancellable_cancel (interrupt->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer data)
{
  return on_interrupt (data, SIGINT);
}

static gboolean
on_sigterm (gpointer data)
{
  return on_interrupt (data, SIGTERM);
}

static gboolean
on_sighup (gpointer data)
{
  return on_interrupt (data, SIGHUP);
}

void
assay_cli_interrupt_watch (AssayCliInterrupt *interrupt,
                           GCancellable      *cancellable)
{
  interrupt->cancellable = cancellable;
  interrupt->signal = 0;
  interrupt->sources[0] = g_unix_signal_add (SIGINT, on_sigint, interrupt);
  interrupt->sources[1] = g_unix_signal_add (SIGTERM, on_sigterm, interrupt);
  interrupt->sources[2] = g_unix_signal_add (SIGHUP, on_sighup, interrupt);
}

void
assay_cli_interrupt_unwatch (AssayCliInterrupt *interrupt)
{
  for (guint i = 0; i < G_N_ELEMENTS (interrupt->sources); i++)
    g_clear_handle_id (&interrupt->sources[i], g_source_remove);
  interrupt->cancellable = NULL;
}

int
assay_cli_interrupt_reraise (AssayCliInterrupt *interrupt)
{
  int signum = interrupt->signal;

  fflush (stdout);
  signal (signum, SIG_DFL);
  raise (signum);
  return 128 + signum;
}

void
assay_cli_print_error (const char *message)
{
  g_printerr ("assay-cli: %s\n", message);
}

int
assay_cli_fail (GError *error)
{
  assay_cli_print_error (error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

void
assay_cli_parse_options (const char    *command,
                         const char    *args,
                         const char    *summary,
                         const char    *description,
                         GOptionEntry  *entries,
                         int           *argc,
                         char        ***argv,
                         int            min_args,
                         int            max_args)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", command, args);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      assay_cli_print_error (error->message);
      g_printerr ("%s", help);
      exit (EXIT_USAGE);
    }

  /* argv[0] is the command name. */
  if (*argc - 1 < min_args || (max_args >= 0 && *argc - 1 > max_args))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      assay_cli_print_error (*argc - 1 < min_args ? _("missing arguments") : _("too many arguments"));
      g_printerr ("%s", help);
      exit (EXIT_USAGE);
    }
}

/* Commands that change a project open it for writing, which is refused
 * while the app has it open; the others open it read-only, which works at
 * any time and changes nothing. */
static AssayProject *
open_project (const char            *path,
              AssayProjectOpenFlags  flags)
{
  GError *error = NULL;
  AssayProject *project = assay_project_open_full (path, flags, &error);

  if (project == NULL)
    exit (assay_cli_fail (error));
  return project;
}

AssayProject *
assay_cli_open_project (const char *path)
{
  return open_project (path, ASSAY_PROJECT_OPEN_DEFAULT);
}

AssayProject *
assay_cli_open_project_read_only (const char *path)
{
  return open_project (path, ASSAY_PROJECT_OPEN_READ_ONLY);
}

/* ---- init ---- */

static int
cmd_init (int    argc,
          char **argv)
{
  g_autofree char *template_path = NULL;
  GOptionEntry entries[] = {
    { "template", 't', 0, G_OPTION_ARG_FILENAME, &template_path,
      N_("Start from this task template (JSON)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayProject) project = NULL;
  GError *error = NULL;

  assay_cli_parse_options ("init", _("PROJECT"), _("Create an empty project."), NULL, entries,
                 &argc, &argv, 1, 1);

  /* Read the template first, so a bad one leaves no half-made project. */
  if (template_path != NULL)
    {
      tmpl = assay_template_load_file (template_path, &error);
      if (tmpl == NULL)
        return assay_cli_fail (error);
    }

  project = assay_project_create (argv[1], &error);
  if (project == NULL)
    return assay_cli_fail (error);

  if (tmpl != NULL && !assay_project_store_template (project, tmpl, &error))
    {
      g_autofree char *path = g_strdup (argv[1]);

      g_clear_object (&project);
      g_unlink (path);
      return assay_cli_fail (error);
    }

  return EXIT_SUCCESS;
}

/* ---- import ---- */

static int
cmd_import (int    argc,
            char **argv)
{
  g_autofree char *format_name = NULL;
  g_auto(GStrv) maps = NULL;
  gboolean skip_invalid = FALSE;
  gboolean verbose = FALSE;
  gboolean no_precheck = FALSE;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("The input format: jsonl, srt, vtt or txt (default: from the file name)"),
      N_("FORMAT") },
    { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Where a field is found in a foreign JSONL line, e.g. text=article (repeatable)"),
      N_("FIELD=PATH") },
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid,
      N_("Import the valid lines and report the others, instead of refusing the import"),
      NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Say what was imported"), NULL },
    { "no-precheck", 0, 0, G_OPTION_ARG_NONE, &no_precheck,
      N_("Do not pre-check the new candidates (see “assay-cli precheck”)"), NULL },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  AssayImportFormat format = ASSAY_FORMAT_AUTO;
  GError *error = NULL;
  GPtrArray *problems;

  assay_cli_parse_options ("import", _("PROJECT FILE…"),
                 _("Import sources, candidates and judgments."),
                 _("FILE may be native JSONL (.jsonl), SubRip (.srt), WebVTT (.vtt) or plain text "
                   "(.txt);\n“-” reads standard input (give --format). The import is one "
                   "transaction: if anything\nis wrong, nothing is imported, unless "
                   "--skip-invalid is given. The new candidates are pre-checked (see\n"
                   "“assay-cli precheck”) unless --no-precheck is given. See docs/formats.md."),
                 entries, &argc, &argv, 2, -1);

  if (format_name != NULL && !assay_import_format_from_string (format_name, &format))
    {
      g_autofree char *message = g_strdup_printf (_("unknown format “%s” (known: jsonl, srt, "
                                                    "vtt, txt)"), format_name);

      assay_cli_print_error (message);
      return EXIT_USAGE;
    }

  project = assay_cli_open_project (argv[1]);
  import = assay_import_new (project);
  assay_import_set_skip_invalid (import, skip_invalid);
  assay_import_set_precheck (import, !no_precheck);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    if (!assay_import_add_map (import, maps[i], &error))
      {
        assay_cli_print_error (error->message);
        g_error_free (error);
        return EXIT_USAGE;
      }

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-") && format == ASSAY_FORMAT_AUTO)
        {
          assay_cli_print_error (_("reading standard input needs --format"));
          return EXIT_USAGE;
        }
      assay_import_add_file (import, argv[i], format);
    }

  if (!assay_import_run (import, NULL, &error))
    return assay_cli_fail (error);

  problems = assay_import_get_problems (import);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
  if (assay_import_get_n_refused (import) > problems->len)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "… and %u more problem\n",
                             "… and %u more problems\n",
                             assay_import_get_n_refused (import) - problems->len),
                assay_import_get_n_refused (import) - problems->len);
  if (assay_import_get_n_refused (import) > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "assay-cli: skipped %u invalid line or file\n",
                             "assay-cli: skipped %u invalid lines or files\n",
                             assay_import_get_n_refused (import)),
                assay_import_get_n_refused (import));

  if (verbose)
    {
      gint64 n;

      /* One sentence per count keeps plural forms right in every language. */
      n = assay_import_get_n_sources (import);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %" G_GINT64_FORMAT " source.\n",
                            "Imported %" G_GINT64_FORMAT " sources.\n", n), n);
      n = assay_import_get_n_candidates (import);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %" G_GINT64_FORMAT " candidate.\n",
                            "Imported %" G_GINT64_FORMAT " candidates.\n", n), n);
      n = assay_import_get_n_judgments (import);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %" G_GINT64_FORMAT " judgment.\n",
                            "Imported %" G_GINT64_FORMAT " judgments.\n", n), n);
      n = assay_import_get_n_annotators (import);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %" G_GINT64_FORMAT " annotator.\n",
                            "Imported %" G_GINT64_FORMAT " annotators.\n", n), n);
      if (!no_precheck && assay_import_get_precheck_summary (import)->n_findings > 0)
        {
          const AssayPrecheckSummary *summary = assay_import_get_precheck_summary (import);

          g_print (g_dngettext (GETTEXT_PACKAGE,
                                "Pre-check: %u unsupported number, date or name.\n",
                                "Pre-check: %u unsupported numbers, dates or names.\n",
                                summary->n_findings),
                   summary->n_findings);
        }
    }

  /* Everything refused is a failure, even with --skip-invalid. */
  if (assay_import_get_n_refused (import) > 0 && assay_import_get_n_sources (import) == 0 &&
      assay_import_get_n_candidates (import) == 0 && assay_import_get_n_judgments (import) == 0 &&
      assay_import_get_n_annotators (import) == 0)
    return EXIT_FAILURE;

  return EXIT_SUCCESS;
}

/* ---- info ---- */

static int
cmd_info (int    argc,
          char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print one JSON object instead of text"), NULL },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *name = NULL;
  AssayProjectCounts counts;
  GError *error = NULL;

  assay_cli_parse_options ("info", _("PROJECT"), _("Show a project’s counts and progress."), NULL,
                 entries, &argc, &argv, 1, 1);

  project = assay_cli_open_project_read_only (argv[1]);
  if (!assay_project_get_counts (project, &counts, &error) ||
      (tmpl = assay_project_load_template (project, &error)) == NULL ||
      (models = assay_project_list_models (project, &error)) == NULL)
    return assay_cli_fail (error);
  name = assay_project_dup_name (project);

  if (as_json)
    {
      g_autoptr(json_t) root = json_object ();
      json_t *status = json_object ();
      json_t *jmodels = json_object ();
      g_autofree char *text = NULL;

      json_object_set_new (root, "name", json_string (name));
      json_object_set_new (root, "format", json_integer (ASSAY_SCHEMA_VERSION));
      json_object_set_new (root, "sources", json_integer (counts.sources));
      json_object_set_new (root, "candidates", json_integer (counts.candidates));
      json_object_set_new (root, "judgments", json_integer (counts.judgments));
      json_object_set_new (root, "annotators", json_integer (counts.annotators));
      for (guint i = 0; i < ASSAY_N_STATUSES; i++)
        json_object_set_new (status, assay_status_to_string (i), json_integer (counts.status[i]));
      json_object_set_new (root, "status", status);
      for (guint i = 0; i < models->len; i++)
        {
          AssayModelCount *model = g_ptr_array_index (models, i);

          json_object_set_new (jmodels, model->model, json_integer (model->n_candidates));
        }
      json_object_set_new (root, "models", jmodels);
      if (tmpl->name != NULL)
        json_object_set_new (root, "template", json_string (tmpl->name));
      text = assay_json_dumps_compact (root);
      g_print ("%s\n", text);
      return EXIT_SUCCESS;
    }

  g_print ("%-12s %s\n", _("Project:"), name);
  g_print ("%-12s %s\n", _("File:"), assay_project_get_path (project));
  if (tmpl->name != NULL)
    {
      if (tmpl->version != NULL)
        g_print ("%-12s %s (%s)\n", _("Template:"), tmpl->name, tmpl->version);
      else
        g_print ("%-12s %s\n", _("Template:"), tmpl->name);
    }
  g_print ("%-12s %" G_GINT64_FORMAT "\n", _("Sources:"), counts.sources);
  if (counts.sources > 0)
    {
      g_print ("%-12s %d%%", _("Done:"),
               (int) (100.0 * counts.status[ASSAY_STATUS_DONE] / counts.sources));
      for (guint i = 0; i < ASSAY_N_STATUSES; i++)
        g_print ("%s%s %" G_GINT64_FORMAT, i == 0 ? " (" : ", ", assay_status_get_label (i),
                 counts.status[i]);
      g_print (")\n");
    }
  g_print ("%-12s %" G_GINT64_FORMAT "\n", _("Candidates:"), counts.candidates);
  for (guint i = 0; i < models->len; i++)
    {
      AssayModelCount *model = g_ptr_array_index (models, i);

      g_print ("%-12s   %s: %" G_GINT64_FORMAT "\n", "", model->model, model->n_candidates);
    }
  g_print ("%-12s %" G_GINT64_FORMAT "\n", _("Judgments:"), counts.judgments);
  g_print ("%-12s %" G_GINT64_FORMAT "\n", _("Annotators:"), counts.annotators);
  return EXIT_SUCCESS;
}

/* ---- template ---- */

static int
cmd_template (int    argc,
              char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  GError *error = NULL;

  assay_cli_parse_options ("template", _("export|import PROJECT FILE"),
                 _("Share a task template: labels, rubric, guidelines and prompts."),
                 _("“export” writes the project’s template to FILE (“-” is standard output);\n"
                   "“import” replaces it with the one in FILE."),
                 entries, &argc, &argv, 3, 3);

  if (g_str_equal (argv[1], "export"))
    {
      g_autoptr(json_t) json = NULL;
      g_autofree char *text = NULL;

      project = assay_cli_open_project_read_only (argv[2]);
      if (!g_str_equal (argv[3], "-") && assay_project_is_own_file (project, argv[3]))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is the project itself; writing the "
                                                        "template there would destroy it"),
                                                      argv[3]);

          assay_cli_print_error (message);
          return EXIT_FAILURE;
        }
      tmpl = assay_project_load_template (project, &error);
      if (tmpl == NULL)
        return assay_cli_fail (error);
      json = assay_template_to_json (tmpl);
      text = json_dumps (json, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (15));
      if (g_str_equal (argv[3], "-"))
        g_print ("%s\n", text);
      else
        {
          g_autofree char *with_newline = g_strconcat (text, "\n", NULL);

          if (!g_file_set_contents (argv[3], with_newline, -1, &error))
            {
              free (g_steal_pointer (&text));
              return assay_cli_fail (error);
            }
        }
      free (g_steal_pointer (&text));
      return EXIT_SUCCESS;
    }

  if (g_str_equal (argv[1], "import"))
    {
      tmpl = assay_template_load_file (argv[3], &error);
      if (tmpl == NULL)
        return assay_cli_fail (error);
      project = assay_cli_open_project (argv[2]);
      if (!assay_project_store_template (project, tmpl, &error))
        return assay_cli_fail (error);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *message = g_strdup_printf (_("“%s” is not “export” or “import”"), argv[1]);

    assay_cli_print_error (message);
    return EXIT_USAGE;
  }
}

/* ---- check ---- */

static int
cmd_check (int    argc,
           char **argv)
{
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Print nothing when the project passes"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) problems = NULL;
  GError *error = NULL;

  assay_cli_parse_options ("check", _("PROJECT"),
                 _("Check a project’s integrity and schema without changing it."), NULL,
                 entries, &argc, &argv, 1, 1);

  if (!assay_check_project (argv[1], &problems, &error))
    return assay_cli_fail (error);

  if (problems->len == 0)
    {
      if (!quiet)
        g_print (_("%s: OK (integrity, schema and Assay’s rules all pass)\n"), argv[1]);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s: %s\n", argv[1], (const char *) g_ptr_array_index (problems, i));
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: %u problem found\n", "%s: %u problems found\n",
                           problems->len),
              argv[1], problems->len);
  return EXIT_FAILURE;
}

/* ---- main ---- */

static const Command commands[] = {
  { "init", N_("PROJECT [--template FILE]"), N_("Create an empty project"), cmd_init },
  { "import", N_("PROJECT FILE…"), N_("Import sources, candidates and judgments"), cmd_import },
  { "info", N_("PROJECT [--json]"), N_("Show counts and progress"), cmd_info },
  { "export", N_("PROJECT --format F -o FILE"), N_("Write the project or a dataset"),
    assay_cli_export },
  { "template", N_("export|import PROJECT FILE"), N_("Share the task template"), cmd_template },
  { "merge", N_("PROJECT OTHER…"), N_("Bring in other experts’ work"), assay_cli_merge },
  { "check", N_("PROJECT"), N_("Check integrity and schema"), cmd_check },
  { "salvage", N_("DAMAGED NEW"), N_("Save what is readable of a damaged project"),
    assay_cli_salvage },
  { "agreement", N_("PROJECT [--json]"), N_("Inter-annotator agreement"), assay_cli_agreement },
  { "leaderboard", N_("PROJECT [--json] [--seed N]"), N_("Rank the models with intervals"),
    assay_cli_leaderboard },
  { "calibrate", N_("PROJECT [--judge ID] [--json]"), N_("Can an LLM judge stand in for an expert?"),
    assay_cli_calibrate },
  { "suggest", N_("PROJECT --endpoint URL --model M"),
    N_("Ask a model for suggested judgments"), assay_cli_suggest },
  { "evidence", N_("PROJECT --source ID --text CLAIM [--json]"),
    N_("Passages that bear on a claim"), assay_cli_evidence },
  { "precheck", N_("PROJECT [--json]"), N_("Flag numbers, dates and names the source never gives"),
    assay_cli_precheck },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: assay-cli COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *call = g_strdup_printf ("%s %s", commands[i].name, _(commands[i].args));
      glong width = g_utf8_strlen (call, -1);

      /* Padding counts characters, not bytes: "…" is three bytes wide. */
      fprintf (stream, "  %s%*s %s\n", call, (int) MAX (0, 42 - width), "",
               _(commands[i].summary));
    }
  fprintf (stream, "\n%s\n", _("“assay-cli COMMAND --help” describes a command."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("assay-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("assay-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf (_("unknown command “%s”"), argv[1]);

    assay_cli_print_error (message);
    print_usage (stderr);
    return EXIT_USAGE;
  }
}
