/* keys.h: commands and the keymap.  Commands are numbered after KEY_MAX so a
 * command and a curses key code can never be confused. */
#ifndef LOKET_INPUT_KEYS_H
#define LOKET_INPUT_KEYS_H

/* The key code of Ctrl and a letter. */
#define CTRL_KEY(c) ((c)&0x1f)

#include <curses.h>

enum command {
	CMD_NONE = KEY_MAX + 1,
	CMD_DOWN,
	CMD_UP,
	CMD_PAGE_DOWN,
	CMD_PAGE_UP,
	CMD_FIRST,
	CMD_LAST,
	CMD_OPEN,
	CMD_BACK,
	CMD_HELP,
	CMD_REDRAW,
	CMD_QUIT,
	CMD_NEW,
	CMD_MARK,
	CMD_REFER,
	CMD_SIGNAL,
	CMD_COMMAND, /* ':' */
	CMD_SEARCH,  /* '/' */
	CMD_KNOWLEDGE,
	CMD_ACCEPT,   /* inbox: pick the referral up */
	CMD_PROGRESS, /* inbox: contact made, in progress */
	CMD_COMPLETE, /* inbox: complete with an outcome */
	CMD_RETURN,   /* inbox: send back with a reason */
	CMD_NEXT_TAB,
	CMD_PREV_TAB,
	CMD_TAB_1,
	CMD_TAB_2,
	CMD_TAB_3,
	CMD_TAB_4,
	CMD_TAB_5,
	CMD_EDIT, /* change the question */
	CMD_TAB_6,
	CMD_REPORTS,      /* the supervisors' reports */
	CMD_DIMENSION,    /* reports: what volume counts by */
	CMD_PERIOD,       /* reports: weeks or months */
	CMD_SCROLL_LEFT,  /* reports: sideways */
	CMD_SCROLL_RIGHT,
	CMD_CATALOGUE,    /* the training catalogue (aanbod) */
	CMD_MAIL,         /* e-mail the client a summary */
	CMD_RETIRE,       /* knowledge editor: retire or restore an item */
	CMD_VERSIONS,     /* knowledge editor: versions and their differences */
	CMD_CONTACT,      /* question: show the consented contact details */
	CMD_WITHDRAW,     /* question: the client withdraws consent (twice: confirm) */
};

/* Where a key is pressed: some keys mean different things per screen. */
enum keys_context {
	KEYS_LIST,
	KEYS_DETAIL,
	KEYS_HELP,
	KEYS_FORM,
	KEYS_INFO,
	KEYS_KNOWLEDGE,
	KEYS_INBOX,
	KEYS_CONFLICT,
	KEYS_REPORT,
	KEYS_AANBOD,
	KEYS_KBEDIT,
	KEYS_VERSIONS,
	KEYS_REPORT_NATIONAL, /* help only: the reports screen of a national analyst */
};

/* The command for key `ch` in a context, or CMD_NONE. */
enum command keys_lookup(int ch, enum keys_context ctx);

/* One line of the help screen: the keys as shown, and what they do
 * (an English message id; translate with _()). */
struct keys_help {
	const char *keys;
	const char *what;
};

/* The help lines of a context, ending with {NULL, NULL}. */
const struct keys_help *keys_help(enum keys_context ctx);

#endif
