/* question.h: what the question binding's two files share (bind/question.c,
 * bind/question_conflict.c). */
#ifndef LOKET_VIEWS_BIND_QUESTION_H
#define LOKET_VIEWS_BIND_QUESTION_H

#include <stdbool.h>

struct form_state;
struct form_values;
struct nav_answer;
struct view_ctx;

/* Fill out with question `number`'s current values under the form's field
 * names (postcode as its four digits); its version, its id (owned) when id
 * is not NULL, and who changed it last and when (owned) when who and when
 * are not NULL.  False, with the error said in ctx, when it cannot be read. */
bool bind_question_current(struct view_ctx *ctx, int number, struct form_values *out,
                           int *version, char **id, char **who, char **when);
/* Someone else saved the question first: the conflict screen. */
int bind_question_conflict(struct form_state *s, struct view_ctx *ctx);
/* Back from the conflict screen with the choice made there. */
int bind_question_answer(struct form_state *s, struct view_ctx *ctx,
                         const struct nav_answer *answer);

#endif
