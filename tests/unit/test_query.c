/* test_query.c: the supervisors' filter language — every construct, the SQL
 * it compiles to (values only ever as parameters), and the column of each
 * error. */
#include "config.h"

#include "query/lang.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *sql;
static const char *params[64];
static int np;
static struct query q;

static void
compile(const char *text)
{
	struct query_error err;
	free(sql);
	sql = NULL;
	query_free(&q);
	ck_assert_msg(query_parse(text, &q, &err), "'%s': column %d: %s", text, err.column,
	              err.message);
	np = query_compile(&q, &sql, params, 64);
}

static void
teardown(void)
{
	free(sql);
	sql = NULL;
	query_free(&q);
}

#define HAS(s) ck_assert_msg(strstr(sql, s) != NULL, "'%s' not in: %s", s, sql)
#define HASNT(s) ck_assert_msg(strstr(sql, s) == NULL, "'%s' in: %s", s, sql)

START_TEST(fields_and_or)
{
	compile("topic:financiering org:kvk,cnv");
	HAS("(q.topic IN ($1)) AND (q.organisation IN ($2, $3))");
	ck_assert_int_eq(np, 3);
	ck_assert_str_eq(params[0], "financiering");
	ck_assert_str_eq(params[1], "kvk");
	ck_assert_str_eq(params[2], "cnv");
	compile("group:werkende channel:balie status:referred muni:enschede referral:completed "
	        "outcome:geen_contact");
	HAS("q.client_group IN ($1)");
	HAS("q.channel IN ($2)");
	HAS("q.status IN ($3)");
	HAS("p.municipality IN ($4)");
	HAS("lr.status IN ($5)");
	HAS("lr.outcome IN ($6)");
	HAS("ORDER BY q.created_at DESC, q.id DESC LIMIT 100");
}
END_TEST

START_TEST(negation_dates_and_text)
{
	compile("-topic:taal since:2026-01-01 until:2026-06-30 \"avond opleiding\" -\"zorg\"");
	HAS("NOT coalesce(q.topic IN ($1), false)");
	HAS("q.created_at >= $2::date");
	HAS("q.created_at < $3::date + 1");
	HAS("websearch_to_tsquery('dutch', $4)");
	HAS("NOT coalesce(to_tsvector('dutch', q.text) @@ websearch_to_tsquery('dutch', $5), false)");
	ck_assert_str_eq(params[3], "avond opleiding");
	ck_assert_str_eq(params[4], "zorg");
}
END_TEST

START_TEST(counting)
{
	compile("count");
	HAS("SELECT count(*) AS count FROM");
	HASNT("GROUP BY");
	compile("topic:evc count by org,topic");
	HAS("SELECT q.organisation AS \"org\", q.topic AS \"topic\", count(*) AS count");
	HAS("GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2");
	compile("count by month");
	HAS("date_trunc('month', q.created_at)");
	HAS("GROUP BY 1 ORDER BY 1");
	compile("count by org by week top 10");
	HAS("date_trunc('week', q.created_at)");
	HAS("GROUP BY 1, 2 ORDER BY 1, 1, 2 LIMIT 10");
	compile("top 5");
	HAS("LIMIT 5");
}
END_TEST

static void fails_at(const char *text, int column, const char *expect);

/* Whatever is typed reaches the SQL only as a parameter, or is refused. */
START_TEST(injection_stays_a_parameter)
{
	compile("\"'; DELETE FROM loket.question; --\" org:kvk");
	HASNT("DELETE");
	ck_assert_str_eq(params[0], "'; DELETE FROM loket.question; --");
	compile("topic:a-b_c");
	ck_assert_str_eq(params[0], "a-b_c");
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
