/* assay-cli-merge.c: assay-cli merge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-cli-private.h"

int
assay_cli_merge (int    argc,
                 char **argv)
{
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Say what was merged"), NULL },
    { NULL }
  };
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  GError *error = NULL;

  assay_cli_parse_options ("merge", _("PROJECT OTHER…"),
                           _("Bring in other experts’ projects or native judgment files."),
                           _("Each OTHER is an Assay project (.assay) or a native JSONL file. Sources\n"
                             "and candidates are matched by id and must be the same. Every judgment\n"
                             "keeps its annotator, and each annotator’s judgments on an item come in\n"
                             "as a whole: merging the same file twice changes nothing, and merging an\n"
                             "expert’s newer file updates their judgments. Where this project holds a\n"
                             "later version of an annotator’s judgments on an item, it is kept.\n"
                             "The merge is one transaction."),
                           entries, &argc, &argv, 2, -1);

  project = assay_cli_open_project (argv[1]);
  import = assay_import_new (project);
  assay_import_set_merge (import, TRUE);
  for (int i = 2; i < argc; i++)
    if (!assay_import_add_merge_source (import, project, argv[i], &error))
      return assay_cli_fail (error);

  if (!assay_import_run (import, NULL, &error))
    return assay_cli_fail (error);

  if (verbose)
    {
      guint n;

      n = assay_import_get_n_replaced (import);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Merged %u annotator’s judgments on an item.\n",
                            "Merged %u sets of an annotator’s judgments on an item.\n", n), n);
      n = assay_import_get_n_kept (import);
      if (n > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "Kept %u set that is newer in this project.\n",
                              "Kept %u sets that are newer in this project.\n", n), n);
    }
  return EXIT_SUCCESS;
}
