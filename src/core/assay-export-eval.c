/* assay-export-eval.c: benchmark samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "eval" writes Inspect AI samples that json_dataset() reads as they are:
 * id, input (the system and user messages), target (the gold summary) and
 * metadata. The metadata carries the rubric (criteria with their scales,
 * anchors and weights) and every expert score, label and rank on the
 * source's candidates, so that a model-graded scorer can be shown what
 * good looks like. "openai-evals" writes openai/evals samples: input and
 * ideal, with metadata only when provenance=true.
 *
 * Only sources with a gold summary become samples.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-export-common-private.h"
#include "assay-json.h"

static void
append_member_string (GString    *b,
                      const char *name,
                      const char *value)
{
  g_string_append_printf (b, ",\"%s\":", name);
  _assay_export_append_nullable (b, value);
}

/* The rubric is the same for every sample: written once. */
static GString *
make_rubric (AssayTemplate *tmpl)
{
  GString *b = g_string_new ("[");

  for (guint i = 0; i < tmpl->criteria->len; i++)
    {
      AssayCriterion *c = g_ptr_array_index (tmpl->criteria, i);
      gboolean first = TRUE;

      if (i > 0)
        g_string_append_c (b, ',');
      g_string_append (b, "{\"name\":");
      assay_json_append_string (b, c->name, -1);
      append_member_string (b, "title", c->title);
      append_member_string (b, "description", c->description);
      g_string_append (b, ",\"min\":");
      assay_json_append_int (b, c->min);
      g_string_append (b, ",\"max\":");
      assay_json_append_int (b, c->max);
      g_string_append (b, ",\"weight\":");
      assay_json_append_double (b, c->weight);
      g_string_append_printf (b, ",\"required\":%s,\"anchors\":{", c->required ? "true" : "false");
      for (int v = c->min; v <= c->max; v++)
        {
          const char *anchor = assay_criterion_get_anchor (c, v);

          if (anchor == NULL)
            continue;
          if (!first)
            g_string_append_c (b, ',');
          first = FALSE;
          g_string_append_printf (b, "\"%d\":", v);
          assay_json_append_string (b, anchor, -1);
        }
      g_string_append (b, "}}");
    }
  g_string_append_c (b, ']');
  return b;
}

static void
append_candidates (AssayExportItem *item,
                   GString         *b)
{
  gboolean first_candidate = TRUE;
  guint s = 0, l = 0;

  g_string_append (b, ",\"candidates\":[");
  for (guint c = 0; c < item->candidates->len; c++)
    {
      AssayExportCandidate *candidate = _assay_export_item_candidate (item, c);
      gboolean first;

      if (!candidate->in_scope)
        continue;
      if (!first_candidate)
        g_string_append_c (b, ',');
      first_candidate = FALSE;

      g_string_append (b, "{\"id\":");
      assay_json_append_string (b, candidate->ext_id, -1);
      g_string_append (b, ",\"model\":");
      assay_json_append_string (b, candidate->model, -1);
      g_string_append (b, ",\"text\":");
      assay_json_append_string (b, candidate->text, candidate->text_len);

      /* Scores and labels are sorted by candidate, so each list is a run. */
      g_string_append (b, ",\"scores\":[");
      for (first = TRUE; s < item->scores->len; s++)
        {
          AssayExportScore *r = &g_array_index (item->scores, AssayExportScore, s);

          if (r->j.candidate != c)
            break;
          if (!first)
            g_string_append_c (b, ',');
          first = FALSE;
          g_string_append (b, "{\"annotator\":");
          assay_json_append_string (b, r->j.annotator->ext_id, -1);
          g_string_append (b, ",\"criterion\":");
          assay_json_append_string (b, r->criterion->name, -1);
          g_string_append (b, ",\"score\":");
          assay_json_append_int (b, r->value);
          append_member_string (b, "rationale", r->rationale);
          g_string_append_c (b, '}');
        }

      g_string_append (b, "],\"labels\":[");
      for (first = TRUE; l < item->labels->len; l++)
        {
          AssayExportLabel *r = &g_array_index (item->labels, AssayExportLabel, l);

          if (r->j.candidate != c)
            break;
          if (!first)
            g_string_append_c (b, ',');
          first = FALSE;
          g_string_append (b, "{\"annotator\":");
          assay_json_append_string (b, r->j.annotator->ext_id, -1);
          g_string_append (b, ",\"label_set\":");
          assay_json_append_string (b, r->set->name, -1);
          g_string_append (b, ",\"label\":");
          assay_json_append_string (b, r->option->name, -1);
          g_string_append_c (b, '}');
        }

      g_string_append (b, "],\"ranks\":[");
      first = TRUE;
      for (guint k = 0; k < item->ranks->len; k++)
        {
          AssayExportRank *r = &g_array_index (item->ranks, AssayExportRank, k);

          if (r->j.candidate != c)
            continue;
          if (!first)
            g_string_append_c (b, ',');
          first = FALSE;
          g_string_append (b, "{\"annotator\":");
          assay_json_append_string (b, r->j.annotator->ext_id, -1);
          g_string_append (b, ",\"rank\":");
          assay_json_append_int (b, r->rank);
          g_string_append_c (b, '}');
        }
      g_string_append (b, "]}");
    }
  g_string_append_c (b, ']');
}

static gboolean
write_samples (AssayProject        *project,
               AssayExportOptions  *options,
               AssayExportSink     *sink,
               gboolean             inspect,
               GError             **error)
{
  g_autoptr(AssayExportContext) ctx = NULL;
  g_autoptr(GString) rubric = NULL;
  gboolean provenance = inspect || _assay_export_options_get_boolean (options, "provenance");
  AssayExportNeeds needs = ASSAY_EXPORT_NEED_GOLD | ASSAY_EXPORT_NEED_SOURCE_TEXT;
  AssayExportItem *item;
  GError *local_error = NULL;

  if (inspect)
    needs |= ASSAY_EXPORT_NEED_SCORES | ASSAY_EXPORT_NEED_LABELS | ASSAY_EXPORT_NEED_RANKS;
  ctx = _assay_export_context_new (project, options, sink, needs, error);
  if (ctx == NULL)
    return FALSE;
  rubric = make_rubric (_assay_export_context_get_template (ctx));

  while ((item = _assay_export_context_next (ctx, &local_error)) != NULL)
    {
      AssayExportGold gold;
      GString *b;

      if (!_assay_export_select_gold (ctx, item, &gold))
        continue;

      b = sink->buf;
      if (inspect)
        {
          g_string_append (b, "{\"id\":");
          assay_json_append_string (b, item->ext_id, -1);
          g_string_append (b, ",\"input\":[");
        }
      else
        g_string_append (b, "{\"input\":[");
      _assay_export_append_prompt (ctx, item, TRUE, b);
      g_string_append (b, inspect ? "],\"target\":" : "],\"ideal\":");
      assay_json_append_string (b, gold.text, gold.text_len);

      if (provenance)
        {
          g_string_append (b, ",\"metadata\":");
          _assay_export_append_gold_metadata (ctx, item, &gold, b);
        }
      if (inspect)
        {
          /* Reopen the metadata object to add what a grader needs. */
          g_string_truncate (b, b->len - 1);
          g_string_append (b, ",\"source_metadata\":");
          g_string_append (b, item->metadata != NULL ? item->metadata : "{}");
          g_string_append (b, ",\"rubric\":");
          g_string_append_len (b, rubric->str, rubric->len);
          append_candidates (item, b);
          g_string_append_c (b, '}');
        }
      g_string_append (b, "}\n");
      sink->n_records++;
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_eval (AssayProject        *project,
            AssayExportOptions  *options,
            AssayExportSink     *sink,
            GError             **error)
{
  return write_samples (project, options, sink, TRUE, error);
}

static gboolean
write_openai_evals (AssayProject        *project,
                    AssayExportOptions  *options,
                    AssayExportSink     *sink,
                    GError             **error)
{
  return write_samples (project, options, sink, FALSE, error);
}

const AssayExportFormat _assay_export_eval = {
  "eval",
  N_("Benchmark samples for Inspect AI: input, target (the gold summary) and the rubric, scores "
     "and labels as metadata"),
  "jsonl",
  write_eval,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS | ASSAY_EXPORT_FORMAT_GOLD,
  N_("Inspect AI benchmark"),
  N_("For Inspect AI."),
};

const AssayExportFormat _assay_export_openai_evals = {
  "openai-evals",
  N_("Samples for openai/evals: input and ideal (the gold summary)"),
  "jsonl",
  write_openai_evals,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS | ASSAY_EXPORT_FORMAT_GOLD |
  ASSAY_EXPORT_FORMAT_PROVENANCE,
  N_("openai/evals samples"),
  N_("For openai/evals."),
};
