/* session.c: load the advisor row of the current role. */
#include "config.h"

#include "model/session.h"
#include "model/report.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The columns of session_load's first statement, in order. */
static const struct db_field session_fields[] = {
	DB_TEXT(struct session, role),
	DB_TEXT(struct session, display_name),
	DB_TEXT_OR_NULL(struct session, organisation),
	DB_TEXT_OR_NULL(struct session, org_name),
	DB_TEXT_OR_NULL(struct session, region),
	DB_TEXT(struct session, roles),
	DB_BOOL(struct session, is_advisor),
	DB_BOOL(struct session, is_national),
};

bool
session_load(struct db *db, struct session *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	if (!db_query_row(db,
	                  "SELECT current_user, coalesce(a.display_name, current_user::text), "
	                  "       a.organisation, o.name, a.region, array_to_string(a.roles, ','), "
	                  "       a.active, " REPORT_NATIONAL_SQL " "
	                  "FROM (SELECT 1) AS one "
	                  "LEFT JOIN loket.advisor a ON a.role_name = current_user "
	                  "LEFT JOIN loket.organisation o ON o.code = a.organisation",
	                  0, NULL, session_fields, DB_NFIELDS(session_fields), out, NULL, err))
		return false;
	/* The cluster's system identifier (pg_control_system() is executable by
	 * everyone unless an administrator revoked it) and the database's name:
	 * what a draft belongs to besides its role. */
	struct db_error ignored = {0};
	if (!db_query_value(db,
	                    "SELECT system_identifier::text || '/' || current_database() "
	                    "FROM pg_control_system()",
	                    0, NULL, DB_T_TEXT, &out->database, NULL, &ignored))
		db_query_value(db, "SELECT '?/' || current_database()", 0, NULL, DB_T_TEXT,
		               &out->database, NULL, err);
	db_error_clear(&ignored);
	if (!out->database) {
		session_free(out);
		return false;
	}
	return true;
}

void
session_free(struct session *s)
{
	db_fields_free(session_fields, DB_NFIELDS(session_fields), s);
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
