/* assay-review-page.h: the workbench for one item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-candidate-view.h"
#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_REVIEW_PAGE (assay_review_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayReviewPage, assay_review_page, ASSAY, REVIEW_PAGE, GtkWidget)

void            assay_review_page_set_session     (AssayReviewPage *self,
                                                   AssaySession    *session);
/* The Review / Rank / Compare pages, for the window's view switcher. */
AdwViewStack   *assay_review_page_get_stack       (AssayReviewPage *self);
/* Writes whatever is still waiting for a typing pause. */
void            assay_review_page_flush           (AssayReviewPage *self);
/* Shows which required criteria are missing (after a refused submit). */
void            assay_review_page_show_missing    (AssayReviewPage *self,
                                                   gboolean         show);
void            assay_review_page_start_search    (AssayReviewPage *self);
void            assay_review_page_set_font_scale  (AssayReviewPage *self,
                                                   double           scale);

G_END_DECLS
