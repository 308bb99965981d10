/* textedit.h: the text of one form field while it is edited.
 *
 * It holds exactly the bytes that were typed or pasted (valid UTF-8), a
 * cursor, and a limit in characters, and it lays the text out on rows of a
 * given width (soft wrap at word boundaries, hard breaks at line breaks)
 * without ever changing the text itself: what goes in is what comes out,
 * byte for byte, whatever the width, the height or the scroll position.
 * No curses here; src/views/form.c draws what the layout says.
 *
 * Characters that loket does not store (textedit_refuses: controls, bidi
 * controls, zero-width and other invisible characters; sql/022 refuses the
 * same in the database) and whatever would go over the limit are not
 * inserted: the caller is told how many and which, and says so. */
#ifndef LOKET_UTIL_TEXTEDIT_H
#define LOKET_UTIL_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct textedit {
	struct strbuf text; /* exactly what was typed */
	size_t cursor;      /* byte offset, always at a character boundary */
	size_t length;      /* characters (code points) in text */
	size_t max;         /* most characters; 0 = no limit */
	bool multiline;     /* line breaks allowed (Ctrl-J, or in a paste) */
};

/* What an insert left out. */
struct textedit_result {
	size_t inserted;   /* characters inserted */
	size_t over_limit; /* characters left out because the field was full */
	size_t refused;    /* characters left out because loket does not store them */
	uint32_t first_refused; /* the first of those (a code point), for the message */
	size_t invalid;    /* bytes that were not UTF-8, left out */
};

/* One row on screen: bytes [start, end) of the text.  A row ends at a line
 * break (not part of any row), at the end of a word that does not fit, or
 * inside a word longer than a row.  Blanks where a row wraps stay at the end
 * of the row they follow, so no row starts with a blank. */
struct textedit_row {
	size_t start, end;
};

struct textedit_layout {
	struct textedit_row *rows;
	int n, cap;
	int width;
};

/* True for a code point that loket refuses to store in text people type:
 * C0 and C1 controls other than line break and tab, DEL, bidi controls,
 * zero-width and other invisible format characters (the characters the
 * sanitiser would have to show as symbols).  The database enforces the same
 * rule with loket.text_is_clean() (sql/022). */
bool textedit_refuses(uint32_t cp, bool multiline);

void textedit_init(struct textedit *t, const char *value, size_t max, bool multiline);
/* Replace the whole text (cursor at its end), as the external editor does.
 * Nothing is filtered: a value from the database or a draft is kept as it
 * is (refused characters in it are shown as symbols). */
void textedit_set(struct textedit *t, const char *value);
void textedit_free(struct textedit *t);
const char *textedit_text(const struct textedit *t);

/* Insert at the cursor and move the cursor past it.  With paste, the
 * terminal's line ends (CR LF, CR) are line breaks, and in a single-line
 * field line breaks become blanks (trailing ones are dropped).  Typed
 * Ctrl-J is a line break in a multi-line field. */
void textedit_insert(struct textedit *t, const char *s, size_t len, bool paste,
                     struct textedit_result *res);
/* Delete the character before / at the cursor; false when there is none. */
bool textedit_backspace(struct textedit *t);
bool textedit_delete(struct textedit *t);
/* Move by one character (combining marks go with their base); false at
 * the edge. */
bool textedit_left(struct textedit *t);
bool textedit_right(struct textedit *t);
void textedit_home(struct textedit *t); /* start of the text */
void textedit_end(struct textedit *t);  /* end of the text */

/* Lay the text out on rows of `width` columns (width >= 1). */
void textedit_layout(const struct textedit *t, int width, struct textedit_layout *out);
void textedit_layout_free(struct textedit_layout *l);
/* The row and column of the cursor in the layout (column < width). */
void textedit_cursor_pos(const struct textedit *t, const struct textedit_layout *l, int *row,
                         int *col);
/* Start or end of the cursor's row. */
void textedit_row_home(struct textedit *t, const struct textedit_layout *l);
void textedit_row_end(struct textedit *t, const struct textedit_layout *l);
/* The same column on the row above / below; false on the first / last row. */
bool textedit_up(struct textedit *t, const struct textedit_layout *l);
bool textedit_down(struct textedit *t, const struct textedit_layout *l);
/* What row `row` shows: exactly `width` columns, every character safe for
 * the terminal (refused characters as symbols, as the sanitiser shows
 * them), padded with blanks.  Caller frees. */
char *textedit_row_text(const struct textedit *t, const struct textedit_layout *l, int row);

/* "3.950/4.000": the count and the limit, as people read figures
 * (num_format). */
void textedit_count(const struct textedit *t, char *out, size_t size);

#endif
