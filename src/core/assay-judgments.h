/* assay-judgments.h: writing an expert's judgments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call is one committed write unless a transaction is open
 * (assay_project_begin): the product has no save button. Items are named by
 * their row ids; the lookups below turn external ids into row ids.
 */
#pragma once

#include "assay-project.h"

G_BEGIN_DECLS

/* When a judgment was made. NULL times mean "now" (created_at is kept when
 * a judgment is replaced); a negative time_spent keeps the stored value. */
typedef struct
{
  const char *created_at;
  const char *updated_at;
  double      time_spent;
} AssayStamp;

#define ASSAY_STAMP_INIT { NULL, NULL, -1.0 }

typedef struct
{
  gint64 start;
  gint64 end;
} AssayRange;

typedef enum
{
  ASSAY_WINNER_A,
  ASSAY_WINNER_B,
  ASSAY_WINNER_TIE,
} AssayWinner;

const char *assay_winner_to_string        (AssayWinner winner);
gboolean    assay_winner_from_string      (const char  *str,
                                           AssayWinner *winner);

/* 0 when there is no such item. */
gint64   assay_project_lookup_source      (AssayProject        *self,
                                           const char          *ext_id);
gint64   assay_project_lookup_candidate   (AssayProject        *self,
                                           gint64               source_id,
                                           const char          *ext_id);
gint64   assay_project_lookup_annotator   (AssayProject        *self,
                                           const char          *ext_id);

/* Finds or creates an annotator. `name` NULL keeps (or, for a new one,
 * defaults to the id); `kind` < 0 keeps (or defaults to a person). */
gboolean assay_project_ensure_annotator   (AssayProject        *self,
                                           const char          *ext_id,
                                           const char          *name,
                                           int                  kind,
                                           gint64              *annotator_id,
                                           GError             **error);

/* Replaces the annotator's choices in one candidate label set. */
gboolean assay_project_set_labels         (AssayProject        *self,
                                           gint64               candidate_id,
                                           gint64               annotator_id,
                                           gint64               label_set_id,
                                           const gint64        *option_ids,
                                           guint                n_options,
                                           const AssayStamp    *stamp,
                                           GError             **error);

/* Creates a span, or updates `span_id` when it is not 0. A span with the same
 * range and label by the same annotator is the same span: saving it again
 * updates its note and evidence. `option_id` 0 is an unlabelled span.
 * Offsets are checked against the candidate's and the source's text. */
gboolean assay_project_save_span          (AssayProject        *self,
                                           gint64               span_id,
                                           gint64               candidate_id,
                                           gint64               annotator_id,
                                           gint64               start,
                                           gint64               end,
                                           gint64               option_id,
                                           const char          *note,
                                           const AssayRange    *evidence,
                                           guint                n_evidence,
                                           const AssayStamp    *stamp,
                                           gint64              *out_span_id,
                                           GError             **error);
gboolean assay_project_delete_span        (AssayProject        *self,
                                           gint64               span_id,
                                           GError             **error);

/* `text` NULL removes the correction. */
gboolean assay_project_set_correction     (AssayProject        *self,
                                           gint64               candidate_id,
                                           gint64               annotator_id,
                                           const char          *text,
                                           const AssayStamp    *stamp,
                                           GError             **error);

/* The value must lie on the criterion's scale. */
gboolean assay_project_set_score          (AssayProject        *self,
                                           gint64               candidate_id,
                                           gint64               annotator_id,
                                           gint64               criterion_id,
                                           int                  value,
                                           const char          *rationale,
                                           const AssayStamp    *stamp,
                                           GError             **error);
gboolean assay_project_clear_score        (AssayProject        *self,
                                           gint64               candidate_id,
                                           gint64               annotator_id,
                                           gint64               criterion_id,
                                           GError             **error);

/* Replaces the annotator's ranking of the source: candidate_ids[i] gets
 * ranks[i] (1 is best, equal ranks tie). n 0 removes the ranking. */
gboolean assay_project_set_ranking        (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           const gint64        *candidate_ids,
                                           const int           *ranks,
                                           guint                n,
                                           const AssayStamp    *stamp,
                                           GError             **error);

/* One comparison per unordered pair and annotator; saving the pair again
 * (in either order) replaces it. */
gboolean assay_project_set_comparison     (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           gint64               candidate_a,
                                           gint64               candidate_b,
                                           AssayWinner          winner,
                                           const char          *rationale,
                                           const AssayStamp    *stamp,
                                           GError             **error);

/* Removes the annotator's comparison of the pair (in either order), if any. */
gboolean assay_project_delete_comparison  (AssayProject        *self,
                                           gint64               annotator_id,
                                           gint64               candidate_a,
                                           gint64               candidate_b,
                                           GError             **error);

/* `candidate_id` 0 is a note on the whole source; empty or NULL text removes it. */
gboolean assay_project_set_note           (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               candidate_id,
                                           gint64               annotator_id,
                                           const char          *text,
                                           const AssayStamp    *stamp,
                                           GError             **error);

gboolean assay_project_set_status         (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           AssayStatus          status,
                                           const AssayStamp    *stamp,
                                           GError             **error);

/* Removes every judgment the annotator made on the source and its
 * candidates (status included). */
gboolean assay_project_clear_judgments    (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           GError             **error);
/* Every judgment also has one form shared by all kinds: its native record
 * (docs/formats.md), the JSON object an import reads and the export writes.
 * These calls work on any kind through it, so code that only moves
 * judgments (undo, sync, suggestions) needs no case per kind. */

/* The "type" of every kind's record, in the order the export writes them
 * (NULL-terminated). */
const char * const *assay_judgment_types  (void);

/* Saves one record, checked as an import checks it. Its "source" and
 * "annotator" may be left out (the arguments give them). Times the record
 * carries are kept; others come from `stamp`. */
gboolean assay_project_save_record        (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           const char          *record,
                                           const AssayStamp    *stamp,
                                           GError             **error);
/* The annotator's records of kind `type` on the source, as the text of a
 * JSON array in the export's order; with `candidate_id` not 0, only those
 * that name that candidate (kinds about the whole source keep all). */
char    *assay_project_dup_records        (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           const char          *type,
                                           gint64               candidate_id,
                                           GError             **error);
/* Makes the annotator's records of kind `type` on the source (or, with
 * `candidate_id` not 0, on that candidate) exactly `records`, the text of a
 * JSON array of such records ("[]" removes them), in one transaction:
 * nothing changes if any of them is refused. */
gboolean assay_project_replace_records    (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           const char          *type,
                                           gint64               candidate_id,
                                           const char          *records,
                                           const AssayStamp    *stamp,
                                           GError             **error);
/* Removes the records assay_project_dup_records would return. */
gboolean assay_project_clear_records      (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id,
                                           const char          *type,
                                           gint64               candidate_id,
                                           GError             **error);

/* The latest "updated" time of the annotator's judgments on the source, or
 * NULL if there are none. */
char    *assay_project_dup_last_update    (AssayProject        *self,
                                           gint64               source_id,
                                           gint64               annotator_id);

G_END_DECLS
