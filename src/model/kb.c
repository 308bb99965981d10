/* kb.c: knowledge editing (see kb.h and sql/018_knowledge_editing.sql). */
#include "config.h"

#include "model/kb.h"
#include "util/diff.h"
#include "util/i18n.h"
#include "util/number.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of the item statements of kb_list, in order. */
static const struct db_field item_fields[] = {
	DB_TEXT(struct kb_item, item_id),    DB_TEXT(struct kb_item, slug),
	DB_INT(struct kb_item, version_no),  DB_TEXT(struct kb_item, title),
	DB_TEXT(struct kb_item, review_by),  DB_INT(struct kb_item, days_left),
	DB_BOOL(struct kb_item, retired),    DB_TEXT(struct kb_item, updated_by),
};

/* The columns of versions_query's statement, in order. */
#define V(kind, member) kind(struct kb_version, member)
static const struct db_field version_fields[] = {
	V(DB_TEXT, item_id),     V(DB_TEXT, slug),       V(DB_INT, version_no),
	V(DB_TEXT, title),       V(DB_TEXT, tell_client), V(DB_TEXT, body),
	V(DB_TEXT, audience),    V(DB_TEXT, topics),     V(DB_TEXT, link),
	V(DB_TEXT, valid_from),  V(DB_TEXT, review_by),  V(DB_TEXT, created_by),
	V(DB_TEXT, created_at),  V(DB_BOOL, retired),
};
#undef V

static const struct db_field import_fields[] = {
	DB_TEXT(struct kb_import_line, slug),
	DB_TEXT(struct kb_import_line, action),
	DB_INT(struct kb_import_line, version_no),
};

bool
kb_list(struct db *db, bool with_retired, int review_days, struct kb_items *out,
        struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char days[16];
	snprintf(days, sizeof days, "%d", review_days);
	const char *p[] = {review_days >= 0 ? days : with_retired ? "t" : "f"};
	const char *sql =
		review_days >= 0
			? "SELECT item_id, slug, version_no, title, to_char(review_by, 'DD-MM-YYYY'), "
			  "days_left, false, updated_by FROM loket.kb_review_queue($1::int)"
			: "SELECT item_id, slug, version_no, title, to_char(review_by, 'DD-MM-YYYY'), "
			  "review_by - current_date, retired, updated_by "
			  "FROM loket.kb_items($1::boolean)";
	return DB_QUERY_LIST(db, sql, 1, p, item_fields, out, err);
}

void
kb_items_free(struct kb_items *l)
{
	DB_LIST_FREE(item_fields, l);
}

static bool
versions_query(struct db *db, const char *where, const char *param, struct kb_versions *out,
               struct db_error *err)
{
	memset(out, 0, sizeof *out);
	char *sql = xasprintf(
	    "SELECT i.id, i.slug, v.version_no, v.title, v.tell_client, v.body, "
	    "array_to_string(v.audience, ','), array_to_string(v.topics, ','), "
	    "coalesce(v.link, ''), v.valid_from::text, v.review_by::text, v.created_by, "
	    "to_char(v.created_at, 'DD-MM-YYYY HH24:MI'), i.retired_at IS NOT NULL "
	    "FROM loket.knowledge_item i "
	    "CROSS JOIN LATERAL loket.kb_versions(i.id) v "
	    "WHERE i.region = loket.my_region() AND %s ORDER BY v.version_no DESC",
	    where);
	const char *p[] = {param};
	bool ok = DB_QUERY_LIST(db, sql, 1, p, version_fields, out, err);
	free(sql);
	return ok;
}

bool
kb_versions(struct db *db, const char *item_id, struct kb_versions *out, struct db_error *err)
{
	return versions_query(db, "i.id = $1::bigint", item_id, out, err);
}

bool
kb_versions_by_slug(struct db *db, const char *slug, struct kb_versions *out,
                    struct db_error *err)
{
	return versions_query(db, "i.slug = $1", slug, out, err);
}

void
kb_version_free(struct kb_version *v)
{
	db_fields_free(version_fields, DB_NFIELDS(version_fields), v);
	memset(v, 0, sizeof *v);
}

void
kb_versions_free(struct kb_versions *l)
{
	DB_LIST_FREE(version_fields, l);
}

static char *
dup_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
kb_version_copy(struct kb_version *to, const struct kb_version *f)
{
	to->item_id = dup_null(f->item_id);
	to->slug = dup_null(f->slug);
	to->version_no = f->version_no;
	to->title = dup_null(f->title);
	to->tell_client = dup_null(f->tell_client);
	to->body = dup_null(f->body);
	to->audience = dup_null(f->audience);
	to->topics = dup_null(f->topics);
	to->link = dup_null(f->link);
	to->valid_from = dup_null(f->valid_from);
	to->review_by = dup_null(f->review_by);
	to->created_by = dup_null(f->created_by);
	to->created_at = dup_null(f->created_at);
	to->retired = f->retired;
}

/* One field's difference, when it has one. */
static void
diff_field(struct strbuf *out, const char *label, const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return;
	struct diff d;
	diff_words(a, b, &d);
	char *plain = diff_render_plain(&d);
	strbuf_addf(out, "%s\n%s\n\n", label, plain);
	free(plain);
	diff_free(&d);
}

char *
kb_version_diff(const struct kb_version *a, const struct kb_version *b)
{
	struct strbuf out;
	strbuf_init(&out);
	strbuf_addf(&out, _("Version %d (%s, %s) -> version %d (%s, %s)"), a->version_no,
	            a->created_by, a->created_at, b->version_no, b->created_by, b->created_at);
	strbuf_adds(&out, "\n");
	strbuf_adds(&out, _("[-removed-] {+added+}"));
	strbuf_adds(&out, "\n\n");
	size_t header = out.len;
	diff_field(&out, _("Title:"), a->title, b->title);
	diff_field(&out, _("Tell the client:"), a->tell_client, b->tell_client);
	diff_field(&out, _("Body:"), a->body, b->body);
	diff_field(&out, _("Topics:"), a->topics, b->topics);
	diff_field(&out, _("Audience:"), a->audience, b->audience);
	diff_field(&out, _("Link:"), a->link, b->link);
	/* dates as a person reads them: dd-mm-jjjj */
	char af[16], bf[16], ar[16], br[16];
	diff_field(&out, _("Valid from:"), date_dutch(af, sizeof af, a->valid_from),
	           date_dutch(bf, sizeof bf, b->valid_from));
	diff_field(&out, _("Review by:"), date_dutch(ar, sizeof ar, a->review_by),
	           date_dutch(br, sizeof br, b->review_by));
	if (out.len == header)
		strbuf_adds(&out, _("The two versions have the same content."));
	return strbuf_detach(&out);
}

bool
kb_save(struct db *db, struct kb_version *v, bool *created, struct db_error *err)
{
	char base[16];
	snprintf(base, sizeof base, "%d", v->version_no);
	const char *p[] = {v->item_id, v->item_id ? NULL : v->slug, v->item_id ? base : NULL,
	                   v->title, v->tell_client, v->body, v->audience ? v->audience : "",
	                   v->topics ? v->topics : "", v->link, v->valid_from, v->review_by};
	struct db_result *r = NULL;
	/* Code lists go in as text and are split by PostgreSQL; an empty
	 * element (from "a,,b" or a trailing comma) is dropped. */
	if (!db_query(db,
	              "SELECT item_id, version_no, created FROM loket.kb_save($1::bigint, $2, "
	              "$3::int, $4, $5, $6, "
	              "array_remove(string_to_array(replace($7, ' ', ''), ','), ''), "
	              "array_remove(string_to_array(replace($8, ' ', ''), ','), ''), "
	              "$9, $10::date, $11::date)",
	              11, p, &r, err))
		return false;
	free(v->item_id);
	v->item_id = xstrdup(db_result_get(r, 0, 0));
	v->version_no = atoi(db_result_get(r, 0, 1));
	*created = strcmp(db_result_get(r, 0, 2), "t") == 0;
	db_result_free(&r);
	return true;
}

bool
kb_retire(struct db *db, const char *item_id, bool retire, struct db_error *err)
{
	const char *p[] = {item_id, retire ? "t" : "f"};
	return db_query(db, "SELECT loket.kb_retire($1::bigint, $2::boolean)", 2, p, NULL, err);
}

bool
kb_export(struct db *db, char **json, struct db_error *err)
{
	return db_query_value(db, "SELECT jsonb_pretty(loket.kb_export())", 0, NULL, DB_T_TEXT,
	                      json, NULL, err);
}

bool
kb_import(struct db *db, const char *json, struct kb_import_result *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	const char *p[] = {json};
	return DB_QUERY_LIST(db, "SELECT slug, action, version_no FROM loket.kb_import($1::jsonb)",
	                     1, p, import_fields, out, err);
}

void
kb_import_result_free(struct kb_import_result *r)
{
	DB_LIST_FREE(import_fields, r);
}
