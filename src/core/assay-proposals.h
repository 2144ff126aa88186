/* assay-proposals.h: the judgments of model annotators, as proposals to an expert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model annotator (kind "model": suggestions from an endpoint, the
 * built-in pre-checks, an imported judge) judges like anyone else, but its
 * judgments are not the expert's work. The workbench shows them to the
 * expert as proposals, which the expert may accept (copy as their own
 * judgment) or pass over. This file says which proposals a source has, and
 * the one rule for when a proposal is still waiting for the expert.
 */
#pragma once

#include "assay-item.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef enum
{
  ASSAY_PROPOSAL_LABEL,
  ASSAY_PROPOSAL_SCORE,
  ASSAY_PROPOSAL_SPAN,
} AssayProposalKind;

typedef struct
{
  AssayProposalKind  kind;
  gint64             candidate_id;
  gint64             annotator_id;
  char              *annotator;       /* its id, e.g. "model:qwen2.5-7b", "assay:precheck" */
  char              *annotator_name;  /* nullable */
  gint64             option_id;       /* label; a span's label (0: none) */
  gint64             criterion_id;    /* score */
  int                value;           /* score */
  char              *text;            /* score: rationale; span: note (a pre-check's
                                       * reason); nullable */
  gint64             start;           /* span: code points into the candidate text */
  gint64             end;
} AssayProposal;

#define ASSAY_TYPE_PROPOSAL (assay_proposal_get_type ())
GType          assay_proposal_get_type       (void) G_GNUC_CONST;
AssayProposal *assay_proposal_copy           (const AssayProposal *proposal);
void           assay_proposal_free           (AssayProposal       *proposal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayProposal, assay_proposal_free)

/* (element-type AssayProposal) (transfer full): the candidate labels,
 * scores and spans that model annotators gave the source's candidates, for
 * the kinds and options of `tmpl`; by candidate (import order), then
 * labels, scores and spans, each in template order (spans by position),
 * then by annotator. Empty when no model annotator judged the source. */
GPtrArray     *assay_project_load_proposals  (AssayProject        *project,
                                              AssayTemplate       *tmpl,
                                              gint64               source_id,
                                              GError             **error);

/* Whether the proposal still waits for the expert whose judgments `item`
 * holds (an item loaded for that expert). It does not when the expert
 * already holds its value, nor once the expert judged the same thing
 * otherwise: any score on the criterion, another option of a single-choice
 * set, a span of theirs that overlaps it. */
gboolean       assay_proposal_is_pending     (const AssayProposal *proposal,
                                              AssayItem           *item,
                                              AssayTemplate       *tmpl);

/* Whether the expert's judgments in `item` hold the proposal's value
 * exactly (what accepting it would store). */
gboolean       assay_proposal_is_held        (const AssayProposal *proposal,
                                              AssayItem           *item);

G_END_DECLS
