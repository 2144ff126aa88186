/* assay-transcript.h: reading SubRip, WebVTT and plain text transcripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ASSAY_TRANSCRIPT_SRT,
  ASSAY_TRANSCRIPT_VTT,
  ASSAY_TRANSCRIPT_TXT,
} AssayTranscriptFormat;

/* One cue: times in seconds (negative if unknown), speaker NULL if the cue
 * names none. `text` is valid UTF-8 without markup; the lines of a
 * multi-line cue are joined with "\n". */
typedef struct
{
  char   *speaker;
  double  start;
  double  end;
  char   *text;
  guint   line;     /* 1-based line of the cue's timing line in the file (0 for txt) */
} AssaySegment;

void          assay_segment_free            (AssaySegment *segment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySegment, assay_segment_free)

/* Parses a whole transcript file held in memory.
 *
 * `display_name` names the file in error messages ("FILE:LINE: what is
 * wrong"). A UTF-8 byte order mark and CRLF or CR line endings are
 * accepted. For SRT and VTT, returns one AssaySegment per cue in file
 * order; for TXT, `segments` is set to NULL and `text` to the whole text
 * with line endings normalised to "\n" and the whitespace at its very end
 * removed. For SRT and VTT, `text` is NULL.
 *
 * Errors (ASSAY_ERROR_INVALID_INPUT) name the file and line: invalid UTF-8,
 * a missing WEBVTT header, a malformed or backwards timestamp, an empty file,
 * a file without cues. Cues whose text is empty are dropped. */
gboolean      assay_transcript_parse        (AssayTranscriptFormat   format,
                                             const char             *display_name,
                                             const char             *data,
                                             gsize                   len,
                                             GPtrArray             **segments,
                                             char                  **text,
                                             GError                **error);

G_END_DECLS
