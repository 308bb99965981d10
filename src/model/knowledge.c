/* knowledge.c: first-line information suggested for a question and given. */
#include "config.h"

#include "model/knowledge.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of knowledge_suggest's statement, in order. */
#define HIT(kind, member) kind(struct knowledge_hit, member)
static const struct db_field hit_fields[] = {
	HIT(DB_TEXT, item_id), HIT(DB_TEXT, version_id), HIT(DB_INT, version_no),
	HIT(DB_TEXT, title),   HIT(DB_TEXT, tell_client), HIT(DB_TEXT, body),
	HIT(DB_TEXT, link),    HIT(DB_TEXT, review_by),  HIT(DB_BOOL, past_review),
};
#undef HIT

bool
knowledge_suggest(struct db *db, const char *topic, const char *text, int limit,
                  struct knowledge_hits *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char lim[16];
	snprintf(lim, sizeof lim, "%d", limit);
	const char *params[] = {topic, text, lim};
	return DB_QUERY_LIST(db,
	                     "SELECT item_id, version_id, version_no, title, tell_client, body, "
	                     "coalesce(link, ''), to_char(review_by, 'DD-MM-YYYY'), past_review "
	                     "FROM loket.knowledge_suggest($1, $2, $3::int)",
	                     3, params, hit_fields, out, err);
}

void
knowledge_hits_free(struct knowledge_hits *hits)
{
	DB_LIST_FREE(hit_fields, hits);
}

bool
knowledge_give(struct db *db, const char *question_id, const char *const *version_ids, int n,
               struct db_error *err)
{
	/* The ids go in as one parameter: a PostgreSQL array of bigints made by
	 * PostgreSQL itself from a comma-separated list of digits. */
	return db_query_list(db,
	                     "INSERT INTO loket.info_given (question_id, knowledge_version_id) "
	                     "SELECT $1::uuid, v::bigint "
	                     "FROM unnest(string_to_array($2, ',')) AS v "
	                     "ON CONFLICT DO NOTHING",
	                     question_id, version_ids, n, err);
}
