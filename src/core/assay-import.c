/* assay-import.c: bringing sources, candidates and judgments into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every line is checked in full before anything of it is written, and the
 * whole import runs in one transaction (with a savepoint per line, so that
 * --skip-invalid can drop a line and keep the rest). Lines are parsed with
 * Assay's own JSON reader, which leaves long strings in place until they are
 * needed and keeps metadata exactly as it was written.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "assay-evidence-private.h"
#include "assay-import.h"
#include "assay-import-private.h"
#include "assay-kind-private.h"
#include "assay-json-reader-private.h"
#include "assay-judgments.h"
#include "assay-lock-private.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"
#include "assay-template.h"
#include "assay-transcript.h"

/* Enough to fix a file in one pass, not so many that a wrong --map floods
 * the terminal. */
#define MAX_PROBLEMS 50
#define MAX_ID_CHARS 256

typedef struct
{
  char                *path;          /* NULL for bytes */
  char                *display_name;
  GBytes              *bytes;         /* NULL for files until read, and for producers */
  AssayImportFormat    format;
  AssayImportProducer  produce;       /* writes the input as it is read */
  gpointer             produce_data;
  GDestroyNotify       produce_destroy;
  gboolean             failed;        /* the producer failed in the first pass */
} Input;

struct _AssayImport
{
  GObject              parent_instance;

  AssayProject        *project;
  gboolean             skip_invalid;
  gboolean             merge;
  gboolean             precheck;      /* check the new candidates */
  GHashTable          *map;           /* field -> path */
  GPtrArray           *inputs;        /* Input */
  AssayImportProgress  progress_func;
  gpointer             progress_data;
  guint                progress_input; /* what the progress function is told */
  struct _Relay       *relay;          /* progress for the caller of run_async */

  /* while running */
  AssayTemplate       *tmpl;
  GHashTable          *seen_sources;  /* ext id -> "file:line" of its line in this import */
  AssayJsonDoc         doc;
  gsize                total_bytes;
  gsize                done_bytes;
  guint                input_index;   /* of the input being read, for problems */
  gboolean             templates_pass;
  gboolean             may_defer;     /* put aside lines that refer to what is not in yet */
  gboolean             unresolved;    /* the line failed on such a reference */
  guint                n_units_in;    /* lines and files that went in */
  guint                n_produced;    /* lines of the produced input being scanned */

  /* merging: "annotator\x1fsource" -> the file's latest time for it, and
   * what was decided for it (MERGE_REPLACE or MERGE_KEEP) */
  GHashTable          *merge_times;
  GHashTable          *merge_state;
  GPtrArray           *unit_merge_keys; /* decided by the line being imported */
  guint                n_replaced;
  guint                n_kept;

  /* results */
  GPtrArray           *problems;
  GArray              *problem_keys;  /* guint64: input index << 32 | line, sorted */
  guint                n_refused;
  AssayPrecheckSummary precheck_summary;
  AssayProjectCounts   before;
  AssayProjectCounts   after;
};

G_DEFINE_FINAL_TYPE (AssayImport, assay_import, G_TYPE_OBJECT)

static void
input_free (Input *input)
{
  g_free (input->path);
  g_free (input->display_name);
  g_clear_pointer (&input->bytes, g_bytes_unref);
  if (input->produce_destroy != NULL)
    input->produce_destroy (input->produce_data);
  g_free (input);
}

static void
assay_import_finalize (GObject *object)
{
  AssayImport *self = ASSAY_IMPORT (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->map, g_hash_table_unref);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  g_clear_pointer (&self->seen_sources, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->problem_keys, g_array_unref);
  g_clear_pointer (&self->unit_merge_keys, g_ptr_array_unref);
  g_clear_pointer (&self->merge_times, g_hash_table_unref);
  g_clear_pointer (&self->merge_state, g_hash_table_unref);
  assay_json_doc_clear (&self->doc);

  G_OBJECT_CLASS (assay_import_parent_class)->finalize (object);
}

static void
assay_import_class_init (AssayImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_import_finalize;
}

static void
assay_import_init (AssayImport *self)
{
  self->map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->problem_keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->unit_merge_keys = g_ptr_array_new_with_free_func (g_free);
  assay_json_doc_init (&self->doc);
}

AssayImport *
assay_import_new (AssayProject *project)
{
  AssayImport *self;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  self = g_object_new (ASSAY_TYPE_IMPORT, NULL);
  self->project = g_object_ref (project);
  return self;
}

void
assay_import_set_skip_invalid (AssayImport *self,
                               gboolean     skip_invalid)
{
  g_return_if_fail (ASSAY_IS_IMPORT (self));
  self->skip_invalid = !!skip_invalid;
}

void
assay_import_set_merge (AssayImport *self,
                        gboolean     merge)
{
  g_return_if_fail (ASSAY_IS_IMPORT (self));
  self->merge = !!merge;
}

void
assay_import_set_precheck (AssayImport *self,
                           gboolean     precheck)
{
  g_return_if_fail (ASSAY_IS_IMPORT (self));
  self->precheck = precheck;
}

const AssayPrecheckSummary *
assay_import_get_precheck_summary (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), NULL);
  return &self->precheck_summary;
}

guint
assay_import_get_n_replaced (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->n_replaced;
}

guint
assay_import_get_n_kept (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->n_kept;
}

void
assay_import_set_progress_func (AssayImport         *self,
                                AssayImportProgress  func,
                                gpointer             user_data)
{
  g_return_if_fail (ASSAY_IS_IMPORT (self));
  self->progress_func = func;
  self->progress_data = user_data;
}

guint
assay_import_get_progress_input (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->progress_input;
}

static const char * const mappable_fields[] = {
  "id", "title", "text", "segments", "metadata", "candidates",
  "candidates.id", "candidates.model", "candidates.text", "candidates.prompt",
  "candidates.metadata", NULL
};

gboolean
assay_import_add_map (AssayImport  *self,
                      const char   *spec,
                      GError      **error)
{
  const char *eq;
  g_autofree char *field = NULL;

  g_return_val_if_fail (ASSAY_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  eq = strchr (spec, '=');
  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("“%s” is not a mapping; write FIELD=PATH, for example text=article"), spec);
      return FALSE;
    }

  field = g_strndup (spec, eq - spec);
  if (!g_strv_contains (mappable_fields, field))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) mappable_fields);

      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("“%s” is not a field that can be mapped (known: %s)"), field, known);
      return FALSE;
    }
  if (strstr (eq + 1, "..") != NULL || eq[1] == '.' || g_str_has_suffix (eq + 1, "."))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid path"), eq + 1);
      return FALSE;
    }

  g_hash_table_replace (self->map, g_steal_pointer (&field), g_strdup (eq + 1));
  return TRUE;
}

gboolean
assay_import_format_from_string (const char        *str,
                                 AssayImportFormat *format)
{
  static const struct { const char *name; AssayImportFormat format; } names[] = {
    { "jsonl", ASSAY_FORMAT_JSONL }, { "srt", ASSAY_FORMAT_SRT }, { "vtt", ASSAY_FORMAT_VTT },
    { "txt", ASSAY_FORMAT_TXT }, { "auto", ASSAY_FORMAT_AUTO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (str, names[i].name) == 0)
      {
        *format = names[i].format;
        return TRUE;
      }
  return FALSE;
}

AssayImportFormat
assay_import_format_for_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  AssayImportFormat format = ASSAY_FORMAT_AUTO;

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return ASSAY_FORMAT_AUTO;
  if (g_ascii_strcasecmp (dot, ".json") == 0 || g_ascii_strcasecmp (dot, ".ndjson") == 0)
    return ASSAY_FORMAT_JSONL;
  if (!assay_import_format_from_string (dot + 1, &format))
    return ASSAY_FORMAT_AUTO;
  return format;
}

void
assay_import_add_file (AssayImport       *self,
                       const char        *path,
                       AssayImportFormat  format)
{
  g_autofree char *display_name = NULL;

  g_return_if_fail (ASSAY_IS_IMPORT (self));
  g_return_if_fail (path != NULL);

  display_name = g_str_equal (path, "-") ? g_strdup (_("standard input"))
                                         : g_filename_display_name (path);
  assay_import_add_file_as (self, path, display_name, format);
}

void
assay_import_add_file_as (AssayImport       *self,
                          const char        *path,
                          const char        *display_name,
                          AssayImportFormat  format)
{
  Input *input;

  g_return_if_fail (ASSAY_IS_IMPORT (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (display_name != NULL);

  input = g_new0 (Input, 1);
  input->path = g_strdup (path);
  input->display_name = g_strdup (display_name);
  input->format = format;
  g_ptr_array_add (self->inputs, input);
}

void
assay_import_add_bytes (AssayImport       *self,
                        const char        *display_name,
                        GBytes            *bytes,
                        AssayImportFormat  format)
{
  Input *input;

  g_return_if_fail (ASSAY_IS_IMPORT (self));
  g_return_if_fail (display_name != NULL);
  g_return_if_fail (bytes != NULL);

  input = g_new0 (Input, 1);
  input->display_name = g_strdup (display_name);
  input->bytes = g_bytes_ref (bytes);
  input->format = format;
  g_ptr_array_add (self->inputs, input);
}

void
_assay_import_add_producer (AssayImport         *self,
                            const char          *display_name,
                            AssayImportProducer  func,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  Input *input;

  g_return_if_fail (ASSAY_IS_IMPORT (self));
  g_return_if_fail (display_name != NULL);
  g_return_if_fail (func != NULL);

  input = g_new0 (Input, 1);
  input->display_name = g_strdup (display_name);
  input->format = ASSAY_FORMAT_JSONL;
  input->produce = func;
  input->produce_data = user_data;
  input->produce_destroy = destroy;
  g_ptr_array_add (self->inputs, input);
}

/* ---- problems ---- */

/* Problems are listed in input order (by input, then line), even when a
 * line put aside is refused only at the end; when there are too many, the
 * first ones in that order are kept. */
static void
add_problem_at (AssayImport *self,
                guint        line,
                const char  *message)
{
  guint64 key = ((guint64) self->input_index << 32) | line;
  guint at = self->problem_keys->len;

  self->n_refused++;
  while (at > 0 && g_array_index (self->problem_keys, guint64, at - 1) > key)
    at--;
  if (at >= MAX_PROBLEMS)
    return;
  g_ptr_array_insert (self->problems, at, g_strdup (message));
  g_array_insert_val (self->problem_keys, at, key);
  if (self->problems->len > MAX_PROBLEMS)
    {
      g_ptr_array_remove_index (self->problems, MAX_PROBLEMS);
      g_array_remove_index (self->problem_keys, MAX_PROBLEMS);
    }
}

static void
add_problem (AssayImport *self,
             const char  *message)
{
  add_problem_at (self, 0, message);
}

static void
add_problem_printf (AssayImport *self,
                    const char  *format,
                    ...) G_GNUC_PRINTF (2, 3);

static void
add_problem_printf (AssayImport *self,
                    const char  *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  add_problem (self, message);
}

static gboolean
fail_at (const char  *file,
         guint        line,
         GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (const char  *file,
         guint        line,
         GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s:%u: %s", file, line, message);
  else
    g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s: %s", file, message);
  return FALSE;
}

/* ---- records ---- */

typedef struct
{
  char *id;
  char *model;
  char *text;
  char *prompt;
  char *metadata;   /* raw JSON object text, or NULL */
} CandidateRecord;

static void
candidate_record_free (CandidateRecord *c)
{
  g_free (c->id);
  g_free (c->model);
  g_free (c->text);
  g_free (c->prompt);
  g_free (c->metadata);
  g_free (c);
}

typedef struct
{
  char      *id;
  char      *title;
  char      *text;
  GPtrArray *segments;     /* AssaySegment, or NULL */
  char      *metadata;
  GPtrArray *candidates;   /* CandidateRecord */
  guint      judgments;    /* array node, or 0 */
} SourceRecord;

static void
source_record_clear (SourceRecord *s)
{
  g_free (s->id);
  g_free (s->title);
  g_free (s->text);
  g_clear_pointer (&s->segments, g_ptr_array_unref);
  g_free (s->metadata);
  g_clear_pointer (&s->candidates, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SourceRecord, source_record_clear)

/* The context of one line: where it is, for messages. */
typedef struct
{
  AssayImport     *self;
  AssayJsonReader  r;
} Line;

#define DOC(l) ((l)->r.doc)

/* Fails with the line's file and line, and the path of the node. */
#define line_fail(l, node, path, error, ...) \
  _assay_reader_fail (&(l)->r, (node), (path), (error), __VA_ARGS__)

/* Walks a dotted path ("meta.doc_id", "outputs.0.text") from `node`. */
static guint
resolve_path (const AssayJsonDoc *doc,
              guint               node,
              const char         *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  /* The walk starts at `node`, which may be the root (index 0); a member
   * that is not there ends it with 0, which no member value can be. */
  for (guint i = 0; parts[i] != NULL; i++)
    {
      AssayJsonType type = assay_json_type (doc, node);

      if (type == ASSAY_JSON_OBJECT)
        {
          node = assay_json_object_get (doc, node, parts[i]);
          if (node == 0)
            return 0;
        }
      else if (type == ASSAY_JSON_ARRAY)
        {
          char *end = NULL;
          guint64 index = g_ascii_strtoull (parts[i], &end, 10);
          guint child;

          if (*parts[i] == '\0' || *end != '\0' || index >= doc->nodes[node].n_children)
            return 0;
          child = assay_json_first_child (doc, node);
          for (guint64 k = 0; k < index; k++)
            child = assay_json_next_sibling (doc, child);
          node = child;
        }
      else
        return 0;
    }
  return node;
}

/* The node of a native field in `object`: its mapped path if there is one
 * (resolved from `object`), else the member of that name. Sets *path to
 * the name used in messages. */
static guint
field_node (Line        *l,
            guint        object,
            const char  *map_key,
            const char  *name,
            const char **path)
{
  const char *mapped = g_hash_table_lookup (l->self->map, map_key);
  guint node;

  *path = mapped != NULL ? mapped : name;
  node = mapped != NULL ? resolve_path (DOC (l), object, mapped)
                        : assay_json_object_get (DOC (l), object, name);
  if (node != 0 && assay_json_type (DOC (l), node) == ASSAY_JSON_NULL)
    return 0;
  return node;
}

static gboolean
field_string (Line        *l,
              guint        object,
              const char  *prefix,
              const char  *map_key,
              const char  *name,
              gboolean     required,
              char       **out,
              GError     **error)
{
  g_autofree char *full = NULL;
  const char *path;
  guint node = field_node (l, object, map_key, name, &path);

  full = _assay_reader_path (prefix, path);
  if (node == 0)
    {
      if (required)
        return line_fail (l, object, NULL, error, _("missing required field “%s”"), full);
      return TRUE;
    }
  if (!_assay_reader_expect (&l->r, node, full, ASSAY_JSON_STRING, error))
    return FALSE;
  *out = assay_json_dup_string (DOC (l), node);
  return TRUE;
}

static gboolean
check_id (Line        *l,
          guint        node,
          const char  *path,
          const char  *id,
          GError     **error)
{
  glong n = g_utf8_strlen (id, -1);

  if (n == 0 || n > MAX_ID_CHARS)
    return line_fail (l, node, path, error, _("an id must have 1 to %d characters"), MAX_ID_CHARS);
  return TRUE;
}

/* Members of `object` that no mapping consumed, as raw "key": value text,
 * so that a mapped import loses nothing. */
static void
append_leftovers (Line        *l,
                  guint        object,
                  const char  *prefix,
                  GString     *out)
{
  const AssayJsonDoc *doc = DOC (l);
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func (g_free);
  guint child = assay_json_first_child (doc, object);
  gsize prefix_len = prefix != NULL ? strlen (prefix) : 0;

  /* The first segment of every mapped path of this level is used up, and
   * so are the native names of fields that are not mapped. */
  g_hash_table_iter_init (&iter, l->self->map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *field = key;
      const char *dot;

      if (prefix != NULL && (strncmp (field, prefix, prefix_len) != 0 || field[prefix_len] != '.'))
        continue;
      if (prefix == NULL && strchr (field, '.') != NULL)
        continue;
      /* A member of which only a part is mapped (meta.title) is kept whole:
       * its other parts would be lost otherwise. */
      dot = strchr (value, '.');
      if (dot == NULL)
        g_ptr_array_add (used, g_strdup (value));
    }

  for (guint i = 0; i < doc->nodes[object].n_children; i++)
    {
      guint member_value = assay_json_next_sibling (doc, child);
      gboolean is_used = FALSE;

      for (guint j = 0; j < used->len && !is_used; j++)
        is_used = assay_json_string_equal (doc, child, g_ptr_array_index (used, j));

      if (!is_used)
        {
          static const char * const source_names[] = {
            "id", "title", "text", "segments", "metadata", "candidates", NULL
          };
          static const char * const candidate_names[] = {
            "id", "model", "text", "prompt", "metadata", NULL
          };
          const char * const *names = prefix ? candidate_names : source_names;

          /* A native name counts as used unless it was mapped elsewhere. */
          for (guint j = 0; names[j] != NULL && !is_used; j++)
            {
              g_autofree char *field = prefix ? g_strconcat (prefix, ".", names[j], NULL)
                                              : g_strdup (names[j]);

              if (!g_hash_table_contains (l->self->map, field) &&
                  assay_json_string_equal (doc, child, names[j]))
                is_used = TRUE;
            }
        }

      if (!is_used)
        {
          if (out->len > 1)
            g_string_append_c (out, ',');
          g_string_append_len (out, doc->text + doc->nodes[child].start,
                               doc->nodes[member_value].end - doc->nodes[child].start);
        }
      child = assay_json_next_sibling (doc, member_value);
    }
}

/* Metadata: the object as written; with --map, plus the leftover fields. */
static gboolean
read_metadata (Line        *l,
               guint        object,
               const char  *prefix,
               const char  *map_prefix,
               const char  *map_key,
               char       **out,
               GError     **error)
{
  const AssayJsonDoc *doc = DOC (l);
  g_autofree char *full = NULL;
  const char *path;
  guint node = field_node (l, object, map_key, "metadata", &path);
  gboolean mapped = g_hash_table_size (l->self->map) > 0;

  full = _assay_reader_path (prefix, path);
  if (node != 0 && !_assay_reader_expect (&l->r, node, full, ASSAY_JSON_OBJECT, error))
    return FALSE;

  if (!mapped || assay_json_type (doc, object) != ASSAY_JSON_OBJECT)
    {
      if (node != 0)
        {
          gsize len;
          const char *raw = assay_json_raw (doc, node, &len);

          *out = g_strndup (raw, len);
        }
      return TRUE;
    }

  {
    g_autoptr(GString) merged = g_string_new ("{");

    if (node != 0 && doc->nodes[node].n_children > 0)
      {
        guint first = assay_json_first_child (doc, node);

        /* The members as written, between the braces. */
        g_string_append_len (merged, doc->text + doc->nodes[first].start,
                             doc->nodes[node].end - 1 - doc->nodes[first].start);
        while (merged->len > 1 && g_ascii_isspace (merged->str[merged->len - 1]))
          g_string_truncate (merged, merged->len - 1);
      }
    append_leftovers (l, object, map_prefix, merged);
    g_string_append_c (merged, '}');
    if (merged->len > 2 || node != 0)
      *out = g_string_free (g_steal_pointer (&merged), FALSE);
  }
  return TRUE;
}

static gboolean
read_segments (Line          *l,
               guint          array,
               const char    *path,
               SourceRecord  *s,
               GError       **error)
{
  static const char * const keys[] = { "speaker", "start", "end", "text", NULL };
  const AssayJsonDoc *doc = DOC (l);
  g_autoptr(GString) text = g_string_new (NULL);
  guint child = assay_json_first_child (doc, array);

  s->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_segment_free);
  for (guint i = 0; i < doc->nodes[array].n_children; i++, child = assay_json_next_sibling (doc, child))
    {
      g_autofree char *prefix = g_strdup_printf ("%s[%u]", path, i);
      AssaySegment *seg = g_new0 (AssaySegment, 1);

      seg->start = seg->end = -1;
      g_ptr_array_add (s->segments, seg);
      if (!_assay_reader_expect (&l->r, child, prefix, ASSAY_JSON_OBJECT, error) ||
          !_assay_reader_check_keys (&l->r, child, prefix, keys, error) ||
          !_assay_reader_string (&l->r, child, prefix, "speaker", FALSE, &seg->speaker, error) ||
          !_assay_reader_double (&l->r, child, prefix, "start", FALSE, &seg->start, error) ||
          !_assay_reader_double (&l->r, child, prefix, "end", FALSE, &seg->end, error) ||
          !_assay_reader_string (&l->r, child, prefix, "text", TRUE, &seg->text, error))
        return FALSE;

      if ((assay_json_object_get (doc, child, "start") != 0 && seg->start < 0) ||
          (assay_json_object_get (doc, child, "end") != 0 && seg->end < 0))
        return line_fail (l, child, prefix, error, _("times cannot be negative"));
      if (seg->start >= 0 && seg->end >= 0 && seg->end < seg->start)
        return line_fail (l, child, prefix, error, _("the segment ends before it starts"));

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, seg->text);
    }

  if (s->segments->len == 0)
    return line_fail (l, array, path, error, _("a source needs at least one segment"));

  if (s->text != NULL && !g_str_equal (s->text, text->str))
    return line_fail (l, array, NULL, error,
                      _("“text” differs from the segments’ texts joined by line feeds; "
                        "give one or the other"));
  g_free (s->text);
  s->text = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

static gboolean
read_candidate (Line             *l,
                guint             node,
                const char       *list_path,
                guint             index,
                CandidateRecord  *c,
                GError          **error)
{
  static const char * const keys[] = { "id", "model", "text", "prompt", "metadata", NULL };
  g_autofree char *prefix = g_strdup_printf ("%s[%u]", list_path, index);
  gboolean mapped = g_hash_table_size (l->self->map) > 0;

  /* Many public datasets keep their outputs as a plain list of strings. */
  if (assay_json_type (DOC (l), node) == ASSAY_JSON_STRING && mapped)
    {
      c->text = assay_json_dup_string (DOC (l), node);
      c->model = g_strdup_printf ("%s[%u]", list_path, index);
      return TRUE;
    }

  if (!_assay_reader_expect (&l->r, node, prefix, ASSAY_JSON_OBJECT, error))
    return FALSE;
  if (!mapped && !_assay_reader_check_keys (&l->r, node, prefix, keys, error))
    return FALSE;

  if (!field_string (l, node, prefix, "candidates.id", "id", FALSE, &c->id, error) ||
      !field_string (l, node, prefix, "candidates.model", "model", !mapped, &c->model, error) ||
      !field_string (l, node, prefix, "candidates.text", "text", TRUE, &c->text, error) ||
      !field_string (l, node, prefix, "candidates.prompt", "prompt", FALSE, &c->prompt, error) ||
      !read_metadata (l, node, prefix, "candidates", "candidates.metadata", &c->metadata,
                      error))
    return FALSE;

  if (c->id != NULL && !check_id (l, node, prefix, c->id, error))
    return FALSE;
  if (c->model == NULL)
    c->model = g_strdup_printf ("%s[%u]", list_path, index);
  if (*c->model == '\0')
    return line_fail (l, node, prefix, error, _("the model name is empty"));
  return TRUE;
}

static gboolean
read_candidates (Line          *l,
                 guint          root,
                 SourceRecord  *s,
                 GError       **error)
{
  const AssayJsonDoc *doc = DOC (l);
  const char *path;
  guint array = field_node (l, root, "candidates", "candidates", &path);
  guint child;

  s->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_record_free);
  if (array == 0)
    return TRUE;
  if (!_assay_reader_expect (&l->r, array, path, ASSAY_JSON_ARRAY, error))
    return FALSE;

  child = assay_json_first_child (doc, array);
  for (guint i = 0; i < doc->nodes[array].n_children; i++, child = assay_json_next_sibling (doc, child))
    {
      CandidateRecord *c = g_new0 (CandidateRecord, 1);

      g_ptr_array_add (s->candidates, c);
      if (!read_candidate (l, child, path, i, c, error))
        return FALSE;
    }

  /* Default ids: the model name, or the model name and the position when
   * two candidates of the line share a model. */
  for (guint i = 0; i < s->candidates->len; i++)
    {
      CandidateRecord *c = g_ptr_array_index (s->candidates, i);
      guint same = 0;

      if (c->id != NULL)
        continue;
      for (guint j = 0; j < s->candidates->len; j++)
        same += g_str_equal (c->model, ((CandidateRecord *) g_ptr_array_index (s->candidates, j))->model);
      c->id = same > 1 ? g_strdup_printf ("%s-%u", c->model, i + 1) : g_strdup (c->model);
      if (g_utf8_strlen (c->id, -1) > MAX_ID_CHARS)
        return line_fail (l, array, path, error,
                          _("candidate %u: the model name is too long to serve as its id; "
                            "give an id"), i);
    }

  for (guint i = 0; i < s->candidates->len; i++)
    for (guint j = 0; j < i; j++)
      {
        CandidateRecord *a = g_ptr_array_index (s->candidates, i);
        CandidateRecord *b = g_ptr_array_index (s->candidates, j);

        if (g_str_equal (a->id, b->id))
          {
            g_autofree char *prefix = g_strdup_printf ("%s[%u]", path, i);

            return line_fail (l, array, prefix, error,
                              _("duplicate candidate id “%s” (also %s[%u])"), a->id, path, j);
          }
      }
  return TRUE;
}

static gboolean
read_source (Line          *l,
             guint          root,
             SourceRecord  *s,
             GError       **error)
{
  static const char * const keys[] = {
    "id", "title", "text", "segments", "metadata", "candidates", "judgments", NULL
  };
  const AssayJsonDoc *doc = DOC (l);
  gboolean mapped = g_hash_table_size (l->self->map) > 0;
  const char *path;
  guint node;

  if (!mapped && !_assay_reader_check_keys (&l->r, root, NULL, keys, error))
    return FALSE;

  /* An id given as a number (common in datasets) is taken as its text. */
  node = field_node (l, root, "id", "id", &path);
  if (node != 0 && assay_json_type (doc, node) == ASSAY_JSON_NUMBER && mapped)
    {
      gsize len;
      const char *raw = assay_json_raw (doc, node, &len);

      s->id = g_strndup (raw, len);
    }
  else if (!field_string (l, root, NULL, "id", "id", TRUE, &s->id, error))
    return FALSE;
  if (!check_id (l, node, path, s->id, error))
    return FALSE;

  if (!field_string (l, root, NULL, "title", "title", FALSE, &s->title, error) ||
      !field_string (l, root, NULL, "text", "text", FALSE, &s->text, error))
    return FALSE;

  node = field_node (l, root, "segments", "segments", &path);
  if (node != 0)
    {
      if (!_assay_reader_expect (&l->r, node, path, ASSAY_JSON_ARRAY, error) ||
          !read_segments (l, node, path, s, error))
        return FALSE;
    }

  if (!read_metadata (l, root, NULL, NULL, "metadata", &s->metadata, error) ||
      !read_candidates (l, root, s, error))
    return FALSE;

  if (!mapped &&
      !_assay_reader_container (&l->r, root, NULL, "judgments", ASSAY_JSON_ARRAY, FALSE,
                                &s->judgments, error))
    return FALSE;

  return TRUE;
}

/* ---- writing records ---- */

static gboolean
step (AssayImport   *self,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _assay_sqlite_error (_assay_project_get_db (self->project), error, NULL);
      sqlite3_reset (stmt);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_candidates (AssayImport   *self,
                   gint64         source_id,
                   SourceRecord  *s,
                   Line          *l,
                   guint          node,
                   GError       **error)
{
  gint64 position = 0;
  sqlite3_stmt *stmt;

  stmt = _assay_project_prepare (self->project,
                                 "SELECT coalesce (max (position), -1) + 1 FROM candidates"
                                 " WHERE source_id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    position = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  for (guint i = 0; i < s->candidates->len; i++)
    {
      CandidateRecord *c = g_ptr_array_index (s->candidates, i);
      gint64 candidate_id;

      candidate_id = assay_project_lookup_candidate (self->project, source_id, c->id);
      if (candidate_id != 0 && self->merge)
        {
          sqlite3_stmt *same = _assay_project_prepare (self->project,
                                                       "SELECT text = ?2 AND model = ?3"
                                                       " FROM candidates WHERE id = ?1",
                                                       error);
          gboolean equal = FALSE;

          if (same == NULL)
            return FALSE;
          sqlite3_bind_int64 (same, 1, candidate_id);
          sqlite3_bind_text (same, 2, c->text, -1, SQLITE_STATIC);
          sqlite3_bind_text (same, 3, c->model, -1, SQLITE_STATIC);
          if (sqlite3_step (same) == SQLITE_ROW)
            equal = sqlite3_column_int (same, 0);
          sqlite3_reset (same);
          if (!equal)
            return line_fail (l, node, NULL, error,
                              _("candidate “%s” of source “%s” differs from the project’s"),
                              c->id, s->id);
          continue;
        }
      if (candidate_id != 0)
        return line_fail (l, node, NULL, error,
                          _("source “%s” already has a candidate “%s”"), s->id, c->id);

      stmt = _assay_project_prepare (self->project,
                                     "INSERT INTO candidates (source_id, ext_id, model, text,"
                                     " prompt, metadata, position)"
                                     " VALUES (?, ?, ?, ?, ?, coalesce (?, '{}'), ?)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_text (stmt, 2, c->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, c->model, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, c->text, -1, SQLITE_STATIC);
      _assay_bind_text (stmt, 5, c->prompt);
      _assay_bind_text (stmt, 6, c->metadata);
      sqlite3_bind_int64 (stmt, 7, position++);
      if (!step (self, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);
      candidate_id = sqlite3_last_insert_rowid (_assay_project_get_db (self->project));

      stmt = _assay_project_prepare (self->project,
                                     "INSERT INTO candidates_fts (rowid, text) VALUES (?, ?)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, candidate_id);
      sqlite3_bind_text (stmt, 2, c->text, -1, SQLITE_STATIC);
      if (!step (self, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
insert_source (AssayImport   *self,
               SourceRecord  *s,
               gint64        *source_id,
               GError       **error)
{
  g_autofree char *now = assay_now_iso8601 ();
  sqlite3_stmt *stmt;
  gint64 offset = 0;

  stmt = _assay_project_prepare (self->project,
                                 "INSERT INTO sources (ext_id, title, text, metadata, created_at)"
                                 " VALUES (?, ?, ?, coalesce (?, '{}'), ?)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, s->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, s->title ? s->title : s->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, s->text, -1, SQLITE_STATIC);
  _assay_bind_text (stmt, 4, s->metadata);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  if (!step (self, stmt, error))
    return FALSE;
  sqlite3_reset (stmt);
  *source_id = sqlite3_last_insert_rowid (_assay_project_get_db (self->project));

  stmt = _assay_project_prepare (self->project,
                                 "INSERT INTO sources_fts (rowid, title, text) VALUES (?, ?, ?)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *source_id);
  sqlite3_bind_text (stmt, 2, s->title ? s->title : s->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, s->text, -1, SQLITE_STATIC);
  if (!step (self, stmt, error))
    return FALSE;
  sqlite3_reset (stmt);

  for (guint i = 0; s->segments != NULL && i < s->segments->len; i++)
    {
      AssaySegment *seg = g_ptr_array_index (s->segments, i);
      gint64 n_chars = g_utf8_strlen (seg->text, -1);

      stmt = _assay_project_prepare (self->project,
                                     "INSERT INTO segments (source_id, idx, speaker, start_time,"
                                     " end_time, char_start, char_end, text)"
                                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, *source_id);
      sqlite3_bind_int (stmt, 2, i);
      _assay_bind_text (stmt, 3, seg->speaker);
      if (seg->start >= 0)
        sqlite3_bind_double (stmt, 4, seg->start);
      if (seg->end >= 0)
        sqlite3_bind_double (stmt, 5, seg->end);
      sqlite3_bind_int64 (stmt, 6, offset);
      sqlite3_bind_int64 (stmt, 7, offset + n_chars);
      sqlite3_bind_text (stmt, 8, seg->text, -1, SQLITE_STATIC);
      if (!step (self, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);
      offset += n_chars + 1;
    }

  /* Evidence suggestions are instant once the passages are indexed. */
  return _assay_evidence_index_source (self->project, *source_id, error);
}

/* ---- judgments ---- */

static gboolean
read_stamp (Line        *l,
            guint        object,
            const char  *prefix,
            AssayStamp  *stamp,
            char       **created,
            char       **updated,
            GError     **error)
{
  g_autofree char *c = NULL;
  g_autofree char *u = NULL;

  if (!_assay_reader_string (&l->r, object, prefix, "created", FALSE, &c, error) ||
      !_assay_reader_string (&l->r, object, prefix, "updated", FALSE, &u, error) ||
      !_assay_reader_double (&l->r, object, prefix, "time_spent", FALSE, &stamp->time_spent,
                             error))
    return FALSE;

  if (c != NULL && (*created = assay_normalize_iso8601 (c)) == NULL)
    return line_fail (l, assay_json_object_get (DOC (l), object, "created"), prefix, error,
                      _("“%s” is not an ISO 8601 time such as 2026-11-24T09:15:02Z"), c);
  if (u != NULL && (*updated = assay_normalize_iso8601 (u)) == NULL)
    return line_fail (l, assay_json_object_get (DOC (l), object, "updated"), prefix, error,
                      _("“%s” is not an ISO 8601 time such as 2026-11-24T09:15:02Z"), u);
  if (assay_json_object_get (DOC (l), object, "time_spent") != 0 && stamp->time_spent < 0)
    return line_fail (l, object, prefix, error, _("time_spent cannot be negative"));
  stamp->created_at = *created;
  stamp->updated_at = *updated != NULL ? *updated : *created;
  return TRUE;
}

static gboolean
read_annotator (Line        *l,
                guint        object,
                const char  *prefix,
                gboolean     is_record,
                gint64      *annotator_id,
                GError     **error)
{
  static const char * const keys[] = { "id", "name", "kind", NULL };
  static const char * const record_keys[] = { "type", "id", "name", "kind", NULL };
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kind_str = NULL;
  g_autofree char *path = NULL;
  AssayAnnotatorKind kind;
  guint node = object;
  g_autoptr(GError) local_error = NULL;

  if (!is_record)
    {
      path = _assay_reader_path (prefix, "annotator");
      node = assay_json_object_get (DOC (l), object, "annotator");
      if (node == 0 || assay_json_type (DOC (l), node) == ASSAY_JSON_NULL)
        return line_fail (l, object, NULL, error, _("missing required field “%s”"), path);
      if (assay_json_type (DOC (l), node) == ASSAY_JSON_STRING)
        {
          id = assay_json_dup_string (DOC (l), node);
          if (!check_id (l, node, path, id, error))
            return FALSE;
          *annotator_id = assay_project_lookup_annotator (l->self->project, id);
          if (*annotator_id != 0)
            return TRUE;
          return assay_project_ensure_annotator (l->self->project, id, NULL, -1, annotator_id,
                                                 error);
        }
      if (!_assay_reader_expect (&l->r, node, path, ASSAY_JSON_OBJECT, error))
        return FALSE;
    }

  if (!_assay_reader_check_keys (&l->r, node, path, is_record ? record_keys : keys, error) ||
      !_assay_reader_string (&l->r, node, path, "id", TRUE, &id, error) ||
      !_assay_reader_string (&l->r, node, path, "name", FALSE, &name, error) ||
      !_assay_reader_string (&l->r, node, path, "kind", FALSE, &kind_str, error))
    return FALSE;
  if (!check_id (l, node, path, id, error))
    return FALSE;
  if (kind_str != NULL && !assay_annotator_kind_from_string (kind_str, &kind))
    return line_fail (l, node, path, error,
                      _("unknown annotator kind “%s” (known: person, model, adjudicator)"),
                      kind_str);

  if (!assay_project_ensure_annotator (l->self->project, id, name,
                                       kind_str != NULL ? (int) kind : -1, annotator_id,
                                       &local_error))
    return line_fail (l, node, path, error, "%s", local_error->message);
  return TRUE;
}

/* The annotator's id as a judgment names it (a string or an object). */
static char *
judgment_annotator (const AssayJsonDoc *doc,
                    guint               object)
{
  guint node = assay_json_object_get (doc, object, "annotator");

  if (node != 0 && assay_json_type (doc, node) == ASSAY_JSON_OBJECT)
    node = assay_json_object_get (doc, node, "id");
  if (node == 0 || assay_json_type (doc, node) != ASSAY_JSON_STRING)
    return NULL;
  return assay_json_dup_string (doc, node);
}

/* When the judgment was last changed, as written; a record without a time
 * counts as newest (it cannot be older than anything). */
static char *
judgment_time (const AssayJsonDoc *doc,
               guint               object)
{
  static const char * const keys[] = { "updated", "created" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint node = assay_json_object_get (doc, object, keys[i]);

      if (node != 0 && assay_json_type (doc, node) == ASSAY_JSON_STRING)
        {
          g_autofree char *raw = assay_json_dup_string (doc, node);
          char *normal = assay_normalize_iso8601 (raw);

          if (normal != NULL)
            return normal;
        }
    }
  return g_strdup ("9999");
}

enum { MERGE_REPLACE = 1, MERGE_KEEP = 2 };

static void
note_merge_time (AssayImport *self,
                 const char  *annotator,
                 const char  *source,
                 char        *time)
{
  char *key = g_strconcat (annotator, "\x1f", source, NULL);
  const char *known = g_hash_table_lookup (self->merge_times, key);

  if (known == NULL || strcmp (time, known) > 0)
    g_hash_table_insert (self->merge_times, key, time);
  else
    {
      g_free (key);
      g_free (time);
    }
}

/* First pass of a merge: the latest time of each annotator's judgments on
 * each source in the file, so that a whole set is replaced or kept. Lines
 * that do not parse are left for the real pass to report. */
static void
scan_line_for_merge (AssayImport *self,
                     const char  *text,
                     gsize        len)
{
  const AssayJsonDoc *doc = &self->doc;
  AssayJsonError json_error;
  guint type;

  if (len == 0 || len > G_MAXUINT32 - 1 ||
      !assay_json_parse (&self->doc, text, len, 0, &json_error) ||
      assay_json_type (doc, 0) != ASSAY_JSON_OBJECT)
    return;

  type = assay_json_object_get (doc, 0, "type");
  if (type == 0)
    {
      guint id = assay_json_object_get (doc, 0, "id");
      guint list = assay_json_object_get (doc, 0, "judgments");

      if (id != 0 && assay_json_type (doc, id) == ASSAY_JSON_STRING && list != 0 &&
          assay_json_type (doc, list) == ASSAY_JSON_ARRAY)
        {
          g_autofree char *source = assay_json_dup_string (doc, id);
          guint child = assay_json_first_child (doc, list);

          for (guint i = 0; i < doc->nodes[list].n_children;
               i++, child = assay_json_next_sibling (doc, child))
            {
              g_autofree char *annotator = NULL;

              if (assay_json_type (doc, child) != ASSAY_JSON_OBJECT)
                continue;
              annotator = judgment_annotator (doc, child);
              if (annotator != NULL)
                note_merge_time (self, annotator, source, judgment_time (doc, child));
            }
        }
    }
  else
    {
      guint source_node = assay_json_object_get (doc, 0, "source");
      g_autofree char *annotator = judgment_annotator (doc, 0);

      if (annotator != NULL && source_node != 0 &&
          assay_json_type (doc, source_node) == ASSAY_JSON_STRING)
        {
          g_autofree char *source = assay_json_dup_string (doc, source_node);

          note_merge_time (self, annotator, source, judgment_time (doc, 0));
        }
    }
}

static void
scan_for_merge (AssayImport *self,
                const char  *data,
                gsize        len)
{
  const char *p = data;
  const char *end;

  if (len == 0)
    return;
  end = data + len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;

      scan_line_for_merge (self, p, line_end - p);
      p = nl != NULL ? nl + 1 : end;
    }
}

/* Decides, the first time an annotator's judgments on a source come up in
 * a merge, whether the file's set replaces the project's (it is as new or
 * newer) or the project's is kept (it was changed since). Returns TRUE if
 * the judgment should be imported. */
static gboolean
merge_admit (AssayImport  *self,
             const char   *annotator_ext,
             gint64        annotator_id,
             const char   *source_ext,
             gint64        source_id,
             GError      **error)
{
  g_autofree char *key = g_strconcat (annotator_ext, "\x1f", source_ext, NULL);
  g_autofree char *last = NULL;
  const char *file_time;
  int state;

  state = GPOINTER_TO_INT (g_hash_table_lookup (self->merge_state, key));
  if (state != 0)
    return state == MERGE_REPLACE;

  file_time = g_hash_table_lookup (self->merge_times, key);
  last = assay_project_dup_last_update (self->project, source_id, annotator_id);
  g_ptr_array_add (self->unit_merge_keys, g_strdup (key));
  if (last != NULL && file_time != NULL && strcmp (last, file_time) > 0)
    {
      g_hash_table_insert (self->merge_state, g_steal_pointer (&key),
                           GINT_TO_POINTER (MERGE_KEEP));
      self->n_kept++;
      return FALSE;
    }

  if (!assay_project_clear_judgments (self->project, source_id, annotator_id, error))
    return FALSE;
  g_hash_table_insert (self->merge_state, g_steal_pointer (&key), GINT_TO_POINTER (MERGE_REPLACE));
  self->n_replaced++;
  return TRUE;
}

/* A judgment record: what every kind shares (source, annotator, stamp,
 * the merge decision, the candidate it names) is read here; the kind reads
 * the rest (assay-kind-private.h). */
static gboolean
import_judgment (Line        *l,
                 guint        object,
                 const char  *prefix,
                 gint64       implied_source,
                 const char  *implied_source_ext,
                 GError     **error)
{
  AssayImport *self = l->self;
  const AssayJsonDoc *doc = DOC (l);
  g_autofree char *type = NULL;
  g_autofree char *source_ext = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  AssayKindRecord record = { 0 };
  const AssayKind *kind;

  if (!_assay_reader_expect (&l->r, object, prefix, ASSAY_JSON_OBJECT, error) ||
      !_assay_reader_string (&l->r, object, prefix, "type", TRUE, &type, error))
    return FALSE;

  kind = _assay_kind_lookup (type);
  if (kind == NULL)
    return line_fail (l, object, prefix, error, _("unknown judgment type “%s” (known: %s)"),
                      type, _assay_kinds_type_list ());

  record.project = self->project;
  record.tmpl = self->tmpl;
  record.r = &l->r;
  record.object = object;
  record.prefix = prefix;
  record.source_id = implied_source;
  record.stamp = &stamp;
  record.unresolved = &self->unresolved;
  if (!_assay_kind_check_members (kind, &record, error))
    return FALSE;

  if (!_assay_reader_string (&l->r, object, prefix, "source", implied_source == 0, &source_ext,
                             error))
    return FALSE;
  if (implied_source != 0)
    {
      if (source_ext != NULL && !g_str_equal (source_ext, implied_source_ext))
        return line_fail (l, object, prefix, error,
                          _("the judgment names source “%s” inside source “%s”"),
                          source_ext, implied_source_ext);
      g_free (source_ext);
      source_ext = g_strdup (implied_source_ext);
    }
  else
    {
      record.source_id = assay_project_lookup_source (self->project, source_ext);
      if (record.source_id == 0)
        {
          self->unresolved = TRUE;
          return line_fail (l, assay_json_object_get (doc, object, "source"), prefix, error,
                            _("there is no source “%s” in the project"), source_ext);
        }
    }
  record.source_ext = source_ext;

  if (!read_annotator (l, object, prefix, FALSE, &record.annotator_id, error) ||
      !read_stamp (l, object, prefix, &stamp, &created, &updated, error))
    return FALSE;

  if (self->merge)
    {
      g_autofree char *annotator_ext = judgment_annotator (doc, object);
      GError *merge_error = NULL;

      if (!merge_admit (self, annotator_ext, record.annotator_id, source_ext, record.source_id,
                        &merge_error))
        {
          if (merge_error != NULL)
            return _assay_kind_fail_with (&record, object, prefix, merge_error, error);
          return TRUE;
        }
    }

  if (!_assay_kind_read_record (kind, &record, error))
    return FALSE;
  return _assay_suggest_import_provenance (self->project, &l->r, object, prefix,
                                           record.annotator_id, record.candidate_id,
                                           stamp.created_at, error);
}

/* ---- lines ---- */

static gboolean
same_source_text (AssayImport *self,
                  gint64       source_id,
                  const char  *text)
{
  sqlite3_stmt *stmt = _assay_project_prepare (self->project,
                                               "SELECT text = ?2 FROM sources WHERE id = ?1",
                                               NULL);
  gboolean same = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    same = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return same;
}

static gboolean
import_source_line (Line     *l,
                    guint     root,
                    GError  **error)
{
  AssayImport *self = l->self;
  const AssayJsonDoc *doc = DOC (l);
  g_auto(SourceRecord) s = { NULL };
  const char *first_seen;
  gint64 source_id;
  g_autofree char *where = NULL;

  if (!read_source (l, root, &s, error))
    return FALSE;

  first_seen = g_hash_table_lookup (self->seen_sources, s.id);
  source_id = assay_project_lookup_source (self->project, s.id);

  if (s.text != NULL)
    {
      /* Several experts' copies hold the same sources: in a merge, a
       * repeat is checked against the project instead. */
      if (first_seen != NULL && !self->merge)
        return line_fail (l, root, "id", error, _("duplicate source id “%s” (first at %s)"),
                          s.id, first_seen);
      if (source_id != 0 && self->merge)
        {
          /* Merging another expert's copy: the same source, or a refusal. */
          if (!same_source_text (self, source_id, s.text))
            return line_fail (l, root, "id", error,
                              _("source “%s” has another text than the project’s source of "
                                "that id"), s.id);
        }
      else if (source_id != 0)
        return line_fail (l, root, "id", error,
                          _("the project already has a source “%s”; to add candidates to it, "
                            "leave out “text” and “segments”"), s.id);
      else if (!insert_source (self, &s, &source_id, error))
        return FALSE;
    }
  else if (source_id == 0)
    {
      self->unresolved = TRUE;
      return line_fail (l, root, NULL, error,
                        _("source “%s” is not in the project and the line has no “text” or "
                          "“segments”"), s.id);
    }

  if (!insert_candidates (self, source_id, &s, l, root, error))
    return FALSE;

  if (s.judgments != 0)
    {
      guint child = assay_json_first_child (doc, s.judgments);

      for (guint i = 0; i < doc->nodes[s.judgments].n_children;
           i++, child = assay_json_next_sibling (doc, child))
        {
          g_autofree char *prefix = g_strdup_printf ("judgments[%u]", i);

          if (!import_judgment (l, child, prefix, source_id, s.id, error))
            return FALSE;
        }
    }

  /* Only a line that went in counts: with --skip-invalid, a refused line
   * must not block a later, valid one with the same id. */
  where = g_strdup_printf ("%s:%u", l->r.file, l->r.base_line);
  g_hash_table_insert (self->seen_sources, g_strdup (s.id), g_steal_pointer (&where));
  return TRUE;
}

static gboolean
import_json_line (AssayImport  *self,
                  const char   *file,
                  guint         line_number,
                  const char   *text,
                  gsize         len,
                  GError      **error)
{
  AssayJsonError json_error;
  Line l = { self, { &self->doc, file, line_number } };
  g_autofree char *type = NULL;
  guint type_node;

  if (!assay_json_parse (&self->doc, text, len, ASSAY_JSON_DEFAULT_MAX_DEPTH, &json_error))
    return fail_at (file, line_number, error, _("invalid JSON at column %zu: %s"),
                    json_error.column, json_error.message);

  if (assay_json_type (&self->doc, 0) != ASSAY_JSON_OBJECT)
    return fail_at (file, line_number, error, _("expected a JSON object, found %s"),
                    assay_json_type_name (assay_json_type (&self->doc, 0)));

  type_node = assay_json_object_get (&self->doc, 0, "type");
  if (type_node == 0 || g_hash_table_size (self->map) > 0)
    return import_source_line (&l, 0, error);

  if (!_assay_reader_string (&l.r, 0, NULL, "type", TRUE, &type, error))
    return FALSE;

  if (g_str_equal (type, "annotator"))
    {
      gint64 id;

      return read_annotator (&l, 0, NULL, TRUE, &id, error);
    }

  if (g_str_equal (type, "template"))
    {
      g_autoptr(AssayTemplate) tmpl = NULL;
      GError *local_error = NULL;

      /* Template lines are read in a pass of their own, before the lines
       * whose labels and criteria they define. */
      if (!self->templates_pass)
        return TRUE;

      /* A merge keeps the project's template when it has one; the names the
       * merged judgments use must exist in it, which they are checked for. */
      if (self->merge)
        {
          g_autofree char *kinds = assay_project_dup_setting (self->project, "template.judgments");

          if (kinds != NULL)
            return TRUE;
        }

      tmpl = assay_template_from_json (&self->doc, 0, file, line_number, error);
      if (tmpl == NULL)
        return FALSE;
      if (!assay_project_store_template (self->project, tmpl, &local_error))
        {
          gboolean ret = line_fail (&l, 0, NULL, error, "%s", local_error->message);

          g_error_free (local_error);
          return ret;
        }
      g_clear_pointer (&self->tmpl, assay_template_unref);
      self->tmpl = assay_project_load_template (self->project, error);
      return self->tmpl != NULL;
    }

  return import_judgment (&l, 0, NULL, 0, NULL, error);
}

static void relay_post (struct _Relay *relay,
                        double         fraction,
                        guint          input);

static void
report_progress (AssayImport *self)
{
  double fraction;

  if (self->progress_func == NULL || self->total_bytes == 0)
    return;
  fraction = (double) MIN (self->done_bytes, self->total_bytes) / self->total_bytes;
  if (self->relay != NULL)
    relay_post (self->relay, fraction, self->input_index);
  else
    {
      self->progress_input = self->input_index;
      self->progress_func (fraction, self->progress_data);
    }
}

typedef enum
{
  UNIT_IN,
  UNIT_REFUSED,
  UNIT_PUT_ASIDE,   /* refers to a source or candidate not in yet */
} UnitOutcome;

/* A run of lines of one input put aside, to be read again. */
typedef struct
{
  guint input;
  gsize start;      /* offset of the first line */
  gsize end;        /* offset past the last line's end */
  guint line;       /* number of the first line */
} Span;

/* Undoes the merge decisions of a line that was rolled back, so that the
 * next line of the same set decides again. */
static void
forget_merge_decisions (AssayImport *self)
{
  for (guint i = 0; i < self->unit_merge_keys->len; i++)
    {
      const char *key = g_ptr_array_index (self->unit_merge_keys, i);
      int state = GPOINTER_TO_INT (g_hash_table_lookup (self->merge_state, key));

      if (state == MERGE_REPLACE)
        self->n_replaced--;
      else if (state == MERGE_KEEP)
        self->n_kept--;
      g_hash_table_remove (self->merge_state, key);
    }
  g_ptr_array_set_size (self->unit_merge_keys, 0);
}

/* Imports one JSONL line in a savepoint. Returns FALSE only for errors
 * that end the whole import (the database failing). */
static gboolean
run_line (AssayImport  *self,
          const char   *file,
          guint         line,
          const char   *text,
          gsize         len,
          UnitOutcome  *outcome,
          GError      **fatal)
{
  g_autoptr(GError) error = NULL;

  self->unresolved = FALSE;
  g_ptr_array_set_size (self->unit_merge_keys, 0);
  if (!assay_project_begin (self->project, fatal))
    return FALSE;

  if (import_json_line (self, file, line, text, len, &error))
    {
      *outcome = UNIT_IN;
      self->n_units_in++;
      return assay_project_commit (self->project, fatal);
    }

  assay_project_rollback (self->project);
  forget_merge_decisions (self);
  if (error->domain != ASSAY_ERROR || error->code != ASSAY_ERROR_INVALID_INPUT)
    {
      /* Disk full, I/O errors: nothing later can succeed either. */
      g_set_error (fatal, error->domain, error->code, "%s:%u: %s", file, line, error->message);
      return FALSE;
    }

  if (self->unresolved && self->may_defer)
    {
      *outcome = UNIT_PUT_ASIDE;
      return TRUE;
    }
  add_problem_at (self, line, error->message);
  *outcome = UNIT_REFUSED;
  return TRUE;
}

/* The non-blank lines of a JSONL input between two offsets. */
typedef struct
{
  const char *data;   /* the whole input */
  const char *p;      /* where the next line starts */
  const char *end;
  guint       line;   /* number of the line last returned */
} Lines;

static void
lines_init (Lines      *it,
            const char *data,
            gsize       start,
            gsize       end,
            guint       first_line)
{
  it->data = data != NULL ? data : "";
  it->p = it->data + start;
  it->end = it->data + end;
  it->line = first_line - 1;
  /* A byte order mark opens the input; it is not part of the first line. */
  if (start == 0 && end >= 3 && memcmp (it->p, "\xef\xbb\xbf", 3) == 0)
    it->p += 3;
}

/* The next line that is not blank: its text without the line end, its
 * offset, and the offset of the line after it. */
static gboolean
lines_next (Lines       *it,
            const char **text,
            gsize       *len,
            gsize       *start,
            gsize       *next)
{
  while (it->p < it->end)
    {
      const char *p = it->p;
      const char *nl = memchr (p, '\n', it->end - p);
      const char *line_end = nl != NULL ? nl : it->end;
      const char *q = p;

      it->line++;
      it->p = nl != NULL ? nl + 1 : it->end;
      if (line_end > p && line_end[-1] == '\r')
        line_end--;
      while (q < line_end && (*q == ' ' || *q == '\t'))
        q++;
      if (q == line_end)
        continue;

      *text = p;
      *len = line_end - p;
      *start = p - it->data;
      *next = it->p - it->data;
      return TRUE;
    }
  return FALSE;
}

/* Whether a line is a template record. Only lines that hold the word, or
 * an escape that could spell it, are parsed to find out. */
static gboolean
is_template_line (AssayImport *self,
                  const char  *text,
                  gsize        len)
{
  AssayJsonError json_error;
  g_autofree char *type = NULL;
  guint node;

  if (g_hash_table_size (self->map) > 0 || len > G_MAXUINT32 - 1)
    return FALSE;
  if (g_strstr_len (text, len, "template") == NULL && g_strstr_len (text, len, "\\u") == NULL)
    return FALSE;
  if (!assay_json_parse (&self->doc, text, len, ASSAY_JSON_DEFAULT_MAX_DEPTH, &json_error) ||
      assay_json_type (&self->doc, 0) != ASSAY_JSON_OBJECT)
    return FALSE;
  node = assay_json_object_get (&self->doc, 0, "type");
  if (node == 0 || assay_json_type (&self->doc, node) != ASSAY_JSON_STRING)
    return FALSE;
  type = assay_json_dup_string (&self->doc, node);
  return g_str_equal (type, "template");
}

/* The first pass over a JSONL input: imports its template lines, and
 * tells whether it has any line at all. */
static gboolean
import_templates (AssayImport   *self,
                  guint          index,
                  gboolean      *empty,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Input *input = g_ptr_array_index (self->inputs, index);
  gsize size, len, start, next;
  const char *data = g_bytes_get_data (input->bytes, &size);
  const char *text;
  guint n = 0;
  Lines it;

  self->input_index = index;
  lines_init (&it, data, 0, size, 1);
  while (lines_next (&it, &text, &len, &start, &next))
    {
      UnitOutcome outcome;

      if (is_template_line (self, text, len) &&
          !run_line (self, input->display_name, it.line, text, len, &outcome, error))
        return FALSE;
      if ((++n & 255) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  *empty = n == 0;
  return TRUE;
}

static void
put_aside (GArray *aside,
           guint   input,
           gsize   gap_start,
           gsize   start,
           gsize   next,
           guint   line)
{
  Span span = { input, start, next, line };

  /* Only blank lines since the last line put aside: one run. */
  if (aside->len > 0)
    {
      Span *last = &g_array_index (aside, Span, aside->len - 1);

      if (last->input == input && last->end == gap_start)
        {
          last->end = next;
          return;
        }
    }
  g_array_append_val (aside, span);
}

/* Imports the lines of JSONL input `index` from offset `start` (the start
 * of line `first_line`) to `end`. Lines that refer to what is not in the
 * project yet are added to `aside`. `again` is set when these lines were
 * put aside before (their blank lines are already counted as read). */
static gboolean
import_jsonl (AssayImport   *self,
              guint          index,
              gsize          start,
              gsize          end,
              guint          first_line,
              gboolean       again,
              GArray        *aside,
              GCancellable  *cancellable,
              GError       **error)
{
  Input *input = g_ptr_array_index (self->inputs, index);
  const char *data = g_bytes_get_data (input->bytes, NULL);
  gsize len, line_start, next, counted = start;
  const char *text;
  guint n = 0;
  Lines it;

  self->input_index = index;
  lines_init (&it, data, start, end, first_line);
  while (lines_next (&it, &text, &len, &line_start, &next))
    {
      UnitOutcome outcome;
      gsize gap_start = counted;

      if (len > G_MAXUINT32 - 1)
        return fail_at (input->display_name, it.line, error, _("the line is too long"));
      if (!run_line (self, input->display_name, it.line, text, len, &outcome, error))
        return FALSE;

      if (!again)
        self->done_bytes += line_start - gap_start;
      counted = next;
      if (outcome == UNIT_PUT_ASIDE)
        put_aside (aside, index, gap_start, line_start, next, it.line);
      else
        self->done_bytes += next - line_start;

      if ((++n & 255) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          report_progress (self);
        }
    }
  if (!again)
    self->done_bytes += end - counted;
  return TRUE;
}

/* ---- inputs written while they are read ---- */

/* Called with each line of a produced input, without its line end. */
typedef gboolean (*LineFunc) (AssayImport  *self,
                              guint         line,
                              const char   *text,
                              gsize         len,
                              GError      **error);

/* An output stream that hands each complete line to the import as it is
 * written: what is held is at most the part of a line not yet ended. */
#define ASSAY_TYPE_LINE_STREAM (assay_line_stream_get_type ())
G_DECLARE_FINAL_TYPE (AssayLineStream, assay_line_stream, ASSAY, LINE_STREAM, GOutputStream)

struct _AssayLineStream
{
  GOutputStream  parent_instance;

  AssayImport   *import;
  LineFunc       func;
  GString       *partial;
  guint          line;
  GError        *line_error;   /* the import's own error, not the writer's */
};

G_DEFINE_FINAL_TYPE (AssayLineStream, assay_line_stream, G_TYPE_OUTPUT_STREAM)

static gboolean
line_stream_emit (AssayLineStream  *self,
                  const char       *text,
                  gsize             len,
                  GError          **error)
{
  self->line++;
  if (len > 0 && text[len - 1] == '\r')
    len--;
  if (self->func (self->import, self->line, text, len, &self->line_error))
    return TRUE;
  g_propagate_error (error, g_error_copy (self->line_error));
  return FALSE;
}

static gssize
assay_line_stream_write (GOutputStream  *stream,
                         const void     *buffer,
                         gsize           count,
                         GCancellable   *cancellable,
                         GError        **error)
{
  AssayLineStream *self = ASSAY_LINE_STREAM (stream);
  const char *p = buffer;
  const char *end;
  const char *nl;

  if (count == 0)
    return 0;
  end = p + count;
  while ((nl = memchr (p, '\n', end - p)) != NULL)
    {
      gboolean ok;

      if (self->partial->len > 0)
        {
          g_string_append_len (self->partial, p, nl - p);
          ok = line_stream_emit (self, self->partial->str, self->partial->len, error);
          g_string_truncate (self->partial, 0);
        }
      else
        ok = line_stream_emit (self, p, nl - p, error);
      if (!ok)
        return -1;
      p = nl + 1;
    }
  g_string_append_len (self->partial, p, end - p);
  return count;
}

static gboolean
assay_line_stream_close (GOutputStream  *stream,
                         GCancellable   *cancellable,
                         GError        **error)
{
  AssayLineStream *self = ASSAY_LINE_STREAM (stream);
  gboolean ok = TRUE;

  /* The last line, if it has no line feed. */
  if (self->partial->len > 0)
    ok = line_stream_emit (self, self->partial->str, self->partial->len, error);
  g_string_truncate (self->partial, 0);
  return ok;
}

static void
assay_line_stream_finalize (GObject *object)
{
  AssayLineStream *self = ASSAY_LINE_STREAM (object);

  g_string_free (self->partial, TRUE);
  g_clear_error (&self->line_error);
  G_OBJECT_CLASS (assay_line_stream_parent_class)->finalize (object);
}

static void
assay_line_stream_class_init (AssayLineStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = assay_line_stream_finalize;
  stream_class->write_fn = assay_line_stream_write;
  stream_class->close_fn = assay_line_stream_close;
}

static void
assay_line_stream_init (AssayLineStream *self)
{
  self->partial = g_string_new (NULL);
}

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (text[i] != ' ' && text[i] != '\t')
      return FALSE;
  return TRUE;
}

/* The first pass over a produced input: its merge times, its template
 * lines, and whether it has any line. */
static gboolean
scan_produced_line (AssayImport  *self,
                    guint         line,
                    const char   *text,
                    gsize         len,
                    GError      **error)
{
  Input *input = g_ptr_array_index (self->inputs, self->input_index);
  UnitOutcome outcome;

  if (is_blank (text, len))
    return TRUE;
  self->n_produced++;
  if (self->merge)
    scan_line_for_merge (self, text, len);
  if (is_template_line (self, text, len))
    return run_line (self, input->display_name, line, text, len, &outcome, error);
  return TRUE;
}

static gboolean
import_produced_line (AssayImport  *self,
                      guint         line,
                      const char   *text,
                      gsize         len,
                      GError      **error)
{
  Input *input = g_ptr_array_index (self->inputs, self->input_index);
  UnitOutcome outcome;

  if (is_blank (text, len))
    return TRUE;
  if (len > G_MAXUINT32 - 1)
    return fail_at (input->display_name, line, error, _("the line is too long"));
  return run_line (self, input->display_name, line, text, len, &outcome, error);
}

/* Has input `index` written, handing each line to `func`. Returns FALSE
 * for errors that end the import; a producer that fails otherwise is a
 * problem of that input. */
static gboolean
read_produced (AssayImport   *self,
               guint          index,
               LineFunc       func,
               GCancellable  *cancellable,
               GError       **error)
{
  Input *input = g_ptr_array_index (self->inputs, index);
  g_autoptr(AssayLineStream) out = g_object_new (ASSAY_TYPE_LINE_STREAM, NULL);
  g_autoptr(GError) local_error = NULL;
  gboolean may_defer = self->may_defer;
  gboolean ok;

  out->import = self;
  out->func = func;
  self->input_index = index;
  /* Its lines cannot be read again: nothing is put aside. */
  self->may_defer = FALSE;
  ok = input->produce (G_OUTPUT_STREAM (out), cancellable, input->produce_data, &local_error) &&
       g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &local_error);
  self->may_defer = may_defer;
  if (ok)
    return TRUE;

  g_string_truncate (out->partial, 0);
  if (out->line_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&out->line_error));
      return FALSE;
    }
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->input_index = index;
  add_problem_printf (self, "%s: %s", input->display_name, local_error->message);
  input->failed = TRUE;
  return TRUE;
}

static gboolean
import_transcript (AssayImport  *self,
                   Input        *input,
                   const char   *data,
                   gsize         len,
                   GError      **error)
{
  g_auto(SourceRecord) s = { NULL };
  g_autofree char *base = NULL;
  AssayTranscriptFormat format;
  gint64 source_id;
  const char *dot;

  switch (input->format)
    {
    case ASSAY_FORMAT_SRT: format = ASSAY_TRANSCRIPT_SRT; break;
    case ASSAY_FORMAT_VTT: format = ASSAY_TRANSCRIPT_VTT; break;
    case ASSAY_FORMAT_TXT: format = ASSAY_TRANSCRIPT_TXT; break;
    case ASSAY_FORMAT_AUTO:
    case ASSAY_FORMAT_JSONL:
    default:
      g_assert_not_reached ();
    }

  if (!assay_transcript_parse (format, input->display_name, data, len, &s.segments, &s.text,
                               error))
    return FALSE;

  /* The source is named after the file, as the user sees it. */
  base = input->path != NULL && !g_str_equal (input->path, "-")
           ? g_path_get_basename (input->path) : g_strdup (input->display_name);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    base[dot - base] = '\0';
  s.id = g_filename_display_name (base);
  s.title = g_strdup (s.id);
  if (g_utf8_strlen (s.id, -1) > MAX_ID_CHARS)
    return fail_at (input->display_name, 0, error, _("the file name is too long to be an id"));

  if (s.segments != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < s.segments->len; i++)
        {
          AssaySegment *seg = g_ptr_array_index (s.segments, i);

          if (i > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, seg->text);
        }
      s.text = g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (g_hash_table_contains (self->seen_sources, s.id) ||
      assay_project_lookup_source (self->project, s.id) != 0)
    return fail_at (input->display_name, 0, error,
                    _("the project already has a source “%s” (sources from transcript files are "
                      "named after the file)"), s.id);

  if (!insert_source (self, &s, &source_id, error))
    return FALSE;
  g_hash_table_insert (self->seen_sources, g_strdup (s.id), g_strdup (input->display_name));
  return TRUE;
}

static gboolean
read_input (Input   *input,
            GError **error)
{
  if (input->bytes != NULL || input->produce != NULL)
    return TRUE;

  if (g_str_equal (input->path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return FALSE;
      input->bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      return TRUE;
    }
  else
    {
      g_autoptr(GMappedFile) mapped = NULL;
      GError *local_error = NULL;

      if (g_file_test (input->path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("%s: is a folder, not a file"), input->display_name);
          return FALSE;
        }
      /* Reading an open project's file outside SQLite, and closing it,
       * would drop the locks SQLite holds on it in this process. */
      if (_assay_lock_is_open_file (input->path))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("%s: this is a file of an open Assay project, not something to import "
                         "(to bring in another expert’s project, merge it)"),
                       input->display_name);
          return FALSE;
        }
      mapped = g_mapped_file_new (input->path, FALSE, &local_error);
      if (mapped == NULL)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s: %s",
                       input->display_name, local_error->message);
          g_error_free (local_error);
          return FALSE;
        }
      input->bytes = g_mapped_file_get_bytes (mapped);
      return TRUE;
    }
}

gboolean
assay_import_run (AssayImport   *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GArray) aside = NULL;
  GError *fatal = NULL;
  gint64 last_candidate;

  g_return_val_if_fail (ASSAY_IS_IMPORT (self), FALSE);

  g_ptr_array_set_size (self->problems, 0);
  g_array_set_size (self->problem_keys, 0);
  self->n_refused = 0;
  self->total_bytes = self->done_bytes = 0;
  self->n_units_in = 0;
  g_clear_pointer (&self->seen_sources, g_hash_table_unref);
  self->seen_sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Read everything first: a missing file is reported before any work. */
  for (guint i = 0; i < self->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (self->inputs, i);
      GError *local_error = NULL;

      self->input_index = i;
      if (input->format == ASSAY_FORMAT_AUTO && input->path != NULL)
        input->format = assay_import_format_for_path (input->path);
      if (input->format == ASSAY_FORMAT_AUTO)
        {
          add_problem_printf (self, _("%s: cannot tell the format from the file name; "
                                      "give --format jsonl, srt, vtt or txt"),
                              input->display_name);
          continue;
        }
      if (!read_input (input, &local_error))
        {
          add_problem (self, local_error->message);
          g_error_free (local_error);
          continue;
        }
      if (input->bytes != NULL)
        self->total_bytes += g_bytes_get_size (input->bytes);
    }

  if (self->n_refused > 0 && !self->skip_invalid)
    goto refused_early;

  g_clear_pointer (&self->merge_times, g_hash_table_unref);
  g_clear_pointer (&self->merge_state, g_hash_table_unref);
  self->merge_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->merge_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->n_replaced = self->n_kept = 0;
  if (self->merge)
    for (guint i = 0; i < self->inputs->len; i++)
      {
        Input *input = g_ptr_array_index (self->inputs, i);

        if (input->bytes != NULL && input->format == ASSAY_FORMAT_JSONL)
          scan_for_merge (self, g_bytes_get_data (input->bytes, NULL),
                          g_bytes_get_size (input->bytes));
      }

  memset (&self->precheck_summary, 0, sizeof self->precheck_summary);
  if (!assay_project_get_counts (self->project, &self->before, error))
    return FALSE;
  /* Candidates are only ever added, with row ids above those already in. */
  last_candidate = _assay_project_query_int (self->project,
                                             "SELECT coalesce (max (id), 0) FROM candidates", -1,
                                             error);
  if (last_candidate < 0 || !assay_project_begin (self->project, error))
    return FALSE;

  g_clear_pointer (&self->tmpl, assay_template_unref);
  self->tmpl = assay_project_load_template (self->project, &fatal);
  if (self->tmpl == NULL)
    goto fatal;

  /* Template lines first, wherever they are: the judgments are checked
   * against the labels and criteria they define. */
  self->templates_pass = TRUE;
  self->may_defer = FALSE;
  for (guint i = 0; i < self->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (self->inputs, i);
      gboolean empty = FALSE;

      if (input->produce != NULL)
        {
          /* Also its merge times, which a file gets from scan_for_merge. */
          input->failed = FALSE;
          self->n_produced = 0;
          if (!read_produced (self, i, scan_produced_line, cancellable, &fatal))
            goto fatal;
          empty = !input->failed && self->n_produced == 0;
        }
      else if (input->bytes == NULL || input->format != ASSAY_FORMAT_JSONL)
        continue;
      else if (!import_templates (self, i, &empty, cancellable, &fatal))
        goto fatal;
      if (empty)
        add_problem_printf (self, _("%s: the file is empty"), input->display_name);
    }
  self->templates_pass = FALSE;

  /* Then the rest, in the order given. Files may come in any order, so a
   * line that refers to a source or a candidate that is not in yet is put
   * aside and read again once the other lines are in, for as long as that
   * brings more in; what is still left refers to something no input has. */
  self->may_defer = TRUE;
  aside = g_array_new (FALSE, FALSE, sizeof (Span));
  for (guint i = 0; i < self->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (self->inputs, i);
      gsize len;
      const char *data;

      if (input->produce != NULL)
        {
          if (!input->failed &&
              !read_produced (self, i, import_produced_line, cancellable, &fatal))
            goto fatal;
          if (g_cancellable_set_error_if_cancelled (cancellable, &fatal))
            goto fatal;
          continue;
        }
      if (input->bytes == NULL)
        continue;
      data = g_bytes_get_data (input->bytes, &len);

      if (input->format == ASSAY_FORMAT_JSONL)
        {
          if (!import_jsonl (self, i, 0, len, 1, FALSE, aside, cancellable, &fatal))
            goto fatal;
        }
      else
        {
          GError *local_error = NULL;

          self->input_index = i;
          if (!assay_project_begin (self->project, &fatal))
            goto fatal;
          if (import_transcript (self, input, data, len, &local_error))
            {
              if (!assay_project_commit (self->project, &fatal))
                goto fatal;
              self->n_units_in++;
            }
          else
            {
              assay_project_rollback (self->project);
              if (local_error->domain != ASSAY_ERROR ||
                  local_error->code != ASSAY_ERROR_INVALID_INPUT)
                {
                  fatal = local_error;
                  goto fatal;
                }
              add_problem (self, local_error->message);
              g_error_free (local_error);
            }
          self->done_bytes += len;
        }

      report_progress (self);
      if (g_cancellable_set_error_if_cancelled (cancellable, &fatal))
        goto fatal;
    }

  while (aside->len > 0)
    {
      g_autoptr(GArray) still = g_array_new (FALSE, FALSE, sizeof (Span));
      guint n_in = self->n_units_in;

      for (guint k = 0; k < aside->len; k++)
        {
          Span *span = &g_array_index (aside, Span, k);

          if (!import_jsonl (self, span->input, span->start, span->end, span->line, TRUE, still,
                             cancellable, &fatal))
            goto fatal;
        }
      if (self->n_units_in == n_in)
        {
          self->may_defer = FALSE;
          for (guint k = 0; k < still->len; k++)
            {
              Span *span = &g_array_index (still, Span, k);

              if (!import_jsonl (self, span->input, span->start, span->end, span->line, TRUE,
                                 NULL, cancellable, &fatal))
                goto fatal;
            }
          g_array_set_size (still, 0);
        }
      g_array_unref (aside);
      aside = g_steal_pointer (&still);

      report_progress (self);
      if (g_cancellable_set_error_if_cancelled (cancellable, &fatal))
        goto fatal;
    }

  if (self->n_refused > 0 && !self->skip_invalid)
    {
      assay_project_rollback (self->project);
      goto refused_early;
    }

  if (!assay_project_get_counts (self->project, &self->after, &fatal))
    goto fatal;
  /* The pre-check of the new candidates, in the same transaction, after
   * the counts: its findings are not what the file brought. */
  if (self->precheck && self->after.candidates > self->before.candidates &&
      !assay_project_precheck (self->project, last_candidate, &self->precheck_summary,
                               cancellable, &fatal))
    goto fatal;
  if (!assay_project_commit (self->project, error))
    return FALSE;
  return TRUE;

fatal:
  assay_project_rollback (self->project);
  memset (&self->after, 0, sizeof self->after);
  memset (&self->before, 0, sizeof self->before);
  g_propagate_error (error, fatal);
  return FALSE;

refused_early:
  memset (&self->after, 0, sizeof self->after);
  memset (&self->before, 0, sizeof self->before);
  {
    g_autoptr(GString) message = g_string_new (NULL);

    for (guint i = 0; i < self->problems->len; i++)
      {
        if (i > 0)
          g_string_append_c (message, '\n');
        g_string_append (message, g_ptr_array_index (self->problems, i));
      }
    if (self->n_refused > self->problems->len)
      {
        g_string_append_c (message, '\n');
        g_string_append_printf (message,
                                g_dngettext (GETTEXT_PACKAGE, "… and %u more problem",
                                             "… and %u more problems",
                                             self->n_refused - self->problems->len),
                                self->n_refused - self->problems->len);
      }
    g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, message->str);
  }
  return FALSE;
}

gint64
assay_import_get_n_sources (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->after.sources - self->before.sources;
}

gint64
assay_import_get_n_candidates (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->after.candidates - self->before.candidates;
}

gint64
assay_import_get_n_judgments (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->after.judgments - self->before.judgments;
}

gint64
assay_import_get_n_annotators (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->after.annotators - self->before.annotators;
}

GPtrArray *
assay_import_get_problems (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), NULL);
  return self->problems;
}

guint
assay_import_get_n_refused (AssayImport *self)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), 0);
  return self->n_refused;
}

/* ---- in a worker thread ---- */

/* Carries progress from the worker to the caller's main context: the
 * worker leaves the latest figures here, and one idle at a time takes them
 * over. Once the import has ended, nothing more is delivered. */
typedef struct _Relay
{
  GMutex        lock;
  GMainContext *context;
  AssayImport  *import;      /* alive while the import runs: the task holds it */
  double        fraction;
  guint         input;
  gboolean      pending;
  gboolean      ended;
} Relay;

static void
relay_clear (Relay *relay)
{
  g_mutex_clear (&relay->lock);
  g_main_context_unref (relay->context);
}

static Relay *
relay_ref (Relay *relay)
{
  return g_atomic_rc_box_acquire (relay);
}

static void
relay_unref (Relay *relay)
{
  g_atomic_rc_box_release_full (relay, (GDestroyNotify) relay_clear);
}

static gboolean
relay_deliver (gpointer data)
{
  Relay *relay = data;
  AssayImport *self = relay->import;
  gboolean ended;
  double fraction;
  guint input;

  g_mutex_lock (&relay->lock);
  relay->pending = FALSE;
  ended = relay->ended;
  fraction = relay->fraction;
  input = relay->input;
  g_mutex_unlock (&relay->lock);

  /* Not ended: the task, which holds the import, has not returned, and
   * cannot until this returns. The worker touches neither field. */
  if (!ended && self->progress_func != NULL)
    {
      self->progress_input = input;
      self->progress_func (fraction, self->progress_data);
    }
  return G_SOURCE_REMOVE;
}

/* Worker thread. */
static void
relay_post (Relay  *relay,
            double  fraction,
            guint   input)
{
  gboolean schedule;

  g_mutex_lock (&relay->lock);
  relay->fraction = CLAMP (fraction, 0, 1);
  relay->input = input;
  schedule = !relay->pending && !relay->ended;
  relay->pending = TRUE;
  g_mutex_unlock (&relay->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, relay_deliver, relay_ref (relay),
                             (GDestroyNotify) relay_unref);
      g_source_set_static_name (source, "[assay] import progress");
      g_source_attach (source, relay->context);
    }
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AssayImport *self = ASSAY_IMPORT (source_object);
  Relay *relay = task_data;
  AssayProject *caller = self->project;
  AssayProject *worker;
  GError *error = NULL;
  gboolean ok = FALSE;

  /* A writer of this process shares the lock the app holds; a command
   * line's writer meets an app elsewhere and is refused. */
  worker = assay_project_open_full (assay_project_get_path (caller), ASSAY_PROJECT_OPEN_DEFAULT,
                                    &error);
  if (worker != NULL)
    {
      self->project = worker;
      ok = assay_import_run (self, cancellable, &error);
      self->project = caller;
      /* Closed before the caller hears of it: by then the import has let
       * go of the file. */
      g_object_unref (worker);
    }

  g_mutex_lock (&relay->lock);
  relay->ended = TRUE;
  g_mutex_unlock (&relay->lock);
  self->relay = NULL;

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * assay_import_run_async:
 * @cancellable: (nullable): stops the import, which then changes nothing
 *
 * Runs the import in a worker thread on a connection of its own; see
 * assay_import_run().
 */
void
assay_import_run_async (AssayImport         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Relay *relay;

  g_return_if_fail (ASSAY_IS_IMPORT (self));
  g_return_if_fail (self->relay == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_import_run_async);
  /* Cancelled as it commits, the import is in: say what really happened. */
  g_task_set_check_cancellable (task, FALSE);

  if (assay_project_get_read_only (self->project))
    {
      const char *reason = assay_project_get_read_only_reason (self->project);

      if (reason != NULL)
        g_task_return_new_error (task, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY, "%s", reason);
      else
        g_task_return_new_error (task, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY,
                                 _("“%s” is open read-only: nothing can be imported into it"),
                                 assay_project_get_path (self->project));
      return;
    }

  relay = g_atomic_rc_box_new0 (Relay);
  g_mutex_init (&relay->lock);
  relay->context = g_main_context_ref_thread_default ();
  relay->import = self;
  self->relay = relay;
  g_task_set_task_data (task, relay, (GDestroyNotify) relay_unref);
  g_task_run_in_thread (task, run_thread);
}

gboolean
assay_import_run_finish (AssayImport   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
