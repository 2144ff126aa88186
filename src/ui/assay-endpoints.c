/* assay-endpoints.c: the suggestion endpoints of Preferences, and their keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "assay-endpoints.h"

#define ENDPOINTS_KEY "suggestion-endpoints"

AssayEndpoint *
assay_endpoint_new (const char *name,
                    const char *url,
                    const char *model)
{
  AssayEndpoint *endpoint = g_new0 (AssayEndpoint, 1);

  endpoint->name = g_strdup (name);
  endpoint->url = g_strdup (url);
  endpoint->model = g_strdup (model);
  return endpoint;
}

void
assay_endpoint_free (AssayEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;
  g_free (endpoint->name);
  g_free (endpoint->url);
  g_free (endpoint->model);
  g_free (endpoint);
}

GPtrArray *
assay_endpoints_load (GSettings *settings)
{
  GPtrArray *endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_endpoint_free);
  g_autoptr(GVariant) list = NULL;
  GVariantIter iter;
  const char *name, *url, *model;

  g_return_val_if_fail (G_IS_SETTINGS (settings), endpoints);

  list = g_settings_get_value (settings, ENDPOINTS_KEY);
  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &url, &model))
    g_ptr_array_add (endpoints, assay_endpoint_new (name, url, model));
  return endpoints;
}

void
assay_endpoints_save (GSettings *settings,
                      GPtrArray *endpoints)
{
  GVariantBuilder builder;

  g_return_if_fail (G_IS_SETTINGS (settings));

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < endpoints->len; i++)
    {
      AssayEndpoint *endpoint = g_ptr_array_index (endpoints, i);

      g_variant_builder_add (&builder, "(sss)", endpoint->name, endpoint->url, endpoint->model);
    }
  g_settings_set_value (settings, ENDPOINTS_KEY, g_variant_builder_end (&builder));
}

char *
assay_endpoint_check (const char *name,
                      const char *url,
                      const char *model)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (*trimmed == '\0')
    return g_strdup (_("Give the endpoint a name."));
  if (url == NULL || *url == '\0')
    return g_strdup (_("Give the endpoint’s base URL, e.g. http://localhost:11434/v1."));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    return g_strdup (_("The base URL must start with http:// or https://, e.g. "
                       "http://localhost:11434/v1."));
  if (model == NULL || *model == '\0')
    return g_strdup (_("Give the name of the model to ask, as the endpoint knows it."));
  return NULL;
}

/* ---- the keyring ---- */

/* One key per base URL; the schema is Assay's own. */
static const SecretSchema *
key_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".SuggestionEndpoint", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* libsecret's own message for a missing Secret Service names D-Bus; the
 * expert needs to know what to do. */
static GError *
keyring_error (GError *error)
{
  GError *mine;

  if (error == NULL)
    return NULL;
  mine = g_error_new (error->domain, error->code,
                      _("The keyring could not be reached, so the API key was not saved "
                        "(%s). Start a keyring such as GNOME Keyring, then remove the "
                        "endpoint and add it again with its key; an endpoint that needs no "
                        "key works without one."),
                      error->message);
  g_error_free (error);
  return mine;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
assay_endpoint_store_key_async (const char          *url,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_return_if_fail (url != NULL);

  g_task_set_source_tag (task, assay_endpoint_store_key_async);
  if (key == NULL || *key == '\0')
    {
      secret_password_clear (key_schema (), cancellable, cleared_cb, task, "url", url, NULL);
      return;
    }
  /* TRANSLATORS: the key's name in the keyring, e.g. "Assay: API key for http://..." */
  label = g_strdup_printf (_("Assay: API key for %s"), url);
  secret_password_store (key_schema (), SECRET_COLLECTION_DEFAULT, label, key, cancellable,
                         stored_cb, task, "url", url, NULL);
}

gboolean
assay_endpoint_store_key_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    /* Freed as a secret should be, if nobody takes it. */
    g_task_return_pointer (task, key, (GDestroyNotify) secret_password_free);
}

void
assay_endpoint_lookup_key_async (const char          *url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (url != NULL);

  g_task_set_source_tag (task, assay_endpoint_lookup_key_async);
  secret_password_lookup (key_schema (), cancellable, looked_up_cb, task, "url", url, NULL);
}

char *
assay_endpoint_lookup_key_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
