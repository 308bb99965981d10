/* test_cellkey.c: small counts stay hidden from supervisors (sql/026, the
 * cell-key method; doc/reports.md, "Small counts").  The differencing
 * attacks of issue 13 replayed as supervisor_demo, with plain SQL and
 * through `loket query -c`: cumulative windows (until:D against
 * until:D-1), complements (a negated term), totals (the region's total
 * minus the rows shown, in query counts and in the funnel and volume
 * reports) and repeated or reworded queries.  With exact figures each
 * attack gives every one of the ten small cells below (the test checks
 * that with the superuser's exact counts); with the perturbed figures no
 * count from 1 to 4 is ever shown and the attacks are mostly wrong.  Also:
 * every question is logged first, in a log supervisors cannot change or
 * skip (a rolled-back ask is no ask), and record keys are the server's.
 *
 * The data: October 2026, 3 questions a day from each of kvk, roc, fnv and
 * cnv; then ten weekdays in November on which kvk has 9 questions, roc 8,
 * fnv 7 and cnv from 1 to 4 (the small cells; the others are never held
 * back: 7 - 2 >= 5).  The record keys are fixed
 * (a hash of each question's text), so that every run sees the same
 * figures. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg, *sup;

#define NDAYS 10
static const char *const days[NDAYS] = {"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05",
                                        "2026-11-06", "2026-11-09", "2026-11-10", "2026-11-11",
                                        "2026-11-12", "2026-11-13"};
static const char *const day_before[NDAYS] = {"2026-11-01", "2026-11-02", "2026-11-03",
                                              "2026-11-04", "2026-11-05", "2026-11-08",
                                              "2026-11-09", "2026-11-10", "2026-11-11",
                                              "2026-11-12"};
static const int small[NDAYS] = {1, 2, 3, 4, 1, 2, 3, 4, 1, 2};

static void
setup(void)
{
	dbname = dbtest_create("cellkey", true);
	pg = dbtest_connect(dbname, "postgres");
	/* fixed record keys: the superuser bypasses the trigger that sets them */
	dbtest_ok(pg, "ALTER TABLE loket.question DISABLE TRIGGER record_key", 0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, "
	          "topic, text, created_at, record_key) "
	          "SELECT gen_random_uuid(), o, o || '_demo', 'balie', 'werkende', 'evc', "
	          "       'Vraag ' || o || ' ' || d::date || ' ' || j, "
	          "       (d::date + time '09:00' + j * interval '1 minute') AT TIME ZONE 'Europe/Amsterdam', "
	          "       hashtext('cellkey ' || o || d::date || j) & 2147483647 "
	          "FROM generate_series(date '2026-10-01', date '2026-10-31', interval '1 day') d, "
	          "     unnest(ARRAY['kvk', 'roc', 'fnv', 'cnv']) o, generate_series(1, 3) j",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, "
	          "topic, text, created_at, record_key) "
	          "SELECT gen_random_uuid(), o.org, o.org || '_demo', 'balie', 'werkende', 'taal', "
	          "       'Vraag ' || o.org || ' ' || t.d || ' ' || j, "
	          "       (t.d + time '09:00' + j * interval '1 minute') AT TIME ZONE 'Europe/Amsterdam', "
	          "       hashtext('cellkey ' || o.org || t.d || j) & 2147483647 "
	          "FROM (VALUES (date '2026-11-02', 1), ('2026-11-03', 2), ('2026-11-04', 3), "
	          "             ('2026-11-05', 4), ('2026-11-06', 1), ('2026-11-09', 2), "
	          "             ('2026-11-10', 3), ('2026-11-11', 4), ('2026-11-12', 1), "
	          "             ('2026-11-13', 2)) t(d, c), "
	          "     LATERAL (VALUES ('kvk', 9), ('roc', 8), ('fnv', 7), ('cnv', t.c)) o(org, m), "
	          "     generate_series(1, o.m) j",
	          0, NULL);
	dbtest_ok(pg, "ALTER TABLE loket.question ENABLE TRIGGER record_key", 0, NULL);
	sup = dbtest_connect(dbname, "supervisor_demo");
}

static void
teardown(void)
{
	db_close(&sup);
	db_close(&pg);
	dbtest_drop(dbname);
}

/* A query's spec (as loket sends it): cnv or not, in a window. */
static char *
spec(const char *org, bool negated, const char *since, const char *until, const char *group)
{
	char terms[512] = "";
	size_t n = 0;
	if (org)
		n += (size_t)snprintf(terms + n, sizeof terms - n,
		                      "{\"field\": \"org\", \"negated\": %s, \"values\": [\"%s\"]}",
		                      negated ? "true" : "false", org);
	if (since)
		n += (size_t)snprintf(terms + n, sizeof terms - n,
		                      "%s{\"field\": \"since\", \"values\": [\"%s\"]}", n ? ", " : "",
		                      since);
	if (until)
		n += (size_t)snprintf(terms + n, sizeof terms - n,
		                      "%s{\"field\": \"until\", \"values\": [\"%s\"]}", n ? ", " : "",
		                      until);
	char *s = NULL;
	ck_assert(asprintf(&s, "{\"terms\": [%s], \"count\": true, \"group\": [%s]}", terms,
	                   group ? group : "") > 0);
	return s;
}

/* The supervisor's count for a spec without grouping, asked as anyone with
 * psql would: logged first, then counted.  -1 when held back (<5). */
static long
count_of(char *s)
{
	dbtest_ask(sup, "query", s);
	const char *p[] = {s};
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query(sup, "SELECT count FROM loket.query_count($1::jsonb)", 1, p, &r, &err),
	              "%s: %s", s, err.message);
	long n = db_result_rows(r) == 0 ? 0 : db_result_get(r, 0, 0) ? atol(db_result_get(r, 0, 0)) : -1;
	ck_assert_msg(n < 1 || n >= 5, "%s: a count from 1 to 4 was shown: %ld", s, n);
	db_result_free(&r);
	free(s);
	return n;
}

/* The superuser's exact count of questions in a window (for cnv, or not). */
static long
exact(const char *org, bool negated, const char *since, const char *until)
{
	const char *p[] = {org, negated ? "t" : "f", since, until};
	return dbtest_long(pg,
	                   "SELECT count(*) FROM loket.question WHERE "
	                   "($1::text IS NULL OR (organisation = $1) <> $2::boolean) "
	                   "AND ($3::date IS NULL OR created_at >= loket.nl_start($3::date)) "
	                   "AND created_at < loket.nl_start($4::date + 1)",
	                   4, p);
}

/* How many of the ten small cells an attack's estimates give exactly. */
static int
recovered(const long est[NDAYS])
{
	int n = 0;
	for (int i = 0; i < NDAYS; i++)
		n += est[i] == small[i];
	return n;
}

/* until:D against until:D-1, for cnv. */
START_TEST(cumulative_windows)
{
	long est[NDAYS], truth[NDAYS];
	for (int i = 0; i < NDAYS; i++) {
		long a = count_of(spec("cnv", false, NULL, days[i], NULL));
		long b = count_of(spec("cnv", false, NULL, day_before[i], NULL));
		ck_assert(a >= 5 && b >= 5);
		est[i] = a - b;
		truth[i] = exact("cnv", false, NULL, days[i]) - exact("cnv", false, NULL, day_before[i]);
	}
	/* on exact figures the attack works: every cell */
	ck_assert_int_eq(recovered(truth), NDAYS);
	int got = recovered(est);
	fprintf(stderr, "cumulative windows: %d of %d small cells right\n", got, NDAYS);
	ck_assert_msg(got <= NDAYS / 2, "the attack gave %d of %d small cells", got, NDAYS);
}
END_TEST

/* The day's region total against the day without cnv (a negated term). */
START_TEST(complements)
{
	long est[NDAYS], truth[NDAYS];
	for (int i = 0; i < NDAYS; i++) {
		/* asked directly, the cell is held back */
		ck_assert_int_eq(count_of(spec("cnv", false, days[i], days[i], NULL)), -1);
		long t = count_of(spec(NULL, false, days[i], days[i], NULL));
		long r = count_of(spec("cnv", true, days[i], days[i], NULL));
		est[i] = t - r;
		truth[i] = exact(NULL, false, days[i], days[i]) - exact("cnv", true, days[i], days[i]);
	}
	ck_assert_int_eq(recovered(truth), NDAYS);
	int got = recovered(est);
	fprintf(stderr, "complements: %d of %d small cells right\n", got, NDAYS);
	ck_assert_msg(got <= NDAYS / 2, "the attack gave %d of %d small cells", got, NDAYS);
}
END_TEST

/* The region's total minus the rows shown: in `count by org`, and in the
 * funnel's and the volume report's region rows. */
static long
region_minus_rows(const char *sql, int n, const char *const *p)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query(sup, sql, n, p, &r, &err), "%s: %s", sql, err.message);
	long total = 0, shown = 0;
	int held = 0;
	for (int i = 0; i < db_result_rows(r); i++) {
		const char *v = db_result_get(r, i, 1);
		long x = v ? atol(v) : -1;
		ck_assert_msg(x < 1 || x >= 5, "%s: a count from 1 to 4 was shown", sql);
		if (!db_result_get(r, i, 0))
			total = x;
		else if (x >= 0)
			shown += x;
		else
			held++;
	}
	ck_assert_int_eq(held, 1); /* only cnv is held back */
	db_result_free(&r);
	return total - shown;
}

START_TEST(totals)
{
	long est[3][NDAYS], truth[NDAYS];
	for (int i = 0; i < NDAYS; i++) {
		long t = count_of(spec(NULL, false, days[i], days[i], NULL));
		char *s = spec(NULL, false, days[i], days[i], "\"org\"");
		dbtest_ask(sup, "query", s);
		const char *q[] = {s};
		long shown = 0;
		struct db_result *r = NULL;
		struct db_error err = {0};
		ck_assert(db_query(sup, "SELECT g1, count FROM loket.query_count($1::jsonb)", 1, q, &r,
		                   &err));
		for (int j = 0; j < db_result_rows(r); j++)
			if (db_result_get(r, j, 1))
				shown += atol(db_result_get(r, j, 1));
			else
				ck_assert_str_eq(db_result_get(r, j, 0), "cnv");
		db_result_free(&r);
		free(s);
		est[0][i] = t - shown;

		char args[64];
		snprintf(args, sizeof args, "[\"%s\", \"%s\"]", days[i], days[i]);
		dbtest_ask(sup, "funnel", args);
		const char *p[] = {days[i]};
		est[1][i] = region_minus_rows("SELECT organisation, registered "
		                              "FROM loket.report_funnel($1::date, $1::date)",
		                              1, p);
		snprintf(args, sizeof args, "[\"org\", \"week\", \"%s\", \"%s\"]", days[i], days[i]);
		dbtest_ask(sup, "volume", args);
		est[2][i] = region_minus_rows("SELECT value, total "
		                              "FROM loket.report_volume('org', 'week', $1::date, $1::date)",
		                              1, p);
		truth[i] = exact(NULL, false, days[i], days[i]) - exact("cnv", true, days[i], days[i]);
	}
	ck_assert_int_eq(recovered(truth), NDAYS);
	static const char *const what[] = {"count by org", "report_funnel", "report_volume"};
	for (int a = 0; a < 3; a++) {
		int got = recovered(est[a]);
		fprintf(stderr, "totals in %s: %d of %d small cells right\n", what[a], got, NDAYS);
		ck_assert_msg(got <= NDAYS / 2, "%s: the attack gave %d of %d small cells", what[a], got,
		              NDAYS);
	}
}
END_TEST

/* The same rows always give the same figure, however often and however
 * they are asked for: averaging gains nothing. */
START_TEST(same_cell_same_figure)
{
	long first = count_of(spec("cnv", false, NULL, days[3], NULL));
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(count_of(spec("cnv", false, NULL, days[3], NULL)), first);
	/* other words for the same questions */
	ck_assert_int_eq(count_of(spec("cnv", false, "2026-01-01", days[3], NULL)), first);
	ck_assert_int_eq(count_of(spec("cnv\", \"cnv", false, NULL, days[3], NULL)), first);
	ck_assert_int_eq(count_of(spec("cnv", false, NULL, "2026-11-05", NULL)), first);
	/* and the region's total is the same figure in a count and in both reports */
	long region = count_of(spec(NULL, false, days[0], days[0], NULL));
	dbtest_ask(sup, "funnel", "[\"2026-11-02\", \"2026-11-02\"]");
	ck_assert_int_eq(dbtest_long(sup, "SELECT registered FROM loket.report_funnel("
	                                  "'2026-11-02', '2026-11-02') WHERE organisation IS NULL",
	                             0, NULL),
	                 region);
	/* the cell's figure is the true count plus the documented noise of its key */
	char buf[32];
	long long keysum = dbtest_long(pg, "SELECT sum(record_key) FROM loket.question "
	                                   "WHERE organisation = 'cnv' "
	                                   "AND created_at < loket.nl_start('2026-11-06')",
	                               0, NULL);
	long n = exact("cnv", false, NULL, days[3]);
	ck_assert_int_eq(first, atol(dbtest_shown(n, keysum, 5, buf, sizeof buf)));
}
END_TEST

/* Through the binary, as a supervisor types it: the same figures, and each
 * query in the log. */
START_TEST(through_loket_query)
{
	char conn[1024], *out = NULL, *err = NULL, want[64];
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(dbname, "supervisor_demo"));
	long before = dbtest_long(pg, "SELECT count(*) FROM loket.supervisor_log", 0, NULL);
	for (int i = 0; i < 2; i++) {
		const char *until = i ? day_before[0] : days[0];
		char expr[64];
		snprintf(expr, sizeof expr, "org:cnv until:%s count", until);
		ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c", expr, "--format",
		                              "csv", NULL),
		                 0);
		snprintf(want, sizeof want, "count\r\n%ld\r\n", count_of(spec("cnv", false, NULL, until, NULL)));
		ck_assert_str_eq(out, want);
		free(out), free(err);
	}
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c",
	                              "since:2026-11-02 until:2026-11-02 count by org", "--format",
	                              "csv", NULL),
	                 0);
	ck_assert_msg(strstr(out, "\r\ncnv,<5\r\n") != NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c",
	                              "\\report funnel since:2026-11-02 until:2026-11-02", "--format",
	                              "csv", NULL),
	                 0);
	ck_assert_msg(strstr(out, ",cnv,<5,") != NULL, "%s", out);
	free(out), free(err);
	/* two by the binary and two by count_of, the count by org, the funnel */
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.supervisor_log", 0, NULL),
	                 before + 6);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.supervisor_log WHERE "
	                                 "role = 'supervisor_demo' AND region = 'twente' AND what = "
	                                 "'funnel' AND args = '[\"2026-11-02\", \"2026-11-02\"]' "
	                                 "AND at > now() - interval '1 minute'",
	                             0, NULL),
	                 1);
}
END_TEST

/* The log: nothing is counted before it is logged by a committed
 * transaction; supervisors can neither read nor change it. */
START_TEST(log_cannot_be_skipped_or_changed)
{
	const char *s = "{\"terms\": [], \"count\": true, \"group\": [\"org\"]}";
	const char *p[] = {s};
	const char *count = "SELECT * FROM loket.query_count($1::jsonb)";
	dbtest_fails(sup, count, 1, p, "42501");
	/* asked in the same transaction: not yet logged */
	dbtest_ok(sup, "BEGIN", 0, NULL);
	dbtest_ok(sup, "SELECT loket.supervisor_ask('query', $1::jsonb)", 1, p);
	dbtest_fails(sup, count, 1, p, "42501");
	dbtest_ok(sup, "ROLLBACK", 0, NULL);
	/* asked, then rolled back: never logged, so not answered */
	dbtest_ok(sup, "BEGIN", 0, NULL);
	dbtest_ok(sup, "SELECT loket.supervisor_ask('query', $1::jsonb)", 1, p);
	dbtest_ok(sup, "ROLLBACK", 0, NULL);
	dbtest_fails(sup, count, 1, p, "42501");
	/* a report asked for other dates is not this one */
	dbtest_ask(sup, "funnel", "[\"2026-10-01\", \"2026-10-31\"]");
	dbtest_fails(sup, "SELECT * FROM loket.report_funnel('2026-10-01', '2026-11-30')", 0, NULL,
	             "42501");
	dbtest_ok(sup, "SELECT * FROM loket.report_funnel('2026-10-01', '2026-10-31')", 0, NULL);
	/* the log is out of reach */
	dbtest_fails(sup, "SELECT * FROM loket.supervisor_log", 0, NULL, "42501");
	dbtest_fails(sup, "DELETE FROM loket.supervisor_log", 0, NULL, "42501");
	dbtest_fails(sup, "UPDATE loket.supervisor_log SET role = 'kvk_demo'", 0, NULL, "42501");
	dbtest_fails(sup, "TRUNCATE loket.supervisor_log", 0, NULL, "42501");
	dbtest_fails(sup,
	             "INSERT INTO loket.supervisor_log (role, region, what, args) "
	             "VALUES ('kvk_demo', 'twente', 'query', '{}')",
	             0, NULL, "42501");
	/* nor can the owner's own rules be used to change it: append-only */
	long n = dbtest_long(pg, "SELECT count(*) FROM loket.supervisor_log", 0, NULL);
	dbtest_fails(pg, "DELETE FROM loket.supervisor_log", 0, NULL, "42501");
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.supervisor_log", 0, NULL), n);
	/* an advisor asking logs nothing (advisors count their own rows exactly) */
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	ck_assert_int_eq(dbtest_long(kvk, "SELECT loket.supervisor_ask('query', $1::jsonb)::int", 1,
	                             p),
	                 0);
	dbtest_fails(kvk, "SELECT * FROM loket.supervisor_log", 0, NULL, "42501");
	/* advisors still count what they may read exactly (kvk's 9 that day) */
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count FROM loket.query_count("
	                                  "'{\"terms\": [{\"field\": \"since\", \"values\": "
	                                  "[\"2026-11-02\"]}, {\"field\": \"until\", \"values\": "
	                                  "[\"2026-11-02\"]}], \"count\": true}')",
	                             0, NULL),
	                 9);
	db_close(&kvk);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.supervisor_log", 0, NULL), n);
}
END_TEST

/* Record keys are the server's: set on insert whatever is sent, never
 * changed, and out of the supervisor's sight. */
START_TEST(record_keys_are_the_servers)
{
	dbtest_fails(sup, "SELECT record_key FROM loket.question", 0, NULL, "42501");
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	/* naming the key is refused (the column-level grants of sql/024) ... */
	dbtest_fails(kvk,
	             "INSERT INTO loket.question (id, channel, client_group, topic, text, record_key) "
	             "VALUES ('00000000-0000-0000-0000-0000000000c1', 'balie', 'werkende', 'evc', "
	             "'Sleutel', 0)",
	             0, NULL, "42501");
	/* ... and without it the server gives one */
	dbtest_ok(kvk,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text) "
	          "VALUES ('00000000-0000-0000-0000-0000000000c1', 'balie', 'werkende', 'evc', "
	          "'Sleutel')",
	          0, NULL);
	long key = dbtest_long(pg, "SELECT record_key FROM loket.question WHERE text = 'Sleutel'", 0,
	                       NULL);
	/* refused, or kept: either way the key stays */
	struct db_error err = {0};
	if (!db_query(kvk, "UPDATE loket.question SET record_key = 7 WHERE text = 'Sleutel'", 0, NULL,
	              NULL, &err))
		ck_assert_str_eq(err.sqlstate, "42501");
	db_error_clear(&err);
	ck_assert_int_eq(dbtest_long(pg, "SELECT record_key FROM loket.question WHERE text = 'Sleutel'",
	                             0, NULL),
	                 key);
	/* a random key in [0, 2^31) came (1 in 2^31 to be 0) */
	ck_assert_int_ne(key, 0);
	db_close(&kvk);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cellkey");
	TCase *tc = tcase_create("cellkey");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cumulative_windows);
	tcase_add_test(tc, complements);
	tcase_add_test(tc, totals);
	tcase_add_test(tc, same_cell_same_figure);
	tcase_add_test(tc, through_loket_query);
	tcase_add_test(tc, log_cannot_be_skipped_or_changed);
	tcase_add_test(tc, record_keys_are_the_servers);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
