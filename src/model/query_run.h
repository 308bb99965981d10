/* query_run.h: what `loket query` asks the database — a compiled query of
 * the query language (src/query/lang.c makes the statement and its JSON
 * parameter), the region's threshold for small counts, saved queries, and
 * whether a supervisor is being acted as. */
#ifndef LOKET_MODEL_QUERY_RUN_H
#define LOKET_MODEL_QUERY_RUN_H

#include <stdbool.h>

#include "db/db.h"
#include "query/lang.h"

/* The statement that runs q, with its JSON (query_to_json()) as the one
 * parameter: the count's columns named after the period and the fields
 * counted by.  The names come from the query language's own tables, never
 * from the text.  New string. */
char *query_statement(const struct query *q, bool count);

/* Run q as rows or counts.  A count is first logged as a supervisor's
 * question, committed on its own (sql/026; for advisors this logs
 * nothing).  Returns false with err set. */
bool query_run(struct db *db, const struct query *q, bool count, struct db_table *out,
               struct db_error *err);

/* The region's threshold below which counts are held back, as text (a new
 * string), or NULL when it cannot be read. */
char *query_threshold(struct db *db);

/* Keep expr under name for the caller (and the region when shared). */
bool query_save(struct db *db, const char *name, const char *expr, bool shared,
                struct db_error *err);
/* The caller's own saved query of that name, else the newest shared one:
 * a new string in *expr, NULL when there is none. */
bool query_saved(struct db *db, const char *name, char **expr, struct db_error *err);
/* The saved queries the caller sees: name, by, shared, expr. */
bool query_saved_list(struct db *db, struct db_table *out, struct db_error *err);

/* When role is a supervisor other than the login role (whose figures would
 * be refused), the login role's name in *login (a new string); else NULL. */
bool query_supervisor_as(struct db *db, const char *role, char **login, struct db_error *err);

#endif
