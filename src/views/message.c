/* message.c: the one-line message views leave for the status bar. */
#include "config.h"

#include "db/db.h"
#include "model/history.h"
#include "model/refusal.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/views.h"

#include <limits.h>
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

/* Never the server's own English: a refused value in words, a lost
 * connection as such, anything else with its code. */
void
view_db_error(struct view_ctx *ctx, const struct db_error *err)
{
	struct refusal r;
	if (err->cancelled)
		return; /* a key cancelled a read: it takes effect next, nothing to say */
	if (db_error_is_connection(err))
		view_message(ctx, "%s",
		             _("The connection to the database was lost; loket reconnects by itself."));
	else if (refusal_find(err, &r))
		view_message(ctx, _("Refused: %s."), _(r.message));
	else if (strcmp(err->sqlstate, "42501") == 0)
		view_message(ctx, "%s", _("The database does not allow this for your role."));
	else
		view_message(ctx,
		             _("The database could not do this (error %s). Try again; if it keeps "
		               "happening, tell your administrator."),
		             err->sqlstate[0] ? err->sqlstate : "?");
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
	return label_question_status(status);
}

const char *
view_referral_status_label(const char *status)
{
	return label_referral_status(status);
}

/* A text of max_top + rows lines, scrolled as a pager without a cursor. */
bool
view_scroll(int *top, enum command cmd, int rows, int max_top)
{
	if (cmd == CMD_LAST && max_top < 0)
		return false;
	int page = rows > 1 ? rows : 1;
	struct pager p;
	pager_init_array(&p, (max_top < 0 ? INT_MAX / 2 : max_top) + page, true);
	int from = *top > 0 ? *top : 0;
	pager_show(&p, &from, page);
	bool done = pager_command(&p, cmd, page);
	*top = pager_index(&p) > 0 ? pager_index(&p) : 0;
	pager_clear(&p);
	return done;
}
