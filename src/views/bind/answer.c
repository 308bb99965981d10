/* answer.c: `binds referral-outcome` (forms/outcome.form) and `binds
 * referral-return` (forms/return.form): the central point's answer to a
 * referral, completed with an outcome or returned with a reason.  Only on
 * the version that was read; when someone changed the referral meanwhile
 * the form stays, says what it is now, and F10 applies the answer to that
 * version (Esc drops it). */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/referral_flow.h"
#include "util/i18n.h"
#include "views/bind/bind.h"

#include <stdio.h>
#include <stdlib.h>

/* The referral the form answers; false (said) when there is none. */
static bool
answered(struct form_state *s, struct view_ctx *ctx, struct referral_ref *ref)
{
	*ref = (struct referral_ref){0};
	snprintf(ref->id, sizeof ref->id, "%s", fv_value(s, "_referral.id"));
	ref->version = atoi(fv_value(s, "_referral.version"));
	ref->number = atoi(fv_value(s, "_number"));
	if (!ref->id[0])
		view_message(ctx, "%s", _("Choose a referral in the inbox first."));
	return ref->id[0] != '\0';
}

static enum bind_status
outcome_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	struct referral_ref ref;
	if (!answered(s, ctx, &ref))
		return BIND_KEPT;
	const char *note = *fv_value(s, "outcome_note") ? fv_value(s, "outcome_note") : NULL;
	return referral_set_status(ctx->db, &ref, "completed", fv_value(s, "outcome"), note, NULL,
	                           err)
	               ? BIND_SAVED
	               : BIND_FAILED;
}

static enum bind_status
return_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	struct referral_ref ref;
	if (!answered(s, ctx, &ref))
		return BIND_KEPT;
	return referral_set_status(ctx->db, &ref, "returned", NULL, NULL,
	                           fv_value(s, "return_reason"), err)
	               ? BIND_SAVED
	               : BIND_FAILED;
}

static int
outcome_after_save(struct form_state *s, struct view_ctx *ctx)
{
	view_message(ctx, _("Question %d: completed; the sender sees the outcome."),
	             atoi(fv_value(s, "_number")));
	return 0;
}

static int
return_after_save(struct form_state *s, struct view_ctx *ctx)
{
	view_message(ctx, _("Question %d: returned to the sender."), atoi(fv_value(s, "_number")));
	return 0;
}

/* Changed meanwhile: the answer goes on the version it has now, at the
 * next F10. */
static int
changed(struct form_state *s, struct view_ctx *ctx)
{
	struct referral_ref now;
	struct db_error err = {0};
	if (referral_find(ctx->db, fv_value(s, "_referral.id"), &now, &err)) {
		char version[16];
		snprintf(version, sizeof version, "%d", now.version);
		fv_set(s, "_referral.version", version);
		fv_journal(s, ctx);
		view_message(ctx,
		             _("Changed meanwhile by someone else: the referral is now %s. F10 "
		               "applies your answer to it, Esc drops your answer."),
		             view_referral_status_label(now.status));
	} else {
		view_db_error(ctx, &err);
	}
	db_error_clear(&err);
	return VIEW_REDRAW;
}

const struct form_binding bind_referral_outcome = {
	.name = "referral-outcome",
	.save = outcome_save,
	.after_save = outcome_after_save,
	.conflict = changed,
};

const struct form_binding bind_referral_return = {
	.name = "referral-return",
	.save = return_save,
	.after_save = return_after_save,
	.conflict = changed,
};
