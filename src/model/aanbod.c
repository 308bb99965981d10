/* aanbod.c: the training catalogue (see aanbod.h).  C fetches, PostgreSQL
 * parses: every page goes to loket.offering_sync_page() as text, which
 * checks it, upserts its items and says whether there is a next page. */
#include "config.h"

#include "model/aanbod.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More pages than any regional catalogue has: a source that never says
 * hasNextPage = false is stopped here. */
#define AANBOD_MAX_PAGES 10000

bool
aanbod_options(const struct conf *c, struct http_options *o, char **error)
{
	memset(o, 0, sizeof *o);
	long v;
	static const char *const known[] = {"url", "ca_file", "token", "user", "password",
	                                    "connect_timeout", "timeout", "max_bytes", "retries",
	                                    "retry_delay_ms", NULL};
	if (!conf_check_keys(c, "aanbod", known, error))
		return false;
	o->ca_file = conf_get(c, "aanbod", "ca_file");
	o->bearer = conf_get(c, "aanbod", "token");
	o->user = conf_get(c, "aanbod", "user");
	o->password = conf_get(c, "aanbod", "password");
	if (!conf_get_int(c, "aanbod", "connect_timeout", 1, 300, 10, &v, error))
		return false;
	o->connect_timeout = v;
	if (!conf_get_int(c, "aanbod", "timeout", 1, 3600, 60, &v, error))
		return false;
	o->timeout = v;
	if (!conf_get_int(c, "aanbod", "max_bytes", 1024, 1L << 30, 20L * 1024 * 1024, &v, error))
		return false;
	o->max_bytes = v;
	if (!conf_get_int(c, "aanbod", "retries", 0, 10, 3, &v, error))
		return false;
	o->retries = (int)v;
	if (!conf_get_int(c, "aanbod", "retry_delay_ms", 10, 60000, 1000, &v, error))
		return false;
	o->retry_delay_ms = v;
	return true;
}

static char *
db_message(const struct db_error *e)
{
	return xstrdup(e->message ? e->message : "?");
}

/* A database error while storing page: the page's own problems (raised by
 * offering_sync_page, hint LKSYNC) already name it; others get its number. */
static char *
page_error(int page, const struct db_error *e, bool *source)
{
	*source = e->hint && strcmp(e->hint, "LKSYNC") == 0;
	if (*source)
		return db_message(e);
	/* text PostgreSQL refuses before the page is looked at (22021, 22P05) */
	*source = strncmp(e->sqlstate, "22", 2) == 0;
	return xasprintf(_("page %d: %s"), page, e->message ? e->message : "?");
}

bool
aanbod_may_sync(struct db *db)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	bool ok = db_query(db,
	                   "SELECT has_function_privilege('loket.offering_sync_begin(text)', "
	                   "'EXECUTE') AND loket.my_region() IS NOT NULL",
	                   0, NULL, &r, &err) &&
	          db_result_rows(r) == 1 && strcmp(db_result_get(r, 0, 0), "t") == 0;
	db_result_free(&r);
	db_error_clear(&err);
	return ok;
}

/* A number of the first row; 0 for SQL NULL. */
static int
cell_int(const struct db_result *r, int col)
{
	const char *v = db_result_get(r, 0, col);
	return v ? atoi(v) : 0;
}

/* The region's stored validators, when they belong to this url. */
static void
validators(struct db *db, const char *url, char **etag, char **last_modified)
{
	*etag = *last_modified = NULL;
	const char *params[] = {url};
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (db_query(db,
	             "SELECT etag, last_modified FROM loket.offering_source "
	             "WHERE region = loket.my_region() AND url = $1",
	             1, params, &r, &err) &&
	    db_result_rows(r) == 1) {
		const char *e = db_result_get(r, 0, 0), *l = db_result_get(r, 0, 1);
		*etag = e ? xstrdup(e) : NULL;
		*last_modified = l ? xstrdup(l) : NULL;
	}
	db_error_clear(&err);
	db_result_free(&r);
}

static bool
fetch(const char *url, int page, struct http_options *o, struct http_response *resp,
      char **error)
{
	char num[16];
	snprintf(num, sizeof num, "%d", page);
	char *why = NULL;
	char *page_url = http_url_with_param(url, "pageNumber", num, &why);
	if (!page_url) {
		*error = why;
		return false;
	}
	bool ok = http_get(page_url, o, resp, &why);
	free(page_url);
	if (!ok) {
		*error = xasprintf(_("page %d: %s"), page, why);
		free(why);
		return false;
	}
	if (resp->status == 304 && page > 1) {
		*error = xasprintf(_("page %d: the server answered 304 to a request without "
		                     "conditions"),
		                   page);
		return false;
	}
	return true;
}

bool
aanbod_sync(struct db *db, const char *url, const struct http_options *opts,
            aanbod_page_fn on_page, void *arg, struct aanbod_result *res, char **error)
{
	memset(res, 0, sizeof *res);
	*error = NULL;
	struct http_options o = *opts;
	char *etag = NULL, *last_modified = NULL;
	validators(db, url, &etag, &last_modified);
	o.etag = etag;
	o.last_modified = last_modified;
	struct http_response resp = {0};
	struct db_error err = {0};
	bool ok = false, in_tx = false;
	char *new_etag = NULL, *new_lm = NULL;
	if (!fetch(url, 1, &o, &resp, error)) {
		res->source_failed = true;
		goto out;
	}
	if (resp.status == 304) {
		res->unchanged = true;
		struct db_result *r = NULL;
		if (!db_query(db, "SELECT loket.offering_sync_unchanged()", 0, NULL, &r, &err)) {
			*error = db_message(&err);
			goto out;
		}
		if (db_result_rows(r) == 1 && db_result_get(r, 0, 0))
			res->total = atoi(db_result_get(r, 0, 0));
		db_result_free(&r);
		ok = true;
		goto out;
	}
	new_etag = resp.etag ? xstrdup(resp.etag) : NULL;
	new_lm = resp.last_modified ? xstrdup(resp.last_modified) : NULL;
	o.etag = o.last_modified = NULL; /* the next pages: unconditional */

	if (!db_begin(db, &err)) {
		*error = db_message(&err);
		goto out;
	}
	in_tx = true;
	struct db_result *r = NULL;
	const char *bp[] = {url};
	if (!db_query(db, "SELECT loket.offering_sync_begin($1)", 1, bp, &r, &err)) {
		*error = db_message(&err);
		goto out;
	}
	char *sync_no = xstrdup(db_result_get(r, 0, 0));
	db_result_free(&r);
	for (int page = 1;; page++) {
		if (page > 1) {
			http_response_free(&resp);
			if (!fetch(url, page, &o, &resp, error)) {
				res->source_failed = true;
				free(sync_no);
				goto out;
			}
		}
		/* Text only: a NUL would end the page early, invalid UTF-8 would
		 * not reach the parser. */
		if (strlen(resp.body.buf) != resp.body.len) {
			*error = xasprintf(_("page %d: the answer contains a NUL byte"), page);
			res->source_failed = true;
			free(sync_no);
			goto out;
		}
		if (!utf8_valid(resp.body.buf, resp.body.len)) {
			*error = xasprintf(_("page %d: the answer is not UTF-8 text"), page);
			res->source_failed = true;
			free(sync_no);
			goto out;
		}
		char num[16];
		snprintf(num, sizeof num, "%d", page);
		const char *pp[] = {sync_no, num, resp.body.buf ? resp.body.buf : ""};
		if (!db_query(db,
		              "SELECT has_next, items FROM loket.offering_sync_page($1::bigint, "
		              "$2::int, $3)",
		              3, pp, &r, &err)) {
			*error = page_error(page, &err, &res->source_failed);
			free(sync_no);
			goto out;
		}
		const char *has_next = db_result_get(r, 0, 0);
		bool next = has_next && strcmp(has_next, "t") == 0;
		int items = cell_int(r, 1);
		db_result_free(&r);
		res->pages = page;
		if (on_page)
			on_page(arg, page, items);
		if (!next)
			break;
		if (page >= AANBOD_MAX_PAGES) {
			*error = xasprintf(_("page %d: the source still reports a next page; stopped "
			                     "after %d pages"),
			                   page, AANBOD_MAX_PAGES);
			free(sync_no);
			goto out;
		}
	}
	const char *fp[] = {sync_no, new_etag, new_lm};
	bool fin = db_query(db,
	                    "SELECT total, added, changed, withdrawn "
	                    "FROM loket.offering_sync_finish($1::bigint, $2, $3)",
	                    3, fp, &r, &err);
	free(sync_no);
	if (!fin) {
		*error = db_message(&err);
		res->source_failed = err.hint && strcmp(err.hint, "LKSYNC") == 0;
		goto out;
	}
	res->total = cell_int(r, 0);
	res->added = cell_int(r, 1);
	res->changed = cell_int(r, 2);
	res->withdrawn = cell_int(r, 3);
	db_result_free(&r);
	if (!db_commit(db, &err)) {
		*error = db_message(&err);
		goto out;
	}
	in_tx = false;
	ok = true;
out:
	if (in_tx)
		db_rollback(db);
	db_error_clear(&err);
	http_response_free(&resp);
	free(etag), free(last_modified), free(new_etag), free(new_lm);
	return ok;
}

bool
offering_search(struct db *db, const struct offering_filter *f, int limit,
                struct offering_hits *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char lim[16];
	snprintf(lim, sizeof lim, "%d", limit);
	const char *params[] = {f->text ? f->text : "", f->mode, f->from, f->max_price, f->muni, lim};
	struct db_result *r = NULL;
	if (!db_query(db,
	              "SELECT id, name, coalesce(organization, ''), array_to_string(modes, ', '), "
	              "coalesce(to_char(start_date, 'DD-MM-YYYY'), ''), coalesce(price::text, ''), "
	              "coalesce(municipality, city, ''), coalesce(link, ''), "
	              "coalesce(description, '') "
	              "FROM loket.offering_search($1, $2, $3::date, $4::numeric, $5, $6::int)",
	              6, params, &r, err))
		return false;
	out->count = db_result_rows(r);
	out->items = xcalloc((size_t)(out->count > 0 ? out->count : 1), sizeof *out->items);
	for (int i = 0; i < out->count; i++) {
		struct offering_hit *h = &out->items[i];
		h->id = xstrdup(db_result_get(r, i, 0));
		h->name = xstrdup(db_result_get(r, i, 1));
		h->organization = xstrdup(db_result_get(r, i, 2));
		h->modes = xstrdup(db_result_get(r, i, 3));
		h->start_date = xstrdup(db_result_get(r, i, 4));
		h->price = xstrdup(db_result_get(r, i, 5));
		h->place = xstrdup(db_result_get(r, i, 6));
		h->link = xstrdup(db_result_get(r, i, 7));
		h->description = xstrdup(db_result_get(r, i, 8));
	}
	db_result_free(&r);
	return true;
}

void
offering_hits_free(struct offering_hits *hits)
{
	for (int i = 0; i < hits->count; i++) {
		struct offering_hit *h = &hits->items[i];
		free(h->id), free(h->name), free(h->organization), free(h->modes);
		free(h->start_date), free(h->price), free(h->place), free(h->link);
		free(h->description);
	}
	free(hits->items);
	memset(hits, 0, sizeof *hits);
}

bool
offering_give(struct db *db, const char *question_id, const char *const *ids, int n,
              struct db_error *err)
{
	if (n <= 0)
		return true;
	struct strbuf list;
	strbuf_init(&list);
	for (int i = 0; i < n; i++)
		strbuf_addf(&list, "%s%s", i ? "," : "", ids[i]);
	const char *params[] = {question_id, list.buf};
	bool ok = db_query(db,
	                   "INSERT INTO loket.offering_given (question_id, offering_id) "
	                   "SELECT $1::uuid, v::bigint FROM unnest(string_to_array($2, ',')) AS v "
	                   "ON CONFLICT DO NOTHING",
	                   2, params, NULL, err);
	strbuf_free(&list);
	return ok;
}
