/* session.c: load the advisor row of the current role. */
#include "config.h"

#include "model/session.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

bool
session_load(struct db *db, struct session *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	struct db_result *r = NULL;
	if (!db_query(db,
	              "SELECT current_user, a.display_name, a.organisation, o.name, a.region, "
	              "       array_to_string(a.roles, ','), a.active "
	              "FROM (SELECT 1) AS one "
	              "LEFT JOIN loket.advisor a ON a.role_name = current_user "
	              "LEFT JOIN loket.organisation o ON o.code = a.organisation",
	              0, NULL, &r, err))
		return false;
	out->role = xstrdup(db_result_get(r, 0, 0));
	const char *name = db_result_get(r, 0, 1);
	out->display_name = xstrdup(name ? name : out->role);
	out->organisation = dup_or_null(db_result_get(r, 0, 2));
	out->org_name = dup_or_null(db_result_get(r, 0, 3));
	out->region = dup_or_null(db_result_get(r, 0, 4));
	out->roles = xstrdup(db_result_get(r, 0, 5) ? db_result_get(r, 0, 5) : "");
	const char *active = db_result_get(r, 0, 6);
	out->is_advisor = active && strcmp(active, "t") == 0;
	db_result_free(&r);
	/* The cluster's system identifier (pg_control_system() is executable by
	 * everyone unless an administrator revoked it) and the database's name:
	 * what a draft belongs to besides its role. */
	struct db_error ignored = {0};
	if (db_query(db,
	             "SELECT system_identifier::text || '/' || current_database() "
	             "FROM pg_control_system()",
	             0, NULL, &r, &ignored) ||
	    db_query(db, "SELECT '?/' || current_database()", 0, NULL, &r, err))
		out->database = xstrdup(db_result_get(r, 0, 0));
	db_error_clear(&ignored);
	db_result_free(&r);
	if (!out->database) {
		session_free(out);
		return false;
	}
	return true;
}

void
session_free(struct session *s)
{
	free(s->role);
	free(s->display_name);
	free(s->organisation);
	free(s->org_name);
	free(s->region);
	free(s->roles);
	free(s->database);
	memset(s, 0, sizeof *s);
}

bool
session_has_role(const struct session *s, const char *role)
{
	size_t n = strlen(role);
	for (const char *p = s->roles; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, role, n) == 0)
			return true;
		p = end ? end + 1 : p + len;
	}
	return false;
}
