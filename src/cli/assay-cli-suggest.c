/* assay-cli-suggest.c: assay-cli suggest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks a model, through any OpenAI-compatible Chat Completions endpoint,
 * for the template's judgments of each candidate, and stores them as a
 * model annotator's. The core does the work in its own thread; this main
 * thread prints progress and waits for SIGINT, SIGTERM or SIGHUP, which
 * stop the run cleanly: every answer stored is whole, and a second run
 * goes on where this one stopped.
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "assay-cli-private.h"

typedef struct
{
  GMainLoop          *loop;
  GCancellable       *cancellable;
  AssaySuggestReport *report;
  GError             *error;
  AssayCliInterrupt   interrupt;
  gboolean            tty;
  gint64              last_shown;    /* monotonic µs of the last progress line */
  gboolean            line_open;     /* a progress line without its newline */
  guint               done;
  guint               total;
  GPtrArray          *failures;      /* "SOURCE/CANDIDATE: reason", as they came */
} Run;

static int
usage_error (const char *message)
{
  assay_cli_print_error (message);
  return EXIT_USAGE;
}

static void
end_progress_line (Run *run)
{
  if (run->line_open)
    g_printerr ("\n");
  run->line_open = FALSE;
}

static void
show_progress (Run      *run,
               gboolean  force)
{
  gint64 now = g_get_monotonic_time ();

  /* A terminal sees one line that counts up; a log, a line a second. */
  if (!force && now - run->last_shown < (run->tty ? G_USEC_PER_SEC / 10 : G_USEC_PER_SEC))
    return;
  run->last_shown = now;
  if (run->tty)
    {
      g_printerr (_("\rsuggest: %u of %u candidates"), run->done, run->total);
      run->line_open = TRUE;
    }
  else
    g_printerr (_("suggest: %u of %u candidates\n"), run->done, run->total);
}

static void
on_progress (guint       done,
             guint       total,
             const char *source_ext_id,
             const char *candidate_ext_id,
             const char *failure,
             gpointer    data)
{
  Run *run = data;

  run->done = done;
  run->total = total;
  if (failure != NULL)
    g_ptr_array_add (run->failures, g_strdup_printf ("%s/%s: %s", source_ext_id,
                                                     candidate_ext_id, failure));
  show_progress (run, done == total);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;

  run->report = assay_suggest_run_finish (ASSAY_PROJECT (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

/* Each failed candidate, named with its reason, once the run is over. */
static void
print_failures (Run *run)
{
  for (guint i = 0; i < run->failures->len; i++)
    {
      g_autofree char *message = g_strdup_printf (_("failed: %s"),
                                                  (const char *) g_ptr_array_index (
                                                    run->failures, i));

      assay_cli_print_error (message);
    }
}

static gboolean
parse_kinds (const char          *text,
             AssayJudgmentKinds  *kinds)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *kinds = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_str_equal (part, "labels") || g_str_equal (part, "label"))
        *kinds |= ASSAY_JUDGE_LABELS;
      else if (g_str_equal (part, "spans") || g_str_equal (part, "span"))
        *kinds |= ASSAY_JUDGE_SPANS;
      else if (g_str_equal (part, "scores") || g_str_equal (part, "score"))
        *kinds |= ASSAY_JUDGE_SCORES;
      else
        return FALSE;
    }
  return *kinds != 0;
}

int
assay_cli_suggest (int    argc,
                   char **argv)
{
  g_autofree char *endpoint = NULL;
  g_autofree char *model = NULL;
  g_autofree char *key_env = NULL;
  g_autofree char *kinds_text = NULL;
  g_autofree char *status = NULL;
  g_auto(GStrv) sources = NULL;
  int limit = 0;
  int concurrency = 4;
  int timeout = 120;
  GOptionEntry entries[] = {
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &endpoint,
      N_("The endpoint’s base address; requests go to URL/chat/completions"), N_("URL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model,
      N_("The model to ask, as the endpoint names it"), N_("NAME") },
    { "api-key-env", 0, 0, G_OPTION_ARG_STRING, &key_env,
      N_("Take the API key from this environment variable"), N_("VAR") },
    { "kinds", 0, 0, G_OPTION_ARG_STRING, &kinds_text,
      N_("What to ask for, of labels, spans and scores (default: all the template has)"),
      N_("KINDS") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only sources with this review status: todo (no person has started it), "
         "in_progress, done, skipped, flagged (some person gave it)"), N_("STATUS") },
    { "source", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sources,
      N_("Only this source (repeatable)"), N_("ID") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("At most this many sources"), N_("N") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency,
      N_("Requests in flight at once (default 4)"), N_("K") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Seconds to wait for an answer before trying again (default 120)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(AssaySuggestOptions) options = NULL;
  g_autoptr(AssayProject) project = NULL;
  AssayJudgmentKinds kinds = ASSAY_JUDGE_LABELS | ASSAY_JUDGE_SPANS | ASSAY_JUDGE_SCORES;
  Run run = { NULL };
  int exit_status;

  assay_cli_parse_options ("suggest", _("PROJECT --endpoint URL --model NAME"),
                           _("Ask a model for the template’s judgments of each candidate, and "
                             "store them as suggestions."),
                           _("Any OpenAI-compatible Chat Completions endpoint works (OpenAI, "
                             "vLLM, llama.cpp’s\nserver, Ollama). Candidates the same model "
                             "already answered for this template\nversion are skipped, so an "
                             "interrupted run goes on where it stopped. The key\nis read from "
                             "the environment only, and never stored. See docs/suggestions.md."),
                           entries, &argc, &argv, 1, 1);

  if (endpoint == NULL || *endpoint == '\0')
    return usage_error (_("give the endpoint with --endpoint (such as "
                          "http://localhost:11434/v1)"));
  if (model == NULL || *model == '\0')
    return usage_error (_("give the model with --model"));
  if (kinds_text != NULL && !parse_kinds (kinds_text, &kinds))
    return usage_error (_("--kinds takes labels, spans and scores, separated by commas"));
  if (status != NULL)
    {
      AssayStatus value;

      if (!assay_status_from_string (status, &value))
        return usage_error (_("--status takes todo, in_progress, done, skipped or flagged"));
    }
  if (limit < 0)
    return usage_error (_("--limit must be 0 or more"));
  if (concurrency < 1 || concurrency > 64)
    return usage_error (_("--concurrency must be from 1 to 64"));
  if (timeout < 1)
    return usage_error (_("--timeout must be at least one second"));

  options = assay_suggest_options_new (endpoint, model);
  if (key_env != NULL)
    {
      const char *key = g_getenv (key_env);

      if (key == NULL || *key == '\0')
        {
          g_autofree char *message = g_strdup_printf (_("the environment variable %s, which "
                                                        "should hold the API key, is not set"),
                                                      key_env);

          assay_cli_print_error (message);
          return EXIT_FAILURE;
        }
      assay_suggest_options_set_api_key (options, key);
    }
  assay_suggest_options_set_kinds (options, kinds);
  if (status != NULL)
    assay_suggest_options_set_status (options, status);
  for (guint i = 0; sources != NULL && sources[i] != NULL; i++)
    assay_suggest_options_add_source (options, sources[i]);
  assay_suggest_options_set_limit (options, limit);
  assay_suggest_options_set_concurrency (options, concurrency);
  assay_suggest_options_set_timeout (options, timeout);

  /* Opened for writing: refused while the app has the project open. */
  project = assay_cli_open_project (argv[1]);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.tty = isatty (STDERR_FILENO);
  run.failures = g_ptr_array_new_with_free_func (g_free);
  assay_cli_interrupt_watch (&run.interrupt, run.cancellable);
  assay_suggest_run_async (project, options, on_progress, &run, NULL, run.cancellable, on_done,
                           &run);
  g_main_loop_run (run.loop);
  assay_cli_interrupt_unwatch (&run.interrupt);
  g_clear_pointer (&run.loop, g_main_loop_unref);
  g_clear_object (&run.cancellable);
  end_progress_line (&run);
  print_failures (&run);
  g_clear_pointer (&run.failures, g_ptr_array_unref);

  if (run.report == NULL)
    {
      if (run.interrupt.signal != 0 && g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (
            _("interrupted after %u of %u candidates; what was answered is stored, and the "
              "same command goes on from there"), run.done, run.total);

          g_clear_error (&run.error);
          g_clear_object (&project);
          assay_cli_print_error (message);
          return assay_cli_interrupt_reraise (&run.interrupt);
        }
      return assay_cli_fail (run.error);
    }

  for (guint i = 0; i < run.report->notes->len; i++)
    {
      g_autofree char *message = g_strdup_printf (_("warning: %s"),
                                                  (const char *) g_ptr_array_index (
                                                    run.report->notes, i));

      assay_cli_print_error (message);
    }

  g_printerr (_("suggest: %u answered, %u already present, %u failed (annotator %s)\n"),
              run.report->n_answered, run.report->n_present, run.report->n_failed,
              run.report->annotator);
  if (run.report->n_failed > 0)
    g_printerr (_("Run the same command again to retry the failed candidates.\n"));
  exit_status = run.report->n_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
  assay_suggest_report_free (run.report);
  return exit_status;
}
