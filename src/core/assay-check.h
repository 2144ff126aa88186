/* assay-check.h: is a project file sound?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks a project without changing it: SQLite's own integrity and foreign
 * key checks, the schema against the one this Assay writes (a planted
 * trigger or view is reported), and Assay's own rules that SQLite cannot
 * express (offsets within texts, scores on their scales, single-choice label
 * sets with one choice, metadata that is a JSON object).
 *
 * Returns FALSE with `error` set only if the file could not be checked at
 * all (missing, not a project, too new). Otherwise returns TRUE and puts the
 * problems found (translated sentences) in `problems`, empty if none. */
gboolean assay_check_project (const char  *path,
                              GPtrArray  **problems,
                              GError     **error);

G_END_DECLS
