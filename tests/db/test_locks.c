/* test_locks.c: no advisor can stop work done for the whole region by
 * holding a lock (sql/032).  The summaries' refresh and the catalogue sync
 * used advisory locks, which any login role may take: kvk_demo holding
 * pg_advisory_lock(hashtext('loket.stat_refresh'), hashtext('twente')) made
 * every supervisor's count after a change wait for ever; and DELETE on
 * saved_query let anyone LOCK TABLE it.  As the real login roles, the way
 * a curious advisor with psql would try it. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static const char *dbname;
static struct db *pg, *kvk, *editor;

static void
setup(void)
{
	dbname = dbtest_create("locks", true);
	pg = dbtest_connect(dbname, "postgres");
	kvk = dbtest_connect(dbname, "kvk_demo");
	editor = dbtest_connect(dbname, "editor_demo");
}

static void
teardown(void)
{
	db_close(&kvk);
	db_close(&editor);
	db_close(&pg);
	dbtest_drop(dbname);
}

/* A connection string for `user` whose statements give up after 5 s. */
static const char *
impatient(const char *user)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%s options='-c statement_timeout=5000'",
	         dbtest_conninfo(dbname, user));
	return buf;
}

START_TEST(an_advisor_cannot_halt_the_counts)
{
	/* the advisory lock the refresh took before 032, held by an advisor */
	dbtest_ok(kvk, "SELECT pg_advisory_lock(hashtext('loket.stat_refresh'), hashtext('twente'))",
	          0, NULL);
	/* the lock the refresh takes now is not for advisors */
	dbtest_fails(kvk, "SELECT 1 FROM loket.owner_lock FOR UPDATE", 0, NULL, "42501");
	dbtest_fails(kvk, "SELECT loket.stat_refresh('twente')", 0, NULL, "42501");
	/* a change, so the next count refreshes the region's summaries */
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), NULL, &out, &err, "case",
	                              "add", "--group", "werkende", "--topic", "evc", "--channel",
	                              "balie", "--text", "Een wijziging", NULL),
	                 0);
	free(out);
	free(err);
	ck_assert_int_gt(dbtest_long(pg, "SELECT count(*) FROM loket.stat_dirty", 0, NULL), 0);
	int rc = dbtest_loket(impatient("supervisor_demo"), NULL, &out, &err, "query", "-c",
	                      "count by org", NULL);
	ck_assert_msg(rc == 0, "the supervisor's count did not answer (%d): %s", rc, err);
	free(out);
	free(err);
	/* the count answered beside the summaries (034); the refresh, as the
	 * timer runs it, is not halted either */
	rc = dbtest_loket(impatient("supervisor_demo"), NULL, &out, &err, "db", "refresh", NULL);
	ck_assert_msg(rc == 0, "the refresh did not finish (%d): %s", rc, err);
	free(out);
	free(err);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.stat_dirty", 0, NULL), 0);
	dbtest_ok(kvk, "SELECT pg_advisory_unlock_all()", 0, NULL);
}
END_TEST

/* Hole B (sql/049): an advisor who registers a question in a transaction
 * and leaves it open (psql: BEGIN; INSERT ...;) held the region's counter
 * row, and every other registration in the region waited for it. */
START_TEST(an_advisor_cannot_halt_the_numbering)
{
	dbtest_ok(kvk, "BEGIN", 0, NULL);
	dbtest_ok(kvk,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text) VALUES "
	          "(gen_random_uuid(), 'balie', 'werkende', 'evc', 'Blijft open staan')",
	          0, NULL);
	char *out = NULL, *err = NULL;
	int rc = dbtest_loket(impatient("cnv_demo"), NULL, &out, &err, "case", "add", "--group",
	                      "werkende", "--topic", "taal", "--channel", "balie", "--text",
	                      "Terwijl een ander een transactie openhoudt", NULL);
	ck_assert_msg(rc == 0, "cnv_demo's registration waited for kvk_demo's (%d): %s", rc, err);
	free(out);
	free(err);
	rc = dbtest_loket(impatient("lwl_demo"), NULL, &out, &err, "case", "add", "--group",
	                  "werkgever", "--topic", "personeel", "--channel", "telefoon", "--text",
	                  "Nog een, ook niet opgehouden", NULL);
	ck_assert_msg(rc == 0, "lwl_demo's registration waited (%d): %s", rc, err);
	free(out);
	free(err);
	dbtest_ok(kvk, "ROLLBACK", 0, NULL);
	/* the numbers stay unique and in order; the rolled-back one is a gap */
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT (count(DISTINCT number) = count(*) "
	                             "AND max(number) FILTER (WHERE text LIKE 'Nog een%') > "
	                             "max(number) FILTER (WHERE text LIKE 'Terwijl%'))::int "
	                             "FROM loket.question WHERE region = 'twente'",
	                             0, NULL),
	                 1);
}
END_TEST

START_TEST(an_advisor_cannot_halt_the_catalogue_sync)
{
	dbtest_ok(kvk, "SELECT pg_advisory_lock(hashtext('loket.offering_sync'), hashtext('twente'))",
	          0, NULL);
	dbtest_fails(kvk, "SELECT 1 FROM loket.offering_source FOR UPDATE", 0, NULL, "42501");
	dbtest_ok(editor, "SET statement_timeout = 5000", 0, NULL);
	dbtest_ok(editor, "BEGIN", 0, NULL);
	ck_assert_int_gt(dbtest_long(editor,
	                             "SELECT loket.offering_sync_begin('https://aanbod.example/o')",
	                             0, NULL),
	                 0);
	dbtest_ok(editor, "ROLLBACK", 0, NULL);
	dbtest_ok(kvk, "SELECT pg_advisory_unlock_all()", 0, NULL);
}
END_TEST

/* No table everyone uses can be locked whole by one of them: LOCK TABLE
 * needs UPDATE, DELETE or TRUNCATE on the table, which no login role holds
 * on any table of loket (saved_query's DELETE is gone: saved_query_forget). */
START_TEST(no_advisor_locks_a_shared_table)
{
	static const char *const roles[] = {"kvk_demo", "lwl_demo", "supervisor_demo",
	                                    "editor_demo"};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		struct db *who = dbtest_connect(dbname, roles[i]);
		const char *const param[] = {roles[i]};
		ck_assert_int_eq(dbtest_long(pg,
		                             "SELECT count(*) FROM pg_class c "
		                             "WHERE c.relnamespace = 'loket'::regnamespace "
		                             "AND c.relkind IN ('r', 'p') AND (has_table_privilege($1, "
		                             "c.oid, 'UPDATE') OR has_table_privilege($1, c.oid, "
		                             "'DELETE') OR has_table_privilege($1, c.oid, 'TRUNCATE'))",
		                             1, param),
		                 0);
		dbtest_ok(who, "BEGIN", 0, NULL);
		dbtest_fails(who, "LOCK TABLE loket.saved_query IN ACCESS EXCLUSIVE MODE", 0, NULL,
		             "42501");
		dbtest_ok(who, "ROLLBACK", 0, NULL);
		db_close(&who);
	}
	/* one's own saved query can still be removed, another's not */
	dbtest_ok(kvk,
	          "INSERT INTO loket.saved_query (region, name, expr, shared) "
	          "VALUES (loket.my_region(), 'weg', 'count by org', true)",
	          0, NULL);
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	ck_assert_int_eq(dbtest_long(cnv, "SELECT loket.saved_query_forget('weg')::int", 0, NULL), 0);
	db_close(&cnv);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT loket.saved_query_forget('weg')::int", 0, NULL), 1);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.saved_query", 0, NULL), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("locks");
	TCase *tc = tcase_create("locks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, an_advisor_cannot_halt_the_counts);
	tcase_add_test(tc, an_advisor_cannot_halt_the_catalogue_sync);
	tcase_add_test(tc, an_advisor_cannot_halt_the_numbering);
	tcase_add_test(tc, no_advisor_locks_a_shared_table);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
