/* searchline.h: the search line of the screens that search as you type (the
 * knowledge browser, the training catalogue): the query as it is typed, how
 * it shows, and where the cursor stands. */
#ifndef LOKET_VIEWS_SEARCHLINE_H
#define LOKET_VIEWS_SEARCHLINE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* The longest query, in bytes. */
#define SEARCH_LINE_MAX 200

/* "Search: query", its end kept when it is wider than width (a new
 * string; the query is sanitised). */
char *search_line(const char *query, int width);
/* The line at y, x, width columns, as a header. */
void search_line_draw(WINDOW *w, int y, int x, int width, const char *query);
/* The visible cursor at the end of the query on that line. */
void search_line_cursor(int y, int x, int width, const char *query);
/* A key typed into the query: Backspace, Ctrl-U (all of it), a character.
 * True when the query changed; false for any other key. */
bool search_line_key(struct strbuf *query, int key, bool is_char);

#endif
