/* test_query.c: the supervisors' filter language — every construct, the
 * JSON it becomes for PostgreSQL to compile (sql/015), and the column of each
 * error. */
#include "config.h"

#include "model/query_run.h"
#include "query/lang.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *sql;  /* the statement that runs it */
static char *spec; /* the JSON PostgreSQL compiles (sql/015) */
static struct query q;

static void
compile(const char *text)
{
	struct query_error err;
	free(sql);
	free(spec);
	query_free(&q);
	ck_assert_msg(query_parse(text, &q, &err), "'%s': column %d: %s", text, err.column,
	              err.message);
	spec = query_to_json(&q, q.count);
	sql = query_statement(&q, q.count);
}

static void
teardown(void)
{
	free(sql);
	free(spec);
	sql = spec = NULL;
	query_free(&q);
}

#define HAS(s) ck_assert_msg(strstr(sql, s) != NULL, "'%s' not in: %s", s, sql)
#define SPEC(s) ck_assert_msg(strstr(spec, s) != NULL, "'%s' not in: %s", s, spec)
#define SPECNT(s) ck_assert_msg(strstr(spec, s) == NULL, "'%s' in: %s", s, spec)

START_TEST(fields_and_or)
{
	compile("topic:financiering org:kvk,cnv");
	ck_assert_str_eq(spec, "{\"terms\": [{\"field\": \"topic\", \"negated\": false, \"values\": "
	                       "[\"financiering\"]}, {\"field\": \"org\", \"negated\": false, "
	                       "\"values\": [\"kvk\", \"cnv\"]}], \"count\": false, \"group\": []}");
	ck_assert_str_eq(sql, "SELECT * FROM loket.query_rows($1::jsonb)");
	compile("group:werkende channel:balie status:referred muni:enschede referral:completed "
	        "outcome:geen_contact");
	SPEC("{\"field\": \"group\", \"negated\": false, \"values\": [\"werkende\"]}");
	SPEC("{\"field\": \"channel\", \"negated\": false, \"values\": [\"balie\"]}");
	SPEC("{\"field\": \"status\", \"negated\": false, \"values\": [\"referred\"]}");
	SPEC("{\"field\": \"muni\", \"negated\": false, \"values\": [\"enschede\"]}");
	SPEC("{\"field\": \"referral\", \"negated\": false, \"values\": [\"completed\"]}");
	SPEC("{\"field\": \"outcome\", \"negated\": false, \"values\": [\"geen_contact\"]}");
}
END_TEST

START_TEST(negation_dates_and_text)
{
	compile("-topic:taal since:2026-01-01 until:2026-06-30 \"avond opleiding\" -\"zorg\"");
	SPEC("{\"field\": \"topic\", \"negated\": true, \"values\": [\"taal\"]}");
	SPEC("{\"field\": \"since\", \"negated\": false, \"values\": [\"2026-01-01\"]}");
	SPEC("{\"field\": \"until\", \"negated\": false, \"values\": [\"2026-06-30\"]}");
	SPEC("{\"field\": \"text\", \"negated\": false, \"values\": [\"avond opleiding\"]}");
	SPEC("{\"field\": \"text\", \"negated\": true, \"values\": [\"zorg\"]}");
}
END_TEST

START_TEST(counting)
{
	compile("count");
	SPEC("\"count\": true, \"group\": []}");
	ck_assert_str_eq(sql, "SELECT count FROM loket.query_count($1::jsonb)");
	compile("topic:evc count by org,topic");
	SPEC("\"count\": true, \"group\": [\"org\", \"topic\"]}");
	HAS("SELECT g1 AS \"org\", g2 AS \"topic\", count FROM loket.query_count($1::jsonb)");
	compile("count by month");
	SPEC("\"period\": \"month\"");
	HAS("to_char(period, 'YYYY-MM-DD') AS month, count");
	compile("count by org by week top 10");
	SPEC("\"group\": [\"org\"], \"period\": \"week\", \"top\": 10}");
	HAS("AS week, g1 AS \"org\", count");
	compile("top 5");
	SPEC("\"count\": false, \"group\": [], \"top\": 5}");
}
END_TEST

static void fails_at(const char *text, int column, const char *expect);

/* Whatever is typed reaches the SQL only as a parameter, or is refused. */
START_TEST(injection_stays_a_parameter)
{
	compile("\"'; DELETE FROM loket.question; --\" org:kvk");
	ck_assert_msg(strstr(sql, "DELETE") == NULL, "%s", sql);
	SPEC("\"values\": [\"'; DELETE FROM loket.question; --\"]");
	/* quotes, backslashes and control characters stay inside the JSON string */
	compile("\"a\\b\"");
	SPEC("\"values\": [\"a\\\\b\"]");
	compile("\"x\ty\"");
	SPEC("\"values\": [\"x\\u0009y\"]");
	SPECNT("\t");
	compile("topic:a-b_c");
	SPEC("\"values\": [\"a-b_c\"]");
	fails_at("topic:x');DROP", 8, "expected a space, a comma");
	fails_at("org:kvk)OR(1=1", 8, "expected a space, a comma");
	fails_at("count by org;DROP", 13, "expected");
}
END_TEST

static void
fails_at(const char *text, int column, const char *expect)
{
	struct query qq;
	struct query_error err;
	ck_assert_msg(!query_parse(text, &qq, &err), "'%s' parsed", text);
	ck_assert_msg(err.column == column, "'%s': column %d, not %d (%s)", text, err.column,
	              column, err.message);
	ck_assert_msg(strstr(err.message, expect) != NULL, "'%s': message '%s' lacks '%s'", text,
	              err.message, expect);
	query_free(&qq);
}

START_TEST(errors_point_at_their_column)
{
	fails_at("topic:", 7, "expected a value after 'topic:'");
	fails_at("onderwerp:evc", 1, "unknown field 'onderwerp'");
	fails_at("topic:evc kaas", 11, "expected field:value");
	fails_at("since:2026-13-01", 7, "expected a date");
	fails_at("since:gisteren", 7, "expected a date");
	fails_at("\"open", 1, "closing quote");
	fails_at("count by kleur", 10, "expected week, month or a field");
	fails_at("top nul", 5, "expected a number");
	fails_at("top 0", 5, "expected a number");
	fails_at("count count", 7, "only one 'count'");
	fails_at("topic:evc;", 10, "expected a space, a comma");
	/* columns count characters, not bytes */
	fails_at("\"één\" kaas", 7, "expected field:value");
	fails_at("topic:a,", 9, "expected a value");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("language");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, fields_and_or);
	tcase_add_test(tc, negation_dates_and_text);
	tcase_add_test(tc, counting);
	tcase_add_test(tc, injection_stays_a_parameter);
	tcase_add_test(tc, errors_point_at_their_column);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
