/* assay-cli-precheck.c: assay-cli precheck
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <jansson.h>

#include "assay-cli-private.h"
#include "assay-precheck.h"

static int
print_json (AssayProject *project)
{
  g_autoptr(GPtrArray) stored = NULL;
  GError *error = NULL;
  json_t *list;
  char *text;

  stored = assay_project_dup_precheck (project, &error);
  if (stored == NULL)
    return assay_cli_fail (error);
  list = json_array ();
  for (guint i = 0; i < stored->len; i++)
    {
      AssayPrecheckStored *s = g_ptr_array_index (stored, i);

      json_array_append_new (list, json_pack ("{s:s, s:s, s:I, s:I, s:s, s:s}",
                                              "source", s->source,
                                              "candidate", s->candidate,
                                              "start", (json_int_t) s->start,
                                              "end", (json_int_t) s->end,
                                              "text", s->text,
                                              "reason", s->reason));
    }
  text = json_dumps (list, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
  g_print ("%s\n", text);
  free (text);
  json_decref (list);
  return EXIT_SUCCESS;
}

int
assay_cli_precheck (int    argc,
                    char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("List every finding stored in the project as JSON instead of a summary"), NULL },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  AssayPrecheckSummary summary;
  GError *error = NULL;

  assay_cli_parse_options ("precheck", _("PROJECT"),
                           _("Check every candidate for numbers, dates and names its source never "
                             "gives."),
                           _("Findings are stored as spans of the model annotator\n"
                             "“assay:precheck”, labelled with the template’s “unsupported” span\n"
                             "label where there is one, each with its reason as the note. Running\n"
                             "it again replaces the annotator’s spans with the current findings\n"
                             "and adds no duplicate. With --json, prints every stored finding as\n"
                             "an array of {source, candidate, start, end, text, reason}. See\n"
                             "docs/precheck.md."),
                           entries, &argc, &argv, 1, 1);

  project = assay_cli_open_project (argv[1]);
  if (!assay_project_precheck (project, 0, &summary, NULL, &error))
    return assay_cli_fail (error);

  if (as_json)
    return print_json (project);

  /* One sentence per count keeps plural forms right in every language. */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Checked %u candidate.\n", "Checked %u candidates.\n",
                        summary.n_candidates), summary.n_candidates);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Found %u unsupported number, date or name.\n",
                        "Found %u unsupported numbers, dates or names.\n", summary.n_findings),
           summary.n_findings);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Changed the findings of %u candidate.\n",
                        "Changed the findings of %u candidates.\n", summary.n_changed),
           summary.n_changed);
  return EXIT_SUCCESS;
}
