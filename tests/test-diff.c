/* test-diff.c: word-level diffs and the word edit distance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "assay-diff.h"

/* The text of a range of code points. */
static char *
slice (const char *text,
       gint64      start,
       gint64      end)
{
  const char *p = g_utf8_offset_to_pointer (text, start);
  const char *q = g_utf8_offset_to_pointer (text, end);

  return g_strndup (p, q - p);
}

/* EQUAL and DELETE tile a; EQUAL and INSERT tile b; equal ranges hold the
 * same text; ranges are contiguous. */
static void
check_ops (const char *a,
           const char *b,
           GArray     *ops)
{
  g_autoptr(GString) ra = g_string_new (NULL);
  g_autoptr(GString) rb = g_string_new (NULL);
  gint64 pa = 0, pb = 0;

  for (guint i = 0; i < ops->len; i++)
    {
      AssayDiffOp *op = &g_array_index (ops, AssayDiffOp, i);
      g_autofree char *ta = slice (a, op->a_start, op->a_end);
      g_autofree char *tb = slice (b, op->b_start, op->b_end);

      g_assert_cmpint (op->a_start, ==, pa);
      g_assert_cmpint (op->b_start, ==, pb);
      switch (op->kind)
        {
        case ASSAY_DIFF_EQUAL:
          g_assert_cmpstr (ta, ==, tb);
          g_assert_cmpint (op->a_end, >, op->a_start);
          break;
        case ASSAY_DIFF_DELETE:
          g_assert_cmpint (op->b_start, ==, op->b_end);
          g_assert_cmpint (op->a_end, >, op->a_start);
          break;
        case ASSAY_DIFF_INSERT:
          g_assert_cmpint (op->a_start, ==, op->a_end);
          g_assert_cmpint (op->b_end, >, op->b_start);
          break;
        default:
          g_assert_not_reached ();
        }
      if (i > 0)
        g_assert_false (op->kind == g_array_index (ops, AssayDiffOp, i - 1).kind);
      g_string_append (ra, ta);
      g_string_append (rb, tb);
      pa = op->a_end;
      pb = op->b_end;
    }
  g_assert_cmpstr (ra->str, ==, a);
  g_assert_cmpstr (rb->str, ==, b);
}

static void
test_tokenize (void)
{
  const char *text = "Don't  stop: 4.5% of 1,000 cafés—ok?\n";
  static const char *expected[] = {
    "Don't", "  ", "stop", ":", " ", "4.5", "%", " ", "of", " ", "1,000", " ", "cafés", "—",
    "ok", "?", "\n",
  };
  g_autoptr(GArray) tokens = assay_diff_tokenize (text, -1);
  g_autoptr(GString) joined = g_string_new (NULL);

  g_assert_cmpuint (tokens->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < tokens->len; i++)
    {
      AssayToken *t = &g_array_index (tokens, AssayToken, i);
      g_autofree char *s = g_strndup (text + t->byte_start, t->byte_end - t->byte_start);
      g_autofree char *by_offset = slice (text, t->start, t->end);

      g_assert_cmpstr (s, ==, expected[i]);
      g_assert_cmpstr (by_offset, ==, expected[i]);
      g_string_append (joined, s);
    }
  g_assert_cmpstr (joined->str, ==, text);
  g_assert_cmpint (g_array_index (tokens, AssayToken, 12).kind, ==, ASSAY_TOKEN_WORD);
  g_assert_cmpint (g_array_index (tokens, AssayToken, 13).kind, ==, ASSAY_TOKEN_PUNCTUATION);
  g_assert_cmpint (g_array_index (tokens, AssayToken, 1).kind, ==, ASSAY_TOKEN_SPACE);

  /* a trailing apostrophe or point is punctuation */
  {
    g_autoptr(GArray) t2 = assay_diff_tokenize ("dogs' 4.", -1);

    g_assert_cmpuint (t2->len, ==, 5);
  }
  {
    g_autoptr(GArray) empty = assay_diff_tokenize ("", -1);

    g_assert_cmpuint (empty->len, ==, 0);
  }
  g_assert_cmpuint (assay_diff_count_words ("Sales rose 4%."), ==, 5);
}

static void
test_distance (void)
{
  /* substitutions, insertions and deletions count one each */
  g_assert_cmpuint (assay_word_edit_distance ("Sales fell sharply.", "Sales rose sharply."), ==, 1);
  g_assert_cmpuint (assay_word_edit_distance ("a b c", "a c"), ==, 1);
  g_assert_cmpuint (assay_word_edit_distance ("a c", "a b c"), ==, 1);
  g_assert_cmpuint (assay_word_edit_distance ("a b c", "c b a"), ==, 2);
  /* whitespace does not count, punctuation does */
  g_assert_cmpuint (assay_word_edit_distance ("a  b\n c", "a b c"), ==, 0);
  g_assert_cmpuint (assay_word_edit_distance ("Done.", "Done!"), ==, 1);
  g_assert_cmpuint (assay_word_edit_distance ("", ""), ==, 0);
  g_assert_cmpuint (assay_word_edit_distance ("", "one two three"), ==, 3);
  g_assert_cmpuint (assay_word_edit_distance ("one two three", ""), ==, 3);
  /* the classic: kitten -> sitting, as words */
  g_assert_cmpuint (assay_word_edit_distance ("k i t t e n", "s i t t i n g"), ==, 3);
}

static void
test_diff_basic (void)
{
  const char *a = "The café opened in May.";
  const char *b = "The new café opened in June.";
  g_autoptr(GArray) ops = NULL;
  guint distance = 0;
  AssayDiffOp *op;

  ops = assay_diff_words (a, b, &distance);
  check_ops (a, b, ops);
  g_assert_cmpuint (distance, ==, 2);

  /* "The " equal, "new " inserted, "café opened in " equal, "May"/"June"
   * replaced, "." equal */
  g_assert_cmpuint (ops->len, ==, 6);
  op = &g_array_index (ops, AssayDiffOp, 1);
  g_assert_cmpint (op->kind, ==, ASSAY_DIFF_INSERT);
  g_assert_cmpint (op->b_start, ==, 4);
  g_assert_cmpint (op->b_end, ==, 8);
  g_assert_cmpint (op->a_start, ==, 4);
  op = &g_array_index (ops, AssayDiffOp, 3);
  g_assert_cmpint (op->kind, ==, ASSAY_DIFF_DELETE);
  /* code points, not bytes: "é" is one */
  g_assert_cmpint (op->a_start, ==, 19);
  g_assert_cmpint (op->a_end, ==, 22);
  op = &g_array_index (ops, AssayDiffOp, 4);
  g_assert_cmpint (op->kind, ==, ASSAY_DIFF_INSERT);
  g_assert_cmpint (op->b_start, ==, 23);
  g_assert_cmpint (op->b_end, ==, 27);
}

/* What the candidate view says a correction changed: words and
 * punctuation marks apart. */
static void
test_count_changes (void)
{
  guint words = 99, marks = 99;

  assay_diff_count_changes ("Sales fell sharply.", "Sales fell sharply!", &words, &marks);
  g_assert_cmpuint (words, ==, 0);
  g_assert_cmpuint (marks, ==, 1);

  assay_diff_count_changes ("It brings in roughly $6 million in annual revenue, per year.",
                            "It brings in an annual revenue per year", &words, &marks);
  /* "roughly 6 million in" became "an": one word replaced, three gone */
  g_assert_cmpuint (words, ==, 4);
  g_assert_cmpuint (marks, ==, 3);   /* $ , . */

  assay_diff_count_changes ("two  spaces", "two spaces", &words, &marks);
  g_assert_cmpuint (words, ==, 0);
  g_assert_cmpuint (marks, ==, 0);

  /* Either count alone. */
  assay_diff_count_changes ("a, b", "a b c", &words, NULL);
  g_assert_cmpuint (words, ==, 1);
}

/* The merged text: once what is unchanged, and a deletion never runs into
 * the insertion after it. */
static void
check_merge (const char *a,
             const char *b,
             const char *expected)
{
  g_autoptr(GArray) ops = assay_diff_words (a, b, NULL);
  g_autoptr(GArray) spans = NULL;
  g_autofree char *merged = assay_diff_merge (a, b, ops, &spans);
  g_autoptr(GString) marked = g_string_new (NULL);
  gint64 at = 0;

  /* [-deleted-] and {+inserted+} */
  for (guint i = 0; i < spans->len; i++)
    {
      const AssayDiffSpan *span = &g_array_index (spans, AssayDiffSpan, i);
      g_autofree char *before = slice (merged, at, span->start);
      g_autofree char *text = slice (merged, span->start, span->end);

      g_assert_cmpint (span->start, >=, at);
      g_string_append (marked, before);
      g_string_append_printf (marked, span->kind == ASSAY_DIFF_DELETE ? "[-%s-]" : "{+%s+}",
                              text);
      at = span->end;
    }
  {
    g_autofree char *rest = slice (merged, at, g_utf8_strlen (merged, -1));

    g_string_append (marked, rest);
  }
  g_assert_cmpstr (marked->str, ==, expected);
}

static void
test_merge (void)
{
  check_merge ("in annual revenue", "in an revenue", "in [-annual-] {+an+} revenue");
  check_merge ("The café opened in May.", "The new café opened in June.",
               "The {+new +}café opened in [-May-] {+June+}.");
  check_merge ("Sales fell sharply.", "Sales fell sharply!", "Sales fell sharply[-.-] {+!+}");
  check_merge ("keep", "keep", "keep");
  check_merge ("", "all new", "{+all new+}");
  check_merge ("all gone", "", "[-all gone-]");
  /* Whitespace already between them: nothing added. */
  check_merge ("one two", "one  two", "one[- -]{+  +}two");
  check_merge ("🎉 party", "🎉 parties", "🎉 [-party-] {+parties+}");
}

static void
test_diff_edges (void)
{
  static const char *cases[][2] = {
    { "", "" },
    { "", "new text" },
    { "old text", "" },
    { "same", "same" },
    { "a b", "c d" },
    { "🎉 party 🎉", "🎉 parties 🎉 !" },
    { "one two three four", "two four five" },
    { "  leading", "leading  " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) ops = assay_diff_words (cases[i][0], cases[i][1], NULL);

      check_ops (cases[i][0], cases[i][1], ops);
    }

  /* identical texts: one EQUAL, distance 0 */
  {
    guint d = 7;
    g_autoptr(GArray) ops = assay_diff_words ("x y", "x y", &d);

    g_assert_cmpuint (ops->len, ==, 1);
    g_assert_cmpuint (d, ==, 0);
  }

  /* whitespace alone between two changes joins them into one change */
  {
    g_autoptr(GArray) ops = assay_diff_words ("a b c d", "a x y d", NULL);

    check_ops ("a b c d", "a x y d", ops);
    g_assert_cmpuint (ops->len, ==, 4);   /* "a " = , "b c" -, "x y" +, " d" = */
  }
}

/* A plain dynamic programme, for comparison. */
static guint
lcs_length (const guint *a,
            guint        n,
            const guint *b,
            guint        m)
{
  g_autofree guint *row = g_new0 (guint, (gsize) (n + 1) * (m + 1));

  for (guint i = 1; i <= n; i++)
    for (guint j = 1; j <= m; j++)
      {
        guint best = MAX (row[(i - 1) * (m + 1) + j], row[i * (m + 1) + j - 1]);

        if (a[i - 1] == b[j - 1])
          best = MAX (best, row[(i - 1) * (m + 1) + j - 1] + 1);
        row[i * (m + 1) + j] = best;
      }
  return row[n * (m + 1) + m];
}

static guint
levenshtein_plain (const guint *a,
                   guint        n,
                   const guint *b,
                   guint        m)
{
  g_autofree guint *row = g_new0 (guint, (gsize) (n + 1) * (m + 1));

  for (guint i = 0; i <= n; i++)
    row[i * (m + 1)] = i;
  for (guint j = 0; j <= m; j++)
    row[j] = j;
  for (guint i = 1; i <= n; i++)
    for (guint j = 1; j <= m; j++)
      {
        guint best = row[(i - 1) * (m + 1) + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);

        best = MIN (best, row[(i - 1) * (m + 1) + j] + 1);
        best = MIN (best, row[i * (m + 1) + j - 1] + 1);
        row[i * (m + 1) + j] = best;
      }
  return row[n * (m + 1) + m];
}

static char *
random_text (GRand *rand,
             guint  n,
             guint  alphabet,
             guint *symbols)
{
  static const char *words[] = { "alpha", "beta", "gamma", "delta", "eps", "zeta" };
  GString *s = g_string_new (NULL);

  /* words joined by ";" so that every token is a word or a mark and the
   * token sequence is 2n long: word ; word ; ... */
  for (guint i = 0; i < n; i++)
    {
      symbols[i] = g_rand_int_range (rand, 0, alphabet);
      g_string_append (s, words[symbols[i]]);
      g_string_append_c (s, ';');
    }
  return g_string_free (s, FALSE);
}

/* Random texts over a small vocabulary, so that they share much: the
 * script is as short as the longest common subsequence allows, and the
 * distance equals the plain Levenshtein distance. */
static void
test_diff_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);

  for (guint iteration = 0; iteration < 3000; iteration++)
    {
      guint n = g_rand_int_range (rand, 0, 40), m = g_rand_int_range (rand, 0, 40);
      guint alphabet = g_rand_int_range (rand, 1, 6);
      g_autofree guint *sa = g_new (guint, n + 1);
      g_autofree guint *sb = g_new (guint, m + 1);
      g_autofree char *a = random_text (rand, n, alphabet, sa);
      g_autofree char *b = random_text (rand, m, alphabet, sb);
      g_autofree guint *ta = g_new (guint, 2 * n + 1);
      g_autofree guint *tb = g_new (guint, 2 * m + 1);
      g_autoptr(GArray) ops = NULL;
      guint distance, edits = 0;

      /* the token sequences: symbol, ";" (as 99) */
      for (guint i = 0; i < n; i++)
        {
          ta[2 * i] = sa[i];
          ta[2 * i + 1] = 99;
        }
      for (guint i = 0; i < m; i++)
        {
          tb[2 * i] = sb[i];
          tb[2 * i + 1] = 99;
        }

      ops = assay_diff_words (a, b, &distance);
      check_ops (a, b, ops);
      for (guint i = 0; i < ops->len; i++)
        {
          AssayDiffOp *op = &g_array_index (ops, AssayDiffOp, i);
          g_autofree char *text = NULL;
          g_autoptr(GArray) tokens = NULL;

          if (op->kind == ASSAY_DIFF_EQUAL)
            continue;
          text = op->kind == ASSAY_DIFF_DELETE ? slice (a, op->a_start, op->a_end)
                                               : slice (b, op->b_start, op->b_end);
          tokens = assay_diff_tokenize (text, -1);
          edits += tokens->len;
        }
      g_assert_cmpuint (edits, ==, 2 * n + 2 * m - 2 * lcs_length (ta, 2 * n, tb, 2 * m));
      g_assert_cmpuint (distance, ==, levenshtein_plain (ta, 2 * n, tb, 2 * m));
    }
}

/* Summaries of a few thousand words: fast, whether they differ a little or
 * entirely. */
static void
test_diff_long (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GString) c = g_string_new (NULL);
  g_autoptr(GArray) ops = NULL;
  guint distance;
  gint64 start;
  double seconds;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (a, "w%u ", g_rand_int_range (rand, 0, 2000));
      g_string_append_printf (c, "v%u ", g_rand_int_range (rand, 0, 2000));
    }
  /* b: a with every 50th word replaced */
  {
    g_auto(GStrv) words = g_strsplit (a->str, " ", -1);

    for (guint i = 0; words[i] != NULL && words[i][0] != '\0'; i++)
      g_string_append_printf (b, "%s ", i % 50 == 0 ? "changed" : words[i]);
  }

  start = g_get_monotonic_time ();
  ops = assay_diff_words (a->str, b->str, &distance);
  check_ops (a->str, b->str, ops);
  g_assert_cmpuint (distance, ==, 100);
  g_clear_pointer (&ops, g_array_unref);

  ops = assay_diff_words (a->str, c->str, &distance);
  check_ops (a->str, c->str, ops);
  g_assert_cmpuint (distance, <=, 5000);
  g_assert_cmpuint (distance, >, 4500);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("two diffs of 5000 words: %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 5.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/diff/tokenize", test_tokenize);
  g_test_add_func ("/assay/diff/distance", test_distance);
  g_test_add_func ("/assay/diff/basic", test_diff_basic);
  g_test_add_func ("/assay/diff/edges", test_diff_edges);
  g_test_add_func ("/assay/diff/count-changes", test_count_changes);
  g_test_add_func ("/assay/diff/merge", test_merge);
  g_test_add_func ("/assay/diff/random", test_diff_random);
  g_test_add_func ("/assay/diff/long", test_diff_long);

  return g_test_run ();
}
