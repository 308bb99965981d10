/* referral.c: store a referral and, with consent, the contact details. */
#include "config.h"

#include "model/referral.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *
or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* A phone number as the form takes it (model/../form/check.c), stored as
 * its digits: the separators and a "(0)" after the country code out, 00 and
 * a country code other than 31 as +. */
#define PHONE_DIGITS(p)                                                                        \
	"regexp_replace(regexp_replace(regexp_replace(" p ", '\\(0\\)', '', 'g'), "                \
	"'[ ().-]', '', 'g'), '^00(?!31)([1-9])', '+\\1')"

static bool
add_client(struct db *db, const struct client_new *c, struct db_error *err)
{
	const char *params[] = {c->question_id, or_null(c->name), or_null(c->email), or_null(c->phone),
	                        or_null(c->company_name), or_null(c->kvk_number)};
	return db_query(db,
	                "INSERT INTO loket.client (question_id, kind, name, email, phone, company_name, "
	                "                          kvk_number, consent_at) "
	                "VALUES ($1::uuid, CASE WHEN $5::text IS NULL AND $6::text IS NULL "
	                "                       THEN 'person' ELSE 'employer' END, "
	                "        $2, $3, " PHONE_DIGITS("$4") ", $5, $6, now()) "
	                /* the values again, not EXCLUDED: reading EXCLUDED needs SELECT
	                 * on those columns, which advisors no longer have (sql/035) */
	                "ON CONFLICT (question_id) DO UPDATE SET name = $2, email = $3, "
	                "  phone = " PHONE_DIGITS("$4") ", company_name = $5, "
	                "  kvk_number = $6, consent_at = now()",
	                6, params, NULL, err);
}

bool
referral_add(struct db *db, const struct referral_new *r, const struct client_new *client,
             struct db_error *err)
{
	const char *params[] = {r->id,     r->question_id,   or_null(r->to_org),
	                        r->reason, or_null(r->urgency), or_null(r->note),
	                        r->consent_contact ? "true" : "false"};
	if (!db_begin(db, err))
		return false;
	/* consent given again on a question whose referral with consent is still
	 * open (after a withdrawal): the details go with that referral, not a
	 * second one to the same organisation */
	bool again = false;
	const char *open_params[] = {r->question_id, or_null(r->to_org)};
	if (client &&
	    !db_query_value(db,
	                    "SELECT EXISTS (SELECT 1 FROM loket.referral x WHERE x.question_id = "
	                    "$1::uuid AND x.consent_contact AND x.status IN ('sent', 'accepted', "
	                    "'in_progress') AND x.to_org = coalesce($2, (SELECT o.code FROM "
	                    "loket.organisation o WHERE o.kind = 'central' AND o.active AND "
	                    "o.region = loket.my_region())))",
	                    2, open_params, DB_T_BOOL, &again, NULL, err)) {
		db_rollback(db);
		return false;
	}
	bool ok = (!client || add_client(db, client, err)) &&
	          (again || db_query(db,
	                   "INSERT INTO loket.referral (id, question_id, to_org, reason, urgency, note, "
	                   "                            consent_contact) "
	                   "VALUES ($1::uuid, $2::uuid, $3, $4, coalesce($5, 'normaal'), $6, $7::bool) "
	                   "ON CONFLICT (id) DO NOTHING",
	                   7, params, NULL, err)) &&
	          db_commit(db, err);
	if (!ok)
		db_rollback(db);
	return ok;
}

struct text_pair {
	char *first, *second;
};

static const struct db_field text_pair_fields[] = {
	DB_TEXT(struct text_pair, first),
	DB_TEXT(struct text_pair, second),
};

/* The two text columns of a statement's first row as new strings in *first
 * and *second (either may be NULL: not wanted); "" for SQL NULL and for no
 * row.  False with err set. */
static bool
text_pair(struct db *db, const char *sql, int nparams, const char *const *params, char **first,
          char **second, struct db_error *err)
{
	struct text_pair row = {NULL, NULL};
	bool ok = db_query_row(db, sql, nparams, params, text_pair_fields,
	                       DB_NFIELDS(text_pair_fields), &row, NULL, err);
	if (ok && first) {
		*first = row.first ? row.first : xstrdup("");
		row.first = NULL;
	}
	if (ok && second) {
		*second = row.second ? row.second : xstrdup("");
		row.second = NULL;
	}
	db_fields_free(text_pair_fields, DB_NFIELDS(text_pair_fields), &row);
	return ok;
}

bool
referral_central(struct db *db, char **code, char **name, struct db_error *err)
{
	return text_pair(db,
	                 "SELECT o.code, o.name FROM loket.organisation o WHERE o.kind = 'central' "
	                 "AND o.active AND o.region = loket.my_region()",
	                 0, NULL, code, name, err);
}

bool
referral_open_to(struct db *db, const char *question_id, char **name, struct db_error *err)
{
	const char *params[] = {question_id};
	return text_pair(db,
	                 "SELECT o.name, NULL FROM loket.referral r "
	                 "JOIN loket.organisation o ON o.code = r.to_org "
	                 "WHERE r.question_id = $1::uuid "
	                 "AND r.status IN ('sent', 'accepted', 'in_progress') "
	                 "ORDER BY r.created_at DESC LIMIT 1",
	                 1, params, name, NULL, err);
}

bool
referral_central_name(struct db *db, char **name, struct db_error *err)
{
	return referral_central(db, NULL, name, err);
}

bool
signal_defaults(struct db *db, const char *question_id, char **topic, char **municipality,
                struct db_error *err)
{
	const char *params[] = {question_id};
	return text_pair(db,
	                 "SELECT q.topic, p.municipality FROM loket.question q "
	                 "LEFT JOIN loket.postcode4 p ON p.postcode = q.postcode4 "
	                 "WHERE q.id = $1::uuid",
	                 1, params, topic, municipality, err);
}

bool
signal_add(struct db *db, const struct signal_new *sig, struct db_error *err)
{
	const char *params[] = {sig->id,          or_null(sig->question_id), sig->kind,
	                        sig->topic,       or_null(sig->sector),      or_null(sig->municipality),
	                        sig->text};
	return db_query(db,
	                "INSERT INTO loket.signal (id, question_id, kind, topic, sector, municipality, "
	                "                          text) "
	                "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
	                7, params, NULL, err);
}
