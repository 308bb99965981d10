/* question_detail.c: one question with its information, referrals and history. */
#include "config.h"

#include "model/history.h"
#include "model/question.h"
#include "model/question_rows.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const detail_sql =
	"SELECT q.id, q.number, to_char(q.created_at, 'YYYY-MM-DD HH24:MI'), q.created_at::text, "
	"       q.organisation, q.advisor, q.channel, q.client_group, q.topic, q.status, q.text, "
	"       q.postcode4, NULL, q.version, to_char(q.updated_at, 'YYYY-MM-DD HH24:MI'), "
	"       o.name, coalesce(a.display_name, q.advisor), q.extra::text, "
	"       coalesce(ch.label, q.channel), coalesce(g.label, q.client_group), "
	"       coalesce(t.label, q.topic) "
	"FROM loket.question q "
	"JOIN loket.organisation o ON o.code = q.organisation "
	"LEFT JOIN loket.advisor a ON a.role_name = q.advisor "
	"LEFT JOIN loket.channel ch ON ch.code = q.channel "
	"LEFT JOIN loket.client_group g ON g.code = q.client_group "
	"LEFT JOIN loket.topic t ON t.code = q.topic "
	"WHERE q.number = $1::int AND q.region = coalesce(loket.my_region(), q.region) "
	"ORDER BY q.created_at DESC LIMIT 1";

/* The information given: knowledge items, and the catalogue's offerings
 * (version 0), in the order they were given. */
static const char *const info_sql =
	"SELECT v.title, v.version_no, to_char(g.given_at, 'YYYY-MM-DD HH24:MI'), g.given_by, "
	"       g.given_at "
	"FROM loket.info_given g JOIN loket.knowledge_version v ON v.id = g.knowledge_version_id "
	"WHERE g.question_id = $1::uuid "
	"UNION ALL "
	"SELECT o.name, 0, to_char(g.given_at, 'YYYY-MM-DD HH24:MI'), g.given_by, g.given_at "
	"FROM loket.offering_given g JOIN loket.offering o ON o.id = g.offering_id "
	"WHERE g.question_id = $1::uuid "
	"ORDER BY 5, 1";

static const char *const referral_sql =
	"SELECT coalesce(o.name, r.to_org), coalesce(rr.label, r.reason), r.status, "
	"       coalesce(ro.label, r.outcome), "
	"       to_char(r.created_at, 'YYYY-MM-DD HH24:MI'), r.consent_contact, "
	"       r.outcome_note, r.target_note, r.return_reason, "
	"       coalesce(a.display_name, r.accepted_by), r.urgency, r.note, "
	"       EXISTS (SELECT 1 FROM loket.client c WHERE c.question_id = r.question_id "
	"               AND c.consent_withdrawn_at IS NOT NULL), "
	"       EXISTS (SELECT 1 FROM loket.client c WHERE c.question_id = r.question_id "
	"               AND c.anonymised_at IS NOT NULL) "
	"FROM loket.referral r "
	"LEFT JOIN loket.organisation o ON o.code = r.to_org "
	"LEFT JOIN loket.referral_reason rr ON rr.code = r.reason "
	"LEFT JOIN loket.referral_outcome ro ON ro.code = r.outcome "
	"LEFT JOIN loket.advisor a ON a.role_name = r.accepted_by "
	"WHERE r.question_id = $1::uuid ORDER BY r.created_at";

/* The label of a changed field's code value V (a column of c), or V. */
#define CODE_LABEL(v)                                                                            \
	"coalesce(CASE c.field "                                                                     \
	"  WHEN 'outcome' THEN (SELECT label FROM loket.referral_outcome WHERE code = " v ") "       \
	"  WHEN 'reason' THEN (SELECT label FROM loket.referral_reason WHERE code = " v ") "         \
	"  WHEN 'topic' THEN (SELECT label FROM loket.topic WHERE code = " v ") "                    \
	"  WHEN 'channel' THEN (SELECT label FROM loket.channel WHERE code = " v ") "                \
	"  WHEN 'client_group' THEN (SELECT label FROM loket.client_group WHERE code = " v ") "      \
	"  WHEN 'municipality' THEN (SELECT name FROM loket.municipality WHERE code = " v ") "       \
	"  WHEN 'to_org' THEN (SELECT name FROM loket.organisation WHERE code = " v ") "             \
	"  WHEN 'organisation' THEN (SELECT name FROM loket.organisation WHERE code = " v ") "       \
	"  WHEN 'advisor' THEN (SELECT display_name FROM loket.advisor WHERE role_name = " v ") "    \
	"  WHEN 'accepted_by' THEN (SELECT display_name FROM loket.advisor WHERE role_name = " v ") " \
	"END, " v ")"

/* One row per event, or per changed field of an event; labels joined in,
 * also for the codes a change recorded (outcome, reason, topic, ...). */
static const char *const event_sql =
	"SELECT e.id, to_char(e.at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(a.display_name, e.actor), "
	"       e.kind, t.label, ch.label, g.label, "
	"       coalesce(e.detail->>'title', e.detail->>'name', e.detail->>'error'), "
	"       e.detail->>'version_no', "
	"       coalesce(o.name, e.detail->>'to_org'), coalesce(rr.label, e.detail->>'reason'), "
	"       coalesce(e.detail->>'consent_contact', e.detail->>'consent'), e.detail->>'kind', "
	"       c.field, " CODE_LABEL("c.old_value") ", " CODE_LABEL("c.new_value") " "
	"FROM loket.question_event e "
	"LEFT JOIN loket.advisor a ON a.role_name = e.actor "
	"LEFT JOIN loket.topic t ON e.kind = 'created' AND t.code = e.detail->>'topic' "
	"LEFT JOIN loket.channel ch ON e.kind = 'created' AND ch.code = e.detail->>'channel' "
	"LEFT JOIN loket.client_group g ON e.kind = 'created' AND g.code = e.detail->>'client_group' "
	"LEFT JOIN loket.organisation o ON o.code = e.detail->>'to_org' "
	"LEFT JOIN loket.referral_reason rr ON rr.code = e.detail->>'reason' "
	"LEFT JOIN LATERAL ("
	"    SELECT j.key AS field, j.value->>'old' AS old_value, j.value->>'new' AS new_value "
	"    FROM jsonb_each(e.detail) j "
	"    WHERE jsonb_typeof(j.value) = 'object' AND j.value ? 'new' "
	"    UNION ALL "
	"    SELECT f, NULL, NULL FROM jsonb_array_elements_text("
	"        CASE WHEN jsonb_typeof(e.detail->'fields') = 'array' THEN e.detail->'fields' END) f"
	") c ON true "
	/* not the changes a scrub made by itself (sql/043): its own event says it */
	"WHERE e.question_id = $1::uuid AND NOT e.detail ? 'scrub' ORDER BY e.id, c.field";

/* detail_sql's columns after the row's (column QUESTION_ROW_COMMON on). */
static const struct db_field detail_fields[] = {
	DB_TEXT(struct question_detail, updated),
	DB_TEXT(struct question_detail, org_name),
	DB_TEXT(struct question_detail, advisor_name),
	DB_TEXT(struct question_detail, extra),
	DB_TEXT(struct question_detail, channel_label),
	DB_TEXT(struct question_detail, client_group_label),
	DB_TEXT(struct question_detail, topic_label),
};

static const struct db_field info_fields[] = {
	DB_TEXT(struct question_info, title),
	DB_INT(struct question_info, version_no),
	DB_TEXT(struct question_info, given_at),
	DB_TEXT(struct question_info, given_by),
};

#define REF(kind, member) kind(struct question_referral, member)
static const struct db_field referral_fields[] = {
	REF(DB_TEXT, to_org),
	REF(DB_TEXT, reason),
	REF(DB_TEXT, status),
	REF(DB_TEXT_OR_NULL, outcome),
	REF(DB_TEXT, created),
	REF(DB_BOOL, consent_contact),
	REF(DB_TEXT_OR_NULL, outcome_note),
	REF(DB_TEXT_OR_NULL, target_note),
	REF(DB_TEXT_OR_NULL, return_reason),
	REF(DB_TEXT_OR_NULL, accepted_by),
	REF(DB_TEXT, urgency),
	REF(DB_TEXT_OR_NULL, note),
	REF(DB_BOOL, consent_withdrawn),
	REF(DB_BOOL, contact_removed),
};
/* question_load_contact's, into each referral with consent */
static const struct db_field contact_fields[] = {
	REF(DB_TEXT_OR_NULL, contact_name),
	REF(DB_TEXT_OR_NULL, contact_phone),
	REF(DB_TEXT_OR_NULL, contact_email),
	REF(DB_TEXT_OR_NULL, contact_company),
	REF(DB_TEXT_OR_NULL, contact_kvk),
};
#undef REF

/* What load_events fills in, for freeing. */
static const struct db_field event_fields[] = {
	DB_TEXT(struct question_event, at),
	DB_TEXT(struct question_event, actor),
	DB_TEXT(struct question_event, kind),
	DB_TEXT(struct question_event, summary),
};

static bool
load_main(struct db *db, int number, struct question_detail *d, struct db_error *err)
{
	char num[16];
	snprintf(num, sizeof num, "%d", number);
	const char *params[] = {num};
	struct db_result *r = NULL;
	if (!db_query(db, detail_sql, 1, params, &r, err))
		return false;
	bool found = db_result_rows(r) > 0;
	if (found) {
		db_result_row(r, 0, question_row_fields, QUESTION_ROW_COMMON, &d->row);
		db_result_row_at(r, 0, QUESTION_ROW_COMMON, detail_fields,
		                 DB_NFIELDS(detail_fields), d);
	} else {
		db_error_not_found(err, "question", num);
	}
	db_result_free(&r);
	return found;
}

/* Group the rows of event_sql (one per changed field) into events. */
static void
load_events(const struct db_result *r, struct question_detail *d)
{
	int rows = db_result_rows(r);
	d->events = xcalloc((size_t)(rows > 0 ? rows : 1), sizeof *d->events);
	struct history_change *changes = xcalloc((size_t)(rows > 0 ? rows : 1), sizeof *changes);
	for (int i = 0; i < rows;) {
		int end = i;
		int n = 0;
		while (end < rows && strcmp(db_result_get(r, end, 0), db_result_get(r, i, 0)) == 0) {
			if (db_result_get(r, end, 13)) {
				changes[n].field = db_result_get(r, end, 13);
				changes[n].old_value = db_result_get(r, end, 14);
				changes[n].new_value = db_result_get(r, end, 15);
				n++;
			}
			end++;
		}
		struct history_facts f = {
			.kind = db_result_get(r, i, 3),
			.topic = db_result_get(r, i, 4),
			.channel = db_result_get(r, i, 5),
			.client_group = db_result_get(r, i, 6),
			.title = db_result_get(r, i, 7),
			.version_no = db_result_get(r, i, 8),
			.to_org = db_result_get(r, i, 9),
			.reason = db_result_get(r, i, 10),
			.consent = db_result_get(r, i, 11),
			.client_kind = db_result_get(r, i, 12),
			.changes = changes,
			.nchanges = n,
		};
		struct question_event *e = &d->events[d->nevents++];
		e->at = xstrdup(db_result_get(r, i, 1));
		e->actor = xstrdup(db_result_get(r, i, 2));
		e->kind = xstrdup(f.kind);
		e->summary = history_describe(&f);
		i = end;
	}
	free(changes);
}

static bool
load_lists(struct db *db, struct question_detail *d, struct db_error *err)
{
	const char *params[] = {d->row.id};
	struct db_result *r = NULL;
	if (!db_query_all(db, info_sql, 1, params, info_fields, DB_NFIELDS(info_fields),
	                  sizeof *d->info, &d->info, &d->ninfo, err) ||
	    !db_query_all(db, referral_sql, 1, params, referral_fields, DB_NFIELDS(referral_fields),
	                  sizeof *d->referrals, &d->referrals, &d->nreferrals, err))
		return false;
	if (!db_query(db, event_sql, 1, params, &r, err))
		return false;
	load_events(r, d);
	db_result_free(&r);
	return true;
}

bool
question_load(struct db *db, int number, struct question_detail *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	if (load_main(db, number, out, err) && load_lists(db, out, err))
		return true;
	question_detail_free(out);
	return false;
}

/* The client's contact details, read through client_contact (sql/035),
 * which logs the read with CONTEXT; given to each referral made with the
 * client's consent, as the screen and case show show them there. */
bool
question_load_contact(struct db *db, struct question_detail *d, const char *context,
                      struct db_error *err)
{
	bool consent = false;
	for (int i = 0; i < d->nreferrals; i++)
		consent = consent || (d->referrals[i].consent_contact &&
		                      !d->referrals[i].contact_removed);
	if (!consent) /* nothing would be shown: nothing is read */
		return true;
	const char *params[] = {d->row.id, context};
	struct db_result *r = NULL;
	/* the read is logged first, in a statement of its own that commits
	 * (sql/038): the details come only after that */
	if (!db_query(db, "SELECT loket.client_contact_ask(ARRAY[$1::uuid], $2)", 2, params, NULL,
	              err) ||
	    !db_query(db,
	              "SELECT name, phone, email, company_name, kvk_number "
	              "FROM loket.client_contact($1::uuid, $2)",
	              2, params, &r, err))
		return false;
	for (int i = 0; i < d->nreferrals && db_result_rows(r) > 0; i++) {
		struct question_referral *f = &d->referrals[i];
		if (!f->consent_contact)
			continue;
		db_fields_free(contact_fields, DB_NFIELDS(contact_fields), f);
		db_result_row(r, 0, contact_fields, DB_NFIELDS(contact_fields), f);
	}
	db_result_free(&r);
	return true;
}

bool
question_withdraw_consent(struct db *db, const char *id, struct db_error *err)
{
	const char *params[] = {id};
	return db_query(db, "SELECT loket.client_withdraw_consent($1::uuid)", 1, params, NULL, err);
}

void
question_detail_free(struct question_detail *d)
{
	question_row_free(&d->row);
	db_fields_free(detail_fields, DB_NFIELDS(detail_fields), d);
	db_fields_free_all(info_fields, DB_NFIELDS(info_fields), d->info, d->ninfo, sizeof *d->info);
	for (int i = 0; i < d->nreferrals; i++)
		db_fields_free(contact_fields, DB_NFIELDS(contact_fields), &d->referrals[i]);
	db_fields_free_all(referral_fields, DB_NFIELDS(referral_fields), d->referrals,
	                   d->nreferrals, sizeof *d->referrals);
	db_fields_free_all(event_fields, DB_NFIELDS(event_fields), d->events, d->nevents,
	                   sizeof *d->events);
	memset(d, 0, sizeof *d);
}

/* JSON straight from PostgreSQL: the question with its lists. */
static const char *const json_sql =
	"SELECT jsonb_pretty(to_jsonb(q) || jsonb_build_object("
	"  'information', (SELECT coalesce(jsonb_agg(jsonb_build_object("
	"       'title', v.title, 'item_id', v.item_id, 'version_no', v.version_no,"
	"       'given_at', g.given_at, 'given_by', g.given_by) ORDER BY g.given_at), '[]')"
	"     FROM loket.info_given g JOIN loket.knowledge_version v"
	"       ON v.id = g.knowledge_version_id WHERE g.question_id = q.id),"
	"  'referrals', (SELECT coalesce(jsonb_agg(to_jsonb(r) || jsonb_build_object("
	"       'contact', CASE WHEN r.consent_contact THEN k.contact END)"
	"       ORDER BY r.created_at), '[]')"
	"     FROM loket.referral r WHERE r.question_id = q.id),"
	"  'history', (SELECT coalesce(jsonb_agg(to_jsonb(e) - 'question_id' ORDER BY e.id), '[]')"
	"     FROM loket.question_event e WHERE e.question_id = q.id)))"
	"FROM loket.question q "
	/* the details only when asked ($2), read once and logged (sql/035) */
	"LEFT JOIN LATERAL (SELECT CASE WHEN $2::boolean AND EXISTS (SELECT 1 FROM loket.referral x"
	"       WHERE x.question_id = q.id AND x.consent_contact) THEN"
	"     (SELECT jsonb_build_object('name', c.name, 'company_name', c.company_name,"
	"                                'kvk_number', c.kvk_number, 'phone', c.phone,"
	"                                'email', c.email)"
	"        FROM loket.client_contact(q.id, 'case show') c) END AS contact) k ON true "
	"WHERE q.number = $1::int AND q.region = coalesce(loket.my_region(), q.region)";

bool
question_json(struct db *db, int number, bool contact, char **json, struct db_error *err)
{
	char num[16];
	snprintf(num, sizeof num, "%d", number);
	const char *params[] = {num, contact ? "t" : "f"};
	*json = NULL;
	if (contact && /* the read logged first, committed (sql/038) */
	    !db_query(db,
	              "SELECT loket.client_contact_ask(ARRAY(SELECT q.id FROM loket.question q "
	              "WHERE q.number = $1::int AND q.region = coalesce(loket.my_region(), q.region)), "
	              "'case show')",
	              1, params, NULL, err))
		return false;
	return db_query_value(db, json_sql, 2, params, DB_T_TEXT_OR_NULL, json, NULL, err);
}
