/* aanbod.h: the regional training catalogue — the sync from an OOAPI v5
 * source (fetched here with libcurl, parsed by PostgreSQL), the search as
 * you type, and offerings given on a question. */
#ifndef LOKET_MODEL_AANBOD_H
#define LOKET_MODEL_AANBOD_H

#include <stdbool.h>

#include "db/db.h"
#include "net/http.h"
#include "util/conf.h"

/* The [aanbod] settings of the configuration file, with their defaults.
 * Strings point into conf.  Returns false with *error set when a value is
 * out of range. */
bool aanbod_options(const struct conf *c, struct http_options *o, char **error);

struct aanbod_result {
	bool unchanged; /* the source answered 304: nothing was read */
	bool source_failed; /* on failure: the source (network, HTTP, a bad page), not the database */
	int pages;
	int total, added, changed, withdrawn;
};

/* Called after each page is stored (page number, items on it). */
typedef void (*aanbod_page_fn)(void *arg, int page, int items);

/* True when the caller may sync the catalogue (editors and administrators). */
bool aanbod_may_sync(struct db *db);

/* Fetch every page of url (following hasNextPage, asking for each with the
 * pageNumber query parameter) and store the catalogue of the caller's
 * region in one transaction.  An unchanged catalogue (ETag or
 * Last-Modified) costs one request.  On any failure nothing is changed and
 * false is returned with *error set (a new string naming the page, and for
 * bad data the item and field). */
bool aanbod_sync(struct db *db, const char *url, const struct http_options *o,
                 aanbod_page_fn on_page, void *arg, struct aanbod_result *res, char **error);

struct offering_hit {
	char *id;
	char *name;
	char *organization; /* "" when unknown */
	char *modes;        /* "online, hybrid" */
	char *start_date;   /* dd-mm-yyyy or "" */
	char *price;        /* "1250.00" or "" */
	char *place;        /* municipality or city, or "" */
	char *link;
	char *description;
};

struct offering_hits {
	struct offering_hit *items;
	int count;
};

struct offering_filter {
	const char *text;      /* Dutch full text; prefixes of the last word */
	const char *mode;      /* an OOAPI modeOfDelivery, or NULL */
	const char *from;      /* yyyy-mm-dd: starting on or after, or NULL */
	const char *max_price; /* euro, or NULL */
	const char *muni;      /* municipality code or name, or NULL */
};

bool offering_search(struct db *db, const struct offering_filter *f, int limit,
                     struct offering_hits *out, struct db_error *err);
void offering_hits_free(struct offering_hits *h);

/* Record that these offerings were given on the question (one statement). */
bool offering_give(struct db *db, const char *question_id, const char *const *ids, int n,
                   struct db_error *err);

#endif
