/* db.c: libpq connection, parameterised queries and error values. */
#include "config.h"

#include "db/db.h"
#include "util/trace.h"
#include "util/xalloc.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct db {
	PGconn *conn;
	char *conninfo;
	char *role; /* role set with db_set_role, or NULL */
	char *current_user;
	db_waiter waiter; /* while a statement runs (db_set_waiter), or NULL */
	void *wait_arg;
	bool cancellable;
	long slow_ms;     /* LOKET_TEST_SLOW: sleep first before matching statements */
	char *slow_text;
	struct db *writer; /* a reader on a standby: where its log rows go (not owned) */
};

struct db_result {
	PGresult *res;
};

static void slow_hook(struct db *db);

void
db_error_clear(struct db_error *err)
{
	if (!err)
		return;
	free(err->message);
	free(err->detail);
	free(err->hint);
	free(err->constraint);
	memset(err, 0, sizeof *err);
}

void
db_error_set(struct db_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	db_error_clear(err);
	va_list ap;
	va_start(ap, fmt);
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	err->message = xstrdup(buf);
}

void
db_error_not_found(struct db_error *err, const char *what, const char *key)
{
	db_error_set(err, "%s %s does not exist or is not visible to you", what, key);
	if (err)
		memcpy(err->sqlstate, "02000", 6);
}

bool
db_error_is_connection(const struct db_error *err)
{
	return err->sqlstate[0] == '\0' || strncmp(err->sqlstate, "08", 2) == 0 ||
	       strncmp(err->sqlstate, "57P", 3) == 0;
}

static char *
dup_trimmed(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return xstrndup(s, n);
}

/* Fill err from a failed result, or from the connection when res is NULL. */
static void
error_from(struct db_error *err, const PGconn *conn, const PGresult *res)
{
	if (!err)
		return;
	db_error_clear(err);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state)
		snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	err->message = dup_trimmed(primary ? primary : PQerrorMessage(conn));
	if (!err->message || !*err->message) {
		free(err->message);
		err->message = xstrdup("unknown database error");
	}
	if (res) {
		err->detail = dup_trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
		err->hint = dup_trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
		err->constraint = dup_trimmed(PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME));
	}
}

/* Notices (e.g. "relation exists, skipping") must never reach the terminal
 * behind curses; they are dropped. */
static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static bool
session_setup(struct db *db, struct db_error *err)
{
	PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
	if (!db_query(db, "SELECT set_config('search_path', 'loket, public', false)", 0, NULL,
	              NULL, err))
		return false;
	if (db->role && !db_set_role(db, db->role, err))
		return false;
	return true;
}

/* The connection's keywords: the string (or URI) expanded first, so that
 * what follows it wins; target_session_attrs only when attrs is set. */
static void
conn_params(const char *conninfo, const char *attrs, const char *keys[5], const char *vals[5])
{
	int n = 0;
	keys[n] = "dbname", vals[n++] = conninfo && *conninfo ? conninfo : NULL;
	keys[n] = "fallback_application_name", vals[n++] = "loket";
	keys[n] = "client_encoding", vals[n++] = "UTF8";
	if (attrs)
		keys[n] = "target_session_attrs", vals[n++] = attrs;
	keys[n] = NULL, vals[n] = NULL;
}

static PGconn *
open_conn_attrs(const char *conninfo, const char *attrs)
{
	const char *keys[5], *vals[5];
	conn_params(conninfo, attrs, keys, vals);
	return PQconnectdbParams(keys, vals, 1);
}

static PGconn *
open_conn(const char *conninfo)
{
	return open_conn_attrs(conninfo, NULL);
}

enum db_down
db_why_down(const char *conninfo, const char *attrs)
{
	const char *keys[5], *vals[5];
	conn_params(conninfo, attrs, keys, vals);
	switch (PQpingParams(keys, vals, 1)) {
	case PQPING_NO_RESPONSE:
	case PQPING_REJECT: /* starting, stopping, or in crash recovery */
		return DB_DOWN_NO_SERVER;
	case PQPING_NO_ATTEMPT:
		return DB_DOWN_REFUSED;
	case PQPING_OK:
		break;
	}
	/* a server answers: was it only that none takes writes? */
	PGconn *any = open_conn_attrs(conninfo, "any");
	enum db_down why = any && PQstatus(any) == CONNECTION_OK ? DB_DOWN_READ_ONLY : DB_DOWN_REFUSED;
	if (any)
		PQfinish(any);
	return why;
}

int
db_connect_timeout(const char *conninfo)
{
	int seconds = 0;
	PQconninfoOption *opts = conninfo && *conninfo ? PQconninfoParse(conninfo, NULL) : NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "connect_timeout") == 0 && o->val)
			seconds = atoi(o->val);
	if (opts)
		PQconninfoFree(opts);
	const char *env = getenv("PGCONNECT_TIMEOUT");
	if (seconds <= 0 && env)
		seconds = atoi(env);
	return seconds > 0 ? seconds : 0;
}

bool
db_connect(const char *conninfo, struct db **out, struct db_error *err)
{
	return db_connect_attrs(conninfo, NULL, out, err);
}

bool
db_connect_attrs(const char *conninfo, const char *attrs, struct db **out, struct db_error *err)
{
	*out = NULL;
	PGconn *conn = open_conn_attrs(conninfo, attrs);
	if (!conn) {
		db_error_set(err, "out of memory while connecting");
		return false;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		error_from(err, conn, NULL);
		PQfinish(conn);
		return false;
	}
	struct db *db = xcalloc(1, sizeof *db);
	db->conn = conn;
	db->conninfo = conninfo ? xstrdup(conninfo) : NULL;
	slow_hook(db);
	if (!session_setup(db, err)) {
		db_close(&db);
		return false;
	}
	*out = db;
	return true;
}

bool
db_connect_like(const struct db *db, const char *attrs, struct db **out, struct db_error *err)
{
	if (!db_connect_attrs(db->conninfo, attrs, out, err))
		return false;
	if (db->role && !db_set_role(*out, db->role, err)) {
		db_close(out);
		return false;
	}
	return true;
}

void
db_set_writer(struct db *reader, struct db *writer)
{
	reader->writer = writer != reader ? writer : NULL;
}

bool
db_query_for_reader(struct db *db, const char *sql, int n, const char *const *params,
                    struct db_error *err)
{
	struct db *w = db->writer;
	if (!w)
		return db_query(db, sql, n, params, NULL, err);
	/* committed on the primary and applied on the standby before it returns
	 * (a synchronous standby; an asynchronous one may lag, and the reader
	 * then says so, which the caller answers from the writer) */
	bool ok = db_begin(w, err) &&
	          db_query(w, "SELECT set_config('synchronous_commit', 'remote_apply', true)", 0,
	                   NULL, NULL, err) &&
	          db_query(w, sql, n, params, NULL, err) && db_commit(w, err);
	if (!ok) {
		db_rollback(w);
		return false;
	}
	/* an asynchronous standby: wait (at most 2 s) until it has replayed
	 * the primary's WAL up to here; a synchronous one has already */
	char *lsn = NULL;
	if (!db_query_value(w, "SELECT pg_current_wal_insert_lsn()::text", 0, NULL, DB_T_TEXT, &lsn,
	                    NULL, err))
		return false;
	const char *p[] = {lsn};
	bool caught_up = false;
	for (int i = 0; i < 100 && ok && !caught_up; i++) {
		ok = db_query_value(db,
		                    "SELECT NOT pg_is_in_recovery() "
		                    "OR pg_last_wal_replay_lsn() >= $1::pg_lsn",
		                    1, p, DB_T_BOOL, &caught_up, NULL, err);
		if (ok && !caught_up) {
			struct timespec ts = {0, 20 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	free(lsn);
	return ok;
}

bool
db_several_hosts(const struct db *db)
{
	const char *hosts = NULL;
	PQconninfoOption *opts =
	    db->conninfo && *db->conninfo ? PQconninfoParse(db->conninfo, NULL) : NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if ((strcmp(o->keyword, "host") == 0 || strcmp(o->keyword, "hostaddr") == 0) && o->val &&
		    strchr(o->val, ','))
			hosts = o->val;
	bool several = hosts != NULL;
	if (opts)
		PQconninfoFree(opts);
	const char *env = getenv("PGHOST");
	return several || (env && strchr(env, ','));
}

bool
db_set_role(struct db *db, const char *role, struct db_error *err)
{
	const char *params[] = {role};
	bool member = false;
	if (!db_query_value(db,
	                    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) "
	                    "AND pg_has_role(session_user, $1, 'MEMBER')",
	                    1, params, DB_T_BOOL, &member, NULL, err))
		return false;
	if (!member) {
		db_error_set(err, "login role \"%s\" may not act as \"%s\" (not a member)",
		             PQuser(db->conn), role);
		memcpy(err->sqlstate, "42501", 6);
		return false;
	}
	if (!db_query(db, "SELECT set_config('role', $1, false)", 1, params, NULL, err))
		return false;
	if (db->role != role) {
		free(db->role);
		db->role = xstrdup(role);
	}
	free(db->current_user);
	db->current_user = NULL;
	return true;
}

void
db_close(struct db **db)
{
	if (!*db)
		return;
	if ((*db)->conn)
		PQfinish((*db)->conn);
	free((*db)->conninfo);
	free((*db)->role);
	free((*db)->current_user);
	free((*db)->slow_text);
	free(*db);
	*db = NULL;
}

bool
db_connected(const struct db *db)
{
	return db && db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

bool
db_reconnect(struct db *db, struct db_error *err)
{
	PGconn *conn = open_conn(db->conninfo);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		error_from(err, conn, NULL);
		if (conn)
			PQfinish(conn);
		return false;
	}
	PQfinish(db->conn);
	db->conn = conn;
	return session_setup(db, err);
}

int
db_socket(const struct db *db)
{
	return db && db->conn ? PQsocket(db->conn) : -1;
}

const char *
db_role(const struct db *db)
{
	if (!db->current_user) {
		struct db_error e = {0};
		struct db *mut = (struct db *)db;
		db_query_value(mut, "SELECT current_user", 0, NULL, DB_T_TEXT, &mut->current_user,
		               NULL, &e);
		db_error_clear(&e);
	}
	return db->current_user ? db->current_user : PQuser(db->conn);
}

bool
db_query_list(struct db *db, const char *sql, const char *first, const char *const *list,
              int n, struct db_error *err)
{
	if (n <= 0)
		return true;
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(list[i]) + 1;
	char *joined = xmalloc(len), *p = joined;
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "," : "", list[i]);
	const char *params[] = {first, joined};
	bool ok = db_query(db, sql, 2, params, NULL, err);
	free(joined);
	return ok;
}

/* The test hook LOKET_TEST_SLOW=MS:TEXT: every statement whose SQL
 * contains TEXT is preceded by pg_sleep(MS / 1000.0), sent and waited for
 * like the statement itself (tests/tui/cancel.test makes a search slow). */
static void
slow_hook(struct db *db)
{
	const char *hook = getenv("LOKET_TEST_SLOW");
	char *end;
	long ms = hook ? strtol(hook, &end, 10) : 0;
	if (ms > 0 && *end == ':' && end[1]) {
		db->slow_ms = ms;
		db->slow_text = xstrdup(end + 1);
	}
}

void
db_set_waiter(struct db *db, db_waiter fn, void *arg)
{
	db->waiter = fn;
	db->wait_arg = arg;
}

bool
db_set_cancellable(struct db *db, bool on)
{
	bool was = db->cancellable;
	db->cancellable = on;
	return was;
}

/* Ask the server to stop the statement in flight; its answer (an error
 * 57014, or the result when it was done first) still comes. */
static void
cancel(struct db *db)
{
	PGcancel *c = PQgetCancel(db->conn);
	char why[256];
	if (c) {
		PQcancel(c, why, sizeof why);
		PQfreeCancel(c);
	}
}

/* Wait, through the waiter, until the answer to the statement sent is
 * there (or the connection is gone); true when the waiter cancelled it. */
static bool
await(struct db *db)
{
	if (!db->waiter)
		return false; /* PQgetResult blocks */
	double t0 = trace_now_ms(), c0 = 0;
	bool cancelled = false, first = true;
	while (PQisBusy(db->conn)) {
		long waited = (long)(trace_now_ms() - t0);
		enum db_wait w = db->waiter(db->wait_arg, PQsocket(db->conn), waited, first,
		                            db->cancellable && !cancelled);
		first = false;
		if (w == DB_WAIT_CANCEL && !cancelled) {
			c0 = trace_now_ms();
			cancel(db);
			cancelled = true;
		}
		if (!PQconsumeInput(db->conn))
			break; /* the connection is gone: PQgetResult says so */
	}
	if (cancelled) /* from the waiter's word to the statement's end */
		trace_event("cancel", trace_now_ms() - c0, "answered");
	return cancelled;
}

/* Send one statement and wait for its answer: the last result, or NULL
 * when it could not be sent.  *cancelled: the waiter cancelled it. */
static PGresult *
exec_params(struct db *db, const char *sql, int nparams, const char *const *params,
            bool *cancelled)
{
	*cancelled = false;
	if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return NULL;
	*cancelled = await(db);
	PGresult *res = NULL, *next;
	while ((next = PQgetResult(db->conn))) {
		PQclear(res);
		res = next;
	}
	return res;
}

/* Run sql, first sleeping as LOKET_TEST_SLOW asks for it. */
static PGresult *
exec_hooked(struct db *db, const char *sql, int nparams, const char *const *params,
            bool *cancelled)
{
	if (db->slow_text && strstr(sql, db->slow_text)) {
		char secs[32];
		snprintf(secs, sizeof secs, "%.3f", (double)db->slow_ms / 1000.0);
		const char *p[] = {secs};
		PGresult *res = exec_params(db, "SELECT pg_sleep($1::float8)", 1, p, cancelled);
		if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
			return res;
		PQclear(res);
	}
	return exec_params(db, sql, nparams, params, cancelled);
}

bool
db_query(struct db *db, const char *sql, int nparams, const char *const *params,
         struct db_result **out, struct db_error *err)
{
	if (out)
		*out = NULL;
	double t0 = trace_now_ms();
	bool cancelled;
	PGresult *res = exec_hooked(db, sql, nparams, params, &cancelled);
	trace_event("sql", trace_now_ms() - t0, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		error_from(err, db->conn, res);
		if (err)
			err->cancelled = cancelled;
		PQclear(res);
		return false;
	}
	if (out) {
		*out = xmalloc(sizeof **out);
		(*out)->res = res;
	} else {
		PQclear(res);
	}
	return true;
}

bool
db_script(struct db *db, const char *sql, struct db_error *err)
{
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
	if (!ok)
		error_from(err, db->conn, res);
	PQclear(res);
	return ok;
}

bool
db_begin(struct db *db, struct db_error *err)
{
	return db_query(db, "BEGIN", 0, NULL, NULL, err);
}

bool
db_commit(struct db *db, struct db_error *err)
{
	return db_query(db, "COMMIT", 0, NULL, NULL, err);
}

void
db_rollback(struct db *db)
{
	if (db_connected(db) && PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(db->conn, "ROLLBACK");
		PQclear(res);
	}
}

int
db_result_rows(const struct db_result *r)
{
	return PQntuples(r->res);
}

int
db_result_cols(const struct db_result *r)
{
	return PQnfields(r->res);
}

int
db_result_col(const struct db_result *r, const char *name)
{
	return PQfnumber(r->res, name);
}

const char *
db_result_name(const struct db_result *r, int col)
{
	return PQfname(r->res, col);
}

const char *
db_result_get(const struct db_result *r, int row, int col)
{
	if (PQgetisnull(r->res, row, col))
		return NULL;
	return PQgetvalue(r->res, row, col);
}

long
db_result_affected(const struct db_result *r)
{
	const char *n = PQcmdTuples(r->res);
	return n && *n ? strtol(n, NULL, 10) : 0;
}

void
db_result_free(struct db_result **r)
{
	if (!*r)
		return;
	PQclear((*r)->res);
	free(*r);
	*r = NULL;
}

static void
field_read(const struct db_field *f, const char *v, char *base)
{
	void *m = base + f->offset;
	switch (f->type) {
	case DB_T_TEXT: *(char **)m = xstrdup(v ? v : ""); break;
	case DB_T_TEXT_OR_NULL: *(char **)m = v ? xstrdup(v) : NULL; break;
	case DB_T_INT: *(int *)m = v ? atoi(v) : 0; break;
	case DB_T_LONG: *(long *)m = v ? atol(v) : 0; break;
	case DB_T_BOOL: *(bool *)m = v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0); break;
	case DB_T_CHARS: snprintf(m, f->size, "%s", v ? v : ""); break;
	case DB_T_SKIP: break;
	}
}

void
db_result_row_at(const struct db_result *r, int row, int first, const struct db_field *fields,
                 int n, void *out)
{
	for (int i = 0; i < n; i++)
		field_read(&fields[i], db_result_get(r, row, first + i), out);
}

void
db_result_row(const struct db_result *r, int row, const struct db_field *fields, int n, void *out)
{
	db_result_row_at(r, row, 0, fields, n, out);
}

void *
db_result_all(const struct db_result *r, const struct db_field *fields, int n, size_t size,
              int *count)
{
	*count = db_result_rows(r);
	char *array = xcalloc((size_t)(*count > 0 ? *count : 1), size);
	for (int i = 0; i < *count; i++)
		db_result_row(r, i, fields, n, array + (size_t)i * size);
	return array;
}

bool
db_query_all(struct db *db, const char *sql, int nparams, const char *const *params,
             const struct db_field *fields, int n, size_t size, void *array, int *count,
             struct db_error *err)
{
	struct db_result *r = NULL;
	*(void **)array = NULL;
	*count = 0;
	if (!db_query(db, sql, nparams, params, &r, err))
		return false;
	*(void **)array = db_result_all(r, fields, n, size, count);
	db_result_free(&r);
	return true;
}

bool
db_query_row(struct db *db, const char *sql, int nparams, const char *const *params,
             const struct db_field *fields, int n, void *out, bool *found, struct db_error *err)
{
	struct db_result *r = NULL;
	if (!db_query(db, sql, nparams, params, &r, err))
		return false;
	bool any = db_result_rows(r) > 0;
	if (any)
		db_result_row(r, 0, fields, n, out);
	if (found)
		*found = any;
	db_result_free(&r);
	return true;
}

bool
db_query_value(struct db *db, const char *sql, int nparams, const char *const *params,
               enum db_type type, void *out, bool *found, struct db_error *err)
{
	const struct db_field field = {type, 0, 0};
	return db_query_row(db, sql, nparams, params, &field, 1, out, found, err);
}

bool
db_query_table(struct db *db, const char *sql, int nparams, const char *const *params,
               struct db_table *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	struct db_result *r = NULL;
	if (!db_query(db, sql, nparams, params, &r, err))
		return false;
	out->nrows = db_result_rows(r);
	out->ncols = db_result_cols(r);
	out->names = xcalloc((size_t)out->ncols + 1, sizeof *out->names);
	out->cells = xcalloc((size_t)out->nrows * (size_t)out->ncols + 1, sizeof *out->cells);
	for (int j = 0; j < out->ncols; j++)
		out->names[j] = xstrdup(db_result_name(r, j));
	for (int i = 0; i < out->nrows; i++)
		for (int j = 0; j < out->ncols; j++) {
			const char *v = db_result_get(r, i, j);
			out->cells[i * out->ncols + j] = v ? xstrdup(v) : NULL;
		}
	db_result_free(&r);
	return true;
}

void
db_table_free(struct db_table *t)
{
	for (int j = 0; j < t->ncols; j++)
		free(t->names[j]);
	for (int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->names);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

void
db_fields_free(const struct db_field *fields, int n, void *row)
{
	for (int i = 0; i < n; i++)
		if (fields[i].type == DB_T_TEXT || fields[i].type == DB_T_TEXT_OR_NULL) {
			char **m = (char **)((char *)row + fields[i].offset);
			free(*m);
			*m = NULL;
		}
}

void
db_fields_free_all(const struct db_field *fields, int n, void *array, int count, size_t size)
{
	for (int i = 0; i < count; i++)
		db_fields_free(fields, n, (char *)array + (size_t)i * size);
	free(array);
}

bool
db_poll(struct db *db, int *notified)
{
	if (!db || !db->conn || PQstatus(db->conn) != CONNECTION_OK)
		return false;
	if (!PQconsumeInput(db->conn))
		return false;
	PGnotify *n;
	while ((n = PQnotifies(db->conn)) != NULL) {
		trace_event("notify", 0, n->relname);
		if (notified)
			(*notified)++;
		PQfreemem(n);
	}
	return PQstatus(db->conn) == CONNECTION_OK;
}

const char *
db_library_version(char *buf, size_t size)
{
	int v = PQlibVersion(); /* 150013: 15.13 */
	snprintf(buf, size, "%d.%d", v / 10000, v % 10000);
	return buf;
}
