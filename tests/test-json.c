/* test-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-test"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assay-json.h"

#define NO_CHECK G_MAXSIZE

/* Every parse in these tests goes through an exactly sized heap copy without
 * a terminating NUL, so that valgrind or ASan flags any read past `len`. */
static gboolean
parse_exact (AssayJsonDoc   *doc,
             char          **copy,
             const char     *text,
             gsize           len,
             guint           max_depth,
             AssayJsonError *error)
{
  g_free (*copy);
  *copy = len > 0 ? g_memdup2 (text, len) : NULL;
  return assay_json_parse (doc, *copy, len, max_depth, error);
}

/* A parsed document that owns its text. */
typedef struct
{
  AssayJsonDoc doc;
  char        *text;
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  assay_json_doc_clear (&parsed->doc);
  g_clear_pointer (&parsed->text, g_free);
}

static void
parse_ok_len (Parsed     *parsed,
              const char *text,
              gsize       len)
{
  AssayJsonError error = { 0 };

  assay_json_doc_init (&parsed->doc);
  parsed->text = NULL;
  if (!parse_exact (&parsed->doc, &parsed->text, text, len, 0, &error))
    g_error ("failed to parse '%.*s': %s at offset %" G_GSIZE_FORMAT,
             (int) MIN (len, 200), text, error.message, error.offset);
  g_assert_cmpuint (parsed->doc.n_nodes, >, 0);
}

static void
parse_ok (Parsed     *parsed,
          const char *text)
{
  parse_ok_len (parsed, text, strlen (text));
}

static void
check_error_full (const char *text,
                  gsize       len,
                  guint       max_depth,
                  const char *message,
                  gsize       offset,
                  gsize       column)
{
  AssayJsonDoc doc;
  AssayJsonError error;
  char *copy = NULL;

  memset (&error, 0, sizeof error);
  assay_json_doc_init (&doc);
  if (parse_exact (&doc, &copy, text, len, max_depth, &error))
    g_error ("parsed invalid input '%.*s'", (int) MIN (len, 200), text);

  g_assert_cmpuint (doc.n_nodes, ==, 0);
  g_assert_cmpuint (error.offset, <=, len);
  g_assert_cmpuint (error.column, >=, 1);
  g_assert_cmpuint (error.column, <=, error.offset + 1);
  g_assert_cmpuint (strlen (error.message), >, 0);
  g_assert_true (g_utf8_validate (error.message, -1, NULL));
  g_assert_false (g_ascii_isupper (error.message[0]));

  if (message != NULL)
    g_assert_cmpstr (error.message, ==, message);
  if (offset != NO_CHECK)
    g_assert_cmpuint (error.offset, ==, offset);
  if (column != NO_CHECK)
    g_assert_cmpuint (error.column, ==, column);

  assay_json_doc_clear (&doc);
  g_free (copy);
}

static void
check_error (const char *text,
             const char *message,
             gsize       offset,
             gsize       column)
{
  check_error_full (text, strlen (text), 0, message, offset, column);
}

static char *
raw_text (const AssayJsonDoc *doc,
          guint               node)
{
  gsize len;
  const char *raw = assay_json_raw (doc, node, &len);

  return g_strndup (raw, len);
}

static void
assert_raw (const AssayJsonDoc *doc,
            guint               node,
            const char         *expected)
{
  g_autofree char *raw = raw_text (doc, node);

  g_assert_cmpstr (raw, ==, expected);
}

static void
assert_string_node (const AssayJsonDoc *doc,
                    guint               node,
                    const char         *expected)
{
  g_autofree char *str = NULL;
  g_autoptr(GString) appended = g_string_new ("<");

  g_assert_cmpint (assay_json_type (doc, node), ==, ASSAY_JSON_STRING);
  str = assay_json_dup_string (doc, node);
  g_assert_cmpstr (str, ==, expected);
  g_assert_true (assay_json_string_equal (doc, node, expected));

  assay_json_append_decoded (doc, node, appended);
  g_assert_cmpuint (appended->len, ==, strlen (expected) + 1);
  g_assert_cmpmem (appended->str + 1, appended->len - 1, expected, strlen (expected));
}

/* ---- valid documents ---- */

static void
test_scalars (void)
{
  static const struct
  {
    const char   *text;
    AssayJsonType type;
    const char   *raw;
  } cases[] = {
    { "null", ASSAY_JSON_NULL, "null" },
    { "true", ASSAY_JSON_TRUE, "true" },
    { "false", ASSAY_JSON_FALSE, "false" },
    { "0", ASSAY_JSON_NUMBER, "0" },
    { "-12.5e3", ASSAY_JSON_NUMBER, "-12.5e3" },
    { "\"\"", ASSAY_JSON_STRING, "\"\"" },
    { "\"abc\"", ASSAY_JSON_STRING, "\"abc\"" },
    { " \t\r\n null \t\r\n ", ASSAY_JSON_NULL, "null" },
    { "\n42\n", ASSAY_JSON_NUMBER, "42" },
    { "[]", ASSAY_JSON_ARRAY, "[]" },
    { "{}", ASSAY_JSON_OBJECT, "{}" },
    { " [ ] ", ASSAY_JSON_ARRAY, "[ ]" },
    { "{ \n }", ASSAY_JSON_OBJECT, "{ \n }" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Parsed p;

      parse_ok (&p, cases[i].text);
      g_assert_cmpuint (p.doc.n_nodes, ==, 1);
      g_assert_cmpint (assay_json_type (&p.doc, 0), ==, cases[i].type);
      g_assert_cmpuint (p.doc.nodes[0].next, ==, 1);
      g_assert_cmpuint (p.doc.nodes[0].n_children, ==, 0);
      g_assert_cmpuint (assay_json_first_child (&p.doc, 0), ==, 0);
      g_assert_true (p.doc.text == p.text);
      g_assert_cmpuint (p.doc.len, ==, strlen (cases[i].text));
      assert_raw (&p.doc, 0, cases[i].raw);
      parsed_clear (&p);
    }
}

static void
test_structure (void)
{
  /*                  0 1    2  3  4   5     6    7    8    9    10   11   12 */
  const char *text = "{\"a\": [1, {\"b\": null}, \"s\"], \"c\": {}, \"d\": [[], true]}";
  const AssayJsonNode *n;
  Parsed p;

  parse_ok (&p, text);
  n = p.doc.nodes;
  g_assert_cmpuint (p.doc.n_nodes, ==, 14);

  /* root object */
  g_assert_cmpint (n[0].type, ==, ASSAY_JSON_OBJECT);
  g_assert_cmpuint (n[0].n_children, ==, 3);
  g_assert_cmpuint (n[0].next, ==, 14);
  g_assert_cmpuint (n[0].start, ==, 0);
  g_assert_cmpuint (n[0].end, ==, strlen (text));

  /* "a": [1, {"b": null}, "s"] */
  g_assert_cmpint (n[1].type, ==, ASSAY_JSON_STRING);
  assert_raw (&p.doc, 1, "\"a\"");
  g_assert_cmpuint (n[1].next, ==, 2);
  g_assert_cmpint (n[2].type, ==, ASSAY_JSON_ARRAY);
  g_assert_cmpuint (n[2].n_children, ==, 3);
  g_assert_cmpuint (n[2].next, ==, 8);
  assert_raw (&p.doc, 2, "[1, {\"b\": null}, \"s\"]");
  g_assert_cmpint (n[3].type, ==, ASSAY_JSON_NUMBER);
  g_assert_true (n[3].is_integer);
  g_assert_cmpuint (n[3].next, ==, 4);
  g_assert_cmpint (n[4].type, ==, ASSAY_JSON_OBJECT);
  g_assert_cmpuint (n[4].n_children, ==, 1);
  g_assert_cmpuint (n[4].next, ==, 7);
  assert_raw (&p.doc, 4, "{\"b\": null}");
  assert_string_node (&p.doc, 5, "b");
  g_assert_cmpint (n[6].type, ==, ASSAY_JSON_NULL);
  g_assert_cmpuint (n[6].next, ==, 7);
  assert_string_node (&p.doc, 7, "s");
  g_assert_cmpuint (n[7].next, ==, 8);

  /* "c": {} */
  assert_string_node (&p.doc, 8, "c");
  g_assert_cmpint (n[9].type, ==, ASSAY_JSON_OBJECT);
  g_assert_cmpuint (n[9].n_children, ==, 0);
  g_assert_cmpuint (n[9].next, ==, 10);
  assert_raw (&p.doc, 9, "{}");

  /* "d": [[], true] */
  assert_string_node (&p.doc, 10, "d");
  g_assert_cmpint (n[11].type, ==, ASSAY_JSON_ARRAY);
  g_assert_cmpuint (n[11].n_children, ==, 2);
  g_assert_cmpuint (n[11].next, ==, 14);
  g_assert_cmpint (n[12].type, ==, ASSAY_JSON_ARRAY);
  g_assert_cmpuint (n[12].n_children, ==, 0);
  g_assert_cmpuint (n[12].next, ==, 13);
  g_assert_cmpint (n[13].type, ==, ASSAY_JSON_TRUE);
  g_assert_cmpuint (n[13].next, ==, 14);

  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "a"), ==, 2);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "c"), ==, 9);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "d"), ==, 11);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 4, "b"), ==, 6);

  parsed_clear (&p);
}

static void
test_raw_spans (void)
{
  const char *text =
    "{\"id\" : \"x-1\" ,\"meta\":{ \"k\" : [ 1 , 2.50 ],\"z\":\"\\u00e9\" } , \"n\": -0.0e+0 }";
  guint meta, k, z, n;
  Parsed p;

  parse_ok (&p, text);
  meta = assay_json_object_get (&p.doc, 0, "meta");
  g_assert_cmpuint (meta, !=, 0);
  assert_raw (&p.doc, meta, "{ \"k\" : [ 1 , 2.50 ],\"z\":\"\\u00e9\" }");
  k = assay_json_object_get (&p.doc, meta, "k");
  assert_raw (&p.doc, k, "[ 1 , 2.50 ]");
  assert_raw (&p.doc, k + 2, "2.50");
  z = assay_json_object_get (&p.doc, meta, "z");
  assert_raw (&p.doc, z, "\"\\u00e9\"");
  g_assert_true (p.doc.nodes[z].has_escapes);
  n = assay_json_object_get (&p.doc, 0, "n");
  assert_raw (&p.doc, n, "-0.0e+0");
  g_assert_false (p.doc.nodes[n].is_integer);
  assert_raw (&p.doc, assay_json_object_get (&p.doc, 0, "id"), "\"x-1\"");
  g_assert_false (p.doc.nodes[assay_json_object_get (&p.doc, 0, "id")].has_escapes);
  parsed_clear (&p);
}

static void
test_iteration (void)
{
  Parsed p;
  guint child;
  guint count = 0;
  gint64 sum = 0;
  GString *keys = g_string_new (NULL);

  parse_ok (&p, "[10, [20, 30], {\"x\": 40}, 50]");
  for (child = assay_json_first_child (&p.doc, 0); count < p.doc.nodes[0].n_children;
       child = assay_json_next_sibling (&p.doc, child), count++)
    {
      gint64 v;

      if (assay_json_type (&p.doc, child) == ASSAY_JSON_NUMBER)
        {
          g_assert_true (assay_json_get_int64 (&p.doc, child, &v));
          sum += v;
        }
    }
  g_assert_cmpuint (count, ==, 4);
  g_assert_cmpint (sum, ==, 60);
  /* After the last child, the sibling walk lands at the container's next. */
  g_assert_cmpuint (child, ==, p.doc.nodes[0].next);
  parsed_clear (&p);

  parse_ok (&p, "{\"a\": [1, 2], \"b\": {\"c\": 3}, \"d\": 4}");
  child = assay_json_first_child (&p.doc, 0);
  g_assert_cmpuint (child, ==, 1);
  for (guint k = 0; k < p.doc.nodes[0].n_children; k++)
    {
      g_autofree char *key = assay_json_dup_string (&p.doc, child);

      g_string_append (keys, key);
      /* From a key, its value is the next node; the next key follows the
       * value's subtree. */
      child = assay_json_next_sibling (&p.doc, child + 1);
    }
  g_assert_cmpstr (keys->str, ==, "abd");
  g_assert_cmpuint (child, ==, p.doc.n_nodes);

  g_assert_cmpuint (assay_json_first_child (&p.doc, 2), ==, 3);
  g_assert_cmpuint (assay_json_first_child (&p.doc, 3), ==, 0);
  parsed_clear (&p);

  parse_ok (&p, "[[], {}, [1]]");
  g_assert_cmpuint (assay_json_first_child (&p.doc, 1), ==, 0);
  g_assert_cmpuint (assay_json_first_child (&p.doc, 2), ==, 0);
  g_assert_cmpuint (assay_json_first_child (&p.doc, 3), ==, 4);
  parsed_clear (&p);

  g_string_free (keys, TRUE);
}

static void
test_object_get (void)
{
  Parsed p;
  guint v;
  gint64 i;

  parse_ok (&p, "{\"a\": 1, \"ab\": 2, \"\": 3, \"a\": 4, \"b\": {\"a\": 5}, \"A\": 6}");
  /* last duplicate wins */
  v = assay_json_object_get (&p.doc, 0, "a");
  g_assert_true (assay_json_get_int64 (&p.doc, v, &i));
  g_assert_cmpint (i, ==, 4);
  v = assay_json_object_get (&p.doc, 0, "ab");
  g_assert_true (assay_json_get_int64 (&p.doc, v, &i));
  g_assert_cmpint (i, ==, 2);
  v = assay_json_object_get (&p.doc, 0, "");
  g_assert_true (assay_json_get_int64 (&p.doc, v, &i));
  g_assert_cmpint (i, ==, 3);
  v = assay_json_object_get (&p.doc, 0, "A");
  g_assert_true (assay_json_get_int64 (&p.doc, v, &i));
  g_assert_cmpint (i, ==, 6);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "abc"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "c"), ==, 0);
  /* Keys of nested objects are not members of the outer one. */
  v = assay_json_object_get (&p.doc, 0, "b");
  g_assert_cmpuint (assay_json_object_get (&p.doc, v, "a"), ==, v + 2);
  parsed_clear (&p);

  /* Keys written with escapes compare decoded. */
  parse_ok (&p, "{\"a\\u0062\": 1, \"caf\\u00e9\": 2, \"q\\\"\\\\\": 3, \"\\ud83d\\ude00\": 4,"
                " \"tab\\t\": 5, \"x\\/y\": 6, \"\\u0041\": 7}");
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "ab"), ==, 2);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "caf\xc3\xa9"), ==, 4);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "q\"\\"), ==, 6);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "\xf0\x9f\x98\x80"), ==, 8);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "tab\t"), ==, 10);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "x/y"), ==, 12);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "A"), ==, 14);
  /* prefixes, extensions and the raw spelling do not match */
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "a"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "abc"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "a\\u0062"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "caf"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "caf\xc3\xa9!"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "tab"), ==, 0);
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, ""), ==, 0);
  parsed_clear (&p);

  /* An escaped duplicate overrides a plain one, and the other way round. */
  parse_ok (&p, "{\"key\": 1, \"k\\u0065y\": 2, \"n\\u0061me\": 3, \"name\": 4}");
  g_assert_true (assay_json_get_int64 (&p.doc, assay_json_object_get (&p.doc, 0, "key"), &i));
  g_assert_cmpint (i, ==, 2);
  g_assert_true (assay_json_get_int64 (&p.doc, assay_json_object_get (&p.doc, 0, "name"), &i));
  g_assert_cmpint (i, ==, 4);
  parsed_clear (&p);

  parse_ok (&p, "{}");
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "a"), ==, 0);
  parsed_clear (&p);
}

static void
test_misuse (void)
{
  Parsed p;

  parse_ok (&p, "[\"a\", 1]");

  g_test_expect_message ("assay-core", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (assay_json_object_get (&p.doc, 0, "a"), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("assay-core", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_null (assay_json_dup_string (&p.doc, 2));
  g_test_assert_expected_messages ();

  g_test_expect_message ("assay-core", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (assay_json_first_child (&p.doc, 3), ==, 0);
  g_test_assert_expected_messages ();

  parsed_clear (&p);
}

static void
test_string_equal (void)
{
  Parsed p;

  parse_ok (&p, "[\"plain\", \"esc\\naped\", \"\", \"\\u00e9t\\u00e9\"]");
  g_assert_true (assay_json_string_equal (&p.doc, 1, "plain"));
  g_assert_false (assay_json_string_equal (&p.doc, 1, "plai"));
  g_assert_false (assay_json_string_equal (&p.doc, 1, "plainer"));
  g_assert_false (assay_json_string_equal (&p.doc, 1, ""));
  g_assert_true (assay_json_string_equal (&p.doc, 2, "esc\naped"));
  g_assert_false (assay_json_string_equal (&p.doc, 2, "esc\\naped"));
  g_assert_false (assay_json_string_equal (&p.doc, 2, "esc\n"));
  g_assert_false (assay_json_string_equal (&p.doc, 2, "esc"));
  g_assert_false (assay_json_string_equal (&p.doc, 2, "esc\napedX"));
  g_assert_true (assay_json_string_equal (&p.doc, 3, ""));
  g_assert_false (assay_json_string_equal (&p.doc, 3, "x"));
  g_assert_true (assay_json_string_equal (&p.doc, 4, "\xc3\xa9t\xc3\xa9"));
  g_assert_false (assay_json_string_equal (&p.doc, 4, "\xc3\xa9t\xc3"));
  g_assert_false (assay_json_string_equal (&p.doc, 4, "\xc3\xa9t"));
  parsed_clear (&p);
}

static void
test_escapes (void)
{
  static const struct
  {
    const char *json;
    const char *decoded;
  } cases[] = {
    { "\"\\\"\"", "\"" },
    { "\"\\\\\"", "\\" },
    { "\"\\/\"", "/" },
    { "\"\\b\"", "\b" },
    { "\"\\f\"", "\f" },
    { "\"\\n\"", "\n" },
    { "\"\\r\"", "\r" },
    { "\"\\t\"", "\t" },
    { "\"\\u0001\"", "\x01" },
    { "\"\\u001f\\u001F\"", "\x1f\x1f" },
    { "\"\\u0041\\u007a\"", "Az" },
    { "\"\\u007f\"", "\x7f" },
    { "\"\\u0080\"", "\xc2\x80" },
    { "\"\\u00e9\\u00E9\"", "\xc3\xa9\xc3\xa9" },
    { "\"\\u07ff\"", "\xdf\xbf" },
    { "\"\\u0800\"", "\xe0\xa0\x80" },
    { "\"\\u20ac\"", "\xe2\x82\xac" },
    { "\"\\ud7ff\"", "\xed\x9f\xbf" },
    { "\"\\ue000\"", "\xee\x80\x80" },
    { "\"\\uffff\"", "\xef\xbf\xbf" },
    { "\"\\ud800\\udc00\"", "\xf0\x90\x80\x80" },
    { "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80" },
    { "\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80" },
    { "\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf" },
    { "\"a\\nb\\tc\\\\d\\\"e\"", "a\nb\tc\\d\"e" },
    { "\"\\\\n\"", "\\n" },
    { "\"\\\\u0041\"", "\\u0041" },
    { "\"x\\ud83d\\ude00y\\u00e9z\"", "x\xf0\x9f\x98\x80y\xc3\xa9z" },
    /* raw UTF-8 of every length, mixed with escapes */
    { "\"\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80\"", "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80" },
    { "\"\xf0\x9f\x98\x80\\n\xf4\x8f\xbf\xbf\"", "\xf0\x9f\x98\x80\n\xf4\x8f\xbf\xbf" },
    { "\"\x7f\"", "\x7f" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("[%s, {%s: 1}]", cases[i].json, cases[i].json);
      Parsed p;

      parse_ok (&p, json);
      assert_string_node (&p.doc, 1, cases[i].decoded);
      g_assert_cmpuint (p.doc.nodes[1].has_escapes, ==, strchr (cases[i].json, '\\') != NULL);
      assert_string_node (&p.doc, 3, cases[i].decoded);
      g_assert_cmpuint (assay_json_object_get (&p.doc, 2, cases[i].decoded), ==, 4);
      parsed_clear (&p);
    }
}

static void
test_utf8_valid (void)
{
  static const char *const strings[] = {
    "\xc2\x80",             /* U+0080 */
    "\xdf\xbf",             /* U+07FF */
    "\xe0\xa0\x80",         /* U+0800 */
    "\xed\x9f\xbf",         /* U+D7FF */
    "\xee\x80\x80",         /* U+E000 */
    "\xef\xbf\xbd",         /* U+FFFD */
    "\xef\xbf\xbf",         /* U+FFFF */
    "\xf0\x90\x80\x80",     /* U+10000 */
    "\xf3\xbf\xbf\xbf",     /* U+FFFFF */
    "\xf4\x8f\xbf\xbf",     /* U+10FFFF */
    "\xe2\x80\xa8\xe2\x80\xa9",
    "\xef\xbb\xbf",         /* a BOM inside a string is just a character */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      /* Once in a short string, once where the word-at-a-time scan sees it. */
      g_autofree char *json = g_strdup_printf ("[\"%s\", \"0123456789%s0123456789\"]",
                                               strings[i], strings[i]);
      g_autofree char *padded = g_strdup_printf ("0123456789%s0123456789", strings[i]);
      Parsed p;

      parse_ok (&p, json);
      assert_string_node (&p.doc, 1, strings[i]);
      assert_string_node (&p.doc, 2, padded);
      parsed_clear (&p);
    }
}

static void
test_utf8_invalid (void)
{
  static const char *const sequences[] = {
    "\x80",                 /* lone continuation bytes */
    "\xbf",
    "\xc0\x80",             /* overlong NUL */
    "\xc0\xaf",             /* overlong '/' */
    "\xc1\xbf",
    "\xe0\x80\x80",         /* overlong 3-byte forms */
    "\xe0\x9f\xbf",
    "\xf0\x80\x80\x80",     /* overlong 4-byte forms */
    "\xf0\x8f\xbf\xbf",
    "\xed\xa0\x80",         /* UTF-16 surrogates encoded in UTF-8 */
    "\xed\xbf\xbf",
    "\xed\xa0\xbd\xed\xb8\x80",
    "\xf4\x90\x80\x80",     /* U+110000 */
    "\xf5\x80\x80\x80",
    "\xf7\xbf\xbf\xbf",
    "\xf8\x88\x80\x80\x80", /* 5- and 6-byte forms */
    "\xfc\x84\x80\x80\x80\x80",
    "\xfe",
    "\xff",
    "\xc3",                 /* truncated sequences */
    "\xe6\x97",
    "\xf0\x9f\x98",
    "\xc3\x41",             /* a lead byte followed by ASCII */
    "\xe6\x97\x41",
    "\xf0\x9f\x98\x41",
    "\xc3\xc3\xa9",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sequences); i++)
    {
      g_autofree char *json = g_strdup_printf ("[\"ab%s\"]", sequences[i]);
      g_autofree char *long_json = g_strdup_printf ("[\"abcdefghijklmnop%s\"]", sequences[i]);
      g_autofree char *at_end = g_strdup_printf ("\"ab%s", sequences[i]);

      check_error (json, "invalid UTF-8 in string", 4, 5);
      check_error (long_json, "invalid UTF-8 in string", 18, 19);
      check_error (at_end, "invalid UTF-8 in string", 3, 4);
    }

  /* Outside strings, a non-ASCII byte is out of place either way. */
  check_error ("\xff", "invalid UTF-8", 0, 1);
  check_error ("[\xc3]", "invalid UTF-8", 1, 2);
  check_error ("[\xc3\xa9]", "unexpected character U+00E9", 1, 2);
  check_error ("\xef\xbb\xbf{}", "unexpected character U+FEFF", 0, 1);
  check_error ("[1,\xc2\xa0" "2]", "unexpected character U+00A0", 3, 4);
}

/* ---- errors ---- */

/* The length of a literal, which strlen would get wrong for the cases that
 * hold a NUL on purpose. */
#define T(s) s, sizeof (s) - 1

static void
test_errors (void)
{
  static const struct
  {
    const char *text;
    gsize       len;
    const char *message;
    gsize       offset;
    gsize       column;
  } cases[] = {
    { T (""), "unexpected end of input", 0, 1 },
    { T ("   \n\t "), "unexpected end of input", 6, 7 },
    { T ("x"), "unexpected character 'x'", 0, 1 },
    { T ("["), "unexpected end of input", 1, 2 },
    { T ("[1"), "unexpected end of input", 2, 3 },
    { T ("[1,"), "unexpected end of input", 3, 4 },
    { T ("{"), "unexpected end of input", 1, 2 },
    { T ("{\"a\""), "unexpected end of input", 4, 5 },
    { T ("{\"a\":"), "unexpected end of input", 5, 6 },
    { T ("{\"a\":1"), "unexpected end of input", 6, 7 },
    { T ("{\"a\":1,"), "unexpected end of input", 7, 8 },
    { T ("[1,]"), "unexpected character ']'", 3, 4 },
    { T ("[,1]"), "unexpected character ','", 1, 2 },
    { T ("[1 2]"), "unexpected character '2'", 3, 4 },
    { T ("[1:2]"), "unexpected character ':'", 2, 3 },
    { T ("[1}"), "unexpected character '}'", 2, 3 },
    { T ("{\"a\":1]"), "unexpected character ']'", 6, 7 },
    { T ("{\"a\" 1}"), "unexpected character '1'", 5, 6 },
    { T ("{1:2}"), "unexpected character '1'", 1, 2 },
    { T ("{'a':2}"), "unexpected character '''", 1, 2 },
    { T ("{a:2}"), "unexpected character 'a'", 1, 2 },
    { T ("{\"a\":1,}"), "unexpected character '}'", 7, 8 },
    { T ("{\"a\":1 \"b\":2}"), "unexpected character '\"'", 7, 8 },
    { T ("{\"a\"::1}"), "unexpected character ':'", 5, 6 },
    { T ("{,}"), "unexpected character ','", 1, 2 },
    { T ("]"), "unexpected character ']'", 0, 1 },
    { T ("\"abc"), "unterminated string", 0, 1 },
    { T ("[\"abc"), "unterminated string", 1, 2 },
    { T ("[\"abc\\"), "unterminated string", 1, 2 },
    { T ("[\"abc\\\""), "unterminated string", 1, 2 },
    { T ("[\"\\u12"), "unterminated string", 1, 2 },
    { T ("[\"\\ud83d\\ude0"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"\\q\"]"), "invalid escape '\\q'", 2, 3 },
    { T ("[\"\\a\"]"), "invalid escape '\\a'", 2, 3 },
    { T ("[\"\\U0041\"]"), "invalid escape '\\U'", 2, 3 },
    { T ("[\"\\x41\"]"), "invalid escape '\\x'", 2, 3 },
    { T ("[\"\\'\"]"), "invalid escape '\\''", 2, 3 },
    { T ("[\"\\0\"]"), "invalid escape '\\0'", 2, 3 },
    { T ("[\"\\\n\"]"), "invalid escape", 2, 3 },
    { T ("[\"\\\xc3\xa9\"]"), "invalid escape", 2, 3 },
    { T ("[\"\\u12G4\"]"), "invalid \\u escape", 2, 3 },
    { T ("[\"\\u-123\"]"), "invalid \\u escape", 2, 3 },
    { T ("[\"\\u12\"]"), "invalid \\u escape", 2, 3 },
    { T ("[\"ab\\ud800\"]"), "unpaired surrogate in \\u escape", 4, 5 },
    { T ("[\"\\udc00\"]"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"\\udfff\\ud800\"]"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"\\ud800\\u0041\"]"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"\\ud800\\ud800\"]"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"\\ud800x\\udc00\"]"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"\\ud800\\n\"]"), "unpaired surrogate in \\u escape", 2, 3 },
    { T ("[\"a\\ud83d\"]"), "unpaired surrogate in \\u escape", 3, 4 },
    { T ("[\"\\u0000\"]"), "\\u0000 is not allowed in strings", 2, 3 },
    { T ("[\"ab\\u0000cd\"]"), "\\u0000 is not allowed in strings", 4, 5 },
    { T ("[\"a\nb\"]"), "control character in string (U+000A)", 3, 4 },
    { T ("\"\t\""), "control character in string (U+0009)", 1, 2 },
    { T ("\"\x01\""), "control character in string (U+0001)", 1, 2 },
    { T ("\"\x1f\""), "control character in string (U+001F)", 1, 2 },
    { T ("\"\r\""), "control character in string (U+000D)", 1, 2 },
    { T ("[\"0123456789abcdef\x1b\"]"), "control character in string (U+001B)", 18, 19 },
    { T ("1 2"), "text after the JSON value", 2, 3 },
    { T ("{} x"), "text after the JSON value", 3, 4 },
    { T ("[]]"), "text after the JSON value", 2, 3 },
    { T ("\"a\"\"b\""), "text after the JSON value", 3, 4 },
    { T ("null,"), "text after the JSON value", 4, 5 },
    { T ("truex"), "text after the JSON value", 4, 5 },
    { T ("0x10"), "text after the JSON value", 1, 2 },
    { T ("[0x10]"), "unexpected character 'x'", 2, 3 },
    { T ("tru"), "unexpected end of input", 3, 4 },
    { T ("nul"), "unexpected end of input", 3, 4 },
    { T ("f"), "unexpected end of input", 1, 2 },
    { T ("trUe"), "unexpected character 'U'", 2, 3 },
    { T ("True"), "unexpected character 'T'", 0, 1 },
    { T ("NULL"), "unexpected character 'N'", 0, 1 },
    { T ("[nil]"), "unexpected character 'i'", 2, 3 },
    { T ("[fals]"), "unexpected character ']'", 5, 6 },
    { T ("undefined"), "unexpected character 'u'", 0, 1 },
    /* whitespace is space, tab, LF and CR only */
    { T ("\f1"), "unexpected character U+000C", 0, 1 },
    { T ("\v1"), "unexpected character U+000B", 0, 1 },
    { T ("[1,\x00 2]"), "unexpected character U+0000", 3, 4 },
    { T ("[1]\x00"), "text after the JSON value", 3, 4 },
    { T ("1\x7f"), "text after the JSON value", 1, 2 },
    { T ("\x7f"), "unexpected character U+007F", 0, 1 },
    /* comments are not JSON */
    { T ("[1] // c"), "text after the JSON value", 4, 5 },
    { T ("/* c */ 1"), "unexpected character '/'", 0, 1 },
    /* columns count code points, not bytes */
    { T ("[\"\xc3\xa9\x01\"]"), "control character in string (U+0001)", 4, 4 },
    { T ("[\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\", x]"), "unexpected character 'x'", 14, 9 },
    { T ("[\"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"] !"), "text after the JSON value", 13, 8 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].message);
      check_error_full (cases[i].text, cases[i].len, 0, cases[i].message,
                        cases[i].offset, cases[i].column);
    }
}

#undef T

static void
test_errors_multiline (void)
{
  /* The column counts from the start of the text, which for the JSONL lines
   * this reader is for is the start of the line. */
  check_error ("{\n  \"a\": x\n}", "unexpected character 'x'", 9, 10);
}

static void
test_error_null (void)
{
  AssayJsonDoc doc;

  assay_json_doc_init (&doc);
  g_assert_false (assay_json_parse (&doc, "[1,", 3, 0, NULL));
  g_assert_cmpuint (doc.n_nodes, ==, 0);
  g_assert_true (assay_json_parse (&doc, "[1]", 3, 0, NULL));
  g_assert_cmpuint (doc.n_nodes, ==, 2);
  assay_json_doc_clear (&doc);

  /* NULL text is the empty document. */
  assay_json_doc_init (&doc);
  g_assert_false (assay_json_parse (&doc, NULL, 0, 0, NULL));
  assay_json_doc_clear (&doc);
  g_assert_null (doc.nodes);
  g_assert_cmpuint (doc.n_nodes, ==, 0);
  g_assert_cmpuint (doc.alloc_nodes, ==, 0);
}

static void
test_too_large (void)
{
#if GLIB_SIZEOF_SIZE_T > 4
  AssayJsonDoc doc;
  AssayJsonError error;

  /* The length is refused before a single byte is read, so the short buffer
   * stands in for a 4 GiB one. */
  assay_json_doc_init (&doc);
  g_assert_false (assay_json_parse (&doc, "[]", (gsize) G_MAXUINT32 + 1, 0, &error));
  g_assert_cmpstr (error.message, ==, "document larger than 4 GiB");
  g_assert_cmpuint (error.offset, ==, 0);
  g_assert_cmpuint (error.column, ==, 1);
  g_assert_cmpuint (doc.n_nodes, ==, 0);
  assay_json_doc_clear (&doc);
#else
  g_test_skip ("gsize cannot hold more than 4 GiB");
#endif
}

/* ---- numbers ---- */

static void
test_numbers_valid (void)
{
  static const struct
  {
    const char *text;
    gboolean    is_integer;
    double      value;
  } cases[] = {
    { "0", TRUE, 0.0 },
    { "-0", TRUE, -0.0 },
    { "7", TRUE, 7.0 },
    { "-7", TRUE, -7.0 },
    { "1234567890", TRUE, 1234567890.0 },
    { "0.5", FALSE, 0.5 },
    { "-0.5", FALSE, -0.5 },
    { "0.0", FALSE, 0.0 },
    { "-0.0", FALSE, -0.0 },
    { "10.25", FALSE, 10.25 },
    { "0e0", FALSE, 0.0 },
    { "0E+0", FALSE, 0.0 },
    { "1e2", FALSE, 100.0 },
    { "1E2", FALSE, 100.0 },
    { "1e+2", FALSE, 100.0 },
    { "1e-2", FALSE, 0.01 },
    { "-1.5e-3", FALSE, -0.0015 },
    { "2.5E+10", FALSE, 2.5e10 },
    { "1e007", FALSE, 1e7 },
    { "0.000", FALSE, 0.0 },
    { "100", TRUE, 100.0 },
    { "1.7976931348623157e308", FALSE, 1.7976931348623157e308 },
    { "5e-324", FALSE, 5e-324 },
    { "1e-400", FALSE, 0.0 },
    { "-1e-400", FALSE, -0.0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("[%s,%s ]", cases[i].text, cases[i].text);
      Parsed p;
      double d;

      /* as the whole document, where the number ends at the end of input */
      parse_ok (&p, cases[i].text);
      g_assert_cmpint (assay_json_type (&p.doc, 0), ==, ASSAY_JSON_NUMBER);
      g_assert_cmpuint (p.doc.nodes[0].is_integer, ==, cases[i].is_integer);
      g_assert_true (assay_json_get_double (&p.doc, 0, &d));
      g_assert_cmpfloat (d, ==, cases[i].value);
      g_assert_cmpint (signbit (d), ==, signbit (cases[i].value));
      assert_raw (&p.doc, 0, cases[i].text);
      parsed_clear (&p);

      parse_ok (&p, json);
      g_assert_cmpuint (p.doc.nodes[0].n_children, ==, 2);
      for (guint n = 1; n <= 2; n++)
        {
          g_assert_cmpuint (p.doc.nodes[n].is_integer, ==, cases[i].is_integer);
          g_assert_true (assay_json_get_double (&p.doc, n, &d));
          g_assert_cmpfloat (d, ==, cases[i].value);
          assert_raw (&p.doc, n, cases[i].text);
        }
      parsed_clear (&p);
    }
}

static void
test_numbers_invalid (void)
{
  static const struct
  {
    const char *text;
    const char *message;
    gsize       offset;
  } cases[] = {
    { "01", "leading zero in number", 0 },
    { "00", "leading zero in number", 0 },
    { "-01", "leading zero in number", 1 },
    { "[00]", "leading zero in number", 1 },
    { "[1, 0123]", "leading zero in number", 4 },
    { "00.5", "leading zero in number", 0 },
    { "+1", "unexpected character '+'", 0 },
    { "[+1]", "unexpected character '+'", 1 },
    { ".5", "unexpected character '.'", 0 },
    { "[.5]", "unexpected character '.'", 1 },
    { "-.5", "expected a digit after '-'", 1 },
    { "1.", "unexpected end of input", 2 },
    { "[1.]", "expected a digit after '.'", 3 },
    { "[1.e5]", "expected a digit after '.'", 3 },
    { "[1..5]", "expected a digit after '.'", 3 },
    { "-", "unexpected end of input", 1 },
    { "[-]", "expected a digit after '-'", 2 },
    { "[--1]", "expected a digit after '-'", 2 },
    { "[- 1]", "expected a digit after '-'", 2 },
    { "1e", "unexpected end of input", 2 },
    { "1e+", "unexpected end of input", 3 },
    { "[1e]", "expected a digit in exponent", 3 },
    { "[1E+]", "expected a digit in exponent", 4 },
    { "[1e-x]", "expected a digit in exponent", 4 },
    { "[1e+-1]", "expected a digit in exponent", 4 },
    { "[1.5e]", "expected a digit in exponent", 5 },
    { "NaN", "unexpected character 'N'", 0 },
    { "[nan]", "unexpected character 'a'", 2 },
    { "Infinity", "unexpected character 'I'", 0 },
    { "-Infinity", "expected a digit after '-'", 1 },
    { "[inf]", "unexpected character 'i'", 1 },
    { "1.5.2", "text after the JSON value", 3 },
    { "1e5e5", "text after the JSON value", 3 },
    { "[1.0.0]", "unexpected character '.'", 4 },
    { "0x1F", "text after the JSON value", 1 },
    { "1_000", "text after the JSON value", 1 },
    { "[1,000]", "leading zero in number", 3 },
    { "\xef\xbc\x91", "unexpected character U+FF11", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("number case %s", cases[i].text);
      check_error (cases[i].text, cases[i].message, cases[i].offset, NO_CHECK);
    }
}

static void
test_int64 (void)
{
  static const struct
  {
    const char *text;
    gboolean    ok;
    gint64      value;
  } cases[] = {
    { "0", TRUE, 0 },
    { "-0", TRUE, 0 },
    { "1", TRUE, 1 },
    { "-1", TRUE, -1 },
    { "4294967296", TRUE, G_GINT64_CONSTANT (4294967296) },
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "-9223372036854775808", TRUE, G_MININT64 },
    { "9223372036854775808", FALSE, 0 },
    { "-9223372036854775809", FALSE, 0 },
    { "18446744073709551615", FALSE, 0 },
    { "18446744073709551616", FALSE, 0 },
    { "99999999999999999999999999999999", FALSE, 0 },
    { "-99999999999999999999999999999999", FALSE, 0 },
    { "1.0", FALSE, 0 },
    { "1e2", FALSE, 0 },
    { "1E0", FALSE, 0 },
    { "-5.5", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("[%s]", cases[i].text);
      Parsed p;
      gint64 value = 12345;

      parse_ok (&p, json);
      g_assert_cmpint (assay_json_get_int64 (&p.doc, 1, &value), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
      else
        g_assert_cmpint (value, ==, 12345);
      parsed_clear (&p);
    }
}

static void
test_double (void)
{
  Parsed p;
  double d = 42.0;
  GString *big = g_string_new ("[");

  parse_ok (&p, "[1e400, -1e400, 1e308, 123456789012345678901234567890, 0.1]");
  g_assert_false (assay_json_get_double (&p.doc, 1, &d));
  g_assert_false (assay_json_get_double (&p.doc, 2, &d));
  g_assert_cmpfloat (d, ==, 42.0);
  g_assert_true (assay_json_get_double (&p.doc, 3, &d));
  g_assert_cmpfloat (d, ==, 1e308);
  g_assert_true (assay_json_get_double (&p.doc, 4, &d));
  g_assert_cmpfloat (d, ==, 123456789012345678901234567890.0);
  g_assert_true (p.doc.nodes[4].is_integer);
  g_assert_true (assay_json_get_double (&p.doc, 5, &d));
  g_assert_cmpfloat (d, ==, 0.1);
  parsed_clear (&p);

  /* A number longer than any stack buffer, and a document where the text
   * right after the number's end is more digits that must not be read. */
  g_string_append (big, "1.");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (big, '0');
  g_string_append (big, "1e3]");
  parse_ok (&p, big->str);
  g_assert_true (assay_json_get_double (&p.doc, 1, &d));
  g_assert_cmpfloat (d, ==, 1000.0);
  parsed_clear (&p);
  g_string_free (big, TRUE);

  parse_ok_len (&p, "1234", 2);
  g_assert_true (assay_json_get_double (&p.doc, 0, &d));
  g_assert_cmpfloat (d, ==, 12.0);
  assert_raw (&p.doc, 0, "12");
  parsed_clear (&p);

  {
    gint64 v;

    parse_ok_len (&p, "-98765", 4);
    g_assert_true (assay_json_get_int64 (&p.doc, 0, &v));
    g_assert_cmpint (v, ==, -987);
    parsed_clear (&p);
  }
}

/* ---- nesting ---- */

static char *
nested (guint       levels,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < levels; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_depth (void)
{
  AssayJsonDoc doc;
  AssayJsonError error;
  char *copy = NULL;
  char *text;

  assay_json_doc_init (&doc);

  /* exactly at the default limit */
  text = nested (ASSAY_JSON_DEFAULT_MAX_DEPTH, "[", "1", "]");
  g_assert_true (parse_exact (&doc, &copy, text, strlen (text), 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, ASSAY_JSON_DEFAULT_MAX_DEPTH + 1);
  for (guint i = 0; i < ASSAY_JSON_DEFAULT_MAX_DEPTH; i++)
    {
      g_assert_cmpuint (doc.nodes[i].n_children, ==, 1);
      g_assert_cmpuint (doc.nodes[i].next, ==, doc.n_nodes);
      g_assert_cmpuint (doc.nodes[i].start, ==, i);
      g_assert_cmpuint (doc.nodes[i].end, ==, strlen (text) - i);
    }
  g_free (text);

  /* one past it */
  text = nested (ASSAY_JSON_DEFAULT_MAX_DEPTH + 1, "[", "", "]");
  check_error (text, "nesting deeper than 64 levels", 64, 65);
  g_free (text);

  /* objects and arrays count alike */
  text = nested (ASSAY_JSON_DEFAULT_MAX_DEPTH / 2, "{\"a\":[", "1", "]}");
  g_assert_true (parse_exact (&doc, &copy, text, strlen (text), 0, &error));
  g_free (text);
  text = nested (ASSAY_JSON_DEFAULT_MAX_DEPTH / 2, "{\"a\":[", "{}", "]}");
  check_error (text, "nesting deeper than 64 levels", 32 * 6, 32 * 6 + 1);
  g_free (text);

  /* an explicit limit */
  check_error_full ("[[1]]", 5, 1, "nesting deeper than 1 levels", 1, 2);
  check_error_full ("{\"a\":{}}", 8, 1, "nesting deeper than 1 levels", 5, 6);
  g_assert_true (parse_exact (&doc, &copy, "[[1]]", 5, 2, &error));
  g_assert_true (parse_exact (&doc, &copy, "[1, [2], [3], [[]]]", 19, 3, &error));
  check_error_full ("[1, [2], [3], [[[]]]]", 21, 3, "nesting deeper than 3 levels", 16, 17);
  /* scalars need no depth */
  g_assert_true (parse_exact (&doc, &copy, "\"x\"", 3, 1, &error));

  /* 100000 open brackets: a clean failure at the limit, not a crash */
  text = nested (100000, "[", "", "");
  check_error (text, "nesting deeper than 64 levels", 64, 65);
  check_error_full (text, 100000, 200000, "unexpected end of input", 100000, 100001);
  g_free (text);

  text = nested (100000, "{\"k\":", "", "");
  check_error (text, "nesting deeper than 64 levels", 64 * 5, 64 * 5 + 1);
  g_free (text);

  /* A large limit works too: nesting costs no recursion. */
  text = nested (100000, "[", "\"deep\"", "]");
  g_assert_true (parse_exact (&doc, &copy, text, strlen (text), 100000, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 100001);
  g_assert_cmpuint (doc.nodes[0].next, ==, 100001);
  g_assert_cmpuint (doc.nodes[99999].next, ==, 100001);
  g_assert_cmpuint (doc.nodes[99999].start, ==, 99999);
  g_assert_cmpuint (doc.nodes[99999].end, ==, 100007);
  g_assert_true (assay_json_string_equal (&doc, 100000, "deep"));
  check_error_full (text, strlen (text), 99999, "nesting deeper than 99999 levels",
                    99999, 100000);
  g_free (text);

  text = nested (50000, "{\"k\":[", "null", "]}");
  g_assert_true (parse_exact (&doc, &copy, text, strlen (text), G_MAXUINT, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 150001);
  g_assert_cmpuint (doc.nodes[0].n_children, ==, 1);
  g_assert_cmpuint (assay_json_object_get (&doc, 0, "k"), ==, 2);
  g_free (text);

  assay_json_doc_clear (&doc);
  g_free (copy);
}

/* ---- size ---- */

static void
test_large_string (void)
{
  const gsize target = 5 * 1024 * 1024;
  GString *expected = g_string_sized_new (target + 64);
  GString *json = g_string_sized_new (target * 2);
  GRand *rand = g_rand_new_with_seed (5);
  AssayJsonDoc doc;
  AssayJsonError error;
  char *copy = NULL;
  char *decoded;
  guint value;

  g_string_append (json, "{\"id\":7,\"text\":\"");
  while (expected->len < target)
    {
      guint r = g_rand_int_range (rand, 0, 100);

      if (r < 2)
        {
          g_string_append_c (expected, '\n');
          g_string_append (json, "\\n");
        }
      else if (r < 3)
        {
          g_string_append_c (expected, '"');
          g_string_append (json, "\\\"");
        }
      else if (r < 4)
        {
          g_string_append (expected, "\xc3\xa9");
          g_string_append (json, "\xc3\xa9");
        }
      else if (r < 5)
        {
          g_string_append (expected, "\xf0\x9f\x98\x80");
          g_string_append (json, "\\ud83d\\ude00");
        }
      else
        {
          char c = 'a' + r % 26;

          g_string_append_c (expected, c);
          g_string_append_c (json, c);
        }
    }
  g_string_append (json, "\",\"plain\":\"");
  for (gsize i = 0; i < target; i++)
    g_string_append_c (json, 'a' + i % 26);
  g_string_append (json, "\",\"tail\":[true]}");

  assay_json_doc_init (&doc);
  g_assert_true (parse_exact (&doc, &copy, json->str, json->len, 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 10);

  value = assay_json_object_get (&doc, 0, "text");
  g_assert_cmpuint (value, ==, 4);
  g_assert_true (doc.nodes[value].has_escapes);
  decoded = assay_json_dup_string (&doc, value);
  g_assert_cmpuint (strlen (decoded), ==, expected->len);
  g_assert_true (memcmp (decoded, expected->str, expected->len) == 0);
  g_assert_true (assay_json_string_equal (&doc, value, expected->str));
  g_free (decoded);

  value = assay_json_object_get (&doc, 0, "plain");
  g_assert_false (doc.nodes[value].has_escapes);
  g_assert_cmpuint (doc.nodes[value].end - doc.nodes[value].start, ==, target + 2);
  decoded = assay_json_dup_string (&doc, value);
  g_assert_cmpuint (strlen (decoded), ==, target);
  g_assert_cmpint (decoded[target - 1], ==, 'a' + (target - 1) % 26);
  g_free (decoded);

  value = assay_json_object_get (&doc, 0, "tail");
  g_assert_cmpint (assay_json_type (&doc, value), ==, ASSAY_JSON_ARRAY);
  g_assert_cmpuint (doc.nodes[value].end, ==, json->len - 1);

  /* the same text with its closing quote cut off */
  g_assert_false (parse_exact (&doc, &copy, json->str, json->len - 16, 0, &error));
  g_assert_cmpstr (error.message, ==, "unterminated string");

  assay_json_doc_clear (&doc);
  g_free (copy);
  g_rand_free (rand);
  g_string_free (expected, TRUE);
  g_string_free (json, TRUE);
}

static void
test_many_nodes (void)
{
  GString *json = g_string_new ("[");
  AssayJsonDoc doc;
  AssayJsonError error;
  char *copy = NULL;
  guint child;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (json, "%s{\"i\":%u}", i ? "," : "", i);
  g_string_append_c (json, ']');

  assay_json_doc_init (&doc);
  g_assert_true (parse_exact (&doc, &copy, json->str, json->len, 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 300001);
  g_assert_cmpuint (doc.alloc_nodes, >=, doc.n_nodes);
  g_assert_cmpuint (doc.nodes[0].n_children, ==, 100000);

  child = assay_json_first_child (&doc, 0);
  for (guint i = 0; i < 100000; i++)
    {
      gint64 v;

      g_assert_true (assay_json_get_int64 (&doc, assay_json_object_get (&doc, child, "i"), &v));
      g_assert_cmpint (v, ==, i);
      child = assay_json_next_sibling (&doc, child);
    }
  g_assert_cmpuint (child, ==, doc.n_nodes);

  assay_json_doc_clear (&doc);
  g_free (copy);
  g_string_free (json, TRUE);
}

static void
test_reuse (void)
{
  AssayJsonDoc doc;
  AssayJsonError error;
  char *copy = NULL;
  AssayJsonNode *nodes;

  assay_json_doc_init (&doc);
  g_assert_null (doc.nodes);
  g_assert_cmpuint (doc.n_nodes, ==, 0);

  g_assert_true (parse_exact (&doc, &copy, "[1,2,3]", 7, 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 4);
  nodes = doc.nodes;

  g_assert_true (parse_exact (&doc, &copy, "{\"a\":true}", 10, 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 3);
  g_assert_true (doc.text == copy);
  g_assert_cmpuint (doc.len, ==, 10);
  g_assert_cmpint (assay_json_type (&doc, 0), ==, ASSAY_JSON_OBJECT);
  g_assert_cmpint (assay_json_type (&doc, 2), ==, ASSAY_JSON_TRUE);
  /* the small array is kept, not reallocated */
  g_assert_true (doc.nodes == nodes);

  g_assert_false (parse_exact (&doc, &copy, "{\"a\":", 5, 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 0);

  g_assert_true (parse_exact (&doc, &copy, "\"s\"", 3, 0, &error));
  g_assert_cmpuint (doc.n_nodes, ==, 1);
  assert_string_node (&doc, 0, "s");

  assay_json_doc_clear (&doc);
  g_assert_null (doc.nodes);
  g_assert_cmpuint (doc.alloc_nodes, ==, 0);
  /* clearing twice is harmless */
  assay_json_doc_clear (&doc);
  g_free (copy);
}

static void
test_type_name (void)
{
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_NULL), ==, "null");
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_FALSE), ==, "a boolean");
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_TRUE), ==, "a boolean");
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_NUMBER), ==, "a number");
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_STRING), ==, "a string");
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_ARRAY), ==, "an array");
  g_assert_cmpstr (assay_json_type_name (ASSAY_JSON_OBJECT), ==, "an object");
}

/* ---- writing ---- */

static char *
string_literal (const char *str,
                gssize      len)
{
  GString *out = g_string_new ("x");

  assay_json_append_string (out, str, len);
  g_assert_cmpint (out->str[0], ==, 'x');
  g_string_erase (out, 0, 1);
  return g_string_free (out, FALSE);
}

static void
test_write_string (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "", "\"\"" },
    { "plain", "\"plain\"" },
    { "\"", "\"\\\"\"" },
    { "\\", "\"\\\\\"" },
    { "/", "\"/\"" },
    { "a\nb", "\"a\\nb\"" },
    { "\r\t\b\f", "\"\\r\\t\\b\\f\"" },
    { "\x01\x1f", "\"\\u0001\\u001f\"" },
    { "\x0b\x1b", "\"\\u000b\\u001b\"" },
    { "\x7f", "\"\x7f\"" },
    { " ~", "\" ~\"" },
    { "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80",
      "\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\"" },
    { "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", "\"a\\u2028b\\u2029c\"" },
    { "\xe2\x80\xa7\xe2\x80\xaa\xe2\x82\xac", "\"\xe2\x80\xa7\xe2\x80\xaa\xe2\x82\xac\"" },
    { "0123456789abcdef\"0123456789abcdef\n", "\"0123456789abcdef\\\"0123456789abcdef\\n\"" },
    { "\"\"\\\\", "\"\\\"\\\"\\\\\\\\\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *lit = string_literal (cases[i].in, -1);
      g_autofree char *lit_len = string_literal (cases[i].in, strlen (cases[i].in));

      g_assert_cmpstr (lit, ==, cases[i].out);
      g_assert_cmpstr (lit_len, ==, cases[i].out);
    }

  {
    /* An explicit length covers embedded NULs and stops early. */
    g_autofree char *with_nul = string_literal ("a\0b", 3);
    g_autofree char *prefix = string_literal ("abcdef", 2);
    g_autofree char *cut_2028 = string_literal ("a\xe2\x80\xa8", 3);
    g_autofree char *empty = string_literal (NULL, 0);

    g_assert_cmpstr (with_nul, ==, "\"a\\u0000b\"");
    g_assert_cmpstr (prefix, ==, "\"ab\"");
    /* a cut U+2028 is not mistaken for a whole one */
    g_assert_cmpstr (cut_2028, ==, "\"a\xe2\x80\"");
    g_assert_cmpstr (empty, ==, "\"\"");
  }
}

static void
roundtrip_string (const char *str)
{
  g_autofree char *lit = string_literal (str, -1);
  g_autoptr(json_t) json = NULL;
  json_error_t jerror;
  Parsed p;

  parse_ok (&p, lit);
  assert_string_node (&p.doc, 0, str);
  parsed_clear (&p);

  /* jansson reads it back the same, too */
  json = json_loads (lit, JSON_DECODE_ANY, &jerror);
  g_assert_nonnull (json);
  g_assert_cmpstr (json_string_value (json), ==, str);
}

static void
test_write_string_roundtrip (void)
{
  GString *all_ascii = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (2024);

  for (guint c = 1; c < 0x80; c++)
    {
      char s[4] = { 'x', (char) c, 'y', 0 };

      roundtrip_string (s + 1);
      roundtrip_string (s);
      g_string_append_c (all_ascii, (char) c);
    }
  roundtrip_string (all_ascii->str);
  g_string_free (all_ascii, TRUE);

  roundtrip_string ("");
  roundtrip_string ("\xe2\x80\xa8\xe2\x80\xa9");
  roundtrip_string ("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
  roundtrip_string ("\\u0041 \\n \\\\ \"quoted\" /slash/");

  /* random strings over all of Unicode, weighted towards the characters
   * that need escaping */
  for (guint i = 0; i < 3000; i++)
    {
      GString *s = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 0, 40);

      for (guint k = 0; k < n; k++)
        {
          gunichar c;

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0:
              c = g_rand_int_range (rand, 1, 0x20);
              break;
            case 1:
              c = "\"\\/\x7f"[g_rand_int_range (rand, 0, 4)];
              break;
            case 2:
              c = g_rand_int_range (rand, 0x20, 0x80);
              break;
            case 3:
              c = g_rand_boolean (rand) ? 0x2028 + g_rand_int_range (rand, 0, 2)
                                        : g_rand_int_range (rand, 0x80, 0x10000);
              break;
            default:
              c = g_rand_int_range (rand, 0x10000, 0x110000);
              break;
            }
          if (c >= 0xD800 && c <= 0xDFFF)
            c = 0xFFFD;
          g_string_append_unichar (s, c);
        }
      roundtrip_string (s->str);
      g_string_free (s, TRUE);
    }

  g_rand_free (rand);
}

static void
test_write_int (void)
{
  static const gint64 values[] = {
    0, 1, -1, 42, -42, G_MAXINT32, G_MININT32, G_MAXINT64, G_MININT64,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      GString *out = g_string_new (NULL);
      Parsed p;
      gint64 v;

      assay_json_append_int (out, values[i]);
      parse_ok (&p, out->str);
      g_assert_true (p.doc.nodes[0].is_integer);
      g_assert_true (assay_json_get_int64 (&p.doc, 0, &v));
      g_assert_cmpint (v, ==, values[i]);
      parsed_clear (&p);
      g_string_free (out, TRUE);
    }

  {
    GString *out = g_string_new ("[");

    assay_json_append_int (out, G_MININT64);
    g_string_append_c (out, ',');
    assay_json_append_int (out, 7);
    g_assert_cmpstr (out->str, ==, "[-9223372036854775808,7");
    g_string_free (out, TRUE);
  }
}

static void
check_double_text (double      value,
                   const char *expected)
{
  GString *out = g_string_new (NULL);

  assay_json_append_double (out, value);
  g_assert_cmpstr (out->str, ==, expected);
  g_string_free (out, TRUE);
}

static void
roundtrip_double (double value)
{
  GString *out = g_string_new (NULL);
  Parsed p;
  double back;

  assay_json_append_double (out, value);
  parse_ok (&p, out->str);
  g_assert_cmpint (assay_json_type (&p.doc, 0), ==, ASSAY_JSON_NUMBER);
  g_assert_true (assay_json_get_double (&p.doc, 0, &back));
  if (memcmp (&back, &value, sizeof value) != 0)
    g_error ("%.17g was written as %s and read back as %.17g", value, out->str, back);
  parsed_clear (&p);
  g_string_free (out, TRUE);
}

static void
test_write_double (void)
{
  static const double values[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0, 1e300, -1e300, 1e-300,
    5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456789012345678.0,
    9007199254740993.0, 9007199254740992.0, 1e21, 1e22, 1e-7, 3.14159265358979, G_PI, G_E,
    100.0, 1e15, 1e16, 1e17, 0.1 + 0.2,
  };
  GRand *rand = g_rand_new_with_seed (77);

  check_double_text (3.0, "3");
  check_double_text (-3.0, "-3");
  check_double_text (0.0, "0");
  check_double_text (-0.0, "-0");
  check_double_text (0.1, "0.1");
  check_double_text (0.5, "0.5");
  check_double_text (1e300, "1e+300");
  check_double_text (5e-324, "4.94065645841247e-324");
  check_double_text (123456789012345678.0, "1.2345678901234568e+17");
  check_double_text (0.1 + 0.2, "0.30000000000000004");
  check_double_text (NAN, "null");
  check_double_text (INFINITY, "null");
  check_double_text (-INFINITY, "null");

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    roundtrip_double (values[i]);

  /* random bit patterns cover all exponents */
  for (guint i = 0; i < 5000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double d;

      memcpy (&d, &bits, sizeof d);
      if (isfinite (d))
        roundtrip_double (d);
    }
  g_rand_free (rand);
}

static void
check_dump (json_t     *json,
            const char *expected)
{
  g_autofree char *text = assay_json_dumps_compact (json);

  g_assert_cmpstr (text, ==, expected);
  json_decref (json);
}

static void
test_dumps_compact (void)
{
  g_autofree char *text = NULL;
  Parsed p;

  check_dump (json_pack ("{s:i, s:[i, s, b, n], s:{}}", "b", 1, "a", 2, "x", 1, "c"),
              "{\"b\":1,\"a\":[2,\"x\",true,null],\"c\":{}}");
  check_dump (json_pack ("{s:s}", "t", "caf\xc3\xa9 /\n\"\\"),
              "{\"t\":\"caf\xc3\xa9 /\\n\\\"\\\\\"}");
  check_dump (json_pack ("[f, f, f]", 2.5, 0.1, -0.0), "[2.5,0.1,-0.0]");
  check_dump (json_integer (5), "5");
  check_dump (json_string ("s"), "\"s\"");
  check_dump (json_null (), "null");
  check_dump (json_array (), "[]");

  /* the output is read back by our own parser as the same document */
  {
    g_autoptr(json_t) json = json_pack ("{s:[{s:s}, i, f], s:s}",
                                        "list", "k", "v\xe2\x82\xac", -7, 1e-5,
                                        "m", "line\nbreak");

    text = assay_json_dumps_compact (json);
  }
  g_assert_null (strchr (text, '\n'));
  g_assert_null (strchr (text, ' '));
  parse_ok (&p, text);
  {
    guint list = assay_json_object_get (&p.doc, 0, "list");
    guint m = assay_json_object_get (&p.doc, 0, "m");

    g_assert_cmpuint (p.doc.nodes[list].n_children, ==, 3);
    assert_string_node (&p.doc, m, "line\nbreak");
    assert_string_node (&p.doc, assay_json_object_get (&p.doc, list + 1, "k"), "v\xe2\x82\xac");
  }
  parsed_clear (&p);
}

/* ---- fuzzing ---- */

/* Compares our reading of node `node` with jansson's reading of the same
 * text, which must agree wherever both accept the input. */
static void
compare_with_jansson (const AssayJsonDoc *doc,
                      guint               node,
                      json_t             *json)
{
  const AssayJsonNode *n = &doc->nodes[node];

  switch (assay_json_type (doc, node))
    {
    case ASSAY_JSON_NULL:
      g_assert_true (json_is_null (json));
      break;
    case ASSAY_JSON_TRUE:
      g_assert_true (json_is_true (json));
      break;
    case ASSAY_JSON_FALSE:
      g_assert_true (json_is_false (json));
      break;
    case ASSAY_JSON_NUMBER:
      {
        double d;

        g_assert_true (json_is_number (json));
        g_assert_cmpuint (n->is_integer, ==, json_is_integer (json));
        g_assert_true (assay_json_get_double (doc, node, &d));
        g_assert_cmpfloat (d, ==, json_number_value (json));
      }
      break;
    case ASSAY_JSON_STRING:
      {
        g_autofree char *s = assay_json_dup_string (doc, node);

        g_assert_true (json_is_string (json));
        g_assert_cmpuint (strlen (s), ==, json_string_length (json));
        g_assert_cmpstr (s, ==, json_string_value (json));
      }
      break;
    case ASSAY_JSON_ARRAY:
      {
        guint child = assay_json_first_child (doc, node);

        g_assert_true (json_is_array (json));
        g_assert_cmpuint (n->n_children, ==, json_array_size (json));
        for (guint k = 0; k < n->n_children; k++)
          {
            compare_with_jansson (doc, child, json_array_get (json, k));
            child = assay_json_next_sibling (doc, child);
          }
      }
      break;
    case ASSAY_JSON_OBJECT:
      {
        const char *key;
        json_t *value;

        g_assert_true (json_is_object (json));
        /* jansson folds duplicate names, so it can only have fewer. */
        g_assert_cmpuint (n->n_children, >=, json_object_size (json));
        json_object_foreach (json, key, value)
          {
            guint member = assay_json_object_get (doc, node, key);

            g_assert_cmpuint (member, >, node);
            compare_with_jansson (doc, member, value);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* TRUE if jansson would refuse a number that we accept: it does not allow
 * integers beyond 64 bits or doubles that overflow. */
static gboolean
has_number_jansson_refuses (const AssayJsonDoc *doc)
{
  for (guint i = 0; i < doc->n_nodes; i++)
    {
      double d;
      gint64 v;

      if (assay_json_type (doc, i) != ASSAY_JSON_NUMBER)
        continue;
      if (doc->nodes[i].is_integer && !assay_json_get_int64 (doc, i, &v))
        return TRUE;
      if (!assay_json_get_double (doc, i, &d))
        return TRUE;
    }
  return FALSE;
}

static void
check_consistent (const AssayJsonDoc *doc)
{
  g_assert_cmpuint (doc->n_nodes, >, 0);
  g_assert_cmpuint (doc->n_nodes, <=, doc->len);
  g_assert_cmpuint (doc->nodes[0].next, ==, doc->n_nodes);

  for (guint i = 0; i < doc->n_nodes; i++)
    {
      const AssayJsonNode *n = &doc->nodes[i];

      g_assert_cmpuint (n->start, <, n->end);
      g_assert_cmpuint (n->end, <=, doc->len);
      g_assert_cmpuint (n->next, >, i);
      g_assert_cmpuint (n->next, <=, doc->n_nodes);
      g_assert_cmpuint (n->type, <=, ASSAY_JSON_OBJECT);

      switch (n->type)
        {
        case ASSAY_JSON_STRING:
          {
            g_autofree char *s = assay_json_dup_string (doc, i);

            g_assert_true (g_utf8_validate (s, -1, NULL));
            g_assert_true (assay_json_string_equal (doc, i, s));
            g_assert_cmpuint (strlen (s), <=, n->end - n->start - 2);
            g_assert_cmpuint (n->next, ==, i + 1);
          }
          break;

        case ASSAY_JSON_ARRAY:
        case ASSAY_JSON_OBJECT:
          {
            guint per = n->type == ASSAY_JSON_OBJECT ? 2 : 1;
            guint child = assay_json_first_child (doc, i);
            guint count = 0;
            guint last_end = n->start;

            g_assert_cmpuint (child, ==, n->n_children ? i + 1 : 0);
            if (child == 0)
              {
                g_assert_cmpuint (n->next, ==, i + 1);
                break;
              }
            while (child < n->next)
              {
                /* children lie inside the container, in order */
                g_assert_cmpuint (doc->nodes[child].start, >, last_end);
                g_assert_cmpuint (doc->nodes[child].end, <, n->end);
                if (per == 2 && count % 2 == 0)
                  g_assert_cmpint (doc->nodes[child].type, ==, ASSAY_JSON_STRING);
                last_end = doc->nodes[child].end - 1;
                child = doc->nodes[child].next;
                count++;
              }
            g_assert_cmpuint (child, ==, n->next);
            g_assert_cmpuint (count, ==, n->n_children * per);

            if (per == 2)
              {
                g_autofree char *key = assay_json_dup_string (doc, i + 1);

                g_assert_cmpuint (assay_json_object_get (doc, i, key), >, i + 1);
              }
          }
          break;

        default:
          g_assert_cmpuint (n->next, ==, i + 1);
          g_assert_cmpuint (n->n_children, ==, 0);
          break;
        }
    }
}

static void
mutate (GString *s,
        GRand   *rand)
{
  static const char alphabet[] = "{}[]\",:\\ \t\n0123456789-+.eEtrufalsnu\\\"x/";
  guint pos = s->len ? g_rand_int_range (rand, 0, s->len) : 0;
  char c;

  if (g_rand_int_range (rand, 0, 4) == 0)
    c = (char) g_rand_int_range (rand, 0, 256);
  else
    c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      if (s->len > 0)
        s->str[pos] = c;
      break;
    case 1:
      g_string_insert_c (s, pos, c);
      break;
    case 2:
      if (s->len > 0)
        g_string_erase (s, pos, 1);
      break;
    case 3:
      if (s->len > 0)
        {
          guint len = g_rand_int_range (rand, 1, MIN (s->len - pos, 12) + 1);
          g_autofree char *chunk = g_strndup (s->str + pos, len);

          g_string_insert (s, g_rand_int_range (rand, 0, s->len + 1), chunk);
        }
      break;
    case 4:
      g_string_truncate (s, pos);
      break;
    default:
      {
        static const char *const pieces[] = {
          "\\u", "\\ud83d", "\\ude00", "\\u0000", "\xc3\xa9", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
          "\xe2\x80\xa8", "1e", "-0", "[", "]", "{\"\":", "true", "null", "\"", "00", "\xc0\x80",
        };

        g_string_insert (s, pos, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      }
      break;
    }
}

static void
test_fuzz (void)
{
  static const char *const seeds[] = {
    "{\"a\": [1, 2.5, -3e4, true, false, null], \"b\": {\"c\": \"d\\n\\u00e9\"}}",
    "[\"\\ud83d\\ude00\", \"caf\xc3\xa9\", \"\\\"q\\\"\", \"\\\\\", \"\\/\"]",
    "{\"id\":\"x1\",\"text\":\"hello world, how are you today?\",\"meta\":{\"k\":[1,2,{}]}}",
    "[[[[[]]]], {}, [{}], {\"\": []}]",
    "-0.0e-0",
    "\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\\t\xf0\x9f\x98\x80\"",
    "[0, 10, 1.25, 1E+2, 9223372036854775807, -9223372036854775808]",
    "{\"a\":{\"a\":{\"a\":{\"a\":null}}}, \"a\": 1}",
    " \n\t\r[ true , false , null ] \n",
    "[\"0123456789abcdefghijklmnop\", \"0123456789\\u0041bcdefghijklmnop\"]",
  };
  GRand *rand = g_rand_new_with_seed (20240901);
  GString *s = g_string_new (NULL);
  AssayJsonDoc doc;
  AssayJsonError error;
  char *copy = NULL;
  guint n_ok = 0;
  guint n_compared = 0;
  /* `-m slow` runs a longer session. */
  guint n_iterations = g_test_slow () ? 2000000 : 20000;

  assay_json_doc_init (&doc);
  for (guint iter = 0; iter < n_iterations; iter++)
    {
      guint n_mutations = g_rand_int_range (rand, 1, 4);
      guint max_depth = g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 1, 8) : 0;
      gboolean ok;

      g_string_assign (s, seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeds))]);
      for (guint m = 0; m < n_mutations; m++)
        mutate (s, rand);

      ok = parse_exact (&doc, &copy, s->str, s->len, max_depth, &error);
      if (!ok)
        {
          g_assert_cmpuint (doc.n_nodes, ==, 0);
          g_assert_cmpuint (error.offset, <=, s->len);
          g_assert_cmpuint (error.column, >=, 1);
          g_assert_cmpuint (error.column, <=, error.offset + 1);
          g_assert_cmpuint (strlen (error.message), >, 0);
          continue;
        }

      n_ok++;
      check_consistent (&doc);

      /* Where no depth limit is involved, jansson must agree. */
      if (max_depth == 0 && !has_number_jansson_refuses (&doc))
        {
          g_autoptr(json_t) json = NULL;
          json_error_t jerror;

          json = json_loadb (s->str, s->len, JSON_DECODE_ANY, &jerror);
          if (json == NULL)
            g_error ("jansson refused what we accepted: '%s': %s", s->str, jerror.text);
          compare_with_jansson (&doc, 0, json);
          n_compared++;
        }
    }

  /* And the other way round, for invalid input jansson also refuses. Not
   * with a NUL byte in the text, though: jansson takes "[1\0]" for [1]. */
  for (guint iter = 0; iter < n_iterations / 4; iter++)
    {
      g_autoptr(json_t) json = NULL;
      json_error_t jerror;

      g_string_assign (s, seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeds))]);
      mutate (s, rand);
      if (memchr (s->str, '\0', s->len) != NULL)
        continue;
      json = json_loadb (s->str, s->len, JSON_DECODE_ANY, &jerror);
      if (json != NULL && !parse_exact (&doc, &copy, s->str, s->len, 0, &error))
        g_error ("we refused what jansson accepted: '%s': %s", s->str, error.message);
    }

  g_test_message ("%u of %u mutated documents parsed, %u compared with jansson",
                  n_ok, n_iterations, n_compared);
  g_assert_cmpuint (n_ok, >, 100);

  assay_json_doc_clear (&doc);
  g_free (copy);
  g_string_free (s, TRUE);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/json/scalars", test_scalars);
  g_test_add_func ("/assay/json/structure", test_structure);
  g_test_add_func ("/assay/json/raw-spans", test_raw_spans);
  g_test_add_func ("/assay/json/iteration", test_iteration);
  g_test_add_func ("/assay/json/object-get", test_object_get);
  g_test_add_func ("/assay/json/misuse", test_misuse);
  g_test_add_func ("/assay/json/string-equal", test_string_equal);
  g_test_add_func ("/assay/json/escapes", test_escapes);
  g_test_add_func ("/assay/json/utf8-valid", test_utf8_valid);
  g_test_add_func ("/assay/json/utf8-invalid", test_utf8_invalid);
  g_test_add_func ("/assay/json/errors", test_errors);
  g_test_add_func ("/assay/json/errors-multiline", test_errors_multiline);
  g_test_add_func ("/assay/json/error-null", test_error_null);
  g_test_add_func ("/assay/json/too-large", test_too_large);
  g_test_add_func ("/assay/json/numbers-valid", test_numbers_valid);
  g_test_add_func ("/assay/json/numbers-invalid", test_numbers_invalid);
  g_test_add_func ("/assay/json/int64", test_int64);
  g_test_add_func ("/assay/json/double", test_double);
  g_test_add_func ("/assay/json/depth", test_depth);
  g_test_add_func ("/assay/json/large-string", test_large_string);
  g_test_add_func ("/assay/json/many-nodes", test_many_nodes);
  g_test_add_func ("/assay/json/reuse", test_reuse);
  g_test_add_func ("/assay/json/type-name", test_type_name);
  g_test_add_func ("/assay/json/write-string", test_write_string);
  g_test_add_func ("/assay/json/write-string-roundtrip", test_write_string_roundtrip);
  g_test_add_func ("/assay/json/write-int", test_write_int);
  g_test_add_func ("/assay/json/write-double", test_write_double);
  g_test_add_func ("/assay/json/dumps-compact", test_dumps_compact);
  g_test_add_func ("/assay/json/fuzz", test_fuzz);

  return g_test_run ();
}
