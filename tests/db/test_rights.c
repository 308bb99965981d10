/* test_rights.c: a person's rights (sql/037, issue 16 parts 4 and 5), as
 * the real demo login roles:
 *   - the client withdraws consent (`case consent N --withdraw`, by the
 *     central point here): the details are gone for everyone at once, case
 *     show says "consent withdrawn", no summary mail can be prepared, the
 *     history says so, and it cannot be withdrawn twice or by another
 *     organisation;
 *   - `privacy export` (privacy_demo) by e-mail gives every question of the
 *     person with its text, the referral's note, the details and the reads,
 *     and is itself logged; an advisor may not export;
 *   - `privacy erase --question N --reason` removes the person's details and
 *     free text (the extra fields' values too, sql/040) from every question
 *     with the same e-mail address, in the history too, records who did it
 *     and why, and leaves another person's question as it was;
 *   - the intake form's Ctrl-O on a change (sql/040): the moved details leave
 *     the history of the question's own organisation, and nothing else can
 *     be taken out of a history that way. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg;
static char withdrawn[16], first[16], second[16], other[16], mention[16];

static void
add(char *number, const char *text, const char *name, const char *email)
{
	const char *kvk = dbtest_conninfo(dbname, "kvk_demo");
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text", text, NULL),
	                 0);
	snprintf(number, 16, "%d", atoi(out));
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", number, "--reason",
	                              "advies", "--note", "Bellen na vijven", "--consent", "--name",
	                              name, "--email", email, NULL),
	                 0);
	free(out), free(err);
}

static void
setup(void)
{
	dbname = dbtest_create("rights", true);
	pg = dbtest_connect(dbname, "postgres");
	add(withdrawn, "Vraag over scholing", "Piet Klant", "piet@example.nl");
	add(first, "Vraag van Els over EVC", "Els Nijhuis", "els@example.nl");
	add(second, "Tweede vraag van Els", "E. Nijhuis", "ELS@example.nl");
	add(other, "Vraag van Kees", "Kees Boer", "kees@example.nl");
	/* another question that names Els's address in its text (and Kees's) */
	const char *kvk = dbtest_conninfo(dbname, "kvk_demo");
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkgever",
	                              "--topic", "evc", "--channel", "balie", "--text",
	                              "Werkgever vraagt naar EVC voor Els (Els@Example.nl) en "
	                              "kees@example.nl",
	                              NULL),
	                 0);
	snprintf(mention, sizeof mention, "%d", atoi(out));
	free(out), free(err);
}

static void
teardown(void)
{
	db_close(&pg);
	dbtest_drop(dbname);
}

static int
loket(const char *role, char **out, char **err, const char *a1, const char *a2, const char *a3,
      const char *a4, const char *a5, const char *a6)
{
	return dbtest_loket(dbtest_conninfo(dbname, role), NULL, out, err, a1, a2, a3, a4, a5, a6,
	                    NULL);
}

START_TEST(consent_withdrawn)
{
	char *out = NULL, *err = NULL;
	/* another organisation may not */
	ck_assert_int_eq(loket("cnv_demo", &out, &err, "case", "consent", withdrawn, "--withdraw",
	                       NULL, NULL),
	                 1);
	free(out), free(err);
	/* the central point, to which it was referred with consent, may */
	ck_assert_int_eq(loket("lwl_demo", &out, &err, "case", "consent", withdrawn, "--withdraw",
	                       NULL, NULL),
	                 0);
	free(out), free(err);
	const char *p[] = {withdrawn};
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.client c JOIN loket.question q ON "
	                             "q.id = c.question_id WHERE q.number = $1::int AND c.name IS NULL "
	                             "AND c.email IS NULL AND c.anonymised_at IS NOT NULL AND "
	                             "c.consent_withdrawn_at IS NOT NULL",
	                             1, p),
	                 1);
	/* both organisations see that, and not the details */
	const char *roles[] = {"kvk_demo", "lwl_demo"};
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(loket(roles[i], &out, &err, "case", "show", withdrawn, "--contact", NULL,
		                       NULL),
		                 0);
		ck_assert_msg(strstr(out, "consent withdrawn") != NULL, "%s", out);
		ck_assert_msg(strstr(out, "Piet") == NULL && strstr(out, "piet@") == NULL, "%s", out);
		ck_assert_msg(strstr(out, "the client withdrew consent: contact details removed"),
		              "%s", out);
		ck_assert_msg(strstr(out, ", contact details shared, since removed"), "%s", out);
		free(out), free(err);
	}
	/* no summary mail any more */
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk, "SELECT * FROM loket.mail_summary($1::int)", 1, p, "23514");
	db_close(&kvk);
	/* one event says it, not also a change of the contact details */
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND e.kind "
	                             "IN ('client_updated', 'consent_withdrawn')",
	                             1, p),
	                 1);
	/* a question that is not there is said to be not there */
	ck_assert_int_eq(loket("kvk_demo", &out, &err, "case", "consent", "99999", "--withdraw",
	                       NULL, NULL),
	                 1);
	ck_assert_msg(strstr(err, "question 99999 does not exist"), "%s", err);
	free(out), free(err);
	/* not twice */
	ck_assert_int_eq(loket("kvk_demo", &out, &err, "case", "consent", withdrawn, "--withdraw",
	                       NULL, NULL),
	                 1);
	ck_assert_msg(strstr(err, "already") != NULL, "%s", err);
	free(out), free(err);
}
END_TEST

/* One phone number, written two ways in two questions: an export by
 * either finds both (sql/038). */
START_TEST(phone_written_two_ways)
{
	const char *kvk = dbtest_conninfo(dbname, "kvk_demo");
	const char *ways[] = {"+31 6 11112222", "06-11112222"};
	for (int i = 0; i < 2; i++) {
		char *out = NULL, *err = NULL, n[16];
		ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group",
		                              "werkende", "--topic", "evc", "--channel", "telefoon",
		                              "--text", i ? "Telefoonvraag twee" : "Telefoonvraag een",
		                              NULL),
		                 0);
		snprintf(n, sizeof n, "%d", atoi(out));
		free(out), free(err);
		ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", n, "--reason",
		                              "advies", "--consent", "--name", "Anna", "--phone", ways[i],
		                              NULL),
		                 0);
		free(out), free(err);
	}
	/* referring it again, without consent, is a second referral: said */
	char *o2 = NULL, *e2 = NULL;
	char n1[16];
	snprintf(n1, sizeof n1, "%ld",
	         dbtest_long(pg, "SELECT number FROM loket.question WHERE text = 'Telefoonvraag een'",
	                     0, NULL));
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &o2, &e2, "case", "refer", n1, "--reason", "advies",
	                              NULL),
	                 0);
	ck_assert_msg(strstr(e2, "is still open; this is a second referral"), "%s", e2);
	free(o2), free(e2);
	/* the number typed in another question's text, written a third way */
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "telefoon", "--text",
	                              "Terugbellen op +31 (0)6-1111 2222 graag", NULL),
	                 0);
	free(out), free(err);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(loket("privacy_demo", &out, &err, "privacy", "export", "--phone",
		                       i ? "0031611112222" : "06 1111 2222", NULL, NULL),
		                 0);
		ck_assert_msg(strstr(out, "Telefoonvraag een") && strstr(out, "Telefoonvraag twee"), "%s",
		              out);
		ck_assert_msg(strstr(out, "Terugbellen op +31 (0)6-1111 2222 graag"), "%s", out);
		free(out), free(err);
	}
}
END_TEST

/* A withdrawal also takes the number out of the question's own text and
 * its history; consent given again afterwards counts (sql/043). */
START_TEST(withdrawal_and_consent_again)
{
	const char *kvk = dbtest_conninfo(dbname, "kvk_demo");
	char *out = NULL, *err = NULL, n[16];
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "telefoon", "--text",
	                              "Terugbellen op 06-3333 4444 na de lunch", NULL),
	                 0);
	ck_assert_msg(strstr(err, "contact details belong with the client's consent"), "%s", err);
	snprintf(n, sizeof n, "%d", atoi(out));
	free(out), free(err);
	const char *p[] = {n};
	struct db *k = dbtest_connect(dbname, "kvk_demo");
	dbtest_ok(k, "UPDATE loket.question SET text = 'Terugbellen op 06-3333 4444 na de lunch!' "
	             "WHERE number = $1::int", 1, p);
	db_close(&k);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", n, "--reason", "advies",
	                              "--consent", "--name", "Wim", "--phone", "0633334444", NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "consent", n, "--withdraw",
	                              NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question WHERE number = $1::int AND "
	                             "text = 'Terugbellen op [toestemming ingetrokken] na de lunch!'",
	                             1, p),
	                 1);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND "
	                             "e.detail::text LIKE '%3333 4444%'",
	                             1, p),
	                 0);
	/* consent again, with new details: they count, and the purge would see them */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", n, "--reason", "advies",
	                              "--consent", "--name", "Wim W.", "--email", "wim@example.nl",
	                              NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.client c JOIN loket.question q ON "
	                             "q.id = c.question_id WHERE q.number = $1::int AND "
	                             "c.consent_withdrawn_at IS NULL AND c.anonymised_at IS NULL AND "
	                             "c.email = 'wim@example.nl'",
	                             1, p),
	                 1);
	/* on the referral that is still open, not a second one */
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.referral r JOIN loket.question q ON "
	                             "q.id = r.question_id WHERE q.number = $1::int",
	                             1, p),
	                 1);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "show", n, "--contact", NULL), 0);
	ck_assert_msg(strstr(out, "Name:          Wim W.") &&
	                  strstr(out, "E-mail:        wim@example.nl"),
	              "%s", out);
	/* the history: the advisor's change, and the withdrawal; not a line for
	 * the withdrawal's own change of the text (marked "scrub", sql/043) */
	const char *first_change = strstr(out, "question changed: question text");
	ck_assert_msg(first_change && !strstr(first_change + 1, "question changed: question text"),
	              "%s", out);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND "
	                             "e.detail ? 'scrub'",
	                             1, p),
	                 1);
	free(out), free(err);
}
END_TEST

/* A number from abroad (sql/042): stored, and found by an export by it,
 * also where it was typed in another question's text. */
START_TEST(phone_from_abroad)
{
	const char *kvk = dbtest_conninfo(dbname, "kvk_demo");
	char *out = NULL, *err = NULL, n[16];
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "telefoon", "--text",
	                              "Grensarbeider uit Gronau", NULL),
	                 0);
	snprintf(n, sizeof n, "%d", atoi(out));
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", n, "--reason", "advies",
	                              "--consent", "--name", "Jonas", "--phone", "+49 2562 123456",
	                              NULL),
	                 0);
	free(out), free(err);
	const char *p[] = {n};
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.client c JOIN loket.question q ON "
	                             "q.id = c.question_id WHERE q.number = $1::int AND c.phone = "
	                             "'+492562123456'",
	                             1, p),
	                 1);
	/* still no other country's 31, nor too few digits */
	ck_assert_int_ne(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", n, "--reason",
	                              "advies", "--consent", "--name", "Jonas", "--phone", "+49 25",
	                              NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "telefoon", "--text",
	                              "Jonas belt terug via +49 2562 12 34 56", NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(loket("privacy_demo", &out, &err, "privacy", "export", "--phone",
	                       "+492562123456", NULL, NULL),
	                 0);
	ck_assert_msg(strstr(out, "Grensarbeider uit Gronau") &&
	                  strstr(out, "Jonas belt terug via +49 2562 12 34 56"),
	              "%s", out);
	free(out), free(err);
}
END_TEST

START_TEST(export_and_erase)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(loket("kvk_demo", &out, &err, "privacy", "export", "--email",
	                       "els@example.nl", NULL, NULL),
	                 1);
	free(out), free(err);
	ck_assert_int_eq(loket("privacy_demo", &out, &err, "privacy", "export", "--email",
	                       "els@example.nl", NULL, NULL),
	                 0);
	/* both of Els's questions (one address written in capitals), not Kees's */
	const char *want[] = {"Vraag van Els over EVC", "Tweede vraag van Els", "Els Nijhuis",
	                      "E. Nijhuis", "Bellen na vijven", "\"where\": \"export\""};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(out, want[i]) != NULL, "'%s' not in:\n%s", want[i], out);
	ck_assert_msg(strstr(out, "Kees") == NULL, "%s", out);
	/* and the question that names her address, as a mention */
	ck_assert_msg(strstr(out, "\"mentioned_in\"") && strstr(out, "(Els@Example.nl)"), "%s",
	              out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.personal_read WHERE context = "
	                                 "'export' AND role_name = 'privacy_demo'",
	                             0, NULL),
	                 2);
	/* an earlier version of the text, in the history */
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	const char *sp[] = {second};
	dbtest_ok(kvk, "UPDATE loket.question SET text = 'Tweede vraag van Els, aangevuld' "
	               "WHERE number = $1::int", 1, sp);
	db_close(&kvk);
	/* a field an organisation added to its intake form */
	const char *f[] = {first};
	dbtest_ok(pg, "UPDATE loket.question SET extra = '{\"contactpersoon\": \"Els N.\"}' "
	              "WHERE number = $1::int", 1, f);
	/* erase, asked by the question */
	ck_assert_int_eq(loket("kvk_demo", &out, &err, "privacy", "erase", "--question", first, NULL,
	                       NULL),
	                 1);
	free(out), free(err);
	ck_assert_int_eq(loket("privacy_demo", &out, &err, "privacy", "erase", "--question", "99999",
	                       NULL, NULL),
	                 1);
	free(out), free(err);
	ck_assert_int_eq(loket("privacy_demo", &out, &err, "privacy", "erase", "--question", first,
	                       "--reason", "Verzoek per brief van 3 december"),
	                 0);
	ck_assert_msg(strstr(out, "3") != NULL, "%s", out); /* two of hers, one mention */
	free(out), free(err);
	/* the mention is gone from that question and its history, the rest stays */
	const char *m[] = {mention};
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question WHERE number = $1::int AND "
	                             "text = 'Werkgever vraagt naar EVC voor Els ([verwijderd op "
	                             "verzoek]) en kees@example.nl'",
	                             1, m),
	                 1);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND "
	                             "e.detail::text ILIKE '%els@example%'",
	                             1, m),
	                 0);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND e.kind = "
	                             "'privacy_erased' AND e.detail->>'mention' = 'true'",
	                             1, m),
	                 1);
	const char *qs[] = {first, second};
	for (int i = 0; i < 2; i++) {
		const char *p[] = {qs[i]};
		ck_assert_int_eq(
		    dbtest_long(pg,
		                "SELECT count(*) FROM loket.question q JOIN loket.client c ON "
		                "c.question_id = q.id JOIN loket.referral r ON r.question_id = q.id "
		                "WHERE q.number = $1::int AND q.text = '[verwijderd op verzoek]' AND "
		                "NOT q.extra::text LIKE '%Els%' AND "
		                "c.name IS NULL AND c.email IS NULL AND c.anonymised_at IS NOT NULL AND "
		                "r.note = '[verwijderd op verzoek]'",
		                1, p),
		    1);
		ck_assert_int_eq(dbtest_long(pg,
		                             "SELECT count(*) FROM loket.question_event e JOIN "
		                             "loket.question q ON q.id = e.question_id WHERE q.number = "
		                             "$1::int AND (e.detail::text LIKE '%Els%' OR e.detail::text "
		                             "LIKE '%vijven%')",
		                             1, p),
		                 0);
		ck_assert_int_eq(dbtest_long(pg,
		                             "SELECT count(*) FROM loket.question_event e JOIN "
		                             "loket.question q ON q.id = e.question_id WHERE q.number = "
		                             "$1::int AND e.kind = 'privacy_erased' AND e.actor = "
		                             "'privacy_demo' AND e.detail->>'reason' LIKE 'Verzoek%'",
		                             1, p),
		                 1);
	}
	/* Kees's question as it was */
	const char *k[] = {other};
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question q JOIN loket.client c ON "
	                             "c.question_id = q.id WHERE q.number = $1::int AND q.text = "
	                             "'Vraag van Kees' AND c.name = 'Kees Boer'",
	                             1, k),
	                 1);
	/* the sender's screen says what happened, in words */
	ck_assert_int_eq(loket("kvk_demo", &out, &err, "case", "show", second, NULL, NULL, NULL), 0);
	ck_assert_msg(strstr(out, "personal data erased on request: Verzoek per brief") != NULL, "%s",
	              out);
	/* the change of the text: the field, and the marker once, not "x" → "x" */
	ck_assert_msg(strstr(out, "question text \"[verwijderd op verzoek]\"") != NULL &&
	                  strstr(out, "\"[verwijderd op verzoek]\" → ") == NULL,
	              "%s", out);
	/* and the referral says the details are gone, not that they are shared */
	ck_assert_msg(strstr(out, "Contact:       removed") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "--contact shows them") == NULL, "%s", out);
	free(out), free(err);
}
END_TEST

/* question_contact_moved (sql/040), as the demo advisors with psql would
 * call it: only their own question's history, only e-mail addresses and
 * phone numbers no longer in its text. */
START_TEST(contact_moved)
{
	char *out = NULL, *err = NULL, n[16];
	const char *kvk_ci = dbtest_conninfo(dbname, "kvk_demo");
	ck_assert_int_eq(dbtest_loket(kvk_ci, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text",
	                              "EVC, bel 06-44445555", NULL),
	                 0);
	snprintf(n, sizeof n, "%d", atoi(out));
	free(out), free(err);
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	const char *p[] = {n};
	dbtest_ok(kvk, "UPDATE loket.question SET text = 'EVC, bel [contactgegevens]' "
	               "WHERE number = $1::int", 1, p);
	const char *sql = "SELECT loket.question_contact_moved((SELECT id FROM loket.question "
	                  "WHERE number = $1::int), ARRAY[$2])";
	const char *moved[] = {n, "06-44445555"};
	char id[64] = "";
	{
		struct db_result *r = NULL;
		struct db_error e = {0};
		ck_assert(db_query(pg, "SELECT id FROM loket.question WHERE number = $1::int", 1, p, &r,
		                   &e));
		snprintf(id, sizeof id, "%s", db_result_get(r, 0, 0));
		db_result_free(&r);
	}
	const char *by_id[] = {id, "06-44445555"};
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	dbtest_fails(cnv, "SELECT loket.question_contact_moved($1::uuid, ARRAY[$2])", 2, by_id,
	             "P0002");
	db_close(&cnv);
	const char *not_contact[] = {n, "EVC"}, *still[] = {n, "[contactgegevens]"},
	           *word[] = {n, "bel 06"};
	dbtest_fails(kvk, sql, 2, not_contact, "22023");
	dbtest_fails(kvk, sql, 2, still, "22023");
	dbtest_fails(kvk, sql, 2, word, "22023");
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND "
	                             "e.detail::text LIKE '%44445555%'",
	                             1, p),
	                 1);
	/* a string no version held: nothing changes, and no line is added */
	const char *never[] = {n, "06-99998888"};
	dbtest_ok(kvk, sql, 2, never);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND e.kind = "
	                             "'contact_moved'",
	                             1, p),
	                 0);
	dbtest_ok(kvk, sql, 2, moved);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND "
	                             "(e.detail::text LIKE '%44445555%' OR (e.kind = 'updated' AND "
	                             "e.detail->'text'->>'old' <> 'EVC, bel [contactgegevens]'))",
	                             1, p),
	                 0);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.question_event e JOIN loket.question "
	                             "q ON q.id = e.question_id WHERE q.number = $1::int AND e.kind = "
	                             "'contact_moved' AND e.actor = 'kvk_demo'",
	                             1, p),
	                 1);
	/* the history itself stays closed to the advisor */
	dbtest_fails(kvk, "UPDATE loket.question_event SET detail = '{}' WHERE question_id = "
	                  "(SELECT id FROM loket.question WHERE number = $1::int)",
	             1, p, "42501");
	db_close(&kvk);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rights");
	TCase *tc = tcase_create("rights");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, consent_withdrawn);
	tcase_add_test(tc, export_and_erase);
	tcase_add_test(tc, phone_written_two_ways);
	tcase_add_test(tc, contact_moved);
	tcase_add_test(tc, phone_from_abroad);
	tcase_add_test(tc, withdrawal_and_consent_again);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
