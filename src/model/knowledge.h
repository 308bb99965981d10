/* knowledge.h: the shared first-line information — suggestions for a
 * question, and recording which exact versions were given. */
#ifndef LOKET_MODEL_KNOWLEDGE_H
#define LOKET_MODEL_KNOWLEDGE_H

#include <stdbool.h>

#include "db/db.h"

struct knowledge_hit {
	char *item_id;
	char *version_id;
	int version_no;
	char *title;
	char *tell_client;
	char *body;
	char *link;        /* may be "" */
	char *review_by;   /* dd-mm-yyyy */
	bool past_review;
};

struct knowledge_hits {
	struct knowledge_hit *items;
	int count;
};

/* Items that fit a question's topic and text, best first (at most limit),
 * through loket.knowledge_suggest (Dutch stemming, typos tolerated).
 * Returns false with err set. */
bool knowledge_suggest(struct db *db, const char *topic, const char *text, int limit,
                       struct knowledge_hits *out, struct db_error *err);
void knowledge_hits_free(struct knowledge_hits *hits);

/* Record that these knowledge versions were given on the question (one
 * statement; giving the same version twice changes nothing). */
bool knowledge_give(struct db *db, const char *question_id, const char *const *version_ids,
                    int n, struct db_error *err);

#endif
