/* assay-session-private.h: what the tests reach inside the session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-session.h"

G_BEGIN_DECLS

/* Microseconds on a monotonic clock. */
typedef gint64 (*AssaySessionClock) (gpointer data);

/* Times on screen are read from `clock` (NULL: g_get_monotonic_time), so
 * that a test can let time pass at will. Set it before loading an item. */
void _assay_session_set_clock (AssaySession      *self,
                               AssaySessionClock  clock,
                               gpointer           data);

G_END_DECLS
