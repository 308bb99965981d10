/* session.h: who is logged in — the advisor row of current_user. */
#ifndef LOKET_MODEL_SESSION_H
#define LOKET_MODEL_SESSION_H

#include <stdbool.h>

#include "db/db.h"

struct session {
	char *role;         /* current_user */
	char *display_name; /* from advisor, or the role name */
	char *organisation; /* code, NULL for region-wide roles */
	char *org_name;
	char *region;
	char *roles; /* e.g. "advisor,central" */
	char *database; /* which database: "system identifier/database name" */
	bool is_advisor; /* has a row in advisor and is active */
	bool is_national; /* a national analyst (doc/national.md): reports only */
};

/* Load the session of the current role.  A role without an advisor row loads
 * with is_advisor false.  Returns false with err set on database errors. */
bool session_load(struct db *db, struct session *out, struct db_error *err);
void session_free(struct session *s);
/* True when the session's advisor has role (a word of `roles`: advisor,
 * central, supervisor, editor). */
bool session_has_role(const struct session *s, const char *role);

#endif
