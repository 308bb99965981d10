/* knowledge.c: `binds knowledge` (forms/knowledge.form).  A knowledge
 * item's new version, for editors; the editor's screen fills the form
 * (carry).  When someone saved a newer version meanwhile, the form stays
 * with what was typed and says so; F10 again saves it on top of that newer
 * version.  Fields by name: doc/forms.md. */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/kb.h"
#include "util/i18n.h"
#include "util/number.h"
#include "util/xalloc.h"
#include "views/bind/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum bind_status
knowledge_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	char from[11], review[11];
	date_iso(from, sizeof from, fv_value(s, "valid_from")); /* the form checked the shape */
	date_iso(review, sizeof review, fv_value(s, "review_by"));
	bool existing = *fv_value(s, "_kb.item") != '\0';
	if (existing && strcmp(fv_value(s, "slug"), fv_value(s, "_kb.slug")) != 0) {
		view_message(ctx, _("The short name of an item cannot change (it is %s)."),
		             fv_value(s, "_kb.slug"));
		return BIND_KEPT;
	}
	struct kb_version v = {
		.item_id = existing ? xstrdup(fv_value(s, "_kb.item")) : NULL,
		.slug = (char *)fv_value(s, "slug"),
		.version_no = atoi(fv_value(s, "_kb.version")),
		.title = (char *)fv_value(s, "title"),
		.tell_client = (char *)fv_value(s, "tell_client"),
		.body = (char *)fv_value(s, "body"),
		.audience = (char *)fv_value(s, "audience"),
		.topics = (char *)fv_value(s, "topics"),
		.link = (char *)fv_value(s, "link"),
		.valid_from = from,
		.review_by = review,
	};
	bool created = false;
	bool ok = kb_save(ctx->db, &v, &created, err);
	if (ok) { /* for after_save */
		char no[16];
		snprintf(no, sizeof no, "%d", v.version_no);
		form_values_set(fv_aside(s), "item", v.item_id);
		form_values_set(fv_aside(s), "version", no);
		form_values_set(fv_aside(s), "created", created ? "ja" : "");
	}
	free(v.item_id);
	return ok ? BIND_SAVED : BIND_FAILED;
}

/* Said, and the editor's list selects what was saved. */
static int
knowledge_after_save(struct form_state *s, struct view_ctx *ctx)
{
	const struct form_values *saved = fv_aside(s);
	if (*form_values_get(saved, "created"))
		view_message(ctx, _("Saved: %s version %d."), fv_value(s, "slug"),
		             atoi(form_values_get(saved, "version")));
	else
		view_message(ctx, "%s", _("Nothing changed: no new version was made."));
	return view_go(ctx, nav_answer(0, form_values_get(saved, "item")));
}

/* Someone saved a newer version: base the next F10 on it. */
static int
newer(struct form_state *s, struct view_ctx *ctx)
{
	struct kb_versions vs;
	struct db_error err = {0};
	int flags = 0;
	if (kb_versions(ctx->db, fv_value(s, "_kb.item"), &vs, &err)) {
		if (vs.count > 0) {
			char no[16];
			snprintf(no, sizeof no, "%d", vs.items[0].version_no);
			fv_set(s, "_kb.version", no);
			view_message(ctx, _("%s saved version %d meanwhile. Press F10 again to save "
			                    "yours on top of it (K, v shows the difference), or Esc."),
			             vs.items[0].created_by, vs.items[0].version_no);
			flags = VIEW_REDRAW;
		}
		kb_versions_free(&vs);
	}
	db_error_clear(&err);
	return flags;
}

const struct form_binding bind_knowledge = {
	.name = "knowledge",
	.save = knowledge_save,
	.after_save = knowledge_after_save,
	.conflict = newer,
};
