/* test_seed.c: `loket db seed` is idempotent and loads what PRODUCT.md lists;
 * `db seed --cases N` makes N plausible questions with the right shape. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const counts_sql =
	"SELECT concat_ws(',', (SELECT count(*) FROM loket.region),"
	" (SELECT count(*) FROM loket.organisation), (SELECT count(*) FROM loket.advisor),"
	" (SELECT count(*) FROM loket.topic), (SELECT count(*) FROM loket.client_group),"
	" (SELECT count(*) FROM loket.channel), (SELECT count(*) FROM loket.referral_reason),"
	" (SELECT count(*) FROM loket.referral_outcome), (SELECT count(*) FROM loket.municipality),"
	" (SELECT count(*) FROM loket.postcode4), (SELECT count(*) FROM loket.holiday),"
	" (SELECT count(*) FROM loket.knowledge_item), (SELECT count(*) FROM loket.knowledge_version),"
	" (SELECT count(*) FROM pg_roles WHERE rolname LIKE '%\\_demo'),"
	" (SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
	"   WHERE r.rolname LIKE '%\\_demo'),"
	" (SELECT md5(string_agg(label, ',' ORDER BY code)) FROM loket.topic))";

static char *
text_of(struct db *db, const char *sql)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(db, sql, 0, NULL, &r, &err))
		ck_abort_msg("%s: %s", sql, err.message);
	char *out = strdup(db_result_get(r, 0, 0));
	db_result_free(&r);
	return out;
}

START_TEST(seed_twice_changes_nothing)
{
	const char *name = dbtest_create("seed_twice", true); /* already seeded once */
	struct db *db = dbtest_connect(name, "postgres");
	char *before = text_of(db, counts_sql);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(name, "postgres"), NULL, &out, &err, "db", "seed",
	                              NULL),
	                 0);
	free(out), free(err);
	char *after = text_of(db, counts_sql);
	ck_assert_str_eq(before, after);
	free(before), free(after);
	db_close(&db);
	dbtest_drop(name);
}
END_TEST

START_TEST(reference_data_as_specified)
{
	const char *name = dbtest_create("seed_ref", true);
	struct db *db = dbtest_connect(name, "postgres");
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.organisation WHERE kind = 'central' "
	                                 "AND active", 0, NULL), 1);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.organisation WHERE code = 'lwl' "
	                                 "AND kind = 'central'", 0, NULL), 1);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.organisation", 0, NULL), 10);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.municipality", 0, NULL), 14);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.postcode4 WHERE postcode "
	                                 "BETWEEN '7511' AND '7548' AND municipality = 'enschede'",
	                             0, NULL), 38);
	ck_assert_int_eq(dbtest_long(db, "SELECT sum(population) FROM loket.municipality", 0, NULL),
	                 636000);
	ck_assert_int_ge(dbtest_long(db, "SELECT count(*) FROM loket.knowledge_item", 0, NULL), 25);
	/* Every item has a current version with a review date; some are past it. */
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.knowledge_item i WHERE NOT EXISTS "
	                                 "(SELECT 1 FROM loket.knowledge_version v WHERE v.item_id = i.id)",
	                             0, NULL), 0);
	ck_assert_int_ge(dbtest_long(db, "SELECT count(*) FROM loket.knowledge_version "
	                                 "WHERE review_by < current_date", 0, NULL), 1);
	/* Every topic is covered by the knowledge base. */
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.topic t WHERE NOT EXISTS "
	                                 "(SELECT 1 FROM loket.knowledge_version v "
	                                 "WHERE t.code = ANY (v.topics))", 0, NULL), 0);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.advisor a JOIN pg_roles r "
	                                 "ON r.rolname = a.role_name WHERE r.rolcanlogin", 0, NULL), 13);
	db_close(&db);
	dbtest_drop(name);
}
END_TEST

START_TEST(synthetic_cases)
{
	const char *name = dbtest_create("seed_cases", true);
	char *out = NULL, *err = NULL;
	/* Small batches, so that both connections load several of them. */
	setenv("LOKET_SEED_BATCH", "300", 1);
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(name, "postgres"), NULL, &out, &err, "db", "seed",
	                              "--cases", "2000", NULL),
	                 0);
	unsetenv("LOKET_SEED_BATCH");
	ck_assert_msg(strstr(err, "300 of 2000") != NULL && strstr(err, "2000 of 2000") != NULL,
	              "progress: %s", err);
	free(out), free(err);
	struct db *db = dbtest_connect(name, "postgres");
#define N(sql) dbtest_long(db, sql, 0, NULL)
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question"), 2000);
	ck_assert_int_eq(N("SELECT count(DISTINCT number) FROM loket.question"), 2000);
	ck_assert_int_eq(N("SELECT max(number) - min(number) + 1 FROM loket.question"), 2000);
	ck_assert_int_eq(N("SELECT last_value FROM loket.question_number_twente"),
	                 N("SELECT max(number) FROM loket.question"));
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question q JOIN loket.organisation o "
	                   "ON o.code = q.organisation WHERE o.kind = 'central'"), 0);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question WHERE created_at < now() - interval "
	                   "'731 days' OR created_at > now()"), 0);
	ck_assert_int_ge(N("SELECT count(*) FROM loket.question WHERE created_at < now() - interval "
	                   "'365 days'"), 800);
	/* Every postcode is a real one of the region. */
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question q WHERE NOT EXISTS (SELECT 1 FROM "
	                   "loket.postcode4 p WHERE p.postcode = q.postcode4)"), 0);
	/* The information given is about the question's topic. */
	ck_assert_int_eq(N("SELECT count(*) FROM loket.info_given i JOIN loket.question q ON q.id = "
	                   "i.question_id JOIN loket.knowledge_version v ON v.id = "
	                   "i.knowledge_version_id WHERE q.topic <> ALL (v.topics)"), 0);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.referral r JOIN loket.question q ON q.id = "
	                   "r.question_id WHERE r.from_org <> q.organisation"), 0);
	ck_assert_int_ge(N("SELECT count(DISTINCT status) FROM loket.referral"), 4);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.referral WHERE to_org <> 'lwl'"), 0);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.referral WHERE (status = 'completed') <> "
	                   "(outcome IS NOT NULL)"), 0);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.client WHERE consent_at IS NULL"), 0);
	/* saved, as the history says, by the question's advisor, once, not by the
	 * role that seeds (found by the walk of issue 16) */
	ck_assert_int_eq(N("SELECT count(*) FROM loket.client c JOIN loket.question q ON q.id = "
	                   "c.question_id WHERE c.consent_by IS DISTINCT FROM q.advisor"), 0);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.client c WHERE (SELECT count(*) FROM "
	                   "loket.question_event e JOIN loket.question q ON q.id = e.question_id "
	                   "WHERE e.question_id = c.question_id AND e.kind = 'client_saved' AND "
	                   "e.actor = q.advisor) <> 1"), 0);
	/* Status agrees with what hangs off the question. */
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question q WHERE status = 'referred' AND NOT "
	                   "EXISTS (SELECT 1 FROM loket.referral r WHERE r.question_id = q.id)"), 0);
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question q WHERE status = 'informed' AND NOT "
	                   "EXISTS (SELECT 1 FROM loket.info_given i WHERE i.question_id = q.id)"), 0);
	/* Distribution within a loose tolerance (about 4.5 standard deviations):
	 * ~40% werkzoekende, ~30% opleiding, ~50% balie, ~25% referred,
	 * ~60% informed, ~5% signals, Enschede largest. */
	long wz = N("SELECT count(*) FROM loket.question WHERE client_group = 'werkzoekende'");
	long opl = N("SELECT count(*) FROM loket.question WHERE topic = 'opleiding'");
	long balie = N("SELECT count(*) FROM loket.question WHERE channel = 'balie'");
	long ref = N("SELECT count(*) FROM loket.referral");
	long info = N("SELECT count(DISTINCT question_id) FROM loket.info_given");
	long sig = N("SELECT count(*) FROM loket.signal");
	ck_assert_msg(wz > 700 && wz < 900, "werkzoekende %ld", wz);
	ck_assert_msg(opl > 510 && opl < 690, "opleiding %ld", opl);
	ck_assert_msg(balie > 900 && balie < 1100, "balie %ld", balie);
	ck_assert_msg(ref > 420 && ref < 580, "referrals %ld", ref);
	ck_assert_msg(info > 1100 && info < 1300, "informed %ld", info);
	ck_assert_msg(sig > 55 && sig < 150, "signals %ld", sig);
	char *largest = text_of(db, "SELECT m.code FROM loket.question q JOIN loket.postcode4 p ON "
	                            "p.postcode = q.postcode4 JOIN loket.municipality m ON m.code = "
	                            "p.municipality GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
	ck_assert_str_eq(largest, "enschede");
	free(largest);
	/* Each question has its history. */
	ck_assert_int_eq(N("SELECT count(*) FROM loket.question q WHERE NOT EXISTS (SELECT 1 FROM "
	                   "loket.question_event e WHERE e.question_id = q.id AND e.kind = 'created')"),
	                 0);
#undef N
	db_close(&db);
	/* The demo advisor sees only their own organisation's share. */
	struct db *kvk = dbtest_connect(name, "kvk_demo");
	long mine = dbtest_long(kvk, "SELECT count(*) FROM loket.question", 0, NULL);
	ck_assert_msg(mine > 250 && mine < 600, "kvk sees %ld", mine);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question WHERE organisation <> "
	                                  "'kvk'", 0, NULL), 0);
	db_close(&kvk);
	dbtest_drop(name);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("seed");
	TCase *tc = tcase_create("seed");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, seed_twice_changes_nothing);
	tcase_add_test(tc, reference_data_as_specified);
	tcase_add_test(tc, synthetic_cases);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
