/* dbtest.c: throw-away databases and assertions for database tests. */
#include "config.h"

#include "dbtest.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *
dbtest_host(void)
{
	static char host[512];
	if (host[0])
		return host;
	const char *dir = getenv("LOKET_TEST_PGDIR");
	ck_assert_msg(dir != NULL, "LOKET_TEST_PGDIR is not set: run the tests with make check");
	char *path = xasprintf("%s/host", dir);
	char *text = NULL;
	ck_assert_msg(file_read(path, &text, NULL), "no %s: pg-start.test did not run", path);
	text[strcspn(text, "\n")] = '\0';
	snprintf(host, sizeof host, "%s", text);
	free(text);
	free(path);
	return host;
}

const char *
dbtest_conninfo(const char *dbname, const char *user)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "host=%s dbname=%s user=%s", dbtest_host(), dbname, user);
	return buf;
}

struct db *
dbtest_connect(const char *dbname, const char *user)
{
	struct db *db = NULL;
	struct db_error err = {0};
	if (!db_connect(dbtest_conninfo(dbname, user), &db, &err))
		ck_abort_msg("cannot connect to %s as %s: %s", dbname, user, err.message);
	return db;
}

/* Run an admin statement whose text PostgreSQL builds itself with %I. */
static void
admin_format(const char *format_sql, const char *name)
{
	struct db *db = dbtest_connect("postgres", "postgres");
	struct db_result *r = NULL;
	struct db_error err = {0};
	const char *params[] = {name};
	if (!db_query(db, format_sql, 1, params, &r, &err))
		ck_abort_msg("%s", err.message);
	char *stmt = xstrdup(db_result_get(r, 0, 0));
	db_result_free(&r);
	if (!db_script(db, stmt, &err))
		ck_abort_msg("%s: %s", stmt, err.message);
	free(stmt);
	db_close(&db);
}

const char *
dbtest_create(const char *prefix, bool from_template)
{
	static char name[128];
	snprintf(name, sizeof name, "%s_%ld", prefix, (long)getpid());
	admin_format("SELECT format('DROP DATABASE IF EXISTS %I', $1::text)", name);
	admin_format(from_template ? "SELECT format('CREATE DATABASE %I TEMPLATE loket_template', $1::text)"
	                           : "SELECT format('CREATE DATABASE %I', $1::text)",
	             name);
	return name;
}

void
dbtest_drop(const char *name)
{
	admin_format("SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', $1::text)", name);
}

void
dbtest_ok(struct db *db, const char *sql, int n, const char *const *params)
{
	struct db_error err = {0};
	if (!db_query(db, sql, n, params, NULL, &err))
		ck_abort_msg("%s\n  failed: %s [%s]", sql, err.message, err.sqlstate);
}

void
dbtest_fails(struct db *db, const char *sql, int n, const char *const *params, const char *state)
{
	struct db_error err = {0};
	if (db_query(db, sql, n, params, NULL, &err))
		ck_abort_msg("%s\n  succeeded but should fail with %s", sql, state);
	ck_assert_msg(strncmp(err.sqlstate, state, strlen(state)) == 0,
	              "%s\n  failed with %s (%s), expected %s", sql, err.sqlstate, err.message, state);
	db_error_clear(&err);
}

long
dbtest_long(struct db *db, const char *sql, int n, const char *const *params)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(db, sql, n, params, &r, &err))
		ck_abort_msg("%s\n  failed: %s [%s]", sql, err.message, err.sqlstate);
	ck_assert_int_ge(db_result_rows(r), 1);
	const char *v = db_result_get(r, 0, 0);
	long out = v ? strtol(v, NULL, 10) : 0;
	db_result_free(&r);
	return out;
}

int
dbtest_noise(long long keysum)
{
	static const int table[10] = {-2, -1, -1, 0, 0, 0, 0, 1, 1, 2};
	const long long m = 2147483648LL;
	long long ck = ((keysum % m) + m) % m;
	return table[ck * 10 / m];
}

const char *
dbtest_shown(long n, long long keysum, int k, char *buf, size_t size)
{
	long p = n + dbtest_noise(keysum);
	if (n <= 0)
		snprintf(buf, size, "%ld", n);
	else if (n < k || p < k)
		snprintf(buf, size, "<%d", k);
	else
		snprintf(buf, size, "%ld", p);
	return buf;
}

const char *
dbtest_cell(struct db *db, long n, const char *rows, int k)
{
	static char bufs[16][32];
	static int next;
	char *buf = bufs[next++ % 16];
	char *sql = NULL;
	ck_assert(asprintf(&sql, "SELECT count(*), coalesce(sum(record_key), 0) FROM (%s) r", rows) > 0);
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(db, sql, 0, NULL, &r, &err))
		ck_abort_msg("%s\n  failed: %s", sql, err.message);
	long count = strtol(db_result_get(r, 0, 0), NULL, 10);
	long long keysum = strtoll(db_result_get(r, 0, 1), NULL, 10);
	db_result_free(&r);
	ck_assert_msg(count == n, "%s: %ld rows, worked out by hand %ld", rows, count, n);
	free(sql);
	return dbtest_shown(n, keysum, k, buf, 32);
}

void
dbtest_ask(struct db *sup, const char *what, const char *args_json)
{
	const char *p[] = {what, args_json};
	dbtest_ok(sup, "SELECT loket.supervisor_ask($1, $2::jsonb)", 2, p);
}

static char *
slurp_fd(int fd)
{
	struct strbuf sb;
	strbuf_init(&sb);
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	close(fd);
	return strbuf_detach(&sb);
}

int
dbtest_loket(const char *conninfo, const char *input, char **out, char **err, ...)
{
	const char *loket = getenv("LOKET");
	ck_assert_msg(loket != NULL, "LOKET is not set: run the tests with make check");
	const char *argv[64] = {loket, "-d", conninfo};
	int argc = 3;
	va_list ap;
	va_start(ap, err);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL && argc < 62;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	char in_path[] = "/tmp/loket-test-in-XXXXXX", out_path[] = "/tmp/loket-test-out-XXXXXX",
	     err_path[] = "/tmp/loket-test-err-XXXXXX";
	int in_fd = mkstemp(in_path), out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
	ck_assert(in_fd >= 0 && out_fd >= 0 && err_fd >= 0);
	if (input)
		ck_assert(write(in_fd, input, strlen(input)) == (ssize_t)strlen(input));
	lseek(in_fd, 0, SEEK_SET);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		dup2(in_fd, 0), dup2(out_fd, 1), dup2(err_fd, 2);
		execv(loket, (char *const *)argv);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	lseek(out_fd, 0, SEEK_SET);
	lseek(err_fd, 0, SEEK_SET);
	*out = slurp_fd(out_fd);
	*err = slurp_fd(err_fd);
	close(in_fd);
	unlink(in_path), unlink(out_path), unlink(err_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
dbtest_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY, set by make check */
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
