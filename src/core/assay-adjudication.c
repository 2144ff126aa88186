/* assay-adjudication.c: one source's judgments side by side, where the
 * raters disagree, and the gold set from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which blocks are disagreements is not decided here: the statistics are
 * computed over a snapshot of this one source, and a block is a
 * disagreement when it holds one of their disagreeing units, so that the
 * list of disagreements and this model cannot part ways. What is decided
 * here follows the same definition (assay-adjudication.h): who gave a value
 * in a block, for showing it, and how the gold compares with a value.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-adjudication.h"
#include "assay-kind-private.h"
#include "assay-stats-private.h"

struct _AssayAdjudication
{
  GObject         parent_instance;

  gint64          source_id;
  AssayTemplate  *tmpl;
  AssayItem      *base;
  AssayItem      *gold;          /* nullable */
  GPtrArray      *candidates;    /* AssayItemCandidate in display order, borrowed from base */
  GPtrArray      *annotators;    /* AssayAdjudicationAnnotator */
  GPtrArray      *blocks;        /* AssayAdjudicationBlock */
  /* Per annotator, bit per label set index: uses the set in the project. */
  GArray         *uses_sets;     /* guint64 */
};

G_DEFINE_FINAL_TYPE (AssayAdjudication, assay_adjudication, G_TYPE_OBJECT)

static void
annotator_free (AssayAdjudicationAnnotator *annotator)
{
  g_free (annotator->ext_id);
  g_free (annotator->name);
  g_clear_pointer (&annotator->item, assay_item_unref);
  g_free (annotator);
}

static void
block_free (AssayAdjudicationBlock *block)
{
  g_clear_pointer (&block->units, g_array_unref);
  g_free (block);
}

static void
assay_adjudication_finalize (GObject *object)
{
  AssayAdjudication *self = ASSAY_ADJUDICATION (object);

  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->annotators, g_ptr_array_unref);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->uses_sets, g_array_unref);
  g_clear_pointer (&self->gold, assay_item_unref);
  g_clear_pointer (&self->base, assay_item_unref);
  g_clear_pointer (&self->tmpl, assay_template_unref);

  G_OBJECT_CLASS (assay_adjudication_parent_class)->finalize (object);
}

static void
assay_adjudication_class_init (AssayAdjudicationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_adjudication_finalize;
}

static void
assay_adjudication_init (AssayAdjudication *self)
{
  self->annotators = g_ptr_array_new_with_free_func ((GDestroyNotify) annotator_free);
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->candidates = g_ptr_array_new ();
  self->uses_sets = g_array_new (FALSE, TRUE, sizeof (guint64));
}

/* ---- values ---- */

static AssayItemCandidate *
find_candidate (AssayItem *item,
                gint64     candidate_id)
{
  return item != NULL ? assay_item_find_candidate (item, candidate_id) : NULL;
}

GArray *
assay_adjudication_label_choice (AssayItem     *item,
                                 gint64         candidate_id,
                                 AssayLabelSet *set)
{
  AssayItemCandidate *candidate = find_candidate (item, candidate_id);
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (set != NULL, chosen);

  /* In the template's order, so that choices compare as arrays. */
  for (guint i = 0; candidate != NULL && i < set->options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (set->options, i);

      for (guint j = 0; j < candidate->labels->len; j++)
        if (g_array_index (candidate->labels, gint64, j) == option->id)
          {
            g_array_append_val (chosen, option->id);
            break;
          }
    }
  return chosen;
}

gint64
assay_adjudication_winner (AssayItemComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, 0);

  switch (comparison->winner)
    {
    case ASSAY_WINNER_A:
      return comparison->a;
    case ASSAY_WINNER_B:
      return comparison->b;
    case ASSAY_WINNER_TIE:
    default:
      return 0;
    }
}

/* As the statistics count it: any judgment on the candidate, or a status
 * on its source other than "to do" and "skipped". */
static gboolean
judged_candidate (AssayItem          *item,
                  AssayItemCandidate *candidate)
{
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i]->touches != NULL && kinds[i]->touches (item, candidate))
      return TRUE;
  return FALSE;
}

/* The kind whose judgments make a block. */
static const AssayKind *
kind_of_block (AssayAdjudicationBlock *block)
{
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i]->shown > 0 && kinds[i]->block == block->kind)
      return kinds[i];
  g_assert_not_reached ();
}

static gboolean
uses_set (AssayAdjudication *self,
          guint              annotator,
          guint              set_index)
{
  return set_index < 64 &&
         (g_array_index (self->uses_sets, guint64, annotator) >> set_index & 1) != 0;
}

static guint
set_index (AssayAdjudication *self,
           AssayLabelSet     *set)
{
  for (guint s = 0; s < self->tmpl->label_sets->len; s++)
    if (g_ptr_array_index (self->tmpl->label_sets, s) == set)
      return s;
  return G_MAXUINT;
}

static gboolean
uses_span_sets (AssayAdjudication *self,
                guint              annotator)
{
  for (guint s = 0; s < self->tmpl->label_sets->len; s++)
    if (((AssayLabelSet *) g_ptr_array_index (self->tmpl->label_sets, s))->scope ==
        ASSAY_SCOPE_SPAN && uses_set (self, annotator, s))
      return TRUE;
  return FALSE;
}

/* Whether a rater who judged the candidate but left the block empty
 * still answered there: a multi-choice label set or the spans, when the
 * rater uses such sets somewhere in the project. */
static gboolean
uses_block_sets (AssayAdjudication      *self,
                 AssayAdjudicationBlock *block,
                 guint                   annotator)
{
  if (block->set != NULL)
    return uses_set (self, annotator, set_index (self, block->set));
  return uses_span_sets (self, annotator);
}

/* `annotator` is an index, or G_MAXUINT for the gold. */
static gboolean
item_has_value (AssayAdjudication      *self,
                AssayAdjudicationBlock *block,
                AssayItem              *item,
                guint                   annotator)
{
  const AssayKind *kind = kind_of_block (block);
  AssayItemCandidate *candidate;

  if (item == NULL)
    return FALSE;
  if (kind->holds (block, item))
    return TRUE;
  if (kind->none_is_an_answer == NULL || !kind->none_is_an_answer (block))
    return FALSE;
  candidate = find_candidate (item, block->candidate_id);
  if (candidate == NULL)
    return FALSE;
  /* The gold is made one block at a time: its empty answer counts once the
   * lead gave it, or once the gold is done (as a rater's done item). */
  if (annotator == G_MAXUINT)
    return block->gold_none || item->status == ASSAY_STATUS_DONE;
  return judged_candidate (item, candidate) && uses_block_sets (self, block, annotator);
}

/* Whether two items that both hold a value in the block hold the same. */
static gboolean
same_value (AssayAdjudicationBlock *block,
            AssayItem              *x,
            AssayItem              *y,
            gboolean                exact)
{
  return kind_of_block (block)->same (block, x, y, exact);
}

/* ---- public ---- */

gboolean
assay_adjudication_has_value (AssayAdjudication      *self,
                              AssayAdjudicationBlock *block,
                              guint                   annotator)
{
  AssayAdjudicationAnnotator *who;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), FALSE);
  g_return_val_if_fail (block != NULL && annotator < self->annotators->len, FALSE);

  who = g_ptr_array_index (self->annotators, annotator);
  return item_has_value (self, block, who->item, annotator);
}

guint
assay_adjudication_count_values (AssayAdjudication      *self,
                                 AssayAdjudicationBlock *block)
{
  guint n = 0;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), 0);

  for (guint i = 0; i < self->annotators->len; i++)
    if (((AssayAdjudicationAnnotator *) g_ptr_array_index (self->annotators, i))->rater &&
        assay_adjudication_has_value (self, block, i))
      n++;
  return n;
}

gboolean
assay_adjudication_gold_has_value (AssayAdjudication      *self,
                                   AssayAdjudicationBlock *block)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), FALSE);

  return item_has_value (self, block, self->gold, G_MAXUINT);
}

gboolean
assay_adjudication_same_as_gold (AssayAdjudication      *self,
                                 AssayAdjudicationBlock *block,
                                 guint                   annotator)
{
  AssayAdjudicationAnnotator *who;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), FALSE);

  if (!assay_adjudication_gold_has_value (self, block) ||
      !assay_adjudication_has_value (self, block, annotator))
    return FALSE;
  who = g_ptr_array_index (self->annotators, annotator);
  return same_value (block, self->gold, who->item, FALSE);
}

int
assay_adjudication_gold_source (AssayAdjudication      *self,
                                AssayAdjudicationBlock *block)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), -1);

  if (!assay_adjudication_gold_has_value (self, block))
    return -1;
  for (guint i = 0; i < self->annotators->len; i++)
    {
      AssayAdjudicationAnnotator *who = g_ptr_array_index (self->annotators, i);

      if (assay_adjudication_has_value (self, block, i) &&
          same_value (block, self->gold, who->item, TRUE))
        return i;
    }
  return -1;
}

int
assay_adjudication_agreed_annotator (AssayAdjudication      *self,
                                     AssayAdjudicationBlock *block)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), -1);

  if (block->disagreement)
    return -1;
  for (guint i = 0; i < self->annotators->len; i++)
    if (((AssayAdjudicationAnnotator *) g_ptr_array_index (self->annotators, i))->rater &&
        assay_adjudication_has_value (self, block, i))
      return i;
  return -1;
}

guint
assay_adjudication_count_disagreements (AssayAdjudication *self,
                                        guint             *settled)
{
  guint n = 0, done = 0;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), 0);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      AssayAdjudicationBlock *block = g_ptr_array_index (self->blocks, i);

      if (!block->disagreement)
        continue;
      n++;
      if (assay_adjudication_gold_has_value (self, block))
        done++;
    }
  if (settled != NULL)
    *settled = done;
  return n;
}

gboolean
assay_adjudication_wanted_status (AssayAdjudication *self,
                                  AssayStatus       *status)
{
  guint settled = 0, n;
  AssayStatus current, wanted;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), FALSE);

  n = assay_adjudication_count_disagreements (self, &settled);
  if (n == 0 || self->gold == NULL)
    return FALSE;
  current = self->gold->status;
  wanted = settled == n ? ASSAY_STATUS_DONE : ASSAY_STATUS_IN_PROGRESS;
  /* In progress only undoes a done: a new gold stays as the session made it. */
  if (current == wanted || (wanted == ASSAY_STATUS_IN_PROGRESS && current != ASSAY_STATUS_DONE))
    return FALSE;
  if (status != NULL)
    *status = wanted;
  return TRUE;
}

gint64
assay_adjudication_get_source_id (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), 0);
  return self->source_id;
}

AssayTemplate *
assay_adjudication_get_template (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return self->tmpl;
}

AssayItem *
assay_adjudication_get_source (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return self->base;
}

GPtrArray *
assay_adjudication_get_candidates (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return self->candidates;
}

GPtrArray *
assay_adjudication_get_annotators (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return self->annotators;
}

GPtrArray *
assay_adjudication_get_blocks (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return self->blocks;
}

char *
assay_adjudication_candidate_letter (AssayAdjudication *self,
                                     gint64             candidate_id)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return assay_item_candidate_letter (self->base, self->tmpl->blind, candidate_id);
}

AssayItem *
assay_adjudication_get_gold (AssayAdjudication *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION (self), NULL);
  return self->gold;
}

void
assay_adjudication_set_gold (AssayAdjudication *self,
                             AssayItem         *gold)
{
  g_return_if_fail (ASSAY_IS_ADJUDICATION (self));

  if (gold == self->gold)
    return;
  if (gold != NULL)
    assay_item_ref (gold);
  g_clear_pointer (&self->gold, assay_item_unref);
  self->gold = gold;
}

/* ---- loading ---- */

AssayAdjudicationBlock *
_assay_adjudication_block_new (AssayBlockKind kind,
                               gint64         candidate_id)
{
  AssayAdjudicationBlock *block = g_new0 (AssayAdjudicationBlock, 1);

  block->kind = kind;
  block->candidate_id = candidate_id;
  block->units = g_array_new (FALSE, FALSE, sizeof (AssayDisagreement));
  return block;
}

/* Keeps a block that a rater or the gold gave a value in. */
static AssayAdjudicationBlock *
add_block (AssayAdjudication      *self,
           AssayAdjudicationBlock *block)
{
  if (assay_adjudication_count_values (self, block) == 0 &&
      !assay_adjudication_gold_has_value (self, block))
    {
      block_free (block);
      return NULL;
    }
  g_ptr_array_add (self->blocks, block);
  return block;
}

static int
compare_shown (gconstpointer a,
               gconstpointer b)
{
  const AssayKind *x = *(const AssayKind **) a, *y = *(const AssayKind **) b;

  return x->shown - y->shown;
}

static void
build_blocks (AssayAdjudication *self)
{
  g_autoptr(GPtrArray) adjudicated = g_ptr_array_new ();
  g_autoptr(GPtrArray) made = g_ptr_array_new ();
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i]->shown > 0)
      g_ptr_array_add (adjudicated, (gpointer) kinds[i]);
  g_ptr_array_sort (adjudicated, compare_shown);

  /* Each candidate's blocks, in display order, then the source's. */
  for (guint c = 0; c < self->candidates->len; c++)
    for (guint k = 0; k < adjudicated->len; k++)
      {
        const AssayKind *kind = g_ptr_array_index (adjudicated, k);

        if (kind->scope == ASSAY_KIND_OF_CANDIDATE)
          kind->blocks (self->tmpl, self->candidates, g_ptr_array_index (self->candidates, c),
                        made);
      }
  for (guint k = 0; k < adjudicated->len; k++)
    {
      const AssayKind *kind = g_ptr_array_index (adjudicated, k);

      if (kind->scope == ASSAY_KIND_OF_SOURCE)
        kind->blocks (self->tmpl, self->candidates, NULL, made);
    }

  /* Whatever anyone judged is shown, even of a kind the template no
   * longer asks for: a block is kept only if someone gave a value. */
  for (guint i = 0; i < made->len; i++)
    add_block (self, g_ptr_array_index (made, i));
}

static AssayAdjudicationBlock *
block_of_unit (AssayAdjudication       *self,
               AssayAgreementStat      *stat,
               const AssayDisagreement *unit)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      AssayAdjudicationBlock *block = g_ptr_array_index (self->blocks, i);
      gboolean match = FALSE;

      switch (stat->kind)
        {
        case ASSAY_STAT_LABELS:
          match = block->kind == ASSAY_BLOCK_LABELS && block->set->id == stat->id &&
                  block->candidate_id == unit->candidate_id;
          break;
        case ASSAY_STAT_CRITERION:
          match = block->kind == ASSAY_BLOCK_SCORE && block->criterion->id == stat->id &&
                  block->candidate_id == unit->candidate_id;
          break;
        case ASSAY_STAT_SPANS:
          match = block->kind == ASSAY_BLOCK_SPANS && block->candidate_id == unit->candidate_id;
          break;
        case ASSAY_STAT_CORRECTION:
          match = block->kind == ASSAY_BLOCK_CORRECTION &&
                  block->candidate_id == unit->candidate_id;
          break;
        case ASSAY_STAT_RANKING:
          match = block->kind == ASSAY_BLOCK_RANKING;
          break;
        case ASSAY_STAT_COMPARISON:
          match = block->kind == ASSAY_BLOCK_COMPARISON &&
                  ((block->a == unit->candidate_id && block->b == unit->other_id) ||
                   (block->b == unit->candidate_id && block->a == unit->other_id));
          break;
        default:
          break;
        }
      if (match)
        return block;
    }
  return NULL;
}

static gboolean
load_on (AssayAdjudication  *self,
         AssayProject       *project,
         const char         *gold_ext_id,
         GCancellable       *cancellable,
         GError            **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GArray) order = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayAgreementReport) report = NULL;
  gint64 gold_id;

  self->tmpl = assay_project_load_template (project, error);
  if (self->tmpl == NULL)
    return FALSE;
  infos = assay_project_list_item_annotators (project, self->source_id, error);
  if (infos == NULL)
    return FALSE;
  self->base = assay_project_load_item (project, self->source_id, 0, error);
  if (self->base == NULL)
    return FALSE;

  order = assay_item_display_order (self->base, self->tmpl->blind);
  for (guint i = 0; i < order->len; i++)
    g_ptr_array_add (self->candidates,
                     g_ptr_array_index (self->base->candidates, g_array_index (order, guint, i)));

  /* The same units as the statistics of the whole project give. */
  data = _assay_stats_data_load_source (project, self->source_id, cancellable, error);
  if (data == NULL)
    return FALSE;
  /* The lead settles gold seeing every rater, the LLM judges' proposals
   * among them: people and models, whatever the agreement's default. */
  {
    AssayStatsOptions options;

    assay_stats_options_init (&options);
    options.kinds = ASSAY_STATS_RATERS;
    report = assay_stats_compute_agreement (data, &options, cancellable, error);
  }
  if (report == NULL)
    return FALSE;

  gold_id = gold_ext_id != NULL ? assay_project_lookup_annotator (project, gold_ext_id) : 0;
  for (guint i = 0; i < infos->len; i++)
    {
      AssayAnnotatorInfo *info = g_ptr_array_index (infos, i);
      AssayAdjudicationAnnotator *annotator;
      guint64 uses = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (info->id == gold_id)
        continue;
      annotator = g_new0 (AssayAdjudicationAnnotator, 1);
      annotator->item = assay_project_load_item (project, self->source_id, info->id, error);
      if (annotator->item == NULL)
        {
          annotator_free (annotator);
          return FALSE;
        }
      annotator->id = info->id;
      annotator->ext_id = g_strdup (info->ext_id);
      annotator->name = g_strdup (info->name != NULL && *info->name != '\0' ? info->name
                                                                            : info->ext_id);
      annotator->kind = info->kind;
      annotator->rater = info->kind != ASSAY_ANNOTATOR_ADJUDICATOR;
      g_ptr_array_add (self->annotators, annotator);
      for (guint s = 0; s < self->tmpl->label_sets->len && s < 64; s++)
        if (_assay_stats_data_uses_set (data, info->id,
                                        ((AssayLabelSet *) g_ptr_array_index (
                                           self->tmpl->label_sets, s))->id))
          uses |= G_GUINT64_CONSTANT (1) << s;
      g_array_append_val (self->uses_sets, uses);
    }

  if (gold_id != 0)
    {
      self->gold = assay_project_load_item (project, self->source_id, gold_id, error);
      if (self->gold == NULL)
        return FALSE;
    }

  build_blocks (self);
  for (guint i = 0; i < report->items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);

      for (guint u = 0; u < item->units->len; u++)
        {
          const AssayDisagreement *unit = &g_array_index (item->units, AssayDisagreement, u);
          AssayAdjudicationBlock *block;

          block = block_of_unit (self, g_ptr_array_index (report->stats, unit->stat), unit);
          /* Every disagreeing unit has raters' values in its block. */
          if (block == NULL)
            {
              g_critical ("A disagreement on source %" G_GINT64_FORMAT " has no block",
                          self->source_id);
              continue;
            }
          g_array_append_val (block->units, *unit);
          block->disagreement = TRUE;
        }
    }
  return TRUE;
}

AssayAdjudication *
assay_adjudication_load (AssayProject  *project,
                         gint64         source_id,
                         const char    *gold_ext_id,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(AssayAdjudication) self = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ASSAY_TYPE_ADJUDICATION, NULL);
  self->source_id = source_id;
  if (!load_on (self, project, gold_ext_id, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  char   *path;
  gint64  source_id;
  char   *gold_ext_id;
} LoadTask;

static void
load_task_free (LoadTask *lt)
{
  g_free (lt->path);
  g_free (lt->gold_ext_id);
  g_free (lt);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadTask *lt = task_data;
  g_autoptr(AssayProject) project = NULL;
  AssayAdjudication *self = NULL;
  GError *error = NULL;

  project = assay_project_open_full (lt->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  if (project != NULL)
    self = assay_adjudication_load (project, lt->source_id, lt->gold_ext_id, cancellable, &error);
  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
assay_adjudication_load_async (AssayProject        *project,
                               gint64               source_id,
                               const char          *gold_ext_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadTask *lt;

  g_return_if_fail (ASSAY_IS_PROJECT (project));

  lt = g_new0 (LoadTask, 1);
  lt->path = g_strdup (assay_project_get_path (project));
  lt->source_id = source_id;
  lt->gold_ext_id = g_strdup (gold_ext_id);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_adjudication_load_async);
  g_task_set_task_data (task, lt, (GDestroyNotify) load_task_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_thread);
}

AssayAdjudication *
assay_adjudication_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_adjudication_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
