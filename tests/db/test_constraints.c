/* test_constraints.c: PostgreSQL itself refuses each kind of bad row, whoever
 * writes it — unknown codes, empty or over-long text, a BSN, bad postcode,
 * contact details without consent, bad e-mail, phone or KvK number, referral
 * outcomes that do not fit the status, changes to immutable rows, a second
 * central organisation; and every update bumps the version. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *kvk;   /* an advisor at a vindplaats */
static struct db *admin; /* the cluster superuser */

static const char *const add_sql =
	"INSERT INTO loket.question (id, channel, client_group, topic, text, postcode4) "
	"VALUES ($1::uuid, $2, $3, $4, $5, $6)";

#define Q1 "00000000-0000-4000-8000-000000000001"

static void
setup(void)
{
	dbname = dbtest_create("constraints", true);
	kvk = dbtest_connect(dbname, "kvk_demo");
	admin = dbtest_connect(dbname, "postgres");
	const char *p[] = {Q1, "balie", "werkende", "evc", "Een goede vraag", "7511"};
	dbtest_ok(kvk, add_sql, 6, p);
}

static void
teardown(void)
{
	db_close(&kvk);
	db_close(&admin);
	dbtest_drop(dbname);
}

static void
add_fails(const char *channel, const char *group, const char *topic, const char *text,
          const char *postcode, const char *state)
{
	const char *p[] = {"00000000-0000-4000-8000-0000000000ff", channel, group, topic, text,
	                   postcode};
	dbtest_fails(kvk, add_sql, 6, p, state);
}

START_TEST(unknown_codes)
{
	add_fails("balie", "werkende", "astrologie", "tekst", NULL, "23503");
	add_fails("duif", "werkende", "evc", "tekst", NULL, "23503");
	add_fails("balie", "marsbewoner", "evc", "tekst", NULL, "23503");
	add_fails("balie", "werkende", "EVC", "tekst", NULL, "23514"); /* not a code shape */
	const char *p[] = {Q1, "nergens"};
	dbtest_fails(kvk,
	             "INSERT INTO loket.referral (question_id, to_org, reason) VALUES ($1::uuid, $2, 'advies')",
	             2, p, "23503");
	const char *r[] = {Q1};
	dbtest_fails(kvk,
	             "INSERT INTO loket.referral (question_id, reason) VALUES ($1::uuid, 'smoesje')", 1, r,
	             "23503");
}
END_TEST

START_TEST(bad_text)
{
	add_fails("balie", "werkende", "evc", "", NULL, "23514");
	add_fails("balie", "werkende", "evc", "   \t ", NULL, "23514");
	char *long_text = malloc(4002);
	memset(long_text, 'a', 4001);
	long_text[4001] = '\0';
	add_fails("balie", "werkende", "evc", long_text, NULL, "23514");
	long_text[4000] = '\0'; /* exactly the limit is fine */
	const char *p[] = {"00000000-0000-4000-8000-0000000000aa", "balie", "werkende", "evc",
	                   long_text, NULL};
	dbtest_ok(kvk, add_sql, 6, p);
	free(long_text);
	/* 111222333 passes the eleven-test: a BSN, never stored. */
	add_fails("balie", "werkende", "evc", "Mijn BSN is 111222333, kunt u helpen?", NULL, "23514");
	add_fails("balie", "werkende", "evc", "tekst", "0123", "23514");
	add_fails("balie", "werkende", "evc", "tekst", "75AB", "23514");
}
END_TEST

static void
client_fails(const char *email, const char *phone, const char *kvk_number, const char *consent,
             const char *kind)
{
	const char *p[] = {Q1, email, phone, kvk_number, consent, kind};
	dbtest_fails(kvk,
	             "INSERT INTO loket.client (question_id, kind, name, email, phone, kvk_number, "
	             "company_name, consent_at) VALUES ($1::uuid, $6, 'Jan Jansen', $2, $3, $4, "
	             "CASE WHEN $6 = 'employer' THEN 'Jansen B.V.' END, $5::timestamptz)",
	             6, p, "23514");
}

START_TEST(client_details)
{
	client_fails("jan@example.nl", NULL, NULL, NULL, "person"); /* no consent */
	client_fails("jan@example", NULL, NULL, "now", "person");
	client_fails("jan at example.nl", NULL, NULL, "now", "person");
	client_fails(NULL, "12345", NULL, "now", "person");
	client_fails(NULL, "06-1234567a", NULL, "now", "person");
	client_fails(NULL, NULL, "1234", "now", "employer");
	client_fails(NULL, NULL, "12345678", "now", "person"); /* KvK number for a person */
	const char *p[] = {Q1};
	/* consent in the future: an advisor's consent is dated by the server
	 * (test_owned); loading data as the superuser is still checked */
	dbtest_fails(admin,
	             "INSERT INTO loket.client (question_id, kind, name, consent_at) "
	             "VALUES ($1::uuid, 'person', 'Jan Jansen', '2999-01-01')",
	             1, p, "23514");
	dbtest_ok(kvk,
	          "INSERT INTO loket.client (question_id, kind, name, email, phone, consent_at) "
	          "VALUES ($1::uuid, 'person', 'Jan Jansen', 'jan@example.nl', '0612345678', now())",
	          1, p);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.client WHERE consent_by = 'kvk_demo'",
	                             0, NULL),
	                 1);
}
END_TEST

START_TEST(referral_outcome_matches_status)
{
	const char *p[] = {Q1};
	/* an advisor gives neither (sql/024); loading data as the superuser is checked */
	dbtest_fails(kvk,
	             "INSERT INTO loket.referral (question_id, reason, status) "
	             "VALUES ($1::uuid, 'advies', 'completed')",
	             1, p, "42501");
	dbtest_fails(kvk,
	             "INSERT INTO loket.referral (question_id, reason, outcome) "
	             "VALUES ($1::uuid, 'advies', 'advies_gegeven')",
	             1, p, "42501");
	dbtest_fails(admin,
	             "INSERT INTO loket.referral (question_id, reason, status) "
	             "VALUES ($1::uuid, 'advies', 'completed')",
	             1, p, "23514");
	dbtest_fails(admin,
	             "INSERT INTO loket.referral (question_id, reason, outcome) "
	             "VALUES ($1::uuid, 'advies', 'advies_gegeven')",
	             1, p, "23514");
	dbtest_ok(kvk, "INSERT INTO loket.referral (question_id, reason) VALUES ($1::uuid, 'advies')",
	          1, p);
	struct db *lwl = dbtest_connect(dbname, "lwl_demo");
	/* completed only after accepted, and only with an outcome */
	dbtest_fails(lwl, "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven'",
	             0, NULL, "23514");
	dbtest_ok(lwl, "UPDATE loket.referral SET status = 'accepted'", 0, NULL);
	dbtest_fails(lwl, "UPDATE loket.referral SET status = 'completed'", 0, NULL, "23514");
	dbtest_ok(lwl,
	          "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven'", 0, NULL);
	ck_assert_int_eq(dbtest_long(lwl, "SELECT version FROM loket.referral", 0, NULL), 3);
	db_close(&lwl);
	/* The question followed: referred. */
	ck_assert_int_eq(dbtest_long(kvk,
	                             "SELECT count(*) FROM loket.question WHERE id = $1::uuid "
	                             "AND status = 'referred'", 1, p),
	                 1);
}
END_TEST

START_TEST(immutable_rows)
{
	dbtest_fails(admin, "UPDATE loket.knowledge_version SET title = 'anders'", 0, NULL, "55000");
	dbtest_fails(admin, "DELETE FROM loket.knowledge_version", 0, NULL, "55000");
	dbtest_fails(admin, "UPDATE loket.question_event SET kind = 'updated'", 0, NULL, "55000");
	dbtest_fails(admin, "DELETE FROM loket.question_event", 0, NULL, "55000");
	dbtest_fails(admin, "TRUNCATE loket.question_event CASCADE", 0, NULL, "55000");
	/* A question's identity never changes, even for the superuser. */
	dbtest_fails(admin, "UPDATE loket.question SET organisation = 'cnv'", 0, NULL, "23514");
	dbtest_fails(admin, "UPDATE loket.question SET number = number + 1000", 0, NULL, "23514");
}
END_TEST

START_TEST(one_central_per_region)
{
	dbtest_fails(admin,
	             "INSERT INTO loket.organisation (code, name, kind, region) "
	             "VALUES ('lwl2', 'Tweede loket', 'central', 'twente')",
	             0, NULL, "23505");
	/* Moving the central role is data: deactivate the old one first. */
	dbtest_ok(admin, "UPDATE loket.organisation SET active = false WHERE code = 'lwl'", 0, NULL);
	dbtest_ok(admin,
	          "INSERT INTO loket.organisation (code, name, kind, region) "
	          "VALUES ('wc', 'Werkcentrum Twente', 'central', 'twente')",
	          0, NULL);
}
END_TEST

START_TEST(version_bumps_and_history)
{
	const char *p[] = {Q1};
	ck_assert_int_eq(dbtest_long(kvk, "SELECT version FROM loket.question WHERE id = $1::uuid", 1, p),
	                 1);
	dbtest_ok(kvk, "UPDATE loket.question SET text = 'Een betere vraag' WHERE id = $1::uuid", 1, p);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT version FROM loket.question WHERE id = $1::uuid", 1, p),
	                 2);
	ck_assert_int_eq(dbtest_long(kvk,
	                             "SELECT count(*) FROM loket.question_event WHERE question_id = "
	                             "$1::uuid AND kind = 'updated' AND actor = 'kvk_demo' "
	                             "AND detail ? 'text'", 1, p),
	                 1);
	/* Advisors cannot write history by hand. */
	dbtest_fails(kvk,
	             "INSERT INTO loket.question_event (question_id, kind) VALUES ($1::uuid, 'updated')",
	             1, p, "42501");
}
END_TEST

/* White space that looks empty on a screen counts as empty everywhere. */
START_TEST(blank_text_of_every_kind)
{
	add_fails("balie", "werkende", "evc", "\xc2\xa0\xc2\xa0", NULL, "23514");   /* no-break spaces */
	add_fails("balie", "werkende", "evc", "\xe3\x80\x80\n\t", NULL, "23514");   /* ideographic */
	add_fails("balie", "werkende", "evc", "\xe2\x80\x8b \xef\xbb\xbf", NULL, "23514"); /* zero-width */
	const char *blank[] = {"\t\n", "\xc2\xa0"};
	for (int i = 0; i < 2; i++) {
		const char *p[] = {blank[i]};
		dbtest_fails(admin,
		             "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
		             "valid_from, review_by) SELECT id, $1, 'Kort', 'Lang', '{evc}', current_date, "
		             "current_date + 1 FROM loket.knowledge_item LIMIT 1",
		             1, p, "23514");
		dbtest_fails(admin, "INSERT INTO loket.topic (code, label) VALUES ('leeg', $1)", 1, p,
		             "23514");
		const char *q[] = {Q1, blank[i]};
		dbtest_fails(kvk,
		             "INSERT INTO loket.client (question_id, kind, name, consent_at) "
		             "VALUES ($1::uuid, 'person', $2, now())",
		             2, q, "23514");
		dbtest_fails(kvk,
		             "INSERT INTO loket.signal (question_id, kind, topic, text) "
		             "VALUES ($1::uuid, 'latente_vraag', 'evc', $2)",
		             2, q, "23514");
	}
	/* Over-long reference labels and knowledge titles. */
	char label[202];
	memset(label, 'l', 201);
	label[201] = '\0';
	const char *l[] = {label};
	dbtest_fails(admin, "INSERT INTO loket.topic (code, label) VALUES ('lang', $1)", 1, l, "23514");
	const char *q[] = {Q1, label};
	dbtest_fails(kvk,
	             "INSERT INTO loket.client (question_id, kind, name, consent_at) "
	             "VALUES ($1::uuid, 'person', $2, now())",
	             2, q, "23514");
	/* Text with a visible character among the blanks is fine. */
	const char *ok[] = {"00000000-0000-4000-8000-0000000000bb", "balie", "werkende", "evc",
	                    "\xc2\xa0?", NULL};
	dbtest_ok(kvk, add_sql, 6, ok);
}
END_TEST

/* Fields added through forms/ are bounded and hold no BSN. */
START_TEST(extra_fields)
{
	static const char *const sql =
		"INSERT INTO loket.question (id, channel, client_group, topic, text, extra) "
		"VALUES (gen_random_uuid(), 'balie', 'werkende', 'evc', 'tekst', $1::jsonb)";
	char *big = malloc(20100);
	int n = snprintf(big, 20100, "{\"opmerking\": \"");
	memset(big + n, 'a', 20000);
	strcpy(big + n + 20000, "\"}");
	const char *p[] = {big};
	dbtest_fails(kvk, sql, 1, p, "23514");
	free(big);
	const char *bsn[] = {"{\"klantnummer\": \"111222333\"}"};
	dbtest_fails(kvk, sql, 1, bsn, "23514");
	const char *array[] = {"[1, 2]"};
	dbtest_fails(kvk, sql, 1, array, "23514");
	const char *fine[] = {"{\"sector\": \"zorg\", \"uren\": \"32\"}"};
	dbtest_ok(kvk, sql, 1, fine);
}
END_TEST

/* Unknown organisation codes, and an outcome set on a referral that is not
 * completed, by an update rather than an insert. */
START_TEST(more_codes_and_outcomes)
{
	dbtest_fails(admin,
	             "INSERT INTO loket.question (id, organisation, channel, client_group, topic, text) "
	             "VALUES (gen_random_uuid(), 'nergens', 'balie', 'werkende', 'evc', 'tekst')",
	             0, NULL, "23503");
	dbtest_fails(admin,
	             "INSERT INTO loket.advisor (role_name, display_name, region, organisation, roles) "
	             "VALUES ('x_demo', 'X', 'twente', 'nergens', '{advisor}')",
	             0, NULL, "23503");
	dbtest_fails(admin,
	             "INSERT INTO loket.advisor (role_name, display_name, region, organisation, roles) "
	             "VALUES ('x_demo', 'X', 'twente', 'kvk', '{baas}')",
	             0, NULL, "23514");
	const char *p[] = {Q1};
	dbtest_ok(kvk, "INSERT INTO loket.referral (question_id, reason) VALUES ($1::uuid, 'advies')",
	          1, p);
	struct db *lwl = dbtest_connect(dbname, "lwl_demo");
	dbtest_fails(lwl, "UPDATE loket.referral SET outcome = 'advies_gegeven'", 0, NULL, "23514");
	dbtest_fails(lwl, "UPDATE loket.referral SET status = 'verdwenen'", 0, NULL, "23514");
	dbtest_ok(lwl, "UPDATE loket.referral SET status = 'accepted'", 0, NULL);
	ck_assert_int_eq(dbtest_long(lwl, "SELECT version FROM loket.referral", 0, NULL), 2);
	dbtest_fails(lwl, "UPDATE loket.referral SET status = 'completed', outcome = 'onzin'", 0, NULL,
	             "23503");
	db_close(&lwl);
	/* Even the superuser cannot re-address a referral. */
	dbtest_fails(admin, "UPDATE loket.referral SET to_org = 'cnv'", 0, NULL, "23514");
	/* Client data: the version bumps, and it cannot move to another question. */
	dbtest_ok(kvk,
	          "INSERT INTO loket.client (question_id, kind, name, consent_at) "
	          "VALUES ($1::uuid, 'person', 'Jan', now())",
	          1, p);
	dbtest_ok(kvk, "UPDATE loket.client SET name = 'Jan Jansen'", 0, NULL);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT version FROM loket.client", 0, NULL), 2);
	dbtest_fails(kvk, "UPDATE loket.client SET consent_at = NULL", 0, NULL, "23514");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("constraints");
	TCase *tc = tcase_create("constraints");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, unknown_codes);
	tcase_add_test(tc, bad_text);
	tcase_add_test(tc, client_details);
	tcase_add_test(tc, referral_outcome_matches_status);
	tcase_add_test(tc, immutable_rows);
	tcase_add_test(tc, one_central_per_region);
	tcase_add_test(tc, version_bumps_and_history);
	tcase_add_test(tc, blank_text_of_every_kind);
	tcase_add_test(tc, extra_fields);
	tcase_add_test(tc, more_codes_and_outcomes);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
