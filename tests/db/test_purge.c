/* test_purge.c: retention that runs (sql/036, issue 16 part 3).  Questions
 * of kvk_demo with a client, a referral with notes and a history of edits,
 * their last activity put back by hand (as a superuser, triggers off):
 *   - 13 months: the contact details go, the text stays;
 *   - 25 months: the contact details and the free text go, the text also
 *     from the history, the referral's notes too;
 *   - 25 months, but the referral changed 2 months ago: nothing goes;
 *   - 1 month: nothing goes;
 *   and reads of contact details 61 and 2 months old: the old one goes.
 * `loket privacy purge --dry-run` says what is due and changes nothing; the
 * purge (as privacy_demo, in batches of 1) changes exactly those; a second
 * run changes nothing; the supervisor's figures are the same before and
 * after; the history says the details were removed, without them; an advisor
 * may not purge. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg;
static char q13[16], q25[16], q25busy[16], q1[16];

static void
add(char *number, const char *text)
{
	const char *kvk = dbtest_conninfo(dbname, "kvk_demo");
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text", text, NULL),
	                 0);
	snprintf(number, 16, "%d", atoi(out));
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", number, "--reason",
	                              "advies", "--note", "Bel Jan Jansen na vijven", "--consent",
	                              "--name", "Jan Jansen", "--phone", "0612345678", NULL),
	                 0);
	free(out), free(err);
	/* an edit of the text, so the history holds the old text */
	struct db *db = dbtest_connect(dbname, "kvk_demo");
	const char *p[] = {number, text};
	dbtest_ok(db, "UPDATE loket.question SET text = $2 || ' (aangevuld)' WHERE number = $1::int",
	          2, p);
	db_close(&db);
}

/* Put the last activity of question N (and its referrals) back M months;
 * the referrals' by R months when R >= 0. */
static void
age(const char *number, int months, int referral_months)
{
	char m[16], r[16];
	snprintf(m, sizeof m, "%d", months);
	snprintf(r, sizeof r, "%d", referral_months < 0 ? months : referral_months);
	const char *p[] = {number, m, r};
	dbtest_ok(pg, "SET session_replication_role = replica", 0, NULL);
	dbtest_ok(pg,
	          "UPDATE loket.question SET updated_at = now() - make_interval(months => $2::int) "
	          "WHERE number = $1::int",
	          2, p);
	const char *pr[] = {number, r};
	dbtest_ok(pg,
	          "UPDATE loket.referral SET updated_at = now() - make_interval(months => $2::int) "
	          "WHERE question_id = (SELECT id FROM loket.question WHERE number = $1::int)",
	          2, pr);
	dbtest_ok(pg, "SET session_replication_role = origin", 0, NULL);
}

static void
setup(void)
{
	dbname = dbtest_create("purge", true);
	pg = dbtest_connect(dbname, "postgres");
	add(q13, "Vraag van dertien maanden");
	add(q25, "Vraag van vijfentwintig maanden met Jan Jansen erin");
	add(q25busy, "Oude vraag die nog loopt");
	add(q1, "Vraag van vorige maand");
	/* a failed summary mail whose error quotes the address (sql/039) */
	dbtest_ok(pg,
	          "INSERT INTO loket.mail_log (question_id, message_id, ok, error, sent_by) "
	          "SELECT id, 'm1@loket', false, '550 jan@example.nl: unknown user', 'kvk_demo' "
	          "FROM loket.question WHERE number = $1::int",
	          1, (const char *const[]){q25});
	age(q13, 13, -1);
	age(q25, 25, -1);
	age(q25busy, 25, 2);
	age(q1, 1, -1);
	/* reads of contact details: one 61 months old, one 2 months old */
	dbtest_ok(pg,
	          "INSERT INTO loket.personal_read (at, role_name, login, region, organisation, "
	          "question_id, context) SELECT now() - make_interval(months => m), 'kvk_demo', "
	          "'kvk_demo', 'twente', 'kvk', q.id, 'screen' FROM loket.question q, "
	          "(VALUES (61), (2)) AS v(m) WHERE q.number = $1::int",
	          1, (const char *const[]){q1});
}

static void
teardown(void)
{
	db_close(&pg);
	dbtest_drop(dbname);
}

static char *
run(const char *role, int want_rc, const char *a1, const char *a2, const char *a3)
{
	char *out = NULL, *err = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, role), NULL, &out, &err, "privacy", "purge",
	                      a1, a2, a3, NULL);
	ck_assert_msg(rc == want_rc, "privacy purge as %s: %d\n%s%s", role, rc, out, err);
	free(err);
	return out;
}

/* Question N as the superuser sees it: "text|name|phone|anonymised|note". */
static char *
state(const char *number)
{
	const char *p[] = {number};
	char *v = NULL;
	struct db_error err = {0};
	ck_assert(db_query_value(pg,
	                         "SELECT concat_ws('|', q.text, coalesce(c.name, '-'), "
	                         "coalesce(c.phone, '-'), (c.anonymised_at IS NOT NULL)::text, "
	                         "(SELECT string_agg(r.note, ',') FROM loket.referral r "
	                         "WHERE r.question_id = q.id)) FROM loket.question q "
	                         "JOIN loket.client c ON c.question_id = q.id WHERE q.number = $1::int",
	                         1, p, DB_T_TEXT, &v, NULL, &err));
	return v;
}

static char *
figures(void)
{
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	const char *spec = "{\"terms\": [], \"count\": true, \"group\": [\"org\", \"topic\"]}";
	dbtest_ask(sup, "query", spec);
	const char *p[] = {spec};
	char *v = NULL;
	struct db_error err = {0};
	ck_assert(db_query_value(sup,
	                         "SELECT string_agg(concat_ws('|', g1, g2, count), ';' ORDER BY g1, g2) "
	                         "FROM loket.query_count($1::jsonb)",
	                         1, p, DB_T_TEXT, &v, NULL, &err));
	db_close(&sup);
	return v;
}

START_TEST(purge_runs)
{
	char *before = figures();
	char *s1 = state(q1), *sbusy = state(q25busy);
	/* what is due, and nothing changes */
	char *out = run("privacy_demo", 0, "--dry-run", NULL, NULL);
	ck_assert_msg(strstr(out, " 2 ") && strstr(out, " 1 "), "%s", out);
	free(out);
	char *s13 = state(q13);
	ck_assert_msg(strstr(s13, "|Jan Jansen|0612345678|false|") != NULL, "%s", s13);
	free(s13);
	/* the purge, one question a batch */
	out = run("privacy_demo", 0, "--batch", "1", NULL);
	ck_assert_msg(strstr(out, "2") && strstr(out, "1"), "%s", out);
	free(out);
	s13 = state(q13);
	ck_assert_str_eq(s13, "Vraag van dertien maanden (aangevuld)|-|-|true|Bel Jan Jansen na vijven");
	char *s25 = state(q25);
	ck_assert_str_eq(s25, "[verwijderd na bewaartermijn]|-|-|true|[verwijderd na bewaartermijn]");
	/* the others as they were */
	char *s1b = state(q1), *sbusyb = state(q25busy);
	ck_assert_str_eq(s1b, s1);
	ck_assert_str_eq(sbusyb, sbusy);
	/* the history of q25 no longer holds its text or the note, but says what
	 * changed */
	const char *p[] = {q25};
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN "
	                             "loket.question q ON q.id = e.question_id WHERE q.number = "
	                             "$1::int AND (e.detail::text LIKE '%vijfentwintig%' OR "
	                             "e.detail::text LIKE '%Jan Jansen%' OR e.detail::text LIKE "
	                             "'%0612345678%')",
	                             1, p),
	                 0);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN "
	                             "loket.question q ON q.id = e.question_id WHERE q.number = "
	                             "$1::int AND e.kind = 'client_updated' AND "
	                             "e.detail->'fields' ? 'anonymised_at'",
	                             1, p),
	                 1);
	/* nor the mail's error, in the log or the history */
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT (SELECT count(*) FROM loket.mail_log WHERE error LIKE "
	                             "'%jan@example.nl%') + (SELECT count(*) FROM loket.question_event "
	                             "WHERE detail::text LIKE '%jan@example.nl%')",
	                             0, NULL),
	                 0);
	/* nor does the search find it by its old words */
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_fts f JOIN loket.question q "
	                             "ON q.id = f.question_id WHERE q.number = $1::int AND f.words @@ "
	                             "to_tsquery('dutch', 'vijfentwintig')",
	                             1, p),
	                 0);
	/* the old read is gone, the recent one kept */
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.personal_read WHERE at < now() - "
	                                 "interval '5 years'",
	                             0, NULL),
	                 0);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.personal_read WHERE at < now() - "
	                                 "interval '1 month'",
	                             0, NULL),
	                 1);
	/* a second run changes nothing */
	out = run("privacy_demo", 0, NULL, NULL, NULL);
	ck_assert_msg(strstr(out, " 0 ") && !strstr(out, " 1 ") && !strstr(out, " 2 "), "%s", out);
	free(out);
	char *s13b = state(q13), *s25b = state(q25);
	ck_assert_str_eq(s13b, s13);
	ck_assert_str_eq(s25b, s25);
	/* the supervisor's figures stayed the same */
	char *after = figures();
	ck_assert_str_eq(after, before);
	free(before), free(after), free(s1), free(sbusy), free(s13), free(s25), free(s1b),
	    free(sbusyb), free(s13b), free(s25b);
}
END_TEST

START_TEST(only_the_privacy_officer)
{
	char *out = run("kvk_demo", 1, NULL, NULL, NULL);
	free(out);
	out = run("supervisor_demo", 1, "--dry-run", NULL, NULL);
	free(out);
	out = run("privacy_demo", 1, "--batch", "0", NULL);
	free(out);
	/* nobody else changes the history */
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk, "UPDATE loket.question_event SET detail = '{}'", 0, NULL, "42501");
	db_close(&kvk);
	dbtest_fails(pg, "DELETE FROM loket.question_event", 0, NULL, "55000");
	dbtest_fails(pg, "UPDATE loket.question_event SET kind = 'created'", 0, NULL, "55000");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("purge");
	TCase *tc = tcase_create("purge");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, purge_runs);
	tcase_add_test(tc, only_the_privacy_officer);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
