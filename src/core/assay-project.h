/* assay-project.h: one review effort in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* 'ASSY' */
#define ASSAY_APPLICATION_ID   0x41535359
/* The format of the base schema (assay-schema.sql and the migrations in
 * assay-project.c). A judgment kind that brings a table of its own names
 * the format that adds it, and the newest format this build writes is the
 * later of the two: ASSAY_SCHEMA_VERSION. */
#define ASSAY_BASE_SCHEMA_VERSION 4
#define ASSAY_SCHEMA_VERSION      (assay_schema_version ())
int assay_schema_version (void) G_GNUC_CONST;

#define ASSAY_TYPE_PROJECT (assay_project_get_type ())
G_DECLARE_FINAL_TYPE (AssayProject, assay_project, ASSAY, PROJECT, GObject)

typedef enum
{
  ASSAY_ANNOTATOR_PERSON,
  ASSAY_ANNOTATOR_MODEL,
  ASSAY_ANNOTATOR_ADJUDICATOR,
} AssayAnnotatorKind;

typedef enum
{
  ASSAY_STATUS_TODO,
  ASSAY_STATUS_IN_PROGRESS,
  ASSAY_STATUS_DONE,
  ASSAY_STATUS_SKIPPED,
  ASSAY_STATUS_FLAGGED,
  ASSAY_N_STATUSES,
} AssayStatus;

typedef struct
{
  gint64 sources;
  gint64 candidates;
  gint64 annotators;
  gint64 judgments;          /* judgment records, counted as the native export writes them */
  gint64 status[ASSAY_N_STATUSES]; /* sources by their most advanced status over the annotators
                                    * whose work counts (assay_annotator_kind_counts_by_default) */
} AssayProjectCounts;

typedef enum
{
  /* Read and write. Refused (ASSAY_ERROR_BUSY) while the Assay app has the
   * project open in another process, and (ASSAY_ERROR_READ_ONLY) when the
   * file or its folder cannot be written. */
  ASSAY_PROJECT_OPEN_DEFAULT   = 0,
  /* Never writes the project, never checkpoints it, leaves nothing beside
   * it that was not there, and is safe while an app has it open. An older
   * project is read as it is, not migrated. */
  ASSAY_PROJECT_OPEN_READ_ONLY = 1 << 0,
  /* The app: holds the project for as long as it is open, so that commands
   * from other processes only read it. Opens read-only instead of failing
   * when the project cannot be written or another program holds it; see
   * assay_project_get_read_only_reason(). */
  ASSAY_PROJECT_OPEN_APP       = 1 << 1,
} AssayProjectOpenFlags;

AssayProject *assay_project_create          (const char          *path,
                                             GError             **error);
/* assay_project_open_full() with ASSAY_PROJECT_OPEN_DEFAULT. */
AssayProject *assay_project_open            (const char          *path,
                                             GError             **error);
AssayProject *assay_project_open_full       (const char          *path,
                                             AssayProjectOpenFlags flags,
                                             GError             **error);
/* assay_project_open_full() in a worker thread: reading the header, waiting
 * for the lock and migrating an older project take as long as they take
 * without blocking the caller's main loop. The connection is made in the
 * worker and used afterwards from the thread that finishes the call. */
void          assay_project_open_async      (const char          *path,
                                             AssayProjectOpenFlags flags,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
AssayProject *assay_project_open_finish     (GAsyncResult        *result,
                                             GError             **error);
const char   *assay_project_get_path        (AssayProject        *self);
/* TRUE if nothing can be written to the project through this object. */
gboolean      assay_project_get_read_only   (AssayProject        *self);
/* Why a project opened with ASSAY_PROJECT_OPEN_APP is read-only, as a
 * translated sentence naming the project ("“x.assay” is read-only ..."), or
 * NULL if it is not (or was opened read-only on purpose). */
const char   *assay_project_get_read_only_reason (AssayProject   *self);
/* TRUE if `path` names this project's file (or its -wal, -shm or lock
 * file), so that an export or a template written there would destroy the
 * project, and reading it outside SQLite would drop SQLite's locks. */
gboolean      assay_project_is_own_file     (AssayProject        *self,
                                             const char          *path);
char         *assay_project_dup_name        (AssayProject        *self);
gboolean      assay_project_get_counts      (AssayProject        *self,
                                             AssayProjectCounts  *counts,
                                             GError             **error);

typedef struct
{
  char   *model;
  gint64  n_candidates;
} AssayModelCount;

void          assay_model_count_free        (AssayModelCount     *count);
/* (element-type AssayModelCount): the models of the project's candidates,
 * most candidates first. */
GPtrArray    *assay_project_list_models     (AssayProject        *self,
                                             GError             **error);

/* Settings are small key/value strings stored in the project. */
char         *assay_project_dup_setting     (AssayProject        *self,
                                             const char          *key);
gboolean      assay_project_set_setting     (AssayProject        *self,
                                             const char          *key,
                                             const char          *value,
                                             GError             **error);

/* Transactions nest (the outermost is a BEGIN IMMEDIATE, inner ones are
 * savepoints). Every write outside a transaction commits at once. */
gboolean      assay_project_begin           (AssayProject        *self,
                                             GError             **error);
gboolean      assay_project_commit          (AssayProject        *self,
                                             GError             **error);
void          assay_project_rollback        (AssayProject        *self);
/* A read transaction: a consistent snapshot for a long read (an export)
 * that does not hold up writers. */
gboolean      assay_project_begin_read      (AssayProject        *self,
                                             GError             **error);
void          assay_project_end_read        (AssayProject        *self);

const char   *assay_annotator_kind_to_string (AssayAnnotatorKind kind);
gboolean      assay_annotator_kind_from_string (const char       *str,
                                                AssayAnnotatorKind *kind);
/* A proposal never counts as the expert's work: whether the judgments and
 * statuses of an annotator of this kind count when nobody chose whose do.
 * Model annotators (suggestions, pre-checks, imported LLM judges) do not:
 * they are left out of progress, agreement, the leaderboard and the
 * dataset exports unless asked for (docs/statistics.md, "Who counts"). */
gboolean      assay_annotator_kind_counts_by_default (AssayAnnotatorKind kind);
const char   *assay_status_to_string        (AssayStatus          status);
gboolean      assay_status_from_string      (const char          *str,
                                             AssayStatus         *status);
/* Translated, for display: "To do", "In progress", ... */
const char   *assay_status_get_label        (AssayStatus          status);

/* The current time as Assay stores it: "2026-11-24T09:15:02.250Z". */
char         *assay_now_iso8601             (void);
/* Parses any ISO 8601 time with a zone and returns it in Assay's form, or NULL. */
char         *assay_normalize_iso8601       (const char          *str);

/* One annotator's progress: sources they marked done, out of all sources. */
gboolean      assay_project_get_annotator_progress (AssayProject *self,
                                                    gint64        annotator_id,
                                                    gint64       *done,
                                                    gint64       *total,
                                                    GError      **error);

G_END_DECLS
