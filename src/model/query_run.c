/* query_run.c: the statements of `loket query`; see query_run.h. */
#include "config.h"

#include "model/query_run.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

char *
query_statement(const struct query *q, bool count)
{
	if (!count)
		return xstrdup("SELECT * FROM loket.query_rows($1::jsonb)");
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, "SELECT ");
	if (q->period)
		strbuf_addf(&b, "to_char(period, 'YYYY-MM-DD') AS %s, ",
		            q->period == QP_WEEK ? "week" : "month");
	for (int i = 0; i < q->ngroup; i++)
		strbuf_addf(&b, "g%d AS \"%s\", ", i + 1, query_field_names[q->group[i]]);
	strbuf_adds(&b, "count FROM loket.query_count($1::jsonb)");
	return strbuf_detach(&b);
}

bool
query_run(struct db *db, const struct query *q, bool count, struct db_table *out,
          struct db_error *err)
{
	char *spec = query_to_json(q, count);
	char *sql = query_statement(q, count);
	const char *params[] = {spec};
	bool ok;
	if (count &&
	    !db_query_for_reader(db, "SELECT loket.supervisor_ask('query', $1::jsonb)", 1, params,
	                         err)) {
		memset(out, 0, sizeof *out);
		ok = false;
	} else {
		ok = db_query_table(db, sql, 1, params, out, err);
	}
	free(sql);
	free(spec);
	return ok;
}

/* The first column of the first row of a statement with at most one
 * parameter: a new string in *value, NULL for no row or SQL NULL. */
static bool
first_value(struct db *db, const char *sql, const char *param, char **value,
            struct db_error *err)
{
	const char *params[] = {param};
	*value = NULL;
	return db_query_value(db, sql, param ? 1 : 0, params, DB_T_TEXT_OR_NULL, value, NULL, err);
}

char *
query_threshold(struct db *db)
{
	char *k = NULL;
	struct db_error err = {0};
	first_value(db,
	            "SELECT suppress_below FROM loket.region "
	            "WHERE code = coalesce(loket.my_region(), '')",
	            NULL, &k, &err);
	db_error_clear(&err);
	return k;
}

bool
query_save(struct db *db, const char *name, const char *expr, bool shared, struct db_error *err)
{
	const char *params[] = {name, expr, shared ? "t" : "f"};
	return db_query(db,
	                "INSERT INTO loket.saved_query (region, name, expr, shared) "
	                "VALUES (loket.my_region(), $1, $2, $3::boolean) "
	                "ON CONFLICT (owner, name) DO UPDATE "
	                "SET expr = EXCLUDED.expr, shared = EXCLUDED.shared, updated_at = now()",
	                3, params, NULL, err);
}

bool
query_saved(struct db *db, const char *name, char **expr, struct db_error *err)
{
	return first_value(db,
	                   "SELECT expr FROM loket.saved_query WHERE name = $1 "
	                   "ORDER BY (owner = current_user) DESC, updated_at DESC LIMIT 1",
	                   name, expr, err);
}

bool
query_saved_list(struct db *db, struct db_table *out, struct db_error *err)
{
	return db_query_table(db,
	                      "SELECT name, CASE WHEN owner = current_user THEN '' "
	                      "ELSE owner::text END AS \"by\", "
	                      "CASE WHEN shared THEN 'shared' ELSE '' END AS shared, expr "
	                      "FROM loket.saved_query ORDER BY name, owner",
	                      0, NULL, out, err);
}

bool
query_supervisor_as(struct db *db, const char *role, char **login, struct db_error *err)
{
	return first_value(db,
	                   "SELECT session_user FROM pg_roles WHERE rolname = $1::name "
	                   "AND NOT rolsuper AND session_user <> $1::name "
	                   "AND pg_has_role($1::name, 'loket_supervisor', 'MEMBER')",
	                   role, login, err);
}
