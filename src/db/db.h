/* db.h: the connection and parameterised execution.  This folder is the only
 * code that calls libpq; nothing above it ever sees a PGresult. */
#ifndef LOKET_DB_DB_H
#define LOKET_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct db;
struct db_result;

/* An error from libpq or the server, with the SQLSTATE when there is one. */
struct db_error {
	char sqlstate[6]; /* "" for client-side errors such as a lost connection */
	char *message;    /* primary message, owned */
	char *detail;     /* may be NULL */
	char *hint;       /* may be NULL */
	char *constraint; /* name of the violated constraint, may be NULL */
	bool cancelled;   /* the waiter cancelled the statement (a key was pressed) */
};

void db_error_clear(struct db_error *err);
/* Set a client-side error (no SQLSTATE). */
void db_error_set(struct db_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "WHAT KEY does not exist or is not visible to you", with SQLSTATE 02000
 * (no data). */
void db_error_not_found(struct db_error *err, const char *what, const char *key);
/* True for errors that mean the connection is gone (class 08 or no status). */
bool db_error_is_connection(const struct db_error *err);

/* Connect with a conninfo string or URI (NULL or "" = libpq defaults and
 * environment: PGHOST, PGSERVICE, ...).  Sets search_path and UTF-8.
 * Returns false with err set on failure. */
bool db_connect(const char *conninfo, struct db **out, struct db_error *err);
/* The same with target_session_attrs set to attrs ("prefer-standby" for
 * reports), over what the string says; attrs NULL: as the string says. */
bool db_connect_attrs(const char *conninfo, const char *attrs, struct db **out,
                      struct db_error *err);
/* Why connecting failed, asked again (PQping, then a try that takes any
 * server): no server answers (or one is starting or recovering), servers
 * answer but none takes writes (target_session_attrs, during a failover),
 * or the login itself was refused (a wrong role, password or database). */
enum db_down { DB_DOWN_NO_SERVER, DB_DOWN_READ_ONLY, DB_DOWN_REFUSED };
enum db_down db_why_down(const char *conninfo, const char *attrs);
/* connect_timeout from the string, else PGCONNECT_TIMEOUT; 0 when neither. */
int db_connect_timeout(const char *conninfo);

/* libpq's version as "15.13" (buf of at least 16 bytes); returns buf. */
const char *db_library_version(char *buf, size_t size);
/* Another connection like db's (its string and role), with
 * target_session_attrs attrs: the reports screen's to a standby. */
bool db_connect_like(const struct db *db, const char *attrs, struct db **out,
                     struct db_error *err);
/* Reads on reader (a connection to a standby) whose statements need a row
 * written first (the supervisors' log, sql/026) write it through writer,
 * the primary; NULL or reader itself: reader writes its own. */
void db_set_writer(struct db *reader, struct db *writer);
/* Run sql (no rows wanted) where db's writes go: on its writer, in a
 * transaction of its own applied on the standby before it returns; else on
 * db itself. */
bool db_query_for_reader(struct db *db, const char *sql, int n, const char *const *params,
                         struct db_error *err);
/* Whether db's string (or PGHOST) lists more than one server. */
bool db_several_hosts(const struct db *db);
/* Act as role (SET ROLE), allowed only when the login role is a member. */
bool db_set_role(struct db *db, const char *role, struct db_error *err);
void db_close(struct db **db);
/* True while the connection is usable. */
bool db_connected(const struct db *db);
/* Try to re-establish a lost connection, re-applying the role. */
bool db_reconnect(struct db *db, struct db_error *err);
/* The connection's socket, for poll(); -1 when there is none. */
int db_socket(const struct db *db);
/* Read what the server sent while idle (notices, notifications, or the
 * news that it closed the connection).  Adds the number of notifications
 * that arrived to *notified (may be NULL).  Returns false when the
 * connection is gone. */
bool db_poll(struct db *db, int *notified);
/* The role queries run as (current_user). */
const char *db_role(const struct db *db);

/* Waiting for an answer.  Every statement is sent without waiting
 * (PQsendQueryParams); while it runs, a waiter the program installs may
 * watch other things too: the terminal watches its keyboard, so that a key
 * pressed during a slow read cancels it (PQcancel) and the screen answers.
 * The waiter waits until the socket fd is readable or something of its own
 * happens, at most until it wants to be asked again; `waited` is the time
 * the statement has run (ms), `first` says it is the first call for it (it
 * was just sent), `cancellable` whether the waiter may cancel it. */
enum db_wait {
	DB_WAIT_ON,     /* the socket is readable, or a timeout: go on waiting */
	DB_WAIT_CANCEL, /* cancel the statement */
};
typedef enum db_wait (*db_waiter)(void *arg, int fd, long waited, bool first,
                                  bool cancellable);
/* Install (or with fn NULL remove) the waiter; without one a statement
 * blocks until its answer comes. */
void db_set_waiter(struct db *db, db_waiter fn, void *arg);
/* Whether the waiter may cancel the statements that follow (only reads:
 * a cancelled statement has changed nothing, and the caller shows what it
 * showed).  Returns the setting it replaces. */
bool db_set_cancellable(struct db *db, bool on);

/* Run one statement with text parameters (NULL entries are SQL NULL).
 * With out == NULL the result is discarded.  Returns false with err set. */
bool db_query(struct db *db, const char *sql, int nparams, const char *const *params,
              struct db_result **out, struct db_error *err);
/* Run one statement with $1 = first and $2 = the n values of list joined
 * by commas, for the statement to split (string_to_array($2, ',')): one
 * parameter for a whole list of ids.  Nothing runs when n is 0.  Returns
 * false with err set. */
bool db_query_list(struct db *db, const char *sql, const char *first, const char *const *list,
                   int n, struct db_error *err);
/* Run a script of several statements with no parameters (migration and seed
 * files only).  Returns false with err set. */
bool db_script(struct db *db, const char *sql, struct db_error *err);
bool db_begin(struct db *db, struct db_error *err);
bool db_commit(struct db *db, struct db_error *err);
/* Roll back; errors are ignored (the transaction is gone either way). */
void db_rollback(struct db *db);

int db_result_rows(const struct db_result *r);
int db_result_cols(const struct db_result *r);
/* Column index by name, or -1. */
int db_result_col(const struct db_result *r, const char *name);
const char *db_result_name(const struct db_result *r, int col);
/* The value as text, or NULL for SQL NULL. */
const char *db_result_get(const struct db_result *r, int row, int col);
/* Rows changed by an INSERT/UPDATE/DELETE. */
long db_result_affected(const struct db_result *r);
void db_result_free(struct db_result **r);

/* Reading rows into structs: a table of fields, the i-th read from the
 * i-th column (see doc/development.md, "Reading rows into structs"). */
enum db_type {
	DB_T_TEXT,         /* char *, owned; "" for SQL NULL */
	DB_T_TEXT_OR_NULL, /* char *, owned; NULL for SQL NULL */
	DB_T_INT,          /* int; 0 for SQL NULL */
	DB_T_LONG,         /* long; 0 for SQL NULL */
	DB_T_BOOL,         /* bool: "t" or "true"; false for SQL NULL */
	DB_T_CHARS,        /* a char array, cut to its size; "" for SQL NULL */
	DB_T_SKIP,         /* a column that is not read */
};

struct db_field {
	enum db_type type;
	size_t offset; /* of the member in the struct */
	size_t size;   /* of the member (DB_T_CHARS) */
};

#define DB_FIELD_(t, type, member) {(t), offsetof(type, member), sizeof(((type *)0)->member)}
#define DB_TEXT(type, member) DB_FIELD_(DB_T_TEXT, type, member)
#define DB_TEXT_OR_NULL(type, member) DB_FIELD_(DB_T_TEXT_OR_NULL, type, member)
#define DB_INT(type, member) DB_FIELD_(DB_T_INT, type, member)
#define DB_LONG(type, member) DB_FIELD_(DB_T_LONG, type, member)
#define DB_BOOL(type, member) DB_FIELD_(DB_T_BOOL, type, member)
#define DB_CHARS(type, member) DB_FIELD_(DB_T_CHARS, type, member)
#define DB_SKIP {DB_T_SKIP, 0, 0}
#define DB_NFIELDS(fields) ((int)(sizeof(fields) / sizeof((fields)[0])))

/* Copy row `row` into *out: fields[i] from column first + i.  Members not
 * named keep what they held. */
void db_result_row_at(const struct db_result *r, int row, int first, const struct db_field *fields,
                      int n, void *out);
/* The same from column 0. */
void db_result_row(const struct db_result *r, int row, const struct db_field *fields, int n,
                   void *out);
/* Every row into a new zeroed array of elements of `size` bytes (at least
 * one element is allocated, so the array is never NULL); *count rows. */
void *db_result_all(const struct db_result *r, const struct db_field *fields, int n, size_t size,
                    int *count);
/* A whole result as text, for commands that print what a statement gave
 * (column names and values as they are; NULL cells for SQL NULL). */
struct db_table {
	int nrows, ncols;
	char **names; /* ncols */
	char **cells; /* nrows * ncols, row by row */
};

/* Run one statement (as db_query) and copy its result into *out. */
bool db_query_table(struct db *db, const char *sql, int nparams, const char *const *params,
                    struct db_table *out, struct db_error *err);
void db_table_free(struct db_table *t);

/* Run one statement (as db_query) and copy every row as db_result_all does:
 * *array (never NULL on success) of *count elements. */
bool db_query_all(struct db *db, const char *sql, int nparams, const char *const *params,
                  const struct db_field *fields, int n, size_t size, void *array, int *count,
                  struct db_error *err);

/* Run one statement and copy its first row into *out as db_result_row does.
 * *found (may be NULL) says whether there was a row; without one *out keeps
 * what it held.  Returns false with err set. */
bool db_query_row(struct db *db, const char *sql, int nparams, const char *const *params,
                  const struct db_field *fields, int n, void *out, bool *found,
                  struct db_error *err);
/* The same for the first column alone, read as `type` into *out: a char *
 * (DB_T_TEXT, DB_T_TEXT_OR_NULL), an int, a long or a bool (not DB_T_CHARS). */
bool db_query_value(struct db *db, const char *sql, int nparams, const char *const *params,
                    enum db_type type, void *out, bool *found, struct db_error *err);

/* For the model's list structs, whose rows are `items` and `count`: run one
 * statement into them (db_query_all), and free them (db_fields_free_all,
 * then the struct zeroed). */
#define DB_QUERY_LIST(db, sql, nparams, params, fields, list, err)                                 \
	db_query_all((db), (sql), (nparams), (params), (fields), DB_NFIELDS(fields),               \
	             sizeof *(list)->items, &(list)->items, &(list)->count, (err))
#define DB_LIST_FREE(fields, list)                                                                 \
	(db_fields_free_all((fields), DB_NFIELDS(fields), (list)->items, (list)->count,            \
	                    sizeof *(list)->items),                                                \
	 memset((list), 0, sizeof *(list)))

/* Free the strings the fields name in *row and set them to NULL. */
void db_fields_free(const struct db_field *fields, int n, void *row);
/* The same for each of count elements of `size` bytes, then the array. */
void db_fields_free_all(const struct db_field *fields, int n, void *array, int count,
                        size_t size);

#endif
