/* assay-suggest.h: judgments suggested by a model through an
 * OpenAI-compatible Chat Completions endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run asks the endpoint, for each candidate of the chosen sources, for
 * the template's judgments (labels, spans, scores), as structured output
 * whose JSON Schema is made from the template, and stores the valid answers
 * as judgments of a model annotator (kind "model", id from the model name).
 * Each candidate asked gets a row in the project's suggestions: the prompt
 * version, the endpoint's model id, the seconds taken, or the reason it
 * failed. A run is resumable: a candidate already suggested by the same
 * model for the same template version is skipped. See docs/suggestions.md.
 */
#pragma once

#include <gio/gio.h>

#include "assay-project.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef struct _AssaySuggestOptions AssaySuggestOptions;

/* `endpoint` is the base URL (…/v1); requests go to {endpoint}/chat/completions. */
AssaySuggestOptions *assay_suggest_options_new             (const char          *endpoint,
                                                            const char          *model);
void                 assay_suggest_options_free            (AssaySuggestOptions *options);
/* Sent as a bearer token; never written into the project or a log. */
void                 assay_suggest_options_set_api_key     (AssaySuggestOptions *options,
                                                            const char          *api_key);
/* Which judgments to ask for, of those the template has (default: labels,
 * spans and scores). */
void                 assay_suggest_options_set_kinds       (AssaySuggestOptions *options,
                                                            AssayJudgmentKinds   kinds);
/* Only sources with this review status by some person (as export's --status). */
void                 assay_suggest_options_set_status      (AssaySuggestOptions *options,
                                                            const char          *status);
/* Only this source (by external id); may be given more than once. */
void                 assay_suggest_options_add_source      (AssaySuggestOptions *options,
                                                            const char          *source_ext_id);
/* At most this many sources (0: no limit). */
void                 assay_suggest_options_set_limit       (AssaySuggestOptions *options,
                                                            guint                limit);
/* Requests in flight at once (default 4). */
void                 assay_suggest_options_set_concurrency (AssaySuggestOptions *options,
                                                            guint                concurrency);
/* Seconds before a request is given up and retried (default 120). */
void                 assay_suggest_options_set_timeout     (AssaySuggestOptions *options,
                                                            guint                seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySuggestOptions, assay_suggest_options_free)

/* After each candidate: how many of `total` are finished, which one, and
 * the reason it failed (NULL when answered or already present). Called on
 * the caller's main context. */
typedef void (*AssaySuggestProgress) (guint       done,
                                      guint       total,
                                      const char *source_ext_id,
                                      const char *candidate_ext_id,
                                      const char *failure,
                                      gpointer    user_data);

typedef struct
{
  guint      n_answered;   /* stored this run */
  guint      n_present;    /* skipped: already suggested */
  guint      n_failed;
  GPtrArray *failures;     /* (element-type utf8): "SOURCE/CANDIDATE: reason" */
  char      *annotator;    /* the model annotator's id */
  GPtrArray *notes;        /* (element-type utf8): "SOURCE/CANDIDATE: note" on answers
                            * stored without some of their spans (quotes not found) */
} AssaySuggestReport;

void                 assay_suggest_report_free             (AssaySuggestReport  *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySuggestReport, assay_suggest_report_free)

/* Runs on its own connection to `project`'s file (as an import does), so
 * the caller's main loop stays free; refuses a read-only project.
 * Cancelling stops cleanly: what was stored stays, nothing is partial. */
void                 assay_suggest_run_async               (AssayProject         *project,
                                                            AssaySuggestOptions  *options,
                                                            AssaySuggestProgress  progress,
                                                            gpointer              progress_data,
                                                            GDestroyNotify        progress_notify,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
AssaySuggestReport  *assay_suggest_run_finish              (AssayProject         *project,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* The model annotator id a model name gives ("model:NAME" cleaned). */
char                *assay_suggest_annotator_for_model     (const char          *model);

/* Why suggesting failed on this candidate, for the app: (element-type
 * utf8) "ANNOTATOR: reason", one per model annotator that failed on it;
 * empty when none did. */
GPtrArray           *assay_suggest_dup_failures            (AssayProject        *project,
                                                            gint64               candidate_id,
                                                            GError             **error);

G_END_DECLS
