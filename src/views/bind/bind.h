/* bind.h: form bindings.  A form file names its binding (`binds NAME`,
 * doc/forms.md); the binding says what a new form starts with, stores the
 * checked values through the model, and says what comes after.  The form
 * view (views/form.c) only edits, checks, journals drafts and calls the
 * binding; one small file per binding in this folder, one table (table.c). */
#ifndef LOKET_VIEWS_BIND_BIND_H
#define LOKET_VIEWS_BIND_BIND_H

#include <stdbool.h>
#include <stddef.h>

#include "views/views.h"

struct db_error;
struct form_def;
struct form_error;
struct form_state; /* the open form (views/form.c) */
struct form_values;

/* What a binding's save did. */
enum bind_status {
	BIND_SAVED,  /* stored: the drafts are done, after_save says what next */
	BIND_FAILED, /* not stored: err says why (views/form.c reports it) */
	BIND_KEPT,   /* not stored, and the binding has said why: the form stays */
	BIND_NEXT,   /* the binding opened the next form (view_go): this one closes
	              * and its draft stays for that one */
};

struct form_binding {
	const char *name; /* the word after `binds` */
	/* Optional: what a new form starts with besides its defaults and what
	 * the request carries.  False (with a message) when it cannot open. */
	bool (*start)(struct form_state *s, struct view_ctx *ctx, const struct nav_form *f);
	/* Store the form's values, which have passed the form's own checks. */
	enum bind_status (*save)(struct form_state *s, struct view_ctx *ctx, struct db_error *err);
	/* After BIND_SAVED: the message, and flags (view_go) for what comes
	 * next; the form closes. */
	int (*after_save)(struct form_state *s, struct view_ctx *ctx);
	/* Optional: the save met a newer version (SQLSTATE 40001).  Returns
	 * flags, or 0 to report it as any other failure. */
	int (*conflict)(struct form_state *s, struct view_ctx *ctx);
	/* Optional: the view above (the conflict screen) closed with an answer. */
	int (*answer)(struct form_state *s, struct view_ctx *ctx, const struct nav_answer *answer);
	/* Optional: Esc left the form (its draft is removed); flags to add. */
	int (*leave)(struct form_state *s, struct view_ctx *ctx);
	/* Optional: a title instead of the form's own (owned), or NULL. */
	char *(*title)(const struct form_state *s);
	/* Optional: a key of the binding's own, before the form's; flags, or 0
	 * when it is not one.  It calls fv_sync before reading typed values. */
	int (*key)(struct form_state *s, struct view_ctx *ctx, int key);
};

/* The binding the form names (an old word in a form of the name it was
 * used for counts as its new binding).  False with err at the `binds`
 * line when there is none. */
bool form_binding_find(const struct form_def *def, const struct form_binding **out,
                       struct form_error *err);

extern const struct form_binding bind_question;
extern const struct form_binding bind_referral;
extern const struct form_binding bind_client;
extern const struct form_binding bind_referral_outcome;
extern const struct form_binding bind_referral_return;
extern const struct form_binding bind_signal;
extern const struct form_binding bind_knowledge;

/* What a binding may ask of the open form (views/form.c). */
const struct form_def *fv_def(const struct form_state *s);
/* A value typed or set ("" when unset). */
const char *fv_value(const struct form_state *s, const char *name);
void fv_set(struct form_state *s, const char *name, const char *value);
/* Bring the values of the text fields up to date with what was typed (the
 * form does so itself before a save and a journal). */
void fv_sync(struct form_state *s);
/* Replace a text field's value as if typed (shown, journalled); false when
 * the form has no such text field open. */
bool fv_set_text(struct form_state *s, struct view_ctx *ctx, const char *name, const char *v);
/* All of them: the fields' and loket's own (names starting with _). */
const struct form_values *fv_values(const struct form_state *s);
/* The draft's uuid: a save that uses it as the row's id never stores twice. */
const char *fv_id(const struct form_state *s);
/* Values the binding keeps beside the form (never journalled): what its
 * save tells after_save, what a conflict found. */
struct form_values *fv_aside(struct form_state *s);
/* Write the draft now. */
void fv_journal(struct form_state *s, struct view_ctx *ctx);
/* F10: check every field, then save through the binding. */
int fv_save(struct form_state *s, struct view_ctx *ctx);
/* Whether drafts are kept (their directory could be made). */
bool fv_has_drafts(const struct form_state *s);
/* Remove the draft with this id (this form's own: fv_id). */
void fv_forget_draft(struct form_state *s, const char *id);
/* Field i's value as shown: a choice by its label (owned). */
char *fv_shown(const struct form_state *s, int i, const char *value);

/* The referral of the current question, with the client's contact details
 * when client is not NULL, from the values named prefix + id, to_org,
 * reason, urgency and note (bind/referral.c, for bind/client.c too). */
struct client_new;
enum bind_status bind_referral_store(struct form_state *s, struct view_ctx *ctx,
                                     const char *prefix, const struct client_new *client,
                                     struct db_error *err);

#endif
