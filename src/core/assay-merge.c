/* assay-merge.c: bringing other experts' work into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A merge is an import of the other project's native export in merge mode
 * (see assay-import.c): sources and candidates are matched by id, and each
 * annotator's judgments on each source come in as a set, so merging the
 * same file twice changes nothing and merging an expert's newer file
 * updates their judgments, removals included.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-export.h"
#include "assay-merge.h"
#include "assay-project-private.h"

static GBytes *
export_copy (const char  *path,
             GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autoptr(GFile) target = NULL;
  g_autoptr(AssayProject) other = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  GBytes *bytes = NULL;

  dir = g_dir_make_tmp ("assay-merge-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  copy = g_build_filename (dir, "other.assay", NULL);
  target = g_file_new_for_path (copy);

  if (g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error) &&
      (other = assay_project_open (copy, error)) != NULL &&
      assay_export_to_stream (other, "native", NULL, out, NULL, error) &&
      g_output_stream_close (out, NULL, error))
    bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  g_clear_object (&other);
  {
    g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
    g_autofree char *shm = g_strconcat (copy, "-shm", NULL);

    g_unlink (copy);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return bytes;
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
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;

      bytes = export_copy (path, &local_error);
      if (bytes == NULL)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s: %s", display,
                       local_error->message);
          return FALSE;
        }
      assay_import_add_bytes (import, display, bytes, ASSAY_FORMAT_JSONL);
      return TRUE;
    }

  assay_import_add_file (import, path, ASSAY_FORMAT_JSONL);
  return TRUE;
}
