/* refusal.h: what the database's refusals mean to the person who typed.
 *
 * Every CHECK, foreign key and NOT NULL constraint on a column that a form
 * or a subcommand writes has an entry here: the column (which is also the
 * name of the form field that fills it) and an English message id that says
 * what to do, translated with _().  The form view puts the cursor on that
 * field and shows "Label: message"; the CLI prints the message.  A new
 * constraint gets its entry here (doc/forms.md says how); refusal_find also
 * understands the usual names PostgreSQL gives (TABLE_COLUMN_fkey,
 * TABLE_COLUMN_check, TABLE_COLUMN_clean of sql/022) for the tables below. */
#ifndef LOKET_MODEL_REFUSAL_H
#define LOKET_MODEL_REFUSAL_H

#include <stdbool.h>

#include "db/db.h"

struct refusal {
	char column[48];      /* the column and form field, or "" when not one field */
	const char *message;  /* English message id: translate with _() */
};

/* What the error means, when it is a refusal of a value (SQLSTATE class 22
 * or 23, or an error raised with a known constraint); false otherwise. */
bool refusal_find(const struct db_error *err, struct refusal *out);

#endif
