/* test_summary_now.c: counts and reports read the summaries and count the
 * questions of the days changed since beside them (sql/034), so they are
 * right at once, without a refresh, and no reader waits for one.
 *
 * On 1,500 seeded questions (the seed leaves the summaries up to date):
 *   - kvk_demo registers a question today, refers it to cnv and gives it a
 *     knowledge item; an old referral is completed with an outcome.  The
 *     supervisor's counts (one dimension, two, status, org and topic) equal
 *     counting the questions, and the marks are still there afterwards: no
 *     count refreshed.  Every report that reads the summaries gives the same
 *     rows before and after `loket db refresh`, which empties the marks.
 *   - Changes on six days: the next count refreshes the region itself.
 *   - kvk_demo and cnv_demo on a read-only connection (a standby) count a
 *     new question, and cnv a new referral to it, at once.
 *   - A refresh held open in another session does not make a count wait.
 *   - Nobody but the owner reads them; advisors may not refresh. */
#include "config.h"

#include "countsql.h"
#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg;

static const char *const specs[] = {
    "{\"terms\": [], \"count\": true, \"group\": [\"org\"]}",
    "{\"terms\": [{\"field\": \"topic\", \"values\": [\"evc\"]}], \"count\": true, "
    "\"group\": [\"org\"], \"period\": \"month\"}",
    "{\"terms\": [{\"field\": \"group\", \"values\": [\"werkende\"]}], \"count\": true, "
    "\"group\": [\"channel\"]}",
    "{\"terms\": [], \"count\": true, \"group\": [\"status\"]}",
    "{\"terms\": [{\"field\": \"org\", \"values\": [\"kvk\", \"cnv\"]}], \"count\": true, "
    "\"group\": [\"muni\", \"status\"]}",
    "{\"terms\": [], \"count\": true, \"group\": [\"topic\", \"channel\"], \"period\": \"week\"}",
};
#define NSPECS (int)(sizeof specs / sizeof specs[0])

static const char *const by_rows_region = COUNT_BY_ROWS_REGION;
static const char *const by_rows_own = COUNT_BY_ROWS_OWN;
static const char *const by_count = COUNT_BY_QUERY;

static char *
text_of(struct db *db, const char *sql, const char *spec)
{
	const char *p[] = {spec};
	char *v = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query_value(db, sql, spec ? 1 : 0, spec ? p : NULL, DB_T_TEXT_OR_NULL, &v,
	                             NULL, &err),
	              "%s: %s", spec ? spec : sql, err.message);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* Every report that reads the summaries, whole, as one string: each asked
 * first (logged), as loket asks, over the last 400 days. */
static char *
reports_text(struct db *sup)
{
	char since[16] = "", until[16] = "";
	char *d = text_of(pg, "SELECT (current_date - 400)::text || ' ' || current_date::text", NULL);
	ck_assert_int_eq(sscanf(d, "%15s %15s", since, until), 2);
	free(d);
	char win[64], vol[96], chan[96];
	snprintf(win, sizeof win, "[\"%s\", \"%s\"]", since, until);
	snprintf(vol, sizeof vol, "[\"org\", \"month\", \"%s\", \"%s\"]", since, until);
	snprintf(chan, sizeof chan, "[\"channel\", \"week\", \"%s\", \"%s\"]", since, until);
	dbtest_ask(sup, "volume", vol);
	dbtest_ask(sup, "volume", chan);
	dbtest_ask(sup, "funnel", win);
	dbtest_ask(sup, "consistency", win);
	static const char *const sql =
	    "SELECT concat_ws(' # ', "
	    "(SELECT string_agg(x::text, ';' ORDER BY o) FROM loket.report_volume('org', 'month', "
	    "$1::date, $2::date) WITH ORDINALITY x(a, b, c, d, e, f, o)), "
	    "(SELECT string_agg(x::text, ';' ORDER BY o) FROM loket.report_volume('channel', 'week', "
	    "$1::date, $2::date) WITH ORDINALITY x(a, b, c, d, e, f, o)), "
	    "(SELECT string_agg(x::text, ';' ORDER BY o) FROM loket.report_funnel($1::date, "
	    "$2::date) WITH ORDINALITY x(a, b, c, d, e, f, g, h, o)), "
	    "(SELECT string_agg(x::text, ';' ORDER BY o) FROM loket.report_outcomes($1::date, "
	    "$2::date) WITH ORDINALITY x(a, b, c, d, o)), "
	    "(SELECT string_agg(x::text, ';' ORDER BY o) FROM loket.report_consistency($1::date, "
	    "$2::date) WITH ORDINALITY x(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o)))";
	const char *p[] = {since, until};
	char *v = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query_value(sup, sql, 2, p, DB_T_TEXT_OR_NULL, &v, NULL, &err), "%s",
	              err.message);
	ck_assert_ptr_nonnull(v);
	return v;
}

static long
marks(void)
{
	return dbtest_long(pg, "SELECT count(DISTINCT day) FROM loket.stat_dirty", 0, NULL);
}

/* The supervisor's counts are the questions' counts. */
static void
supervisor_counts_right(struct db *sup, const char *when)
{
	for (int i = 0; i < NSPECS; i++) {
		dbtest_ask(sup, "query", specs[i]);
		char *got = text_of(sup, by_count, specs[i]);
		char *want = text_of(pg, by_rows_region, specs[i]);
		ck_assert_msg(strcmp(got, want) == 0, "%s %s:\n got %.300s\nwant %.300s", when,
		              specs[i], got, want);
		free(got);
		free(want);
	}
}

static void
setup(void)
{
	dbname = dbtest_create("summary_now", true);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "postgres"), NULL, &out, &err, "db",
	                              "seed", "--cases", "1500", NULL),
	                 0);
	free(out);
	free(err);
	pg = dbtest_connect(dbname, "postgres");
	ck_assert_int_eq(marks(), 0);
}

static void
teardown(void)
{
	db_close(&pg);
	dbtest_drop(dbname);
}

static void
refresh_as(const char *role, int want_rc)
{
	char *out = NULL, *err = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, role), NULL, &out, &err, "db", "refresh",
	                      NULL);
	ck_assert_msg(rc == want_rc, "db refresh as %s: %d\n%s%s", role, rc, out, err);
	if (want_rc == 0)
		ck_assert_msg(strstr(out, ": ") != NULL, "%s", out);
	else /* a sentence of loket's, not PostgreSQL's "permission denied for function" */
		ck_assert_msg(strstr(err, "db refresh") != NULL && strstr(err, "function") == NULL,
		              "%s", err);
	free(out);
	free(err);
}

START_TEST(counted_beside_the_summaries)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	char *before = reports_text(sup);
	/* a question today, referred to cnv and informed; an old referral completed */
	dbtest_ok(kvk,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text, postcode4) "
	          "VALUES ('00000000-0000-4000-8000-000000000034', 'balie', 'werkende', 'evc', "
	          "'Vandaag gevraagd', '7511')",
	          0, NULL);
	dbtest_ok(kvk,
	          "INSERT INTO loket.referral (id, question_id, to_org, reason, consent_contact) "
	          "VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000034', 'cnv', "
	          "'advies', true)",
	          0, NULL);
	dbtest_ok(kvk,
	          "INSERT INTO loket.info_given (question_id, knowledge_version_id) "
	          "SELECT '00000000-0000-4000-8000-000000000034', v.id FROM loket.knowledge_version v "
	          "ORDER BY v.id LIMIT 1",
	          0, NULL);
	dbtest_ok(pg,
	          "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven', "
	          "updated_by = to_org WHERE id = (SELECT r.id FROM loket.referral r JOIN "
	          "loket.question q ON q.id = r.question_id WHERE r.status = 'sent' AND q.created_at "
	          "< now() - interval '20 days' ORDER BY q.created_at DESC LIMIT 1)",
	          0, NULL);
	long marked = marks();
	ck_assert_int_ge(marked, 1);
	ck_assert_int_le(marked, 2);
	supervisor_counts_right(sup, "changed");
	char *now = reports_text(sup);
	ck_assert_str_ne(now, before);
	/* nothing was refreshed: the marks are there still */
	ck_assert_int_eq(marks(), marked);
	refresh_as("supervisor_demo", 0);
	ck_assert_int_eq(marks(), 0);
	char *after = reports_text(sup);
	ck_assert_msg(strcmp(now, after) == 0, "before the refresh:\n%.500s\nafter:\n%.500s", now,
	              after);
	supervisor_counts_right(sup, "refreshed");
	free(before);
	free(now);
	free(after);
	db_close(&kvk);
	db_close(&sup);
}
END_TEST

START_TEST(many_days_refresh_first)
{
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	/* one open question on each of six days is closed */
	dbtest_ok(pg,
	          "UPDATE loket.question SET status = 'closed' WHERE id IN (SELECT DISTINCT ON "
	          "(loket.nl_day(created_at)) id FROM loket.question WHERE status = 'open' AND "
	          "created_at < now() - interval '30 days' ORDER BY loket.nl_day(created_at) DESC, "
	          "created_at LIMIT 6)",
	          0, NULL);
	ck_assert_int_eq(marks(), 6);
	supervisor_counts_right(sup, "six days");
	ck_assert_int_eq(marks(), 0);
	db_close(&sup);
}
END_TEST

START_TEST(read_only_counts_at_once)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	dbtest_ok(kvk, "SET default_transaction_read_only = on", 0, NULL);
	dbtest_ok(cnv, "SET default_transaction_read_only = on", 0, NULL);
	const char *own = specs[0];
	char *k0 = text_of(kvk, by_count, own), *c0 = text_of(cnv, by_count, own);
	struct db *writer = dbtest_connect(dbname, "kvk_demo");
	dbtest_ok(writer,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text) VALUES "
	          "('00000000-0000-4000-8000-000000000035', 'telefoon', 'werkzoekende', 'taal', "
	          "'Alleen-lezen')",
	          0, NULL);
	dbtest_ok(writer,
	          "INSERT INTO loket.referral (id, question_id, to_org, reason, consent_contact) "
	          "VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000035', 'cnv', "
	          "'advies', true)",
	          0, NULL);
	db_close(&writer);
	ck_assert_int_ge(marks(), 1);
	struct db *who[] = {kvk, cnv};
	for (int r = 0; r < 2; r++) {
		ck_assert_int_eq(dbtest_long(who[r], "SELECT loket.query_by_reader()::int", 0, NULL), 1);
		for (int i = 0; i < NSPECS; i++) {
			char *got = text_of(who[r], by_count, specs[i]);
			char *want = text_of(who[r], by_rows_own, specs[i]);
			ck_assert_msg(strcmp(got, want) == 0, "%s:\n got %.300s\nwant %.300s", specs[i],
			              got, want);
			free(got);
			free(want);
		}
	}
	/* both count one more of kvk's questions than before */
	char *k1 = text_of(kvk, by_count, own), *c1 = text_of(cnv, by_count, own);
	ck_assert_str_ne(k0, k1);
	ck_assert_str_ne(c0, c1);
	ck_assert_int_ge(marks(), 1);
	free(k0), free(k1), free(c0), free(c1);
	db_close(&kvk);
	db_close(&cnv);
}
END_TEST

START_TEST(refresh_does_not_block)
{
	dbtest_ok(pg,
	          "UPDATE loket.question SET status = 'closed' WHERE id = (SELECT id FROM "
	          "loket.question WHERE status = 'open' ORDER BY created_at DESC LIMIT 1)",
	          0, NULL);
	ck_assert_int_ge(marks(), 1);
	dbtest_ok(pg, "BEGIN", 0, NULL);
	ck_assert_int_ge(dbtest_long(pg, "SELECT loket.stat_refresh_all()", 0, NULL), 1);
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	dbtest_ok(sup, "SET statement_timeout = '3s'", 0, NULL);
	for (int i = 0; i < NSPECS; i++) {
		dbtest_ask(sup, "query", specs[i]);
		char *got = text_of(sup, by_count, specs[i]);
		free(got);
	}
	char *held = reports_text(sup);
	dbtest_ok(pg, "COMMIT", 0, NULL);
	ck_assert_int_eq(marks(), 0);
	supervisor_counts_right(sup, "after the refresh");
	char *after = reports_text(sup);
	ck_assert_str_eq(held, after);
	free(held);
	free(after);
	db_close(&sup);
}
END_TEST

START_TEST(views_closed)
{
	static const char *const views[] = {"stat_fact('twente', NULL)", "stat_volume_now('twente')",
	                                    "stat_cohort_now('twente')",
	                                    "stat_reader_pair_now('kvk')",
	                                    "stat_reader_volume_now('lwl')",
	                                    "stat_dirty_questions(NULL, NULL)"};
	static const char *const roles[] = {"supervisor_demo", "kvk_demo", "lwl_demo"};
	for (int r = 0; r < 3; r++) {
		struct db *db = dbtest_connect(dbname, roles[r]);
		for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
			char sql[128];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM loket.%s", views[v]);
			dbtest_fails(db, sql, 0, NULL, "42501");
		}
		dbtest_fails(db, "SELECT loket.stat_catch_up('twente')", 0, NULL, "42501");
		db_close(&db);
	}
	refresh_as("kvk_demo", 1);
	refresh_as("lwl_demo", 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("summary_now");
	TCase *tc = tcase_create("summary_now");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, counted_beside_the_summaries);
	tcase_add_test(tc, many_days_refresh_first);
	tcase_add_test(tc, read_only_counts_at_once);
	tcase_add_test(tc, refresh_does_not_block);
	tcase_add_test(tc, views_closed);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
