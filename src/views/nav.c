/* nav.c: requests to open another screen.  A handler builds one value and
 * returns view_go(ctx, nav); tui.c carries it out.  Nothing here knows which
 * views exist. */
#include "config.h"

#include "form/form.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
view_go(struct view_ctx *ctx, struct nav nav)
{
	nav_clear(&ctx->nav); /* a request not taken is let go, not leaked */
	ctx->nav = nav;
	return VIEW_NAV;
}

struct nav
nav_question(int number)
{
	struct nav n = {.kind = NAV_QUESTION, .number = number};
	return n;
}

struct nav
nav_form(const char *name, const char *id, int number)
{
	struct nav n = {.kind = NAV_FORM};
	n.form.name = name;
	snprintf(n.form.question, sizeof n.form.question, "%s", id ? id : "");
	n.form.number = number;
	return n;
}

struct nav
nav_view(struct view v)
{
	struct nav n = {.kind = NAV_VIEW, .view = v};
	return n;
}

struct nav
nav_answer(char choice, const char *item)
{
	struct nav n = {.kind = NAV_ANSWER};
	n.answer.choice = choice;
	snprintf(n.answer.item, sizeof n.answer.item, "%s", item ? item : "");
	return n;
}

void
nav_form_drop_carry(struct nav_form *f)
{
	if (f->carry) {
		form_values_clear(f->carry);
		free(f->carry);
		f->carry = NULL;
	}
}

void
nav_clear(struct nav *nav)
{
	if (nav->kind == NAV_VIEW && nav->view.ops)
		nav->view.ops->free(nav->view.state);
	if (nav->kind == NAV_FORM)
		nav_form_drop_carry(&nav->form);
	memset(nav, 0, sizeof *nav);
}
