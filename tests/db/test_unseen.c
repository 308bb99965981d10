/* test_unseen.c: the status bar's count of unseen referral news (sql/029)
 * is the count of its old definition (sql/011), for every person, through
 * a sequence of referrals, status changes, questions opened, withdrawals,
 * news older than 7 days and seen rows written by hand; and the referral
 * time that each referral_seen row carries for it is the server's, which a
 * login role can neither give nor change.  As the real login roles
 * kvk_demo, cnv_demo and lwl_demo (the central point). */
#include "config.h"

#include "dbtest.h"
#include "model/referral_flow.h"

#include <check.h>
#include <stdio.h>

static const char *dbname;
static struct db *pg, *kvk, *cnv, *lwl;

#define QK1 "00000000-0000-4000-8000-000000002901"
#define QK2 "00000000-0000-4000-8000-000000002902"
#define QC1 "00000000-0000-4000-8000-000000002903"
#define RK1 "00000000-0000-4000-8000-000000002911"
#define RK2 "00000000-0000-4000-8000-000000002912"
#define RC1 "00000000-0000-4000-8000-000000002913"

/* The definition of sql/011, as it was, run as the person. */
#define OLD_COUNT                                                                                  \
	"SELECT count(*) FROM loket.referral r "                                                        \
	" WHERE r.updated_at > now() - interval '7 days' "                                             \
	"   AND (r.created_by = current_user OR r.to_org = (SELECT loket.my_org())) "                  \
	"   AND loket.referral_unseen(r)"

static void
setup(void)
{
	dbname = dbtest_create("unseen", true);
	pg = dbtest_connect(dbname, "postgres");
	kvk = dbtest_connect(dbname, "kvk_demo");
	cnv = dbtest_connect(dbname, "cnv_demo");
	lwl = dbtest_connect(dbname, "lwl_demo");
}

static void
teardown(void)
{
	db_close(&kvk);
	db_close(&cnv);
	db_close(&lwl);
	db_close(&pg);
	dbtest_drop(dbname);
}

/* The count through the model, as the status bar asks it. */
static long
count_of(struct db *db)
{
	struct db_error err = {0};
	long n = -1;
	ck_assert_msg(referral_unseen_count(db, &n, &err), "%s", err.message);
	db_error_clear(&err);
	return n;
}

/* Every person's count is the old definition's; every stamp is its
 * referral's time.  Returns the central point's count. */
static long
same(const char *step)
{
	struct db *who[] = {kvk, cnv, lwl};
	const char *name[] = {"kvk_demo", "cnv_demo", "lwl_demo"};
	for (int i = 0; i < 3; i++) {
		long want = dbtest_long(who[i], OLD_COUNT, 0, NULL);
		long got = count_of(who[i]);
		ck_assert_msg(got == want, "%s: %s counts %ld, the old definition %ld", step, name[i],
		              got, want);
	}
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.referral_seen s "
	                             "JOIN loket.referral r ON r.id = s.referral_id "
	                             "WHERE s.referral_updated_at IS DISTINCT FROM r.updated_at",
	                             0, NULL),
	                 0);
	return count_of(lwl);
}

/* Opening a question: the model's mark returns what the old count says. */
static void
open_question(struct db *db, const char *question)
{
	struct db_error err = {0};
	long left = -1;
	ck_assert_msg(referral_mark_seen(db, question, &left, &err), "%s", err.message);
	db_error_clear(&err);
	ck_assert_int_eq(left, dbtest_long(db, OLD_COUNT, 0, NULL));
}

static void
new_referral(struct db *db, const char *question, const char *referral)
{
	const char *q[] = {question};
	dbtest_ok(db,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text) "
	          "VALUES ($1, 'balie', 'werkende', 'evc', 'Wil een EVC-traject')",
	          1, q);
	const char *r[] = {referral, question};
	dbtest_ok(db, "INSERT INTO loket.referral (id, question_id, reason) VALUES ($1, $2, 'evc')",
	          2, r);
}

START_TEST(the_count_is_the_old_definitions)
{
	long central = same("before");
	new_referral(kvk, QK1, RK1);
	new_referral(kvk, QK2, RK2);
	new_referral(cnv, QC1, RC1);
	ck_assert_int_eq(same("three referrals"), central + 3);
	long mine = count_of(kvk);

	dbtest_ok(lwl, "SELECT loket.referral_accept('" RK1 "')", 0, NULL);
	same("accepted");
	ck_assert_int_eq(count_of(kvk), mine + 1); /* news on what kvk_demo made */
	open_question(lwl, QK1);
	ck_assert_int_eq(same("the central point opened it"), central + 2);
	dbtest_ok(lwl, "UPDATE loket.referral SET status = 'in_progress' WHERE id = '" RK1 "'", 0,
	          NULL);
	same("in progress");
	open_question(kvk, QK1);
	ck_assert_int_eq(count_of(kvk), mine);
	same("the sender opened it");

	dbtest_ok(kvk, "UPDATE loket.referral SET status = 'withdrawn' WHERE id = '" RK2 "'", 0, NULL);
	same("withdrawn");
	dbtest_ok(lwl,
	          "UPDATE loket.referral SET status = 'returned', return_reason = 'Hoort bij het UWV' "
	          "WHERE id = '" RC1 "'",
	          0, NULL);
	same("returned");
	open_question(cnv, QC1);
	same("cnv_demo opened its returned question");

	/* seen rows put back by hand: the news is unseen again */
	dbtest_ok(kvk, "UPDATE loket.referral_seen SET version = 0", 0, NULL);
	same("kvk_demo's seen rows set back");
	open_question(kvk, QK1);
	same("and opened again");
}
END_TEST

/* News just inside and just outside the 7 days, and a seen row above the
 * referral's version, as only a superuser can write them. */
START_TEST(the_edges_of_the_definition)
{
	new_referral(kvk, QK1, RK1);
	same("a referral");
	dbtest_ok(pg,
	          "INSERT INTO loket.referral (question_id, reason, created_by, updated_by, "
	          "                            created_at, updated_at) "
	          "VALUES ('" QK1 "', 'advies', 'kvk_demo', 'lwl_demo', now() - interval '9 days', "
	          "        now() - interval '8 days'), "
	          "       ('" QK1 "', 'advies', 'kvk_demo', 'lwl_demo', now() - interval '9 days', "
	          "        now() - interval '6 days')",
	          0, NULL);
	same("news of 8 and 6 days ago");
	open_question(kvk, QK1);
	same("opened");
	dbtest_ok(pg,
	          "INSERT INTO loket.referral_seen (referral_id, role_name, version) "
	          "VALUES ('" RK1 "', 'lwl_demo', 99) "
	          "ON CONFLICT (referral_id, role_name) DO UPDATE SET version = 99",
	          0, NULL);
	same("a seen version above the referral's");
	dbtest_ok(kvk, "UPDATE loket.referral SET note = 'Belt liever na vijven' WHERE id = '" RK1 "'",
	          0, NULL);
	same("the sender changed its note");
	/* a referral that goes back to sent is news again for the sender */
	dbtest_ok(lwl, "SELECT loket.referral_accept('" RK1 "')", 0, NULL);
	dbtest_ok(lwl, "UPDATE loket.referral SET status = 'sent' WHERE id = '" RK1 "'", 0, NULL);
	same("released");
}
END_TEST

/* The stamp is the server's: no login role names it, changes it or
 * removes its row; writing one's own version restamps it. */
START_TEST(nobody_writes_the_stamp)
{
	new_referral(kvk, QK1, RK1);
	open_question(kvk, QK1);
	open_question(lwl, QK1);
	struct db *who[] = {kvk, lwl};
	for (int i = 0; i < 2; i++) {
		dbtest_fails(who[i], "UPDATE loket.referral_seen SET referral_updated_at = now() + "
		                     "interval '1 year'",
		             0, NULL, "42501");
		dbtest_fails(who[i],
		             "INSERT INTO loket.referral_seen (referral_id, version, referral_updated_at) "
		             "VALUES ('" RK1 "', 1, now() + interval '1 year')",
		             0, NULL, "42501");
		dbtest_fails(who[i], "DELETE FROM loket.referral_seen", 0, NULL, "42501");
		dbtest_ok(who[i], "UPDATE loket.referral_seen SET version = 1, seen_at = now()", 0, NULL);
	}
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.referral_seen "
	                             "WHERE referral_updated_at > now()",
	                             0, NULL),
	                 0);
	same("after the attempts");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("unseen");
	TCase *tc = tcase_create("unseen referral news");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_count_is_the_old_definitions);
	tcase_add_test(tc, the_edges_of_the_definition);
	tcase_add_test(tc, nobody_writes_the_stamp);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
