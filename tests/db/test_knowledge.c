/* test_knowledge.c: first-line suggestions (knowledge_suggest) on the seeded
 * Twente knowledge base: Dutch stemming, compounds written apart or together,
 * typos, the question's topic first, title above body, items past review
 * marked, retired items gone, the current version given, and the region's
 * items only. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *kvk;

static void
setup(void)
{
	dbname = dbtest_create("knowledge", true);
	kvk = dbtest_connect(dbname, "kvk_demo");
}

static void
teardown(void)
{
	db_close(&kvk);
	dbtest_drop(dbname);
}

/* The rank (1 = first) of the item titled `title` among the first 8
 * suggestions for topic/text, or 0 when it is not among them. */
static long
rank_of(const char *topic, const char *text, const char *title)
{
	const char *p[] = {topic, text, title};
	return dbtest_long(kvk,
	                   "SELECT coalesce((SELECT n FROM loket.knowledge_suggest($1, $2, 8) "
	                   "WITH ORDINALITY AS s(i, v, vn, title, t, b, l, r, p, sc, n) "
	                   "WHERE title = $3), 0)",
	                   3, p);
}

#define ASSERT_FIRST(topic, text, title)                                                  \
	ck_assert_msg(rank_of(topic, text, title) == 1, "'%s' for '%s' is at %ld, not first", \
	              title, text, rank_of(topic, text, title))

START_TEST(compounds_together_and_apart)
{
	/* "STAP-budget" asked as one word; "Levenlanglerenkrediet" asked in three */
	ASSERT_FIRST(NULL, "stapbudget", "STAP-budget bestaat niet meer");
	ASSERT_FIRST(NULL, "Heeft de klant nog recht op een stapbudget?",
	             "STAP-budget bestaat niet meer");
	ASSERT_FIRST(NULL, "levenlang leren krediet", "Levenlanglerenkrediet van DUO");
}
END_TEST

START_TEST(stemming_and_typos)
{
	/* diploma's → diploma, erkennen ↔ erkenning */
	ASSERT_FIRST(NULL, "Kan mijn buitenlandse diploma's erkend worden?",
	             "Buitenlands diploma laten waarderen");
	/* a letter missing, a letter swapped */
	ASSERT_FIRST(NULL, "buitenlnds diploma", "Buitenlands diploma laten waarderen");
	ASSERT_FIRST(NULL, "loopbaangesrpek", "Een loopbaangesprek");
	ASSERT_FIRST(NULL, "scholing met een ww-uitkering", "Scholing als u een uitkering hebt");
}
END_TEST

/* Search as you type: the half-typed last word already finds. */
START_TEST(prefixes_while_typing)
{
	for (const char *const *p = (const char *const[]){"financ", "financie", "financier",
	                                                    "loopbaang", "ervarin", NULL};
	     *p; p++) {
		const char *q[] = {*p};
		ck_assert_msg(dbtest_long(kvk, "SELECT count(*) FROM loket.knowledge_suggest(NULL, $1, 8)",
		                          1, q) > 0,
		              "nothing found for '%s'", *p);
	}
	ASSERT_FIRST(NULL, "loopbaanges", "Een loopbaangesprek");
}
END_TEST

START_TEST(title_above_body_and_topic_first)
{
	ASSERT_FIRST(NULL, "loopbaangesprek", "Een loopbaangesprek");
	ASSERT_FIRST(NULL, "evc", "EVC: erkenning van wat iemand al kan");
	/* with no words, the question's topic decides: every suggestion is on it */
	const char *p[] = {"financiering"};
	ck_assert_int_gt(dbtest_long(kvk, "SELECT count(*) FROM loket.knowledge_suggest($1, '', 8)", 1, p),
	                 0);
	ck_assert_int_eq(dbtest_long(kvk,
	                             "SELECT count(*) FROM loket.knowledge_suggest($1, '', 8) s "
	                             "JOIN loket.knowledge_version v ON v.id = s.version_id "
	                             "WHERE NOT $1 = ANY (v.topics)",
	                             1, p),
	                 0);
	/* nothing that matches: nothing suggested (browsing with no topic lists all) */
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.knowledge_suggest(NULL, 'qqqq zzzz', 8)",
	                             0, NULL),
	                 0);
	ck_assert_int_gt(dbtest_long(kvk, "SELECT count(*) FROM loket.knowledge_suggest(NULL, '', 50)", 0, NULL),
	                 20);
	/* the limit holds, and is bounded */
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.knowledge_suggest(NULL, '', 3)", 0, NULL),
	                 3);
	ck_assert_int_le(dbtest_long(kvk, "SELECT count(*) FROM loket.knowledge_suggest(NULL, '', 100000)", 0,
	                             NULL),
	                 50);
}
END_TEST

START_TEST(versions_review_and_retired)
{
	struct db *admin = dbtest_connect(dbname, "postgres");
	/* a new version of the loopbaangesprek item, past its review date */
	dbtest_ok(admin,
	          "INSERT INTO loket.knowledge_version (item_id, version_no, title, tell_client, body, "
	          "  topics, valid_from, review_by) "
	          "SELECT v.item_id, v.version_no + 1, v.title, v.tell_client, v.body || ' Nieuw.', "
	          "       v.topics, current_date - 400, current_date - 1 "
	          "FROM loket.knowledge_version v WHERE v.title = 'Een loopbaangesprek'",
	          0, NULL);
	ck_assert_int_eq(dbtest_long(kvk,
	                             "SELECT version_no * 10 + past_review::int "
	                             "FROM loket.knowledge_suggest(NULL, 'loopbaangesprek', 1)",
	                             0, NULL),
	                 21);
	/* a version valid from tomorrow is not suggested yet */
	dbtest_ok(admin,
	          "INSERT INTO loket.knowledge_version (item_id, version_no, title, tell_client, body, "
	          "  topics, valid_from, review_by) "
	          "SELECT v.item_id, 3, v.title, v.tell_client, v.body, v.topics, current_date + 1, "
	          "       current_date + 400 "
	          "FROM loket.knowledge_version v WHERE v.title = 'Een loopbaangesprek' AND version_no = 2",
	          0, NULL);
	ck_assert_int_eq(dbtest_long(kvk,
	                             "SELECT version_no FROM loket.knowledge_suggest(NULL, 'loopbaangesprek', 1)",
	                             0, NULL),
	                 2);
	/* retired: no longer suggested, not even when browsing */
	dbtest_ok(admin,
	          "UPDATE loket.knowledge_item SET retired_at = now() WHERE id = "
	          "(SELECT item_id FROM loket.knowledge_version WHERE title = 'Een loopbaangesprek' LIMIT 1)",
	          0, NULL);
	ck_assert_int_eq(rank_of(NULL, "loopbaangesprek", "Een loopbaangesprek"), 0);
	ck_assert_int_eq(dbtest_long(kvk,
	                             "SELECT count(*) FROM loket.knowledge_suggest(NULL, '', 50) "
	                             "WHERE title = 'Een loopbaangesprek'",
	                             0, NULL),
	                 0);
	db_close(&admin);
}
END_TEST

START_TEST(other_regions_items_are_not_suggested)
{
	struct db *admin = dbtest_connect(dbname, "postgres");
	dbtest_ok(admin, "INSERT INTO loket.region (code, name) VALUES ('achterhoek', 'Achterhoek')", 0,
	          NULL);
	dbtest_ok(admin,
	          "WITH i AS (INSERT INTO loket.knowledge_item (region, slug) "
	          "           VALUES ('achterhoek', 'alleen-achterhoek') RETURNING id) "
	          "INSERT INTO loket.knowledge_version (item_id, version_no, title, tell_client, body, "
	          "  topics, valid_from, review_by) "
	          "SELECT id, 1, 'Achterhoekse scholingsbon', 'Alleen in de Achterhoek.', "
	          "       'Een scholingsbon van de Achterhoek.', '{financiering}', current_date - 1, "
	          "       current_date + 300 FROM i",
	          0, NULL);
	db_close(&admin);
	ck_assert_int_eq(rank_of(NULL, "Achterhoekse scholingsbon", "Achterhoekse scholingsbon"), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("knowledge");
	TCase *tc = tcase_create("suggest");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, compounds_together_and_apart);
	tcase_add_test(tc, stemming_and_typos);
	tcase_add_test(tc, prefixes_while_typing);
	tcase_add_test(tc, title_above_body_and_topic_first);
	tcase_add_test(tc, versions_review_and_retired);
	tcase_add_test(tc, other_regions_items_are_not_suggested);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
