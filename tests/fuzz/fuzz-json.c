/* fuzz-json.c: the JSON reader (assay-json.c and assay-json-reader.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one JSON document, as a line of an import or a template
 * file would be. Parsing must not crash whatever the bytes. When the text
 * parses, the node tree must hold together, every string must decode to
 * valid UTF-8 that compares equal to itself, every member must be found
 * by its name, the typed getters of the reader must either succeed or give
 * an error that names the file, and wherever jansson reads the same text
 * both must see the same values.
 */
#include "config.h"

#include <string.h>

#include "assay-error.h"
#include "assay-json.h"
#include "assay-json-reader-private.h"

#include "fuzz-common.h"

#define FILE_NAME "fuzz.json"

static guint check_value (const AssayJsonDoc *doc, guint i, json_t *twin);

static void
check_string (const AssayJsonDoc *doc,
              guint               i,
              json_t             *twin)
{
  g_autofree char *str = assay_json_dup_string (doc, i);
  g_autoptr(GString) decoded = g_string_new (NULL);

  fuzz_assert (str != NULL);
  fuzz_assert (g_utf8_validate (str, -1, NULL));
  assay_json_append_decoded (doc, i, decoded);
  /* no NUL inside: the decoded length is the C string's */
  fuzz_assert (decoded->len == strlen (str));
  fuzz_assert (strcmp (decoded->str, str) == 0);
  fuzz_assert (assay_json_string_equal (doc, i, str));

  if (twin != NULL)
    {
      fuzz_assert (json_is_string (twin));
      fuzz_assert (json_string_length (twin) == decoded->len);
      fuzz_assert (memcmp (json_string_value (twin), str, decoded->len) == 0);
    }
}

/* FALSE if the number is out of the range the getters take. */
static gboolean
check_number (const AssayJsonDoc *doc,
              guint               i,
              json_t             *twin)
{
  const AssayJsonNode *n = &doc->nodes[i];
  gint64 v = 0;
  double d = 0.0;
  gboolean int_ok = n->is_integer && assay_json_get_int64 (doc, i, &v);
  gboolean double_ok = assay_json_get_double (doc, i, &d);

  if (twin != NULL)
    {
      if (n->is_integer)
        {
          fuzz_assert (json_is_integer (twin));
          fuzz_assert (int_ok);
          fuzz_assert (json_integer_value (twin) == v);
        }
      else
        {
          fuzz_assert (json_is_real (twin));
          fuzz_assert (double_ok);
          fuzz_assert (json_real_value (twin) == d);
        }
    }
  return n->is_integer ? int_ok : double_ok;
}

static gboolean in_range;

/* Checks the value at node i and returns the index past its subtree. */
static guint
check_value (const AssayJsonDoc *doc,
             guint               i,
             json_t             *twin)
{
  const AssayJsonNode *n;
  guint child;

  fuzz_assert (i < doc->n_nodes);
  n = &doc->nodes[i];
  fuzz_assert (n->start < n->end && n->end <= doc->len);
  fuzz_assert (n->next > i && n->next <= doc->n_nodes);

  switch (assay_json_type (doc, i))
    {
    case ASSAY_JSON_NULL:
      fuzz_assert (n->end - n->start == 4 && memcmp (doc->text + n->start, "null", 4) == 0);
      fuzz_assert (twin == NULL || json_is_null (twin));
      break;

    case ASSAY_JSON_TRUE:
    case ASSAY_JSON_FALSE:
      fuzz_assert (twin == NULL || json_is_boolean (twin));
      fuzz_assert (twin == NULL ||
                   json_is_true (twin) == (assay_json_type (doc, i) == ASSAY_JSON_TRUE));
      break;

    case ASSAY_JSON_NUMBER:
      if (!check_number (doc, i, twin))
        in_range = FALSE;
      break;

    case ASSAY_JSON_STRING:
      fuzz_assert (doc->text[n->start] == '"' && doc->text[n->end - 1] == '"');
      check_string (doc, i, twin);
      break;

    case ASSAY_JSON_ARRAY:
      fuzz_assert (twin == NULL || json_array_size (twin) == n->n_children);
      child = assay_json_first_child (doc, i);
      fuzz_assert ((child == 0) == (n->n_children == 0));
      for (guint k = 0; k < n->n_children; k++)
        {
          guint next = check_value (doc, child, twin != NULL ? json_array_get (twin, k) : NULL);

          fuzz_assert (next == assay_json_next_sibling (doc, child));
          fuzz_assert (next <= n->next);
          child = next;
        }
      break;

    case ASSAY_JSON_OBJECT:
      {
        g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, NULL);

        child = assay_json_first_child (doc, i);
        fuzz_assert ((child == 0) == (n->n_children == 0));
        for (guint k = 0; k < n->n_children; k++)
          {
            g_autofree char *name = NULL;
            guint value, found, next;

            fuzz_assert (assay_json_type (doc, child) == ASSAY_JSON_STRING);
            check_string (doc, child, NULL);
            name = assay_json_dup_string (doc, child);
            value = assay_json_next_sibling (doc, child);
            /* with duplicate names the last one wins, in both readers */
            found = assay_json_object_get (doc, i, name);
            fuzz_assert (found >= value);
            fuzz_assert (assay_json_string_equal (doc, found - 1, name));
            next = check_value (doc, value,
                                twin != NULL && found == value ? json_object_get (twin, name)
                                                               : NULL);
            fuzz_assert (next == assay_json_next_sibling (doc, value));
            fuzz_assert (next <= n->next);
            g_hash_table_add (names, g_steal_pointer (&name));
            child = next;
          }
        fuzz_assert (twin == NULL || json_object_size (twin) == g_hash_table_size (names));
      }
      break;

    default:
      fuzz_assert (!"a node of no known type");
    }

  return n->next;
}

static void
check_error (gboolean  ok,
             GError  **error)
{
  if (ok)
    {
      fuzz_assert (*error == NULL);
      return;
    }
  fuzz_assert (*error != NULL);
  fuzz_assert (g_error_matches (*error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT));
  fuzz_assert (g_str_has_prefix ((*error)->message, FILE_NAME ":"));
  fuzz_assert (g_utf8_validate ((*error)->message, -1, NULL));
  g_clear_error (error);
}

/* Every getter of the reader on every member of the object, as the
 * importer and the template reader call them. */
static void
read_members (const AssayJsonReader *r,
              guint                  object)
{
  static const char * const allowed[] = { "id", "text", "candidates", NULL };
  const AssayJsonDoc *doc = r->doc;
  guint key = assay_json_first_child (doc, object);
  g_autofree char *absent = NULL;
  GError *error = NULL;

  check_error (_assay_reader_check_keys (r, object, "fuzz", allowed, &error), &error);
  for (guint k = 0; k < doc->nodes[object].n_children; k++)
    {
      g_autofree char *name = assay_json_dup_string (doc, key);
      g_autofree char *str = NULL;
      gint64 i64 = 0;
      double d = 0.0;
      gboolean b = FALSE;
      guint node = 0;

      check_error (_assay_reader_string (r, object, NULL, name, TRUE, &str, &error), &error);
      check_error (_assay_reader_int (r, object, "p", name, TRUE, &i64, &error), &error);
      check_error (_assay_reader_double (r, object, "p.q", name, FALSE, &d, &error), &error);
      check_error (_assay_reader_bool (r, object, "", name, FALSE, &b, &error), &error);
      check_error (_assay_reader_container (r, object, NULL, name, ASSAY_JSON_ARRAY, TRUE, &node,
                                            &error), &error);
      check_error (_assay_reader_container (r, object, NULL, name, ASSAY_JSON_OBJECT, FALSE,
                                            &node, &error), &error);
      key = assay_json_next_sibling (doc, assay_json_next_sibling (doc, key));
    }
  check_error (_assay_reader_string (r, object, NULL, "surely-absent", TRUE, &absent, &error),
               &error);
}

static guint
jansson_depth (json_t *value)
{
  guint deepest = 0;

  if (json_is_array (value))
    {
      for (gsize k = 0; k < json_array_size (value); k++)
        deepest = MAX (deepest, jansson_depth (json_array_get (value, k)));
      return deepest + 1;
    }
  if (json_is_object (value))
    {
      const char *key;
      json_t *member;

      json_object_foreach (value, key, member)
        deepest = MAX (deepest, jansson_depth (member));
      return deepest + 1;
    }
  return 0;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(json_t) twin = NULL;
  json_error_t jerror;
  AssayJsonDoc doc;
  AssayJsonError error;
  AssayJsonReader r = { &doc, FILE_NAME, 1 };
  gboolean ok, compared;
  guint lines = 1;

  assay_json_doc_init (&doc);

  /* A shallow limit first; the document keeps its nodes for the next
   * parse, as the importer's does from line to line. */
  if (assay_json_parse (&doc, text, size, 2, &error))
    fuzz_assert (doc.n_nodes > 0);
  else
    fuzz_assert (doc.n_nodes == 0 && error.offset <= size && error.column <= size + 1);

  ok = assay_json_parse (&doc, text, size, 0, &error);
  /* jansson passes over NUL bytes between tokens, which are refused here:
   * only text without them is compared */
  compared = memchr (text, '\0', size) == NULL;
  if (compared)
    twin = json_loadb (text, size, JSON_DECODE_ANY, &jerror);

  if (!ok)
    {
      fuzz_assert (doc.n_nodes == 0);
      fuzz_assert (error.offset <= size && error.column <= size + 1);
      fuzz_assert (g_utf8_validate (error.message, -1, NULL));
      /* jansson goes deeper; short of that, what it reads we read */
      fuzz_assert (twin == NULL || jansson_depth (twin) > ASSAY_JSON_DEFAULT_MAX_DEPTH);
      assay_json_doc_clear (&doc);
      return 0;
    }

  in_range = TRUE;
  fuzz_assert (check_value (&doc, 0, twin) == doc.n_nodes);
  /* what we read jansson reads, unless a number is beyond its range */
  fuzz_assert (twin != NULL || !in_range || !compared);

  for (gsize i = 0; i < size; i++)
    lines += text[i] == '\n';
  for (guint i = 0; i < doc.n_nodes; i++)
    {
      guint line = _assay_reader_line (&r, i);

      fuzz_assert (line >= 1 && line <= lines);
      if (assay_json_type (&doc, i) == ASSAY_JSON_OBJECT)
        read_members (&r, i);
    }

  assay_json_doc_clear (&doc);
  return 0;
}
