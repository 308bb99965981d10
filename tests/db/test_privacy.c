/* test_privacy.c: every read of a client's contact details is logged, and
 * only the region's privacy officer reads the log (sql/035, issue 16 parts
 * 1 and 2).  As the real demo login roles, never SET ROLE:
 *   - an advisor and the central point no longer SELECT name, e-mail or
 *     phone; what says whether there are details (kind, consent) they still
 *     read;
 *   - client_contact gives the details under the old rights (own client;
 *     referred with consent, not withdrawn) and logs each read, with role,
 *     login, region, organisation and where; without the right, nothing is
 *     given and nothing logged; in a read-only transaction nothing is given;
 *   - the summary mail's read is logged as "mail";
 *   - nobody but the owner changes, deletes or empties the log; advisors
 *     and supervisors do not read it;
 *   - privacy_demo reads the log of its region by question and by role
 *     (`loket privacy log`, table, csv and json), and reads neither case
 *     text nor contact details. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg, *kvk, *lwl, *cnv, *prv;
static char referred[16], unshared[16], withdrawn[16];

static long
reads(const char *where)
{
	const char *p[] = {where};
	return dbtest_long(pg, "SELECT count(*) FROM loket.personal_read WHERE context = $1", 1, p);
}

/* A question of kvk_demo's with a client, referred to the Leerwerkloket:
 * with consent, without, or with consent and withdrawn; its number. */
static void
add(char *number, bool consent, bool withdraw)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), NULL, &out, &err, "case",
	                              "add", "--group", "werkende", "--topic", "evc", "--channel",
	                              "balie", "--text", "Vraag met een klant", NULL),
	                 0);
	snprintf(number, 16, "%d", atoi(out));
	free(out), free(err);
	if (consent)
		ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), NULL, &out, &err,
		                              "case", "refer", number, "--reason", "advies", "--consent",
		                              "--name", "Els Nijhuis", "--phone", "0612345678",
		                              "--email", "els@example.nl", NULL),
		                 0);
	else
		ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), NULL, &out, &err,
		                              "case", "refer", number, "--reason", "advies", NULL),
		                 0);
	free(out), free(err);
	if (!consent) { /* the client's details, kept by kvk for itself */
		const char *p[] = {number};
		dbtest_ok(kvk,
		          "INSERT INTO loket.client (question_id, kind, name, phone, consent_at) "
		          "SELECT id, 'person', 'Piet Klant', '0698765432', now() "
		          "FROM loket.question WHERE number = $1::int",
		          1, p);
	}
	if (withdraw) {
		ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), NULL, &out, &err,
		                              "referral", "withdraw", number, NULL),
		                 0);
		free(out), free(err);
	}
}

static void
setup(void)
{
	dbname = dbtest_create("privacy", true);
	pg = dbtest_connect(dbname, "postgres");
	kvk = dbtest_connect(dbname, "kvk_demo");
	lwl = dbtest_connect(dbname, "lwl_demo");
	cnv = dbtest_connect(dbname, "cnv_demo");
	prv = dbtest_connect(dbname, "privacy_demo");
	add(referred, true, false);
	add(unshared, false, false);
	add(withdrawn, true, true);
}

static void
teardown(void)
{
	db_close(&prv);
	db_close(&cnv);
	db_close(&lwl);
	db_close(&kvk);
	db_close(&pg);
	dbtest_drop(dbname);
}

/* The details client_contact gives ROLE's connection for question N,
 * "name|phone|email", or "" when none; asked first, as loket does. */
static char *
contact(struct db *db, const char *number, const char *where)
{
	const char *p[] = {number, where};
	char *v = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query(db,
	                       "SELECT loket.client_contact_ask(ARRAY(SELECT id FROM loket.question "
	                       "WHERE number = $1::int), $2)",
	                       2, p, NULL, &err),
	              "%s", err.message);
	ck_assert_msg(db_query_value(db,
	                             "SELECT coalesce(string_agg(concat_ws('|', k.name, k.phone, "
	                             "k.email), ';'), '') FROM loket.question q, "
	                             "loket.client_contact(q.id, $2) k WHERE q.number = $1::int",
	                             2, p, DB_T_TEXT, &v, NULL, &err),
	              "%s", err.message);
	return v;
}

START_TEST(no_plain_select)
{
	struct db *who[] = {kvk, lwl};
	for (int i = 0; i < 2; i++) {
		dbtest_fails(who[i], "SELECT name FROM loket.client", 0, NULL, "42501");
		dbtest_fails(who[i], "SELECT email FROM loket.client", 0, NULL, "42501");
		dbtest_fails(who[i], "SELECT phone FROM loket.client", 0, NULL, "42501");
		dbtest_fails(who[i], "SELECT company_name, kvk_number FROM loket.client", 0, NULL, "42501");
		dbtest_fails(who[i], "SELECT * FROM loket.client", 0, NULL, "42501");
		dbtest_fails(who[i], "SELECT count(*) FROM loket.client WHERE name LIKE 'E%'", 0, NULL,
		             "42501");
		/* RETURNING and ON CONFLICT do not read them either */
		dbtest_fails(who[i], "UPDATE loket.client SET sector = sector RETURNING name", 0, NULL,
		             "42501");
	}
	/* whether there are details, and with what consent: still readable */
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.client WHERE consent_at IS NOT "
	                                  "NULL AND anonymised_at IS NULL",
	                             0, NULL),
	                 3);
	ck_assert_int_eq(dbtest_long(lwl, "SELECT count(*) FROM loket.client", 0, NULL), 1);
}
END_TEST

START_TEST(reads_are_logged)
{
	long before = reads("screen");
	char *v = contact(kvk, referred, "screen");
	ck_assert_str_eq(v, "Els Nijhuis|0612345678|els@example.nl");
	free(v);
	ck_assert_int_eq(reads("screen"), before + 1);
	const char *p[] = {referred};
	ck_assert_int_eq(
	    dbtest_long(pg,
	                "SELECT count(*) FROM loket.personal_read l JOIN loket.question q ON q.id = "
	                "l.question_id WHERE q.number = $1::int AND l.role_name = 'kvk_demo' AND "
	                "l.login = 'kvk_demo' AND l.region = 'twente' AND l.organisation = 'kvk' AND "
	                "l.context = 'screen' AND l.at > now() - interval '1 minute'",
	                1, p),
	    1);
	/* the central point: referred with consent */
	v = contact(lwl, referred, "case show");
	ck_assert_str_eq(v, "Els Nijhuis|0612345678|els@example.nl");
	free(v);
	/* kvk's own client without a referral with consent: kvk reads it */
	v = contact(kvk, unshared, "case show");
	ck_assert_str_eq(v, "Piet Klant|0698765432");
	free(v);
	long now = reads("case show");
	/* without consent, withdrawn, another organisation: nothing, not logged */
	v = contact(lwl, unshared, "case show");
	ck_assert_str_eq(v, "");
	free(v);
	v = contact(lwl, withdrawn, "case show");
	ck_assert_str_eq(v, "");
	free(v);
	v = contact(cnv, referred, "case show");
	ck_assert_str_eq(v, "");
	free(v);
	ck_assert_int_eq(reads("case show"), now);
	/* a place nobody knows is refused, and "export" is the privacy officer's */
	const char *bad[] = {referred};
	dbtest_fails(kvk,
	             "SELECT * FROM loket.question q, loket.client_contact(q.id, 'elsewhere') "
	             "WHERE q.number = $1::int",
	             1, bad, "22023");
	dbtest_fails(kvk,
	             "SELECT loket.client_contact_ask(ARRAY(SELECT id FROM loket.question "
	             "WHERE number = $1::int), 'export')",
	             1, bad, "22023");
	/* the attack of the walk: a read inside a transaction that is rolled
	 * back gives nothing, and one not asked first gives nothing either (a
	 * committed read covers the same role, question and place for ten
	 * minutes) */
	long all = dbtest_long(pg, "SELECT count(*) FROM loket.personal_read", 0, NULL);
	const char *sneaky[] = {unshared}; /* not read by kvk from those places before */
	struct db *sneak = dbtest_connect(dbname, "kvk_demo");
	dbtest_ok(sneak, "BEGIN", 0, NULL);
	ck_assert_int_eq(dbtest_long(sneak,
	                             "SELECT loket.client_contact_ask(ARRAY(SELECT id FROM "
	                             "loket.question WHERE number = $1::int), 'screen')",
	                             1, sneaky),
	                 1);
	ck_assert_int_eq(dbtest_long(sneak,
	                             "SELECT count(*) FROM loket.question q, "
	                             "loket.client_contact(q.id, 'screen') WHERE q.number = $1::int",
	                             1, sneaky),
	                 0);
	dbtest_ok(sneak, "ROLLBACK", 0, NULL);
	dbtest_ok(sneak, "BEGIN", 0, NULL);
	dbtest_ok(sneak, "SAVEPOINT s", 0, NULL);
	ck_assert_int_eq(dbtest_long(sneak,
	                             "SELECT count(*) FROM loket.question q, "
	                             "loket.client_contact(q.id, 'referral list') "
	                             "WHERE q.number = $1::int",
	                             1, sneaky),
	                 0);
	dbtest_ok(sneak, "ROLLBACK TO s", 0, NULL);
	dbtest_ok(sneak, "COMMIT", 0, NULL);
	db_close(&sneak);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.personal_read", 0, NULL), all);
	/* read-only (a standby): no details without a log */
	dbtest_ok(kvk, "SET default_transaction_read_only = on", 0, NULL);
	dbtest_fails(kvk,
	             "SELECT loket.client_contact_ask(ARRAY(SELECT id FROM loket.question "
	             "WHERE number = $1::int), 'screen')",
	             1, bad, "25006");
	dbtest_ok(kvk, "SET default_transaction_read_only = off", 0, NULL);
	/* the summary mail's read of address and name: not without its log */
	long mails = reads("mail");
	dbtest_fails(kvk, "SELECT * FROM loket.mail_summary($1::int)", 1, p, "23514");
	dbtest_ok(kvk,
	          "SELECT loket.client_contact_ask(ARRAY(SELECT id FROM loket.question "
	          "WHERE number = $1::int), 'mail')",
	          1, p);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.mail_summary($1::int) "
	                                  "WHERE to_address = 'els@example.nl'",
	                             1, p),
	                 1);
	ck_assert_int_eq(reads("mail"), mails + 1);
}
END_TEST

START_TEST(log_cannot_be_changed)
{
	struct db *who[] = {kvk, lwl, cnv, prv};
	for (int i = 0; i < 4; i++) {
		dbtest_fails(who[i],
		             "INSERT INTO loket.personal_read (role_name, login, region, question_id, "
		             "context) SELECT 'x', 'x', 'twente', id, 'screen' FROM loket.question "
		             "LIMIT 1",
		             0, NULL, "42501");
		dbtest_fails(who[i], "UPDATE loket.personal_read SET role_name = 'x'", 0, NULL, "42501");
		dbtest_fails(who[i], "DELETE FROM loket.personal_read", 0, NULL, "42501");
		dbtest_fails(who[i], "TRUNCATE loket.personal_read", 0, NULL, "42501");
		dbtest_fails(who[i], "SELECT count(*) FROM loket.personal_read", 0, NULL, "42501");
	}
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	dbtest_fails(sup, "SELECT count(*) FROM loket.personal_read", 0, NULL, "42501");
	dbtest_fails(sup, "SELECT * FROM loket.privacy_log(NULL, 'kvk_demo', NULL)", 0, NULL, "42501");
	db_close(&sup);
	/* not even a superuser edits or empties it; the owner's purge deletes */
	dbtest_fails(pg, "UPDATE loket.personal_read SET role_name = 'x'", 0, NULL, "42501");
	dbtest_fails(pg, "TRUNCATE loket.personal_read", 0, NULL, "42501");
	ck_assert_int_gt(dbtest_long(pg, "SELECT count(*) FROM loket.personal_read", 0, NULL), 0);
}
END_TEST

START_TEST(privacy_officer)
{
	/* reads the log, by question and by role */
	const char *p[] = {referred};
	ck_assert_int_ge(dbtest_long(prv, "SELECT count(*) FROM loket.privacy_log($1::int, NULL, NULL)",
	                             1, p),
	                 2);
	ck_assert_int_eq(dbtest_long(prv,
	                             "SELECT count(*) FROM loket.privacy_log($1::int, NULL, NULL) "
	                             "WHERE role_name = 'lwl_demo' AND display_name = "
	                             "'Demo-adviseur Leerwerkloket' AND context = 'case show'",
	                             1, p),
	                 1);
	ck_assert_int_eq(dbtest_long(prv,
	                             "SELECT count(*) FROM loket.privacy_log(NULL, 'kvk_demo', "
	                             "current_date) WHERE role_name <> 'kvk_demo'",
	                             0, NULL),
	                 0);
	dbtest_fails(prv, "SELECT * FROM loket.privacy_log(NULL, NULL, NULL)", 0, NULL, "22023");
	/* but no case text and no details */
	dbtest_fails(prv, "SELECT text FROM loket.question", 0, NULL, "42501");
	dbtest_fails(prv, "SELECT kind FROM loket.client", 0, NULL, "42501");
	dbtest_fails(prv, "SELECT * FROM loket.client_contact(gen_random_uuid(), 'screen')", 0, NULL,
	             "42501");
	/* advisors do not read the log */
	dbtest_fails(kvk, "SELECT * FROM loket.privacy_log(NULL, 'kvk_demo', NULL)", 0, NULL, "42501");
	/* the command, as table, csv and json */
	char *out = NULL, *err = NULL;
	const char *conn = dbtest_conninfo(dbname, "privacy_demo");
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--question", referred,
	                              "--format", "csv", NULL),
	                 0);
	ck_assert_msg(strstr(out, "at,role,login,name,organisation,question,where") == out, "%s", out);
	ck_assert_msg(strstr(out, ",lwl_demo,lwl_demo,Demo-adviseur Leerwerkloket,lwl,") != NULL, "%s",
	              out);
	ck_assert_msg(strstr(out, "Nijhuis") == NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--role", "kvk_demo",
	                              "--since", "2020-01-01", "--format", "json", NULL),
	                 0);
	ck_assert_msg(strstr(out, "\"role\": \"kvk_demo\"") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\"where\": \"mail\"") != NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--role", "kvk_demo",
	                              NULL),
	                 0);
	ck_assert_msg(strstr(out, "screen") != NULL, "%s", out);
	ck_assert_str_eq(err, "");
	free(out), free(err);
	/* nothing found is said, not an empty answer (a typo in a role name) */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--role", "kvk_dmeo",
	                              NULL),
	                 1);
	ck_assert_msg(strstr(err, "there is no role kvk_dmeo") != NULL, "%s", err);
	ck_assert_str_eq(out, ""); /* not even the header */
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--role", "fnv_demo",
	                              NULL),
	                 0);
	ck_assert_msg(strstr(err, "no reads by fnv_demo in your region") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--question",
	                              "99999", NULL),
	                 0);
	ck_assert_msg(strstr(err, "question 99999") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "export", "--email",
	                              "niemand@example.nl", NULL),
	                 0);
	ck_assert_msg(strstr(out, "\"questions\": [\n    ]") != NULL, "%s", out);
	ck_assert_msg(strstr(err, "nothing is held about this person") != NULL, "%s", err);
	free(out), free(err);
	/* no screen for this role: said, before the terminal is touched */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, NULL), 1);
	ck_assert_msg(strstr(err, "privacy log") != NULL, "%s", err);
	free(out), free(err);
	/* wrong use, and the wrong role, in words */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", NULL), 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "privacy", "log", "--role", "kvk_demo",
	                              "--since", "gisteren", NULL),
	                 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), NULL, &out, &err,
	                              "privacy", "log", "--role", "kvk_demo", NULL),
	                 1);
	ck_assert_msg(strstr(err, "privacy log") != NULL && strstr(err, "function") == NULL, "%s",
	              err);
	free(out), free(err);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("privacy");
	TCase *tc = tcase_create("privacy");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_plain_select);
	tcase_add_test(tc, reads_are_logged);
	tcase_add_test(tc, log_cannot_be_changed);
	tcase_add_test(tc, privacy_officer);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
