/* test_migrate.c: migrations against a real PostgreSQL — applied twice
 * changes nothing, `db status` lists them, a failing migration leaves nothing
 * half-applied, and a changed file is reported. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything a migration can change, as one text to compare. */
static const char *const snapshot_sql =
	"SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
	" SELECT 'c:' || table_name || '.' || column_name || ':' || data_type AS x"
	"   FROM information_schema.columns WHERE table_schema = 'loket'"
	" UNION ALL SELECT 'p:' || tablename || '.' || policyname || ':' || coalesce(qual, '')"
	"   FROM pg_policies WHERE schemaname = 'loket'"
	" UNION ALL SELECT 'f:' || p.proname || ':' || md5(pg_get_functiondef(p.oid))"
	"   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'loket'"
	" UNION ALL SELECT 'i:' || indexname || ':' || indexdef FROM pg_indexes"
	"   WHERE schemaname = 'loket'"
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

	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	ck_assert_msg(strstr(out, "up to date") != NULL, "second run: %s", out);
	free(out), free(err);
	char *after = query_text(db, snapshot_sql);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.schema_migration", 0, NULL),
	                 applied);

	/* db status lists every file as applied, none pending. */
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "status", NULL), 0);
	ck_assert_msg(strstr(out, "001  001_roles.sql") || strstr(out, "001_roles.sql"), "%s", out);
	ck_assert_msg(strstr(out, "006_list_index.sql") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "0 migrations pending") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "sql pending") == NULL && strstr(out, "  pending\n") == NULL, "%s",
	              out);
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

START_TEST(failed_migration_leaves_nothing)
{
	const char *name = dbtest_create("mig_fail", false);
	char conn[1024];
	snprintf(conn, sizeof conn, "%s", dbtest_conninfo(name, "postgres"));
	char *dir = datadir_copy();
	write_file(dir, "900_broken.sql",
	           "CREATE TABLE loket.half_done (id int);\nSELECT 1 / 0;\n");
	setenv("LOKET_DATADIR", dir, 1);
	char *out = NULL, *err = NULL;
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 2);
	ck_assert_msg(strstr(err, "division by zero") != NULL, "stderr: %s", err);
	free(out), free(err);

	struct db *db = dbtest_connect(name, "postgres");
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'",
	                             0, NULL), 0);
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.schema_migration WHERE version = 900",
	                             0, NULL), 0);
	/* Everything before the broken file was applied and recorded. */
	ck_assert_int_eq(dbtest_long(db, "SELECT count(*) FROM loket.schema_migration", 0, NULL),
	                 count_sql_files() - 1);

	/* Fixed file: applies; then a changed applied file is reported. */
	write_file(dir, "900_broken.sql", "CREATE TABLE loket.half_done (id int);\n");
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "migrate", NULL), 0);
	free(out), free(err);
	write_file(dir, "900_broken.sql", "CREATE TABLE loket.half_done (id bigint);\n");
	ck_assert_int_eq(dbtest_loket(conn, NULL, &out, &err, "db", "status", NULL), 0);
	ck_assert_msg(strstr(out, "changed") != NULL, "status: %s", out);
	free(out), free(err);

	char *cmd;
	ck_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
	db_close(&db);
	dbtest_drop(name);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("migrate");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, migrate_twice_changes_nothing);
	tcase_add_test(tc, failed_migration_leaves_nothing);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
