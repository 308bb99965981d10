/* pager.h: one paged list for every screen that shows rows — the case
 * list, the inbox, the catalogue, the knowledge lists, the reports and the
 * texts that scroll.  The pager holds only the rows on screen and asks its
 * source for more, by key (keyset pagination), as the cursor moves; a
 * source over an array in memory serves the lists that are loaded whole.
 * The core does not draw; pager_draw() draws the rows through a callback. */
#ifndef LOKET_VIEWS_PAGER_H
#define LOKET_VIEWS_PAGER_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "input/keys.h"
#include "ui/screen.h"
#include "util/terms.h"

/* What a source is asked for, relative to a row of the list (the key). */
enum pager_dir {
	PAGER_FIRST,  /* the first rows (key NULL) */
	PAGER_LAST,   /* the last rows, in list order (key NULL) */
	PAGER_AFTER,  /* the rows after key */
	PAGER_BEFORE, /* the rows before key, in list order */
	PAGER_AT,     /* key's row and the rows after it (a page read again) */
};

/* Rows a source fetched: count rows of the source's row_size, in list
 * order, in memory the pager takes over (malloc'd). */
struct pager_rows {
	void *rows;
	int count;
	bool more;  /* more rows exist beyond these in the direction asked */
	bool first; /* optional, for PAGER_AT: the rows begin the list */
};

struct pager_source {
	size_t row_size;
	/* Fetch at most limit rows; false on failure (the source reports it
	 * itself, and the pager keeps what it shows). */
	bool (*fetch)(void *data, const void *key, enum pager_dir dir, int limit,
	              struct pager_rows *out);
	/* Optional: let go of what a row owns (not the row itself). */
	void (*free_row)(void *row);
	/* Optional: the same row (by identity, e.g. its id), for a reload that
	 * keeps the cursor on it.  Without it the cursor keeps its place. */
	bool (*same)(const void *a, const void *b);
};

struct pager {
	const struct pager_source *src;
	void *data;    /* the source's (borrowed) */
	char *rows;    /* the rows on screen, row_size bytes each */
	int count;
	int cursor;    /* index in rows; always 0 for a text (scroll) */
	bool more_above, more_below;
	bool loaded;
	bool scroll;   /* a text: no cursor, the keys move the rows */
	int overlap;   /* rows a page step keeps in view (a text: 1) */
	int items;     /* pager_array only: how many items the array holds */
	struct search_terms marks; /* the search the rows answer: marked where they match */
};

/* A pager over `src`, fetching with `data`. */
void pager_init(struct pager *p, const struct pager_source *src, void *data);
/* A pager over an array of n items held by the caller: its rows are the
 * items' indices (int).  scroll: a text of n lines (no cursor). */
void pager_init_array(struct pager *p, int n, bool scroll);
/* The array changed: n items now; the cursor keeps its index, and stays
 * visible in a page of `page` rows. */
void pager_set_items(struct pager *p, int n, int page);
/* Let go of the rows (the pager may be used again). */
void pager_clear(struct pager *p);
/* Let go of everything (the view is freed). */
void pager_free(struct pager *p);
/* The rows answer the search query (NULL or "": none): pager_draw hands
 * its words to each row, for ui_put_marked to mark where they match. */
void pager_search(struct pager *p, const char *query);

/* Read a page from the first (or the last) row; the cursor on the first
 * (last) row.  False when the source failed. */
bool pager_load_end(struct pager *p, bool last, int page);
/* Read the page again where it is, from its first row (from the first
 * row of the list when it shows it), the cursor on the same row. */
void pager_reload(struct pager *p, int page);
/* Show the page that starts with `key` (a row, or one with enough of a row
 * to be its key), with the cursor on it; filled from above near the end. */
void pager_show(struct pager *p, const void *key, int page);
/* The page now holds `page` rows: fill or trim, the cursor's row visible. */
void pager_resize(struct pager *p, int page);
/* Down, Up, PgDn, PgUp, g/Home, G/End in a page of `page` rows; false when
 * cmd is none of these. */
bool pager_command(struct pager *p, enum command cmd, int page);
/* The command of a cursor key (KEY_DOWN, KEY_NPAGE, KEY_HOME, ...), for
 * views that read keys themselves; CMD_NONE for other keys. */
enum command pager_key_command(int key);

/* Row i of the rows on screen (0 .. count-1). */
const void *pager_row(const struct pager *p, int i);
/* The row under the cursor, or NULL when there are none. */
const void *pager_current(const struct pager *p);
/* pager_array: the item under the cursor, or at the top of a text; -1
 * when there are none. */
int pager_index(const struct pager *p);

/* Draw the rows on screen at y .. y+rows-1 (lines without a row are
 * cleared): the cursor's row in UI_SELECTED, the others in look's style
 * (UI_NORMAL without look), each with draw, which gets the words of the
 * search (pager_search) to mark in the row's text. */
typedef void (*pager_draw_fn)(const void *view, WINDOW *w, int y, const void *row,
                              const struct search_terms *marks);
typedef enum ui_style (*pager_look_fn)(const void *view, const void *row);
void pager_draw(const struct pager *p, WINDOW *w, int y, int rows, pager_draw_fn draw,
                pager_look_fn look, const void *view);
/* Clear the lines y .. y+rows-1 (a view's area before it draws). */
void pager_blank(WINDOW *w, int y, int rows);

#endif
