/* assay-adjudication.h: one source's judgments side by side, where the
 * raters disagree, and the gold set from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a disagreement is, once for the whole program (the statistics list,
 * `assay-cli agreement` and its --json, and the adjudication view all use
 * it; docs/statistics.md says the same in words):
 *
 * Raters. Every annotator who is a person or an LLM judge; adjudicators
 * (gold) never. A rater has judged a candidate when they left any judgment
 * on it (a label, span, score, correction, note, its rank, a comparison
 * with it) or gave its source a status other than "to do" and "skipped".
 * Skipping a source says nothing about it: it makes no one a rater there.
 *
 * Units and values; a unit is a disagreement when two of its raters gave
 * different values. Leaving a judgment out is no value, except where said.
 * - A single-choice label set of a candidate: the option chosen.
 * - A multi-choice label set: each option, chosen or not, for every rater
 *   who judged the candidate and uses the set somewhere in the project
 *   (choosing nothing is the answer "none of these").
 * - A rubric criterion: the score; the rationale does not count.
 * - A span label set: each word of the candidate takes the label of the
 *   rater's span that covers most of it, or "unmarked", for every rater who
 *   judged the candidate and uses the set somewhere: a candidate marked
 *   done with no spans is the value "no spans". Notes and evidence do not
 *   count. Adjacent disagreeing words make one unit.
 * - A correction: the corrected text's words (spacing aside), for raters
 *   who wrote one.
 * - The ranking of a source: the order of the candidates every rater ranked;
 *   the rankings disagree when Kendall's W over them is below 1.
 * - A comparison of two candidates: the winner or a tie, whichever side
 *   each was shown on; the rationale does not count.
 *
 * The adjudication view groups units into blocks: one per label set,
 * criterion, spans (all span sets) and correction of a candidate, one for
 * the ranking and one per compared pair. A block is marked a disagreement
 * exactly when it holds a unit of the list above.
 */
#pragma once

#include <gio/gio.h>

#include "assay-item.h"
#include "assay-stats.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef enum
{
  ASSAY_BLOCK_LABELS,       /* a candidate label set */
  ASSAY_BLOCK_SCORE,        /* a rubric criterion */
  ASSAY_BLOCK_SPANS,        /* every span set of a candidate */
  ASSAY_BLOCK_CORRECTION,
  ASSAY_BLOCK_RANKING,
  ASSAY_BLOCK_COMPARISON,
} AssayBlockKind;

typedef struct
{
  AssayBlockKind   kind;
  gint64           candidate_id;  /* candidate blocks; 0 otherwise */
  AssayLabelSet   *set;           /* ASSAY_BLOCK_LABELS, borrowed from the template */
  AssayCriterion  *criterion;     /* ASSAY_BLOCK_SCORE, the same */
  gint64           a, b;          /* ASSAY_BLOCK_COMPARISON, a first in display order */
  gboolean         disagreement;
  GArray          *units;         /* AssayDisagreement: the disagreeing units in it */
  gboolean         gold_none;     /* the gold chose "none" (multi-choice) or "no spans" */
} AssayAdjudicationBlock;

typedef struct
{
  gint64              id;
  char               *ext_id;
  char               *name;       /* the name, else the external id */
  AssayAnnotatorKind  kind;
  AssayItem          *item;       /* their judgments on the source */
  gboolean            rater;      /* counts for disagreement: not an adjudicator */
} AssayAdjudicationAnnotator;

#define ASSAY_TYPE_ADJUDICATION (assay_adjudication_get_type ())
G_DECLARE_FINAL_TYPE (AssayAdjudication, assay_adjudication, ASSAY, ADJUDICATION, GObject)

/* Loads the source's judgments through a connection of its own in a worker
 * thread. `gold_ext_id` names the adjudicator whose judgments are the gold
 * (it is left out of the annotators); it need not exist yet. */
void               assay_adjudication_load_async  (AssayProject         *project,
                                                   gint64                source_id,
                                                   const char           *gold_ext_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* (transfer full) */
AssayAdjudication *assay_adjudication_load_finish (GAsyncResult         *result,
                                                   GError              **error);
/* The same on the calling thread and the project's connection. */
AssayAdjudication *assay_adjudication_load        (AssayProject         *project,
                                                   gint64                source_id,
                                                   const char           *gold_ext_id,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

gint64         assay_adjudication_get_source_id   (AssayAdjudication *self);
AssayTemplate *assay_adjudication_get_template    (AssayAdjudication *self);
/* The source and its candidates, without anyone's judgments. */
AssayItem     *assay_adjudication_get_source      (AssayAdjudication *self);
/* (element-type AssayItemCandidate) (transfer none): in the display order
 * the reviewers saw (shuffled per source when the template is blind). */
GPtrArray     *assay_adjudication_get_candidates  (AssayAdjudication *self);
/* (element-type AssayAdjudicationAnnotator) (transfer none) */
GPtrArray     *assay_adjudication_get_annotators  (AssayAdjudication *self);
/* (element-type AssayAdjudicationBlock) (transfer none): the blocks someone
 * gave a value in, candidates first (in display order), then the ranking,
 * then the pairs. */
GPtrArray     *assay_adjudication_get_blocks      (AssayAdjudication *self);
/* The letter the reviewers saw (assay_item_candidate_letter). */
char          *assay_adjudication_candidate_letter (AssayAdjudication *self,
                                                    gint64             candidate_id);

/* (nullable) (transfer none): the gold's judgments; NULL before any. */
AssayItem     *assay_adjudication_get_gold        (AssayAdjudication *self);
void           assay_adjudication_set_gold        (AssayAdjudication *self,
                                                   AssayItem         *gold);

/* Whether an annotator gave a value in the block (see the top). */
gboolean       assay_adjudication_has_value       (AssayAdjudication      *self,
                                                   AssayAdjudicationBlock *block,
                                                   guint                   annotator);
/* Raters with a value. */
guint          assay_adjudication_count_values    (AssayAdjudication      *self,
                                                   AssayAdjudicationBlock *block);
gboolean       assay_adjudication_gold_has_value  (AssayAdjudication      *self,
                                                   AssayAdjudicationBlock *block);
/* Whether the gold holds the annotator's value. */
gboolean       assay_adjudication_same_as_gold    (AssayAdjudication      *self,
                                                   AssayAdjudicationBlock *block,
                                                   guint                   annotator);
/* The annotator whose judgment the gold is a copy of, rationale, notes and
 * evidence included; -1 if none is. */
int            assay_adjudication_gold_source     (AssayAdjudication      *self,
                                                   AssayAdjudicationBlock *block);
/* The rater whose value to take as the gold of a block without a
 * disagreement (they all agree); -1 if there is none or they disagree. */
int            assay_adjudication_agreed_annotator (AssayAdjudication      *self,
                                                    AssayAdjudicationBlock *block);
/* Disagreements, and how many of them have a gold value. */
guint          assay_adjudication_count_disagreements (AssayAdjudication *self,
                                                       guint             *settled);
/* Whether the gold's status should change for what is settled, and to
 * what: done once every disagreement has a gold value, in progress again
 * if one loses it. */
gboolean       assay_adjudication_wanted_status   (AssayAdjudication *self,
                                                   AssayStatus       *status);

/* (element-type gint64) (transfer full): the options of the set the item
 * chose for the candidate, in template order. */
GArray        *assay_adjudication_label_choice    (AssayItem              *item,
                                                   gint64                  candidate_id,
                                                   AssayLabelSet          *set);
/* The winner of a comparison as a candidate id, 0 for a tie. */
gint64         assay_adjudication_winner          (AssayItemComparison    *comparison);

G_END_DECLS
