/* assay-suggest.c: judgments suggested by a model through a Chat
 * Completions endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run is one worker thread with a main context of its own: it opens its
 * own connection to the project, makes the prompt from the template, and
 * keeps up to `concurrency` requests in flight on a SoupSession of that
 * context. Each answer is checked and stored as soon as it comes, in one
 * transaction with the candidate's suggestions row, on that thread; so a
 * cancelled run has stored whole answers or nothing of an item. Progress,
 * and at last the result, go to the caller's main context in order.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "assay-judgments.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"

#define MAX_ATTEMPTS     5
#define FIRST_BACKOFF_MS 1000
#define MAX_BACKOFF_MS   30000
/* A Retry-After longer than this is taken as this. */
#define MAX_RETRY_AFTER  600

struct _AssaySuggestOptions
{
  char               *endpoint;
  char               *model;
  char               *api_key;
  AssayJudgmentKinds  kinds;
  char               *status;
  GPtrArray          *sources;
  guint               limit;
  guint               concurrency;
  guint               timeout;
};

AssaySuggestOptions *
assay_suggest_options_new (const char *endpoint,
                           const char *model)
{
  AssaySuggestOptions *options;

  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  options = g_new0 (AssaySuggestOptions, 1);
  options->endpoint = g_strdup (endpoint);
  options->model = g_strdup (model);
  options->kinds = ASSAY_JUDGE_LABELS | ASSAY_JUDGE_SPANS | ASSAY_JUDGE_SCORES;
  options->sources = g_ptr_array_new_with_free_func (g_free);
  options->concurrency = 4;
  options->timeout = 120;
  return options;
}

static void
forget_key (char **key)
{
  if (*key != NULL)
    {
      /* Gone from memory, not only from view. */
      memset (*key, 0, strlen (*key));
      g_clear_pointer (key, g_free);
    }
}

void
assay_suggest_options_free (AssaySuggestOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->endpoint);
  g_free (options->model);
  forget_key (&options->api_key);
  g_free (options->status);
  g_ptr_array_unref (options->sources);
  g_free (options);
}

void
assay_suggest_options_set_api_key (AssaySuggestOptions *options,
                                   const char          *api_key)
{
  g_return_if_fail (options != NULL);
  forget_key (&options->api_key);
  options->api_key = api_key != NULL && *api_key != '\0' ? g_strdup (api_key) : NULL;
}

void
assay_suggest_options_set_kinds (AssaySuggestOptions *options,
                                 AssayJudgmentKinds   kinds)
{
  g_return_if_fail (options != NULL);
  options->kinds = kinds;
}

void
assay_suggest_options_set_status (AssaySuggestOptions *options,
                                  const char          *status)
{
  g_return_if_fail (options != NULL);
  g_free (options->status);
  options->status = g_strdup (status);
}

void
assay_suggest_options_add_source (AssaySuggestOptions *options,
                                  const char          *source_ext_id)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (source_ext_id != NULL);
  g_ptr_array_add (options->sources, g_strdup (source_ext_id));
}

void
assay_suggest_options_set_limit (AssaySuggestOptions *options,
                                 guint                limit)
{
  g_return_if_fail (options != NULL);
  options->limit = limit;
}

void
assay_suggest_options_set_concurrency (AssaySuggestOptions *options,
                                       guint                concurrency)
{
  g_return_if_fail (options != NULL);
  options->concurrency = MAX (concurrency, 1);
}

void
assay_suggest_options_set_timeout (AssaySuggestOptions *options,
                                   guint                seconds)
{
  g_return_if_fail (options != NULL);
  options->timeout = MAX (seconds, 1);
}

static AssaySuggestOptions *
options_copy (AssaySuggestOptions *options)
{
  AssaySuggestOptions *copy = assay_suggest_options_new (options->endpoint, options->model);

  assay_suggest_options_set_api_key (copy, options->api_key);
  copy->kinds = options->kinds;
  copy->status = g_strdup (options->status);
  for (guint i = 0; i < options->sources->len; i++)
    g_ptr_array_add (copy->sources, g_strdup (g_ptr_array_index (options->sources, i)));
  copy->limit = options->limit;
  copy->concurrency = options->concurrency;
  copy->timeout = options->timeout;
  return copy;
}

void
assay_suggest_report_free (AssaySuggestReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->failures, g_ptr_array_unref);
  g_clear_pointer (&report->notes, g_ptr_array_unref);
  g_free (report->annotator);
  g_free (report);
}

char *
assay_suggest_annotator_for_model (const char *model)
{
  GString *id = g_string_new ("model:");
  gboolean space = FALSE;

  g_return_val_if_fail (model != NULL, NULL);

  /* White space becomes one hyphen and control characters go, so that the
   * id is one word; the rest of the name stays as the endpoint knows it
   * ("Qwen/Qwen2.5-7B-Instruct", "llama3.1:8b"). */
  for (const char *p = model; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c))
        {
          space = TRUE;
          continue;
        }
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;
      if (space && id->len > strlen ("model:"))
        g_string_append_c (id, '-');
      space = FALSE;
      g_string_append_unichar (id, c);
    }
  if (id->len == strlen ("model:"))
    g_string_append (id, "unnamed");
  if (g_utf8_strlen (id->str, -1) > 256)
    {
      char *end = g_utf8_offset_to_pointer (id->str, 256);

      g_string_truncate (id, end - id->str);
    }
  return g_string_free (id, FALSE);
}

/* ---- the suggestions table ---- */

gboolean
_assay_suggest_store_row (AssayProject  *project,
                          gint64         annotator_id,
                          gint64         candidate_id,
                          const char    *template_version,
                          const char    *prompt_version,
                          const char    *model,
                          double         seconds,
                          guint          attempts,
                          const char    *failure,
                          const char    *note,
                          const char    *created,
                          GError       **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_project_prepare (project,
                                 "INSERT INTO suggestions (annotator_id, candidate_id,"
                                 " template_version, prompt_version, model, seconds, attempts,"
                                 " error, note, created_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                 " ON CONFLICT (candidate_id, annotator_id, template_version)"
                                 " DO UPDATE SET prompt_version = excluded.prompt_version,"
                                 " model = excluded.model, seconds = excluded.seconds,"
                                 " attempts = excluded.attempts, error = excluded.error,"
                                 " note = excluded.note, created_at = excluded.created_at",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (created == NULL)
    created = now = assay_now_iso8601 ();
  sqlite3_bind_int64 (stmt, 1, annotator_id);
  sqlite3_bind_int64 (stmt, 2, candidate_id);
  _assay_bind_text (stmt, 3, template_version);
  _assay_bind_text (stmt, 4, prompt_version);
  _assay_bind_text (stmt, 5, model);
  sqlite3_bind_double (stmt, 6, seconds);
  sqlite3_bind_int (stmt, 7, attempts);
  _assay_bind_text (stmt, 8, failure);
  _assay_bind_text (stmt, 9, note);
  _assay_bind_text (stmt, 10, created);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
  return TRUE;
}

GPtrArray *
assay_suggest_dup_failures (AssayProject  *project,
                            gint64         candidate_id,
                            GError       **error)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  if (_assay_project_get_format (project) < 4)
    return g_steal_pointer (&failures);

  /* A failure that a later answer of the same model made good is over. */
  stmt = _assay_project_prepare (project,
                                 "SELECT a.ext_id, s.error FROM suggestions s"
                                 " JOIN annotators a ON a.id = s.annotator_id"
                                 " WHERE s.candidate_id = ?1 AND s.error IS NOT NULL"
                                 " AND NOT EXISTS (SELECT 1 FROM suggestions o"
                                 "  WHERE o.candidate_id = s.candidate_id"
                                 "  AND o.annotator_id = s.annotator_id AND o.error IS NULL"
                                 "  AND o.created_at >= s.created_at)"
                                 " ORDER BY a.ext_id, s.created_at",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, candidate_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (failures, g_strdup_printf ("%s: %s", _assay_column_text (stmt, 0),
                                                _assay_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
      return NULL;
    }
  return g_steal_pointer (&failures);
}

/* ---- provenance in the native format ---- */

GHashTable *
_assay_suggest_source_provenance (AssayProject  *project,
                                  gint64         source_id,
                                  GError       **error)
{
  g_autoptr(GHashTable) map = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (_assay_project_get_format (project) < 4)
    return NULL;

  /* The latest answer of each model on each candidate is the one its
   * judgments come from: each answer replaces the model's judgments. */
  stmt = _assay_project_prepare (project,
                                 "SELECT a.ext_id, c.ext_id, s.prompt_version, s.model,"
                                 " s.seconds, s.template_version"
                                 " FROM candidates c CROSS JOIN suggestions s"
                                 " JOIN annotators a ON a.id = s.annotator_id"
                                 " WHERE c.source_id = ?1 AND s.candidate_id = c.id"
                                 " AND s.error IS NULL AND a.kind = 'model'"
                                 " ORDER BY c.id, a.id, s.created_at, s.template_version",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *member = g_string_new ("{\"prompt_version\":");

      assay_json_append_string (member, _assay_column_text (stmt, 2), -1);
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          g_string_append (member, ",\"model\":");
          assay_json_append_string (member, _assay_column_text (stmt, 3), -1);
        }
      g_string_append (member, ",\"seconds\":");
      assay_json_append_double (member, sqlite3_column_double (stmt, 4));
      g_string_append (member, ",\"template_version\":");
      assay_json_append_string (member, _assay_column_text (stmt, 5), -1);
      g_string_append_c (member, '}');

      if (map == NULL)
        map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (map,
                           g_strconcat (_assay_column_text (stmt, 0), "\x1f",
                                        _assay_column_text (stmt, 1), NULL),
                           g_string_free (member, FALSE));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
      return NULL;
    }
  return g_steal_pointer (&map);
}

gboolean
_assay_suggest_import_provenance (AssayProject          *project,
                                  const AssayJsonReader *r,
                                  guint                  object,
                                  const char            *prefix,
                                  gint64                 annotator_id,
                                  gint64                 candidate_id,
                                  const char            *created,
                                  GError               **error)
{
  static const char * const keys[] = { "prompt_version", "model", "seconds", "template_version",
                                       NULL };
  g_autofree char *path = _assay_reader_path (prefix, "suggestion");
  g_autofree char *prompt_version = NULL;
  g_autofree char *model = NULL;
  g_autofree char *template_version = NULL;
  double seconds = 0;
  guint member;

  if (!_assay_reader_container (r, object, prefix, "suggestion", ASSAY_JSON_OBJECT, FALSE,
                                &member, error))
    return FALSE;
  if (member == 0)
    return TRUE;
  if (candidate_id == 0)
    return _assay_reader_fail (r, member, path, error,
                               _("only a judgment of a candidate can be suggested"));
  if (!_assay_reader_check_keys (r, member, path, keys, error) ||
      !_assay_reader_string (r, member, path, "prompt_version", TRUE, &prompt_version, error) ||
      !_assay_reader_string (r, member, path, "model", FALSE, &model, error) ||
      !_assay_reader_double (r, member, path, "seconds", FALSE, &seconds, error) ||
      !_assay_reader_string (r, member, path, "template_version", TRUE, &template_version,
                             error))
    return FALSE;
  if (seconds < 0)
    return _assay_reader_fail (r, member, path, error, _("seconds cannot be negative"));
  if (_assay_project_get_format (project) < 4)
    return TRUE;
  return _assay_suggest_store_row (project, annotator_id, candidate_id, template_version,
                                   prompt_version, model, seconds, 1, NULL, NULL, created, error);
}

/* ---- a run ---- */

typedef struct _Run Run;

typedef struct
{
  Run          *run;
  gint64        source_id;
  gint64        candidate_id;
  char         *source_ext;
  char         *candidate_ext;
  char         *candidate_text;
  GBytes       *body;
  guint         attempts;
  gint64        started;        /* monotonic µs, of the attempt in flight */
  GCancellable *cancellable;    /* of the attempt in flight */
  GSource      *timer;          /* its deadline, or the wait before the next one */
  gboolean      timed_out;
  SoupMessage  *message;
} Item;

/* The caller's side. Events and the final result are idle sources of the
 * same priority on the caller's context, dispatched in the order they were
 * attached, so the result (which frees this) comes after every event. */
typedef struct
{
  GMainContext         *context;
  AssaySuggestProgress  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_notify;
} Relay;

struct _Run
{
  GTask               *task;
  AssayProject        *caller;
  char                *path;
  AssaySuggestOptions *options;
  Relay               *relay;
  GThread             *thread;

  /* The worker's own. */
  GMainContext        *context;
  GMainLoop           *loop;
  AssayProject        *project;
  AssaySuggestPrompt  *prompt;
  SoupSession         *session;
  GUri                *uri;
  gint64               annotator_id;
  GPtrArray           *queue;       /* Item, in the order they are asked */
  guint                next;
  GPtrArray           *active;      /* Item in flight or waiting to retry */
  gboolean             stopping;
  gboolean             reached;     /* the endpoint has answered something */
  guint                done;
  guint                total;

  AssaySuggestReport  *report;
  GError              *error;
};

static void
relay_free (Relay *relay)
{
  if (relay->progress_notify != NULL)
    relay->progress_notify (relay->progress_data);
  g_main_context_unref (relay->context);
}

static void
item_free (Item *item)
{
  if (item->timer != NULL)
    {
      g_source_destroy (item->timer);
      g_source_unref (item->timer);
    }
  g_clear_object (&item->cancellable);
  g_clear_object (&item->message);
  g_clear_pointer (&item->body, g_bytes_unref);
  g_free (item->source_ext);
  g_free (item->candidate_ext);
  g_free (item->candidate_text);
  g_free (item);
}

static void
run_free (Run *run)
{
  g_clear_object (&run->task);
  g_clear_object (&run->caller);
  g_free (run->path);
  assay_suggest_options_free (run->options);
  if (run->relay != NULL)
    {
      relay_free (run->relay);
      g_free (run->relay);
    }
  assay_suggest_report_free (run->report);
  g_clear_error (&run->error);
  g_free (run);
}

typedef struct
{
  Relay *relay;
  guint  done;
  guint  total;
  char  *source_ext;
  char  *candidate_ext;
  char  *failure;
} Event;

static gboolean
deliver_event (gpointer data)
{
  Event *event = data;

  if (event->relay->progress != NULL)
    event->relay->progress (event->done, event->total, event->source_ext, event->candidate_ext,
                            event->failure, event->relay->progress_data);
  return G_SOURCE_REMOVE;
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->source_ext);
  g_free (event->candidate_ext);
  g_free (event->failure);
  g_free (event);
}

/* Hides the key in anything the endpoint sends back that is shown or
 * stored: some servers quote the key they refused. */
static char *
without_key (Run        *run,
             const char *text)
{
  const char *key = run->options->api_key;
  g_auto(GStrv) parts = NULL;

  if (key == NULL || strlen (key) < 4 || strstr (text, key) == NULL)
    return g_strdup (text);
  parts = g_strsplit (text, key, -1);
  return g_strjoinv ("[key]", parts);
}

/* Tells the caller about an item that is over; in the same order as the
 * final result, which goes the same way. */
static void
report_item (Run        *run,
             const char *source_ext,
             const char *candidate_ext,
             const char *failure)
{
  Event *event = g_new0 (Event, 1);
  GSource *source;

  run->done++;
  if (failure != NULL)
    {
      run->report->n_failed++;
      g_ptr_array_add (run->report->failures,
                       g_strdup_printf ("%s/%s: %s", source_ext, candidate_ext, failure));
    }

  event->relay = run->relay;
  event->done = run->done;
  event->total = run->total;
  event->source_ext = g_strdup (source_ext);
  event->candidate_ext = g_strdup (candidate_ext);
  event->failure = g_strdup (failure);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_event, event, event_free);
  g_source_set_static_name (source, "[assay] suggestion progress");
  g_source_attach (source, run->relay->context);
  g_source_unref (source);
}

static void start_more (Run *run);
static void send_attempt (Item *item);

/* The item leaves the run: answered, failed, or abandoned on cancelling. */
static void
item_end (Item       *item,
          gboolean    reported,
          const char *failure)
{
  Run *run = item->run;

  if (reported)
    report_item (run, item->source_ext, item->candidate_ext, failure);
  g_ptr_array_remove (run->active, item);
  start_more (run);
}

static void
stop_run (Run *run)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;

  /* Requests in flight end through their callbacks; waits end now. */
  for (guint i = run->active->len; i > 0; i--)
    {
      Item *item = g_ptr_array_index (run->active, i - 1);

      if (item->cancellable != NULL)
        g_cancellable_cancel (item->cancellable);
      else
        {
          if (item->timer != NULL)
            {
              g_source_destroy (item->timer);
              g_clear_pointer (&item->timer, g_source_unref);
            }
          g_ptr_array_remove_index (run->active, i - 1);
        }
    }
  start_more (run);
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  stop_run (data);
  return G_SOURCE_REMOVE;
}

static gboolean
ensure_annotator (Run     *run,
                  GError **error)
{
  if (run->annotator_id != 0)
    return TRUE;
  return assay_project_ensure_annotator (run->project, run->report->annotator,
                                         run->options->model, ASSAY_ANNOTATOR_MODEL,
                                         &run->annotator_id, error);
}

static void
fail_item (Item       *item,
           const char *reason,
           const char *model,
           double      seconds)
{
  Run *run = item->run;
  g_autofree char *shown = without_key (run, reason);
  g_autoptr(GError) error = NULL;

  if (!ensure_annotator (run, &error) ||
      !_assay_suggest_store_row (run->project, run->annotator_id, item->candidate_id,
                                 run->prompt->template_version, run->prompt->prompt_version,
                                 model, seconds, item->attempts, shown, NULL, NULL, &error))
    {
      g_propagate_error (&run->error, g_steal_pointer (&error));
      stop_run (run);
      item_end (item, FALSE, NULL);
      return;
    }
  item_end (item, TRUE, shown);
}

static gboolean
store_answer (Run                *run,
              Item               *item,
              AssaySuggestAnswer *answer,
              const char         *model,
              double              seconds,
              GError            **error)
{
  AssayStamp stamp = { NULL, NULL, 0 };
  g_autofree char *note = NULL;
  const struct { const char *type; const char *records; } parts[] = {
    { "labels", answer->labels },
    { "scores", answer->scores },
    { "span", answer->spans },
  };

  if (answer->unplaced != NULL)
    {
      GString *text = g_string_new (NULL);

      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u quote not found in the candidate:",
                                                 "%u quotes not found in the candidate:",
                                                 answer->unplaced->len),
                              answer->unplaced->len);
      for (guint i = 0; i < answer->unplaced->len; i++)
        g_string_append_printf (text, "%s “%s”", i > 0 ? "," : "",
                                (const char *) g_ptr_array_index (answer->unplaced, i));
      note = g_string_free (text, FALSE);
    }

  if (!assay_project_begin (run->project, error))
    return FALSE;
  if (!ensure_annotator (run, error))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i].records != NULL &&
        !assay_project_replace_records (run->project, item->source_id, run->annotator_id,
                                        parts[i].type, item->candidate_id, parts[i].records,
                                        &stamp, error))
      goto fail;
  if (!_assay_suggest_store_row (run->project, run->annotator_id, item->candidate_id,
                                 run->prompt->template_version, run->prompt->prompt_version,
                                 model, seconds, item->attempts, NULL, note, NULL, error))
    goto fail;
  if (!assay_project_commit (run->project, error))
    return FALSE;
  if (note != NULL)
    g_ptr_array_add (run->report->notes, g_strdup_printf ("%s/%s: %s", item->source_ext,
                                                          item->candidate_ext, note));
  return TRUE;

fail:
  assay_project_rollback (run->project);
  return FALSE;
}

static gint64
backoff_ms (guint attempts)
{
  gint64 ms = FIRST_BACKOFF_MS;

  for (guint i = 1; i < attempts && ms < MAX_BACKOFF_MS; i++)
    ms *= 2;
  ms = MIN (ms, MAX_BACKOFF_MS);
  /* A little jitter, so that requests that failed together do not all
   * come back at once. */
  return ms + g_random_int_range (0, 250);
}

static gboolean
on_wait_over (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->timer, g_source_unref);
  send_attempt (item);
  return G_SOURCE_REMOVE;
}

/* `transport`: the request got no HTTP answer at all. `final`: trying
 * again cannot help (a certificate refused). */
static void
retry_or_fail (Item       *item,
               const char *reason,
               gint64      retry_after,
               gboolean    transport,
               gboolean    final)
{
  Run *run = item->run;
  gint64 ms;

  if ((final || item->attempts >= MAX_ATTEMPTS) && transport && !run->reached)
    {
      /* Nothing has ever come back: the address is wrong or the server
       * is down, and every other candidate would wait as long to fail. */
      g_autofree char *shown = without_key (run, reason);

      if (run->error == NULL)
        {
          /* An address may carry a user and password. */
          g_autofree char *where = g_uri_to_string_partial (run->uri, G_URI_HIDE_USERINFO);

          g_set_error (&run->error, ASSAY_ERROR, ASSAY_ERROR_FAILED, _("Could not reach %s: %s"),
                       where, shown);
        }
      stop_run (run);
      item_end (item, FALSE, NULL);
      return;
    }
  if (final || item->attempts >= MAX_ATTEMPTS)
    {
      g_autofree char *said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%s (after %u attempt)",
                                                            "%s (after %u attempts)",
                                                            item->attempts),
                                               reason, item->attempts);

      fail_item (item, said, NULL, 0);
      return;
    }
  ms = retry_after >= 0 ? MIN (retry_after, MAX_RETRY_AFTER) * 1000 : backoff_ms (item->attempts);
  item->timer = g_timeout_source_new (ms);
  g_source_set_callback (item->timer, on_wait_over, item, NULL);
  g_source_set_static_name (item->timer, "[assay] suggestion retry");
  g_source_attach (item->timer, run->context);
}

static char *
http_reason (SoupMessage *message,
             GBytes      *body)
{
  guint status = soup_message_get_status (message);
  const char *phrase = soup_message_get_reason_phrase (message);
  g_autoptr(json_t) root = NULL;
  const char *said = NULL;

  if (body != NULL)
    {
      gsize length;
      const char *data = g_bytes_get_data (body, &length);

      root = json_loadb (data, length, 0, NULL);
    }
  /* OpenAI and those who follow it: {"error": {"message": …}}. */
  if (root != NULL)
    {
      json_t *error = json_object_get (root, "error");

      if (json_is_string (json_object_get (error, "message")))
        said = json_string_value (json_object_get (error, "message"));
      else if (json_is_string (error))
        said = json_string_value (error);
    }
  if (said != NULL)
    {
      g_autofree char *shortened = g_utf8_strlen (said, -1) > 200 ? g_utf8_substring (said, 0, 200)
                                                                  : g_strdup (said);

      return g_strdup_printf (_("HTTP %u %s: %s"), status, phrase != NULL ? phrase : "",
                              shortened);
    }
  return g_strdup_printf (_("HTTP %u %s"), status, phrase != NULL ? phrase : "");
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  Item *item = data;
  Run *run = item->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  double seconds = (g_get_monotonic_time () - item->started) / (double) G_USEC_PER_SEC;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (item->timer != NULL)
    {
      g_source_destroy (item->timer);
      g_clear_pointer (&item->timer, g_source_unref);
    }
  g_clear_object (&item->cancellable);

  if (run->stopping)
    {
      /* Nothing of an item cut short is stored. */
      item_end (item, FALSE, NULL);
      return;
    }

  if (body == NULL)
    {
      g_autofree char *reason = NULL;

      if (item->timed_out)
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "no answer within %u second",
                                               "no answer within %u seconds",
                                               run->options->timeout),
                                  run->options->timeout);
      else
        reason = g_strdup (error->message);
      g_clear_object (&item->message);
      /* A certificate refused stays refused. A server that refuses the
       * connection, or a name that does not resolve, before anything came
       * back is a wrong address: say so at once rather than after every
       * candidate's retries. Later in a run, it is a server restarting. */
      retry_or_fail (item, reason, -1, TRUE,
                     error->domain == G_TLS_ERROR ||
                     (!run->reached &&
                      (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
                       error->domain == G_RESOLVER_ERROR)));
      return;
    }

  run->reached = TRUE;
  status = soup_message_get_status (item->message);
  if (status == 429 || status >= 500)
    {
      const char *header = soup_message_headers_get_one (
        soup_message_get_response_headers (item->message), "Retry-After");
      g_autofree char *reason = http_reason (item->message, body);

      g_clear_object (&item->message);
      retry_or_fail (item, reason, _assay_suggest_parse_retry_after (header), FALSE, FALSE);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *reason = http_reason (item->message, body);

      g_clear_object (&item->message);
      fail_item (item, reason, NULL, seconds);
      return;
    }
  g_clear_object (&item->message);

  {
    g_auto(AssaySuggestAnswer) answer = { NULL };
    g_autofree char *model = NULL;
    g_autofree char *reason = NULL;
    gsize length;
    const char *text = g_bytes_get_data (body, &length);

    if (!_assay_suggest_read_response (run->prompt, item->candidate_ext, item->candidate_text,
                                       text != NULL ? text : "", length, &model, &answer,
                                       &reason))
      {
        fail_item (item, reason, model, seconds);
        return;
      }
    if (!store_answer (run, item, &answer, model, seconds, &error))
      {
        g_propagate_error (&run->error, g_steal_pointer (&error));
        stop_run (run);
        item_end (item, FALSE, NULL);
        return;
      }
    run->report->n_answered++;
    item_end (item, TRUE, NULL);
  }
}

static gboolean
on_deadline (gpointer data)
{
  Item *item = data;

  item->timed_out = TRUE;
  g_clear_pointer (&item->timer, g_source_unref);
  g_cancellable_cancel (item->cancellable);
  return G_SOURCE_REMOVE;
}

static void
send_attempt (Item *item)
{
  Run *run = item->run;

  item->attempts++;
  item->timed_out = FALSE;
  item->started = g_get_monotonic_time ();
  item->cancellable = g_cancellable_new ();
  item->message = soup_message_new_from_uri (SOUP_METHOD_POST, run->uri);
  soup_message_set_request_body_from_bytes (item->message, "application/json", item->body);
  if (run->options->api_key != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", run->options->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (item->message),
                                    "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }

  item->timer = g_timeout_source_new_seconds (run->options->timeout);
  g_source_set_callback (item->timer, on_deadline, item, NULL);
  g_source_set_static_name (item->timer, "[assay] suggestion deadline");
  g_source_attach (item->timer, run->context);

  soup_session_send_and_read_async (run->session, item->message, G_PRIORITY_DEFAULT,
                                    item->cancellable, on_sent, item);
}

/* Reads what the prompt needs of the item's source and makes its request. */
static gboolean
prepare_item (Run     *run,
              Item    *item,
              GError **error)
{
  g_autoptr(GPtrArray) speakers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) turns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *user = NULL;
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_project_prepare (run->project, "SELECT title, text FROM sources WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->source_id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      title = g_strdup (_assay_column_text (stmt, 0));
      text = g_strdup (_assay_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _assay_sqlite_error (_assay_project_get_db (run->project), error, NULL);

  stmt = _assay_project_prepare (run->project,
                                 "SELECT speaker, text FROM segments WHERE source_id = ?1"
                                 " ORDER BY idx",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (speakers, g_strdup (_assay_column_text (stmt, 0)));
      g_ptr_array_add (turns, g_strdup (_assay_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (run->project), error, NULL);

  user = _assay_suggest_user_message (title, text, speakers, turns, item->candidate_text);
  body = _assay_suggest_request_body (run->prompt, run->options->model, user);
  {
    gsize length = strlen (body);

    item->body = g_bytes_new_take (g_steal_pointer (&body), length);
  }
  return TRUE;
}

static void
start_more (Run *run)
{
  while (!run->stopping && run->active->len < run->options->concurrency &&
         run->next < run->queue->len)
    {
      Item *item = g_ptr_array_index (run->queue, run->next);
      g_autoptr(GError) error = NULL;

      /* The queue keeps owning it; `active` only points at it. */
      run->next++;
      if (!prepare_item (run, item, &error))
        {
          g_propagate_error (&run->error, g_steal_pointer (&error));
          stop_run (run);
          break;
        }
      g_ptr_array_add (run->active, item);
      send_attempt (item);
    }

  if (run->active->len == 0 && (run->stopping || run->next == run->queue->len))
    g_main_loop_quit (run->loop);
}

/* ---- choosing what to ask ---- */

static gboolean
lookup_kind (AssayProject  *project,
             const char    *ext_id,
             char         **kind,
             GError       **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (project,
                                               "SELECT kind FROM annotators WHERE ext_id = ?1",
                                               error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ext_id, -1, SQLITE_STATIC);
  *kind = sqlite3_step (stmt) == SQLITE_ROW ? g_strdup (_assay_column_text (stmt, 0)) : NULL;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
source_passes_status (Run     *run,
                      gint64   source_id,
                      GError **error)
{
  const char *status = run->options->status;
  sqlite3_stmt *stmt;
  gboolean passes;

  /* "todo" is what no person has started: a source without a status
   * is to do. Any other status is one some person gave it. */
  if (g_str_equal (status, "todo"))
    stmt = _assay_project_prepare (run->project,
                                   "SELECT NOT EXISTS (SELECT 1 FROM item_status t"
                                   " JOIN annotators a ON a.id = t.annotator_id"
                                   " WHERE t.source_id = ?1 AND t.status <> 'todo'"
                                   " AND a.kind = 'person')",
                                   error);
  else
    stmt = _assay_project_prepare (run->project,
                                   "SELECT EXISTS (SELECT 1 FROM item_status t"
                                   " JOIN annotators a ON a.id = t.annotator_id"
                                   " WHERE t.source_id = ?1 AND t.status = ?2"
                                   " AND a.kind = 'person')",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if (!g_str_equal (status, "todo"))
    sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  passes = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return passes;
}

static gboolean
add_source_items (Run         *run,
                  gint64       source_id,
                  const char  *source_ext,
                  GHashTable  *present,
                  GPtrArray   *skipped,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_project_prepare (run->project,
                                 "SELECT id, ext_id, text FROM candidates WHERE source_id = ?1"
                                 " ORDER BY position, id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (g_hash_table_contains (present, &id))
        {
          g_ptr_array_add (skipped, g_strdup (source_ext));
          g_ptr_array_add (skipped, g_strdup (_assay_column_text (stmt, 1)));
          continue;
        }
      {
        Item *item = g_new0 (Item, 1);

        item->run = run;
        item->source_id = source_id;
        item->candidate_id = id;
        item->source_ext = g_strdup (source_ext);
        item->candidate_ext = g_strdup (_assay_column_text (stmt, 1));
        item->candidate_text = g_strdup (_assay_column_text (stmt, 2));
        g_ptr_array_add (run->queue, item);
      }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (run->project), error, NULL);
  return TRUE;
}

/* Fills the queue; `skipped` gets (source, candidate) pairs already
 * suggested. */
static gboolean
choose_items (Run        *run,
              GPtrArray  *skipped,
              GError    **error)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) exts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  guint n_sources = 0;
  int rc;

  stmt = _assay_project_prepare (run->project,
                                 "SELECT candidate_id FROM suggestions"
                                 " WHERE annotator_id = ?1 AND template_version = ?2"
                                 " AND error IS NULL",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->annotator_id);
  sqlite3_bind_text (stmt, 2, run->prompt->template_version, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (present, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) },
                                          sizeof (gint64)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (run->project), error, NULL);

  if (run->options->sources->len > 0)
    {
      for (guint i = 0; i < run->options->sources->len; i++)
        {
          const char *ext = g_ptr_array_index (run->options->sources, i);
          gint64 id = assay_project_lookup_source (run->project, ext);

          if (id == 0)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                           _("There is no source “%s” in the project"), ext);
              return FALSE;
            }
          g_array_append_val (ids, id);
          g_ptr_array_add (exts, g_strdup (ext));
        }
    }
  else
    {
      g_autoptr(sqlite3_stmt) sources = NULL;
      sqlite3 *db = _assay_project_get_db (run->project);

      if (sqlite3_prepare_v2 (db, "SELECT id, ext_id FROM sources ORDER BY id", -1, &sources,
                              NULL) != SQLITE_OK)
        return _assay_sqlite_error (db, error, NULL);
      while ((rc = sqlite3_step (sources)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (sources, 0);

          g_array_append_val (ids, id);
          g_ptr_array_add (exts, g_strdup (_assay_column_text (sources, 1)));
        }
      if (rc != SQLITE_DONE)
        return _assay_sqlite_error (db, error, NULL);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (run->options->limit > 0 && n_sources >= run->options->limit)
        break;
      if (run->options->status != NULL)
        {
          g_autoptr(GError) local = NULL;

          if (!source_passes_status (run, id, &local))
            {
              if (local != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return FALSE;
                }
              continue;
            }
        }
      n_sources++;
      if (!add_source_items (run, id, g_ptr_array_index (exts, i), present, skipped, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the worker ---- */

static gboolean
deliver_result (gpointer data)
{
  Run *run = data;

  g_thread_join (run->thread);
  run->thread = NULL;
  if (run->error != NULL)
    g_task_return_error (run->task, g_steal_pointer (&run->error));
  else
    g_task_return_pointer (run->task, g_steal_pointer (&run->report),
                           (GDestroyNotify) assay_suggest_report_free);
  run_free (run);
  return G_SOURCE_REMOVE;
}

static gboolean
prepare_run (Run     *run,
             GError **error)
{
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *url = NULL;
  g_autofree char *kind = NULL;
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  GError *local = NULL;
  const char *endpoint = run->options->endpoint;
  gsize len = strlen (endpoint);

  if (!g_utf8_validate (run->options->model, -1, NULL) || !g_utf8_validate (endpoint, -1, NULL))
    {
      g_set_error_literal (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           _("The model name and the endpoint must be UTF-8 text"));
      return FALSE;
    }
  while (len > 0 && endpoint[len - 1] == '/')
    len--;
  url = g_strdup_printf ("%.*s/chat/completions", (int) len, endpoint);
  run->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local);
  if (run->uri == NULL || (g_strcmp0 (g_uri_get_scheme (run->uri), "http") != 0 &&
                           g_strcmp0 (g_uri_get_scheme (run->uri), "https") != 0))
    {
      g_clear_error (&local);
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("“%s” is not an http or https address"), endpoint);
      return FALSE;
    }

  run->project = assay_project_open_full (run->path, ASSAY_PROJECT_OPEN_DEFAULT, error);
  if (run->project == NULL)
    return FALSE;
  tmpl = assay_project_load_template (run->project, error);
  if (tmpl == NULL)
    return FALSE;
  run->prompt = _assay_suggest_prompt_new (tmpl, run->options->kinds, error);
  if (run->prompt == NULL)
    return FALSE;

  run->report->annotator = assay_suggest_annotator_for_model (run->options->model);
  if (!lookup_kind (run->project, run->report->annotator, &kind, error))
    return FALSE;
  if (kind != NULL && !g_str_equal (kind, "model"))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_EXISTS,
                   _("The annotator “%s” is a %s, not a model: its judgments are not "
                     "suggestions"), run->report->annotator, kind);
      return FALSE;
    }
  /* Made with the first answer or failure, so that a run that reaches
   * nobody leaves no annotator behind. */
  run->annotator_id = assay_project_lookup_annotator (run->project, run->report->annotator);

  if (!choose_items (run, skipped, error))
    return FALSE;
  run->total = run->queue->len + skipped->len / 2;
  for (guint i = 0; i < skipped->len; i += 2)
    {
      run->report->n_present++;
      report_item (run, g_ptr_array_index (skipped, i), g_ptr_array_index (skipped, i + 1),
                   NULL);
    }
  return TRUE;
}

static gpointer
run_thread (gpointer data)
{
  Run *run = data;
  GCancellable *cancellable = g_task_get_cancellable (run->task);
  GSource *cancel_source = NULL;

  run->context = g_main_context_new ();
  g_main_context_push_thread_default (run->context);
  run->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  run->active = g_ptr_array_new ();

  if (prepare_run (run, &run->error) && run->queue->len > 0 &&
      !g_cancellable_is_cancelled (cancellable))
    {
      run->loop = g_main_loop_new (run->context, FALSE);
      /* libsoup's own time-out is per read or write; the deadline that says
       * "no answer within N seconds" is the item's, which comes first. */
      run->session = soup_session_new_with_options ("timeout", run->options->timeout + 1,
                                                    "max-conns-per-host",
                                                    MAX (run->options->concurrency, 2),
                                                    "max-conns",
                                                    MAX (run->options->concurrency, 2) * 2,
                                                    "user-agent", "Assay/" PACKAGE_VERSION,
                                                    NULL);
      if (cancellable != NULL)
        {
          cancel_source = g_cancellable_source_new (cancellable);
          g_source_set_callback (cancel_source, G_SOURCE_FUNC (on_cancelled), run, NULL);
          g_source_attach (cancel_source, run->context);
        }
      start_more (run);
      if (run->active->len > 0)
        g_main_loop_run (run->loop);

      if (cancel_source != NULL)
        {
          g_source_destroy (cancel_source);
          g_source_unref (cancel_source);
        }
      soup_session_abort (run->session);
      g_clear_object (&run->session);
      g_clear_pointer (&run->loop, g_main_loop_unref);
    }

  /* Whatever the session left to finish runs now, before the context goes. */
  while (g_main_context_iteration (run->context, FALSE))
    ;
  g_clear_pointer (&run->active, g_ptr_array_unref);
  g_clear_pointer (&run->queue, g_ptr_array_unref);
  g_clear_pointer (&run->prompt, _assay_suggest_prompt_free);
  g_clear_pointer (&run->uri, g_uri_unref);
  /* Closed before the caller hears of it. */
  g_clear_object (&run->project);
  g_main_context_pop_thread_default (run->context);
  g_clear_pointer (&run->context, g_main_context_unref);

  if (run->error == NULL && g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (&run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         _("Suggesting was cancelled"));

  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, deliver_result, run, NULL);
    g_source_set_static_name (source, "[assay] suggestions done");
    g_source_attach (source, run->relay->context);
    g_source_unref (source);
  }
  return NULL;
}

/**
 * assay_suggest_run_async:
 * @progress: (nullable) (scope notified): called on the caller's main
 *   context after each candidate
 * @cancellable: (nullable): stops the run; what was stored stays
 *
 * See assay-suggest.h.
 */
void
assay_suggest_run_async (AssayProject         *project,
                         AssaySuggestOptions  *options,
                         AssaySuggestProgress  progress,
                         gpointer              progress_data,
                         GDestroyNotify        progress_notify,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (ASSAY_IS_PROJECT (project));
  g_return_if_fail (options != NULL);

  task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_suggest_run_async);
  /* Cancelled as it stores its last answer, the run still says what it
   * stored. */
  g_task_set_check_cancellable (task, FALSE);

  if (assay_project_get_read_only (project))
    {
      const char *reason = assay_project_get_read_only_reason (project);

      if (progress_notify != NULL)
        progress_notify (progress_data);
      if (reason != NULL)
        g_task_return_new_error (task, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY, "%s", reason);
      else
        g_task_return_new_error (task, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY,
                                 _("“%s” is open read-only: nothing can be suggested in it"),
                                 assay_project_get_path (project));
      return;
    }

  run = g_new0 (Run, 1);
  run->task = g_steal_pointer (&task);
  run->caller = g_object_ref (project);
  run->path = g_strdup (assay_project_get_path (project));
  run->options = options_copy (options);
  run->relay = g_new0 (Relay, 1);
  run->relay->context = g_main_context_ref_thread_default ();
  run->relay->progress = progress;
  run->relay->progress_data = progress_data;
  run->relay->progress_notify = progress_notify;
  run->report = g_new0 (AssaySuggestReport, 1);
  run->report->failures = g_ptr_array_new_with_free_func (g_free);
  run->report->notes = g_ptr_array_new_with_free_func (g_free);
  run->thread = g_thread_new ("assay-suggest", run_thread, run);
}

AssaySuggestReport *
assay_suggest_run_finish (AssayProject  *project,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (g_task_is_valid (result, project), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
