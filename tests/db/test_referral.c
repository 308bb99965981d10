/* test_referral.c: a referral's life, enforced by PostgreSQL — who may
 * accept, work, complete, return and withdraw; eight advisors accepting at
 * once (exactly one wins, the others learn who); pick-up deadlines in working
 * days around Easter and King's Day; notifications on both organisations'
 * secret channels that say only "look again"; and the CLI commands with
 * their exit codes. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dbname;
static char kvk[1024], lwl[1024];
static struct db *kdb, *ldb;
static char number[16]; /* the question referred in setup */

static void
setup(void)
{
	dbname = dbtest_create("referral", true);
	snprintf(kvk, sizeof kvk, "%s", dbtest_conninfo(dbname, "kvk_demo"));
	snprintf(lwl, sizeof lwl, "%s", dbtest_conninfo(dbname, "lwl_demo"));
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text",
	                              "Wil een EVC-traject", NULL),
	                 0);
	snprintf(number, sizeof number, "%d", atoi(out));
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", number, "--reason",
	                              "evc", NULL),
	                 0);
	ck_assert_msg(strstr(out, "Leerwerkloket Twente") != NULL, "%s", out);
	free(out), free(err);
	kdb = dbtest_connect(dbname, "kvk_demo");
	ldb = dbtest_connect(dbname, "lwl_demo");
}

static void
teardown(void)
{
	db_close(&kdb);
	db_close(&ldb);
	dbtest_drop(dbname);
}

static long
status_is(const char *status)
{
	const char *p[] = {status};
	return dbtest_long(kdb, "SELECT count(*) FROM loket.referral WHERE status = $1", 1, p);
}

START_TEST(the_sender_cannot_do_the_targets_part)
{
	/* plain SQL, as kvk_demo: accept, work, complete, return are refused */
	dbtest_fails(kdb, "UPDATE loket.referral SET status = 'accepted'", 0, NULL, "42501");
	dbtest_fails(kdb, "SELECT loket.referral_accept(id) FROM loket.referral", 0, NULL, "42501");
	dbtest_fails(kdb, "UPDATE loket.referral SET status = 'in_progress'", 0, NULL, "42501");
	dbtest_ok(ldb, "UPDATE loket.referral SET status = 'accepted'", 0, NULL);
	dbtest_fails(kdb, "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven'",
	             0, NULL, "42501");
	dbtest_fails(kdb,
	             "UPDATE loket.referral SET status = 'returned', return_reason = 'zelf gedaan'", 0,
	             NULL, "42501");
	dbtest_fails(kdb, "UPDATE loket.referral SET target_note = 'gebeld'", 0, NULL, "42501");
	/* nor can it set who accepted or when */
	dbtest_ok(kdb, "UPDATE loket.referral SET accepted_by = 'kvk_demo', accepted_at = now() - "
	               "interval '9 days'", 0, NULL);
	ck_assert_int_eq(dbtest_long(kdb, "SELECT count(*) FROM loket.referral WHERE accepted_by = "
	                                  "'lwl_demo' AND accepted_at > now() - interval '1 hour'",
	                             0, NULL),
	                 1);
	/* and a new referral cannot start half-way: an advisor cannot even name
	 * those columns (sql/024) */
	const char *n[] = {number};
	dbtest_fails(kdb,
	             "INSERT INTO loket.referral (question_id, reason, status, accepted_by) "
	             "SELECT id, 'advies', 'accepted', 'kvk_demo' FROM loket.question "
	             "WHERE number = $1::int",
	             1, n, "42501");
	/* the target cannot withdraw; the sender can, while it is open */
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'withdrawn'", 0, NULL, "42501");
	dbtest_ok(kdb, "UPDATE loket.referral SET status = 'withdrawn'", 0, NULL);
	ck_assert_int_eq(status_is("withdrawn"), 1);
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'in_progress'", 0, NULL, "23514");
}
END_TEST

START_TEST(the_whole_way_through)
{
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven'",
	             0, NULL, "23514"); /* not before it is accepted */
	ck_assert_int_eq(dbtest_long(ldb, "SELECT loket.referral_accept(id) FROM loket.referral", 0,
	                             NULL),
	                 2);
	dbtest_ok(ldb, "UPDATE loket.referral SET status = 'in_progress', target_note = 'Gebeld'", 0,
	          NULL);
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'completed'", 0, NULL, "23514");
	dbtest_ok(ldb,
	          "UPDATE loket.referral SET status = 'completed', outcome = 'opleiding_gekozen', "
	          "outcome_note = 'Start in september'",
	          0, NULL);
	/* the sender sees status, outcome and the times, all set by the database */
	ck_assert_int_eq(dbtest_long(kdb,
	                             "SELECT count(*) FROM loket.referral WHERE status = 'completed' "
	                             "AND outcome = 'opleiding_gekozen' AND accepted_by = 'lwl_demo' "
	                             "AND accepted_at <= in_progress_at AND in_progress_at <= "
	                             "completed_at AND version = 4",
	                             0, NULL),
	                 1);
	/* completed is final */
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'returned', return_reason = 'toch niet'",
	             0, NULL, "23514");
	dbtest_fails(kdb, "UPDATE loket.referral SET status = 'withdrawn'", 0, NULL, "23514");
	/* every step is in the question's history */
	ck_assert_int_eq(dbtest_long(kdb,
	                             "SELECT count(*) FROM loket.question_event WHERE kind = "
	                             "'referral_updated'",
	                             0, NULL),
	                 3);
}
END_TEST

START_TEST(returned_with_a_reason_and_released)
{
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'returned'", 0, NULL, "23514");
	dbtest_fails(ldb, "UPDATE loket.referral SET status = 'returned', return_reason = '   '", 0, NULL,
	             "23514");
	/* accepted by one lwl advisor: another cannot release it, the first can */
	struct db *admin = dbtest_connect(dbname, "postgres");
	/* roles belong to the cluster: another suite run may have made it */
	dbtest_ok(admin,
	          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lwl_twee') THEN "
	          "CREATE ROLE lwl_twee LOGIN IN ROLE loket_central; END IF; END $$",
	          0, NULL);
	dbtest_ok(admin,
	          "INSERT INTO loket.advisor (role_name, display_name, region, organisation, roles) "
	          "VALUES ('lwl_twee', 'Tweede adviseur', 'twente', 'lwl', '{central}')",
	          0, NULL);
	db_close(&admin);
	struct db *twee = dbtest_connect(dbname, "lwl_twee");
	dbtest_ok(ldb, "SELECT loket.referral_accept(id) FROM loket.referral", 0, NULL);
	dbtest_fails(twee, "UPDATE loket.referral SET status = 'sent'", 0, NULL, "42501");
	dbtest_ok(ldb, "UPDATE loket.referral SET status = 'sent'", 0, NULL);
	ck_assert_int_eq(dbtest_long(kdb, "SELECT count(*) FROM loket.referral WHERE status = 'sent' "
	                                  "AND accepted_by IS NULL",
	                             0, NULL),
	                 1);
	dbtest_ok(twee,
	          "UPDATE loket.referral SET status = 'returned', return_reason = 'Hoort bij het UWV'",
	          0, NULL);
	ck_assert_int_eq(dbtest_long(kdb, "SELECT count(*) FROM loket.referral WHERE status = "
	                                  "'returned' AND return_reason = 'Hoort bij het UWV' AND "
	                                  "returned_at IS NOT NULL",
	                             0, NULL),
	                 1);
	db_close(&twee);
}
END_TEST

/* Eight `loket referral accept` at once: exactly one exits 0, seven exit 3
 * naming who took it. */
START_TEST(eight_accept_at_once)
{
	enum { N = 8 };
	pid_t pids[N];
	int fds[N];
	for (int i = 0; i < N; i++) {
		int p[2];
		ck_assert_int_eq(pipe(p), 0);
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			dup2(p[1], STDERR_FILENO);
			dup2(p[1], STDOUT_FILENO);
			close(p[0]);
			execl(getenv("LOKET"), "loket", "-d", lwl, "referral", "accept", number, (char *)NULL);
			_exit(127);
		}
		close(p[1]);
		fds[i] = p[0];
	}
	int won = 0, taken = 0;
	for (int i = 0; i < N; i++) {
		char buf[1024];
		ssize_t n = read(fds[i], buf, sizeof buf - 1);
		buf[n > 0 ? n : 0] = '\0';
		close(fds[i]);
		int status = 0;
		waitpid(pids[i], &status, 0);
		ck_assert(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0) {
			won++;
		} else {
			ck_assert_msg(WEXITSTATUS(status) == 3, "exit %d: %s", WEXITSTATUS(status), buf);
			ck_assert_msg(strstr(buf, "already taken by Demo-adviseur Leerwerkloket") != NULL,
			              "%s", buf);
			taken++;
		}
	}
	ck_assert_int_eq(won, 1);
	ck_assert_int_eq(taken, N - 1);
	ck_assert_int_eq(status_is("accepted"), 1);
	ck_assert_int_eq(dbtest_long(kdb, "SELECT version FROM loket.referral", 0, NULL), 2);
}
END_TEST

/* Created on `from`, the deadline is the end of the given day (Dutch time). */
static void
deadline_is(const char *from, const char *days, const char *end)
{
	const char *p[] = {from, days, end};
	ck_assert_msg(dbtest_long(kdb,
	                          "SELECT (loket.pickup_deadline($1::timestamptz, $2::int) = "
	                          "($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')::int",
	                          3, p) == 1,
	              "%s + %s working days should end on %s", from, days, end);
}

START_TEST(deadlines_in_working_days)
{
	deadline_is("2026-11-23 10:00+01", "2", "2026-11-25");  /* Monday: Tue, Wed */
	deadline_is("2026-11-20 16:00+01", "2", "2026-11-24");  /* Friday: Mon, Tue */
	deadline_is("2026-11-21 11:00+01", "2", "2026-11-24");  /* Saturday: Mon, Tue */
	/* Thursday before Easter: Good Friday, the weekend and Easter Monday skipped */
	deadline_is("2026-04-02 10:00+02", "2", "2026-04-08");
	/* Friday before King's Day (Monday 27 April 2026) */
	deadline_is("2026-04-24 10:00+02", "2", "2026-04-29");
	/* late in the evening is still that day in the Netherlands */
	deadline_is("2026-11-23 23:30+01", "1", "2026-11-24");
	deadline_is("2026-12-23 09:00+01", "3", "2026-12-29"); /* Thu, (Christmas), Mon, Tue */
	/* the region's and a reason's own number of days */
	struct db *admin = dbtest_connect(dbname, "postgres");
	dbtest_ok(admin, "UPDATE loket.referral_reason SET pickup_days = 5 WHERE code = 'groepsvraag'", 0,
	          NULL);
	dbtest_ok(admin, "UPDATE loket.region SET pickup_days = 3 WHERE code = 'twente'", 0, NULL);
	db_close(&admin);
	const char *n[] = {number};
	dbtest_ok(kdb,
	          "INSERT INTO loket.referral (question_id, reason) SELECT id, 'groepsvraag' "
	          "FROM loket.question WHERE number = $1::int",
	          1, n);
	dbtest_ok(kdb,
	          "INSERT INTO loket.referral (question_id, reason) SELECT id, 'advies' "
	          "FROM loket.question WHERE number = $1::int",
	          1, n);
	ck_assert_int_eq(dbtest_long(kdb,
	                             "SELECT count(*) FROM loket.referral WHERE "
	                             "deadline = loket.pickup_deadline(created_at, CASE reason WHEN "
	                             "'groepsvraag' THEN 5 WHEN 'advies' THEN 3 ELSE 2 END)",
	                             0, NULL),
	                 3);
	/* overdue: the CLI lists it with --overdue */
	admin = dbtest_connect(dbname, "postgres");
	/* (the deadline is fixed once made: only with the triggers off) */
	dbtest_ok(admin, "ALTER TABLE loket.referral DISABLE TRIGGER USER", 0, NULL);
	dbtest_ok(admin,
	          "UPDATE loket.referral SET deadline = now() - interval '1 hour' WHERE reason = 'evc'",
	          0, NULL);
	dbtest_ok(admin, "ALTER TABLE loket.referral ENABLE TRIGGER USER", 0, NULL);
	db_close(&admin);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "list", "--overdue",
	                              "--format", "csv", NULL),
	                 0);
	ck_assert_msg(strstr(out, ",evc,") != NULL && strstr(out, ",advies,") == NULL, "%s", out);
	ck_assert_msg(strstr(out, ",true,") != NULL, "%s", out);
	free(out), free(err);
}
END_TEST

/* Wait up to `ms` (polling) until c has heard at least `want`
 * notifications; returns how many it heard, each as "channel=payload;" in
 * what (of size n). */
static int
heard(PGconn *c, int want, int ms, char *what, size_t n)
{
	int count = 0;
	what[0] = '\0';
	for (int waited = 0; waited <= ms && count < want; waited += 100) {
		PQconsumeInput(c);
		PGnotify *m;
		while ((m = PQnotifies(c))) {
			size_t len = strlen(what);
			snprintf(what + len, n - len, "%s=%s;", m->relname, m->extra);
			count++;
			PQfreemem(m);
		}
		if (count >= want)
			break;
		struct pollfd p = {PQsocket(c), POLLIN, 0};
		poll(&p, 1, 100);
	}
	return count;
}

static PGconn *
listener(const char *conninfo, const char *sql, const char *expect)
{
	PGconn *c = PQconnectdb(conninfo);
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK,
	              "%s: %s", sql, PQerrorMessage(c));
	if (expect)
		ck_assert_str_eq(PQgetvalue(r, 0, 0), expect);
	PQclear(r);
	return c;
}

/* Both organisations hear that something changed, and nothing more: no
 * referral id, number, organisation or state, on a channel whose name
 * nobody else can learn.  Another organisation (cnv) listening on every
 * channel it could guess, and kvk on the central point's, hear nothing. */
START_TEST(notifications_say_only_look_again)
{
	char cnv[1024], spy_sql[512];
	snprintf(cnv, sizeof cnv, "%s", dbtest_conninfo(dbname, "cnv_demo"));
	PGconn *central = listener(lwl, "SELECT loket.notify_listen()", "t");
	PGconn *sender = listener(kvk, "SELECT loket.notify_listen()", "t");
	PGconn *kspy = listener(kvk, "LISTEN loket_lwl; LISTEN loket_cnv; LISTEN loket", NULL);
	snprintf(spy_sql, sizeof spy_sql,
	         "LISTEN loket_lwl; LISTEN loket_kvk; LISTEN loket_cnv; LISTEN loket; "
	         "LISTEN loket_twente; LISTEN lwl; LISTEN kvk; LISTEN referral; LISTEN loket_%s",
	         number);
	PGconn *spy = listener(cnv, spy_sql, NULL);
	PQclear(PQexec(spy, "SELECT loket.notify_listen()")); /* its own organisation's */
	/* the channel names cannot be read, nor asked for another organisation */
	struct db *cdb = dbtest_connect(dbname, "cnv_demo");
	dbtest_fails(cdb, "SELECT channel FROM loket.notify_channel", 0, NULL, "42501");
	dbtest_fails(cdb, "SELECT loket.org_channel('lwl')", 0, NULL, "42501");
	dbtest_fails(cdb, "SELECT pg_notify(loket.org_channel('lwl'), 'x')", 0, NULL, "42501");
	db_close(&cdb);
	struct db *sdb = dbtest_connect(dbname, "supervisor_demo");
	ck_assert_int_eq(dbtest_long(sdb, "SELECT count(*) WHERE NOT loket.notify_listen()", 0, NULL),
	                 1);
	db_close(&sdb);

	dbtest_ok(ldb, "SELECT loket.referral_accept(id) FROM loket.referral", 0, NULL);
	dbtest_ok(ldb, "UPDATE loket.referral SET status = 'in_progress'", 0, NULL);
	dbtest_ok(ldb, "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven'",
	          0, NULL);
	char got[4096], sent[4096], other[4096];
	ck_assert_int_eq(heard(central, 3, 20000, got, sizeof got), 3);
	ck_assert_int_eq(heard(sender, 3, 20000, sent, sizeof sent), 3);
	/* the payload is empty; the channels are neither the old names nor the
	 * same for both organisations */
	const char *ch_lwl = got, *ch_kvk = sent;
	ck_assert_msg(strncmp(ch_lwl, "loket_", 6) == 0 && strlen(ch_lwl) == 3 * 40, "%s", got);
	ck_assert_msg(strncmp(ch_kvk, "loket_", 6) == 0 && strlen(ch_kvk) == 3 * 40, "%s", sent);
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(strncmp(got + 40 * i, got, 40) == 0 && got[40 * i + 38] == '=' &&
		                  got[40 * i + 39] == ';',
		              "%s", got);
		ck_assert_msg(strncmp(sent + 40 * i, sent, 40) == 0 && sent[40 * i + 38] == '=' &&
		                  sent[40 * i + 39] == ';',
		              "%s", sent);
	}
	ck_assert_msg(strncmp(got, sent, 38) != 0, "%s %s", got, sent);
	ck_assert_msg(strstr(got, "lwl") == NULL && strstr(sent, "kvk") == NULL, "%s %s", got, sent);
	/* the others heard nothing at all (their backends were told at the same
	 * commits; give them time anyway) */
	ck_assert_msg(heard(spy, 1, 2000, other, sizeof other) == 0, "cnv heard %s", other);
	ck_assert_msg(heard(kspy, 1, 500, other, sizeof other) == 0, "kvk heard %s", other);
	PQfinish(central);
	PQfinish(sender);
	PQfinish(kspy);
	PQfinish(spy);
}
END_TEST

START_TEST(cli_exit_codes)
{
	char *out = NULL, *err = NULL;
	/* the sender cannot accept */
	ck_assert_int_ne(dbtest_loket(kvk, NULL, &out, &err, "referral", "accept", number, NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "accept", number, NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "update", number, "--status",
	                              "in_progress", "--note", "Afspraak gemaakt", NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "complete", number, NULL), 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "complete", number,
	                              "--outcome", "bestaat_niet", NULL),
	                 1);
	ck_assert_msg(strstr(err, "unknown outcome") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "complete", number,
	                              "--outcome", "advies_gegeven", NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "return", number, "--reason",
	                              "te laat", NULL),
	                 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "accept", "99999", NULL), 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "referral", "list", "--status",
	                              "completed", "--format", "json", NULL),
	                 0);
	ck_assert_msg(strstr(out, "\"advies_gegeven\"") != NULL, "%s", out);
	free(out), free(err);
	/* with consent, contact details are required, and go in the same transaction */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", number, "--reason",
	                              "advies", "--consent", NULL),
	                 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", number, "--reason",
	                              "advies", "--consent", "--name", "Els Nijhuis", "--phone",
	                              "0612345678", NULL),
	                 0);
	free(out), free(err);
	/* stored with consent; the name only through client_contact, after
	 * the read was logged (sql/035, 038) */
	const char *qn[] = {number};
	dbtest_ok(kdb,
	          "SELECT loket.client_contact_ask(ARRAY(SELECT id FROM loket.question "
	          "WHERE number = $1::int), 'case show')",
	          1, qn);
	ck_assert_int_eq(dbtest_long(kdb,
	                             "SELECT count(*) FROM loket.client c JOIN loket.question q "
	                             "ON q.id = c.question_id WHERE q.number = $1::int "
	                             "AND c.consent_at IS NOT NULL AND EXISTS (SELECT 1 FROM "
	                             "loket.client_contact(q.id, 'case show') k "
	                             "WHERE k.name = 'Els Nijhuis')",
	                             1, qn),
	                 1);
	/* the withdrawal of the newest referral by the sender */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "referral", "withdraw", number, NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(status_is("withdrawn"), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("referral");
	TCase *tc = tcase_create("lifecycle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_sender_cannot_do_the_targets_part);
	tcase_add_test(tc, the_whole_way_through);
	tcase_add_test(tc, returned_with_a_reason_and_released);
	tcase_add_test(tc, eight_accept_at_once);
	tcase_add_test(tc, deadlines_in_working_days);
	tcase_add_test(tc, notifications_say_only_look_again);
	tcase_add_test(tc, cli_exit_codes);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
