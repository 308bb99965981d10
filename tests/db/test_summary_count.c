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

#include "countsql.h"
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
    /* status (sql/031): alone, and with each other dimension */
    "{\"terms\": [{\"field\": \"status\", \"values\": [\"open\"]}], \"count\": true, "
    "\"group\": [\"org\"]}",
    "{\"terms\": [{\"field\": \"status\", \"values\": [\"open\"]}], \"count\": true, "
    "\"group\": [\"topic\"]}",
    "{\"terms\": [], \"count\": true, \"group\": [\"status\"], \"period\": \"month\"}",
    "{\"terms\": [{\"field\": \"status\", \"negated\": true, \"values\": [\"closed\", "
    "\"informed\"]}], \"count\": true, \"group\": [\"muni\", \"status\"]}",
    "{\"terms\": [{\"field\": \"group\", \"values\": [\"werkende\"]}], \"count\": true, "
    "\"group\": [\"status\", \"group\"]}",
    "{\"terms\": [{\"field\": \"channel\", \"values\": [\"balie\"]}, {\"field\": "
    "\"status\", \"values\": [\"referred\"]}], \"count\": true, \"group\": []}",
    /* any two dimensions but org x topic (sql/031's pairs) */
    "{\"terms\": [{\"field\": \"org\", \"values\": [\"kvk\", \"cnv\"]}, {\"field\": "
    "\"group\", \"values\": [\"werkende\"]}], \"count\": true, \"group\": [], "
    "\"period\": \"week\"}",
    "{\"terms\": [{\"field\": \"muni\", \"negated\": true, \"values\": [\"enschede\"]}], "
    "\"count\": true, \"group\": [\"topic\", \"muni\"]}",
    "{\"terms\": [{\"field\": \"since\", \"values\": [\"2026-02-01\"]}], \"count\": true, "
    "\"group\": [\"channel\", \"org\"], \"period\": \"month\"}",
    "{\"terms\": [{\"field\": \"group\", \"values\": [\"werkgever\", \"zzp\"]}], "
    "\"count\": true, \"group\": [\"channel\"]}",
    "{\"terms\": [], \"count\": true, \"group\": [\"muni\", \"channel\"], \"top\": 9}",
};
#define NSPECS (int)(sizeof specs / sizeof specs[0])
/* not in the summaries (three dimensions): counted from the questions */
static const char *const rows_spec =
    "{\"terms\": [{\"field\": \"status\", \"values\": [\"open\"]}, {\"field\": "
    "\"group\", \"values\": [\"werkende\"]}], \"count\": true, \"group\": [\"org\"]}";

static const char *const by_rows_region = COUNT_BY_ROWS_REGION;
static const char *const by_rows_own = COUNT_BY_ROWS_OWN;
static const char *const by_count = COUNT_BY_QUERY;

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

/* Statuses change on old questions, as an advisor refers them (the
 * referral moves them to referred) and as the server closes them: the next
 * count of every role shows it, from the summaries (sql/031). */
START_TEST(status_changes_counted)
{
	static const char *const roles[] = {"supervisor_demo", "kvk_demo", "cnv_demo", "lwl_demo"};
	static const int with_status[] = {9, 10, 11, 12, 13, 14};
	struct db *db[4];
	for (int r = 0; r < 4; r++)
		db[r] = dbtest_connect(dbname, roles[r]);
	static const char *const kvk_open =
	    "SELECT coalesce(sum(count), 0) FROM loket.query_count($1::jsonb) WHERE g1 = 'kvk'";
	long before = 0;
	for (int round = 0; round < 2; round++) {
		if (round == 1) {
			before = dbtest_long(db[1], kvk_open, 1, &specs[with_status[0]]);
			/* old open questions of kvk: five referred by kvk_demo to
			 * lwl, seven closed, and three of cnv closed */
			dbtest_ok(db[1],
			          "INSERT INTO loket.referral (id, question_id, to_org, reason, "
			          "consent_contact) SELECT gen_random_uuid(), id, 'lwl', 'advies', true "
			          "FROM loket.question WHERE organisation = 'kvk' AND status = 'open' "
			          "AND created_at < now() - interval '100 days' ORDER BY created_at LIMIT 5",
			          0, NULL);
			dbtest_ok(pg,
			          "UPDATE loket.question SET status = 'closed' WHERE id IN (SELECT id "
			          "FROM loket.question WHERE organisation IN ('kvk', 'cnv') AND status = "
			          "'open' AND created_at < now() - interval '100 days' ORDER BY created_at "
			          "LIMIT 10)",
			          0, NULL);
		}
		for (int r = 0; r < 4; r++) {
			for (size_t i = 0; i < sizeof with_status / sizeof with_status[0]; i++) {
				const char *spec = specs[with_status[i]];
				ck_assert_ptr_nonnull(strstr(spec, "status"));
				answered_by_summaries(spec, true);
				if (r == 0)
					dbtest_ask(db[0], "query", spec);
				char *got = text_of(db[r], by_count, spec);
				char *want = text_of(r == 0 ? pg : db[r], r == 0 ? by_rows_region : by_rows_own,
				                     spec);
				ck_assert_msg(strcmp(got, want) == 0, "round %d %s %s:\n got %.300s\nwant %.300s",
				              round, roles[r], spec, got, want);
				free(got);
				free(want);
			}
		}
	}
	/* kvk's open questions: 5 referred, some closed, gone from the count */
	ck_assert_int_le(dbtest_long(db[1], kvk_open, 1, &specs[with_status[0]]), before - 5);
	for (int r = 0; r < 4; r++)
		db_close(&db[r]);
}
END_TEST

/* An advisor's list of rows with a text word (query_rows: the ids a page
 * at a time from question_search) is the plain SELECT under the caller's
 * policies, newest first: rare, common, missing words, with other terms,
 * a negated word, and more rows than one page. */
START_TEST(text_rows_same_as_rows)
{
	static const char *const roles[] = {"kvk_demo", "cnv_demo", "lwl_demo"};
	static const struct {
		const char *word, *neg, *topic;
		int top;
	} cases[] = {
	    {"glasblazen", NULL, NULL, 100},  {"opleiding", NULL, NULL, 100},
	    {"fietsenmaker", NULL, NULL, 100}, {"kinderopvang", NULL, NULL, 100},
	    {"werk", "naar", NULL, 100},       {"opleiding", NULL, "evc", 50},
	    {"werk", NULL, "taal", 1000},      {"opleiding", NULL, NULL, 2000},
	};
	dbtest_ok(pg,
	          "UPDATE loket.question SET text = text || ' Glasblazen.' WHERE id IN "
	          "(SELECT id FROM loket.question ORDER BY number LIMIT 40 OFFSET 200)",
	          0, NULL);
	for (int r = 0; r < 3; r++) {
		struct db *db = dbtest_connect(dbname, roles[r]);
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char terms[256], full[400], top[16];
			size_t n = (size_t)snprintf(terms, sizeof terms,
			                            "{\"field\": \"text\", \"values\": [\"%s\"]}",
			                            cases[i].word);
			if (cases[i].neg)
				n += (size_t)snprintf(terms + n, sizeof terms - n,
				                      ", {\"field\": \"text\", \"negated\": true, "
				                      "\"values\": [\"%s\"]}",
				                      cases[i].neg);
			if (cases[i].topic)
				snprintf(terms + n, sizeof terms - n,
				         ", {\"field\": \"topic\", \"values\": [\"%s\"]}", cases[i].topic);
			snprintf(top, sizeof top, "%d", cases[i].top);
			snprintf(full, sizeof full, "{\"terms\": [%s], \"count\": false, \"top\": %s}",
			         terms, top);
			const char *w[] = {cases[i].word, cases[i].neg ? cases[i].neg : "",
			                   cases[i].topic, top};
			char *got = text_of(db,
			                    "SELECT count(*) || ':' || coalesce(string_agg(r.number::text, "
			                    "',' ORDER BY o), '') FROM loket.query_rows($1::jsonb) "
			                    "WITH ORDINALITY r(number, a, b, c, d, e, f, g, h, i, o)",
			                    full);
			const char *plain =
			    "SELECT count(*) || ':' || coalesce(string_agg(number::text, ',' ORDER BY "
			    "created_at DESC, id DESC), '') FROM (SELECT number, created_at, id FROM "
			    "loket.question WHERE to_tsvector('dutch', text) @@ "
			    "websearch_to_tsquery('dutch', $1) AND ($2 = '' OR NOT to_tsvector('dutch', "
			    "text) @@ websearch_to_tsquery('dutch', $2)) AND ($3::text IS NULL OR topic = "
			    "$3) ORDER BY created_at DESC, id DESC LIMIT $4::integer) x";
			char *want = NULL;
			struct db_error err = {0};
			ck_assert_msg(db_query_value(db, plain, 4, w, DB_T_TEXT_OR_NULL, &want, NULL, &err),
			              "%s", err.message);
			ck_assert_msg(strcmp(got, want) == 0, "%s %s:\n got %.200s\nwant %.200s", roles[r],
			              full, got, want);
			free(got);
			free(want);
		}
		db_close(&db);
	}
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
	dbtest_fails(sup, "SELECT count(*) FROM loket.stat_pair", 0, NULL, "42501");
	dbtest_fails(sup, "SELECT count(*) FROM loket.stat_reader_pair", 0, NULL, "42501");
	dbtest_fails(sup, "SELECT * FROM loket.query_count_reader('{\"terms\": [], \"count\": true}')",
	             0, NULL, "42501");
	dbtest_fails(sup, "SELECT * FROM loket.query_text_ids('opleiding')", 0, NULL, "42501");
	db_close(&sup);
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk, "SELECT count(*) FROM loket.stat_reader_volume", 0, NULL, "42501");
	dbtest_fails(kvk, "SELECT count(*) FROM loket.stat_reader_pair", 0, NULL, "42501");
	dbtest_fails(kvk, "SELECT count(*) FROM loket.stat_pair", 0, NULL, "42501");
	dbtest_fails(kvk, "SELECT loket.stat_refresh_pairs('twente', ARRAY[current_date])", 0, NULL,
	             "42501");
	/* status:open by org as kvk (from stat_reader_pair) counts only what
	 * kvk reads: none of lwl's or fnv's */
	const char *st = "{\"terms\": [{\"field\": \"status\", \"values\": [\"open\"]}, "
	                 "{\"field\": \"org\", \"values\": [\"lwl\", \"fnv\"]}], \"count\": true, "
	                 "\"group\": [\"org\"]}";
	char *none = text_of(kvk, by_count, st);
	ck_assert_str_eq(none, "0:");
	free(none);
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
	tcase_add_test(tc, status_changes_counted);
	tcase_add_test(tc, text_rows_same_as_rows);
	tcase_add_test(tc, text_words_same_as_rows);
	tcase_add_test(tc, summaries_stay_closed);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
