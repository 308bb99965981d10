/* test_report.c: the six supervisor reports (sql/016) against a small data
 * set built here, with every expected figure worked out by hand below; the
 * threshold for small counts enforced by the database; the summary tables
 * following changes; the reports through `loket query -c '\report ...'` in
 * CSV, with quoting and "<5".
 *
 * The data, all in March 2026 (weeks of 2 and 9 March):
 *   kvk, Tuesday 3 March 10:00-10:05, topic evc: q1..q6
 *     q1..q4 informed with evc-algemeen (review 2027); q1 also with
 *       levenlanglerenkrediet (review by 2026-01-15: given after review)
 *     q1 referred, picked up after 10 h, completed (advies_gegeven)
 *     q2 referred, picked up after 30 h
 *     q3, q4 referred, still sent, deadline long past
 *   kvk, Tuesday 10 March, topic taal: q7
 *   cnv, Tuesday 10 March, topic evc: q8 referred and returned unpicked,
 *     q9 referred and withdrawn
 *   signals: kvk evc "Bouw" Enschede and kvk evc " bouw " Enschede (missing
 *     offer), cnv taal "zorg" Hengelo (latent demand)
 * And in April 2026, topic loopbaan, for the consistency flags: kvk 20
 * questions of which 18 referred, cnv 20 of which 2 referred. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dbname;
static struct db *pg, *sup;

#define MARCH "'2026-03-01'::date, '2026-03-31'::date"
#define APRIL "'2026-04-01'::date, '2026-04-30'::date"

static void
build(void)
{
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, "
	          "topic, text, created_at) "
	          "SELECT ('00000000-0000-0000-0000-00000000000' || n)::uuid, "
	          "       CASE WHEN n <= 7 THEN 'kvk' ELSE 'cnv' END, "
	          "       CASE WHEN n <= 7 THEN 'kvk_demo' ELSE 'cnv_demo' END, 'balie', 'werkende', "
	          "       CASE WHEN n = 7 THEN 'taal' ELSE 'evc' END, 'Vraag ' || n, "
	          "       CASE WHEN n <= 6 THEN timestamptz '2026-03-03 10:00+01' + n * interval '1 min' "
	          "            ELSE timestamptz '2026-03-10 11:00+01' + n * interval '1 min' END "
	          "FROM generate_series(1, 9) n",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.info_given (question_id, knowledge_version_id, given_by, given_at) "
	          "SELECT q.id, v.id, 'kvk_demo', q.created_at FROM loket.question q, "
	          "LATERAL (SELECT v.id FROM loket.knowledge_version v JOIN loket.knowledge_item i "
	          "         ON i.id = v.item_id WHERE i.slug = 'evc-algemeen' "
	          "         ORDER BY v.version_no DESC LIMIT 1) v "
	          "WHERE q.text IN ('Vraag 1', 'Vraag 2', 'Vraag 3', 'Vraag 4')",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.info_given (question_id, knowledge_version_id, given_by, given_at) "
	          "SELECT q.id, v.id, 'kvk_demo', q.created_at FROM loket.question q, "
	          "LATERAL (SELECT v.id FROM loket.knowledge_version v JOIN loket.knowledge_item i "
	          "         ON i.id = v.item_id WHERE i.slug = 'levenlanglerenkrediet' "
	          "         ORDER BY v.version_no DESC LIMIT 1) v "
	          "WHERE q.text = 'Vraag 1'",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.referral (question_id, reason, created_by, created_at, status, "
	          "accepted_by, accepted_at, completed_at, returned_at, return_reason, withdrawn_at, "
	          "outcome) "
	          "SELECT q.id, 'advies', q.advisor, q.created_at, s.status, "
	          "       CASE WHEN s.hours IS NOT NULL THEN 'lwl_demo' END, "
	          "       q.created_at + s.hours * interval '1 hour', "
	          "       CASE WHEN s.status = 'completed' THEN q.created_at + interval '2 days' END, "
	          "       CASE WHEN s.status = 'returned' THEN q.created_at + interval '1 day' END, "
	          "       CASE WHEN s.status = 'returned' THEN 'Hoort bij de gemeente' END, "
	          "       CASE WHEN s.status = 'withdrawn' THEN q.created_at + interval '1 hour' END, "
	          "       CASE WHEN s.status = 'completed' THEN 'advies_gegeven' END "
	          "FROM loket.question q JOIN (VALUES ('Vraag 1', 'completed', 10), "
	          "  ('Vraag 2', 'accepted', 30), ('Vraag 3', 'sent', NULL), ('Vraag 4', 'sent', NULL), "
	          "  ('Vraag 8', 'returned', NULL), ('Vraag 9', 'withdrawn', NULL)) "
	          "  AS s(text, status, hours) ON s.text = q.text",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.signal (organisation, advisor, kind, topic, sector, municipality, "
	          "text, created_at) VALUES "
	          "('kvk', 'kvk_demo', 'ontbrekend_aanbod', 'evc', 'Bouw', 'enschede', "
	          " 'Geen EVC-traject voor timmerlieden', '2026-03-04 09:00+01'), "
	          "('kvk', 'kvk_demo', 'ontbrekend_aanbod', 'evc', ' bouw ', 'enschede', "
	          " 'EVC, \"bouw\" en\nmeer', '2026-03-05 09:00+01'), "
	          "('cnv', 'cnv_demo', 'latente_vraag', 'taal', 'zorg', 'hengelo', "
	          " 'Taalvragen in de zorg', '2026-03-11 09:00+01')",
	          0, NULL);
	/* April: loopbaan, kvk refers 18 of 20, cnv 2 of 20 */
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, "
	          "topic, text, created_at) "
	          "SELECT gen_random_uuid(), o, o || '_demo', 'balie', 'werkende', 'loopbaan', "
	          "       'April ' || o || ' ' || n, timestamptz '2026-04-07 10:00+02' + n * interval '1 min' "
	          "FROM generate_series(1, 20) n, unnest(ARRAY['kvk', 'cnv']) o",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.referral (question_id, reason, created_by, created_at) "
	          "SELECT id, 'advies', advisor, created_at FROM loket.question "
	          "WHERE text ~ '^April kvk ([1-9]|1[0-8])$' OR text IN ('April cnv 1', 'April cnv 2')",
	          0, NULL);
}

static void
setup(void)
{
	dbname = dbtest_create("report", true);
	pg = dbtest_connect(dbname, "postgres");
	build();
	/* small enough to see most figures; the default 5 is tested below */
	dbtest_ok(pg, "UPDATE loket.region SET suppress_below = 2", 0, NULL);
	sup = dbtest_connect(dbname, "supervisor_demo");
}

static void
teardown(void)
{
	db_close(&sup);
	db_close(&pg);
	dbtest_drop(dbname);
}

/* The first column of a query as text ("-" for NULL; "" for no row). */
static char *
text_of(const char *sql)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query(sup, sql, 0, NULL, &r, &err), "%s: %s", sql, err.message);
	char *s = strdup(db_result_rows(r) == 0 ? "" : db_result_get(r, 0, 0) ? db_result_get(r, 0, 0) : "-");
	db_result_free(&r);
	return s;
}

#define EXPECT(sql, want)                                                         \
	do {                                                                          \
		char *got_ = text_of(sql);                                                \
		ck_assert_msg(strcmp(got_, want) == 0, "%s\n  got  %s\n  want %s", sql, got_, \
		              want);                                                      \
		free(got_);                                                               \
	} while (0)

/* concat_ws of the columns with NULL shown as "-" */
#define ROW(cols) "concat_ws('|', " cols ")"

START_TEST(volume)
{
	/* weeks of 2 and 9 March: kvk 6 and 1, cnv 0 and 2, the region 6 and 3;
	 * trend (second half against first): region (3 - 6) / 6 = -0.5, kvk's
	 * second week is 1, under the threshold: no trend */
	EXPECT("SELECT " ROW("coalesce(value, '*'), total, array_to_string(series, ',', '-'), "
	                     "coalesce(trend::text, '-'), first_period")
	       " FROM loket.report_volume('org', 'week', '2026-03-02', '2026-03-15') LIMIT 1",
	       "*|9|6,3|-0.500|2026-03-02");
	EXPECT("SELECT string_agg(" ROW("value, total, array_to_string(series, ',', '-'), "
	                                "coalesce(trend::text, '-')") ", ' / ')"
	       " FROM loket.report_volume('org', 'week', '2026-03-02', '2026-03-15') WHERE value IS NOT NULL",
	       "kvk|7|6,-|- / cnv|2|0,2|-");
	/* by topic: evc 8 (6 + 2), taal 1 held back */
	EXPECT("SELECT string_agg(" ROW("value, coalesce(total::text, '<2')") ", ' / ')"
	       " FROM loket.report_volume('topic', 'week', '2026-03-02', '2026-03-15') WHERE value IS NOT NULL",
	       "evc|8 / taal|<2");
	/* by month: one period */
	EXPECT("SELECT array_to_string(series, ',', '-') FROM loket.report_volume('group', 'month', "
	       "'2026-03-01', '2026-03-31') WHERE value = 'werkende'",
	       "9");
	/* at the default threshold of 5, cnv's 2 are held back, and kvk's second week */
	dbtest_ok(pg, "UPDATE loket.region SET suppress_below = 5", 0, NULL);
	EXPECT("SELECT string_agg(" ROW("value, coalesce(total::text, '<5'), array_to_string(series, ',', '<5')") ", ' / ')"
	       " FROM loket.report_volume('org', 'week', '2026-03-02', '2026-03-15') WHERE value IS NOT NULL",
	       "kvk|7|6,<5 / cnv|<5|0,<5");
}
END_TEST

START_TEST(funnel_and_outcomes)
{
	/* registered, informed, referred (not withdrawn), picked up, completed, returned */
	EXPECT("SELECT string_agg(" ROW("coalesce(organisation, '*'), registered, informed, "
	                                "coalesce(referred::text, '-'), accepted, "
	                                "coalesce(completed::text, '-'), coalesce(returned::text, '-')")
	       ", ' / ') FROM loket.report_funnel(" MARCH ")",
	       "*|9|4|5|2|-|- / kvk|7|4|4|2|-|0 / cnv|2|0|-|0|0|-");
	/* one completed referral: held back everywhere */
	EXPECT("SELECT string_agg(" ROW("coalesce(organisation, '*'), outcome, coalesce(n::text, '-')")
	       ", ' / ') FROM loket.report_outcomes(" MARCH ")",
	       "*|advies_gegeven|- / kvk|advies_gegeven|-");
}
END_TEST

START_TEST(pickup)
{
	/* 5 referrals made (the withdrawn one not counted), 2 picked up after 10
	 * and 30 hours: median 20, p90 10 + 0.9 * 20 = 28.  Waiting and late are
	 * counted now, whenever made: March's 2 and April's 20 */
	EXPECT("SELECT " ROW("organisation, referrals, picked_up, median_hours, p90_hours, "
	                     "waiting_now, overdue_now")
	       " FROM loket.report_pickup(" MARCH ")",
	       "lwl|5|2|20.0|28.0|22|22");
	/* April: 20 referrals, none picked up: no times, 20 waiting, all late */
	EXPECT("SELECT " ROW("referrals, picked_up, coalesce(median_hours::text, '-'), waiting_now")
	       " FROM loket.report_pickup(" APRIL ")",
	       "20|0|-|22");
}
END_TEST

START_TEST(consistency)
{
	/* evc in March: kvk 6 questions, 4 referred, 4 informed; the rest (cnv)
	 * 2, 1 referred (under 2: no rate, no z), 0 informed.  Informed: 4/6
	 * against 0/2, pooled p = 0.5, z = 0.6667 / sqrt(0.25 * (1/6 + 1/2)) =
	 * 1.63: no flag.  The item the region gives most on evc is evc-algemeen:
	 * all 4 of kvk's informed questions. */
	EXPECT("SELECT " ROW("questions, referral_rate, coalesce(rest_referral_rate::text, '-'), "
	                     "coalesce(referral_z::text, '-'), info_rate, rest_info_rate, info_z, item, "
	                     "item_rate, coalesce(rest_item_rate::text, '-'), cardinality(flags)")
	       " FROM loket.report_consistency(" MARCH ") WHERE topic = 'evc' AND organisation = 'kvk'",
	       "6|0.6667|-|-|0.6667|0.0000|1.63|evc-algemeen|1.0000|-|0");
	/* April, loopbaan: kvk 18 of 20 referred, cnv 2 of 20: pooled 0.5,
	 * z = 0.8 / sqrt(0.25 * 0.1) = 5.06 either way: flagged both ways */
	EXPECT("SELECT string_agg(" ROW("organisation, referral_rate, rest_referral_rate, referral_z, "
	                                "array_to_string(flags, ',')")
	       ", ' / ' ORDER BY organisation) FROM loket.report_consistency(" APRIL ")",
	       "cnv|0.1000|0.9000|-5.06|refers_less / kvk|0.9000|0.1000|5.06|refers_more");
}
END_TEST

START_TEST(signals)
{
	/* sectors counted by their trimmed lower-case spelling */
	EXPECT("SELECT string_agg(" ROW("dim, value, coalesce(n::text, '-')") ", ' / ') "
	       "FROM loket.report_signals(" MARCH ")",
	       "kind|ontbrekend_aanbod|2 / kind|latente_vraag|- / topic|evc|2 / topic|taal|- / "
	       "sector|bouw|2 / sector|zorg|- / muni|enschede|2 / muni|hengelo|-");
	EXPECT("SELECT string_agg(" ROW("day, kind, muni, text") ", ' / ') "
	       "FROM loket.report_signal_examples(" MARCH ", 2)",
	       "2026-03-11|latente_vraag|Hengelo|Taalvragen in de zorg / "
	       "2026-03-05|ontbrekend_aanbod|Enschede|EVC, \"bouw\" en\nmeer");
}
END_TEST

START_TEST(knowledge)
{
	/* evc-algemeen given 4 times, never after review; levenlanglerenkrediet
	 * once, after its review date (held back: 1 is under 2) */
	EXPECT("SELECT " ROW("given, given_late, past_review")
	       " FROM loket.report_knowledge(" MARCH ") WHERE slug = 'evc-algemeen'",
	       "4|0|f");
	EXPECT("SELECT " ROW("coalesce(given::text, '-'), coalesce(given_late::text, '-'), past_review")
	       " FROM loket.report_knowledge(" MARCH ") WHERE slug = 'levenlanglerenkrediet'",
	       "-|-|t");
	/* items not given are listed, the most given first */
	EXPECT("SELECT slug FROM loket.report_knowledge(" MARCH ") LIMIT 1", "evc-algemeen");
	ck_assert_int_ge(dbtest_long(sup, "SELECT count(*) FROM loket.report_knowledge(" MARCH ")", 0,
	                             NULL),
	                 20);
}
END_TEST

/* The summary tables follow every change: a report after a change counts it. */
START_TEST(summaries_follow_changes)
{
	const char *today = "SELECT registered FROM loket.report_funnel(current_date, current_date) "
	                    "WHERE organisation = 'kvk'";
	EXPECT(today, "");
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	for (int i = 0; i < 3; i++)
		dbtest_ok(kvk,
		          "INSERT INTO loket.question (id, channel, client_group, topic, text) "
		          "VALUES (gen_random_uuid(), 'balie', 'werkende', 'evc', 'Vandaag')",
		          0, NULL);
	EXPECT(today, "3");
	dbtest_ok(kvk, "UPDATE loket.question SET topic = 'taal' WHERE text = 'Vandaag'", 0, NULL);
	EXPECT("SELECT string_agg(" ROW("value, total") ", ' / ') FROM loket.report_volume('topic', "
	       "'week', current_date, current_date) WHERE value IS NOT NULL",
	       "taal|3");
	/* a referral of one of them: the funnel moves (2 still not referred) */
	dbtest_ok(kvk,
	          "INSERT INTO loket.referral (question_id, reason) "
	          "SELECT id, 'advies' FROM loket.question WHERE text = 'Vandaag' LIMIT 2",
	          0, NULL);
	EXPECT("SELECT referred FROM loket.report_funnel(current_date, current_date) "
	       "WHERE organisation = 'kvk'",
	       "2");
	/* a training offering given informs a question, as knowledge does */
	dbtest_ok(pg,
	          "INSERT INTO loket.offering (region, offering_id, offering_type, name, source, "
	          "sync_no) VALUES ('twente', gen_random_uuid(), 'course', 'Lassen', '{}', 1)",
	          0, NULL);
	EXPECT("SELECT informed FROM loket.report_funnel(current_date, current_date) "
	       "WHERE organisation = 'kvk'",
	       "0");
	dbtest_ok(kvk,
	          "INSERT INTO loket.offering_given (question_id, offering_id) "
	          "SELECT q.id, o.id FROM loket.question q, loket.offering o "
	          "WHERE q.text = 'Vandaag' LIMIT 2",
	          0, NULL);
	EXPECT("SELECT informed FROM loket.report_funnel(current_date, current_date) "
	       "WHERE organisation = 'kvk'",
	       "2");
	EXPECT("SELECT string_agg(" ROW("name, given") ", ' / ') "
	       "FROM loket.report_offerings(current_date, current_date)",
	       "Lassen|2");
	db_close(&kvk);
}
END_TEST

/* On a read-only connection (a hot standby, say) the reports still answer,
 * from the summaries as last computed. */
START_TEST(read_only)
{
	EXPECT("SELECT registered FROM loket.report_funnel(" MARCH ") WHERE organisation = 'kvk'", "7");
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, "
	          "topic, text, created_at) VALUES (gen_random_uuid(), 'kvk', 'kvk_demo', 'balie', "
	          "'werkende', 'evc', 'Later', '2026-03-03 12:00+01')",
	          0, NULL);
	dbtest_ok(sup, "SET default_transaction_read_only = on", 0, NULL);
	EXPECT("SELECT registered FROM loket.report_funnel(" MARCH ") WHERE organisation = 'kvk'", "7");
	dbtest_ok(sup, "SET default_transaction_read_only = off", 0, NULL);
	EXPECT("SELECT registered FROM loket.report_funnel(" MARCH ") WHERE organisation = 'kvk'", "8");
}
END_TEST

/* Only supervisors, only their region, and only the administrator sets the
 * threshold. */
START_TEST(who_may)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk, "SELECT * FROM loket.report_funnel(" MARCH ")", 0, NULL, "42501");
	dbtest_fails(kvk, "UPDATE loket.region SET suppress_below = 2", 0, NULL, "42501");
	db_close(&kvk);
	struct db *ed = dbtest_connect(dbname, "editor_demo");
	dbtest_fails(ed, "SELECT * FROM loket.report_knowledge(" MARCH ")", 0, NULL, "42501");
	db_close(&ed);
	dbtest_fails(sup, "UPDATE loket.region SET suppress_below = 2", 0, NULL, "42501");
	dbtest_fails(pg, "UPDATE loket.region SET suppress_below = 1", 0, NULL, "23514");
	dbtest_fails(sup, "SELECT * FROM loket.report_volume('text', 'week', " MARCH ")", 0, NULL,
	             "22023");
	dbtest_fails(sup, "SELECT * FROM loket.report_funnel('2026-04-01', '2026-03-01')", 0, NULL,
	             "22023");
	/* the administrator recomputes the summaries (after a bulk load) */
	char role[64], sql[256];
	snprintf(role, sizeof role, "report_admin_%d", (int)getpid());
	snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN IN ROLE loket_admin", role);
	dbtest_ok(pg, sql, 0, NULL);
	struct db *adm = dbtest_connect(dbname, role);
	/* the three days of the data set, then the one marked again */
	ck_assert_int_eq(dbtest_long(adm, "SELECT loket.stat_refresh_all()", 0, NULL), 3);
	dbtest_ok(pg, "INSERT INTO loket.stat_dirty VALUES ('twente', '2026-03-03')", 0, NULL);
	ck_assert_int_eq(dbtest_long(adm, "SELECT loket.stat_refresh_all()", 0, NULL), 1);
	db_close(&adm);
	snprintf(sql, sizeof sql, "DROP ROLE %s", role);
	dbtest_ok(pg, sql, 0, NULL);
}
END_TEST

/* Through the binary: CSV with quotes, commas and new lines quoted, and
 * held-back counts as <N. */
START_TEST(report_csv)
{
	dbtest_ok(pg, "UPDATE loket.organisation SET name = 'KvK, \"Oost\"' || chr(10) || 'balie' "
	              "WHERE code = 'kvk'", 0, NULL);
	char conn[1024], *out = NULL, *err = NULL;
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(dbname, "supervisor_demo"));
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c",
	                              "\\report funnel since:2026-03-01 until:2026-03-31", "--format",
	                              "csv", NULL),
	                 0);
	ck_assert_msg(strstr(out, "\"KvK, \"\"Oost\"\"\nbalie\",kvk,7,4,4,2,<2,0\r\n") != NULL, "%s",
	              out);
	ck_assert_msg(strstr(out, "CNV loopbaanadvies,cnv,2,0,<2,0,0,<2\r\n") != NULL, "%s", out);
	free(out), free(err);
	/* the text report: title (dates as dd-mm-jjjj), charts, and what <2 means */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c",
	                              "\\report volume by org since:2026-03-02 until:2026-03-15", NULL),
	                 0);
	ck_assert_msg(strstr(out, "02-03-2026") && strstr(out, "<2:"), "%s", out);
	free(out), free(err);
	/* signals: one CSV of all four ways of counting */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c",
	                              "\\report signals since:2026-03-01 until:2026-03-31", "--format",
	                              "csv", NULL),
	                 0);
	ck_assert_msg(strncmp(out, "by,code,name,signals\r\nkind,ontbrekend_aanbod,", 45) == 0, "%s", out);
	ck_assert_msg(strstr(out, "\r\nsector,bouw,bouw,2\r\n") && strstr(out, "\r\nmuni,hengelo,Hengelo,<2\r\n"),
	              "%s", out);
	free(out), free(err);
	/* a report name that does not exist */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "query", "-c", "\\report omzet", NULL),
	                 1);
	ck_assert_msg(strstr(err, "omzet") != NULL, "%s", err);
	free(out), free(err);
}
END_TEST

/* Run \report as the supervisor under LANG=lang (LANGUAGE stays en); the
 * output in *out. */
static void
report_as(const char *lang, const char *words, const char *format, char **out)
{
	char conn[1024], *err = NULL;
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(dbname, "supervisor_demo"));
	setenv("LANG", lang, 1);
	int rc = dbtest_loket(conn, NULL, out, &err, "query", "-c", words, "--format", format, NULL);
	setenv("LANG", "C.UTF-8", 1);
	ck_assert_msg(rc == 0, "%s %s under %s: %s", words, format, lang, err);
	free(err);
}

/* Figures do not depend on the locale: under nl_NL.UTF-8 every trend once
 * read +0%% and every share 0,0%%, because strtod read PostgreSQL's "0.9000"
 * with a decimal comma.  CSV and JSON are the same bytes under C.UTF-8 and
 * nl_NL.UTF-8, with dot decimals, fractions, ISO dates and one name per
 * column; the table shows Dutch figures and dates in both. */
START_TEST(report_locale)
{
	ck_assert_msg(newlocale(LC_ALL_MASK, "nl_NL.UTF-8", (locale_t)0) != (locale_t)0,
	              "the nl_NL.UTF-8 locale is missing: run scripts/ensure-packages");
	static const struct {
		const char *words, *csv[3], *table[3];
	} cases[] = {
		/* April: kvk refers 18 of 20 loopbaan questions, the rest 2 of 20 */
		{"\\report consistency since:2026-04-01 until:2026-04-30",
		 {"topic,organisation,questions,referral_rate,rest_referral_rate,referral_z,info_rate,"
		  "rest_info_rate,info_z,item,item_rate,rest_item_rate,item_z,flags\r\n",
		  "loopbaan,kvk,20,0.9000,0.1000,", ",refers_more\r\n"},
		 {"01-04-2026 to 30-04-2026", "90,0%", "10,0%"}},
		/* the region's trend: (3 - 6) / 6 */
		{"\\report volume by org since:2026-03-02 until:2026-03-15",
		 {"name,code,total,trend,2026-03-02,2026-03-09\r\n", ",,9,-0.500,6,3\r\n", NULL},
		 {"-50%", "02-03-2026 to 15-03-2026", NULL}},
		/* picked up after 10 and 30 hours */
		{"\\report pickup since:2026-03-01 until:2026-03-31",
		 {",20.0,28.0,", NULL, NULL},
		 {"20,0", "28,0", NULL}},
		/* the newest signal's day */
		{"\\report signals since:2026-03-01 until:2026-03-31", {NULL, NULL, NULL},
		 {"11-03-2026", NULL, NULL}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		static const char *const formats[] = {"csv", "json", "table"};
		for (int f = 0; f < 3; f++) {
			char *c = NULL, *nl = NULL;
			report_as("C.UTF-8", cases[i].words, formats[f], &c);
			report_as("nl_NL.UTF-8", cases[i].words, formats[f], &nl);
			ck_assert_msg(strcmp(c, nl) == 0, "%s --format %s differs:\nC.UTF-8:\n%s\nnl_NL:\n%s",
			              cases[i].words, formats[f], c, nl);
			const char *const *want = f == 0 ? cases[i].csv : f == 2 ? cases[i].table : NULL;
			for (int k = 0; want && k < 3 && want[k]; k++)
				ck_assert_msg(strstr(nl, want[k]) != NULL, "%s --format %s: no '%s' in\n%s",
				              cases[i].words, formats[f], want[k], nl);
			if (f == 1) { /* valid JSON with numbers, read by PostgreSQL */
				const char *p[] = {nl};
				ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM jsonb_array_elements("
				                                 "$1::jsonb -> 'tables') t",
				                             1, p) > 0,
				                 1);
			}
			if (f != 2)
				ck_assert_msg(!strstr(nl, "%") && !strstr(nl, "-03-2026") &&
				                      !strstr(nl, "-04-2026"),
				              "%s --format %s: a person's figure or date in\n%s", cases[i].words,
				              formats[f], nl);
			free(c), free(nl);
		}
	}
	/* JSON: the shares are numbers, the window ISO */
	char *j = NULL;
	report_as("nl_NL.UTF-8", cases[0].words, "json", &j);
	const char *p[] = {j};
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM jsonb_array_elements($1::jsonb "
	                                 "#> '{tables,0,rows}') r WHERE r->>'organisation' = 'kvk' "
	                                 "AND (r->'referral_rate')::numeric = 0.9 "
	                                 "AND $1::jsonb->>'since' = '2026-04-01'",
	                             1, p),
	                 1);
	free(j);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, volume);
	tcase_add_test(tc, funnel_and_outcomes);
	tcase_add_test(tc, pickup);
	tcase_add_test(tc, consistency);
	tcase_add_test(tc, signals);
	tcase_add_test(tc, knowledge);
	tcase_add_test(tc, summaries_follow_changes);
	tcase_add_test(tc, read_only);
	tcase_add_test(tc, who_may);
	tcase_add_test(tc, report_csv);
	tcase_add_test(tc, report_locale);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
