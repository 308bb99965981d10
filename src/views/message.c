/* message.c: the one-line message views leave for the status bar. */
#include "config.h"

#include "model/history.h"
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

void
view_about_question(struct view_ctx *ctx, const char *name, const char *id, int number)
{
	ctx->open_form = name;
	snprintf(ctx->open_question, sizeof ctx->open_question, "%s", id);
	ctx->open_question_number = number;
}

const char *
view_status_label(const char *status)
{
	return label_question_status(status);
}

const char *
view_referral_status_label(const char *status)
{
	return label_referral_status(status);
}
