/* assay-diff.h: word-level differences between two texts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Texts are cut into tokens that, joined, give the text back exactly: words
 * (letters, digits and combining marks, with an apostrophe between letters
 * or a point or comma between digits kept inside: "don't", "4.5",
 * "1,000"), runs of whitespace, and single punctuation characters. All
 * offsets are Unicode code points, half-open, as everywhere in Assay.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ASSAY_TOKEN_WORD,
  ASSAY_TOKEN_SPACE,
  ASSAY_TOKEN_PUNCTUATION,
} AssayTokenKind;

typedef struct
{
  AssayTokenKind kind;
  gint64         start;       /* code points */
  gint64         end;
  gsize          byte_start;  /* the same, in bytes */
  gsize          byte_end;
} AssayToken;

typedef enum
{
  ASSAY_DIFF_EQUAL,
  ASSAY_DIFF_INSERT,   /* text of b only: a_start == a_end is where it goes in a */
  ASSAY_DIFF_DELETE,   /* text of a only: b_start == b_end is where it was in b */
} AssayDiffKind;

typedef struct
{
  AssayDiffKind kind;
  gint64        a_start;
  gint64        a_end;
  gint64        b_start;
  gint64        b_end;
} AssayDiffOp;

/* (element-type AssayToken): the tokens of `text` (valid UTF-8; `len` in
 * bytes, or -1 if NUL-terminated), in order, covering it without gaps. */
GArray *assay_diff_tokenize          (const char *text,
                                      gssize      len);

/* (element-type AssayDiffOp): how to turn `a` into `b`, token by token,
 * with a shortest edit script (Myers 1986, in linear space). Runs of the
 * same kind are merged, a change lists its DELETE before its INSERT, and
 * whitespace alone between two changes is folded into them so that
 * replaced phrases read as one change. The EQUAL and DELETE ranges tile
 * `a`; the EQUAL and INSERT ranges tile `b`. If `distance` is not NULL it
 * receives assay_word_edit_distance (a, b). */
GArray *assay_diff_words             (const char *a,
                                      const char *b,
                                      guint      *distance);

/* The word edit distance: the fewest insertions, deletions and
 * substitutions of words and punctuation marks (whitespace ignored) that
 * turn `a` into `b` (Levenshtein distance over tokens, computed in a band
 * that widens until it is exact, so similar texts cost little). */
guint   assay_word_edit_distance     (const char *a,
                                      const char *b);

/* The number of words and punctuation marks in `text`. */
guint   assay_diff_count_words       (const char *text);

/* How much a correction changed, for people: the fewest insertions,
 * deletions and substitutions of words that turn the words of `a` into those
 * of `b` (punctuation and whitespace ignored), and the same for the
 * punctuation marks on their own. A comma added is a mark changed, not a
 * word. */
void    assay_diff_count_changes     (const char *a,
                                      const char *b,
                                      guint      *words,
                                      guint      *marks);

typedef struct
{
  AssayDiffKind kind;
  gint64        start;      /* code points into the merged text */
  gint64        end;
} AssayDiffSpan;

/* `a` and `b` merged for reading, from their diff `ops`: unchanged text
 * once, each change as what was deleted followed by what was inserted.
 * Where the two would run together into something that reads as one word
 * ("annual" replaced by "an" showing as "annualan"), a space is put between
 * them; it belongs to neither. `spans` (element-type AssayDiffSpan) receive
 * the deleted and inserted stretches of the merged text, in order. */
char   *assay_diff_merge             (const char *a,
                                      const char *b,
                                      GArray     *ops,
                                      GArray    **spans);

G_END_DECLS
