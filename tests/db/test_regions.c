/* test_regions.c: two regions in one database (issue 17, part 5):
 * `loket db seed --region achterhoek` beside Twente, and isolation between
 * them for every kind of role, each logged in as itself (never SET ROLE):
 * advisors, the central points, supervisors, knowledge editors and the
 * privacy officers.  Each region numbers its own questions; nobody reads,
 * lists, counts, refers into or exports the other region's questions,
 * referrals or clients, through loket or with plain SQL.  (Knowledge items
 * are public to every region by design; only a region's own editors change
 * them: test_kb.) */
#include "config.h"

#include "dbtest.h"
#include "model/refdata.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dbname;
static struct db *pg;

/* loket as ROLE with the arguments up to NULL; its exit status must be
 * want; returns what it printed. */
static char *
run(const char *role, int want, ...)
{
	const char *a[13] = {NULL};
	va_list ap;
	va_start(ap, want);
	for (int i = 0; i < 12 && (a[i] = va_arg(ap, const char *)) != NULL; i++)
		;
	va_end(ap);
	char *out = NULL, *err = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, role), NULL, &out, &err, a[0], a[1], a[2], a[3],
	                      a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], NULL);
	ck_assert_msg(rc == want, "%s %s %s: exit %d, not %d\n%s%s", role, a[0], a[1] ? a[1] : "",
	              rc, want, out, err);
	free(err);
	return out;
}

static void
add(const char *role, const char *text, const char *email)
{
	char *out = run(role, 0, "case", "add", "--group", "werkende", "--topic", "evc", "--channel",
	                "balie", "--text", text, NULL, NULL);
	char n[16];
	snprintf(n, sizeof n, "%d", atoi(out));
	free(out);
	free(run(role, 0, "case", "refer", n, "--reason", "advies", "--consent", "--name",
	         "Klant", "--email", email, NULL));
}

static void
setup(void)
{
	dbname = dbtest_create("regions", true);
	pg = dbtest_connect(dbname, "postgres");
	char *out = run("postgres", 0, "db", "seed", "--region", "achterhoek", NULL, NULL, NULL,
	                NULL, NULL, NULL, NULL, NULL);
	free(out);
	add("kvk_demo", "Twentse vraag over EVC", "twente@example.nl");
	add("achterhoek_kvk_demo", "Achterhoekse vraag over EVC", "achterhoek@example.nl");
}

static void
teardown(void)
{
	db_close(&pg);
	dbtest_drop(dbname);
}

/* What ROLE sees of the rows of SQL (a count with a LIKE on $1), logged in
 * as itself: the count, or -1 when it may not read the table at all. */
static long
seen(const char *role, const char *sql, const char *like)
{
	struct db *db = dbtest_connect(dbname, role);
	const char *p[] = {like};
	struct db_result *r = NULL;
	struct db_error err = {0};
	long n = -1;
	if (db_query(db, sql, 1, p, &r, &err))
		n = strtol(db_result_get(r, 0, 0), NULL, 10);
	else
		ck_assert_msg(strcmp(err.sqlstate, "42501") == 0, "%s: %s", role, err.message);
	db_result_free(&r);
	db_error_clear(&err);
	db_close(&db);
	return n;
}

START_TEST(seeded_and_numbered_apart)
{
	/* the region, its organisations and roles; idempotent */
	free(run("postgres", 0, "db", "seed", "--region", "achterhoek", NULL, NULL, NULL, NULL, NULL,
	         NULL, NULL, NULL));
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.organisation WHERE region = "
	                                 "'achterhoek' AND kind = 'central'",
	                             0, NULL),
	                 1);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.advisor WHERE region = "
	                                 "'achterhoek' AND role_name IN ('achterhoek_supervisor_demo', "
	                                 "'achterhoek_editor_demo', 'achterhoek_privacy_demo', "
	                                 "'achterhoek_lwl_demo', 'achterhoek_kvk_demo')",
	                             0, NULL),
	                 5);
	/* both regions' first question is number 1: each counts its own */
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.question WHERE number = 1", 0,
	                             NULL),
	                 2);
	/* synthetic questions for that region: its organisations, advisors,
	 * places and numbers, none of them Twente's */
	free(run("postgres", 0, "db", "seed", "--region", "achterhoek", "--cases", "5", NULL));
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.question WHERE region = "
	                                 "'achterhoek' AND organisation LIKE 'achterhoek\\_%' AND "
	                                 "advisor LIKE 'achterhoek\\_%' AND number BETWEEN 2 AND 6",
	                             0, NULL),
	                 5);
	ck_assert_int_eq(dbtest_long(pg, "SELECT count(*) FROM loket.referral WHERE region = "
	                                 "'achterhoek' AND to_org <> 'achterhoek_lwl'",
	                             0, NULL),
	                 0);
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question WHERE region = "
	                                  "'achterhoek'",
	                             0, NULL),
	                 0);
	db_close(&kvk);
	/* not Twente itself, nor a name that is not one */
	free(run("postgres", 2, "db", "seed", "--region", "Twente; DROP", NULL, NULL, NULL, NULL,
	         NULL, NULL, NULL, NULL));
}
END_TEST

START_TEST(isolated_for_every_role)
{
	static const struct {
		const char *own, *other, *own_text, *other_text;
	} pairs[] = {
		{"kvk_demo", "achterhoek_kvk_demo", "Twentse%", "Achterhoekse%"},
		{"lwl_demo", "achterhoek_lwl_demo", "Twentse%", "Achterhoekse%"},
		{"supervisor_demo", "achterhoek_supervisor_demo", "Twentse%", "Achterhoekse%"},
		{"editor_demo", "achterhoek_editor_demo", "Twentse%", "Achterhoekse%"},
		{"privacy_demo", "achterhoek_privacy_demo", "Twentse%", "Achterhoekse%"},
	};
	static const char *const tables[] = {
		"SELECT count(*) FROM loket.question WHERE text LIKE $1",
		"SELECT count(*) FROM loket.referral r JOIN loket.question q ON q.id = r.question_id "
		"WHERE q.text LIKE $1",
		"SELECT count(*) FROM loket.question_event e JOIN loket.question q ON q.id = "
		"e.question_id WHERE q.text LIKE $1",
		"SELECT count(*) FROM loket.question_fts f JOIN loket.question q ON q.id = "
		"f.question_id WHERE q.text LIKE $1",
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		for (int side = 0; side < 2; side++) {
			const char *role = side ? pairs[i].other : pairs[i].own;
			const char *theirs = side ? pairs[i].own_text : pairs[i].other_text;
			for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
				ck_assert_msg(seen(role, tables[t], theirs) <= 0, "%s sees %s in: %s", role,
				              theirs, tables[t]);
			/* the other region's clients (knowledge is public to every
			 * region, and only its own editors change it: test_kb) */
			ck_assert_msg(seen(role, "SELECT count(*) FROM loket.client c JOIN loket.question q "
			                         "ON q.id = c.question_id WHERE q.text LIKE $1",
			                   theirs) <= 0,
			              "%s sees the other region's clients", role);
		}
	/* and each sees its own where its role reads questions at all */
	ck_assert_int_eq(seen("kvk_demo", tables[0], "Twentse%"), 1);
	ck_assert_int_eq(seen("achterhoek_kvk_demo", tables[0], "Achterhoekse%"), 1);
	/* supervisors read no rows at all, only counts (sql/026): through_loket */
	ck_assert_int_eq(seen("achterhoek_supervisor_demo", tables[0], "Achterhoekse%"), -1);
}
END_TEST

/* The organisations a screen or a command offers (the referral form's
 * "Naar", case refer --to, the query language's org:) are one's own
 * region's: an Achterhoek advisor was offered Twente's, which 044 then
 * refused on F10. */
START_TEST(offered_own_organisations)
{
	const char *who[][2] = {{"achterhoek_kvk_demo", "achterhoek_"},
	                        {"kvk_demo", ""},
	                        {"achterhoek_supervisor_demo", "achterhoek_"}};
	for (size_t w = 0; w < sizeof who / sizeof who[0]; w++) {
		struct db *db = dbtest_connect(dbname, who[w][0]);
		struct code_list orgs = {0};
		struct db_error err = {0};
		ck_assert_msg(refdata_load(db, REF_ORGANISATION, &orgs, &err), "%s", err.message);
		ck_assert_int_gt(orgs.count, 2);
		for (int i = 0; i < orgs.count; i++) {
			bool theirs = strncmp(orgs.items[i].code, "achterhoek_", 11) == 0;
			ck_assert_msg(theirs == (*who[w][1] != '\0'), "%s is offered %s", who[w][0],
			              orgs.items[i].code);
		}
		code_list_free(&orgs);
		db_close(&db);
	}
}
END_TEST

START_TEST(through_loket)
{
	/* the central points list their own region's referrals only */
	char *out = run("lwl_demo", 0, "referral", "list", "--contact", "--format", "csv", NULL, NULL,
	                NULL, NULL, NULL, NULL);
	ck_assert_msg(strstr(out, "Twentse vraag") && !strstr(out, "Achterhoekse") &&
	                  !strstr(out, "achterhoek@"),
	              "%s", out);
	free(out);
	out = run("achterhoek_lwl_demo", 0, "referral", "list", "--contact", "--format", "csv", NULL,
	          NULL, NULL, NULL, NULL, NULL);
	ck_assert_msg(strstr(out, "Achterhoekse vraag") && strstr(out, "achterhoek@example.nl") &&
	                  !strstr(out, "Twentse"),
	              "%s", out);
	free(out);
	/* question 1 is each region's own */
	out = run("achterhoek_kvk_demo", 0, "case", "show", "1", NULL, NULL, NULL, NULL, NULL, NULL,
	          NULL, NULL);
	ck_assert_msg(strstr(out, "Achterhoekse vraag") && !strstr(out, "Twentse"), "%s", out);
	free(out);
	/* a supervisor's count is of its region: its six questions, shown as
	 * the cell-key method shows six (worked out here, dbtest_cell) */
	const char *want = dbtest_cell(pg, 6,
	                               "SELECT record_key FROM loket.question WHERE region = "
	                               "'achterhoek'",
	                               5);
	out = run("achterhoek_supervisor_demo", 0, "query", "-c", "count", "--format", "csv", NULL);
	char line[32];
	snprintf(line, sizeof line, "\n%s", want);
	const char *at = strstr(out, line);
	ck_assert_msg(at && strchr("\r\n", at[strlen(line)]), "want %s in:\n%s", want, out);
	free(out);
	/* the privacy officers: nothing of the other region, by address or number */
	out = run("privacy_demo", 0, "privacy", "export", "--email", "achterhoek@example.nl", NULL,
	          NULL, NULL, NULL, NULL, NULL);
	ck_assert_msg(!strstr(out, "Achterhoekse"), "%s", out);
	free(out);
	out = run("achterhoek_privacy_demo", 0, "privacy", "export", "--email",
	          "achterhoek@example.nl", NULL, NULL, NULL, NULL, NULL, NULL);
	ck_assert_msg(strstr(out, "Achterhoekse vraag"), "%s", out);
	free(out);
	out = run("achterhoek_privacy_demo", 0, "privacy", "export", "--email", "twente@example.nl",
	          NULL, NULL, NULL, NULL, NULL, NULL);
	ck_assert_msg(!strstr(out, "Twentse"), "%s", out);
	free(out);
	/* the editors: their own region's items only */
	out = run("achterhoek_editor_demo", 0, "kb", "list", "--format", "csv", NULL, NULL, NULL,
	          NULL, NULL, NULL);
	long own = 0;
	for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++)
		own++;
	ck_assert_int_eq(own, 1 + dbtest_long(pg,
	                                      "SELECT count(*) FROM loket.knowledge_item WHERE "
	                                      "region = 'achterhoek' AND retired_at IS NULL",
	                                      0, NULL));
	free(out);
	/* an advisor cannot refer into the other region */
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk,
	             "INSERT INTO loket.referral (question_id, to_org, reason) SELECT id, "
	             "'achterhoek_lwl', 'advies' FROM loket.question WHERE text LIKE 'Twentse%'",
	             0, NULL, "23514");
	db_close(&kvk);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("regions");
	TCase *tc = tcase_create("regions");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seeded_and_numbered_apart);
	tcase_add_test(tc, isolated_for_every_role);
	tcase_add_test(tc, through_loket);
	tcase_add_test(tc, offered_own_organisations);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
