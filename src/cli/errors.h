/* errors.h: turning database errors into messages a person can act on. */
#ifndef LOKET_CLI_ERRORS_H
#define LOKET_CLI_ERRORS_H

#include "db/db.h"

/* A Dutch message id for a known constraint name, or NULL. */
const char *cli_constraint_message(const char *constraint);
/* Print "who: message" plus detail/hint to stderr, sanitised. */
void cli_print_db_error(const char *who, const struct db_error *err);
/* The exit code for a database error: 1 for rejected data (class 22/23),
 * 3 for conflicts (40001, and LK409: taken by someone else), else 2. */
int cli_exit_for(const struct db_error *err);
/* Both: print err as cli_print_db_error does and return its exit code. */
int cli_db_failed(const char *who, const struct db_error *err);

#endif
