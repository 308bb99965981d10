/* dbtest.h: helpers for tests against the throw-away cluster started by
 * tests/pg-start.test.  Each suite copies its own database from the migrated
 * and seeded template `loket_template`, so suites never see each other. */
#ifndef LOKET_TESTS_DBTEST_H
#define LOKET_TESTS_DBTEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

/* The socket directory of the test cluster (aborts when it is not running). */
const char *dbtest_host(void);
/* Create a new database named prefix_<pid>; from the template or empty.
 * Returns its name (static storage, one per process). */
const char *dbtest_create(const char *prefix, bool from_template);
void dbtest_drop(const char *name);
/* "host=... dbname=... user=..." (static buffer). */
const char *dbtest_conninfo(const char *dbname, const char *user);
/* Connect as user (a real login role); the test fails when it cannot. */
struct db *dbtest_connect(const char *dbname, const char *user);
/* Run a statement that must succeed. */
void dbtest_ok(struct db *db, const char *sql, int n, const char *const *params);
/* Run a statement that must fail with a SQLSTATE starting with `state`. */
void dbtest_fails(struct db *db, const char *sql, int n, const char *const *params,
                  const char *state);
/* The first column of the first row as a long (statement must succeed). */
long dbtest_long(struct db *db, const char *sql, int n, const char *const *params);
/* The cell-key method (sql/026, doc/reports.md "Small counts"), written
 * here again from the documentation rather than read from the database:
 * the noise for a sum of record keys, and what a supervisor is shown for n
 * rows whose record keys sum to keysum at threshold k ("<k" or the figure)
 * in buf. */
int dbtest_noise(long long keysum);
const char *dbtest_shown(long n, long long keysum, int k, char *buf, size_t size);
/* The same for the rows that `rows` selects (a query with a record_key
 * column, run as db, a superuser), which must be n (the figure worked out
 * by hand); the result is static storage, one of 16 in turn. */
const char *dbtest_cell(struct db *db, long n, const char *rows, int k);
/* Log a supervisor's question (loket.supervisor_ask) in its own transaction. */
void dbtest_ask(struct db *sup, const char *what, const char *args_json);

/* Run the loket binary with "-d conninfo" and args (NULL-terminated);
 * stdin from `input` (may be NULL).  Captures stdout and stderr into
 * malloc'ed strings.  Returns the exit status. */
int dbtest_loket(const char *conninfo, const char *input, char **out, char **err, ...);

/* Run a suite with Check's normal output; the exit status for make check. */
int dbtest_run(Suite *s);

#endif
