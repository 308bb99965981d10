/* migrate.c: apply numbered migrations and seed files from the data dir. */
#include "config.h"

#include "db/migrate.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Any value will do as long as every loket migrate uses the same one. */
#define MIGRATE_LOCK_KEY "4242001"

static const char *const bootstrap_sql =
	"CREATE SCHEMA IF NOT EXISTS loket;"
	"CREATE TABLE IF NOT EXISTS loket.schema_migration ("
	"  version integer PRIMARY KEY,"
	"  name text NOT NULL,"
	"  checksum text NOT NULL,"
	"  applied_at timestamptz NOT NULL DEFAULT now(),"
	"  applied_by name NOT NULL DEFAULT session_user)";

/* File names that start with `digits` digits and an underscore and end in .sql. */
static bool
numbered(const char *name, int digits, int *version)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (name[i] - '0');
	}
	size_t n = strlen(name);
	if (name[digits] != '_' || n < (size_t)digits + 5 || strcmp(name + n - 4, ".sql") != 0)
		return false;
	*version = v;
	return true;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of numbered .sql files in dir; NULL-terminated. */
static char **
list_files(const char *dir, int digits, struct db_error *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		db_error_set(err, "cannot read %s: %s", dir, strerror(errno));
		return NULL;
	}
	size_t n = 0, cap = 16;
	char **names = xmalloc(cap * sizeof *names);
	struct dirent *e;
	int v;
	while ((e = readdir(d)) != NULL) {
		if (!numbered(e->d_name, digits, &v))
			continue;
		if (n + 1 >= cap)
			names = xrealloc(names, (cap *= 2) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	names[n] = NULL;
	return names;
}

static void
free_names(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}

static char *
read_sql(const char *dir, const char *name, struct db_error *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *sql = NULL;
	if (!file_read(path, &sql, NULL))
		db_error_set(err, "cannot read %s: %s", path, strerror(errno));
	free(path);
	return sql;
}

/* Prefix err's message with the file it came from. */
static void
blame(struct db_error *err, const char *name)
{
	char *m = xasprintf("%s: %s", name, err->message ? err->message : "failed");
	free(err->message);
	err->message = m;
}

void
migration_list_free(struct migration_list *list)
{
	for (int i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].applied_at);
		free(list->items[i].applied_by);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static bool
applied_set(struct db *db, struct db_result **out, struct db_error *err)
{
	return db_script(db, bootstrap_sql, err) &&
	       db_query(db,
	                "SELECT version, name, checksum, "
	                "to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS'), applied_by "
	                "FROM loket.schema_migration ORDER BY version",
	                0, NULL, out, err);
}

static int
find_applied(const struct db_result *r, int version)
{
	for (int i = 0; i < db_result_rows(r); i++)
		if (atoi(db_result_get(r, i, 0)) == version)
			return i;
	return -1;
}

static bool
checksum_differs(struct db *db, const char *sqldir, const char *name, const char *stored)
{
	struct db_error err = {0};
	char *sql = read_sql(sqldir, name, &err);
	struct db_result *r = NULL;
	const char *params[] = {sql, stored};
	bool differs = sql && db_query(db, "SELECT md5($1) <> $2", 2, params, &r, &err) &&
	               strcmp(db_result_get(r, 0, 0), "t") == 0;
	db_result_free(&r);
	db_error_clear(&err);
	free(sql);
	return differs;
}

bool
migrate_status(struct db *db, const char *sqldir, struct migration_list *out,
               struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char **names = list_files(sqldir, 3, err);
	struct db_result *r = NULL;
	if (!names || !applied_set(db, &r, err)) {
		free_names(names);
		return false;
	}
	int nfiles = 0;
	while (names[nfiles])
		nfiles++;
	out->items = xcalloc((size_t)(nfiles + db_result_rows(r)), sizeof *out->items);
	for (int i = 0; i < nfiles; i++) {
		struct migration *m = &out->items[out->count++];
		numbered(names[i], 3, &m->version);
		m->name = xstrdup(names[i]);
		int row = find_applied(r, m->version);
		if (row >= 0) {
			m->applied_at = xstrdup(db_result_get(r, row, 3));
			m->applied_by = xstrdup(db_result_get(r, row, 4));
			m->changed = checksum_differs(db, sqldir, names[i], db_result_get(r, row, 2));
		}
	}
	/* Recorded in the database but no longer on disk. */
	for (int row = 0; row < db_result_rows(r); row++) {
		int v = atoi(db_result_get(r, row, 0));
		bool on_disk = false;
		for (int i = 0; i < nfiles; i++)
			on_disk = on_disk || out->items[i].version == v;
		if (on_disk)
			continue;
		struct migration *m = &out->items[out->count++];
		m->version = v;
		m->name = xstrdup(db_result_get(r, row, 1));
		m->applied_at = xstrdup(db_result_get(r, row, 3));
		m->applied_by = xstrdup(db_result_get(r, row, 4));
	}
	db_result_free(&r);
	free_names(names);
	return true;
}

/* One file in one transaction: prelude, the file, and an optional record. */
static bool
run_file(struct db *db, const char *dir, const char *name, const char *prelude, int version,
         struct db_error *err)
{
	char *sql = read_sql(dir, name, err);
	if (!sql)
		return false;
	char version_text[16];
	snprintf(version_text, sizeof version_text, "%d", version);
	const char *params[] = {version_text, name, sql};
	bool ok = db_begin(db, err) && db_script(db, prelude, err) && db_script(db, sql, err) &&
	          db_query(db, "RESET ROLE", 0, NULL, NULL, err) &&
	          (version < 0 ||
	           db_query(db,
	                    "INSERT INTO loket.schema_migration (version, name, checksum) "
	                    "VALUES ($1::int, $2, md5($3))",
	                    3, params, NULL, err)) &&
	          db_commit(db, err);
	if (!ok) {
		db_rollback(db);
		blame(err, name);
	}
	free(sql);
	return ok;
}

static const char *const file_prelude =
	"CREATE SCHEMA IF NOT EXISTS loket; SET LOCAL search_path = loket, public;";

static const char *const hand_over_sql =
	"DO $$ BEGIN "
	"IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'loket_owner') THEN "
	"ALTER TABLE loket.schema_migration OWNER TO loket_owner; END IF; END $$";

/* Login roles make no objects in the database (sql/025): after every run,
 * because CREATE DATABASE ... TEMPLATE and a restored dump start with the
 * default privileges again. */
static const char *const restrict_sql =
	"DO $$ BEGIN "
	"IF to_regprocedure('loket.restrict_database()') IS NOT NULL THEN "
	"PERFORM loket.restrict_database(); END IF; END $$";

bool
migrate_apply(struct db *db, const char *sqldir, migrate_progress_fn progress, void *arg,
              int *applied, struct db_error *err)
{
	*applied = 0;
	if (!db_query(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", 0, NULL, NULL, err))
		return false;
	char **names = list_files(sqldir, 3, err);
	struct db_result *r = NULL;
	bool ok = names && applied_set(db, &r, err);
	for (char **p = names; ok && *p; p++) {
		int version = 0;
		numbered(*p, 3, &version);
		if (find_applied(r, version) >= 0)
			continue;
		if (progress)
			progress(*p, arg);
		ok = run_file(db, sqldir, *p, file_prelude, version, err);
		if (ok)
			(*applied)++;
	}
	/* The bookkeeping table belongs to the owner role too: no login role
	 * owns anything in the schema. */
	if (ok && *applied > 0)
		ok = db_query(db, hand_over_sql, 0, NULL, NULL, err);
	if (ok)
		ok = db_query(db, restrict_sql, 0, NULL, NULL, err);
	db_result_free(&r);
	free_names(names);
	struct db_error ignored = {0};
	db_query(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", 0, NULL, NULL, &ignored);
	db_error_clear(&ignored);
	return ok;
}

bool
seed_reference(struct db *db, const char *seeddir, migrate_progress_fn progress, void *arg,
               struct db_error *err)
{
	char **names = list_files(seeddir, 2, err);
	bool ok = names != NULL;
	for (char **p = names; ok && *p; p++) {
		if (progress)
			progress(*p, arg);
		ok = run_file(db, seeddir, *p, file_prelude, -1, err);
	}
	free_names(names);
	return ok;
}

static bool
seed_files(struct db *db, const char *seeddir, const char *const *files, migrate_progress_fn progress,
           void *arg, struct db_error *err)
{
	for (; *files; files++) {
		if (progress)
			progress(*files, arg);
		if (!run_file(db, seeddir, *files, file_prelude, -1, err))
			return false;
	}
	return true;
}

bool
seed_national(struct db *db, const char *seeddir, migrate_progress_fn progress, void *arg,
              struct db_error *err)
{
	static const char *const files[] = {"00_codes.sql", "national.sql", NULL};
	return seed_files(db, seeddir, files, progress, arg, err);
}

bool
seed_codes(struct db *db, const char *seeddir, migrate_progress_fn progress, void *arg,
           struct db_error *err)
{
	static const char *const files[] = {"00_codes.sql", NULL};
	return seed_files(db, seeddir, files, progress, arg, err);
}

bool
seed_region(struct db *db, const char *seeddir, const char *code, struct db_error *err)
{
	const char *params[] = {code};
	if (!run_file(db, seeddir, "region.sql", file_prelude, -1, err))
		return false;
	bool ok = db_begin(db, err) && db_script(db, file_prelude, err) &&
	          db_query(db, "SELECT pg_temp.seed_region($1)", 1, params, NULL, err) &&
	          db_commit(db, err);
	if (!ok)
		db_rollback(db);
	return ok;
}

/* Synthetic questions are made in batches, each its own transaction, by up
 * to SEED_WORKERS connections at once (one per core): the work is per-row
 * CPU in the server (constraints, foreign keys, the history triggers), which
 * one backend cannot spread over cores.  The readable numbers of the whole
 * run are reserved first, so batches never queue on the region counter.
 * LOKET_SEED_BATCH sets another batch size (tests use it to cover several
 * batches on both connections with few questions). */
#define SEED_BATCH 50000L
#define SEED_WORKERS 2

struct seed_run {
	pthread_mutex_t lock;
	long total;
	long batch;
	long next; /* the first question of the next batch to hand out */
	long done;
	long first_number;
	const char *region; /* whose questions (sql/seed/cases.sql) */
	bool failed;
	struct db_error err; /* the first failure */
	seed_cases_progress_fn progress;
	void *arg;
};

struct seed_worker {
	struct seed_run *run;
	struct db *db;
	pthread_t thread;
};

static bool
seed_batch(struct db *db, const struct seed_run *run, long from, long n, struct db_error *err)
{
	char count[24], done[24], total[24], first[24];
	snprintf(count, sizeof count, "%ld", n);
	snprintf(done, sizeof done, "%ld", from);
	snprintf(total, sizeof total, "%ld", run->total);
	snprintf(first, sizeof first, "%ld", run->first_number + from);
	const char *params[] = {count, done, total, first, run->region};
	if (db_begin(db, err) &&
	    db_query(db, "SELECT loket.seed_cases($1::int, $2::bigint, $3::bigint, $4::int, $5)", 5,
	             params, NULL, err) &&
	    db_commit(db, err))
		return true;
	db_rollback(db);
	return false;
}

/* Hand out the next batch; false when there is none or a batch failed. */
static bool
seed_take(struct seed_run *run, long *from, long *n)
{
	pthread_mutex_lock(&run->lock);
	bool more = !run->failed && run->next < run->total;
	if (more) {
		*from = run->next;
		*n = run->total - run->next < run->batch ? run->total - run->next : run->batch;
		run->next += *n;
	}
	pthread_mutex_unlock(&run->lock);
	return more;
}

static void
seed_finish(struct seed_run *run, long n, bool ok, struct db_error *err)
{
	pthread_mutex_lock(&run->lock);
	if (ok) {
		run->done += n;
		if (run->progress)
			run->progress(run->done, run->total, run->arg);
	} else if (!run->failed) {
		run->failed = true;
		run->err = *err; /* takes over the strings */
		*err = (struct db_error){0};
	}
	pthread_mutex_unlock(&run->lock);
	db_error_clear(err);
}

static void *
seed_work(void *arg)
{
	struct seed_worker *w = arg;
	long from, n;
	while (seed_take(w->run, &from, &n)) {
		struct db_error err = {0};
		bool ok = seed_batch(w->db, w->run, from, n, &err);
		seed_finish(w->run, n, ok, &err);
	}
	return NULL;
}

/* Another connection to the same server and database as the same user and
 * role, found from the server's side (the conninfo may have come from the
 * environment or a service file).  A password still comes from PGPASSWORD
 * or ~/.pgpass.  NULL when that does not work: the run then uses one. */
static struct db *
seed_connect_more(struct db *db)
{
	static const char *const sql =
		"WITH v(k, val) AS (VALUES"
		" ('host', coalesce(host(inet_server_addr()),"
		"   btrim(split_part(current_setting('unix_socket_directories'), ',', 1)))),"
		" ('port', current_setting('port')), ('dbname', current_database()),"
		" ('user', session_user::text))"
		" SELECT string_agg(k || '=''' || replace(replace(val, '\\', '\\\\'), '''', '\\''')"
		"                   || '''', ' '), current_user <> session_user, current_user::text"
		" FROM v";
	struct db_result *r = NULL;
	struct db_error err = {0};
	struct db *more = NULL;
	if (db_query(db, sql, 0, NULL, &r, &err) && db_result_rows(r) == 1 &&
	    db_connect(db_result_get(r, 0, 0), &more, &err) &&
	    strcmp(db_result_get(r, 0, 1), "t") == 0 &&
	    !db_set_role(more, db_result_get(r, 0, 2), &err))
		db_close(&more);
	db_result_free(&r);
	db_error_clear(&err);
	return more;
}

static long
seed_batch_size(void)
{
	const char *s = getenv("LOKET_SEED_BATCH");
	char *end = NULL;
	long n = s ? strtol(s, &end, 10) : 0;
	return s && *s && end && *end == '\0' && n >= 1 && n <= 1000000 ? n : SEED_BATCH;
}

static int
seed_worker_count(long total, long batch)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	long batches = (total + batch - 1) / batch;
	long n = cores < SEED_WORKERS ? cores : SEED_WORKERS;
	n = n < batches ? n : batches;
	return n < 1 ? 1 : (int)n;
}

bool
seed_cases(struct db *db, const char *seeddir, long total, const char *region,
           seed_cases_progress_fn progress, void *arg, struct db_error *err)
{
	if (!run_file(db, seeddir, "cases.sql", file_prelude, -1, err))
		return false;
	char count[24];
	snprintf(count, sizeof count, "%ld", total);
	region = region ? region : "twente";
	const char *params[] = {count, region};
	struct db_result *r = NULL;
	if (!db_query(db, "SELECT loket.seed_reserve($1::int, $2)", 2, params, &r, err))
		return false;
	struct seed_run run = {.total = total, .batch = seed_batch_size(), .progress = progress,
	                       .arg = arg, .region = region};
	run.first_number = db_result_get(r, 0, 0) ? atol(db_result_get(r, 0, 0)) : 0;
	db_result_free(&r);
	if (run.first_number < 1) {
		db_error_set(err, "seed_cases: region %s has no question counter", region);
		return false;
	}
	pthread_mutex_init(&run.lock, NULL);
	struct seed_worker workers[SEED_WORKERS] = {{.run = &run, .db = db}};
	int started = 1;
	for (int i = 1; i < seed_worker_count(total, run.batch); i++) {
		workers[i] = (struct seed_worker){.run = &run, .db = seed_connect_more(db)};
		if (!workers[i].db)
			break;
		if (pthread_create(&workers[i].thread, NULL, seed_work, &workers[i]) != 0) {
			db_close(&workers[i].db);
			break;
		}
		started++;
	}
	seed_work(&workers[0]);
	for (int i = 1; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		db_close(&workers[i].db);
	}
	pthread_mutex_destroy(&run.lock);
	if (run.failed) {
		*err = run.err;
		return false;
	}
	/* the supervisors' summaries (sql/015), so that the first report after
	 * a load does not wait for them */
	return db_query(db, "SELECT loket.stat_refresh_all()", 0, NULL, NULL, err);
}

bool
schema_version(struct db *db, int *version, struct db_error *err)
{
	*version = 0;
	struct db_result *r = NULL;
	if (!db_query(db, "SELECT loket.schema_version()", 0, NULL, &r, err)) {
		/* undefined_function, invalid_schema_name: before 048 */
		if (strcmp(err->sqlstate, "42883") != 0 && strcmp(err->sqlstate, "3F000") != 0)
			return false;
		db_error_clear(err);
		return true;
	}
	const char *v = db_result_get(r, 0, 0);
	*version = v ? atoi(v) : 0;
	db_result_free(&r);
	return true;
}
