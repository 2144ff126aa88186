/* assay-item.h: one source with its candidates and one annotator's judgments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the workbench shows for an item, read in one go. The item is a
 * snapshot: the UI writes through assay-judgments.h and updates the item's
 * fields itself (they are plain structs for that reason), so it never has
 * to reload an item after a keystroke.
 */
#pragma once

#include "assay-judgments.h"
#include "assay-project.h"

G_BEGIN_DECLS

typedef struct
{
  char   *speaker;     /* nullable */
  double  start;       /* seconds, negative if unknown */
  double  end;
  gint64  char_start;  /* code points into the source text */
  gint64  char_end;
} AssayItemSegment;

typedef struct
{
  gint64   id;
  gint64   option_id;      /* 0: no label */
  gint64   start;          /* code points into the candidate text */
  gint64   end;
  char    *note;           /* nullable */
  GArray  *evidence;       /* AssayRange, into the source text */
} AssayItemSpan;

typedef struct
{
  gint64     id;
  char      *ext_id;
  char      *model;
  char      *text;
  char      *prompt;        /* nullable */
  gint64     n_chars;
  int        position;      /* import order, 0-based */

  /* The annotator's judgments on this candidate. */
  GArray    *labels;        /* gint64 option ids */
  GPtrArray *spans;         /* AssayItemSpan, by start */
  char      *correction;    /* nullable */
  GHashTable *scores;       /* criterion id (gint64 *) -> AssayItemScore */
  int        rank;          /* 0: unranked */
  char      *note;          /* nullable */
} AssayItemCandidate;

typedef struct
{
  int   value;
  char *rationale;          /* nullable */
} AssayItemScore;

typedef struct
{
  gint64       a;            /* candidate ids, as shown */
  gint64       b;
  AssayWinner  winner;
  char        *rationale;
} AssayItemComparison;

typedef struct
{
  gint64       source_id;
  char        *ext_id;
  char        *title;
  char        *text;
  gint64       n_chars;
  char        *metadata;     /* JSON object text */
  GPtrArray   *segments;     /* AssayItemSegment; empty for plain text */
  GPtrArray   *candidates;   /* AssayItemCandidate, in import order */

  gint64       annotator_id;
  AssayStatus  status;
  double       time_spent;   /* seconds, on the status */
  char        *note;         /* on the whole source; nullable */
  GPtrArray   *comparisons;  /* AssayItemComparison */

  /* The judgments of kinds that have no field above, by type: the text of
   * a JSON array of their native records (assay_project_dup_records). */
  GHashTable  *records;
} AssayItem;

#define ASSAY_TYPE_ITEM (assay_item_get_type ())
GType               assay_item_get_type          (void) G_GNUC_CONST;
AssayItem          *assay_item_ref               (AssayItem     *item);
void                assay_item_unref             (AssayItem     *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayItem, assay_item_unref)

/* Reads a source, its segments and candidates, and `annotator_id`'s
 * judgments on them. */
AssayItem          *assay_project_load_item      (AssayProject  *project,
                                                  gint64         source_id,
                                                  gint64         annotator_id,
                                                  GError       **error);

/* Reads one kind of the annotator's judgments into the item again (after
 * they were changed through assay_project_save_record, or by a sync),
 * leaving the rest of the item and its candidates as they are. */
gboolean            assay_project_reload_item_kind (AssayProject  *project,
                                                    AssayItem     *item,
                                                    const char    *type,
                                                    GError       **error);

/* The annotator's records of a kind without a field of its own, as the
 * text of a JSON array ("[]" when there are none). */
const char         *assay_item_get_records       (AssayItem     *item,
                                                  const char    *type);

AssayItemCandidate *assay_item_find_candidate    (AssayItem     *item,
                                                  gint64         candidate_id);
AssayItemComparison *assay_item_find_comparison  (AssayItem     *item,
                                                  gint64         a,
                                                  gint64         b);

/* The order in which to show the candidates: import order, or for blind
 * review a shuffle that is the same every time for this item (seeded by the
 * source's id), so an expert who comes back sees the same order. Returns
 * indexes into item->candidates. */
GArray             *assay_item_display_order     (AssayItem     *item,
                                                  gboolean       blind);

/* The one rule for naming a candidate on screen and in reports: its place
 * in assay_item_display_order, as a letter ("A" to "Z", then "27", "28"...).
 * The Review tabs, Compare, Rank, statistics and adjudication all call this,
 * so a letter names the same candidate everywhere in a project. "?" for an
 * id that is not one of the item's candidates. */
char               *assay_item_candidate_letter  (AssayItem     *item,
                                                  gboolean       blind,
                                                  gint64         candidate_id);
/* The letter of a display position (0-based). */
char               *assay_candidate_letter_for_position (guint   position);

/* The pair a blind A/B comparison shows next: the first pair (in display
 * order) this annotator has not compared yet, sides chosen by a stable coin
 * flip; FALSE when every pair is done. */
gboolean            assay_item_next_pair         (AssayItem     *item,
                                                  gboolean       blind,
                                                  gint64        *a,
                                                  gint64        *b);

typedef struct
{
  gint64              id;
  char               *ext_id;
  char               *name;
  AssayAnnotatorKind  kind;
} AssayAnnotatorInfo;

void                assay_annotator_info_free    (AssayAnnotatorInfo *info);

/* (element-type AssayAnnotatorInfo): the annotators who have any judgment
 * or a status other than "to do" on the source, persons first, then
 * models, then adjudicators, each by id. */
GPtrArray          *assay_project_list_item_annotators (AssayProject *project,
                                                        gint64        source_id,
                                                        GError      **error);
/* (element-type AssayAnnotatorInfo): every annotator of the project. */
GPtrArray          *assay_project_list_annotators (AssayProject  *project,
                                                   GError       **error);

/* "00:14:05" or "14:05" for a time in seconds. */
char               *assay_format_timestamp       (double         seconds);

G_END_DECLS
