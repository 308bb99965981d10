/* referral.c: `binds referral` (forms/referral.form).  Handing a question
 * over: without the client's consent it is stored at once, without any
 * personal data; with consent the contact details form (bind/client.c)
 * comes next, and both are stored together when that one saves. */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/referral.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/bind/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum bind_status
bind_referral_store(struct form_state *s, struct view_ctx *ctx, const char *prefix,
                    const struct client_new *client, struct db_error *err)
{
	char id[64], to[64], reason[64], urgency[64], note[64];
	snprintf(id, sizeof id, "%sid", prefix);
	snprintf(to, sizeof to, "%sto_org", prefix);
	snprintf(reason, sizeof reason, "%sreason", prefix);
	snprintf(urgency, sizeof urgency, "%surgency", prefix);
	snprintf(note, sizeof note, "%snote", prefix);
	struct referral_new r = {.id = fv_value(s, id), .question_id = fv_value(s, "_question"),
	                         .to_org = fv_value(s, to), .reason = fv_value(s, reason),
	                         .urgency = fv_value(s, urgency), .note = fv_value(s, note),
	                         .consent_contact = client != NULL};
	return referral_add(ctx->db, &r, client, err) ? BIND_SAVED : BIND_FAILED;
}

/* With consent: on to the contact details, which take the referral along;
 * the referral's draft stays until that form saves. */
static enum bind_status
to_client(struct form_state *s, struct view_ctx *ctx)
{
	struct form_values *carry = xcalloc(1, sizeof *carry);
	form_values_set(carry, "_question", fv_value(s, "_question"));
	form_values_set(carry, "_number", fv_value(s, "_number"));
	form_values_set(carry, "_referral.draft", fv_id(s));
	form_values_set(carry, "_referral.id", fv_id(s));
	/* what the intake form moved out of the question's text (Ctrl-O) */
	form_values_set(carry, "email", fv_value(s, "_client.email"));
	form_values_set(carry, "phone", fv_value(s, "_client.phone"));
	static const char *const keep[] = {"to_org", "reason", "urgency", "note"};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		char key[64];
		snprintf(key, sizeof key, "_referral.%s", keep[i]);
		form_values_set(carry, key, fv_value(s, keep[i]));
	}
	struct nav client = nav_form("client", "", 0);
	client.form.carry = carry;
	struct view next = view_form_new(ctx, &client.form);
	if (!next.ops)
		return BIND_KEPT;
	view_go(ctx, nav_view(next));
	return BIND_NEXT;
}

static enum bind_status
referral_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	if (!*fv_value(s, "_question")) {
		view_message(ctx, "%s", _("Choose a question in the list first, then press r."));
		return BIND_KEPT;
	}
	if (strcmp(fv_value(s, "consent_contact"), "ja") == 0)
		return to_client(s, ctx);
	fv_set(s, "id", fv_id(s));
	return bind_referral_store(s, ctx, "", NULL, err);
}

static int
referral_after_save(struct form_state *s, struct view_ctx *ctx)
{
	(void)s;
	char *central = NULL;
	struct db_error err = {0};
	if (referral_central_name(ctx->db, &central, &err))
		view_message(ctx, _("Referred without personal data: the client contacts %s."),
		             central);
	db_error_clear(&err);
	free(central);
	return 0;
}

/* Esc after the intake form's Ctrl-O: what it moved is stored nowhere
 * without consent, and the advisor is told so. */
static int
referral_leave(struct form_state *s, struct view_ctx *ctx)
{
	if (*fv_value(s, "_client.email") || *fv_value(s, "_client.phone"))
		view_message(ctx, "%s",
		             _("Not referred: what was taken out of the text is not stored."));
	return 0;
}

/* A question referred already, with the referral still open: said when the
 * form opens (a second referral is allowed, but seldom meant). */
static bool
referral_start(struct form_state *s, struct view_ctx *ctx, const struct nav_form *f)
{
	(void)f;
	char *name = NULL;
	struct db_error err = {0};
	if (*fv_value(s, "_question") &&
	    referral_open_to(ctx->db, fv_value(s, "_question"), &name, &err) && *name)
		view_message(ctx, _("Already referred to %s, still open: F10 refers it again."), name);
	db_error_clear(&err);
	free(name);
	return true;
}

const struct form_binding bind_referral = {
	.name = "referral",
	.start = referral_start,
	.save = referral_save,
	.after_save = referral_after_save,
	.leave = referral_leave,
};
