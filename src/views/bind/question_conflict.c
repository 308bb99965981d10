/* question_conflict.c: changing a question someone else saved first.  The
 * conflict screen shows, per field, what it was, what it is now and what
 * was typed; r reapplies yours on the version as it is now, d drops it. */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/question.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/bind/bind.h"
#include "views/bind/question.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who changed the question last, and when (owned; NULL when nobody). */
static void
last_change(const struct question_detail *d, char **who, char **when)
{
	*who = *when = NULL;
	for (int i = d->nevents - 1; i >= 0 && !*who; i--)
		if (strcmp(d->events[i].kind, "updated") == 0) {
			*who = xstrdup(d->events[i].actor);
			char t[32];
			view_time(d->events[i].at, t, sizeof t);
			*when = xstrdup(t);
		}
}

bool
bind_question_current(struct view_ctx *ctx, int number, struct form_values *out, int *version,
                      char **id, char **who, char **when)
{
	struct question_detail d;
	struct db_error err = {0};
	if (!question_load(ctx->db, number, &d, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return false;
	}
	form_values_clear(out);
	const struct question_row *r = &d.row;
	form_values_set(out, "channel", r->channel);
	form_values_set(out, "client_group", r->client_group);
	form_values_set(out, "topic", r->topic);
	form_values_set(out, "text", r->text);
	form_values_set(out, "postcode4", r->postcode4 ? r->postcode4 : "");
	char **keys = NULL, **values = NULL;
	int n = 0;
	if (question_extra(ctx->db, r->id, &keys, &values, &n, &err)) {
		for (int i = 0; i < n; i++)
			if (keys[i][0] != '_')
				form_values_set(out, keys[i], values[i]);
		question_extra_free(keys, values, n);
	}
	db_error_clear(&err);
	*version = r->version;
	if (id)
		*id = xstrdup(r->id);
	if (who && when)
		last_change(&d, who, when);
	question_detail_free(&d);
	return true;
}

/* The question as it is now, kept aside: its values, and "_version". */
static const char *
now_value(struct form_state *s, const char *name)
{
	const char *now = form_values_get(fv_aside(s), name);
	return now ? now : "";
}

static const char *
base_value(struct form_state *s, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "_base.%s", name);
	return fv_value(s, key);
}

int
bind_question_conflict(struct form_state *s, struct view_ctx *ctx)
{
	const struct form_def *def = fv_def(s);
	int number = atoi(fv_value(s, "_edit.number")), version = 0;
	struct conflict_info info = {.number = number};
	if (!bind_question_current(ctx, number, fv_aside(s), &version, NULL, &info.changed_by,
	                           &info.changed_at))
		return VIEW_REDRAW;
	char v[16];
	snprintf(v, sizeof v, "%d", version);
	form_values_set(fv_aside(s), "_version", v);
	int n = def->nfields;
	info.label = xcalloc((size_t)n + 1, sizeof *info.label);
	info.base = xcalloc((size_t)n + 1, sizeof *info.base);
	info.now = xcalloc((size_t)n + 1, sizeof *info.now);
	info.mine = xcalloc((size_t)n + 1, sizeof *info.mine);
	for (int i = 0; i < n; i++) {
		const char *name = def->fields[i].name;
		const char *base = base_value(s, name), *mine = fv_value(s, name);
		const char *now = now_value(s, name);
		if (strcmp(base, now) == 0 && strcmp(base, mine) == 0)
			continue; /* nobody changed it */
		info.label[info.n] = xstrdup(def->fields[i].label);
		info.base[info.n] = fv_shown(s, i, base);
		info.now[info.n] = fv_shown(s, i, now);
		info.mine[info.n] = fv_shown(s, i, mine);
		info.n++;
	}
	return view_go(ctx, nav_view(view_conflict_new(&info)));
}

/* r: theirs where you changed nothing, yours elsewhere, saved on the
 * version as it is now. */
static int
reapply(struct form_state *s, struct view_ctx *ctx)
{
	const struct form_def *def = fv_def(s);
	for (int i = 0; i < def->nfields; i++) {
		const char *name = def->fields[i].name;
		char base_key[96];
		snprintf(base_key, sizeof base_key, "_base.%s", name);
		const char *now = now_value(s, name);
		if (strcmp(fv_value(s, base_key), fv_value(s, name)) == 0)
			fv_set(s, name, now); /* you left it: theirs */
		fv_set(s, base_key, now);
	}
	fv_set(s, "_edit.version", now_value(s, "_version"));
	fv_journal(s, ctx);
	return fv_save(s, ctx);
}

int
bind_question_answer(struct form_state *s, struct view_ctx *ctx, const struct nav_answer *answer)
{
	switch (answer->choice) {
	case 0:
		return 0;
	case 'd':
		fv_forget_draft(s, fv_id(s));
		view_message(ctx, "%s", _("Your change was dropped; the question is shown as it is now."));
		ctx->stale = STALE_IN_PLACE;
		return VIEW_BACK;
	case 'r':
		return reapply(s, ctx);
	default:
		view_message(ctx, "%s", _("Your change is kept: F10 saves it, Esc leaves it."));
		return 0;
	}
}
