/* assay-json.h: a fast, strict JSON reader and a small JSON writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not jansson for this: imported lines can hold a megabyte-long
 * transcript, and jansson builds and copies every string character by
 * character, which is far slower than Python's json module on such input.
 * This reader makes one validating pass over the text and records a flat
 * array of nodes that point back into the caller's buffer, so a string is
 * only decoded when it is needed and any value's exact source text (for
 * example a metadata object, which Assay keeps byte for byte) can be taken
 * as it was written. jansson is still used for small, structured documents
 * (the task template, CLI --json output).
 */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

typedef enum
{
  ASSAY_JSON_NULL,
  ASSAY_JSON_FALSE,
  ASSAY_JSON_TRUE,
  ASSAY_JSON_NUMBER,
  ASSAY_JSON_STRING,
  ASSAY_JSON_ARRAY,
  ASSAY_JSON_OBJECT,
} AssayJsonType;

/* One value of the document. Containers are followed directly by their
 * children; in an object the children alternate key (a string node) and
 * value. `next` is the index just past the node's whole subtree, so a
 * sibling walk is `i = nodes[i].next`. */
typedef struct
{
  guint8  type;          /* AssayJsonType */
  guint8  has_escapes;   /* strings: TRUE if the raw text holds a backslash */
  guint8  is_integer;    /* numbers: TRUE if written without fraction or exponent */
  guint8  reserved;
  guint32 start;         /* byte offset of the first byte of the value (the quote for strings) */
  guint32 end;           /* byte offset just past the value */
  guint32 next;          /* index past this node's subtree */
  guint32 n_children;    /* arrays: elements; objects: members (key/value pairs) */
} AssayJsonNode;

typedef struct
{
  const char    *text;     /* not owned; must outlive the document */
  gsize          len;
  AssayJsonNode *nodes;
  guint          n_nodes;
  guint          alloc_nodes;
} AssayJsonDoc;

#define ASSAY_JSON_DEFAULT_MAX_DEPTH 64

/* Where and why a parse failed. `offset` is a byte offset into the text,
 * `column` the 1-based position in code points from the start of the text
 * (for a JSONL line, its column). */
typedef struct
{
  gsize offset;
  gsize column;
  char  message[160];
} AssayJsonError;

void         assay_json_doc_init            (AssayJsonDoc        *doc);
void         assay_json_doc_clear           (AssayJsonDoc        *doc);

/* Parses exactly one JSON value (RFC 8259) that spans the whole of
 * text[0..len), surrounding whitespace allowed. Rejects: invalid UTF-8,
 * control characters and NUL (also as \u0000) in strings, unpaired
 * surrogate escapes, nesting deeper than max_depth, leading zeros, and
 * anything after the value. On failure fills `error` and returns FALSE.
 * The document can be reused: parsing again replaces its nodes. */
gboolean     assay_json_parse               (AssayJsonDoc        *doc,
                                             const char          *text,
                                             gsize                len,
                                             guint                max_depth,
                                             AssayJsonError      *error);

static inline AssayJsonType
assay_json_type (const AssayJsonDoc *doc,
                 guint               node)
{
  return (AssayJsonType) doc->nodes[node].type;
}

/* Human name of a type: "null", "a boolean", "a number", "a string",
 * "an array", "an object" (for messages such as "expected a string,
 * found a number"). Not translated: messages put it in quotes of their own. */
const char  *assay_json_type_name           (AssayJsonType        type);

/* Index of the value of member `key` in object `node`, or 0 if the object
 * has no such member (index 0 is always the root, never a member value).
 * If the key occurs more than once, the last one wins, as in most readers. */
guint        assay_json_object_get          (const AssayJsonDoc  *doc,
                                             guint                node,
                                             const char          *key);

/* Iteration: first_child gives an array's first element, or an object's
 * first key (0 for an empty container). next_sibling steps over a whole
 * subtree: in an array from element to element; in an object from a key to
 * its value, and from the value to the next key. Count with n_children:
 *
 *   guint child = assay_json_first_child (doc, array);
 *   for (guint i = 0; i < doc->nodes[array].n_children; i++)
 *     { ...; child = assay_json_next_sibling (doc, child); }
 */
guint        assay_json_first_child         (const AssayJsonDoc  *doc,
                                             guint                node);
static inline guint
assay_json_next_sibling (const AssayJsonDoc *doc,
                         guint               node)
{
  return doc->nodes[node].next;
}

/* Decoded copy of a string node (escapes resolved). Never NULL for a
 * string node; the result is valid UTF-8 without NUL bytes. */
char        *assay_json_dup_string          (const AssayJsonDoc  *doc,
                                             guint                node);

/* TRUE if string node `node` decodes to exactly `str`. */
gboolean     assay_json_string_equal        (const AssayJsonDoc  *doc,
                                             guint                node,
                                             const char          *str);

/* Appends the decoded string to `out`. */
void         assay_json_append_decoded      (const AssayJsonDoc  *doc,
                                             guint                node,
                                             GString             *out);

/* Number nodes. get_int64 fails (returns FALSE) for numbers that are not
 * integers or do not fit; get_double fails only for values out of range. */
gboolean     assay_json_get_int64           (const AssayJsonDoc  *doc,
                                             guint                node,
                                             gint64              *value);
gboolean     assay_json_get_double          (const AssayJsonDoc  *doc,
                                             guint                node,
                                             double              *value);

/* The exact source text of a value, as written (pointer into doc->text). */
static inline const char *
assay_json_raw (const AssayJsonDoc *doc,
                guint               node,
                gsize              *len)
{
  *len = doc->nodes[node].end - doc->nodes[node].start;
  return doc->text + doc->nodes[node].start;
}

/* ---- writing ---- */

/* Appends `str` (valid UTF-8, `len` bytes or -1 for NUL-terminated) as a
 * JSON string literal with quotes. Only the characters JSON requires are
 * escaped (", \, and control characters), so non-ASCII text stays readable
 * and the output is as short as possible. */
void         assay_json_append_string       (GString             *out,
                                             const char          *str,
                                             gssize               len);

/* Appends an integer or a double (shortest form that reads back exactly;
 * integral doubles get no fraction, NaN and infinities become null). */
void         assay_json_append_int          (GString             *out,
                                             gint64               value);
void         assay_json_append_double       (GString             *out,
                                             double               value);

/* Writes `json` with jansson in compact form, keys in insertion order, the
 * way Assay writes every JSON document: one line, no spaces. */
char        *assay_json_dumps_compact       (json_t              *json);

G_END_DECLS
