/* assay-precheck-text.c: finding what a candidate says that its source does not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both texts are cut into tokens (words, numbers, punctuation) counted in
 * code points. Numbers, dates and times are read from the tokens into
 * mentions with values (6,000,000 dollars and $6 million are one value in
 * one currency; 3 March and March 3 one day; 3 pm and 15:00 one time), and
 * a candidate's mention is supported when the source has a mention of the
 * same value in a compatible form. Names are runs of capitalised words; a
 * name is supported when each of its parts occurs in the source, whatever
 * the case, so "Dr. Lund" is supported by "Dr. Erik Lund".
 *
 * Every rule leans towards silence: a wrong flag costs the expert's trust,
 * a missed one only the help. Small counts ("three options") are flagged
 * only when the source counts the same thing differently, since a summary
 * may count what the source lists; rounded or hedged amounts ("about $6
 * million" for $6.2 million) are accepted; sentence-initial words and words
 * the texts also use in lower case are not names.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-precheck.h"

typedef enum
{
  TOK_WORD,
  TOK_NUMBER,
  TOK_PUNCT,
} TokenType;

typedef struct
{
  TokenType  type;
  glong      start;
  glong      end;
  gunichar   ch;         /* punctuation */
  char      *norm;       /* words: folded; numbers: digits with , and . */
  const struct _WordInfo *info; /* words: where the word is in the tables, or NULL */
  double     value;      /* numbers, read once (digits_value) */
  double     precision;
  guint      number_ok : 1;
  guint      plain : 1;
  guint      cap : 1;    /* starts with a capital */
  guint      upper : 1;  /* all capitals, two letters or more */
  guint      space : 1;  /* white space before it */
  guint      line : 1;   /* a line break before it */
  guint      sent : 1;   /* first word of a sentence */
  guint      dotted : 1; /* an abbreviation written with dots */
  guint      used : 1;   /* part of a number, date or time */
} Token;

typedef enum
{
  M_NUMBER,
  M_DATE,
  M_TIME,
} MentionKind;

typedef struct _Unit Unit;

typedef struct
{
  MentionKind  kind;
  guint        group;      /* readings of one mention share it */
  guint        first;      /* tokens */
  guint        last;
  /* numbers */
  double       value;      /* as written, scale words applied */
  const Unit  *unit;       /* NULL: a bare number */
  double       precision;  /* of the last significant digit written */
  guint        hedged : 2;   /* HEDGE_* */
  guint        scaled : 1;
  guint        written : 1;  /* in words */
  guint        pair : 1;     /* a score or a vote: "3-1", "7 to 2" */
  int          pair_b;       /* its second number */
  guint        small : 1;  /* a bare count of ten or less */
  /* dates: 0 where not given */
  int          year;
  int          month;
  int          day;
  int          weekday;    /* 1 (Monday) to 7 */
  int          decade;
  /* times: minutes after midnight */
  int          minutes;
} Mention;

typedef struct
{
  char       *text;
  gunichar   *chars;
  glong       n_chars;
  GArray     *tokens;      /* Token */
  GArray     *mentions;    /* Mention */
  gboolean    is_source;   /* read more generously: it only ever supports */
} Doc;

struct _AssayPrecheckSource
{
  Doc         doc;
  GHashTable *words;       /* folded words */
  GHashTable *loose;       /* loosely spelled word -> 1 */
  GHashTable *standalone;  /* names' words also met outside a longer name */
  GPtrArray  *names;       /* (element-type GStrv): the source's names, content words */
  GPtrArray  *acronyms;    /* folded acronyms the source uses */
  GPtrArray  *distinct;    /* distinct words, for spelling variants */
  GHashTable *lower;       /* words written in lower case (borrowed) */
  GHashTable *capitalised; /* words capitalised inside a sentence (borrowed) */
};


/* ---- tables ---- */

enum
{
  DIM_NONE,
  DIM_MASS,
  DIM_VOLUME,
  DIM_LENGTH,
  DIM_TIME,
  DIM_LONG_TIME,
  DIM_DEGREES,
  DIM_POWER,
  DIM_ENERGY,
  DIM_SPEED,
  DIM_PERCENT,
  DIM_USD,
  DIM_GBP,
  DIM_EUR,
  DIM_JPY,
  DIM_KRONE,
  DIM_CHF,
  DIM_INR,
};

struct _Unit
{
  const char *name;
  int         dim;
  double      factor;
};

static const Unit units[] = {
  { "mg", DIM_MASS, 1e-3 }, { "milligram", DIM_MASS, 1e-3 }, { "milligrams", DIM_MASS, 1e-3 },
  { "mcg", DIM_MASS, 1e-6 }, { "microgram", DIM_MASS, 1e-6 }, { "micrograms", DIM_MASS, 1e-6 },
  { "g", DIM_MASS, 1 }, { "gram", DIM_MASS, 1 }, { "grams", DIM_MASS, 1 },
  { "kg", DIM_MASS, 1e3 }, { "kilo", DIM_MASS, 1e3 }, { "kilos", DIM_MASS, 1e3 },
  { "kilogram", DIM_MASS, 1e3 }, { "kilograms", DIM_MASS, 1e3 },
  { "tonne", DIM_MASS, 1e6 }, { "tonnes", DIM_MASS, 1e6 }, { "ton", DIM_MASS, 1e6 },
  { "tons", DIM_MASS, 1e6 }, { "lb", DIM_MASS, 453.59237 }, { "lbs", DIM_MASS, 453.59237 },
  { "pound", DIM_MASS, 453.59237 }, { "pounds", DIM_MASS, 453.59237 },
  { "oz", DIM_MASS, 28.349523 }, { "ounce", DIM_MASS, 28.349523 },
  { "ounces", DIM_MASS, 28.349523 },
  { "ml", DIM_VOLUME, 1 }, { "millilitre", DIM_VOLUME, 1 }, { "millilitres", DIM_VOLUME, 1 },
  { "milliliter", DIM_VOLUME, 1 }, { "milliliters", DIM_VOLUME, 1 }, { "cc", DIM_VOLUME, 1 },
  { "cl", DIM_VOLUME, 10 }, { "dl", DIM_VOLUME, 100 }, { "l", DIM_VOLUME, 1e3 },
  { "litre", DIM_VOLUME, 1e3 }, { "litres", DIM_VOLUME, 1e3 }, { "liter", DIM_VOLUME, 1e3 },
  { "liters", DIM_VOLUME, 1e3 }, { "gallon", DIM_VOLUME, 3785.41 },
  { "gallons", DIM_VOLUME, 3785.41 },
  { "mm", DIM_LENGTH, 1e-3 }, { "millimetre", DIM_LENGTH, 1e-3 },
  { "millimetres", DIM_LENGTH, 1e-3 }, { "millimeter", DIM_LENGTH, 1e-3 },
  { "millimeters", DIM_LENGTH, 1e-3 }, { "cm", DIM_LENGTH, 1e-2 },
  { "centimetre", DIM_LENGTH, 1e-2 }, { "centimetres", DIM_LENGTH, 1e-2 },
  { "centimeter", DIM_LENGTH, 1e-2 }, { "centimeters", DIM_LENGTH, 1e-2 },
  { "m", DIM_LENGTH, 1 }, { "metre", DIM_LENGTH, 1 }, { "metres", DIM_LENGTH, 1 },
  { "meter", DIM_LENGTH, 1 }, { "meters", DIM_LENGTH, 1 }, { "km", DIM_LENGTH, 1e3 },
  { "kilometre", DIM_LENGTH, 1e3 }, { "kilometres", DIM_LENGTH, 1e3 },
  { "kilometer", DIM_LENGTH, 1e3 }, { "kilometers", DIM_LENGTH, 1e3 },
  { "mile", DIM_LENGTH, 1609.344 }, { "miles", DIM_LENGTH, 1609.344 },
  { "inch", DIM_LENGTH, 0.0254 }, { "inches", DIM_LENGTH, 0.0254 },
  { "foot", DIM_LENGTH, 0.3048 }, { "feet", DIM_LENGTH, 0.3048 }, { "ft", DIM_LENGTH, 0.3048 },
  { "yard", DIM_LENGTH, 0.9144 }, { "yards", DIM_LENGTH, 0.9144 },
  { "second", DIM_TIME, 1 }, { "seconds", DIM_TIME, 1 }, { "sec", DIM_TIME, 1 },
  { "secs", DIM_TIME, 1 }, { "minute", DIM_TIME, 60 }, { "minutes", DIM_TIME, 60 },
  { "min", DIM_TIME, 60 }, { "mins", DIM_TIME, 60 }, { "hour", DIM_TIME, 3600 },
  { "hours", DIM_TIME, 3600 }, { "hr", DIM_TIME, 3600 }, { "hrs", DIM_TIME, 3600 },
  { "h", DIM_TIME, 3600 }, { "day", DIM_TIME, 86400 }, { "days", DIM_TIME, 86400 },
  { "week", DIM_TIME, 604800 }, { "weeks", DIM_TIME, 604800 },
  { "fortnight", DIM_TIME, 1209600 }, { "fortnights", DIM_TIME, 1209600 },
  { "month", DIM_LONG_TIME, 1 }, { "months", DIM_LONG_TIME, 1 },
  { "year", DIM_LONG_TIME, 12 }, { "years", DIM_LONG_TIME, 12 },
  { "yr", DIM_LONG_TIME, 12 }, { "yrs", DIM_LONG_TIME, 12 },
  { "decade", DIM_LONG_TIME, 120 }, { "decades", DIM_LONG_TIME, 120 },
  { "degree", DIM_DEGREES, 1 }, { "degrees", DIM_DEGREES, 1 },
  { "w", DIM_POWER, 1 }, { "watt", DIM_POWER, 1 }, { "watts", DIM_POWER, 1 },
  { "kw", DIM_POWER, 1e3 }, { "kilowatt", DIM_POWER, 1e3 }, { "kilowatts", DIM_POWER, 1e3 },
  { "mw", DIM_POWER, 1e6 }, { "megawatt", DIM_POWER, 1e6 }, { "megawatts", DIM_POWER, 1e6 },
  { "gw", DIM_POWER, 1e9 }, { "gigawatt", DIM_POWER, 1e9 }, { "gigawatts", DIM_POWER, 1e9 },
  { "kwh", DIM_ENERGY, 1 }, { "mwh", DIM_ENERGY, 1e3 }, { "gwh", DIM_ENERGY, 1e6 },
  { "mph", DIM_SPEED, 1.609344 }, { "kph", DIM_SPEED, 1 }, { "kmh", DIM_SPEED, 1 },
  { "percent", DIM_PERCENT, 1 }, { "pct", DIM_PERCENT, 1 },
  { "point", DIM_PERCENT, 1 }, { "points", DIM_PERCENT, 1 },
  { "bp", DIM_PERCENT, 0.01 }, { "bps", DIM_PERCENT, 0.01 },
  { "dollar", DIM_USD, 1 }, { "dollars", DIM_USD, 1 }, { "usd", DIM_USD, 1 },
  { "cent", DIM_USD, 0.01 }, { "cents", DIM_USD, 0.01 },
  { "pound", DIM_GBP, 1 }, { "pounds", DIM_GBP, 1 }, { "gbp", DIM_GBP, 1 },
  { "sterling", DIM_GBP, 1 }, { "pence", DIM_GBP, 0.01 }, { "p", DIM_GBP, 0.01 },
  { "euro", DIM_EUR, 1 }, { "euros", DIM_EUR, 1 }, { "eur", DIM_EUR, 1 },
  { "yen", DIM_JPY, 1 }, { "jpy", DIM_JPY, 1 },
  { "krone", DIM_KRONE, 1 }, { "kroner", DIM_KRONE, 1 }, { "krona", DIM_KRONE, 1 },
  { "kronor", DIM_KRONE, 1 }, { "nok", DIM_KRONE, 1 }, { "sek", DIM_KRONE, 1 },
  { "dkk", DIM_KRONE, 1 }, { "kr", DIM_KRONE, 1 },
  { "franc", DIM_CHF, 1 }, { "francs", DIM_CHF, 1 }, { "chf", DIM_CHF, 1 },
  { "rupee", DIM_INR, 1 }, { "rupees", DIM_INR, 1 }, { "inr", DIM_INR, 1 },
};

static const Unit percent_unit = { "%", DIM_PERCENT, 1 };
static const Unit basis_point_unit = { "basis points", DIM_PERCENT, 0.01 };
static const Unit symbol_units[] = {
  { "$", DIM_USD, 1 }, { "£", DIM_GBP, 1 }, { "€", DIM_EUR, 1 }, { "¥", DIM_JPY, 1 },
};

/* Written before the amount: "USD 5 million", "NOK 300". */
static const char * const currency_codes[] = { "usd", "gbp", "eur", "jpy", "nok", "sek", "dkk",
                                               "chf", "inr", "us", NULL };

static const char * const small_numbers[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
  "nineteen", NULL
};
static const char * const tens_numbers[] = {
  "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL
};
static const char * const ordinals[] = {
  "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
  "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
  "seventeenth", "eighteenth", "nineteenth", "twentieth", NULL
};
static const char * const months[] = {
  "", "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", NULL
};
static const char * const month_abbrevs[] = {
  "", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
};
static const char * const weekdays[] = {
  "", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
};

/* Words before a number that make it approximate (HEDGE_ABOUT), a lower
 * bound the source's figure may exceed (HEDGE_OVER: "over two years" for 26
 * months), or an upper bound it may fall short of (HEDGE_UNDER). "Up to"
 * is not one: it repeats a figure. */
enum
{
  HEDGE_NONE,
  HEDGE_ABOUT,
  HEDGE_OVER,
  HEDGE_UNDER,
};

static const char * const hedges_about[] = {
  "about", "around", "approximately", "roughly", "nearly", "almost", "some", "circa",
  "estimated", "approx", "approximate", "close", NULL
};
static const char * const hedges_over[] = {
  "over", "above", "exceeding", "upwards", "least", NULL   /* "at least" */
};
static const char * const hedges_under[] = {
  "under", "below", "most", NULL                          /* "at most" */
};

/* Capitalised words that do not make a name by themselves. */
static const char * const not_names[] = {
  "a", "an", "the", "this", "that", "these", "those", "he", "she", "it", "they", "we", "i",
  "you", "his", "her", "its", "their", "our", "my", "your", "him", "them", "us", "in", "on",
  "at", "for", "by", "with", "from", "to", "of", "and", "but", "or", "nor", "as", "after",
  "before", "during", "while", "when", "where", "whereas", "if", "because", "although",
  "though", "however", "also", "both", "all", "some", "each", "every", "no", "not", "there",
  "here", "then", "than", "overall", "meanwhile", "finally", "first", "firstly", "second",
  "secondly", "third", "lastly", "next", "later", "earlier", "today", "yesterday", "tomorrow",
  "additionally", "moreover", "furthermore", "instead", "despite", "since", "until", "about",
  "according", "among", "between", "following", "under", "over", "per", "via", "what",
  "which", "who", "whom", "whose", "why", "how", "yes", "ok", "okay", "mr", "mrs", "ms", "dr",
  "prof", "sir", "ceo", "cfo", "cto", "coo", "cio", "hr", "it", "ai", "pr", "phd", "md", "tv",
  "faq", "pdf", "id", "gdp", "am", "pm", "bc", "ad", "ce", "bce", "dna", "rna", "faqs",
  "summary", "key", "points", "overview", "background", "conclusion", "conclusions", "note",
  "notes", "action", "actions", "item", "items", "decision", "decisions", "outcome",
  "outcomes", "next", "steps", "findings", "recommendation", "recommendations", "issues",
  "risks", "topics", "discussion", "participants", "attendees", "agenda", "highlights",
  "main", "takeaways", "result", "results", "speaker", "speakers", "interviewer",
  "interviewee", "host", "guest", "caller", "agent", "moderator", "q", "a", NULL
};

static const char * const honorifics[] = {
  "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
  "cllr", "councillor", "councilor", "alderman", "rev", "reverend", "capt", "captain", "gen",
  "general", "col", "colonel", "sgt", "sen",
  "senator", "rep", "judge", "justice", "mayor", "president", "minister", "chancellor",
  "governor", "director", "chief", "inspector", "detective", "officer", "nurse", "saint",
  "st", "father", "sister", "brother", "uncle", "aunt", "king", "queen", "prince", "princess",
  NULL
};

/* Lower-case words inside a name: "Bank of England", "Ludwig van Beethoven". */
static const char * const name_joiners[] = {
  "of", "de", "del", "della", "der", "den", "van", "von", "la", "le", "du", "da", "di",
  "dos", "das", "al", "bin", "ibn", "y", "&", NULL
};

/* A full stop after these does not end a sentence. */
static const char * const abbreviations[] = {
  "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co",
  "corp", "mt", "ft", "gen", "col", "capt", "sgt", "rev", "fig", "approx", "dept", "univ",
  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", NULL
};

/* Nationalities and languages whose country is spelt otherwise. */
static const char * const demonyms[] = {
  "french", "france", "dutch", "netherlands", "dutch", "holland", "danish", "denmark",
  "swiss", "switzerland", "british", "britain", "british", "uk", "english", "england",
  "welsh", "wales", "irish", "ireland", "scottish", "scotland", "scots", "scotland",
  "spanish", "spain", "finnish", "finland", "polish", "poland", "greek", "greece",
  "chinese", "china", "japanese", "japan", "turkish", "turkey", "portuguese", "portugal",
  "icelandic", "iceland", "american", "us", "american", "usa", "american", "america",
  "swedish", "sweden", "norwegian", "norway", "german", "germany", "thai", "thailand",
  "filipino", "philippines", "czech", "czechia", "peruvian", "peru", "iraqi", "iraq",
  "kenyan", "kenya", "european", "europe", "african", "africa", "asian", "asia", NULL, NULL
};

/* Every word of the tables above, with where it is in each, in one hash
 * table made once: looking words up is most of the work. */
static const char * const * const word_tables[] = {
  small_numbers, tens_numbers, ordinals, months, month_abbrevs, weekdays, hedges_about,
  hedges_over, hedges_under, not_names, honorifics, name_joiners, abbreviations, currency_codes,
};

/* The tables above in the order of word_tables. */
enum
{
  T_SMALL_NUMBERS, T_TENS_NUMBERS, T_ORDINALS, T_MONTHS, T_MONTH_ABBREVS, T_WEEKDAYS,
  T_HEDGES_ABOUT, T_HEDGES_OVER, T_HEDGES_UNDER, T_NOT_NAMES, T_HONORIFICS, T_NAME_JOINERS,
  T_ABBREVIATIONS, T_CURRENCY_CODES, N_WORD_TABLES
};

typedef struct _WordInfo
{
  gint16   index[N_WORD_TABLES];  /* -1: not in that table */
  guint8   units[2];              /* in units[], plus one; 0: none */
  gboolean starts;                /* may begin a number, a date or a time */
} WordInfo;

G_STATIC_ASSERT (G_N_ELEMENTS (word_tables) == N_WORD_TABLES);

static WordInfo *
word_info_new (GHashTable *h,
               const char *word)
{
  WordInfo *info = g_hash_table_lookup (h, word);

  if (info == NULL)
    {
      info = g_new0 (WordInfo, 1);
      for (guint t = 0; t < G_N_ELEMENTS (info->index); t++)
        info->index[t] = -1;
      g_hash_table_insert (h, (gpointer) word, info);
    }
  return info;
}

static GHashTable *
word_index (void)
{
  static gsize made = 0;
  static GHashTable *index;

  if (g_once_init_enter (&made))
    {
      GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

      G_STATIC_ASSERT (G_N_ELEMENTS (units) < 255);
      for (guint t = 0; t < G_N_ELEMENTS (word_tables); t++)
        {
          guint n = 0;

          while (word_tables[t][n] != NULL)
            n++;
          g_assert (n < G_MAXINT16);
        }
      for (guint t = 0; t < G_N_ELEMENTS (word_tables); t++)
        for (int i = 0; word_tables[t][i] != NULL; i++)
          {
            WordInfo *info;

            if (*word_tables[t][i] == '\0')
              continue;
            info = word_info_new (h, word_tables[t][i]);
            if (info->index[t] < 0)
              info->index[t] = i;
          }
      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        {
          WordInfo *info = word_info_new (h, units[i].name);

          info->units[info->units[0] == 0 ? 0 : 1] = i + 1;
        }
      {
        static const char * const starters[] = {
          "a", "an", "noon", "midday", "midnight", "thirtieth", "point", "sept", "mondays",
          "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays", NULL
        };
        static const guint starting[] = {
          T_SMALL_NUMBERS, T_TENS_NUMBERS, T_ORDINALS, T_MONTHS, T_MONTH_ABBREVS, T_WEEKDAYS
        };
        GHashTableIter iter;
        WordInfo *info;

        for (guint i = 0; starters[i] != NULL; i++)
          word_info_new (h, starters[i])->starts = TRUE;
        g_hash_table_iter_init (&iter, h);
        while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
          for (guint t = 0; t < G_N_ELEMENTS (starting); t++)
            info->starts |= info->index[starting[t]] >= 0;
      }
      index = h;
      g_once_init_leave (&made, 1);
    }
  return index;
}

static int
table_index (const char * const *table,
             const char         *word)
{
  WordInfo *info;

  if (word == NULL)
    return -1;
  for (guint t = 0; t < G_N_ELEMENTS (word_tables); t++)
    if (word_tables[t] == table)
      {
        info = g_hash_table_lookup (word_index (), word);
        return info != NULL ? info->index[t] : -1;
      }
  /* a small table of its own */
  for (int i = 0; table[i] != NULL; i++)
    if (g_str_equal (table[i], word))
      return i;
  return -1;
}

#define in_table(table, word) (table_index ((table), (word)) >= 0)

/* The units a word names (at most two: "pounds"), in `out`. */
static guint
units_named (const char  *word,
             const Unit **out)
{
  WordInfo *info;
  guint n = 0;

  if (word == NULL || (info = g_hash_table_lookup (word_index (), word)) == NULL)
    return 0;
  for (guint i = 0; i < 2; i++)
    if (info->units[i] != 0)
      out[n++] = &units[info->units[i] - 1];
  return n;
}

static const Unit *
find_unit (const char *word,
           int         skip_dim)
{
  const Unit *named[2];
  guint n = units_named (word, named);

  for (guint i = 0; i < n; i++)
    if (named[i]->dim != skip_dim)
      return named[i];
  return NULL;
}

/* ---- tokens ---- */

/* table_index() for a token, from what tokenize() looked up once. */
static int
tok_index (const Token *t,
           guint        table)
{
  return t != NULL && t->info != NULL ? t->info->index[table] : -1;
}

/* Case, accents and apostrophes do not tell words apart; a possessive
 * "'s" is not part of the word. */
static char *
fold_word (const gunichar *chars,
           glong           n)
{
  g_autofree char *utf8 = NULL;
  gboolean ascii = TRUE;

  /* Most words are plain ASCII letters: fold them without the tables. */
  for (glong i = 0; i < n && ascii; i++)
    ascii = chars[i] < 128 && g_ascii_isalpha (chars[i]);
  if (ascii)
    {
      char *out = g_malloc (n + 1);

      for (glong i = 0; i < n; i++)
        out[i] = g_ascii_tolower ((char) chars[i]);
      out[n] = '\0';
      return out;
    }
  utf8 = g_ucs4_to_utf8 (chars, n, NULL, NULL, NULL);
  g_autofree char *nfd = NULL;
  g_autofree char *folded = NULL;
  GString *out;

  if (utf8 == NULL)
    return g_strdup ("");
  nfd = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFD);
  folded = g_utf8_casefold (nfd != NULL ? nfd : utf8, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c) || c == '.')
        continue;
      if (c == 0x2019 || c == 0x2018)
        c = '\'';
      g_string_append_unichar (out, c);
    }
  if (g_str_has_suffix (out->str, "'s"))
    g_string_truncate (out, out->len - 2);
  else if (g_str_has_suffix (out->str, "'"))
    g_string_truncate (out, out->len - 1);
  for (gsize i = 0; i < out->len; i++)
    if (out->str[i] == '\'')
      g_string_erase (out, i--, 1);
  return g_string_free (out, FALSE);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_ismark (c);
}

static gboolean
is_group_space (gunichar c)
{
  return c == 0x00a0 || c == 0x202f || c == 0x2009;
}

static gunichar
char_at (Doc  *doc,
         glong i)
{
  return i >= 0 && i < doc->n_chars ? doc->chars[i] : 0;
}

static gboolean digits_value (const char *s,
                              double     *value,
                              double     *precision,
                              gboolean   *plain);

static void
tokenize (Doc *doc)
{
  gboolean space = TRUE, line = TRUE, plain = FALSE;
  glong i = 0;

  while (i < doc->n_chars)
    {
      gunichar c = doc->chars[i];
      Token t = { 0 };

      if (g_unichar_isspace (c) || is_group_space (c))
        {
          space = TRUE;
          if (c == '\n' || c == 0x2028 || c == 0x2029)
            line = TRUE;
          i++;
          continue;
        }
      t.start = i;
      t.space = space;
      t.line = line;
      if (g_unichar_isdigit (c) && g_unichar_digit_value (c) >= 0 && c < 128)
        {
          GString *digits = g_string_new (NULL);

          t.type = TOK_NUMBER;
          while (i < doc->n_chars)
            {
              gunichar d = doc->chars[i];

              if (d < 128 && g_ascii_isdigit (d))
                g_string_append_c (digits, (char) d), i++;
              else if ((d == ',' || d == '.') && g_ascii_isdigit (char_at (doc, i + 1)) &&
                       char_at (doc, i + 1) < 128)
                g_string_append_c (digits, (char) d), i++;
              else if (is_group_space (d) && g_ascii_isdigit (char_at (doc, i + 1)) &&
                       g_ascii_isdigit (char_at (doc, i + 2)) &&
                       g_ascii_isdigit (char_at (doc, i + 3)) &&
                       !g_unichar_isdigit (char_at (doc, i + 4)))
                g_string_append_c (digits, ','), i++;
              else
                break;
            }
          t.norm = g_string_free (digits, FALSE);
          t.number_ok = digits_value (t.norm, &t.value, &t.precision, &plain);
          t.plain = plain;
        }
      else if (is_word_char (c))
        {
          t.type = TOK_WORD;
          /* "U.S.", "p.m.": single letters with full stops. */
          if (char_at (doc, i + 1) == '.' && is_word_char (char_at (doc, i + 2)) &&
              char_at (doc, i + 3) == '.')
            {
              while (is_word_char (char_at (doc, i)) && char_at (doc, i + 1) == '.' &&
                     is_word_char (char_at (doc, i + 2)))
                i += 2;
              i += char_at (doc, i + 1) == '.' ? 2 : 1;
              t.dotted = TRUE;
            }
          else
            while (i < doc->n_chars)
              {
                gunichar d = doc->chars[i];

                if (is_word_char (d))
                  i++;
                else if ((d == '\'' || d == 0x2019) && is_word_char (char_at (doc, i + 1)))
                  i++;
                else if ((d == '\'' || d == 0x2019) && char_at (doc, i - 1) == 's' &&
                         !is_word_char (char_at (doc, i + 1)))
                  {
                    i++;
                    break;
                  }
                else
                  break;
              }
          t.norm = fold_word (doc->chars + t.start, i - t.start);
          t.info = g_hash_table_lookup (word_index (), t.norm);
          t.cap = g_unichar_isupper (doc->chars[t.start]) ||
                  g_unichar_istitle (doc->chars[t.start]);
          t.upper = TRUE;
          {
            guint n_letters = 0;

            for (glong k = t.start; k < i; k++)
              if (g_unichar_isalpha (doc->chars[k]))
                {
                  n_letters++;
                  if (!g_unichar_isupper (doc->chars[k]))
                    t.upper = FALSE;
                }
            if (n_letters < 2)
              t.upper = FALSE;
          }
        }
      else
        {
          t.type = TOK_PUNCT;
          t.ch = c;
          i++;
        }
      t.end = i;
      g_array_append_val (doc->tokens, t);
      space = line = FALSE;
    }

  /* Sentences start at the beginning, on a new line, and after . ! ? : ;
   * and bullets, but not after an abbreviation's full stop. */
  {
    gboolean start = TRUE;

    for (guint k = 0; k < doc->tokens->len; k++)
      {
        Token *t = &g_array_index (doc->tokens, Token, k);

        if (t->line)
          start = TRUE;
        if (t->type == TOK_PUNCT)
          {
            if (t->ch == '!' || t->ch == '?' || t->ch == ':' || t->ch == ';' ||
                t->ch == 0x2022 || t->ch == 0x2026)
              start = TRUE;
            else if (t->ch == '.')
              {
                Token *prev = k > 0 ? &g_array_index (doc->tokens, Token, k - 1) : NULL;

                if (prev == NULL || prev->type != TOK_WORD || prev->end != t->start ||
                    !(tok_index (prev, T_ABBREVIATIONS) >= 0) || prev->cap == FALSE)
                  start = TRUE;
              }
            continue;
          }
        t->sent = start;
        start = FALSE;
      }
  }
}

static Token *
tok (Doc  *doc,
     guint k)
{
  return k < doc->tokens->len ? &g_array_index (doc->tokens, Token, k) : NULL;
}

static gboolean
is_punct (Doc      *doc,
          guint     k,
          gunichar  ch)
{
  Token *t = tok (doc, k);

  return t != NULL && t->type == TOK_PUNCT && t->ch == ch;
}

static gboolean
is_word (Doc        *doc,
         guint       k,
         const char *word)
{
  Token *t = tok (doc, k);

  return t != NULL && t->type == TOK_WORD && g_str_equal (t->norm, word);
}

/* Touching the previous token, without space. */
static gboolean
attached (Doc  *doc,
          guint k)
{
  Token *t = tok (doc, k);
  Token *p = k > 0 ? tok (doc, k - 1) : NULL;

  return t != NULL && p != NULL && p->end == t->start;
}

/* ---- numbers ---- */

/* The value of a number token written with digits, and the precision of
 * its last digit. FALSE when it is not one number (1.2.3). */
static gboolean
digits_value (const char *s,
              double     *value,
              double     *precision,
              gboolean   *plain)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *comma = strchr (s, ','), *dot = strchr (s, '.');
  guint n_dots = 0, n_commas = 0;
  gboolean grouped = TRUE;

  for (const char *p = s; *p; p++)
    n_dots += *p == '.', n_commas += *p == ',';
  if (n_dots > 1)
    return FALSE;
  /* Commas group thousands when every group after the first has three
   * digits; "3,5" is a decimal comma. */
  if (n_commas > 0)
    {
      const char *p = s;
      guint first = strcspn (s, ",.");

      if (first > 3 || first == 0)
        grouped = FALSE;
      p = comma;
      while (grouped && p != NULL && *p == ',')
        {
          guint len = strcspn (p + 1, ",.");

          if (len != 3)
            grouped = FALSE;
          p = p + 1 + len;
        }
      if (!grouped && (n_commas > 1 || dot != NULL))
        return FALSE;
    }
  for (const char *p = s; *p; p++)
    {
      if (*p == ',')
        {
          if (!grouped)
            g_string_append_c (clean, '.');
          continue;
        }
      g_string_append_c (clean, *p);
    }
  *value = g_ascii_strtod (clean->str, NULL);
  {
    const char *point = strchr (clean->str, '.');

    if (point != NULL)
      *precision = pow (10, -(double) strlen (point + 1));
    else
      {
        gsize len = clean->len, zeros = 0;

        while (zeros + 1 < len && clean->str[len - 1 - zeros] == '0')
          zeros++;
        *precision = pow (10, (double) zeros);
      }
  }
  *plain = n_commas == 0 && n_dots == 0;
  return TRUE;
}

static gboolean
token_value (const Token *t,
             double      *value,
             double      *precision,
             gboolean    *plain)
{
  if (!t->number_ok)
    return FALSE;
  *value = t->value;
  *precision = t->precision;
  *plain = t->plain;
  return TRUE;
}

static double
scale_of (const char *word,
          gboolean    attached_to_digits)
{
  static const struct { const char *word; double scale; gboolean short_form; } scales[] = {
    { "hundred", 1e2, FALSE }, { "thousand", 1e3, FALSE }, { "million", 1e6, FALSE },
    { "millions", 0, FALSE }, { "billion", 1e9, FALSE }, { "trillion", 1e12, FALSE },
    { "k", 1e3, TRUE }, { "m", 1e6, TRUE }, { "mn", 1e6, TRUE }, { "mln", 1e6, TRUE },
    { "bn", 1e9, TRUE }, { "b", 1e9, TRUE }, { "tn", 1e12, TRUE }, { "mil", 1e6, TRUE },
  };

  if (word == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    if (g_str_equal (scales[i].word, word))
      return scales[i].short_form && !attached_to_digits && g_str_equal (word, "b") ? 0
             : scales[i].scale;
  return 0;
}

/* A number written in words from token k ("two hundred and fifty",
 * "twenty-five", "a dozen", "one and a half million"). */
static gboolean
written_value (Doc    *doc,
               guint   k,
               double *value,
               guint  *last,
               double *precision,
               gboolean *scaled)
{
  double total = 0, current = 0, frac = 0, last_scale = 0;
  double saved_total = 0, saved_current = 0, saved_precision = 1;
  gboolean any = FALSE, last_was_unit = FALSE, last_was_tens = FALSE, after_and = FALSE;
  gboolean saved_scaled = FALSE, seen_scale = FALSE;
  guint j = k, end = k, saved_end = k;

  *scaled = FALSE;
  *precision = 1;
  if ((is_word (doc, j, "a") || is_word (doc, j, "an")) &&
      tok (doc, j + 1) != NULL && tok (doc, j + 1)->type == TOK_WORD &&
      (scale_of (tok (doc, j + 1)->norm, FALSE) > 0 || is_word (doc, j + 1, "dozen")))
    {
      current = 1;
      j++;
    }
  while (j < doc->tokens->len)
    {
      Token *t = tok (doc, j);
      int small, tens;
      double scale;

      if (t->type == TOK_PUNCT && (t->ch == '-' || t->ch == 0x2010) && last_was_tens &&
          attached (doc, j) && tok (doc, j + 1) != NULL && attached (doc, j + 1) &&
          (small = tok_index (tok (doc, j + 1), T_SMALL_NUMBERS)) > 0 && small < 10)
        {
          j++;
          continue;
        }
      if (t->type != TOK_WORD)
        break;
      small = tok_index (t, T_SMALL_NUMBERS);
      tens = tok_index (t, T_TENS_NUMBERS);
      scale = g_str_equal (t->norm, "m") || g_str_equal (t->norm, "k") ||
              g_str_equal (t->norm, "b") || g_str_equal (t->norm, "bn") ? 0
              : scale_of (t->norm, FALSE);
      if (small >= 0 && !last_was_unit)
        {
          if (last_was_tens && small >= 10)
            break;
          current += small;
          last_was_unit = TRUE;
          last_was_tens = FALSE;
        }
      else if (tens >= 2 && !last_was_unit && !last_was_tens)
        {
          current += tens * 10;
          last_was_tens = TRUE;
        }
      else if (g_str_equal (t->norm, "dozen") && current > 0)
        {
          current *= 12;
          last_was_unit = last_was_tens = FALSE;
        }
      else if (scale >= 100 && (current > 0 || frac > 0))
        {
          /* "twenty-two thousand and twenty-four thousand": two numbers */
          if (after_and && last_scale >= 1000 && scale >= last_scale)
            {
              total = saved_total;
              current = saved_current;
              *precision = saved_precision;
              *scaled = saved_scaled;
              frac = 0;
              end = saved_end;
              break;
            }
          if (scale >= 1000)
            last_scale = MAX (last_scale, scale);
          seen_scale = TRUE;
          if (scale == 100)
            current *= 100;
          else
            {
              total += (current + frac) * scale;
              *scaled = TRUE;
              *precision = scale;
              current = frac = 0;
            }
          last_was_unit = last_was_tens = FALSE;
        }
      else if (g_str_equal (t->norm, "point") && frac == 0 && tok (doc, j + 1) != NULL &&
               (small = tok_index (tok (doc, j + 1), T_SMALL_NUMBERS)) >= 0 && small < 10)
        {
          /* "four point five", "point nine five" */
          double step = 0.1;

          j++;
          while ((small = tok_index (tok (doc, j), T_SMALL_NUMBERS)) >= 0 &&
                 small < 10)
            {
              current += small * step;
              *precision = step;
              step /= 10;
              end = j++;
            }
          any = TRUE;
          last_was_unit = TRUE;
          last_was_tens = FALSE;
          continue;
        }
      else if (g_str_equal (t->norm, "and") && any && is_word (doc, j + 1, "a") &&
               is_word (doc, j + 2, "half"))
        {
          frac = 0.5;
          j += 3;
          end = j - 1;
          continue;
        }
      else if (g_str_equal (t->norm, "and") && any && seen_scale && !after_and &&
               tok (doc, j + 1) != NULL &&
               (tok_index (tok (doc, j + 1), T_SMALL_NUMBERS) > 0 ||
                tok_index (tok (doc, j + 1), T_TENS_NUMBERS) >= 2))
        {
          saved_total = total;
          saved_current = current;
          saved_precision = *precision;
          saved_scaled = *scaled;
          saved_end = end;
          after_and = TRUE;
          last_was_unit = last_was_tens = FALSE;
          j++;
          continue;
        }
      else
        break;
      any = TRUE;
      end = j;
      j++;
    }
  if (!any)
    return FALSE;
  *value = total + current + frac;
  *last = end;
  return TRUE;
}

static int
hedge_before (Doc  *doc,
              guint k)
{
  Token *p = k > 0 ? tok (doc, k - 1) : NULL;
  Token *pp = k > 1 ? tok (doc, k - 2) : NULL;

  if (p == NULL)
    return HEDGE_NONE;
  if (p->type == TOK_PUNCT && (p->ch == '~' || p->ch == 0x2248))
    return HEDGE_ABOUT;
  if (p->type != TOK_WORD)
    return HEDGE_NONE;
  if ((tok_index (p, T_HEDGES_ABOUT) >= 0))
    return HEDGE_ABOUT;
  if ((tok_index (p, T_HEDGES_OVER) >= 0))
    return HEDGE_OVER;
  if ((tok_index (p, T_HEDGES_UNDER) >= 0))
    return HEDGE_UNDER;
  /* "more than", "less than", "fewer than"; "just over" is read above */
  if (g_str_equal (p->norm, "than") && pp != NULL && pp->type == TOK_WORD)
    {
      if (g_str_equal (pp->norm, "more") || g_str_equal (pp->norm, "greater"))
        return HEDGE_OVER;
      if (g_str_equal (pp->norm, "less") || g_str_equal (pp->norm, "fewer"))
        return HEDGE_UNDER;
    }
  /* "close to" */
  if (g_str_equal (p->norm, "to") && pp != NULL && pp->type == TOK_WORD &&
      g_str_equal (pp->norm, "close"))
    return HEDGE_ABOUT;
  return HEDGE_NONE;
}

static void
add_mention (Doc     *doc,
             Mention *m)
{
  g_array_append_val (doc->mentions, *m);
}

/* The unit after a number ending at token `k`: "%", "per cent", "mg",
 * "-year-old", "dollars". Sets *last to the last token it takes. */
static int
units_after (Doc         *doc,
             guint        k,
             const Unit **out,
             guint       *last)
{
  guint j = k + 1;
  Token *t = tok (doc, j);
  int n = 0;

  if (t != NULL && t->type == TOK_PUNCT && t->ch == '%')
    {
      out[0] = &percent_unit;
      *last = j;
      return 1;
    }
  if (t != NULL && t->type == TOK_PUNCT && (t->ch == '-' || t->ch == 0x2010) && attached (doc, j))
    t = tok (doc, ++j);
  if (t == NULL || t->type != TOK_WORD)
    {
      if (t != NULL && t->type == TOK_PUNCT && t->ch == 0x00b0)
        {
          out[0] = find_unit ("degrees", DIM_NONE);
          *last = j;
          if (tok (doc, j + 1) != NULL && attached (doc, j + 1) &&
              tok (doc, j + 1)->type == TOK_WORD && strlen (tok (doc, j + 1)->norm) == 1)
            *last = j + 1;
          return 1;
        }
      return 0;
    }
  if (g_str_equal (t->norm, "basis") &&
      (is_word (doc, j + 1, "point") || is_word (doc, j + 1, "points")))
    {
      out[0] = &basis_point_unit;
      *last = j + 1;
      return 1;
    }
  if ((g_str_equal (t->norm, "per") && is_word (doc, j + 1, "cent")) ||
      (g_str_equal (t->norm, "percentage") &&
       (is_word (doc, j + 1, "point") || is_word (doc, j + 1, "points"))))
    {
      out[0] = &percent_unit;
      *last = j + 1;
      return 1;
    }
  {
    const Unit *named[2];
    guint n_named = units_named (t->norm, named);

    for (guint i = 0; i < n_named; i++)
      {
        /* Single letters right after the digits ("5g", "6m"), or spaced
         * and in lower case ("5 g"), but never "p" (a page) spaced. */
        if (strlen (t->norm) == 1 && !attached (doc, j) &&
            (t->cap || g_str_equal (t->norm, "p")))
          continue;
        out[n++] = named[i];
      }
  }
  if (n > 0)
    {
      *last = j;
      /* "14-year-old", "14 years old" */
      if ((is_punct (doc, j + 1, '-') && is_word (doc, j + 2, "old")) )
        *last = j + 2;
      else if (is_word (doc, j + 1, "old"))
        *last = j + 1;
    }
  return n;
}

/* A currency sign or code before token k; sets *first to it. */
static const Unit *
currency_before (Doc   *doc,
                 guint  k,
                 guint *first)
{
  Token *p = k > 0 ? tok (doc, k - 1) : NULL;

  if (p == NULL)
    return NULL;
  if (p->type == TOK_PUNCT)
    for (guint i = 0; i < G_N_ELEMENTS (symbol_units); i++)
      {
        gunichar sym = g_utf8_get_char (symbol_units[i].name);

        if (p->ch == sym)
          {
            *first = k - 1;
            /* "US$", "A$" */
            if (k >= 2 && tok (doc, k - 2)->type == TOK_WORD && attached (doc, k - 1) &&
                tok (doc, k - 2)->upper)
              *first = k - 2;
            return &symbol_units[i];
          }
      }
  if (p->type == TOK_WORD && (tok_index (p, T_CURRENCY_CODES) >= 0) && p->upper)
    {
      *first = k - 1;
      return g_str_equal (p->norm, "us") ? &symbol_units[0] : find_unit (p->norm, DIM_NONE);
    }
  return NULL;
}

static gboolean
is_year_value (double value,
               gboolean plain)
{
  return plain && value >= 1000 && value <= 2199 && value == floor (value);
}

static void use_tokens (Doc   *doc,
                        guint  first,
                        guint  last);
static int  meridiem_at (Doc   *doc,
                         guint  k);

/* Reads a number at token k (digits or words) with what goes with it:
 * currency, scale word, unit, hedge. Returns the last token, or -1. */
static int
read_number (Doc   *doc,
             guint  k,
             guint *group)
{
  Token *t = tok (doc, k);
  double value = 0, precision = 1;
  gboolean plain = FALSE, scaled = FALSE, written = FALSE;
  guint last = k, first = k;
  const Unit *unit_list[3] = { NULL, NULL, NULL };
  const Unit *currency;
  int n_units;
  Mention m = { 0 };

  if (t->type == TOK_NUMBER)
    {
      Token *next;

      if (!token_value (t, &value, &precision, &plain))
        return -1;
      /* "COVID-19", "A4", "F-16": part of a name */
      if (k > 0 && attached (doc, k) &&
          (tok (doc, k - 1)->type == TOK_WORD ||
           (is_punct (doc, k - 1, '-') && k > 1 && tok (doc, k - 2)->type == TOK_WORD &&
            tok (doc, k - 2)->cap && attached (doc, k - 1))))
        return -1;
      next = tok (doc, k + 1);
      /* Ordinal suffix: "21st" */
      if (next != NULL && next->type == TOK_WORD && attached (doc, k + 1) &&
          (g_str_equal (next->norm, "st") || g_str_equal (next->norm, "nd") ||
           g_str_equal (next->norm, "rd") || g_str_equal (next->norm, "th")))
        last = k + 1;
      else if (next != NULL && next->type == TOK_WORD)
        {
          double scale = scale_of (next->norm, attached (doc, k + 1));

          if (scale > 0 && (attached (doc, k + 1) || strlen (next->norm) > 2))
            {
              /* "6m" is six million or six metres: two readings below. */
              value *= scale;
              precision *= scale;
              scaled = TRUE;
              last = k + 1;
            }
        }
    }
  else if (t->type == TOK_WORD)
    {
      if (!written_value (doc, k, &value, &last, &precision, &scaled))
        return -1;
      written = TRUE;
      plain = FALSE;
    }
  else
    return -1;

  currency = currency_before (doc, k, &first);
  n_units = units_after (doc, last, unit_list, &last);
  if (currency != NULL)
    {
      /* "$6 million dollars" */
      unit_list[0] = currency;
      n_units = 1;
    }

  m.kind = M_NUMBER;
  m.group = (*group)++;
  m.first = first;
  m.last = last;
  m.value = value;
  m.precision = precision;
  m.scaled = scaled;
  m.hedged = hedge_before (doc, first);
  m.written = written;
  m.small = n_units == 0 && !scaled && value <= 10 && value == floor (value);

  /* A score or a vote: two small whole numbers joined by a dash or "to",
   * nothing after them. Read as one: "3-2" is wrong when the source has
   * "3-1", though it has a 3 and, elsewhere, a 2. */
  if (n_units == 0 && !scaled && value == floor (value) && value <= 30 &&
      (is_punct (doc, last + 1, '-') || is_punct (doc, last + 1, 0x2013) ||
       is_punct (doc, last + 1, 0x2014) || is_word (doc, last + 1, "to") ||
       is_word (doc, last + 1, "or")))
    {
      Token *b = tok (doc, last + 2);
      const Unit *after[3];
      double bv = -1, bp;
      gboolean bplain, bscaled;
      guint blast = last + 2, ul;

      if (b != NULL && b->type == TOK_NUMBER && token_value (b, &bv, &bp, &bplain) &&
          bplain)
        ;
      else if (b != NULL && b->type == TOK_WORD &&
               written_value (doc, last + 2, &bv, &blast, &bp, &bscaled) && !bscaled)
        ;
      else
        bv = -1;
      if (bv >= 0 && bv <= 30 && bv == floor (bv) && units_after (doc, blast, after, &ul) == 0 &&
          !meridiem_at (doc, blast + 1) && !is_word (doc, blast + 1, "oclock") &&
          (tok (doc, blast + 1) == NULL || tok (doc, blast + 1)->type != TOK_WORD ||
           scale_of (tok (doc, blast + 1)->norm, attached (doc, blast + 1)) == 0))
        {
          m.pair = TRUE;
          m.pair_b = (int) bv;
          m.small = FALSE;
          m.last = last = blast;
          add_mention (doc, &m);
          if (doc->is_source)
            {
              /* each number also stands alone */
              Mention second = m;

              second.pair = FALSE;
              second.group = (*group)++;
              second.value = bv;
              second.first = second.last = blast;
              add_mention (doc, &second);
            }
          use_tokens (doc, first, last);
          return last;
        }
    }

  /* "$1.6–1.64 billion": the scale of a range's end is its start's too */
  if (!scaled && t->type == TOK_NUMBER &&
      (is_punct (doc, last + 1, '-') || is_punct (doc, last + 1, 0x2013) ||
       is_word (doc, last + 1, "to")) &&
      tok (doc, last + 2) != NULL && tok (doc, last + 2)->type == TOK_NUMBER &&
      tok (doc, last + 3) != NULL && tok (doc, last + 3)->type == TOK_WORD &&
      scale_of (tok (doc, last + 3)->norm, attached (doc, last + 3)) > 0)
    {
      Mention ranged = m;
      double scale = scale_of (tok (doc, last + 3)->norm, attached (doc, last + 3));

      ranged.value *= scale;
      ranged.precision *= scale;
      ranged.scaled = TRUE;
      ranged.small = FALSE;
      ranged.unit = n_units > 0 ? unit_list[0] : NULL;
      add_mention (doc, &ranged);
    }

  if (n_units == 0)
    add_mention (doc, &m);
  for (int i = 0; i < n_units; i++)
    {
      m.unit = unit_list[i];
      add_mention (doc, &m);
    }
  /* "6m": also six metres */
  if (scaled && t->type == TOK_NUMBER && is_word (doc, k + 1, "m") && currency == NULL)
    {
      m.value = value / 1e6;
      m.precision = precision / 1e6;
      m.scaled = FALSE;
      m.unit = find_unit ("m", DIM_NONE);
      add_mention (doc, &m);
    }
  for (guint j = first; j <= last; j++)
    tok (doc, j)->used = TRUE;
  return last;
}

/* ---- dates and times ---- */

/* "Monday", "Mondays" */
static int
weekday_of (Token *t)
{
  gsize len;
  int w;

  if (t == NULL || t->type != TOK_WORD || !t->cap || t->info == NULL)
    return 0;
  if ((w = tok_index (t, T_WEEKDAYS)) > 0)
    return w;
  len = strlen (t->norm);
  if (len < 7 || t->norm[len - 1] != 's')
    return 0;
  for (w = 1; weekdays[w] != NULL; w++)
    if (strlen (weekdays[w]) == len - 1 && strncmp (weekdays[w], t->norm, len - 1) == 0)
      return w;
  return 0;
}

static int
month_at (Doc      *doc,
          guint     k,
          gboolean  abbrev_ok)
{
  Token *t = tok (doc, k);
  int m;

  if (t == NULL || t->type != TOK_WORD || !t->cap)
    return 0;
  m = tok_index (t, T_MONTHS);
  if (m > 0)
    return m;
  if (!abbrev_ok)
    return 0;
  if (g_str_equal (t->norm, "sept"))
    return 9;
  m = tok_index (t, T_MONTH_ABBREVS);
  return m > 0 ? m : 0;
}

/* A day of the month at k: "3", "3rd", "third", "twenty-first". */
static int
day_at (Doc   *doc,
        guint  k,
        guint *last)
{
  Token *t = tok (doc, k);
  double v, p;
  gboolean plain;
  int o;

  if (t == NULL)
    return 0;
  if (t->type == TOK_NUMBER)
    {
      Token *n;

      if (!token_value (t, &v, &p, &plain) || !plain || v < 1 || v > 31 ||
          strlen (t->norm) > 2)
        return 0;
      *last = k;
      n = tok (doc, k + 1);
      if (n != NULL && n->type == TOK_WORD && attached (doc, k + 1) &&
          (g_str_equal (n->norm, "st") || g_str_equal (n->norm, "nd") ||
           g_str_equal (n->norm, "rd") || g_str_equal (n->norm, "th")))
        *last = k + 1;
      return (int) v;
    }
  if (t->type != TOK_WORD)
    return 0;
  o = tok_index (t, T_ORDINALS);
  if (o > 0)
    {
      *last = k;
      return o;
    }
  if ((g_str_equal (t->norm, "twenty") || g_str_equal (t->norm, "thirty")) &&
      is_punct (doc, k + 1, '-') && tok (doc, k + 2) != NULL &&
      (o = tok_index (tok (doc, k + 2), T_ORDINALS)) > 0 && o < 10)
    {
      int d = (g_str_equal (t->norm, "twenty") ? 20 : 30) + o;

      if (d > 31)
        return 0;
      *last = k + 2;
      return d;
    }
  if (g_str_equal (t->norm, "thirtieth"))
    {
      *last = k;
      return 30;
    }
  return 0;
}

static int
year_at (Doc   *doc,
         guint  k)
{
  Token *t = tok (doc, k);
  double v, p;
  gboolean plain;

  if (t == NULL || t->type != TOK_NUMBER || !token_value (t, &v, &p, &plain) ||
      !is_year_value (v, plain) || strlen (t->norm) != 4)
    return 0;
  return (int) v;
}

static void
use_tokens (Doc   *doc,
            guint  first,
            guint  last)
{
  for (guint j = first; j <= last; j++)
    tok (doc, j)->used = TRUE;
}

static void
add_date (Doc   *doc,
          guint *group,
          guint  first,
          guint  last,
          int    year,
          int    month,
          int    day,
          int    weekday)
{
  Mention m = { 0 };

  m.kind = M_DATE;
  m.group = (*group)++;
  m.first = first;
  m.last = last;
  m.year = year;
  m.month = month;
  m.day = day;
  m.weekday = weekday;
  add_mention (doc, &m);
  use_tokens (doc, first, last);
}

/* Weekday just before a date: "Monday, March 3" */
static int
weekday_before (Doc   *doc,
                guint  k,
                guint *first)
{
  guint j = k;
  Token *t;
  int w;

  if (j > 0 && is_punct (doc, j - 1, ','))
    j--;
  if (j > 0 && is_word (doc, j - 1, "the"))
    j--;
  if (j == 0)
    return 0;
  t = tok (doc, j - 1);
  if ((w = weekday_of (t)) <= 0)
    return 0;
  *first = j - 1;
  return w;
}

static int
read_date (Doc   *doc,
           guint  k,
           guint *group)
{
  Token *t = tok (doc, k);
  guint last = k, first = k;
  int month, day, year, weekday;

  /* In the source, "on the third" names a day of a month it gives
   * elsewhere ("charged in October ... on the third"). */
  if (doc->is_source && k > 0 && is_word (doc, k - 1, "the") && month_at (doc, k, TRUE) == 0)
    {
      guint dl;
      int d = day_at (doc, k, &dl);

      if (d > 0 && (tok (doc, k)->type == TOK_WORD || dl > k) &&
          month_at (doc, dl + 1, TRUE) == 0 && !is_word (doc, dl + 1, "of"))
        {
          add_date (doc, group, k, dl, 0, 0, d, 0);
          return (int) dl;
        }
    }

  /* Month first: "March 3", "March 3rd, 2019", "March 2019", "March" */
  month = month_at (doc, k, TRUE);
  if (month > 0)
    {
      guint j = k + 1, dl = 0;

      if (is_punct (doc, j, '.') && attached (doc, j))
        j++;
      if (is_word (doc, j, "the"))
        j++;
      weekday = weekday_before (doc, k, &first);
      if ((day = day_at (doc, j, &dl)) > 0)
        {
          guint y = dl + 1;

          if (is_punct (doc, y, ','))
            y++;
          year = year_at (doc, y);
          last = year > 0 ? y : dl;
          add_date (doc, group, first, last, year, month, day, weekday);
          return (int) last;
        }
      if (is_word (doc, j, "of"))
        j++;
      if ((year = year_at (doc, j)) > 0)
        {
          add_date (doc, group, k, j, year, month, 0, 0);
          return (int) j;
        }
      /* A month alone: not an abbreviation ("Jan" is also a name), and
       * not "May" starting a sentence ("May I ..."). */
      if (month_at (doc, k, FALSE) == 0 || (month == 5 && t->sent))
        return -1;
      add_date (doc, group, k, k, 0, month, 0, 0);
      return (int) k;
    }

  /* Day first: "3 March", "3rd of March 2019", "the third of March" */
  if ((day = day_at (doc, k, &last)) > 0)
    {
      guint j = last + 1;

      if (is_word (doc, j, "of"))
        j++;
      if ((month = month_at (doc, j, TRUE)) > 0)
        {
          guint y = j + 1, end = j;

          if (is_punct (doc, y, '.') && attached (doc, y))
            y++, end++;
          if (is_punct (doc, y, ','))
            y++;
          year = year_at (doc, y);
          if (year > 0)
            end = y;
          weekday = weekday_before (doc, k, &first);
          add_date (doc, group, first, end, year, month, day, weekday);
          return (int) end;
        }
    }

  if (t->type == TOK_NUMBER)
    {
      double v, p;
      gboolean plain;

      /* 2019-03-03 */
      if (year_at (doc, k) > 0 && is_punct (doc, k + 1, '-') && attached (doc, k + 1) &&
          tok (doc, k + 2) != NULL && tok (doc, k + 2)->type == TOK_NUMBER &&
          attached (doc, k + 2) && is_punct (doc, k + 3, '-') && attached (doc, k + 3) &&
          tok (doc, k + 4) != NULL && tok (doc, k + 4)->type == TOK_NUMBER && attached (doc, k + 4))
        {
          int mo = atoi (tok (doc, k + 2)->norm), d = atoi (tok (doc, k + 4)->norm);

          if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31)
            {
              add_date (doc, group, k, k + 4, year_at (doc, k), mo, d, 0);
              return (int) (k + 4);
            }
        }
      /* 3/4/2019 and 03.04.2019: day and month in either order */
      {
        int parts[3] = { 0, 0, 0 }, n = 0;
        guint end = k;

        if (strchr (t->norm, '.') != NULL && strchr (t->norm, ',') == NULL)
          {
            g_auto(GStrv) bits = g_strsplit (t->norm, ".", -1);

            /* a number token holds at most one dot; look for "03.04" "." "2019" */
            if (g_strv_length (bits) == 2 && is_punct (doc, k + 1, '.') && attached (doc, k + 1) &&
                year_at (doc, k + 2) > 0 && attached (doc, k + 2))
              {
                parts[0] = atoi (bits[0]);
                parts[1] = atoi (bits[1]);
                parts[2] = year_at (doc, k + 2);
                n = 3;
                end = k + 2;
              }
          }
        else if (is_punct (doc, k + 1, '/') && attached (doc, k + 1) && tok (doc, k + 2) != NULL &&
                 tok (doc, k + 2)->type == TOK_NUMBER && attached (doc, k + 2) &&
                 is_punct (doc, k + 3, '/') && attached (doc, k + 3) && tok (doc, k + 4) != NULL &&
                 tok (doc, k + 4)->type == TOK_NUMBER && attached (doc, k + 4))
          {
            parts[0] = atoi (t->norm);
            parts[1] = atoi (tok (doc, k + 2)->norm);
            parts[2] = atoi (tok (doc, k + 4)->norm);
            if (parts[2] < 100)
              parts[2] += parts[2] < 50 ? 2000 : 1900;
            n = 3;
            end = k + 4;
          }
        if (n == 3 && parts[2] >= 1000)
          {
            guint g = (*group)++;
            gboolean any = FALSE;

            for (int order = 0; order < 2; order++)
              {
                int d = order == 0 ? parts[0] : parts[1], mo = order == 0 ? parts[1] : parts[0];
                Mention m = { 0 };

                if (mo < 1 || mo > 12 || d < 1 || d > 31 || (order == 1 && d == mo))
                  continue;
                m.kind = M_DATE;
                m.group = g;
                m.first = k;
                m.last = end;
                m.year = parts[2];
                m.month = mo;
                m.day = d;
                add_mention (doc, &m);
                any = TRUE;
              }
            if (any)
              {
                use_tokens (doc, k, end);
                return (int) end;
              }
          }
      }

      /* A year, or a decade: "2019", "1990s" */
      if (token_value (t, &v, &p, &plain) && is_year_value (v, plain) &&
          strlen (t->norm) == 4)
        {
          const Unit *u[3];
          guint ul;
          Token *n = tok (doc, k + 1);
          guint g;
          Mention m = { 0 };

          if (n != NULL && n->type == TOK_WORD && attached (doc, k + 1) &&
              g_str_equal (n->norm, "s") && ((int) v) % 10 == 0)
            {
              m.kind = M_DATE;
              m.group = (*group)++;
              m.first = k;
              m.last = k + 1;
              m.decade = (int) v;
              add_mention (doc, &m);
              use_tokens (doc, k, k + 1);
              return (int) (k + 1);
            }
          if (units_after (doc, k, u, &ul) > 0)
            return -1;
          if (n != NULL && n->type == TOK_WORD && scale_of (n->norm, attached (doc, k + 1)) > 0)
            return -1;
          if (currency_before (doc, k, &g) != NULL)
            return -1;
          add_date (doc, group, k, k, (int) v, 0, 0, 0);
          return (int) k;
        }
    }

  /* A weekday alone */
  if ((weekday = weekday_of (t)) > 0)
    {
      add_date (doc, group, k, k, 0, 0, 0, weekday);
      return (int) k;
    }
  return -1;
}

static int
meridiem_at (Doc   *doc,
             guint  k)
{
  Token *t = tok (doc, k);

  if (t == NULL || t->type != TOK_WORD)
    return 0;
  if (g_str_equal (t->norm, "am"))
    return 1;
  if (g_str_equal (t->norm, "pm"))
    return 2;
  return 0;
}

static void
add_time (Doc   *doc,
          guint *group,
          guint  first,
          guint  last,
          int    hour,
          int    minute,
          int    meridiem)
{
  Mention m = { 0 };

  m.kind = M_TIME;
  m.group = (*group)++;
  m.first = first;
  m.last = last;
  if (meridiem == 3)
    {
      m.minutes = (hour % 24) * 60 + minute;
      add_mention (doc, &m);
    }
  else if (meridiem != 0)
    {
      hour = hour % 12 + (meridiem == 2 ? 12 : 0);
      m.minutes = hour * 60 + minute;
      add_mention (doc, &m);
    }
  else
    {
      m.minutes = hour * 60 + minute;
      add_mention (doc, &m);
      if (hour <= 12)
        {
          m.minutes = ((hour + 12) % 24) * 60 + minute;
          add_mention (doc, &m);
        }
    }
  use_tokens (doc, first, last);
}

static int
read_time (Doc   *doc,
           guint  k,
           guint *group)
{
  Token *t = tok (doc, k);

  if (t->type == TOK_WORD)
    {
      guint last;
      double v, p;
      gboolean scaled;

      if (g_str_equal (t->norm, "noon") || g_str_equal (t->norm, "midday"))
        {
          add_time (doc, group, k, k, 12, 0, 2);
          return (int) k;
        }
      if (g_str_equal (t->norm, "midnight"))
        {
          add_time (doc, group, k, k, 0, 0, 1);
          return (int) k;
        }
      if (written_value (doc, k, &v, &last, &p, &scaled) && v >= 1 && v <= 12 && v == floor (v))
        {
          if (is_word (doc, last + 1, "oclock"))
            {
              add_time (doc, group, k, last + 1, (int) v, 0, meridiem_at (doc, last + 2));
              return (int) (last + 1 + (meridiem_at (doc, last + 2) ? 1 : 0));
            }
          if (meridiem_at (doc, last + 1))
            {
              add_time (doc, group, k, last + 1, (int) v, 0, meridiem_at (doc, last + 1));
              return (int) (last + 1);
            }
        }
      return -1;
    }
  if (t->type != TOK_NUMBER)
    return -1;

  /* 15:00, 3:30 pm, 10:15:02 */
  if (strlen (t->norm) <= 2 && is_punct (doc, k + 1, ':') && attached (doc, k + 1) &&
      tok (doc, k + 2) != NULL && tok (doc, k + 2)->type == TOK_NUMBER && attached (doc, k + 2) &&
      strlen (tok (doc, k + 2)->norm) == 2)
    {
      int h = atoi (t->norm), mi = atoi (tok (doc, k + 2)->norm);
      guint last = k + 2;

      if (h > 24 || mi > 59)
        return -1;
      if (is_punct (doc, k + 3, ':') && attached (doc, k + 3) && tok (doc, k + 4) != NULL &&
          tok (doc, k + 4)->type == TOK_NUMBER)
        last = k + 4;
      if (meridiem_at (doc, last + 1))
        last++;
      /* "02:40" and "15:00" are read on a 24-hour clock */
      add_time (doc, group, k, last, h, mi,
                meridiem_at (doc, last) ? meridiem_at (doc, last)
                : (t->norm[0] == '0' || h > 12) ? 3 : 0);
      return (int) last;
    }
  /* 3 pm, 3.30 pm, 3 o'clock */
  {
    const char *dot = strchr (t->norm, '.');
    int h = atoi (t->norm), mi = 0;

    if (dot != NULL && strlen (dot + 1) == 2)
      mi = atoi (dot + 1);
    else if (dot != NULL || strchr (t->norm, ',') != NULL)
      return -1;
    if (h < 1 || h > 12 || mi > 59)
      return -1;
    if (meridiem_at (doc, k + 1))
      {
        add_time (doc, group, k, k + 1, h, mi, meridiem_at (doc, k + 1));
        return (int) (k + 1);
      }
    if (dot == NULL && is_word (doc, k + 1, "oclock"))
      {
        add_time (doc, group, k, k + 1, h, 0, 0);
        return (int) (k + 1);
      }
  }
  return -1;
}

/* Whether a word can begin a number, a date or a time: most cannot, and
 * are not read further. */
static gboolean
may_start_mention (Token *t)
{
  return t->info != NULL && t->info->starts;
}

static void
read_mentions (Doc *doc)
{
  guint group = 1;

  for (guint k = 0; k < doc->tokens->len; k++)
    {
      Token *t = tok (doc, k);
      int last;

      if (t->used || t->type == TOK_PUNCT || (t->type == TOK_WORD && !may_start_mention (t)))
        continue;
      if ((last = read_time (doc, k, &group)) >= 0 ||
          (last = read_date (doc, k, &group)) >= 0 ||
          (last = read_number (doc, k, &group)) >= 0)
        k = (guint) last;
    }
}

/* Amounts said aloud: "sixty-four ninety-nine" is 64.99 (or 6499), "one
 * thirty-six" 136, "four dollars thirty" 4.30, "one dollar and twelve
 * cents" 1.12. Only the source gets these readings: they can only support. */
static void
add_spoken_readings (Doc *doc)
{
  guint n = doc->mentions->len;

  for (guint i = 0; i + 1 < n; i++)
    {
      Mention a = g_array_index (doc->mentions, Mention, i);
      Mention b;
      guint j = i + 1;
      gboolean a_money;

      while (j < n && g_array_index (doc->mentions, Mention, j).group == a.group)
        j++;
      if (j >= n)
        break;
      b = g_array_index (doc->mentions, Mention, j);
      if (a.kind != M_NUMBER || b.kind != M_NUMBER || !a.written || !b.written ||
          a.value != floor (a.value) || a.value < 1 || a.value > 99 || a.scaled || b.scaled)
        continue;
      a_money = a.unit != NULL && a.unit->dim >= DIM_USD;
      /* "four dollars thirty", "one dollar and twelve cents" */
      if (a_money && (b.first == a.last + 1 || (b.first == a.last + 2 &&
                                                is_word (doc, a.last + 1, "and"))) &&
          b.value >= 1 && b.value <= 99 && b.value == floor (b.value))
        {
          Mention m = a;

          m.last = b.last;
          m.value = a.value + b.value / 100;
          m.precision = 0.01;
          m.written = FALSE;
          g_array_append_val (doc->mentions, m);
          continue;
        }
      if (a.unit == NULL && b.first == a.last + 1 && b.value >= 10 && b.value <= 99 &&
          b.value == floor (b.value))
        {
          Mention m = b;

          m.first = a.first;
          m.written = FALSE;
          m.value = a.value * 100 + b.value;
          m.precision = 1;
          g_array_append_val (doc->mentions, m);
          m.value = a.value + b.value / 100;
          m.precision = 0.01;
          g_array_append_val (doc->mentions, m);
        }
    }
}

static void
doc_init (Doc        *doc,
          const char *text)
{
  doc->text = g_strdup (text);
  doc->chars = g_utf8_to_ucs4_fast (text, -1, &doc->n_chars);
  doc->tokens = g_array_sized_new (FALSE, TRUE, sizeof (Token), doc->n_chars / 5 + 8);
  doc->mentions = g_array_sized_new (FALSE, TRUE, sizeof (Mention), doc->n_chars / 100 + 8);
  tokenize (doc);
  read_mentions (doc);
  if (doc->is_source)
    add_spoken_readings (doc);
}

static void
doc_clear (Doc *doc)
{
  for (guint k = 0; doc->tokens != NULL && k < doc->tokens->len; k++)
    g_free (tok (doc, k)->norm);
  g_clear_pointer (&doc->tokens, g_array_unref);
  g_clear_pointer (&doc->mentions, g_array_unref);
  g_clear_pointer (&doc->chars, g_free);
  g_clear_pointer (&doc->text, g_free);
}

static char *
doc_substring (Doc   *doc,
               glong  start,
               glong  end)
{
  return g_ucs4_to_utf8 (doc->chars + start, end - start, NULL, NULL, NULL);
}

/* ---- names ---- */

/* A looser spelling, so that Eric and Erik, Mohammad and Muhammad-like
 * variants of one name meet: c/k, z/s, y/i, ph/f, doubled letters. */
static char *
loose_key (const char *word)
{
  GString *out = g_string_new (NULL);

  for (const char *p = word; *p; p++)
    {
      char c = *p;

      if (c == 'p' && p[1] == 'h')
        c = 'f', p++;
      else if (c == 'c' || c == 'q')
        c = 'k';
      else if (c == 'z')
        c = 's';
      else if (c == 'y')
        c = 'i';
      if (out->len > 0 && out->str[out->len - 1] == c)
        continue;
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

static gboolean
is_name_word (Token *t)
{
  return t != NULL && t->type == TOK_WORD && t->cap && !t->used &&
         !(tok_index (t, T_HONORIFICS) >= 0) && !(tok_index (t, T_NOT_NAMES) >= 0) &&
         !(tok_index (t, T_MONTHS) >= 0) && !(tok_index (t, T_MONTH_ABBREVS) >= 0) &&
         !g_str_equal (t->norm, "sept") && weekday_of (t) == 0;
}

typedef struct
{
  guint first;     /* tokens of the whole name */
  guint last;
  GPtrArray *words; /* content words (folded), borrowed from the tokens */
  GArray *word_tokens; /* guint: their tokens */
} Name;

static void
name_clear (Name *n)
{
  g_clear_pointer (&n->words, g_ptr_array_unref);
  g_clear_pointer (&n->word_tokens, g_array_unref);
}

/* A capitalised word starting a sentence is a name only when the texts
 * also write it capitalised inside a sentence (`capitalised`). */
/* How the texts write each word: in lower case somewhere, capitalised
 * inside a sentence somewhere. The source's sets are made once; a
 * candidate's are looked up beside them. */
typedef struct
{
  GHashTable *lower[2];
  GHashTable *capitalised[2];
} CaseSets;

static gboolean
in_sets (GHashTable * const *sets,
         const char         *word)
{
  return (sets[0] != NULL && g_hash_table_contains (sets[0], word)) ||
         (sets[1] != NULL && g_hash_table_contains (sets[1], word));
}

static void
find_names (Doc            *doc,
            const CaseSets *cases,
            GArray         *out)
{
  for (guint k = 0; k < doc->tokens->len; k++)
    {
      Token *t = tok (doc, k);
      Name n = { 0 };
      guint j;

      if (t->type != TOK_WORD || !t->cap || t->used)
        continue;
      if (!is_name_word (t) && !(tok_index (t, T_HONORIFICS) >= 0))
        continue;
      n.first = k;
      n.words = g_ptr_array_new ();
      n.word_tokens = g_array_new (FALSE, FALSE, sizeof (guint));
      j = k;
      while (j < doc->tokens->len)
        {
          Token *w = tok (doc, j);

          if (w->type == TOK_WORD && w->cap && !w->used &&
              (is_name_word (w) || (tok_index (w, T_HONORIFICS) >= 0)))
            {
              gboolean content = is_name_word (w);

              if (content && w->sent && !w->upper &&
                  !in_sets (cases->capitalised, w->norm))
                {
                  /* the first word of a sentence: a name only when followed
                   * by one, and not a word the texts use in lower case */
                  Token *nx = tok (doc, j + 1);

                  content = nx != NULL && is_name_word (nx) && nx->start == w->end + 1 &&
                            !in_sets (cases->lower, w->norm);
                }
              if (content && in_sets (cases->lower, w->norm) && !w->upper &&
                  !in_sets (cases->capitalised, w->norm))
                content = FALSE;
              if (content)
                {
                  g_ptr_array_add (n.words, w->norm);
                  g_array_append_val (n.word_tokens, j);
                }
              else if (n.words->len == 0)
                n.first = j + 1;
              n.last = j;
              /* "Dr." */
              if (is_punct (doc, j + 1, '.') && attached (doc, j + 1) &&
                  (tok_index (w, T_HONORIFICS) >= 0))
                j++;
              /* "Jean-Luc" */
              if ((is_punct (doc, j + 1, '-') || is_punct (doc, j + 1, 0x2010)) &&
                  attached (doc, j + 1) && attached (doc, j + 2) && tok (doc, j + 2) != NULL &&
                  tok (doc, j + 2)->type == TOK_WORD && tok (doc, j + 2)->cap)
                {
                  j += 2;
                  continue;
                }
              /* a name ends at its possessive */
              if (is_apostrophe (doc->chars[w->end - 1]) ||
                  (w->end - w->start > 2 && doc->chars[w->end - 1] == 's' &&
                   is_apostrophe (doc->chars[w->end - 2])))
                {
                  j++;
                  break;
                }
              j++;
              continue;
            }
          /* "Bank of England" */
          if (w->type == TOK_WORD && !w->cap && (tok_index (w, T_NAME_JOINERS) >= 0) &&
              n.words->len > 0 && is_name_word (tok (doc, j + 1)))
            {
              j++;
              continue;
            }
          if (w->type == TOK_PUNCT && w->ch == '&' && n.words->len > 0 &&
              is_name_word (tok (doc, j + 1)))
            {
              j++;
              continue;
            }
          break;
        }
      if (n.words->len > 0)
        {
          /* trim to the content words */
          n.first = g_array_index (n.word_tokens, guint, 0);
          n.last = g_array_index (n.word_tokens, guint, n.word_tokens->len - 1);
          g_array_append_val (out, n);
        }
      else
        name_clear (&n);
      if (j > k)
        k = j - 1;
    }
}

static void
collect_case (Doc        *doc,
              GHashTable *lower,
              GHashTable *capitalised)
{
  for (guint k = 0; k < doc->tokens->len; k++)
    {
      Token *t = tok (doc, k);

      if (t->type != TOK_WORD)
        continue;
      if (!t->cap)
        g_hash_table_add (lower, t->norm);
      else if (!t->sent)
        g_hash_table_add (capitalised, t->norm);
    }
}

/* ---- the source ---- */

static void
name_list_free (gpointer data)
{
  g_strfreev (data);
}

AssayPrecheckSource *
assay_precheck_source_new (const char         *text,
                           const char * const *more)
{
  AssayPrecheckSource *self = g_new0 (AssayPrecheckSource, 1);
  g_autoptr(GString) all = g_string_new (text != NULL ? text : "");
  g_autoptr(GArray) names = g_array_new (FALSE, TRUE, sizeof (Name));
  g_autoptr(GHashTable) in_long = g_hash_table_new (g_str_hash, g_str_equal);

  /* The title and the speakers' names are said by the source too; each
   * on its own line so that none runs into the next. */
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    {
      g_string_append (all, "\n");
      g_string_append (all, more[i]);
      g_string_append (all, "\n");
    }
  self->doc.is_source = TRUE;
  doc_init (&self->doc, all->str);

  /* Keys are the tokens' own words, which live as long as the source. */
  self->words = g_hash_table_new (g_str_hash, g_str_equal);
  self->loose = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->standalone = g_hash_table_new (g_str_hash, g_str_equal);
  self->names = g_ptr_array_new_with_free_func (name_list_free);
  self->acronyms = g_ptr_array_new_with_free_func (g_free);
  self->distinct = g_ptr_array_new ();

  for (guint k = 0; k < self->doc.tokens->len; k++)
    {
      Token *t = tok (&self->doc, k);

      if (t->type != TOK_WORD)
        continue;
      if (!g_hash_table_contains (self->words, t->norm))
        {
          g_hash_table_add (self->words, t->norm);
          g_ptr_array_add (self->distinct, t->norm);
          g_hash_table_add (self->loose, loose_key (t->norm));
        }
      if (t->upper)
        g_ptr_array_add (self->acronyms, g_strdup (t->norm));
    }

  self->lower = g_hash_table_new (g_str_hash, g_str_equal);
  self->capitalised = g_hash_table_new (g_str_hash, g_str_equal);
  collect_case (&self->doc, self->lower, self->capitalised);
  {
    CaseSets cases = { { self->lower, NULL }, { self->capitalised, NULL } };

    find_names (&self->doc, &cases, names);
  }
  for (guint i = 0; i < names->len; i++)
    {
      Name *n = &g_array_index (names, Name, i);
      GStrv words = g_new0 (char *, n->words->len + 1);

      for (guint w = 0; w < n->words->len; w++)
        {
          words[w] = g_strdup (g_ptr_array_index (n->words, w));
          if (n->words->len > 1)
            g_hash_table_add (in_long, words[w]);
        }
      g_ptr_array_add (self->names, words);
    }
  /* Words met outside a name of two words or more. */
  for (guint i = 0; i < names->len; i++)
    {
      Name *n = &g_array_index (names, Name, i);

      if (n->words->len == 1)
        g_hash_table_add (self->standalone, g_ptr_array_index (n->words, 0));
    }
  for (guint k = 0; k < self->doc.tokens->len; k++)
    {
      Token *t = tok (&self->doc, k);

      if (t->type == TOK_WORD && !t->cap)
        g_hash_table_add (self->standalone, t->norm);
    }
  for (guint i = 0; i < names->len; i++)
    name_clear (&g_array_index (names, Name, i));
  return self;
}

void
assay_precheck_source_free (AssayPrecheckSource *self)
{
  if (self == NULL)
    return;
  doc_clear (&self->doc);
  g_hash_table_unref (self->words);
  g_hash_table_unref (self->loose);
  g_hash_table_unref (self->standalone);
  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->acronyms);
  g_ptr_array_unref (self->distinct);
  g_hash_table_unref (self->lower);
  g_hash_table_unref (self->capitalised);
  g_free (self);
}

void
assay_precheck_finding_free (AssayPrecheckFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->text);
  g_free (finding->reason);
  g_free (finding);
}

const char *
assay_precheck_category_to_string (AssayPrecheckCategory category)
{
  switch (category)
    {
    case ASSAY_PRECHECK_NUMBER:
      return "number";
    case ASSAY_PRECHECK_DATE:
      return "date";
    case ASSAY_PRECHECK_NAME:
      return "name";
    default:
      g_assert_not_reached ();
    }
}

/* ---- checking ---- */

static gboolean
same_value (double a,
            double b,
            double tolerance)
{
  double scale = MAX (fabs (a), fabs (b));

  return fabs (a - b) <= MAX (scale * tolerance, 1e-9);
}

static gboolean
units_agree (const Mention *a,
             const Mention *b)
{
  return a->unit == NULL || b->unit == NULL ||
         (a->unit->factor == b->unit->factor && a->unit->dim == b->unit->dim);
}

static gboolean
says_twice (Doc           *doc,
            const Mention *a)
{
  static const char * const words[] = {
    "twice", "double", "doubled", "doubles", "doubling", NULL
  };
  guint from = a->first > 12 ? a->first - 12 : 0;

  for (guint k = from; k <= a->last + 12 && k < doc->tokens->len; k++)
    if (tok (doc, k)->type == TOK_WORD && in_table (words, tok (doc, k)->norm))
      return TRUE;
  return FALSE;
}

/* Simple arithmetic on figures the source states close together: a total
 * (64.99 twice is 129.98), a difference, a share or a change in percent. */
#define DERIVE_WINDOW 80

static gboolean
number_derived (AssayPrecheckSource *src,
                const Mention       *m)
{
  GArray *ms = src->doc.mentions;
  gboolean percent = m->unit != NULL && m->unit->dim == DIM_PERCENT;
  double v = fabs (m->value);

  for (guint i = 0; i < ms->len; i++)
    {
      const Mention *a = &g_array_index (ms, Mention, i);

      if (a->kind != M_NUMBER || (!percent && !units_agree (a, m)))
        continue;
      /* twice the same amount, when the source says so */
      if (!percent && same_value (2 * fabs (a->value), v, 1e-9) && says_twice (&src->doc, a))
        return TRUE;
      /* Totals and differences only of amounts with a unit (money, doses,
       * times): bare whole numbers are too easily made by chance. */
      if (!percent && m->unit == NULL)
        continue;
      for (guint j = i + 1; j < ms->len; j++)
        {
          const Mention *b = &g_array_index (ms, Mention, j);
          double x = fabs (a->value), y = fabs (b->value);

          if (b->first > a->first + DERIVE_WINDOW)
            break;
          if (b->kind != M_NUMBER || b->group == a->group)
            continue;
          if (percent)
            {
              double prec = MAX (m->precision, 1e-9);

              if (!units_agree (a, b) || (a->unit != NULL && a->unit->dim == DIM_PERCENT))
                continue;
              if ((y > 0 && same_value (round (x / y * 100 / prec) * prec, v, 1e-9)) ||
                  (x > 0 && same_value (round (y / x * 100 / prec) * prec, v, 1e-9)) ||
                  (y > 0 && same_value (round (fabs (x - y) / y * 100 / prec) * prec, v, 1e-9)) ||
                  (x > 0 && same_value (round (fabs (x - y) / x * 100 / prec) * prec, v, 1e-9)))
                return TRUE;
              continue;
            }
          if (a->unit == NULL || b->unit == NULL || !units_agree (b, m) || !units_agree (a, b))
            continue;
          if (same_value (x + y, v, 1e-9) || same_value (fabs (x - y), v, 1e-9))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
number_supported (AssayPrecheckSource *src,
                  const Mention       *m)
{
  /* "100%" and "0%" say "all" and "none" more often than a figure */
  if (m->unit != NULL && m->unit->dim == DIM_PERCENT && (m->value == 100 || m->value == 0))
    return TRUE;
  if (m->pair)
    {
      gboolean a_said = FALSE, b_said = FALSE, shared = FALSE;

      for (guint i = 0; i < src->doc.mentions->len; i++)
        {
          const Mention *s = &g_array_index (src->doc.mentions, Mention, i);

          if (s->kind != M_NUMBER)
            continue;
          if (s->pair && ((s->value == m->value && s->pair_b == m->pair_b) ||
                          (s->value == m->pair_b && s->pair_b == m->value)))
            return TRUE;
          if (s->pair)
            {
              shared |= s->value == m->value || s->value == m->pair_b ||
                        s->pair_b == m->value || s->pair_b == m->pair_b;
              continue;
            }
          a_said |= s->value == m->value;
          b_said |= s->value == m->pair_b;
        }
      /* A range the source gives in other words ("between five and
       * seven"), unless it pairs one of the numbers otherwise ("3-2" when
       * it says "3-1"). */
      return a_said && b_said && !shared;
    }
  for (guint i = 0; i < src->doc.mentions->len; i++)
    {
      const Mention *s = &g_array_index (src->doc.mentions, Mention, i);
      double sv;
      gboolean compatible;

      if (s->kind == M_TIME)
        continue;
      if (s->kind == M_DATE)
        {
          /* years and days are numbers too */
          if ((s->year != 0 && same_value (m->value, s->year, 1e-9) && m->unit == NULL) ||
              (s->day != 0 && same_value (m->value, s->day, 1e-9) && m->unit == NULL))
            return TRUE;
          continue;
        }
      sv = s->value;
      compatible = m->unit == NULL || s->unit == NULL || m->unit->dim == s->unit->dim;
      if (!compatible)
        continue;
      if (same_value (fabs (m->value), fabs (sv), 1e-9) &&
          (m->unit == NULL || s->unit == NULL || m->unit->factor == s->unit->factor))
        return TRUE;
      if (m->unit != NULL && s->unit != NULL &&
          same_value (fabs (m->value) * m->unit->factor, fabs (sv) * s->unit->factor, 0.01))
        return TRUE;
      /* hedged: "about 500" for 497, "more than 500" for 512, "over two
       * years" for 26 months */
      if (m->hedged != HEDGE_NONE)
        {
          double mv = fabs (m->value), svv = fabs (sv);

          if (m->unit != NULL && s->unit != NULL)
            mv *= m->unit->factor, svv *= s->unit->factor;
          if (same_value (mv, svv, 0.1) &&
              (m->hedged == HEDGE_ABOUT || (m->hedged == HEDGE_OVER && svv >= mv) ||
               (m->hedged == HEDGE_UNDER && svv <= mv)))
            return TRUE;
        }
      /* rounded: "$6 million" for $6.2 million, "1.5 billion" for 1,482,000,000 */
      if (m->scaled && m->precision > 0 &&
          (m->unit == NULL || s->unit == NULL || m->unit->factor == s->unit->factor) &&
          same_value (round (fabs (sv) / m->precision) * m->precision, fabs (m->value), 1e-9))
        return TRUE;
    }
  return number_derived (src, m);
}

/* The word a count is of: "three patients" -> "patient". */
static char *
counted_noun (Doc           *doc,
              const Mention *m)
{
  guint j = m->last + 1;
  Token *t;
  const char *w;
  gsize len;

  if (is_punct (doc, j, '-'))
    j++;
  t = tok (doc, j);
  if (t == NULL || t->type != TOK_WORD || t->cap)
    return NULL;
  w = t->norm;
  len = strlen (w);
  if (len > 3 && g_str_has_suffix (w, "ies"))
    {
      g_autofree char *stem = g_strndup (w, len - 3);

      return g_strconcat (stem, "y", NULL);
    }
  if (len > 2 && g_str_has_suffix (w, "s") && !g_str_has_suffix (w, "ss"))
    return g_strndup (w, len - 1);
  return g_strdup (w);
}

/* A small count is unsupported only when the source counts the same thing
 * with another number; returns that mention. */
static const Mention *
count_conflict (AssayPrecheckSource *src,
                Doc                 *cand,
                const Mention       *m)
{
  g_autofree char *noun = counted_noun (cand, m);
  const Mention *other = NULL;

  if (noun == NULL || strlen (noun) < 3)
    return NULL;
  for (guint i = 0; i < src->doc.mentions->len; i++)
    {
      const Mention *s = &g_array_index (src->doc.mentions, Mention, i);
      g_autofree char *snoun = NULL;

      if (s->kind != M_NUMBER || s->unit != NULL || s->scaled)
        continue;
      snoun = counted_noun (&src->doc, s);
      if (snoun == NULL || !g_str_equal (snoun, noun))
        continue;
      if (same_value (s->value, m->value, 1e-9))
        return NULL;
      other = s;
    }
  /* "9 sites" when the source says "nine of the fourteen sites" and, of
   * another time, "twenty sites": the number said anywhere bare is enough. */
  for (guint i = 0; other != NULL && i < src->doc.mentions->len; i++)
    {
      const Mention *s = &g_array_index (src->doc.mentions, Mention, i);

      if (s->kind == M_NUMBER && s->unit == NULL && !s->scaled &&
          same_value (s->value, m->value, 1e-9))
        return NULL;
    }
  return other;
}

static gboolean
date_supported (AssayPrecheckSource *src,
                const Mention       *m)
{
  gboolean year_ok = m->year == 0, rest_ok = m->month == 0 && m->day == 0 && m->weekday == 0;
  gboolean weekday_ok = m->weekday == 0;

  if (m->decade != 0)
    {
      for (guint i = 0; i < src->doc.mentions->len; i++)
        {
          const Mention *s = &g_array_index (src->doc.mentions, Mention, i);

          if (s->kind == M_DATE && ((s->decade == m->decade) ||
                                    (s->year >= m->decade && s->year < m->decade + 10)))
            return TRUE;
        }
      return FALSE;
    }
  for (guint i = 0; i < src->doc.mentions->len; i++)
    {
      const Mention *s = &g_array_index (src->doc.mentions, Mention, i);

      if (s->kind == M_NUMBER && m->year != 0 && s->unit == NULL &&
          same_value (s->value, m->year, 1e-9))
        year_ok = TRUE;
      if (s->kind != M_DATE)
        continue;
      if (m->year != 0 && s->year == m->year)
        year_ok = TRUE;
      if (m->weekday != 0 && s->weekday == m->weekday)
        weekday_ok = TRUE;
      if (m->weekday != 0 && s->year != 0 && s->month != 0 && s->day != 0 &&
          (m->month == 0 || (s->month == m->month && s->day == m->day)) &&
          (m->year == 0 || s->year == m->year) &&
          g_date_valid_dmy (s->day, s->month, s->year))
        {
          g_autoptr(GDate) d = g_date_new_dmy (s->day, s->month, s->year);

          if ((int) g_date_get_weekday (d) == m->weekday)
            weekday_ok = TRUE;
        }
      if (m->month != 0 && s->month == m->month &&
          (m->day == 0 || s->day == m->day) &&
          (m->year == 0 || s->year == 0 || s->year == m->year))
        rest_ok = TRUE;
      if (m->month == 0 && m->day == 0 && m->weekday != 0)
        rest_ok = TRUE;
    }
  /* "3 Oct" when the source says "October ... on the third" */
  if (!rest_ok && m->month != 0 && m->day != 0)
    {
      gboolean month_said = FALSE, day_said = FALSE;

      for (guint i = 0; i < src->doc.mentions->len; i++)
        {
          const Mention *s = &g_array_index (src->doc.mentions, Mention, i);

          if (s->kind != M_DATE)
            continue;
          month_said |= s->month == m->month;
          day_said |= s->month == 0 && s->day == m->day;
        }
      rest_ok = month_said && day_said;
    }
  if (m->month == 0 && m->day == 0)
    rest_ok = TRUE;
  return year_ok && rest_ok && weekday_ok;
}

static gboolean
time_supported (AssayPrecheckSource *src,
                const Mention       *m)
{
  for (guint i = 0; i < src->doc.mentions->len; i++)
    {
      const Mention *s = &g_array_index (src->doc.mentions, Mention, i);

      if (s->kind == M_TIME && s->minutes == m->minutes)
        return TRUE;
      /* "around eight or nine" for 8–9 pm */
      if (s->kind == M_NUMBER && s->unit == NULL && m->minutes % 60 == 0 &&
          s->value == floor (s->value) && s->value >= 1 && s->value <= 12 &&
          (int) s->value % 12 == (m->minutes / 60) % 12)
        return TRUE;
    }
  return FALSE;
}

static gboolean
mention_supported (AssayPrecheckSource *src,
                   const Mention       *m)
{
  switch (m->kind)
    {
    case M_NUMBER:
      return number_supported (src, m);
    case M_DATE:
      return date_supported (src, m);
    case M_TIME:
      return time_supported (src, m);
    default:
      g_assert_not_reached ();
    }
}

static guint
edit_distance_at_most_one (const char *a,
                           const char *b)
{
  gsize la = strlen (a), lb = strlen (b), i = 0, j = 0;
  guint edits = 0;

  if (la > lb + 1 || lb > la + 1)
    return 2;
  while (i < la && j < lb)
    {
      if (a[i] == b[j])
        {
          i++, j++;
          continue;
        }
      if (++edits > 1)
        return 2;
      if (la > lb)
        i++;
      else if (lb > la)
        j++;
      else
        i++, j++;
    }
  return edits + (la - i) + (lb - j);
}

/* Whether the source has the word, in any case, spelling variant, or as
 * its country or nationality. */
static gboolean
word_known (AssayPrecheckSource *src,
            const char          *word)
{
  g_autofree char *loose = loose_key (word);
  gsize len = strlen (word);

  if (g_hash_table_contains (src->words, word) || g_hash_table_contains (src->loose, loose))
    return TRUE;
  for (guint i = 0; demonyms[i] != NULL; i += 2)
    if ((g_str_equal (demonyms[i], word) && g_hash_table_contains (src->words, demonyms[i + 1])) ||
        (g_str_equal (demonyms[i + 1], word) && g_hash_table_contains (src->words, demonyms[i])))
      return TRUE;
  for (guint i = 0; i < src->distinct->len; i++)
    {
      const char *w = g_ptr_array_index (src->distinct, i);
      gsize wl = strlen (w), common = 0;

      if (w == NULL || w[0] != word[0])
        continue;
      /* a spelling variant of a longer name: Olsen, Olson */
      if (len >= 5 && wl >= 5 && edit_distance_at_most_one (w, word) <= 1)
        return TRUE;
      /* Norway and Norwegian, Canada and Canadian */
      while (common < len && common < wl && w[common] == word[common])
        common++;
      if (common >= 4 && common + 4 >= MIN (len, wl) && MIN (len, wl) >= 5)
        return TRUE;
    }
  return FALSE;
}

/* An acronym the source spells out, or a name whose initials the source
 * uses as an acronym. */
static gboolean
acronym_known (AssayPrecheckSource *src,
               const char          *acronym)
{
  gsize n = strlen (acronym);
  Doc *doc = &src->doc;

  if (n < 2)
    return FALSE;
  for (guint k = 0; k + n <= doc->tokens->len; k++)
    {
      guint j = k, matched = 0;
      while (j < doc->tokens->len && matched < n)
        {
          Token *t = tok (doc, j);

          if (t->type != TOK_WORD)
            break;
          if (matched > 0 && (tok_index (t, T_NAME_JOINERS) >= 0))
            {
              j++;
              continue;
            }
          if (matched > 0 && (g_str_equal (t->norm, "and") || g_str_equal (t->norm, "for") ||
                              g_str_equal (t->norm, "the")))
            {
              j++;
              continue;
            }
          if (t->norm[0] != acronym[matched])
            break;
          matched++;
          j++;
        }
      /* ED for "emergency department" too */
      if (matched == n)
        return TRUE;
    }
  return FALSE;
}

static gboolean
initials_known (AssayPrecheckSource *src,
                GPtrArray           *words)
{
  g_autoptr(GString) initials = g_string_new (NULL);

  if (words->len < 2)
    return FALSE;
  for (guint i = 0; i < words->len; i++)
    g_string_append_c (initials, ((const char *) g_ptr_array_index (words, i))[0]);
  for (guint i = 0; i < src->acronyms->len; i++)
    if (g_str_equal (g_ptr_array_index (src->acronyms, i), initials->str))
      return TRUE;
  return FALSE;
}

/* A name the source has as one of its names (all of the candidate's
 * words in it, like Dr. Lund in Dr. Erik Lund). */
static gboolean
name_in_source (AssayPrecheckSource *src,
                GPtrArray           *words)
{
  for (guint i = 0; i < src->names->len; i++)
    {
      GStrv name = g_ptr_array_index (src->names, i);
      guint found = 0;

      for (guint w = 0; w < words->len; w++)
        if (g_strv_contains ((const char * const *) name, g_ptr_array_index (words, w)))
          found++;
      if (found == words->len)
        return TRUE;
    }
  return FALSE;
}

/* Erik Hansen when the source has only Erik Lund and Anna Hansen. */
static gboolean
name_conflated (AssayPrecheckSource *src,
                GPtrArray           *words)
{
  if (words->len < 2 || name_in_source (src, words))
    return FALSE;
  for (guint w = 0; w < words->len; w++)
    {
      const char *word = g_ptr_array_index (words, w);
      gboolean in_name = FALSE;

      if (g_hash_table_contains (src->standalone, word))
        return FALSE;
      for (guint i = 0; i < src->names->len && !in_name; i++)
        in_name = g_strv_contains (g_ptr_array_index (src->names, i), word);
      if (!in_name)
        return FALSE;
    }
  /* no source name holds two of the words */
  for (guint i = 0; i < src->names->len; i++)
    {
      GStrv name = g_ptr_array_index (src->names, i);
      guint found = 0;

      for (guint w = 0; w < words->len; w++)
        found += g_strv_contains ((const char * const *) name, g_ptr_array_index (words, w));
      if (found >= 2)
        return FALSE;
    }
  return TRUE;
}

static guint
capitals (Doc   *doc,
          Token *t)
{
  guint n = 0;

  for (glong k = t->start; k < t->end; k++)
    n += g_unichar_isupper (doc->chars[k]);
  return n;
}

static AssayPrecheckFinding *
finding_new (Doc                   *doc,
             AssayPrecheckCategory  category,
             guint                  first,
             guint                  last,
             char                  *reason)
{
  AssayPrecheckFinding *f = g_new0 (AssayPrecheckFinding, 1);

  f->category = category;
  f->start = tok (doc, first)->start;
  f->end = tok (doc, last)->end;
  /* a trailing full stop of an abbreviation is not part of the finding */
  f->text = doc_substring (doc, f->start, f->end);
  f->reason = reason;
  return f;
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const AssayPrecheckFinding *x = *(AssayPrecheckFinding **) a;
  const AssayPrecheckFinding *y = *(AssayPrecheckFinding **) b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

GPtrArray *
assay_precheck_source_check (AssayPrecheckSource *self,
                             const char          *candidate)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_precheck_finding_free);
  g_autoptr(GHashTable) lower = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) capitalised = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) names = g_array_new (FALSE, TRUE, sizeof (Name));
  Doc cand = { 0 };

  g_return_val_if_fail (self != NULL, out);
  g_return_val_if_fail (candidate != NULL, out);

  doc_init (&cand, candidate);

  /* Numbers, dates and times: a mention is supported when one of its
   * readings is. */
  for (guint i = 0; i < cand.mentions->len;)
    {
      const Mention *m = &g_array_index (cand.mentions, Mention, i);
      guint group = m->group, j = i;
      gboolean supported = FALSE, small = TRUE;
      const Mention *conflict = NULL;

      for (guint r = i; r < cand.mentions->len &&
                        g_array_index (cand.mentions, Mention, r).group == group; r++)
        {
          const Mention *reading = &g_array_index (cand.mentions, Mention, r);

          small = small && reading->kind == M_NUMBER && reading->small;
        }
      /* A small count is decided by how the source counts the same thing
       * (count_conflict), not by the same number said of something else. */
      for (; j < cand.mentions->len &&
             g_array_index (cand.mentions, Mention, j).group == group; j++)
        if (!small)
          supported = supported || mention_supported (self, &g_array_index (cand.mentions,
                                                                            Mention, j));
      if (small)
        {
          conflict = count_conflict (self, &cand, m);
          supported = conflict == NULL;
        }
      if (!supported)
        {
          g_autofree char *text = doc_substring (&cand, tok (&cand, m->first)->start,
                                                 tok (&cand, m->last)->end);
          char *reason;

          if (conflict != NULL)
            {
              guint said_last = conflict->last + 1;
              g_autofree char *said = NULL;

              if (is_punct (&self->doc, said_last, '-'))
                said_last++;
              said = doc_substring (&self->doc, tok (&self->doc, conflict->first)->start,
                                    tok (&self->doc, said_last)->end);

              reason = g_strdup_printf (_("the source counts them differently (“%s”)"), said);
            }
          else
            reason = g_strdup_printf (_("“%s” does not occur in the source"), text);
          g_ptr_array_add (out, finding_new (&cand,
                                             m->kind == M_NUMBER ? ASSAY_PRECHECK_NUMBER
                                             : ASSAY_PRECHECK_DATE,
                                             m->first, m->last, reason));
        }
      i = j;
    }

  /* Names */
  collect_case (&cand, lower, capitalised);
  {
    CaseSets cases = { { lower, self->lower }, { capitalised, self->capitalised } };

    find_names (&cand, &cases, names);
  }
  for (guint i = 0; i < names->len; i++)
    {
      Name *n = &g_array_index (names, Name, i);
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();

      if (initials_known (self, n->words))
        goto next;
      for (guint w = 0; w < n->words->len; w++)
        {
          const char *word = g_ptr_array_index (n->words, w);
          Token *t = tok (&cand, g_array_index (n->word_tokens, guint, w));

          if (word_known (self, word))
            continue;
          if (capitals (&cand, t) >= 2 && acronym_known (self, word))
            continue;
          g_ptr_array_add (missing, (gpointer) word);
        }
      if (missing->len > 0)
        {
          g_autoptr(GString) words = g_string_new (NULL);
          guint first = n->first, last = n->last;

          /* Mark the words that are missing, and what lies between them. */
          first = G_MAXUINT;
          last = 0;
          for (guint w = 0; w < n->words->len; w++)
            if (g_ptr_array_find (missing, g_ptr_array_index (n->words, w), NULL))
              {
                guint tk = g_array_index (n->word_tokens, guint, w);

                first = MIN (first, tk);
                last = MAX (last, tk);
              }
          /* a name of which nothing is known is marked whole */
          if (missing->len == n->words->len)
            first = n->first, last = n->last;
          {
            g_autofree char *text = doc_substring (&cand, tok (&cand, first)->start,
                                                   tok (&cand, last)->end);

            g_string_append (words, text);
          }
          g_ptr_array_add (out, finding_new (&cand, ASSAY_PRECHECK_NAME, first, last,
                                             g_strdup_printf (_("“%s” does not occur in the "
                                                                "source"), words->str)));
        }
      else if (name_conflated (self, n->words))
        {
          g_autofree char *text = doc_substring (&cand, tok (&cand, n->first)->start,
                                                 tok (&cand, n->last)->end);

          g_ptr_array_add (out, finding_new (&cand, ASSAY_PRECHECK_NAME, n->first, n->last,
                                             g_strdup_printf (_("no one in the source is called "
                                                                "“%s”"), text)));
        }
    next:
      name_clear (n);
    }

  g_ptr_array_sort (out, compare_findings);
  doc_clear (&cand);
  return out;
}
