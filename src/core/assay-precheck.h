/* assay-precheck.h: what a candidate says that its source never does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pre-check reads a candidate against its source and finds numbers,
 * dates and times, and names that the source never gives, in any of the
 * forms it could have given them ("$6 million" and "6,000,000 dollars",
 * "March 3" and "3 March", "fourteen" and "14" are the same). It prefers
 * missing a finding to raising one an expert must dismiss. Findings are
 * stored as spans of the built-in model annotator `assay:precheck`. See
 * docs/precheck.md.
 */
#pragma once

#include <gio/gio.h>

#include "assay-project.h"

G_BEGIN_DECLS

#define ASSAY_PRECHECK_ANNOTATOR "assay:precheck"

typedef enum
{
  ASSAY_PRECHECK_NUMBER,   /* numbers, percentages, money, quantities */
  ASSAY_PRECHECK_DATE,     /* dates and times */
  ASSAY_PRECHECK_NAME,     /* people, organisations, places */
} AssayPrecheckCategory;

const char *assay_precheck_category_to_string (AssayPrecheckCategory category);

typedef struct
{
  AssayPrecheckCategory  category;
  gint64                 start;   /* code points in the candidate, half-open */
  gint64                 end;
  char                  *text;
  char                  *reason;
} AssayPrecheckFinding;

void assay_precheck_finding_free (AssayPrecheckFinding *finding);

/* A source read once, against which its candidates are checked. */
typedef struct _AssayPrecheckSource AssayPrecheckSource;

/* `more`: other text the source says (its title, its speakers' names),
 * NULL-terminated; may be NULL. */
AssayPrecheckSource *assay_precheck_source_new   (const char          *text,
                                                  const char * const  *more);
void                 assay_precheck_source_free  (AssayPrecheckSource *self);
/* (element-type AssayPrecheckFinding) (transfer full): in text order. */
GPtrArray           *assay_precheck_source_check (AssayPrecheckSource *self,
                                                  const char          *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayPrecheckSource, assay_precheck_source_free)

typedef struct
{
  guint n_candidates;   /* checked */
  guint n_findings;     /* stored for them now */
  guint n_changed;      /* candidates whose stored findings changed */
} AssayPrecheckSummary;

/* Checks every candidate whose row id is above `after_candidate_id` (0:
 * all of them) and makes the spans of `assay:precheck` on each exactly its
 * findings, labelled with the template's "unsupported" span label (see
 * assay_precheck_find_label), the reason in each span's note. Running it
 * again changes nothing. One transaction. */
gboolean    assay_project_precheck          (AssayProject          *self,
                                             gint64                 after_candidate_id,
                                             AssayPrecheckSummary  *summary,
                                             GCancellable          *cancellable,
                                             GError               **error);

/* The span label option findings get, 0 for none: the first span label
 * (by set, then option order) whose name says "unsupported" (or "not
 * supported"), else whose title does, else whose description does. */
gint64      assay_precheck_find_label       (AssayProject          *self,
                                             GError               **error);

typedef struct
{
  char   *source;     /* external ids */
  char   *candidate;
  gint64  start;
  gint64  end;
  char   *text;
  char   *reason;
} AssayPrecheckStored;

void        assay_precheck_stored_free      (AssayPrecheckStored   *stored);

/* (element-type AssayPrecheckStored) (transfer full): every finding stored
 * in the project, by source, candidate and offset. */
GPtrArray  *assay_project_dup_precheck      (AssayProject          *self,
                                             GError               **error);

G_END_DECLS
