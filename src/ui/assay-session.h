/* assay-session.h: one expert working in one project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session is the workbench's controller. It holds the project, the
 * template, the annotator, the queue and the item on screen, and every
 * judgment the expert makes goes through it: it writes to the project at
 * once (through the core; the UI never runs SQL), updates the item in
 * memory, and says so.
 *
 * Widgets follow it through properties that notify on change:
 * "current-item" (an AssayItemModel, whose "judgment-changed" says what was
 * written), "candidate-id" (the candidate being judged), "template",
 * "read-only", "blind", "can-undo" and "can-redo". The signals
 * "item-changed" and "judgment-saved" say the same for code that follows
 * the session as a whole (the queue).
 */
#pragma once

#include <gio/gio.h>

#include "assay-core.h"
#include "assay-item-model.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_SESSION (assay_session_get_type ())
G_DECLARE_FINAL_TYPE (AssaySession, assay_session, ASSAY, SESSION, GObject)

/* Opens a session for the annotator (created in the project if new). */
AssaySession   *assay_session_new                 (AssayProject   *project,
                                                   const char     *annotator_id,
                                                   const char     *annotator_name,
                                                   GError        **error);
/* A session whose judgments are the gold ones an eval lead sets when
 * settling disagreements: its annotator is of kind adjudicator (created
 * with that kind if new; an existing annotator must already have it). */
AssaySession   *assay_session_new_adjudicator     (AssayProject   *project,
                                                   const char     *annotator_id,
                                                   const char     *annotator_name,
                                                   GError        **error);

AssayProject   *assay_session_get_project         (AssaySession   *self);
AssayTemplate  *assay_session_get_template        (AssaySession   *self);
/* The annotator's queue. It starts empty ("loaded" FALSE): the caller that
 * shows it fills it with assay_queue_reload_async(), off the UI thread;
 * until then assay_session_move() and assay_session_get_resume_source()
 * find nothing. */
AssayQueue     *assay_session_get_queue           (AssaySession   *self);
gint64          assay_session_get_annotator_id    (AssaySession   *self);
/* The annotator's id as given ("ada.lund@example.org"). */
const char     *assay_session_get_annotator_ext_id (AssaySession  *self);
/* TRUE if nothing can be judged: the project is open read-only. Every
 * judgment call then fails with ASSAY_ERROR_READ_ONLY, naming the project,
 * and emits "save-failed". */
gboolean        assay_session_get_read_only       (AssaySession   *self);
/* The item on screen, or NULL. Owned by the session; valid until the next
 * "item-changed". */
AssayItem      *assay_session_get_item            (AssaySession   *self);
/* The item on screen as an object ("current-item"), or NULL. A new one for
 * each load, reloads of the same source included. */
AssayItemModel *assay_session_get_current_item    (AssaySession   *self);
/* The candidate being judged ("candidate-id"); 0 for none. An id that is
 * not one of the item's candidates is taken as 0. */
gint64          assay_session_get_candidate       (AssaySession   *self);
void            assay_session_set_candidate       (AssaySession   *self,
                                                   gint64          candidate_id);

/* Shows a source: loads it, and emits "item-changed". Time spent on the
 * item that was shown is saved first. */
gboolean        assay_session_load_item           (AssaySession   *self,
                                                   gint64          source_id,
                                                   GError        **error);
/* The source the annotator last had open in this project, or the first
 * one not done; 0 in an empty project. */
gint64          assay_session_get_resume_source   (AssaySession   *self);
/* Moves by `delta` in the queue as filtered (1 next, -1 previous); FALSE at
 * either end. */
gboolean        assay_session_move                (AssaySession   *self,
                                                   int             delta,
                                                   GError        **error);
/* The next item after the current one that is still to do or in progress
 * (wrapping around); FALSE when there is none. */
gboolean        assay_session_next_open           (AssaySession   *self,
                                                   GError        **error);

/* Time on the current item counts while the session is active (the window
 * shows an item and has focus). It is written to the item's status row, and
 * each judgment gets the part of it spent while it was being made (see
 * docs/formats.md, "time_spent"). */
void            assay_session_set_active          (AssaySession   *self,
                                                   gboolean        active);
double          assay_session_get_time_on_item    (AssaySession   *self);

/* ---- judgments; each writes at once ---- */

/* Toggles a candidate label. In a single-choice set, turning one on turns
 * the others of its set off. */
gboolean        assay_session_toggle_label        (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   gint64          option_id,
                                                   GError        **error);
gboolean        assay_session_add_span            (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   gint64          start,
                                                   gint64          end,
                                                   gint64          option_id,
                                                   gint64         *span_id,
                                                   GError        **error);
/* Changes a span's label, note and evidence (`evidence` of AssayRange; NULL
 * keeps the evidence). */
gboolean        assay_session_update_span         (AssaySession   *self,
                                                   gint64          span_id,
                                                   gint64          option_id,
                                                   const char     *note,
                                                   GArray         *evidence,
                                                   GError        **error);
gboolean        assay_session_delete_span         (AssaySession   *self,
                                                   gint64          span_id,
                                                   GError        **error);
/* Finds a span of the current item and its candidate. */
AssayItemSpan  *assay_session_find_span           (AssaySession   *self,
                                                   gint64          span_id,
                                                   AssayItemCandidate **candidate);
/* NULL, or the original text, removes the correction. */
gboolean        assay_session_set_correction      (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   const char     *text,
                                                   GError        **error);
/* Any value on the criterion's scale, 0 and negatives included. */
gboolean        assay_session_set_score           (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   gint64          criterion_id,
                                                   int             value,
                                                   const char     *rationale,
                                                   GError        **error);
/* Removes the score and its rationale. */
gboolean        assay_session_clear_score         (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   gint64          criterion_id,
                                                   GError        **error);
/* ranks[i] for candidate_ids[i]; 1 is best, equal ranks tie. */
gboolean        assay_session_set_ranking         (AssaySession   *self,
                                                   const gint64   *candidate_ids,
                                                   const int      *ranks,
                                                   guint           n,
                                                   GError        **error);
gboolean        assay_session_set_comparison      (AssaySession   *self,
                                                   gint64          a,
                                                   gint64          b,
                                                   AssayWinner     winner,
                                                   const char     *rationale,
                                                   GError        **error);
/* candidate_id 0: the note on the whole item. */
gboolean        assay_session_set_note            (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   const char     *text,
                                                   GError        **error);
gboolean        assay_session_set_status          (AssaySession   *self,
                                                   AssayStatus     status,
                                                   GError        **error);

/* ---- undo and redo ----
 *
 * Every judgment change made through the session is recorded with what it
 * replaced, one step per action (a rationale, note or correction typed in
 * several pauses is one step). The history covers every item of the
 * session, the newest first; undoing a step of another item loads that
 * item first. Undo and redo write through the same calls as above, so the
 * widgets follow through "judgment-saved"; "history-changed" says that what
 * Undo and Redo would do is different now. */

gboolean        assay_session_can_undo            (AssaySession   *self);
gboolean        assay_session_can_redo            (AssaySession   *self);
/* Takes back the newest step. `description` (nullable) receives what it
 * was, e.g. "Faithfulness of A: 4". FALSE without an error when there is
 * nothing to undo. */
gboolean        assay_session_undo                (AssaySession   *self,
                                                   char          **description,
                                                   GError        **error);
gboolean        assay_session_redo                (AssaySession   *self,
                                                   char          **description,
                                                   GError        **error);
/* What Undo would take back, e.g. "Omission marked on B"; NULL if nothing. */
const char     *assay_session_get_undo_description (AssaySession  *self);
/* Names the newest step in the words of the widget that made it, when it
 * can say more than the session ("B: rank 2, tied with C"). */
void            assay_session_set_undo_description (AssaySession  *self,
                                                    const char    *description);
/* A number naming the step Undo would take back (0: none); a new step has
 * a new number. */
guint64         assay_session_get_undo_serial     (AssaySession   *self);
/* TRUE while an undo or redo writes: widgets then show what is stored even
 * over text being typed. */
gboolean        assay_session_is_replaying        (AssaySession   *self);

/* What Submit needs that is missing: one translated line per required
 * criterion not scored, e.g. "Faithfulness of candidate B". Empty if none. */
GPtrArray      *assay_session_missing_required    (AssaySession   *self);

/* The first required criterion not scored, in display order of the
 * candidates and then of the rubric: where Submit sends the expert. FALSE
 * if nothing is missing. */
gboolean        assay_session_first_gap           (AssaySession   *self,
                                                   gint64         *candidate_id,
                                                   gint64         *criterion_id);

/* Any kind of judgment through its native records (docs/formats.md): makes
 * the annotator's records of `type` on the candidate (0: on the item)
 * exactly `records`, a JSON array of records as assay_project_save_record
 * takes them ("[]" removes them). One step of the undo history; the item's
 * copy (item->records, for kinds without fields of their own) follows. */
gboolean        assay_session_set_records         (AssaySession   *self,
                                                   const char     *type,
                                                   gint64          candidate_id,
                                                   const char     *records,
                                                   GError        **error);

/* The letter a candidate goes by on screen ("A", "B", ...): its place in
 * the display order, which is shuffled per item in blind review. */
char           *assay_session_candidate_letter    (AssaySession   *self,
                                                   gint64          candidate_id);
/* The candidates in display order (AssayItemCandidate, borrowed). */
GPtrArray      *assay_session_display_candidates  (AssaySession   *self);
/* How to name a candidate on screen: "A · scribe-xl", or "A" when blind. */
char           *assay_session_candidate_name      (AssaySession   *self,
                                                   gint64          candidate_id);
gboolean        assay_session_get_blind           (AssaySession   *self);

/* ---- proposals ----
 *
 * The judgments of model annotators on the item on screen (suggestions,
 * pre-checks, imported judges) are shown to the expert as proposals; they
 * are never the expert's work. The current item's "proposals" property
 * (AssayItemModel) lists those still pending and notifies as the expert's
 * judgments settle them. */

/* (element-type AssayProposal) (transfer none): the pending proposals of the
 * current item, or NULL without one. */
GPtrArray      *assay_session_get_proposals       (AssaySession   *self);
/* Reads the model annotators' judgments on the current item again (after a
 * suggestion run). */
gboolean        assay_session_reload_proposals    (AssaySession   *self,
                                                   GError        **error);
/* The first pending proposal on the candidate (0: on any), or NULL. */
const AssayProposal *assay_session_next_proposal  (AssaySession   *self,
                                                   gint64          candidate_id);
/* Copies the proposal as the expert's own judgment (a span with its note):
 * one step of the undo history, written as the expert's own writes are. */
gboolean        assay_session_accept_proposal     (AssaySession   *self,
                                                   const AssayProposal *proposal,
                                                   GError        **error);
/* Accepts every pending proposal on the candidate (0: on the whole item),
 * as one step of the history; `n_accepted` (nullable) says how many. */
gboolean        assay_session_accept_proposals    (AssaySession   *self,
                                                   gint64          candidate_id,
                                                   guint          *n_accepted,
                                                   GError        **error);

G_END_DECLS
