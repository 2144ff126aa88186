/* assay-queue.c: the review queue, a lazy list of a project's sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include "assay-project-private.h"
#include "assay-queue.h"
#include "assay-stats.h"

/* Rows are read this many at a time, around the one asked for. */
#define PAGE_SIZE 128

/* The seed of the informative order's random part: fixed, so that the
 * list is the same every time the project is opened. */
#define INFORMATIVE_SEED 0

struct _AssayQueueRow
{
  GObject      parent_instance;
  gint64       source_id;
  char        *ext_id;
  char        *title;
  AssayStatus  status;
  guint        n_candidates;
};

G_DEFINE_FINAL_TYPE (AssayQueueRow, assay_queue_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_SOURCE_ID,
  ROW_PROP_EXT_ID,
  ROW_PROP_TITLE,
  ROW_PROP_STATUS,
  ROW_PROP_N_CANDIDATES,
  N_ROW_PROPS
};

static GParamSpec *row_properties[N_ROW_PROPS];

static void
assay_queue_row_finalize (GObject *object)
{
  AssayQueueRow *self = ASSAY_QUEUE_ROW (object);

  g_free (self->ext_id);
  g_free (self->title);
  G_OBJECT_CLASS (assay_queue_row_parent_class)->finalize (object);
}

static void
assay_queue_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AssayQueueRow *self = ASSAY_QUEUE_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_SOURCE_ID:
      g_value_set_int64 (value, self->source_id);
      break;
    case ROW_PROP_EXT_ID:
      g_value_set_string (value, self->ext_id);
      break;
    case ROW_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case ROW_PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case ROW_PROP_N_CANDIDATES:
      g_value_set_uint (value, self->n_candidates);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_queue_row_class_init (AssayQueueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_queue_row_finalize;
  object_class->get_property = assay_queue_row_get_property;

  /* Read-only: the queue fills a row and keeps it up to date, notifying
   * what changed (assay_queue_source_changed()). */
  row_properties[ROW_PROP_SOURCE_ID] =
    g_param_spec_int64 ("source-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_EXT_ID] =
    g_param_spec_string ("ext-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* An AssayStatus. */
  row_properties[ROW_PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, 0, ASSAY_N_STATUSES - 1, ASSAY_STATUS_TODO,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_N_CANDIDATES] =
    g_param_spec_uint ("n-candidates", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ROW_PROPS, row_properties);
}

static void
assay_queue_row_init (AssayQueueRow *self)
{
}

/* Takes what was read of a source, notifying only what changed. */
static void
row_update (AssayQueueRow *self,
            const char    *ext_id,
            const char    *title,
            AssayStatus    status,
            guint          n_candidates)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->ext_id, ext_id) != 0)
    {
      g_free (self->ext_id);
      self->ext_id = g_strdup (ext_id);
      g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_EXT_ID]);
    }
  if (g_strcmp0 (self->title, title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (title);
      g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_TITLE]);
    }
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_STATUS]);
    }
  if (self->n_candidates != n_candidates)
    {
      self->n_candidates = n_candidates;
      g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_N_CANDIDATES]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
assay_queue_row_get_source_id (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), 0);
  return self->source_id;
}

const char *
assay_queue_row_get_ext_id (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), NULL);
  return self->ext_id;
}

const char *
assay_queue_row_get_title (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), NULL);
  return self->title;
}

AssayStatus
assay_queue_row_get_status (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), ASSAY_STATUS_TODO);
  return self->status;
}

guint
assay_queue_row_get_n_candidates (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), 0);
  return self->n_candidates;
}

struct _AssayQueue
{
  GObject       parent_instance;

  AssayProject *project;
  gint64        annotator_id;

  int           status_filter;
  char         *model_filter;
  char         *search;

  GArray       *ids;      /* gint64 source ids passing the filters, in the order */
  AssayQueueOrder order;
  GHashTable   *rank;     /* the informative order: source id -> place + 1; NULL until needed */
  GHashTable   *positions; /* source id -> position + 1 in `ids`, when not ascending */
  GHashTable   *rows;     /* source id -> AssayQueueRow, the pages read so far */
  guint         total;
  gboolean      loaded;   /* the ids were read at least once */
  gboolean      busy;     /* as last notified */
  GStrv         models;   /* the models of the project's candidates, by name */

  /* Searches in a worker: a read-only connection of the workers' own,
   * used by one at a time, and the request whose answer is awaited. */
  GMutex        reader_lock;
  AssayProject *reader;
  GCancellable *pending;
  gboolean      closed;
  guint         serial;
};

static void assay_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AssayQueue, assay_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      assay_queue_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_TOTAL,
  PROP_LOADED,
  PROP_BUSY,
  PROP_MODELS,
  PROP_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
assay_queue_finalize (GObject *object)
{
  AssayQueue *self = ASSAY_QUEUE (object);

  /* The reader first: the project's own connection checkpoints and removes
   * the WAL on closing only when it is the last one open. */
  g_clear_object (&self->reader);
  g_clear_object (&self->project);
  g_clear_object (&self->pending);
  g_mutex_clear (&self->reader_lock);
  g_free (self->model_filter);
  g_free (self->search);
  g_strfreev (self->models);
  g_array_unref (self->ids);
  g_clear_pointer (&self->rank, g_hash_table_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_hash_table_unref (self->rows);
  G_OBJECT_CLASS (assay_queue_parent_class)->finalize (object);
}

static void
assay_queue_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AssayQueue *self = ASSAY_QUEUE (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_MODELS:
      g_value_set_boxed (value, self->models);
      break;
    case PROP_ORDER:
      g_value_set_int (value, self->order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_queue_class_init (AssayQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_queue_finalize;
  object_class->get_property = assay_queue_get_property;

  /* Sources that pass the filters: the list's length. */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Sources in the project, whatever the filters. */
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* FALSE for a queue made empty until its first reload has answered. */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while a search or reload runs in a worker thread. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The models of the project's candidates (what the model filter can
   * take), read with the ids when the queue is made or reloaded. */
  properties[PROP_MODELS] =
    g_param_spec_boxed ("models", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* An AssayQueueOrder. */
  properties[PROP_ORDER] =
    g_param_spec_int ("order", NULL, NULL, ASSAY_QUEUE_ORDER_IMPORTED,
                      ASSAY_QUEUE_ORDER_INFORMATIVE, ASSAY_QUEUE_ORDER_IMPORTED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* "busy" follows whether a request is awaited. */
static void
update_busy (AssayQueue *self)
{
  gboolean busy = self->pending != NULL;

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The models of the project's candidates, most candidates first; NULL on
 * an error (a damaged project). */
static GStrv
query_models (AssayProject *project)
{
  g_autoptr(GPtrArray) counts = assay_project_list_models (project, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (counts == NULL)
    return NULL;
  for (guint i = 0; i < counts->len; i++)
    g_strv_builder_add (names, ((AssayModelCount *) g_ptr_array_index (counts, i))->model);
  return g_strv_builder_end (names);
}

static void
take_models (AssayQueue *self,
             GStrv       models)
{
  if (models == NULL)
    return;
  if (self->models != NULL && g_strv_equal ((const char * const *) self->models,
                                            (const char * const *) models))
    {
      g_strfreev (models);
      return;
    }
  g_strfreev (self->models);
  self->models = models;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

/* Puts a new list of ids in place: one items-changed for the whole list,
 * then what else changed with it. */
static void
replace_ids (AssayQueue *self,
             GArray     *ids,
             guint       total)
{
  guint removed = self->ids->len;
  guint old_total = self->total;
  gboolean was_loaded = self->loaded;

  g_object_freeze_notify (G_OBJECT (self));
  if (ids != self->ids)
    {
      g_array_unref (self->ids);
      self->ids = g_array_ref (ids);
    }
  self->total = total;
  self->loaded = TRUE;
  g_hash_table_remove_all (self->rows);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  if (self->order != ASSAY_QUEUE_ORDER_IMPORTED)
    {
      self->positions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < self->ids->len; i++)
        g_hash_table_insert (self->positions,
                             g_memdup2 (&g_array_index (self->ids, gint64, i), sizeof (gint64)),
                             GUINT_TO_POINTER (i + 1));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->ids->len);
  if (removed != self->ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (old_total != self->total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  if (!was_loaded)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
assay_queue_init (AssayQueue *self)
{
  self->status_filter = -1;
  g_mutex_init (&self->reader_lock);
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
}

static GType
assay_queue_get_item_type (GListModel *model)
{
  return ASSAY_TYPE_QUEUE_ROW;
}

static guint
assay_queue_get_n_items (GListModel *model)
{
  return ASSAY_QUEUE (model)->ids->len;
}

/* Reads the rows of the sources with ids from `first_id` to `last_id` that
 * are in the list: new ones into the cache, cached ones updated in place
 * (their properties notify what changed). One range query, whatever the
 * filters. */
static void
read_rows (AssayQueue *self,
           gint64      first_id,
           gint64      last_id)
{
  sqlite3_stmt *stmt;
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;

  stmt = _assay_project_prepare (self->project,
                                 "SELECT s.id, s.ext_id, s.title, coalesce (st.status, 'todo'),"
                                 " (SELECT count (*) FROM candidates c WHERE c.source_id = s.id)"
                                 " FROM sources s LEFT JOIN item_status st"
                                 " ON st.source_id = s.id AND st.annotator_id = ?3"
                                 " WHERE s.id BETWEEN ?1 AND ?2",
                                 &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read the queue: %s", error->message);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, first_id);
  sqlite3_bind_int64 (stmt, 2, last_id);
  sqlite3_bind_int64 (stmt, 3, self->annotator_id);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      AssayQueueRow *row = g_hash_table_lookup (self->rows, &id);
      AssayStatus status;

      if (!assay_status_from_string (_assay_column_text (stmt, 3), &status))
        status = ASSAY_STATUS_TODO;
      if (row != NULL)
        {
          row_update (row, _assay_column_text (stmt, 1), _assay_column_text (stmt, 2), status,
                      sqlite3_column_int (stmt, 4));
          continue;
        }
      /* With filters on, the range also holds sources that did not pass. */
      if (assay_queue_find (self, id) == G_MAXUINT)
        continue;

      row = g_object_new (ASSAY_TYPE_QUEUE_ROW, NULL);
      row->source_id = id;
      row->ext_id = g_strdup (_assay_column_text (stmt, 1));
      row->title = g_strdup (_assay_column_text (stmt, 2));
      row->status = status;
      row->n_candidates = sqlite3_column_int (stmt, 4);
      g_hash_table_insert (self->rows, &row->source_id, row);
    }
  sqlite3_reset (stmt);
}

/* Reads the rows of the page holding `position` into the cache. */
static void
read_page (AssayQueue *self,
           guint       position)
{
  guint first = position - position % PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->ids->len) - 1;

  /* In another order than the ids', a page's ids are scattered: read them
   * one by one rather than the whole range between them. */
  if (self->positions != NULL)
    {
      for (guint i = first; i <= last; i++)
        read_rows (self, g_array_index (self->ids, gint64, i),
                   g_array_index (self->ids, gint64, i));
      return;
    }
  read_rows (self, g_array_index (self->ids, gint64, first),
             g_array_index (self->ids, gint64, last));
}

static gpointer
assay_queue_get_item (GListModel *model,
                      guint       position)
{
  AssayQueue *self = ASSAY_QUEUE (model);
  gint64 id;
  AssayQueueRow *row;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  row = g_hash_table_lookup (self->rows, &id);
  if (row == NULL)
    {
      read_page (self, position);
      row = g_hash_table_lookup (self->rows, &id);
    }
  return row != NULL ? g_object_ref (row) : NULL;
}

static void
assay_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = assay_queue_get_item_type;
  iface->get_n_items = assay_queue_get_n_items;
  iface->get_item = assay_queue_get_item;
}

char *
assay_queue_build_match (const char *text)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  guint n = 0;

  if (text == NULL)
    return NULL;

  /* Quoting every word keeps FTS5 syntax (AND, NEAR, column:, "*") out of
   * what a person types. */
  words = g_strsplit_set (text, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (n++ > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append_c (match, '"');
    }
  if (n == 0)
    return NULL;
  g_string_append_c (match, '*');
  return g_string_free (g_steal_pointer (&match), FALSE);
}

/* The ids of the sources that pass the filters, ascending, and the number
 * of sources, read through `project` (the queue's own connection, or a
 * worker's). Stops early, returning FALSE, when `cancellable` is cancelled. */
static gboolean
query_ids (AssayProject *project,
           gint64        annotator_id,
           int           status_filter,
           const char   *model_filter,
           const char   *search,
           GArray       *ids,
           guint        *total,
           GCancellable *cancellable)
{
  g_autofree char *match = assay_queue_build_match (search);
  g_autoptr(GString) sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;

  g_array_set_size (ids, 0);
  *total = (guint) _assay_project_query_int (project, "SELECT count (*) FROM sources", 0, NULL);

  /* Only the conditions in use go into the query: SQLite would otherwise
   * still evaluate the status lookup or the search for every source. */
  sql = g_string_new ("SELECT s.id FROM sources s WHERE 1");
  if (status_filter >= 0)
    g_string_append (sql, " AND coalesce ((SELECT st.status FROM item_status st"
                          " WHERE st.source_id = s.id AND st.annotator_id = ?4), 'todo') = ?1");
  if (model_filter != NULL)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM candidates c"
                          " WHERE c.source_id = s.id AND c.model = ?2)");
  if (match != NULL)
    g_string_append (sql, " AND s.id IN (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?3"
                          " UNION SELECT c.source_id FROM candidates_fts f"
                          " JOIN candidates c ON c.id = f.rowid WHERE candidates_fts MATCH ?3)");
  g_string_append (sql, " ORDER BY s.id");

  if (sqlite3_prepare_v2 (_assay_project_get_db (project), sql->str, -1, &stmt, NULL)
      != SQLITE_OK)
    {
      g_warning ("Could not read the queue: %s", sqlite3_errmsg (_assay_project_get_db (project)));
      return TRUE;
    }
  if (status_filter >= 0)
    {
      sqlite3_bind_text (stmt, 1, assay_status_to_string (status_filter), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, annotator_id);
    }
  if (model_filter != NULL)
    sqlite3_bind_text (stmt, 2, model_filter, -1, SQLITE_STATIC);
  if (match != NULL)
    sqlite3_bind_text (stmt, 3, match, -1, SQLITE_STATIC);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      if (++n % 4096 == 0 && g_cancellable_is_cancelled (cancellable))
        return FALSE;
    }
  return TRUE;
}

/* The informative order as a look-up: source id -> place + 1. NULL on an
 * error (a damaged project: the list then keeps the import order). */
static GHashTable *
query_rank (AssayProject *project,
            GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) order = assay_stats_informative_order_for_project (project, INFORMATIVE_SEED,
                                                                       cancellable, &error);
  GHashTable *rank;

  if (order == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not work out the most informative order: %s", error->message);
      return NULL;
    }
  rank = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < order->len; i++)
    g_hash_table_insert (rank, g_memdup2 (&g_array_index (order, gint64, i), sizeof (gint64)),
                         GUINT_TO_POINTER (i + 1));
  return rank;
}

static int
compare_by_rank (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  GHashTable *rank = data;
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  guint rx = GPOINTER_TO_UINT (g_hash_table_lookup (rank, &x));
  guint ry = GPOINTER_TO_UINT (g_hash_table_lookup (rank, &y));

  /* a source the order does not know yet goes last, by id */
  if (rx == 0)
    rx = G_MAXUINT;
  if (ry == 0)
    ry = G_MAXUINT;
  if (rx != ry)
    return rx < ry ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Puts the ids (ascending, as read) in the queue's order. */
static void
order_ids (GArray          *ids,
           AssayQueueOrder  order,
           GHashTable      *rank)
{
  if (order == ASSAY_QUEUE_ORDER_INFORMATIVE && rank != NULL)
    g_array_sort_with_data (ids, compare_by_rank, rank);
}

/* Reads the ids through the queue's own connection, on the caller's
 * thread, and puts them in place. */
static void
load_ids (AssayQueue *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint total = 0;

  if (self->project != NULL)
    {
      query_ids (self->project, self->annotator_id, self->status_filter, self->model_filter,
                 self->search, ids, &total, NULL);
      if (self->order == ASSAY_QUEUE_ORDER_INFORMATIVE && self->rank == NULL)
        self->rank = query_rank (self->project, NULL);
      order_ids (ids, self->order, self->rank);
    }
  replace_ids (self, ids, total);
}

/**
 * assay_queue_new:
 *
 * Returns: (transfer full): the queue, every source id read (on the
 *   caller's thread: a project of 1,000,000 sources takes most of a second)
 */
AssayQueue *
assay_queue_new (AssayProject *project,
                 gint64        annotator_id)
{
  AssayQueue *self;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  self = assay_queue_new_empty (project, annotator_id);
  take_models (self, query_models (project));
  load_ids (self);
  return self;
}

/**
 * assay_queue_new_empty:
 *
 * A queue with no rows yet, "loaded" FALSE: assay_queue_reload_async()
 * (or a filter change) fills it.
 *
 * Returns: (transfer full): the queue
 */
AssayQueue *
assay_queue_new_empty (AssayProject *project,
                       gint64        annotator_id)
{
  AssayQueue *self;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  self = g_object_new (ASSAY_TYPE_QUEUE, NULL);
  self->project = g_object_ref (project);
  self->annotator_id = annotator_id;
  return self;
}

/* Takes the filters; a request still running in a worker is dropped. */
static void
store_filters (AssayQueue *self,
               int         status,
               const char *model,
               const char *search)
{
  if (self->pending != NULL)
    g_cancellable_cancel (self->pending);
  g_clear_object (&self->pending);
  self->serial++;

  self->status_filter = status;
  if (g_strcmp0 (self->model_filter, model) != 0)
    {
      g_free (self->model_filter);
      self->model_filter = g_strdup (model);
    }
  if (g_strcmp0 (self->search, search) != 0)
    {
      g_free (self->search);
      self->search = g_strdup (search);
    }
}

void
assay_queue_set_filter (AssayQueue *self,
                        int         status,
                        const char *model,
                        const char *search)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (self->status_filter == status && g_strcmp0 (self->model_filter, model) == 0 &&
      g_strcmp0 (self->search, search) == 0)
    return;

  store_filters (self, status, model, search);
  load_ids (self);
  update_busy (self);
}

typedef struct
{
  char   *path;
  gint64  annotator_id;
  int     status;
  char   *model;
  char   *search;
  guint   serial;
  GArray *ids;
  guint   total;
  gboolean with_models;
  GStrv   models;
  AssayQueueOrder order;
  GHashTable *rank;       /* the queue's, or one the worker worked out */
  gboolean new_rank;
} FilterJob;

static void
filter_job_free (FilterJob *job)
{
  g_free (job->path);
  g_free (job->model);
  g_free (job->search);
  g_strfreev (job->models);
  g_clear_pointer (&job->ids, g_array_unref);
  g_clear_pointer (&job->rank, g_hash_table_unref);
  g_free (job);
}

/* Worker thread: the same query as load_ids(), through the workers' own
 * read-only connection (opened under the process's lock on the project,
 * as every connection is), so the main connection stays free. */
static void
filter_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AssayQueue *self = source_object;
  FilterJob *job = task_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  GError *error = NULL;

  /* A newer request came while this one waited for the connection, or
   * the queue was closed. */
  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->closed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The queue is closed");
      return;
    }
  if (self->reader == NULL)
    {
      self->reader = assay_project_open_full (job->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
      if (self->reader == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (!query_ids (self->reader, job->annotator_id, job->status, job->model, job->search,
                  job->ids, &job->total, cancellable))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }
  if (job->order == ASSAY_QUEUE_ORDER_INFORMATIVE && job->rank == NULL)
    {
      job->rank = query_rank (self->reader, cancellable);
      job->new_rank = job->rank != NULL;
      if (g_task_return_error_if_cancelled (task))
        return;
    }
  order_ids (job->ids, job->order, job->rank);
  if (job->with_models)
    job->models = query_models (self->reader);
  g_task_return_boolean (task, TRUE);
}

/* Main thread: the worker's answer replaces the list, if it is still the
 * one awaited. */
static void
filter_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AssayQueue *self = ASSAY_QUEUE (source_object);
  g_autoptr(GTask) outer = user_data;
  FilterJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (job->serial != self->serial ||
      g_cancellable_is_cancelled (g_task_get_cancellable (outer)))
    {
      g_clear_error (&error);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "A newer search replaced this one");
      return;
    }
  /* The awaited request is over, answered or failed; "busy" goes once the
   * list is in place, so that whoever waits for it finds it there. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_clear_object (&self->pending);
      update_busy (self);
      g_task_return_error (outer, error);
      return;
    }
  g_clear_object (&self->pending);
  take_models (self, g_steal_pointer (&job->models));
  if (job->new_rank && job->order == self->order)
    {
      g_clear_pointer (&self->rank, g_hash_table_unref);
      self->rank = g_hash_table_ref (job->rank);
    }
  replace_ids (self, job->ids, job->total);
  update_busy (self);
  g_task_return_boolean (outer, TRUE);
}

static void
run_filter_async (AssayQueue          *self,
                  gboolean             with_models,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;
  FilterJob *job;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, assay_queue_set_filter_async);

  /* Only the latest request counts: an earlier one still running stops. */
  if (self->pending != NULL)
    g_cancellable_cancel (self->pending);
  g_clear_object (&self->pending);
  if (self->project == NULL)
    {
      update_busy (self);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The queue is closed");
      g_object_unref (outer);
      return;
    }
  self->pending = g_cancellable_new ();
  update_busy (self);

  job = g_new0 (FilterJob, 1);
  job->path = g_strdup (assay_project_get_path (self->project));
  job->annotator_id = self->annotator_id;
  job->status = self->status_filter;
  job->model = g_strdup (self->model_filter);
  job->search = g_strdup (self->search);
  job->serial = ++self->serial;
  job->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->with_models = with_models;
  job->order = self->order;
  job->rank = self->rank != NULL ? g_hash_table_ref (self->rank) : NULL;

  inner = g_task_new (self, self->pending, filter_done_cb, outer);
  g_task_set_source_tag (inner, run_filter_async);
  g_task_set_task_data (inner, job, (GDestroyNotify) filter_job_free);
  g_task_run_in_thread (inner, filter_thread);
}

void
assay_queue_close (AssayQueue *self)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));

  if (self->pending != NULL)
    g_cancellable_cancel (self->pending);
  /* Waits for a worker still reading: it stops at the cancellation. */
  /* An answer already on its way changes nothing any more. */
  self->serial++;
  g_mutex_lock (&self->reader_lock);
  self->closed = TRUE;
  g_clear_object (&self->reader);
  g_mutex_unlock (&self->reader_lock);
  g_clear_object (&self->project);
  g_clear_object (&self->pending);
  update_busy (self);
}

/**
 * assay_queue_set_filter_async:
 * @cancellable: (nullable): stops waiting; the list stays as it was
 * @callback: called in the caller's thread-default main context once the
 *   list shows the new filters, or with %G_IO_ERROR_CANCELLED when a newer
 *   change or reload replaced this one
 *
 * assay_queue_set_filter() with the search run in a worker thread on a
 * connection of its own: the filters read back at once, and the list
 * changes (one items-changed) when the worker is done. A request that
 * changes nothing completes at once.
 */
void
assay_queue_set_filter_async (AssayQueue          *self,
                              int                  status,
                              const char          *model,
                              const char          *search,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (self->pending == NULL && self->status_filter == status &&
      g_strcmp0 (self->model_filter, model) == 0 && g_strcmp0 (self->search, search) == 0)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, assay_queue_set_filter_async);
      g_task_return_boolean (task, TRUE);
      return;
    }
  store_filters (self, status, model, search);
  run_filter_async (self, self->models == NULL, cancellable, callback, user_data);
}

/* Re-reads everything, as assay_queue_reload() does, in a worker thread. */
void
assay_queue_reload_async (AssayQueue          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));

  /* What was reviewed, and which models are separated, may have changed. */
  g_clear_pointer (&self->rank, g_hash_table_unref);
  run_filter_async (self, TRUE, cancellable, callback, user_data);
}

gboolean
assay_queue_set_filter_finish (AssayQueue    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* TRUE while a search or reload runs in a worker. */
gboolean
assay_queue_get_busy (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), FALSE);
  return self->pending != NULL;
}

int
assay_queue_get_status_filter (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), -1);
  return self->status_filter;
}

const char *
assay_queue_get_model_filter (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), NULL);
  return self->model_filter;
}

const char *
assay_queue_get_search (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), NULL);
  return self->search;
}

guint
assay_queue_get_total (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), 0);
  return self->total;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

guint
assay_queue_find (AssayQueue *self,
                  gint64      source_id)
{
  guint index;

  g_return_val_if_fail (ASSAY_IS_QUEUE (self), G_MAXUINT);

  if (self->positions != NULL)
    return GPOINTER_TO_UINT (g_hash_table_lookup (self->positions, &source_id)) - 1;
  if (!g_array_binary_search (self->ids, &source_id, compare_ids, &index))
    return G_MAXUINT;
  return index;
}

gint64
assay_queue_get_source_id (AssayQueue *self,
                           guint       position)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), 0);

  if (position >= self->ids->len)
    return 0;
  return g_array_index (self->ids, gint64, position);
}

void
assay_queue_source_changed (AssayQueue *self,
                            gint64      source_id)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));

  /* A row nobody asked for yet is read afresh when it is; one already
   * made is the one the list shows, and changes in place. */
  if (g_hash_table_contains (self->rows, &source_id))
    read_rows (self, source_id, source_id);
}

void
assay_queue_reload (AssayQueue *self)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));

  store_filters (self, self->status_filter, self->model_filter, self->search);
  g_clear_pointer (&self->rank, g_hash_table_unref);
  if (self->project != NULL)
    take_models (self, query_models (self->project));
  load_ids (self);
  update_busy (self);
}

void
assay_queue_set_order (AssayQueue      *self,
                       AssayQueueOrder  order)
{
  g_return_if_fail (ASSAY_IS_QUEUE (self));
  g_return_if_fail (order <= ASSAY_QUEUE_ORDER_INFORMATIVE);

  if (self->order == order && self->pending == NULL)
    return;
  store_filters (self, self->status_filter, self->model_filter, self->search);
  self->order = order;
  /* Worked out afresh each time it is chosen: the reviews go on. */
  g_clear_pointer (&self->rank, g_hash_table_unref);
  load_ids (self);
  update_busy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
}

void
assay_queue_set_order_async (AssayQueue          *self,
                             AssayQueueOrder      order,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  gboolean changed;

  g_return_if_fail (ASSAY_IS_QUEUE (self));
  g_return_if_fail (order <= ASSAY_QUEUE_ORDER_INFORMATIVE);

  changed = self->order != order;
  store_filters (self, self->status_filter, self->model_filter, self->search);
  self->order = order;
  g_clear_pointer (&self->rank, g_hash_table_unref);
  run_filter_async (self, self->models == NULL, cancellable, callback, user_data);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
}

AssayQueueOrder
assay_queue_get_order (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), ASSAY_QUEUE_ORDER_IMPORTED);
  return self->order;
}

/**
 * assay_queue_get_models:
 *
 * Returns: (transfer none) (nullable): the models of the project's
 *   candidates, most candidates first ("models"); NULL until the queue
 *   has been loaded
 */
const char * const *
assay_queue_get_models (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), NULL);
  return (const char * const *) self->models;
}

gboolean
assay_queue_get_loaded (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), FALSE);
  return self->loaded;
}
