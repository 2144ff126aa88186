/* assay-transcript.c: reading SubRip, WebVTT and plain text transcripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input comes from whatever a user picked in a file chooser, so every
 * step here is written to be linear in the size of the file: lines are read
 * with a cursor instead of being split into an array, and the markup
 * strippers remember where the next closing character is instead of
 * searching for it again from every opening one.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "assay-transcript.h"
#include "assay-error.h"

#define UTF8_BOM     "\xEF\xBB\xBF"
#define UTF8_BOM_LEN 3

/* Longer runs before a colon are far more often a sentence than a name. */
#define MAX_NAME_CHARS 40

/* Text quoted in an error is cut short so that a corrupt line of several
 * megabytes cannot swamp the message. */
#define MAX_QUOTED_CHARS 40

#define SRT_TIMING_EXAMPLE "00:00:01,000 --> 00:00:04,000"
#define VTT_TIMING_EXAMPLE "00:00:01.000 --> 00:00:04.000"

void
assay_segment_free (AssaySegment *segment)
{
  if (segment == NULL)
    return;

  g_free (segment->speaker);
  g_free (segment->text);
  g_free (segment);
}

/* Line reading */

typedef struct
{
  const char *pos;
  const char *end;
  guint       number;   /* of the line that starts at pos */
} LineReader;

typedef struct
{
  const char *str;      /* not NUL-terminated */
  gsize       len;
  guint       number;
} Line;

static void
line_reader_init (LineReader *reader,
                  const char *str,
                  gsize       len)
{
  reader->pos = str;
  reader->end = str + len;
  reader->number = 1;
}

/* A line ends at LF, CRLF or a lone CR. A final line terminator does not
 * start another, empty, line. */
static gboolean
line_reader_next (LineReader *reader,
                  Line       *line)
{
  const char *p = reader->pos;

  if (p >= reader->end)
    return FALSE;

  while (p < reader->end && *p != '\n' && *p != '\r')
    p++;

  line->str = reader->pos;
  line->len = (gsize) (p - reader->pos);
  line->number = reader->number++;

  if (p < reader->end)
    {
      if (*p == '\r' && p + 1 < reader->end && p[1] == '\n')
        p += 2;
      else
        p++;
    }
  reader->pos = p;

  return TRUE;
}

/* Lets a caller look at the next line and decide whether it belongs to the
 * block being read before it is consumed. */
static gboolean
line_reader_peek (const LineReader *reader,
                  LineReader       *ahead,
                  Line             *line)
{
  *ahead = *reader;
  return line_reader_next (ahead, line);
}

/* Spans of text. The input has been validated as UTF-8 before any of these
 * run, and every span starts and ends on a character boundary because the
 * bytes spans are cut at are all ASCII. */

static const char *
skip_space_forward (const char *p,
                    const char *end)
{
  while (p < end && g_unichar_isspace (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);

  return p;
}

static const char *
skip_space_backward (const char *start,
                     const char *p)
{
  while (p > start)
    {
      const char *prev = g_utf8_prev_char (p);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      p = prev;
    }

  return p;
}

static void
trim_span (const char **str,
           gsize       *len)
{
  const char *start = skip_space_forward (*str, *str + *len);
  const char *end = skip_space_backward (start, *str + *len);

  *str = start;
  *len = (gsize) (end - start);
}

static gboolean
span_is_blank (const char *str,
               gsize       len)
{
  return skip_space_forward (str, str + len) == str + len;
}

static gboolean
span_is_number (const char *str,
                gsize       len)
{
  trim_span (&str, &len);
  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (str[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
line_is_blank (const Line *line)
{
  return span_is_blank (line->str, line->len);
}

static gboolean
line_has_arrow (const Line *line)
{
  return g_strstr_len (line->str, (gssize) line->len, "-->") != NULL;
}

/* True for "NOTE", "NOTE text", "NOTE\ttext" but not "NOTES". */
static gboolean
line_starts_with_keyword (const Line *line,
                          const char *keyword)
{
  gsize len = strlen (keyword);

  if (line->len < len || memcmp (line->str, keyword, len) != 0)
    return FALSE;

  return line->len == len || line->str[len] == ' ' || line->str[len] == '\t';
}

static char *
quote_span (const char *str,
            gsize       len)
{
  const char *p = str;
  const char *end = str + len;
  guint n_chars = 0;

  while (p < end && n_chars < MAX_QUOTED_CHARS)
    {
      p = g_utf8_next_char (p);
      n_chars++;
    }

  if (p < end)
    return g_strdup_printf ("%.*s…", (int) (p - str), str);

  return g_strndup (str, len);
}

/* The first `c` at or after `p`, or `end` if there is none. The answer is
 * kept in `cache` and reused while it is still ahead of `p`, which keeps a
 * left-to-right scan linear even when a closing character never comes. */
static const char *
find_char_cached (const char  *p,
                  const char  *end,
                  char         c,
                  const char **cache)
{
  if (*cache == NULL || *cache < p)
    {
      const char *found = memchr (p, c, (gsize) (end - p));

      *cache = found != NULL ? found : end;
    }

  return *cache;
}

/* Times */

/* Reads [H…:]MM:SS[.,]F with 1 to 3 fraction digits filling the whole span.
 * The fraction is a decimal fraction, so ",5" is half a second. */
static gboolean
parse_timestamp (const char *str,
                 gsize       len,
                 double     *seconds)
{
  guint64 groups[3];
  guint n_digits[3];
  guint n_groups = 0;
  guint64 hours = 0;
  guint64 minutes;
  guint64 secs;
  guint millis = 0;
  guint n_fraction = 0;
  gsize i = 0;

  for (;;)
    {
      guint64 value = 0;
      guint n = 0;

      while (i < len && g_ascii_isdigit (str[i]))
        {
          if (value > (G_MAXUINT64 - 9) / 10)
            return FALSE;
          value = value * 10 + (guint64) (str[i] - '0');
          n++;
          i++;
        }
      if (n == 0)
        return FALSE;

      groups[n_groups] = value;
      n_digits[n_groups] = n;
      n_groups++;

      if (n_groups < 3 && i < len && str[i] == ':')
        i++;
      else
        break;
    }

  if (n_groups < 2)
    return FALSE;

  if (i >= len || (str[i] != '.' && str[i] != ','))
    return FALSE;
  i++;

  while (i < len && g_ascii_isdigit (str[i]) && n_fraction < 3)
    {
      millis = millis * 10 + (guint) (str[i] - '0');
      n_fraction++;
      i++;
    }
  if (n_fraction == 0 || i != len)
    return FALSE;
  for (guint k = n_fraction; k < 3; k++)
    millis *= 10;

  if (n_groups == 3)
    hours = groups[0];
  minutes = groups[n_groups - 2];
  secs = groups[n_groups - 1];

  if (n_digits[n_groups - 2] != 2 || n_digits[n_groups - 1] != 2)
    return FALSE;
  if (minutes >= 60 || secs >= 60)
    return FALSE;

  *seconds = (double) hours * 3600.0 + (double) (minutes * 60 + secs) + millis / 1000.0;

  return TRUE;
}

typedef enum
{
  TIMING_OK,
  TIMING_BAD_START,
  TIMING_BAD_END,
} TimingResult;

typedef struct
{
  const char *start_str;
  gsize       start_len;
  const char *end_str;
  gsize       end_len;
  double      start;
  double      end;
} Timing;

/* Parses "START --> END[ anything]"; whatever follows the end time after
 * white space (SubRip coordinates, WebVTT cue settings) is ignored. The
 * caller has checked that the line holds "-->". */
static TimingResult
parse_timing (const Line *line,
              Timing     *timing)
{
  const char *line_end = line->str + line->len;
  const char *arrow = g_strstr_len (line->str, (gssize) line->len, "-->");
  const char *a = line->str;
  const char *a_end = arrow;
  const char *b = arrow + 3;
  const char *b_end;

  while (a < a_end && g_ascii_isspace (*a))
    a++;
  while (a_end > a && g_ascii_isspace (a_end[-1]))
    a_end--;

  while (b < line_end && g_ascii_isspace (*b))
    b++;
  b_end = b;
  while (b_end < line_end && !g_ascii_isspace (*b_end))
    b_end++;

  timing->start_str = a;
  timing->start_len = (gsize) (a_end - a);
  timing->end_str = b;
  timing->end_len = (gsize) (b_end - b);

  if (!parse_timestamp (timing->start_str, timing->start_len, &timing->start))
    return TIMING_BAD_START;
  if (!parse_timestamp (timing->end_str, timing->end_len, &timing->end))
    return TIMING_BAD_END;

  return TIMING_OK;
}

static gboolean
line_is_timing (const Line *line)
{
  Timing timing;

  return line_has_arrow (line) && parse_timing (line, &timing) == TIMING_OK;
}

/* Cue text */

/* The SubRip tags players honour. Anything else that starts with '<' is
 * kept, since in SubRip it is as likely to be "I <3 you" as markup. */
static gsize
srt_tag_length (const char  *p,
                const char  *end,
                const char **gt_cache,
                const char **nl_cache)
{
  static const char * const names[] = { "b", "font", "i", "s", "u" };
  const char *q = p + 1;
  const char *name;
  const char *gt;
  gsize name_len;
  gboolean known = FALSE;

  if (q < end && *q == '/')
    q++;

  name = q;
  while (q < end && g_ascii_isalpha (*q) && q - name < 5)
    q++;
  name_len = (gsize) (q - name);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strlen (names[i]) == name_len && g_ascii_strncasecmp (name, names[i], name_len) == 0)
        known = TRUE;
    }

  if (!known || q >= end || (*q != '>' && !g_ascii_isspace (*q)))
    return 0;

  gt = find_char_cached (q, end, '>', gt_cache);
  if (gt == end || find_char_cached (q, end, '\n', nl_cache) < gt)
    return 0;

  return (gsize) (gt + 1 - p);
}

/* An ASS override block such as "{\an8}" left behind by a converter. */
static gsize
ass_override_length (const char  *p,
                     const char  *end,
                     const char **brace_cache,
                     const char **nl_cache)
{
  const char *close = find_char_cached (p + 2, end, '}', brace_cache);

  if (close == end || find_char_cached (p + 2, end, '\n', nl_cache) < close)
    return 0;

  return (gsize) (close + 1 - p);
}

static void
strip_srt_markup (const char *str,
                  gsize       len,
                  GString    *out)
{
  const char *p = str;
  const char *end = str + len;
  const char *gt_cache = NULL;
  const char *brace_cache = NULL;
  const char *nl_cache = NULL;

  while (p < end)
    {
      gsize skip = 0;

      if (*p == '<')
        skip = srt_tag_length (p, end, &gt_cache, &nl_cache);
      else if (*p == '{' && p + 1 < end && p[1] == '\\')
        skip = ass_override_length (p, end, &brace_cache, &nl_cache);

      if (skip > 0)
        {
          p += skip;
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }
}

typedef struct
{
  const char *name;
  gunichar    c;
} Entity;

/* The references WebVTT authors use in practice; a no-break space becomes
 * a plain one because nothing downstream treats the two differently. */
static const Entity entities[] = {
  { "amp", '&' },
  { "apos", '\'' },
  { "gt", '>' },
  { "lrm", 0x200E },
  { "lt", '<' },
  { "nbsp", ' ' },
  { "quot", '"' },
  { "rlm", 0x200F },
};

/* At `p` ('&'), appends the character of a character reference to `out`
 * and returns its length, or returns 0 to have the '&' kept as text. */
static gsize
decode_entity (const char *p,
               const char *end,
               GString    *out)
{
  const char *q = p + 1;

  if (q < end && *q == '#')
    {
      gboolean hex = FALSE;
      guint32 c = 0;
      guint n = 0;

      q++;
      if (q < end && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }

      /* Eight digits cannot overflow 32 bits in either base. */
      while (q < end && n < 8 && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          c = c * (hex ? 16 : 10) + (guint32) (hex ? g_ascii_xdigit_value (*q) : *q - '0');
          n++;
          q++;
        }
      if (n == 0 || q >= end || *q != ';')
        return 0;

      /* As HTML does, so the text stays valid UTF-8 without a NUL. */
      if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
      g_string_append_unichar (out, c);

      return (gsize) (q + 1 - p);
    }
  else
    {
      const char *name = q;
      gsize name_len;

      while (q < end && g_ascii_isalnum (*q) && q - name < 8)
        q++;
      name_len = (gsize) (q - name);
      if (name_len == 0 || q >= end || *q != ';')
        return 0;

      for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
        {
          if (strlen (entities[i].name) == name_len
              && memcmp (entities[i].name, name, name_len) == 0)
            {
              g_string_append_unichar (out, entities[i].c);
              return (gsize) (q + 1 - p);
            }
        }

      return 0;
    }
}

/* The annotation of a voice tag, "<v Name>" or "<v.class Name>", with
 * references decoded and white space collapsed; NULL for any other tag or
 * a voice tag without a name. `tag` is the text between '<' and '>'. */
static char *
voice_tag_name (const char *tag,
                const char *tag_end)
{
  g_autoptr(GString) name = NULL;
  const char *p = tag;
  const char *str;
  gsize len;
  gboolean space = FALSE;

  if (p >= tag_end || *p != 'v')
    return NULL;
  p++;
  if (p < tag_end && *p != '.' && !g_ascii_isspace (*p))
    return NULL;

  /* Classes only style the cue; the name starts after the first space. */
  while (p < tag_end && !g_ascii_isspace (*p))
    p++;

  name = g_string_new (NULL);
  while (p < tag_end)
    {
      gsize n;

      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          p++;
          continue;
        }

      if (space && name->len > 0)
        g_string_append_c (name, ' ');
      space = FALSE;

      if (*p == '&' && (n = decode_entity (p, tag_end, name)) > 0)
        {
          p += n;
        }
      else
        {
          g_string_append_c (name, *p);
          p++;
        }
    }

  str = name->str;
  len = name->len;
  trim_span (&str, &len);
  if (len == 0)
    return NULL;

  return g_strndup (str, len);
}

/* In WebVTT every '<' opens a tag, but a stray "a < b" is common enough in
 * hand-written files that a '<' which cannot start a tag, or is never
 * closed, is kept as text rather than eating the rest of the cue. */
static void
strip_vtt_markup (const char  *str,
                  gsize        len,
                  GString     *out,
                  char       **speaker)
{
  const char *p = str;
  const char *end = str + len;
  const char *gt_cache = NULL;

  while (p < end)
    {
      if (*p == '<' && p + 1 < end && (g_ascii_isalnum (p[1]) || p[1] == '/'))
        {
          const char *gt = find_char_cached (p + 1, end, '>', &gt_cache);

          if (gt < end)
            {
              if (*speaker == NULL)
                *speaker = voice_tag_name (p + 1, gt);
              p = gt + 1;
              continue;
            }
        }
      else if (*p == '&')
        {
          gsize n = decode_entity (p, end, out);

          if (n > 0)
            {
              p += n;
              continue;
            }
        }

      g_string_append_c (out, *p);
      p++;
    }
}

/* Joins the non-empty lines of `str`, each trimmed, with "\n". Empty lines
 * inside a cue are what markup-only lines leave behind, not paragraph
 * breaks, so they go too. */
static void
tidy_lines (const char *str,
            gsize       len,
            GString    *out)
{
  const char *p = str;
  const char *end = str + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *line_end = nl != NULL ? nl : end;
      const char *line = p;
      gsize line_len = (gsize) (line_end - p);

      trim_span (&line, &line_len);
      if (line_len > 0)
        {
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append_len (out, line, (gssize) line_len);
        }

      if (nl == NULL)
        break;
      p = nl + 1;
    }
}

/* Names are capitalised word by word ("Dr. Osei", "INTERVIEWER", "Speaker
 * 2", "Ana de la Cruz"); a sentence before a colon ("The problem is this:
 * ...") is not, so it stays text. */
static gboolean
looks_like_name (const char *name,
                 const char *end)
{
  static const char * const particles[] = {
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "dos", "du", "el",
    "la", "le", "van", "von", "y", NULL
  };
  const char *p = name;
  guint words = 0;

  while (p < end)
    {
      const char *word = p;
      gunichar c = g_utf8_get_char (p);
      gboolean ok = g_unichar_isupper (c) || g_unichar_istitle (c) || g_unichar_isdigit (c);

      while (p < end && *p != ' ')
        p = g_utf8_next_char (p);
      if (!ok)
        {
          for (guint i = 0; particles[i] != NULL && !ok; i++)
            ok = strlen (particles[i]) == (gsize) (p - word) &&
                 strncmp (particles[i], word, p - word) == 0;
        }
      if (!ok || ++words > 5)
        return FALSE;
      while (p < end && *p == ' ')
        p++;
    }
  return words > 0;
}

/* Recognises "Name: text" on the first line of `text`, optionally after a
 * dialogue dash, removes it and returns the name. The rules are a
 * compromise: the name must start with a letter (so "10:30 is the time"
 * stays text), look like a name (see above), be at most MAX_NAME_CHARS
 * characters, and be followed by
 * text on the same line; without a space after the colon, a digit or '/'
 * means a time or a URL rather than a name. */
static char *
take_name_prefix (GString *text)
{
  const char *str = text->str;
  const char *line_end = memchr (str, '\n', text->len);
  const char *p = str;
  const char *name;
  const char *name_end;
  const char *colon = NULL;
  const char *rest;
  char *speaker;
  guint n_chars = 0;

  if (line_end == NULL)
    line_end = str + text->len;

  if (p < line_end && *p == '-')
    p = skip_space_forward (p + 1, line_end);

  name = p;
  if (p >= line_end || !g_unichar_isalpha (g_utf8_get_char (p)))
    return NULL;

  while (p < line_end && n_chars <= MAX_NAME_CHARS)
    {
      if (*p == ':')
        {
          colon = p;
          break;
        }
      p = g_utf8_next_char (p);
      n_chars++;
    }
  if (colon == NULL)
    return NULL;

  rest = colon + 1;
  if (rest < line_end && (*rest == '/' || g_ascii_isdigit (*rest)))
    return NULL;
  rest = skip_space_forward (rest, line_end);
  if (rest == line_end)
    return NULL;

  name_end = skip_space_backward (name, colon);
  if (!looks_like_name (name, name_end))
    return NULL;
  speaker = g_strndup (name, (gsize) (name_end - name));
  g_string_erase (text, 0, rest - str);

  return speaker;
}

/* Cues */

typedef struct
{
  AssayTranscriptFormat  format;
  const char            *display_name;
  GPtrArray             *segments;
  GString               *raw;       /* the text lines of the cue being read */
  GString               *stripped;
  GString               *tidy;
} Parser;

static void
parser_init (Parser                *self,
             AssayTranscriptFormat  format,
             const char            *display_name)
{
  self->format = format;
  self->display_name = display_name;
  self->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_segment_free);
  self->raw = g_string_new (NULL);
  self->stripped = g_string_new (NULL);
  self->tidy = g_string_new (NULL);
}

static void
parser_clear (Parser *self)
{
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  g_string_free (self->raw, TRUE);
  g_string_free (self->stripped, TRUE);
  g_string_free (self->tidy, TRUE);
}

static gboolean
expected_timing_line (Parser  *self,
                      guint    line,
                      GError **error)
{
  g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
               _("%s:%u: expected a timing line such as “%s”"),
               self->display_name, line,
               self->format == ASSAY_TRANSCRIPT_SRT ? SRT_TIMING_EXAMPLE : VTT_TIMING_EXAMPLE);
  return FALSE;
}

/* Finds the timing line of the block starting at `first`: either `first`
 * itself or, after a SubRip index or a WebVTT cue identifier, the line
 * after it. An error names the line where the timing line should be. */
static gboolean
find_timing_line (Parser      *self,
                  LineReader  *reader,
                  const Line  *first,
                  Line        *timing_line,
                  GError     **error)
{
  LineReader ahead;
  Line next;

  if (line_has_arrow (first))
    {
      *timing_line = *first;
      return TRUE;
    }

  if (self->format == ASSAY_TRANSCRIPT_SRT && !span_is_number (first->str, first->len))
    return expected_timing_line (self, first->number, error);

  if (!line_reader_peek (reader, &ahead, &next) || line_is_blank (&next))
    return expected_timing_line (self, first->number, error);

  if (!line_has_arrow (&next))
    return expected_timing_line (self, next.number, error);

  *reader = ahead;
  *timing_line = next;

  return TRUE;
}

static gboolean
read_timing (Parser      *self,
             const Line  *line,
             Timing      *timing,
             GError     **error)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  switch (parse_timing (line, timing))
    {
    case TIMING_BAD_START:
      start = quote_span (timing->start_str, timing->start_len);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s:%u: invalid timestamp “%s”"),
                   self->display_name, line->number, start);
      return FALSE;

    case TIMING_BAD_END:
      end = quote_span (timing->end_str, timing->end_len);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s:%u: invalid timestamp “%s”"),
                   self->display_name, line->number, end);
      return FALSE;

    case TIMING_OK:
    default:
      break;
    }

  if (timing->end < timing->start)
    {
      start = quote_span (timing->start_str, timing->start_len);
      end = quote_span (timing->end_str, timing->end_len);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s:%u: end time “%s” is before start time “%s”"),
                   self->display_name, line->number, end, start);
      return FALSE;
    }

  return TRUE;
}

/* Reads the cue's text lines into self->raw, joined with "\n", up to a
 * blank line. A line that parses as a timing line also ends the cue: files
 * that lost the blank line between two cues still show where the second
 * starts, and in SubRip the line before it is then that cue's index. */
static void
collect_cue_text (Parser     *self,
                  LineReader *reader)
{
  gsize last_start = 0;
  gboolean last_is_number = FALSE;

  g_string_truncate (self->raw, 0);

  for (;;)
    {
      LineReader ahead;
      Line line;

      if (!line_reader_peek (reader, &ahead, &line) || line_is_blank (&line))
        break;

      if (line_is_timing (&line))
        {
          if (self->format == ASSAY_TRANSCRIPT_SRT && last_is_number)
            g_string_truncate (self->raw, last_start);
          break;
        }

      *reader = ahead;
      last_start = self->raw->len;
      if (self->raw->len > 0)
        g_string_append_c (self->raw, '\n');
      g_string_append_len (self->raw, line.str, (gssize) line.len);
      last_is_number = span_is_number (line.str, line.len);
    }
}

/* Turns self->raw into a segment. Cues left without text once the markup
 * is gone are dropped: real files are full of them and they carry nothing
 * to review. */
static void
add_cue (Parser       *self,
         guint         line,
         const Timing *timing)
{
  g_autofree char *speaker = NULL;
  AssaySegment *segment;

  g_string_truncate (self->stripped, 0);
  g_string_truncate (self->tidy, 0);

  if (self->format == ASSAY_TRANSCRIPT_SRT)
    strip_srt_markup (self->raw->str, self->raw->len, self->stripped);
  else
    strip_vtt_markup (self->raw->str, self->raw->len, self->stripped, &speaker);

  tidy_lines (self->stripped->str, self->stripped->len, self->tidy);
  if (self->tidy->len == 0)
    return;

  if (speaker == NULL)
    speaker = take_name_prefix (self->tidy);

  segment = g_new0 (AssaySegment, 1);
  segment->speaker = g_steal_pointer (&speaker);
  segment->start = timing->start;
  segment->end = timing->end;
  segment->text = g_strndup (self->tidy->str, self->tidy->len);
  segment->line = line;
  g_ptr_array_add (self->segments, segment);
}

static gboolean
read_cue (Parser      *self,
          LineReader  *reader,
          const Line  *first,
          GError     **error)
{
  Line timing_line;
  Timing timing;

  if (!find_timing_line (self, reader, first, &timing_line, error))
    return FALSE;
  if (!read_timing (self, &timing_line, &timing, error))
    return FALSE;

  collect_cue_text (self, reader);
  add_cue (self, timing_line.number, &timing);

  return TRUE;
}

static gboolean
parse_srt (Parser      *self,
           LineReader  *reader,
           GError     **error)
{
  Line line;

  while (line_reader_next (reader, &line))
    {
      if (line_is_blank (&line))
        continue;
      if (!read_cue (self, reader, &line, error))
        return FALSE;
    }

  return TRUE;
}

/* Skips the rest of a block. A line with "-->" cannot be part of a header,
 * comment, style or region block, so it is left to start a cue: dropping
 * it would silently lose text. */
static void
skip_block (LineReader *reader)
{
  for (;;)
    {
      LineReader ahead;
      Line line;

      if (!line_reader_peek (reader, &ahead, &line) || line_has_arrow (&line))
        break;
      *reader = ahead;
      if (line_is_blank (&line))
        break;
    }
}

static gboolean
is_vtt_skipped_block (const LineReader *reader,
                      const Line       *first)
{
  LineReader ahead;
  Line next;

  if (!line_starts_with_keyword (first, "NOTE")
      && !line_starts_with_keyword (first, "STYLE")
      && !line_starts_with_keyword (first, "REGION"))
    return FALSE;

  /* A cue whose identifier happens to be one of these words. */
  if (line_reader_peek (reader, &ahead, &next) && line_has_arrow (&next))
    return FALSE;

  return TRUE;
}

static gboolean
parse_vtt (Parser      *self,
           LineReader  *reader,
           GError     **error)
{
  Line line;

  if (!line_reader_next (reader, &line)
      || !line_starts_with_keyword (&line, "WEBVTT"))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s:%u: the file does not start with “WEBVTT”"),
                   self->display_name, 1u);
      return FALSE;
    }

  skip_block (reader);

  while (line_reader_next (reader, &line))
    {
      if (line_is_blank (&line))
        continue;

      if (!line_has_arrow (&line) && is_vtt_skipped_block (reader, &line))
        {
          skip_block (reader);
          continue;
        }

      if (!read_cue (self, reader, &line, error))
        return FALSE;
    }

  return TRUE;
}

static char *
normalise_text (const char *str,
                gsize       len)
{
  GString *out = g_string_sized_new (len + 1);
  const char *p = str;
  const char *end = str + len;

  while (p < end)
    {
      const char *cr = memchr (p, '\r', (gsize) (end - p));

      if (cr == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }

      g_string_append_len (out, p, cr - p);
      g_string_append_c (out, '\n');
      p = cr + 1;
      if (p < end && *p == '\n')
        p++;
    }

  g_string_truncate (out, skip_space_backward (out->str, out->str + out->len) - out->str);

  return g_string_free (out, FALSE);
}

static guint
line_number_at (const char *str,
                const char *pos)
{
  guint line = 1;

  for (const char *p = str; p < pos; p++)
    {
      /* `pos` is never a '\n', so a CR just before it is a lone one. */
      if (*p == '\n' || (*p == '\r' && (p + 1 >= pos || p[1] != '\n')))
        line++;
    }

  return line;
}

gboolean
assay_transcript_parse (AssayTranscriptFormat   format,
                        const char             *display_name,
                        const char             *data,
                        gsize                   len,
                        GPtrArray             **segments,
                        char                  **text,
                        GError                **error)
{
  const char *invalid = NULL;
  LineReader reader;
  Parser parser;
  gboolean ok;

  g_return_val_if_fail ((guint) format <= ASSAY_TRANSCRIPT_TXT, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (segments != NULL)
    *segments = NULL;
  if (text != NULL)
    *text = NULL;

  if (data == NULL)
    data = "";

  /* This also rejects NUL bytes, so nothing later has to care about them. */
  if (!g_utf8_validate_len (data, len, &invalid))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s:%u: invalid UTF-8"),
                   display_name, line_number_at (data, invalid));
      return FALSE;
    }

  if (len >= UTF8_BOM_LEN && memcmp (data, UTF8_BOM, UTF8_BOM_LEN) == 0)
    {
      data += UTF8_BOM_LEN;
      len -= UTF8_BOM_LEN;
    }

  if (span_is_blank (data, len))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s: the file is empty"), display_name);
      return FALSE;
    }

  if (format == ASSAY_TRANSCRIPT_TXT)
    {
      if (text != NULL)
        *text = normalise_text (data, len);
      return TRUE;
    }

  parser_init (&parser, format, display_name);
  line_reader_init (&reader, data, len);

  if (format == ASSAY_TRANSCRIPT_SRT)
    ok = parse_srt (&parser, &reader, error);
  else
    ok = parse_vtt (&parser, &reader, error);

  if (ok && parser.segments->len == 0)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s: no cues found"), display_name);
      ok = FALSE;
    }

  if (ok && segments != NULL)
    *segments = g_steal_pointer (&parser.segments);

  parser_clear (&parser);

  return ok;
}
