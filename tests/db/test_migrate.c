/* test_migrate.c: migrations against a real PostgreSQL — applied twice
 * changes nothing, `db status` lists them, a failing migration leaves nothing
 * half-applied, and a changed file is reported. */
#include "config.h"

#include "db/migrate.h"
#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Everything a migration can change, as one text to compare: tables and
 * columns, constraints, indexes, triggers, policies (both halves), row-level
 * security flags, privileges, functions (definition and settings), roles
 * and the migrations table. */
static const char *const snapshot_sql =
	"SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
	" SELECT 'c:' || table_name || '.' || column_name || ':' || data_type || ':'"
	"        || coalesce(column_default, '') || ':' || is_nullable AS x"
	"   FROM information_schema.columns WHERE table_schema = 'loket'"
	" UNION ALL SELECT 'r:' || c.relname || ':' || c.relkind::text || ':' || c.relrowsecurity || ':'"
	"        || c.relforcerowsecurity || ':' || coalesce(c.relacl::text, '') || ':'"
	"        || pg_get_userbyid(c.relowner)"
	"   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	"   WHERE n.nspname = 'loket'"
	" UNION ALL SELECT 'k:' || conrelid::regclass || '.' || conname || ':' || pg_get_constraintdef(oid)"
	"   FROM pg_constraint WHERE connamespace = 'loket'::regnamespace"
	" UNION ALL SELECT 't:' || tgrelid::regclass || ':' || pg_get_triggerdef(oid)"
	"   FROM pg_trigger WHERE NOT tgisinternal"
	"    AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'loket'::regnamespace)"
	" UNION ALL SELECT 'p:' || tablename || '.' || policyname || ':' || cmd || ':'"
	"        || roles::text || ':' || coalesce(qual, '') || ':' || coalesce(with_check, '')"
	"   FROM pg_policies WHERE schemaname = 'loket'"
	" UNION ALL SELECT 'f:' || p.oid::regprocedure || ':' || md5(pg_get_functiondef(p.oid))"
	"        || ':' || coalesce(p.proconfig::text, '') || ':' || coalesce(p.proacl::text, '')"
	"   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'loket'"
	" UNION ALL SELECT 'i:' || indexname || ':' || indexdef FROM pg_indexes"
	"   WHERE schemaname = 'loket'"
	" UNION ALL SELECT 'o:' || rolname || ':' || rolcanlogin || ':' || rolsuper FROM pg_roles"
	"   WHERE rolname LIKE 'loket\\_%'"
	" UNION ALL SELECT 'm:' || version || ':' || name || ':' || checksum"
	"   FROM loket.schema_migration) s";

static char *
query_text(struct db *db, const char *sql)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(db, sql, 0, NULL, &r, &err))
		ck_abort_msg("%s: %s", sql, err.message);
	char *out = strdup(db_result_get(r, 0, 0) ? db_result_get(r, 0, 0) : "");
	db_result_free(&r);
	return out;
}

static int
count_sql_files(void)
{
	char *cmd;
	if (asprintf(&cmd, "ls '%s'/sql/[0-9][0-9][0-9]_*.sql | wc -l", getenv("LOKET_DATADIR")) < 0)
		return -1;
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	free(cmd);
	return n;
}

/* Every sql/NNN_*.sql file has a line "NNN  name  applied ..." in `out`. */
static void
assert_all_applied(const char *out)
{
	char *cmd;
	ck_assert(asprintf(&cmd, "cd '%s'/sql && ls [0-9][0-9][0-9]_*.sql", getenv("LOKET_DATADIR")) > 0);
	FILE *p = popen(cmd, "r");
	ck_assert(p != NULL);
	char name[256];
	int n = 0;
	while (fgets(name, sizeof name, p)) {
		name[strcspn(name, "\n")] = '\0';
		const char *line = strstr(out, name);
		ck_assert_msg(line != NULL, "%s missing from db status:\n%s", name, out);
		const char *eol = strchr(line, '\n');
		const char *applied = strstr(line, " applied ");
		ck_assert_msg(applied && (!eol || applied < eol), "%s not applied:\n%s", name, out);
		ck_assert_msg(strncmp(line - 5, name, 3) == 0, "version of %s:\n%s", name, out);
		n++;
	}
	pclose(p);
	free(cmd);
	ck_assert_int_eq(n, count_sql_files());
	ck_assert_int_ge(n, 5);
}

START_TEST(migrate_twice_changes_nothing)
{
	const char *name = dbtest_create("mig_twice", false);
	char conn[1024];
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(name, "postgres"));
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	ck_assert_msg(strstr(out, "Applied") != NULL, "first run: %s", out);
	free(out), free(err);

	struct db *db = dbtest_connect(name, "postgres");
	char *before = query_text(db, snapshot_sql);
	long applied = dbtest_long(db, "SELECT count(*) FROM loket.schema_migration", 0, NULL);
	ck_assert_int_eq(applied, count_sql_files());
	/* the newest migration is the schema loket says it is built for */
	ck_assert_msg(dbtest_long(db, "SELECT loket.schema_version()", 0, NULL) ==
	                      LOKET_SCHEMA_VERSION,
	              "sql/ ends at migration %ld, but src/db/migrate.h says LOKET_SCHEMA_VERSION %d",
	              dbtest_long(db, "SELECT loket.schema_version()", 0, NULL),
	              LOKET_SCHEMA_VERSION);

	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	ck_assert_msg(strstr(out, "up to date") != NULL, "second run: %s", out);
	free(out), free(err);
	char *after = query_text(db, snapshot_sql);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.schema_migration", 0, NULL),
	                 applied);

	/* db status lists every file as applied, none pending. */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "status", NULL), 0);
	assert_all_applied(out);
	ck_assert_msg(strstr(out, "0 migrations pending") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "changed") == NULL, "%s", out);
	free(out), free(err);
	free(before), free(after);
	db_close(&db);
	dbtest_drop(name);
}
END_TEST

/* A copy of the data directory with one more (broken or changed) migration. */
static char *
datadir_copy(void)
{
	char *dir = strdup("/tmp/loket-mig-XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	char *cmd;
	ck_assert(asprintf(&cmd, "cp -r '%s/sql' '%s/'", getenv("LOKET_DATADIR"), dir) > 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	return dir;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *path;
	ck_assert(asprintf(&path, "%s/sql/%s", dir, name) > 0);
	FILE *f = fopen(path, "w");
	ck_assert(f != NULL);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
rm_rf(char *dir)
{
	char *cmd;
	ck_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

static long
recorded(struct db *db, const char *version)
{
	const char *p[] = {version};
	return dbtest_long(db, "SELECT count(*) FROM loket.schema_migration WHERE version = $1::int",
	                   1, p);
}

static long
tables_named(struct db *db, const char *name)
{
	const char *p[] = {name};
	return dbtest_long(db, "SELECT count(*) FROM pg_tables WHERE tablename = $1", 1, p);
}

START_TEST(failed_migration_leaves_nothing)
{
	const char *name = dbtest_create("mig_fail", false);
	char conn[1024];
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(name, "postgres"));
	char *dir = datadir_copy();
	write_file(dir, "900_broken.sql",
	           "CREATE TABLE loket.half_done (id int);\nSELECT 1 / 0;\n");
	write_file(dir, "901_after.sql", "CREATE TABLE loket.after_broken (id int);\n");
	setenv("LOKET_DATADIR", dir, 1);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 2);
	ck_assert_msg(strstr(err, "division by zero") != NULL, "stderr: %s", err);
	ck_assert_msg(strstr(err, "900_broken.sql") != NULL, "file not named: %s", err);
	free(out), free(err);

	struct db *db = dbtest_connect(name, "postgres");
	ck_assert_int_eq(tables_named(db, "half_done"), 0);
	ck_assert_int_eq(recorded(db, "900"), 0);
	/* It stops at the broken file: the one after it is not applied either. */
	ck_assert_int_eq(tables_named(db, "after_broken"), 0);
	ck_assert_int_eq(recorded(db, "901"), 0);
	/* Everything before the broken file was applied and recorded. */
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.schema_migration", 0, NULL),
	                 count_sql_files() - 2);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "status", NULL), 0);
	ck_assert_msg(strstr(out, "2 migrations pending") != NULL, "status: %s", out);
	free(out), free(err);

	/* Fixed file: both apply. */
	write_file(dir, "900_broken.sql", "CREATE TABLE loket.half_done (id int);\n");
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	ck_assert_msg(strstr(out, "Applied 2 migrations") != NULL, "%s", out);
	free(out), free(err);
	ck_assert_int_eq(tables_named(db, "after_broken"), 1);
	setenv("LOKET_DATADIR", getenv("LOKET_SRCDIR_SAVED"), 1);
	rm_rf(dir);
	db_close(&db);
	dbtest_drop(name);
}
END_TEST

/* An applied file that changed, or a recorded checksum that was altered, or
 * a new file numbered below an applied one: migrate refuses with exit 2 and
 * applies nothing, not even the pending files that are fine. */
START_TEST(tampered_history_applies_nothing)
{
	const char *name = dbtest_create("mig_tamper", false);
	char conn[1024];
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(name, "postgres"));
	char *dir = datadir_copy();
	setenv("LOKET_DATADIR", dir, 1);
	write_file(dir, "900_first.sql", "CREATE TABLE loket.first_extra (id int);\n");
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	free(out), free(err);
	struct db *db = dbtest_connect(name, "postgres");

	/* 1. The applied file changed on disk. */
	write_file(dir, "900_first.sql", "CREATE TABLE loket.first_extra (id bigint);\n");
	write_file(dir, "901_next.sql", "CREATE TABLE loket.next_extra (id int);\n");
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "status", NULL), 0);
	ck_assert_msg(strstr(out, "changed") != NULL, "status: %s", out);
	free(out), free(err);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 2);
	ck_assert_msg(strstr(err, "900_first.sql") != NULL, "stderr: %s", err);
	free(out), free(err);
	ck_assert_int_eq(tables_named(db, "next_extra"), 0);
	ck_assert_int_eq(recorded(db, "901"), 0);

	/* 2. The file is restored, but the recorded checksum was altered. */
	write_file(dir, "900_first.sql", "CREATE TABLE loket.first_extra (id int);\n");
	char *saved = query_text(db, "SELECT checksum FROM loket.schema_migration WHERE version = 3");
	dbtest_ok(db, "UPDATE loket.schema_migration SET checksum = md5('x') WHERE version = 3", 0,
	          NULL);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 2);
	ck_assert_msg(strstr(err, "003_") != NULL, "stderr: %s", err);
	free(out), free(err);
	ck_assert_int_eq(recorded(db, "901"), 0);
	const char *restore[] = {saved};
	dbtest_ok(db, "UPDATE loket.schema_migration SET checksum = $1 WHERE version = 3", 1, restore);
	free(saved);

	/* 3. A new file numbered below the last applied one. */
	write_file(dir, "899_late.sql", "CREATE TABLE loket.late_extra (id int);\n");
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 2);
	ck_assert_msg(strstr(err, "899_late.sql") != NULL, "stderr: %s", err);
	free(out), free(err);
	ck_assert_int_eq(tables_named(db, "late_extra") + tables_named(db, "next_extra"), 0);

	/* Consistent again: the pending file applies. */
	char *path;
	ck_assert(asprintf(&path, "%s/sql/899_late.sql", dir) > 0);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	free(out), free(err);
	ck_assert_int_eq(tables_named(db, "next_extra"), 1);
	setenv("LOKET_DATADIR", getenv("LOKET_SRCDIR_SAVED"), 1);
	rm_rf(dir);
	db_close(&db);
	dbtest_drop(name);
}
END_TEST

/* db migrate leaves login roles nothing to make objects with: no temporary
 * tables or functions (whose triggers could run inside loket's statements),
 * no tables or schemas of their own.  A database copied from the template
 * starts with PostgreSQL's defaults again (CREATE DATABASE does not copy a
 * database's privileges), so migrate does this on every run, also when
 * nothing is pending.  Tried as kvk_demo, as a curious advisor would. */
START_TEST(migrate_takes_temporary_and_create_away)
{
	char name[128];
	snprintf(name, sizeof name, "%s", dbtest_create("mig_restrict", true));
	struct db *kvk = dbtest_connect(name, "kvk_demo");
	dbtest_ok(kvk, "CREATE TEMP TABLE before_migrate (x int)", 0, NULL);
	db_close(&kvk);

	char conn[1024];
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(name, "postgres"));
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	ck_assert_msg(strstr(out, "up to date") != NULL, "%s", out);
	free(out), free(err);

	kvk = dbtest_connect(name, "kvk_demo");
	dbtest_fails(kvk, "CREATE TEMP TABLE t (x int)", 0, NULL, "42501");
	dbtest_fails(kvk, "CREATE TEMP VIEW v AS SELECT 1", 0, NULL, "42501");
	dbtest_fails(kvk, "CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1'", 0,
	             NULL, "42501");
	dbtest_fails(kvk, "CREATE TABLE public.t (x int)", 0, NULL, "42501");
	dbtest_fails(kvk, "CREATE TABLE loket.t (x int)", 0, NULL, "42501");
	dbtest_fails(kvk, "CREATE SCHEMA mine", 0, NULL, "42501");
	db_close(&kvk);
	struct db *db = dbtest_connect(name, "postgres");
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM pg_roles r WHERE r.rolcanlogin "
	                                 "AND NOT r.rolsuper AND (has_database_privilege(r.oid, "
	                                 "current_database(), 'TEMPORARY') OR has_database_privilege("
	                                 "r.oid, current_database(), 'CREATE') OR "
	                                 "has_schema_privilege(r.oid, 'public', 'CREATE'))",
	                             0, NULL),
	                 0);
	/* what loket needs still works */
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM pg_roles r WHERE r.rolname LIKE "
	                                 "'%\\_demo' AND NOT has_database_privilege(r.oid, "
	                                 "current_database(), 'CONNECT')",
	                             0, NULL),
	                 0);
	db_close(&db);
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(name, "kvk_demo"));
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "case", "add", "--group", "werkende",
	                              "--topic", "evc", "--channel", "balie", "--text",
	                              "Na db migrate", NULL),
	                 0);
	free(out), free(err);
	dbtest_drop(name);
}
END_TEST

int
main(void)
{
	setenv("LOKET_SRCDIR_SAVED", getenv("LOKET_DATADIR"), 1);
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("migrate");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, migrate_twice_changes_nothing);
	tcase_add_test(tc, failed_migration_leaves_nothing);
	tcase_add_test(tc, tampered_history_applies_nothing);
	tcase_add_test(tc, migrate_takes_temporary_and_create_away);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
