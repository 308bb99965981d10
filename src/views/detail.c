/* detail.c: one question, read-only — its fields, the text, the information
 * given, referrals with their outcome, and the history.  Scrolls. */
#include "config.h"

#include "db/db.h"
#include "model/session.h"
#include "model/question.h"
#include "model/referral_flow.h"
#include "model/summary_mail.h"
#include "ui/screen.h"
#include "util/conf.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/views.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct detail_state {
	int number;
	char id[40]; /* the question's uuid, once loaded */
	char **lines; /* raw text blocks; each may wrap over several screen lines */
	bool *heading;
	int nlines;
	int top;   /* first screen line shown */
	int total; /* screen lines at the last width measured */
	bool contact; /* c: the consented contact details are shown */
	int contact_at; /* the block where they are (or "press c"), -1 when none */
	bool confirm_withdraw; /* W once: the next W withdraws the client's consent */
	bool withdrawable;     /* a referral with consent whose details are still there */
};

static void
add(struct detail_state *s, bool heading, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
add(struct detail_state *s, bool heading, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	s->lines = xrealloc(s->lines, (size_t)(s->nlines + 1) * sizeof *s->lines);
	s->heading = xrealloc(s->heading, (size_t)(s->nlines + 1) * sizeof *s->heading);
	s->lines[s->nlines] = text;
	s->heading[s->nlines] = heading;
	s->nlines++;
}

static void
field(struct detail_state *s, const char *label, const char *value)
{
	add(s, false, "%-16s %s", label, value && *value ? value : "–");
}

static void
contact_lines(struct detail_state *s, const struct question_referral *f)
{
	const char *label[] = {_("name:"), _("company:"), _("KvK number:"), _("phone:"),
	                       _("e-mail:")};
	const char *value[] = {f->contact_name, f->contact_company, f->contact_kvk,
	                       f->contact_phone, f->contact_email};
	add(s, false, "    %s", _("contact details (the client consented to pass them on):"));
	for (int i = 0; i < 5; i++)
		if (value[i])
			add(s, false, "      %-10s %s", label[i], value[i]);
}

/* What the sender shared with a referral: urgency, note, and the contact
 * details the client consented to (shown with c), or, without consent and
 * while the referral is open, that the client gets in touch. */
static void
referral_shared(struct detail_state *s, const struct question_referral *f)
{
	if (f->urgency && strcmp(f->urgency, "hoog") == 0)
		add(s, false, "    %s", _("urgency: HIGH"));
	if (f->note)
		add(s, false, _("    note: %s"), f->note);
	bool open = strcmp(f->status, "sent") == 0 || strcmp(f->status, "accepted") == 0 ||
	            strcmp(f->status, "in_progress") == 0;
	if (!f->consent_contact) {
		if (open)
			add(s, false,
			    _("    without consent: the client will get in touch with %s themselves"),
			    f->to_org);
		return;
	}
	bool any = f->contact_name || f->contact_phone || f->contact_email || f->contact_company ||
	           f->contact_kvk;
	if (s->contact_at < 0)
		s->contact_at = s->nlines;
	if (f->consent_withdrawn)
		add(s, false, "    %s", _("contact details: consent withdrawn"));
	else if (f->contact_removed) /* erased on request, or after the retention period */
		add(s, false, "    %s", _("contact details: removed"));
	else if (!s->contact) /* read (and logged) only on c */
		add(s, false, "    %s", _("contact details: press c to show them"));
	else if (!any)
		add(s, false, "    %s", _("contact details: shared, but not visible to you"));
	else
		contact_lines(s, f);
}

static void
build(struct detail_state *s, const struct question_detail *d)
{
	const struct question_row *r = &d->row;
	add(s, true, _("Question %d"), r->number);
	field(s, _("Status:"), view_status_label(r->status));
	char when[32];
	view_time(r->created, when, sizeof when);
	field(s, _("Registered:"), when);
	view_time(d->updated, when, sizeof when);
	field(s, _("Updated:"), when);
	field(s, _("Organisation:"), d->org_name);
	field(s, _("Advisor:"), d->advisor_name);
	field(s, _("Channel:"), d->channel_label);
	field(s, _("Client group:"), d->client_group_label);
	field(s, _("Topic:"), d->topic_label);
	field(s, _("Postcode:"), r->postcode4);
	if (d->extra && strcmp(d->extra, "{}") != 0)
		field(s, _("Extra fields:"), d->extra);
	add(s, false, "%s", "");
	add(s, true, "%s", _("Question text"));
	add(s, false, "%s", r->text);
	add(s, false, "%s", "");
	add(s, true, "%s", _("Information given"));
	if (d->ninfo == 0)
		add(s, false, "  %s", _("none"));
	for (int i = 0; i < d->ninfo; i++) {
		view_time(d->info[i].given_at, when, sizeof when);
		if (d->info[i].version_no == 0) /* an offering of the catalogue */
			add(s, false, _("  %s (training offer), %s by %s"), d->info[i].title, when,
			    d->info[i].given_by);
		else
			add(s, false, _("  %s (version %d), %s by %s"), d->info[i].title,
			    d->info[i].version_no, when, d->info[i].given_by);
	}
	add(s, false, "%s", "");
	add(s, true, "%s", _("Referrals"));
	if (d->nreferrals == 0)
		add(s, false, "  %s", _("none"));
	for (int i = 0; i < d->nreferrals; i++) {
		const struct question_referral *f = &d->referrals[i];
		view_time(f->created, when, sizeof when);
		add(s, false, _("  %s to %s, reason %s, status %s%s%s"), when, f->to_org, f->reason,
		    view_referral_status_label(f->status), f->outcome ? _(", outcome ") : "", f->outcome ? f->outcome : "");
		referral_shared(s, f);
		if (f->accepted_by)
			add(s, false, _("    picked up by %s"), f->accepted_by);
		if (f->target_note)
			add(s, false, _("    progress: %s"), f->target_note);
		if (f->outcome_note)
			add(s, false, _("    outcome: %s"), f->outcome_note);
		if (f->return_reason)
			add(s, false, _("    sent back: %s"), f->return_reason);
	}
	add(s, false, "%s", "");
	add(s, true, "%s", _("History"));
	for (int i = 0; i < d->nevents; i++) {
		view_time(d->events[i].at, when, sizeof when);
		add(s, false, "  %s  %s: %s", when, d->events[i].actor, d->events[i].summary);
	}
}

static void
clear_lines(struct detail_state *s)
{
	s->contact_at = -1;
	for (int i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->heading);
	s->lines = NULL;
	s->heading = NULL;
	s->nlines = 0;
}

static int
measure(const struct detail_state *s, int cols)
{
	int total = 0;
	for (int i = 0; i < s->nlines; i++)
		total += ui_put_wrapped(NULL, 0, 0, cols - 2, s->lines[i], 0, 0);
	return total;
}

static int
detail_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct detail_state *s = state;
	if (ctx->stale && s->nlines > 0) /* changed (an edit, a referral): read it again */
		clear_lines(s);
	if (s->nlines == 0) {
		struct question_detail d;
		struct db_error err = {0};
		if (!question_load(ctx->db, s->number, &d, &err)) {
			if (strcmp(err.sqlstate, "02000") == 0)
				view_message(ctx, _("Question %d does not exist or is not visible to you."),
				             s->number);
			else
				view_db_error(ctx, &err);
			db_error_clear(&err);
			return VIEW_BACK;
		}
		/* the person's details only when asked: each read is logged (sql/035) */
		if (s->contact && !question_load_contact(ctx->db, &d, "screen", &err)) {
			view_db_error(ctx, &err);
			db_error_clear(&err);
			s->contact = false;
		}
		build(s, &d);
		snprintf(s->id, sizeof s->id, "%s", d.row.id);
		s->withdrawable = false;
		for (int i = 0; i < d.nreferrals; i++)
			s->withdrawable = s->withdrawable || (d.referrals[i].consent_contact &&
			                                      !d.referrals[i].contact_removed);
		if (ctx->session->organisation && d.nreferrals > 0) { /* its news is seen now */
			struct db_error seen = {0};
			long unseen = 0;
			if (referral_mark_seen(ctx->db, d.row.id, &unseen, &seen)) {
				ctx->stale = STALE_IN_PLACE; /* the list drops its mark */
				ctx->unseen = unseen;        /* and the status bar its count */
			}
			db_error_clear(&seen);
		}
		question_detail_free(&d);
	}
	s->total = measure(s, area->cols);
	if (s->top > s->total - area->rows)
		s->top = s->total - area->rows > 0 ? s->total - area->rows : 0;
	return VIEW_REDRAW;
}

/* m: the client's summary by e-mail, now; the outcome goes to the status
 * bar and, sent or not, into the history. */
static void
send_summary(struct detail_state *s, struct view_ctx *ctx)
{
	char *error = NULL;
	struct conf *c = NULL;
	struct summary_mail_config m;
	if (!summary_mail_config_load(&c, &m, &error)) {
		view_message(ctx, _("Not sent: %s."), error); /* as every other reason */
		free(error);
		return;
	}
	char *to = NULL, *id = NULL;
	struct db_error err = {0};
	switch (summary_mail_send(ctx->db, &m, s->number, &to, &id, &error, &err)) {
	case MAIL_SENT:
		view_message(ctx, _("Summary sent to %s."), to);
		break;
	case MAIL_NOT_ALLOWED:
	case MAIL_DB_ERROR:
		if (error && !err.message)
			view_message(ctx, _("Not sent: %s."), error);
		else
			view_db_error(ctx, &err);
		break;
	case MAIL_FAILED:
		view_message(ctx, _("Not sent: %s. Press m to try again."), error);
		break;
	}
	free(to), free(id), free(error);
	db_error_clear(&err);
	conf_free(&c);
}

/* After c: the contact details (or what says why there are none) on
 * screen, wherever the question was scrolled to. */
static int
show_contact(struct detail_state *s, const struct view_area *area)
{
	if (s->contact_at < 0)
		return VIEW_REDRAW;
	int from = 0; /* the screen line the block starts at */
	for (int i = 0; i < s->contact_at; i++)
		from += ui_put_wrapped(NULL, 0, 0, area->cols - 2, s->lines[i], 0, 0);
	int to = from + 6; /* its header and up to five details */
	if (from < s->top || to > s->top + area->rows)
		s->top = from > 1 ? from - 1 : 0;
	int max_top = s->total - area->rows > 0 ? s->total - area->rows : 0;
	if (s->top > max_top)
		s->top = max_top;
	return VIEW_REDRAW;
}

/* W, W: the client withdrew consent; the details go now (sql/037). */
static int
withdraw(struct detail_state *s, struct view_ctx *ctx, const struct view_area *area)
{
	if (!s->withdrawable) { /* nothing to ask about */
		view_message(ctx, "%s", _("No contact details with consent to withdraw here."));
		return VIEW_REDRAW;
	}
	if (!s->confirm_withdraw) {
		s->confirm_withdraw = true;
		view_message(ctx, "%s",
		             _("Withdraw consent and remove the contact details now? W again: yes."));
		return VIEW_REDRAW;
	}
	s->confirm_withdraw = false;
	struct db_error err = {0};
	if (!question_withdraw_consent(ctx->db, s->id, &err)) {
		if (strcmp(err.sqlstate, "P0002") == 0)
			view_message(ctx, "%s", _("No contact details with consent to withdraw here."));
		else if (strcmp(err.sqlstate, "23514") == 0)
			view_message(ctx, "%s", _("The client withdrew consent already."));
		else
			view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_REDRAW;
	}
	view_message(ctx, "%s", _("Consent withdrawn: the contact details are removed."));
	s->contact = false;
	clear_lines(s); /* the history has it now */
	return detail_load(s, ctx, area) | VIEW_REDRAW;
}

static int
detail_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct detail_state *s = state;
	if (cmd == CMD_WITHDRAW && s->id[0])
		return withdraw(s, ctx, area);
	if (s->confirm_withdraw) { /* any other key keeps them */
		s->confirm_withdraw = false;
		view_message(ctx, "%s", _("Consent kept."));
	}
	int max_top = s->total - area->rows > 0 ? s->total - area->rows : 0;
	if (view_scroll(&s->top, cmd, area->rows, max_top))
		return VIEW_REDRAW;
	switch (cmd) {
	case CMD_BACK:
		return VIEW_BACK;
	case CMD_EDIT:
		if (!s->id[0])
			return VIEW_HANDLED;
		struct nav edit = nav_form("intake", "", 0);
		edit.form.edit = s->number;
		return view_go(ctx, edit);
	case CMD_REFER:
	case CMD_SIGNAL:
		if (!s->id[0])
			return VIEW_HANDLED;
		return view_go(ctx, nav_form(cmd == CMD_REFER ? "referral" : "signal", s->id, s->number));
	case CMD_CATALOGUE:
		if (!s->id[0])
			return VIEW_HANDLED;
		return view_go(ctx, nav_view(view_aanbod_new(s->id, s->number)));
	case CMD_CONTACT:
		s->contact = !s->contact;
		clear_lines(s);
		return detail_load(s, ctx, area) | show_contact(s, area);
	case CMD_MAIL:
		if (!s->id[0])
			return VIEW_HANDLED;
		send_summary(s, ctx);
		clear_lines(s); /* the history has the attempt now */
		return detail_load(s, ctx, area) | VIEW_REDRAW;
	default:
		return 0;
	}
}

static void
detail_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct detail_state *s = state;
	pager_blank(w, area->y, area->rows);
	int line = 0; /* screen line of the current block's first line */
	for (int i = 0; i < s->nlines && line - s->top < area->rows; i++) {
		int skip = s->top > line ? s->top - line : 0;
		int y = area->y + (line > s->top ? line - s->top : 0);
		int room = area->rows - (y - area->y);
		if (s->heading[i])
			ui_style(w, UI_HEADER, true);
		line += ui_put_wrapped(w, y, 1, area->cols - 2, s->lines[i], skip, room);
		if (s->heading[i])
			ui_style(w, UI_HEADER, false);
	}
}

static void
detail_position(const void *state, char *buf, size_t size)
{
	const struct detail_state *s = state;
	snprintf(buf, size, _("question %d"), s->number);
}

static void
detail_free(void *state)
{
	struct detail_state *s = state;
	clear_lines(s);
	free(s);
}

static const struct view_ops detail_ops = {
	.cancel = CANCEL_LOAD,
	.keys = KEYS_DETAIL,
	.title = N_("Questions of"),
	.load = detail_load,
	.handle = detail_handle,
	.draw = detail_draw,
	.position = detail_position,
	.free = detail_free,
};

struct view
view_detail_new(int number)
{
	struct detail_state *s = xcalloc(1, sizeof *s);
	s->number = number;
	s->contact_at = -1;
	return (struct view){&detail_ops, s};
}
