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

/* One sync in progress. */
struct sync {
	struct db *db;
	const char *url;
	struct http_options o;
	struct http_response resp; /* the page being stored */
	struct db_error err;
	aanbod_page_fn on_page;
	void *arg;
	struct aanbod_result *res;
	char **error;
};

/* The source answered 304: the stored catalogue stays, its date is renewed. */
static bool
sync_unchanged(struct sync *s)
{
	struct db_result *r = NULL;
	s->res->unchanged = true;
	if (!db_query(s->db, "SELECT loket.offering_sync_unchanged()", 0, NULL, &r, &s->err)) {
		*s->error = db_message(&s->err);
		return false;
	}
	if (db_result_rows(r) == 1)
		s->res->total = cell_int(r, 0);
	db_result_free(&r);
	return true;
}

/* Text only: a NUL would end the page early, invalid UTF-8 would not reach
 * the parser. */
static bool
page_is_text(struct sync *s, int page)
{
	if (strlen(s->resp.body.buf) != s->resp.body.len)
		*s->error = xasprintf(_("page %d: the answer contains a NUL byte"), page);
	else if (!utf8_valid(s->resp.body.buf, s->resp.body.len))
		*s->error = xasprintf(_("page %d: the answer is not UTF-8 text"), page);
	else
		return true;
	s->res->source_failed = true;
	return false;
}

/* Store the page in s->resp; *next when the source says there is another. */
static bool
store_page(struct sync *s, const char *sync_no, int page, bool *next)
{
	if (!page_is_text(s, page))
		return false;
	char num[16];
	snprintf(num, sizeof num, "%d", page);
	const char *pp[] = {sync_no, num, s->resp.body.buf ? s->resp.body.buf : ""};
	struct db_result *r = NULL;
	if (!db_query(s->db,
	              "SELECT has_next, items FROM loket.offering_sync_page($1::bigint, "
	              "$2::int, $3)",
	              3, pp, &r, &s->err)) {
		*s->error = page_error(page, &s->err, &s->res->source_failed);
		return false;
	}
	const char *has_next = db_result_get(r, 0, 0);
	*next = has_next && strcmp(has_next, "t") == 0;
	int items = cell_int(r, 1);
	db_result_free(&r);
	s->res->pages = page;
	if (s->on_page)
		s->on_page(s->arg, page, items);
	return true;
}

/* Every page from the first (already in s->resp) on, until the source says
 * there is no next one. */
static bool
store_pages(struct sync *s, const char *sync_no)
{
	for (int page = 1;; page++) {
		if (page > 1) {
			http_response_free(&s->resp);
			if (!fetch(s->url, page, &s->o, &s->resp, s->error)) {
				s->res->source_failed = true;
				return false;
			}
		}
		bool next;
		if (!store_page(s, sync_no, page, &next))
			return false;
		if (!next)
			return true;
		if (page >= AANBOD_MAX_PAGES) {
			*s->error = xasprintf(_("page %d: the source still reports a next page; stopped "
			                        "after %d pages"),
			                      page, AANBOD_MAX_PAGES);
			return false;
		}
	}
}

/* Begin, store the pages and finish, in the transaction the caller opened;
 * the validators are those of the first page's answer. */
static bool
sync_store(struct sync *s, const char *etag, const char *last_modified)
{
	struct db_result *r = NULL;
	const char *bp[] = {s->url};
	if (!db_query(s->db, "SELECT loket.offering_sync_begin($1)", 1, bp, &r, &s->err)) {
		*s->error = db_message(&s->err);
		return false;
	}
	char *sync_no = xstrdup(db_result_get(r, 0, 0));
	db_result_free(&r);
	const char *fp[] = {sync_no, etag, last_modified};
	bool ok = store_pages(s, sync_no) &&
	          db_query(s->db,
	                   "SELECT total, added, changed, withdrawn "
	                   "FROM loket.offering_sync_finish($1::bigint, $2, $3)",
	                   3, fp, &r, &s->err);
	if (!ok && !*s->error) {
		*s->error = db_message(&s->err);
		s->res->source_failed = s->err.hint && strcmp(s->err.hint, "LKSYNC") == 0;
	}
	free(sync_no);
	if (!ok)
		return false;
	s->res->total = cell_int(r, 0);
	s->res->added = cell_int(r, 1);
	s->res->changed = cell_int(r, 2);
	s->res->withdrawn = cell_int(r, 3);
	db_result_free(&r);
	return true;
}

/* The first page has been fetched and changed: store it and the rest in
 * one transaction. */
static bool
sync_changed(struct sync *s)
{
	char *etag = s->resp.etag ? xstrdup(s->resp.etag) : NULL;
	char *last_modified = s->resp.last_modified ? xstrdup(s->resp.last_modified) : NULL;
	s->o.etag = s->o.last_modified = NULL; /* the next pages: unconditional */
	bool ok = false;
	if (!db_begin(s->db, &s->err)) {
		*s->error = db_message(&s->err);
	} else if (sync_store(s, etag, last_modified) && db_commit(s->db, &s->err)) {
		ok = true;
	} else {
		if (!*s->error)
			*s->error = db_message(&s->err);
		db_rollback(s->db);
	}
	free(etag), free(last_modified);
	return ok;
}

bool
aanbod_sync(struct db *db, const char *url, const struct http_options *opts,
            aanbod_page_fn on_page, void *arg, struct aanbod_result *res, char **error)
{
	memset(res, 0, sizeof *res);
	*error = NULL;
	struct sync s = {.db = db, .url = url, .o = *opts, .on_page = on_page, .arg = arg,
	                 .res = res, .error = error};
	char *etag = NULL, *last_modified = NULL;
	validators(db, url, &etag, &last_modified);
	s.o.etag = etag;
	s.o.last_modified = last_modified;
	bool ok;
	if (!fetch(url, 1, &s.o, &s.resp, error)) {
		res->source_failed = true;
		ok = false;
	} else {
		ok = s.resp.status == 304 ? sync_unchanged(&s) : sync_changed(&s);
	}
	db_error_clear(&s.err);
	http_response_free(&s.resp);
	free(etag), free(last_modified);
	return ok;
}

/* The columns of offering_search's statement, in order. */
#define HIT(member) DB_TEXT(struct offering_hit, member)
static const struct db_field hit_fields[] = {
	HIT(id),    HIT(name),  HIT(organization), HIT(modes),       HIT(start_date),
	HIT(price), HIT(place), HIT(link),         HIT(description),
};
#undef HIT

bool
offering_search(struct db *db, const struct offering_filter *f, int limit,
                struct offering_hits *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char lim[16];
	snprintf(lim, sizeof lim, "%d", limit);
	const char *params[] = {f->text ? f->text : "", f->mode, f->from, f->max_price, f->muni, lim};
	return DB_QUERY_LIST(db,
	                     "SELECT id, name, coalesce(organization, ''), "
	                     "array_to_string(modes, ', '), "
	                     "coalesce(to_char(start_date, 'DD-MM-YYYY'), ''), "
	                     "coalesce(price::text, ''), coalesce(municipality, city, ''), "
	                     "coalesce(link, ''), coalesce(description, '') "
	                     "FROM loket.offering_search($1, $2, $3::date, $4::numeric, $5, "
	                     "$6::int)",
	                     6, params, hit_fields, out, err);
}

void
offering_hits_free(struct offering_hits *hits)
{
	DB_LIST_FREE(hit_fields, hits);
}

bool
offering_give(struct db *db, const char *question_id, const char *const *ids, int n,
              struct db_error *err)
{
	return db_query_list(db,
	                     "INSERT INTO loket.offering_given (question_id, offering_id) "
	                     "SELECT $1::uuid, v::bigint FROM unnest(string_to_array($2, ',')) AS v "
	                     "ON CONFLICT DO NOTHING",
	                     question_id, ids, n, err);
}
