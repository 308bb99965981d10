/* signal.c: `binds signal` (forms/signal.form).  A demand signal: latent
 * demand or a missing offer noticed in a contact.  About a question, it
 * starts with the question's topic and the municipality of its postcode. */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/referral.h"
#include "util/i18n.h"
#include "views/bind/bind.h"

#include <stdlib.h>

/* The field `name`, when the form has it and it is still empty, to v. */
static void
fill(struct form_state *s, const char *name, const char *v)
{
	if (form_field_find(fv_def(s), name) && !*fv_value(s, name))
		fv_set(s, name, v);
}

static bool
signal_start(struct form_state *s, struct view_ctx *ctx, const struct nav_form *f)
{
	(void)f;
	if (!*fv_value(s, "_question"))
		return true;
	char *topic = NULL, *municipality = NULL;
	struct db_error err = {0};
	if (signal_defaults(ctx->db, fv_value(s, "_question"), &topic, &municipality, &err)) {
		fill(s, "topic", topic);
		fill(s, "municipality", municipality);
	}
	free(topic);
	free(municipality);
	db_error_clear(&err);
	return true;
}

static enum bind_status
signal_save(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	struct signal_new sig = {.id = fv_id(s), .question_id = fv_value(s, "_question"),
	                         .kind = fv_value(s, "kind"), .topic = fv_value(s, "topic"),
	                         .sector = fv_value(s, "sector"),
	                         .municipality = fv_value(s, "municipality"),
	                         .text = fv_value(s, "text")};
	return signal_add(ctx->db, &sig, err) ? BIND_SAVED : BIND_FAILED;
}

static int
signal_after_save(struct form_state *s, struct view_ctx *ctx)
{
	(void)s;
	view_message(ctx, "%s", _("Signal logged. Thank you."));
	return 0;
}

const struct form_binding bind_signal = {
	.name = "signal",
	.start = signal_start,
	.save = signal_save,
	.after_save = signal_after_save,
};
