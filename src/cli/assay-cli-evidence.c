/* assay-cli-evidence.c: assay-cli evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <math.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "assay-cli-private.h"

/* The passage on one line, its matched words in bold on a terminal. */
static void
print_passage (const AssayEvidencePassage *passage,
               gboolean                    bold)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *p = passage->text;
  gint64 c = 0;
  guint m = 0;

  for (; *p != '\0'; p = g_utf8_next_char (p), c++)
    {
      gunichar ch = g_utf8_get_char (p);

      if (bold && m < passage->matches->len &&
          g_array_index (passage->matches, AssayRange, m).start == c)
        g_string_append (line, "\033[1m");
      g_string_append_unichar (line, g_unichar_isspace (ch) ? ' ' : ch);
      if (bold && m < passage->matches->len &&
          g_array_index (passage->matches, AssayRange, m).end == c + 1)
        {
          g_string_append (line, "\033[0m");
          m++;
        }
    }
  g_print ("    %s\n", line->str);
}

int
assay_cli_evidence (int    argc,
                    char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *source = NULL;
  g_autofree char *claim = NULL;
  int limit = 10;
  GOptionEntry entries[] = {
    { "source", 's', 0, G_OPTION_ARG_STRING, &source,
      N_("The source, by its id"), N_("ID") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &claim,
      N_("The claim to find evidence for"), N_("CLAIM") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most N passages (10)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print a JSON array, best first, of {start, end, text, score}"), NULL },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GPtrArray) passages = NULL;
  gint64 source_id;
  GError *error = NULL;

  assay_cli_parse_options ("evidence", _("PROJECT --source ID --text CLAIM"),
                           _("The passages of a source that most likely support or contradict a "
                             "claim."),
                           _("Passages are the source's sentences, or its segments (a long one\n"
                             "cut into sentences), ranked by full-text search (bm25) and boosted\n"
                             "by the numbers, dates and names they share with the claim. The\n"
                             "claim is searched as words: quotes, AND, OR, NEAR, * and the like\n"
                             "mean nothing. Offsets count Unicode code points in the source's\n"
                             "text."),
                           entries, &argc, &argv, 1, 1);

  if (source == NULL || claim == NULL)
    {
      assay_cli_print_error (_("evidence needs --source ID and --text CLAIM"));
      return EXIT_USAGE;
    }
  if (limit < 1)
    {
      assay_cli_print_error (_("--limit must be at least 1"));
      return EXIT_USAGE;
    }

  project = assay_cli_open_project_read_only (argv[1]);
  source_id = assay_project_lookup_source (project, source);
  if (source_id == 0)
    {
      g_autofree char *message = g_strdup_printf (_("%s: there is no source “%s”"), argv[1],
                                                  source);

      assay_cli_print_error (message);
      return EXIT_FAILURE;
    }

  passages = assay_evidence_rank (project, source_id, claim, limit, &error);
  if (passages == NULL)
    return assay_cli_fail (error);

  if (as_json)
    {
      g_autoptr(json_t) root = json_array ();
      g_autofree char *text = NULL;

      for (guint i = 0; i < passages->len; i++)
        {
          AssayEvidencePassage *passage = g_ptr_array_index (passages, i);
          json_t *item = json_object ();

          json_object_set_new (item, "start", json_integer (passage->start));
          json_object_set_new (item, "end", json_integer (passage->end));
          json_object_set_new (item, "text", json_string (passage->text));
          json_object_set_new (item, "score", json_real (round (passage->score * 1e4) / 1e4));
          json_array_append_new (root, item);
        }
      text = assay_json_dumps_compact (root);
      g_print ("%s\n", text);
      return EXIT_SUCCESS;
    }

  if (passages->len == 0)
    {
      g_print ("%s\n", _("No passage shares a word, number, date or name with the claim."));
      return EXIT_SUCCESS;
    }
  for (guint i = 0; i < passages->len; i++)
    {
      AssayEvidencePassage *passage = g_ptr_array_index (passages, i);

      /* TRANSLATORS: rank, the passage's start and end offsets, its score */
      g_print (_("%2u. %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT "  score %.2f\n"), i + 1,
               passage->start, passage->end, passage->score);
      print_passage (passage, isatty (STDOUT_FILENO));
    }
  return EXIT_SUCCESS;
}
