/* question.c: register, list (keyset pagination) and load questions. */
#include "config.h"

#include "model/question.h"
#include "model/question_rows.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_COLUMNS                                                                        \
	"q.id, q.number, to_char(q.created_at, 'YYYY-MM-DD HH24:MI'), q.created_at::text, "  \
	"q.organisation, q.advisor, q.channel, q.client_group, q.topic, q.status, q.text, "  \
	"q.postcode4, lr.status, q.version, coalesce(loket.referral_unseen(lr), false)::text, " \
	"coalesce(lr.status = 'sent' AND lr.deadline < now(), false)::text "

/* The latest referral of q, as far as the role may read referrals. */
#define LATEST_REFERRAL                                                                    \
	"LEFT JOIN LATERAL (SELECT * FROM loket.referral r "                                   \
	"WHERE r.question_id = q.id ORDER BY r.created_at DESC LIMIT 1) lr ON true "

#define FILTER "WHERE ($1::text IS NULL OR q.status = $1) "

/* Newest first; rows older than the key (OP <) or from it on (OP <=). */
#define PAGE_DESC_SQL(op)                                                                  \
	"SELECT " ROW_COLUMNS "FROM loket.question q " LATEST_REFERRAL FILTER                  \
	"AND ($2::timestamptz IS NULL OR (q.created_at, q.id) " op                             \
	" ($2::timestamptz, $3::uuid)) ORDER BY q.created_at DESC, q.id DESC LIMIT $4::int"
static const char *const page_desc_sql = PAGE_DESC_SQL("<");
static const char *const page_at_sql = PAGE_DESC_SQL("<=");

/* Oldest first; rows strictly newer than the key when one is given. */
static const char *const page_asc_sql =
	"SELECT " ROW_COLUMNS "FROM loket.question q " LATEST_REFERRAL FILTER
	"AND ($2::timestamptz IS NULL OR (q.created_at, q.id) > ($2::timestamptz, $3::uuid)) "
	"ORDER BY q.created_at, q.id LIMIT $4::int";

/* A search: loket.question_search (sql/028) pages the matching ids by the
 * GIN index, applying the policies' predicates; the rows themselves are read
 * here under the role's own policies.  $6 is the direction (older, at,
 * newer), and ORDER puts the page in the order it was asked for. */
#define PAGE_SEARCH_SQL(order)                                                             \
	"SELECT " ROW_COLUMNS                                                                  \
	"FROM loket.question_search($5, $1, $2::timestamptz, $3::uuid, $6, $4::int) s "       \
	"JOIN loket.question q ON q.id = s.id " LATEST_REFERRAL                                \
	"ORDER BY q.created_at " order ", q.id " order
static const char *const page_search_desc_sql = PAGE_SEARCH_SQL("DESC");
static const char *const page_search_asc_sql = PAGE_SEARCH_SQL("ASC");

/* The columns of ROW_COLUMNS, in order (question_rows.h). */
const struct db_field question_row_fields[QUESTION_ROW_NFIELDS] = {
	DB_CHARS(struct question_row, id),
	DB_INT(struct question_row, number),
	DB_TEXT(struct question_row, created),
	DB_TEXT(struct question_row, created_key),
	DB_TEXT(struct question_row, organisation),
	DB_TEXT(struct question_row, advisor),
	DB_TEXT(struct question_row, channel),
	DB_TEXT(struct question_row, client_group),
	DB_TEXT(struct question_row, topic),
	DB_TEXT(struct question_row, status),
	DB_TEXT(struct question_row, text),
	DB_TEXT_OR_NULL(struct question_row, postcode4),
	DB_TEXT_OR_NULL(struct question_row, referral_status),
	DB_INT(struct question_row, version),
	DB_BOOL(struct question_row, referral_unseen),
	DB_BOOL(struct question_row, referral_overdue),
};

void
question_row_free(struct question_row *row)
{
	db_fields_free(question_row_fields, QUESTION_ROW_NFIELDS, row);
	memset(row, 0, sizeof *row);
}

bool
question_page(struct db *db, const struct question_filter *filter,
              const struct question_key *key, enum question_dir dir, int limit,
              struct question_page *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	bool ascending = dir == QUESTION_OLDEST || dir == QUESTION_NEWER;
	bool keyed = (dir == QUESTION_OLDER || dir == QUESTION_NEWER || dir == QUESTION_AT) && key &&
	             key->created_key;
	char lim[16];
	snprintf(lim, sizeof lim, "%d", limit + 1); /* one extra tells whether there is more */
	const char *search = filter && filter->search && *filter->search ? filter->search : NULL;
	const char *params[] = {filter ? filter->status : NULL,
	                        keyed ? key->created_key : NULL,
	                        keyed ? key->id : NULL,
	                        lim,
	                        search,
	                        ascending ? "newer" : dir == QUESTION_AT ? "at" : "older"};
	struct db_result *r = NULL;
	const char *sql = ascending ? page_asc_sql : dir == QUESTION_AT ? page_at_sql : page_desc_sql;
	if (search)
		sql = ascending ? page_search_asc_sql : page_search_desc_sql;
	if (!db_query(db, sql, search ? 6 : 4, params, &r, err))
		return false;
	int n = db_result_rows(r);
	out->more = n > limit;
	out->count = out->more ? limit : n;
	out->rows = xcalloc((size_t)out->count, sizeof *out->rows);
	for (int i = 0; i < out->count; i++) {
		/* ascending queries are reversed into list order */
		int dst = ascending ? out->count - 1 - i : i;
		db_result_row(r, i, question_row_fields, QUESTION_ROW_NFIELDS, &out->rows[dst]);
	}
	db_result_free(&r);
	return true;
}

void
question_page_free(struct question_page *page)
{
	for (int i = 0; i < page->count; i++)
		question_row_free(&page->rows[i]);
	free(page->rows);
	memset(page, 0, sizeof *page);
}

void
question_key_of(const struct question_row *row, struct question_key *key)
{
	key->created_key = xstrdup(row->created_key);
	memcpy(key->id, row->id, sizeof key->id);
}

void
question_key_free(struct question_key *key)
{
	free(key->created_key);
	memset(key, 0, sizeof *key);
}

bool
question_add(struct db *db, const struct question_new *q, int *number, struct db_error *err)
{
	if (q->nextra < 0 || q->nextra > QUESTION_MAX_EXTRA) {
		db_error_set(err, "too many extra fields");
		return false;
	}
	const char *params[6 + 2 * QUESTION_MAX_EXTRA] = {
		q->id, q->channel, q->client_group, q->topic, q->text, q->postcode4};
	/* The SQL text gains placeholders only ($7, $8, ...); values stay parameters. */
	struct strbuf sql;
	strbuf_init(&sql);
	strbuf_adds(&sql, "WITH ins AS ("
	                  "  INSERT INTO loket.question (id, channel, client_group, topic, text, "
	                  "                              postcode4, extra) "
	                  "  VALUES ($1::uuid, $2, $3, $4, $5, $6, jsonb_build_object(");
	for (int i = 0; i < q->nextra; i++) {
		params[6 + 2 * i] = q->extra_keys[i];
		params[7 + 2 * i] = q->extra_values[i];
		strbuf_addf(&sql, "%s$%d::text, $%d::text", i ? ", " : "", 7 + 2 * i, 8 + 2 * i);
	}
	/* A retried submit finds the row it already wrote. */
	strbuf_adds(&sql, ")) ON CONFLICT (id) DO NOTHING RETURNING number) "
	                  "SELECT number FROM ins "
	                  "UNION ALL SELECT number FROM loket.question WHERE id = $1::uuid "
	                  "LIMIT 1");
	bool found = false;
	bool ok =
	    db_query_value(db, sql.buf, 6 + 2 * q->nextra, params, DB_T_INT, number, &found, err);
	strbuf_free(&sql);
	if (ok && !found)
		db_error_set(err, "question %s exists but is not visible", q->id);
	return ok && found;
}

bool
question_update(struct db *db, const struct question_new *q, int *version, struct db_error *err)
{
	if (q->nextra < 0 || q->nextra > QUESTION_MAX_EXTRA) {
		db_error_set(err, "too many extra fields");
		return false;
	}
	char v[16];
	snprintf(v, sizeof v, "%d", *version);
	const char *params[7 + 2 * QUESTION_MAX_EXTRA] = {
		q->id, v, q->channel, q->client_group, q->topic, q->text, q->postcode4};
	struct strbuf sql;
	strbuf_init(&sql);
	strbuf_adds(&sql, "UPDATE loket.question SET channel = $3, client_group = $4, topic = $5, "
	                  "text = $6, postcode4 = $7, extra = jsonb_build_object(");
	for (int i = 0; i < q->nextra; i++) {
		params[7 + 2 * i] = q->extra_keys[i];
		params[8 + 2 * i] = q->extra_values[i];
		strbuf_addf(&sql, "%s$%d::text, $%d::text", i ? ", " : "", 8 + 2 * i, 9 + 2 * i);
	}
	strbuf_adds(&sql, ") WHERE id = $1::uuid AND version = $2::int RETURNING version");
	bool found = false;
	bool ok =
	    db_query_value(db, sql.buf, 7 + 2 * q->nextra, params, DB_T_INT, version, &found, err);
	strbuf_free(&sql);
	if (ok && !found) {
		db_error_set(err, "question %s was changed by someone else meanwhile", q->id);
		memcpy(err->sqlstate, "40001", 6);
	}
	return ok && found;
}

bool
question_has_contact(struct db *db, const char *id, bool *has, struct db_error *err)
{
	const char *params[] = {id};
	return db_query_value(db,
	                      "SELECT EXISTS (SELECT 1 FROM loket.client c WHERE c.question_id = "
	                      "$1::uuid AND c.consent_at IS NOT NULL AND c.anonymised_at IS NULL) "
	                      "OR EXISTS (SELECT 1 FROM loket.referral r WHERE r.question_id = "
	                      "$1::uuid AND r.status IN ('sent', 'accepted', 'in_progress'))",
	                      1, params, DB_T_BOOL, has, NULL, err);
}

bool
question_update_moved(struct db *db, const struct question_new *q, int *version,
                      const char *email, const char *phone, struct db_error *err)
{
	if (!db_begin(db, err))
		return false;
	const char *params[] = {q->id, email, phone};
	bool ok = question_update(db, q, version, err) &&
	          db_query(db,
	                   "SELECT loket.question_contact_moved($1::uuid, "
	                   "array_remove(ARRAY[$2::text, $3::text], NULL))",
	                   3, params, NULL, err) &&
	          db_commit(db, err);
	if (!ok)
		db_rollback(db);
	return ok;
}

bool
question_extra(struct db *db, const char *id, char ***keys, char ***values, int *n,
               struct db_error *err)
{
	const char *params[] = {id};
	struct db_result *r = NULL;
	*keys = *values = NULL;
	*n = 0;
	if (!db_query(db,
	              "SELECT e.key, e.value FROM loket.question q, jsonb_each_text(q.extra) e "
	              "WHERE q.id = $1::uuid ORDER BY e.key",
	              1, params, &r, err))
		return false;
	int rows = db_result_rows(r);
	*keys = xcalloc((size_t)rows + 1, sizeof **keys);
	*values = xcalloc((size_t)rows + 1, sizeof **values);
	for (int i = 0; i < rows; i++) {
		(*keys)[i] = xstrdup(db_result_get(r, i, 0));
		(*values)[i] = xstrdup(db_result_get(r, i, 1) ? db_result_get(r, i, 1) : "");
	}
	*n = rows;
	db_result_free(&r);
	return true;
}

void
question_extra_free(char **keys, char **values, int n)
{
	for (int i = 0; i < n; i++) {
		free(keys[i]);
		free(values[i]);
	}
	free(keys);
	free(values);
}
