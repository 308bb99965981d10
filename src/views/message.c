/* message.c: the one-line message views leave for the status bar. */
#include "config.h"

#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
view_message(struct view_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	free(ctx->message);
	ctx->message = text;
}

void
view_db_error(struct view_ctx *ctx, const struct db_error *err)
{
	if (db_error_is_connection(err))
		view_message(ctx, _("Connection lost: %s"), err->message ? err->message : "");
	else
		view_message(ctx, _("Database error: %s"), err->message ? err->message : "");
}

void
view_time(const char *iso, char *out, size_t size)
{
	if (iso && strlen(iso) >= 16 && iso[4] == '-' && iso[7] == '-')
		snprintf(out, size, "%.2s-%.2s-%.4s %.5s", iso + 8, iso + 5, iso, iso + 11);
	else
		snprintf(out, size, "%s", iso ? iso : "");
}

const char *
view_status_label(const char *status)
{
	if (strcmp(status, "open") == 0)
		return _("open");
	if (strcmp(status, "informed") == 0)
		return _("informed");
	if (strcmp(status, "referred") == 0)
		return _("referred");
	if (strcmp(status, "closed") == 0)
		return _("closed");
	return status;
}

const char *
view_referral_status_label(const char *status)
{
	static const struct {
		const char *code, *label;
	} labels[] = {
		{"sent", N_("sent")},
		{"accepted", N_("accepted")},
		{"in_progress", N_("in progress")},
		{"completed", N_("completed")},
		{"returned", N_("returned")},
		{"withdrawn", N_("withdrawn")},
	};
	for (size_t i = 0; status && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(status, labels[i].code) == 0)
			return _(labels[i].label);
	return status ? status : "";
}
