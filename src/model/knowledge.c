/* knowledge.c: first-line information suggested for a question and given. */
#include "config.h"

#include "model/knowledge.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
knowledge_suggest(struct db *db, const char *topic, const char *text, int limit,
                  struct knowledge_hits *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char lim[16];
	snprintf(lim, sizeof lim, "%d", limit);
	const char *params[] = {topic, text, lim};
	struct db_result *r = NULL;
	if (!db_query(db,
	              "SELECT item_id, version_id, version_no, title, tell_client, body, "
	              "coalesce(link, ''), to_char(review_by, 'DD-MM-YYYY'), past_review "
	              "FROM loket.knowledge_suggest($1, $2, $3::int)",
	              3, params, &r, err))
		return false;
	out->count = db_result_rows(r);
	out->items = xcalloc((size_t)(out->count > 0 ? out->count : 1), sizeof *out->items);
	for (int i = 0; i < out->count; i++) {
		struct knowledge_hit *h = &out->items[i];
		h->item_id = xstrdup(db_result_get(r, i, 0));
		h->version_id = xstrdup(db_result_get(r, i, 1));
		h->version_no = atoi(db_result_get(r, i, 2));
		h->title = xstrdup(db_result_get(r, i, 3));
		h->tell_client = xstrdup(db_result_get(r, i, 4));
		h->body = xstrdup(db_result_get(r, i, 5));
		h->link = xstrdup(db_result_get(r, i, 6));
		h->review_by = xstrdup(db_result_get(r, i, 7));
		h->past_review = strcmp(db_result_get(r, i, 8), "t") == 0;
	}
	db_result_free(&r);
	return true;
}

void
knowledge_hits_free(struct knowledge_hits *hits)
{
	for (int i = 0; i < hits->count; i++) {
		struct knowledge_hit *h = &hits->items[i];
		free(h->item_id), free(h->version_id), free(h->title), free(h->tell_client);
		free(h->body), free(h->link), free(h->review_by);
	}
	free(hits->items);
	memset(hits, 0, sizeof *hits);
}

bool
knowledge_give(struct db *db, const char *question_id, const char *const *version_ids, int n,
               struct db_error *err)
{
	if (n <= 0)
		return true;
	/* The ids go in as one parameter: a PostgreSQL array of bigints made by
	 * PostgreSQL itself from a comma-separated list of digits. */
	struct strbuf ids;
	strbuf_init(&ids);
	for (int i = 0; i < n; i++)
		strbuf_addf(&ids, "%s%s", i ? "," : "", version_ids[i]);
	const char *params[] = {question_id, ids.buf};
	bool ok = db_query(db,
	                   "INSERT INTO loket.info_given (question_id, knowledge_version_id) "
	                   "SELECT $1::uuid, v::bigint "
	                   "FROM unnest(string_to_array($2, ',')) AS v "
	                   "ON CONFLICT DO NOTHING",
	                   2, params, NULL, err);
	strbuf_free(&ids);
	return ok;
}
