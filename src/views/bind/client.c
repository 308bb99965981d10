/* client.c: `binds client` (forms/client.form).  The client's contact
 * details after a referral with consent: stored in one transaction with
 * the referral the form carries (bind/referral.c).  Esc goes back to the
 * referral form, where consent can be taken away. */
#include "config.h"

#include "form/form.h"
#include "model/referral.h"
#include "util/i18n.h"
#include "views/bind/bind.h"

#include <stdio.h>
#include <string.h>

static enum bind_status
client_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	if (strcmp(fv_value(s, "consent_at"), "ja") != 0) {
		view_message(ctx, "%s",
		             _("Without the client's consent no contact details are stored: choose ja, "
		               "or Esc."));
		return BIND_KEPT;
	}
	if (!*fv_value(s, "name") || (!*fv_value(s, "phone") && !*fv_value(s, "email"))) {
		view_message(ctx, "%s", _("Give the client's name and a phone number or e-mail address."));
		return BIND_KEPT;
	}
	struct client_new c = {.question_id = fv_value(s, "_question"), .name = fv_value(s, "name"),
	                       .email = fv_value(s, "email"), .phone = fv_value(s, "phone"),
	                       .company_name = fv_value(s, "company_name"),
	                       .kvk_number = fv_value(s, "kvk_number")};
	return bind_referral_store(s, ctx, "_referral.", &c, err);
}

/* The referral's draft is done too. */
static int
client_after_save(struct form_state *s, struct view_ctx *ctx)
{
	fv_forget_draft(s, fv_value(s, "_referral.draft"));
	view_message(ctx, _("Question %s referred, with the client's contact details."),
	             fv_value(s, "_number"));
	return 0;
}

/* Leaving goes back to the referral form as it was (its draft is still on
 * disk): nothing is left behind half-done. */
static int
client_leave(struct form_state *s, struct view_ctx *ctx)
{
	const char *referral = fv_value(s, "_referral.draft");
	if (!*referral || !fv_has_drafts(s))
		return 0;
	struct nav back = nav_form("referral", "", 0);
	snprintf(back.form.draft, sizeof back.form.draft, "%s", referral);
	view_message(ctx, "%s",
	             _("Back to the referral: without consent it goes without personal data."));
	return view_go(ctx, back);
}

const struct form_binding bind_client = {
	.name = "client",
	.save = client_save,
	.after_save = client_after_save,
	.leave = client_leave,
};
