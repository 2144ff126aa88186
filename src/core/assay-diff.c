/* assay-diff.c: word-level differences between two texts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens are interned to integers so that the diff compares numbers. The
 * edit script is Myers' O((N+M)D) algorithm with the "middle snake"
 * refinement, which needs memory linear in the input: a summary of a few
 * thousand words rewritten from scratch still costs only milliseconds and a
 * few hundred kilobytes.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include "assay-diff.h"

/* ---- tokens ---- */

static inline gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '_';
}

static inline gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

GArray *
assay_diff_tokenize (const char *text,
                     gssize      len)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (AssayToken));
  const char *p, *end;
  gint64 offset = 0;

  g_return_val_if_fail (text != NULL || len == 0, tokens);

  if (text == NULL)
    return tokens;
  if (len < 0)
    len = strlen (text);
  p = text;
  end = text + len;

  while (p < end)
    {
      AssayToken token;
      gunichar c = g_utf8_get_char (p);
      const char *q = g_utf8_next_char (p);
      gint64 n = 1;

      token.byte_start = p - text;
      token.start = offset;

      if (g_unichar_isspace (c))
        {
          token.kind = ASSAY_TOKEN_SPACE;
          while (q < end && g_unichar_isspace (g_utf8_get_char (q)))
            {
              q = g_utf8_next_char (q);
              n++;
            }
        }
      else if (is_word_char (c))
        {
          gunichar prev = c;

          token.kind = ASSAY_TOKEN_WORD;
          while (q < end)
            {
              gunichar d = g_utf8_get_char (q);

              if (is_word_char (d))
                {
                  prev = d;
                  q = g_utf8_next_char (q);
                  n++;
                  continue;
                }

              /* "don't", "4.5", "1,000": a joiner with word characters on
               * both sides stays inside the word. */
              if (is_apostrophe (d) || ((d == '.' || d == ',') && g_unichar_isdigit (prev)))
                {
                  const char *r = g_utf8_next_char (q);
                  gunichar e;

                  if (r < end)
                    {
                      e = g_utf8_get_char (r);
                      if (is_apostrophe (d) ? g_unichar_isalpha (e) && g_unichar_isalpha (prev)
                                            : g_unichar_isdigit (e))
                        {
                          q = r;
                          n++;
                          continue;
                        }
                    }
                }
              break;
            }
        }
      else
        token.kind = ASSAY_TOKEN_PUNCTUATION;

      token.byte_end = q - text;
      offset += n;
      token.end = offset;
      g_array_append_val (tokens, token);
      p = q;
    }

  return tokens;
}

guint
assay_diff_count_words (const char *text)
{
  g_autoptr(GArray) tokens = assay_diff_tokenize (text, -1);
  guint n = 0;

  for (guint i = 0; i < tokens->len; i++)
    if (g_array_index (tokens, AssayToken, i).kind != ASSAY_TOKEN_SPACE)
      n++;
  return n;
}

/* ---- interning ---- */

typedef struct
{
  const char *text;
  guint       len;
} Slice;

static guint
slice_hash (gconstpointer key)
{
  const Slice *s = key;
  guint32 h = 2166136261u;

  /* FNV-1a */
  for (guint i = 0; i < s->len; i++)
    h = (h ^ (guint8) s->text[i]) * 16777619u;
  return h;
}

static gboolean
slice_equal (gconstpointer a,
             gconstpointer b)
{
  const Slice *x = a, *y = b;

  return x->len == y->len && memcmp (x->text, y->text, x->len) == 0;
}

typedef struct
{
  GArray *tokens_a;
  GArray *tokens_b;
  guint  *ids_a;     /* one id per token; equal text, equal id */
  guint  *ids_b;
} Interned;

static void
interned_clear (Interned *in)
{
  g_clear_pointer (&in->tokens_a, g_array_unref);
  g_clear_pointer (&in->tokens_b, g_array_unref);
  g_clear_pointer (&in->ids_a, g_free);
  g_clear_pointer (&in->ids_b, g_free);
}

static void
intern_tokens (const char *text,
               GArray     *tokens,
               Slice      *slices,
               GHashTable *table,
               guint      *ids)
{
  for (guint i = 0; i < tokens->len; i++)
    {
      const AssayToken *t = &g_array_index (tokens, AssayToken, i);
      gpointer value;

      slices[i].text = text + t->byte_start;
      slices[i].len = t->byte_end - t->byte_start;
      if (g_hash_table_lookup_extended (table, &slices[i], NULL, &value))
        ids[i] = GPOINTER_TO_UINT (value);
      else
        {
          ids[i] = g_hash_table_size (table);
          g_hash_table_insert (table, &slices[i], GUINT_TO_POINTER (ids[i]));
        }
    }
}

static void
intern (const char *a,
        const char *b,
        Interned   *in)
{
  g_autoptr(GHashTable) table = g_hash_table_new (slice_hash, slice_equal);
  g_autofree Slice *slices = NULL;

  in->tokens_a = assay_diff_tokenize (a, -1);
  in->tokens_b = assay_diff_tokenize (b, -1);
  slices = g_new (Slice, in->tokens_a->len + in->tokens_b->len + 1);
  in->ids_a = g_new (guint, in->tokens_a->len + 1);
  in->ids_b = g_new (guint, in->tokens_b->len + 1);
  intern_tokens (a, in->tokens_a, slices, table, in->ids_a);
  intern_tokens (b, in->tokens_b, slices + in->tokens_a->len, table, in->ids_b);
}

/* ---- edit distance ---- */

/* Levenshtein distance in a diagonal band |i - j| <= k, widened by doubling:
 * a path that leaves the band costs more than k, so a result of at most k
 * is exact (Ukkonen 1985). */
static guint
levenshtein (const guint *a,
             guint        n,
             const guint *b,
             guint        m)
{
  g_autofree guint *prev = NULL;
  g_autofree guint *cur = NULL;
  guint k;

  while (n > 0 && m > 0 && a[0] == b[0])
    {
      a++;
      b++;
      n--;
      m--;
    }
  while (n > 0 && m > 0 && a[n - 1] == b[m - 1])
    {
      n--;
      m--;
    }
  if (n == 0 || m == 0)
    return MAX (n, m);

  prev = g_new (guint, m + 2);
  cur = g_new (guint, m + 2);
  k = MAX (n > m ? n - m : m - n, 16u);

  for (;;)
    {
      guint *p = prev, *c = cur;
      guint full = MAX (n, m);

      if (k > full)
        k = full;

      /* Row 0 within the band, and the first cell beyond it unreachable. */
      for (guint j = 0; j <= MIN (m, k); j++)
        p[j] = j;
      if (k + 1 <= m)
        p[k + 1] = G_MAXUINT / 2;

      for (guint i = 1; i <= n; i++)
        {
          guint lo = i > k ? i - k : 0;
          guint hi = MIN (m, i + k);
          guint *t;

          if (lo == 0)
            c[0] = i;
          else
            c[lo - 1] = G_MAXUINT / 2;

          for (guint j = MAX (lo, 1u); j <= hi; j++)
            {
              guint best = p[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);

              best = MIN (best, p[j] + 1);
              best = MIN (best, c[j - 1] + 1);
              c[j] = best;
            }
          if (hi + 1 <= m)
            c[hi + 1] = G_MAXUINT / 2;

          t = p;
          p = c;
          c = t;
        }

      if (p[m] <= k || k >= full)
        return p[m];
      k *= 2;
    }
}

static guint *
non_space_ids (GArray      *tokens,
               const guint *ids,
               guint       *n_out)
{
  guint *out = g_new (guint, tokens->len + 1);
  guint n = 0;

  for (guint i = 0; i < tokens->len; i++)
    if (g_array_index (tokens, AssayToken, i).kind != ASSAY_TOKEN_SPACE)
      out[n++] = ids[i];
  *n_out = n;
  return out;
}

static guint
distance_of (Interned *in)
{
  g_autofree guint *a = NULL;
  g_autofree guint *b = NULL;
  guint n, m;

  a = non_space_ids (in->tokens_a, in->ids_a, &n);
  b = non_space_ids (in->tokens_b, in->ids_b, &m);
  return levenshtein (a, n, b, m);
}

/* The ids of the tokens of one kind, in order. */
static guint *
ids_of_kind (GArray         *tokens,
             const guint    *ids,
             AssayTokenKind  kind,
             guint          *n_out)
{
  guint *out = g_new (guint, tokens->len + 1);
  guint n = 0;

  for (guint i = 0; i < tokens->len; i++)
    if (g_array_index (tokens, AssayToken, i).kind == kind)
      out[n++] = ids[i];
  *n_out = n;
  return out;
}

void
assay_diff_count_changes (const char *a,
                          const char *b,
                          guint      *words,
                          guint      *marks)
{
  Interned in = { NULL, };
  AssayTokenKind kinds[] = { ASSAY_TOKEN_WORD, ASSAY_TOKEN_PUNCTUATION };
  guint *out[] = { words, marks };

  g_return_if_fail (a != NULL && b != NULL);

  intern (a, b, &in);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree guint *x = NULL;
      g_autofree guint *y = NULL;
      guint n, m;

      if (out[k] == NULL)
        continue;
      x = ids_of_kind (in.tokens_a, in.ids_a, kinds[k], &n);
      y = ids_of_kind (in.tokens_b, in.ids_b, kinds[k], &m);
      *out[k] = levenshtein (x, n, y, m);
    }
  interned_clear (&in);
}

guint
assay_word_edit_distance (const char *a,
                          const char *b)
{
  Interned in = { NULL, };
  guint distance;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  intern (a, b, &in);
  distance = distance_of (&in);
  interned_clear (&in);
  return distance;
}

/* ---- the edit script ---- */

typedef struct
{
  const guint *a;
  const guint *b;
  gint        *forward;    /* furthest x on each diagonal, offset by `offset` */
  gint        *backward;
  gint         offset;
  guint8      *ops;        /* per step: one of AssayDiffKind, in order */
  guint        n_ops;
} Myers;

static void
emit (Myers         *my,
      AssayDiffKind  kind,
      gint           count)
{
  for (gint i = 0; i < count; i++)
    my->ops[my->n_ops++] = kind;
}

/* Finds a point on a shortest edit path from (0, 0) to (n, m) through
 * a[x0..x0+n) and b[y0..y0+m), with at least one edit on each side of it.
 * The forward and backward searches run until their furthest-reaching
 * paths overlap (Myers 1986, section 4b). Diagonals are k = x - y; only
 * points inside the grid count, so a move that would leave it is no
 * candidate, and a diagonal that no path reaches yet holds a sentinel. */
static gboolean
middle_point (Myers *my,
              gint   x0,
              gint   y0,
              gint   n,
              gint   m,
              gint  *split_x,
              gint  *split_y)
{
  const guint *a = my->a + x0;
  const guint *b = my->b + y0;
  gint delta = n - m;
  gboolean odd = (delta & 1) != 0;
  gint *V = my->forward + my->offset;    /* furthest x, -1 if none */
  gint *W = my->backward + my->offset;   /* smallest x, n + 1 if none */

  for (gint d = 0; d <= n + m; d++)
    {
      gint lo = MAX (-d, -m), hi = MIN (d, n);

      /* keep the parity of d */
      if (((lo + d) & 1) != 0)
        lo++;

      for (gint k = lo; k <= hi; k += 2)
        {
          gint x = -1, y, sx, sy;

          if (d == 0)
            x = 0;
          else
            {
              /* down from k + 1, or right from k - 1 */
              if (k + 1 <= MIN (d - 1, n) && V[k + 1] >= 0 && V[k + 1] - k <= m)
                x = V[k + 1];
              if (k - 1 >= MAX (-(d - 1), -m) && V[k - 1] >= 0 && V[k - 1] + 1 <= n &&
                  V[k - 1] + 1 > x)
                x = V[k - 1] + 1;
            }
          V[k] = x;
          if (x < 0)
            continue;

          y = x - k;
          sx = x;
          sy = y;
          while (x < n && y < m && a[x] == b[y])
            {
              x++;
              y++;
            }
          V[k] = x;

          if (odd && k >= delta - (d - 1) && k <= delta + (d - 1) && W[k] <= n && x >= W[k] &&
              d > 0 && !(sx == n && sy == m))
            {
              /* the path of 2d - 1 edits: d before the snake's start */
              *split_x = sx;
              *split_y = sy;
              return TRUE;
            }
        }

      {
        gint blo = MAX (-d, -m - delta), bhi = MIN (d, n - delta);

        if (((blo + d) & 1) != 0)
          blo++;

        for (gint k = blo; k <= bhi; k += 2)
          {
            gint kr = k + delta;
            gint x = n + 1, y;

            if (d == 0)
              x = n;
            else
              {
                /* up from kr - 1, or left from kr + 1 */
                if (k - 1 >= MAX (-(d - 1), -m - delta) && W[kr - 1] <= n && W[kr - 1] >= kr)
                  x = W[kr - 1];
                if (k + 1 <= MIN (d - 1, n - delta) && W[kr + 1] <= n && W[kr + 1] - 1 >= 0 &&
                    W[kr + 1] - 1 < x)
                  x = W[kr + 1] - 1;
              }
            W[kr] = x;
            if (x > n)
              continue;

            y = x - kr;
            while (x > 0 && y > 0 && a[x - 1] == b[y - 1])
              {
                x--;
                y--;
              }
            W[kr] = x;

            if (!odd && kr >= -d && kr <= d && kr >= -m && kr <= n && V[kr] >= 0 &&
                x <= V[kr] && d > 0 && !(x == 0 && y == 0))
              {
                /* the path of 2d edits: d after the snake's end */
                *split_x = x;
                *split_y = y;
                return TRUE;
              }
          }
      }
    }

  return FALSE;
}

static void
diff_range (Myers *my,
            gint   x0,
            gint   y0,
            gint   n,
            gint   m)
{
  gint prefix = 0, suffix = 0;
  gint sx, sy;

  while (prefix < n && prefix < m && my->a[x0 + prefix] == my->b[y0 + prefix])
    prefix++;
  emit (my, ASSAY_DIFF_EQUAL, prefix);
  x0 += prefix;
  y0 += prefix;
  n -= prefix;
  m -= prefix;

  while (suffix < n && suffix < m && my->a[x0 + n - 1 - suffix] == my->b[y0 + m - 1 - suffix])
    suffix++;
  n -= suffix;
  m -= suffix;

  if (n == 0)
    emit (my, ASSAY_DIFF_INSERT, m);
  else if (m == 0)
    emit (my, ASSAY_DIFF_DELETE, n);
  else
    {
      /* Both sides non-empty with differing ends: at least two edits, so
       * the middle point lies strictly inside and both halves shrink. */
      if (!middle_point (my, x0, y0, n, m, &sx, &sy))
        {
          /* Not expected; still a correct script, if not the shortest. */
          sx = n;
          sy = 0;
        }
      diff_range (my, x0, y0, sx, sy);
      diff_range (my, x0 + sx, y0 + sy, n - sx, m - sy);
    }

  emit (my, ASSAY_DIFF_EQUAL, suffix);
}

static void
append_op (GArray        *ops,
           AssayDiffKind  kind,
           gint64         a_start,
           gint64         a_end,
           gint64         b_start,
           gint64         b_end)
{
  AssayDiffOp op = { kind, a_start, a_end, b_start, b_end };

  if (a_start == a_end && b_start == b_end)
    return;
  if (ops->len > 0)
    {
      AssayDiffOp *last = &g_array_index (ops, AssayDiffOp, ops->len - 1);

      if (last->kind == kind && last->a_end == a_start && last->b_end == b_start)
        {
          last->a_end = a_end;
          last->b_end = b_end;
          return;
        }
    }
  g_array_append_val (ops, op);
}

static gint64
token_pos (GArray *tokens,
           guint   index)
{
  if (index < tokens->len)
    return g_array_index (tokens, AssayToken, index).start;
  if (tokens->len == 0)
    return 0;
  return g_array_index (tokens, AssayToken, tokens->len - 1).end;
}

GArray *
assay_diff_words (const char *a,
                  const char *b,
                  guint      *distance)
{
  Interned in = { NULL, };
  Myers my = { NULL, };
  GArray *ops = g_array_new (FALSE, FALSE, sizeof (AssayDiffOp));
  gint n, m;
  guint i = 0, ia = 0, ib = 0;

  g_return_val_if_fail (a != NULL && b != NULL, ops);

  intern (a, b, &in);
  n = in.tokens_a->len;
  m = in.tokens_b->len;

  my.a = in.ids_a;
  my.b = in.ids_b;
  my.offset = 2 * (n + m) + 4;
  my.forward = g_new0 (gint, 2 * my.offset + 1);
  my.backward = g_new0 (gint, 2 * my.offset + 1);
  my.ops = g_new (guint8, n + m + 1);
  diff_range (&my, 0, 0, n, m);
  g_assert (my.n_ops >= (guint) MAX (n, m) && my.n_ops <= (guint) (n + m));

  /* Group the token steps into hunks: a change is a run of inserts and
   * deletes, together with whitespace-only equal runs that lie between two
   * of them; it becomes one DELETE of its part of a and one INSERT of its
   * part of b. */
  while (i < my.n_ops)
    {
      guint j, ja, jb, end_a, end_b;

      if (my.ops[i] == ASSAY_DIFF_EQUAL)
        {
          append_op (ops, ASSAY_DIFF_EQUAL, token_pos (in.tokens_a, ia),
                     token_pos (in.tokens_a, ia + 1), token_pos (in.tokens_b, ib),
                     token_pos (in.tokens_b, ib + 1));
          i++;
          ia++;
          ib++;
          continue;
        }

      j = i;
      ja = ia;
      jb = ib;
      end_a = ia;
      end_b = ib;
      for (;;)
        {
          guint k, ka;

          while (j < my.n_ops && my.ops[j] != ASSAY_DIFF_EQUAL)
            {
              if (my.ops[j] == ASSAY_DIFF_DELETE)
                ja++;
              else
                jb++;
              j++;
            }
          end_a = ja;
          end_b = jb;

          /* Whitespace, then another change? */
          k = j;
          ka = ja;
          while (k < my.n_ops && my.ops[k] == ASSAY_DIFF_EQUAL &&
                 g_array_index (in.tokens_a, AssayToken, ka).kind == ASSAY_TOKEN_SPACE)
            {
              k++;
              ka++;
            }
          if (k == j || k >= my.n_ops || my.ops[k] == ASSAY_DIFF_EQUAL)
            break;
          jb += ka - ja;
          ja = ka;
          j = k;
        }

      append_op (ops, ASSAY_DIFF_DELETE, token_pos (in.tokens_a, ia),
                 token_pos (in.tokens_a, end_a), token_pos (in.tokens_b, ib),
                 token_pos (in.tokens_b, ib));
      append_op (ops, ASSAY_DIFF_INSERT, token_pos (in.tokens_a, end_a),
                 token_pos (in.tokens_a, end_a), token_pos (in.tokens_b, ib),
                 token_pos (in.tokens_b, end_b));
      i = j;
      ia = end_a;
      ib = end_b;
    }

  if (distance != NULL)
    *distance = distance_of (&in);

  g_free (my.forward);
  g_free (my.backward);
  g_free (my.ops);
  interned_clear (&in);
  return ops;
}

static void
add_span (GArray        *spans,
          AssayDiffKind  kind,
          gint64         start,
          gint64         end)
{
  AssayDiffSpan span = { kind, start, end };

  if (end > start)
    g_array_append_val (spans, span);
}

char *
assay_diff_merge (const char  *a,
                  const char  *b,
                  GArray      *ops,
                  GArray     **spans_out)
{
  GString *merged = g_string_new (NULL);
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (AssayDiffSpan));
  const char *pa = a, *pb = b;
  gint64 at_a = 0, at_b = 0, at = 0;

  g_return_val_if_fail (a != NULL && b != NULL && ops != NULL, NULL);

  /* Ops come in order and tile both texts, so the pointers only go forward. */
  for (guint i = 0; i < ops->len; i++)
    {
      const AssayDiffOp *op = &g_array_index (ops, AssayDiffOp, i);
      const char *from, *to;
      gint64 n;

      if (op->kind == ASSAY_DIFF_INSERT)
        {
          from = g_utf8_offset_to_pointer (pb, op->b_start - at_b);
          n = op->b_end - op->b_start;
        }
      else
        {
          from = g_utf8_offset_to_pointer (pa, op->a_start - at_a);
          n = op->a_end - op->a_start;
        }
      to = g_utf8_offset_to_pointer (from, n);

      /* A deletion right before an insertion: neither ends nor starts with
       * a space, so they would read as one word. */
      if (op->kind == ASSAY_DIFF_INSERT && i > 0 &&
          g_array_index (ops, AssayDiffOp, i - 1).kind == ASSAY_DIFF_DELETE &&
          merged->len > 0 && n > 0 &&
          !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (merged->str + merged->len))) &&
          !g_unichar_isspace (g_utf8_get_char (from)))
        {
          g_string_append_c (merged, ' ');
          at++;
        }

      g_string_append_len (merged, from, to - from);
      if (op->kind != ASSAY_DIFF_EQUAL)
        add_span (spans, op->kind, at, at + n);
      at += n;

      if (op->kind != ASSAY_DIFF_INSERT)
        {
          pa = to;
          at_a = op->a_end;
        }
      if (op->kind != ASSAY_DIFF_DELETE)
        {
          pb = op->kind == ASSAY_DIFF_INSERT ? to : g_utf8_offset_to_pointer (pb, op->b_end - at_b);
          at_b = op->b_end;
        }
    }

  if (spans_out != NULL)
    *spans_out = spans;
  else
    g_array_unref (spans);
  return g_string_free (merged, FALSE);
}
