/* views.h: the screens.  Each view is a table of operations (as in tig):
 * handlers change state and return flags; drawing reads state only. */
#ifndef LOKET_VIEWS_VIEWS_H
#define LOKET_VIEWS_VIEWS_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "input/keys.h"
#include "form/form.h"
#include "model/session.h"

enum view_flag {
	VIEW_HANDLED = 1 << 0,
	VIEW_REDRAW = 1 << 1,
	VIEW_QUIT = 1 << 2,
	VIEW_BACK = 1 << 3, /* close this view */
	VIEW_OPEN = 1 << 4, /* open the detail of ctx->open_number */
	VIEW_HELP = 1 << 5, /* show the keys of this view */
	VIEW_CHANGED = 1 << 6, /* a form's content changed */
	VIEW_NEW = 1 << 7, /* open the form ctx->open_form */
	VIEW_PUSH = 1 << 8, /* after closing this view, open ctx->next */
};

struct view;
struct list_state;

/* What views share: the connection, who is logged in, and a one-line
 * message for the status bar. */
struct view_ctx {
	struct db *db;
	const struct session *session;
	char *message;   /* owned; shown once in the status bar */
	int open_number; /* set with VIEW_OPEN */
	const char *open_form; /* set with VIEW_NEW */
	char open_question[40]; /* with VIEW_NEW: the question the form is about, or "" */
	char open_draft[40];    /* with VIEW_NEW: reopen this draft, or "" */
	char open_referral[40]; /* with VIEW_NEW of outcome/return: the referral */
	int open_referral_version;
	int open_question_number;
	struct form_values *carry; /* with VIEW_PUSH of a form: values it takes over */
	const struct list_state *list; /* the case list being served (its search) */
	bool refresh;    /* the data changed: lists reload where they are */
	bool refresh_top; /* ... from the newest (a question was added) */
	bool recount;     /* referral news was seen: the status bar takes `unseen` */
	long unseen;
	int edit_number;  /* with VIEW_NEW of intake: change this question */
	char conflict_choice; /* from the conflict screen: r reapply, d drop, e edit on */
	struct view *next; /* set with VIEW_PUSH (owned until taken) */
	char kb_item[24];  /* a knowledge item just saved: the editor's list selects it */
};

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

/* The area a view draws in: rows y .. y+rows-1, all columns. */
struct view_area {
	int y;
	int rows;
	int cols;
};

struct view_ops {
	enum keys_context keys;
	/* Load or reload for the area; returns flags. */
	int (*load)(void *state, struct view_ctx *ctx, const struct view_area *area);
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
	void (*draw)(const void *state, WINDOW *w, const struct view_area *area);
	/* Optional: place the visible cursor after everything is drawn. */
	void (*cursor)(const void *state);
	/* Text for the right of the title bar, e.g. "1-20" (static buffer). */
	const char *(*position)(const void *state);
	/* The key that shows this view's help, for the status bar: NULL = the
	 * usual ("?", or F1 for views with `key`), "" = none. */
	const char *help_key;
	void (*free)(void *state);
};

struct view {
	const struct view_ops *ops;
	void *state;
};

struct view view_list_new(void);
/* Show only the questions that match text (Dutch full text); "" shows all. */
void view_list_search(struct view *v, struct view_ctx *ctx, const char *text,
                      const struct view_area *area);
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
/* Ask for form `name` (with VIEW_NEW) about question id/number; "" and 0
 * for a form not tied to a question. */
void view_about_question(struct view_ctx *ctx, const char *name, const char *id, int number);
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
struct view view_info_new(const char *question_id, int number, const char *topic,
                          const char *text);
/* Form `name` (forms/NAME.form), empty or from the draft with draft_id.
 * Returns a view with ops NULL, and a message in ctx, when the form cannot
 * be used. */
struct view view_form_new(struct view_ctx *ctx, const char *name, const char *draft_id);

#endif
