/* assay-queue.h: the review queue, a lazy list of a project's sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel that holds only the row ids of the sources that pass the
 * filters, and makes a row object when one is asked for, reading a page of
 * titles and statuses at a time. A project of 100,000 sources opens at once
 * and a list view over it scrolls without loading what is off screen.
 *
 * Rows and queue are observable: a row's properties ("source-id",
 * "ext-id", "title", "status", "n-candidates") notify when the row is
 * re-read (assay_queue_source_changed()), and the queue's "n-items",
 * "total", "loaded", "busy", "models" and "order" when they change.
 */
#pragma once

#include <gio/gio.h>

#include "assay-project.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_QUEUE_ROW (assay_queue_row_get_type ())
G_DECLARE_FINAL_TYPE (AssayQueueRow, assay_queue_row, ASSAY, QUEUE_ROW, GObject)

gint64       assay_queue_row_get_source_id     (AssayQueueRow *self);
const char  *assay_queue_row_get_ext_id        (AssayQueueRow *self);
const char  *assay_queue_row_get_title         (AssayQueueRow *self);
AssayStatus  assay_queue_row_get_status        (AssayQueueRow *self);
guint        assay_queue_row_get_n_candidates  (AssayQueueRow *self);

/* The order of the list. */
typedef enum
{
  ASSAY_QUEUE_ORDER_IMPORTED,     /* as the sources were imported */
  /* Unreviewed sources where the models the leaderboard cannot yet
   * separate differ most by their model annotators' judgments first, then
   * the other unreviewed ones at random (a fixed seed), then the reviewed
   * ones: assay_stats_informative_order(), computed once per reload. */
  ASSAY_QUEUE_ORDER_INFORMATIVE,
} AssayQueueOrder;

#define ASSAY_TYPE_QUEUE (assay_queue_get_type ())
G_DECLARE_FINAL_TYPE (AssayQueue, assay_queue, ASSAY, QUEUE, GObject)

/* The queue as `annotator_id` sees it: statuses are theirs. Reads every
 * source id at once, on the caller's thread. */
AssayQueue  *assay_queue_new                   (AssayProject  *project,
                                                gint64         annotator_id);
/* The same queue with no rows yet and "loaded" FALSE, for a caller that
 * fills it with assay_queue_reload_async(). */
AssayQueue  *assay_queue_new_empty             (AssayProject  *project,
                                                gint64         annotator_id);
/* FALSE until the ids have been read once ("loaded" notifies). */
gboolean     assay_queue_get_loaded            (AssayQueue    *self);
/* The models of the project's candidates, most candidates first
 * ("models"), read with the ids when the queue is made or reloaded: what
 * the model filter can take. NULL until the queue is loaded. */
const char * const *assay_queue_get_models     (AssayQueue    *self);

/* Filters; each change emits one items-changed for the whole list.
 * status -1 shows every status; model NULL every model; search NULL or
 * empty no search. The search matches words of the transcripts, titles and
 * candidates (full-text, prefix match on the last word as one types). */
void         assay_queue_set_filter            (AssayQueue    *self,
                                                int            status,
                                                const char    *model,
                                                const char    *search);
/* The same with the search in a worker thread (see assay-queue.c). */
void         assay_queue_set_filter_async      (AssayQueue          *self,
                                                int                  status,
                                                const char          *model,
                                                const char          *search,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     assay_queue_set_filter_finish     (AssayQueue          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* assay_queue_reload() in a worker; finish with assay_queue_set_filter_finish(). */
void         assay_queue_reload_async          (AssayQueue          *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* TRUE while a search or reload runs in a worker thread. */
gboolean     assay_queue_get_busy              (AssayQueue    *self);
/* Lets go of the project now, even while a request is running (it ends
 * cancelled): its reader closes before the project's own connection, which
 * can then checkpoint and remove the WAL. The queue stays as it was. */
void         assay_queue_close                 (AssayQueue    *self);
int          assay_queue_get_status_filter     (AssayQueue    *self);
const char  *assay_queue_get_model_filter      (AssayQueue    *self);
const char  *assay_queue_get_search            (AssayQueue    *self);
/* Sources in the project, whatever the filters. */
guint        assay_queue_get_total             (AssayQueue    *self);

/* Changes the order ("order" notifies), re-reading the list on the
 * caller's thread: the informative order computes the leaderboard, so the
 * app uses the async form (finish with assay_queue_set_filter_finish()). */
void         assay_queue_set_order             (AssayQueue          *self,
                                                AssayQueueOrder      order);
void         assay_queue_set_order_async       (AssayQueue          *self,
                                                AssayQueueOrder      order,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
AssayQueueOrder assay_queue_get_order          (AssayQueue    *self);

/* Position of a source in the filtered list, or G_MAXUINT. */
guint        assay_queue_find                  (AssayQueue    *self,
                                                gint64         source_id);
gint64       assay_queue_get_source_id         (AssayQueue    *self,
                                                guint          position);

/* Re-reads one source's row after the annotator changed it (status): the
 * row object already made changes in place and notifies, without an
 * items-changed. The row stays in the list even if it no longer passes the
 * filters, so that it does not vanish from under the expert; it goes at the
 * next filter change. */
void         assay_queue_source_changed        (AssayQueue    *self,
                                                gint64         source_id);
/* Re-reads everything (after an import). */
void         assay_queue_reload                (AssayQueue    *self);

/* Turns what a person types into an FTS5 query: each word quoted, the last
 * one a prefix. Returns NULL for text without any word. */
char        *assay_queue_build_match           (const char    *text);

G_END_DECLS
