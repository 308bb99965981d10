/* referral_flow.c: see referral_flow.h. */
#include "config.h"

#include "model/referral_flow.h"

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
	struct db_result *r = NULL;
	if (!db_query(db, find_sql, 1, params, &r, err))
		return false;
	if (db_result_rows(r) == 0) {
		db_result_free(&r);
		db_error_set(err, "referral %s does not exist or is not visible to you", key);
		memcpy(err->sqlstate, "02000", 6);
		return false;
	}
	snprintf(out->id, sizeof out->id, "%s", db_result_get(r, 0, 0));
	out->version = atoi(db_result_get(r, 0, 1));
	snprintf(out->status, sizeof out->status, "%s", db_result_get(r, 0, 2));
	out->number = atoi(db_result_get(r, 0, 3));
	db_result_free(&r);
	return true;
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

const char *const referral_list_sql =
	"SELECT q.number, to_char(r.created_at, 'YYYY-MM-DD HH24:MI'), r.from_org, r.to_org, "
	"       r.reason, r.urgency, r.status, "
	"       to_char((r.deadline AT TIME ZONE 'Europe/Amsterdam') - interval '1 minute', "
	"               'YYYY-MM-DD'), "
	"       (r.status = 'sent' AND r.deadline < now())::text, "
	"       coalesce(a.display_name, r.accepted_by), r.outcome, r.id, q.text "
	"FROM loket.referral r "
	"JOIN loket.question q ON q.id = r.question_id "
	"LEFT JOIN loket.advisor a ON a.role_name = r.accepted_by "
	"WHERE CASE WHEN $1::text IS NULL THEN r.status IN ('sent', 'accepted', 'in_progress') "
	"           ELSE r.status = $1 END "
	"  AND (NOT $2::boolean OR (r.status = 'sent' AND r.deadline < now())) "
	"ORDER BY r.deadline, r.created_at LIMIT $3::int";
