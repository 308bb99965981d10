/* test_summary_count.c: the query language's counts that sql/030 answers
 * from the summary tables give exactly what counting the questions gives.
 *
 * On 3,000 seeded questions, and after changes the summaries have not yet
 * seen (a question without a postcode, referrals of kvk's questions to cnv,
 * a withdrawn referral), several filter combinations are counted:
 *   - as supervisor_demo (logging in for real): loket.query_count, against
 *     the statement that counts the questions (query_build and
 *     query_counted, 026), run by the superuser with the same threshold and
 *     cell key: the same groups, the same perturbed figures, "<5" alike;
 *   - as kvk_demo, cnv_demo and lwl_demo: loket.query_count, against the
 *     same statement run as the advisor, under the question policies.
 * The combinations are checked to be answered by the summaries
 * (query_summary is not NULL), and a query they cannot answer (status) to
 * still count the questions.  Counts with text words (question_fts, and
 * for advisors query_text_ids) equal counting the rows whose text matches,
 * plainly, as each role. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg;

/* The combinations, as loket sends them (query_to_json). */
static const char *const specs[] = {
    "{\"terms\": [{\"field\": \"topic\", \"values\": [\"financiering\"]}], \"count\": true, "
    "\"group\": [\"org\"]}",
    "{\"terms\": [], \"count\": true, \"group\": [\"org\"]}",
    "{\"terms\": [], \"count\": true, \"group\": []}",
    "{\"terms\": [{\"field\": \"org\", \"values\": [\"kvk\", \"cnv\"]}, {\"field\": \"topic\", "
    "\"negated\": true, \"values\": [\"evc\"]}], \"count\": true, \"group\": [\"topic\"], "
    "\"period\": \"month\"}",
    "{\"terms\": [{\"field\": \"group\", \"values\": [\"werkende\"]}], \"count\": true, "
    "\"group\": [], \"period\": \"month\"}",
    "{\"terms\": [], \"count\": true, \"group\": [\"muni\"]}",
    "{\"terms\": [{\"field\": \"muni\", \"negated\": true, \"values\": [\"0153\"]}], "
    "\"count\": true, \"group\": [\"muni\"]}",
    "{\"terms\": [{\"field\": \"channel\", \"values\": [\"balie\", \"telefoon\"]}, "
    "{\"field\": \"since\", \"values\": [\"2026-01-01\"]}, {\"field\": \"until\", "
    "\"values\": [\"2026-06-30\"]}], \"count\": true, \"group\": [\"channel\"], "
    "\"period\": \"week\"}",
    "{\"terms\": [{\"field\": \"topic\", \"values\": [\"evc\", \"taal\"]}, {\"field\": "
    "\"since\", \"values\": [\"2025-11-01\"]}], \"count\": true, \"group\": [\"org\", "
    "\"topic\"], \"top\": 7}",
};
#define NSPECS (int)(sizeof specs / sizeof specs[0])
/* not in the summaries: counted from the questions */
static const char *const rows_spec =
    "{\"terms\": [{\"field\": \"status\", \"values\": [\"open\"]}], \"count\": true, "
    "\"group\": [\"org\"]}";

/* The rows of a count as one string, in the order they came. */
#define AS_TEXT(from)                                                                               \
	"SELECT count(*) || ':' || coalesce(string_agg(concat_ws('|', c.period, c.g1, c.g2, c.g3, "   \
	"c.g4, coalesce(c.count::text, '<k')), ';' ORDER BY c.o), '') FROM " from

/* Counting the questions, as 026 did: for a supervisor over the region
 * with its threshold and cell key, else under the caller's policies. */
static const char *const by_rows_region =
    AS_TEXT("loket.query_build($1::jsonb, true, 'twente') b, "
            "LATERAL loket.query_counted(b.o_sql, b.o_params, loket.region_threshold('twente'), "
            "$1::jsonb->>'period' IS NOT NULL, true) WITH ORDINALITY c(period, g1, g2, g3, g4, "
            "count, o)");
static const char *const by_rows_own =
    AS_TEXT("loket.query_build($1::jsonb, true, NULL) b, "
            "LATERAL loket.query_counted(b.o_sql, b.o_params, 1, "
            "$1::jsonb->>'period' IS NOT NULL, false) WITH ORDINALITY c(period, g1, g2, g3, g4, "
            "count, o)");
static const char *const by_count =
    AS_TEXT("loket.query_count($1::jsonb) WITH ORDINALITY c(period, g1, g2, g3, g4, count, o)");

static char *
text_of(struct db *db, const char *sql, const char *spec)
{
	const char *p[] = {spec};
	char *v = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query_value(db, sql, 1, p, DB_T_TEXT_OR_NULL, &v, NULL, &err), "%s: %s",
	              spec, err.message);
	ck_assert_ptr_nonnull(v);
	return v;
}

static void
setup(void)
{
	dbname = dbtest_create("summary_count", true);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "postgres"), NULL, &out, &err, "db",
	                              "seed", "--cases", "3000", NULL),
	                 0);
	free(out);
	free(err);
	pg = dbtest_connect(dbname, "postgres");
	/* changes the summaries have not seen yet: a question without a
	 * postcode (no municipality), kvk's questions referred to cnv (cnv
	 * reads them), and one of them withdrawn again (it does not) */
	dbtest_ok(pg,
	          "INSERT INTO loket.question (id, organisation, advisor, channel, client_group, topic, "
	          "text, created_at) VALUES (gen_random_uuid(), 'kvk', 'kvk_demo', 'balie', 'werkende', 'evc', "
	          "'Zonder postcode', now() - interval '40 days')",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.referral (question_id, region, from_org, to_org, reason, "
	          "created_by) SELECT id, 'twente', 'kvk', 'cnv', 'advies', 'kvk_demo' "
	          "FROM loket.question WHERE organisation = 'kvk' ORDER BY created_at DESC LIMIT 9",
	          0, NULL);
	dbtest_ok(pg,
	          "UPDATE loket.referral SET status = 'withdrawn', updated_by = 'kvk_demo' "
	          "WHERE id = (SELECT id FROM loket.referral WHERE to_org = 'cnv' "
	          "ORDER BY created_at LIMIT 1)",
	          0, NULL);
}

static void
teardown(void)
{
	db_close(&pg);
	dbtest_drop(dbname);
}

static void
answered_by_summaries(const char *spec, bool yes)
{
	const char *p[] = {spec};
	long n = dbtest_long(pg,
	                     "SELECT (loket.query_summary($1::jsonb, false) IS NOT NULL)::int "
	                     "+ (loket.query_summary($1::jsonb, true) IS NOT NULL)::int",
	                     1, p);
	ck_assert_msg(n == (yes ? 2 : 0), "%s: answered by the summaries: %ld of 2", spec, n);
}

START_TEST(supervisor_same_as_rows)
{
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	for (int i = 0; i <= NSPECS; i++) {
		const char *spec = i < NSPECS ? specs[i] : rows_spec;
		answered_by_summaries(spec, i < NSPECS);
		dbtest_ask(sup, "query", spec);
		char *got = text_of(sup, by_count, spec);
		char *want = text_of(pg, by_rows_region, spec);
		ck_assert_msg(strcmp(got, want) == 0, "%s:\n got %.300s\nwant %.300s", spec, got,
		              want);
		ck_assert_msg(strncmp(got, "0:", 2) != 0, "%s: no rows", spec);
		free(got);
		free(want);
	}
	db_close(&sup);
}
END_TEST

START_TEST(advisors_same_as_rows)
{
	static const char *const roles[] = {"kvk_demo", "cnv_demo", "lwl_demo"};
	for (int r = 0; r < 3; r++) {
		struct db *db = dbtest_connect(dbname, roles[r]);
		for (int i = 0; i <= NSPECS; i++) {
			const char *spec = i < NSPECS ? specs[i] : rows_spec;
			char *got = text_of(db, by_count, spec);
			char *want = text_of(db, by_rows_own, spec);
			ck_assert_msg(strcmp(got, want) == 0, "%s %s:\n got %.300s\nwant %.300s",
			              roles[r], spec, got, want);
			free(got);
			free(want);
		}
		/* and through the summaries, not the rows */
		ck_assert_int_eq(dbtest_long(db, "SELECT loket.query_by_reader()::int", 0, NULL), 1);
		db_close(&db);
	}
	/* a question changed after that is counted at once */
	dbtest_ok(pg,
	          "UPDATE loket.referral SET status = 'withdrawn', updated_by = 'kvk_demo' "
	          "WHERE to_org = 'cnv' AND status = 'sent'",
	          0, NULL);
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	for (int i = 0; i < NSPECS; i++) {
		char *got = text_of(cnv, by_count, specs[i]);
		char *want = text_of(cnv, by_rows_own, specs[i]);
		ck_assert_str_eq(got, want);
		free(got);
		free(want);
	}
	db_close(&cnv);
}
END_TEST

/* A text word's count: as the advisors, the plain count of the rows they
 * read whose text matches; as the supervisor, the superuser's over the
 * region, shown as the cell key shows it. */
START_TEST(text_words_same_as_rows)
{
	static const char *const words[] = {"opleiding", "glasblazen", "fietsenmaker",
	                                    "werk -naar or glasblazen", "-opleiding"};
	static const char *const roles[] = {"kvk_demo", "cnv_demo", "lwl_demo", "supervisor_demo"};
	dbtest_ok(pg,
	          "UPDATE loket.question SET text = text || ' Glasblazen.' WHERE id IN "
	          "(SELECT id FROM loket.question ORDER BY number LIMIT 40 OFFSET 100)",
	          0, NULL);
	for (int r = 0; r < 4; r++) {
		bool sup = r == 3;
		struct db *db = dbtest_connect(dbname, roles[r]);
		for (int i = 0; i < 5; i++) {
			bool neg = words[i][0] == '-';
			char spec[256], want[64];
			snprintf(spec, sizeof spec,
			         "{\"terms\": [{\"field\": \"text\", \"negated\": %s, \"values\": "
			         "[\"%s\"]}], \"count\": true, \"group\": []}",
			         neg ? "true" : "false", words[i] + neg);
			const char *p[] = {words[i] + neg, neg ? "t" : "f"};
			static const char *const plain =
			    "SELECT count(*) FROM loket.question WHERE (to_tsvector('dutch', text) "
			    "@@ websearch_to_tsquery('dutch', $1)) <> $2::boolean";
			long n = dbtest_long(sup ? pg : db, plain, 2, p);
			if (sup) {
				dbtest_ask(db, "query", spec);
				long k = dbtest_long(pg,
				                     "SELECT coalesce(sum(record_key), 0) FROM loket.question "
				                     "WHERE (to_tsvector('dutch', text) @@ "
				                     "websearch_to_tsquery('dutch', $1)) <> $2::boolean",
				                     2, p);
				char buf[32];
				const char *shown = dbtest_shown(n, k, 5, buf, sizeof buf);
				snprintf(want, sizeof want, "%s%s", n == 0 ? "0:" : "1:",
				         n == 0 ? "" : shown[0] == '<' ? "<k" : shown);
			} else {
				snprintf(want, sizeof want, "%s%ld", n == 0 ? "0:" : "1:", n);
				if (n == 0)
					want[2] = '\0';
			}
			if (!sup && !neg) {
				/* the definer function gives exactly the rows the
				 * policies give the caller */
				const char *w[] = {words[i]};
				ck_assert_int_eq(dbtest_long(db,
				                             "SELECT count(*) FROM loket.query_text_ids($1) x "
				                             "LEFT JOIN loket.question q ON q.id = x "
				                             "WHERE q.id IS NULL",
				                             1, w),
				                 0);
				ck_assert_int_eq(
				    dbtest_long(db, "SELECT count(*) FROM loket.query_text_ids($1)", 1, w), n);
			}
			char *got = text_of(db, by_count, spec);
			ck_assert_msg(strcmp(got, want) == 0, "%s %s: got %s, want %s", roles[r], spec,
			              got, want);
			free(got);
		}
		db_close(&db);
	}
}
END_TEST

/* The supervisors still read none of the summaries, and an advisor cannot
 * ask for another organisation's figures. */
START_TEST(summaries_stay_closed)
{
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	dbtest_fails(sup, "SELECT count(*) FROM loket.stat_reader_cohort", 0, NULL, "42501");
	dbtest_fails(sup, "SELECT * FROM loket.query_count_reader('{\"terms\": [], \"count\": true}')",
	             0, NULL, "42501");
	dbtest_fails(sup, "SELECT * FROM loket.query_text_ids('opleiding')", 0, NULL, "42501");
	db_close(&sup);
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk, "SELECT count(*) FROM loket.stat_reader_volume", 0, NULL, "42501");
	dbtest_fails(kvk, "SELECT loket.stat_refresh('twente')", 0, NULL, "42501");
	/* org:lwl as kvk counts only what kvk reads: none of lwl's */
	const char *spec = "{\"terms\": [{\"field\": \"org\", \"values\": [\"lwl\", \"cnv\"]}], "
	                   "\"count\": true, \"group\": [\"org\"]}";
	char *got = text_of(kvk, by_count, spec);
	ck_assert_str_eq(got, "0:");
	free(got);
	db_close(&kvk);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("summary_count");
	TCase *tc = tcase_create("summary_count");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, supervisor_same_as_rows);
	tcase_add_test(tc, advisors_same_as_rows);
	tcase_add_test(tc, text_words_same_as_rows);
	tcase_add_test(tc, summaries_stay_closed);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
