/* test-roundtrip.c: a project out as native JSONL and back in, losing nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The native export is how a team moves work between projects and how a
 * project is backed up, so importing it into a new project and exporting
 * again must give the same bytes, and what came from the original file must
 * come back out as it went in.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-core.h"

typedef struct
{
  char *dir;
} Fixture;

/* ---- helpers ---- */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-roundtrip-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_free (f->dir);
}

static AssayProject *
new_project (Fixture    *f,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  AssayProject *project = assay_project_create (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
store_template_file (AssayProject *project,
                     const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = assay_template_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (project, tmpl, &error));
  g_assert_no_error (error);
}

static void
import_path (AssayProject *project,
             const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);

  assay_import_add_file (import, path, ASSAY_FORMAT_AUTO);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 0);
}

static void
import_string (AssayProject *project,
               const char   *name,
               const char   *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  assay_import_add_bytes (import, name, bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static char *
export_native (AssayProject *project)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_assert_true (assay_export_to_stream (project, "native", NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  data = g_bytes_get_data (bytes, &len);
  g_assert_null (memchr (data, '\0', len));
  return g_strndup (data, len);
}

/* Exports to a file through assay_export_to_path and reads it back. */
static char *
export_native_file (AssayProject *project,
                    const char   *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (assay_export_to_path (project, "native", NULL, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static void
get_counts (AssayProject       *project,
            AssayProjectCounts *counts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_get_counts (project, counts, &error));
  g_assert_no_error (error);
}

static void
assert_counts_equal (const AssayProjectCounts *a,
                     const AssayProjectCounts *b)
{
  g_assert_cmpint (a->sources, ==, b->sources);
  g_assert_cmpint (a->candidates, ==, b->candidates);
  g_assert_cmpint (a->annotators, ==, b->annotators);
  g_assert_cmpint (a->judgments, ==, b->judgments);
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    g_assert_cmpint (a->status[i], ==, b->status[i]);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in a folder, sorted and joined: to see that nothing was left. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static gboolean
strv_contains (const char * const *strv,
               const char         *str)
{
  return strv != NULL && g_strv_contains (strv, str);
}

static json_t *
parse_json (const char *text,
            gsize       len)
{
  json_error_t json_error;
  json_t *json = json_loadb (text, len, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES,
                             &json_error);

  if (json == NULL)
    g_error ("not JSON (%s): %.*s", json_error.text, (int) MIN (len, 200), text);
  return json;
}

/* Parses JSONL text into its records, one per non-blank line. */
static GPtrArray *
parse_jsonl (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);
  const char *p = text;

  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  while (*p != '\0')
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p) : strlen (p);

      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > 0)
        g_ptr_array_add (records, parse_json (p, len));
      p = nl != NULL ? nl + 1 : p + len;
    }
  return records;
}

static json_t *
find_record (GPtrArray  *records,
             const char *type,
             const char *id)
{
  for (guint i = 0; i < records->len; i++)
    {
      json_t *r = g_ptr_array_index (records, i);
      const char *r_type = json_string_value (json_object_get (r, "type"));

      if (g_strcmp0 (r_type, type) == 0 &&
          g_strcmp0 (json_string_value (json_object_get (r, "id")), id) == 0)
        return r;
    }
  return NULL;
}

static char *
canonical (json_t *json)
{
  return json_dumps (json, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Every member of `original` is in `exported` with an equal value, except
 * those in `skip` (compared by the caller); members only the export has
 * must be in `may_add`. */
static void
assert_record_kept (const char         *what,
                    json_t             *original,
                    json_t             *exported,
                    const char * const *skip,
                    const char * const *may_add)
{
  const char *key;
  json_t *value;

  g_assert_nonnull (exported);
  json_object_foreach (original, key, value)
    {
      json_t *other = json_object_get (exported, key);

      if (strv_contains (skip, key))
        continue;
      if (other == NULL)
        g_error ("%s: the export lost “%s”", what, key);
      if (!json_equal (value, other))
        {
          g_autofree char *a = canonical (value);
          g_autofree char *b = canonical (other);

          g_error ("%s: “%s” was %.300s and is %.300s", what, key, a, b);
        }
    }
  json_object_foreach (exported, key, value)
    {
      if (json_object_get (original, key) == NULL && !strv_contains (may_add, key))
        g_error ("%s: the export added “%s”", what, key);
    }
}

/* TRUE if `whole` has every member of `part`, recursively, with equal
 * values; arrays must have the same length. */
static gboolean
json_contains (json_t *whole,
               json_t *part)
{
  if (json_is_object (part))
    {
      const char *key;
      json_t *value;

      if (!json_is_object (whole))
        return FALSE;
      json_object_foreach (part, key, value)
        if (!json_contains (json_object_get (whole, key), value))
          return FALSE;
      return TRUE;
    }
  if (json_is_array (part))
    {
      size_t i;
      json_t *value;

      if (!json_is_array (whole) || json_array_size (whole) != json_array_size (part))
        return FALSE;
      json_array_foreach (part, i, value)
        if (!json_contains (json_array_get (whole, i), value))
          return FALSE;
      return TRUE;
    }
  return whole != NULL && json_equal (whole, part);
}

/* The exact text of member `key` of the object on `line`, as written. */
static char *
raw_member (const char *line,
            gsize       len,
            const char *path_a,
            guint       index,
            const char *key)
{
  AssayJsonDoc doc;
  AssayJsonError json_error;
  guint node;
  gsize raw_len;
  const char *raw;
  char *result = NULL;

  assay_json_doc_init (&doc);
  g_assert_true (assay_json_parse (&doc, line, len, ASSAY_JSON_DEFAULT_MAX_DEPTH, &json_error));
  node = 0;
  if (path_a != NULL)
    {
      node = assay_json_object_get (&doc, 0, path_a);
      g_assert_cmpuint (node, !=, 0);
      g_assert_cmpuint (index, <, doc.nodes[node].n_children);
      node = assay_json_first_child (&doc, node);
      for (guint i = 0; i < index; i++)
        node = assay_json_next_sibling (&doc, node);
    }
  node = assay_json_object_get (&doc, node, key);
  if (node != 0)
    {
      raw = assay_json_raw (&doc, node, &raw_len);
      result = g_strndup (raw, raw_len);
    }
  assay_json_doc_clear (&doc);
  return result;
}

/* The line of `text` that holds source `id`, as a pointer and length. */
static const char *
find_source_line (const char *text,
                  const char *id,
                  gsize      *len)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *nl = strchr (p, '\n');
      gsize n = nl != NULL ? (gsize) (nl - p) : strlen (p);

      if (n > 0 && p[n - 1] == '\r')
        n--;
      if (n > 0)
        {
          g_autoptr(json_t) json = parse_json (p, n);

          if (json_object_get (json, "type") == NULL &&
              g_strcmp0 (json_string_value (json_object_get (json, "id")), id) == 0)
            {
              *len = n;
              return p;
            }
        }
      p = nl != NULL ? nl + 1 : p + n;
    }
  return NULL;
}

static char *
demo_file (const char *name)
{
  const char *srcdir = g_getenv ("ASSAY_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "data", "demo", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo", name, NULL);
}

static AssayProject *
import_demo (Fixture    *f,
             const char *name)
{
  g_autofree char *template_path = demo_file ("template.json");
  g_autofree char *jsonl_path = demo_file ("demo.jsonl");
  AssayProject *project = new_project (f, name);

  store_template_file (project, template_path);
  import_path (project, jsonl_path);
  return project;
}

/* The choices of a multi-choice label set are a set: the export lists them
 * in the template's order. An empty list comes back as no list at all:
 * choices are stored one row each, so an explicit "none of these" leaves
 * no row and the export leaves the set out. */
static void
normalize_labels (json_t *record)
{
  json_t *labels = json_object_get (record, "labels");
  const char *key;
  json_t *value;
  void *tmp;

  if (labels == NULL)
    return;
  json_object_foreach_safe (labels, tmp, key, value)
    {
      g_autoptr(GPtrArray) names = NULL;
      json_t *sorted;
      size_t i;
      json_t *item;

      if (!json_is_array (value))
        continue;
      if (json_array_size (value) == 0)
        {
          json_object_del (labels, key);
          continue;
        }
      names = g_ptr_array_new ();
      json_array_foreach (value, i, item)
        g_ptr_array_add (names, (gpointer) json_string_value (item));
      g_ptr_array_sort (names, compare_strings);
      sorted = json_array ();
      for (guint k = 0; k < names->len; k++)
        json_array_append_new (sorted, json_string (g_ptr_array_index (names, k)));
      json_object_set_new (labels, key, sorted);
    }
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  json_t *x = *(json_t * const *) a;
  json_t *y = *(json_t * const *) b;
  double xs = json_number_value (json_object_get (x, "start"));
  double ys = json_number_value (json_object_get (y, "start"));
  double xe = json_number_value (json_object_get (x, "end"));
  double ye = json_number_value (json_object_get (y, "end"));

  if (xs != ys)
    return xs < ys ? -1 : 1;
  if (xe != ye)
    return xe < ye ? -1 : 1;
  return 0;
}

/* A span's evidence is a set of ranges: the export lists them in order. */
static void
normalize_evidence (json_t *record)
{
  json_t *evidence = json_object_get (record, "evidence");
  g_autoptr(GPtrArray) ranges = NULL;
  json_t *sorted;
  size_t i;
  json_t *range;

  if (evidence == NULL)
    return;
  ranges = g_ptr_array_new ();
  json_array_foreach (evidence, i, range)
    g_ptr_array_add (ranges, range);
  g_ptr_array_sort (ranges, compare_ranges);
  sorted = json_array ();
  for (guint k = 0; k < ranges->len; k++)
    json_array_append (sorted, g_ptr_array_index (ranges, k));
  json_object_set_new (record, "evidence", sorted);
}

/* A judgment record as the export writes it, made comparable with the one
 * it was imported from: the keys the export adds are dropped. */
static json_t *
exported_judgment_comparable (json_t *exported,
                              json_t *original)
{
  static const char * const added[] = { "created", "updated", "time_spent", NULL };
  json_t *copy = json_deep_copy (exported);
  const char *type = json_string_value (json_object_get (exported, "type"));

  for (guint i = 0; added[i] != NULL; i++)
    if (json_object_get (original, added[i]) == NULL)
      json_object_del (copy, added[i]);
  /* The export always quotes a span's text and names its label set. */
  if (g_strcmp0 (type, "span") == 0)
    {
      if (json_object_get (original, "text") == NULL)
        json_object_del (copy, "text");
      if (json_object_get (original, "label_set") == NULL)
        json_object_del (copy, "label_set");
    }
  normalize_labels (copy);
  normalize_evidence (copy);
  return copy;
}

/* An imported judgment record in the form the export writes: times in
 * Assay's ISO 8601 form, scores in the long form, label choices as above. */
static json_t *
original_judgment_comparable (json_t *original)
{
  static const char * const times[] = { "created", "updated", NULL };
  json_t *copy = json_deep_copy (original);
  json_t *inner;

  for (guint i = 0; times[i] != NULL; i++)
    {
      const char *t = json_string_value (json_object_get (copy, times[i]));

      if (t != NULL)
        {
          g_autofree char *normal = assay_normalize_iso8601 (t);

          g_assert_nonnull (normal);
          json_object_set_new (copy, times[i], json_string (normal));
        }
    }

  normalize_labels (copy);
  normalize_evidence (copy);

  if ((inner = json_object_get (copy, "scores")) != NULL)
    {
      const char *key;
      json_t *value;

      json_object_foreach (inner, key, value)
        if (json_is_number (value))
          json_object_set_new (inner, key, json_pack ("{s:O}", "score", value));
    }
  return copy;
}

/* The imported judgment records, comparable and sorted. */
static GPtrArray *
sorted_originals (json_t *array)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  size_t i;
  json_t *record;

  json_array_foreach (array, i, record)
    {
      g_autoptr(json_t) comparable = original_judgment_comparable (record);

      g_ptr_array_add (strings, canonical (comparable));
    }
  g_ptr_array_sort (strings, compare_strings);
  return strings;
}

/* ---- comparing an export with what was imported ---- */

/* Pairs each exported judgment with the original it must match, found by
 * its identity (type, annotator, candidate, span range), so that the keys
 * the export adds are dropped only where the original lacked them. */
static json_t *
matching_original (json_t *exported,
                   json_t *originals)
{
  static const char * const identity[] = {
    "type", "annotator", "candidate", "start", "end", "label", "a", "b", NULL
  };
  size_t i;
  json_t *original;

  json_array_foreach (originals, i, original)
    {
      gboolean same = TRUE;

      for (guint k = 0; identity[k] != NULL && same; k++)
        {
          json_t *a = json_object_get (original, identity[k]);
          json_t *b = json_object_get (exported, identity[k]);

          same = (a == NULL && b == NULL) || (a != NULL && b != NULL && json_equal (a, b));
        }
      if (same)
        return original;
    }
  return NULL;
}

static void
assert_judgments_kept (const char *what,
                       json_t     *original,
                       json_t     *exported)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_free);
  size_t i;
  json_t *record;

  g_assert_nonnull (exported);
  g_assert_true (json_is_array (exported));
  g_assert_cmpuint (json_array_size (original), ==, json_array_size (exported));

  a = sorted_originals (original);
  json_array_foreach (exported, i, record)
    {
      json_t *match = matching_original (record, original);
      g_autoptr(json_t) comparable = NULL;

      if (match == NULL)
        g_error ("%s: the export has a judgment the original lacks: %s", what,
                 canonical (record));
      comparable = exported_judgment_comparable (record, match);
      g_ptr_array_add (b, canonical (comparable));
    }
  g_ptr_array_sort (b, compare_strings);

  for (guint k = 0; k < a->len; k++)
    g_assert_cmpstr (g_ptr_array_index (a, k), ==, g_ptr_array_index (b, k));
}

static const char * const judgment_types[] = {
  "labels", "span", "correction", "scores", "ranking", "comparison", "note", "status", NULL
};

/* The annotators a file implies: those on annotator lines, and those its
 * judgments name, by id (a person named as the id) or as an object. */
static void
add_implied_annotator (json_t *annotators,
                       json_t *ref)
{
  const char *id = json_is_string (ref) ? json_string_value (ref)
                                        : json_string_value (json_object_get (ref, "id"));
  json_t *known = json_object_get (annotators, id);

  g_assert_nonnull (id);
  if (known == NULL)
    {
      known = json_pack ("{s:s, s:s, s:s, s:s}", "type", "annotator", "id", id, "name", id,
                         "kind", "person");
      json_object_set_new (annotators, id, known);
    }
  if (json_is_object (ref))
    {
      if (json_object_get (ref, "name") != NULL)
        json_object_set (known, "name", json_object_get (ref, "name"));
      if (json_object_get (ref, "kind") != NULL)
        json_object_set (known, "kind", json_object_get (ref, "kind"));
    }
}

/* A judgment as it sits in the export's source line: without "source",
 * and naming its annotator by id. */
static json_t *
judgment_in_source (json_t *judgment,
                    json_t *annotators)
{
  json_t *copy = json_deep_copy (judgment);
  json_t *annotator = json_object_get (copy, "annotator");

  add_implied_annotator (annotators, annotator);
  if (json_is_object (annotator))
    json_object_set (copy, "annotator", json_object_get (annotator, "id"));
  json_object_del (copy, "source");
  return copy;
}

/* Asserts that the native export `export` holds, without loss, what the
 * JSONL `original_text` brought into a project whose template was
 * `template_json`: the template, the annotators, every source with its
 * texts and segments, its metadata byte for byte, its candidates in order,
 * and its judgments (in any order, those on lines of their own included),
 * and nothing else. The file must not replace one judgment by another. */
static void
assert_kept (const char *original_text,
             const char *export,
             json_t     *template_json)
{
  g_autoptr(GPtrArray) original = parse_jsonl (original_text);
  g_autoptr(GPtrArray) exported = parse_jsonl (export);
  g_autoptr(json_t) annotators = json_object ();
  g_autoptr(json_t) sources = json_object ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint n_exported_annotators = 0, n_judgments = 0, n_texts = 0, n_metadata = 0;
  const char *key;
  json_t *value;

  /* The template first, with everything its file said (and the defaults
   * of what it left out). */
  {
    json_t *first = g_ptr_array_index (exported, 0);

    g_assert_cmpstr (json_string_value (json_object_get (first, "type")), ==, "template");
    if (!json_contains (first, template_json))
      g_error ("the template lost something: %s", canonical (first));
  }

  /* What the file says, gathered by source as the export writes it. */
  for (guint i = 0; i < original->len; i++)
    {
      json_t *o = g_ptr_array_index (original, i);
      const char *type = json_string_value (json_object_get (o, "type"));
      const char *id = json_string_value (json_object_get (o, "id"));

      if (type == NULL)
        {
          json_t *copy = json_deep_copy (o);
          json_t *judgments = json_object_get (o, "judgments");
          json_t *in_source = json_array ();
          size_t k;
          json_t *j;

          g_assert_null (json_object_get (sources, id));
          json_array_foreach (judgments, k, j)
            json_array_append_new (in_source, judgment_in_source (j, annotators));
          json_object_set_new (copy, "judgments", in_source);
          json_object_set_new (sources, id, copy);
          g_ptr_array_add (order, (gpointer) json_string_value (json_object_get (copy, "id")));
        }
      else if (g_str_equal (type, "annotator"))
        {
          json_t *record = json_pack ("{s:s, s:s, s:s, s:s}", "type", "annotator", "id", id,
                                      "name", id, "kind", "person");

          json_object_update (record, o);
          json_object_set_new (annotators, id, record);
        }
      else
        {
          const char *source_id = json_string_value (json_object_get (o, "source"));
          json_t *source = json_object_get (sources, source_id);

          g_assert_true (g_strv_contains (judgment_types, type));
          g_assert_nonnull (source);
          json_array_append_new (json_object_get (source, "judgments"),
                                 judgment_in_source (o, annotators));
        }
    }

  /* Every source, in the order it came. */
  for (guint i = 0; i < order->len; i++)
    {
      const char *id = g_ptr_array_index (order, i);
      json_t *o = json_object_get (sources, id);
      json_t *e = find_record (exported, NULL, id);
      const char * const skip[] = { "candidates", "judgments", NULL };
      const char * const may_add[] = { "title", NULL };
      json_t *oc = json_object_get (o, "candidates");
      json_t *ec = json_object_get (e, "candidates");
      json_t *segments = json_object_get (o, "segments");
      json_t *judgments = json_object_get (o, "judgments");
      gsize o_len, e_len;
      const char *o_line = find_source_line (original_text, id, &o_len);
      const char *e_line = find_source_line (export, id, &e_len);
      g_autofree char *o_meta = NULL;
      g_autofree char *e_meta = NULL;

      g_assert_nonnull (e);
      g_assert_true (e == g_ptr_array_index (exported, exported->len - order->len + i));

      /* Everything of the source, including its segments and metadata. */
      assert_record_kept (id, o, e, skip, may_add);
      if (json_object_get (o, "title") == NULL)
        g_assert_cmpstr (json_string_value (json_object_get (e, "title")), ==, id);

      /* Texts, character for character. */
      if (json_object_get (o, "text") != NULL)
        {
          g_assert_cmpstr (json_string_value (json_object_get (o, "text")), ==,
                           json_string_value (json_object_get (e, "text")));
          n_texts++;
        }
      for (size_t k = 0; k < json_array_size (segments); k++)
        {
          json_t *e_segments = json_object_get (e, "segments");

          g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segments, k),
                                                               "text")), ==,
                           json_string_value (json_object_get (json_array_get (e_segments, k),
                                                               "text")));
          n_texts++;
        }

      /* Metadata, byte for byte as written (spaces and all). */
      g_assert_nonnull (o_line);
      g_assert_nonnull (e_line);
      o_meta = raw_member (o_line, o_len, NULL, 0, "metadata");
      e_meta = raw_member (e_line, e_len, NULL, 0, "metadata");
      g_assert_cmpstr (o_meta, ==, e_meta);
      n_metadata += o_meta != NULL;

      /* The candidates in their order, with their texts and metadata. */
      g_assert_cmpuint (json_array_size (oc), ==, json_array_size (ec));
      for (size_t k = 0; k < json_array_size (oc); k++)
        {
          g_autofree char *what = g_strdup_printf ("%s: candidates[%zu]", id, k);
          g_autofree char *o_cmeta = raw_member (o_line, o_len, "candidates", k, "metadata");
          g_autofree char *e_cmeta = raw_member (e_line, e_len, "candidates", k, "metadata");
          const char * const may_add_id[] = { "id", NULL };

          assert_record_kept (what, json_array_get (oc, k), json_array_get (ec, k), NULL,
                              may_add_id);
          g_assert_cmpstr (json_string_value (json_object_get (json_array_get (oc, k), "text")),
                           ==,
                           json_string_value (json_object_get (json_array_get (ec, k), "text")));
          g_assert_cmpstr (o_cmeta, ==, e_cmeta);
          n_texts++;
          n_metadata += o_cmeta != NULL;
        }

      /* The judgments, in whatever order. */
      if (json_array_size (judgments) > 0)
        {
          assert_judgments_kept (id, judgments, json_object_get (e, "judgments"));
          n_judgments += json_array_size (judgments);
        }
      else
        g_assert_null (json_object_get (e, "judgments"));
    }

  /* The annotators, those only named included. */
  for (guint i = 0; i < exported->len; i++)
    {
      json_t *e = g_ptr_array_index (exported, i);

      if (g_strcmp0 (json_string_value (json_object_get (e, "type")), "annotator") == 0)
        {
          const char *id = json_string_value (json_object_get (e, "id"));
          json_t *o = json_object_get (annotators, id);

          if (o == NULL || !json_equal (o, e))
            g_error ("annotator %s: expected %s, exported %s", id, o ? canonical (o) : "none",
                     canonical (e));
          n_exported_annotators++;
        }
    }
  json_object_foreach (annotators, key, value)
    g_assert_nonnull (find_record (exported, "annotator", key));
  g_assert_cmpuint (n_exported_annotators, ==, json_object_size (annotators));

  /* The template, the annotators and the sources: nothing else. */
  g_assert_cmpuint (exported->len, ==, 1 + n_exported_annotators + order->len);
  g_test_message ("%u sources, %u annotators, %u judgments, %u texts, %u metadata objects",
                  order->len, n_exported_annotators, n_judgments, n_texts, n_metadata);
}

/* ---- the demo ---- */

static void
assert_demo_kept (const char *original_text,
                  const char *export)
{
  g_autofree char *template_path = demo_file ("template.json");
  g_autoptr(json_t) tmpl = NULL;
  json_error_t json_error;
  g_autoptr(GPtrArray) original = parse_jsonl (original_text);
  guint n_sources = 0, n_judgments = 0;

  tmpl = json_load_file (template_path, JSON_DECODE_INT_AS_REAL, &json_error);
  g_assert_nonnull (tmpl);
  assert_kept (original_text, export, tmpl);

  /* The demo is what this test expects it to be, so nothing was skipped. */
  for (guint i = 0; i < original->len; i++)
    {
      json_t *o = g_ptr_array_index (original, i);

      if (json_object_get (o, "type") == NULL)
        {
          n_sources++;
          n_judgments += json_array_size (json_object_get (o, "judgments"));
        }
    }
  g_assert_cmpuint (n_sources, >=, 5);
  g_assert_cmpuint (n_judgments, >=, 10);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AssayProject) first = import_demo (f, "first.assay");
  g_autoptr(AssayProject) second = new_project (f, "second.assay");
  g_autofree char *first_path = g_build_filename (f->dir, "first.jsonl", NULL);
  g_autofree char *second_path = g_build_filename (f->dir, "second.jsonl", NULL);
  g_autofree char *first_export = NULL;
  g_autofree char *second_export = NULL;
  g_autofree char *demo_path = demo_file ("demo.jsonl");
  g_autofree char *demo = NULL;
  g_autoptr(GError) error = NULL;
  AssayProjectCounts first_counts, second_counts;

  first_export = export_native_file (first, first_path);
  g_assert_true (g_str_has_suffix (first_export, "}\n"));

  /* The export carries the template, so the new project needs nothing else. */
  import_path (second, first_path);
  second_export = export_native_file (second, second_path);
  g_assert_cmpuint (strlen (first_export), ==, strlen (second_export));
  g_assert_cmpstr (first_export, ==, second_export);

  get_counts (first, &first_counts);
  get_counts (second, &second_counts);
  assert_counts_equal (&first_counts, &second_counts);
  g_assert_cmpint (first_counts.judgments, >, 0);

  g_assert_true (g_file_get_contents (demo_path, &demo, NULL, &error));
  g_assert_no_error (error);
  assert_demo_kept (demo, first_export);
  assert_demo_kept (demo, second_export);
}

/* The demo project the build makes with assay-cli holds the same records
 * as a fresh import of the demo through the library. */
static void
test_demo_project (Fixture       *f,
                   gconstpointer  data)
{
  const char *built = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *copy = g_build_filename (f->dir, "demo.assay", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(AssayProject) fresh = NULL;
  g_autoptr(AssayProject) demo = NULL;
  g_autofree char *fresh_export = NULL;
  g_autofree char *demo_export = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (built == NULL || !g_file_test (built, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("ASSAY_DEMO_PROJECT is not set");
      return;
    }

  /* A copy: the built file is shared with other tests. */
  g_assert_true (g_file_get_contents (built, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (copy, contents, len, &error));
  g_assert_no_error (error);
  demo = assay_project_open (copy, &error);
  g_assert_no_error (error);

  fresh = import_demo (f, "fresh.assay");
  fresh_export = export_native (fresh);
  demo_export = export_native (demo);
  g_assert_cmpstr (fresh_export, ==, demo_export);
}

/* ---- every judgment kind, with awkward text ---- */

static const char *rich_template =
  "{\"name\": \"Révision ✓\", \"version\": \"2β\","
  " \"judgments\": [\"labels\", \"spans\", \"correction\", \"scores\", \"ranking\", \"pairwise\"],"
  " \"guidelines\": \"Line one.\\n\\n\\tIndented — “quoted” 🧪.\","
  " \"label_sets\": ["
  "  {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "    {\"name\": \"supported\", \"key\": \"1\", \"color\": \"#2ec27e\"},"
  "    {\"name\": \"contradicted\", \"key\": \"3\"}]},"
  "  {\"name\": \"tone\", \"scope\": \"span\", \"options\": [{\"name\": \"hedged\"}]},"
  "  {\"name\": \"verdict\", \"scope\": \"candidate\", \"options\": ["
  "    {\"name\": \"accept\"}, {\"name\": \"reject\"}]},"
  "  {\"name\": \"issues\", \"scope\": \"candidate\", \"multi\": true, \"options\": ["
  "    {\"name\": \"padding\"}, {\"name\": \"omission\"}, {\"name\": \"wrong-number\"}]}],"
  " \"criteria\": ["
  "  {\"name\": \"faithfulness\", \"min\": 1, \"max\": 5, \"weight\": 0.6, \"required\": true,"
  "   \"anchors\": {\"1\": \"Invented.\", \"5\": \"Every claim is backed — all of them.\"}},"
  "  {\"name\": \"concision\", \"min\": 0, \"max\": 2}]}";

/* Control characters come in escaped (raw ones are not JSON); the rest is
 * raw UTF-8: accents, CJK, right-to-left text, emoji with modifiers and
 * joiners, and characters JSON escapes specially. */
static const char *rich_jsonl =
  "{\"type\": \"annotator\", \"id\": \"zoë@lab.example\", \"name\": \"Zoë Ångström\","
  " \"kind\": \"adjudicator\"}\n"
  "{\"id\": \"ünï-01\", \"title\": \"Entrevista 🎙️ — São Paulo\","
  " \"segments\": ["
  "  {\"speaker\": \"Dr. Ōkubo\", \"start\": 0, \"end\": 3.25,"
  "   \"text\": \"Tab\\there, bell\\u0007, unit sep\\u001f, DEL \\u007f.\"},"
  "  {\"speaker\": \"مريم\", \"start\": 3.25, \"end\": 7.125,"
  "   \"text\": \"نعم، 3 مرات يوميًا.\\r\\nLine two \\\"quoted\\\" \\\\ back\\/slash.\"},"
  "  {\"text\": \"东京 👩🏽‍⚕️ 👍🏿 done.\\u2028next\"}],"
  " \"metadata\": {\"lang\": [\"ja\", \"ar\"], \"π\": 3.14159e0, \"esc\": \"\\u00e9\\n\"},"
  " \"candidates\": ["
  "  {\"id\": \"α\", \"model\": \"m/one\", \"text\": \"👩🏽‍⚕️ said 3× daily; tab\\tend.\","
  "   \"prompt\": \"Summarise:\\n\\n{{text}}\", \"metadata\": {\"t\": 0.7}},"
  "  {\"id\": \"β\", \"model\": \"m/two\", \"text\": \"Twice daily — “per Dr. Ōkubo”.\"},"
  "  {\"id\": \"γ\", \"model\": \"m/three\", \"text\": \"\\u0001\\u0002 odd start.\"}],"
  " \"judgments\": ["
  "  {\"type\": \"labels\", \"annotator\": \"zoë@lab.example\", \"candidate\": \"β\","
  "   \"labels\": {\"verdict\": \"reject\", \"issues\": [\"wrong-number\", \"padding\"]},"
  "   \"created\": \"2026-01-02T03:04:05.678Z\", \"time_spent\": 9.75},"
  "  {\"type\": \"labels\", \"annotator\": \"ravi\", \"candidate\": \"β\","
  "   \"labels\": {\"issues\": [\"omission\"]}},"
  "  {\"type\": \"span\", \"annotator\": \"zoë@lab.example\", \"candidate\": \"α\","
  "   \"start\": 0, \"end\": 19, \"text\": \"👩🏽‍⚕️ said 3× daily\", \"label\": \"supported\","
  "   \"note\": \"Speaker 🎙️ confirms.\\u0007\", \"evidence\": [{\"start\": 40, \"end\": 53},"
  "   {\"start\": 0, \"end\": 3}]},"
  "  {\"type\": \"span\", \"annotator\": \"zoë@lab.example\", \"candidate\": \"α\","
  "   \"start\": 0, \"end\": 5, \"label\": \"hedged\"},"
  "  {\"type\": \"span\", \"annotator\": \"ravi\", \"candidate\": \"β\", \"start\": 0,"
  "   \"end\": 11, \"label_set\": \"claims\", \"label\": \"contradicted\"},"
  "  {\"type\": \"span\", \"annotator\": \"ravi\", \"candidate\": \"γ\", \"start\": 0, \"end\": "
  "2}]}\n"
  "{\"type\": \"correction\", \"source\": \"ünï-01\", \"candidate\": \"β\","
  " \"annotator\": \"zoë@lab.example\", \"text\": \"Three times daily\\u0000\"}\n";

/* The rest, after the line above with its U+0000 (which JSON strings may
 * not hold in Assay) is taken out. */
static const char *rich_jsonl_rest =
  "{\"type\": \"correction\", \"source\": \"ünï-01\", \"candidate\": \"β\","
  " \"annotator\": \"zoë@lab.example\", \"text\": \"Three times daily — 3×\\n\\t(tid) 💊\","
  " \"created\": \"2026-01-02T04:04:05+01:00\", \"updated\": \"2026-01-03T00:00:00Z\"}\n"
  "{\"type\": \"scores\", \"source\": \"ünï-01\", \"candidate\": \"α\", \"annotator\": \"ravi\","
  " \"scores\": {\"faithfulness\": {\"score\": 5, \"rationale\": \"Ok ✓\\r\\n\\u001b[0m\"},"
  " \"concision\": 0}, \"time_spent\": 0.001}\n"
  "{\"type\": \"scores\", \"source\": \"ünï-01\", \"candidate\": \"β\", \"annotator\": \"ravi\","
  " \"scores\": {\"concision\": {\"score\": 2}}}\n"
  "{\"type\": \"ranking\", \"source\": \"ünï-01\", \"annotator\": \"ravi\","
  " \"ranks\": {\"γ\": 2, \"α\": 1, \"β\": 2}}\n"
  "{\"type\": \"ranking\", \"source\": \"ünï-01\", \"annotator\": \"zoë@lab.example\","
  " \"ranks\": {\"β\": 3}}\n"
  "{\"type\": \"comparison\", \"source\": \"ünï-01\", \"annotator\": \"ravi\", \"a\": \"γ\","
  " \"b\": \"α\", \"winner\": \"b\", \"rationale\": \"α names the dose — γ is garbled\\u0002.\"}\n"
  "{\"type\": \"comparison\", \"source\": \"ünï-01\", \"annotator\": \"ravi\", \"a\": \"α\","
  " \"b\": \"β\", \"winner\": \"tie\"}\n"
  "{\"type\": \"comparison\", \"source\": \"ünï-01\", \"annotator\": {\"id\": \"judge-λ\","
  " \"name\": \"LLM judge λ\", \"kind\": \"model\"}, \"a\": \"β\", \"b\": \"γ\", \"winner\": "
  "\"a\"}\n"
  "{\"type\": \"note\", \"source\": \"ünï-01\", \"annotator\": \"ravi\","
  " \"text\": \"Audio 🔇 at 0:03;\\n\\tcheck \\\"dose\\\".\"}\n"
  "{\"type\": \"note\", \"source\": \"ünï-01\", \"candidate\": \"γ\", \"annotator\": \"ravi\","
  " \"text\": \"\\u0001 starts with SOH\"}\n"
  "{\"type\": \"status\", \"source\": \"ünï-01\", \"annotator\": \"ravi\", \"status\": \"flagged\","
  " \"time_spent\": 184.5}\n"
  "{\"type\": \"status\", \"source\": \"ünï-01\", \"annotator\": \"zoë@lab.example\","
  " \"status\": \"in_progress\"}\n"
  "{\"id\": \"plain\", \"text\": \"\\u0003\", \"candidates\": []}\n";

/* Written through the API, as the app does: raw control characters. */
static const char *api_note = "From the app:\x01\x02\x7f\t\r\n\x1b[1m 🦉 \xe2\x80\xa8 end";

/* rich_jsonl without its line with U+0000, and rich_jsonl_rest. */
static char *
rich_input (void)
{
  g_autofree char *without_nul = g_strndup (rich_jsonl,
                                            strstr (rich_jsonl, "{\"type\": \"correction\"")
                                            - rich_jsonl);

  return g_strconcat (without_nul, rich_jsonl_rest, NULL);
}

static void
add_api_note (AssayProject *project)
{
  g_autoptr(GError) error = NULL;
  gint64 source = assay_project_lookup_source (project, "ünï-01");
  gint64 candidate = assay_project_lookup_candidate (project, source, "α");
  gint64 annotator;

  g_assert_cmpint (candidate, !=, 0);
  g_assert_true (assay_project_ensure_annotator (project, "app-user", "App Üser", -1, &annotator,
                                                 &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_note (project, source, candidate, annotator, api_note, NULL,
                                         &error));
  g_assert_no_error (error);
}

static AssayProject *
rich_project (Fixture    *f,
              const char *name,
              gboolean    with_api_note)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template_path = g_build_filename (f->dir, "rich-template.json", NULL);
  g_autofree char *input = rich_input ();
  AssayProject *project = new_project (f, name);

  g_assert_true (g_file_set_contents (template_path, rich_template, -1, &error));
  g_assert_no_error (error);
  store_template_file (project, template_path);

  /* U+0000 is refused, and the refusal takes the whole import back. */
  {
    g_autoptr(AssayImport) import = assay_import_new (project);
    g_autoptr(GBytes) bytes = g_bytes_new (rich_jsonl, strlen (rich_jsonl));

    assay_import_add_bytes (import, "rich.jsonl", bytes, ASSAY_FORMAT_JSONL);
    g_assert_false (assay_import_run (import, NULL, &error));
    g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
    g_assert_true (g_str_has_prefix (error->message, "rich.jsonl:3: invalid JSON at column "));
    g_assert_nonnull (strstr (error->message, "\\u0000"));
    g_clear_error (&error);
    g_assert_cmpint (assay_project_lookup_source (project, "ünï-01"), ==, 0);
  }

  import_string (project, "rich.jsonl", input);
  if (with_api_note)
    add_api_note (project);
  return project;
}

static void
test_every_kind (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AssayProject) first = rich_project (f, "rich.assay", FALSE);
  g_autoptr(AssayProject) second = new_project (f, "rich-copy.assay");
  g_autofree char *input = rich_input ();
  g_autofree char *plain_export = export_native (first);
  g_autofree char *first_export = NULL;
  g_autofree char *second_export = NULL;
  g_autoptr(json_t) tmpl = NULL;
  json_error_t json_error;
  g_autoptr(GPtrArray) records = NULL;
  AssayProjectCounts first_counts, second_counts;
  json_t *source, *judgments, *record;
  size_t i;
  guint n_found = 0;

  /* Everything the file brought in is in the export, as it came. */
  tmpl = json_loads (rich_template, JSON_DECODE_INT_AS_REAL, &json_error);
  g_assert_nonnull (tmpl);
  assert_kept (input, plain_export, tmpl);

  /* A note written by the app, with raw control characters. */
  add_api_note (first);
  first_export = export_native (first);
  g_assert_cmpstr (first_export, !=, plain_export);

  get_counts (first, &first_counts);
  /* 2 labels, 4 spans, 1 correction, 2 scores, 2 rankings, 3 comparisons,
   * 3 notes, 2 statuses */
  g_assert_cmpint (first_counts.judgments, ==, 19);
  g_assert_cmpint (first_counts.annotators, ==, 4);
  g_assert_cmpint (first_counts.status[ASSAY_STATUS_FLAGGED], ==, 1);

  import_string (second, "rich-export.jsonl", first_export);
  second_export = export_native (second);
  g_assert_cmpstr (first_export, ==, second_export);
  get_counts (second, &second_counts);
  assert_counts_equal (&first_counts, &second_counts);

  /* The export is valid JSONL, one record per line, and what went in with
   * control characters, emoji and right-to-left text comes out the same. */
  g_assert_null (strchr (second_export, '\r'));
  records = parse_jsonl (second_export);
  g_assert_cmpuint (records->len, ==, 1 + 4 + 2);
  source = find_record (records, NULL, "ünï-01");
  g_assert_nonnull (source);
  g_assert_cmpstr (json_string_value (json_object_get (source, "title")), ==,
                   "Entrevista 🎙️ — São Paulo");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (source, "segments"), 0), "text")), ==,
                   "Tab\there, bell\a, unit sep\x1f, DEL \x7f.");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (source, "segments"), 1), "text")), ==,
                   "نعم، 3 مرات يوميًا.\r\nLine two \"quoted\" \\ back/slash.");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (source, "segments"), 1), "speaker")), ==, "مريم");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (source, "segments"), 2), "text")), ==,
                   "东京 👩🏽‍⚕️ 👍🏿 done.\xe2\x80\xa8next");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (source, "candidates"), 2), "text")), ==,
                   "\x01\x02 odd start.");
  g_assert_nonnull (strstr (second_export,
                            "\"metadata\":{\"lang\": [\"ja\", \"ar\"], \"π\": 3.14159e0,"
                            " \"esc\": \"\\u00e9\\n\"}"));
  g_assert_cmpstr (json_string_value (json_object_get (find_record (records, NULL, "plain"),
                                                       "text")), ==, "\x03");

  judgments = json_object_get (source, "judgments");
  g_assert_cmpuint (json_array_size (judgments), ==, 19);
  json_array_foreach (judgments, i, record)
    {
      const char *type = json_string_value (json_object_get (record, "type"));
      const char *text = json_string_value (json_object_get (record, "text"));
      const char *note = json_string_value (json_object_get (record, "note"));
      const char *rationale = json_string_value (json_object_get (record, "rationale"));

      if (g_strcmp0 (type, "note") == 0 && g_strcmp0 (text, api_note) == 0)
        n_found++;
      if (g_strcmp0 (type, "note") == 0 && g_strcmp0 (text, "\x01 starts with SOH") == 0)
        n_found++;
      if (g_strcmp0 (type, "note") == 0 &&
          g_strcmp0 (text, "Audio 🔇 at 0:03;\n\tcheck \"dose\".") == 0)
        n_found++;
      if (g_strcmp0 (type, "correction") == 0 &&
          g_strcmp0 (text, "Three times daily — 3×\n\t(tid) 💊") == 0)
        n_found++;
      if (g_strcmp0 (type, "span") == 0 && g_strcmp0 (note, "Speaker 🎙️ confirms.\a") == 0 &&
          g_strcmp0 (text, "👩🏽‍⚕️ said 3× daily") == 0)
        n_found++;
      if (g_strcmp0 (type, "comparison") == 0 &&
          g_strcmp0 (rationale, "α names the dose — γ is garbled\x02.") == 0)
        n_found++;
      if (g_strcmp0 (type, "scores") == 0 &&
          json_object_get (json_object_get (record, "scores"), "faithfulness") != NULL)
        {
          json_t *faith = json_object_get (json_object_get (record, "scores"), "faithfulness");

          g_assert_cmpstr (json_string_value (json_object_get (faith, "rationale")), ==,
                           "Ok ✓\r\n\x1b[0m");
          g_assert_cmpfloat (json_number_value (json_object_get (faith, "score")), ==, 5);
          n_found++;
        }
    }
  g_assert_cmpuint (n_found, ==, 7);
}

static void
test_export_stable (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AssayProject) project = rich_project (f, "stable.assay", TRUE);
  g_autofree char *path = g_strdup (assay_project_get_path (project));
  g_autofree char *first = export_native (project);
  g_autofree char *second = export_native (project);
  g_autofree char *third = NULL;
  g_autofree char *file_path = g_build_filename (f->dir, "stable.jsonl", NULL);
  g_autofree char *from_file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (strlen (first), >, 1000);
  g_assert_cmpstr (first, ==, second);

  /* The same after closing and opening the project again, and the same
   * whether written to a stream or to a file. */
  g_clear_object (&project);
  project = assay_project_open (path, &error);
  g_assert_no_error (error);
  third = export_native (project);
  g_assert_cmpstr (first, ==, third);
  from_file = export_native_file (project, file_path);
  g_assert_cmpstr (first, ==, from_file);
}

/* ---- writing files safely ---- */

static void
test_export_missing_folder (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AssayProject) project = new_project (f, "p.assay");
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);
  g_autofree char *path = g_build_filename (missing, "out.jsonl", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  import_string (project, "p.jsonl", "{\"id\": \"x\", \"text\": \"y\"}\n");
  before = list_dir (f->dir);
  g_assert_false (assay_export_to_path (project, "native", NULL, path, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));

  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  after = list_dir (f->dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_export_cancelled_keeps_old (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(AssayProject) project = rich_project (f, "p.assay", TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = export_native (project);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "the previous export\n", -1, &error));
  g_assert_no_error (error);
  before = list_dir (f->dir);

  g_cancellable_cancel (cancellable);
  g_assert_false (assay_export_to_path (project, "native", NULL, path, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The old file is untouched and no temporary file is left beside it. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "the previous export\n");
  after = list_dir (f->dir);
  g_assert_cmpstr (before, ==, after);

  /* A complete export replaces it, again without leftovers. */
  g_clear_pointer (&contents, g_free);
  g_assert_true (assay_export_to_path (project, "native", NULL, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, expected);
  g_clear_pointer (&after, g_free);
  after = list_dir (f->dir);
  g_assert_cmpstr (before, ==, after);
}

/* The same for a project with nothing to write: cancelled before it
 * starts, the export must not replace the file. The checks fail the test
 * without ending the program (see main). */
static void
test_export_cancelled_empty (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(AssayProject) project = new_project (f, "empty.assay");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert_true (g_file_set_contents (path, "the previous export\n", -1, &error));
  g_assert_no_error (error);
  before = list_dir (f->dir);

  g_cancellable_cancel (cancellable);
  ok = assay_export_to_path (project, "native", NULL, path, cancellable, &error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  after = list_dir (f->dir);
  if (ok)
    {
      g_test_fail_printf ("an export cancelled before it started succeeded and replaced the file "
                          "with %zu bytes", strlen (contents));
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_test_fail_printf ("expected G_IO_ERROR_CANCELLED, got: %s", error->message);
      return;
    }
  if (g_strcmp0 (contents, "the previous export\n") != 0 || g_strcmp0 (before, after) != 0)
    g_test_fail_printf ("the folder changed: %s -> %s", before, after);
}

static void
test_export_unknown_format (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AssayProject) project = new_project (f, "p.assay");
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *before = list_dir (f->dir);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (assay_export_to_path (project, "csv", NULL, path, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“csv”"));
  g_assert_nonnull (strstr (error->message, "native"));
  after = list_dir (f->dir);
  g_assert_cmpstr (before, ==, after);
}

int
main (int   argc,
      char *argv[])
{
  /* Go on after a failed case and report them all: some cases fail softly
   * (g_test_fail) to show a bug without hiding the other results. */
  g_autofree char **args = g_new0 (char *, argc + 2);
  int n_args = argc + 1;

  memcpy (args, argv, argc * sizeof (char *));
  args[argc] = (char *) "--keep-going";
  g_test_init (&n_args, &args, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/roundtrip/demo", test_demo);
  ADD ("/assay/roundtrip/demo-project", test_demo_project);
  ADD ("/assay/roundtrip/every-kind", test_every_kind);
  ADD ("/assay/roundtrip/stable", test_export_stable);
  ADD ("/assay/roundtrip/export/missing-folder", test_export_missing_folder);
  ADD ("/assay/roundtrip/export/cancelled-keeps-old", test_export_cancelled_keeps_old);
  ADD ("/assay/roundtrip/export/cancelled-empty-project", test_export_cancelled_empty);
  ADD ("/assay/roundtrip/export/unknown-format", test_export_unknown_format);

#undef ADD

  return g_test_run ();
}
