/* assay-cli-salvage.c: assay-cli salvage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-cli-private.h"
#include "assay-salvage.h"

int
assay_cli_salvage (int    argc,
                   char **argv)
{
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Print nothing when every row was saved"), NULL },
    { NULL }
  };
  g_autoptr(AssaySalvageReport) report = NULL;
  GError *error = NULL;

  assay_cli_parse_options ("salvage", _("DAMAGED NEW"),
                           _("Save what can still be read of a damaged project into a new one."),
                           _("Every row SQLite can still read is copied, table by table, into the\n"
                             "new project NEW, which must not exist; what cannot be read is skipped,\n"
                             "and so is what belonged to it (the scores of a lost candidate). DAMAGED\n"
                             "is only read. Keep DAMAGED and its -wal file, if there is one: the -wal\n"
                             "holds its latest changes. The exit status is 0 when nothing was lost,\n"
                             "1 when some rows could not be saved."),
                           entries, &argc, &argv, 2, 2);

  if (!assay_salvage_project (argv[1], argv[2], &report, &error))
    return assay_cli_fail (error);

  if (quiet && report->n_damaged == 0 && report->unreadable == 0 && report->refused == 0)
    return EXIT_SUCCESS;

  for (guint i = 0; i < report->tables->len; i++)
    {
      AssaySalvageTable *table = g_ptr_array_index (report->tables, i);

      if (table->saved == 0 && table->unreadable == 0 && table->refused == 0 && !table->damaged)
        continue;
      /* TRANSLATORS: one line per table: its name, rows saved, unreadable and left out */
      g_print (_("%-18s %8" G_GINT64_FORMAT " saved, %6" G_GINT64_FORMAT " unreadable, "
                 "%6" G_GINT64_FORMAT " left out%s\n"),
               table->table, table->saved, table->unreadable, table->refused,
               table->damaged ? _(" (damaged: more may be lost)") : "");
    }
  g_print (_("%s: %" G_GINT64_FORMAT " rows saved, %" G_GINT64_FORMAT " unreadable, "
             "%" G_GINT64_FORMAT " left out because what they belong to was lost or incomplete\n"),
           argv[2], report->saved, report->unreadable, report->refused);

  return report->n_damaged == 0 && report->unreadable == 0 && report->refused == 0
           ? EXIT_SUCCESS : EXIT_FAILURE;
}
