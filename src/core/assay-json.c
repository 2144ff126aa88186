/* assay-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include "assay-json.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* While a container is open its `next` field is not known yet, so it holds
 * the index of the enclosing container instead. That makes the node array
 * its own stack: nesting costs no memory besides the nodes themselves and
 * no recursion, however deep the input goes. */
#define NO_PARENT G_MAXUINT32

#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* TRUE for bytes that can be copied through inside a string literal
 * without a second look: printable ASCII other than '"' and '\\'. */
static inline gboolean
is_plain_byte (guchar c)
{
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Returns the first byte in [p, end) that is not plain. Imported lines can
 * carry a megabyte-long transcript, so this is where parsing spends its
 * time: it tests eight bytes per step. Each term below can only set a high
 * bit if some byte is special (>= 0x80, < 0x20, '"' or '\\'), and borrows
 * only start at such a byte, so the test has no false negatives; a false
 * positive merely hands the word to the byte loop. */
static inline const guchar *
skip_plain (const guchar *p,
            const guchar *end)
{
  while (end - p >= 8)
    {
      guint64 w, quote, bslash;

      memcpy (&w, p, sizeof w);
      quote = w ^ (ONES * '"');
      bslash = w ^ (ONES * '\\');
      if (((w - ONES * 0x20) | (quote - ONES) | (bslash - ONES) | w) & HIGHS)
        break;
      p += 8;
    }

  while (p < end && is_plain_byte (*p))
    p++;

  return p;
}

static inline const guchar *
skip_ws (const guchar *p,
         const guchar *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/* Length of the well-formed UTF-8 sequence at p (whose first byte is
 * >= 0x80), or 0. The second-byte ranges are what rule out overlong forms,
 * UTF-16 surrogates and code points past U+10FFFF. */
static inline guint
utf8_sequence_length (const guchar *p,
                      const guchar *end)
{
  gsize avail = end - p;
  guchar c = p[0];
  guchar lo = 0x80;
  guchar hi = 0xBF;

  if (c < 0xC2)
    return 0;

  if (c < 0xE0)
    return (avail >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;

  if (c < 0xF0)
    {
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
      return (avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80) ? 3 : 0;
    }

  if (c < 0xF5)
    {
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
      return (avail >= 4 && p[1] >= lo && p[1] <= hi &&
              (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) ? 4 : 0;
    }

  return 0;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits at p as a code unit, or -1. Needs p + 4 <= end. */
static inline int
hex4 (const guchar *p)
{
  int a = hex_value (p[0]);
  int b = hex_value (p[1]);
  int c = hex_value (p[2]);
  int d = hex_value (p[3]);

  if ((a | b | c | d) < 0)
    return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

static void set_error (AssayJsonError *error,
                       const guchar   *base,
                       gsize           offset,
                       const char     *format,
                       ...) G_GNUC_PRINTF (4, 5);

static void
set_error (AssayJsonError *error,
           const guchar   *base,
           gsize           offset,
           const char     *format,
           ...)
{
  va_list args;
  gsize column = 1;

  if (error == NULL)
    return;

  /* Everything before the offset has been validated by then, so counting
   * the bytes that start a character counts code points. */
  for (gsize i = 0; i < offset; i++)
    if ((base[i] & 0xC0) != 0x80)
      column++;

  error->offset = offset;
  error->column = column;

  va_start (args, format);
  g_vsnprintf (error->message, sizeof error->message, format, args);
  va_end (args);
}

/* Reports the byte at p where it does not belong. */
static void
set_unexpected (AssayJsonError *error,
                const guchar   *base,
                const guchar   *p,
                const guchar   *end)
{
  gsize offset = p - base;

  if (p == end)
    set_error (error, base, offset, "unexpected end of input");
  else if (*p > 0x20 && *p < 0x7F)
    set_error (error, base, offset, "unexpected character '%c'", *p);
  else if (*p < 0x80)
    set_error (error, base, offset, "unexpected character U+%04X", *p);
  else if (utf8_sequence_length (p, end) > 0)
    set_error (error, base, offset, "unexpected character U+%04X",
               g_utf8_get_char ((const char *) p));
  else
    set_error (error, base, offset, "invalid UTF-8");
}

/* Validates the string literal whose opening quote is at `quote` and
 * returns the position just past its closing quote, or NULL. */
static const guchar *
scan_string (const guchar   *quote,
             const guchar   *end,
             const guchar   *base,
             guint8         *has_escapes,
             AssayJsonError *error)
{
  const guchar *p = quote + 1;

  for (;;)
    {
      guint n;

      p = skip_plain (p, end);
      if (G_UNLIKELY (p == end))
        {
          /* The opening quote is what the writer has to look for. */
          set_error (error, base, quote - base, "unterminated string");
          return NULL;
        }

      if (*p == '"')
        return p + 1;

      if (*p == '\\')
        {
          int unit;

          *has_escapes = TRUE;
          if (end - p < 2)
            goto unterminated;

          switch (p[1])
            {
            case '"': case '\\': case '/':
            case 'b': case 'f': case 'n': case 'r': case 't':
              p += 2;
              continue;

            case 'u':
              break;

            default:
              if (p[1] > 0x20 && p[1] < 0x7F)
                set_error (error, base, p - base, "invalid escape '\\%c'", p[1]);
              else
                set_error (error, base, p - base, "invalid escape");
              return NULL;
            }

          for (int i = 2; i < 6; i++)
            {
              if (p + i >= end)
                goto unterminated;
              if (hex_value (p[i]) < 0)
                {
                  set_error (error, base, p - base, "invalid \\u escape");
                  return NULL;
                }
            }
          unit = hex4 (p + 2);

          if (unit == 0)
            {
              /* Strings end up in SQLite and GTK as C strings, where a NUL
               * would silently cut them short. */
              set_error (error, base, p - base, "\\u0000 is not allowed in strings");
              return NULL;
            }

          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              int low;

              if (end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
                  (low = hex4 (p + 8)) >= 0xDC00 && low <= 0xDFFF)
                {
                  p += 12;
                  continue;
                }
              set_error (error, base, p - base, "unpaired surrogate in \\u escape");
              return NULL;
            }

          if (unit >= 0xDC00 && unit <= 0xDFFF)
            {
              set_error (error, base, p - base, "unpaired surrogate in \\u escape");
              return NULL;
            }

          p += 6;
          continue;
        }

      if (*p < 0x20)
        {
          set_error (error, base, p - base, "control character in string (U+%04X)", *p);
          return NULL;
        }

      n = utf8_sequence_length (p, end);
      if (G_UNLIKELY (n == 0))
        {
          set_error (error, base, p - base, "invalid UTF-8 in string");
          return NULL;
        }
      p += n;
    }

unterminated:
  set_error (error, base, quote - base, "unterminated string");
  return NULL;
}

/* Scans the number at p (a '-' or a digit) and returns the position just
 * past it, or NULL. */
static const guchar *
scan_number (const guchar   *p,
             const guchar   *end,
             const guchar   *base,
             guint8         *is_integer,
             AssayJsonError *error)
{
  *is_integer = TRUE;

  if (*p == '-')
    {
      p++;
      if (p == end || (guint) (*p - '0') > 9)
        {
          if (p == end)
            set_error (error, base, p - base, "unexpected end of input");
          else
            set_error (error, base, p - base, "expected a digit after '-'");
          return NULL;
        }
    }

  if (*p == '0')
    {
      p++;
      if (p < end && (guint) (*p - '0') <= 9)
        {
          set_error (error, base, p - 1 - base, "leading zero in number");
          return NULL;
        }
    }
  else
    {
      while (p < end && (guint) (*p - '0') <= 9)
        p++;
    }

  if (p < end && *p == '.')
    {
      *is_integer = FALSE;
      p++;
      if (p == end || (guint) (*p - '0') > 9)
        {
          if (p == end)
            set_error (error, base, p - base, "unexpected end of input");
          else
            set_error (error, base, p - base, "expected a digit after '.'");
          return NULL;
        }
      while (p < end && (guint) (*p - '0') <= 9)
        p++;
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *is_integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || (guint) (*p - '0') > 9)
        {
          if (p == end)
            set_error (error, base, p - base, "unexpected end of input");
          else
            set_error (error, base, p - base, "expected a digit in exponent");
          return NULL;
        }
      while (p < end && (guint) (*p - '0') <= 9)
        p++;
    }

  return p;
}

/* Checks that the literal `word` is at p. On a mismatch, reports the first
 * byte that differs. */
static gboolean
scan_literal (const guchar   *p,
              const guchar   *end,
              const guchar   *base,
              const char     *word,
              gsize           word_len,
              AssayJsonError *error)
{
  for (gsize i = 0; i < word_len; i++)
    {
      if (p + i == end || p[i] != (guchar) word[i])
        {
          set_unexpected (error, base, p + i, end);
          return FALSE;
        }
    }
  return TRUE;
}

/* Makes room for one more node. A hostile file can ask for up to one node
 * per byte, 20 times its own size, so running out of memory is an input
 * error here rather than a reason to abort. */
static gboolean
reserve_node (AssayJsonDoc *doc)
{
  guint64 wanted;
  AssayJsonNode *nodes;

  if (G_LIKELY (doc->n_nodes < doc->alloc_nodes))
    return TRUE;

  /* There is at most one node per byte of text, and the text is below
   * 4 GiB, so this cap is never the limit that matters. */
  wanted = doc->alloc_nodes ? (guint64) doc->alloc_nodes * 2 : 64;
  wanted = MIN (wanted, (guint64) G_MAXUINT32);
  if (wanted > G_MAXSIZE / sizeof (AssayJsonNode))
    return FALSE;

  nodes = g_try_renew (AssayJsonNode, doc->nodes, (gsize) wanted);
  if (nodes == NULL)
    return FALSE;

  doc->nodes = nodes;
  doc->alloc_nodes = (guint) wanted;
  return TRUE;
}

/* The caller has called reserve_node(). */
static inline guint32
add_node (AssayJsonDoc  *doc,
          AssayJsonType  type,
          guint32        start)
{
  AssayJsonNode *node;

  node = &doc->nodes[doc->n_nodes];
  node->type = type;
  node->has_escapes = FALSE;
  node->is_integer = FALSE;
  node->reserved = 0;
  node->start = start;
  node->end = start;
  node->next = doc->n_nodes + 1;
  node->n_children = 0;

  return doc->n_nodes++;
}

void
assay_json_doc_init (AssayJsonDoc *doc)
{
  g_return_if_fail (doc != NULL);

  memset (doc, 0, sizeof *doc);
}

void
assay_json_doc_clear (AssayJsonDoc *doc)
{
  g_return_if_fail (doc != NULL);

  g_free (doc->nodes);
  memset (doc, 0, sizeof *doc);
}

/* A max_depth of 0 means ASSAY_JSON_DEFAULT_MAX_DEPTH. On failure the
 * document has no nodes, but keeps its allocation for the next parse.
 *
 * The grammar is walked by a handful of labels (value, key, after_value,
 * close) joined with goto: the open containers live in the node array, so
 * there is no recursion to bound and no call per value besides the
 * scanners for strings and numbers. */
gboolean
assay_json_parse (AssayJsonDoc   *doc,
                  const char     *text,
                  gsize           len,
                  guint           max_depth,
                  AssayJsonError *error)
{
  const guchar *base;
  const guchar *end;
  const guchar *p;
  guint32 parent = NO_PARENT;
  guint depth = 0;
  guint32 idx;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (text == NULL)
    text = "";
  if (max_depth == 0)
    max_depth = ASSAY_JSON_DEFAULT_MAX_DEPTH;

  base = (const guchar *) text;
  p = base;
  end = base + len;

  doc->text = text;
  doc->len = len;
  doc->n_nodes = 0;

#if GLIB_SIZEOF_SIZE_T > 4
  /* Offsets are stored in 32 bits. */
  if (len > G_MAXUINT32)
    {
      set_error (error, base, 0, "document larger than 4 GiB");
      goto fail;
    }
#endif

value:
  p = skip_ws (p, end);
  if (p == end)
    {
      set_unexpected (error, base, p, end);
      goto fail;
    }
  if (G_UNLIKELY (!reserve_node (doc)))
    goto out_of_memory;

  switch (*p)
    {
    case '"':
      {
        const guchar *q;

        idx = add_node (doc, ASSAY_JSON_STRING, p - base);
        q = scan_string (p, end, base, &doc->nodes[idx].has_escapes, error);
        if (q == NULL)
          goto fail;
        p = q;
        doc->nodes[idx].end = p - base;
      }
      goto after_value;

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      {
        const guchar *q;

        idx = add_node (doc, ASSAY_JSON_NUMBER, p - base);
        q = scan_number (p, end, base, &doc->nodes[idx].is_integer, error);
        if (q == NULL)
          goto fail;
        p = q;
        doc->nodes[idx].end = p - base;
      }
      goto after_value;

    case 't':
      if (!scan_literal (p, end, base, "true", 4, error))
        goto fail;
      idx = add_node (doc, ASSAY_JSON_TRUE, p - base);
      p += 4;
      doc->nodes[idx].end = p - base;
      goto after_value;

    case 'f':
      if (!scan_literal (p, end, base, "false", 5, error))
        goto fail;
      idx = add_node (doc, ASSAY_JSON_FALSE, p - base);
      p += 5;
      doc->nodes[idx].end = p - base;
      goto after_value;

    case 'n':
      if (!scan_literal (p, end, base, "null", 4, error))
        goto fail;
      idx = add_node (doc, ASSAY_JSON_NULL, p - base);
      p += 4;
      doc->nodes[idx].end = p - base;
      goto after_value;

    case '[':
    case '{':
      if (depth >= max_depth)
        {
          set_error (error, base, p - base, "nesting deeper than %u levels", max_depth);
          goto fail;
        }
      depth++;
      idx = add_node (doc, *p == '[' ? ASSAY_JSON_ARRAY : ASSAY_JSON_OBJECT, p - base);
      doc->nodes[idx].next = parent;
      parent = idx;
      p = skip_ws (p + 1, end);
      if (p == end)
        {
          set_unexpected (error, base, p, end);
          goto fail;
        }
      if (doc->nodes[idx].type == ASSAY_JSON_ARRAY)
        {
          if (*p == ']')
            {
              p++;
              goto close;
            }
          goto value;
        }
      if (*p == '}')
        {
          p++;
          goto close;
        }
      goto key;

    default:
      set_unexpected (error, base, p, end);
      goto fail;
    }

key:
  /* p is at a non-blank byte where a member name must start. */
  if (*p != '"')
    {
      set_unexpected (error, base, p, end);
      goto fail;
    }
  else if (G_UNLIKELY (!reserve_node (doc)))
    {
      goto out_of_memory;
    }
  else
    {
      const guchar *q;

      idx = add_node (doc, ASSAY_JSON_STRING, p - base);
      q = scan_string (p, end, base, &doc->nodes[idx].has_escapes, error);
      if (q == NULL)
        goto fail;
      p = q;
      doc->nodes[idx].end = p - base;
    }
  p = skip_ws (p, end);
  if (p == end || *p != ':')
    {
      set_unexpected (error, base, p, end);
      goto fail;
    }
  p++;
  goto value;

after_value:
  if (parent == NO_PARENT)
    goto done;

  doc->nodes[parent].n_children++;
  p = skip_ws (p, end);
  if (p == end)
    {
      set_unexpected (error, base, p, end);
      goto fail;
    }
  if (doc->nodes[parent].type == ASSAY_JSON_ARRAY)
    {
      if (*p == ',')
        {
          p++;
          goto value;
        }
      if (*p == ']')
        {
          p++;
          goto close;
        }
    }
  else
    {
      if (*p == ',')
        {
          p = skip_ws (p + 1, end);
          if (p == end)
            {
              set_unexpected (error, base, p, end);
              goto fail;
            }
          goto key;
        }
      if (*p == '}')
        {
          p++;
          goto close;
        }
    }
  set_unexpected (error, base, p, end);
  goto fail;

close:
  /* p is just past the closing bracket of container `parent`. */
  {
    AssayJsonNode *node = &doc->nodes[parent];

    node->end = p - base;
    parent = node->next;
    node->next = doc->n_nodes;
    depth--;
  }
  goto after_value;

done:
  p = skip_ws (p, end);
  if (p != end)
    {
      set_error (error, base, p - base, "text after the JSON value");
      goto fail;
    }
  return TRUE;

out_of_memory:
  set_error (error, base, p - base, "not enough memory for the document");

fail:
  doc->n_nodes = 0;
  return FALSE;
}

const char *
assay_json_type_name (AssayJsonType type)
{
  switch (type)
    {
    case ASSAY_JSON_NULL:
      return "null";
    case ASSAY_JSON_FALSE:
    case ASSAY_JSON_TRUE:
      return "a boolean";
    case ASSAY_JSON_NUMBER:
      return "a number";
    case ASSAY_JSON_STRING:
      return "a string";
    case ASSAY_JSON_ARRAY:
      return "an array";
    case ASSAY_JSON_OBJECT:
      return "an object";
    default:
      break;
    }
  g_return_val_if_reached ("an unknown value");
}

/* Decodes the escape sequence at *pp (at its backslash) into buf, which
 * must hold at least 6 bytes, advances *pp past it and returns the number
 * of bytes written. The parser has validated the text already. */
static guint
decode_escape (const guchar **pp,
               char          *buf)
{
  const guchar *p = *pp;
  gunichar c;

  *pp = p + 2;
  switch (p[1])
    {
    case 'b':
      buf[0] = '\b';
      return 1;
    case 'f':
      buf[0] = '\f';
      return 1;
    case 'n':
      buf[0] = '\n';
      return 1;
    case 'r':
      buf[0] = '\r';
      return 1;
    case 't':
      buf[0] = '\t';
      return 1;
    case 'u':
      break;
    default:
      /* '"', '\\' and '/' stand for themselves */
      buf[0] = (char) p[1];
      return 1;
    }

  c = hex4 (p + 2);
  *pp = p + 6;
  if (c >= 0xD800 && c <= 0xDBFF)
    {
      c = 0x10000 + ((c - 0xD800) << 10) + ((gunichar) hex4 (p + 8) - 0xDC00);
      *pp = p + 12;
    }
  return g_unichar_to_utf8 (c, buf);
}

static inline gboolean
is_node_of_type (const AssayJsonDoc *doc,
                 guint               node,
                 AssayJsonType       type)
{
  return doc != NULL && node < doc->n_nodes && doc->nodes[node].type == type;
}

/* Compares the escaped inner text [p, end) of a string with str. */
static gboolean
escaped_string_equal (const guchar *p,
                      const guchar *end,
                      const char   *str)
{
  while (p < end)
    {
      const guchar *backslash = memchr (p, '\\', end - p);
      gsize run = (backslash ? backslash : end) - p;
      char buf[8];
      guint n;

      /* The raw text holds no NUL, so strncmp also stops a short str. */
      if (strncmp (str, (const char *) p, run) != 0)
        return FALSE;
      str += run;
      p += run;
      if (p == end)
        break;

      n = decode_escape (&p, buf);
      for (guint i = 0; i < n; i++)
        if (str[i] != buf[i])
          return FALSE;
      str += n;
    }
  return *str == '\0';
}

guint
assay_json_object_get (const AssayJsonDoc *doc,
                       guint               node,
                       const char         *key)
{
  const AssayJsonNode *nodes;
  gsize key_len;
  guint found = 0;
  guint32 i;

  g_return_val_if_fail (is_node_of_type (doc, node, ASSAY_JSON_OBJECT), 0);
  g_return_val_if_fail (key != NULL, 0);

  nodes = doc->nodes;
  key_len = strlen (key);
  i = node + 1;
  for (guint32 k = 0; k < nodes[node].n_children; k++)
    {
      const AssayJsonNode *name = &nodes[i];
      const guchar *raw = (const guchar *) doc->text + name->start + 1;
      gsize raw_len = name->end - name->start - 2;

      /* No escape decodes to more bytes than it takes, so a name whose raw
       * text is shorter than the key can never match. */
      if (!name->has_escapes)
        {
          if (raw_len == key_len && memcmp (raw, key, key_len) == 0)
            found = i + 1;
        }
      else if (raw_len >= key_len && escaped_string_equal (raw, raw + raw_len, key))
        {
          found = i + 1;
        }

      /* Keep going: with duplicate names the last one wins. */
      i = nodes[i + 1].next;
    }

  return found;
}

guint
assay_json_first_child (const AssayJsonDoc *doc,
                        guint               node)
{
  const AssayJsonNode *n;

  g_return_val_if_fail (doc != NULL && node < doc->n_nodes, 0);

  n = &doc->nodes[node];
  if ((n->type == ASSAY_JSON_ARRAY || n->type == ASSAY_JSON_OBJECT) && n->n_children > 0)
    return node + 1;
  return 0;
}

char *
assay_json_dup_string (const AssayJsonDoc *doc,
                       guint               node)
{
  const AssayJsonNode *n;
  GString *out;

  g_return_val_if_fail (is_node_of_type (doc, node, ASSAY_JSON_STRING), NULL);

  n = &doc->nodes[node];
  if (!n->has_escapes)
    return g_strndup (doc->text + n->start + 1, n->end - n->start - 2);

  out = g_string_sized_new (n->end - n->start - 2);
  assay_json_append_decoded (doc, node, out);
  return g_string_free (out, FALSE);
}

gboolean
assay_json_string_equal (const AssayJsonDoc *doc,
                         guint               node,
                         const char         *str)
{
  const AssayJsonNode *n;
  const guchar *raw;
  gsize raw_len;

  g_return_val_if_fail (is_node_of_type (doc, node, ASSAY_JSON_STRING), FALSE);
  g_return_val_if_fail (str != NULL, FALSE);

  n = &doc->nodes[node];
  raw = (const guchar *) doc->text + n->start + 1;
  raw_len = n->end - n->start - 2;

  if (!n->has_escapes)
    return strlen (str) == raw_len && memcmp (raw, str, raw_len) == 0;
  return escaped_string_equal (raw, raw + raw_len, str);
}

void
assay_json_append_decoded (const AssayJsonDoc *doc,
                           guint               node,
                           GString            *out)
{
  const AssayJsonNode *n;
  const guchar *p;
  const guchar *end;

  g_return_if_fail (is_node_of_type (doc, node, ASSAY_JSON_STRING));
  g_return_if_fail (out != NULL);

  n = &doc->nodes[node];
  p = (const guchar *) doc->text + n->start + 1;
  end = (const guchar *) doc->text + n->end - 1;

  if (!n->has_escapes)
    {
      g_string_append_len (out, (const char *) p, end - p);
      return;
    }

  while (p < end)
    {
      const guchar *backslash = memchr (p, '\\', end - p);
      char buf[8];
      guint n_bytes;

      if (backslash == NULL)
        {
          g_string_append_len (out, (const char *) p, end - p);
          break;
        }
      if (backslash > p)
        g_string_append_len (out, (const char *) p, backslash - p);

      p = backslash;
      n_bytes = decode_escape (&p, buf);
      g_string_append_len (out, buf, n_bytes);
    }
}

gboolean
assay_json_get_int64 (const AssayJsonDoc *doc,
                      guint               node,
                      gint64             *value)
{
  const AssayJsonNode *n;
  const guchar *p;
  const guchar *end;
  gboolean negative = FALSE;
  guint64 magnitude = 0;

  g_return_val_if_fail (is_node_of_type (doc, node, ASSAY_JSON_NUMBER), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  n = &doc->nodes[node];
  if (!n->is_integer)
    return FALSE;

  /* The text is not NUL-terminated after the number, so the digits are
   * summed here rather than handed to a C string function. The grammar was
   * checked by the parser: an optional '-', then digits only. */
  p = (const guchar *) doc->text + n->start;
  end = (const guchar *) doc->text + n->end;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  for (; p < end; p++)
    {
      guint digit = *p - '0';

      if (magnitude > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      magnitude = magnitude * 10 + digit;
    }

  if (negative)
    {
      if (magnitude > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *value = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
    }
  else
    {
      if (magnitude > (guint64) G_MAXINT64)
        return FALSE;
      *value = (gint64) magnitude;
    }

  return TRUE;
}

gboolean
assay_json_get_double (const AssayJsonDoc *doc,
                       guint               node,
                       double             *value)
{
  const AssayJsonNode *n;
  gsize len;
  char stack_buf[64];
  char *heap_buf = NULL;
  char *buf = stack_buf;
  double d;

  g_return_val_if_fail (is_node_of_type (doc, node, ASSAY_JSON_NUMBER), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  /* g_ascii_strtod needs a NUL-terminated copy: the byte after the number
   * may be a digit of something else, or not be readable at all. */
  n = &doc->nodes[node];
  len = n->end - n->start;
  if (len >= sizeof stack_buf)
    buf = heap_buf = g_malloc (len + 1);
  memcpy (buf, doc->text + n->start, len);
  buf[len] = '\0';

  d = g_ascii_strtod (buf, NULL);
  g_free (heap_buf);

  /* Underflow gives a zero or a subnormal, which is the closest value and
   * fine; overflow gives an infinity, which JSON cannot have meant. */
  if (isinf (d))
    return FALSE;

  *value = d;
  return TRUE;
}

/* ---- writing ---- */

void
assay_json_append_string (GString    *out,
                          const char *str,
                          gssize      len)
{
  static const char hex_digits[] = "0123456789abcdef";
  const guchar *p;
  const guchar *run;
  const guchar *end;

  g_return_if_fail (out != NULL);
  g_return_if_fail (str != NULL || len == 0);

  if (str == NULL)
    str = "";
  if (len < 0)
    len = strlen (str);

  p = run = (const guchar *) str;
  end = p + len;

  g_string_append_c (out, '"');
  for (;;)
    {
      char esc[7];
      guchar c;

      p = skip_plain (p, end);
      if (p == end)
        break;

      c = *p;
      if (c >= 0x80)
        {
          /* U+2028 and U+2029 are legal in JSON but end a line in
           * JavaScript; escaping them keeps the output safe to embed. */
          if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
            {
              g_string_append_len (out, (const char *) run, p - run);
              g_string_append (out, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
              p += 3;
              run = p;
            }
          else
            {
              p++;
            }
          continue;
        }

      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);

      esc[0] = '\\';
      esc[2] = '\0';
      switch (c)
        {
        case '"':
          esc[1] = '"';
          break;
        case '\\':
          esc[1] = '\\';
          break;
        case '\b':
          esc[1] = 'b';
          break;
        case '\f':
          esc[1] = 'f';
          break;
        case '\n':
          esc[1] = 'n';
          break;
        case '\r':
          esc[1] = 'r';
          break;
        case '\t':
          esc[1] = 't';
          break;
        default:
          esc[1] = 'u';
          esc[2] = '0';
          esc[3] = '0';
          esc[4] = hex_digits[c >> 4];
          esc[5] = hex_digits[c & 0xF];
          esc[6] = '\0';
          break;
        }
      g_string_append (out, esc);

      p++;
      run = p;
    }

  if (end > run)
    g_string_append_len (out, (const char *) run, end - run);
  g_string_append_c (out, '"');
}

void
assay_json_append_int (GString *out,
                       gint64   value)
{
  g_return_if_fail (out != NULL);

  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

void
assay_json_append_double (GString *out,
                          double   value)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  /* %.17g always reads back exactly, so the loop ends with a usable buffer
   * even when the shorter forms do not; they only avoid printing 0.1 as
   * 0.10000000000000001. The %g forms ("1e+300", "-0", "3") are all valid
   * JSON numbers. */
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

/* JSON_COMPACT drops the blanks after ',' and ':', and without JSON_INDENT
 * jansson writes no newlines, so a document is one line. Keys keep their
 * insertion order (JSON_PRESERVE_ORDER is the default since jansson 2.8 and
 * only spelled out here) and non-ASCII text stays UTF-8 (no
 * JSON_ENSURE_ASCII). Reals get 15 significant digits: what people write
 * (weights such as 0.4, means such as 3.25) comes out as they wrote it,
 * rather than as 0.40000000000000002, and a value read back from that form
 * writes the same form again. JSON_ENCODE_ANY lets scalars through. */
char *
assay_json_dumps_compact (json_t *json)
{
  char *dumped;
  char *copy;

  g_return_val_if_fail (json != NULL, NULL);

  dumped = json_dumps (json, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
                             JSON_REAL_PRECISION (15));
  /* Only a broken value gets here: a string made with the _nocheck
   * constructors holding invalid UTF-8, or a container that holds itself. */
  g_return_val_if_fail (dumped != NULL, NULL);

  copy = g_strdup (dumped);
  free (dumped);
  return copy;
}
