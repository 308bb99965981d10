/* kb.h: knowledge editing (role editor) — the items of the region, their
 * immutable versions, saving a new version, the review queue, retiring, and
 * moving the knowledge between regions as JSON (built and parsed by
 * PostgreSQL). */
#ifndef LOKET_MODEL_KB_H
#define LOKET_MODEL_KB_H

#include <stdbool.h>

#include "db/db.h"

struct kb_item {
	char *item_id;
	char *slug;
	int version_no;
	char *title;
	char *review_by; /* dd-mm-yyyy */
	int days_left;   /* until the review date; negative when past it */
	bool retired;
	char *updated_by;
};

struct kb_items {
	struct kb_item *items;
	int count;
};

/* The region's items, current version each.  review_days < 0: all live
 * items (and retired ones too when with_retired); review_days >= 0: the
 * review queue, live items past or within review_days of their date, the
 * most overdue first. */
bool kb_list(struct db *db, bool with_retired, int review_days, struct kb_items *out,
             struct db_error *err);
void kb_items_free(struct kb_items *l);

/* One version's content; also what an editor fills in. */
struct kb_version {
	char *item_id;     /* NULL for a new item */
	char *slug;
	int version_no;    /* 0 for a new item */
	char *title;
	char *tell_client;
	char *body;
	char *audience;    /* client group codes, comma-separated ("" = everyone) */
	char *topics;      /* topic codes, comma-separated */
	char *link;        /* "" = none */
	char *valid_from;  /* yyyy-mm-dd */
	char *review_by;   /* yyyy-mm-dd */
	char *created_by;
	char *created_at;  /* dd-mm-yyyy hh:mm */
	bool retired;
};

struct kb_versions {
	struct kb_version *items; /* newest first */
	int count;
};

bool kb_versions(struct db *db, const char *item_id, struct kb_versions *out,
                 struct db_error *err);
/* The item with this short name in the caller's region (all versions). */
bool kb_versions_by_slug(struct db *db, const char *slug, struct kb_versions *out,
                         struct db_error *err);
void kb_versions_free(struct kb_versions *v);
void kb_version_free(struct kb_version *v);
void kb_version_copy(struct kb_version *to, const struct kb_version *from);

/* The difference from version a to version b, field by field and word by
 * word ([-removed-] {+added+}), under a line naming both versions; only the
 * fields that differ.  Translated labels; not sanitised (new string). */
char *kb_version_diff(const struct kb_version *a, const struct kb_version *b);

/* Save v as a new version of v->item_id (based on v->version_no; a newer
 * version saved meanwhile fails with SQLSTATE 40001, hint LK409), or as a
 * new item with v->slug.  *created is false when nothing changed.  Sets
 * v->item_id and v->version_no to what was saved. */
bool kb_save(struct db *db, struct kb_version *v, bool *created, struct db_error *err);
bool kb_retire(struct db *db, const char *item_id, bool retire, struct db_error *err);

/* The region's knowledge as a JSON document (pretty-printed; new string). */
bool kb_export(struct db *db, char **json, struct db_error *err);

struct kb_import_line {
	char *slug;
	char *action; /* created, updated, unchanged, retired */
	int version_no;
};

struct kb_import_result {
	struct kb_import_line *items;
	int count;
};

/* Import a kb_export document: all or nothing (see sql/018). */
bool kb_import(struct db *db, const char *json, struct kb_import_result *out,
               struct db_error *err);
void kb_import_result_free(struct kb_import_result *r);

#endif
