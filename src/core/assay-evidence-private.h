/* assay-evidence-private.h: the passage index, for the core's own files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-evidence.h"

G_BEGIN_DECLS

/* The tables of the passage index (project format 4). */
extern const char _assay_evidence_schema_sql[];

/* Indexes a source just inserted (the importer calls it inside its
 * transaction). */
gboolean    _assay_evidence_index_source  (AssayProject  *project,
                                           gint64         source_id,
                                           GError       **error);

/* What the ranking reads of a text, exposed for tests: the passages of a
 * plain text as "start-end" pairs of code points, one per line. */
char       *_assay_evidence_dump_sentences (const char   *text);

/* The numbers and dates of a text as the index writes them ("n6000000",
 * "d0303"), space-separated. */
char       *_assay_evidence_dump_numbers  (const char    *text);

G_END_DECLS
