/* assay-evidence.h: the passages of a source that bear on a claim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A source is cut into passages: its segments (a long one into its
 * sentences), or the sentences of a plain text. Ranking a claim against
 * them is full-text search (bm25) over an index kept in the project,
 * boosted by the numbers, dates and names the claim and the passage share.
 */
#pragma once

#include "assay-judgments.h"
#include "assay-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  start;      /* code points in the source's text, half-open */
  gint64  end;
  char   *text;       /* the source's text from start to end */
  double  score;      /* higher is better; only comparable within one call */
  GArray *matches;    /* AssayRange: the words that matched, in code points from `start` */
} AssayEvidencePassage;

void        assay_evidence_passage_free   (AssayEvidencePassage *passage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayEvidencePassage, assay_evidence_passage_free)

/**
 * assay_evidence_rank:
 * @source_id: a source's row id
 * @claim: the claim, as typed or selected: never read as query syntax
 * @limit: the most passages to return (0: 10)
 *
 * Ranks the passages of the source against the claim, best first. Builds the
 * source's passage index first if it has none (see assay_evidence_prepare()).
 *
 * Returns: (transfer full) (element-type AssayEvidencePassage): the passages
 * that share at least one word, number, date or name with the claim, or NULL
 * with `error` set. An empty claim gives an empty array.
 */
GPtrArray  *assay_evidence_rank           (AssayProject         *project,
                                           gint64                source_id,
                                           const char           *claim,
                                           guint                 limit,
                                           GError              **error);

/* TRUE if ranking against the source needs no index to be built first. */
gboolean    assay_evidence_is_ready       (AssayProject         *project,
                                           gint64                source_id);

/* Builds the source's passage index if it has none: in the project when it
 * can be written, otherwise in memory for as long as the project object
 * lives. */
gboolean    assay_evidence_prepare        (AssayProject         *project,
                                           gint64                source_id,
                                           GError              **error);

/* The same in a worker thread with a connection of its own; the index is
 * ready for assay_evidence_rank() on the caller's thread when the callback
 * runs. Returns at once (in an idle) when it is ready already. */
void        assay_evidence_prepare_async  (AssayProject         *project,
                                           gint64                source_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    assay_evidence_prepare_finish (AssayProject         *project,
                                           GAsyncResult         *result,
                                           GError              **error);

/* Forgets every source's passage index (they are built again when next
 * needed). */
gboolean    assay_evidence_reset          (AssayProject         *project,
                                           GError              **error);

G_END_DECLS
