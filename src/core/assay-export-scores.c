/* assay-export-scores.c: rubric scores as a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per candidate, annotator and criterion, for spreadsheets and
 * pandas: as JSONL ("scores", one object per row with a "metadata" object
 * for what is not a column) or as CSV ("scores-csv": RFC 4180, a header
 * row, UTF-8 without a byte order mark, CRLF line ends, fields quoted only
 * when they must be).
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-export-common-private.h"
#include "assay-json.h"

static const char csv_header[] =
  "source,candidate,model,annotator,annotator_kind,criterion,score,scale_min,scale_max,weight,"
  "rationale,updated\r\n";

static void
append_csv_field (GString    *b,
                  const char *value)
{
  const char *p;

  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (b, value);
      return;
    }
  g_string_append_c (b, '"');
  for (p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (b, '"');
      g_string_append_c (b, *p);
    }
  g_string_append_c (b, '"');
}

static void
append_csv_row (AssayExportItem  *item,
                AssayExportScore *s,
                GString          *b)
{
  AssayExportCandidate *c = _assay_export_item_candidate (item, s->j.candidate);
  char number[64];

  append_csv_field (b, item->ext_id);
  g_string_append_c (b, ',');
  append_csv_field (b, c->ext_id);
  g_string_append_c (b, ',');
  append_csv_field (b, c->model);
  g_string_append_c (b, ',');
  append_csv_field (b, s->j.annotator->ext_id);
  g_string_append_c (b, ',');
  g_string_append (b, assay_annotator_kind_to_string (s->j.annotator->kind));
  g_string_append_c (b, ',');
  append_csv_field (b, s->criterion->name);
  g_snprintf (number, sizeof number, ",%d,%d,%d,", s->value, s->criterion->min, s->criterion->max);
  g_string_append (b, number);
  assay_json_append_double (b, s->criterion->weight);
  g_string_append_c (b, ',');
  append_csv_field (b, s->rationale);
  g_string_append_c (b, ',');
  append_csv_field (b, s->j.updated);
  g_string_append (b, "\r\n");
}

static void
append_json_row (AssayExportContext *ctx,
                 AssayExportItem    *item,
                 AssayExportScore   *s,
                 GString            *b)
{
  AssayExportCandidate *c = _assay_export_item_candidate (item, s->j.candidate);

  g_string_append (b, "{\"source\":");
  assay_json_append_string (b, item->ext_id, -1);
  g_string_append (b, ",\"candidate\":");
  assay_json_append_string (b, c->ext_id, -1);
  g_string_append (b, ",\"model\":");
  assay_json_append_string (b, c->model, -1);
  g_string_append (b, ",\"annotator\":");
  assay_json_append_string (b, s->j.annotator->ext_id, -1);
  g_string_append (b, ",\"annotator_kind\":\"");
  g_string_append (b, assay_annotator_kind_to_string (s->j.annotator->kind));
  g_string_append (b, "\",\"criterion\":");
  assay_json_append_string (b, s->criterion->name, -1);
  g_string_append (b, ",\"score\":");
  assay_json_append_int (b, s->value);
  g_string_append (b, ",\"scale_min\":");
  assay_json_append_int (b, s->criterion->min);
  g_string_append (b, ",\"scale_max\":");
  assay_json_append_int (b, s->criterion->max);
  g_string_append (b, ",\"weight\":");
  assay_json_append_double (b, s->criterion->weight);
  g_string_append (b, ",\"rationale\":");
  _assay_export_append_nullable (b, s->rationale);
  g_string_append (b, ",\"updated\":");
  assay_json_append_string (b, s->j.updated, -1);
  g_string_append (b, ",\"metadata\":{\"created\":");
  assay_json_append_string (b, s->j.created, -1);
  g_string_append (b, ",\"time_spent\":");
  assay_json_append_double (b, s->j.time_spent);
  g_string_append_c (b, ',');
  _assay_export_append_template_members (ctx, item, b);
  g_string_append (b, "}}\n");
}

static gboolean
write_rows (AssayProject        *project,
            AssayExportOptions  *options,
            AssayExportSink     *sink,
            gboolean             csv,
            GError             **error)
{
  g_autoptr(AssayExportContext) ctx = NULL;
  AssayExportItem *item;
  GError *local_error = NULL;

  ctx = _assay_export_context_new (project, options, sink, ASSAY_EXPORT_NEED_SCORES, error);
  if (ctx == NULL)
    return FALSE;

  /* Every file gets its header, even one that no row goes to. */
  if (csv)
    for (guint i = 0; i < sink->n_parts; i++)
      {
        _assay_export_sink_select (sink, i);
        g_string_append (sink->buf, csv_header);
      }

  while ((item = _assay_export_context_next (ctx, &local_error)) != NULL)
    {
      GString *b = sink->buf;

      for (guint i = 0; i < item->scores->len; i++)
        {
          AssayExportScore *s = &g_array_index (item->scores, AssayExportScore, i);

          if (csv)
            append_csv_row (item, s, b);
          else
            append_json_row (ctx, item, s, b);
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
write_scores (AssayProject        *project,
              AssayExportOptions  *options,
              AssayExportSink     *sink,
              GError             **error)
{
  return write_rows (project, options, sink, FALSE, error);
}

static gboolean
write_scores_csv (AssayProject        *project,
                  AssayExportOptions  *options,
                  AssayExportSink     *sink,
                  GError             **error)
{
  return write_rows (project, options, sink, TRUE, error);
}

const AssayExportFormat _assay_export_scores = {
  "scores",
  N_("Rubric scores, one row per candidate, annotator and criterion, as JSONL"),
  "jsonl",
  write_scores,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS,
  N_("Rubric scores (JSONL)"),
  N_("For pandas, Hugging Face datasets and your own analyses."),
};

const AssayExportFormat _assay_export_scores_csv = {
  "scores-csv",
  N_("The same rows as CSV, for spreadsheets and pandas"),
  "csv",
  write_scores_csv,
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS | ASSAY_EXPORT_FORMAT_FILTERS,
  N_("Rubric scores (CSV)"),
  N_("For LibreOffice Calc, Excel, pandas and R."),
};
