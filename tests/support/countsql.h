/* countsql.h: the statements the count tests compare (test_summary_count,
 * test_summary_now): a query language count as one string of its rows, as
 * query_count answers it and as counting the questions (026) answers it.
 * $1 is the query as loket sends it (query_to_json). */
#ifndef LOKET_TEST_COUNTSQL_H
#define LOKET_TEST_COUNTSQL_H

/* The rows of a count as one string, in the order they came. */
#define AS_TEXT(from)                                                                               \
	"SELECT count(*) || ':' || coalesce(string_agg(concat_ws('|', c.period, c.g1, c.g2, c.g3, "   \
	"c.g4, coalesce(c.count::text, '<k')), ';' ORDER BY c.o), '') FROM " from

/* Counting the questions, as 026 did: for a supervisor over Twente with its
 * threshold and cell key (run by the superuser), or under the caller's
 * policies. */
#define COUNT_BY_ROWS_REGION                                                                        \
	AS_TEXT("loket.query_build($1::jsonb, true, 'twente') b, "                                    \
	        "LATERAL loket.query_counted(b.o_sql, b.o_params, loket.region_threshold('twente'), "  \
	        "$1::jsonb->>'period' IS NOT NULL, true) WITH ORDINALITY c(period, g1, g2, g3, g4, "    \
	        "count, o)")
#define COUNT_BY_ROWS_OWN                                                                           \
	AS_TEXT("loket.query_build($1::jsonb, true, NULL) b, "                                        \
	        "LATERAL loket.query_counted(b.o_sql, b.o_params, 1, "                                 \
	        "$1::jsonb->>'period' IS NOT NULL, false) WITH ORDINALITY c(period, g1, g2, g3, g4, "   \
	        "count, o)")
/* What loket asks. */
#define COUNT_BY_QUERY                                                                              \
	AS_TEXT("loket.query_count($1::jsonb) WITH ORDINALITY c(period, g1, g2, g3, g4, count, o)")

#endif
