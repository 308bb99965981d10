/* question.c: `binds question` (forms/intake.form).  A new question, or a
 * change to one (the form opened with nav_form.edit): fields named after
 * a column of `question` go there, every other field into question.extra.
 * A change is stored only on the version it started from; otherwise the
 * conflict screen (bind/question_conflict.c). */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "input/keys.h"
#include "model/question.h"
#include "util/i18n.h"
#include "util/validate.h"
#include "util/xalloc.h"
#include "views/bind/bind.h"
#include "views/bind/question.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const question_columns[] = {"channel", "client_group", "topic", "text",
                                               "postcode4"};

static bool
is_column(const char *name)
{
	if (name[0] == '_') /* loket's own */
		return true;
	for (size_t c = 0; c < sizeof question_columns / sizeof question_columns[0]; c++)
		if (strcmp(question_columns[c], name) == 0)
			return true;
	return false;
}

/* The form's values as a question: the columns, and every other value
 * (a field, or one the question had in extra) in question.extra. */
static void
q_from(struct form_state *s, struct question_new *q, char pc[5],
              const char *keys[QUESTION_MAX_EXTRA], const char *values[QUESTION_MAX_EXTRA])
{
	const struct form_values *v = fv_values(s);
	pc[0] = '\0';
	const char *postcode = fv_value(s, "postcode4");
	if (*postcode && !postcode_to4(postcode, pc))
		pc[0] = '\0';
	int nextra = 0;
	for (int i = 0; i < v->n && nextra < QUESTION_MAX_EXTRA; i++)
		if (!is_column(v->names[i]) && v->values[i][0]) {
			keys[nextra] = v->names[i];
			values[nextra++] = v->values[i];
		}
	memset(q, 0, sizeof *q);
	q->channel = fv_value(s, "channel");
	q->client_group = fv_value(s, "client_group");
	q->topic = fv_value(s, "topic");
	q->text = fv_value(s, "text");
	q->postcode4 = pc[0] ? pc : NULL;
	q->extra_keys = keys;
	q->extra_values = values;
	q->nextra = nextra;
}

/* Contact details typed into the question's text belong with the client's
 * consent (a referral with consent, and its contact form): the first F10
 * says so and keeps the form; the next saves as it is (a company's number
 * can be fine: a warning, not a rule).  Ctrl-O moves them (q_key). */
static bool
contact_warned(struct form_state *s, struct view_ctx *ctx)
{
	if (!text_has_contact(fv_value(s, "text")) || strcmp(fv_value(s, "_warned.contact"), "1") == 0)
		return false;
	fv_set(s, "_warned.contact", "1");
	view_message(ctx, "%s",
	             _("Contact details in the text? Ctrl-O: to the contact form. F10: save anyway."));
	return true;
}

/* Ctrl-O (or F6): the text's first e-mail address and phone number move to
 * the contact form (one of each fits there): the text keeps a marker where
 * they were, the form keeps them as _move.* (in its draft, so a crash loses
 * nothing), and after the save the referral with consent comes next, its
 * contact form filled in with them (q_after_save). */
/* In the stored text, not the reader's language (as the purge's markers):
 * colleagues read it in Dutch whatever language the mover's screen had. */
#define CONTACT_MARKER "[contactgegevens]"

static int
q_key(struct form_state *s, struct view_ctx *ctx, int key)
{
	if (key != CTRL_KEY('o') && key != KEY_F(6))
		return 0;
	fv_sync(s);
	bool has = false;
	struct db_error err = {0};
	if (*fv_value(s, "_edit.id") &&
	    (!question_has_contact(ctx->db, fv_value(s, "_edit.id"), &has, &err) || has)) {
		if (has) {
			view_message(ctx, "%s",
			             _("This question has contact details or an open referral already: "
			               "nothing moved."));
			fv_set(s, "_warned.contact", "1"); /* F10 saves, without the hint again */
		}
		else
			view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_HANDLED;
	}
	unsigned what = (*fv_value(s, "_move.email") ? 0 : TAKE_EMAIL) |
	                (*fv_value(s, "_move.phone") ? 0 : TAKE_PHONE);
	struct contact_taken c;
	if (!what || !text_take_contact(fv_value(s, "text"), CONTACT_MARKER, what, &c)) {
		view_message(ctx, "%s",
		             what ? _("The text holds no e-mail address or phone number to move.")
		                  : _("An e-mail address and a phone number were moved already."));
		return VIEW_HANDLED;
	}
	if (c.email)
		fv_set(s, "_move.email", c.email);
	if (c.phone) {
		char *tidy = phone_tidy(c.phone);
		fv_set(s, "_move.phone", tidy);
		free(tidy);
	}
	fv_set_text(s, ctx, "text", c.rest);
	const char *what_moved = c.email && c.phone ? _("e-mail and phone")
	                         : c.email           ? _("e-mail")
	                                             : _("phone");
	if (c.more)
		view_message(ctx, _("To the contact form: %s (the text holds more). F10: save."),
		             what_moved);
	else if (*fv_value(s, "_edit.id")) /* a change goes on to the referral itself */
		view_message(ctx, _("To the contact form: %s. F10: save and refer."), what_moved);
	else
		view_message(ctx, _("To the contact form: %s. F10: save, then refer (r)."), what_moved);
	contact_taken_free(&c);
	return VIEW_HANDLED | VIEW_CHANGED;
}

static bool
moved(const struct form_state *s)
{
	return *fv_value(s, "_move.email") || *fv_value(s, "_move.phone");
}

/* A change that changes nothing: every value as it was when the edit began
 * (the "_base.*" values q_start kept); then nothing is stored. */
static bool
unchanged(struct form_state *s)
{
	const struct form_values *v = fv_values(s);
	for (int i = 0; i < v->n; i++) {
		if (v->names[i][0] == '_')
			continue;
		char base_key[96];
		snprintf(base_key, sizeof base_key, "_base.%s", v->names[i]);
		const char *base = form_values_get(v, base_key);
		if (strcmp(base ? base : "", v->values[i]) != 0)
			return false;
	}
	return true;
}

static enum bind_status
q_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	if (contact_warned(s, ctx))
		return BIND_KEPT;
	struct question_new q;
	char pc[5];
	const char *keys[QUESTION_MAX_EXTRA], *values[QUESTION_MAX_EXTRA];
	q_from(s, &q, pc, keys, values);
	int number = 0;
	bool ok;
	if (*fv_value(s, "_edit.id") && !moved(s) && unchanged(s)) {
		form_values_set(fv_aside(s), "unchanged", "1"); /* nothing to store */
		ok = true;
	} else if (*fv_value(s, "_edit.id")) {
		snprintf(q.id, sizeof q.id, "%s", fv_value(s, "_edit.id"));
		int version = atoi(fv_value(s, "_edit.version"));
		ok = moved(s) ? question_update_moved(ctx->db, &q, &version,
		                                      *fv_value(s, "_move.email") ? fv_value(s, "_move.email") : NULL,
		                                      *fv_value(s, "_move.phone") ? fv_value(s, "_move.phone") : NULL, err)
		              : question_update(ctx->db, &q, &version, err);
	} else {
		snprintf(q.id, sizeof q.id, "%s", fv_id(s)); /* drafts hold uuids */
		ok = question_add(ctx->db, &q, &number, err);
	}
	char n[16];
	snprintf(n, sizeof n, "%d", number);
	form_values_set(fv_aside(s), "number", n);
	return ok ? BIND_SAVED : BIND_FAILED;
}

/* After Ctrl-O: what the referral with consent takes over, for its
 * contact form (bind/referral.c). */
static struct form_values *
moved_carry(struct form_state *s)
{
	struct form_values *carry = xcalloc(1, sizeof *carry);
	form_values_set(carry, "consent_contact", "ja");
	form_values_set(carry, "_client.email", fv_value(s, "_move.email"));
	form_values_set(carry, "_client.phone", fv_value(s, "_move.phone"));
	return carry;
}

static int
to_referral(struct form_state *s, struct view_ctx *ctx, const char *id, int number)
{
	struct nav next = nav_form("referral", id, number);
	next.form.carry = moved_carry(s);
	return view_go(ctx, next);
}

/* A change goes back to where it came from (after Ctrl-O: on to the
 * referral); a new question goes on to the first-line information for it
 * (after Ctrl-O its r takes the moved details to the referral's contact
 * form), and the list shows it on top. */
static int
q_after_save(struct form_state *s, struct view_ctx *ctx)
{
	if (*fv_value(s, "_edit.id") && form_values_get(fv_aside(s), "unchanged")) {
		view_message(ctx, _("Question %s: nothing changed."), fv_value(s, "_edit.number"));
		return 0;
	}
	if (*fv_value(s, "_edit.id")) {
		view_message(ctx, _("Question %s changed."), fv_value(s, "_edit.number"));
		return moved(s) ? to_referral(s, ctx, fv_value(s, "_edit.id"),
		                              atoi(fv_value(s, "_edit.number")))
		                : 0;
	}
	int number = atoi(form_values_get(fv_aside(s), "number"));
	view_message(ctx, _("Question %d registered."), number);
	ctx->stale = STALE_FROM_TOP;
	struct view info = view_info_new(fv_id(s), number, fv_value(s, "topic"), fv_value(s, "text"));
	if (moved(s)) {
		view_info_carry(info, moved_carry(s));
		view_message(ctx, _("Question %d registered. r: refer, with the moved details."), number);
	}
	return view_go(ctx, nav_view(info));
}

/* Changing question `number`: its values, and the same as "_base.*" (what
 * it was when the edit began, for the conflict screen), its id and version. */
static bool
q_start(struct form_state *s, struct view_ctx *ctx, const struct nav_form *f)
{
	if (f->edit <= 0)
		return true;
	struct form_values now = {0};
	int version = 0;
	char *id = NULL;
	if (!bind_question_current(ctx, f->edit, &now, &version, &id, NULL, NULL))
		return false;
	for (int i = 0; i < now.n; i++) {
		char base_key[96];
		snprintf(base_key, sizeof base_key, "_base.%s", now.names[i]);
		fv_set(s, now.names[i], now.values[i]);
		fv_set(s, base_key, now.values[i]);
	}
	char v[16], n[16];
	snprintf(v, sizeof v, "%d", version);
	snprintf(n, sizeof n, "%d", f->edit);
	fv_set(s, "_edit.id", id);
	fv_set(s, "_edit.version", v);
	fv_set(s, "_edit.number", n);
	form_values_clear(&now);
	free(id);
	return true;
}

static char *
q_title(const struct form_state *s)
{
	if (!*fv_value(s, "_edit.number"))
		return NULL;
	return xasprintf(_("Question %s: change"), fv_value(s, "_edit.number"));
}

const struct form_binding bind_question = {
	.name = "question",
	.start = q_start,
	.save = q_save,
	.after_save = q_after_save,
	.conflict = bind_question_conflict,
	.answer = bind_question_answer,
	.title = q_title,
	.key = q_key,
};
