/* assay-proposals.c: the judgments of model annotators, as proposals to an expert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-proposals.h"

G_DEFINE_BOXED_TYPE (AssayProposal, assay_proposal, assay_proposal_copy, assay_proposal_free)

AssayProposal *
assay_proposal_copy (const AssayProposal *proposal)
{
  AssayProposal *copy;

  g_return_val_if_fail (proposal != NULL, NULL);

  copy = g_memdup2 (proposal, sizeof *proposal);
  copy->annotator = g_strdup (proposal->annotator);
  copy->annotator_name = g_strdup (proposal->annotator_name);
  copy->text = g_strdup (proposal->text);
  return copy;
}

void
assay_proposal_free (AssayProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_free (proposal->annotator);
  g_free (proposal->annotator_name);
  g_free (proposal->text);
  g_free (proposal);
}

/* Where a proposal goes in the list: candidate, kind, template order or
 * position, then annotator. */
typedef struct
{
  AssayProposal *proposal;
  gint64         key[5];
} Sorted;

static int
compare_sorted (gconstpointer a,
                gconstpointer b)
{
  const Sorted *x = a, *y = b;

  for (guint i = 0; i < G_N_ELEMENTS (x->key); i++)
    if (x->key[i] != y->key[i])
      return x->key[i] < y->key[i] ? -1 : 1;
  return 0;
}

/* The option's place among the template's options, or -1 if it is not one
 * of `scope`. */
static gint64
option_place (AssayTemplate   *tmpl,
              gint64           option_id,
              AssayLabelScope  scope)
{
  gint64 place = 0;

  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      for (guint j = 0; j < set->options->len; j++, place++)
        if (((AssayLabelOption *) g_ptr_array_index (set->options, j))->id == option_id)
          return set->scope == scope ? place : -1;
    }
  return -1;
}

static gint64
criterion_place (AssayTemplate *tmpl,
                 gint64         criterion_id)
{
  for (guint i = 0; i < tmpl->criteria->len; i++)
    if (((AssayCriterion *) g_ptr_array_index (tmpl->criteria, i))->id == criterion_id)
      return i;
  return -1;
}

static AssayProposal *
proposal_new (AssayProposalKind          kind,
              const AssayItemCandidate  *candidate,
              const AssayAnnotatorInfo  *annotator)
{
  AssayProposal *proposal = g_new0 (AssayProposal, 1);

  proposal->kind = kind;
  proposal->candidate_id = candidate->id;
  proposal->annotator_id = annotator->id;
  proposal->annotator = g_strdup (annotator->ext_id);
  proposal->annotator_name = g_strdup (annotator->name);
  return proposal;
}

static void
add_sorted (GArray        *sorted,
            AssayProposal *proposal,
            gint64         candidate_position,
            gint64         place,
            gint64         end,
            gint64         annotator_place)
{
  Sorted s = { proposal, { candidate_position, proposal->kind, place, end, annotator_place } };

  g_array_append_val (sorted, s);
}

/* The model annotator's judgments on the item, as proposals. */
static void
collect (AssayTemplate            *tmpl,
         AssayItem                *item,
         const AssayAnnotatorInfo *annotator,
         gint64                    annotator_place,
         GArray                   *sorted)
{
  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, i);
      GHashTableIter iter;
      gpointer key, value;

      for (guint j = 0; (tmpl->kinds & ASSAY_JUDGE_LABELS) && j < candidate->labels->len; j++)
        {
          gint64 option_id = g_array_index (candidate->labels, gint64, j);
          gint64 place = option_place (tmpl, option_id, ASSAY_SCOPE_CANDIDATE);
          AssayProposal *proposal;

          if (place < 0)
            continue;
          proposal = proposal_new (ASSAY_PROPOSAL_LABEL, candidate, annotator);
          proposal->option_id = option_id;
          add_sorted (sorted, proposal, candidate->position, place, 0, annotator_place);
        }

      g_hash_table_iter_init (&iter, candidate->scores);
      while ((tmpl->kinds & ASSAY_JUDGE_SCORES) && g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 criterion_id = *(gint64 *) key;
          AssayItemScore *score = value;
          gint64 place = criterion_place (tmpl, criterion_id);
          AssayProposal *proposal;

          if (place < 0)
            continue;
          proposal = proposal_new (ASSAY_PROPOSAL_SCORE, candidate, annotator);
          proposal->criterion_id = criterion_id;
          proposal->value = score->value;
          proposal->text = g_strdup (score->rationale);
          add_sorted (sorted, proposal, candidate->position, place, 0, annotator_place);
        }

      for (guint j = 0; (tmpl->kinds & ASSAY_JUDGE_SPANS) && j < candidate->spans->len; j++)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, j);
          AssayProposal *proposal;

          if (span->option_id != 0 && option_place (tmpl, span->option_id, ASSAY_SCOPE_SPAN) < 0)
            continue;
          proposal = proposal_new (ASSAY_PROPOSAL_SPAN, candidate, annotator);
          proposal->option_id = span->option_id;
          proposal->start = span->start;
          proposal->end = span->end;
          proposal->text = g_strdup (span->note);
          add_sorted (sorted, proposal, candidate->position, span->start, span->end,
                      annotator_place);
        }
    }
}

GPtrArray *
assay_project_load_proposals (AssayProject   *project,
                              AssayTemplate  *tmpl,
                              gint64          source_id,
                              GError        **error)
{
  g_autoptr(GPtrArray) annotators = NULL;
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (Sorted));
  GPtrArray *proposals;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (tmpl != NULL, NULL);

  annotators = assay_project_list_item_annotators (project, source_id, error);
  if (annotators == NULL)
    return NULL;

  for (guint i = 0; i < annotators->len; i++)
    {
      AssayAnnotatorInfo *annotator = g_ptr_array_index (annotators, i);
      g_autoptr(AssayItem) item = NULL;

      if (annotator->kind != ASSAY_ANNOTATOR_MODEL)
        continue;
      item = assay_project_load_item (project, source_id, annotator->id, error);
      if (item == NULL)
        {
          for (guint j = 0; j < sorted->len; j++)
            assay_proposal_free (g_array_index (sorted, Sorted, j).proposal);
          return NULL;
        }
      collect (tmpl, item, annotator, i, sorted);
    }

  g_array_sort (sorted, compare_sorted);
  proposals = g_ptr_array_new_full (sorted->len, (GDestroyNotify) assay_proposal_free);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (proposals, g_array_index (sorted, Sorted, i).proposal);
  return proposals;
}

static gboolean
has_label (AssayItemCandidate *candidate,
           gint64              option_id)
{
  for (guint i = 0; i < candidate->labels->len; i++)
    if (g_array_index (candidate->labels, gint64, i) == option_id)
      return TRUE;
  return FALSE;
}

gboolean
assay_proposal_is_held (const AssayProposal *proposal,
                        AssayItem           *item)
{
  AssayItemCandidate *candidate;

  g_return_val_if_fail (proposal != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  candidate = assay_item_find_candidate (item, proposal->candidate_id);
  if (candidate == NULL)
    return FALSE;

  switch (proposal->kind)
    {
    case ASSAY_PROPOSAL_LABEL:
      return has_label (candidate, proposal->option_id);

    case ASSAY_PROPOSAL_SCORE:
      {
        AssayItemScore *score = g_hash_table_lookup (candidate->scores, &proposal->criterion_id);

        return score != NULL && score->value == proposal->value;
      }

    case ASSAY_PROPOSAL_SPAN:
      for (guint i = 0; i < candidate->spans->len; i++)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

          if (span->start == proposal->start && span->end == proposal->end &&
              span->option_id == proposal->option_id)
            return TRUE;
        }
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

gboolean
assay_proposal_is_pending (const AssayProposal *proposal,
                           AssayItem           *item,
                           AssayTemplate       *tmpl)
{
  AssayItemCandidate *candidate;

  g_return_val_if_fail (proposal != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (tmpl != NULL, FALSE);

  candidate = assay_item_find_candidate (item, proposal->candidate_id);
  if (candidate == NULL)
    return FALSE;

  switch (proposal->kind)
    {
    case ASSAY_PROPOSAL_LABEL:
      {
        AssayLabelSet *set = NULL;

        if (has_label (candidate, proposal->option_id))
          return FALSE;
        if (assay_template_option_by_id (tmpl, proposal->option_id, &set) == NULL)
          return FALSE;
        /* In a multi-choice set the expert's other options say nothing
         * against this one. */
        if (set->multi)
          return TRUE;
        for (guint i = 0; i < candidate->labels->len; i++)
          {
            AssayLabelSet *other = NULL;

            assay_template_option_by_id (tmpl, g_array_index (candidate->labels, gint64, i),
                                         &other);
            if (other == set)
              return FALSE;
          }
        return TRUE;
      }

    case ASSAY_PROPOSAL_SCORE:
      return !g_hash_table_contains (candidate->scores, &proposal->criterion_id);

    case ASSAY_PROPOSAL_SPAN:
      for (guint i = 0; i < candidate->spans->len; i++)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

          if (span->start < proposal->end && proposal->start < span->end)
            return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}
