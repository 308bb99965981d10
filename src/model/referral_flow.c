/* referral_flow.c: see referral_flow.h. */
#include "config.h"

#include "model/referral_flow.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const find_sql =
	"SELECT r.id, r.version, r.status, q.number "
	"FROM loket.referral r JOIN loket.question q ON q.id = r.question_id "
	"WHERE CASE WHEN $1 ~ '^[0-9a-fA-F-]{36}$' THEN r.id = $1::uuid "
	"           WHEN $1 ~ '^[0-9]{1,9}$' THEN q.number = $1::int "
	"                AND q.region = coalesce(loket.my_region(), q.region) "
	"           ELSE false END "
	"ORDER BY r.created_at DESC LIMIT 1";

bool
referral_find(struct db *db, const char *key, struct referral_ref *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	const char *params[] = {key};
	static const struct db_field fields[] = {
		DB_CHARS(struct referral_ref, id), DB_INT(struct referral_ref, version),
		DB_CHARS(struct referral_ref, status), DB_INT(struct referral_ref, number)};
	bool found = false;
	if (!db_query_row(db, find_sql, 1, params, fields, DB_NFIELDS(fields), out, &found, err))
		return false;
	if (!found)
		db_error_not_found(err, "referral", key);
	return found;
}

bool
referral_accept(struct db *db, const struct referral_ref *r, struct db_error *err)
{
	const char *params[] = {r->id};
	return db_query(db, "SELECT loket.referral_accept($1::uuid)", 1, params, NULL, err);
}

static const char *const set_sql =
	"UPDATE loket.referral SET status = coalesce($3, status), "
	"       outcome = coalesce($4, outcome), "
	"       target_note = CASE WHEN coalesce($3, status) = 'completed' THEN target_note "
	"                          ELSE coalesce($5, target_note) END, "
	"       outcome_note = CASE WHEN coalesce($3, status) = 'completed' "
	"                           THEN coalesce($5, outcome_note) ELSE outcome_note END, "
	"       return_reason = coalesce($6, return_reason) "
	"WHERE id = $1::uuid AND version = $2::int RETURNING version";

bool
referral_set_status(struct db *db, const struct referral_ref *r, const char *status,
                    const char *outcome, const char *note, const char *return_reason,
                    struct db_error *err)
{
	char version[16];
	snprintf(version, sizeof version, "%d", r->version);
	const char *params[] = {r->id, version, status, outcome, note, return_reason};
	struct db_result *res = NULL;
	if (!db_query(db, set_sql, 6, params, &res, err))
		return false;
	int rows = db_result_rows(res);
	db_result_free(&res);
	if (rows == 0) {
		db_error_set(err, "the referral was changed by someone else meanwhile");
		memcpy(err->sqlstate, "40001", 6);
		return false;
	}
	return true;
}

/* The referrals listed, newest deadline first, up to the limit ($1 status,
 * $2 overdue only, $3 limit). */
#define LIST_ROWS                                                                                 \
	"SELECT q.number, to_char(r.created_at, 'YYYY-MM-DD HH24:MI') AS created, "                 \
	"       r.from_org, r.to_org, r.reason, r.urgency, r.status, "                               \
	"       to_char((r.deadline AT TIME ZONE 'Europe/Amsterdam') - interval '1 minute', "        \
	"               'YYYY-MM-DD') AS deadline, "                                                 \
	"       (r.status = 'sent' AND r.deadline < now())::text AS overdue, "                       \
	"       coalesce(a.display_name, r.accepted_by) AS accepted_by, r.outcome, r.id, "           \
	"       r.note, q.text, r.question_id, r.consent_contact, "                                  \
	"       r.deadline AS due, r.urgency <> 'hoog' AS normal, r.created_at "                     \
	"FROM loket.referral r "                                                                     \
	"JOIN loket.question q ON q.id = r.question_id "                                             \
	"LEFT JOIN loket.advisor a ON a.role_name = r.accepted_by "                                  \
	"WHERE CASE WHEN $1::text IS NULL THEN r.status IN ('sent', 'accepted', 'in_progress') "     \
	"           ELSE r.status = $1 END "                                                         \
	"  AND (NOT $2::boolean OR (r.status = 'sent' AND r.deadline < now())) "                     \
	"ORDER BY r.deadline, r.urgency <> 'hoog', r.created_at LIMIT $3::int"

/* The reads of the details of the listed referrals made with consent,
 * logged first in a statement of their own (sql/038). */
static const char *const list_ask_sql =
	"SELECT loket.client_contact_ask(ARRAY(SELECT x.question_id FROM (" LIST_ROWS ") x "
	"WHERE x.consent_contact), 'referral list')";

static const char *const list_sql =
	"SELECT x.number, x.created, x.from_org, x.to_org, x.reason, x.urgency, x.status, "
	"       x.deadline, x.overdue, x.accepted_by, x.outcome, x.id, x.note, "
	"       c.name, c.phone, c.email, x.text "
	"FROM (" LIST_ROWS ") x "
	"LEFT JOIN LATERAL (SELECT k.* FROM loket.client_contact(x.question_id, 'referral list') k "
	"                   WHERE x.consent_contact AND $4::boolean) c ON true "
	"ORDER BY x.due, x.normal, x.created_at";

bool
referral_list(struct db *db, const char *status, bool overdue, int limit, bool contact,
              struct db_table *out, struct db_error *err)
{
	char lim[16];
	snprintf(lim, sizeof lim, "%d", limit);
	const char *params[] = {status, overdue ? "t" : "f", lim, contact ? "t" : "f"};
	return (!contact || db_query(db, list_ask_sql, 3, params, NULL, err)) &&
	       db_query_table(db, list_sql, 4, params, out, err);
}

/* $1 tab, $2/$3 the key's sort value and id (NULL: from the start), $4
 * limit, and for the open tabs $5: the key row is not of high urgency.  The
 * open tabs go by deadline, soonest first, and within one deadline high
 * urgency first; "returned" by when it was returned, newest first.  Back is
 * the other way round (and reversed).  The order is that of the indexes of
 * sql/023_inbox_urgency.sql. */
#define INBOX_SQL(tabs, key, keycols, op, keyvals, order)                                   \
	"SELECT r.id, q.number, r.version, o.name, coalesce(rr.label, r.reason), r.status, "   \
	"       coalesce(a.display_name, r.accepted_by), q.text, " key "::text, "              \
	"       (extract(epoch FROM r.deadline - now()) / 60)::bigint, "                       \
	"       loket.referral_unseen(r)::text, (r.urgency = 'hoog')::text, r.note "           \
	"FROM loket.referral r "                                                              \
	"JOIN loket.question q ON q.id = r.question_id "                                      \
	"JOIN loket.organisation o ON o.code = r.from_org "                                   \
	"LEFT JOIN loket.referral_reason rr ON rr.code = r.reason "                           \
	"LEFT JOIN loket.advisor a ON a.role_name = r.accepted_by "                           \
	"WHERE r.to_org = loket.my_org() AND " tabs                                           \
	"  AND ($2::timestamptz IS NULL OR (" keycols ") " op " (" keyvals ")) "              \
	"ORDER BY " order " LIMIT $4::int"

#define OPEN_TABS                                                                          \
	"CASE $1::int "                                                                       \
	"  WHEN 0 THEN r.status = 'sent' "                                                    \
	"  WHEN 1 THEN r.status IN ('accepted', 'in_progress') AND r.accepted_by = current_user " \
	"  WHEN 2 THEN r.status = 'in_progress' "                                             \
	"  ELSE r.status = 'sent' AND r.deadline < now() END "
#define OPEN_KEY "r.deadline, r.urgency <> 'hoog', r.id"
#define OPEN_VALS "$2::timestamptz, $5::boolean, $3::uuid"
#define RETURNED_TAB "$1::int = 4 AND r.status = 'returned' "
#define RETURNED_KEY "r.returned_at, r.id"
#define RETURNED_VALS "$2::timestamptz, $3::uuid"

static const char *const inbox_fwd_sql =
	INBOX_SQL(OPEN_TABS, "r.deadline", OPEN_KEY, ">", OPEN_VALS,
	          "r.deadline, r.urgency <> 'hoog', r.id");
static const char *const inbox_back_sql =
	INBOX_SQL(OPEN_TABS, "r.deadline", OPEN_KEY, "<", OPEN_VALS,
	          "r.deadline DESC, r.urgency <> 'hoog' DESC, r.id DESC");
static const char *const returned_fwd_sql =
	INBOX_SQL(RETURNED_TAB, "r.returned_at", RETURNED_KEY, "<", RETURNED_VALS,
	          "r.returned_at DESC, r.id DESC");
static const char *const returned_back_sql =
	INBOX_SQL(RETURNED_TAB, "r.returned_at", RETURNED_KEY, ">", RETURNED_VALS,
	          "r.returned_at, r.id");

/* The columns of INBOX_SQL, in order. */
#define INBOX(kind, member) kind(struct inbox_row, member)
static const struct db_field inbox_fields[] = {
	INBOX(DB_CHARS, id),
	INBOX(DB_INT, number),
	INBOX(DB_INT, version),
	INBOX(DB_TEXT, from_org_name),
	INBOX(DB_TEXT, reason),
	INBOX(DB_TEXT, status),
	INBOX(DB_TEXT, accepted_by),
	INBOX(DB_TEXT, text),
	INBOX(DB_TEXT, deadline_key),
	INBOX(DB_LONG, minutes_left),
	INBOX(DB_BOOL, unseen),
	INBOX(DB_BOOL, high),
	INBOX(DB_TEXT, note),
};
#undef INBOX

bool
inbox_page(struct db *db, enum inbox_tab tab, const struct inbox_row *key, bool forward,
           int limit, struct inbox_page *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char t[12], lim[16];
	snprintf(t, sizeof t, "%d", (int)tab);
	snprintf(lim, sizeof lim, "%d", limit + 1);
	const char *params[] = {t, key ? key->deadline_key : NULL, key ? key->id : NULL, lim,
	                        key && key->high ? "f" : "t"};
	struct db_result *r = NULL;
	bool returned = tab == INBOX_RETURNED;
	const char *sql = returned ? (forward ? returned_fwd_sql : returned_back_sql)
	                           : (forward ? inbox_fwd_sql : inbox_back_sql);
	if (!db_query(db, sql, returned ? 4 : 5, params, &r, err))
		return false;
	int n = db_result_rows(r);
	out->more = n > limit;
	out->count = out->more ? limit : n;
	out->rows = xcalloc((size_t)(out->count > 0 ? out->count : 1), sizeof *out->rows);
	for (int i = 0; i < out->count; i++)
		db_result_row(r, i, inbox_fields, DB_NFIELDS(inbox_fields),
		              &out->rows[forward ? i : out->count - 1 - i]);
	db_result_free(&r);
	return true;
}

void
inbox_page_free(struct inbox_page *p)
{
	db_fields_free_all(inbox_fields, DB_NFIELDS(inbox_fields), p->rows, p->count,
	                   sizeof *p->rows);
	memset(p, 0, sizeof *p);
}

bool
referral_listen(struct db *db, bool *listening, struct db_error *err)
{
	return db_query_value(db, "SELECT loket.notify_listen()", 0, NULL, DB_T_BOOL, listening,
	                      NULL, err);
}

bool
referral_unseen_count(struct db *db, long *out, struct db_error *err)
{
	return db_query_value(db, "SELECT loket.referral_unseen_count()", 0, NULL, DB_T_LONG, out,
	                      NULL, err);
}

bool
referral_mark_seen(struct db *db, const char *question_id, long *unseen, struct db_error *err)
{
	const char *params[] = {question_id};
	return db_query_value(db, "SELECT loket.referral_seen_and_count($1::uuid)", 1, params,
	                      DB_T_LONG, unseen, NULL, err);
}
