/* test-transcript.c: tests for the SubRip, WebVTT and plain text reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "assay-transcript.h"
#include "assay-error.h"

/* Helpers */

static GPtrArray *
parse_ok_len (AssayTranscriptFormat  format,
              const char            *data,
              gsize                  len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GPtrArray *segments = NULL;
  gboolean ok;

  ok = assay_transcript_parse (format, "test", data, len, &segments, &text, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (text);
  g_assert_nonnull (segments);

  return segments;
}

static GPtrArray *
parse_ok (AssayTranscriptFormat  format,
          const char            *data)
{
  return parse_ok_len (format, data, strlen (data));
}

static void
assert_segment (GPtrArray  *segments,
                guint       index,
                const char *speaker,
                double      start,
                double      end,
                const char *text,
                guint       line)
{
  AssaySegment *segment;

  g_assert_cmpuint (index, <, segments->len);
  segment = g_ptr_array_index (segments, index);
  g_assert_cmpstr (segment->speaker, ==, speaker);
  g_assert_cmpfloat_with_epsilon (segment->start, start, 1e-9);
  g_assert_cmpfloat_with_epsilon (segment->end, end, 1e-9);
  g_assert_cmpstr (segment->text, ==, text);
  g_assert_cmpuint (segment->line, ==, line);
}

/* Checks the text and speaker of cue `index`, for tests about cue text. */
static void
assert_text (GPtrArray  *segments,
             guint       index,
             const char *speaker,
             const char *text)
{
  AssaySegment *segment;

  g_assert_cmpuint (index, <, segments->len);
  segment = g_ptr_array_index (segments, index);
  g_assert_cmpstr (segment->speaker, ==, speaker);
  g_assert_cmpstr (segment->text, ==, text);
}

static void
assert_error_len (AssayTranscriptFormat  format,
                  const char            *display_name,
                  const char            *data,
                  gsize                  len,
                  const char            *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) segments = (GPtrArray *) 0x1;
  g_autofree char *text = (char *) 0x1;
  gboolean ok;

  ok = assay_transcript_parse (format, display_name, data, len, &segments, &text, &error);
  g_assert_false (ok);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (segments);
  g_assert_null (text);
}

static void
assert_error (AssayTranscriptFormat  format,
              const char            *display_name,
              const char            *data,
              const char            *message)
{
  assert_error_len (format, display_name, data, strlen (data), message);
}

/* SubRip */

static const char srt_basic[] =
  "1\n"                                         /* 1 */
  "00:00:01,000 --> 00:00:04,250\n"             /* 2 */
  "Welcome back to the harbour walk.\n"         /* 3 */
  "\n"                                          /* 4 */
  "2\n"                                         /* 5 */
  "00:00:05,500 --> 00:00:09,000\n"             /* 6 */
  "The lighthouse keeper\n"                     /* 7 */
  "   left in nineteen sixty-two.  \t\n"        /* 8 */
  "\n"                                          /* 9 */
  "3\n"                                         /* 10 */
  "01:02:03,500 --> 01:02:07,000\n"             /* 11 */
  "And the gulls stayed.\n";                    /* 12 */

static void
check_srt_basic (GPtrArray *segments)
{
  g_assert_cmpuint (segments->len, ==, 3);
  assert_segment (segments, 0, NULL, 1.0, 4.25, "Welcome back to the harbour walk.", 2);
  assert_segment (segments, 1, NULL, 5.5, 9.0,
                  "The lighthouse keeper\nleft in nineteen sixty-two.", 6);
  assert_segment (segments, 2, NULL, 3723.5, 3727.0, "And the gulls stayed.", 11);
}

static char *
replace_all (const char *str,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (str, from, -1);

  return g_strjoinv (to, parts);
}

static void
test_srt_basic (void)
{
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, srt_basic);

  check_srt_basic (segments);
}

static void
test_srt_line_endings (void)
{
  g_autofree char *crlf = replace_all (srt_basic, "\n", "\r\n");
  g_autofree char *cr = replace_all (srt_basic, "\n", "\r");
  g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", crlf, NULL);
  g_autoptr(GPtrArray) crlf_segments = parse_ok (ASSAY_TRANSCRIPT_SRT, crlf);
  g_autoptr(GPtrArray) cr_segments = parse_ok (ASSAY_TRANSCRIPT_SRT, cr);
  g_autoptr(GPtrArray) bom_segments = parse_ok (ASSAY_TRANSCRIPT_SRT, bom);

  check_srt_basic (crlf_segments);
  check_srt_basic (cr_segments);
  check_srt_basic (bom_segments);
}

static void
test_srt_mixed_line_endings (void)
{
  static const char data[] =
    "1\r\n"                                     /* 1 */
    "00:00:01,000 --> 00:00:02,000\r"           /* 2 */
    "Rain on the\n"                             /* 3 */
    "tin roof.\r\n"                             /* 4 */
    "\n"                                        /* 5 */
    "\r"                                        /* 6 */
    "2\r"                                       /* 7 */
    "00:00:03,000 --> 00:00:04,000\r\n"         /* 8 */
    "Again.";                                   /* 9 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 2);
  assert_segment (segments, 0, NULL, 1.0, 2.0, "Rain on the\ntin roof.", 2);
  assert_segment (segments, 1, NULL, 3.0, 4.0, "Again.", 8);
}

static void
test_srt_no_final_newline (void)
{
  g_autofree char *data = g_strndup (srt_basic, strlen (srt_basic) - 1);
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  check_srt_basic (segments);
}

static void
test_srt_extra_blank_lines (void)
{
  static const char data[] =
    "\n"                                        /* 1 */
    "\n"                                        /* 2 */
    "1\n"                                       /* 3 */
    "00:00:01,000 --> 00:00:02,000\n"           /* 4 */
    "Quiet in the reading room.\n"              /* 5 */
    "\n"                                        /* 6 */
    "   \n"                                     /* 7 */
    "\t\n"                                      /* 8 */
    "\n"                                        /* 9 */
    "2\n"                                       /* 10 */
    "00:00:02,500 --> 00:00:03,000\n"           /* 11 */
    "Sorry.\n"                                  /* 12 */
    "\n"                                        /* 13 */
    "\n"                                        /* 14 */
    "\n";                                       /* 15 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 2);
  assert_segment (segments, 0, NULL, 1.0, 2.0, "Quiet in the reading room.", 4);
  assert_segment (segments, 1, NULL, 2.5, 3.0, "Sorry.", 11);
}

static void
test_srt_no_index (void)
{
  static const char data[] =
    "00:00:01,000 --> 00:00:02,000\n"           /* 1 */
    "No numbers here.\n"                        /* 2 */
    "\n"                                        /* 3 */
    "  7  \n"                                   /* 4 */
    "00:00:02,000 --> 00:00:03,000\n"           /* 5 */
    "An index with spaces around it.\n";        /* 6 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 2);
  assert_segment (segments, 0, NULL, 1.0, 2.0, "No numbers here.", 1);
  assert_segment (segments, 1, NULL, 2.0, 3.0, "An index with spaces around it.", 5);
}

static void
test_srt_timestamps (void)
{
  static const char data[] =
    "1\n"                                       /* 1 */
    "00:00:01.500 --> 00:00:02.750\n"           /* 2 */
    "Dots instead of commas.\n"                 /* 3 */
    "\n"                                        /* 4 */
    "2\n"                                       /* 5 */
    "00:00:03,5 --> 00:00:04,25\n"              /* 6 */
    "Short fractions.\n"                        /* 7 */
    "\n"                                        /* 8 */
    "3\n"                                       /* 9 */
    "100:00:00,007 --> 0000000000000000000000101:59:59,999\n" /* 10 */
    "Long hours.\n"                             /* 11 */
    "\n"                                        /* 12 */
    "4\n"                                       /* 13 */
    "00:00:05,000-->00:00:05,000\n"             /* 14 */
    "No spaces, zero length.\n"                 /* 15 */
    "\n"                                        /* 16 */
    "5\n"                                       /* 17 */
    "1:00:10,000 --> 01:00:12,000  X1:100 X2:600 Y1:50 Y2:80\n" /* 18 */
    "Coordinates are ignored.\n";               /* 19 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 5);
  assert_segment (segments, 0, NULL, 1.5, 2.75, "Dots instead of commas.", 2);
  assert_segment (segments, 1, NULL, 3.5, 4.25, "Short fractions.", 6);
  assert_segment (segments, 2, NULL, 360000.007, 367199.999, "Long hours.", 10);
  assert_segment (segments, 3, NULL, 5.0, 5.0, "No spaces, zero length.", 14);
  assert_segment (segments, 4, NULL, 3610.0, 3612.0, "Coordinates are ignored.", 18);
}

static void
test_srt_tags (void)
{
  static const char data[] =
    "1\n"
    "00:00:01,000 --> 00:00:02,000\n"
    "<i>Quietly,</i> <b>please</b>.\n"
    "\n"
    "2\n"
    "00:00:02,000 --> 00:00:03,000\n"
    "{\\an8}<font color=\"#ffcc00\">Upstairs</font> <U>now</U>\n"
    "<I>and</I> <s>never</s> <font face=\"Serif\" size=\"3\">later</font>\n"
    "\n"
    "3\n"
    "00:00:03,000 --> 00:00:04,000\n"
    "I <3 lemon tarts & <span>jam</span> &amp; tea {braces} {\\i1}\n"
    "\n"
    "4\n"
    "00:00:04,000 --> 00:00:05,000\n"
    "<i>\n"
    "  Tags on their own lines.\n"
    "</i>\n"
    "\n"
    "5\n"
    "00:00:05,000 --> 00:00:06,000\n"
    "<font\n"
    "color=\"red\">A tag never spans lines</font> {\\pos(1,2)\n"
    "}\n"
    "\n"
    "6\n"
    "00:00:06,000 --> 00:00:07,000\n"
    "<bold>Unknown</bold> <i class=x>known</i> <ii>no</ii> x < y > z\n";
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 6);
  assert_text (segments, 0, NULL, "Quietly, please.");
  assert_text (segments, 1, NULL, "Upstairs now\nand never later");
  assert_text (segments, 2, NULL, "I <3 lemon tarts & <span>jam</span> &amp; tea {braces}");
  assert_text (segments, 3, NULL, "Tags on their own lines.");
  assert_text (segments, 4, NULL,
               "<font\ncolor=\"red\">A tag never spans lines {\\pos(1,2)\n}");
  assert_text (segments, 5, NULL, "<bold>Unknown</bold> known <ii>no</ii> x < y > z");
}

static void
test_srt_empty_cues (void)
{
  static const char data[] =
    "1\n"                                       /* 1 */
    "00:00:01,000 --> 00:00:02,000\n"           /* 2 */
    "\n"                                        /* 3 */
    "2\n"                                       /* 4 */
    "00:00:02,000 --> 00:00:03,000\n"           /* 5 */
    "<i> </i>\n"                                /* 6 */
    "{\\an8}\n"                                 /* 7 */
    "\n"                                        /* 8 */
    "3\n"                                       /* 9 */
    "00:00:03,000 --> 00:00:04,000\n"           /* 10 */
    "Kept.\n"                                   /* 11 */
    "\n"                                        /* 12 */
    "4\n"                                       /* 13 */
    "00:00:04,000 --> 00:00:05,000\n";          /* 14 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 1);
  assert_segment (segments, 0, NULL, 3.0, 4.0, "Kept.", 10);
}

static void
test_srt_missing_separator (void)
{
  static const char data[] =
    "1\n"                                       /* 1 */
    "00:00:01,000 --> 00:00:02,000\n"           /* 2 */
    "First.\n"                                  /* 3 */
    "2\n"                                       /* 4 */
    "00:00:02,000 --> 00:00:03,000\n"           /* 5 */
    "Second, turn left --> then right.\n"       /* 6 */
    "00:00:03,000 --> 00:00:04,000\n"           /* 7 */
    "Third.\n";                                 /* 8 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 3);
  assert_segment (segments, 0, NULL, 1.0, 2.0, "First.", 2);
  assert_segment (segments, 1, NULL, 2.0, 3.0, "Second, turn left --> then right.", 5);
  assert_segment (segments, 2, NULL, 3.0, 4.0, "Third.", 7);
}

static void
test_srt_speakers (void)
{
  static const char *const lines[] = {
    "Dr. Osei: How are you feeling today?",
    "INTERVIEWER: So, the bridge.",
    "PILOT:Cleared for the east runway.",
    "- Maria Lopez: yes, twice.",
    "-Tomas:   Both of them?",
    "Note: 10:30 meeting moved",
    "Speaker 2: Right.",
    "Marie : bonjour",
    "Åsa Berg: Hej!",
    "<i>Narrator:</i> Long ago.",
    "10:30 is the time",
    "https://example.org/schedule",
    "The committee reviewed all of the proposals: none passed",
    "Meeting at 10:30 sharp",
    "Ingredients:",
    "- No names here",
    ": nothing before the colon",
    "(laughs): fine",
    "Abcdefghijklmnopqrstuvwxyzabcdefghijklmn: forty is fine",
    "Abcdefghijklmnopqrstuvwxyzabcdefghijklmno: forty-one is not",
  };
  static const char *const expected[][2] = {
    { "Dr. Osei", "How are you feeling today?" },
    { "INTERVIEWER", "So, the bridge." },
    { "PILOT", "Cleared for the east runway." },
    { "Maria Lopez", "yes, twice." },
    { "Tomas", "Both of them?" },
    { "Note", "10:30 meeting moved" },
    { "Speaker 2", "Right." },
    { "Marie", "bonjour" },
    { "Åsa Berg", "Hej!" },
    { "Narrator", "Long ago." },
    { NULL, "10:30 is the time" },
    { NULL, "https://example.org/schedule" },
    { NULL, "The committee reviewed all of the proposals: none passed" },
    { NULL, "Meeting at 10:30 sharp" },
    { NULL, "Ingredients:" },
    { NULL, "- No names here" },
    { NULL, ": nothing before the colon" },
    { NULL, "(laughs): fine" },
    { "Abcdefghijklmnopqrstuvwxyzabcdefghijklmn", "forty is fine" },
    { NULL, "Abcdefghijklmnopqrstuvwxyzabcdefghijklmno: forty-one is not" },
  };
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GPtrArray) segments = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (lines) == G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_string_append_printf (data, "%u\n00:00:%02u,000 --> 00:00:%02u,000\n%s\n\n",
                            i + 1, i, i + 1, lines[i]);

  segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data->str);
  g_assert_cmpuint (segments->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    assert_segment (segments, i, expected[i][0], i, i + 1, expected[i][1], 4 * i + 2);
}

static void
test_srt_speaker_multiline (void)
{
  static const char data[] =
    "1\n"
    "00:00:01,000 --> 00:00:05,000\n"
    "  - Tomas Reyes:  We walked the whole\n"
    "length of the pier\n"
    "- Maria: and back again.\n";
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data);

  g_assert_cmpuint (segments->len, ==, 1);
  assert_text (segments, 0, "Tomas Reyes",
               "We walked the whole\nlength of the pier\n- Maria: and back again.");
}

/* WebVTT */

static const char vtt_full[] =
  "WEBVTT - Harbour walk, part two\n"                               /* 1 */
  "Kind: captions\n"                                                /* 2 */
  "Language: en-GB\n"                                               /* 3 */
  "\n"                                                              /* 4 */
  "NOTE Typed up by hand\n"                                         /* 5 */
  "after the recording.\n"                                          /* 6 */
  "\n"                                                              /* 7 */
  "STYLE\n"                                                         /* 8 */
  "::cue(.loud) {\n"                                                /* 9 */
  "  color: yellow;\n"                                              /* 10 */
  "}\n"                                                             /* 11 */
  "\n"                                                              /* 12 */
  "REGION\n"                                                        /* 13 */
  "id:bottom\n"                                                     /* 14 */
  "width:40%\n"                                                     /* 15 */
  "\n"                                                              /* 16 */
  "intro\n"                                                         /* 17 */
  "00:01.000 --> 00:04.500 align:start position:10% line:0\n"       /* 18 */
  "<v Esme Tanaka>Welcome aboard, everyone.</v>\n"                  /* 19 */
  "\n"                                                              /* 20 */
  "00:00:05.000 --> 00:00:08.000\n"                                 /* 21 */
  "<v.loud.first   Jonah   Whitlock >Mind the <i>step</i>,\n"       /* 22 */
  "<b>please</b>.\n"                                                /* 23 */
  "\n"                                                              /* 24 */
  "3\n"                                                             /* 25 */
  "00:08.000 --> 00:10.000 region:bottom\n"                         /* 26 */
  "Fish &amp; chips &lt;tonight&gt;&nbsp;&#x263A;&#9731; &quot;ok&quot;\n" /* 27 */
  "\n"                                                              /* 28 */
  "NOTE\n"                                                          /* 29 */
  "A second comment, with a NOTE inside.\n"                         /* 30 */
  "\n"                                                              /* 31 */
  "00:10.000 --> 00:12.000\n"                                       /* 32 */
  "Captain Reyes: Ropes off!\n"                                     /* 33 */
  "\n"                                                              /* 34 */
  "harbour-5\n"                                                     /* 35 */
  "01:00:12.000 --> 01:00:14.000 vertical:rl size:50%\n"            /* 36 */
  "<c.yellow>Look</c> <ruby>港<rt>みなと</rt></ruby> <lang fr>voilà</lang>"
  " <u>at</u> <00:12.500>the <c>boats</c>\n"                        /* 37 */
  "\n";                                                             /* 38 */

static void
check_vtt_full (GPtrArray *segments)
{
  g_assert_cmpuint (segments->len, ==, 5);
  assert_segment (segments, 0, "Esme Tanaka", 1.0, 4.5, "Welcome aboard, everyone.", 18);
  assert_segment (segments, 1, "Jonah Whitlock", 5.0, 8.0, "Mind the step,\nplease.", 21);
  assert_segment (segments, 2, NULL, 8.0, 10.0, "Fish & chips <tonight> ☺☃ \"ok\"", 26);
  assert_segment (segments, 3, "Captain Reyes", 10.0, 12.0, "Ropes off!", 32);
  assert_segment (segments, 4, NULL, 3612.0, 3614.0, "Look 港みなと voilà at the boats", 36);
}

static void
test_vtt_full (void)
{
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, vtt_full);

  check_vtt_full (segments);
}

static void
test_vtt_line_endings (void)
{
  g_autofree char *crlf = replace_all (vtt_full, "\n", "\r\n");
  g_autofree char *cr = replace_all (vtt_full, "\n", "\r");
  g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", cr, NULL);
  g_autoptr(GPtrArray) crlf_segments = parse_ok (ASSAY_TRANSCRIPT_VTT, crlf);
  g_autoptr(GPtrArray) cr_segments = parse_ok (ASSAY_TRANSCRIPT_VTT, cr);
  g_autoptr(GPtrArray) bom_segments = parse_ok (ASSAY_TRANSCRIPT_VTT, bom);

  check_vtt_full (crlf_segments);
  check_vtt_full (cr_segments);
  check_vtt_full (bom_segments);
}

static void
test_vtt_header_forms (void)
{
  static const char *const headers[] = {
    "WEBVTT\n",
    "WEBVTT \n",
    "WEBVTT\tA title after a tab\n",
    "WEBVTT\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *data = g_strconcat (headers[i], "\n00:01.000 --> 00:02.000\nHi.", NULL);
      g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

      g_assert_cmpuint (segments->len, ==, 1);
      assert_segment (segments, 0, NULL, 1.0, 2.0, "Hi.", 3);
    }
}

static void
test_vtt_no_blank_after_header (void)
{
  static const char data[] =
    "WEBVTT\n"                                  /* 1 */
    "Kind: subtitles\n"                         /* 2 */
    "00:00.000 --> 00:01.000\n"                 /* 3 */
    "Straight in.\n"                            /* 4 */
    "\n"                                        /* 5 */
    "NOTE a comment that runs into a cue\n"     /* 6 */
    "00:01.000 --> 00:02.000\n"                 /* 7 */
    "Still here.\n";                            /* 8 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

  g_assert_cmpuint (segments->len, ==, 2);
  assert_segment (segments, 0, NULL, 0.0, 1.0, "Straight in.", 3);
  assert_segment (segments, 1, NULL, 1.0, 2.0, "Still here.", 7);
}

static void
test_vtt_identifiers (void)
{
  static const char data[] =
    "WEBVTT\n"                                  /* 1 */
    "\n"                                        /* 2 */
    "1\n"                                       /* 3 */
    "00:01.000 --> 00:02.000\n"                 /* 4 */
    "Numbered.\n"                               /* 5 */
    "\n"                                        /* 6 */
    "chapter one: the pier\n"                   /* 7 */
    "00:02.000 --> 00:03.000\n"                 /* 8 */
    "Named.\n"                                  /* 9 */
    "\n"                                        /* 10 */
    "STYLE\n"                                   /* 11 */
    "00:03.000 --> 00:04.000\n"                 /* 12 */
    "An identifier that looks like a keyword.\n" /* 13 */
    "\n"                                        /* 14 */
    "NOTES\n"                                   /* 15 */
    "00:04.000 --> 00:05.000\n"                 /* 16 */
    "Not a comment.\n";                         /* 17 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

  g_assert_cmpuint (segments->len, ==, 4);
  assert_segment (segments, 0, NULL, 1.0, 2.0, "Numbered.", 4);
  assert_segment (segments, 1, NULL, 2.0, 3.0, "Named.", 8);
  assert_segment (segments, 2, NULL, 3.0, 4.0, "An identifier that looks like a keyword.", 12);
  assert_segment (segments, 3, NULL, 4.0, 5.0, "Not a comment.", 16);
}

static void
test_vtt_timestamps (void)
{
  static const char data[] =
    "WEBVTT\n"                                  /* 1 */
    "\n"                                        /* 2 */
    "59:59.999 --> 01:00:00.000\n"              /* 3 */
    "Short and long forms.\n"                   /* 4 */
    "\n"                                        /* 5 */
    "123:00:00.1 --> 123:00:00.12 line:90%\n"   /* 6 */
    "Many hours.\n";                            /* 7 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

  g_assert_cmpuint (segments->len, ==, 2);
  assert_segment (segments, 0, NULL, 3599.999, 3600.0, "Short and long forms.", 3);
  assert_segment (segments, 1, NULL, 442800.1, 442800.12, "Many hours.", 6);
}

static void
test_vtt_voices (void)
{
  static const char data[] =
    "WEBVTT\n"
    "\n"
    "00:01.000 --> 00:02.000\n"
    "<v Ana>Hi.</v> <v Ben>Hello.</v>\n"
    "\n"
    "00:02.000 --> 00:03.000\n"
    "<v.loud Renée &amp; Co>We sell nets.\n"
    "\n"
    "00:03.000 --> 00:04.000\n"
    "<v>Nobody: spoke here.\n"
    "\n"
    "00:04.000 --> 00:05.000\n"
    "<v.quiet>  </v><v Ines\n"
    "Duarte>Split across lines.\n"
    "\n"
    "00:05.000 --> 00:06.000\n"
    "<v Ana>Ben: he said hi.\n"
    "\n"
    "00:06.000 --> 00:07.000\n"
    "<i><v Ola>Inside italics.</v></i>\n"
    "\n"
    "00:07.000 --> 00:08.000\n"
    "<vid>Not a voice.</vid>\n"
    "\n"
    "00:08.000 --> 00:09.000\n"
    "<v Silent></v>\n"
    "\n"
    "00:09.000 --> 00:10.000\n"
    "- Kofi: Dialogue dash in WebVTT.\n";
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

  g_assert_cmpuint (segments->len, ==, 8);
  assert_text (segments, 0, "Ana", "Hi. Hello.");
  assert_text (segments, 1, "Renée & Co", "We sell nets.");
  assert_text (segments, 2, "Nobody", "spoke here.");
  assert_text (segments, 3, "Ines Duarte", "Split across lines.");
  assert_text (segments, 4, "Ana", "Ben: he said hi.");
  assert_text (segments, 5, "Ola", "Inside italics.");
  assert_text (segments, 6, NULL, "Not a voice.");
  assert_text (segments, 7, "Kofi", "Dialogue dash in WebVTT.");
}

static void
test_vtt_entities (void)
{
  static const char data[] =
    "WEBVTT\n"
    "\n"
    "00:01.000 --> 00:02.000\n"
    "&lrm;left&rlm; &#65;&#x42;&#X43; &apos;q&apos;\n"
    "\n"
    "00:02.000 --> 00:03.000\n"
    "&#0; &#xD800; &#1114112; &#x10FFFF;\n"
    "\n"
    "00:03.000 --> 00:04.000\n"
    "&amp &unknown; &; &# &#x; &#123456789; &AMP; tom & jerry\n"
    "\n"
    "00:04.000 --> 00:05.000\n"
    "&lt;i&gt;not a tag&lt;/i&gt; a < b, c <> d, <never closed\n"
    "\n"
    "00:05.000 --> 00:06.000\n"
    "&nbsp;&nbsp;Padded&nbsp;\n";
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

  g_assert_cmpuint (segments->len, ==, 5);
  assert_text (segments, 0, NULL, "\xE2\x80\x8Eleft\xE2\x80\x8F ABC 'q'");
  assert_text (segments, 1, NULL,
               "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xF4\x8F\xBF\xBF");
  assert_text (segments, 2, NULL,
               "&amp &unknown; &; &# &#x; &#123456789; &AMP; tom & jerry");
  assert_text (segments, 3, NULL, "<i>not a tag</i> a < b, c <> d, <never closed");
  assert_text (segments, 4, NULL, "Padded");
}

static void
test_vtt_empty_cues (void)
{
  static const char data[] =
    "WEBVTT\n"                                  /* 1 */
    "\n"                                        /* 2 */
    "00:01.000 --> 00:02.000\n"                 /* 3 */
    "\n"                                        /* 4 */
    "00:02.000 --> 00:03.000\n"                 /* 5 */
    "<v Ghost></v> <00:02.500>\n"               /* 6 */
    "\n"                                        /* 7 */
    "00:03.000 --> 00:04.000\n"                 /* 8 */
    "<i>Kept.</i>\n";                           /* 9 */
  g_autoptr(GPtrArray) segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data);

  g_assert_cmpuint (segments->len, ==, 1);
  assert_segment (segments, 0, NULL, 3.0, 4.0, "Kept.", 8);
}

/* Plain text */

static void
test_txt (void)
{
  static const char data[] =
    "\xEF\xBB\xBF  Field notes, day three\r\n"
    "\r\n"
    "Wind from the west.\rTide out by noon.\n"
    "<i>Markup</i> &amp; entities stay as written.   \n"
    " \t\r\n"
    "\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GPtrArray *segments = (GPtrArray *) 0x1;

  g_assert_true (assay_transcript_parse (ASSAY_TRANSCRIPT_TXT, "notes.txt", data, strlen (data),
                                         &segments, &text, &error));
  g_assert_no_error (error);
  g_assert_null (segments);
  g_assert_cmpstr (text, ==,
                   "  Field notes, day three\n"
                   "\n"
                   "Wind from the west.\nTide out by noon.\n"
                   "<i>Markup</i> &amp; entities stay as written.");
}

static void
test_txt_single_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (assay_transcript_parse (ASSAY_TRANSCRIPT_TXT, "a.txt", "x", 1,
                                         NULL, &text, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "x");
}

/* Optional outputs may be left out. */
static void
test_null_outputs (void)
{
  g_assert_true (assay_transcript_parse (ASSAY_TRANSCRIPT_SRT, "a.srt", srt_basic,
                                         strlen (srt_basic), NULL, NULL, NULL));
  g_assert_true (assay_transcript_parse (ASSAY_TRANSCRIPT_VTT, "a.vtt", vtt_full,
                                         strlen (vtt_full), NULL, NULL, NULL));
  g_assert_true (assay_transcript_parse (ASSAY_TRANSCRIPT_TXT, "a.txt", "x", 1,
                                         NULL, NULL, NULL));
  g_assert_false (assay_transcript_parse (ASSAY_TRANSCRIPT_SRT, "a.srt", "", 0,
                                          NULL, NULL, NULL));
  g_assert_false (assay_transcript_parse (ASSAY_TRANSCRIPT_VTT, "a.vtt", NULL, 0,
                                          NULL, NULL, NULL));
}

/* Errors */

static void
test_error_invalid_utf8 (void)
{
  static const AssayTranscriptFormat formats[] = {
    ASSAY_TRANSCRIPT_SRT, ASSAY_TRANSCRIPT_VTT, ASSAY_TRANSCRIPT_TXT,
  };
  static const struct
  {
    const char *data;
    gsize       len;
    guint       line;
  } cases[] = {
#define CASE(data, line) { data, sizeof (data) - 1, line }
    CASE ("\xFF", 1),
    CASE ("\xEF\xBB\xBF\xFF", 1),
    CASE ("\xFF\xFEW\0E\0", 1),                             /* UTF-16 */
    CASE ("ok\nbad \xC0\xAF slash\n", 2),                   /* overlong */
    CASE ("1\n00:00:01,000 --> 00:00:02,000\nLa\xE9 mer\n", 3), /* Latin-1 */
    CASE ("a\r\nb\r\n\xC3(", 3),
    CASE ("a\rb\r\xED\xA0\x80", 3),                         /* a surrogate */
    CASE ("\r\n\r\n\r\r\n\n\n\xFE", 7),
    CASE ("WEBVTT\n\0", 2),                                 /* NUL */
    CASE ("abc\n\n\xE2\x82", 3),                            /* cut short */
#undef CASE
  };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree char *message = g_strdup_printf ("x.in:%u: invalid UTF-8", cases[i].line);
          assert_error_len (formats[f], "x.in", cases[i].data, cases[i].len, message);
        }
    }
}

static void
test_error_empty (void)
{
  static const AssayTranscriptFormat formats[] = {
    ASSAY_TRANSCRIPT_SRT, ASSAY_TRANSCRIPT_VTT, ASSAY_TRANSCRIPT_TXT,
  };
  static const char *const inputs[] = {
    "",
    "\xEF\xBB\xBF",
    " ",
    "\n",
    " \n\t\r\n  \r",
    "\xEF\xBB\xBF\r\n\xC2\xA0\n",                         /* a no-break space */
  };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
        assert_error (formats[f], "blank.file", inputs[i], "blank.file: the file is empty");
    }
}

static void
test_error_srt_expected_timing (void)
{
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "Hello there\n",
                "talk.srt:1: expected a timing line such as “00:00:01,000 --> 00:00:04,000”");
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "\n\n1\nHello there\n00:00:01,000 --> 00:00:02,000\n",
                "talk.srt:4: expected a timing line such as “00:00:01,000 --> 00:00:04,000”");
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "1\n\n00:00:01,000 --> 00:00:02,000\nHi\n",
                "talk.srt:1: expected a timing line such as “00:00:01,000 --> 00:00:04,000”");
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n",
                "talk.srt:5: expected a timing line such as “00:00:01,000 --> 00:00:04,000”");
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n\r\n\r\n2\r\n00:00:03,000\r\n",
                "talk.srt:7: expected a timing line such as “00:00:01,000 --> 00:00:04,000”");
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n",
                "talk.srt:1: expected a timing line such as “00:00:01,000 --> 00:00:04,000”");
}

static void
test_error_invalid_timestamp (void)
{
  static const struct
  {
    const char *timing;
    const char *bad;
  } cases[] = {
    { "00:60:00,000 --> 01:00:00,000", "00:60:00,000" },
    { "00:00:60,000 --> 00:01:00,000", "00:00:60,000" },
    { "00:00:01,0000 --> 00:00:02,000", "00:00:01,0000" },
    { "00:00:01 --> 00:00:02,000", "00:00:01" },
    { "00:0:01,000 --> 00:00:02,000", "00:0:01,000" },
    { "00:00:001,000 --> 00:00:02,000", "00:00:001,000" },
    { "00:00:01, --> 00:00:02,000", "00:00:01," },
    { "00:00:01:000 --> 00:00:02,000", "00:00:01:000" },
    { "00:00:00:01,000 --> 00:00:02,000", "00:00:00:01,000" },
    { "-00:00:01,000 --> 00:00:02,000", "-00:00:01,000" },
    { "soon --> later", "soon" },
    { " --> 00:00:02,000", "" },
    { "00:00:01,000 --> 00:00:02;000", "00:00:02;000" },
    { "00:00:01,000 -->", "" },
    { "00:00:01,000 --> 00:00:02,000abc", "00:00:02,000abc" },
    { "00:00:01,000 --> 00:00:02,000-->00:00:03,000", "00:00:02,000-->00:00:03,000" },
    { "00:00:01,000 abc --> 00:00:02,000", "00:00:01,000 abc" },
    { "99999999999999999999:00:01,000 --> 00:00:02,000", "99999999999999999999:00:01,000" },
  };
  g_autoptr(GString) long_token = g_string_new (NULL);
  g_autoptr(GString) quoted = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strdup_printf ("\n7\n%s\nText\n", cases[i].timing);
      g_autofree char *message = g_strdup_printf ("talk.srt:3: invalid timestamp “%s”",
                                                  cases[i].bad);

      assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt", data, message);
    }

  /* Quoted text is cut at 40 characters, not bytes. */
  for (guint i = 0; i < 41; i++)
    g_string_append (long_token, "é");
  for (guint i = 0; i < 40; i++)
    g_string_append (quoted, "é");
  for (guint n = 0; n < 2; n++)
    {
      g_autofree char *data = g_strdup_printf ("%s --> 00:00:02,000\nText\n", long_token->str);
      g_autofree char *message = g_strdup_printf ("talk.srt:1: invalid timestamp “%s…”",
                                                  quoted->str);

      assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt", data, message);
      for (guint i = 0; i < 1000; i++)
        g_string_append_c (long_token, 'x');
    }

  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\n\n00:01.000 --> 00:61.000\nText\n",
                "talk.vtt:3: invalid timestamp “00:61.000”");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\n\nid\n1:02.000 --> 00:03.000 align:end\nText\n",
                "talk.vtt:4: invalid timestamp “1:02.000”");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\n\nNOTE --> in a comment line\n",
                "talk.vtt:3: invalid timestamp “NOTE”");
}

static void
test_error_backwards (void)
{
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "1\n00:00:01,000 --> 00:00:02,000\nFine\n\n"
                "2\n00:00:05,000 --> 00:00:04,999\nBackwards\n",
                "talk.srt:6: end time “00:00:04,999” is before start time “00:00:05,000”");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\n\n01:00:00.000 --> 59:59.999\nBackwards\n",
                "talk.vtt:3: end time “59:59.999” is before start time “01:00:00.000”");
  /* An empty cue is still checked. */
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "1\n00:00:03,000 --> 00:00:02,000\n",
                "talk.srt:2: end time “00:00:02,000” is before start time “00:00:03,000”");
}

static void
test_error_no_cues (void)
{
  assert_error (ASSAY_TRANSCRIPT_SRT, "talk.srt",
                "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n<i></i>\n",
                "talk.srt: no cues found");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt", "WEBVTT", "talk.vtt: no cues found");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\nKind: captions\n\nNOTE nothing to see\n\nSTYLE\n::cue {}\n",
                "talk.vtt: no cues found");
}

static void
test_error_vtt_header (void)
{
  static const char *const inputs[] = {
    "WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n",
    "webvtt\n\n00:01.000 --> 00:02.000\nHi\n",
    "WEBVT\n",
    "\nWEBVTT\n\n00:01.000 --> 00:02.000\nHi\n",
    " WEBVTT\n",
    "\xEF\xBB\xBF\xEF\xBB\xBFWEBVTT\n",
    "WEBVTT-\n",
    "1\n00:00:01,000 --> 00:00:02,000\nAn SRT file\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt", inputs[i],
                  "talk.vtt:1: the file does not start with “WEBVTT”");
}

static void
test_error_vtt_expected_timing (void)
{
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\n\nintro\nHello there\n",
                "talk.vtt:4: expected a timing line such as “00:00:01.000 --> 00:00:04.000”");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\n\nstray\n",
                "talk.vtt:7: expected a timing line such as “00:00:01.000 --> 00:00:04.000”");
  assert_error (ASSAY_TRANSCRIPT_VTT, "talk.vtt",
                "WEBVTT\r\n\r\nid\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n",
                "talk.vtt:3: expected a timing line such as “00:00:01.000 --> 00:00:04.000”");
}

/* Robustness */

/* Inputs built to make a careless scanner quadratic. Each is a megabyte;
 * a quadratic pass would not finish in any reasonable time. */
static void
test_large_inputs (void)
{
  static const char *const cue_fillers[] = {
    "<font ", "<b", "</", "{\\", "&#1", "&amp", "<v ", "<", "a:", "-->", "\r", "x",
  };
  const gsize size = 1024 * 1024;

  for (guint i = 0; i < G_N_ELEMENTS (cue_fillers); i++)
    {
      for (guint f = 0; f < 2; f++)
        {
          AssayTranscriptFormat format = f == 0 ? ASSAY_TRANSCRIPT_SRT : ASSAY_TRANSCRIPT_VTT;
          g_autoptr(GString) data = g_string_new (NULL);
          g_autoptr(GPtrArray) segments = NULL;
          g_autoptr(GError) error = NULL;

          if (format == ASSAY_TRANSCRIPT_VTT)
            g_string_append (data, "WEBVTT\n\n");
          g_string_append (data, "00:00:01.000 --> 00:00:02.000\nA");
          while (data->len < size)
            g_string_append (data, cue_fillers[i]);

          /* Lines of "-->" are bad timestamps when they start a block; the
           * others must parse. Either way the call has to return. */
          if (assay_transcript_parse (format, "big", data->str, data->len,
                                      &segments, NULL, &error))
            {
              g_assert_no_error (error);
              g_assert_cmpuint (segments->len, >=, 1);
            }
          else
            {
              g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
            }
        }
    }
}

static void
test_many_cues (void)
{
  const guint n_cues = 20000;
  g_autoptr(GString) data = g_string_new ("WEBVTT\n\n");
  g_autoptr(GPtrArray) segments = NULL;

  for (guint i = 0; i < n_cues; i++)
    g_string_append_printf (data, "%u:%02u:%02u.000 --> %u:%02u:%02u.500\n"
                            "<v Speaker %u>Line number %u.\n\n",
                            i / 3600, i / 60 % 60, i % 60, i / 3600, i / 60 % 60, i % 60,
                            i % 4, i);

  segments = parse_ok (ASSAY_TRANSCRIPT_VTT, data->str);
  g_assert_cmpuint (segments->len, ==, n_cues);
  for (guint i = 0; i < n_cues; i += 997)
    {
      g_autofree char *speaker = g_strdup_printf ("Speaker %u", i % 4);
      g_autofree char *text = g_strdup_printf ("Line number %u.", i);

      assert_segment (segments, i, speaker, i, i + 0.5, text, 3 + 3 * i);
    }
}

static void
test_huge_hours (void)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GPtrArray) segments = NULL;

  /* Leading zeros do not count against the hours. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (data, '0');
  g_string_append (data, "1:00:00,000 --> 2:00:00,000\nLate.\n");

  segments = parse_ok (ASSAY_TRANSCRIPT_SRT, data->str);
  assert_segment (segments, 0, NULL, 3600.0, 7200.0, "Late.", 1);
}

static const char fuzz_srt[] =
  "\xEF\xBB\xBF" "1\r\n"
  "00:00:01,000 --> 00:00:03,500 X1:10 X2:20\r\n"
  "<i>Dr. Osei:</i> {\\an8}Shall we <font color=\"#fff\">begin</font>?\r\n"
  "\r\n"
  "2\n"
  "00:00:04.2 --> 01:00:05,000\n"
  "- Maria Lopez: The tide tables\n"
  "are <b>wrong</b> again &amp; again.\n"
  "\n"
  "3\r"
  "00:00:06,000 --> 00:00:07,000\r"
  "10:30 is low water.\r";

static const char fuzz_vtt[] =
  "WEBVTT - fuzz\n"
  "Kind: captions\n"
  "\n"
  "NOTE harbour survey\n"
  "\n"
  "STYLE\n"
  "::cue { color: lime }\n"
  "\n"
  "REGION\n"
  "id:r1\n"
  "\n"
  "a1\n"
  "00:01.000 --> 00:02.500 align:start position:10%\n"
  "<v.loud Jonah Whitlock>Nets &amp; <i>buoys</i> &#x2603; &nbsp;</v>\n"
  "\n"
  "00:00:03.000 --> 00:00:04.000\n"
  "<c.blue>Esme:</c> <ruby>潮<rt>しお</rt></ruby> <00:03.500>&lt;ok&gt;\n"
  "\n";

static void
check_result (gboolean    ok,
              GPtrArray  *segments,
              const char *text,
              GError     *error)
{
  if (!ok)
    {
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
      g_assert_true (g_str_has_prefix (error->message, "fuzz"));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (segments);
      g_assert_null (text);
      return;
    }

  g_assert_no_error (error);
  g_assert_null (text);
  g_assert_nonnull (segments);
  g_assert_cmpuint (segments->len, >, 0);
  for (guint i = 0; i < segments->len; i++)
    {
      AssaySegment *segment = g_ptr_array_index (segments, i);

      g_assert_true (g_utf8_validate (segment->text, -1, NULL));
      g_assert_cmpstr (segment->text, !=, "");
      g_assert_true (segment->speaker == NULL || g_utf8_validate (segment->speaker, -1, NULL));
      g_assert_true (segment->speaker == NULL || segment->speaker[0] != '\0');
      g_assert_cmpfloat (segment->start, >=, 0.0);
      g_assert_cmpfloat (segment->start, <=, segment->end);
      g_assert_cmpuint (segment->line, >=, 1);
    }
}

static void
mutate (GRand   *rand,
        GString *data)
{
  static const char *const tokens[] = {
    "-->", " --> ", "\n", "\r", "\r\n", "\n\n", "<", ">", "&", ";", "&#", "&#x", "<v ",
    "</", "{\\", "}", ":", ",", ".", "NOTE", "WEBVTT", "\xEF\xBB\xBF", "\xC3", "\xA9",
    "00:00:01,000", "99:59.999", "Speaker:", "- ",
  };
  guint n_edits = g_rand_int_range (rand, 1, 6);

  for (guint e = 0; e < n_edits; e++)
    {
      gsize pos = data->len > 0 ? (gsize) g_rand_int_range (rand, 0, (gint32) data->len) : 0;
      gsize want = (gsize) g_rand_int_range (rand, 1, 64);
      gsize span = MIN (want, data->len - pos);
      const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
      guint32 byte = g_rand_int_range (rand, 0, 256);
      g_autofree char *copy = NULL;

      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0:
          if (data->len > 0)
            data->str[pos] = (char) MAX (byte, 1);
          break;

        case 1:
          g_string_insert_c (data, (gssize) pos, (char) byte);
          break;

        case 2:
          g_string_erase (data, (gssize) pos, (gssize) MIN (span, 16));
          break;

        case 3:
          g_string_insert (data, (gssize) pos, token);
          break;

        case 4:
          g_string_truncate (data, pos);
          break;

        case 5:
          copy = g_strndup (data->str + pos, span);
          g_string_insert_len (data, g_rand_int_range (rand, 0, (gint32) data->len + 1),
                               copy, (gssize) span);
          break;

        default:
          if (data->len > 0)
            data->str[pos] ^= (char) (1 << (byte % 8));
          break;
        }
    }
}

static void
fuzz (AssayTranscriptFormat  format,
      const char            *seed_data,
      guint32                seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n_ok = 0;

  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GString) data = g_string_new (seed_data);
      g_autoptr(GPtrArray) segments = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gboolean ok;

      mutate (rand, data);
      ok = assay_transcript_parse (format, "fuzz", data->str, data->len,
                                   &segments, &text, &error);
      check_result (ok, segments, text, error);
      n_ok += ok;

      /* Plain text accepts anything that is valid UTF-8 and not blank. */
      g_clear_error (&error);
      g_clear_pointer (&text, g_free);
      ok = assay_transcript_parse (ASSAY_TRANSCRIPT_TXT, "fuzz", data->str, data->len,
                                   NULL, &text, &error);
      g_assert_true (ok == (text != NULL));
      if (ok)
        g_assert_true (g_utf8_validate (text, -1, NULL));
    }

  /* The mutations should leave many files readable, or they test nothing
   * beyond the first few lines. */
  g_assert_cmpuint (n_ok, >, 500);
}

static void
test_fuzz_srt (void)
{
  fuzz (ASSAY_TRANSCRIPT_SRT, fuzz_srt, 20240611);
}

static void
test_fuzz_vtt (void)
{
  fuzz (ASSAY_TRANSCRIPT_VTT, fuzz_vtt, 7345);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/transcript/srt-basic", test_srt_basic);
  g_test_add_func ("/assay/transcript/srt-line-endings", test_srt_line_endings);
  g_test_add_func ("/assay/transcript/srt-mixed-line-endings", test_srt_mixed_line_endings);
  g_test_add_func ("/assay/transcript/srt-no-final-newline", test_srt_no_final_newline);
  g_test_add_func ("/assay/transcript/srt-extra-blank-lines", test_srt_extra_blank_lines);
  g_test_add_func ("/assay/transcript/srt-no-index", test_srt_no_index);
  g_test_add_func ("/assay/transcript/srt-timestamps", test_srt_timestamps);
  g_test_add_func ("/assay/transcript/srt-tags", test_srt_tags);
  g_test_add_func ("/assay/transcript/srt-empty-cues", test_srt_empty_cues);
  g_test_add_func ("/assay/transcript/srt-missing-separator", test_srt_missing_separator);
  g_test_add_func ("/assay/transcript/srt-speakers", test_srt_speakers);
  g_test_add_func ("/assay/transcript/srt-speaker-multiline", test_srt_speaker_multiline);
  g_test_add_func ("/assay/transcript/vtt-full", test_vtt_full);
  g_test_add_func ("/assay/transcript/vtt-line-endings", test_vtt_line_endings);
  g_test_add_func ("/assay/transcript/vtt-header-forms", test_vtt_header_forms);
  g_test_add_func ("/assay/transcript/vtt-no-blank-after-header",
                   test_vtt_no_blank_after_header);
  g_test_add_func ("/assay/transcript/vtt-identifiers", test_vtt_identifiers);
  g_test_add_func ("/assay/transcript/vtt-timestamps", test_vtt_timestamps);
  g_test_add_func ("/assay/transcript/vtt-voices", test_vtt_voices);
  g_test_add_func ("/assay/transcript/vtt-entities", test_vtt_entities);
  g_test_add_func ("/assay/transcript/vtt-empty-cues", test_vtt_empty_cues);
  g_test_add_func ("/assay/transcript/txt", test_txt);
  g_test_add_func ("/assay/transcript/txt-single-line", test_txt_single_line);
  g_test_add_func ("/assay/transcript/null-outputs", test_null_outputs);
  g_test_add_func ("/assay/transcript/error-invalid-utf8", test_error_invalid_utf8);
  g_test_add_func ("/assay/transcript/error-empty", test_error_empty);
  g_test_add_func ("/assay/transcript/error-srt-expected-timing", test_error_srt_expected_timing);
  g_test_add_func ("/assay/transcript/error-invalid-timestamp", test_error_invalid_timestamp);
  g_test_add_func ("/assay/transcript/error-backwards", test_error_backwards);
  g_test_add_func ("/assay/transcript/error-no-cues", test_error_no_cues);
  g_test_add_func ("/assay/transcript/error-vtt-header", test_error_vtt_header);
  g_test_add_func ("/assay/transcript/error-vtt-expected-timing", test_error_vtt_expected_timing);
  g_test_add_func ("/assay/transcript/large-inputs", test_large_inputs);
  g_test_add_func ("/assay/transcript/many-cues", test_many_cues);
  g_test_add_func ("/assay/transcript/huge-hours", test_huge_hours);
  g_test_add_func ("/assay/transcript/fuzz-srt", test_fuzz_srt);
  g_test_add_func ("/assay/transcript/fuzz-vtt", test_fuzz_vtt);

  return g_test_run ();
}
