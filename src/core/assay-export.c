/* assay-export.c: datasets out of a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-error.h"
#include "assay-export-private.h"
#include "assay-item.h"
#include "assay-template.h"

/* Big enough that writes are few, small enough to stay out of the way. */
#define FLUSH_THRESHOLD (1 << 20)

struct _AssayExportOptions
{
  GHashTable *params;
  GPtrArray  *statuses;      /* char * */
  GPtrArray  *annotators;    /* char * */
  GPtrArray  *models;        /* char * */
  GPtrArray  *labels;        /* AssayExportLabelFilter */
  gboolean    adjudicated_only;
  AssayStatsKinds kinds;     /* 0: the default */
  GPtrArray  *splits;        /* AssayExportSplit */
  char      **split_names;
  guint64     seed;
};

static void
label_filter_free (gpointer data)
{
  AssayExportLabelFilter *filter = data;

  g_free (filter->label_set);
  g_free (filter->label);
  g_free (filter);
}

static void
split_free (gpointer data)
{
  AssayExportSplit *split = data;

  g_free (split->name);
  g_free (split);
}

AssayExportOptions *
assay_export_options_new (void)
{
  AssayExportOptions *options = g_new0 (AssayExportOptions, 1);

  options->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  options->statuses = g_ptr_array_new_with_free_func (g_free);
  options->annotators = g_ptr_array_new_with_free_func (g_free);
  options->models = g_ptr_array_new_with_free_func (g_free);
  options->labels = g_ptr_array_new_with_free_func (label_filter_free);
  options->splits = g_ptr_array_new_with_free_func (split_free);
  options->split_names = g_new0 (char *, 1);
  return options;
}

void
assay_export_options_free (AssayExportOptions *options)
{
  if (options == NULL)
    return;
  g_hash_table_unref (options->params);
  g_ptr_array_unref (options->statuses);
  g_ptr_array_unref (options->annotators);
  g_ptr_array_unref (options->models);
  g_ptr_array_unref (options->labels);
  g_ptr_array_unref (options->splits);
  g_strfreev (options->split_names);
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
_assay_export_options_get_boolean (AssayExportOptions *options,
                                   const char         *key)
{
  const char *value = assay_export_options_get (options, key);

  return value != NULL && (g_ascii_strcasecmp (value, "true") == 0 ||
                           g_str_equal (value, "1") ||
                           g_ascii_strcasecmp (value, "yes") == 0);
}

static void
add_unique (GPtrArray  *array,
            const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      return;
  g_ptr_array_add (array, g_strdup (value));
}

gboolean
assay_export_options_add_status (AssayExportOptions  *options,
                                 const char          *status,
                                 GError             **error)
{
  AssayStatus value;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!assay_status_from_string (status, &value))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("Unknown review status “%s” (known: todo, in_progress, done, skipped, "
                     "flagged)"), status);
      return FALSE;
    }
  add_unique (options->statuses, status);
  return TRUE;
}

void
assay_export_options_add_annotator (AssayExportOptions *options,
                                    const char         *annotator)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (annotator != NULL);
  add_unique (options->annotators, annotator);
}

void
assay_export_options_add_model (AssayExportOptions *options,
                                const char         *model)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (model != NULL);
  add_unique (options->models, model);
}

gboolean
assay_export_options_add_label (AssayExportOptions  *options,
                                const char          *spec,
                                GError             **error)
{
  const char *eq;
  AssayExportLabelFilter *filter;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  eq = strchr (spec, '=');
  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("“%s” is not a label: give it as SET=OPTION, e.g. verdict=accept"), spec);
      return FALSE;
    }
  filter = g_new0 (AssayExportLabelFilter, 1);
  filter->label_set = g_strndup (spec, eq - spec);
  filter->label = g_strdup (eq + 1);
  g_ptr_array_add (options->labels, filter);
  return TRUE;
}

void
assay_export_options_set_kinds (AssayExportOptions *options,
                                AssayStatsKinds     kinds)
{
  g_return_if_fail (options != NULL);
  options->kinds = kinds;
}

void
assay_export_options_set_adjudicated_only (AssayExportOptions *options,
                                           gboolean            adjudicated_only)
{
  g_return_if_fail (options != NULL);
  options->adjudicated_only = !!adjudicated_only;
}

static gboolean
valid_split_name (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

gboolean
assay_export_options_set_split (AssayExportOptions  *options,
                                const char          *spec,
                                GError             **error)
{
  g_autoptr(GPtrArray) splits = g_ptr_array_new_with_free_func (split_free);
  g_auto(GStrv) parts = NULL;
  double total = 0;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *eq = strchr (parts[i], '=');
      AssayExportSplit *split;
      char *end = NULL;
      double fraction;

      if (eq == NULL)
        goto bad;
      name = g_strstrip (g_strndup (parts[i], eq - parts[i]));
      fraction = g_ascii_strtod (eq + 1, &end);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (!valid_split_name (name) || end == eq + 1 || end == NULL || *end != '\0' ||
          !isfinite (fraction) || fraction <= 0 || fraction > 1)
        goto bad;
      for (guint k = 0; k < splits->len; k++)
        if (g_str_equal (((AssayExportSplit *) g_ptr_array_index (splits, k))->name, name))
          {
            g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                         _("The split “%s” is named twice"), name);
            return FALSE;
          }
      total += fraction;
      split = g_new0 (AssayExportSplit, 1);
      split->name = g_steal_pointer (&name);
      split->upper = total;
      g_ptr_array_add (splits, split);
    }

  if (splits->len == 0)
    goto bad;
  if (fabs (total - 1.0) > 1e-6)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("The split’s fractions add up to %g, not 1"), total);
      return FALSE;
    }
  /* Rounding must not leave a sliver of hash values in no split. */
  ((AssayExportSplit *) g_ptr_array_index (splits, splits->len - 1))->upper = 2.0;

  g_ptr_array_unref (options->splits);
  options->splits = g_steal_pointer (&splits);
  g_strfreev (options->split_names);
  options->split_names = g_new0 (char *, options->splits->len + 1);
  for (guint i = 0; i < options->splits->len; i++)
    options->split_names[i] =
      g_strdup (((AssayExportSplit *) g_ptr_array_index (options->splits, i))->name);
  return TRUE;

bad:
  g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
               _("“%s” is not a split: give NAME=FRACTION pairs that add up to 1, e.g. "
                 "train=0.8,test=0.2 (names of letters, digits, “-” and “_”)"), spec);
  return FALSE;
}

void
assay_export_options_set_seed (AssayExportOptions *options,
                               guint64             seed)
{
  g_return_if_fail (options != NULL);
  options->seed = seed;
}

const char * const *
assay_export_options_get_splits (AssayExportOptions *options)
{
  static const char * const none[] = { NULL };

  if (options == NULL)
    return none;
  return (const char * const *) options->split_names;
}

/* The first 53 bits of SHA-256 ("SEED:ID") as a number in [0, 1): stable
 * across runs, machines and languages, and independent of every other
 * source, so adding sources never moves one from a split to another. */
int
assay_export_options_split_for (AssayExportOptions *options,
                                const char         *source_id)
{
  g_autoptr(GChecksum) checksum = NULL;
  char prefix[32];
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 bits = 0;
  double u;

  g_return_val_if_fail (source_id != NULL, -1);

  if (options == NULL || options->splits->len == 0)
    return -1;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_snprintf (prefix, sizeof prefix, "%" G_GUINT64_FORMAT ":", options->seed);
  g_checksum_update (checksum, (const guchar *) prefix, -1);
  g_checksum_update (checksum, (const guchar *) source_id, -1);
  g_checksum_get_digest (checksum, digest, &len);
  for (guint i = 0; i < 8; i++)
    bits = (bits << 8) | digest[i];
  u = (double) (bits >> 11) / 9007199254740992.0;  /* 2^53 */

  for (guint i = 0; i < options->splits->len; i++)
    if (u < ((AssayExportSplit *) g_ptr_array_index (options->splits, i))->upper)
      return i;
  g_assert_not_reached ();
}

const GPtrArray *
_assay_export_options_get_statuses (AssayExportOptions *options)
{
  return options != NULL ? options->statuses : NULL;
}

const GPtrArray *
_assay_export_options_get_annotators (AssayExportOptions *options)
{
  return options != NULL ? options->annotators : NULL;
}

const GPtrArray *
_assay_export_options_get_models (AssayExportOptions *options)
{
  return options != NULL ? options->models : NULL;
}

const GPtrArray *
_assay_export_options_get_labels (AssayExportOptions *options)
{
  return options != NULL ? options->labels : NULL;
}

gboolean
_assay_export_options_get_adjudicated_only (AssayExportOptions *options)
{
  return options != NULL && options->adjudicated_only;
}

gboolean
_assay_export_options_counts_kind (AssayExportOptions *options,
                                   AssayAnnotatorKind  kind)
{
  AssayStatsKinds kinds = options != NULL ? options->kinds : 0;

  if (kinds == 0)
    {
      /* Naming annotators chooses them, whatever their kind. */
      if (options != NULL && options->annotators->len > 0)
        return TRUE;
      kinds = assay_stats_kinds_by_default (ASSAY_STATS_ALL_KINDS);
    }
  return (kinds & assay_stats_kinds_of (kind)) != 0;
}

gboolean
_assay_export_options_selects (AssayExportOptions *options)
{
  return options != NULL &&
         (options->statuses->len > 0 || options->annotators->len > 0 || options->kinds != 0 ||
          options->models->len > 0 || options->labels->len > 0 ||
          options->adjudicated_only || options->splits->len > 0);
}

/* ---- the sink ---- */

typedef struct
{
  GString       *buf;
  GOutputStream *out;
  gint64         n_records;
} SinkPart;

static gint64
count_lines (const char *p,
             gsize       len)
{
  const char *end = p + len;
  gint64 n = 0;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      p++;
    }
  return n;
}

gboolean
assay_export_sink_flush (AssayExportSink  *sink,
                         gboolean          force,
                         GError          **error)
{
  /* Writers call this after each record: a cancelled export stops there. */
  if (g_cancellable_set_error_if_cancelled (sink->cancellable, error))
    return FALSE;
  if (sink->buf->len == 0 || (!force && sink->buf->len < FLUSH_THRESHOLD))
    return TRUE;
  if (sink->count_lines)
    sink->n_records += count_lines (sink->buf->str, sink->buf->len);
  if (!g_output_stream_write_all (sink->out, sink->buf->str, sink->buf->len, NULL,
                                  sink->cancellable, error))
    return FALSE;
  g_string_truncate (sink->buf, 0);
  return TRUE;
}

void
_assay_export_sink_select (AssayExportSink *sink,
                           guint            part)
{
  SinkPart *parts = sink->parts;

  g_assert (part < sink->n_parts);
  if (part == sink->part)
    return;

  parts[sink->part].buf = sink->buf;
  parts[sink->part].out = sink->out;
  parts[sink->part].n_records = sink->n_records;
  sink->buf = parts[part].buf;
  sink->out = parts[part].out;
  sink->n_records = parts[part].n_records;
  sink->part = part;
}

/* Writes out what every part still holds and leaves the parts' counts in
 * the `parts` array. */
static gboolean
sink_finish (AssayExportSink  *sink,
             GError          **error)
{
  SinkPart *parts = sink->parts;

  for (guint i = 0; i < sink->n_parts; i++)
    {
      _assay_export_sink_select (sink, i);
      if (!assay_export_sink_flush (sink, TRUE, error) ||
          !g_output_stream_flush (sink->out, sink->cancellable, error))
        return FALSE;
    }
  parts[sink->part].n_records = sink->n_records;
  return TRUE;
}

/* ---- formats ---- */

static const AssayExportFormat * const formats[] = {
  &_assay_export_native,
  &_assay_export_sft,
  &_assay_export_preference,
  &_assay_export_dpo_openai,
  &_assay_export_eval,
  &_assay_export_openai_evals,
  &_assay_export_scores,
  &_assay_export_scores_csv,
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
assay_export_format_check_options (const AssayExportFormat  *format,
                                   AssayExportOptions       *options,
                                   GError                  **error)
{
  const char *style;

  g_return_val_if_fail (format != NULL, FALSE);

  if (options == NULL)
    return TRUE;

  if (!(format->flags & ASSAY_EXPORT_FORMAT_FILTERS) && _assay_export_options_selects (options))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("The “%s” format writes the whole project: it takes no filters and no "
                     "split"), format->name);
      return FALSE;
    }

  style = assay_export_options_get (options, "style");
  if (style != NULL)
    {
      if (!(format->flags & ASSAY_EXPORT_FORMAT_STYLE))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("The “%s” format has no styles"), format->name);
          return FALSE;
        }
      if (!g_str_equal (style, "messages") && !g_str_equal (style, "prompt-completion"))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("Unknown style “%s” (known: messages, prompt-completion)"), style);
          return FALSE;
        }
    }

  if (_assay_export_options_get_boolean (options, "conversational"))
    {
      gboolean sft_messages = (format->flags & ASSAY_EXPORT_FORMAT_STYLE) &&
                              g_strcmp0 (style, "prompt-completion") != 0;

      if (sft_messages)
        {
          g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                               _("The messages style is conversational already; the "
                                 "conversational form goes with the prompt-completion style"));
          return FALSE;
        }
      if (!(format->flags & ASSAY_EXPORT_FORMAT_CONVERSATIONAL))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("The “%s” format has no conversational form"), format->name);
          return FALSE;
        }
    }

  return TRUE;
}

char *
assay_export_describe_gold_rule (AssayProject  *project,
                                 GError       **error)
{
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *rule = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  tmpl = assay_project_load_template (project, error);
  if (tmpl == NULL)
    return NULL;

  switch (tmpl->accept.rule)
    {
    case ASSAY_ACCEPT_LABEL:
      rule = g_strdup_printf (_("the candidate labelled %s = %s (by the most annotators)"),
                              tmpl->accept.label_set, tmpl->accept.label);
      break;
    case ASSAY_ACCEPT_SCORE:
      rule = g_strdup_printf (_("the best candidate whose weighted mean rubric score is at "
                                "least %g"), tmpl->accept.min_score);
      break;
    case ASSAY_ACCEPT_RANK:
    default:
      rule = g_strdup (_("the candidate ranked first (the best mean rank if annotators "
                         "disagree)"));
      break;
    }

  return g_strdup_printf (_("an expert’s correction (an adjudicator’s first, then the most "
                            "recently updated); otherwise %s; an adjudicator’s judgments "
                            "outrank the others’"), rule);
}

void
assay_export_file_free (AssayExportFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->split);
  g_free (file);
}

char *
assay_export_split_path (const char *path,
                         const char *split)
{
  const char *base;
  const char *dot;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (split != NULL, NULL);

  base = strrchr (path, G_DIR_SEPARATOR);
  base = base != NULL ? base + 1 : path;
  dot = strrchr (base, '.');
  /* A leading dot (".hidden") starts a name, not an extension. */
  if (dot == NULL || dot == base)
    return g_strconcat (path, ".", split, NULL);
  return g_strdup_printf ("%.*s.%s%s", (int) (dot - path), path, split, dot);
}

/* One read transaction: the export is a consistent snapshot even if the
 * app writes judgments while it runs. */
static gboolean
export_to_sink (AssayProject             *project,
                const AssayExportFormat  *format,
                AssayExportOptions       *options,
                AssayExportSink          *sink,
                GError                  **error)
{
  gboolean ok;

  if (!assay_project_begin_read (project, error))
    return FALSE;
  ok = format->write (project, options, sink, error) && sink_finish (sink, error);
  assay_project_end_read (project);
  return ok;
}

static void
sink_init (AssayExportSink         *sink,
           const AssayExportFormat *format,
           SinkPart                *parts,
           guint                    n_parts,
           GCancellable            *cancellable)
{
  memset (sink, 0, sizeof *sink);
  sink->buf = parts[0].buf;
  sink->out = parts[0].out;
  sink->cancellable = cancellable;
  sink->count_lines = !(format->flags & ASSAY_EXPORT_FORMAT_COUNTS_RECORDS);
  sink->n_parts = n_parts;
  sink->parts = parts;
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
  g_autoptr(GString) buf = NULL;
  AssayExportSink sink;
  SinkPart part;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  format = lookup_format (format_name, error);
  if (format == NULL || !assay_export_format_check_options (format, options, error))
    return FALSE;
  if (options != NULL && options->splits->len > 0)
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           _("A split writes one file per split; it cannot go to one stream"));
      return FALSE;
    }

  buf = g_string_sized_new (FLUSH_THRESHOLD + 4096);
  part = (SinkPart) { buf, stream, 0 };
  sink_init (&sink, format, &part, 1, cancellable);
  return export_to_sink (project, format, options, &sink, error);
}

static AssayExportFile *
file_new (const char *path,
          const char *split,
          gint64      n_records)
{
  AssayExportFile *file = g_new0 (AssayExportFile, 1);

  file->path = g_strdup (path);
  file->split = g_strdup (split);
  file->n_records = n_records;
  return file;
}

/* TRUE if `target` is the project's own file, or one of SQLite's files
 * beside it: renaming an export over it would destroy the project. */
static gboolean
is_project_file (AssayProject *project,
                 const char   *target)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  const char *project_path = assay_project_get_path (project);
  GStatBuf target_stat;

  if (project_path == NULL || g_stat (target, &target_stat) != 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (project_path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && st.st_dev == target_stat.st_dev &&
          st.st_ino == target_stat.st_ino)
        return TRUE;
    }
  return FALSE;
}

/* ".NAME.XXXXXX.tmp" beside the target: hidden, and recognisable for what
 * it is if a killed process (SIGKILL, a power cut) could not remove it. */
static char *
temporary_name (const char *target)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX.tmp", base);

  return g_build_filename (dir, name, NULL);
}

typedef struct
{
  char          *target;
  char          *tmp;
  int            fd;
  GOutputStream *stream;
  GString       *buf;
} Output;

static void
output_clear (Output *o)
{
  if (o->stream != NULL)
    {
      g_output_stream_close (o->stream, NULL, NULL);
      g_object_unref (o->stream);
    }
  else if (o->fd >= 0)
    close (o->fd);
  if (o->tmp != NULL)
    g_unlink (o->tmp);
  g_free (o->target);
  g_free (o->tmp);
  if (o->buf != NULL)
    g_string_free (o->buf, TRUE);
}

static gboolean
set_write_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

GPtrArray *
assay_export_to_files (AssayProject        *project,
                       const char          *format_name,
                       AssayExportOptions  *options,
                       const char          *path,
                       GCancellable        *cancellable,
                       GError             **error)
{
  const AssayExportFormat *format;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree SinkPart *parts = NULL;
  g_autofree Output *outputs = NULL;
  GError *local_error = NULL;
  gboolean wrapped = FALSE;   /* local_error names the file already */
  AssayExportSink sink;
  guint n_splits;
  guint n;
  gboolean ok = TRUE;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  format = lookup_format (format_name, error);
  if (format == NULL || !assay_export_format_check_options (format, options, error))
    return NULL;
  n_splits = options != NULL ? options->splits->len : 0;
  files = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_export_file_free);

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GOutputStream) stream = NULL;
      g_autoptr(GString) buf = NULL;
      SinkPart part;

      if (n_splits > 0)
        {
          g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                               _("A split writes one file per split: give a file name, not "
                                 "“-”"));
          return NULL;
        }
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      buf = g_string_sized_new (FLUSH_THRESHOLD + 4096);
      part = (SinkPart) { buf, stream, 0 };
      sink_init (&sink, format, &part, 1, cancellable);
      if (!export_to_sink (project, format, options, &sink, error))
        return NULL;
      g_ptr_array_add (files, file_new (path, NULL, part.n_records));
      return g_steal_pointer (&files);
    }

  n = MAX (n_splits, 1);
  outputs = g_new0 (Output, n);
  parts = g_new0 (SinkPart, n);
  for (guint i = 0; i < n; i++)
    outputs[i].fd = -1;

  for (guint i = 0; i < n && ok; i++)
    {
      Output *o = &outputs[i];

      o->target = n_splits > 0 ? assay_export_split_path (path, options->split_names[i])
                               : g_strdup (path);
      if (is_project_file (project, o->target))
        {
          g_autofree char *display = g_filename_display_name (o->target);

          g_set_error (&local_error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("“%s” is the project itself; write the export to another file"),
                       display);
          ok = FALSE;
          break;
        }
      o->tmp = temporary_name (o->target);
      o->fd = g_mkstemp_full (o->tmp, O_WRONLY | O_CLOEXEC, 0644);
      if (o->fd < 0)
        {
          ok = set_write_error (&local_error, o->target, errno);
          wrapped = TRUE;
          g_clear_pointer (&o->tmp, g_free);
          break;
        }
      o->stream = g_unix_output_stream_new (o->fd, TRUE);
      o->buf = g_string_sized_new (n > 1 ? FLUSH_THRESHOLD / 2 : FLUSH_THRESHOLD + 4096);
      parts[i] = (SinkPart) { o->buf, o->stream, 0 };
    }

  if (ok)
    {
      sink_init (&sink, format, parts, n, cancellable);
      ok = export_to_sink (project, format, options, &sink, &local_error);
    }

  /* On disk before the rename, or a crash could leave an empty file under
   * the target's name. */
  for (guint i = 0; i < n && ok; i++)
    {
      Output *o = &outputs[i];

      if (fsync (o->fd) != 0)
        {
          ok = set_write_error (&local_error, o->target, errno);
          wrapped = TRUE;
        }
      else if (!g_output_stream_close (o->stream, NULL, &local_error))
        ok = FALSE;
      g_clear_object (&o->stream);
    }

  if (!ok)
    {
      for (guint i = 0; i < n; i++)
        output_clear (&outputs[i]);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          local_error->domain == ASSAY_ERROR || wrapped)
        g_propagate_error (error, local_error);
      else
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not write “%s”: %s"), display, local_error->message);
          g_error_free (local_error);
        }
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      Output *o = &outputs[i];

      if (ok && g_rename (o->tmp, o->target) != 0)
        ok = set_write_error (error, o->target, errno);
      if (ok)
        {
          g_clear_pointer (&o->tmp, g_free);
          g_ptr_array_add (files, file_new (o->target,
                                            n_splits > 0 ? options->split_names[i] : NULL,
                                            parts[i].n_records));
        }
      output_clear (o);
    }

  if (!ok)
    return NULL;
  return g_steal_pointer (&files);
}

gboolean
assay_export_to_path (AssayProject        *project,
                      const char          *format_name,
                      AssayExportOptions  *options,
                      const char          *path,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GPtrArray) files = NULL;

  files = assay_export_to_files (project, format_name, options, path, cancellable, error);
  return files != NULL;
}

typedef struct
{
  char               *project_path;
  char               *format;
  AssayExportOptions *options;
  char               *path;
  GCancellable       *cancellable;
} ExportJob;

/* The exports whose workers are running, for assay_export_cancel_and_wait(). */
static GMutex running_lock;
static GCond running_cond;
static GPtrArray *running;   /* ExportJob, borrowed */

static void
export_job_free (ExportJob *job)
{
  g_free (job->project_path);
  g_free (job->format);
  g_clear_pointer (&job->options, assay_export_options_free);
  g_free (job->path);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  AssayProject *project;
  GError *error = NULL;
  GPtrArray *files = NULL;

  project = assay_project_open_full (job->project_path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  if (project != NULL)
    {
      files = assay_export_to_files (project, job->format, job->options, job->path, cancellable,
                                     &error);
      g_object_unref (project);
    }

  /* Its temporary files are gone and its connection closed: an
   * application waiting to quit may go. */
  g_mutex_lock (&running_lock);
  g_ptr_array_remove_fast (running, job);
  g_cond_broadcast (&running_cond);
  g_mutex_unlock (&running_lock);

  if (files == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, files, (GDestroyNotify) g_ptr_array_unref);
}

void
assay_export_to_files_async (AssayProject        *project,
                             const char          *format,
                             AssayExportOptions  *options,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (ASSAY_IS_PROJECT (project));
  g_return_if_fail (format != NULL);
  g_return_if_fail (path != NULL);

  job = g_new0 (ExportJob, 1);
  job->project_path = g_strdup (assay_project_get_path (project));
  job->format = g_strdup (format);
  job->options = options != NULL ? options : assay_export_options_new ();
  job->path = g_strdup (path);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  g_mutex_lock (&running_lock);
  if (running == NULL)
    running = g_ptr_array_new ();
  g_ptr_array_add (running, job);
  g_mutex_unlock (&running_lock);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_export_to_files_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static gboolean
is_running (GCancellable *cancellable)
{
  for (guint i = 0; running != NULL && i < running->len; i++)
    if (((ExportJob *) g_ptr_array_index (running, i))->cancellable == cancellable)
      return TRUE;
  return FALSE;
}

void
assay_export_cancel_and_wait (GCancellable *cancellable)
{
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_cancellable_cancel (cancellable);
  g_mutex_lock (&running_lock);
  while (is_running (cancellable))
    g_cond_wait (&running_cond, &running_lock);
  g_mutex_unlock (&running_lock);
}

GPtrArray *
assay_export_to_files_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_export_to_files_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
assay_export_choices_free (AssayExportChoices *choices)
{
  g_clear_pointer (&choices->annotators, g_ptr_array_unref);
  g_clear_pointer (&choices->models, g_ptr_array_unref);
  g_clear_pointer (&choices->tmpl, assay_template_unref);
  g_free (choices->gold_rule);
  g_free (choices->problem);
  g_free (choices);
}

static void
note_problem (AssayExportChoices *choices,
              GError             *error)
{
  if (choices->problem == NULL)
    choices->problem = g_strdup (error->message);
}

static void
choices_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(AssayExportChoices) choices = g_new0 (AssayExportChoices, 1);
  g_autoptr(GError) error = NULL;
  AssayProject *project;

  project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  if (project == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Each list on its own: one that cannot be read leaves the others. */
  if ((choices->annotators = assay_project_list_annotators (project, &error)) == NULL)
    note_problem (choices, error);
  g_clear_error (&error);
  if (!g_cancellable_is_cancelled (cancellable) &&
      (choices->models = assay_project_list_models (project, &error)) == NULL)
    note_problem (choices, error);
  g_clear_error (&error);
  if ((choices->tmpl = assay_project_load_template (project, &error)) == NULL)
    note_problem (choices, error);
  g_clear_error (&error);
  if (choices->tmpl != NULL &&
      (choices->gold_rule = assay_export_describe_gold_rule (project, &error)) == NULL)
    note_problem (choices, error);
  g_object_unref (project);

  g_task_return_pointer (task, g_steal_pointer (&choices),
                         (GDestroyNotify) assay_export_choices_free);
}

void
assay_export_read_choices_async (AssayProject        *project,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASSAY_IS_PROJECT (project));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_export_read_choices_async);
  g_task_set_task_data (task, g_strdup (assay_project_get_path (project)), g_free);
  g_task_run_in_thread (task, choices_thread);
}

AssayExportChoices *
assay_export_read_choices_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        assay_export_read_choices_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
