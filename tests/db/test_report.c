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
 * questions of which 18 referred, cnv 20 of which 2 referred.
 *
 * Supervisors see each count perturbed by the cell-key method (sql/026):
 * the true count worked out by hand below, plus the noise of the sum of the
 * record keys of the rows it counts.  dbtest_cell() checks the hand-worked
 * count against the rows it names (as the superuser), reads their record
 * keys and applies the perturbation as doc/reports.md describes it; shares,
 * trends and z-scores are worked out here from those figures.  Every report
 * is logged first (dbtest_ask). */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dbname;
static struct db *pg, *sup;
static int k_now = 2; /* the threshold: set to 2 in setup */

#define MARCH "'2026-03-01'::date, '2026-03-31'::date"
#define APRIL "'2026-04-01'::date, '2026-04-30'::date"

/* The rows a figure counts, for dbtest_cell: questions, referrals (with
 * their question q), signals and knowledge given (with its item ki). */
#define Q(where) "SELECT record_key FROM loket.question WHERE " where
#define R(where)                                                                      \
	"SELECT r.record_key FROM loket.referral r JOIN loket.question q ON q.id = r.question_id " \
	"WHERE " where
#define S(where) "SELECT record_key FROM loket.signal WHERE " where
#define I(where)                                                                        \
	"SELECT i.record_key FROM loket.info_given i "                                      \
	"JOIN loket.knowledge_version v ON v.id = i.knowledge_version_id "                  \
	"JOIN loket.knowledge_item ki ON ki.id = v.item_id WHERE " where
/* the March questions by the hand-worked sets above */
#define ALL_MARCH "text ~ '^Vraag [1-9]$'"
#define WEEK1 "text ~ '^Vraag [1-6]$'"   /* = kvk's evc questions */
#define WEEK2 "text ~ '^Vraag [7-9]$'"
#define KVK "text ~ '^Vraag [1-7]$'"
#define CNV "text ~ '^Vraag [89]$'"      /* = cnv's evc questions */
#define EVC "text ~ '^Vraag [1-689]$'"
#define INFORMED "text ~ '^Vraag [1-4]$'" /* = kvk's referred */
#define REFERRED "text ~ '^Vraag [1-48]$'"
#define PICKED "text ~ '^Vraag [12]$'"

/* The figure shown for n rows, with NULL as "-" as the queries below show it. */
static const char *
fig(long n, const char *rows)
{
	const char *c = dbtest_cell(pg, n, rows, k_now);
	return c[0] == '<' ? "-" : c;
}

/* A share as the database computes it from shown figures (safe_rate, 015):
 * x out of n to 4 decimals when neither is a small count; "-" otherwise. */
static const char *
rate(const char *x, const char *n)
{
	static char bufs[8][48];
	static int next;
	char *buf = bufs[next++ % 8];
	if (x[0] == '-' || n[0] == '-')
		return "-";
	long a = atol(x), b = atol(n);
	if (b < k_now || (a != 0 && a < k_now) || (b - a != 0 && b - a < k_now))
		return "-";
	long r = (2 * a * 10000 + b) / (2 * b); /* half away from zero */
	snprintf(buf, 48, "%ld.%04ld", r / 10000, r % 10000);
	return buf;
}

/* The pooled two-proportion z-score of x1/n1 against x2/n2 to 2 decimals,
 * as doc/reports.md defines it (PostgreSQL as the calculator). */
static char *
zscore(const char *x1, const char *n1, const char *x2, const char *n2)
{
	const char *p[] = {x1, n1, x2, n2};
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert(db_query(pg,
	                   "SELECT round(((x1 / n1 - x2 / n2) / sqrt(p * (1 - p) * (1 / n1 + 1 / n2)))"
	                   "::numeric, 2)::text FROM (SELECT $1::numeric x1, $2::numeric n1, "
	                   "$3::numeric x2, $4::numeric n2, ($1::numeric + $3::numeric) / "
	                   "($2::numeric + $4::numeric) p) v",
	                   4, p, &r, &err));
	char *z = strdup(db_result_get(r, 0, 0));
	db_result_free(&r);
	return z;
}

/* A rate ("0.9000") in ten-thousandths. */
static long
tenk(const char *rate)
{
	long i = 0, f = 0;
	sscanf(rate, "%ld.%4ld", &i, &f);
	return i * 10000 + f;
}

/* The flag for share p against q with z-score z: |z| >= 3 and 10 points. */
static const char *
flag(const char *p, const char *q, const char *z, const char *more, const char *less)
{
	if (p[0] == '-' || q[0] == '-' || strcmp(z, "-") == 0 || (atof(z) < 3 && atof(z) > -3) ||
	    labs(tenk(p) - tenk(q)) < 1000)
		return "";
	return tenk(p) > tenk(q) ? more : less;
}

/* The trend (b - a) / a to 3 decimals, or "-" (016: both at least k). */
static const char *
trend(const char *a, const char *b)
{
	static char buf[48];
	if (a[0] == '-' || b[0] == '-' || atol(a) < k_now || atol(b) < k_now)
		return "-";
	long x = atol(a), d = (atol(b) - x) * 1000;
	long r = (2 * labs(d) + x) / (2 * x);
	snprintf(buf, sizeof buf, "%s%ld.%03ld", d < 0 && r ? "-" : "", r / 1000, r % 1000);
	return buf;
}

/* Log a report's question as the client does. */
static void
ask_window(const char *what, const char *since, const char *until)
{
	char args[64];
	snprintf(args, sizeof args, "[\"%s\", \"%s\"]", since, until);
	dbtest_ask(sup, what, args);
}

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
	 * the trend compares the second week with the first as shown; kvk's
	 * second week is 1, under the threshold: no trend */
	char want[256];
	dbtest_ask(sup, "volume", "[\"org\", \"week\", \"2026-03-02\", \"2026-03-15\"]");
	const char *w1 = fig(6, Q(WEEK1)), *w2 = fig(3, Q(WEEK2));
	snprintf(want, sizeof want, "*|%s|%s,%s|%s|2026-03-02", fig(9, Q(ALL_MARCH)), w1, w2,
	         trend(w1, w2));
	EXPECT("SELECT " ROW("coalesce(value, '*'), coalesce(total::text, '-'), "
	                     "array_to_string(series, ',', '-'), coalesce(trend::text, '-'), first_period")
	       " FROM loket.report_volume('org', 'week', '2026-03-02', '2026-03-15') LIMIT 1",
	       want);
	const char *cnv = fig(2, Q(CNV));
	snprintf(want, sizeof want, "kvk|%s|%s,-|- / cnv|%s|0,%s|-", fig(7, Q(KVK)), w1, cnv, cnv);
	EXPECT("SELECT string_agg(" ROW("value, coalesce(total::text, '-'), "
	                                "array_to_string(series, ',', '-'), coalesce(trend::text, '-')")
	       ", ' / ') FROM loket.report_volume('org', 'week', '2026-03-02', '2026-03-15') "
	       "WHERE value IS NOT NULL",
	       want);
	/* by topic: evc 8 (6 + 2), taal 1 held back */
	dbtest_ask(sup, "volume", "[\"topic\", \"week\", \"2026-03-02\", \"2026-03-15\"]");
	snprintf(want, sizeof want, "evc|%s / taal|<2", fig(8, Q(EVC)));
	EXPECT("SELECT string_agg(" ROW("value, coalesce(total::text, '<2')") ", ' / ')"
	       " FROM loket.report_volume('topic', 'week', '2026-03-02', '2026-03-15') WHERE value IS NOT NULL",
	       want);
	/* by month: one period, the same nine questions as the region's total */
	dbtest_ask(sup, "volume", "[\"group\", \"month\", \"2026-03-01\", \"2026-03-31\"]");
	EXPECT("SELECT array_to_string(series, ',', '-') FROM loket.report_volume('group', 'month', "
	       "'2026-03-01', '2026-03-31') WHERE value = 'werkende'",
	       fig(9, Q(ALL_MARCH)));
	/* at the default threshold of 5, cnv's 2 are held back, and kvk's second week */
	dbtest_ok(pg, "UPDATE loket.region SET suppress_below = 5", 0, NULL);
	snprintf(want, sizeof want, "kvk|%s|%s,<5 / cnv|<5|0,<5", dbtest_cell(pg, 7, Q(KVK), 5),
	         dbtest_cell(pg, 6, Q(WEEK1), 5));
	EXPECT("SELECT string_agg(" ROW("value, coalesce(total::text, '<5'), array_to_string(series, ',', '<5')") ", ' / ')"
	       " FROM loket.report_volume('org', 'week', '2026-03-02', '2026-03-15') WHERE value IS NOT NULL",
	       want);
}
END_TEST

#define FUNNEL_ROW                                                                         \
	ROW("coalesce(organisation, '*'), coalesce(registered::text, '-'), "                    \
	    "coalesce(informed::text, '-'), coalesce(referred::text, '-'), "                    \
	    "coalesce(accepted::text, '-'), coalesce(completed::text, '-'), "                   \
	    "coalesce(returned::text, '-')")

START_TEST(funnel_and_outcomes)
{
	/* registered, informed, referred (not withdrawn), picked up, completed,
	 * returned; one completed and one returned: held back */
	char want[256];
	ask_window("funnel", "2026-03-01", "2026-03-31");
	const char *informed = fig(4, Q(INFORMED)), *picked = fig(2, Q(PICKED));
	snprintf(want, sizeof want, "*|%s|%s|%s|%s|-|- / kvk|%s|%s|%s|%s|-|0 / cnv|%s|0|-|0|0|-",
	         fig(9, Q(ALL_MARCH)), informed, fig(5, Q(REFERRED)), picked, fig(7, Q(KVK)),
	         informed, informed, picked, fig(2, Q(CNV)));
	EXPECT("SELECT string_agg(" FUNNEL_ROW ", ' / ') FROM loket.report_funnel(" MARCH ")", want);
	/* a window without questions: the region's row says 0, not held back
	 * (the empty ROLLUP total had NULL sums, shown as "<5"; sql/047) */
	ask_window("funnel", "2020-01-01", "2020-01-31");
	EXPECT("SELECT string_agg(" FUNNEL_ROW ", ' / ') FROM loket.report_funnel('2020-01-01', "
	       "'2020-01-31')",
	       "*|0|0|0|0|0|0");
	/* one completed referral: held back everywhere */
	EXPECT("SELECT string_agg(" ROW("coalesce(organisation, '*'), outcome, coalesce(n::text, '-')")
	       ", ' / ') FROM loket.report_outcomes(" MARCH ")",
	       "*|advies_gegeven|- / kvk|advies_gegeven|-");
}
END_TEST

START_TEST(pickup)
{
	/* 5 referrals made (the withdrawn one not counted), 2 picked up after 10
	 * and 30 hours: median 20, p90 10 + 0.9 * 20 = 28, shown when the 2
	 * picked up are shown.  Waiting and late are counted now, whenever made:
	 * March's 2 and April's 20, the same 22 referrals */
	char want[256];
	ask_window("pickup", "2026-03-01", "2026-03-31");
	const char *picked = fig(2, R("q." PICKED)), *waiting = fig(22, R("r.status = 'sent'"));
	bool times = picked[0] != '-';
	snprintf(want, sizeof want, "lwl|%s|%s|%s|%s|%s|%s", fig(5, R("q." REFERRED)), picked,
	         times ? "20.0" : "-", times ? "28.0" : "-", waiting, waiting);
	EXPECT("SELECT " ROW("organisation, coalesce(referrals::text, '-'), "
	                     "coalesce(picked_up::text, '-'), coalesce(median_hours::text, '-'), "
	                     "coalesce(p90_hours::text, '-'), coalesce(waiting_now::text, '-'), "
	                     "coalesce(overdue_now::text, '-')")
	       " FROM loket.report_pickup(" MARCH ")",
	       want);
	/* April: 20 referrals, none picked up: no times, the same 22 waiting */
	ask_window("pickup", "2026-04-01", "2026-04-30");
	snprintf(want, sizeof want, "%s|0|-|%s", fig(20, R("q.text ~ '^April'")), waiting);
	EXPECT("SELECT " ROW("coalesce(referrals::text, '-'), picked_up, "
	                     "coalesce(median_hours::text, '-'), coalesce(waiting_now::text, '-')")
	       " FROM loket.report_pickup(" APRIL ")",
	       want);
}
END_TEST

/* The April consistency figures: kvk refers 18 of 20 loopbaan questions,
 * cnv 2 of 20; each the other's rest. */
struct april {
	const char *kn, *kref, *cn, *cref, *kr, *cr;
	char *kz, *cz;
};

static void
april(struct april *a)
{
	a->kn = fig(20, Q("text ~ '^April kvk'"));
	a->kref = fig(18, Q("text ~ '^April kvk ([1-9]|1[0-8])$'"));
	a->cn = fig(20, Q("text ~ '^April cnv'"));
	a->cref = fig(2, Q("text IN ('April cnv 1', 'April cnv 2')"));
	a->kr = rate(a->kref, a->kn);
	a->cr = rate(a->cref, a->cn);
	bool both = a->kr[0] != '-' && a->cr[0] != '-';
	a->kz = both ? zscore(a->kref, a->kn, a->cref, a->cn) : strdup("-");
	a->cz = both ? zscore(a->cref, a->cn, a->kref, a->kn) : strdup("-");
}

START_TEST(consistency)
{
	/* evc in March: kvk 6 questions, 4 referred, 4 informed (the same 4);
	 * the rest (cnv) 2, 1 referred (under 2: no rate, no z), 0 informed.
	 * The item the region gives most on evc is evc-algemeen: given to all of
	 * kvk's informed questions (the same 4 again). */
	char want[256];
	ask_window("consistency", "2026-03-01", "2026-03-31");
	const char *n = fig(6, Q(WEEK1)), *inf = fig(4, Q(INFORMED)), *rn = fig(2, Q(CNV));
	const char *ir = rate(inf, n), *rir = rate("0", rn);
	char *iz = ir[0] != '-' && rir[0] != '-' ? zscore(inf, n, "0", rn) : strdup("-");
	snprintf(want, sizeof want, "%s|%s|-|-|%s|%s|%s|evc-algemeen|%s|-|%d", n, ir, ir, rir, iz,
	         rate(inf, inf), flag(ir, rir, iz, "x", "x")[0] ? 1 : 0);
	EXPECT("SELECT " ROW("coalesce(questions::text, '-'), coalesce(referral_rate::text, '-'), "
	                     "coalesce(rest_referral_rate::text, '-'), coalesce(referral_z::text, '-'), "
	                     "coalesce(info_rate::text, '-'), coalesce(rest_info_rate::text, '-'), "
	                     "coalesce(info_z::text, '-'), item, coalesce(item_rate::text, '-'), "
	                     "coalesce(rest_item_rate::text, '-'), cardinality(flags)")
	       " FROM loket.report_consistency(" MARCH ") WHERE topic = 'evc' AND organisation = 'kvk'",
	       want);
	free(iz);
	/* April, loopbaan: kvk 18 of 20 referred, cnv 2 of 20: with exact
	 * figures z = 5.06 either way and flagged both ways */
	struct april a;
	april(&a);
	ask_window("consistency", "2026-04-01", "2026-04-30");
	snprintf(want, sizeof want, "cnv|%s|%s|%s|%s / kvk|%s|%s|%s|%s", a.cr, a.kr, a.cz,
	         flag(a.cr, a.kr, a.cz, "refers_more", "refers_less"), a.kr, a.cr, a.kz,
	         flag(a.kr, a.cr, a.kz, "refers_more", "refers_less"));
	EXPECT("SELECT string_agg(" ROW("organisation, coalesce(referral_rate::text, '-'), "
	                                "coalesce(rest_referral_rate::text, '-'), "
	                                "coalesce(referral_z::text, '-'), array_to_string(flags, ',')")
	       ", ' / ' ORDER BY organisation) FROM loket.report_consistency(" APRIL ")",
	       want);
	free(a.kz), free(a.cz);
}
END_TEST

START_TEST(signals)
{
	/* sectors counted by their trimmed lower-case spelling; kvk's two
	 * signals are the same two in every way of counting, cnv's one is held
	 * back (and comes first by its code when the two are held back too) */
	char want[512];
	ask_window("signals", "2026-03-01", "2026-03-31");
	const char *two = fig(2, S("organisation = 'kvk'"));
	char kinds[128];
	if (two[0] == '-')
		snprintf(kinds, sizeof kinds, "kind|latente_vraag|- / kind|ontbrekend_aanbod|-");
	else
		snprintf(kinds, sizeof kinds, "kind|ontbrekend_aanbod|%s / kind|latente_vraag|-", two);
	snprintf(want, sizeof want,
	         "%s / topic|evc|%s / topic|taal|- / sector|bouw|%s / sector|zorg|- / muni|enschede|%s / "
	         "muni|hengelo|-",
	         kinds, two, two, two);
	EXPECT("SELECT string_agg(" ROW("dim, value, coalesce(n::text, '-')") ", ' / ') "
	       "FROM loket.report_signals(" MARCH ")",
	       want);
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
	char want[64];
	ask_window("knowledge", "2026-03-01", "2026-03-31");
	snprintf(want, sizeof want, "%s|0|f", fig(4, I("ki.slug = 'evc-algemeen'")));
	EXPECT("SELECT " ROW("coalesce(given::text, '-'), given_late, past_review")
	       " FROM loket.report_knowledge(" MARCH ") WHERE slug = 'evc-algemeen'",
	       want);
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

START_TEST(summaries_follow_changes)
{
	dbtest_ok(sup, "SELECT loket.supervisor_ask('funnel', jsonb_build_array(current_date, "
	               "current_date))", 0, NULL);
	dbtest_ok(sup, "SELECT loket.supervisor_ask('volume', jsonb_build_array('topic', 'week', "
	               "current_date, current_date))", 0, NULL);
	dbtest_ok(sup, "SELECT loket.supervisor_ask('knowledge', jsonb_build_array(current_date, "
	               "current_date))", 0, NULL);
	const char *today = "SELECT coalesce(registered::text, '-') FROM loket.report_funnel("
	                    "current_date, current_date) WHERE organisation = 'kvk'";
	EXPECT(today, "");
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	for (int i = 0; i < 3; i++)
		dbtest_ok(kvk,
		          "INSERT INTO loket.question (id, channel, client_group, topic, text) "
		          "VALUES (gen_random_uuid(), 'balie', 'werkende', 'evc', 'Vandaag')",
		          0, NULL);
	const char *three = fig(3, Q("text = 'Vandaag'"));
	EXPECT(today, three);
	dbtest_ok(kvk, "UPDATE loket.question SET topic = 'taal' WHERE text = 'Vandaag'", 0, NULL);
	char want[64];
	snprintf(want, sizeof want, "taal|%s", three);
	EXPECT("SELECT string_agg(" ROW("value, coalesce(total::text, '-')") ", ' / ') "
	       "FROM loket.report_volume('topic', 'week', current_date, current_date) "
	       "WHERE value IS NOT NULL",
	       want);
	/* a referral of one of them: the funnel moves (2 still not referred) */
	dbtest_ok(kvk,
	          "INSERT INTO loket.referral (question_id, reason) "
	          "SELECT id, 'advies' FROM loket.question WHERE text = 'Vandaag' LIMIT 2",
	          0, NULL);
	EXPECT("SELECT coalesce(referred::text, '-') FROM loket.report_funnel(current_date, "
	       "current_date) WHERE organisation = 'kvk'",
	       fig(2, Q("text = 'Vandaag' AND EXISTS (SELECT 1 FROM loket.referral x "
	                "WHERE x.question_id = question.id)")));
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
	EXPECT("SELECT coalesce(informed::text, '-') FROM loket.report_funnel(current_date, "
	       "current_date) WHERE organisation = 'kvk'",
	       fig(2, Q("text = 'Vandaag' AND EXISTS (SELECT 1 FROM loket.offering_given x "
	                "WHERE x.question_id = question.id)")));
	snprintf(want, sizeof want, "Lassen|%s",
	         fig(2, "SELECT record_key FROM loket.offering_given"));
	EXPECT("SELECT string_agg(" ROW("name, coalesce(given::text, '-')") ", ' / ') "
	       "FROM loket.report_offerings(current_date, current_date)",
	       want);
	db_close(&kvk);
}
END_TEST

/* On a read-only connection (a hot standby, say) the reports still answer
 * what was logged on the primary, and count a question the summaries have
 * not seen (sql/034: the marked day's questions beside the summaries),
 * although nothing can refresh them there. */
START_TEST(read_only)
{
	const char *kvk_march = "SELECT coalesce(registered::text, '-') FROM loket.report_funnel("
	                        MARCH ") WHERE organisation = 'kvk'";
	ask_window("funnel", "2026-03-01", "2026-03-31");
	const char *seven = fig(7, Q(KVK));
	EXPECT(kvk_march, seven);
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, "
	          "topic, text, created_at) VALUES (gen_random_uuid(), 'kvk', 'kvk_demo', 'balie', "
	          "'werkende', 'evc', 'Later', '2026-03-03 12:00+01')",
	          0, NULL);
	dbtest_ok(sup, "SET default_transaction_read_only = on", 0, NULL);
	const char *eight = fig(8, Q(KVK " OR text = 'Later'"));
	EXPECT(kvk_march, eight);
	ck_assert_int_ge(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.stat_dirty WHERE day = '2026-03-03'",
	                             0, NULL),
	                 1);
	/* nothing can be logged there, so nothing new is answered */
	dbtest_fails(sup, "SELECT loket.supervisor_ask('pickup', '[\"2026-03-01\", \"2026-03-31\"]')",
	             0, NULL, "25006");
	dbtest_fails(sup, "SELECT * FROM loket.report_pickup(" MARCH ")", 0, NULL, "42501");
	dbtest_ok(sup, "SET default_transaction_read_only = off", 0, NULL);
	EXPECT(kvk_march, eight);
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
	char want[256];
	const char *inf = dbtest_cell(pg, 4, Q(INFORMED), 2);
	snprintf(want, sizeof want, "\"KvK, \"\"Oost\"\"\nbalie\",kvk,%s,%s,%s,%s,<2,0\r\n",
	         dbtest_cell(pg, 7, Q(KVK), 2), inf, inf, dbtest_cell(pg, 2, Q(PICKED), 2));
	ck_assert_msg(strstr(out, want) != NULL, "no %s in %s", want, out);
	snprintf(want, sizeof want, "CNV loopbaanadvies,cnv,%s,0,<2,0,0,<2\r\n",
	         dbtest_cell(pg, 2, Q(CNV), 2));
	ck_assert_msg(strstr(out, want) != NULL, "no %s in %s", want, out);
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
	const char *two = dbtest_cell(pg, 2, S("organisation = 'kvk'"), 2);
	ck_assert_msg(strncmp(out, two[0] == '<' ? "by,code,name,signals\r\nkind,latente_vraag,"
	                                         : "by,code,name,signals\r\nkind,ontbrekend_aanbod,",
	                      two[0] == '<' ? 41 : 45) == 0,
	              "%s", out);
	snprintf(want, sizeof want, "\r\nsector,bouw,bouw,%s\r\n", two);
	ck_assert_msg(strstr(out, want) && strstr(out, "\r\nmuni,hengelo,Hengelo,<2\r\n"), "%s", out);
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
	/* the figures as shown (see april() and volume above) */
	struct april a;
	april(&a);
	char cons[160], flags[64], kpct[48], cpct[48], vol[160], vpct[48], wpick[32];
	const char *n = a.kn[0] == '-' ? "<2" : a.kn;
	snprintf(cons, sizeof cons, "loopbaan,kvk,%s,%s,%s,", n, a.kr[0] == '-' ? "" : a.kr,
	         a.cr[0] == '-' ? "" : a.cr);
	snprintf(flags, sizeof flags, ",%s\r\n", flag(a.kr, a.cr, a.kz, "refers_more", "refers_less"));
	snprintf(kpct, sizeof kpct, "%ld,%ld%%", (tenk(a.kr) + 5) / 100, (tenk(a.kr) + 5) / 10 % 10);
	snprintf(cpct, sizeof cpct, "%ld,%ld%%", (tenk(a.cr) + 5) / 100, (tenk(a.cr) + 5) / 10 % 10);
	char w1[32], w2[32], total[32], tr[48];
	snprintf(w1, sizeof w1, "%s", dbtest_cell(pg, 6, Q(WEEK1), 2));
	snprintf(w2, sizeof w2, "%s", dbtest_cell(pg, 3, Q(WEEK2), 2));
	snprintf(total, sizeof total, "%s", dbtest_cell(pg, 9, Q(ALL_MARCH), 2));
	snprintf(tr, sizeof tr, "%s", trend(w1[0] == '<' ? "-" : w1, w2[0] == '<' ? "-" : w2));
	snprintf(vol, sizeof vol, ",,%s,%s,%s,%s\r\n", total, tr[0] == '-' && !tr[1] ? "" : tr, w1,
	         w2);
	long t3 = 0, neg = tr[0] == '-' && tr[1];
	if (tr[0] != '-' || tr[1]) {
		long i = 0, f = 0;
		sscanf(tr + neg, "%ld.%3ld", &i, &f);
		t3 = i * 1000 + f;
	}
	snprintf(vpct, sizeof vpct, "%s%ld%%", neg ? "-" : "+", (t3 + 5) / 10);
	bool times = dbtest_cell(pg, 2, R("q." PICKED), 2)[0] != '<';
	snprintf(wpick, sizeof wpick, ",20.0,28.0,");
	const struct {
		const char *words, *csv[3], *table[3];
	} cases[] = {
		/* April: kvk refers 18 of 20 loopbaan questions, the rest 2 of 20 */
		{"\\report consistency since:2026-04-01 until:2026-04-30",
		 {"topic,organisation,questions,referral_rate,rest_referral_rate,referral_z,info_rate,"
		  "rest_info_rate,info_z,item,item_rate,rest_item_rate,item_z,flags\r\n",
		  cons, flags},
		 {"01-04-2026 to 30-04-2026", a.kr[0] == '-' ? NULL : kpct, a.cr[0] == '-' ? NULL : cpct}},
		/* the region's trend: the second week against the first */
		{"\\report volume by org since:2026-03-02 until:2026-03-15",
		 {"name,code,total,trend,2026-03-02,2026-03-09\r\n", vol, NULL},
		 {"02-03-2026 to 15-03-2026", tr[0] == '-' && !tr[1] ? NULL : vpct, NULL}},
		/* picked up after 10 and 30 hours, when the 2 are shown */
		{"\\report pickup since:2026-03-01 until:2026-03-31",
		 {times ? wpick : NULL, NULL, NULL},
		 {times ? "20,0" : NULL, times ? "28,0" : NULL, NULL}},
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
	const char *p[] = {j, a.kr[0] == '-' ? NULL : a.kr};
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM jsonb_array_elements($1::jsonb "
	                                 "#> '{tables,0,rows}') r WHERE r->>'organisation' = 'kvk' "
	                                 "AND CASE WHEN $2::numeric IS NULL "
	                                 "THEN r->'referral_rate' = 'null' "
	                                 "ELSE (r->'referral_rate')::numeric = $2::numeric END "
	                                 "AND $1::jsonb->>'since' = '2026-04-01'",
	                             2, p),
	                 1);
	free(a.kz), free(a.cz);
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
