/* assay-export.c: datasets out of a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-error.h"
#include "assay-export-private.h"

/* Big enough that writes are few, small enough to stay out of the way. */
#define FLUSH_THRESHOLD (1 << 20)

struct _AssayExportOptions
{
  GHashTable *params;
};

AssayExportOptions *
assay_export_options_new (void)
{
  AssayExportOptions *options = g_new0 (AssayExportOptions, 1);

  options->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return options;
}

void
assay_export_options_free (AssayExportOptions *options)
{
  if (options == NULL)
    return;
  g_hash_table_unref (options->params);
  g_free (options);
}

void
assay_export_options_set (AssayExportOptions *options,
                          const char         *key,
                          const char         *value)
{
  g_return_if_fail (options != NULL);
  g_hash_table_replace (options->params, g_strdup (key), g_strdup (value));
}

const char *
assay_export_options_get (AssayExportOptions *options,
                          const char         *key)
{
  if (options == NULL)
    return NULL;
  return g_hash_table_lookup (options->params, key);
}

gboolean
assay_export_sink_flush (AssayExportSink  *sink,
                         gboolean          force,
                         GError          **error)
{
  if (sink->buf->len == 0 || (!force && sink->buf->len < FLUSH_THRESHOLD))
    return TRUE;
  if (!g_output_stream_write_all (sink->out, sink->buf->str, sink->buf->len, NULL,
                                  sink->cancellable, error))
    return FALSE;
  g_string_truncate (sink->buf, 0);
  return TRUE;
}

static const AssayExportFormat * const formats[] = {
  &_assay_export_native,
  NULL
};

const AssayExportFormat * const *
assay_export_get_formats (void)
{
  return formats;
}

const AssayExportFormat *
assay_export_find_format (const char *name)
{
  for (guint i = 0; formats[i] != NULL; i++)
    if (g_strcmp0 (formats[i]->name, name) == 0)
      return formats[i];
  return NULL;
}

static const AssayExportFormat *
lookup_format (const char  *name,
               GError     **error)
{
  const AssayExportFormat *format = assay_export_find_format (name);

  if (format == NULL)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; formats[i] != NULL; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "", formats[i]->name);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("Unknown export format “%s” (known: %s)"), name, known->str);
    }
  return format;
}

gboolean
assay_export_to_stream (AssayProject        *project,
                        const char          *format_name,
                        AssayExportOptions  *options,
                        GOutputStream       *stream,
                        GCancellable        *cancellable,
                        GError             **error)
{
  const AssayExportFormat *format;
  g_autoptr(GString) buf = g_string_sized_new (FLUSH_THRESHOLD + 4096);
  AssayExportSink sink = { buf, stream, cancellable };
  gboolean ok;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  format = lookup_format (format_name, error);
  if (format == NULL)
    return FALSE;

  /* One read transaction: the export is a consistent snapshot even if the
   * app writes judgments while it runs. */
  if (!assay_project_begin_read (project, error))
    return FALSE;
  ok = format->write (project, options, &sink, error) &&
       assay_export_sink_flush (&sink, TRUE, error) &&
       g_output_stream_flush (stream, cancellable, error);
  assay_project_end_read (project);
  return ok;
}

gboolean
assay_export_to_path (AssayProject        *project,
                      const char          *format_name,
                      AssayExportOptions  *options,
                      const char          *path,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *display = NULL;
  GError *local_error = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (lookup_format (format_name, error) == NULL)
    return FALSE;

  if (g_str_equal (path, "-"))
    {
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      return assay_export_to_stream (project, format_name, options, stream, cancellable, error);
    }

  display = g_filename_display_name (path);
  tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }

  stream = g_unix_output_stream_new (fd, TRUE);
  ok = assay_export_to_stream (project, format_name, options, stream, cancellable, &local_error);
  /* On disk before the rename, or a crash could leave an empty file under
   * the target's name. */
  if (ok && fsync (fd) != 0)
    {
      int saved = errno;

      g_set_error_literal (&local_error, G_IO_ERROR, g_io_error_from_errno (saved),
                           g_strerror (saved));
      ok = FALSE;
    }
  if (!g_output_stream_close (stream, NULL, ok ? &local_error : NULL))
    ok = FALSE;

  if (!ok)
    {
      g_unlink (tmp_path);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          local_error->domain == ASSAY_ERROR)
        g_propagate_error (error, local_error);
      else
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not write “%s”: %s"), display, local_error->message);
          g_error_free (local_error);
        }
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
