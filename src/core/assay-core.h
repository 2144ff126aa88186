/* assay-core.h: the Assay engine, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-adjudication.h"
#include "assay-check.h"
#include "assay-error.h"
#include "assay-evidence.h"
#include "assay-export.h"
#include "assay-import.h"
#include "assay-item.h"
#include "assay-json.h"
#include "assay-judgments.h"
#include "assay-merge.h"
#include "assay-precheck.h"
#include "assay-project.h"
#include "assay-proposals.h"
#include "assay-queue.h"
#include "assay-salvage.h"
#include "assay-suggest.h"
#include "assay-template.h"
#include "assay-transcript.h"
