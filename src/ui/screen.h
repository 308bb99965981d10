/* screen.h: the terminal — start, restore on every exit path, signals as
 * events, colours, and the drawing primitive that every piece of text goes
 * through (sanitised, fitted to its cell by display width). */
#ifndef LOKET_UI_SCREEN_H
#define LOKET_UI_SCREEN_H

#include <curses.h>
#include <stdbool.h>

enum ui_style {
	UI_NORMAL,
	UI_BAR,      /* title and status bars */
	UI_SELECTED, /* the cursor row */
	UI_HEADER,   /* column headers, labels */
	UI_WARNING,  /* connection lost, errors */
	UI_DIM,      /* secondary text */
	UI_MATCH,    /* a word that matches the search (over any other style) */
};

/* The key codes of the marks around a bracketed paste (after the
 * commands of input/keys.h). */
#define UI_KEY_PASTE_BEGIN (KEY_MAX + 1000)
#define UI_KEY_PASTE_END (KEY_MAX + 1001)

/* Start curses (raw keys, no echo, low ESC delay, colours unless NO_COLOR),
 * install the signal handlers and an atexit restore.  Returns false with a
 * message on stderr when the terminal cannot be used. */
bool ui_start(void);
/* Turn bracketed paste on or off (on from ui_start to ui_stop; off while
 * another program has the terminal). */
void ui_bracketed_paste(bool on);
/* Restore the terminal.  Safe to call more than once and from atexit. */
void ui_stop(void);

/* The read end of the self-pipe that signals arrive on, for poll(). */
int ui_signal_fd(void);
/* Read the pending signals: sets *resize for SIGWINCH and returns the first
 * terminating signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) or 0. */
int ui_signal_read(bool *resize);
/* Apply a new terminal size after SIGWINCH. */
void ui_resize(void);

void ui_style(WINDOW *w, enum ui_style style, bool on);

/* Draw raw text (anything a person typed) at y,x in exactly width columns:
 * sanitised, cut with "…" when too long, padded with blanks. */
void ui_put(WINDOW *w, int y, int x, int width, const char *raw);
/* The same for the first line of a text that may have several, as in a
 * list: its line breaks (LF, CR LF) are read as blanks; everything else as
 * ui_put shows it (a lone CR as a symbol). */
void ui_put_line(WINDOW *w, int y, int x, int width, const char *raw);
/* ui_put_line with the words that match a search marked (UI_MATCH);
 * terms NULL or empty: ui_put_line. */
struct search_terms;
void ui_put_marked(WINDOW *w, int y, int x, int width, const char *raw,
                   const struct search_terms *terms);
/* The same for text that may run over several lines: wraps at width, at
 * blanks (a word longer than the line is cut), and no wrapped line starts
 * with a blank; a line of text that starts with blanks keeps that indent on
 * the lines it wraps to.  Draws at most max_lines lines from `skip` on;
 * returns the lines it needs in all (so callers can measure with max_lines =
 * 0). */
int ui_put_wrapped(WINDOW *w, int y, int x, int width, const char *raw, int skip,
                   int max_lines);

#endif
