/* test_rls.c: row-level security with the real demo login roles.  An advisor
 * sees and changes only their own organisation's questions; the central
 * point sees only what was referred to it; a supervisor reads no case rows,
 * only the region's counts with small ones held back, and never contact details; and the catalogue shows that no login role can get
 * around any of it. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KVK_Q "00000000-0000-4000-8000-00000000000a"
#define KVK_REFERRED "00000000-0000-4000-8000-00000000000b"
#define CNV_Q "00000000-0000-4000-8000-00000000000c"

static const char *dbname;

static const char *const add_sql =
	"INSERT INTO loket.question (id, channel, client_group, topic, text) "
	"VALUES ($1::uuid, 'balie', 'werkende', 'evc', $2)";

static void
setup(void)
{
	dbname = dbtest_create("rls", true);
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	const char *a[] = {KVK_Q, "kvk vraag"}, *b[] = {KVK_REFERRED, "kvk verwezen"},
	           *c[] = {CNV_Q, "cnv vraag"};
	dbtest_ok(kvk, add_sql, 2, a);
	dbtest_ok(kvk, add_sql, 2, b);
	dbtest_ok(cnv, add_sql, 2, c);
	const char *r[] = {KVK_REFERRED};
	dbtest_ok(kvk,
	          "INSERT INTO loket.client (question_id, kind, name, phone, consent_at) "
	          "VALUES ($1::uuid, 'person', 'Els Nijhuis', '0612345678', now())",
	          1, r);
	dbtest_ok(kvk,
	          "INSERT INTO loket.referral (question_id, reason, consent_contact) "
	          "VALUES ($1::uuid, 'advies', true)",
	          1, r);
	const char *q[] = {CNV_Q};
	dbtest_ok(cnv,
	          "INSERT INTO loket.client (question_id, kind, name, consent_at) "
	          "VALUES ($1::uuid, 'person', 'Piet Pots', now())",
	          1, q);
	db_close(&kvk);
	db_close(&cnv);
}

static void
teardown(void)
{
	dbtest_drop(dbname);
}

static long
count(struct db *db, const char *sql)
{
	return dbtest_long(db, sql, 0, NULL);
}

START_TEST(vindplaats_sees_only_its_own)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.question WHERE organisation = 'cnv'"), 0);
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.question"), 2);
	const char *c[] = {CNV_Q};
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question WHERE id = $1::uuid", 1, c),
	                 0);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.client WHERE question_id = $1::uuid",
	                             1, c),
	                 0);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question_event WHERE question_id = "
	                                  "$1::uuid", 1, c),
	                 0);
	/* Cannot change cnv's question: no row is visible to update. */
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert(db_query(kvk, "UPDATE loket.question SET text = 'gekaapt' WHERE id = $1::uuid", 1, c,
	                   &r, &err));
	ck_assert_int_eq(db_result_affected(r), 0);
	db_result_free(&r);
	dbtest_fails(kvk, "DELETE FROM loket.question WHERE id = $1::uuid", 1, c, "42501");
	/* Cannot insert in cnv's name, nor as another advisor. */
	dbtest_fails(kvk,
	             "INSERT INTO loket.question (id, organisation, channel, client_group, topic, text) "
	             "VALUES (gen_random_uuid(), 'cnv', 'balie', 'werkende', 'evc', 'nep')",
	             0, NULL, "42501");
	dbtest_fails(kvk,
	             "INSERT INTO loket.question (id, advisor, channel, client_group, topic, text) "
	             "VALUES (gen_random_uuid(), 'cnv_demo', 'balie', 'werkende', 'evc', 'nep')",
	             0, NULL, "42501");
	/* Cannot refer cnv's question or become cnv_demo. */
	dbtest_fails(kvk, "INSERT INTO loket.referral (question_id, reason) VALUES ($1::uuid, 'advies')",
	             1, c, "42501");
	dbtest_fails(kvk, "SET ROLE cnv_demo", 0, NULL, "42501");
	dbtest_fails(kvk, "SET ROLE loket_owner", 0, NULL, "42501");
	db_close(&kvk);
	/* The unchanged row, seen by its owner. */
	struct db *cnv = dbtest_connect(dbname, "cnv_demo");
	ck_assert_int_eq(count(cnv, "SELECT count(*) FROM loket.question WHERE text = 'cnv vraag'"), 1);
	db_close(&cnv);
}
END_TEST

START_TEST(central_sees_only_referred)
{
	struct db *lwl = dbtest_connect(dbname, "lwl_demo");
	ck_assert_int_eq(count(lwl, "SELECT count(*) FROM loket.question"), 1);
	const char *r[] = {KVK_REFERRED};
	ck_assert_int_eq(dbtest_long(lwl, "SELECT count(*) FROM loket.question WHERE id = $1::uuid", 1, r),
	                 1);
	/* Contact details were consented to for this referral. */
	ck_assert_int_eq(count(lwl, "SELECT count(*) FROM loket.client"), 1);
	/* It can take the referral on, but not rewrite the question. */
	dbtest_ok(lwl, "UPDATE loket.referral SET status = 'accepted', accepted_by = current_user", 0,
	          NULL);
	struct db_result *res = NULL;
	struct db_error err = {0};
	ck_assert(db_query(lwl, "UPDATE loket.question SET text = 'anders'", 0, NULL, &res, &err));
	ck_assert_int_eq(db_result_affected(res), 0);
	db_result_free(&res);
	db_close(&lwl);
	/* The sender sees the new status. */
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.referral WHERE status = 'accepted'"), 1);
	db_close(&kvk);
}
END_TEST

START_TEST(supervisor_no_contact_details)
{
	/* Supervisors read no case rows at all, only counts (sql/015): from rows
	 * an exact small count could be derived. */
	struct db *sup = dbtest_connect(dbname, "supervisor_demo");
	const char *tables[] = {"question", "referral", "info_given", "signal", "question_event",
	                        "client", "referral_seen", "stat_cohort", "stat_volume",
	                        "stat_item", "stat_outcome", "stat_dirty"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM loket.%s", tables[i]);
		dbtest_fails(sup, sql, 0, NULL, "42501");
	}
	/* nor through the functions that run as the owner with the SQL they are given */
	dbtest_fails(sup, "SELECT loket.stat_refresh('twente')", 0, NULL, "42501");
	dbtest_fails(sup,
	             "SELECT * FROM loket.query_counted('SELECT NULL::date, organisation::text, "
	             "NULL::text, NULL::text, NULL::text, count(*), 0::bigint FROM loket.question GROUP BY 2', "
	             "'{1}', 1, false, false)",
	             0, NULL, "42501");
	/* what they get: the region's counts, the small ones held back (once
	 * the question is logged, sql/026) */
	dbtest_ask(sup, "query", "{\"count\": true}");
	ck_assert_int_eq(count(sup, "SELECT count(*) FROM loket.query_count('{\"count\": true}') "
	                            "WHERE count IS NULL"),
	                 1);
	dbtest_ok(sup, "SET ROLE NONE", 0, NULL);
	dbtest_fails(sup, "SELECT name FROM loket.client", 0, NULL, "42501");
	dbtest_fails(sup, "SELECT count(*) FROM loket.client", 0, NULL, "42501");
	dbtest_fails(sup, "UPDATE loket.question SET text = 'x'", 0, NULL, "42501");
	db_close(&sup);
	struct db *ed = dbtest_connect(dbname, "editor_demo");
	dbtest_fails(ed, "SELECT count(*) FROM loket.client", 0, NULL, "42501");
	dbtest_fails(ed, "SELECT count(*) FROM loket.question", 0, NULL, "42501");
	dbtest_ok(ed,
	          "INSERT INTO loket.knowledge_version (item_id, title, tell_client, body, topics, "
	          "valid_from, review_by) SELECT id, 'Nieuw', 'Kort', 'Lang', '{evc}', current_date, "
	          "current_date + 365 FROM loket.knowledge_item WHERE slug = 'evc-algemeen'",
	          0, NULL);
	db_close(&ed);
}
END_TEST

/* A temporary table shadowing a schema table must change nothing: neither
 * who the policies think you are, nor where the history goes. */
START_TEST(temporary_objects_change_nothing)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_ok(kvk, "CREATE TEMP TABLE advisor (role_name name, organisation text, region text, "
	               "active boolean, roles text[])", 0, NULL);
	dbtest_ok(kvk, "INSERT INTO pg_temp.advisor VALUES ('kvk_demo', 'cnv', 'twente', true, "
	               "'{advisor}')", 0, NULL);
	dbtest_ok(kvk, "SET search_path = pg_temp, loket, public", 0, NULL);
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.question WHERE organisation = 'cnv'"), 0);
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.client WHERE organisation = 'cnv'"), 0);
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert(db_query(kvk, "SELECT loket.my_org()", 0, NULL, &r, &err));
	ck_assert_str_eq(db_result_get(r, 0, 0), "kvk");
	db_result_free(&r);

	/* History cannot be diverted into a temporary table. */
	const char *k[] = {KVK_Q};
	long before = dbtest_long(kvk, "SELECT count(*) FROM loket.question_event WHERE question_id = "
	                               "$1::uuid", 1, k);
	dbtest_ok(kvk, "CREATE TEMP TABLE question_event (question_id uuid, at timestamptz, "
	               "actor name, kind text, detail jsonb)", 0, NULL);
	dbtest_ok(kvk, "UPDATE loket.question SET text = 'stil veranderd' WHERE id = $1::uuid", 1, k);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question_event WHERE question_id = "
	                                  "$1::uuid AND kind = 'updated'", 1, k),
	                 1);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question_event WHERE question_id = "
	                                  "$1::uuid", 1, k),
	                 before + 1);
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM pg_temp.question_event"), 0);

	/* A trigger of one's own (on a temporary table) cannot write history on
	 * another organisation's question. */
	dbtest_ok(kvk, "CREATE TEMP TABLE t (x int)", 0, NULL);
	dbtest_ok(kvk,
	          "CREATE FUNCTION pg_temp.forge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	          "INSERT INTO loket.question_event (question_id, kind) VALUES "
	          "('" CNV_Q "', 'info_given'); RETURN NULL; END $$",
	          0, NULL);
	dbtest_ok(kvk, "CREATE TRIGGER forge AFTER INSERT ON pg_temp.t FOR EACH ROW "
	               "EXECUTE FUNCTION pg_temp.forge()", 0, NULL);
	dbtest_fails(kvk, "INSERT INTO pg_temp.t VALUES (1)", 0, NULL, "42501");
	db_close(&kvk);
}
END_TEST

/* History is written only by the database's own definer triggers (sql/025).
 * The attack of issue 13: an advisor makes a temporary table with a trigger
 * of its own that writes an event dated 2020 with made-up detail on one of
 * its own questions.  This database is a copy of the template, and a copy
 * starts with PostgreSQL's default TEMPORARY for PUBLIC (until db migrate
 * runs on it, or when an administrator grants it back), so the temporary
 * objects can be made: what writes the history must refuse. */
START_TEST(history_cannot_be_forged)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	const char *k[] = {KVK_Q};
	static const char *const events =
		"SELECT count(*) FROM loket.question_event WHERE question_id = $1::uuid";
	long before = dbtest_long(kvk, events, 1, k);
	dbtest_ok(kvk, "CREATE TEMP TABLE t (x int)", 0, NULL);
	dbtest_ok(kvk,
	          "CREATE FUNCTION pg_temp.forge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	          "INSERT INTO loket.question_event (question_id, at, kind, detail) VALUES "
	          "('" KVK_Q "', '2020-03-02 10:00+01', 'info_given', "
	          "'{\"title\": \"Verzonnen advies\", \"version_no\": 1}'); RETURN NULL; END $$",
	          0, NULL);
	dbtest_ok(kvk, "CREATE TRIGGER forge AFTER INSERT ON pg_temp.t FOR EACH ROW "
	               "EXECUTE FUNCTION pg_temp.forge()", 0, NULL);
	dbtest_fails(kvk, "INSERT INTO pg_temp.t VALUES (1)", 0, NULL, "42501");
	/* nor by hand, in one's own name or another's */
	dbtest_fails(kvk, "INSERT INTO loket.question_event (question_id, at, kind) "
	                  "VALUES ($1::uuid, '2020-03-02', 'created')", 1, k, "42501");
	dbtest_fails(kvk, "INSERT INTO loket.question_event (question_id, actor, kind) "
	                  "VALUES ($1::uuid, 'lwl_demo', 'referral_updated')", 1, k, "42501");
	/* nor by putting the database's own history triggers (which write as
	 * the owner) on a table of one's own with made-up rows */
	dbtest_ok(kvk, "CREATE TEMP TABLE fake (id uuid, question_id uuid, advisor name, "
	               "created_at timestamptz, number int, organisation text, channel text, "
	               "client_group text, topic text, status text)", 0, NULL);
	static const char *const fns[] = {
		"question_log_insert", "question_log_update", "client_log",
		"info_given_log",      "referral_log",        "offering_given_log",
		"referral_notify",     "mail_log_after_insert"};
	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
		char sql[256];
		snprintf(sql, sizeof sql,
		         "CREATE TRIGGER f%zu AFTER INSERT ON pg_temp.fake REFERENCING NEW TABLE AS "
		         "new_rows FOR EACH STATEMENT EXECUTE FUNCTION loket.%s()",
		         i, fns[i]);
		dbtest_fails(kvk, sql, 0, NULL, "42501");
	}
	ck_assert_int_eq(dbtest_long(kvk, events, 1, k), before);
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.question_event "
	                            "WHERE at < '2021-01-01'"),
	                 0);
	/* The history is still written, in the advisor's name, now and as the
	 * change happened. */
	dbtest_ok(kvk, "UPDATE loket.question SET text = 'echt veranderd' WHERE id = $1::uuid", 1, k);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.question_event WHERE "
	                                  "question_id = $1::uuid AND kind = 'updated' AND actor = "
	                                  "'kvk_demo' AND at > now() - interval '1 hour' "
	                                  "AND detail->'text'->>'new' = 'echt veranderd'", 1, k),
	                 1);
	db_close(&kvk);
}
END_TEST

/* The target of a referral works it (status, outcome) but cannot give
 * itself the client's consent, nor move or re-address the referral. */
START_TEST(target_works_referral_but_not_consent)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	const char *k[] = {KVK_Q};
	dbtest_ok(kvk,
	          "INSERT INTO loket.client (question_id, kind, name, email, consent_at) "
	          "VALUES ($1::uuid, 'person', 'Anna Smit', 'anna@example.nl', now())",
	          1, k);
	dbtest_ok(kvk, "INSERT INTO loket.referral (question_id, reason) VALUES ($1::uuid, 'advies')",
	          1, k);
	struct db *lwl = dbtest_connect(dbname, "lwl_demo");
	ck_assert_int_eq(count(lwl, "SELECT count(*) FROM loket.question"), 2);
	ck_assert_int_eq(dbtest_long(lwl, "SELECT count(*) FROM loket.client WHERE question_id = "
	                                  "$1::uuid", 1, k),
	                 0);
	dbtest_fails(lwl, "UPDATE loket.referral SET consent_contact = true WHERE question_id = $1::uuid",
	             1, k, "42501");
	dbtest_fails(lwl, "UPDATE loket.referral SET note = 'anders' WHERE question_id = $1::uuid", 1, k,
	             "42501");
	dbtest_fails(lwl, "UPDATE loket.referral SET to_org = 'cnv'", 0, NULL, "42501");
	dbtest_fails(lwl, "UPDATE loket.referral SET from_org = 'lwl'", 0, NULL, "42501");
	ck_assert_int_eq(dbtest_long(lwl, "SELECT count(*) FROM loket.client WHERE question_id = "
	                                  "$1::uuid", 1, k),
	                 0);
	/* The sender records consent; only then does the target see the client. */
	dbtest_ok(kvk, "UPDATE loket.referral SET consent_contact = true WHERE question_id = $1::uuid",
	          1, k);
	ck_assert_int_eq(dbtest_long(lwl, "SELECT count(*) FROM loket.client WHERE question_id = "
	                                  "$1::uuid", 1, k),
	                 1);
	/* Status and outcome are the target's to set; the sender sees them.  The
	 * completion time is the database's, whatever the client sends. */
	dbtest_ok(lwl, "UPDATE loket.referral SET status = 'accepted' WHERE question_id = $1::uuid", 1,
	          k);
	dbtest_ok(lwl,
	          "UPDATE loket.referral SET status = 'completed', outcome = 'advies_gegeven', "
	          "completed_at = now() - interval '1 year' WHERE question_id = $1::uuid",
	          1, k);
	ck_assert_int_eq(dbtest_long(kvk, "SELECT count(*) FROM loket.referral WHERE question_id = "
	                                  "$1::uuid AND status = 'completed' AND outcome = "
	                                  "'advies_gegeven' AND completed_at > now() - interval '1 hour' "
	                                  "AND accepted_by = 'lwl_demo'", 1, k),
	                 1);
	/* A completed referral is final, for the sender too. */
	dbtest_fails(kvk, "UPDATE loket.referral SET note = 'nog iets' WHERE question_id = $1::uuid", 1,
	             k, "23514");
	db_close(&lwl);
	db_close(&kvk);
}
END_TEST

START_TEST(cannot_become_another_role)
{
	struct db *kvk = dbtest_connect(dbname, "kvk_demo");
	dbtest_fails(kvk, "SELECT set_config('role', 'cnv_demo', false)", 0, NULL, "42501");
	dbtest_fails(kvk, "SET SESSION AUTHORIZATION cnv_demo", 0, NULL, "42501");
	dbtest_fails(kvk, "SET ROLE loket_central", 0, NULL, "42501");
	dbtest_fails(kvk, "SELECT set_config('role', 'lwl_demo', true)", 0, NULL, "42501");
	/* Its own group role is allowed, and makes it nobody. */
	dbtest_ok(kvk, "SET ROLE loket_advisor", 0, NULL);
	ck_assert_int_eq(count(kvk, "SELECT count(*) FROM loket.question"), 0);
	db_close(&kvk);
}
END_TEST

START_TEST(catalogue_has_no_way_around)
{
	struct db *admin = dbtest_connect(dbname, "postgres");
	/* No login role (other than the bootstrap superuser) is superuser or BYPASSRLS. */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_roles WHERE rolcanlogin AND oid <> 10 "
	                              "AND (rolsuper OR rolbypassrls)"),
	                 0);
	/* The demo roles exist and log in (the rest of this test relies on them). */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_roles WHERE rolcanlogin "
	                              "AND rolname ~ '^[a-z]+_demo$'"),
	                 13); /* ten organisations, supervisor, editor, privacy officer (other
	                       * regions' NAME_..._demo, from test_regions or the README's
	                       * commands, are cluster-wide too) */
	/* Every relation in the schema is owned by the non-login owner role. */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_class c "
	                              "JOIN pg_namespace n ON n.oid = c.relnamespace "
	                              "JOIN pg_roles o ON o.oid = c.relowner "
	                              "WHERE n.nspname = 'loket' AND (o.rolcanlogin OR o.rolname <> "
	                              "'loket_owner')"),
	                 0);
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_roles WHERE rolname = 'loket_owner' "
	                              "AND NOT rolcanlogin"),
	                 1);
	/* Every table with case or personal data has FORCE row-level security. */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_class c "
	                              "JOIN pg_namespace n ON n.oid = c.relnamespace "
	                              "WHERE n.nspname = 'loket' AND c.relname IN ('question', 'client', "
	                              "'referral', 'info_given', 'signal', 'question_event', "
	                              "'personal_read') "
	                              "AND c.relrowsecurity AND c.relforcerowsecurity"),
	                 7);
	/* No login role can become the owner, create roles, or create objects
	 * in the schemas loket uses. */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_roles r WHERE r.rolcanlogin "
	                              "AND r.oid <> 10 AND (r.rolcreaterole OR r.rolcreatedb "
	                              "OR pg_has_role(r.oid, 'loket_owner', 'MEMBER') "
	                              "OR has_schema_privilege(r.oid, 'loket', 'CREATE') "
	                              "OR has_schema_privilege(r.oid, 'public', 'CREATE'))"),
	                 0);
	/* Every trigger function, SECURITY DEFINER function and function a policy
	 * calls pins its search_path with pg_temp last (else the caller's
	 * temporary tables come first). */
	static const char *const pinned =
		"SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'loket'::regnamespace "
		"AND (p.prosecdef OR p.oid IN (SELECT tgfoid FROM pg_trigger) "
		"     OR p.oid IN (SELECT refobjid FROM pg_depend WHERE classid = 'pg_policy'::regclass "
		"                  AND refclassid = 'pg_proc'::regclass)) ";
	char *unpinned = NULL;
	ck_assert(asprintf(&unpinned, "%s AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c "
	                              "WHERE c ~ '^search_path=.*pg_temp$')", pinned) > 0);
	ck_assert_int_eq(count(admin, unpinned), 0);
	free(unpinned);
	ck_assert_int_ge(count(admin, pinned), 15);
	ck_assert_int_eq(count(admin, "SELECT count(DISTINCT objid) FROM pg_depend WHERE classid = "
	                              "'pg_policy'::regclass AND refobjid = 'loket.my_org()'::regprocedure"),
	                 count(admin, "SELECT count(*) FROM pg_policy p WHERE pg_get_expr(p.polqual, "
	                              "p.polrelid) ~ 'my_org' OR pg_get_expr(p.polwithcheck, p.polrelid) "
	                              "~ 'my_org'"));
	/* No login role may write history, or run a definer trigger function
	 * (it would write as the owner on a table of the caller's). */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_roles r WHERE r.rolcanlogin "
	                              "AND NOT r.rolsuper AND has_table_privilege(r.oid, "
	                              "'loket.question_event', 'INSERT')"),
	                 0);
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_proc p, pg_roles r "
	                              "WHERE p.pronamespace = 'loket'::regnamespace AND p.prosecdef "
	                              "AND p.prorettype = 'trigger'::regtype AND r.rolcanlogin "
	                              "AND NOT r.rolsuper AND has_function_privilege(r.oid, p.oid, "
	                              "'EXECUTE')"),
	                 0);
	/* No policy trusts a setting a user could SET. */
	ck_assert_int_eq(count(admin, "SELECT count(*) FROM pg_policies WHERE schemaname = 'loket' "
	                              "AND (coalesce(qual, '') ~* 'current_setting|session_user' "
	                              "OR coalesce(with_check, '') ~* 'current_setting|session_user')"),
	                 0);
	db_close(&admin);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rls");
	TCase *tc = tcase_create("rls");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vindplaats_sees_only_its_own);
	tcase_add_test(tc, central_sees_only_referred);
	tcase_add_test(tc, supervisor_no_contact_details);
	tcase_add_test(tc, temporary_objects_change_nothing);
	tcase_add_test(tc, history_cannot_be_forged);
	tcase_add_test(tc, target_works_referral_but_not_consent);
	tcase_add_test(tc, cannot_become_another_role);
	tcase_add_test(tc, catalogue_has_no_way_around);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
