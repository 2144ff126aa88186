/* assay-evidence.c: ranking a source's passages against a claim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The index (format 4): each passage is a row of evidence_passages, with its
 * place in the source in code points and in bytes, and a row of the
 * contentless FTS5 table evidence_fts with the same rowid holding its words,
 * its speaker and its numbers and dates written as single tokens ("n6000000"
 * for "6 million" as for "6,000,000", "d0303" for "March 3" as for "3rd of
 * March"). A source's passages have consecutive ids, so that a search is
 * limited to one source by a rowid range, which FTS5 seeks to. Sources never
 * change once imported; evidence_sources records the version of the
 * passage rules each source was indexed with and the size of its text, and
 * an index made under other rules is dropped and made again.
 *
 * A project that cannot be written (or one of an older format, read as it
 * is) gets the same tables in a private in-memory database per source, kept
 * with the project object.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "assay-evidence-private.h"
#include "assay-project-private.h"

/* Raise when the passages or their tokens change: every index is then made
 * again. */
#define INDEX_VERSION 1

/* A segment longer than this (in code points) is cut into sentences. */
#define MAX_SEGMENT 400
/* A sentence is cut at a space once it is this long. */
#define MAX_SENTENCE 600
/* Passages that bm25 puts first, reranked with the boosts. */
#define N_CANDIDATES 100

const char _assay_evidence_schema_sql[] =
  "CREATE TABLE evidence_sources ("
  "  source_id     INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,"
  "  version       INTEGER NOT NULL,"
  "  text_bytes    INTEGER NOT NULL,"
  "  first_passage INTEGER NOT NULL,"
  "  n_passages    INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE evidence_passages ("
  "  id         INTEGER PRIMARY KEY,"
  "  source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,"
  "  char_start INTEGER NOT NULL,"
  "  char_end   INTEGER NOT NULL,"
  "  byte_start INTEGER NOT NULL,"
  "  byte_end   INTEGER NOT NULL,"
  "  speaker    TEXT"
  ") STRICT;"
  "CREATE INDEX evidence_passages_by_source ON evidence_passages (source_id);"
  "CREATE VIRTUAL TABLE evidence_fts USING fts5"
  "  (text, speaker, numbers, content = '',"
  "   tokenize = 'unicode61 remove_diacritics 2');";

#define BM25 "bm25 (evidence_fts, 1.0, 0.5, 1.5)"

void
assay_evidence_passage_free (AssayEvidencePassage *passage)
{
  if (passage == NULL)
    return;
  g_free (passage->text);
  g_clear_pointer (&passage->matches, g_array_unref);
  g_free (passage);
}

/* ---- words ---- */

static const char * const stopwords[] = {
  "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
  "because", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "for",
  "from", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in",
  "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "not", "of", "on", "or",
  "our", "out", "over", "said", "says", "she", "so", "some", "than", "that", "the", "their",
  "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "very",
  "was", "we", "were", "what", "when", "where", "which", "who", "will", "with", "would", "you",
  "your", "s", "t", "according", "claims", "claimed", "stated", "noted", "mentioned",
  "speaker", "summary", NULL
};

static GHashTable *
stopword_set (void)
{
  static GHashTable *set = NULL;

  if (g_once_init_enter (&set))
    {
      GHashTable *s = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; stopwords[i] != NULL; i++)
        g_hash_table_add (s, (gpointer) stopwords[i]);
      g_once_init_leave (&set, s);
    }
  return set;
}

typedef struct
{
  gsize    bstart, bend;     /* bytes into the text given */
  gint64   cstart, cend;     /* code points into the text given */
  char    *norm;             /* lower case, without accents */
  guint    cap : 1;          /* begins with a capital */
  guint    digit : 1;        /* begins with a digit */
  guint    used : 1;         /* part of a number */
} Token;

static void
token_clear (Token *t)
{
  g_free (t->norm);
}

static gboolean
is_word_char (gunichar ch)
{
  return g_unichar_isalnum (ch) || g_unichar_ismark (ch);
}

static char *
normalize_word (const char *s,
                gsize       len)
{
  gboolean ascii = TRUE;
  g_autofree char *nfd = NULL;
  GString *out;

  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] >= 0x80)
      {
        ascii = FALSE;
        break;
      }
  if (ascii)
    return g_ascii_strdown (s, len);

  nfd = g_utf8_normalize (s, len, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return g_strndup (s, len);
  out = g_string_sized_new (len);
  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_ismark (ch))
        continue;
      g_string_append_unichar (out, g_unichar_tolower (ch));
    }
  return g_string_free (out, FALSE);
}

/* The words of text[0, len), with their places. */
static GArray *
tokenize (const char *text,
          gsize       len)
{
  GArray *tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = text, *end = text + len;
  gint64 c = 0;

  g_array_set_clear_func (tokens, (GDestroyNotify) token_clear);
  while (p < end)
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_isalnum (ch))
        {
          Token t = { 0, };

          t.bstart = p - text;
          t.cstart = c;
          t.cap = g_unichar_isupper (ch) || g_unichar_istitle (ch);
          t.digit = g_unichar_isdigit (ch);
          while (p < end && is_word_char (g_utf8_get_char (p)))
            {
              p = g_utf8_next_char (p);
              c++;
            }
          t.bend = p - text;
          t.cend = c;
          t.norm = normalize_word (text + t.bstart, t.bend - t.bstart);
          g_array_append_val (tokens, t);
          continue;
        }
      p = g_utf8_next_char (p);
      c++;
    }
  return tokens;
}

/* ---- numbers and dates ---- */

typedef struct
{
  char   *key;       /* "n6000000", "d0303" */
  gint64  cstart, cend;
} Number;

static void
number_clear (Number *n)
{
  g_free (n->key);
}

static const char * const units[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
  "nineteen", NULL
};
static const char * const tens[] = {
  "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL
};
static const char * const months[] = {
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", NULL
};

/* Number words and scale words, in one table made once: every word of
 * every passage is looked up. */
typedef struct
{
  int    small;   /* its value below a hundred, or -1 */
  double scale;   /* 100, 1e3...; 0 for a small number */
} NumberWord;

static GHashTable *
number_words (void)
{
  static GHashTable *table = NULL;

  if (g_once_init_enter (&table))
    {
      static const char * const scale_names[] = {
        "hundred", "thousand", "million", "millions", "billion", "billions", "trillion"
      };
      static const double scale_values[] = { 1e2, 1e3, 1e6, 1e6, 1e9, 1e9, 1e12 };
      static NumberWord words[G_N_ELEMENTS (units) + G_N_ELEMENTS (tens) +
                              G_N_ELEMENTS (scale_names)];
      GHashTable *t = g_hash_table_new (g_str_hash, g_str_equal);
      guint n = 0;

      G_STATIC_ASSERT (G_N_ELEMENTS (scale_names) == G_N_ELEMENTS (scale_values));
      for (int i = 0; units[i] != NULL; i++, n++)
        {
          words[n] = (NumberWord) { i, 0 };
          g_hash_table_insert (t, (gpointer) units[i], &words[n]);
        }
      for (int i = 2; tens[i] != NULL; i++, n++)
        {
          words[n] = (NumberWord) { i * 10, 0 };
          g_hash_table_insert (t, (gpointer) tens[i], &words[n]);
        }
      for (guint i = 0; i < G_N_ELEMENTS (scale_names); i++, n++)
        {
          words[n] = (NumberWord) { -1, scale_values[i] };
          g_hash_table_insert (t, (gpointer) scale_names[i], &words[n]);
        }
      g_once_init_leave (&table, t);
    }
  return table;
}

static double
scale_of (const char *w)
{
  const NumberWord *word = g_hash_table_lookup (number_words (), w);

  return word != NULL ? word->scale : 0;
}

/* -1 if not a number word below a hundred. */
static int
small_number_word (const char *w)
{
  const NumberWord *word = g_hash_table_lookup (number_words (), w);

  return word != NULL ? word->small : -1;
}

/* 1-12, or 0. "may" counts only written "May". */
static int
month_of (const Token *t)
{
  static const char * const short_names[] = {
    "jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
  };

  if (!t->cap)
    return 0;
  for (int i = 0; months[i] != NULL; i++)
    if (strcmp (t->norm, months[i]) == 0 || strcmp (t->norm, short_names[i]) == 0 ||
        (i == 8 && strcmp (t->norm, "sept") == 0))
      return i + 1;
  return 0;
}

static char *
number_key (double value)
{
  char buf[64];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("n%.0f", value);
  g_ascii_formatd (buf, sizeof buf, "%.4f", value);
  for (char *p = buf + strlen (buf) - 1; p > buf && *p == '0'; p--)
    *p = '\0';
  for (char *p = buf; *p; p++)
    if (*p == '.')
      *p = 'p';
  return g_strdup_printf ("n%s", buf);
}

/* Reads the number written in digits at token i: "6", "6,000,000", "3.5",
 * "6m", "2bn", "21st", followed by a scale word ("6 million"). Marks the
 * tokens it takes; sets `ordinal` for "21st". */
static gboolean
read_digits (const char *text,
             GArray     *tokens,
             guint      *i,
             double     *value,
             gboolean   *plain_integer)
{
  Token *t = &g_array_index (tokens, Token, *i);
  const char *p = text + t->bstart;
  const char *end;
  GString *num = g_string_new (NULL);
  gboolean decimal = FALSE;
  const char *suffix;
  double v;

  while (g_ascii_isdigit (*p))
    g_string_append_c (num, *p++);
  /* Thousands separators, then a decimal part. */
  while (*p == ',' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]) &&
         !g_ascii_isdigit (p[4]))
    {
      g_string_append_len (num, p + 1, 3);
      p += 4;
    }
  if (*p == '.' && g_ascii_isdigit (p[1]))
    {
      decimal = TRUE;
      g_string_append_c (num, '.');
      p++;
      while (g_ascii_isdigit (*p))
        g_string_append_c (num, *p++);
    }
  v = g_ascii_strtod (num->str, NULL);
  g_string_free (num, TRUE);

  /* The tokens the number covers. */
  while (*i + 1 < tokens->len &&
         g_array_index (tokens, Token, *i + 1).bstart < (gsize) (p - text))
    (*i)++;
  t = &g_array_index (tokens, Token, *i);
  end = text + t->bend;

  suffix = p < end ? p : NULL;
  if (suffix != NULL)
    {
      g_autofree char *s = g_ascii_strdown (suffix, end - suffix);

      if (strcmp (s, "k") == 0)
        v *= 1e3;
      else if (strcmp (s, "m") == 0 || strcmp (s, "mn") == 0)
        v *= 1e6;
      else if (strcmp (s, "bn") == 0 || strcmp (s, "b") == 0)
        v *= 1e9;
    }

  if (*i + 1 < tokens->len)
    {
      Token *next = &g_array_index (tokens, Token, *i + 1);
      double scale = scale_of (next->norm);

      if (scale > 0 && next->bstart - t->bend <= 2)
        {
          v *= scale;
          (*i)++;
          decimal = FALSE;
        }
    }
  *value = v;
  *plain_integer = !decimal && v == floor (v) && (suffix == NULL || g_ascii_isalpha (*suffix));
  return TRUE;
}

/* Reads number words from token i: "fourteen", "twenty-five", "three
 * hundred and forty", "six million". */
static gboolean
read_words (GArray   *tokens,
            guint    *i,
            double   *value)
{
  enum { NONE, UNIT, TENS, SCALE } prev = NONE;
  double total = 0, current = 0;
  guint j = *i, last = *i;
  gboolean big = FALSE;

  for (; j < tokens->len; j++)
    {
      Token *t = &g_array_index (tokens, Token, j);
      int small = small_number_word (t->norm);
      double scale = scale_of (t->norm);

      /* "twenty five", "three hundred and forty", "six million"; not "five
       * three" or "forty twenty". */
      if (small >= 0 && (prev == NONE || prev == SCALE || (prev == TENS && small < 10)))
        {
          current += small;
          prev = small >= 20 ? TENS : UNIT;
        }
      else if (scale == 100 && (prev == UNIT || prev == TENS))
        {
          current *= 100;
          prev = SCALE;
          big = TRUE;
        }
      else if (scale > 100 && prev != NONE)
        {
          total += current * scale;
          current = 0;
          prev = SCALE;
          big = TRUE;
        }
      else if (strcmp (t->norm, "and") == 0 && prev == SCALE && j + 1 < tokens->len &&
               small_number_word (g_array_index (tokens, Token, j + 1).norm) >= 0)
        continue;
      else
        break;
      last = j;
    }
  if (prev == NONE)
    return FALSE;
  *value = total + current;
  /* "one" alone is mostly not a number ("one of them"). */
  if (*value == 1 && !big)
    return FALSE;
  *i = last;
  return TRUE;
}

static void
add_number (GArray     *numbers,
            char       *key,
            const Token *first,
            const Token *last)
{
  Number n = { key, first->cstart, last->cend };

  g_array_append_val (numbers, n);
}

/* The numbers and dates of a text whose tokens are `tokens`. */
static GArray *
find_numbers (const char *text,
              GArray     *tokens)
{
  GArray *numbers = g_array_new (FALSE, TRUE, sizeof (Number));

  g_array_set_clear_func (numbers, (GDestroyNotify) number_clear);
  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = &g_array_index (tokens, Token, i);
      guint first = i;
      double value;
      gboolean plain = FALSE;
      int month;

      if ((month = month_of (t)) != 0)
        {
          /* "March 3", "March 3rd" */
          if (i + 1 < tokens->len)
            {
              Token *d = &g_array_index (tokens, Token, i + 1);
              guint k = i + 1;

              if (d->digit && read_digits (text, tokens, &k, &value, &plain) && plain &&
                  value >= 1 && value <= 31 && k == i + 1)
                {
                  for (guint m = i; m <= k; m++)
                    g_array_index (tokens, Token, m).used = TRUE;
                  add_number (numbers, g_strdup_printf ("d%02d%02d", month, (int) value),
                              t, d);
                  i = k;
                  continue;
                }
            }
          continue;
        }

      if (t->digit)
        {
          if (!read_digits (text, tokens, &i, &value, &plain))
            continue;
        }
      else if (!read_words (tokens, &i, &value))
        continue;

      for (guint m = first; m <= i; m++)
        g_array_index (tokens, Token, m).used = TRUE;

      /* "3 March", "3rd of March" */
      if (plain && value >= 1 && value <= 31 && i + 1 < tokens->len)
        {
          guint k = i + 1;

          if (strcmp (g_array_index (tokens, Token, k).norm, "of") == 0 && k + 1 < tokens->len)
            k++;
          if ((month = month_of (&g_array_index (tokens, Token, k))) != 0)
            {
              for (guint m = i; m <= k; m++)
                g_array_index (tokens, Token, m).used = TRUE;
              add_number (numbers, g_strdup_printf ("d%02d%02d", month, (int) value),
                          &g_array_index (tokens, Token, first), &g_array_index (tokens, Token, k));
              i = k;
              continue;
            }
        }
      add_number (numbers, number_key (value), &g_array_index (tokens, Token, first),
                  &g_array_index (tokens, Token, i));
    }
  return numbers;
}

/* "n6000000 d0303", or NULL when there are none. */
static char *
numbers_column (GArray *numbers)
{
  GString *s;

  if (numbers->len == 0)
    return NULL;
  s = g_string_new (NULL);
  for (guint i = 0; i < numbers->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, g_array_index (numbers, Number, i).key);
    }
  return g_string_free (s, FALSE);
}

char *
_assay_evidence_dump_numbers (const char *text)
{
  g_autoptr(GArray) tokens = tokenize (text, strlen (text));
  g_autoptr(GArray) numbers = find_numbers (text, tokens);
  char *s = numbers_column (numbers);

  return s != NULL ? s : g_strdup ("");
}

/* ---- passages ---- */

typedef struct
{
  gint64      cstart, cend;
  gsize       bstart, bend;
  const char *speaker;     /* borrowed */
} Passage;

static gboolean
is_terminal (gunichar ch)
{
  return ch == '.' || ch == '!' || ch == '?' || ch == 0x2026 /* … */ || ch == 0x3002 ||
         ch == 0xFF01 || ch == 0xFF1F;
}

static gboolean
is_closer (gunichar ch)
{
  return ch == '"' || ch == '\'' || ch == ')' || ch == ']' || ch == 0x201D || ch == 0x2019 ||
         ch == 0x00BB;
}

/* A period after these does not end a sentence. */
static gboolean
is_abbreviation (const char *start,
                 const char *period)
{
  static const char * const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "inc", "ltd", "co", "jr", "sr", "no",
    "approx", "dept", "fig", "mt", "gen", "col", "lt", "sgt", "rev", "est", "corp", "ave", NULL
  };
  const char *w = period;
  g_autofree char *word = NULL;

  while (w > start && g_ascii_isalpha (w[-1]))
    w--;
  if (period - w == 1)
    return TRUE;     /* an initial, "J. Okafor", or "e.g." */
  if (period - w == 0 || period - w > 6)
    return FALSE;
  word = g_ascii_strdown (w, period - w);
  return g_strv_contains (abbreviations, word);
}

static void
emit (GArray      *out,
      const char  *speaker,
      gsize        bstart,
      gsize        bend,
      gint64       cstart,
      gint64       cend)
{
  Passage p = { cstart, cend, bstart, bend, speaker };

  if (bend > bstart)
    g_array_append_val (out, p);
}

/* Cuts text[bstart, bend) (which starts at code point cstart) into
 * sentences: at a line break, and after a full stop, question or
 * exclamation mark (and any closing quote) followed by a space and not by a
 * lower-case letter, unless the stop ends an abbreviation. */
static void
split_sentences (const char  *text,
                 gsize        bstart,
                 gsize        bend,
                 gint64       cstart,
                 const char  *speaker,
                 GArray      *out)
{
  const char *p = text + bstart, *end = text + bend;
  gint64 c = cstart;
  const char *s = NULL, *last = NULL;   /* the sentence's start, the end of its last non-space */
  gint64 sc = 0, lc = 0;

  while (p < end)
    {
      gunichar ch = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (g_unichar_isspace (ch))
        {
          if (s != NULL && (ch == '\n' || c - sc >= MAX_SENTENCE))
            {
              emit (out, speaker, s - text, last - text, sc, lc);
              s = NULL;
            }
          p = next;
          c++;
          continue;
        }
      if (s == NULL)
        {
          s = p;
          sc = c;
        }
      last = next;
      lc = c + 1;
      if (is_terminal (ch))
        {
          const char *q = next;
          gint64 qc = c + 1;

          while (q < end && (is_closer (g_utf8_get_char (q)) || is_terminal (g_utf8_get_char (q))))
            {
              q = g_utf8_next_char (q);
              qc++;
            }
          if (q >= end || g_unichar_isspace (g_utf8_get_char (q)))
            {
              const char *r = q;
              gboolean ends = TRUE;

              while (r < end && g_unichar_isspace (g_utf8_get_char (r)) && *r != '\n')
                r = g_utf8_next_char (r);
              if (r < end && g_unichar_islower (g_utf8_get_char (r)))
                ends = FALSE;
              else if (ch == '.' && q == next && is_abbreviation (s, p))
                ends = FALSE;
              if (ends)
                {
                  emit (out, speaker, s - text, q - text, sc, qc);
                  s = NULL;
                  p = q;
                  c = qc;
                  continue;
                }
            }
          last = q;
          lc = qc;
          p = q;
          c = qc;
          continue;
        }
      p = next;
      c++;
    }
  if (s != NULL)
    emit (out, speaker, s - text, last - text, sc, lc);
}

char *
_assay_evidence_dump_sentences (const char *text)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (Passage));
  GString *s = g_string_new (NULL);

  split_sentences (text, 0, strlen (text), 0, NULL, out);
  for (guint i = 0; i < out->len; i++)
    {
      Passage *p = &g_array_index (out, Passage, i);

      g_string_append_printf (s, "%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\n", p->cstart,
                              p->cend);
    }
  return g_string_free (s, FALSE);
}

typedef struct
{
  gint64  cstart, cend;
  char   *speaker;
} Segment;

static void
segment_clear (Segment *s)
{
  g_free (s->speaker);
}

/* The passages of a source: its segments (a long one cut into sentences),
 * or the sentences of its text. */
static GArray *
make_passages (const char *text,
               gsize       text_len,
               GArray     *segments)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Passage));
  const char *p = text;
  gint64 c = 0;

  if (segments == NULL || segments->len == 0)
    {
      split_sentences (text, 0, text_len, 0, NULL, out);
      return out;
    }

  for (guint i = 0; i < segments->len; i++)
    {
      Segment *seg = &g_array_index (segments, Segment, i);
      gsize bstart, bend;

      if (seg->cstart < c)
        continue;     /* out of order: not what the importer writes */
      while (c < seg->cstart && p < text + text_len)
        p = g_utf8_next_char (p), c++;
      bstart = p - text;
      while (c < seg->cend && p < text + text_len)
        p = g_utf8_next_char (p), c++;
      bend = p - text;
      if (seg->cend - seg->cstart > MAX_SEGMENT)
        split_sentences (text, bstart, bend, seg->cstart, seg->speaker, out);
      else
        emit (out, seg->speaker, bstart, bend, seg->cstart, c);
    }
  return out;
}

/* ---- the index ---- */

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _assay_sqlite_error (db, error, NULL);
      return NULL;
    }
  return stmt;
}

static gboolean
step_done (sqlite3       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _assay_sqlite_error (db, error, NULL);
  return TRUE;
}

/* Reads the source's text and segments through `src`, and writes its
 * passages into `dst` (the same connection, or a private one). */
static gboolean
index_into (sqlite3       *dst,
            sqlite3       *src,
            gint64         source_id,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) text_stmt = NULL;
  g_autoptr(sqlite3_stmt) seg_stmt = NULL;
  g_autoptr(sqlite3_stmt) passage_stmt = NULL;
  g_autoptr(sqlite3_stmt) fts_stmt = NULL;
  g_autoptr(sqlite3_stmt) source_stmt = NULL;
  g_autoptr(GArray) segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  g_autoptr(GArray) passages = NULL;
  g_autofree char *text = NULL;
  gsize text_len;
  gint64 first;

  g_array_set_clear_func (segments, (GDestroyNotify) segment_clear);

  if ((text_stmt = prepare (src, "SELECT text FROM sources WHERE id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (text_stmt, 1, source_id);
  if (sqlite3_step (text_stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("There is no source %" G_GINT64_FORMAT), source_id);
      return FALSE;
    }
  text_len = sqlite3_column_bytes (text_stmt, 0);
  text = g_strndup (_assay_column_text (text_stmt, 0), text_len);
  sqlite3_reset (text_stmt);

  if ((seg_stmt = prepare (src, "SELECT char_start, char_end, speaker FROM segments"
                                " WHERE source_id = ? ORDER BY idx", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (seg_stmt, 1, source_id);
  while (sqlite3_step (seg_stmt) == SQLITE_ROW)
    {
      Segment seg = {
        sqlite3_column_int64 (seg_stmt, 0), sqlite3_column_int64 (seg_stmt, 1),
        g_strdup (_assay_column_text (seg_stmt, 2)),
      };

      g_array_append_val (segments, seg);
    }
  sqlite3_reset (seg_stmt);

  passages = make_passages (text, text_len, segments);

  first = 1;
  {
    g_autoptr(sqlite3_stmt) max_stmt = prepare (dst, "SELECT max(id) FROM evidence_passages",
                                                error);

    if (max_stmt == NULL)
      return FALSE;
    if (sqlite3_step (max_stmt) == SQLITE_ROW)
      first = sqlite3_column_int64 (max_stmt, 0) + 1;
  }

  if ((passage_stmt = prepare (dst, "INSERT INTO evidence_passages (id, source_id, char_start,"
                                    " char_end, byte_start, byte_end, speaker)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?)", error)) == NULL ||
      (fts_stmt = prepare (dst, "INSERT INTO evidence_fts (rowid, text, speaker, numbers)"
                                " VALUES (?, ?, ?, ?)", error)) == NULL ||
      (source_stmt = prepare (dst, "INSERT OR REPLACE INTO evidence_sources (source_id, version,"
                                   " text_bytes, first_passage, n_passages)"
                                   " VALUES (?, ?, ?, ?, ?)", error)) == NULL)
    return FALSE;

  for (guint i = 0; i < passages->len; i++)
    {
      Passage *p = &g_array_index (passages, Passage, i);
      g_autoptr(GArray) tokens = tokenize (text + p->bstart, p->bend - p->bstart);
      g_autoptr(GArray) numbers = find_numbers (text + p->bstart, tokens);
      g_autofree char *column = numbers_column (numbers);

      sqlite3_bind_int64 (passage_stmt, 1, first + i);
      sqlite3_bind_int64 (passage_stmt, 2, source_id);
      sqlite3_bind_int64 (passage_stmt, 3, p->cstart);
      sqlite3_bind_int64 (passage_stmt, 4, p->cend);
      sqlite3_bind_int64 (passage_stmt, 5, p->bstart);
      sqlite3_bind_int64 (passage_stmt, 6, p->bend);
      _assay_bind_text (passage_stmt, 7, p->speaker);
      if (!step_done (dst, passage_stmt, error))
        return FALSE;

      sqlite3_bind_int64 (fts_stmt, 1, first + i);
      sqlite3_bind_text (fts_stmt, 2, text + p->bstart, p->bend - p->bstart, SQLITE_STATIC);
      _assay_bind_text (fts_stmt, 3, p->speaker);
      _assay_bind_text (fts_stmt, 4, column);
      if (!step_done (dst, fts_stmt, error))
        return FALSE;
    }

  sqlite3_bind_int64 (source_stmt, 1, source_id);
  sqlite3_bind_int (source_stmt, 2, INDEX_VERSION);
  sqlite3_bind_int64 (source_stmt, 3, text_len);
  sqlite3_bind_int64 (source_stmt, 4, first);
  sqlite3_bind_int64 (source_stmt, 5, passages->len);
  return step_done (dst, source_stmt, error);
}

static gboolean
clear_index (sqlite3  *db,
             GError  **error)
{
  if (sqlite3_exec (db, "INSERT INTO evidence_fts (evidence_fts) VALUES ('delete-all');"
                        "DELETE FROM evidence_passages; DELETE FROM evidence_sources;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return _assay_sqlite_error (db, error, NULL);
  return TRUE;
}

static gboolean
has_tables (AssayProject *project)
{
  return _assay_project_get_format (project) >= 4;
}

/* The source's row of evidence_sources in `db`: FALSE if it has none. */
static gboolean
lookup_source (sqlite3 *db,
               gint64   source_id,
               int     *version,
               gint64  *text_bytes,
               gint64  *first,
               gint64  *n)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT version, text_bytes, first_passage, n_passages"
                              " FROM evidence_sources WHERE source_id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *version = sqlite3_column_int (stmt, 0);
  *text_bytes = sqlite3_column_int64 (stmt, 1);
  *first = sqlite3_column_int64 (stmt, 2);
  *n = sqlite3_column_int64 (stmt, 3);
  return TRUE;
}

static void
close_db (gpointer db)
{
  sqlite3_close_v2 (db);
}

static GHashTable *
memory_stores (AssayProject *project,
               gboolean      create)
{
  GHashTable *stores = g_object_get_data (G_OBJECT (project), "assay-evidence-memory");

  if (stores == NULL && create)
    {
      stores = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, close_db);
      g_object_set_data_full (G_OBJECT (project), "assay-evidence-memory", stores,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return stores;
}

static sqlite3 *
lookup_memory_store (AssayProject *project,
                     gint64        source_id)
{
  GHashTable *stores = memory_stores (project, FALSE);

  return stores != NULL ? g_hash_table_lookup (stores, &source_id) : NULL;
}

/* A few sources' passages in memory at most: an expert reads one at a time. */
#define MAX_MEMORY_STORES 8

static void
add_memory_store (AssayProject *project,
                  gint64        source_id,
                  sqlite3      *db)
{
  GHashTable *stores = memory_stores (project, TRUE);

  if (g_hash_table_size (stores) >= MAX_MEMORY_STORES)
    g_hash_table_remove_all (stores);
  g_hash_table_replace (stores, g_memdup2 (&source_id, sizeof source_id), db);
}

/* A private database holding the passages of one source, read through the
 * project's connection `src`. */
static sqlite3 *
build_memory_store (sqlite3  *src,
                    gint64    source_id,
                    GError  **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      _assay_sqlite_error (db, error, NULL);
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (sqlite3_exec (db, _assay_evidence_schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      _assay_sqlite_error (db, error, NULL);
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (!index_into (db, src, source_id, error))
    {
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  return db;
}

static gboolean
persistent_ready (AssayProject *project,
                  gint64        source_id)
{
  int version;
  gint64 bytes, first, n;

  return has_tables (project) &&
         lookup_source (_assay_project_get_db (project), source_id, &version, &bytes, &first, &n) &&
         version == INDEX_VERSION;
}

gboolean
assay_evidence_is_ready (AssayProject *project,
                         gint64        source_id)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);

  return lookup_memory_store (project, source_id) != NULL ||
         persistent_ready (project, source_id);
}

gboolean
_assay_evidence_index_source (AssayProject  *project,
                              gint64         source_id,
                              GError       **error)
{
  sqlite3 *db = _assay_project_get_db (project);

  return index_into (db, db, source_id, error);
}

/* Builds the index of one source in the project, dropping every index made
 * under other rules or for another text first. */
static gboolean
build_persistent (AssayProject  *project,
                  gint64         source_id,
                  gboolean       clear,
                  GError       **error)
{
  sqlite3 *db = _assay_project_get_db (project);
  int version = 0;
  gint64 bytes, first, n;

  if (!assay_project_begin (project, error))
    return FALSE;
  if (lookup_source (db, source_id, &version, &bytes, &first, &n))
    {
      if (version != INDEX_VERSION)
        clear = TRUE;
      else if (!clear)
        return assay_project_commit (project, error);   /* another connection just made it */
    }
  if ((clear && !clear_index (db, error)) ||
      !index_into (db, db, source_id, error))
    {
      assay_project_rollback (project);
      return FALSE;
    }
  return assay_project_commit (project, error);
}

static gboolean
prepare_sync (AssayProject  *project,
              gint64         source_id,
              gboolean       clear,
              GError       **error)
{
  sqlite3 *db;

  if (!clear && assay_evidence_is_ready (project, source_id))
    return TRUE;
  if (has_tables (project) && !assay_project_get_read_only (project))
    return build_persistent (project, source_id, clear, error);

  db = build_memory_store (_assay_project_get_db (project), source_id, error);
  if (db == NULL)
    return FALSE;
  add_memory_store (project, source_id, db);
  return TRUE;
}

gboolean
assay_evidence_prepare (AssayProject  *project,
                        gint64         source_id,
                        GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return prepare_sync (project, source_id, FALSE, error);
}

gboolean
assay_evidence_reset (AssayProject  *project,
                      GError       **error)
{
  GHashTable *stores;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);

  if ((stores = memory_stores (project, FALSE)) != NULL)
    g_hash_table_remove_all (stores);
  if (!has_tables (project) || assay_project_get_read_only (project))
    return TRUE;
  if (!assay_project_begin (project, error))
    return FALSE;
  if (!clear_index (_assay_project_get_db (project), error))
    {
      assay_project_rollback (project);
      return FALSE;
    }
  return assay_project_commit (project, error);
}

/* ---- async preparation ---- */

typedef struct
{
  char    *path;
  gint64   source_id;
  gboolean persistent;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  AssayProject *worker;
  GError *error = NULL;
  sqlite3 *db = NULL;
  gboolean ok;

  worker = assay_project_open_full (data->path, data->persistent ? ASSAY_PROJECT_OPEN_DEFAULT
                                                                 : ASSAY_PROJECT_OPEN_READ_ONLY,
                                    &error);
  if (worker == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->persistent)
    ok = prepare_sync (worker, data->source_id, FALSE, &error);
  else
    ok = (db = build_memory_store (_assay_project_get_db (worker), data->source_id, &error))
         != NULL;
  /* Closed before the caller hears of it: by then the worker has let go of
   * the file. */
  g_object_unref (worker);

  if (!ok)
    g_task_return_error (task, error);
  else if (db != NULL)
    g_task_return_pointer (task, db, close_db);
  else
    g_task_return_pointer (task, NULL, NULL);
}

void
assay_evidence_prepare_async (AssayProject        *project,
                              gint64               source_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  g_return_if_fail (ASSAY_IS_PROJECT (project));

  task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_evidence_prepare_async);
  if (assay_evidence_is_ready (project, source_id))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  data = g_new0 (PrepareData, 1);
  data->path = g_strdup (assay_project_get_path (project));
  data->source_id = source_id;
  data->persistent = has_tables (project) && !assay_project_get_read_only (project);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

gboolean
assay_evidence_prepare_finish (AssayProject  *project,
                               GAsyncResult  *result,
                               GError       **error)
{
  PrepareData *data;
  sqlite3 *db;
  GError *local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, project), FALSE);

  db = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  data = g_task_get_task_data (G_TASK (result));
  if (db != NULL && data != NULL)
    {
      if (lookup_memory_store (project, data->source_id) == NULL)
        add_memory_store (project, data->source_id, db);
      else
        sqlite3_close_v2 (db);
    }
  return TRUE;
}

/* ---- ranking ---- */

typedef struct
{
  char     *word;
  gboolean  prefix;     /* word is a stem: matches any word it begins */
  gboolean  number;     /* word is a number key */
} Term;

static void
term_clear (Term *t)
{
  g_free (t->word);
}

static char *
stem (const char *word,
      gboolean   *prefix)
{
  static const char * const suffixes[] = {
    "ments", "ment", "ings", "ing", "ions", "ion", "ed", "es", "ly", "s", NULL
  };
  gsize len = strlen (word);

  *prefix = FALSE;
  if (len < 4 || g_ascii_isdigit (word[0]))
    return g_strdup (word);
  *prefix = TRUE;
  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      gsize sl = strlen (suffixes[i]);

      if (len >= sl + 4 && g_str_has_suffix (word, suffixes[i]))
        return g_strndup (word, len - sl);
    }
  return g_strdup (word);
}

typedef struct
{
  GArray     *terms;        /* Term */
  GHashTable *names;        /* normalised capitalised words of the claim */
  GHashTable *numbers;      /* number and date keys */
  char       *match;        /* the FTS5 expression */
} Claim;

static void
claim_clear (Claim *claim)
{
  g_clear_pointer (&claim->terms, g_array_unref);
  g_clear_pointer (&claim->names, g_hash_table_unref);
  g_clear_pointer (&claim->numbers, g_hash_table_unref);
  g_clear_pointer (&claim->match, g_free);
}

static void
append_quoted (GString    *s,
               const char *word)
{
  g_string_append_c (s, '"');
  for (const char *p = word; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* The claim's words (without common ones, unless it has nothing else), its
 * numbers, dates and names; every word is quoted in the expression, so
 * that nothing the claim says is read as query syntax. */
static gboolean
parse_claim (const char *text,
             Claim      *claim)
{
  g_autoptr(GArray) tokens = tokenize (text, strlen (text));
  g_autoptr(GArray) numbers = find_numbers (text, tokens);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *stop = stopword_set ();
  GString *match = g_string_new (NULL);
  gboolean content = FALSE;

  claim->terms = g_array_new (FALSE, TRUE, sizeof (Term));
  g_array_set_clear_func (claim->terms, (GDestroyNotify) term_clear);
  claim->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  claim->numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = &g_array_index (tokens, Token, i);

      if (!t->used && !t->digit && !g_hash_table_contains (stop, t->norm))
        content = TRUE;
    }

  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = &g_array_index (tokens, Token, i);
      Term term = { NULL, FALSE, FALSE };

      if (t->used || t->digit || (content && g_hash_table_contains (stop, t->norm)))
        continue;
      if (t->cap && t->cend - t->cstart > 1 && !g_hash_table_contains (stop, t->norm))
        g_hash_table_add (claim->names, g_strdup (t->norm));
      term.word = stem (t->norm, &term.prefix);
      if (g_hash_table_contains (seen, term.word))
        {
          g_free (term.word);
          continue;
        }
      g_hash_table_add (seen, term.word);
      g_array_append_val (claim->terms, term);
      if (match->len > 0)
        g_string_append (match, " OR ");
      append_quoted (match, term.word);
      if (term.prefix)
        g_string_append_c (match, '*');
    }

  for (guint i = 0; i < numbers->len; i++)
    {
      Number *n = &g_array_index (numbers, Number, i);
      Term term = { NULL, FALSE, TRUE };

      if (g_hash_table_contains (claim->numbers, n->key))
        continue;
      g_hash_table_add (claim->numbers, g_strdup (n->key));
      term.word = g_strdup (n->key);
      g_array_append_val (claim->terms, term);
      if (match->len > 0)
        g_string_append (match, " OR ");
      g_string_append (match, "numbers : ");
      append_quoted (match, n->key);
    }

  claim->match = g_string_free (match, match->len == 0);
  return claim->match != NULL;
}

typedef struct
{
  gint64  id;
  gint64  cstart, cend;
  gsize   bstart, bend;
  char   *speaker;
  double  bm25;
} Hit;

static void
hit_clear (Hit *hit)
{
  g_free (hit->speaker);
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const AssayRange *ra = a, *rb = b;

  return ra->start < rb->start ? -1 : ra->start > rb->start ? 1 : 0;
}

static int
compare_passages (gconstpointer a,
                  gconstpointer b)
{
  const AssayEvidencePassage *pa = *(AssayEvidencePassage **) a;
  const AssayEvidencePassage *pb = *(AssayEvidencePassage **) b;

  if (pa->score != pb->score)
    return pa->score > pb->score ? -1 : 1;
  return pa->start < pb->start ? -1 : pa->start > pb->start ? 1 : 0;
}

static gboolean
term_matches (const Term *term,
              const char *word)
{
  return term->prefix ? g_str_has_prefix (word, term->word) : strcmp (word, term->word) == 0;
}

/* Scores a passage found by bm25: how much of the claim it covers, and the
 * numbers, dates and names it shares with it; records the words that
 * matched. */
static AssayEvidencePassage *
score_hit (const Claim *claim,
           const char  *text,
           const Hit   *hit)
{
  const char *ptext = text + hit->bstart;
  gsize plen = hit->bend - hit->bstart;
  g_autoptr(GArray) tokens = tokenize (ptext, plen);
  g_autoptr(GArray) numbers = find_numbers (ptext, tokens);
  g_autofree gboolean *found = g_new0 (gboolean, claim->terms->len);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) shared = g_hash_table_new (g_str_hash, g_str_equal);
  AssayEvidencePassage *passage = g_new0 (AssayEvidencePassage, 1);
  g_autofree char *speaker = hit->speaker ? normalize_word (hit->speaker, strlen (hit->speaker))
                                          : NULL;
  guint n_found = 0, n_words = 0;
  double coverage, boost;

  passage->start = hit->cstart;
  passage->end = hit->cend;
  passage->text = g_strndup (ptext, plen);
  passage->matches = g_array_new (FALSE, FALSE, sizeof (AssayRange));

  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = &g_array_index (tokens, Token, i);
      gboolean hit_word = FALSE;

      for (guint k = 0; k < claim->terms->len; k++)
        {
          const Term *term = &g_array_index (claim->terms, Term, k);

          if (!term->number && term_matches (term, t->norm))
            {
              found[k] = TRUE;
              hit_word = TRUE;
            }
        }
      if (hit_word)
        {
          AssayRange r = { t->cstart, t->cend };

          g_array_append_val (passage->matches, r);
        }
      if (t->cap && g_hash_table_contains (claim->names, t->norm))
        g_hash_table_add (names, t->norm);
    }
  for (guint i = 0; i < numbers->len; i++)
    {
      Number *n = &g_array_index (numbers, Number, i);

      if (g_hash_table_contains (claim->numbers, n->key))
        {
          AssayRange r = { n->cstart, n->cend };

          g_array_append_val (passage->matches, r);
          g_hash_table_add (shared, n->key);
        }
    }
  for (guint k = 0; k < claim->terms->len; k++)
    {
      const Term *term = &g_array_index (claim->terms, Term, k);

      if (term->number)
        found[k] = g_hash_table_contains (shared, term->word);
      else
        n_words++;
      n_found += found[k];
    }
  /* A name the claim gives may be the passage's speaker. */
  if (speaker != NULL)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, claim->names);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        if (strstr (speaker, name) != NULL)
          g_hash_table_add (names, name);
    }

  g_array_sort (passage->matches, compare_ranges);
  coverage = claim->terms->len > 0 ? (double) n_found / claim->terms->len : 0;
  boost = 1 + 0.6 * g_hash_table_size (shared) + 0.3 * g_hash_table_size (names);
  passage->score = -hit->bm25 * (0.25 + coverage) * boost;
  /* A question asserts nothing: the answer is the evidence. */
  if (plen > 0 && (ptext[plen - 1] == '?' || g_str_has_suffix (passage->text, "？")))
    passage->score *= 0.6;
  (void) n_words;
  return passage;
}

/* Reads the source's text (to compare its size with the index's, and to
 * quote passages from it). */
static gboolean
read_text (AssayProject  *project,
           gint64         source_id,
           char         **text,
           gsize         *len,
           GError       **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (project, "SELECT text FROM sources WHERE id = ?",
                                               error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("There is no source %" G_GINT64_FORMAT), source_id);
      return FALSE;
    }
  *len = sqlite3_column_bytes (stmt, 0);
  *text = g_strndup (_assay_column_text (stmt, 0), *len);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Where the source's index is, once it is there and made for this text;
 * `stale` is set when there is one made under other rules or for another
 * text (which a rebuild drops with every other). */
static sqlite3 *
find_store (AssayProject *project,
            gint64        source_id,
            gsize         text_len,
            gint64       *first,
            gint64       *n,
            gboolean     *stale)
{
  sqlite3 *db = lookup_memory_store (project, source_id);
  int version;
  gint64 bytes;

  *stale = FALSE;
  if (db == NULL && has_tables (project))
    db = _assay_project_get_db (project);
  if (db == NULL || !lookup_source (db, source_id, &version, &bytes, first, n))
    return NULL;
  if (version != INDEX_VERSION || bytes != (gint64) text_len)
    {
      *stale = TRUE;
      return NULL;
    }
  return db;
}

GPtrArray *
assay_evidence_rank (AssayProject  *project,
                     gint64         source_id,
                     const char    *claim_text,
                     guint          limit,
                     GError       **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                assay_evidence_passage_free);
  g_autoptr(GArray) hits = g_array_new (FALSE, TRUE, sizeof (Hit));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = NULL;
  Claim claim = { NULL, };
  sqlite3 *db;
  gsize text_len;
  gint64 first = 0, n = 0;
  gboolean stale = FALSE;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (claim_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (limit == 0)
    limit = 10;
  g_array_set_clear_func (hits, (GDestroyNotify) hit_clear);

  if (!read_text (project, source_id, &text, &text_len, error))
    return NULL;
  if ((db = find_store (project, source_id, text_len, &first, &n, &stale)) == NULL)
    {
      if (!prepare_sync (project, source_id, stale, error))
        return NULL;
      if ((db = find_store (project, source_id, text_len, &first, &n, &stale)) == NULL)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_FAILED,
                       _("The passages of source %" G_GINT64_FORMAT " could not be indexed"),
                       source_id);
          return NULL;
        }
    }

  if (!g_utf8_validate (claim_text, -1, NULL) || !parse_claim (claim_text, &claim) || n == 0)
    {
      claim_clear (&claim);
      return g_steal_pointer (&result);
    }

  /* The best by bm25 first, and only those joined to their places. */
  stmt = prepare (db, "SELECT p.id, p.char_start, p.char_end, p.byte_start, p.byte_end,"
                      " p.speaker, f.score"
                      " FROM (SELECT rowid, " BM25 " AS score FROM evidence_fts"
                      "       WHERE evidence_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3"
                      "       ORDER BY score LIMIT ?4) f"
                      " CROSS JOIN evidence_passages p ON p.id = f.rowid"
                      " ORDER BY f.score", error);
  if (stmt == NULL)
    {
      claim_clear (&claim);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, claim.match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, first + n - 1);
  sqlite3_bind_int (stmt, 4, MAX (N_CANDIDATES, 4 * limit));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Hit hit = {
        sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
        sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3),
        sqlite3_column_int64 (stmt, 4), g_strdup (_assay_column_text (stmt, 5)),
        sqlite3_column_double (stmt, 6),
      };

      if (hit.bstart > hit.bend || hit.bend > text_len)
        {
          hit_clear (&hit);
          continue;
        }
      g_array_append_val (hits, hit);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (db, error, NULL);
      claim_clear (&claim);
      return NULL;
    }

  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (result, score_hit (&claim, text, &g_array_index (hits, Hit, i)));
  g_ptr_array_sort (result, compare_passages);
  if (result->len > limit)
    g_ptr_array_set_size (result, limit);
  claim_clear (&claim);
  return g_steal_pointer (&result);
}
