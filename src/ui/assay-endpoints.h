/* assay-endpoints.h: the suggestion endpoints of Preferences, and their keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An endpoint is an OpenAI-compatible Chat Completions server (OpenAI,
 * vLLM, llama.cpp's server, Ollama) with the model to ask. The list is kept
 * in GSettings ("suggestion-endpoints": name, base URL, model); an API key
 * is kept only in the keyring, through libsecret (the Secret Service, or
 * the Secret portal in a sandbox), under the endpoint's URL. A key is never
 * written into a project, the settings or a log.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *url;     /* the base URL, e.g. "http://localhost:11434/v1" */
  char *model;
} AssayEndpoint;

AssayEndpoint *assay_endpoint_new         (const char     *name,
                                           const char     *url,
                                           const char     *model);
void           assay_endpoint_free        (AssayEndpoint  *endpoint);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayEndpoint, assay_endpoint_free)

/* (element-type AssayEndpoint) (transfer full): the endpoints in settings. */
GPtrArray     *assay_endpoints_load       (GSettings      *settings);
void           assay_endpoints_save       (GSettings      *settings,
                                           GPtrArray      *endpoints);

/* What is wrong with an endpoint as typed, in a sentence, or NULL. */
char          *assay_endpoint_check       (const char     *name,
                                           const char     *url,
                                           const char     *model);

/* The keyring. `key` NULL or empty forgets the key. Without a Secret
 * Service the error says so in words an expert can act on. */
void           assay_endpoint_store_key_async  (const char          *url,
                                                const char          *key,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       assay_endpoint_store_key_finish (GAsyncResult        *result,
                                                GError             **error);
/* The key, or NULL (without an error) when none is kept for the URL. */
void           assay_endpoint_lookup_key_async  (const char          *url,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char          *assay_endpoint_lookup_key_finish (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
