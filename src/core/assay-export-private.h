/* assay-export-private.h: the writers, for assay-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-export.h"

G_BEGIN_DECLS

extern const AssayExportFormat _assay_export_native;
extern const AssayExportFormat _assay_export_sft;
extern const AssayExportFormat _assay_export_preference;
extern const AssayExportFormat _assay_export_dpo_openai;
extern const AssayExportFormat _assay_export_eval;
extern const AssayExportFormat _assay_export_openai_evals;
extern const AssayExportFormat _assay_export_scores;
extern const AssayExportFormat _assay_export_scores_csv;

/* The filters and splits of the options, for assay-export-common.c. */
typedef struct
{
  char   *name;
  double  upper;    /* the split takes hash values below this (and at or above the previous) */
} AssayExportSplit;

typedef struct
{
  char *label_set;
  char *label;
} AssayExportLabelFilter;

const GPtrArray *_assay_export_options_get_statuses    (AssayExportOptions *options);
const GPtrArray *_assay_export_options_get_annotators  (AssayExportOptions *options);
const GPtrArray *_assay_export_options_get_models      (AssayExportOptions *options);
/* (element-type AssayExportLabelFilter) */
const GPtrArray *_assay_export_options_get_labels      (AssayExportOptions *options);
gboolean         _assay_export_options_get_adjudicated_only (AssayExportOptions *options);
/* Whether judgments (and statuses) of an annotator of this kind pass the
 * kinds filter: see assay_export_options_set_kinds(). */
gboolean         _assay_export_options_counts_kind (AssayExportOptions *options,
                                                    AssayAnnotatorKind  kind);
/* TRUE if any filter or a split is set. */
gboolean         _assay_export_options_selects         (AssayExportOptions *options);
/* TRUE if options[key] is "true" (or "1", "yes"). */
gboolean         _assay_export_options_get_boolean     (AssayExportOptions *options,
                                                        const char         *key);

/* With a split, the sink writes to one file per split: this makes `part`
 * the current one (swapping buf, out and n_records in). */
void             _assay_export_sink_select             (AssayExportSink    *sink,
                                                        guint               part);

G_END_DECLS
