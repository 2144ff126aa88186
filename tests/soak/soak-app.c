/* soak-app.c: the workbench under a random expert, for tests/soak/soak.py
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   soak-app run PROJECT SEED   opens PROJECT in the real window and acts at
 *                               random (real key events, typing, actions,
 *                               clicks, judgments) until killed
 *   soak-app dump PROJECT       prints what is stored, in the form `run` acks
 *
 * `run` writes one line per event on standard output, flushed at once:
 *   ITEM <source>               the item on screen changed
 *   BEGIN <n> <what>            an action starts
 *   ACK <source> <state>        a judgment was saved: the item's whole state,
 *                               as the window holds it once the save returned
 *   DONE <n>                    the action is over
 * `dump` writes `STATE <source> <judgments> <state>` for every source. The driver
 * compares, after each kill, every source's stored state with its last ACK.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "assay-application.h"
#include "assay-judgment-panel.h"
#include "assay-test-ui.h"
#include "assay-window.h"

#define ANNOTATOR "soak-expert"

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
append_text (GString    *out,
             const char *text)
{
  g_autofree char *escaped = text != NULL ? g_strescape (text, NULL) : NULL;

  g_string_append (out, escaped != NULL ? escaped : "-");
}

/* One line for everything the annotator judged on an item, in an order that
 * does not depend on how it was loaded. Time spent is not a judgment. */
static char *
item_state (AssayItem *item)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) comparisons = g_ptr_array_new ();

  g_string_append_printf (out, "status=%s note=", assay_status_to_string (item->status));
  append_text (out, item->note);

  for (guint c = 0; c < item->candidates->len; c++)
    {
      AssayItemCandidate *cand = g_ptr_array_index (item->candidates, c);
      g_autoptr(GArray) labels = g_array_copy (cand->labels);
      g_autoptr(GList) criteria = g_hash_table_get_keys (cand->scores);

      g_string_append_printf (out, " | %s labels=", cand->ext_id);
      g_array_sort (labels, compare_int64);
      for (guint i = 0; i < labels->len; i++)
        g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                g_array_index (labels, gint64, i));

      g_string_append (out, " spans=");
      for (guint i = 0; i < cand->spans->len; i++)
        {
          AssayItemSpan *span = g_ptr_array_index (cand->spans, i);

          g_string_append_printf (out, "%s%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT ":%"
                                  G_GINT64_FORMAT ":%u:", i ? "," : "", span->start, span->end,
                                  span->option_id, span->evidence ? span->evidence->len : 0);
          append_text (out, span->note);
        }

      criteria = g_list_sort (criteria, compare_int64);
      g_string_append (out, " scores=");
      for (GList *l = criteria; l != NULL; l = l->next)
        {
          AssayItemScore *score = g_hash_table_lookup (cand->scores, l->data);

          g_string_append_printf (out, "%" G_GINT64_FORMAT ":%d:", *(gint64 *) l->data,
                                  score->value);
          append_text (out, score->rationale);
          g_string_append_c (out, ';');
        }
      g_string_append_printf (out, " rank=%d note=", cand->rank);
      append_text (out, cand->note);
      g_string_append (out, " correction=");
      append_text (out, cand->correction);
    }

  for (guint i = 0; i < item->comparisons->len; i++)
    g_ptr_array_add (comparisons, g_ptr_array_index (item->comparisons, i));
  for (guint i = 0; i < comparisons->len; i++)
    {
      AssayItemComparison *cmp = g_ptr_array_index (comparisons, i);
      gint64 lo = MIN (cmp->a, cmp->b), hi = MAX (cmp->a, cmp->b);
      AssayWinner winner = cmp->winner;

      /* The pair is the same judgment whichever side was shown first. */
      if (cmp->a > cmp->b && winner != ASSAY_WINNER_TIE)
        winner = winner == ASSAY_WINNER_A ? ASSAY_WINNER_B : ASSAY_WINNER_A;
      g_string_append_printf (out, " | pair %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "=%s:",
                              lo, hi, assay_winner_to_string (winner));
      append_text (out, cmp->rationale);
    }
  return g_string_free (out, FALSE);
}

/* How many judgments a state holds, for the report. */
static guint
count_judgments (AssayItem *item)
{
  guint n = (item->status != ASSAY_STATUS_TODO) + (item->note != NULL) + item->comparisons->len;

  for (guint c = 0; c < item->candidates->len; c++)
    {
      AssayItemCandidate *cand = g_ptr_array_index (item->candidates, c);

      n += cand->labels->len + cand->spans->len + g_hash_table_size (cand->scores) +
           (cand->rank > 0) + (cand->note != NULL) + (cand->correction != NULL);
    }
  return n;
}

static int
dump (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  g_autoptr(AssayQueue) queue = NULL;
  gint64 annotator;

  if (project == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  annotator = assay_project_lookup_annotator (project, ANNOTATOR);
  queue = assay_queue_new (project, annotator);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      gint64 source = assay_queue_get_source_id (queue, i);
      g_autoptr(AssayItem) item = NULL;
      g_autofree char *state = NULL;

      if (annotator == 0)
        continue;
      item = assay_project_load_item (project, source, annotator, &error);
      if (item == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      state = item_state (item);
      g_print ("STATE %s %u %s\n", item->ext_id, count_judgments (item), state);
    }
  return 0;
}

/* ---- run ---- */

typedef struct
{
  AssayWindow  *window;
  AssaySession *session;   /* weak: the window's, on the soak's project */
  GFile        *project;
  GRand        *rand;
  guint         n;
  guint         dialog_ticks;
} Soak;

static void
emit (const char *format,
      ...)
{
  va_list ap;

  va_start (ap, format);
  vprintf (format, ap);
  va_end (ap);
  putchar ('\n');
  fflush (stdout);
}

static void
on_saved (AssaySession *session,
          guint         kind,
          gint64        candidate_id,
          Soak         *soak)
{
  AssayItem *item = assay_session_get_item (session);
  g_autofree char *state = NULL;

  if (item == NULL)
    return;
  state = item_state (item);
  emit ("ACK %s %s", item->ext_id, state);
}

static void
on_item_changed (AssaySession *session,
                 Soak         *soak)
{
  AssayItem *item = assay_session_get_item (session);

  emit ("ITEM %s", item != NULL ? item->ext_id : "-");
}

static AssayItemCandidate *
random_candidate (Soak *soak)
{
  AssayItem *item = assay_session_get_item (soak->session);

  if (item == NULL || item->candidates->len == 0)
    return NULL;
  return g_ptr_array_index (item->candidates,
                            g_rand_int_range (soak->rand, 0, item->candidates->len));
}

static const char * const window_actions[] = {
  "win.next-item", "win.previous-item", "win.submit", "win.skip", "win.flag",
  "win.undo", "win.redo",
};

/* Keys an expert presses on the workbench: digits, label keys, moving
 * around, undo and redo, submit. Not the ones that leave the workbench
 * (quit, close, open, new) or open a file chooser. */
static const char * const keys[] = {
  "1", "2", "3", "4", "5", "o", "m", "r", "a", "s", "t", "u", "c", "x", "space", "Tab",
  "<Shift>Tab", "Return", "Escape", "Up", "Down", "Left", "Right", "Home", "End", "BackSpace",
  "<Control>z", "<Shift><Control>z", "<Control>y", "<Alt>1", "<Alt>2", "<Alt>3",
  "<Control>Page_Down", "<Control>Page_Up", "<Alt>Up", "<Alt>Down", "<Control>Return",
  "<Control>e", "<Control>d", "<Alt>Page_Down",
};

static const char * const sentences[] = {
  "Checked against the transcript.",
  "The dose is right; the timing is not.",
  "Omits the second risk the patient raised.",
  "1, 2, 3: says \"twice\" where the source says once",
};

static void
act (Soak *soak)
{
  AssayTemplate *tmpl = assay_session_get_template (soak->session);
  AssayItemCandidate *cand = random_candidate (soak);
  g_autoptr(GError) error = NULL;
  guint choice = g_rand_int_range (soak->rand, 0, 13);

  soak->n++;
  if (choice >= 10)
    {
      /* Real key events through the X server: the focus decides. */
      if (choice == 12)
        {
          const char *text = sentences[g_rand_int_range (soak->rand, 0, G_N_ELEMENTS (sentences))];

          emit ("BEGIN %u type %s", soak->n, text);
          assay_test_type (GTK_WINDOW (soak->window), text);
        }
      else
        {
          const char *key = keys[g_rand_int_range (soak->rand, 0, G_N_ELEMENTS (keys))];

          emit ("BEGIN %u key %s", soak->n, key);
          assay_test_press (GTK_WINDOW (soak->window), key);
        }
    }
  else if (cand == NULL || choice < 2)
    {
      const char *name = window_actions[g_rand_int_range (soak->rand, 0,
                                                          G_N_ELEMENTS (window_actions))];

      emit ("BEGIN %u %s", soak->n, name);
      gtk_widget_activate_action (GTK_WIDGET (soak->window), name, NULL);
    }
  else if (choice < 5 && tmpl->criteria->len > 0)
    {
      AssayCriterion *crit = g_ptr_array_index (tmpl->criteria,
                                                g_rand_int_range (soak->rand, 0,
                                                                  tmpl->criteria->len));
      int value = g_rand_int_range (soak->rand, crit->min, crit->max + 1);

      emit ("BEGIN %u score", soak->n);
      assay_session_set_score (soak->session, cand->id, crit->id, value,
                               sentences[g_rand_int_range (soak->rand, 0, G_N_ELEMENTS (sentences))],
                               &error);
    }
  else if (choice < 7)
    {
      GtkWidget *panel = assay_test_find_type (GTK_WIDGET (soak->window),
                                               ASSAY_TYPE_JUDGMENT_PANEL);
      g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
      GtkWidget *w;

      emit ("BEGIN %u click", soak->n);
      /* Any toggle of the judgment panel: labels and score buttons. */
      for (w = panel; w != NULL; )
        {
          if (GTK_IS_TOGGLE_BUTTON (w) && gtk_widget_is_sensitive (w) && gtk_widget_get_mapped (w))
            g_ptr_array_add (toggles, w);
          if (gtk_widget_get_first_child (w) != NULL)
            w = gtk_widget_get_first_child (w);
          else
            {
              while (w != panel && gtk_widget_get_next_sibling (w) == NULL)
                w = gtk_widget_get_parent (w);
              w = w == panel ? NULL : gtk_widget_get_next_sibling (w);
            }
        }
      if (toggles->len > 0)
        {
          GtkWidget *toggle = g_ptr_array_index (toggles,
                                                 g_rand_int_range (soak->rand, 0, toggles->len));

          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                        !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
        }
    }
  else if (choice < 8)
    {
      emit ("BEGIN %u note", soak->n);
      assay_session_set_note (soak->session, g_rand_boolean (soak->rand) ? cand->id : 0,
                              sentences[g_rand_int_range (soak->rand, 0, G_N_ELEMENTS (sentences))],
                              &error);
    }
  else if (choice < 9 && cand->n_chars > 4)
    {
      gint64 start = g_rand_int_range (soak->rand, 0, cand->n_chars - 2);
      gint64 end = MIN (cand->n_chars, start + g_rand_int_range (soak->rand, 1, 40));
      AssayLabelOption *option = NULL;

      for (guint i = 0; i < tmpl->label_sets->len && option == NULL; i++)
        {
          AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

          if (set->scope == ASSAY_SCOPE_SPAN && set->options->len > 0)
            option = g_ptr_array_index (set->options, 0);
        }
      emit ("BEGIN %u span", soak->n);
      if (option != NULL)
        {
          if (cand->spans->len > 0 && g_rand_boolean (soak->rand))
            assay_session_delete_span (soak->session,
                                       ((AssayItemSpan *) g_ptr_array_index (cand->spans, 0))->id,
                                       &error);
          else
            assay_session_add_span (soak->session, cand->id, start, end, option->id, NULL,
                                    &error);
        }
    }
  else
    {
      AssayItem *item = assay_session_get_item (soak->session);
      g_autofree gint64 *ids = g_new0 (gint64, item->candidates->len);
      g_autofree int *ranks = g_new0 (int, item->candidates->len);

      emit ("BEGIN %u ranking", soak->n);
      for (guint i = 0; i < item->candidates->len; i++)
        {
          ids[i] = ((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->id;
          ranks[i] = g_rand_int_range (soak->rand, 1, item->candidates->len + 1);
        }
      assay_session_set_ranking (soak->session, ids, ranks, item->candidates->len, &error);
    }
  /* A refusal (Submit with a gap, an overlapping span) is the app's to say. */
  if (error != NULL)
    emit ("REFUSED %u %s", soak->n, error->message);
  emit ("DONE %u", soak->n);
}

/* Keys reach menus and dialogs as they would a person's: a dialog left
 * open a while is cancelled, as the person would. */
static void
close_dialogs (Soak *soak)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != GTK_WINDOW (soak->window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        g_ptr_array_add (others, g_object_ref (window));
    }
  if (others->len == 0 || ++soak->dialog_ticks < 20)
    return;
  soak->dialog_ticks = 0;
  for (guint i = 0; i < others->len; i++)
    {
      GtkWindow *window = g_ptr_array_index (others, i);

      emit ("DIALOG %s closed", G_OBJECT_TYPE_NAME (window));
      if (GTK_IS_DIALOG (window))
        gtk_dialog_response (GTK_DIALOG (window), GTK_RESPONSE_CANCEL);
      else
        gtk_window_close (window);
    }
}

/* The session the window has now, on the soak's project: a key may have
 * made or opened another project (New Project from the menu, say), and the
 * expert goes back to theirs. */
static gboolean
follow_session (Soak *soak)
{
  AssaySession *session = assay_window_get_session (soak->window);
  AssayProject *project = session != NULL ? assay_session_get_project (session) : NULL;
  g_autoptr(GFile) file = project != NULL ? g_file_new_for_path (assay_project_get_path (project))
                                          : NULL;

  if (session != NULL && session == soak->session)
    return TRUE;
  if (soak->session != NULL)
    g_signal_handlers_disconnect_by_data (soak->session, soak);
  g_clear_weak_pointer (&soak->session);

  if (file == NULL || !g_file_equal (file, soak->project))
    {
      emit ("REOPEN");
      assay_window_open (soak->window, soak->project);
      session = assay_window_get_session (soak->window);
      if (session == NULL)
        return FALSE;
    }
  g_set_weak_pointer (&soak->session, session);
  g_signal_connect (session, "judgment-saved", G_CALLBACK (on_saved), soak);
  g_signal_connect (session, "item-changed", G_CALLBACK (on_item_changed), soak);
  on_item_changed (session, soak);
  return TRUE;
}

static gboolean
tick (gpointer data)
{
  Soak *soak = data;

  close_dialogs (soak);
  if (follow_session (soak))
    act (soak);
  return G_SOURCE_CONTINUE;
}

static int
run (const char *path,
     guint32     seed)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Soak soak = { 0 };

  g_settings_set_string (settings, "annotator-id", ANNOTATOR);
  g_settings_set_string (settings, "annotator-name", "Soak Expert");

  soak.rand = g_rand_new_with_seed (seed);
  soak.project = file;
  soak.window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (soak.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (soak.window));
  assay_window_open (soak.window, file);
  if (!follow_session (&soak))
    {
      g_printerr ("soak-app: could not open %s\n", path);
      return 1;
    }
  assay_test_focus_window (GTK_WINDOW (soak.window));
  emit ("READY");

  g_timeout_add (15, tick, &soak);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "dump"))
    return dump (argv[2]);
  if (argc == 4 && g_str_equal (argv[1], "run"))
    {
      int fake_argc = 1;
      char **fake_argv = argv;

      assay_test_ui_init (&fake_argc, &fake_argv);
      return run (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));
    }
  g_printerr ("usage: soak-app run PROJECT SEED | dump PROJECT\n");
  return 2;
}
