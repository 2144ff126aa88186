/* assay-export-common-private.h: what the dataset writers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset formats (sft, preference, eval, scores) all read a project
 * the same way: source by source, each with its candidates and the
 * judgments on them, narrowed by the export's filters. AssayExportContext
 * does that reading with one query per table, walked in step by source id
 * (a merge join), so an export costs a handful of queries however many
 * sources there are. It also chooses gold summaries, fills the prompt
 * template and writes the provenance that the formats share.
 */
#pragma once

#include <sqlite3.h>

#include "assay-export-private.h"
#include "assay-judgments.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef struct
{
  gint64              id;
  char               *ext_id;
  char               *name;
  AssayAnnotatorKind  kind;
  guint               order;       /* rank of ext_id in byte order, for sorting */
  gboolean            in_scope;    /* its judgments pass the annotator filters */
} AssayExportAnnotator;

typedef struct
{
  gint64      id;
  const char *ext_id;
  const char *model;
  const char *text;          /* NULL unless the writer asked for candidate texts */
  gsize       text_len;
  gint64      position;
  gboolean    in_scope;      /* passes the model and label filters */
} AssayExportCandidate;

/* What every judgment row has. `candidate` is an index into the item's
 * candidates. */
typedef struct
{
  guint                       candidate;
  const AssayExportAnnotator *annotator;
  const char                 *created;
  const char                 *updated;
  double                      time_spent;
} AssayExportJudgment;

typedef struct
{
  AssayExportJudgment  j;
  const char          *text;
  gsize                text_len;
} AssayExportCorrection;

typedef struct
{
  AssayExportJudgment j;
  int                 rank;
} AssayExportRank;

typedef struct
{
  AssayExportJudgment  j;      /* j.candidate is side a */
  guint                b;
  AssayWinner          winner;
  const char          *rationale;
} AssayExportComparison;

typedef struct
{
  AssayExportJudgment  j;
  AssayLabelSet       *set;
  AssayLabelOption    *option;
  guint                set_index;
  guint                option_index;
} AssayExportLabel;

typedef struct
{
  AssayExportJudgment  j;
  AssayCriterion      *criterion;
  guint                criterion_index;
  int                  value;
  const char          *rationale;
} AssayExportScore;

/* One source and what is known about it, valid until the next call to
 * _assay_export_context_next. Judgments are those that pass the filters,
 * on candidates that pass them, sorted by candidate position, annotator id
 * and then label set, option or criterion (rankings and comparisons by
 * annotator, then position). */
typedef struct
{
  gint64      id;
  const char *ext_id;
  const char *title;
  const char *text;           /* NULL unless the writer asked for source texts */
  gsize       text_len;
  const char *metadata;       /* the source's metadata object, as imported */
  const char *created;
  int         split;          /* index into the splits, -1 without a split */

  GArray     *candidates;     /* AssayExportCandidate, by position */
  GArray     *corrections;    /* AssayExportCorrection */
  GArray     *ranks;          /* AssayExportRank */
  GArray     *comparisons;    /* AssayExportComparison */
  GArray     *labels;         /* AssayExportLabel */
  GArray     *scores;         /* AssayExportScore */
} AssayExportItem;

typedef enum
{
  ASSAY_EXPORT_NEED_SOURCE_TEXT    = 1 << 0,
  ASSAY_EXPORT_NEED_CANDIDATE_TEXT = 1 << 1,
  ASSAY_EXPORT_NEED_CORRECTIONS    = 1 << 2,
  ASSAY_EXPORT_NEED_RANKS          = 1 << 3,
  ASSAY_EXPORT_NEED_COMPARISONS    = 1 << 4,
  ASSAY_EXPORT_NEED_LABELS         = 1 << 5,
  ASSAY_EXPORT_NEED_SCORES         = 1 << 6,
  /* what choosing the gold summary needs under the template's rule */
  ASSAY_EXPORT_NEED_GOLD           = 1 << 7,
} AssayExportNeeds;

typedef enum
{
  ASSAY_EXPORT_GOLD_NONE,
  ASSAY_EXPORT_GOLD_CORRECTION,
  ASSAY_EXPORT_GOLD_RANK,
  ASSAY_EXPORT_GOLD_LABEL,
  ASSAY_EXPORT_GOLD_SCORE,
} AssayExportGoldKind;

/* A source's gold summary and the judgments that made it so. */
typedef struct
{
  AssayExportGoldKind  kind;
  guint                candidate;    /* the candidate chosen, or the one corrected */
  const char          *text;
  gsize                text_len;
  const char          *created;      /* earliest of the judgments' times */
  const char          *updated;      /* latest */
  GPtrArray           *annotators;   /* (element-type AssayExportAnnotator), by id; owned by the context */
} AssayExportGold;

typedef struct _AssayExportContext AssayExportContext;

AssayExportContext *_assay_export_context_new      (AssayProject        *project,
                                                    AssayExportOptions  *options,
                                                    AssayExportSink     *sink,
                                                    AssayExportNeeds     needs,
                                                    GError             **error);
void                _assay_export_context_free     (AssayExportContext  *ctx);
AssayTemplate      *_assay_export_context_get_template (AssayExportContext *ctx);

/* The next source that passes the filters, with the sink switched to its
 * split's file; NULL at the end or on error (then `error` is set). What
 * the previous source wrote is flushed first. */
AssayExportItem    *_assay_export_context_next     (AssayExportContext  *ctx,
                                                    GError             **error);

/* The gold summary of the item under the template's rule. FALSE (and
 * kind NONE) if it has none. */
gboolean            _assay_export_select_gold      (AssayExportContext  *ctx,
                                                    AssayExportItem     *item,
                                                    AssayExportGold     *gold);
const char         *_assay_export_gold_kind_to_string (AssayExportGoldKind kind);

/* The filled prompt template as a JSON string literal or, if `messages`,
 * the system and user messages as the members of a JSON array
 * ({"role":"system",...},{"role":"user",...}). The two functions below
 * give the same, made once per item and cached, for writers that write
 * the prompt more than once. */
void                _assay_export_append_prompt    (AssayExportContext  *ctx,
                                                    AssayExportItem     *item,
                                                    gboolean             messages,
                                                    GString             *out);
const GString      *_assay_export_prompt_string    (AssayExportContext  *ctx,
                                                    AssayExportItem     *item);
const GString      *_assay_export_prompt_messages  (AssayExportContext  *ctx,
                                                    AssayExportItem     *item);

/* Appends `str` JSON-escaped without quotes, to continue a string literal
 * that `out` has opened. */
void                _assay_export_append_escaped   (GString             *out,
                                                    const char          *str,
                                                    gssize               len);
/* Appends a JSON string literal, or null for NULL. */
void                _assay_export_append_nullable  (GString             *out,
                                                    const char          *str);

/* "template":…,"template_version":… and, with a split, ,"split":…
 * (members of an open object, without a leading comma). */
void                _assay_export_append_template_members (AssayExportContext *ctx,
                                                           AssayExportItem    *item,
                                                           GString            *out);
/* The provenance object of a gold record: source, title, candidate,
 * model, gold, annotators, created, updated and the template members. */
void                _assay_export_append_gold_metadata (AssayExportContext *ctx,
                                                        AssayExportItem    *item,
                                                        AssayExportGold    *gold,
                                                        GString            *out);

static inline AssayExportCandidate *
_assay_export_item_candidate (AssayExportItem *item,
                              guint            index)
{
  return &g_array_index (item->candidates, AssayExportCandidate, index);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayExportContext, _assay_export_context_free)

G_END_DECLS
