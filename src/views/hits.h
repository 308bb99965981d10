/* hits.h: knowledge items found (model/knowledge.h), as the knowledge
 * browser and the first-line information pane show them. */
#ifndef LOKET_VIEWS_HITS_H
#define LOKET_VIEWS_HITS_H

#include <curses.h>
#include <stdbool.h>

struct knowledge_hit;
struct knowledge_hits;

/* What knowledge_draw_hit needs: the hits, the width, and per hit whether
 * it is marked (NULL: no marks shown). */
struct hit_row {
	const struct knowledge_hits *hits;
	int cols;
	const bool *marked;
};

/* A pager_draw_fn: the hit with index *row on one line, its title (marked
 * or not) and whether it is past its review date. */
void knowledge_draw_hit(const void *view, WINDOW *w, int y, const void *row,
                   const struct search_terms *marks);
/* The hit whole, for reading (the caller frees). */
char *knowledge_hit_text(const struct knowledge_hit *h);

#endif
