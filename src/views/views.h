/* views.h: the screens.  Each view is a table of operations (as in tig):
 * handlers change state and return flags; drawing reads state only. */
#ifndef LOKET_VIEWS_VIEWS_H
#define LOKET_VIEWS_VIEWS_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "input/keys.h"

struct db;
struct db_error;
struct form_values;
struct session;

enum view_flag {
	VIEW_HANDLED = 1 << 0,
	VIEW_REDRAW = 1 << 1,
	VIEW_QUIT = 1 << 2,
	VIEW_BACK = 1 << 3,    /* close this view */
	VIEW_NAV = 1 << 4,     /* open what ctx->nav asks for (after closing, with VIEW_BACK) */
	VIEW_HELP = 1 << 5,    /* show the keys of this view */
	VIEW_CHANGED = 1 << 6, /* a form's content changed */
	VIEW_LOAD = 1 << 7,    /* load again once the frame is drawn: what was
	                        * typed shows before the search for it runs */
};

struct view_ops;

struct view {
	const struct view_ops *ops;
	void *state;
};

/* A form to open (NAV_FORM): its name (forms/NAME.form) and what it is
 * about.  Strings "" and numbers 0 when not used. */
struct nav_form {
	const char *name;
	char question[40];   /* the question it is about */
	int number;          /* ... and its number */
	char draft[40];      /* reopen this draft instead of starting empty */
	char referral[40];   /* outcome or return: the referral */
	int referral_version;
	int edit;            /* intake: change this question instead of a new one */
	struct form_values *carry; /* owned: values the form takes over */
};

enum nav_kind {
	NAV_NONE,
	NAV_QUESTION, /* the detail of question .number */
	NAV_FORM,     /* the form .form */
	NAV_VIEW,     /* .view, built by the view that asks (owned until taken) */
	NAV_ANSWER,   /* back to the view underneath (with VIEW_BACK): .answer */
};

/* What the view that closes tells the one underneath (its ops->answer). */
struct nav_answer {
	char choice;   /* the conflict screen: r reapply, d drop, e edit on */
	char item[40]; /* a knowledge item just saved: the editor's list selects it */
};

/* A request to open another screen: one value, returned by a handler as
 * view_go(ctx, nav_...(...)). */
struct nav {
	enum nav_kind kind;
	union {
		int number;
		struct nav_form form;
		struct view view;
		struct nav_answer answer;
	};
};

/* The data under the views changed: lists read again where they are, or
 * from the newest (a question was added). */
enum view_stale { STALE_NO, STALE_IN_PLACE, STALE_FROM_TOP };

/* What every view shares: the connection, who is logged in, the status
 * bar (its one-line message, the count of referral news), whether the data
 * changed, and the request to open another screen. */
struct view_ctx {
	struct db *db;
	const struct session *session;
	char *message; /* owned; shown once in the status bar */
	long unseen;   /* referral news not yet opened (the status bar) */
	enum view_stale stale;
	struct nav nav; /* set with VIEW_NAV, through view_go() */
};

/* Ask for nav; returns VIEW_NAV for the handler to return. */
int view_go(struct view_ctx *ctx, struct nav nav);
struct nav nav_question(int number);
/* Form `name` about question id/number ("" and 0: not tied to one). */
struct nav nav_form(const char *name, const char *id, int number);
struct nav nav_view(struct view v);
struct nav nav_answer(char choice, const char *item);
/* Let go of what a request owns (a view not opened, carried values). */
void nav_clear(struct nav *nav);
/* Let go of the values a form request carries (the form took them, or not). */
void nav_form_drop_carry(struct nav_form *f);

/* Set the status message (printf-style; the text is shown sanitised). */
void view_message(struct view_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report a database error in the status bar. */
void view_db_error(struct view_ctx *ctx, const struct db_error *err);

/* Scroll a text of lines by cmd (Down, Up, PgDn, PgUp, g, G) in a window of
 * rows, keeping *top within 0..max_top (max_top < 0: unknown, and G is not
 * a scroll).  False when cmd does not scroll. */
bool view_scroll(int *top, enum command cmd, int rows, int max_top);

/* "2026-11-22 10:31..." -> "22-11-2026 10:31", the Dutch way. */
void view_time(const char *iso, char *out, size_t size);

/* The Dutch label of a question status (the code itself if unknown). */
const char *view_status_label(const char *status);
/* The Dutch label of a referral status. */
const char *view_referral_status_label(const char *status);

/* Which of a view's queries a key cancels when it is pressed while one
 * runs (the key then takes effect): none (forms, which save), the load's
 * (views whose load only reads), or also those of its keys (views whose
 * keys only read: lists, searches).  A cancelled query changed nothing,
 * and the view keeps what it showed (doc/development.md, "Queries that
 * wait"). */
enum view_cancel { CANCEL_NONE, CANCEL_LOAD, CANCEL_KEYS };

/* The area a view draws in: rows y .. y+rows-1, all columns. */
struct view_area {
	int y;
	int rows;
	int cols;
};

struct view_ops {
	enum keys_context keys;
	/* The title bar: "loket · TITLE ORGANISATION" (an N_() msgid), or
	 * NULL for views about the screen underneath (help, forms, the
	 * conflict screen), which take its title. */
	const char *title;
	/* The title names the region, not the organisation (reports, the
	 * knowledge base, the catalogue). */
	bool regional;
	/* Back (Esc) on the first screen leaves loket (a supervisor's or an
	 * editor's first screen); otherwise it does nothing there. */
	bool back_leaves;
	/* At most one on the stack: asked for again (NAV_VIEW), loket goes
	 * back to it, reloaded; when there is none it opens right above the
	 * first screen (the central point's inbox). */
	bool single;
	enum view_cancel cancel;
	/* Load or reload for the area; returns flags.  Optional: a view that
	 * reads nothing. */
	int (*load)(void *state, struct view_ctx *ctx, const struct view_area *area);
	/* A command of the keymap; 0 when it is not this view's (loket's own
	 * then: a signal, the catalogue, help).  Optional: views with `key`
	 * read every key themselves. */
	int (*handle)(void *state, struct view_ctx *ctx, enum command cmd,
	              const struct view_area *area);
	/* Optional: every key goes here instead of through the keymap (forms,
	 * where keys type).  is_char: a character, not a KEY_* code. */
	int (*key)(void *state, struct view_ctx *ctx, int key, bool is_char,
	           const struct view_area *area);
	/* Optional: a bracketed paste, whole (len bytes of UTF-8).  Views
	 * without it ignore pastes: a paste never runs commands. */
	int (*paste)(void *state, struct view_ctx *ctx, const char *text, size_t len);
	/* Optional: called once the keys that were waiting are handled, and
	 * before loket exits (Ctrl-C, a signal): write what must not be lost. */
	void (*settle)(void *state, struct view_ctx *ctx);
	/* Optional: notifications arrived (referral news): read again. */
	int (*news)(void *state, struct view_ctx *ctx, const struct view_area *area);
	/* Optional: the view above closed with an answer (NAV_ANSWER). */
	int (*answer)(void *state, struct view_ctx *ctx, const struct nav_answer *answer,
	              const struct view_area *area);
	/* Optional: the '/' search of the first screen; views without it
	 * have no '/' there. */
	void (*search)(void *state, struct view_ctx *ctx, const char *text,
	               const struct view_area *area);
	void (*draw)(const void *state, WINDOW *w, const struct view_area *area);
	/* Optional: place the visible cursor after everything is drawn. */
	void (*cursor)(const void *state);
	/* Optional: the text for the right of the title bar, e.g. "1-20". */
	void (*position)(const void *state, char *buf, size_t size);
	/* The key that shows this view's help, for the status bar: NULL = the
	 * usual ("?", or F1 for views with `key`), "" = none. */
	const char *help_key;
	void (*free)(void *state);
};

struct view view_list_new(void);
struct view view_detail_new(int number);
struct view view_inbox_new(void);
/* The supervisors' reports (R). */
struct view view_report_new(void);

/* What the conflict screen shows: per field, its label, the value when the
 * edit began, the value now, and the one typed.  All strings owned. */
struct conflict_info {
	int number;
	char *changed_by, *changed_at;
	char **label, **base, **now, **mine;
	int n;
};
/* Takes over info (and empties it). */
struct view view_conflict_new(struct conflict_info *info);
void conflict_info_free(struct conflict_info *c);
struct view view_help_new(enum keys_context for_keys);
/* The knowledge base browser. */
struct view view_knowledge_new(void);
/* The knowledge editors' screen (K for role editor): items, review queue,
 * versions and their differences, new versions through forms/knowledge.form. */
struct view view_kb_edit_new(void);
/* The versions of one knowledge item and the differences between them. */
struct view view_kb_versions_new(const char *item_id);
/* The training catalogue (a): search as you type with filters.  With a
 * question (id not ""), Space marks offerings and leaving records them as
 * information given on that question. */
struct view view_aanbod_new(const char *question_id, int number);
/* The first-line information pane for a question just saved. */
/* The referral from the pane (r) takes these values over (owned): what the
 * intake form moved out of the text for the contact form. */
struct form_values;
void view_info_carry(struct view v, struct form_values *moved);
struct view view_info_new(const char *question_id, int number, const char *topic,
                          const char *text);
/* The form f asks for (forms/NAME.form), empty, or from its draft, or
 * about what it names; takes over f->carry.  Returns a view with ops NULL,
 * and a message in ctx, when the form cannot be used. */
struct view view_form_new(struct view_ctx *ctx, struct nav_form *f);

#endif
