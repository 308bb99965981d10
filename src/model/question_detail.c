/* question_detail.c: one question with its information, referrals and history. */
#include "config.h"

#include "model/history.h"
#include "model/question.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const detail_sql =
	"SELECT q.id, q.number, to_char(q.created_at, 'YYYY-MM-DD HH24:MI'), q.created_at::text, "
	"       q.organisation, q.advisor, q.channel, q.client_group, q.topic, q.status, q.text, "
	"       q.postcode4, NULL, q.version, to_char(q.updated_at, 'YYYY-MM-DD HH24:MI'), "
	"       o.name, coalesce(a.display_name, q.advisor), q.extra::text, "
	"       ch.label, g.label, t.label "
	"FROM loket.question q "
	"JOIN loket.organisation o ON o.code = q.organisation "
	"LEFT JOIN loket.advisor a ON a.role_name = q.advisor "
	"LEFT JOIN loket.channel ch ON ch.code = q.channel "
	"LEFT JOIN loket.client_group g ON g.code = q.client_group "
	"LEFT JOIN loket.topic t ON t.code = q.topic "
	"WHERE q.number = $1::int AND q.region = coalesce(loket.my_region(), q.region) "
	"ORDER BY q.created_at DESC LIMIT 1";

static const char *const info_sql =
	"SELECT v.title, v.version_no, to_char(g.given_at, 'YYYY-MM-DD HH24:MI'), g.given_by "
	"FROM loket.info_given g JOIN loket.knowledge_version v ON v.id = g.knowledge_version_id "
	"WHERE g.question_id = $1::uuid ORDER BY g.given_at, v.title";

static const char *const referral_sql =
	"SELECT coalesce(o.name, r.to_org), coalesce(rr.label, r.reason), r.status, "
	"       coalesce(ro.label, r.outcome), "
	"       to_char(r.created_at, 'YYYY-MM-DD HH24:MI'), r.consent_contact, "
	"       r.outcome_note, r.target_note, r.return_reason, "
	"       coalesce(a.display_name, r.accepted_by), r.urgency, r.note, "
	"       CASE WHEN r.consent_contact THEN c.name END, "
	"       CASE WHEN r.consent_contact THEN c.phone END, "
	"       CASE WHEN r.consent_contact THEN c.email END, "
	"       CASE WHEN r.consent_contact THEN c.company_name END, "
	"       CASE WHEN r.consent_contact THEN c.kvk_number END "
	"FROM loket.referral r "
	"LEFT JOIN loket.organisation o ON o.code = r.to_org "
	"LEFT JOIN loket.client c ON c.question_id = r.question_id "
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
	"WHERE e.question_id = $1::uuid ORDER BY e.id, c.field";

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static bool
load_main(struct db *db, int number, struct question_detail *d, struct db_error *err)
{
	char num[16];
	snprintf(num, sizeof num, "%d", number);
	const char *params[] = {num};
	struct db_result *r = NULL;
	if (!db_query(db, detail_sql, 1, params, &r, err))
		return false;
	if (db_result_rows(r) == 0) {
		db_result_free(&r);
		db_error_set(err, "question %d does not exist or is not visible to you", number);
		memcpy(err->sqlstate, "02000", 6);
		return false;
	}
	struct question_row *row = &d->row;
	snprintf(row->id, sizeof row->id, "%s", db_result_get(r, 0, 0));
	row->number = atoi(db_result_get(r, 0, 1));
	row->created = xstrdup(db_result_get(r, 0, 2));
	row->created_key = xstrdup(db_result_get(r, 0, 3));
	row->organisation = xstrdup(db_result_get(r, 0, 4));
	row->advisor = xstrdup(db_result_get(r, 0, 5));
	row->channel = xstrdup(db_result_get(r, 0, 6));
	row->client_group = xstrdup(db_result_get(r, 0, 7));
	row->topic = xstrdup(db_result_get(r, 0, 8));
	row->status = xstrdup(db_result_get(r, 0, 9));
	row->text = xstrdup(db_result_get(r, 0, 10));
	row->postcode4 = dup_or_null(db_result_get(r, 0, 11));
	row->version = atoi(db_result_get(r, 0, 13));
	d->updated = xstrdup(db_result_get(r, 0, 14));
	d->org_name = xstrdup(db_result_get(r, 0, 15));
	d->advisor_name = xstrdup(db_result_get(r, 0, 16));
	d->extra = xstrdup(db_result_get(r, 0, 17));
	d->channel_label = xstrdup(db_result_get(r, 0, 18) ? db_result_get(r, 0, 18) : row->channel);
	d->client_group_label =
		xstrdup(db_result_get(r, 0, 19) ? db_result_get(r, 0, 19) : row->client_group);
	d->topic_label = xstrdup(db_result_get(r, 0, 20) ? db_result_get(r, 0, 20) : row->topic);
	db_result_free(&r);
	return true;
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
	if (!db_query(db, info_sql, 1, params, &r, err))
		return false;
	d->ninfo = db_result_rows(r);
	d->info = xcalloc((size_t)d->ninfo, sizeof *d->info);
	for (int i = 0; i < d->ninfo; i++) {
		d->info[i].title = xstrdup(db_result_get(r, i, 0));
		d->info[i].version_no = atoi(db_result_get(r, i, 1));
		d->info[i].given_at = xstrdup(db_result_get(r, i, 2));
		d->info[i].given_by = xstrdup(db_result_get(r, i, 3));
	}
	db_result_free(&r);
	if (!db_query(db, referral_sql, 1, params, &r, err))
		return false;
	d->nreferrals = db_result_rows(r);
	d->referrals = xcalloc((size_t)d->nreferrals, sizeof *d->referrals);
	for (int i = 0; i < d->nreferrals; i++) {
		struct question_referral *x = &d->referrals[i];
		x->to_org = xstrdup(db_result_get(r, i, 0));
		x->reason = xstrdup(db_result_get(r, i, 1));
		x->status = xstrdup(db_result_get(r, i, 2));
		x->outcome = dup_or_null(db_result_get(r, i, 3));
		x->created = xstrdup(db_result_get(r, i, 4));
		x->consent_contact = strcmp(db_result_get(r, i, 5), "t") == 0;
		x->outcome_note = dup_or_null(db_result_get(r, i, 6));
		x->target_note = dup_or_null(db_result_get(r, i, 7));
		x->return_reason = dup_or_null(db_result_get(r, i, 8));
		x->accepted_by = dup_or_null(db_result_get(r, i, 9));
		x->urgency = xstrdup(db_result_get(r, i, 10));
		x->note = dup_or_null(db_result_get(r, i, 11));
		x->contact_name = dup_or_null(db_result_get(r, i, 12));
		x->contact_phone = dup_or_null(db_result_get(r, i, 13));
		x->contact_email = dup_or_null(db_result_get(r, i, 14));
		x->contact_company = dup_or_null(db_result_get(r, i, 15));
		x->contact_kvk = dup_or_null(db_result_get(r, i, 16));
	}
	db_result_free(&r);
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

void
question_detail_free(struct question_detail *d)
{
	question_row_free(&d->row);
	free(d->updated);
	free(d->org_name);
	free(d->advisor_name);
	free(d->extra);
	free(d->channel_label);
	free(d->client_group_label);
	free(d->topic_label);
	for (int i = 0; i < d->ninfo; i++) {
		free(d->info[i].title);
		free(d->info[i].given_at);
		free(d->info[i].given_by);
	}
	free(d->info);
	for (int i = 0; i < d->nreferrals; i++) {
		free(d->referrals[i].to_org);
		free(d->referrals[i].reason);
		free(d->referrals[i].status);
		free(d->referrals[i].outcome);
		free(d->referrals[i].created);
		free(d->referrals[i].outcome_note);
		free(d->referrals[i].target_note);
		free(d->referrals[i].return_reason);
		free(d->referrals[i].accepted_by);
		free(d->referrals[i].urgency);
		free(d->referrals[i].note);
		free(d->referrals[i].contact_name);
		free(d->referrals[i].contact_phone);
		free(d->referrals[i].contact_email);
		free(d->referrals[i].contact_company);
		free(d->referrals[i].contact_kvk);
	}
	free(d->referrals);
	for (int i = 0; i < d->nevents; i++) {
		free(d->events[i].at);
		free(d->events[i].actor);
		free(d->events[i].kind);
		free(d->events[i].summary);
	}
	free(d->events);
	memset(d, 0, sizeof *d);
}
