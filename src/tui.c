/* tui.c: the terminal interface — one poll() loop over the keyboard, the
 * database socket and the signal pipe; a stack of views; the title and status
 * bars.  Handlers change state, then everything is drawn once per turn. */
#include "config.h"

#include "db/db.h"
#include "tui.h"

#include "form/form.h"
#include "model/referral_flow.h"
#include "model/session.h"
#include "shell/prompt.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/trace.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_COLS 40
#define MIN_ROWS 10
#define RETRY_FIRST_MS 1000 /* reconnect after 1 s, 2 s, 4 s, ... */
#define RETRY_MAX_MS 30000
#define PASTE_MAX (1024 * 1024) /* bytes; a paste is cut there, and says so */
#define CTRL_C 3
#define BUSY_MS 300 /* a query that runs longer says so in the status bar */
#define AHEAD_MAX 256 /* keys typed ahead of a slow query, kept in order */

/* What a cancellable query is for: it decides the word in the status bar
 * and what keys typed ahead of it do once it is slow. */
enum wait_kind {
	WAIT_OPEN,   /* a screen opens: keys typed ahead are for it and wait ("laden…") */
	WAIT_MOVE,   /* a list moves: keys typed ahead win ("laden…") */
	WAIT_SEARCH, /* a search: keys typed ahead win ("zoeken…") */
};

struct app {
	struct db *db;
	struct session session;
	struct view_ctx ctx;
	struct view *stack; /* grows: every view pushed is shown */
	int depth, cap;
	bool connected;
	int retry_ms; /* the wait before the next reconnect attempt */
	bool quit;
	int exit_code;
	char prompt_kind; /* ':' or '/' while the prompt is open */
	double key_ms;    /* when the first key not yet on screen was read (LOKET_TRACE) */
	bool pasting;     /* between the marks of a bracketed paste */
	struct strbuf paste; /* what has been pasted so far */
	bool paste_cut;   /* a paste too long to take whole */
	double paste_ms;  /* when the paste began (LOKET_TRACE) */
	bool bell;        /* LOKET_BELL=1: ring when news arrives */
	const char *busy; /* shown in the status bar while a slow query runs */
	bool load_pending; /* VIEW_LOAD: load the top view after the frame */
	bool count_pending; /* count the referral news after the first frame */
	struct key_ahead { int ch; bool is_char; } ahead[AHEAD_MAX];
	int nahead;        /* keys typed before a query became slow, to be read next */
	bool stashed;      /* the keys waiting were set aside for this query */
	int signal;        /* a signal read while a query ran, for the main loop */
	enum wait_kind wait; /* what the queries armed next are for */
	bool impatient;    /* a slow answer was given up for keys; until they are read,
	                    * a list's or a search's query gives way to them at once */
	bool resized;      /* the same for SIGWINCH */
};

static struct view_area
body_area(void)
{
	struct view_area a = {1, LINES - 2, COLS};
	return a;
}

static bool
too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_ROWS;
}

static struct view *
top_view(struct app *app)
{
	return &app->stack[app->depth - 1];
}

static void
push(struct app *app, struct view v)
{
	if (app->depth == app->cap) {
		app->cap = app->cap ? 2 * app->cap : 4;
		app->stack = xrealloc(app->stack, (size_t)app->cap * sizeof *app->stack);
	}
	app->stack[app->depth++] = v;
}

static void
pop(struct app *app)
{
	if (app->depth <= 1)
		return;
	struct view *v = top_view(app);
	v->ops->free(v->state);
	app->depth--;
}

static void apply(struct app *app, int flags);
static void load_top(struct app *app);

/* Whether a key pressed while the queries of what follows run cancels them
 * (the view's `cancel`), and what they are for; returns the setting it
 * replaces, for after. */
static bool
cancellable(struct app *app, enum view_cancel at_least, const struct view *v,
            enum wait_kind kind)
{
	app->wait = kind;
	return db_set_cancellable(app->db, v->ops->cancel >= at_least);
}

/* Load the top view; its queries are for `kind` (a search as you type
 * loads its view to search). */
static void
load_top_for(struct app *app, enum wait_kind kind)
{
	struct view_area area = body_area();
	struct view *v = top_view(app);
	int flags = VIEW_REDRAW;
	if (v->ops->load) {
		bool was = cancellable(app, CANCEL_LOAD, v, kind);
		flags = v->ops->load(v->state, &app->ctx, &area);
		db_set_cancellable(app->db, was);
	}
	apply(app, flags);
}

static void
load_top(struct app *app)
{
	load_top_for(app, WAIT_OPEN);
}

/* Takes over f->carry. */
static void
open_form(struct app *app, struct nav_form *f)
{
	struct view v = view_form_new(&app->ctx, f);
	if (!v.ops)
		return;
	push(app, v);
	load_top(app);
}

/* A view asked for: on top; a `single` view (the central point's inbox) is
 * gone back to when it is open underneath, else opened right above the
 * first screen, so that Esc leads there. */
static void
open_view(struct app *app, struct view v)
{
	int at = -1;
	for (int i = 0; v.ops->single && i < app->depth; i++)
		if (app->stack[i].ops == v.ops)
			at = i;
	if (at >= 0) {
		v.ops->free(v.state);
		while (app->depth > at + 1)
			pop(app);
		app->ctx.stale = STALE_IN_PLACE;
	} else {
		while (v.ops->single && app->depth > 1)
			pop(app);
		push(app, v);
	}
	load_top(app);
}

/* Carry out the request a view made (ctx->nav); what it owns passes on. */
static void
take_nav(struct app *app)
{
	struct nav nav = app->ctx.nav;
	memset(&app->ctx.nav, 0, sizeof app->ctx.nav);
	struct view_area area = body_area();
	struct view *top = top_view(app);
	switch (nav.kind) {
	case NAV_QUESTION:
		push(app, view_detail_new(nav.number));
		load_top(app);
		break;
	case NAV_FORM:
		open_form(app, &nav.form);
		break;
	case NAV_VIEW:
		open_view(app, nav.view);
		nav.kind = NAV_NONE; /* taken */
		break;
	case NAV_ANSWER:
		if (top->ops->answer)
			apply(app, top->ops->answer(top->state, &app->ctx, &nav.answer, &area));
		break;
	case NAV_NONE:
		break;
	}
	nav_clear(&nav);
}

/* Act on what a handler returned. */
/* Which keys the help lists: the screen's, or for a national analyst on
 * the reports, the three reports the national database has. */
static enum keys_context
help_keys(struct app *app)
{
	enum keys_context k = top_view(app)->ops->keys;
	return k == KEYS_REPORT && app->session.is_national ? KEYS_REPORT_NATIONAL : k;
}

static void
apply(struct app *app, int flags)
{
	if (!db_connected(app->db) && app->connected)
		app->connected = false;
	if ((flags & VIEW_QUIT) || ((flags & VIEW_BACK) && app->depth == 1 &&
	                            top_view(app)->ops->back_leaves)) {
		nav_clear(&app->ctx.nav);
		app->quit = true;
		return;
	}
	if (flags & VIEW_LOAD)
		app->load_pending = true;
	if (flags & VIEW_BACK) {
		pop(app);
		load_top(app);
	}
	if (flags & VIEW_NAV)
		take_nav(app);
	else if (flags & VIEW_HELP)
		push(app, view_help_new(help_keys(app)));
}

/* A form left unfinished by a crash, a kill or a dropped SSH session comes
 * back at the next start, for the same role. */
static void
offer_draft(struct app *app)
{
	char *dir = form_draft_dir();
	char **ids = dir ? form_draft_list(dir) : NULL;
	for (char **id = ids; id && *id; id++) {
		struct form_draft d;
		if (!form_draft_read(dir, *id, &d))
			continue;
		bool mine = form_draft_is_for(&d, app->session.role, app->session.database);
		char form[FORM_MAX_NAME + 1];
		snprintf(form, sizeof form, "%s", d.form);
		form_draft_clear(&d);
		if (!mine)
			continue;
		struct nav_form f = {.name = form};
		snprintf(f.draft, sizeof f.draft, "%s", *id);
		open_form(app, &f);
		view_message(&app->ctx, "%s",
		             _("An unfinished form was recovered: F10 saves it, Esc discards it."));
		break;
	}
	form_draft_list_free(ids);
	free(dir);
}

/* The screen a view belongs to: views without a title of their own (help,
 * forms, the conflict screen) are about the screen underneath, and are named
 * after it. */
static const struct view_ops *
base_ops(const struct app *app)
{
	int i = app->depth - 1;
	while (i > 0 && !app->stack[i].ops->title)
		i--;
	return app->stack[i].ops;
}

static void
draw_title(const struct app *app)
{
	const struct view *v = &app->stack[app->depth - 1];
	char pos[64] = "";
	if (v->ops->position)
		v->ops->position(v->state, pos, sizeof pos);
	const struct view_ops *base = base_ops(app);
	const char *what = base->title ? _(base->title) : _("Questions of");
	bool region = base->regional || !app->session.org_name;
	char *left = xasprintf(" loket · %s %s", what,
	                       app->session.is_national ? _("all regions")
	                       : region                 ? _("the region")
	                                                : app->session.org_name);
	int poswidth = (int)strlen(pos) > 0 ? 24 : 0;
	ui_style(stdscr, UI_BAR, true);
	ui_put(stdscr, 0, 0, COLS - poswidth, left);
	if (poswidth)
		ui_put(stdscr, 0, COLS - poswidth, poswidth, pos);
	ui_style(stdscr, UI_BAR, false);
	free(left);
}

/* The key that shows help on the top view, for the status bar: "?" where
 * the keymap applies; F1 where keys type (forms, search as you type); none
 * where the view says so. */
static const char *
help_key(const struct view *v)
{
	if (v->ops->help_key)
		return v->ops->help_key;
	return v->ops->key ? "F1" : "?";
}

/* A message longer than the status bar gets the lines above it, wrapped at
 * words: as many as it needs, up to a third of the screen. */
static void
draw_long_message(const char *msg, int bottom)
{
	int lines = ui_put_wrapped(NULL, 0, 0, COLS - 2, msg, 0, 0);
	int max = LINES / 3 > 1 ? LINES / 3 : 1;
	if (lines > max)
		lines = max;
	for (int y = bottom - lines; y < bottom; y++)
		ui_put(stdscr, y, 0, COLS, "");
	ui_put_wrapped(stdscr, bottom - lines, 1, COLS - 2, msg, 0, lines);
}

static void
draw_status(const struct app *app)
{
	const char *state = app->connected ? _("connected") : _("connection lost, retrying");
	if (app->busy)
		state = app->busy;
	char *who = xasprintf(" %s · %s", app->session.display_name ? app->session.display_name : "",
	                      app->session.org_name  ? app->session.org_name
	                      : app->session.is_national ? _("national")
	                                                 : _("region-wide"));
	char news[64] = "";
	if (app->ctx.unseen > 0)
		snprintf(news, sizeof news, ngettext("%ld update · ", "%ld updates · ", app->ctx.unseen),
		         app->ctx.unseen);
	const char *key = help_key(&app->stack[app->depth - 1]);
	char *tail = key[0] ? xasprintf(" %s%s · %s=%s ", news, state, key, _("help"))
	                    : xasprintf(" %s%s ", news, state);
	int right = text_width(tail);
	if (right > COLS / 2)
		right = COLS / 2;
	int y = LINES - 1;
	const char *msg = app->ctx.message;
	ui_style(stdscr, UI_BAR, true);
	if (msg && text_width(msg) > COLS - right) {
		draw_long_message(msg, y);
		msg = NULL;
	}
	ui_put(stdscr, y, 0, COLS - right, msg ? msg : who);
	ui_style(stdscr, UI_BAR, false);
	enum ui_style look = app->connected ? UI_BAR : UI_WARNING;
	ui_style(stdscr, look, true);
	ui_put(stdscr, y, COLS - right, right, tail);
	ui_style(stdscr, look, false);
	free(tail);
	free(who);
}

/* With LOKET_TRACE: the time from reading a key to the frame it caused. */
static void
traced_key(struct app *app, int ch, bool is_char)
{
	if (!trace_on())
		return;
	if (app->key_ms == 0)
		app->key_ms = trace_now_ms();
	const char *name = is_char ? "char" : keyname(ch);
	trace_event("key", 0, name ? name : "?");
}

static void
traced_frame(struct app *app)
{
	if (app->key_ms == 0 || app->pasting)
		return;
	trace_event("frame", trace_now_ms() - app->key_ms, "");
	app->key_ms = 0;
}

static void
draw(struct app *app)
{
	if (too_small()) {
		erase();
		ui_put(stdscr, 0, 0, COLS, _("Terminal too small"));
	} else {
		const struct view *v = &app->stack[app->depth - 1];
		struct view_area area = body_area();
		draw_title(app);
		v->ops->draw(v->state, stdscr, &area);
		draw_status(app);
	}
	if (prompt_active() && !too_small()) {
		prompt_draw(stdscr, LINES - 1, COLS);
		curs_set(1);
		wnoutrefresh(stdscr);
		doupdate();
		traced_frame(app);
		return;
	}
	wnoutrefresh(stdscr);
	const struct view *top = &app->stack[app->depth - 1];
	if (top->ops->cursor && !too_small()) {
		curs_set(1);
		top->ops->cursor(top->state);
	} else {
		curs_set(0);
	}
	doupdate();
	traced_frame(app);
}

/* Live updates: listen on the organisation's channel; referral triggers
 * notify it with nothing but "look again" (sql/025).  Listening belongs to
 * the session, so again after a reconnect. */
static void
listen_org(struct app *app)
{
	if (!app->session.organisation)
		return;
	struct db_error err = {0};
	bool listening = false;
	if (!referral_listen(app->db, &listening, &err))
		view_db_error(&app->ctx, &err);
	db_error_clear(&err);
}

static void
count_unseen(struct app *app)
{
	if (!app->session.organisation)
		return;
	struct db_error err = {0};
	long n = 0;
	if (referral_unseen_count(app->db, &n, &err))
		app->ctx.unseen = n;
	db_error_clear(&err);
}

/* News arrived: count it, ring if asked, and show it where it is listed. */
static void
on_news(struct app *app)
{
	long before = app->ctx.unseen;
	count_unseen(app);
	if (app->bell && app->ctx.unseen > before)
		beep();
	struct view *v = top_view(app);
	struct view_area area = body_area();
	if (v->ops->news)
		apply(app, v->ops->news(v->state, &app->ctx, &area));
}

/* Knowledge editors get the editing screen under K, others the browser. */
static struct view
knowledge_view(const struct app *app)
{
	return session_has_role(&app->session, "editor") ? view_kb_edit_new() : view_knowledge_new();
}

/* K and :knowledge: the knowledge base, which a national database has not
 * (each region keeps its own). */
static void
open_knowledge(struct app *app)
{
	if (app->session.is_national) {
		view_message(&app->ctx, "%s",
		             _("The national database has no knowledge base: each region keeps its "
		               "own."));
		return;
	}
	open_view(app, knowledge_view(app));
}

/* A signal not tied to a question, from a screen that has none. */
static void
open_signal(struct app *app)
{
	struct nav n = nav_form("signal", "", 0);
	open_form(app, &n.form);
}

static void
try_reconnect(struct app *app)
{
	struct db_error err = {0};
	if (db_reconnect(app->db, &err)) {
		app->connected = true;
		app->retry_ms = RETRY_FIRST_MS;
		view_message(&app->ctx, "%s", _("Connection restored."));
		listen_org(app);
		count_unseen(app);
		load_top(app);
	} else {
		app->retry_ms = app->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : app->retry_ms * 2;
	}
	db_error_clear(&err);
}

/* A command the view on top may take (about its question), else the one
 * of no view: a signal, the catalogue, help. */
static void
view_or(struct app *app, enum command cmd, void (*fallback)(struct app *))
{
	struct view *v = top_view(app);
	struct view_area area = body_area();
	int flags = v->ops->handle ? v->ops->handle(v->state, &app->ctx, cmd, &area) : 0;
	if (flags)
		apply(app, flags);
	else
		fallback(app);
}

static void
open_catalogue(struct app *app)
{
	open_view(app, view_aanbod_new("", 0));
}

static void
open_help(struct app *app)
{
	push(app, view_help_new(help_keys(app)));
}

static void
no_refer(struct app *app)
{
	view_message(&app->ctx, "%s", _("Choose a question in the list first, then press r."));
}

static void
open_inbox(struct app *app)
{
	if (session_has_role(&app->session, "central"))
		open_view(app, view_inbox_new());
	else
		view_message(&app->ctx, "%s",
		             _("The inbox is for the central point; your referrals show in the list."));
}

static void
open_reports(struct app *app)
{
	if (session_has_role(&app->session, "supervisor"))
		open_view(app, view_report_new());
	else
		view_message(&app->ctx, "%s", _("Reports are for supervisors."));
}

static void
go_to(struct app *app, const char *arg)
{
	int number = 0;
	if (sscanf(arg, "%d", &number) == 1 && number > 0) {
		app->ctx.nav = nav_question(number);
		apply(app, VIEW_NAV);
	} else {
		view_message(&app->ctx, "%s", _("Say :goto and a question number, e.g. :goto 12."));
	}
}

static bool
is_word(const char *word, const char *en, const char *nl)
{
	return strcmp(word, en) == 0 || strcmp(word, nl) == 0;
}

/* A ':' command line: new, refer, goto NUMBER, help, quit. */
static void
run_command(struct app *app, const char *line)
{
	while (*line == ' ')
		line++;
	char word[16] = "";
	int n = 0;
	sscanf(line, "%15s %n", word, &n);
	if (is_word(word, "new", "nieuw")) {
		struct nav f = nav_form("intake", "", 0);
		open_form(app, &f.form);
	} else if (is_word(word, "refer", "verwijs")) {
		view_or(app, CMD_REFER, no_refer);
	} else if (is_word(word, "goto", "ga")) {
		go_to(app, line + n);
	} else if (is_word(word, "signal", "signaal")) {
		view_or(app, CMD_SIGNAL, open_signal);
	} else if (is_word(word, "knowledge", "kennis")) {
		open_knowledge(app);
	} else if (is_word(word, "catalogue", "aanbod")) {
		open_catalogue(app);
	} else if (is_word(word, "inbox", "postvak")) {
		open_inbox(app);
	} else if (is_word(word, "help", "hulp")) {
		open_help(app);
	} else if (is_word(word, "quit", "q") || strcmp(word, "stop") == 0) {
		app->quit = true;
	} else if (word[0]) {
		view_message(&app->ctx, _("Unknown command '%s'; try :help."), word);
	}
}

static void
on_prompt_key(struct app *app, int ch, bool is_char)
{
	enum prompt_state st = prompt_key(ch, is_char);
	if (st == PROMPT_EDITING)
		return;
	char kind = app->prompt_kind;
	app->prompt_kind = 0;
	if (st == PROMPT_CANCEL)
		return;
	char *line = prompt_take();
	if (kind == '/') {
		struct view_area area = body_area();
		struct view *first = &app->stack[0];
		if (first->ops->search) { /* a search only reads, whatever the view */
			bool was = cancellable(app, CANCEL_NONE, first, WAIT_SEARCH);
			first->ops->search(first->state, &app->ctx, line, &area);
			db_set_cancellable(app->db, was);
		}
	} else {
		run_command(app, line);
	}
	free(line);
}

/* Every view that keeps something unsaved writes it now (forms: the
 * draft). */
static void
settle(struct app *app)
{
	for (int i = 0; i < app->depth; i++)
		if (app->stack[i].ops->settle)
			app->stack[i].ops->settle(app->stack[i].state, &app->ctx);
}

/* A paste is over: it goes whole to the prompt or the view, which may take
 * it as text; no view runs it as keys. */
static void
on_paste(struct app *app)
{
	free(app->ctx.message);
	app->ctx.message = NULL;
	struct view *v = top_view(app);
	if (prompt_active()) {
		prompt_paste(app->paste.buf, app->paste.len);
	} else if (v->ops->paste && !too_small()) {
		apply(app, v->ops->paste(v->state, &app->ctx, app->paste.buf, app->paste.len));
	} else {
		view_message(&app->ctx, "%s",
		             _("Pasted text is only taken in a form or the command line; nothing was done."));
	}
	if (app->paste_cut && !app->ctx.message)
		view_message(&app->ctx, _("The paste was longer than %d KB; only the first part was taken."),
		             PASTE_MAX / 1024);
	strbuf_reset(&app->paste);
	app->paste_cut = false;
}

/* Between the marks of a paste every key is text. */
static void
paste_key(struct app *app, int ch, bool is_char)
{
	if (!is_char) {
		if (ch == UI_KEY_PASTE_END) {
			app->pasting = false;
			if (trace_on()) { /* the next frame: from the paste's start */
				trace_event("paste", trace_now_ms() - app->paste_ms, "read");
				app->key_ms = app->paste_ms;
			}
			on_paste(app);
		} else if (ch == KEY_ENTER) {
			strbuf_addc(&app->paste, '\n');
		}
		return; /* other keys in a paste are not text */
	}
	char buf[4];
	size_t n = utf8_encode((uint32_t)ch, buf);
	if (n == 0)
		return;
	if (app->paste.len + n > PASTE_MAX) {
		app->paste_cut = true;
		return;
	}
	strbuf_add(&app->paste, buf, n);
}

/* A key outside a paste that is not for the view: the paste marks, Ctrl-C,
 * a resize.  True when it was taken. */
static bool
special_key(struct app *app, int ch, bool is_char)
{
	if (!is_char && ch == UI_KEY_PASTE_BEGIN) {
		if (trace_on())
			app->paste_ms = trace_now_ms();
		app->pasting = true;
		strbuf_reset(&app->paste);
		return true;
	}
	if (!is_char && ch == UI_KEY_PASTE_END)
		return true;
	if (is_char && ch == CTRL_C) {
		/* as documented: a form's draft is written first, then the
		 * terminal is restored and loket exits with 128 + SIGINT */
		settle(app);
		app->quit = true;
		app->exit_code = 130;
		return true;
	}
	if (ch == KEY_RESIZE && !is_char) {
		load_top(app);
		return true;
	}
	return false;
}

/* The commands of no view in particular; true when cmd was one. */
static bool
global_command(struct app *app, enum command cmd)
{
	struct view *v = top_view(app);
	switch (cmd) {
	case CMD_REDRAW:
		clearok(curscr, TRUE);
		return true;
	case CMD_SEARCH:
		if (app->depth > 1 || !v->ops->search)
			return false;
		/* fall through */
	case CMD_COMMAND:
		app->prompt_kind = cmd == CMD_COMMAND ? ':' : '/';
		prompt_open(cmd == CMD_COMMAND ? ":" : "/");
		return true;
	case CMD_KNOWLEDGE:
		open_knowledge(app);
		return true;
	case CMD_CATALOGUE: /* about the question on screen when there is one */
		view_or(app, cmd, open_catalogue);
		return true;
	case CMD_REPORTS:
		open_reports(app);
		return true;
	case CMD_SIGNAL: /* a view with a question says which one */
		view_or(app, cmd, open_signal);
		return true;
	case CMD_HELP: /* help itself takes ? to close */
		view_or(app, cmd, open_help);
		return true;
	default:
		return false;
	}
}

static void
on_key(struct app *app, int ch, bool is_char)
{
	if (app->pasting) {
		paste_key(app, ch, is_char);
		return;
	}
	if (special_key(app, ch, is_char))
		return;
	free(app->ctx.message);
	app->ctx.message = NULL;
	if (prompt_active()) {
		on_prompt_key(app, ch, is_char);
		return;
	}
	if (!app->connected)
		try_reconnect(app);
	struct view *v = top_view(app);
	struct view_area area = body_area();
	int flags;
	if (v->ops->key) {
		bool was = cancellable(app, CANCEL_KEYS, v, WAIT_SEARCH);
		flags = v->ops->key(v->state, &app->ctx, ch, is_char, &area);
		db_set_cancellable(app->db, was);
		apply(app, flags);
		return;
	}
	if (is_char && ch >= 128)
		return; /* no command is a non-ASCII character */
	enum command cmd = keys_lookup(ch, v->ops->keys);
	if (cmd == CMD_NONE || global_command(app, cmd))
		return;
	if ((too_small() && cmd != CMD_QUIT) || !v->ops->handle)
		return;
	bool was = cancellable(app, CANCEL_KEYS, v, WAIT_MOVE);
	flags = v->ops->handle(v->state, &app->ctx, cmd, &area);
	db_set_cancellable(app->db, was);
	apply(app, flags);
}

/* The status bar alone, now, in the middle of a key's work. */
static void
draw_busy(struct app *app)
{
	if (too_small() || prompt_active())
		return;
	draw_status(app);
	wnoutrefresh(stdscr); /* only the lines changed since the last frame */
	doupdate();
}

/* The one wait of the terminal: the keyboard and the signal pipe (when
 * `input`), and the database socket db (-1: none), at most timeout ms
 * (-1: no limit).  Serves the main loop and the waits for an answer. */
enum { IO_KEYS, IO_SIGNALS, IO_DB };
static int
wait_io(struct pollfd fds[3], bool input, int db, int timeout)
{
	fds[IO_KEYS] = (struct pollfd){input ? STDIN_FILENO : -1, POLLIN, 0};
	fds[IO_SIGNALS] = (struct pollfd){input ? ui_signal_fd() : -1, POLLIN, 0};
	fds[IO_DB] = (struct pollfd){db, POLLIN, 0};
	return poll(fds, 3, timeout);
}

/* Keys that were typed before the query in flight became slow are set
 * aside (in order, read before any other), so that only keys pressed
 * after that cancel it. */
static void
stash_keys(struct app *app)
{
	wint_t wch;
	int rc;
	while (app->nahead < AHEAD_MAX && (rc = get_wch(&wch)) != ERR)
		app->ahead[app->nahead++] = (struct key_ahead){(int)wch, rc != KEY_CODE_YES};
}

/* The next key: one set aside first, else one from the terminal. */
static bool
next_key(struct app *app, int *ch, bool *is_char)
{
	if (app->nahead > 0) {
		*ch = app->ahead[0].ch;
		*is_char = app->ahead[0].is_char;
		memmove(app->ahead, app->ahead + 1, (size_t)--app->nahead * sizeof app->ahead[0]);
		return true;
	}
	wint_t wch;
	int rc = get_wch(&wch);
	*ch = (int)wch;
	*is_char = rc != KEY_CODE_YES;
	return rc != ERR;
}

/* Whether keys wait to be read (in the terminal, not yet in curses). */
static bool
keys_waiting(void)
{
	struct pollfd in = {STDIN_FILENO, POLLIN, 0};
	return poll(&in, 1, 0) > 0;
}

/* Cancel the statement for the keys; a list's or a search's keeps giving
 * way to keys until they are all read. */
static enum db_wait
give_way(struct app *app)
{
	if (app->wait != WAIT_OPEN)
		app->impatient = true;
	if (trace_on()) /* the frame is timed from the key, seen here */
		app->key_ms = trace_now_ms();
	return DB_WAIT_CANCEL;
}

/* The database's waiter (db_set_waiter): while a statement runs, watch
 * its socket.  Once it has run BUSY_MS, the status bar says so, and when
 * it may be cancelled the keyboard and the signal pipe are watched too: a
 * key or a signal to stop then cancels it, and is read as usual
 * afterwards.  Keys typed before that: for a screen that opens they are set
 * aside and wait for the answer, as they are for what it shows (Enter,
 * then j to scroll the question it opens); for a list that moves or a
 * search they win, and while they are being read the next such query
 * gives way at once (j held down on a slow list does not queue a page
 * query per j). */
static enum db_wait
wait_answer(void *arg, int fd, long waited, bool first, bool may_cancel)
{
	struct app *app = arg;
	bool slow = waited >= BUSY_MS, ahead_wins = may_cancel && app->wait != WAIT_OPEN;
	if (ahead_wins && app->impatient && first && keys_waiting())
		return give_way(app); /* held keys: a slow list does not queue a query each */
	if (slow && !app->busy) {
		app->busy = !may_cancel                 ? _("working…")
		            : app->wait == WAIT_SEARCH ? _("searching…")
		                                       : _("loading…");
		draw_busy(app);
	}
	if (first) {
		app->stashed = false;
	} else if (slow && may_cancel && !app->stashed) {
		app->stashed = true;
		if (ahead_wins && keys_waiting())
			return give_way(app);
		stash_keys(app);
	}
	may_cancel = may_cancel && slow;
	struct pollfd fds[3];
	int n = wait_io(fds, may_cancel, fd, slow ? -1 : (int)(BUSY_MS - waited));
	if (n > 0 && (fds[IO_SIGNALS].revents & POLLIN)) {
		/* a resize waits for the answer (the screen is drawn then);
		 * a signal to stop cancels it */
		int sig = ui_signal_read(&app->resized);
		if (sig && !app->signal)
			app->signal = sig;
		if (sig)
			return DB_WAIT_CANCEL;
	}
	if (n <= 0 || !(fds[IO_KEYS].revents & (POLLIN | POLLHUP | POLLERR)))
		return DB_WAIT_ON;
	return give_way(app);
}

/* Signals from the pipe, and those read while a query ran. */
static void
on_signals(struct app *app)
{
	bool resize = app->resized;
	int sig = ui_signal_read(&resize);
	if (!sig)
		sig = app->signal;
	app->signal = 0;
	app->resized = false;
	if (sig) {
		settle(app);
		app->quit = true;
		app->exit_code = 128 + sig;
		return;
	}
	if (resize) {
		ui_resize();
		load_top(app);
	}
}

static void
run(struct app *app)
{
	while (!app->quit) {
		app->busy = NULL; /* the frame shows what came of it */
		double key_ms = app->key_ms;
		draw(app);
		if (app->load_pending) { /* a search as you type: after the frame */
			app->load_pending = false;
			app->key_ms = key_ms; /* LOKET_TRACE times its frame from the key too */
			load_top_for(app, WAIT_SEARCH);
			continue;
		}
		if (app->count_pending) { /* the status bar's count: after the list shows */
			app->count_pending = false;
			long before = app->ctx.unseen;
			count_unseen(app);
			if (app->ctx.unseen != before)
				continue;
		}
		struct pollfd fds[3];
		/* keys set aside during a slow query are read at once */
		bool waiting = app->nahead > 0 || app->signal || app->resized;
		int n = wait_io(fds, true, app->connected ? db_socket(app->db) : -1,
		                waiting ? 0 : app->connected ? -1 : app->retry_ms);
		if (n < 0 && errno != EINTR)
			break;
		if (n == 0 && !app->connected)
			try_reconnect(app);
		if ((fds[IO_SIGNALS].revents & POLLIN) || app->signal || app->resized)
			on_signals(app);
		int news = 0;
		if (fds[IO_DB].revents & (POLLIN | POLLHUP | POLLERR) && !db_poll(app->db, &news)) {
			app->connected = false;
			view_message(&app->ctx, "%s", _("The connection to the database was lost."));
		}
		if (fds[IO_KEYS].revents & (POLLHUP | POLLERR)) {
			settle(app);
			app->exit_code = 129; /* the terminal went away */
			break;
		}
		int ch;
		bool is_char;
		while (!app->quit && next_key(app, &ch, &is_char)) {
			if (!app->pasting)
				traced_key(app, ch, is_char);
			on_key(app, ch, is_char);
		}
		app->impatient = false; /* every key is read */
		settle(app); /* once per batch of keys, not per key */
		/* notifications that came in with the answer to a query wait in
		 * libpq's queue, not on the socket */
		if (app->connected && !app->quit && !db_poll(app->db, &news) &&
		    !db_connected(app->db))
			app->connected = false;
		if (news > 0 && app->connected && !app->quit)
			on_news(app);
	}
}

int
tui_main(const struct cli_globals *g)
{
	struct app app;
	memset(&app, 0, sizeof app);
	if (trace_on()) /* the first frame is timed from here */
		app.key_ms = trace_now_ms();
	strbuf_init(&app.paste);
	int rc = cli_connect(g, &app.db);
	if (rc != CLI_OK)
		return rc;
	struct db_error err = {0};
	if (!session_load(app.db, &app.session, &err)) {
		sanitize_fprintf(stderr, "loket: %s\n", err.message);
		db_error_clear(&err);
		db_close(&app.db);
		return CLI_DB;
	}
	if (!app.session.organisation && session_has_role(&app.session, "privacy") &&
	    !session_has_role(&app.session, "supervisor") &&
	    !session_has_role(&app.session, "editor")) {
		/* reads no case and no details: the log is on the command line */
		fputs(_("loket: the privacy officer works on the command line: loket privacy log, "
		        "export, erase and purge (loket privacy --help); there is no screen for this "
		        "role.\n"),
		      stderr);
		session_free(&app.session);
		db_close(&app.db);
		return CLI_USAGE;
	}
	if (!ui_start()) {
		session_free(&app.session);
		db_close(&app.db);
		return CLI_USAGE;
	}
	app.connected = true;
	app.retry_ms = RETRY_FIRST_MS;
	app.bell = getenv("LOKET_BELL") && strcmp(getenv("LOKET_BELL"), "1") == 0;
	app.ctx.db = app.db;
	app.ctx.session = &app.session;
	db_set_waiter(app.db, wait_answer, &app);
	listen_org(&app); /* before the first list is read: no news falls between */
	app.count_pending = true;
	bool regional = !app.session.organisation;
	if (regional && (session_has_role(&app.session, "supervisor") || app.session.is_national))
		push(&app, view_report_new()); /* supervisors see counts, not questions */
	else if (regional && session_has_role(&app.session, "editor"))
		push(&app, view_kb_edit_new()); /* knowledge editors keep the knowledge */
	else
		push(&app, view_list_new());
	if (session_has_role(&app.session, "central"))
		push(&app, view_inbox_new()); /* the central point starts in its inbox */
	load_top(&app);
	offer_draft(&app);
	run(&app);
	db_set_waiter(app.db, NULL, NULL);
	ui_stop();
	while (app.depth > 0) {
		struct view *v = top_view(&app);
		v->ops->free(v->state);
		app.depth--;
	}
	free(app.stack);
	free(app.ctx.message);
	strbuf_free(&app.paste);
	session_free(&app.session);
	db_close(&app.db);
	return app.exit_code;
}
