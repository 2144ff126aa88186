/* assay-kind-private.h: a judgment kind, described once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each kind of judgment (labels, spans, corrections, scores, rankings,
 * comparisons, notes, statuses) is one AssayKind in its own file under
 * kinds/. The description says where the kind is stored and what makes two
 * records the same judgment, how its native JSON record is read (and
 * validated against the template) and written, how it is loaded into an
 * item, counted, cleared and checked. Storage, import, merge (which is an
 * import), native export, check, counts and item loading go through the
 * list of kinds in assay-kinds.c and never name a kind themselves.
 *
 * Adding a kind: write kinds/assay-kind-NAME.c (with the statements that
 * create its table and the format that adds them), add NAME to
 * `judgment_kinds` in src/core/meson.build and the file to po/POTFILES.in,
 * give it a widget, and describe its record in
 * data/schemas/assay-native.schema.json and docs/formats.md.
 */
#pragma once

#include <sqlite3.h>

#include "assay-adjudication.h"
#include "assay-item.h"
#include "assay-json-reader-private.h"
#include "assay-judgments.h"
#include "assay-project.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef enum
{
  ASSAY_KIND_OF_SOURCE,      /* rows carry source_id */
  ASSAY_KIND_OF_CANDIDATE,   /* rows carry candidate_id */
} AssayKindScope;

typedef enum
{
  ASSAY_KIND_NO_CANDIDATE,       /* the record names no candidate */
  ASSAY_KIND_CANDIDATE,          /* it must name one ("candidate") */
  ASSAY_KIND_CANDIDATE_OPTIONAL, /* it may */
} AssayKindCandidate;

/* One native record being imported: where it is, what it is about, and
 * the stamp it carries. The kind reads its own members and stores them. */
typedef struct
{
  AssayProject          *project;
  AssayTemplate         *tmpl;
  const AssayJsonReader *r;
  guint                  object;
  const char            *prefix;
  gint64                 source_id;
  const char            *source_ext;
  gint64                 candidate_id;  /* 0 unless the record names one */
  gint64                 annotator_id;
  const AssayStamp      *stamp;
  gboolean              *unresolved;    /* set when a reference names nothing here */
} AssayKindRecord;

/* The native export's writer, as the kinds see it (assay-export-native.c). */
typedef struct _AssayKindWriter AssayKindWriter;

typedef struct
{
  const char *sql;      /* rows that break the rule; the first column names each */
  const char *message;  /* N_() with one %s */
} AssayKindRule;

/* The rows a kind brings into the statistics' snapshot: for the whole
 * project, and for one source (?1), each read by a function of
 * assay-stats.c (assay-stats-private.h). */
typedef struct
{
  const char  *every_source;
  const char  *one_source;
  gboolean   (*row) (sqlite3_stmt *stmt,
                     gpointer      loader);
} AssayKindStats;

typedef struct
{
  const char *sql;      /* ?1 source id, ?2 annotator id */
  void      (*row)     (AssayItem    *item,
                        sqlite3_stmt *stmt);
} AssayKindLoad;

typedef struct
{
  /* The native record's "type", and the members it has beside type,
   * source, annotator, created, updated and time_spent (and candidate). */
  const char             *type;
  const char * const     *members;
  AssayKindCandidate      candidate;

  /* Storage. `table` has annotator_id, created_at, updated_at, time_spent,
   * and source_id or candidate_id by `scope`. `key` is what makes two rows
   * the same judgment, which saving again replaces (a UNIQUE constraint);
   * `counted` what makes one native record (rows of labels, scores and
   * rankings group into one record each). `present` narrows which rows
   * count as a judgment at all (a status of "to do" does not). */
  const char             *table;
  AssayKindScope          scope;
  const char             *key;
  const char             *counted;
  const char             *present;

  /* The project format that added the kind's table, and the statements
   * that create it (NULL for the kinds of assay-schema.sql, format 1;
   * written with IF NOT EXISTS). A new kind takes the next format: a
   * project holding its judgments must not open in an older Assay, which
   * would not keep them; and an older project read without being migrated
   * (a merge input) has no table for it, so every statement made from the
   * list leaves it out there (_assay_kind_in_project). */
  int                     since;
  const char             *ddl;

  /* The template switch that turns the kind on; 0 for kinds every
   * template has (notes, statuses). */
  AssayJudgmentKinds      judge;

  /* Reads the record's own members, checks them against the template and
   * stores them through assay-judgments.h. */
  gboolean              (*read)   (AssayKindRecord  *record,
                                   GError          **error);
  /* Writes every record of the kind on the source, in an order that
   * depends only on the data. */
  gboolean              (*write)  (AssayKindWriter  *w,
                                   gint64            source_id,
                                   GError          **error);

  /* Whether the item holds a judgment of this kind on the candidate: what
   * makes an annotator a rater of it (a status other than "to do" and
   * "skipped" counts for every candidate of the source). */
  gboolean              (*touches) (AssayItem          *item,
                                    AssayItemCandidate *candidate);

  /* Adjudication (assay-adjudication.c). `block` is the kind of block its
   * judgments make and `shown` the place of those blocks, candidate kinds
   * under each candidate and then source kinds (0: not adjudicated:
   * notes, statuses). `blocks` adds the blocks of one candidate (or, for a
   * source kind, of the source: candidate NULL) to `out`, the candidates
   * being in display order. `holds` says whether an item holds a value in
   * a block; `none_is_an_answer` whether choosing nothing there is an
   * answer too (a multi-choice set, spans); `same` whether two items that
   * hold a value hold the same one (`exact`: with what goes along it:
   * rationales, span notes and evidence, which tells whether the gold
   * copies someone's judgment). */
  AssayBlockKind          block;
  int                     shown;
  void                  (*blocks)  (AssayTemplate                *tmpl,
                                    GPtrArray                    *candidates,
                                    AssayItemCandidate           *candidate,
                                    GPtrArray                    *out);
  gboolean              (*holds)   (const AssayAdjudicationBlock *block,
                                    AssayItem                    *item);
  gboolean              (*none_is_an_answer) (const AssayAdjudicationBlock *block);
  gboolean              (*same)    (const AssayAdjudicationBlock *block,
                                    AssayItem                    *x,
                                    AssayItem                    *y,
                                    gboolean                      exact);

  /* Statistics (assay-stats.c): the rows the kind brings into them. NULL
   * for a kind that brings no statistic of its own: a kind about candidates
   * then still tells, through its (candidate_id, annotator_id), who judged
   * which candidate (_assay_kind_stats makes those statements). */
  const AssayKindStats   *stats;

  /* Empties the kind's fields of an item, before they are loaded again. */
  void                  (*clear_item) (AssayItem      *item);

  /* Item loading into the kind's fields of AssayItem, in order;
   * NULL-terminated by sql. A kind with no fields there leaves it NULL and
   * its records are loaded into item->records. */
  const AssayKindLoad    *load;
  /* Rules `assay-cli check` runs; NULL-terminated by sql. */
  const AssayKindRule    *rules;
} AssayKind;

/* A new block of adjudication (assay-adjudication.c). */
AssayAdjudicationBlock  *_assay_adjudication_block_new (AssayBlockKind    kind,
                                                        gint64            candidate_id);

/* Every kind, in the order the native export writes them. */
const AssayKind * const *_assay_kinds                (guint            *n_kinds);
const AssayKind         *_assay_kind_lookup          (const char       *type);
/* "labels, span, ...": for messages. */
const char              *_assay_kinds_type_list      (void);

/* Refuses members the record's kind does not have. */
gboolean                 _assay_kind_check_members   (const AssayKind  *kind,
                                                      AssayKindRecord  *record,
                                                      GError          **error);
/* Reads a record whose members are checked and whose source, annotator
 * and stamp are known: resolves the candidate it names, and lets the kind
 * store it. */
gboolean                 _assay_kind_read_record     (const AssayKind  *kind,
                                                      AssayKindRecord  *record,
                                                      GError          **error);
/* Every annotator's records of the kind on the source, as a JSON array
 * (assay-export-native.c). */
gboolean                 _assay_kind_write_records   (const AssayKind  *kind,
                                                      AssayProject     *project,
                                                      gint64            source_id,
                                                      GString          *out,
                                                      GError          **error);

/* What the rest of the core calls. */
gboolean                 _assay_kinds_clear          (AssayProject     *project,
                                                      gint64            source_id,
                                                      gint64            annotator_id,
                                                      GError          **error);
/* Made for the project's format: kinds newer than the file are left out.
 * The annotators statement is whole: the annotators who judged source ?1,
 * persons first, then models, then adjudicators, each by id. */
const char              *_assay_kinds_last_update_sql (AssayProject    *project);
const char              *_assay_kinds_annotators_sql (AssayProject     *project);
const char              *_assay_kinds_count_sql      (AssayProject     *project);
/* What the statistics read of the kind in the project: its own rows, or who
 * judged which candidate; NULL for none. */
const AssayKindStats    *_assay_kind_stats           (const AssayKind  *kind,
                                                      AssayProject     *project);
/* Whether the kind's table is in the project's file (a project read
 * without being migrated may be older than the kind). */
gboolean                 _assay_kind_in_project      (const AssayKind  *kind,
                                                      AssayProject     *project);
gboolean                 _assay_kinds_load_item      (AssayProject     *project,
                                                      AssayItem        *item,
                                                      GError          **error);

/* Helpers for reading a record. Fails with the record's file, line and
 * the path of the node. */
#define _assay_kind_fail(record, node, path, error, ...) \
  _assay_reader_fail ((record)->r, (node), (path), (error), __VA_ARGS__)
/* Wraps an error of the core (it is freed) in the record's position. */
gboolean _assay_kind_fail_with       (AssayKindRecord  *record,
                                      guint             node,
                                      const char       *path,
                                      GError           *local_error,
                                      GError          **error);
/* Resolves the candidate named by member `key`. */
gboolean _assay_kind_candidate_ref   (AssayKindRecord  *record,
                                      const char       *key,
                                      gint64           *candidate_id,
                                      GError          **error);

/* Helpers for writing records (assay-export-native.c). */
sqlite3_stmt *_assay_kind_writer_prepare   (AssayKindWriter *w,
                                            const char      *sql,
                                            gint64           source_id,
                                            GError         **error);
gboolean      _assay_kind_writer_done      (AssayKindWriter *w,
                                            sqlite3_stmt    *stmt,
                                            int              rc,
                                            GError         **error);
AssayProject *_assay_kind_writer_project   (AssayKindWriter *w);
GString      *_assay_kind_writer_buffer    (AssayKindWriter *w);
const char   *_assay_kind_writer_candidate (AssayKindWriter *w,
                                            gint64           candidate_id);
/* Opens a record {"type":…,"annotator":… and leaves it open. */
void          _assay_kind_writer_begin     (AssayKindWriter *w,
                                            const char      *type,
                                            const char      *annotator);
void          _assay_kind_writer_end       (AssayKindWriter *w);
void          _assay_kind_writer_key       (AssayKindWriter *w,
                                            const char      *name);
void          _assay_kind_writer_string    (AssayKindWriter *w,
                                            const char      *name,
                                            const char      *value);
void          _assay_kind_writer_column    (AssayKindWriter *w,
                                            const char      *name,
                                            sqlite3_stmt    *stmt,
                                            int              col);
void          _assay_kind_writer_int       (AssayKindWriter *w,
                                            const char      *name,
                                            gint64           value);
/* created, updated and time_spent from three consecutive columns. */
void          _assay_kind_writer_stamp     (AssayKindWriter *w,
                                            sqlite3_stmt    *stmt,
                                            int              col);
/* Starts an object value inside the open record and restores the
 * record's member state when it ends. */
gboolean      _assay_kind_writer_begin_inner (AssayKindWriter *w);
void          _assay_kind_writer_end_inner   (AssayKindWriter *w,
                                              gboolean         saved);

/* Kinds stored a row per choice (labels, scores, rankings) go out as one
 * record per candidate (or source) and annotator, stamped with the earliest
 * creation and the latest change of its rows. A group tracks the record. */
typedef struct
{
  gboolean  open;
  gboolean  in_list;      /* a list is open inside the inner object */
  char     *key;          /* annotator and candidate of the open record */
  char     *created;
  char     *updated;
  double    time_spent;
} AssayKindGroup;

void     _assay_kind_group_clear  (AssayKindGroup  *g);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssayKindGroup, _assay_kind_group_clear)
void     _assay_kind_group_close  (AssayKindWriter *w,
                                   AssayKindGroup  *g);
/* Starts a record when the row's annotator (column 0) or candidate
 * (column 1, if `with_candidate`) differ from the open one's, with the
 * stamp in columns col..col+2, and opens its `inner` object; TRUE if it
 * did. */
gboolean _assay_kind_group_update (AssayKindWriter *w,
                                   AssayKindGroup  *g,
                                   sqlite3_stmt    *stmt,
                                   const char      *type,
                                   const char      *inner,
                                   gboolean         with_candidate,
                                   int              col);

/* Writing a judgment row. Every judgment statement binds its stamp to the
 * same parameters: ?20 created_at, ?21 updated_at, ?22 time_spent (NULL:
 * keep), ?23 whether created_at was given (a replaced judgment otherwise
 * keeps its own). Use ASSAY_STAMP_VALUES in VALUES and ASSAY_STAMP_UPDATE in
 * ON CONFLICT DO UPDATE SET. */
#define ASSAY_STAMP_VALUES "?20, ?21, coalesce (?22, 0)"
#define ASSAY_STAMP_UPDATE \
  "created_at = CASE WHEN ?23 THEN excluded.created_at ELSE created_at END," \
  " updated_at = excluded.updated_at, time_spent = coalesce (?22, time_spent)"

typedef struct
{
  char *now;
} AssayStampScope;

void     _assay_stamp_scope_clear (AssayStampScope  *scope);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssayStampScope, _assay_stamp_scope_clear)
/* NULL times mean now; a negative time_spent keeps the stored one. */
void     _assay_stamp_bind        (sqlite3_stmt     *stmt,
                                   const AssayStamp *stamp,
                                   AssayStampScope  *scope);

/* Item loading helpers. */
char                *_assay_kind_dup_text     (sqlite3_stmt *stmt,
                                               int           col);

G_END_DECLS
