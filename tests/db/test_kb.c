/* test_kb.c: knowledge editing (sql/018_knowledge_editing.sql, src/model/kb.c,
 * `loket kb`) against a throw-away database: immutable versions and what a
 * question keeps pointing at, the LK409 conflict between two editors,
 * validation, who may write where, retiring and restoring, the review queue,
 * and moving the knowledge between two regions as JSON (round trip,
 * idempotence, and bad files that change nothing).
 *
 * Besides the seeded Twente region (editor_demo) every test gets a region
 * `achterhoek` with its own editor, a login role editor_ah_<pid> made for
 * this test database and dropped with it. */
#include "config.h"

#include "dbtest.h"
#include "model/kb.h"
#include "model/knowledge.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dbname;
static struct db *pg;  /* the cluster superuser: set-up and independent checks */
static struct db *ed;  /* editor_demo, knowledge editor of Twente */
static struct db *kvk; /* kvk_demo, an advisor at a vindplaats in Twente */
static struct db *ah;  /* the knowledge editor of the Achterhoek */
static char ah_role[64];
static char temp_files[4][32]; /* removed by teardown */
static int ntemp;

#define Q1 "00000000-0000-4000-8000-0000000000b1"

static void
setup(void)
{
	dbname = dbtest_create("kb", true);
	pg = dbtest_connect(dbname, "postgres");
	snprintf(ah_role, sizeof ah_role, "editor_ah_%ld", (long)getpid());
	char *sql;
	dbtest_ok(pg, "INSERT INTO loket.region (code, name) VALUES ('achterhoek', 'Achterhoek')",
	          0, NULL);
	dbtest_ok(pg,
	          "INSERT INTO loket.organisation (code, name, kind, region) "
	          "VALUES ('lwl-achterhoek', 'Leerwerkloket Achterhoek', 'central', 'achterhoek')",
	          0, NULL);
	/* a role of an earlier, crashed run with the same pid may still exist */
	sql = xasprintf("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s') "
	                "THEN CREATE ROLE %s LOGIN; END IF; END $$",
	                ah_role, ah_role);
	dbtest_ok(pg, sql, 0, NULL);
	free(sql);
	sql = xasprintf("GRANT loket_editor TO %s", ah_role);
	dbtest_ok(pg, sql, 0, NULL);
	free(sql);
	const char *p[] = {ah_role};
	dbtest_ok(
	    pg,
	    "INSERT INTO loket.advisor (role_name, display_name, region, organisation, roles) "
	    "VALUES ($1, 'Redacteur Achterhoek', 'achterhoek', NULL, '{editor}')",
	    1, p);
	ed = dbtest_connect(dbname, "editor_demo");
	kvk = dbtest_connect(dbname, "kvk_demo");
	ah = dbtest_connect(dbname, ah_role);
}

static void
teardown(void)
{
	db_close(&ah);
	db_close(&kvk);
	db_close(&ed);
	db_close(&pg);
	for (int i = 0; i < ntemp; i++)
		unlink(temp_files[i]);
	ntemp = 0;
	dbtest_drop(dbname);
	struct db *admin = dbtest_connect("postgres", "postgres");
	char *sql = xasprintf("DROP ROLE IF EXISTS %s", ah_role);
	dbtest_ok(admin, sql, 0, NULL);
	free(sql);
	db_close(&admin);
}

/* ---- helpers ------------------------------------------------------------ */

/* current_date + days as yyyy-mm-dd, by the database's clock (a ring of
 * buffers, so a few can be used at once). */
static const char *
day(int days)
{
	static char ring[8][16];
	static int next;
	char n[16];
	snprintf(n, sizeof n, "%d", days);
	const char *p[] = {n};
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(pg, "SELECT (current_date + $1::int)::text", 1, p, &r, &err))
		ck_abort_msg("%s", err.message);
	char *buf = ring[next++ % 8];
	snprintf(buf, sizeof ring[0], "%s", db_result_get(r, 0, 0));
	db_result_free(&r);
	return buf;
}

/* The first column of the first row as a new string ("" for no row, NULL
 * for SQL NULL). */
static char *
str1(struct db *db, const char *sql, int n, const char *const *params)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(db, sql, n, params, &r, &err))
		ck_abort_msg("%s\n  failed: %s [%s]", sql, err.message, err.sqlstate);
	char *out = NULL;
	if (db_result_rows(r) == 0)
		out = xstrdup("");
	else if (db_result_get(r, 0, 0))
		out = xstrdup(db_result_get(r, 0, 0));
	db_result_free(&r);
	return out;
}

/* What an editor fills in; dates in days from today. */
struct content {
	const char *title, *tell, *body, *audience, *topics, *link;
	int from, review;
};

struct saved {
	char id[32];
	int version_no;
	bool created;
};

static bool
save(struct db *db, const char *item_id, const char *slug, int base, const struct content *c,
     struct saved *out, struct db_error *err)
{
	struct kb_version v;
	memset(&v, 0, sizeof v);
	v.item_id = item_id ? xstrdup(item_id) : NULL;
	v.slug = slug ? xstrdup(slug) : NULL;
	v.version_no = base;
	v.title = xstrdup(c->title);
	v.tell_client = xstrdup(c->tell);
	v.body = xstrdup(c->body);
	v.audience = xstrdup(c->audience ? c->audience : "");
	v.topics = xstrdup(c->topics);
	v.link = xstrdup(c->link ? c->link : "");
	v.valid_from = xstrdup(day(c->from));
	v.review_by = xstrdup(day(c->review));
	bool created = false;
	bool ok = kb_save(db, &v, &created, err);
	if (ok && out) {
		snprintf(out->id, sizeof out->id, "%s", v.item_id);
		out->version_no = v.version_no;
		out->created = created;
	}
	kb_version_free(&v);
	return ok;
}

static struct saved
save_ok(struct db *db, const char *item_id, const char *slug, int base, const struct content *c)
{
	struct saved s;
	struct db_error err = {0};
	if (!save(db, item_id, slug, base, c, &s, &err))
		ck_abort_msg("saving '%s' (item %s, base %d) failed: %s [%s]", c->title,
		             item_id ? item_id : "new", base, err.message, err.sqlstate);
	return s;
}

/* The save must fail with a SQLSTATE starting with `state` and an error
 * whose message (or constraint name) contains `needle`. */
static void
save_fails(struct db *db, const char *item_id, const char *slug, int base, const struct content *c,
           const char *state, const char *needle)
{
	struct db_error err = {0};
	ck_assert_msg(!save(db, item_id, slug, base, c, NULL, &err),
	              "saving '%s' (slug %s) succeeded but should fail with %s", c->title,
	              slug ? slug : "-", state);
	ck_assert_msg(strncmp(err.sqlstate, state, strlen(state)) == 0,
	              "saving '%s': failed with %s (%s), expected %s", c->title, err.sqlstate,
	              err.message, state);
	ck_assert_msg(strstr(err.message, needle) ||
	                  (err.constraint && strstr(err.constraint, needle)),
	              "saving '%s': the error '%s' (constraint %s) does not mention '%s'", c->title,
	              err.message, err.constraint ? err.constraint : "none", needle);
	db_error_clear(&err);
}

static long
count_in(const char *region, const char *what)
{
	const char *p[] = {region};
	return dbtest_long(
	    pg,
	    strcmp(what, "items") == 0
	        ? "SELECT count(*) FROM loket.knowledge_item WHERE region = $1"
	        : "SELECT count(*) FROM loket.knowledge_version v "
	          "JOIN loket.knowledge_item i ON i.id = v.item_id WHERE i.region = $1",
	    1, p);
}

/* Everything stored for a region's knowledge, as one fingerprint. */
static char *
fingerprint(const char *region)
{
	const char *p[] = {region};
	return str1(
	    pg,
	    "SELECT count(*) || ':' || coalesce(md5(string_agg("
	    "  format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', i.slug, i.retired_at, v.version_no, "
	    "         v.title, v.tell_client, v.body, v.audience, v.topics, v.link, "
	    "         v.valid_from, v.review_by), "
	    "  E'\\n' ORDER BY i.slug, v.version_no)), '') "
	    "FROM loket.knowledge_item i JOIN loket.knowledge_version v ON v.item_id = i.id "
	    "WHERE i.region = $1",
	    1, p);
}

/* The version number of item_id among the suggestions for text (0 when it
 * is not suggested); its version id into vid when given. */
static int
suggested(struct db *db, const char *topic, const char *text, const char *item_id, char *vid,
          size_t vidlen)
{
	struct knowledge_hits hits;
	struct db_error err = {0};
	if (!knowledge_suggest(db, topic, text, 50, &hits, &err))
		ck_abort_msg("knowledge_suggest: %s", err.message);
	int no = 0;
	for (int i = 0; i < hits.count; i++)
		if (strcmp(hits.items[i].item_id, item_id) == 0) {
			no = hits.items[i].version_no;
			if (vid)
				snprintf(vid, vidlen, "%s", hits.items[i].version_id);
		}
	knowledge_hits_free(&hits);
	return no;
}

static bool
listed(struct db *db, bool with_retired, int review_days, const char *slug, bool *retired)
{
	struct kb_items l;
	struct db_error err = {0};
	if (!kb_list(db, with_retired, review_days, &l, &err))
		ck_abort_msg("kb_list: %s", err.message);
	bool found = false;
	for (int i = 0; i < l.count; i++)
		if (strcmp(l.items[i].slug, slug) == 0) {
			found = true;
			if (retired)
				*retired = l.items[i].retired;
		}
	kb_items_free(&l);
	return found;
}

static void
add_question(const char *id)
{
	const char *p[] = {id};
	dbtest_ok(kvk,
	          "INSERT INTO loket.question (id, channel, client_group, topic, text) "
	          "VALUES ($1::uuid, 'balie', 'werkende', 'financiering', 'Vraag over scholing')",
	          1, p);
}

/* A new empty file, removed by teardown. */
static const char *
temp_path(void)
{
	ck_assert_int_lt(ntemp, 4);
	char *buf = temp_files[ntemp++];
	snprintf(buf, sizeof temp_files[0], "/tmp/loket-kb-XXXXXX");
	int fd = mkstemp(buf);
	ck_assert_msg(fd >= 0, "mkstemp");
	close(fd);
	return buf;
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* `loket kb export --output path` as user; must succeed. */
static void
cli_export(const char *user, const char *path)
{
	char *out = NULL, *err = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, user), NULL, &out, &err, "kb", "export",
	                      "--output", path, (const char *)NULL);
	ck_assert_msg(rc == 0, "kb export as %s: exit %d: %s", user, rc, err);
	free(out), free(err);
}

/* `loket kb import path` as user; the exit status, stderr into *err. */
static int
cli_import(const char *user, const char *path, char **err)
{
	char *out = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, user), NULL, &out, err, "kb", "import", path,
	                      (const char *)NULL);
	free(out);
	return rc;
}

#define CONTENT_COLUMNS                                                                            \
	"slug, retired, title, tell_client, body, audience, topics, link, valid_from, review_by"

/* Rows of the current content that differ between Twente and the
 * Achterhoek (both ways), slugs and retired flags included. */
static long
regions_differ(void)
{
	return dbtest_long(
	    pg,
	    "WITH cur AS ("
	    "  SELECT DISTINCT ON (i.id) i.region, i.slug, i.retired_at IS NOT NULL AS retired, "
	    "         v.title, v.tell_client, v.body, v.audience, v.topics, v.link, v.valid_from, "
	    "         v.review_by "
	    "    FROM loket.knowledge_item i JOIN loket.knowledge_version v ON v.item_id = i.id "
	    "   ORDER BY i.id, v.version_no DESC), "
	    "t AS (SELECT " CONTENT_COLUMNS " FROM cur WHERE region = 'twente'), "
	    "a AS (SELECT " CONTENT_COLUMNS " FROM cur WHERE region = 'achterhoek') "
	    "SELECT (SELECT count(*) FROM (TABLE t EXCEPT TABLE a) x) "
	    "     + (SELECT count(*) FROM (TABLE a EXCEPT TABLE t) y)",
	    0, NULL);
}

/* How many versions the item has. */
static long
versions_of(const char *item_id)
{
	const char *p[] = {item_id};
	return dbtest_long(
	    pg, "SELECT count(*) FROM loket.knowledge_version WHERE item_id = $1::bigint", 1, p);
}

static const char *
item_id_of(const char *region, const char *slug, char *buf, size_t n)
{
	const char *p[] = {region, slug};
	char *id =
	    str1(pg, "SELECT id FROM loket.knowledge_item WHERE region = $1 AND slug = $2", 2, p);
	ck_assert_msg(id && *id, "no item %s in %s", slug, region);
	snprintf(buf, n, "%s", id);
	free(id);
	return buf;
}

/* ---- 1. versions -------------------------------------------------------- */

START_TEST(versions_and_what_was_given)
{
	const struct content v1 = {"Kwakkelbeurs voor scholing",
	                           "Versie een: de kwakkelbeurs.",
	                           "De kwakkelbeurs betaalt een deel van een opleiding.",
	                           "werkende",
	                           "financiering,opleiding",
	                           "https://example.nl/kwakkel",
	                           -10,
	                           200};
	struct saved s1 = save_ok(ed, NULL, "kwakkelbeurs", 0, &v1);
	ck_assert(s1.created);
	ck_assert_int_eq(s1.version_no, 1);

	/* an advisor is given version 1 on a question */
	add_question(Q1);
	char vid1[32] = "";
	ck_assert_int_eq(suggested(kvk, NULL, "kwakkelbeurs", s1.id, vid1, sizeof vid1), 1);
	const char *given[] = {vid1};
	struct db_error err = {0};
	ck_assert_msg(knowledge_give(kvk, Q1, given, 1, &err), "knowledge_give: %s", err.message);

	/* the editor saves a change: version 2 */
	struct content v2 = v1;
	v2.tell = "Versie twee: de kwakkelbeurs is verhoogd.";
	struct saved s2 = save_ok(ed, s1.id, NULL, 1, &v2);
	ck_assert(s2.created);
	ck_assert_int_eq(s2.version_no, 2);
	ck_assert_str_eq(s2.id, s1.id);

	/* the history has both, newest first */
	struct kb_versions vs;
	ck_assert(kb_versions(ed, s1.id, &vs, &err));
	ck_assert_int_eq(vs.count, 2);
	ck_assert_int_eq(vs.items[0].version_no, 2);
	ck_assert_int_eq(vs.items[1].version_no, 1);
	ck_assert_str_eq(vs.items[0].tell_client, v2.tell);
	ck_assert_str_eq(vs.items[1].tell_client, v1.tell);
	ck_assert_str_eq(vs.items[0].topics, "financiering,opleiding");
	ck_assert_str_eq(vs.items[0].audience, "werkende");
	ck_assert_str_eq(vs.items[0].link, "https://example.nl/kwakkel");
	ck_assert_str_eq(vs.items[0].review_by, day(200));
	ck_assert_str_eq(vs.items[0].created_by, "editor_demo");
	kb_versions_free(&vs);

	/* saving the same content again makes no version 3 */
	struct saved s3 = save_ok(ed, s1.id, NULL, 2, &v2);
	ck_assert(!s3.created);
	ck_assert_int_eq(s3.version_no, 2);
	ck_assert_int_eq(versions_of(s1.id), 2);
	/* also for an item with no link and no audience (empty strings from the form) */
	const struct content bare = {
	    "Kaal item", "Zonder link.", "Zonder doelgroep.", "", "overig", "", -1, 100};
	struct saved b1 = save_ok(ed, NULL, "kaal-item", 0, &bare);
	struct saved b2 = save_ok(ed, b1.id, NULL, 1, &bare);
	ck_assert(!b2.created);
	ck_assert_int_eq(b2.version_no, 1);

	/* the question still points at version 1, in info_given and its history */
	const char *q[] = {Q1};
	ck_assert_int_eq(
	    dbtest_long(kvk,
	                "SELECT v.version_no FROM loket.info_given g "
	                "JOIN loket.knowledge_version v ON v.id = g.knowledge_version_id "
	                "WHERE g.question_id = $1::uuid",
	                1, q),
	    1);
	ck_assert_int_eq(
	    dbtest_long(kvk,
	                "SELECT (detail->>'version_no')::int FROM loket.question_event "
	                "WHERE question_id = $1::uuid AND kind = 'info_given'",
	                1, q),
	    1);
	char *tell = str1(kvk,
	                  "SELECT v.tell_client FROM loket.info_given g "
	                  "JOIN loket.knowledge_version v ON v.id = g.knowledge_version_id "
	                  "WHERE g.question_id = $1::uuid",
	                  1, q);
	ck_assert_str_eq(tell, v1.tell);
	free(tell);

	/* and advisors are now suggested version 2 */
	char vid2[32] = "";
	ck_assert_int_eq(suggested(kvk, NULL, "kwakkelbeurs", s1.id, vid2, sizeof vid2), 2);
	ck_assert_str_ne(vid2, vid1);
}
END_TEST

/* ---- 2. conflict -------------------------------------------------------- */

START_TEST(two_editors_conflict)
{
	const struct content c = {"Snoezelsubsidie",
	                          "Eerste tekst.",
	                          "Uitleg over de snoezelsubsidie.",
	                          "",
	                          "financiering",
	                          "",
	                          -5,
	                          300};
	struct saved s = save_ok(ed, NULL, "snoezelsubsidie", 0, &c);
	struct content c2 = c;
	c2.tell = "Tweede tekst.";
	save_ok(ed, s.id, NULL, 1, &c2);

	/* two sessions of the editor both open version 2 */
	struct db *other = dbtest_connect(dbname, "editor_demo");
	struct kb_versions a, b;
	struct db_error err = {0};
	ck_assert(kb_versions(ed, s.id, &a, &err));
	ck_assert(kb_versions(other, s.id, &b, &err));
	ck_assert_int_eq(a.items[0].version_no, 2);
	ck_assert_int_eq(b.items[0].version_no, 2);

	/* the first saves: version 3 */
	struct kb_version da, dbv;
	kb_version_copy(&da, &a.items[0]);
	kb_version_copy(&dbv, &b.items[0]);
	free(da.title);
	da.title = xstrdup("Snoezelsubsidie (aangepast)");
	bool created = false;
	ck_assert_msg(kb_save(ed, &da, &created, &err), "first save: %s", err.message);
	ck_assert(created);
	ck_assert_int_eq(da.version_no, 3);

	/* the second, still based on 2, is refused and writes nothing */
	free(dbv.body);
	dbv.body = xstrdup("Een heel andere uitleg.");
	long before = count_in("twente", "versions");
	ck_assert(!kb_save(other, &dbv, &created, &err));
	ck_assert_str_eq(err.sqlstate, "40001");
	ck_assert_msg(err.hint && strcmp(err.hint, "LK409") == 0, "hint %s, expected LK409",
	              err.hint ? err.hint : "none");
	ck_assert_msg(strstr(err.message, "3") != NULL, "the message names no version: %s",
	              err.message);
	db_error_clear(&err);
	ck_assert_int_eq(count_in("twente", "versions"), before);
	const char *p[] = {s.id};
	char *body = str1(pg,
	                  "SELECT body FROM loket.knowledge_version WHERE item_id = $1 "
	                  "ORDER BY version_no DESC LIMIT 1",
	                  1, p);
	ck_assert_str_eq(body, c.body);
	free(body);
	ck_assert_int_eq(versions_of(s.id), 3);

	/* having read version 3, the second editor can save: version 4 */
	kb_versions_free(&b);
	ck_assert(kb_versions(other, s.id, &b, &err));
	ck_assert_str_eq(b.items[0].title, "Snoezelsubsidie (aangepast)");
	dbv.version_no = b.items[0].version_no;
	ck_assert_msg(kb_save(other, &dbv, &created, &err), "save after reload: %s", err.message);
	ck_assert(created);
	ck_assert_int_eq(dbv.version_no, 4);

	kb_version_free(&da);
	kb_version_free(&dbv);
	kb_versions_free(&a);
	kb_versions_free(&b);
	db_close(&other);
}
END_TEST

/* ---- 3. validation ------------------------------------------------------ */

START_TEST(validation)
{
	const struct content good = {"Geldig item", "Vertel dit.",        "Uitleg.", "",
	                             "evc",         "https://example.nl", -1,        100};
	struct saved s = save_ok(ed, NULL, "geldig-item", 0, &good);
	char *before = fingerprint("twente");
	long items = count_in("twente", "items");

	struct content c = good;
	c.topics = "evc,bestaat-niet";
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23503", "bestaat-niet");
	save_fails(ed, s.id, NULL, 1, &c, "23503", "bestaat-niet");

	c = good;
	c.audience = "marsbewoner";
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23503", "marsbewoner");

	c = good;
	c.review = 0; /* today */
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "review date");
	save_fails(ed, s.id, NULL, 1, &c, "23514", "review date");
	c.review = -30;
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "review date");

	c = good;
	c.from = 200; /* review date after today, but before the item becomes valid */
	c.review = 100;
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "");
	c.review = 200; /* the same day */
	save_fails(ed, s.id, NULL, 1, &c, "23514", "");

	c = good;
	save_fails(ed, NULL, "Nieuw item", 0, &c, "23514", "short name");
	save_fails(ed, NULL, "1-nieuw", 0, &c, "23514", "short name");
	save_fails(ed, NULL, "nieuw/item", 0, &c, "23514", "short name");
	save_fails(ed, NULL, "a2345678901234567890123456789012345678901", 0, &c, "23514",
	           "short name");
	save_fails(ed, NULL, "", 0, &c, "23514", "short name");
	save_fails(ed, NULL, NULL, 0, &c, "23514", "short name");

	/* a short name already used in the region (seeded, or just made) */
	save_fails(ed, NULL, "evc-algemeen", 0, &c, "23505", "evc-algemeen");
	save_fails(ed, NULL, "geldig-item", 0, &c, "23505", "geldig-item");

	c = good;
	c.link = "http://example.nl";
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "link");
	save_fails(ed, s.id, NULL, 1, &c, "23514", "link");
	c.link = "https://example.nl/met spatie";
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "link");
	c.link = "javascript:alert(1)";
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "link");

	/* no topic at all */
	c = good;
	c.topics = "";
	save_fails(ed, NULL, "nieuw-item", 0, &c, "23514", "topics");

	char *after = fingerprint("twente");
	ck_assert_str_eq(after, before);
	ck_assert_int_eq(count_in("twente", "items"), items);
	free(before), free(after);

	/* the same content with the problems fixed is saved */
	c = good;
	c.tell = "Nu wel goed.";
	struct saved ok = save_ok(ed, s.id, NULL, 1, &c);
	ck_assert_int_eq(ok.version_no, 2);
	save_ok(ed, NULL, "nieuw-item", 0, &good);
}
END_TEST

/* An editor who gives a review date before the date the item becomes valid
 * is told so in words, like every other refusal of kb_save (not only "new
 * row violates check constraint knowledge_version_check"). */
START_TEST(review_before_valid_from_is_explained)
{
	const struct content c = {
	    "Toekomstig item", "Vertel dit.", "Uitleg.", "", "evc", "", 200, 100};
	struct db_error err = {0};
	ck_assert(!save(ed, NULL, "toekomstig", 0, &c, NULL, &err));
	ck_assert_str_eq(err.sqlstate, "23514");
	ck_assert_msg(strstr(err.message, "review") != NULL ||
	                  (err.constraint && strstr(err.constraint, "review") != NULL),
	              "the error does not say what is wrong: '%s' (constraint %s)", err.message,
	              err.constraint ? err.constraint : "none");
	db_error_clear(&err);
}
END_TEST

/* ---- 4. who may write where --------------------------------------------- */

START_TEST(security)
{
	char twente_item[32];
	item_id_of("twente", "evc-algemeen", twente_item, sizeof twente_item);
	int twente_base = (int)dbtest_long(pg,
	                                   "SELECT max(version_no) FROM loket.knowledge_version v "
	                                   "JOIN loket.knowledge_item i ON i.id = v.item_id "
	                                   "WHERE i.region = 'twente' AND i.slug = 'evc-algemeen'",
	                                   0, NULL);
	const struct content c = {"Poging", "Vertel dit.", "Uitleg.", "", "evc", "", -1, 100};
	char *tw_before = fingerprint("twente");
	long tw_items = count_in("twente", "items");

	/* an advisor writes no knowledge at all */
	const char *p[] = {twente_item};
	dbtest_fails(kvk,
	             "INSERT INTO loket.knowledge_item (region, slug) VALUES ('twente', 'van-kvk')",
	             0, NULL, "42501");
	dbtest_fails(
	    kvk,
	    "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
	    "valid_from, review_by) VALUES ($1::bigint, 'x', 'x', 'x', '{evc}', "
	    "current_date, current_date + 100)",
	    1, p, "42501");
	dbtest_fails(kvk,
	             "UPDATE loket.knowledge_item SET retired_at = now() WHERE id = $1::bigint", 1,
	             p, "42501");
	save_fails(kvk, NULL, "van-kvk", 0, &c, "42501", "");
	save_fails(kvk, twente_item, NULL, twente_base, &c, "42501", "");
	struct db_error err = {0};
	ck_assert(!kb_retire(kvk, twente_item, true, &err));
	ck_assert_str_eq(err.sqlstate, "42501");
	db_error_clear(&err);

	/* the Achterhoek's editor writes nothing of Twente */
	save_fails(ah, twente_item, NULL, twente_base, &c, "42501", "");
	ck_assert(!kb_retire(ah, twente_item, true, &err));
	ck_assert_str_eq(err.sqlstate, "42501");
	db_error_clear(&err);
	dbtest_fails(ah,
	             "INSERT INTO loket.knowledge_item (region, slug) VALUES ('twente', 'van-ah')",
	             0, NULL, "42501");
	dbtest_fails(
	    ah,
	    "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
	    "valid_from, review_by) VALUES ($1::bigint, 'x', 'x', 'x', '{evc}', "
	    "current_date, current_date + 100)",
	    1, p, "42501");
	/* a direct update finds no Twente row to change */
	struct db_result *r = NULL;
	ck_assert(
	    db_query(ah, "UPDATE loket.knowledge_item SET retired_at = now() WHERE id = $1::bigint",
	             1, p, &r, &err));
	ck_assert_int_eq(db_result_affected(r), 0);
	db_result_free(&r);
	/* nor may an editor sign a version with someone else's name */
	dbtest_fails(
	    ed,
	    "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
	    "valid_from, review_by, created_by) VALUES ($1::bigint, 'x', 'x', 'x', '{evc}', "
	    "current_date, current_date + 100, 'kvk_demo')",
	    1, p, "42501");
	/* versions never change, not even for their own editor */
	dbtest_fails(
	    ed, "UPDATE loket.knowledge_version SET title = 'anders' WHERE item_id = $1::bigint", 1,
	    p, "42501");
	dbtest_fails(ed, "DELETE FROM loket.knowledge_version WHERE item_id = $1::bigint", 1, p,
	             "42501");

	char *tw_after = fingerprint("twente");
	ck_assert_str_eq(tw_after, tw_before);
	ck_assert_int_eq(count_in("twente", "items"), tw_items);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.knowledge_item "
	                             "WHERE retired_at IS NOT NULL",
	                             0, NULL),
	                 0);
	free(tw_before), free(tw_after);

	/* in its own region it may; Twente's editor may not touch that item */
	struct saved own = save_ok(ah, NULL, "eigen-item", 0, &c);
	const char *q[] = {own.id};
	char *region =
	    str1(pg, "SELECT region FROM loket.knowledge_item WHERE id = $1::bigint", 1, q);
	ck_assert_str_eq(region, "achterhoek");
	free(region);
	save_fails(ed, own.id, NULL, 1, &c, "42501", "");
	ck_assert(!kb_retire(ed, own.id, true, &err));
	ck_assert_str_eq(err.sqlstate, "42501");
	db_error_clear(&err);
	ck_assert(kb_retire(ah, own.id, true, &err));
	ck_assert(kb_retire(ah, own.id, false, &err));

	/* everyone reads all knowledge, the supervisor too */
	long all_items = dbtest_long(pg, "SELECT count(*) FROM loket.knowledge_item", 0, NULL);
	long all_versions =
	    dbtest_long(pg, "SELECT count(*) FROM loket.knowledge_version", 0, NULL);
	ck_assert_int_eq(all_items, tw_items + 1);
	const char *readers[] = {"kvk_demo", "lwl_demo", "supervisor_demo", "editor_demo", ah_role};
	for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
		struct db *db = dbtest_connect(dbname, readers[i]);
		ck_assert_msg(dbtest_long(db, "SELECT count(*) FROM loket.knowledge_item", 0,
		                          NULL) == all_items,
		              "%s does not read every item", readers[i]);
		ck_assert_msg(dbtest_long(db, "SELECT count(*) FROM loket.knowledge_version", 0,
		                          NULL) == all_versions,
		              "%s does not read every version", readers[i]);
		db_close(&db);
	}
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	ck_assert_int_gt(dbtest_long(sup,
	                             "SELECT count(*) FROM loket.knowledge_suggest(NULL, 'evc', 8)",
	                             0, NULL),
	                 0);
	db_close(&sup);

	/* each editor's list is the own region's */
	struct kb_items l;
	ck_assert(kb_list(ah, true, -1, &l, &err));
	ck_assert_int_eq(l.count, 1);
	ck_assert_str_eq(l.items[0].slug, "eigen-item");
	kb_items_free(&l);
	ck_assert(kb_list(ed, true, -1, &l, &err));
	ck_assert_int_eq(l.count, tw_items);
	kb_items_free(&l);
}
END_TEST

/* Only knowledge editors may run the writing functions: sql/018 grants
 * EXECUTE on kb_save, kb_retire and kb_import to loket_editor, which means
 * nothing while PUBLIC keeps its default EXECUTE privilege. */
START_TEST(only_editors_run_the_writers)
{
	static const char *const fns[] = {
	    "loket.kb_save(bigint, text, integer, text, text, text, text[], text[], text, date, "
	    "date, boolean)",
	    "loket.kb_retire(bigint, boolean)",
	    "loket.kb_import(jsonb)",
	};
	static const char *const others[] = {"kvk_demo", "lwl_demo", "supervisor_demo"};
	for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
		const char *p[] = {"editor_demo", fns[f]};
		ck_assert_msg(dbtest_long(pg,
		                          "SELECT has_function_privilege($1, $2, 'EXECUTE')::int",
		                          2, p) == 1,
		              "editor_demo may not run %s", fns[f]);
		for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
			const char *q[] = {others[i], fns[f]};
			ck_assert_msg(
			    dbtest_long(pg, "SELECT has_function_privilege($1, $2, 'EXECUTE')::int",
			                2, q) == 0,
			    "%s may run %s", others[i], fns[f]);
		}
	}
}
END_TEST

/* ---- 5. retire and restore ---------------------------------------------- */

START_TEST(retire_and_restore)
{
	const struct content c = {"Pruttelregeling voor taalcursussen",
	                          "Vertel over de pruttelregeling.",
	                          "De pruttelregeling betaalt een taalcursus.",
	                          "",
	                          "taal",
	                          "",
	                          -20,
	                          10};
	struct saved s = save_ok(ed, NULL, "pruttelregeling", 0, &c);
	const char *p[] = {s.id};
	/* it is suggested, listed, and due for review within 30 days */
	char vid[32] = "";
	ck_assert_int_eq(suggested(kvk, NULL, "pruttelregeling", s.id, vid, sizeof vid), 1);
	ck_assert_int_eq(suggested(kvk, NULL, "", s.id, NULL, 0), 1);
	ck_assert(listed(ed, false, -1, "pruttelregeling", NULL));
	ck_assert(listed(ed, false, 30, "pruttelregeling", NULL));
	/* and given on a question */
	add_question(Q1);
	const char *given[] = {vid};
	struct db_error err = {0};
	ck_assert(knowledge_give(kvk, Q1, given, 1, &err));

	ck_assert_msg(kb_retire(ed, s.id, true, &err), "kb_retire: %s", err.message);
	/* no longer suggested, not even when browsing */
	ck_assert_int_eq(suggested(kvk, NULL, "pruttelregeling", s.id, NULL, 0), 0);
	ck_assert_int_eq(suggested(kvk, "taal", "", s.id, NULL, 0), 0);
	ck_assert_int_eq(suggested(kvk, NULL, "", s.id, NULL, 0), 0);
	/* hidden from the list, shown as retired with retired items */
	ck_assert(!listed(ed, false, -1, "pruttelregeling", NULL));
	bool retired = false;
	ck_assert(listed(ed, true, -1, "pruttelregeling", &retired));
	ck_assert(retired);
	/* not in the review queue */
	ck_assert(!listed(ed, false, 30, "pruttelregeling", NULL));
	ck_assert(!listed(ed, true, 30, "pruttelregeling", NULL));
	/* its versions and what was given stay */
	ck_assert_int_eq(versions_of(s.id), 1);
	const char *q[] = {Q1, vid};
	ck_assert_int_eq(
	    dbtest_long(kvk,
	                "SELECT count(*) FROM loket.info_given WHERE question_id = $1::uuid "
	                "AND knowledge_version_id = $2::bigint",
	                2, q),
	    1);
	struct kb_versions vs;
	ck_assert(kb_versions_by_slug(ed, "pruttelregeling", &vs, &err));
	ck_assert_int_eq(vs.count, 1);
	ck_assert(vs.items[0].retired);
	kb_versions_free(&vs);

	/* retiring again keeps the first date */
	char *at1 =
	    str1(pg, "SELECT retired_at FROM loket.knowledge_item WHERE id = $1::bigint", 1, p);
	ck_assert(at1 && *at1);
	ck_assert(kb_retire(ed, s.id, true, &err));
	char *at2 =
	    str1(pg, "SELECT retired_at FROM loket.knowledge_item WHERE id = $1::bigint", 1, p);
	ck_assert_str_eq(at2, at1);
	free(at1), free(at2);

	/* restore: back everywhere */
	ck_assert_msg(kb_retire(ed, s.id, false, &err), "restore: %s", err.message);
	ck_assert_int_eq(suggested(kvk, NULL, "pruttelregeling", s.id, NULL, 0), 1);
	retired = true;
	ck_assert(listed(ed, false, -1, "pruttelregeling", &retired));
	ck_assert(!retired);
	ck_assert(listed(ed, false, 30, "pruttelregeling", NULL));
	ck_assert_int_eq(versions_of(s.id), 1);
}
END_TEST

/* ---- 6. review queue ---------------------------------------------------- */

/* An item of the Achterhoek, made by the superuser, due `review` days from
 * today (overdue or not); retired when asked. */
static void
ah_item(const char *slug, const char *title, int review, bool retired)
{
	char days[16];
	snprintf(days, sizeof days, "%d", review);
	const char *p[] = {slug, title, days, retired ? "t" : "f"};
	dbtest_ok(pg,
	          "WITH i AS (INSERT INTO loket.knowledge_item (region, slug, retired_at) "
	          "           VALUES ('achterhoek', $1, CASE WHEN $4::boolean THEN now() END) "
	          "           RETURNING id) "
	          "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
	          "  valid_from, review_by) "
	          "SELECT id, $2, 'Vertel dit.', 'Uitleg.', '{overig}', current_date - 400, "
	          "       current_date + $3::int FROM i",
	          4, p);
}

START_TEST(review_queue)
{
	/* made out of order, so that neither id nor slug gives the right order */
	ah_item("rq-week", "Binnen een week", 7, false);
	ah_item("rq-later", "Pas later", 90, false);
	ah_item("rq-drie-1", "Zwaluw", -3, false);
	ah_item("rq-veertig", "Lang verlopen", -40, false);
	ah_item("rq-vandaag", "Vandaag", 0, false);
	ah_item("rq-eenendertig", "Net buiten de termijn", 31, false);
	ah_item("rq-negenentwintig", "Net binnen de termijn", 29, false);
	ah_item("rq-drie-2", "Aalscholver", -3, false);
	ah_item("rq-ingetrokken", "Ingetrokken en verlopen", -100, true);
	/* overdue once, but its current version is reviewed */
	ah_item("rq-herzien", "Herzien", -10, false);
	dbtest_ok(pg,
	          "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
	          "  valid_from, review_by) "
	          "SELECT id, 'Herzien', 'Vertel dit.', 'Uitleg, herzien.', '{overig}', "
	          "       current_date - 1, current_date + 200 "
	          "FROM loket.knowledge_item WHERE region = 'achterhoek' AND slug = 'rq-herzien'",
	          0, NULL);

	static const char *const want[] = {"rq-veertig", "rq-drie-1", "rq-drie-2",
	                                   "rq-vandaag", "rq-week",   "rq-negenentwintig"};
	static const int want_days[] = {-40, -3, -3, 0, 7, 29};
	const int nwant = (int)(sizeof want / sizeof want[0]);
	struct kb_items l;
	struct db_error err = {0};
	ck_assert_msg(kb_list(ah, false, 30, &l, &err), "kb_list: %s", err.message);
	ck_assert_int_eq(l.count, nwant);
	for (int i = 0; i < l.count; i++) {
		ck_assert_msg(l.items[i].days_left == want_days[i],
		              "%d: %s is due in %d days, expected %d", i, l.items[i].slug,
		              l.items[i].days_left, want_days[i]);
		/* the two due on the same day may come in either order */
		if (want_days[i] == -3)
			ck_assert_msg(strncmp(l.items[i].slug, "rq-drie-", 8) == 0, "%d: %s", i,
			              l.items[i].slug);
		else
			ck_assert_str_eq(l.items[i].slug, want[i]);
		ck_assert(!l.items[i].retired);
	}
	kb_items_free(&l);
	/* a shorter horizon: only the overdue ones and those within 7 days */
	ck_assert(kb_list(ah, false, 8, &l, &err));
	ck_assert_int_eq(l.count, 5);
	ck_assert_str_eq(l.items[0].slug, "rq-veertig");
	ck_assert_str_eq(l.items[4].slug, "rq-week");
	kb_items_free(&l);
	/* a long one: everything live except the reviewed item */
	ck_assert(kb_list(ah, false, 100, &l, &err));
	ck_assert_int_eq(l.count, 8);
	ck_assert_str_eq(l.items[7].slug, "rq-later");
	kb_items_free(&l);

	/* the command shows the same, in that order */
	char *out = NULL, *errtext = NULL;
	int rc = dbtest_loket(dbtest_conninfo(dbname, ah_role), NULL, &out, &errtext, "kb",
	                      "review", "--days", "30", "--format", "csv", (const char *)NULL);
	ck_assert_msg(rc == 0, "kb review: exit %d: %s", rc, errtext);
	const char *prev = out;
	for (int i = 0; i < nwant; i++) {
		if (want_days[i] == -3)
			continue;
		const char *at = strstr(out, want[i]);
		ck_assert_msg(at != NULL, "kb review does not show %s:\n%s", want[i], out);
		ck_assert_msg(at >= prev, "kb review shows %s out of order:\n%s", want[i], out);
		prev = at;
	}
	ck_assert_ptr_nonnull(strstr(out, "rq-drie-1"));
	ck_assert_ptr_nonnull(strstr(out, "rq-drie-2"));
	ck_assert_ptr_null(strstr(out, "rq-later"));
	ck_assert_ptr_null(strstr(out, "rq-eenendertig"));
	ck_assert_ptr_null(strstr(out, "rq-ingetrokken"));
	ck_assert_ptr_null(strstr(out, "rq-herzien"));
	free(out), free(errtext);

	/* Twente's queue holds none of these */
	ck_assert(kb_list(ed, false, 1000, &l, &err));
	for (int i = 0; i < l.count; i++)
		ck_assert_msg(strncmp(l.items[i].slug, "rq-", 3) != 0, "%s in Twente's queue",
		              l.items[i].slug);
	kb_items_free(&l);
}
END_TEST

/* "Due within N days" includes the N-th day: `kb review` (30 days by
 * default) shows what `kb list` marks as "review soon" (days_left <= 30). */
START_TEST(review_queue_includes_the_last_day)
{
	ah_item("rq-dertig", "Precies dertig dagen", 30, false);
	ah_item("rq-zeven", "Precies zeven dagen", 7, false);
	ck_assert_msg(listed(ah, false, 30, "rq-dertig", NULL),
	              "an item due in exactly 30 days is not in the 30-day review queue");
	ck_assert_msg(listed(ah, false, 7, "rq-zeven", NULL),
	              "an item due in exactly 7 days is not in the 7-day review queue");
	ck_assert(!listed(ah, false, 29, "rq-dertig", NULL));
}
END_TEST

/* ---- 7. export and import between regions -------------------------------- */

START_TEST(export_import_round_trip)
{
	/* Twente's knowledge with some history: evc-algemeen has two versions */
	struct kb_versions vs;
	struct db_error err = {0};
	ck_assert(kb_versions_by_slug(ed, "evc-algemeen", &vs, &err));
	struct kb_version d;
	kb_version_copy(&d, &vs.items[0]);
	kb_versions_free(&vs);
	free(d.tell_client), free(d.review_by);
	d.tell_client = xstrdup("EVC: wat iemand al kan, op papier (versie 2).");
	d.review_by = xstrdup(day(365));
	bool created = false;
	ck_assert_msg(kb_save(ed, &d, &created, &err), "%s", err.message);
	ck_assert(created);
	kb_version_free(&d);
	long tw_items = count_in("twente", "items");
	ck_assert_int_ge(tw_items, 20);

	const char *f1 = temp_path(), *f2 = temp_path(), *f3 = temp_path();

	/* export from Twente, import into the Achterhoek */
	cli_export("editor_demo", f1);
	char *json = NULL;
	ck_assert(file_read(f1, &json, NULL));
	const char *pj[] = {json};
	char *head = str1(pg,
	                  "SELECT concat_ws(' ', d->>'format', d->>'version', d->>'region', "
	                  "                 jsonb_array_length(d->'items')) "
	                  "FROM (SELECT $1::jsonb AS d) x",
	                  1, pj);
	char want_head[64];
	snprintf(want_head, sizeof want_head, "loket-knowledge 1 twente %ld", tw_items);
	ck_assert_str_eq(head, want_head);
	free(head);

	char *errtext = NULL;
	int rc = cli_import(ah_role, f1, &errtext);
	ck_assert_msg(rc == 0, "kb import: exit %d: %s", rc, errtext);
	free(errtext);
	ck_assert_int_eq(count_in("achterhoek", "items"), tw_items);
	/* the newest version of each item, as one version here */
	ck_assert_int_eq(count_in("achterhoek", "versions"), tw_items);
	ck_assert_int_eq(regions_differ(), 0);
	const char *pr[] = {ah_role};
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT count(*) FROM loket.knowledge_version v "
	                             "JOIN loket.knowledge_item i ON i.id = v.item_id "
	                             "WHERE i.region = 'achterhoek' AND v.created_by <> $1",
	                             1, pr),
	                 0);

	/* importing the same file again changes nothing */
	struct kb_import_result res;
	ck_assert_msg(kb_import(ah, json, &res, &err), "kb_import: %s", err.message);
	ck_assert_int_eq(res.count, tw_items);
	for (int i = 0; i < res.count; i++)
		ck_assert_msg(strcmp(res.items[i].action, "unchanged") == 0, "%s: %s",
		              res.items[i].slug, res.items[i].action);
	kb_import_result_free(&res);
	free(json);
	char *fp = fingerprint("achterhoek");
	rc = cli_import(ah_role, f1, &errtext);
	ck_assert_msg(rc == 0, "kb import again: exit %d: %s", rc, errtext);
	free(errtext);
	char *fp2 = fingerprint("achterhoek");
	ck_assert_str_eq(fp2, fp);
	free(fp), free(fp2);

	/* one item changes in Twente: exactly that one gets a new version here */
	ck_assert(kb_versions_by_slug(ed, "loopbaangesprek", &vs, &err));
	kb_version_copy(&d, &vs.items[0]);
	kb_versions_free(&vs);
	char *body = xasprintf("%s Sinds dit jaar ook online.", d.body);
	free(d.body), free(d.review_by);
	d.body = body;
	d.review_by = xstrdup(day(400));
	ck_assert_msg(kb_save(ed, &d, &created, &err), "%s", err.message);
	kb_version_free(&d);
	cli_export("editor_demo", f2);
	rc = cli_import(ah_role, f2, &errtext);
	ck_assert_msg(rc == 0, "kb import: exit %d: %s", rc, errtext);
	free(errtext);
	char *more = str1(pg,
	                  "SELECT string_agg(slug || '=' || n, ',' ORDER BY slug) FROM ("
	                  "  SELECT i.slug, count(*) AS n FROM loket.knowledge_item i "
	                  "  JOIN loket.knowledge_version v ON v.item_id = i.id "
	                  "  WHERE i.region = 'achterhoek' GROUP BY i.slug HAVING count(*) > 1) x",
	                  0, NULL);
	ck_assert_str_eq(more, "loopbaangesprek=2");
	free(more);
	ck_assert_int_eq(count_in("achterhoek", "versions"), tw_items + 1);
	ck_assert_int_eq(regions_differ(), 0);

	/* an item retired in Twente is retired here by the next import */
	char tw_id[32];
	item_id_of("twente", "stap-budget-gestopt", tw_id, sizeof tw_id);
	ck_assert(kb_retire(ed, tw_id, true, &err));
	cli_export("editor_demo", f3);
	rc = cli_import(ah_role, f3, &errtext);
	ck_assert_msg(rc == 0, "kb import: exit %d: %s", rc, errtext);
	free(errtext);
	ck_assert_int_eq(dbtest_long(pg,
	                             "SELECT (string_agg(slug, ',') = 'stap-budget-gestopt')::int "
	                             "FROM loket.knowledge_item "
	                             "WHERE region = 'achterhoek' AND retired_at IS NOT NULL",
	                             0, NULL),
	                 1);
	ck_assert_int_eq(count_in("achterhoek", "versions"), tw_items + 1);
	ck_assert_int_eq(regions_differ(), 0);
	bool retired = false;
	ck_assert(listed(ah, true, -1, "stap-budget-gestopt", &retired));
	ck_assert(retired);
	ck_assert(!listed(ah, false, -1, "stap-budget-gestopt", NULL));
	/* and that import, repeated, changes nothing either */
	fp = fingerprint("achterhoek");
	rc = cli_import(ah_role, f3, &errtext);
	ck_assert_msg(rc == 0, "kb import: exit %d: %s", rc, errtext);
	free(errtext);
	fp2 = fingerprint("achterhoek");
	ck_assert_str_eq(fp2, fp);
	free(fp), free(fp2);

	/* Twente is untouched by all this, and the Achterhoek exports its own */
	ck_assert_int_eq(count_in("twente", "items"), tw_items);
	ck_assert(kb_export(ah, &json, &err));
	const char *pa[] = {json};
	head = str1(pg,
	            "SELECT (d->>'region') || ' ' || jsonb_array_length(d->'items') "
	            "FROM (SELECT $1::jsonb AS d) x",
	            1, pa);
	snprintf(want_head, sizeof want_head, "achterhoek %ld", tw_items);
	ck_assert_str_eq(head, want_head);
	free(head), free(json);
}
END_TEST

/* ---- 8. bad files change nothing ---------------------------------------- */

/* clang-format off */
#define J_VERSION(title, topic, from, review)                                                 \
	"{\"title\": \"" title "\", \"tell_client\": \"Vertel dit.\", \"body\": \"Uitleg.\", " \
	"\"topics\": [\"" topic "\"], \"valid_from\": \"" from "\", \"review_by\": \"" review "\"}"
#define J_ITEM(slug, version) "{\"slug\": \"" slug "\", \"versions\": [" version "]}"
#define J_DOC(items) "{\"format\": \"loket-knowledge\", \"version\": 1, \"items\": [" items "]}"
#define GOOD(title, topic) J_VERSION(title, topic, "2026-01-01", "2030-01-01")

static const struct {
	const char *what;
	const char *doc;
	const char *needle; /* in the error message */
} bad_files[] = {
	{"invalid JSON",
	 "{\"format\": \"loket-knowledge\", \"version\": 1, \"items\": [",
	 "json"},
	{"not JSON at all",
	 "slug;title\nah-een;Een\n",
	 "json"},
	{"wrong format tag",
	 "{\"format\": \"loket-kennis\", \"version\": 1, \"items\": ["
	 J_ITEM("ah-een", GOOD("Een, gewijzigd", "evc")) "]}",
	 "\"format\""},
	{"unknown format version",
	 "{\"format\": \"loket-knowledge\", \"version\": 2, \"items\": []}",
	 "version"},
	{"an item without a title",
	 J_DOC(J_ITEM("ah-een", GOOD("Een, gewijzigd", "evc")) ", "
	       "{\"slug\": \"ah-twee\", \"versions\": [{\"tell_client\": \"Vertel.\", "
	       "\"body\": \"Uitleg.\", \"topics\": [\"evc\"], \"valid_from\": \"2026-01-01\", "
	       "\"review_by\": \"2030-01-01\"}]}"),
	 "item 2 (ah-twee), field \"title\""},
	{"an empty title",
	 J_DOC(J_ITEM("ah-een", GOOD(" ", "evc"))),
	 "item 1 (ah-een), field \"title\""},
#define UNKNOWN_TOPIC_IN_ITEM_3 6
	{"an unknown topic in item 3 of 3",
	 J_DOC(J_ITEM("ah-nieuw", GOOD("Nieuw", "evc")) ", "
	       "{\"slug\": \"ah-een\", \"retired\": true, \"versions\": ["
	       GOOD("Een, gewijzigd", "taal") "]}, "
	       J_ITEM("ah-drie", GOOD("Drie", "bestaat-niet"))),
	 "item 3 (ah-drie), field \"topics\""},
	{"an impossible date",
	 J_DOC(J_ITEM("ah-een", J_VERSION("Een", "evc", "2026-01-01", "2030-02-30"))),
	 "item 1 (ah-een), field \"review_by\""},
	{"a date written the Dutch way",
	 J_DOC(J_ITEM("ah-nieuw", GOOD("Nieuw", "evc")) ", "
	       J_ITEM("ah-twee", J_VERSION("Twee", "evc", "01-01-2026", "2030-01-01"))),
	 "item 2 (ah-twee), field \"valid_from\""},
	{"review before valid_from",
	 J_DOC(J_ITEM("ah-een", J_VERSION("Een", "evc", "2026-01-01", "2025-01-01"))),
	 "item 1 (ah-een), field \"review_by\""},
	{"a plain http link",
	 J_DOC("{\"slug\": \"ah-een\", \"versions\": [{\"title\": \"Een\", \"tell_client\": \"V.\", "
	       "\"body\": \"U.\", \"topics\": [\"evc\"], \"link\": \"http://example.nl\", "
	       "\"valid_from\": \"2026-01-01\", \"review_by\": \"2030-01-01\"}]}"),
	 "item 1 (ah-een), field \"link\""},
	{"a slug twice",
	 J_DOC(J_ITEM("ah-nieuw", GOOD("Nieuw", "evc")) ", "
	       J_ITEM("ah-nieuw", GOOD("Nieuw 2", "evc"))),
	 "item 2 (ah-nieuw), field \"slug\""},
	{"a bad slug",
	 J_DOC(J_ITEM("Ah Nieuw", GOOD("Nieuw", "evc"))),
	 "item 1 (Ah Nieuw), field \"slug\""},
};

/* The Achterhoek's first two items. */
static const char first_file[] =
	J_DOC(J_ITEM("ah-een", GOOD("Een", "evc")) ", "
	      J_ITEM("ah-twee", GOOD("Twee", "evc")));
/* The file with the unknown topic in item 3, put right. */
static const char item_3_right[] =
	J_DOC(J_ITEM("ah-nieuw", GOOD("Nieuw", "evc")) ", "
	      "{\"slug\": \"ah-een\", \"retired\": true, \"versions\": ["
	      GOOD("Een, gewijzigd", "taal") "]}, "
	      J_ITEM("ah-drie", GOOD("Drie", "overig")));
/* clang-format on */

START_TEST(bad_files_change_nothing)
{
	/* the Achterhoek already has two items */
	struct kb_import_result res;
	struct db_error err = {0};
	ck_assert_msg(kb_import(ah, first_file, &res, &err), "%s", err.message);
	ck_assert_int_eq(res.count, 2);
	ck_assert_str_eq(res.items[0].action, "created");
	kb_import_result_free(&res);
	char *before = fingerprint("achterhoek");
	long items = count_in("achterhoek", "items"), versions = count_in("achterhoek", "versions");
	char *tw_before = fingerprint("twente");

	const char *path = temp_path();
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		write_text(path, bad_files[i].doc);
		char *errtext = NULL;
		int rc = cli_import(ah_role, path, &errtext);
		ck_assert_msg(rc == 1, "%s: exit %d, expected 1: %s", bad_files[i].what, rc,
		              errtext);
		ck_assert_msg(strstr(errtext, bad_files[i].needle) != NULL,
		              "%s: the message does not name '%s':\n%s", bad_files[i].what,
		              bad_files[i].needle, errtext);
		ck_assert_msg(strstr(errtext, path) != NULL,
		              "%s: the message does not name the file:\n%s", bad_files[i].what,
		              errtext);
		free(errtext);
		char *after = fingerprint("achterhoek");
		ck_assert_msg(strcmp(after, before) == 0, "%s: the Achterhoek's knowledge changed",
		              bad_files[i].what);
		free(after);
		ck_assert_int_eq(count_in("achterhoek", "items"), items);
		ck_assert_int_eq(count_in("achterhoek", "versions"), versions);
	}
	char *tw_after = fingerprint("twente");
	ck_assert_str_eq(tw_after, tw_before);
	free(tw_before), free(tw_after);

	/* through the model: the item-3 file fails as invalid input */
	ck_assert_ptr_nonnull(strstr(bad_files[UNKNOWN_TOPIC_IN_ITEM_3].what, "item 3"));
	ck_assert(!kb_import(ah, bad_files[UNKNOWN_TOPIC_IN_ITEM_3].doc, &res, &err));
	ck_assert_str_eq(err.sqlstate, "22023");
	db_error_clear(&err);
	char *after = fingerprint("achterhoek");
	ck_assert_str_eq(after, before);
	free(after);

	/* with item 3 put right, the same file is imported in full */
	ck_assert_msg(kb_import(ah, item_3_right, &res, &err), "%s", err.message);
	char *actions = xstrdup("");
	for (int i = 0; i < res.count; i++) {
		char *a = xasprintf("%s%s%s:%s", actions, i ? "," : "", res.items[i].slug,
		                    res.items[i].action);
		free(actions);
		actions = a;
	}
	ck_assert_str_eq(actions, "ah-nieuw:created,ah-een:updated,ah-een:retired,ah-drie:created");
	free(actions);
	kb_import_result_free(&res);
	ck_assert_int_eq(count_in("achterhoek", "versions"), versions + 3);
	free(before);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kb");
	TCase *tc = tcase_create("kb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, versions_and_what_was_given);
	tcase_add_test(tc, two_editors_conflict);
	tcase_add_test(tc, validation);
	tcase_add_test(tc, review_before_valid_from_is_explained);
	tcase_add_test(tc, security);
	tcase_add_test(tc, only_editors_run_the_writers);
	tcase_add_test(tc, retire_and_restore);
	tcase_add_test(tc, review_queue);
	tcase_add_test(tc, review_queue_includes_the_last_day);
	tcase_add_test(tc, export_import_round_trip);
	tcase_add_test(tc, bad_files_change_nothing);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
