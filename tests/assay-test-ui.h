/* assay-test-ui.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"
#include "assay-window.h"

G_BEGIN_DECLS

/* gtk_test_init plus libadwaita, a light style, no animations, and an
 * annotator in the settings: the account's user, named "Test Reviewer". */
void          assay_test_ui_init        (int           *argc,
                                         char        ***argv);
/* A private copy of the built demo project (ASSAY_DEMO_PROJECT) in a fresh
 * temporary folder; free with assay_test_remove_copy. */
char         *assay_test_copy_demo      (void);
void          assay_test_remove_copy    (const char    *path);
/* A session on `path` for the annotator "tester". */
AssaySession *assay_test_session        (const char    *path);
/* assay_window_open(), then waits until the project is open, its queue
 * read and the item to resume shown (or an error or a dialog is). */
void          assay_test_open           (AssayWindow   *window,
                                         GFile         *file);
/* Waits for what assay_test_open() waits for, after an action that opens. */
void          assay_test_wait_opened    (AssayWindow   *window);
/* Fills the session's queue (it starts empty) and waits for it. */
void          assay_test_load_queue     (AssaySession  *session);
/* A window of the given size showing `child`, presented. */
GtkWindow    *assay_test_window         (GtkWidget     *child,
                                         int            width,
                                         int            height);
/* Runs the main loop until `cond` returns TRUE or `timeout_ms` passes;
 * returns the last value of `cond`. */
gboolean      assay_test_wait_for       (gboolean     (*cond) (gpointer data),
                                         gpointer       data,
                                         guint          timeout_ms);
/* Runs the main loop for about `ms` milliseconds (layout, idles). */
void          assay_test_iterate        (guint          ms);
/* Drops the caller's reference to `object` and asserts that it was the
 * last one (g_assert_finalize_object). A worker's GTask may let go of what
 * it held a moment after its callback ran: the main loop runs until only
 * the caller's reference is left, for up to two seconds, before the check. */
void          assay_test_finalize       (gpointer       object);
/* Renders `widget` (usually a window) to a PNG under
 * $ASSAY_SCREENSHOT_DIR (default: the test's build dir) as NAME.png, and
 * returns the path. Needs the widget to be mapped. */
char         *assay_test_screenshot     (GtkWidget     *widget,
                                         const char    *name);
/* NAME-light.png and NAME-dark.png of the widget, back in light after. */
void          assay_test_screenshot_light_and_dark (GtkWidget  *widget,
                                                    const char *name);
/* Depth-first search for a widget whose accessible label (or button label,
 * or tooltip) is `label`. */
GtkWidget    *assay_test_find_labelled  (GtkWidget     *root,
                                         const char    *label);
/* Depth-first search for a widget on screen (mapped) whose accessible name
 * is `label`, as a screen reader would find it. Needs GTK_A11Y=test (the UI
 * test environment sets it). */
GtkWidget    *assay_test_find_accessible (GtkWidget    *root,
                                          const char   *label);
/* Clicks a button (or toggles a toggle button) found by accessible name,
 * failing the test if there is none. */
void          assay_test_click          (GtkWidget     *root,
                                         const char    *label);
/* Depth-first search for the first widget of a type. */
GtkWidget    *assay_test_find_type      (GtkWidget     *root,
                                         GType          type);

/* Real key events, sent through the X server (XTest) to `window`, which is
 * given the input focus first: what a key does then depends on the focus,
 * as it does for the expert. The UI tests run with GDK_BACKEND=x11. */

/* Gives `window` the X input focus (there is no window manager under Xvfb)
 * and waits until GTK reports it active. */
void          assay_test_focus_window   (GtkWindow     *window);
/* The letter of the left (or right) candidate of the pair the Compare view
 * in `root` shows, as the session names it, and the name of its button
 * ("C Is Better"). */
char         *assay_test_compare_letter (GtkWidget     *root,
                                         AssaySession  *session,
                                         gboolean       right);
char         *assay_test_compare_button (GtkWidget     *root,
                                         AssaySession  *session,
                                         gboolean       right);
/* Presses and releases one key with its modifiers, written as GTK writes
 * accelerators: "Tab", "<Shift>Tab", "<Control>z", "3", "space", "r". */
void          assay_test_press          (GtkWindow     *window,
                                         const char    *accelerator);
/* Clicks the primary button at (x, y) of `widget`, through the X server,
 * as a pointer would. */
void          assay_test_click_at       (GtkWidget     *widget,
                                         double         x,
                                         double         y);
/* Types `text` key by key (ASCII; a capital or a symbol with Shift). */
void          assay_test_type           (GtkWindow     *window,
                                         const char    *text);
/* For a widget tested outside AssayWindow: `window` takes the "win.announce"
 * action that widgets use to say what a key did, and keeps what they said;
 * the last text, or NULL (assay_test_clear_announcement forgets it). */
void          assay_test_catch_announcements (GtkWindow *window);
const char   *assay_test_last_announcement   (GtkWindow *window);
void          assay_test_clear_announcement  (GtkWindow *window);
/* The text of the first toast on screen in `root` whose text starts with
 * `prefix`, or NULL. */
const char   *assay_test_find_toast     (GtkWidget     *root,
                                         const char    *prefix);

G_END_DECLS
