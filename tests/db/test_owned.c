/* test_owned.c: every column the server owns is set by the server (sql/024).
 * As the real login roles (kvk_demo, cnv_demo, lwl_demo for the central
 * point's side of a referral, editor_demo for knowledge and the catalogue,
 * supervisor_demo for saved queries, and a login of loket_admin), plain SQL
 * tries to give each owned column of each table a value of its own: a
 * question's number, region, status and times, the times information, an
 * offering or an e-mail was given, identity ids, versions, who did it.
 * Each attempt must be refused or have no effect, and afterwards the work
 * goes on: above all, after kvk_demo inserted a question with the region's
 * next number, `loket case add` still works for cnv_demo ("halting the
 * region"), and the numbers it hands out have no gaps. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dbname;
static struct db *pg, *kvk, *cnv, *lwl, *sup, *ed, *adm;
static char kvk_conn[1024], cnv_conn[1024], lwl_conn[1024];
static char admin_role[64];

#define Q1 "00000000-0000-4000-8000-000000001301"
#define R1 "00000000-0000-4000-8000-000000001311"
#define OLD "'2020-01-01 12:00+01'"
/* a row whose owned column was set by the caller: older than this */
#define STALE "now() - interval '1 hour'"

struct attempt {
	struct db **as;
	const char *sql;
	/* run as postgres: the number of rows that show the attempt worked */
	const char *proof;
};

static void
setup(void)
{
	dbname = dbtest_create("owned", true);
	pg = dbtest_connect(dbname, "postgres");
	/* a second region, for questions put where they do not belong */
	dbtest_ok(pg, "INSERT INTO loket.region (code, name) VALUES ('achterhoek', 'Achterhoek')",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.organisation (code, name, kind, region) "
	          "VALUES ('achter', 'Loket Achterhoek', 'vindplaats', 'achterhoek')",
	          0, NULL);
	/* an administrator's login */
	snprintf(admin_role, sizeof admin_role, "owned_admin_%ld", (long)getpid());
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN IN ROLE loket_admin", admin_role);
	dbtest_ok(pg, sql, 0, NULL);
	kvk = dbtest_connect(dbname, "kvk_demo");
	cnv = dbtest_connect(dbname, "cnv_demo");
	lwl = dbtest_connect(dbname, "lwl_demo");
	sup = dbtest_connect(dbname, "supervisor_demo");
	ed = dbtest_connect(dbname, "editor_demo");
	adm = dbtest_connect(dbname, admin_role);
	snprintf(kvk_conn, sizeof kvk_conn, "%s", dbtest_conninfo(dbname, "kvk_demo"));
	snprintf(cnv_conn, sizeof cnv_conn, "%s", dbtest_conninfo(dbname, "cnv_demo"));
	snprintf(lwl_conn, sizeof lwl_conn, "%s", dbtest_conninfo(dbname, "lwl_demo"));
	dbtest_ok(kvk,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text) "
	          "VALUES ('" Q1 "', 'balie', 'werkende', 'evc', 'Een vraag')",
	          0, NULL);
}

static void
teardown(void)
{
	db_close(&kvk);
	db_close(&cnv);
	db_close(&lwl);
	db_close(&sup);
	db_close(&ed);
	db_close(&adm);
	char sql[128];
	snprintf(sql, sizeof sql, "DROP ROLE %s", admin_role);
	dbtest_ok(pg, sql, 0, NULL);
	db_close(&pg);
	dbtest_drop(dbname);
}

/* Each attempt is refused (no privilege, or a check) or ignored: its proof
 * finds nothing. */
static void
attempt_all(const struct attempt *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct db_error err = {0};
		if (!db_query(*a[i].as, a[i].sql, 0, NULL, NULL, &err))
			ck_assert_msg(strcmp(err.sqlstate, "42501") == 0 ||
			                  strcmp(err.sqlstate, "23514") == 0,
			              "%s\n  refused with %s (%s): not a refusal of the column",
			              a[i].sql, err.sqlstate, err.message);
		db_error_clear(&err);
		ck_assert_msg(dbtest_long(pg, a[i].proof, 0, NULL) == 0, "%s\n  took effect: %s",
		              a[i].sql, a[i].proof);
	}
}

#define N(a) (sizeof(a) / sizeof *(a))
#define ADD_Q(id, col, val)                                                                        \
	"INSERT INTO loket.question (id, channel, client_group, topic, text, " col ") "            \
	"VALUES ('" id "', 'balie', 'werkende', 'evc', 'Vraag', " val ")"
/* numbers taken but not given to a question (the region's sequence, 049) */
#define COUNTER_GAPS                                                                               \
	"SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END "                            \
	"FROM loket.question_number_twente) - (SELECT count(*) FROM loket.question q "             \
	"WHERE q.region = 'twente')"

START_TEST(question_columns)
{
	static const struct attempt a[] = {
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a1", "number", "900000"),
	     "SELECT count(*) FROM loket.question WHERE number = 900000"},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a2", "region", "'achterhoek'"),
	     "SELECT count(*) FROM loket.question WHERE region <> 'twente'"},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a3", "organisation", "'cnv'"),
	     "SELECT count(*) FROM loket.question WHERE organisation <> 'kvk'"},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a4", "advisor", "'cnv_demo'"),
	     "SELECT count(*) FROM loket.question WHERE advisor <> 'kvk_demo'"},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a5", "status", "'closed'"),
	     "SELECT count(*) FROM loket.question WHERE status <> 'open'"},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a6", "created_at", OLD),
	     "SELECT count(*) FROM loket.question WHERE created_at < " STALE},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a7", "updated_at", OLD),
	     "SELECT count(*) FROM loket.question WHERE updated_at < " STALE},
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a8", "version", "9"),
	     "SELECT count(*) FROM loket.question WHERE version <> 1"},
	    /* the status moves only with what was done on the question */
	    {&kvk, "UPDATE loket.question SET status = 'closed'",
	     "SELECT count(*) FROM loket.question WHERE status <> 'open'"},
	    {&kvk, "UPDATE loket.question SET status = 'referred'",
	     "SELECT count(*) FROM loket.question WHERE status <> 'open'"},
	    {&kvk, "UPDATE loket.question SET status = 'informed'",
	     "SELECT count(*) FROM loket.question WHERE status <> 'open'"},
	    {&kvk, "UPDATE loket.question SET created_at = " OLD,
	     "SELECT count(*) FROM loket.question WHERE created_at < " STALE},
	    {&kvk, "UPDATE loket.question SET updated_at = " OLD ", version = 7",
	     "SELECT count(*) FROM loket.question WHERE updated_at < " STALE " OR version <> 1"},
	    /* numbers: no advisor takes one outside an insert, in any region */
	    {&kvk, "SELECT loket.next_question_number('twente')", COUNTER_GAPS},
	    {&cnv, "SELECT loket.next_question_number('achterhoek')",
	     "SELECT count(*) FROM pg_sequences WHERE sequencename = 'question_number_achterhoek' "
	     "AND last_value IS NOT NULL"},
	    {&kvk, "SELECT loket.question_number()", COUNTER_GAPS},
	    /* a retried submit takes no number */
	    {&kvk,
	     "INSERT INTO loket.question (id, channel, client_group, topic, text) "
	     "VALUES ('" Q1
	     "', 'balie', 'werkende', 'evc', 'Nog eens') ON CONFLICT (id) DO NOTHING",
	     COUNTER_GAPS},
	    /* the summaries and the counter are the owner's alone */
	    {&kvk, "INSERT INTO loket.stat_dirty (region, day) VALUES ('twente', '2020-01-01')",
	     "SELECT count(*) FROM loket.stat_dirty WHERE day = '2020-01-01'"},
	    {&kvk, "SELECT setval('loket.question_number_twente', 1000)", COUNTER_GAPS},
	    {&kvk, "SELECT nextval('loket.question_number_twente')", COUNTER_GAPS},
	    {&kvk, "SELECT loket.question_number_sequence('twente')", COUNTER_GAPS},
	};
	attempt_all(a, N(a));
	/* a group role of one's own is no way round: it is less, not the owner */
	dbtest_ok(kvk, "SET ROLE loket_advisor", 0, NULL);
	static const struct attempt b[] = {
	    {&kvk, ADD_Q("00000000-0000-4000-8000-0000000013a9", "number", "900001"),
	     "SELECT count(*) FROM loket.question WHERE number = 900001"},
	    {&kvk,
	     "INSERT INTO loket.question (id, channel, client_group, topic, text) "
	     "VALUES ('00000000-0000-4000-8000-0000000013aa', 'balie', 'werkende', 'evc', 'Vraag')",
	     "SELECT count(*) FROM loket.question WHERE advisor <> 'kvk_demo'"},
	};
	attempt_all(b, N(b));
	dbtest_ok(kvk, "RESET ROLE", 0, NULL);
	/* the definer trigger that numbers questions cannot be put on a table of one's own */
	dbtest_ok(kvk, "CREATE TEMPORARY TABLE mine (id uuid, region text, number integer)", 0,
	          NULL);
	dbtest_fails(kvk,
	             "CREATE TRIGGER steal BEFORE INSERT ON pg_temp.mine FOR EACH ROW "
	             "EXECUTE FUNCTION loket.question_number()",
	             0, NULL, "42501");
	/* and the question itself is as the server made it */
	ck_assert_int_eq(
	    dbtest_long(pg,
	                "SELECT count(*) FROM loket.question WHERE id = '" Q1 "' AND number = 1 "
	                "AND region = 'twente' AND organisation = 'kvk' AND status = 'open'",
	                0, NULL),
	    1);
}
END_TEST

/* The attack of issue 13: the region's next number, taken by hand. */
START_TEST(the_region_keeps_working)
{
	long next = dbtest_long(
	    pg,
	    "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END "
	    "FROM loket.question_number_twente",
	    0, NULL);
	char sql[512];
	snprintf(sql, sizeof sql, ADD_Q("00000000-0000-4000-8000-0000000013b1", "number", "%ld"),
	         next);
	struct db_error err = {0};
	db_query(kvk, sql, 0, NULL, NULL, &err);
	db_error_clear(&err);
	snprintf(sql, sizeof sql, ADD_Q("00000000-0000-4000-8000-0000000013b2", "number", "%ld"),
	         next + 1);
	db_query(kvk, sql, 0, NULL, NULL, &err);
	db_error_clear(&err);

	char *out = NULL, *errs = NULL;
	ck_assert_msg(dbtest_loket(cnv_conn, NULL, &out, &errs, "case", "add", "--group",
	                           "werkende", "--topic", "opleiding", "--channel", "telefoon",
	                           "--text", "Welke opleiding past bij mij?", NULL) == 0,
	              "cnv_demo cannot add a question: %s", errs);
	ck_assert_int_eq(atol(out), next);
	free(out), free(errs);
	ck_assert_msg(dbtest_loket(kvk_conn, NULL, &out, &errs, "case", "add", "--group",
	                           "werkgever", "--topic", "evc", "--channel", "balie", "--text",
	                           "Kunnen mijn mensen hun ervaring laten erkennen?", NULL) == 0,
	              "kvk_demo cannot add a question: %s", errs);
	ck_assert_int_eq(atol(out), next + 1);
	free(out), free(errs);
	ck_assert_int_eq(dbtest_long(pg, COUNTER_GAPS, 0, NULL), 0);
}
END_TEST

#define KV "(SELECT min(id) FROM loket.knowledge_version)"

START_TEST(what_hangs_off_a_question)
{
	dbtest_ok(pg,
	          "INSERT INTO loket.offering (region, offering_id, offering_type, name, source, "
	          "sync_no) "
	          "VALUES ('twente', gen_random_uuid(), 'course', 'Cursus', '{}', 0)",
	          0, NULL);
	static const struct attempt a[] = {
	    /* client: consent is dated and signed by the server */
	    {&kvk,
	     "INSERT INTO loket.client (question_id, kind, name, consent_at, consent_by) "
	     "VALUES ('" Q1 "', 'person', 'Els', now(), 'lwl_demo')",
	     "SELECT count(*) FROM loket.client WHERE consent_by <> 'kvk_demo'"},
	    {&kvk,
	     "INSERT INTO loket.client (question_id, kind, consent_by) VALUES ('" Q1 "', 'person', "
	     "'lwl_demo')",
	     "SELECT count(*) FROM loket.client WHERE consent_by IS NOT NULL"},
	    {&kvk,
	     "INSERT INTO loket.client (question_id, kind, organisation) VALUES ('" Q1
	     "', 'person', "
	     "'cnv')",
	     "SELECT count(*) FROM loket.client WHERE organisation <> 'kvk'"},
	    {&kvk,
	     "INSERT INTO loket.client (question_id, kind, created_at, updated_at, version) "
	     "VALUES ('" Q1 "', 'person', " OLD ", " OLD ", 5)",
	     "SELECT count(*) FROM loket.client WHERE created_at < " STALE " OR version <> 1"},
	    {&kvk,
	     "INSERT INTO loket.client (question_id, kind, anonymised_at) VALUES ('" Q1 "', "
	     "'person', " OLD ")",
	     "SELECT count(*) FROM loket.client WHERE anonymised_at IS NOT NULL"},
	    {&kvk,
	     "INSERT INTO loket.client (question_id, kind, name, consent_at) VALUES ('" Q1 "', "
	     "'person', 'Els', " OLD ")",
	     "SELECT count(*) FROM loket.client WHERE consent_at < " STALE},
	    {&kvk, "UPDATE loket.client SET consent_at = " OLD,
	     "SELECT count(*) FROM loket.client WHERE consent_at < " STALE},
	    {&kvk, "UPDATE loket.client SET anonymised_at = " OLD,
	     "SELECT count(*) FROM loket.client WHERE anonymised_at < " STALE},
	    {&kvk, "UPDATE loket.client SET anonymised_at = NULL",
	     "SELECT count(*) FROM loket.client WHERE anonymised_at IS NULL"},
	    {&kvk, "UPDATE loket.client SET consent_by = 'lwl_demo', created_at = " OLD,
	     "SELECT count(*) FROM loket.client WHERE consent_by <> 'kvk_demo' OR created_at "
	     "< " STALE},
	    /* information and offerings given, e-mails sent, signals */
	    {&kvk,
	     "INSERT INTO loket.info_given (question_id, knowledge_version_id, given_at) "
	     "VALUES ('" Q1 "', " KV ", " OLD ")",
	     "SELECT count(*) FROM loket.info_given WHERE given_at < " STALE},
	    {&kvk,
	     "INSERT INTO loket.info_given (question_id, knowledge_version_id, given_by) "
	     "VALUES ('" Q1 "', " KV ", 'cnv_demo')",
	     "SELECT count(*) FROM loket.info_given WHERE given_by <> 'kvk_demo'"},
	    {&kvk,
	     "INSERT INTO loket.offering_given (question_id, offering_id, given_at) "
	     "SELECT '" Q1 "', id, " OLD " FROM loket.offering",
	     "SELECT count(*) FROM loket.offering_given WHERE given_at < " STALE},
	    {&kvk,
	     "INSERT INTO loket.offering_given (question_id, offering_id, given_by) "
	     "SELECT '" Q1 "', id, 'cnv_demo' FROM loket.offering",
	     "SELECT count(*) FROM loket.offering_given WHERE given_by <> 'kvk_demo'"},
	    {&kvk,
	     "INSERT INTO loket.mail_log (question_id, message_id, ok, sent_at) "
	     "VALUES ('" Q1 "', '<a@b>', true, " OLD ")",
	     "SELECT count(*) FROM loket.mail_log WHERE sent_at < " STALE},
	    {&kvk,
	     "INSERT INTO loket.mail_log (question_id, message_id, ok, sent_by) "
	     "VALUES ('" Q1 "', '<a@b>', true, 'cnv_demo')",
	     "SELECT count(*) FROM loket.mail_log WHERE sent_by <> 'kvk_demo'"},
	    {&kvk,
	     "INSERT INTO loket.mail_log (id, question_id, message_id, ok) OVERRIDING SYSTEM VALUE "
	     "VALUES (424242, '" Q1 "', '<a@b>', true)",
	     "SELECT count(*) FROM loket.mail_log WHERE id = 424242"},
	    {&kvk,
	     "INSERT INTO loket.signal (question_id, kind, topic, text, created_at) "
	     "VALUES ('" Q1 "', 'latente_vraag', 'evc', 'Meer vragen', " OLD ")",
	     "SELECT count(*) FROM loket.signal WHERE created_at < " STALE},
	    {&kvk,
	     "INSERT INTO loket.signal (question_id, kind, topic, text, region) "
	     "VALUES ('" Q1 "', 'latente_vraag', 'evc', 'Meer vragen', 'achterhoek')",
	     "SELECT count(*) FROM loket.signal WHERE region <> 'twente'"},
	    {&kvk,
	     "INSERT INTO loket.signal (question_id, kind, topic, text, organisation, advisor) "
	     "VALUES ('" Q1 "', 'latente_vraag', 'evc', 'Meer vragen', 'cnv', 'cnv_demo')",
	     "SELECT count(*) FROM loket.signal WHERE organisation <> 'kvk' OR advisor <> "
	     "'kvk_demo'"},
	    /* history: never by hand, never with an id of one's own */
	    {&kvk,
	     "INSERT INTO loket.question_event (id, question_id, kind, detail) OVERRIDING SYSTEM "
	     "VALUE VALUES (424242, '" Q1 "', 'updated', '{}')",
	     "SELECT count(*) FROM loket.question_event WHERE id = 424242"},
	};
	attempt_all(a, N(a));

	/* history written from a trigger of one's own is dated now (025 also
	 * takes the right to write it at all) */
	static const char *const steps[] = {
	    "CREATE TEMPORARY TABLE t (x int)",
	    "CREATE FUNCTION pg_temp.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	    "INSERT INTO loket.question_event (question_id, at, actor, kind, detail) "
	    "VALUES ('" Q1 "', " OLD ", current_user, 'updated', '{}'); RETURN NULL; END $$",
	    "CREATE TRIGGER t AFTER INSERT ON pg_temp.t FOR EACH ROW EXECUTE FUNCTION pg_temp.f()",
	    "INSERT INTO pg_temp.t VALUES (1)",
	};
	for (size_t i = 0; i < N(steps); i++) {
		struct db_error err = {0};
		if (!db_query(kvk, steps[i], 0, NULL, NULL, &err))
			ck_assert_str_eq(err.sqlstate, "42501");
		db_error_clear(&err);
	}
	ck_assert_int_eq(
	    dbtest_long(pg, "SELECT count(*) FROM loket.question_event WHERE at < " STALE, 0, NULL),
	    0);

	/* the work goes on: consent given now, information and offerings given */
	dbtest_ok(kvk,
	          "INSERT INTO loket.client (question_id, kind, name, consent_at) VALUES ('" Q1
	          "', 'person', 'Els', now()) "
	          "ON CONFLICT (question_id) DO UPDATE SET consent_at = EXCLUDED.consent_at",
	          0, NULL);
	dbtest_ok(kvk,
	          "INSERT INTO loket.info_given (question_id, knowledge_version_id) VALUES ('" Q1
	          "', " KV ")",
	          0, NULL);
	dbtest_ok(kvk,
	          "INSERT INTO loket.offering_given (question_id, offering_id) "
	          "SELECT '" Q1 "', id FROM loket.offering",
	          0, NULL);
	dbtest_ok(kvk,
	          "INSERT INTO loket.mail_log (question_id, message_id, ok) VALUES ('" Q1
	          "', '<a@b>', true)",
	          0, NULL);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question q JOIN loket.client c "
	                             "ON c.question_id = q.id WHERE q.status = 'informed' "
	                             "AND c.consent_by = 'kvk_demo' AND c.consent_at >= " STALE,
	                             0, NULL),
	                 1);
	/* informed never goes back to open */
	dbtest_fails(kvk, "UPDATE loket.question SET status = 'open'", 0, NULL, "23514");
}
END_TEST

START_TEST(a_referral)
{
	static const struct attempt a[] = {
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, status) VALUES ('" Q1 "', 'evc', "
	     "'completed')",
	     "SELECT count(*) FROM loket.referral"},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, created_at) VALUES ('" Q1
	     "', 'evc', " OLD ")",
	     "SELECT count(*) FROM loket.referral WHERE created_at < " STALE},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, updated_at) VALUES ('" Q1
	     "', 'evc', " OLD ")",
	     "SELECT count(*) FROM loket.referral WHERE updated_at < " STALE},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, version) VALUES ('" Q1
	     "', 'evc', 7)",
	     "SELECT count(*) FROM loket.referral WHERE version <> 1"},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, deadline) VALUES ('" Q1
	     "', 'evc', " OLD ")",
	     "SELECT count(*) FROM loket.referral WHERE deadline < now()"},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, region, from_org) VALUES ('" Q1
	     "', 'evc', 'achterhoek', 'cnv')",
	     "SELECT count(*) FROM loket.referral WHERE region <> 'twente' OR from_org <> 'kvk'"},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, created_by, updated_by) VALUES ('" Q1
	     "', 'evc', 'cnv_demo', 'cnv_demo')",
	     "SELECT count(*) FROM loket.referral WHERE created_by <> 'kvk_demo' OR updated_by <> "
	     "'kvk_demo'"},
	    {&kvk,
	     "INSERT INTO loket.referral (question_id, reason, accepted_by, accepted_at) VALUES "
	     "('" Q1 "', 'evc', 'lwl_demo', " OLD ")",
	     "SELECT count(*) FROM loket.referral WHERE accepted_by IS NOT NULL"},
	};
	attempt_all(a, N(a));
	/* a plain referral, then the central point's side */
	dbtest_ok(kvk,
	          "INSERT INTO loket.referral (id, question_id, reason) VALUES ('" R1 "', '" Q1
	          "', 'evc')",
	          0, NULL);
	static const struct attempt b[] = {
	    {&lwl, "UPDATE loket.referral SET accepted_by = 'lwl_demo', accepted_at = " OLD,
	     "SELECT count(*) FROM loket.referral WHERE accepted_at IS NOT NULL"},
	    {&lwl, "UPDATE loket.referral SET completed_at = " OLD ", in_progress_at = " OLD,
	     "SELECT count(*) FROM loket.referral WHERE completed_at IS NOT NULL "
	     "OR in_progress_at IS NOT NULL"},
	    {&lwl, "UPDATE loket.referral SET created_at = " OLD ", deadline = " OLD,
	     "SELECT count(*) FROM loket.referral WHERE created_at < " STALE
	     " OR deadline < now()"},
	    {&lwl, "UPDATE loket.referral SET updated_at = " OLD ", version = 9",
	     "SELECT count(*) FROM loket.referral WHERE updated_at < " STALE " OR version > 2"},
	    {&lwl, "UPDATE loket.referral SET updated_by = 'kvk_demo'",
	     "SELECT count(*) FROM loket.referral WHERE updated_by <> 'kvk_demo'"},
	    /* what one has seen: one's own, the referral's version at most, dated now */
	    {&lwl,
	     "INSERT INTO loket.referral_seen (referral_id, role_name, version, seen_at) "
	     "VALUES ('" R1 "', 'lwl_demo', 1, " OLD ")",
	     "SELECT count(*) FROM loket.referral_seen WHERE seen_at < " STALE},
	    {&lwl,
	     "INSERT INTO loket.referral_seen (referral_id, role_name, version) "
	     "VALUES ('" R1 "', 'lwl_demo', 999)",
	     "SELECT count(*) FROM loket.referral_seen s JOIN loket.referral r ON r.id = "
	     "s.referral_id WHERE s.version > r.version"},
	    {&lwl, "UPDATE loket.referral_seen SET seen_at = " OLD ", version = 999",
	     "SELECT count(*) FROM loket.referral_seen s JOIN loket.referral r ON r.id = "
	     "s.referral_id WHERE s.seen_at < " STALE " OR s.version > r.version"},
	};
	attempt_all(b, N(b));

	/* the work goes on, through loket */
	long n = dbtest_long(pg, "SELECT number FROM loket.question WHERE id = '" Q1 "'", 0, NULL);
	char num[16];
	snprintf(num, sizeof num, "%ld", n);
	char *out = NULL, *err = NULL;
	ck_assert_msg(dbtest_loket(lwl_conn, NULL, &out, &err, "referral", "accept", num, NULL) ==
	                  0,
	              "%s", err);
	free(out), free(err);
	ck_assert_msg(dbtest_loket(lwl_conn, NULL, &out, &err, "referral", "complete", num,
	                           "--outcome", "advies_gegeven", NULL) == 0,
	              "%s", err);
	free(out), free(err);
	ck_assert_int_eq(
	    dbtest_long(pg,
	                "SELECT count(*) FROM loket.referral WHERE status = 'completed' "
	                "AND accepted_by = 'lwl_demo' AND accepted_at >= " STALE
	                " AND completed_at >= accepted_at AND created_by = 'kvk_demo'",
	                0, NULL),
	    1);
	ck_assert_int_eq(dbtest_loket(kvk_conn, NULL, &out, &err, "case", "show", num, NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(
	    dbtest_long(pg, "SELECT count(*) FROM loket.question WHERE status = 'referred'", 0,
	                NULL),
	    1);
}
END_TEST

START_TEST(knowledge)
{
	static const struct attempt a[] = {
	    {&ed,
	     "INSERT INTO loket.knowledge_item (id, region, slug) OVERRIDING SYSTEM VALUE "
	     "VALUES (424242, 'twente', 'eigen-id')",
	     "SELECT count(*) FROM loket.knowledge_item WHERE id = 424242"},
	    {&ed,
	     "INSERT INTO loket.knowledge_item (region, slug, created_at) VALUES ('twente', "
	     "'oud', " OLD ")",
	     "SELECT count(*) FROM loket.knowledge_item WHERE created_at < " STALE
	     " AND slug = 'oud'"},
	    {&ed,
	     "INSERT INTO loket.knowledge_item (region, slug, retired_at) VALUES ('twente', "
	     "'weg', " OLD ")",
	     "SELECT count(*) FROM loket.knowledge_item WHERE retired_at < " STALE},
	    {&ed,
	     "INSERT INTO loket.knowledge_version (item_id, version_no, title, tell_client, body, "
	     "topics, valid_from, review_by) SELECT min(id), 99, 'T', 'V', 'B', '{evc}', "
	     "current_date, "
	     "current_date + 30 FROM loket.knowledge_item",
	     "SELECT count(*) FROM loket.knowledge_version WHERE version_no = 99"},
	    {&ed,
	     "INSERT INTO loket.knowledge_version (item_id, created_at, title, tell_client, body, "
	     "topics, valid_from, review_by) SELECT min(id), " OLD ", 'T', 'V', 'B', '{evc}', "
	     "current_date, current_date + 30 FROM loket.knowledge_item",
	     "SELECT count(*) FROM loket.knowledge_version WHERE created_at < " STALE
	     " AND title = 'T'"},
	    {&ed,
	     "INSERT INTO loket.knowledge_version (id, item_id, title, tell_client, body, topics, "
	     "valid_from, review_by) OVERRIDING SYSTEM VALUE SELECT 424242, min(id), 'T', 'V', "
	     "'B', "
	     "'{evc}', current_date, current_date + 30 FROM loket.knowledge_item",
	     "SELECT count(*) FROM loket.knowledge_version WHERE id = 424242"},
	    {&ed,
	     "UPDATE loket.knowledge_item SET retired_at = " OLD
	     " WHERE id = (SELECT min(id) FROM loket.knowledge_item)",
	     "SELECT count(*) FROM loket.knowledge_item WHERE retired_at < " STALE},
	};
	attempt_all(a, N(a));
	/* the work goes on: a new item, a second version, retired and back */
	long item =
	    dbtest_long(ed,
	                "SELECT item_id FROM loket.kb_save(NULL, 'eigen-werk', NULL, 'Titel', "
	                "'Vertel dit', 'Tekst', '{}', '{evc}', NULL, current_date, "
	                "current_date + 30)",
	                0, NULL);
	char sql[512];
	snprintf(sql, sizeof sql,
	         "SELECT version_no FROM loket.kb_save(%ld, NULL, 1, 'Titel 2', 'Vertel dit', "
	         "'Tekst', '{}', '{evc}', NULL, current_date, current_date + 30)",
	         item);
	ck_assert_int_eq(dbtest_long(ed, sql, 0, NULL), 2);
	snprintf(sql, sizeof sql, "SELECT loket.kb_retire(%ld)::int", item);
	ck_assert_int_eq(dbtest_long(ed, sql, 0, NULL), 1);
	snprintf(sql, sizeof sql, "SELECT loket.kb_retire(%ld, false)::int", item);
	ck_assert_int_eq(dbtest_long(ed, sql, 0, NULL), 0);
	ck_assert_int_eq(
	    dbtest_long(pg,
	                "SELECT count(*) FROM loket.knowledge_version v JOIN "
	                "loket.knowledge_item i ON i.id = v.item_id WHERE i.slug = "
	                "'eigen-werk' AND v.created_by = 'editor_demo' AND i.retired_at "
	                "IS NULL",
	                0, NULL),
	    2);
}
END_TEST

START_TEST(saved_queries_and_advisors)
{
	static const struct attempt a[] = {
	    {&sup,
	     "INSERT INTO loket.saved_query (region, name, expr, updated_at) VALUES ('twente', "
	     "'oud', "
	     "'count', " OLD ")",
	     "SELECT count(*) FROM loket.saved_query WHERE updated_at < " STALE},
	    {&sup,
	     "INSERT INTO loket.saved_query (id, region, name, expr) OVERRIDING SYSTEM VALUE "
	     "VALUES (424242, 'twente', 'eigen-id', 'count')",
	     "SELECT count(*) FROM loket.saved_query WHERE id = 424242"},
	    {&sup,
	     "INSERT INTO loket.saved_query (owner, region, name, expr) VALUES ('kvk_demo', "
	     "'twente', "
	     "'van-een-ander', 'count')",
	     "SELECT count(*) FROM loket.saved_query WHERE owner <> 'supervisor_demo'"},
	    {&adm,
	     "INSERT INTO loket.advisor (role_name, display_name, region, organisation, roles, "
	     "created_at) VALUES ('nieuw', 'Nieuw', 'twente', 'kvk', '{advisor}', " OLD ")",
	     "SELECT count(*) FROM loket.advisor WHERE created_at < " STALE},
	    {&adm, "UPDATE loket.advisor SET created_at = " OLD " WHERE role_name = 'kvk_demo'",
	     "SELECT count(*) FROM loket.advisor WHERE created_at < " STALE},
	};
	attempt_all(a, N(a));
	dbtest_ok(
	    sup,
	    "INSERT INTO loket.saved_query (region, name, expr) VALUES ('twente', 'mijn', 'count')",
	    0, NULL);
	static const struct attempt b[] = {
	    {&sup, "UPDATE loket.saved_query SET updated_at = " OLD ", expr = 'count by org'",
	     "SELECT count(*) FROM loket.saved_query WHERE updated_at < " STALE
	     " OR expr <> 'count by org'"},
	};
	/* the expression changes; the time is the server's */
	dbtest_ok(sup, b[0].sql, 0, NULL);
	ck_assert_int_eq(dbtest_long(pg, b[0].proof, 0, NULL), 0);
	dbtest_ok(
	    adm,
	    "INSERT INTO loket.advisor (role_name, display_name, region, organisation, roles) "
	    "VALUES ('nieuw', 'Nieuw', 'twente', 'kvk', '{advisor}')",
	    0, NULL);
}
END_TEST

#define PAGE                                                                                       \
	"'{\"pageNumber\": 1, \"hasNextPage\": false, \"items\": [{\"offeringId\": "               \
	"\"7d1c4bde-3f4c-4d55-8a9a-0a1b2c3d4e5f\", \"offeringType\": \"course\", \"name\": "       \
	"[{\"language\": \"nl-NL\", \"value\": \"Lassen\"}]}]}'"

START_TEST(the_catalogue)
{
	static const char *const sync[] = {
	    "SELECT loket.offering_sync_begin('https://example.org/aanbod')",
	    "SELECT has_next FROM loket.offering_sync_page(1, 1, " PAGE ")",
	    "SELECT total FROM loket.offering_sync_finish(1, NULL, NULL)",
	};
	for (size_t i = 0; i < N(sync); i++)
		dbtest_ok(ed, sync[i], 0, NULL);
	static const struct attempt a[] = {
	    {&ed, "UPDATE loket.offering SET first_seen = " OLD,
	     "SELECT count(*) FROM loket.offering WHERE first_seen < " STALE},
	    {&ed, "UPDATE loket.offering SET updated_at = " OLD,
	     "SELECT count(*) FROM loket.offering WHERE updated_at < " STALE},
	    {&ed, "UPDATE loket.offering SET withdrawn_at = " OLD,
	     "SELECT count(*) FROM loket.offering WHERE withdrawn_at < " STALE},
	    {&ed, "UPDATE loket.offering SET sync_no = 99",
	     "SELECT count(*) FROM loket.offering WHERE sync_no <> 1"},
	    {&ed,
	     "INSERT INTO loket.offering (region, offering_id, offering_type, name, source, "
	     "sync_no, "
	     "first_seen) VALUES ('twente', gen_random_uuid(), 'course', 'X', '{}', 1, " OLD ")",
	     "SELECT count(*) FROM loket.offering WHERE first_seen < " STALE},
	    {&ed,
	     "INSERT INTO loket.offering (region, offering_id, offering_type, name, source, "
	     "sync_no) "
	     "VALUES ('twente', gen_random_uuid(), 'course', 'Y', '{}', 99)",
	     "SELECT count(*) FROM loket.offering WHERE sync_no > 1"},
	    {&ed,
	     "INSERT INTO loket.offering (id, region, offering_id, offering_type, name, source, "
	     "sync_no) OVERRIDING SYSTEM VALUE VALUES (424242, 'twente', gen_random_uuid(), "
	     "'course', 'Z', '{}', 1)",
	     "SELECT count(*) FROM loket.offering WHERE id = 424242"},
	    {&ed, "UPDATE loket.offering_source SET sync_no = 99",
	     "SELECT count(*) FROM loket.offering_source WHERE sync_no > 2"},
	    {&ed, "UPDATE loket.offering_source SET synced_at = " OLD ", checked_at = " OLD,
	     "SELECT count(*) FROM loket.offering_source WHERE synced_at < " STALE
	     " OR checked_at < " STALE},
	    {&ed, "UPDATE loket.offering_source SET items = 999",
	     "SELECT count(*) FROM loket.offering_source WHERE items > 2"},
	};
	attempt_all(a, N(a));
	/* a sync afterwards still works and brings the offering back */
	long no = dbtest_long(ed, "SELECT loket.offering_sync_begin('https://example.org/aanbod')",
	                      0, NULL);
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT items FROM loket.offering_sync_page(%ld, 1, " PAGE ")",
	         no);
	ck_assert_int_eq(dbtest_long(ed, sql, 0, NULL), 1);
	snprintf(sql, sizeof sql, "SELECT total FROM loket.offering_sync_finish(%ld, NULL, NULL)",
	         no);
	ck_assert_int_eq(dbtest_long(ed, sql, 0, NULL), 1);
	ck_assert_int_eq(
	    dbtest_long(pg,
	                "SELECT count(*) FROM loket.offering WHERE name = 'Lassen' AND "
	                "withdrawn_at IS NULL",
	                0, NULL),
	    1);
	ck_assert_int_eq(dbtest_long(pg, "SELECT items FROM loket.offering_source", 0, NULL), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("owned");
	TCase *tc = tcase_create("server-owned columns");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, question_columns);
	tcase_add_test(tc, the_region_keeps_working);
	tcase_add_test(tc, what_hangs_off_a_question);
	tcase_add_test(tc, a_referral);
	tcase_add_test(tc, knowledge);
	tcase_add_test(tc, saved_queries_and_advisors);
	tcase_add_test(tc, the_catalogue);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
