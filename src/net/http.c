/* http.c: HTTPS GET with libcurl for the catalogue sync (see http.h). */
#include "config.h"

#include "net/http.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
http_global_init(void)
{
	static bool done;
	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = true;
	}
}

struct transfer {
	const struct http_options *o;
	struct strbuf *body;
	bool too_big;
};

/* A header of the last response (after redirects), through libcurl's
 * header API; NULL when it was not sent. */
static char *
response_header(CURL *c, const char *name)
{
	struct curl_header *h = NULL;
	if (curl_easy_header(c, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h || !h->value)
		return NULL;
	return xstrdup(h->value);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	if ((long long)t->body->len + (long long)len > (long long)t->o->max_bytes) {
		t->too_big = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	strbuf_add(t->body, data, len);
	return len;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)ultotal, (void)ulnow;
	struct transfer *t = arg;
	if (t->o->progress)
		t->o->progress(t->o->progress_arg, (long long)dlnow, (long long)dltotal);
	return 0;
}

/* Failures worth another try: the network, the server's temporary states. */
static bool
transient(CURLcode rc, long status)
{
	switch (rc) {
	case CURLE_OK:
		return status == 429 || status == 502 || status == 503 || status == 504;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static char *
describe(CURLcode rc, long status, const struct transfer *t, const struct http_options *o,
         const char *errbuf)
{
	if (t->too_big)
		return xasprintf(_("the answer is larger than the limit of %ld bytes (max_bytes)"),
		                 o->max_bytes);
	switch (rc) {
	case CURLE_OK:
		if (status == 401 || status == 403)
			return xasprintf(_("the server refused access (HTTP %ld); check the credentials "
			                   "in the configuration file"),
			                 status);
		return xasprintf(_("the server answered HTTP %ld"), status);
	case CURLE_OPERATION_TIMEDOUT:
		return xasprintf(_("time-out: no complete answer within %ld s (connect %ld s)"),
		                 o->timeout, o->connect_timeout);
	case CURLE_PARTIAL_FILE:
		return xstrdup(_("the answer was cut off before its end"));
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
		return xasprintf(_("the secure connection failed: %s"),
		                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup(_("only https:// addresses are allowed"));
	default:
		return xasprintf(_("the request failed: %s"), errbuf[0] ? errbuf : curl_easy_strerror(rc));
	}
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The request's headers: JSON, the token, the conditions. */
static struct curl_slist *
request_headers(const struct http_options *o)
{
	struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
	char *h = NULL;
	if (o->bearer) {
		h = xasprintf("Authorization: Bearer %s", o->bearer);
		headers = curl_slist_append(headers, h);
		memset(h, 0, strlen(h));
		free(h);
	}
	if (o->etag) {
		h = xasprintf("If-None-Match: %s", o->etag);
		headers = curl_slist_append(headers, h);
		free(h);
	}
	if (o->last_modified) {
		h = xasprintf("If-Modified-Since: %s", o->last_modified);
		headers = curl_slist_append(headers, h);
		free(h);
	}
	return headers;
}

/* Every option of the handle: https only, certificates checked, limits,
 * and the callbacks that fill t. */
static void
set_options(CURL *c, const char *url, const struct http_options *o, struct curl_slist *headers,
            char *errbuf, struct transfer *t)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (o->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

/* How long to wait before the next attempt: the backoff, or longer when the
 * server asks (Retry-After), at most a minute. */
static long
retry_wait(CURL *c, long delay)
{
	long wait = delay;
	curl_off_t after = -1;
	if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0) {
		long asked = after > 60 ? 60000 : (long)after * 1000;
		if (asked > wait)
			wait = asked;
	}
	return wait;
}

/* Perform the request, again after transient failures as o allows. */
static bool
perform(CURL *c, const struct http_options *o, struct transfer *t, char *errbuf,
        struct http_response *out, char **error)
{
	long delay = o->retry_delay_ms > 0 ? o->retry_delay_ms : 1000;
	for (int attempt = 1;; attempt++) {
		errbuf[0] = '\0';
		strbuf_reset(&out->body);
		t->too_big = false;
		long status = 0;
		CURLcode rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		out->attempts = attempt;
		out->status = status;
		if (rc == CURLE_FILESIZE_EXCEEDED)
			t->too_big = true;
		if (rc == CURLE_OK && (status == 200 || status == 304))
			return true;
		bool again = !t->too_big && transient(rc, status) && attempt <= o->retries;
		char *why = describe(rc, status, t, o, errbuf);
		if (!again) {
			*error = why;
			return false;
		}
		long wait = retry_wait(c, delay);
		if (o->retrying)
			o->retrying(o->progress_arg, attempt, why, wait);
		free(why);
		sleep_ms(wait);
		delay *= 2;
	}
}

bool
http_get(const char *url, const struct http_options *o, struct http_response *out, char **error)
{
	memset(out, 0, sizeof *out);
	strbuf_init(&out->body);
	*error = NULL;
	http_global_init();
	CURL *c = curl_easy_init();
	if (!c) {
		*error = xstrdup(_("libcurl could not be initialised"));
		return false;
	}
	char errbuf[CURL_ERROR_SIZE];
	struct transfer t = {.o = o, .body = &out->body};
	struct curl_slist *headers = request_headers(o);
	set_options(c, url, o, headers, errbuf, &t);
	bool ok = perform(c, o, &t, errbuf, out, error);
	if (ok) {
		out->etag = response_header(c, "ETag");
		out->last_modified = response_header(c, "Last-Modified");
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return ok;
}

void
http_response_free(struct http_response *r)
{
	strbuf_free(&r->body);
	free(r->etag);
	free(r->last_modified);
	r->etag = r->last_modified = NULL;
}

char *
http_url_with_param(const char *url, const char *name, const char *value, char **error)
{
	*error = NULL;
	CURLU *u = curl_url();
	char *scheme = NULL, *query = NULL, *full = NULL;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    strcmp(scheme, "https") != 0) {
		*error = xasprintf(_("not an https:// address: %s"), url);
		goto out;
	}
	/* Keep the other query parameters, drop an earlier name=. */
	struct strbuf q;
	strbuf_init(&q);
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query) {
		size_t nl = strlen(name);
		for (char *p = query; *p;) {
			size_t len = strcspn(p, "&");
			bool same = len >= nl && strncmp(p, name, nl) == 0 && (p[nl] == '=' || len == nl);
			if (!same && len > 0) {
				if (q.len)
					strbuf_addc(&q, '&');
				strbuf_add(&q, p, len);
			}
			p += len;
			if (*p == '&')
				p++;
		}
	}
	curl_url_set(u, CURLUPART_QUERY, q.len ? q.buf : NULL, 0);
	strbuf_free(&q);
	char *pair = xasprintf("%s=%s", name, value);
	curl_url_set(u, CURLUPART_QUERY, pair, CURLU_APPENDQUERY | CURLU_URLENCODE);
	free(pair);
	char *s = NULL;
	if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
		full = xstrdup(s);
		curl_free(s);
	} else {
		*error = xasprintf(_("not an https:// address: %s"), url);
	}
out:
	curl_free(scheme);
	curl_free(query);
	curl_url_cleanup(u);
	return full;
}

const char *
http_library_version(void)
{
	return curl_version_info(CURLVERSION_NOW)->version;
}
