/* http.h: one HTTPS GET with libcurl, as the catalogue sync needs it:
 * certificate checks always on (a CA file may be given), connect and total
 * time-outs, a cap on the body's size, retries with exponential backoff,
 * and conditional requests (ETag, Last-Modified).  Only https:// is
 * allowed, for the request and for any redirect. */
#ifndef LOKET_NET_HTTP_H
#define LOKET_NET_HTTP_H

#include <stdbool.h>

#include "util/strbuf.h"

struct http_options {
	const char *ca_file;       /* PEM bundle to trust instead of the system's; NULL = system */
	const char *bearer;        /* token for "Authorization: Bearer"; NULL = none */
	const char *user;          /* HTTP basic authentication; NULL = none */
	const char *password;
	long connect_timeout;      /* seconds */
	long timeout;              /* seconds for one whole request */
	long max_bytes;            /* largest body accepted */
	int retries;               /* attempts after the first, for transient failures */
	long retry_delay_ms;       /* the first wait; it doubles each time */
	const char *etag;          /* sent as If-None-Match; NULL = none */
	const char *last_modified; /* sent as If-Modified-Since; NULL = none */
	/* Called while the body arrives (bytes so far, bytes expected or 0). */
	void (*progress)(void *arg, long long received, long long expected);
	void *progress_arg;
	/* Called before each retry (the attempt that failed, its error, the wait). */
	void (*retrying)(void *arg, int attempt, const char *error, long wait_ms);
};

struct http_response {
	long status;         /* 200, 304, ... */
	struct strbuf body;  /* NUL-terminated */
	char *etag;          /* the ETag header, or NULL */
	char *last_modified; /* the Last-Modified header, or NULL */
	int attempts;
};

/* GET url.  Returns true for a 200 or a 304 answer (see out->status);
 * otherwise false with *error set (a new, translated string saying what
 * went wrong: time-out, certificate, size, HTTP status, ...). */
bool http_get(const char *url, const struct http_options *o, struct http_response *out,
              char **error);
void http_response_free(struct http_response *r);

/* url with the query parameter name=value set (replacing any earlier one),
 * through libcurl's URL API.  Returns NULL with *error set when url is not
 * an https:// URL. */
char *http_url_with_param(const char *url, const char *name, const char *value, char **error);

/* Initialise libcurl once per process (thread-unsafe; call from main paths). */
void http_global_init(void);

/* libcurl's version ("7.88.1"). */
const char *http_library_version(void);

#endif
