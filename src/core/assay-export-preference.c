/* assay-export-preference.c: chosen/rejected pairs for preference tuning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pairs come from three kinds of judgment, each pair from one annotator:
 *   - a ranking gives every pair of candidates it orders strictly (the
 *     better rank is chosen; tied candidates give no pair);
 *   - a comparison gives its winner over the other side (ties give none);
 *   - a correction is chosen over the candidate it corrects.
 * The same pair from one annotator (a ranking and a comparison that agree)
 * is written once, with both origins. A pair whose two texts are the same
 * teaches nothing and is left out.
 *
 * "preference" is TRL's explicit-prompt preference format: prompt, chosen
 * and rejected as strings, or as message lists with conversational=true;
 * it always carries "metadata". "dpo-openai" is OpenAI's preference
 * fine-tuning format, with "metadata" only when provenance=true.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-export-common-private.h"
#include "assay-json.h"

typedef enum
{
  ORIGIN_CORRECTION = 1 << 0,
  ORIGIN_RANKING    = 1 << 1,
  ORIGIN_COMPARISON = 1 << 2,
} Origin;

typedef struct
{
  const AssayExportAnnotator *annotator;
  guint                       chosen;       /* candidate index; for a correction, the one corrected */
  guint                       rejected;
  gboolean                    correction;   /* the chosen text is an expert's correction */
  const char                 *chosen_text;
  gsize                       chosen_len;
  const char                 *rejected_text;
  gsize                       rejected_len;
  guint                       origins;
  const char                 *rationale;
  const char                 *created;
  const char                 *updated;
} Pair;

typedef enum
{
  STYLE_TRL,
  STYLE_TRL_CONVERSATIONAL,
  STYLE_OPENAI,
} Style;

static gboolean
same_text (const char *a,
           gsize       a_len,
           const char *b,
           gsize       b_len)
{
  return a_len == b_len && memcmp (a, b, a_len) == 0;
}

static const char *
earlier (const char *a,
         const char *b)
{
  return strcmp (a, b) <= 0 ? a : b;
}

static const char *
later (const char *a,
       const char *b)
{
  return strcmp (a, b) >= 0 ? a : b;
}

static void
add_pair (GArray *pairs,
          Pair   *pair)
{
  if (same_text (pair->chosen_text, pair->chosen_len, pair->rejected_text, pair->rejected_len))
    return;

  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *other = &g_array_index (pairs, Pair, i);

      if (other->annotator == pair->annotator &&
          same_text (other->chosen_text, other->chosen_len, pair->chosen_text, pair->chosen_len) &&
          same_text (other->rejected_text, other->rejected_len, pair->rejected_text,
                     pair->rejected_len))
        {
          other->origins |= pair->origins;
          other->created = earlier (other->created, pair->created);
          other->updated = later (other->updated, pair->updated);
          if (other->rationale == NULL)
            other->rationale = pair->rationale;
          return;
        }
    }
  g_array_append_val (pairs, *pair);
}

static const char *
candidate_text (AssayExportItem *item,
                guint            index,
                gsize           *len)
{
  AssayExportCandidate *c = _assay_export_item_candidate (item, index);

  *len = c->text_len;
  return c->text;
}

static void
collect_pairs (AssayExportItem *item,
               GArray          *pairs)
{
  g_array_set_size (pairs, 0);

  for (guint i = 0; i < item->corrections->len; i++)
    {
      AssayExportCorrection *r = &g_array_index (item->corrections, AssayExportCorrection, i);
      Pair pair = { r->j.annotator, r->j.candidate, r->j.candidate, TRUE };

      pair.chosen_text = r->text;
      pair.chosen_len = r->text_len;
      pair.rejected_text = candidate_text (item, r->j.candidate, &pair.rejected_len);
      pair.origins = ORIGIN_CORRECTION;
      pair.created = r->j.created;
      pair.updated = r->j.updated;
      add_pair (pairs, &pair);
    }

  /* Rankings are sorted by annotator, then rank: every later row of the
   * same annotator with a larger rank is worse. */
  for (guint i = 0; i < item->ranks->len; i++)
    {
      AssayExportRank *better = &g_array_index (item->ranks, AssayExportRank, i);

      for (guint k = i + 1; k < item->ranks->len; k++)
        {
          AssayExportRank *worse = &g_array_index (item->ranks, AssayExportRank, k);
          Pair pair = { better->j.annotator, better->j.candidate, worse->j.candidate, FALSE };

          if (worse->j.annotator != better->j.annotator)
            break;
          if (worse->rank == better->rank)
            continue;
          pair.chosen_text = candidate_text (item, better->j.candidate, &pair.chosen_len);
          pair.rejected_text = candidate_text (item, worse->j.candidate, &pair.rejected_len);
          pair.origins = ORIGIN_RANKING;
          pair.created = earlier (better->j.created, worse->j.created);
          pair.updated = later (better->j.updated, worse->j.updated);
          add_pair (pairs, &pair);
        }
    }

  for (guint i = 0; i < item->comparisons->len; i++)
    {
      AssayExportComparison *r = &g_array_index (item->comparisons, AssayExportComparison, i);
      Pair pair = { r->j.annotator };

      if (r->winner == ASSAY_WINNER_TIE)
        continue;
      pair.chosen = r->winner == ASSAY_WINNER_A ? r->j.candidate : r->b;
      pair.rejected = r->winner == ASSAY_WINNER_A ? r->b : r->j.candidate;
      pair.chosen_text = candidate_text (item, pair.chosen, &pair.chosen_len);
      pair.rejected_text = candidate_text (item, pair.rejected, &pair.rejected_len);
      pair.origins = ORIGIN_COMPARISON;
      pair.rationale = r->rationale;
      pair.created = r->j.created;
      pair.updated = r->j.updated;
      add_pair (pairs, &pair);
    }
}

/* By the chosen candidate's position, the rejected one's, corrections
 * first, then annotator id. */
static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *x = a;
  const Pair *y = b;

  if (x->chosen != y->chosen)
    return x->chosen < y->chosen ? -1 : 1;
  if (x->rejected != y->rejected)
    return x->rejected < y->rejected ? -1 : 1;
  if (x->correction != y->correction)
    return x->correction ? -1 : 1;
  if (x->annotator->order != y->annotator->order)
    return x->annotator->order < y->annotator->order ? -1 : 1;
  return 0;
}

static void
append_metadata (AssayExportContext *ctx,
                 AssayExportItem    *item,
                 Pair               *pair,
                 GString            *b)
{
  static const char * const origin_names[] = { "correction", "ranking", "comparison" };
  AssayExportCandidate *chosen = _assay_export_item_candidate (item, pair->chosen);
  AssayExportCandidate *rejected = _assay_export_item_candidate (item, pair->rejected);
  gboolean first = TRUE;

  g_string_append (b, "{\"source\":");
  assay_json_append_string (b, item->ext_id, -1);
  g_string_append (b, ",\"annotator\":");
  assay_json_append_string (b, pair->annotator->ext_id, -1);
  g_string_append (b, ",\"annotator_kind\":\"");
  g_string_append (b, assay_annotator_kind_to_string (pair->annotator->kind));
  g_string_append (b, "\",\"origin\":[");
  for (guint i = 0; i < G_N_ELEMENTS (origin_names); i++)
    if (pair->origins & (1u << i))
      {
        if (!first)
          g_string_append_c (b, ',');
        first = FALSE;
        g_string_append_printf (b, "\"%s\"", origin_names[i]);
      }
  g_string_append (b, "],\"chosen_candidate\":");
  assay_json_append_string (b, chosen->ext_id, -1);
  g_string_append (b, ",\"chosen_model\":");
  _assay_export_append_nullable (b, pair->correction ? NULL : chosen->model);
  g_string_append (b, ",\"rejected_candidate\":");
  assay_json_append_string (b, rejected->ext_id, -1);
  g_string_append (b, ",\"rejected_model\":");
  assay_json_append_string (b, rejected->model, -1);
  g_string_append (b, ",\"rationale\":");
  _assay_export_append_nullable (b, pair->rationale);
  g_string_append (b, ",\"created\":");
  assay_json_append_string (b, pair->created, -1);
  g_string_append (b, ",\"updated\":");
  assay_json_append_string (b, pair->updated, -1);
  g_string_append_c (b, ',');
  _assay_export_append_template_members (ctx, item, b);
  g_string_append_c (b, '}');
}

static void
append_assistant (GString    *b,
                  const char *text,
                  gsize       len)
{
  g_string_append (b, "[{\"role\":\"assistant\",\"content\":");
  assay_json_append_string (b, text, len);
  g_string_append (b, "}]");
}

static gboolean
write_pairs (AssayProject        *project,
             AssayExportOptions  *options,
             AssayExportSink     *sink,
             Style                style,
             GError             **error)
{
  g_autoptr(AssayExportContext) ctx = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  gboolean provenance = style != STYLE_OPENAI ||
                        _assay_export_options_get_boolean (options, "provenance");
  AssayExportItem *item;
  GError *local_error = NULL;

  ctx = _assay_export_context_new (project, options, sink,
                                   ASSAY_EXPORT_NEED_SOURCE_TEXT |
                                   ASSAY_EXPORT_NEED_CANDIDATE_TEXT |
                                   ASSAY_EXPORT_NEED_CORRECTIONS | ASSAY_EXPORT_NEED_RANKS |
                                   ASSAY_EXPORT_NEED_COMPARISONS,
                                   error);
  if (ctx == NULL)
    return FALSE;

  while ((item = _assay_export_context_next (ctx, &local_error)) != NULL)
    {
      const GString *prompt;

      collect_pairs (item, pairs);
      if (pairs->len == 0)
        continue;
      g_array_sort (pairs, compare_pairs);
      prompt = style == STYLE_TRL ? _assay_export_prompt_string (ctx, item)
                                  : _assay_export_prompt_messages (ctx, item);

      for (guint i = 0; i < pairs->len; i++)
        {
          Pair *pair = &g_array_index (pairs, Pair, i);
          GString *b = sink->buf;

          switch (style)
            {
            case STYLE_TRL:
              g_string_append (b, "{\"prompt\":");
              g_string_append_len (b, prompt->str, prompt->len);
              g_string_append (b, ",\"chosen\":");
              assay_json_append_string (b, pair->chosen_text, pair->chosen_len);
              g_string_append (b, ",\"rejected\":");
              assay_json_append_string (b, pair->rejected_text, pair->rejected_len);
              break;

            case STYLE_TRL_CONVERSATIONAL:
              g_string_append (b, "{\"prompt\":[");
              g_string_append_len (b, prompt->str, prompt->len);
              g_string_append (b, "],\"chosen\":");
              append_assistant (b, pair->chosen_text, pair->chosen_len);
              g_string_append (b, ",\"rejected\":");
              append_assistant (b, pair->rejected_text, pair->rejected_len);
              break;

            case STYLE_OPENAI:
            default:
              g_string_append (b, "{\"input\":{\"messages\":[");
              g_string_append_len (b, prompt->str, prompt->len);
              g_string_append (b, "]},\"preferred_output\":");
              append_assistant (b, pair->chosen_text, pair->chosen_len);
              g_string_append (b, ",\"non_preferred_output\":");
              append_assistant (b, pair->rejected_text, pair->rejected_len);
              break;
            }

          if (provenance)
            {
              g_string_append (b, ",\"metadata\":");
              append_metadata (ctx, item, pair, b);
            }
          g_string_append (b, "}\n");
          sink->n_records++;
        }
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_preference (AssayProject        *project,
                  AssayExportOptions  *options,
                  AssayExportSink     *sink,
                  GError             **error)
{
  Style style = _assay_export_options_get_boolean (options, "conversational")
                ? STYLE_TRL_CONVERSATIONAL : STYLE_TRL;

  return write_pairs (project, options, sink, style, error);
}

static gboolean
write_dpo_openai (AssayProject        *project,
                  AssayExportOptions  *options,
                  AssayExportSink     *sink,
                  GError             **error)
{
  return write_pairs (project, options, sink, STYLE_OPENAI, error);
}

const AssayExportFormat _assay_export_preference = {
  "preference",
  N_("Preference pairs for DPO and reward models (TRL): prompt, chosen, rejected, from rankings, "
     "comparisons and corrections"),
  "jsonl",
  write_preference,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS |
  ASSAY_EXPORT_FORMAT_CONVERSATIONAL,
  N_("Preference pairs"),
  N_("For TRL DPO and reward modelling."),
};

const AssayExportFormat _assay_export_dpo_openai = {
  "dpo-openai",
  N_("The same pairs in OpenAI’s preference fine-tuning format"),
  "jsonl",
  write_dpo_openai,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS |
  ASSAY_EXPORT_FORMAT_PROVENANCE,
  N_("OpenAI preference pairs"),
  N_("For OpenAI preference fine-tuning."),
};
