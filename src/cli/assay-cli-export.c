/* assay-cli-export.c: assay-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-cli-private.h"

int
assay_cli_export (int    argc,
            char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("The dataset format (see below)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write; “-” is standard output"), N_("FILE") },
    { NULL }
  };
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  g_autoptr(GString) description = g_string_new (_("Formats:"));
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayExportOptions) options = NULL;
  GError *error = NULL;

  for (guint i = 0; formats[i] != NULL; i++)
    g_string_append_printf (description, "\n  %-14s %s", formats[i]->name,
                            _(formats[i]->description));

  assay_cli_parse_options ("export", _("PROJECT --format FORMAT -o FILE"),
                 _("Write the project, or a dataset made from it, as JSONL."),
                 description->str, entries, &argc, &argv, 1, 1);

  if (format == NULL || output == NULL)
    {
      assay_cli_print_error (format == NULL ? _("give the format with --format")
                                  : _("give the output file with -o (“-” for standard output)"));
      return EXIT_USAGE;
    }
  if (assay_export_find_format (format) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown export format “%s”"), format);

      assay_cli_print_error (message);
      g_printerr ("%s\n", description->str);
      return EXIT_USAGE;
    }

  project = assay_cli_open_project (argv[1]);
  options = assay_export_options_new ();
  if (!assay_export_to_path (project, format, options, output, NULL, &error))
    return assay_cli_fail (error);
  return EXIT_SUCCESS;
}

