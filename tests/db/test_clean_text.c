/* test_clean_text.c: the rule of sql/022, as an advisor meets it.  Text a
 * person types may hold no control, bidi or invisible character: the
 * database refuses them in every such column, whoever writes (plain SQL as
 * the real login role kvk_demo, and the loket binary); the refusal names
 * the field and says why; and the database's set of characters is exactly
 * the one the forms refuse and the sanitiser shows as symbols. */
#include "config.h"

#include "dbtest.h"
#include "model/refusal.h"
#include "util/strbuf.h"
#include "util/textedit.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *kvk;

#define Q1 "00000000-0000-4000-8000-0000000000c1"
#define RLO "\xe2\x80\xae" /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define ZWSP "\xe2\x80\x8b" /* U+200B ZERO WIDTH SPACE */

static const char *const add_sql =
	"INSERT INTO loket.question (id, channel, client_group, topic, text) "
	"VALUES ($1::uuid, 'balie', 'werkende', 'evc', $2)";

static void
setup(void)
{
	dbname = dbtest_create("clean_text", true);
	kvk = dbtest_connect(dbname, "kvk_demo");
	const char *p[] = {Q1, "Een vraag\nover twee regels,\tmet een tab"};
	dbtest_ok(kvk, add_sql, 2, p);
}

static void
teardown(void)
{
	db_close(&kvk);
	dbtest_drop(dbname);
}

/* Run sql as kvk_demo; it must be refused with constraint `constraint`,
 * which refusal_find maps to field `column`. */
static void
refused(const char *sql, int n, const char *const *params, const char *constraint,
        const char *column)
{
	struct db_error err = {0};
	ck_assert_msg(!db_query(kvk, sql, n, params, NULL, &err), "accepted: %s", sql);
	ck_assert_str_eq(err.sqlstate, "23514");
	ck_assert_ptr_nonnull(err.constraint);
	ck_assert_str_eq(err.constraint, constraint);
	struct refusal r;
	ck_assert(refusal_find(&err, &r));
	ck_assert_str_eq(r.column, column);
	ck_assert_ptr_nonnull(strstr(r.message, "invisible"));
	db_error_clear(&err);
}

START_TEST(advisor_cannot_store_hidden_characters)
{
	const char *q[] = {"00000000-0000-4000-8000-0000000000c2", "Betaald " RLO "0001 EUR"};
	refused(add_sql, 2, q, "question_text_clean", "text");
	q[1] = "zero" ZWSP "width";
	refused(add_sql, 2, q, "question_text_clean", "text");
	q[1] = "wis \x1b[2J het scherm";
	refused(add_sql, 2, q, "question_text_clean", "text");
	const char *u[] = {Q1, "nieuw " RLO};
	refused("UPDATE loket.question SET text = $2 WHERE id = $1::uuid", 2, u,
	        "question_text_clean", "text");
	const char *x[] = {Q1, "{\"werkgever\": \"Acme" ZWSP "\"}"};
	struct db_error err = {0};
	ck_assert(!db_query(kvk, "UPDATE loket.question SET extra = $2::jsonb WHERE id = $1::uuid",
	                    2, x, NULL, &err));
	ck_assert_str_eq(err.constraint, "question_extra_clean");
	db_error_clear(&err);
	const char *r[] = {Q1, "Bel na 17 uur" RLO};
	refused("INSERT INTO loket.referral (question_id, reason, note) VALUES ($1::uuid, 'advies', $2)",
	        2, r, "referral_note_clean", "note");
	const char *c[] = {Q1, "Jan\nJansen"};
	refused("INSERT INTO loket.client (question_id, kind, name, email, consent_at) "
	        "VALUES ($1::uuid, 'person', $2, 'jan@example.nl', now())",
	        2, c, "client_name_clean", "name");
	const char *s[] = {"Geen aanbod" ZWSP};
	refused("INSERT INTO loket.signal (kind, topic, text) VALUES ('ontbrekend_aanbod', 'evc', $1)",
	        1, s, "signal_text_clean", "text");
	/* and text without them still goes in, line breaks and tabs included */
	const char *ok[] = {Q1, "Bel na 17 uur,\nliefst op dinsdag.\tDank!"};
	dbtest_ok(kvk,
	          "INSERT INTO loket.referral (question_id, reason, note) VALUES ($1::uuid, 'advies', $2)",
	          2, ok);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question", 0, NULL), 1);
}
END_TEST

START_TEST(knowledge_columns_have_the_rule)
{
	ck_assert_int_eq(
		dbtest_long(kvk,
		            "SELECT count(*) FROM pg_constraint WHERE conrelid = "
		            "'loket.knowledge_version'::regclass AND conname IN "
		            "('knowledge_version_title_clean', 'knowledge_version_tell_client_clean', "
		            "'knowledge_version_body_clean')",
		            0, NULL),
		3);
}
END_TEST

/* The code points a mode refuses, as PostgreSQL's array literal. */
static char *
refused_set(bool multiline)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_addc(&sb, '{');
	bool first = true;
	for (uint32_t cp = 1; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (textedit_refuses(cp, multiline)) {
			strbuf_addf(&sb, "%s%u", first ? "" : ",", (unsigned)cp);
			first = false;
		}
	}
	strbuf_addc(&sb, '}');
	return strbuf_detach(&sb);
}

START_TEST(database_and_forms_refuse_the_same)
{
	for (int m = 0; m < 2; m++) {
		char *set = refused_set(m == 1);
		const char *p[] = {set, m ? "true" : "false"};
		long differ = dbtest_long(
			kvk,
			"WITH db AS (SELECT cp FROM (SELECT generate_series(1, 55295) "
			"                            UNION ALL SELECT generate_series(57344, 1114111)) s(cp) "
			"            WHERE NOT loket.text_is_clean(chr(cp), $2::boolean)), "
			"     c AS (SELECT unnest($1::int[]) cp) "
			"SELECT count(*) FROM ((TABLE db EXCEPT TABLE c) UNION ALL (TABLE c EXCEPT TABLE db)) d",
			2, p);
		ck_assert_msg(differ == 0, "%ld code points differ (multiline=%d)", differ, m);
		free(set);
	}
}
END_TEST

START_TEST(cli_says_why_in_words)
{
	char *out = NULL, *err = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, "kvk_demo"), "Kan ik " RLO "dit?", &out, &err,
	                      "case", "add", "--group", "werkende", "--topic", "evc", "--channel",
	                      "balie", "--text", "-", NULL);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(err, "invisible") != NULL, "stderr: %s", err);
	ck_assert_msg(strstr(err, "violates") == NULL, "the server's English reached the user: %s",
	              err);
	free(out);
	free(err);
}
END_TEST

/* sql/027: a catalogue's link is a web address without controls, whoever
 * stores it (here the catalogue sync, as the knowledge editor). */
static const char *
sync_page(const char *link)
{
	static char body[512];
	snprintf(body, sizeof body,
	         "{\"hasNextPage\": false, \"items\": [{\"offeringId\": "
	         "\"a1b2c3d4-0000-4000-8000-000000000001\", \"offeringType\": \"course\", "
	         "\"name\": [{\"language\": \"nl-NL\", \"value\": \"Cursus\"}], \"link\": \"%s\"}]}",
	         link);
	return body;
}

START_TEST(catalogue_link_holds_no_control)
{
	struct db *ed = dbtest_connect(dbname, "editor_demo");
	const char *bad[] = {"https://x.example/\\u001b]52;c;aGk=\\u0007",
	                     "https://x.example/\\u009b2J", "https://x.example/\\u202eabc"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char sync[32];
		snprintf(sync, sizeof sync, "%ld",
		         dbtest_long(ed, "SELECT loket.offering_sync_begin('https://example.test/o')", 0,
		                     NULL));
		const char *p[] = {sync, sync_page(bad[i])};
		struct db_error err = {0};
		ck_assert_msg(!db_query(ed, "SELECT * FROM loket.offering_sync_page($1::bigint, 1, $2)",
		                        2, p, NULL, &err),
		              "stored: %s", bad[i]);
		ck_assert_str_eq(err.sqlstate, "23514");
		ck_assert_str_eq(err.constraint, "offering_link_clean");
		db_error_clear(&err);
	}
	ck_assert_int_eq(dbtest_long(ed, "SELECT count(*) FROM loket.offering", 0, NULL), 0);
	char sync[32];
	snprintf(sync, sizeof sync, "%ld",
	         dbtest_long(ed, "SELECT loket.offering_sync_begin('https://example.test/o')", 0, NULL));
	const char *p[] = {sync, sync_page("https://x.example/cursus?id=1")};
	dbtest_ok(ed, "SELECT * FROM loket.offering_sync_page($1::bigint, 1, $2)", 2, p);
	/* nor by hand, as the editor may write offerings */
	const char *q[] = {"https://x.example/\x1b]0;x\x07"};
	dbtest_fails(ed, "UPDATE loket.offering SET link = $1", 1, q, "23514");
	db_close(&ed);
}
END_TEST

/* An unknown field in a query's jsonb (psql can send any) is refused as
 * such, not as a syntax error that shows the generated SQL. */
START_TEST(query_unknown_field_is_named)
{
	const char *p[] = {"{\"terms\": [{\"field\": \"bogus\", \"values\": [\"x\"]}]}"};
	const char *sql[] = {"SELECT * FROM loket.query_rows($1::jsonb)",
	                     "SELECT * FROM loket.query_count($1::jsonb)"};
	for (int i = 0; i < 2; i++) {
		struct db_error err = {0};
		ck_assert(!db_query(kvk, sql[i], 1, p, NULL, &err));
		ck_assert_str_eq(err.sqlstate, "22023");
		ck_assert_msg(strstr(err.message, "unknown field bogus") != NULL, "%s", err.message);
		db_error_clear(&err);
	}
}
END_TEST

static Suite *
clean_text_suite(void)
{
	Suite *s = suite_create("clean_text");
	TCase *t = tcase_create("rule");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, advisor_cannot_store_hidden_characters);
	tcase_add_test(t, knowledge_columns_have_the_rule);
	tcase_add_test(t, database_and_forms_refuse_the_same);
	tcase_add_test(t, cli_says_why_in_words);
	tcase_add_test(t, catalogue_link_holds_no_control);
	tcase_add_test(t, query_unknown_field_is_named);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return dbtest_run(clean_text_suite());
}
