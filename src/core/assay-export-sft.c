/* assay-export-sft.c: chat fine-tuning records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One record per source that has a gold summary: the template's system
 * prompt, the filled prompt template as the user turn and the gold summary
 * as the assistant turn, in OpenAI's chat format ({"messages": [...]}), or
 * as TRL's prompt-completion pair (style=prompt-completion; strings, or
 * message lists with conversational=true).
 *
 * OpenAI's upload check may refuse keys it does not know, so the messages
 * style writes "metadata" only when provenance=true; TRL ignores extra
 * columns, so the prompt-completion style always writes it.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-export-common-private.h"
#include "assay-json.h"

static gboolean
write_sft (AssayProject        *project,
           AssayExportOptions  *options,
           AssayExportSink     *sink,
           GError             **error)
{
  g_autoptr(AssayExportContext) ctx = NULL;
  gboolean completion = g_strcmp0 (assay_export_options_get (options, "style"),
                                   "prompt-completion") == 0;
  gboolean conversational = _assay_export_options_get_boolean (options, "conversational");
  gboolean provenance = completion || _assay_export_options_get_boolean (options, "provenance");
  AssayExportItem *item;
  GError *local_error = NULL;

  ctx = _assay_export_context_new (project, options, sink,
                                   ASSAY_EXPORT_NEED_GOLD | ASSAY_EXPORT_NEED_SOURCE_TEXT, error);
  if (ctx == NULL)
    return FALSE;

  while ((item = _assay_export_context_next (ctx, &local_error)) != NULL)
    {
      AssayExportGold gold;
      GString *b;

      if (!_assay_export_select_gold (ctx, item, &gold))
        continue;

      b = sink->buf;
      if (!completion)
        {
          g_string_append (b, "{\"messages\":[");
          _assay_export_append_prompt (ctx, item, TRUE, b);
          g_string_append (b, ",{\"role\":\"assistant\",\"content\":");
          assay_json_append_string (b, gold.text, gold.text_len);
          g_string_append (b, "}]");
        }
      else if (conversational)
        {
          g_string_append (b, "{\"prompt\":[");
          _assay_export_append_prompt (ctx, item, TRUE, b);
          g_string_append (b, "],\"completion\":[{\"role\":\"assistant\",\"content\":");
          assay_json_append_string (b, gold.text, gold.text_len);
          g_string_append (b, "}]");
        }
      else
        {
          g_string_append (b, "{\"prompt\":");
          _assay_export_append_prompt (ctx, item, FALSE, b);
          g_string_append (b, ",\"completion\":");
          assay_json_append_string (b, gold.text, gold.text_len);
        }

      if (provenance)
        {
          g_string_append (b, ",\"metadata\":");
          _assay_export_append_gold_metadata (ctx, item, &gold, b);
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

const AssayExportFormat _assay_export_sft = {
  "sft",
  N_("Chat fine-tuning: one record per source with a gold summary, in OpenAI’s messages format "
     "or TRL’s prompt-completion"),
  "jsonl",
  write_sft,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS | ASSAY_EXPORT_FORMAT_GOLD |
  ASSAY_EXPORT_FORMAT_STYLE | ASSAY_EXPORT_FORMAT_CONVERSATIONAL | ASSAY_EXPORT_FORMAT_PROVENANCE,
  N_("Supervised fine-tuning"),
  N_("For OpenAI and TRL fine-tuning."),
};
