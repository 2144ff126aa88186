/* assay-keys.h: when a one-key shortcut may act, and saying what it did
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workbench has shortcuts that are a single key without Ctrl or Alt:
 * label letters, score and rank digits, the comparison's A, B and S, Delete
 * on a score or a rank. One rule decides for all of them whether a key is
 * one: the keyboard focus must not be in anything that takes text (an
 * entry, an editable text view, a search field, a popover or menu), nor in
 * a control that keeps its single keys to itself (a rubric score row, whose
 * digits are its own). Every handler asks assay_keys_one_key_allowed before
 * it acts, so typing never reaches a judgment.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether the key event (its modifier `state`) may be taken as a one-key
 * shortcut by `handler`, the widget whose controller sees it, given where
 * the keyboard focus is now. A widget marked with assay_keys_claim is a
 * place where only its own handler takes single keys. */
gboolean assay_keys_one_key_allowed  (GtkWidget       *handler,
                                      GdkModifierType  state);
/* Whether `widget` (or the widget it sits in) takes typed text. */
gboolean assay_keys_takes_text       (GtkWidget       *widget);
/* Marks `widget` as one that takes single keys for itself: while the focus
 * is inside it, no other one-key shortcut acts. */
void     assay_keys_claim            (GtkWidget       *widget);

/* Says what a one-key shortcut did, in a toast, through the window's
 * "win.announce" action (nothing happens outside a window that has it).
 * NULL `text`: the key made the session's newest change, and the toast
 * names it with an Undo for it. A text: a note on a key that changed
 * nothing ("Already first"), without Undo. */
void     assay_keys_announce         (GtkWidget       *widget,
                                      const char      *text);

G_END_DECLS
