/* assay-merge.c: bringing other experts' work into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A merge is an import of the other project's native export in merge mode
 * (see assay-import.c), streamed: the export writes into the import, which
 * reads it line by line. Sources and candidates are matched by id, and each
 * annotator's judgments on each source come in as a set, so merging the
 * same file twice changes nothing and merging an expert's newer file
 * updates their judgments, removals included.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-export.h"
#include "assay-import-private.h"
#include "assay-merge.h"
#include "assay-project-private.h"

/* Another project, read for a merge: opened read-only (never written, never
 * checkpointed, not migrated, with what is still in its -wal), in one read
 * transaction that lasts as long as the import, so that its passes over
 * the project see the same snapshot. */
typedef struct
{
  AssayProject *other;
} Source;

static void
source_free (Source *source)
{
  assay_project_end_read (source->other);
  g_object_unref (source->other);
  g_free (source);
}

/* Writes the other project's native export into the import's stream,
 * which imports each line as it comes. */
static gboolean
produce_export (GOutputStream  *out,
                GCancellable   *cancellable,
                gpointer        user_data,
                GError        **error)
{
  Source *source = user_data;

  return assay_export_to_stream (source->other, "native", NULL, out, cancellable, error);
}

gboolean
assay_import_add_merge_source (AssayImport   *import,
                               AssayProject  *project,
                               const char    *path,
                               GError       **error)
{
  g_autofree char *display = NULL;

  g_return_val_if_fail (ASSAY_IS_IMPORT (import), FALSE);
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  display = g_filename_display_name (path);
  if (assay_project_is_own_file (project, path))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s: this is the project itself"), display);
      return FALSE;
    }

  if (g_str_has_suffix (path, ".assay") || _assay_header_says_assay (path))
    {
      g_autoptr(AssayProject) other = NULL;
      g_autoptr(GError) local_error = NULL;
      Source *source;

      other = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY, &local_error);
      if (other == NULL || !assay_project_begin_read (other, &local_error))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s: %s", display,
                       local_error->message);
          return FALSE;
        }
      source = g_new0 (Source, 1);
      source->other = g_steal_pointer (&other);
      _assay_import_add_producer (import, display, produce_export, source,
                                  (GDestroyNotify) source_free);
      return TRUE;
    }

  assay_import_add_file (import, path, ASSAY_FORMAT_JSONL);
  return TRUE;
}
