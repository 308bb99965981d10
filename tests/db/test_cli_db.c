/* test_cli_db.c: the scripting CLI, driven as a separate process against a
 * real database: case add/list/show, --text -, --as, exit codes and messages
 * for bad input, and nothing written when input is refused. */
#include "config.h"

#include "dbtest.h"
#include "model/question.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dbname;
static char kvk[1024];   /* conninfo of kvk_demo */
static char admin[1024]; /* conninfo of postgres */

static void
setup(void)
{
	dbname = dbtest_create("cli", true);
	snprintf(kvk, sizeof kvk, "%s", dbtest_conninfo(dbname, "kvk_demo"));
	snprintf(admin, sizeof admin, "%s", dbtest_conninfo(dbname, "postgres"));
}

static void
teardown(void)
{
	dbtest_drop(dbname);
}

static long
questions(void)
{
	struct db *db = dbtest_connect(dbname, "postgres");
	long n = dbtest_long(db, "SELECT count(*) FROM loket.question", 0, NULL);
	db_close(&db);
	return n;
}

#define ADD(conn, input, text, topic)                                                           \
	dbtest_loket(conn, input, &out, &err, "case", "add", "--group", "werkende", "--topic", topic, \
	             "--channel", "balie", "--text", text, NULL)

/* loket in Dutch, its default language, from the real catalogue built into
 * dir (a mkdtemp template): LOKET_LOCALEDIR and LANGUAGE=nl. */
static void
speak_dutch(char *dir)
{
	char cmd[2048];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof cmd,
	         "mkdir -p '%s/nl/LC_MESSAGES' && msgfmt -o '%s/nl/LC_MESSAGES/loket.mo' '%s/po/nl.po'",
	         dir, dir, getenv("LOKET_DATADIR"));
	ck_assert_int_eq(system(cmd), 0);
	setenv("LOKET_LOCALEDIR", dir, 1);
	setenv("LANGUAGE", "nl", 1);
}

/* Back to the suite's English; the catalogue goes. */
static void
speak_english(const char *dir)
{
	char cmd[2048];
	setenv("LANGUAGE", "en", 1);
	unsetenv("LOKET_LOCALEDIR");
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A client and a database of different schemas (issue 18, part 4): the
 * commands say which is behind, in Dutch, and exit 2 before they touch a
 * table; db status and db migrate still work; --version names both. */
START_TEST(schema_versions)
{
	char dir[] = "/tmp/loket-locale-XXXXXX";
	speak_dutch(dir);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "--version", NULL), 0);
	ck_assert_msg(strstr(out, "database: schema 49\n") != NULL &&
	                      strstr(out, "libpq 15.") != NULL && strstr(out, "ncurses 6") != NULL &&
	                      strstr(out, "libcurl ") != NULL && strstr(out, "readline ") != NULL,
	              "%s", out);
	free(out), free(err);

	/* a newer database: this loket is too old */
	struct db *db = dbtest_connect(dbname, "postgres");
	dbtest_ok(db, "INSERT INTO loket.schema_migration (version, name, checksum) "
	              "VALUES (50, '050_future.sql', 'x')", 0, NULL);
	long before = questions();
	ck_assert_int_eq(ADD(kvk, NULL, "Een vraag voor een nieuwere database", "evc"), 2);
	ck_assert_msg(strstr(err, "is ouder dan de database (schema 50): installeer de nieuwere "
	                          "loket") != NULL,
	              "%s", err);
	ck_assert_int_eq(questions(), before);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "--version", NULL), 0);
	ck_assert_msg(strstr(out, "schema 50, nieuwer dan deze loket") != NULL, "%s", out);
	free(out), free(err);
	dbtest_ok(db, "DELETE FROM loket.schema_migration WHERE version = 50", 0, NULL);

	/* an older database, before 048: run db migrate first */
	dbtest_ok(db, "ALTER FUNCTION loket.schema_version() RENAME TO schema_version_kept", 0, NULL);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", NULL), 2);
	ck_assert_msg(strstr(err, "loket db migrate") != NULL && strstr(err, "schema 49") != NULL,
	              "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(admin, NULL, &out, &err, "db", "status", NULL), 0);
	free(out), free(err);
	dbtest_ok(db, "ALTER FUNCTION loket.schema_version_kept() RENAME TO schema_version", 0, NULL);
	/* and one that is a migration behind */
	dbtest_ok(db, "CREATE TEMP TABLE kept AS SELECT * FROM loket.schema_migration "
	              "WHERE version = 49", 0, NULL);
	dbtest_ok(db, "DELETE FROM loket.schema_migration WHERE version = 49", 0, NULL);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", NULL), 2);
	ck_assert_msg(strstr(err, "loket db migrate") != NULL, "%s", err);
	free(out), free(err);
	dbtest_ok(db, "INSERT INTO loket.schema_migration SELECT * FROM kept", 0, NULL);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", NULL), 0);
	free(out), free(err);
	db_close(&db);
	speak_english(dir);
}
END_TEST

/* libpq's message about a server that is not there runs over two lines:
 * each printed as a line, not as one with a visible newline and tab. */
START_TEST(connection_error_lines)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket("host=/nonexistent-loket connect_timeout=1", NULL, &out, &err,
	                              "case", "list", NULL),
	                 2);
	ck_assert_msg(strstr(err, "\xe2\x90\xa4") == NULL && strstr(err, "\xe2\x90\x89") == NULL,
	              "a visible newline or tab: %s", err);
	ck_assert_msg(strstr(err, "loket: connection to server on socket") == err &&
	                      strstr(err, "\n  Is the server running") != NULL,
	              "%s", err);
	free(out), free(err);
}
END_TEST

START_TEST(add_list_show)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(ADD(kvk, NULL, "Kan ik mijn ervaring laten erkennen?", "evc"), 0);
	int number = atoi(out);
	ck_assert_int_gt(number, 0);
	free(out), free(err);

	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", NULL), 0);
	ck_assert_msg(strstr(out, "Kan ik mijn ervaring laten erkennen?") != NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", "--format", "csv", NULL), 0);
	ck_assert_msg(strstr(out, "evc") != NULL && strchr(out, ',') != NULL, "%s", out);
	free(out), free(err);

	/* JSON output parses, checked by PostgreSQL's own parser. */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", "--format", "json", NULL), 0);
	struct db *db = dbtest_connect(dbname, "postgres");
	const char *p[] = {out};
	ck_assert_int_eq(dbtest_long(db, "SELECT jsonb_array_length($1::jsonb)", 1, p), 1);
	free(out), free(err);
	char num[16];
	snprintf(num, sizeof num, "%d", number);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "show", num, "--format", "json",
	                              NULL), 0);
	const char *q[] = {out};
	ck_assert_int_eq(dbtest_long(db, "SELECT ($1::jsonb ->> 'number')::int", 1, q), number);
	free(out), free(err);
	db_close(&db);

	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "show", num, NULL), 0);
	ck_assert_msg(strstr(out, "Kan ik mijn ervaring") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "question registered: ") != NULL, "history missing: %s", out);
	free(out), free(err);

	/* Another organisation cannot see it. */
	char cnv[1024];
	snprintf(cnv, sizeof cnv, "%s", dbtest_conninfo(dbname, "cnv_demo"));
	ck_assert_int_eq(dbtest_loket(cnv, NULL, &out, &err, "case", "show", num, NULL), 1);
	ck_assert_msg(strstr(err, "not visible") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(cnv, NULL, &out, &err, "case", "list", NULL), 0);
	ck_assert_msg(strstr(out, "ervaring") == NULL, "%s", out);
	free(out), free(err);
}
END_TEST

/* The history is told in words: labels instead of codes, each changed field
 * as old → new, and for contact details only which fields changed. */
START_TEST(history_in_words)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(ADD(kvk, NULL, "Wat kost een EVC-traject?", "evc"), 0);
	char num[16];
	snprintf(num, sizeof num, "%d", atoi(out));
	free(out), free(err);
	struct db *db = dbtest_connect(dbname, "kvk_demo");
	const char *n[] = {num};
	const char *const id_of = "(SELECT id FROM loket.question WHERE number = $1::int)";
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO loket.info_given (question_id, knowledge_version_id) "
	         "SELECT %s, min(id) FROM loket.knowledge_version", id_of);
	dbtest_ok(db, sql, 1, n);
	snprintf(sql, sizeof sql,
	         "INSERT INTO loket.client (question_id, kind, name, email, consent_at) "
	         "VALUES (%s, 'person', 'Els Nijhuis', 'els@example.nl', now())", id_of);
	dbtest_ok(db, sql, 1, n);
	snprintf(sql, sizeof sql,
	         "UPDATE loket.client SET email = 'geheim@example.nl' WHERE question_id = %s", id_of);
	dbtest_ok(db, sql, 1, n);
	snprintf(sql, sizeof sql,
	         "INSERT INTO loket.referral (question_id, reason, consent_contact) "
	         "VALUES (%s, 'advies', true)", id_of);
	dbtest_ok(db, sql, 1, n);
	dbtest_ok(db, "UPDATE loket.question SET topic = 'financiering' WHERE number = $1::int", 1, n);
	/* a long text, changed: its history line names the field, it does not
	 * copy the old and the new text (a 3,000-character question once gave a
	 * line of 6,300) */
	const char *t[] = {num, "Wat kost een EVC-traject? Ik werk al twintig jaar in de zorg en wil "
	                        "weten of mijn ervaring telt.\nMARKEERWOORD op de tweede regel."};
	dbtest_ok(db, "UPDATE loket.question SET text = $2 WHERE number = $1::int", 2, t);
	db_close(&db);

	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "show", num, NULL), 0);
	const char *history = strstr(out, "History:");
	ck_assert_msg(history != NULL, "%s", out);
	const char *want[] = {
		"Demo-adviseur KvK: question registered: ",
		"information given: ",
		"(version 1)",
		"status open → informed",
		"contact details saved (with consent)",
		"contact details changed: e-mail",
		"referred to Leerwerkloket Twente: ",
		"with consent to pass on contact details",
		"status informed → referred",
		"topic Erkenning van ervaring (EVC, praktijkverklaring, diploma's) → Financiering",
		"question text",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(history, want[i]) != NULL, "'%s' missing from:\n%s", want[i], history);
	ck_assert_msg(strstr(history, "MARKEERWOORD") == NULL, "the long text copied into the history:\n%s",
	              history);
	ck_assert_msg(strstr(history, "\"Wat kost een EVC-traject?\"") == NULL,
	              "the old text copied into the history:\n%s", history);
	ck_assert_msg(strchr(history, '{') == NULL, "raw JSON in the history:\n%s", history);
	ck_assert_msg(strstr(history, "example.nl") == NULL, "contact details in the history:\n%s",
	              history);
	free(out), free(err);
}
END_TEST

/* What a person reads is in words and Dutch dates, not codes: case show
 * in Dutch has Status: verwezen, Kanaal: Balie, the topic's label, dates as
 * dd-mm-jjjj, and the history the outcome's label without who updated the
 * row (the line names them); case show --format json keeps the codes. */
START_TEST(show_in_words)
{
	char *out = NULL, *err = NULL;
	char lwl[1024];
	snprintf(lwl, sizeof lwl, "%s", dbtest_conninfo(dbname, "lwl_demo"));
	ck_assert_int_eq(ADD(kvk, NULL, "Hoe kom ik bij een EVC-aanbieder?", "evc"), 0);
	char num[16];
	snprintf(num, sizeof num, "%d", atoi(out));
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "refer", num, "--reason", "advies",
	                              NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "accept", num, NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(lwl, NULL, &out, &err, "referral", "complete", num, "--outcome",
	                              "doorverwezen_elders", "--note", "Afspraak gemaakt bij de EVC-aanbieder",
	                              NULL), 0);
	free(out), free(err);
	/* the Dutch catalogue where loket finds it */
	char dir[] = "/tmp/loket-locale-XXXXXX";
	speak_dutch(dir);
	/* a number nobody has: the sentence in Dutch, as with --format json */
	char *o2 = NULL, *e2 = NULL;
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &o2, &e2, "case", "show", "99999", NULL), 1);
	ck_assert_msg(strstr(e2, "vraag 99999 bestaat niet of is voor u niet zichtbaar") != NULL,
	              "%s", e2);
	free(o2), free(e2);
	int rc = dbtest_loket(kvk, NULL, &out, &err, "case", "show", num, NULL);
	speak_english(dir);
	ck_assert_int_eq(rc, 0);
	const char *want[] = {"Status:          verwezen", "Kanaal:          Balie",
	                      "Erkenning van ervaring", "status afgerond",
	                      "uitkomst – → Doorverwezen naar een andere partner",
	                      /* what came back, as the question screen shows it */
	                      "Opgepakt door: Demo-adviseur Leerwerkloket",
	                      "Toelichting:   Afspraak gemaakt bij de EVC-aanbieder"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(out, want[i]) != NULL, "'%s' missing from:\n%s", want[i], out);
	const char *refused[] = {": referred", "balie", "doorverwezen_elders", "kvk_demo",
	                         "lwl_demo", "updated_by"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		ck_assert_msg(strstr(out, refused[i]) == NULL, "'%s' in:\n%s", refused[i], out);
	/* dates: dd-mm-jjjj, as the database has it today */
	struct db *db = dbtest_connect(dbname, "postgres");
	char today[16], iso[16];
	struct db_result *r = NULL;
	struct db_error e = {0};
	ck_assert(db_query(db, "SELECT to_char(now(), 'DD-MM-YYYY'), to_char(now(), 'YYYY-MM-DD')",
	                   0, NULL, &r, &e));
	snprintf(today, sizeof today, "%s", db_result_get(r, 0, 0));
	snprintf(iso, sizeof iso, "%s", db_result_get(r, 0, 1));
	db_result_free(&r);
	db_close(&db);
	ck_assert_msg(strstr(out, today) != NULL, "no %s in:\n%s", today, out);
	ck_assert_msg(strstr(out, iso) == NULL, "%s in:\n%s", iso, out);
	free(out), free(err);
	/* JSON keeps the codes */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "show", num, "--format", "json",
	                              NULL), 0);
	ck_assert_msg(strstr(out, "\"doorverwezen_elders\"") && strstr(out, "\"balie\""), "%s", out);
	free(out), free(err);
}
END_TEST

/* loket query -c: advisors count under their own row-level security,
 * supervisors over the region with small counts held back; text is only ever
 * data; a query that cannot be read is not run. */
START_TEST(query_language)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(ADD(kvk, NULL, "Zoekt een avondopleiding in de zorg", "opleiding"), 0);
	free(out), free(err);
	ck_assert_int_eq(ADD(kvk, NULL, "Vraag over financiering van een cursus", "financiering"), 0);
	free(out), free(err);
	char cnv[1024], sup[1024];
	snprintf(cnv, sizeof cnv, "%s", dbtest_conninfo(dbname, "cnv_demo"));
	snprintf(sup, sizeof sup, "%s", dbtest_conninfo(dbname, "supervisor_demo"));
	ck_assert_int_eq(ADD(cnv, NULL, "Avondopleiding voor een vakbondslid", "opleiding"), 0);
	free(out), free(err);

	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "query", "-c", "count", "--format",
	                              "csv", NULL), 0);
	ck_assert_str_eq(out, "count\r\n2\r\n");
	free(out), free(err);
	/* the supervisor counts the region; under 5 is held back by the database */
	ck_assert_int_eq(dbtest_loket(sup, NULL, &out, &err, "query", "-c", "count by org",
	                              "--format", "csv", NULL), 0);
	ck_assert_str_eq(out, "org,count\r\ncnv,<5\r\nkvk,<5\r\n");
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(sup, NULL, &out, &err, "query", "-c", "count by org",
	                              "--format", "json", NULL), 0);
	ck_assert_msg(strstr(out, "\"count\": \"<5\"") != NULL, "%s", out);
	free(out), free(err);
	/* the region's administrator sets the threshold */
	struct db *pg = dbtest_connect(dbname, "postgres");
	dbtest_ok(pg, "UPDATE loket.region SET suppress_below = 2", 0, NULL);
	/* counts are perturbed by their cell key (sql/026): kvk's 2 questions
	 * are shown as 2 plus their noise, or <2; cnv's 1 is always <2 */
	char want[256];
	const char *kvk2 = dbtest_cell(pg, 2, "SELECT record_key FROM loket.question "
	                                      "WHERE organisation = 'kvk'", 2);
	const char *avond = dbtest_cell(pg, 2, "SELECT record_key FROM loket.question "
	                                       "WHERE topic = 'opleiding'", 2);
	db_close(&pg);
	ck_assert_int_eq(dbtest_loket(sup, NULL, &out, &err, "query", "-c", "count by org",
	                              "--format", "csv", NULL), 0);
	snprintf(want, sizeof want,
	         kvk2[0] == '<' ? "org,count\r\ncnv,<2\r\nkvk,<2\r\n" : "org,count\r\nkvk,%s\r\ncnv,<2\r\n",
	         kvk2);
	ck_assert_str_eq(out, want);
	free(out), free(err);
	/* Dutch stemming in quoted text, OR with a comma, negation */
	ck_assert_int_eq(dbtest_loket(sup, NULL, &out, &err, "query", "-c",
	                              "\"avondopleidingen\" org:kvk,cnv -topic:financiering count",
	                              "--format", "csv", NULL), 0);
	snprintf(want, sizeof want, "count\r\n%s\r\n", avond);
	ck_assert_str_eq(out, want);
	free(out), free(err);
	/* a supervisor asking for questions gets how many */
	ck_assert_int_eq(dbtest_loket(sup, NULL, &out, &err, "query", "-c", "topic:opleiding top 1",
	                              "--format", "json", NULL), 0);
	ck_assert_msg(strstr(err, "counting instead") != NULL, "%s", err);
	snprintf(want, sizeof want, avond[0] == '<' ? "\"count\": \"%s\"" : "\"count\": %s", avond);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	struct db *db = dbtest_connect(dbname, "postgres");
	const char *p[] = {out};
	ck_assert_int_eq(dbtest_long(db, "SELECT jsonb_array_length($1::jsonb)", 1, p), 1);
	free(out), free(err);
	/* an injection attempt in every kind of term: a clean error or an empty result */
	const char *attempts[] = {"\"'; DROP TABLE loket.question; --\"",
	                          "topic:x');DROP",
	                          "org:kvk)OR(1=1",
	                          "since:2026-01-01'",
	                          "muni:\\x27",
	                          "count by org;DROP",
	                          "top 1;DROP"};
	for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
		int rc = dbtest_loket(sup, NULL, &out, &err, "query", "-c", attempts[i], NULL);
		ck_assert_msg(rc == 0 || rc == 1, "%s: exit %d: %s", attempts[i], rc, err);
		if (rc == 1)
			ck_assert_msg(strstr(err, "^") && strstr(err, "column"), "%s: %s", attempts[i], err);
		free(out), free(err);
	}
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.question", 0, NULL), 3);
	db_close(&db);
	/* the caret stands under the column */
	ck_assert_int_eq(dbtest_loket(sup, NULL, &out, &err, "query", "-c", "topic:evc kaas", NULL),
	                 1);
	ck_assert_msg(strstr(err, "  topic:evc kaas\n            ^\n") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "column 11") != NULL, "%s", err);
	free(out), free(err);
}
END_TEST

/* Saved queries: one's own, and those shared with the region; nobody
 * writes another person's. */
START_TEST(saved_queries_by_owner_and_region)
{
	struct db *k = dbtest_connect(dbname, "kvk_demo");
	struct db *c = dbtest_connect(dbname, "cnv_demo");
	dbtest_ok(k,
	          "INSERT INTO loket.saved_query (region, name, expr) "
	          "VALUES (loket.my_region(), 'mijn', 'count')",
	          0, NULL);
	dbtest_ok(k,
	          "INSERT INTO loket.saved_query (region, name, expr, shared) "
	          "VALUES (loket.my_region(), 'samen', 'count by org', true)",
	          0, NULL);
	ck_assert_int_eq(dbtest_long(c, "SELECT count(*) FROM loket.saved_query", 0, NULL), 1);
	ck_assert_int_eq(dbtest_long(c, "SELECT count(*) FROM loket.saved_query WHERE name = 'samen'",
	                             0, NULL),
	                 1);
	/* cnv cannot change or remove kvk's, nor save one in kvk's name */
	dbtest_ok(c, "UPDATE loket.saved_query SET expr = 'top 1'", 0, NULL);
	dbtest_fails(c, "DELETE FROM loket.saved_query", 0, NULL, "42501");
	ck_assert_int_eq(dbtest_long(c, "SELECT loket.saved_query_forget('samen')::int", 0, NULL), 0);
	ck_assert_int_eq(dbtest_long(k, "SELECT count(*) FROM loket.saved_query WHERE expr <> 'top 1'",
	                             0, NULL),
	                 2);
	dbtest_fails(c,
	             "INSERT INTO loket.saved_query (owner, region, name, expr) "
	             "VALUES ('kvk_demo', 'twente', 'nep', 'count')",
	             0, NULL, "42501");
	dbtest_fails(k,
	             "INSERT INTO loket.saved_query (region, name, expr) "
	             "VALUES (loket.my_region(), 'Slechte Naam!', 'count')",
	             0, NULL, "23514");
	db_close(&c);
	db_close(&k);
}
END_TEST

START_TEST(text_from_stdin_and_as)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(ADD(kvk, "Regel een\nRegel twee\n", "-", "taal"), 0);
	free(out), free(err);
	/* paragraphs: case show keeps the empty line between them */
	ck_assert_int_eq(ADD(kvk, "Alinea een\n\nAlinea twee\n", "-", "taal"), 0);
	char num[16];
	snprintf(num, sizeof num, "%d", atoi(out));
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "show", num, NULL), 0);
	ck_assert_msg(strstr(out, "    Alinea een\n\n    Alinea twee\n") != NULL, "%s", out);
	free(out), free(err);
	/* --as: the superuser acts as a demo advisor. */
	ck_assert_int_eq(dbtest_loket(admin, NULL, &out, &err, "--as", "fnv_demo", "case", "add",
	                              "--group", "werkende", "--topic", "loopbaan", "--channel",
	                              "telefoon", "--text", "Via --as", NULL),
	                 0);
	free(out), free(err);
	struct db *db = dbtest_connect(dbname, "postgres");
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.question WHERE text = "
	                                 "E'Regel een\\nRegel twee' AND advisor = 'kvk_demo'", 0, NULL), 1);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.question WHERE text = 'Via --as' "
	                                 "AND organisation = 'fnv' AND advisor = 'fnv_demo'", 0, NULL), 1);
	db_close(&db);
	/* --as a role one is not a member of is refused. */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "--as", "cnv_demo", "case", "list", NULL), 2);
	ck_assert_msg(strstr(err, "--as cnv_demo is refused: the role you logged in as is not a "
	                          "member of it") != NULL,
	              "%s", err);
	free(out), free(err);
}
END_TEST

/* Supervisors' figures count for the login role (session_user): `--as
 * supervisor_demo` from another login is refused before anything runs, in
 * Dutch by default, saying what to do, not with PostgreSQL's English refusal. */
START_TEST(query_as_supervisor_says_log_in)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(admin, NULL, &out, &err, "--as", "supervisor_demo", "query",
	                              "-c", "topic:evc count", NULL),
	                 1);
	ck_assert_msg(strstr(err, "PGUSER=supervisor_demo loket query") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "only supervisors") == NULL, "%s", err);
	ck_assert_str_eq(out, "");
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(admin, NULL, &out, &err, "--as", "supervisor_demo", "query",
	                              "-c", "\\report funnel", "--format", "csv", NULL),
	                 1);
	ck_assert_msg(strstr(err, "PGUSER=supervisor_demo") != NULL, "%s", err);
	free(out), free(err);

	/* The same in Dutch, loket's default language, from the real catalogue. */
	char dir[] = "/tmp/loket-cli-nl.XXXXXX";
	speak_dutch(dir);
	setenv("LANGUAGE", "", 1); /* no choice at all: Dutch all the same */
	int rc = dbtest_loket(admin, NULL, &out, &err, "--as", "supervisor_demo", "query", "-c",
	                      "topic:evc count", NULL);
	speak_english(dir);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(err, "Log in als supervisor_demo, bijvoorbeeld: "
	                          "PGUSER=supervisor_demo loket query") != NULL,
	              "%s", err);
	free(out), free(err);

	/* Logged in as the supervisor, the figures come; --as an advisor still
	 * counts that advisor's questions. */
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "supervisor_demo"), NULL, &out, &err,
	                              "query", "-c", "topic:evc count", NULL),
	                 0);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(admin, NULL, &out, &err, "--as", "kvk_demo", "query", "-c",
	                              "topic:evc count", NULL),
	                 0);
	ck_assert_msg(strstr(out, "count") != NULL, "%s", out);
	free(out), free(err);
}
END_TEST

START_TEST(refused_input_writes_nothing)
{
	char *out = NULL, *err = NULL;
	long before = questions();
	ck_assert_int_eq(ADD(kvk, NULL, "tekst", "astrologie"), 1);
	ck_assert_msg(strstr(err, "topic") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "opleiding") != NULL && strstr(err, "evc") != NULL,
	              "valid codes not listed: %s", err);
	free(out), free(err);
	ck_assert_int_eq(ADD(kvk, NULL, "ongeldig \xff\xfe utf-8", "evc"), 1);
	ck_assert_msg(strstr(err, "UTF-8") != NULL, "%s", err);
	free(out), free(err);
	char *long_text = malloc(4002);
	memset(long_text, 'x', 4001);
	long_text[4001] = '\0';
	ck_assert_int_eq(ADD(kvk, NULL, long_text, "evc"), 1);
	ck_assert_msg(strstr(err, "4000") != NULL, "%s", err);
	free(long_text);
	free(out), free(err);
	ck_assert_int_eq(ADD(kvk, NULL, "   ", "evc"), 1);
	free(out), free(err);
	ck_assert_int_eq(ADD(kvk, NULL, "Mijn BSN is 111222333", "evc"), 1);
	ck_assert_msg(strstr(err, "BSN") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text", "x",
	                              "--postcode", "12", NULL),
	                 1);
	ck_assert_msg(strstr(err, "postcode") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--topic", "evc", NULL), 1);
	ck_assert_msg(strstr(err, "--group") != NULL || strstr(err, "required") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", "--status", "kwijt", NULL),
	                 1);
	ck_assert_msg(strstr(err, "informed") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(questions(), before);
}
END_TEST

START_TEST(connection_errors_exit_2)
{
	char *out = NULL, *err = NULL;
	char bad[1024];
	snprintf(bad, sizeof bad, "%s", dbtest_conninfo("no_such_database_here", "kvk_demo"));
	ck_assert_int_eq(dbtest_loket(bad, NULL, &out, &err, "case", "list", NULL), 2);
	ck_assert_msg(strstr(err, "no_such_database_here") != NULL, "libpq's message: %s", err);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "frobnicate", NULL), 1);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "--bogus", NULL), 1);
	free(out), free(err);
	/* a role that may not read questions is told so in words */
	ck_assert_int_eq(dbtest_loket(dbtest_conninfo(dbname, "supervisor_demo"), NULL, &out, &err,
	                              "case", "list", NULL),
	                 2);
	ck_assert_msg(strstr(err, "not allowed for the role you logged in as") != NULL, "%s", err);
	free(out), free(err);
	/* Help after a subcommand, without touching the database. */
	ck_assert_int_eq(dbtest_loket(bad, NULL, &out, &err, "case", "add", "--help", NULL), 0);
	ck_assert_msg(strstr(out, "case add --group") != NULL, "%s", out);
	/* ... that group's lines only, with what is under them */
	ck_assert_msg(strstr(out, "referral list") == NULL && strstr(out, "Global options") == NULL,
	              "%s", out);
	ck_assert_msg(strstr(out, "the client withdrew consent: remove the details now") != NULL,
	              "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(bad, NULL, &out, &err, "privacy", "--help", NULL), 0);
	ck_assert_msg(strstr(out, "privacy erase --question N") != NULL && !strstr(out, "case add"),
	              "%s", out);
	free(out), free(err);
	/* the knowledge editors' group has its own, longer usage */
	ck_assert_int_eq(dbtest_loket(bad, NULL, &out, &err, "kb", "--help", NULL), 0);
	ck_assert_msg(strstr(out, "loket kb import FILE") != NULL, "%s", out);
	free(out), free(err);
	/* an unknown word before --help: all of it */
	ck_assert_int_eq(dbtest_loket(bad, NULL, &out, &err, "kaas", "--help", NULL), 0);
	ck_assert_msg(strstr(out, "Global options") != NULL, "%s", out);
	free(out), free(err);
	/* ... but "--help" as the value of an option is text, not a request for help. */
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text", "--help", NULL),
	                 0);
	free(out), free(err);
}
END_TEST

/* No -d: libpq's environment and service file decide, as for psql. */
START_TEST(libpq_environment_and_service)
{
	char *out = NULL, *err = NULL;
	setenv("PGHOST", dbtest_host(), 1);
	setenv("PGDATABASE", dbname, 1);
	setenv("PGUSER", "kvk_demo", 1);
	ck_assert_int_eq(ADD("", NULL, "Via de omgeving", "taal"), 0);
	free(out), free(err);
	unsetenv("PGDATABASE");
	unsetenv("PGUSER");
	char path[] = "/tmp/loket-service-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "[loket-test]\nhost=%s\ndbname=%s\nuser=cnv_demo\n", dbtest_host(), dbname);
	fclose(f);
	setenv("PGSERVICEFILE", path, 1);
	ck_assert_int_eq(dbtest_loket("service=loket-test", NULL, &out, &err, "case", "list", NULL), 0);
	ck_assert_msg(strstr(out, "Via de omgeving") == NULL, "cnv sees kvk's question: %s", out);
	free(out), free(err);
	setenv("PGSERVICE", "loket-test", 1);
	ck_assert_int_eq(ADD("", NULL, "Via de dienst", "taal"), 0);
	free(out), free(err);
	unsetenv("PGSERVICE");
	unsetenv("PGSERVICEFILE");
	unlink(path);
	struct db *db = dbtest_connect(dbname, "postgres");
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.question WHERE "
	                                 "(text, advisor) IN (('Via de omgeving', 'kvk_demo'), "
	                                 "('Via de dienst', 'cnv_demo'))", 0, NULL), 2);
	db_close(&db);
}
END_TEST

/* A retried submit with the same uuid finds the row it wrote: one row, the
 * same number.  The CLI makes a fresh uuid per run, so this goes through
 * the model as the TUI does. */
START_TEST(retried_add_is_idempotent)
{
	struct db *db = dbtest_connect(dbname, "kvk_demo");
	struct question_new q = {.id = "00000000-0000-4000-8000-0000000000e1", .channel = "balie",
	                         .client_group = "werkende", .topic = "evc", .text = "Twee keer verstuurd"};
	struct db_error err = {0};
	int first = 0, second = 0;
	ck_assert_msg(question_add(db, &q, &first, &err), "%s", err.message);
	ck_assert_msg(question_add(db, &q, &second, &err), "%s", err.message);
	ck_assert_int_gt(first, 0);
	ck_assert_int_eq(first, second);
	const char *p[] = {q.id};
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.question WHERE id = $1::uuid", 1, p),
	                 1);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.question_event WHERE question_id = "
	                                 "$1::uuid AND kind = 'created'", 1, p),
	                 1);
	db_close(&db);
	/* Another organisation retrying with that uuid gets an error, not the row. */
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	ck_assert(!question_add(cnv, &q, &second, &err));
	db_error_clear(&err);
	db_close(&cnv);
}
END_TEST

/* Text that only looks like text, and bad text from stdin: exit 1, a
 * message naming the field, nothing written. */
START_TEST(refused_text_variants)
{
	char *out = NULL, *err = NULL;
	long before = questions();
	ck_assert_int_eq(ADD(kvk, NULL, "\xc2\xa0\xe3\x80\x80", "evc"), 1);
	ck_assert_msg(strstr(err, "empty") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(ADD(kvk, "ongeldig \xc3\x28 utf-8\n", "-", "evc"), 1);
	ck_assert_msg(strstr(err, "--text") != NULL && strstr(err, "UTF-8") != NULL, "%s", err);
	free(out), free(err);
	char *long_text = malloc(4003);
	memset(long_text, 'y', 4001);
	strcpy(long_text + 4001, "\n");
	ck_assert_int_eq(ADD(kvk, long_text, "-", "evc"), 1);
	ck_assert_msg(strstr(err, "--text") != NULL && strstr(err, "4000") != NULL, "%s", err);
	free(out), free(err);
	/* Exactly 4000 characters (multi-byte ones) is fine. */
	char *euro = malloc(3 * 4000 + 1);
	for (int i = 0; i < 4000; i++)
		memcpy(euro + 3 * i, "\xe2\x82\xac", 3);
	euro[3 * 4000] = '\0';
	ck_assert_int_eq(ADD(kvk, NULL, euro, "evc"), 0);
	free(out), free(err);
	free(euro);
	free(long_text);
	ck_assert_int_eq(ADD(kvk, NULL, "tekst", "\xff"), 1);
	ck_assert_msg(strstr(err, "--topic") != NULL, "%s", err);
	free(out), free(err);
	ck_assert_int_eq(questions(), before + 1);
}
END_TEST

/* Table and CSV carry a header and the question's number. */
START_TEST(list_formats)
{
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(ADD(kvk, NULL, "Komma, \"aanhalingstekens\" en\nregels", "financiering"), 0);
	int number = atoi(out);
	free(out), free(err);
	char num[16];
	snprintf(num, sizeof num, "%d", number);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", "--format", "csv", NULL), 0);
	ck_assert_msg(strncmp(out, "number,created,organisation,", 28) == 0, "%s", out);
	ck_assert_msg(strstr(out, "\"Komma, \"\"aanhalingstekens\"\" en\nregels\"") != NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", NULL), 0);
	ck_assert_msg(strncmp(out, "number", 6) == 0 && strstr(out, num) != NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(kvk, NULL, &out, &err, "case", "list", "--format", "json", NULL), 0);
	struct db *db = dbtest_connect(dbname, "postgres");
	const char *p[] = {out, num};
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM jsonb_array_elements($1::jsonb) e "
	                                 "WHERE (e ->> 'number') = $2 AND e ->> 'text' = "
	                                 "E'Komma, \"aanhalingstekens\" en\\nregels'", 2, p),
	                 1);
	db_close(&db);
	free(out), free(err);
	/* The supervisor reads no question, kvk's neither. */
	char sup[1024];
	snprintf(sup, sizeof sup, "%s", dbtest_conninfo(dbname, "supervisor_demo"));
	ck_assert_int_ne(dbtest_loket(sup, NULL, &out, &err, "case", "show", num, NULL), 0);
	ck_assert_msg(out == NULL || strstr(out, "aanhalingstekens") == NULL, "%s", out);
	free(out), free(err);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cli_db");
	TCase *tc = tcase_create("cli_db");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, add_list_show);
	tcase_add_test(tc, history_in_words);
	tcase_add_test(tc, show_in_words);
	tcase_add_test(tc, query_language);
	tcase_add_test(tc, saved_queries_by_owner_and_region);
	tcase_add_test(tc, text_from_stdin_and_as);
	tcase_add_test(tc, query_as_supervisor_says_log_in);
	tcase_add_test(tc, refused_input_writes_nothing);
	tcase_add_test(tc, connection_errors_exit_2);
	tcase_add_test(tc, libpq_environment_and_service);
	tcase_add_test(tc, retried_add_is_idempotent);
	tcase_add_test(tc, refused_text_variants);
	tcase_add_test(tc, list_formats);
	tcase_add_test(tc, schema_versions);
	tcase_add_test(tc, connection_error_lines);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
