/* fuzz-transcript.c: the SubRip, WebVTT and plain text readers
 * (assay-transcript.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a transcript file, read as each of the three formats. The
 * readers must not crash whatever the bytes, and what they return must be
 * what the header promises: cues in file order with non-empty UTF-8 text,
 * times that do not run backwards, line numbers inside the file, plain
 * text without CRs or trailing blanks, and errors that name the file.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "assay-error.h"
#include "assay-transcript.h"

#include "fuzz-common.h"

static const struct
{
  AssayTranscriptFormat  format;
  const char            *name;
} formats[] = {
  { ASSAY_TRANSCRIPT_SRT, "fuzz.srt" },
  { ASSAY_TRANSCRIPT_VTT, "fuzz.vtt" },
  { ASSAY_TRANSCRIPT_TXT, "fuzz.txt" },
};

/* Lines end at LF, CRLF or a lone CR; a final terminator starts none. */
static guint
count_lines (const char *text,
             gsize       len)
{
  guint lines = 1;

  for (gsize i = 0; i < len; i++)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
      lines++;
  return lines;
}

static void
check_segments (GPtrArray *segments,
                guint      n_lines)
{
  guint last_line = 0;

  fuzz_assert (segments != NULL && segments->len > 0);
  for (guint i = 0; i < segments->len; i++)
    {
      AssaySegment *s = g_ptr_array_index (segments, i);

      fuzz_assert (s->text != NULL && *s->text != '\0');
      fuzz_assert (g_utf8_validate (s->text, -1, NULL));
      fuzz_assert (s->speaker == NULL ||
                   (*s->speaker != '\0' && g_utf8_validate (s->speaker, -1, NULL)));
      fuzz_assert (isfinite (s->start) && isfinite (s->end));
      fuzz_assert (s->start < 0 || s->end < 0 || s->end >= s->start);
      fuzz_assert (s->line >= 1 && s->line <= n_lines);
      fuzz_assert (s->line > last_line);
      last_line = s->line;
    }
}

static void
check_text (const char *text)
{
  gsize len;

  fuzz_assert (text != NULL && *text != '\0');
  fuzz_assert (g_utf8_validate (text, -1, NULL));
  fuzz_assert (strchr (text, '\r') == NULL);
  len = strlen (text);
  fuzz_assert (!g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + len))));
}

static void
check_error (const GError *error,
             const char   *name,
             guint         n_lines)
{
  g_autofree char *prefix = g_strconcat (name, ":", NULL);
  const char *rest;
  guint64 line;
  char *end;

  fuzz_assert (error != NULL);
  fuzz_assert (g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT));
  fuzz_assert (g_utf8_validate (error->message, -1, NULL));
  fuzz_assert (g_str_has_prefix (error->message, prefix));

  /* "FILE:LINE: ..." names a line of the file */
  rest = error->message + strlen (prefix);
  if (g_ascii_isdigit (*rest))
    {
      line = g_ascii_strtoull (rest, &end, 10);
      fuzz_assert (*end == ':');
      fuzz_assert (line >= 1 && line <= n_lines);
    }
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
  guint n_lines = count_lines (text, size);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GPtrArray) segments = NULL;
      g_autofree char *plain = NULL;
      g_autoptr(GError) error = NULL;

      if (assay_transcript_parse (formats[f].format, formats[f].name, text, size, &segments,
                                  &plain, &error))
        {
          fuzz_assert (error == NULL);
          if (formats[f].format == ASSAY_TRANSCRIPT_TXT)
            {
              fuzz_assert (segments == NULL);
              check_text (plain);
            }
          else
            {
              fuzz_assert (plain == NULL);
              check_segments (segments, n_lines);
            }
        }
      else
        {
          fuzz_assert (segments == NULL && plain == NULL);
          check_error (error, formats[f].name, n_lines);
        }
    }
  return 0;
}
