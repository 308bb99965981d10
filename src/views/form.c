/* form.c: a data-entry form from forms/NAME.form, drawn with libform.
 * Tab, Down and Enter go to the next field, Shift-Tab and Up back; F10 or
 * Ctrl-S saves after checking every field; Esc cancels (asking first when
 * something was typed).  Every change is journalled as a draft, so nothing
 * typed is lost to a dropped connection, SSH session or crash; the save
 * uses the draft's uuid, so a retry never stores the question twice.
 * A multi-line field shows a line break as a paragraph mark (¶), which
 * libform cannot hold; Ctrl-E edits the field in $VISUAL or $EDITOR. */
#include "config.h"

#include "form/form.h"
#include "model/kb.h"
#include "model/question.h"
#include "model/refdata.h"
#include "model/referral.h"
#include "model/referral_flow.h"
#include "ui/screen.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/i18n.h"
#include "util/uuid.h"
#include "util/validate.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <errno.h>
#include <form.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_COL 2
#define LABEL_WIDTH 16
#define TEXT_ROWS 4
#define FORM_TOP 2 /* the title and a blank line above the fields */

struct form_state {
	struct form_def *def;
	struct code_list *choices; /* per field: choices from a table */
	FORM *form;
	FIELD **fields; /* def->nfields + 1, NULL-terminated */
	WINDOW *sub;
	int *row;        /* screen row of each field */
	struct form_draft draft;
	char *draft_dir;
	bool dirty;
	bool confirm_cancel;
	bool pending_save;
	int current;
	char pos[64];
	char *title;        /* instead of the form's own, e.g. when changing a question */
	int conflict_version; /* the question's version when the conflict was found */
	struct form_values now; /* the question as it was then, for a reapply */
};

static int
current_index(const struct form_state *s)
{
	return s->form ? field_index(current_field(s->form)) : s->current;
}

#define PARAGRAPH "\xc2\xb6" /* ¶, a line break in a multi-line field */

/* The field's text: trailing blanks gone, and in a multi-line field (which
 * libform fills line by line with blanks) runs of blanks made one and each
 * paragraph mark, with the blanks around it, a line break again. */
static char *
field_text(FIELD *f, bool multiline)
{
	char *raw = xstrdup(field_buffer(f, 0));
	size_t n = strlen(raw);
	while (n > 0 && raw[n - 1] == ' ')
		raw[--n] = '\0';
	if (multiline) {
		char *w = raw;
		for (char *r = raw; *r; r++) {
			if (strncmp(r, PARAGRAPH, 2) == 0) {
				while (w > raw && w[-1] == ' ')
					w--;
				*w++ = '\n';
				r++;
				while (r[1] == ' ')
					r++;
			} else if (!(*r == ' ' && w > raw && (w[-1] == ' ' || w[-1] == '\n'))) {
				*w++ = *r;
			}
		}
		*w = '\0';
	}
	return raw;
}

/* What a multi-line field shows for a value: line breaks as " ¶ ". */
static char *
field_shown(const char *v)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (const char *p = v; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			strbuf_adds(&sb, " " PARAGRAPH " ");
		else
			strbuf_addc(&sb, *p);
	}
	return strbuf_detach(&sb);
}

static void
collect(struct form_state *s)
{
	if (!s->form)
		return;
	form_driver(s->form, REQ_VALIDATION);
	for (int i = 0; i < s->def->nfields; i++) {
		char *v = field_text(s->fields[i], s->def->fields[i].type == FORM_MULTILINE);
		form_values_set(&s->draft.values, s->def->fields[i].name, v);
		free(v);
	}
}

static void
journal(struct form_state *s, struct view_ctx *ctx)
{
	collect(s);
	s->draft.saved = (long long)time(NULL);
	if (s->draft_dir && !form_draft_write(s->draft_dir, &s->draft))
		view_message(ctx, "%s", _("Cannot write the draft; what you type may be lost."));
}

static void
unpost(struct form_state *s)
{
	if (!s->form)
		return;
	s->current = current_index(s);
	unpost_form(s->form);
	free_form(s->form);
	s->form = NULL;
	for (int i = 0; s->fields && s->fields[i]; i++)
		free_field(s->fields[i]);
	free(s->fields);
	s->fields = NULL;
	if (s->sub)
		delwin(s->sub);
	s->sub = NULL;
}

static int
field_height(const struct form_field *f, int rows_free)
{
	if (f->type != FORM_MULTILINE)
		return 1;
	return rows_free >= TEXT_ROWS ? TEXT_ROWS : (rows_free > 1 ? rows_free : 1);
}

static int
field_width(const struct form_field *f, int cols)
{
	int room = cols - LABEL_COL - LABEL_WIDTH - 2;
	switch (f->type) {
	case FORM_CHECKBOX:
		return 4;
	case FORM_DATE:
		return 11;
	case FORM_POSTCODE:
		return 8;
	case FORM_CHOICE:
		return room < 20 ? room : 20;
	default:
		return room > 1 ? room : 1;
	}
}

/* Build the libform fields for the area and fill them from the draft. */
static bool
post(struct form_state *s, const struct view_area *area)
{
	int n = s->def->nfields;
	s->fields = xcalloc((size_t)n + 1, sizeof *s->fields);
	s->row = xrealloc(s->row, (size_t)n * sizeof *s->row);
	int used = FORM_TOP;
	for (int i = 0; i < n; i++) {
		const struct form_field *f = &s->def->fields[i];
		int rows_free = area->rows - used - (n - i - 1) - 1;
		int h = field_height(f, rows_free);
		FIELD *fl = new_field(h, field_width(f, area->cols), used - FORM_TOP, 0, 0, 0);
		if (!fl)
			return false;
		field_opts_off(fl, O_AUTOSKIP | O_STATIC | O_BLANK);
		if (f->type == FORM_MULTILINE)
			field_opts_on(fl, O_WRAP);
		set_field_back(fl, A_UNDERLINE);
		const char *v = form_values_get(&s->draft.values, f->name);
		char *shown = field_shown(v ? v : (f->def ? f->def : ""));
		set_field_buffer(fl, 0, shown);
		free(shown);
		s->fields[i] = fl;
		s->row[i] = used;
		used += h;
	}
	s->form = new_form(s->fields);
	if (!s->form)
		return false;
	int x = LABEL_COL + LABEL_WIDTH + 1;
	/* Its own window, not a part of stdscr: the view redraws stdscr every
	 * turn, and libform keeps what is typed in this window. */
	/* below the title line, which it would otherwise cover */
	int height = (used < area->rows ? used : area->rows) - FORM_TOP;
	s->sub = newwin(height > 1 ? height : 1, area->cols - x, area->y + FORM_TOP, x);
	if (!s->sub)
		return false;
	keypad(s->sub, TRUE);
	set_form_win(s->form, s->sub);
	set_form_sub(s->form, s->sub);
	if (post_form(s->form) != E_OK)
		return false;
	if (s->current > 0 && s->current < n)
		set_current_field(s->form, s->fields[s->current]);
	return true;
}


/* Choices of a field: its own list or the reference table's. */
static int
choice_count(const struct form_state *s, int i)
{
	const struct form_field *f = &s->def->fields[i];
	return f->nchoices ? f->nchoices : s->choices[i].count;
}

static const char *
choice_code(const struct form_state *s, int i, int k)
{
	const struct form_field *f = &s->def->fields[i];
	return f->nchoices ? f->choices[k].code : s->choices[i].items[k].code;
}

static const char *
choice_label(const struct form_state *s, int i, const char *code)
{
	const struct form_field *f = &s->def->fields[i];
	for (int k = 0; k < f->nchoices; k++)
		if (strcmp(f->choices[k].code, code) == 0)
			return f->choices[k].label;
	return f->nchoices ? "" : code_list_label(&s->choices[i], code);
}

static bool
load_choices(struct form_state *s, struct view_ctx *ctx)
{
	s->choices = xcalloc((size_t)s->def->nfields, sizeof *s->choices);
	for (int i = 0; i < s->def->nfields; i++) {
		const struct form_field *f = &s->def->fields[i];
		enum ref_table t;
		if (!f->choice_table)
			continue;
		struct db_error err = {0};
		if (!refdata_table_by_name(f->choice_table, &t)) {
			view_message(ctx, _("Form %s: unknown choices table '%s'."), s->def->name,
			             f->choice_table);
			return false;
		}
		if (!refdata_load(ctx->db, t, &s->choices[i], &err)) {
			view_db_error(ctx, &err);
			db_error_clear(&err);
			return false;
		}
	}
	return true;
}

/* Left/Right (or Space) on a choice or checkbox: the next or previous value. */
static void
cycle(struct form_state *s, int i, int step)
{
	const struct form_field *f = &s->def->fields[i];
	char *now = field_text(s->fields[i], false);
	if (f->type == FORM_CHECKBOX) {
		set_field_buffer(s->fields[i], 0, strcmp(now, "ja") == 0 ? "nee" : "ja");
	} else {
		int n = choice_count(s, i), k = 0;
		while (k < n && strcmp(choice_code(s, i, k), now) != 0)
			k++;
		k = k < n ? (k + step + n) % n : (step > 0 ? 0 : n - 1);
		if (n > 0)
			set_field_buffer(s->fields[i], 0, choice_code(s, i, k));
	}
	free(now);
}

static const char *const question_columns[] = {"channel", "client_group", "topic", "text",
                                               "postcode4"};

/* The form's values as a question: the columns, and every other field the
 * form has in question.extra (names starting with _ are loket's own). */
static void
question_from(const struct form_state *s, struct question_new *q, char pc[5],
              const char *keys[QUESTION_MAX_EXTRA], const char *values[QUESTION_MAX_EXTRA])
{
	const struct form_values *v = &s->draft.values;
	pc[0] = '\0';
	const char *postcode = form_values_get(v, "postcode4");
	if (postcode && *postcode && !postcode_to4(postcode, pc))
		pc[0] = '\0';
	int nextra = 0;
	for (int i = 0; i < v->n && nextra < QUESTION_MAX_EXTRA; i++) {
		bool column = v->names[i][0] == '_';
		for (size_t c = 0; c < sizeof question_columns / sizeof question_columns[0]; c++)
			column = column || strcmp(question_columns[c], v->names[i]) == 0;
		if (!column && v->values[i][0]) {
			keys[nextra] = v->names[i];
			values[nextra++] = v->values[i];
		}
	}
	memset(q, 0, sizeof *q);
	q->channel = form_values_get(v, "channel");
	q->client_group = form_values_get(v, "client_group");
	q->topic = form_values_get(v, "topic");
	q->text = form_values_get(v, "text");
	q->postcode4 = pc[0] ? pc : NULL;
	q->extra_keys = keys;
	q->extra_values = values;
	q->nextra = nextra;
}

static bool
save_question(struct form_state *s, struct db *db, int *number, struct db_error *err)
{
	struct question_new q;
	char pc[5];
	const char *keys[QUESTION_MAX_EXTRA], *values[QUESTION_MAX_EXTRA];
	question_from(s, &q, pc, keys, values);
	memcpy(q.id, s->draft.id, sizeof q.id - 1); /* drafts hold uuids: 36 characters */
	q.id[sizeof q.id - 1] = '\0';
	return question_add(db, &q, number, err);
}

static const char *
value(const struct form_state *s, const char *name)
{
	const char *v = form_values_get(&s->draft.values, name);
	return v ? v : "";
}

/* After a referral or client save: the drafts are done, the list reloads. */
static int
saved(struct form_state *s, struct view_ctx *ctx)
{
	s->pending_save = false;
	if (s->draft_dir) {
		form_draft_remove(s->draft_dir, s->draft.id);
		const char *first = value(s, "_referral.draft");
		if (*first)
			form_draft_remove(s->draft_dir, first);
	}
	ctx->refresh = true;
	return VIEW_BACK;
}

static int
store_referral(struct form_state *s, struct view_ctx *ctx, const char *prefix,
               const struct client_new *client)
{
	char key[64];
#define REF(name) (snprintf(key, sizeof key, "%s%s", prefix, name), value(s, key))
	char *id = xstrdup(REF("id")), *to = xstrdup(REF("to_org")), *reason = xstrdup(REF("reason"));
	char *urgency = xstrdup(REF("urgency")), *note = xstrdup(REF("note"));
#undef REF
	struct referral_new r = {.id = id, .question_id = value(s, "_question"), .to_org = to,
	                         .reason = reason, .urgency = urgency, .note = note,
	                         .consent_contact = client != NULL};
	struct db_error err = {0};
	bool ok = referral_add(ctx->db, &r, client, &err);
	free(id), free(to), free(reason), free(urgency), free(note);
	if (!ok) {
		s->pending_save = db_error_is_connection(&err);
		if (s->pending_save)
			view_message(ctx, "%s",
			             _("Connection lost: the form is kept and saved when the connection is back."));
		else
			view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_REDRAW;
	}
	return saved(s, ctx);
}

/* The referral form: without consent it is stored at once, without any
 * personal data; with consent the contact details form comes next. */
static int
save_referral(struct form_state *s, struct view_ctx *ctx)
{
	if (!*value(s, "_question")) {
		view_message(ctx, "%s", _("Choose a question in the list first, then press r."));
		return VIEW_REDRAW;
	}
	if (strcmp(value(s, "consent_contact"), "ja") == 0) {
		struct form_values carry = {0};
		form_values_set(&carry, "_question", value(s, "_question"));
		form_values_set(&carry, "_number", value(s, "_number"));
		form_values_set(&carry, "_referral.draft", s->draft.id);
		form_values_set(&carry, "_referral.id", s->draft.id);
		static const char *const keep[] = {"to_org", "reason", "urgency", "note"};
		for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
			char key[64];
			snprintf(key, sizeof key, "_referral.%s", keep[i]);
			form_values_set(&carry, key, value(s, keep[i]));
		}
		ctx->carry = &carry;
		struct view next = view_form_new(ctx, "client", NULL);
		ctx->carry = NULL;
		form_values_clear(&carry);
		if (!next.ops)
			return VIEW_REDRAW;
		ctx->next = xmalloc(sizeof *ctx->next);
		*ctx->next = next;
		s->pending_save = false;
		return VIEW_BACK | VIEW_PUSH; /* the referral draft stays until the client form saves */
	}
	form_values_set(&s->draft.values, "id", s->draft.id);
	int flags = store_referral(s, ctx, "", NULL);
	if (flags & VIEW_BACK) {
		char *central = NULL;
		struct db_error err = {0};
		if (referral_central_name(ctx->db, &central, &err))
			view_message(ctx,
			             _("Referred without personal data: the client contacts %s."),
			             central);
		db_error_clear(&err);
		free(central);
	}
	return flags;
}

/* The contact details form, after a referral with consent: both are stored
 * in one transaction. */
static int
save_client(struct form_state *s, struct view_ctx *ctx)
{
	if (strcmp(value(s, "consent_at"), "ja") != 0) {
		view_message(ctx, "%s",
		             _("Without the client's consent no contact details are stored: choose ja, "
		               "or Esc."));
		return VIEW_REDRAW;
	}
	if (!*value(s, "name") || (!*value(s, "phone") && !*value(s, "email"))) {
		view_message(ctx, "%s", _("Give the client's name and a phone number or e-mail address."));
		return VIEW_REDRAW;
	}
	struct client_new c = {.question_id = value(s, "_question"), .name = value(s, "name"),
	                       .email = value(s, "email"), .phone = value(s, "phone"),
	                       .company_name = value(s, "company_name"),
	                       .kvk_number = value(s, "kvk_number")};
	int flags = store_referral(s, ctx, "_referral.", &c);
	if (flags & VIEW_BACK)
		view_message(ctx, _("Question %s referred, with the client's contact details."),
		             value(s, "_number"));
	return flags;
}

static int
save_signal(struct form_state *s, struct view_ctx *ctx)
{
	struct signal_new sig = {.id = s->draft.id, .question_id = value(s, "_question"),
	                         .kind = value(s, "kind"), .topic = value(s, "topic"),
	                         .sector = value(s, "sector"),
	                         .municipality = value(s, "municipality"), .text = value(s, "text")};
	struct db_error err = {0};
	if (!signal_add(ctx->db, &sig, &err)) {
		s->pending_save = db_error_is_connection(&err);
		if (s->pending_save)
			view_message(ctx, "%s",
			             _("Connection lost: the form is kept and saved when the connection is back."));
		else
			view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_REDRAW;
	}
	view_message(ctx, "%s", _("Signal logged. Thank you."));
	return saved(s, ctx);
}

/* The central point's answer to a referral: completed with an outcome, or
 * returned with a reason.  Only on the version that was read; when someone
 * changed the referral meanwhile the form stays, says what it is now, and
 * F10 applies the answer to that version (Esc drops it). */
static int
save_answer(struct form_state *s, struct view_ctx *ctx)
{
	bool complete = strcmp(s->def->name, "outcome") == 0;
	struct referral_ref ref = {0};
	snprintf(ref.id, sizeof ref.id, "%s", value(s, "_referral.id"));
	ref.version = atoi(value(s, "_referral.version"));
	ref.number = atoi(value(s, "_number"));
	if (!ref.id[0]) {
		view_message(ctx, "%s", _("Choose a referral in the inbox first."));
		return VIEW_REDRAW;
	}
	const char *note = *value(s, "outcome_note") ? value(s, "outcome_note") : NULL;
	struct db_error err = {0};
	bool ok = complete
	                  ? referral_set_status(ctx->db, &ref, "completed", value(s, "outcome"), note,
	                                        NULL, &err)
	                  : referral_set_status(ctx->db, &ref, "returned", NULL, NULL,
	                                        value(s, "return_reason"), &err);
	if (ok) {
		db_error_clear(&err);
		view_message(ctx, complete ? _("Question %d: completed; the sender sees the outcome.")
		                           : _("Question %d: returned to the sender."),
		             ref.number);
		return saved(s, ctx);
	}
	if (strcmp(err.sqlstate, "40001") == 0) {
		/* what is it now? */
		struct referral_ref now;
		struct db_error e2 = {0};
		if (referral_find(ctx->db, ref.id, &now, &e2)) {
			char version[16];
			snprintf(version, sizeof version, "%d", now.version);
			form_values_set(&s->draft.values, "_referral.version", version);
			journal(s, ctx);
			view_message(ctx,
			             _("Changed meanwhile by someone else: the referral is now %s. F10 "
			               "applies your answer to it, Esc drops your answer."),
			             view_referral_status_label(now.status));
		} else {
			view_db_error(ctx, &e2);
		}
		db_error_clear(&e2);
	} else {
		s->pending_save = db_error_is_connection(&err);
		if (s->pending_save)
			view_message(ctx, "%s",
			             _("Connection lost: the form is kept and saved when the connection is back."));
		else
			view_db_error(ctx, &err);
	}
	db_error_clear(&err);
	return VIEW_REDRAW;
}

/* Fill `out` with the question's current values under the form's field
 * names (postcode as its four digits), and say who changed it last. */
static bool
load_current(struct form_state *s, struct view_ctx *ctx, int number, struct form_values *out,
             int *version, char **who, char **when)
{
	struct question_detail d;
	struct db_error err = {0};
	if (!question_load(ctx->db, number, &d, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return false;
	}
	form_values_clear(out);
	const struct question_row *r = &d.row;
	form_values_set(out, "channel", r->channel);
	form_values_set(out, "client_group", r->client_group);
	form_values_set(out, "topic", r->topic);
	form_values_set(out, "text", r->text);
	form_values_set(out, "postcode4", r->postcode4 ? r->postcode4 : "");
	char **keys = NULL, **values = NULL;
	int n = 0;
	if (question_extra(ctx->db, r->id, &keys, &values, &n, &err)) {
		for (int i = 0; i < n; i++)
			if (keys[i][0] != '_')
				form_values_set(out, keys[i], values[i]);
		question_extra_free(keys, values, n);
	}
	db_error_clear(&err);
	*version = r->version;
	if (who && when) {
		*who = *when = NULL;
		for (int i = d.nevents - 1; i >= 0 && !*who; i--)
			if (strcmp(d.events[i].kind, "updated") == 0) {
				*who = xstrdup(d.events[i].actor);
				char t[32];
				view_time(d.events[i].at, t, sizeof t);
				*when = xstrdup(t);
			}
	}
	(void)s;
	question_detail_free(&d);
	return true;
}

/* A field's value for display: a choice by its label. */
static char *
shown(const struct form_state *s, int i, const char *v)
{
	if (!v)
		v = "";
	if (s->def->fields[i].type == FORM_CHOICE)
		return xstrdup(choice_label(s, i, v));
	return xstrdup(v);
}

/* Someone else saved the question first: show the conflict screen. */
static int
conflict(struct form_state *s, struct view_ctx *ctx)
{
	int number = atoi(value(s, "_edit.number"));
	struct conflict_info info = {.number = number};
	if (!load_current(s, ctx, number, &s->now, &s->conflict_version, &info.changed_by,
	                  &info.changed_at))
		return VIEW_REDRAW;
	int n = s->def->nfields;
	info.label = xcalloc((size_t)n + 1, sizeof *info.label);
	info.base = xcalloc((size_t)n + 1, sizeof *info.base);
	info.now = xcalloc((size_t)n + 1, sizeof *info.now);
	info.mine = xcalloc((size_t)n + 1, sizeof *info.mine);
	for (int i = 0; i < n; i++) {
		const char *name = s->def->fields[i].name;
		char base_key[96];
		snprintf(base_key, sizeof base_key, "_base.%s", name);
		const char *base = value(s, base_key), *mine = value(s, name);
		const char *now = form_values_get(&s->now, name);
		now = now ? now : "";
		if (strcmp(base, now) == 0 && strcmp(base, mine) == 0)
			continue; /* nobody changed it */
		info.label[info.n] = xstrdup(s->def->fields[i].label);
		info.base[info.n] = shown(s, i, base);
		info.now[info.n] = shown(s, i, now);
		info.mine[info.n] = shown(s, i, mine);
		info.n++;
	}
	ctx->next = xmalloc(sizeof *ctx->next);
	*ctx->next = view_conflict_new(&info);
	return VIEW_PUSH;
}

/* Changing an existing question: only on the version it had when the edit
 * began; otherwise the conflict screen. */
static int
save_edit(struct form_state *s, struct view_ctx *ctx)
{
	struct question_new q;
	char pc[5];
	const char *keys[QUESTION_MAX_EXTRA], *values[QUESTION_MAX_EXTRA];
	question_from(s, &q, pc, keys, values);
	snprintf(q.id, sizeof q.id, "%s", value(s, "_edit.id"));
	int version = atoi(value(s, "_edit.version"));
	struct db_error err = {0};
	if (question_update(ctx->db, &q, &version, &err)) {
		db_error_clear(&err);
		view_message(ctx, _("Question %s changed."), value(s, "_edit.number"));
		return saved(s, ctx);
	}
	int flags = VIEW_REDRAW;
	if (strcmp(err.sqlstate, "40001") == 0) {
		flags = conflict(s, ctx);
	} else {
		s->pending_save = db_error_is_connection(&err);
		if (s->pending_save)
			view_message(ctx, "%s",
			             _("Connection lost: the form is kept and saved when the connection is back."));
		else
			view_db_error(ctx, &err);
	}
	db_error_clear(&err);
	return flags;
}

/* Back from the conflict screen: r takes theirs where you changed nothing,
 * yours elsewhere, and saves on the version as it is now; d drops yours. */
static int save(struct form_state *s, struct view_ctx *ctx);

static int
after_conflict(struct form_state *s, struct view_ctx *ctx)
{
	char choice = ctx->conflict_choice;
	ctx->conflict_choice = 0;
	if (choice == 'd') {
		if (s->draft_dir)
			form_draft_remove(s->draft_dir, s->draft.id);
		view_message(ctx, "%s", _("Your change was dropped; the question is shown as it is now."));
		ctx->refresh = true;
		return VIEW_BACK;
	}
	if (choice != 'r') {
		view_message(ctx, "%s", _("Your change is kept: F10 saves it, Esc leaves it."));
		return 0;
	}
	for (int i = 0; i < s->def->nfields; i++) {
		const char *name = s->def->fields[i].name;
		char base_key[96];
		snprintf(base_key, sizeof base_key, "_base.%s", name);
		const char *now = form_values_get(&s->now, name);
		now = now ? now : "";
		if (strcmp(value(s, base_key), value(s, name)) == 0)
			form_values_set(&s->draft.values, name, now); /* you left it: theirs */
		form_values_set(&s->draft.values, base_key, now);
	}
	char v[16];
	snprintf(v, sizeof v, "%d", s->conflict_version);
	form_values_set(&s->draft.values, "_edit.version", v);
	journal(s, ctx);
	return save(s, ctx);
}

/* Ctrl-E: the current multi-line field in $VISUAL or $EDITOR (else vi),
 * through a private temporary file; what the editor leaves is the field's
 * new value.  The terminal is handed over and taken back whole. */
static int
external_edit(struct form_state *s, struct view_ctx *ctx)
{
	int i = current_index(s);
	const struct form_field *f = &s->def->fields[i];
	if (f->type != FORM_MULTILINE) {
		view_message(ctx, "%s", _("Ctrl-E edits a text of several lines in your editor."));
		return VIEW_REDRAW;
	}
	journal(s, ctx);
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	const char *tmpdir = getenv("TMPDIR");
	char *path = xasprintf("%s/loket-edit-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path); /* mode 0600 */
	const char *v = value(s, f->name);
	size_t len = strlen(v);
	bool ok = fd >= 0 && write(fd, v, len) == (ssize_t)len && (len == 0 || v[len - 1] == '\n' ||
	                                                            write(fd, "\n", 1) == 1);
	if (fd >= 0)
		close(fd);
	if (!ok) {
		view_message(ctx, _("Cannot write a temporary file: %s"), strerror(errno));
		unlink(path);
		free(path);
		return VIEW_REDRAW;
	}
	def_prog_mode();
	endwin();
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		/* $EDITOR may hold arguments ("emacs -nw"): let the shell split it. */
		setenv("LOKET_EDITOR", editor, 1);
		execl("/bin/sh", "sh", "-c", "exec $LOKET_EDITOR \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	char *text = NULL;
	size_t n = 0;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		view_message(ctx, _("The editor (%s) did not finish normally; the text is unchanged."),
		             editor);
	} else if (!file_read(path, &text, &n) || strlen(text) != n) {
		view_message(ctx, "%s", _("The edited text could not be read; the text is unchanged."));
	} else {
		while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
			text[--n] = '\0';
		char *shown = field_shown(text);
		if (s->form)
			set_field_buffer(s->fields[i], 0, shown);
		free(shown);
		s->dirty = true;
		journal(s, ctx);
	}
	free(text);
	unlink(path);
	free(path);
	return VIEW_REDRAW;
}

/* "31-12-2026" -> "2026-12-31" (the form has checked the shape). */
static void
iso_date(const char *dmy, char out[11])
{
	if (strlen(dmy) == 10 && dmy[2] == '-' && dmy[5] == '-')
		snprintf(out, 11, "%.4s-%.2s-%.2s", dmy + 6, dmy + 3, dmy);
	else
		snprintf(out, 11, "%s", dmy);
}

/* A knowledge item's new version (editors).  When someone saved a newer
 * version meanwhile, the form stays with what was typed and says so; F10
 * again saves it on top of that newer version. */
static int
save_knowledge(struct form_state *s, struct view_ctx *ctx)
{
	char from[11], review[11];
	iso_date(value(s, "valid_from"), from);
	iso_date(value(s, "review_by"), review);
	bool existing = *value(s, "_kb.item") != '\0';
	if (existing && strcmp(value(s, "slug"), value(s, "_kb.slug")) != 0) {
		view_message(ctx, _("The short name of an item cannot change (it is %s)."),
		             value(s, "_kb.slug"));
		return VIEW_REDRAW;
	}
	struct kb_version v = {
		.item_id = existing ? xstrdup(value(s, "_kb.item")) : NULL,
		.slug = (char *)value(s, "slug"),
		.version_no = atoi(value(s, "_kb.version")),
		.title = (char *)value(s, "title"),
		.tell_client = (char *)value(s, "tell_client"),
		.body = (char *)value(s, "body"),
		.audience = (char *)value(s, "audience"),
		.topics = (char *)value(s, "topics"),
		.link = (char *)value(s, "link"),
		.valid_from = from,
		.review_by = review,
	};
	bool created = false;
	struct db_error err = {0};
	bool ok = kb_save(ctx->db, &v, &created, &err);
	if (!ok) {
		s->pending_save = db_error_is_connection(&err);
		if (s->pending_save) {
			view_message(ctx, "%s",
			             _("Connection lost: the form is kept and saved when the connection is back."));
		} else if (strcmp(err.sqlstate, "40001") == 0) {
			/* Base the next F10 on the newest version. */
			struct kb_versions vs;
			struct db_error e2 = {0};
			if (kb_versions(ctx->db, value(s, "_kb.item"), &vs, &e2) && vs.count > 0) {
				char no[16];
				snprintf(no, sizeof no, "%d", vs.items[0].version_no);
				form_values_set(&s->draft.values, "_kb.version", no);
				view_message(ctx, _("%s saved version %d meanwhile. Press F10 again to save "
				                    "yours on top of it (K, v shows the difference), or Esc."),
				             vs.items[0].created_by, vs.items[0].version_no);
				kb_versions_free(&vs);
			} else {
				view_db_error(ctx, &err);
			}
			db_error_clear(&e2);
		} else {
			view_db_error(ctx, &err);
		}
		db_error_clear(&err);
		free(v.item_id);
		return VIEW_REDRAW;
	}
	snprintf(ctx->kb_item, sizeof ctx->kb_item, "%s", v.item_id ? v.item_id : "");
	if (created)
		view_message(ctx, _("Saved: %s version %d."), value(s, "slug"), v.version_no);
	else
		view_message(ctx, "%s", _("Nothing changed: no new version was made."));
	free(v.item_id);
	return saved(s, ctx);
}

/* F10: check every field, then store; on a lost connection keep the draft
 * and try again when the connection is back. */
static int
save(struct form_state *s, struct view_ctx *ctx)
{
	journal(s, ctx);
	const char *why = NULL;
	const struct form_field *bad = form_first_invalid(s->def, &s->draft.values, &why);
	if (bad) {
		if (s->form)
			set_current_field(s->form, s->fields[bad - s->def->fields]);
		view_message(ctx, "%s: %s", bad->label, _(why));
		return VIEW_REDRAW;
	}
	if (strcmp(s->def->binds, "question") == 0 && *value(s, "_edit.id"))
		return save_edit(s, ctx);
	if (strcmp(s->def->binds, "referral") == 0 &&
	    (strcmp(s->def->name, "outcome") == 0 || strcmp(s->def->name, "return") == 0))
		return save_answer(s, ctx);
	if (strcmp(s->def->binds, "referral") == 0)
		return save_referral(s, ctx);
	if (strcmp(s->def->binds, "client") == 0)
		return save_client(s, ctx);
	if (strcmp(s->def->binds, "signal") == 0)
		return save_signal(s, ctx);
	if (strcmp(s->def->binds, "knowledge") == 0)
		return save_knowledge(s, ctx);
	if (strcmp(s->def->binds, "question") != 0) {
		view_message(ctx, _("Form %s cannot be saved yet."), s->def->name);
		return VIEW_REDRAW;
	}
	int number = 0;
	struct db_error err = {0};
	if (!save_question(s, ctx->db, &number, &err)) {
		s->pending_save = db_error_is_connection(&err);
		if (s->pending_save)
			view_message(ctx, "%s",
			             _("Connection lost: the form is kept and saved when the connection is back."));
		else
			view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_REDRAW;
	}
	s->pending_save = false;
	if (s->draft_dir)
		form_draft_remove(s->draft_dir, s->draft.id);
	view_message(ctx, _("Question %d registered."), number);
	ctx->refresh = true;
	ctx->refresh_top = true;
	/* On to the first-line information for this question. */
	ctx->next = xmalloc(sizeof *ctx->next);
	*ctx->next = view_info_new(s->draft.id, number, form_values_get(&s->draft.values, "topic"),
	                           form_values_get(&s->draft.values, "text"));
	return VIEW_BACK | VIEW_PUSH;
}

/* Leaving the contact details of a referral with consent goes back to the
 * referral form as it was (its draft is still on disk): consent can be
 * taken away there, and nothing is left behind half-done. */
static int
leave(struct form_state *s, struct view_ctx *ctx)
{
	if (s->draft_dir)
		form_draft_remove(s->draft_dir, s->draft.id);
	const char *referral = value(s, "_referral.draft");
	if (!*referral || !s->draft_dir)
		return VIEW_BACK;
	snprintf(ctx->open_draft, sizeof ctx->open_draft, "%s", referral);
	ctx->open_form = "referral";
	view_message(ctx, "%s",
	             _("Back to the referral: without consent it goes without personal data."));
	return VIEW_BACK | VIEW_NEW;
}

static int
cancel(struct form_state *s, struct view_ctx *ctx, int ch)
{
	if (!s->confirm_cancel) {
		if (!s->dirty)
			return leave(s, ctx);
		s->confirm_cancel = true;
		view_message(ctx, "%s", _("Discard what you typed? (y/n)"));
		return VIEW_REDRAW;
	}
	s->confirm_cancel = false;
	if (ch == 'y' || ch == 'j' || ch == 'Y' || ch == 'J') {
		view_message(ctx, "%s", _("Form discarded."));
		return leave(s, ctx);
	}
	return VIEW_REDRAW;
}

#define CTRL_KEY(c) ((c)&0x1f)

/* Keys that move or act rather than type. */
static int
form_command(struct form_state *s, struct view_ctx *ctx, int key)
{
	int i = current_index(s);
	enum form_type type = s->def->fields[i].type;
	bool pick = type == FORM_CHOICE || type == FORM_CHECKBOX;
	switch (key) {
	case KEY_F(10):
	case CTRL_KEY('s'):
		return save(s, ctx);
	case 27:
		return cancel(s, ctx, 0);
	case KEY_F(1):
		return VIEW_HELP;
	case CTRL_KEY('e'):
		return external_edit(s, ctx);
	case '\t':
	case KEY_DOWN:
	case '\n':
	case '\r':
	case KEY_ENTER:
		form_driver(s->form, REQ_NEXT_FIELD);
		form_driver(s->form, REQ_END_LINE);
		return VIEW_REDRAW;
	case KEY_BTAB:
	case KEY_UP:
		form_driver(s->form, REQ_PREV_FIELD);
		form_driver(s->form, REQ_END_LINE);
		return VIEW_REDRAW;
	case KEY_LEFT:
	case KEY_RIGHT:
		if (pick)
			cycle(s, i, key == KEY_RIGHT ? 1 : -1);
		else
			form_driver(s->form, key == KEY_RIGHT ? REQ_NEXT_CHAR : REQ_PREV_CHAR);
		return pick ? VIEW_HANDLED | VIEW_CHANGED : VIEW_REDRAW;
	case KEY_HOME:
		form_driver(s->form, REQ_BEG_FIELD);
		return VIEW_REDRAW;
	case KEY_END:
		form_driver(s->form, REQ_END_FIELD);
		return VIEW_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		form_driver(s->form, REQ_DEL_PREV);
		return VIEW_HANDLED | VIEW_CHANGED;
	case KEY_DC:
		form_driver(s->form, REQ_DEL_CHAR);
		return VIEW_HANDLED | VIEW_CHANGED;
	}
	return 0;
}

static int
fv_key(void *state, struct view_ctx *ctx, int key, bool is_char, const struct view_area *area)
{
	(void)area;
	struct form_state *s = state;
	if (s->confirm_cancel)
		return cancel(s, ctx, is_char ? key : 0);
	if (!s->form)
		return key == 27 ? cancel(s, ctx, 0) : VIEW_HANDLED;
	int flags = 0;
	bool command = !is_char || key < 32 || key == 127;
	if (command) {
		flags = form_command(s, ctx, key);
	} else {
		int i = current_index(s);
		if (key == ' ' && s->def->fields[i].type == FORM_CHECKBOX)
			cycle(s, i, 1);
		else
			form_driver_w(s->form, OK, (wchar_t)key);
		flags = VIEW_HANDLED | VIEW_CHANGED;
	}
	if (flags & VIEW_CHANGED) {
		s->dirty = true;
		journal(s, ctx);
	}
	const struct form_field *f = &s->def->fields[current_index(s)];
	if (!ctx->message && f->help)
		view_message(ctx, "%s", f->help);
	return flags | VIEW_REDRAW;
}

static int
fv_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct form_state *s = state;
	if (!s->choices && !load_choices(s, ctx))
		return VIEW_BACK;
	if (s->form) {
		collect(s);
		unpost(s);
	}
	if (ctx->conflict_choice) {
		int flags = after_conflict(s, ctx);
		if (flags & (VIEW_BACK | VIEW_PUSH))
			return flags;
	}
	if (s->pending_save && db_connected(ctx->db))
		return save(s, ctx);
	if (!post(s, area)) {
		unpost(s);
		view_message(ctx, "%s", _("The terminal is too small for this form."));
	}
	return VIEW_REDRAW;
}

static void
fv_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct form_state *s = state;
	for (int y = area->y; y < area->y + area->rows; y++) {
		wmove(w, y, 0);
		wclrtoeol(w);
	}
	ui_style(w, UI_HEADER, true);
	ui_put(w, area->y, LABEL_COL, area->cols - LABEL_COL - 1, s->title ? s->title : s->def->title);
	ui_style(w, UI_HEADER, false);
	if (!s->form)
		return;
	int cur = current_index(s);
	int x = LABEL_COL + LABEL_WIDTH + 1;
	for (int i = 0; i < s->def->nfields; i++) {
		const struct form_field *f = &s->def->fields[i];
		char *label = xasprintf("%s%s", f->label, f->required ? " *" : "");
		if (i == cur)
			ui_style(w, UI_SELECTED, true);
		ui_put(w, area->y + s->row[i], LABEL_COL - 1, LABEL_WIDTH + 1, label);
		if (i == cur)
			ui_style(w, UI_SELECTED, false);
		free(label);
		if (f->type == FORM_CHOICE) {
			char *code = field_text(s->fields[i], false);
			/* beside the field, in the form's own window */
			int fx = field_width(f, area->cols) + 1;
			ui_style(s->sub, UI_DIM, true);
			ui_put(s->sub, s->row[i] - FORM_TOP, fx, area->cols - x - fx, choice_label(s, i, code));
			ui_style(s->sub, UI_DIM, false);
			free(code);
		}
	}
	/* libform draws the fields in their own window, which goes to the
	 * screen after stdscr (see fv_cursor) */
	touchwin(s->sub);
}

static void
fv_cursor(const void *state)
{
	const struct form_state *s = state;
	if (s->form) {
		pos_form_cursor(s->form);
		wnoutrefresh(s->sub);
	}
}

static const char *
fv_position(const void *state)
{
	struct form_state *s = (struct form_state *)state;
	snprintf(s->pos, sizeof s->pos, "%s", s->pending_save ? _("waiting to save") : "F10");
	return s->pos;
}

static int
fv_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	(void)state, (void)ctx, (void)cmd, (void)area;
	return 0;
}

static void
fv_free(void *state)
{
	free(((struct form_state *)state)->title);
	form_values_clear(&((struct form_state *)state)->now);
	struct form_state *s = state;
	unpost(s);
	for (int i = 0; s->choices && i < s->def->nfields; i++)
		code_list_free(&s->choices[i]);
	free(s->choices);
	free(s->row);
	form_def_free(&s->def);
	form_draft_clear(&s->draft);
	free(s->draft_dir);
	free(s);
}

static const struct view_ops form_ops = {
	.keys = KEYS_FORM,
	.load = fv_load,
	.handle = fv_handle,
	.key = fv_key,
	.draw = fv_draw,
	.cursor = fv_cursor,
	.position = fv_position,
	.free = fv_free,
};

/* Changing question `number`: its values, and the same as "_base.*" (what
 * it was when the edit began, for the conflict screen), its id and version. */
static bool
prefill_edit(struct form_state *s, struct view_ctx *ctx, int number)
{
	struct form_values now = {0};
	int version = 0;
	if (!load_current(s, ctx, number, &now, &version, NULL, NULL))
		return false;
	for (int i = 0; i < now.n; i++) {
		char base_key[96];
		snprintf(base_key, sizeof base_key, "_base.%s", now.names[i]);
		form_values_set(&s->draft.values, now.names[i], now.values[i]);
		form_values_set(&s->draft.values, base_key, now.values[i]);
	}
	char v[16], n[16];
	snprintf(v, sizeof v, "%d", version);
	snprintf(n, sizeof n, "%d", number);
	struct question_detail d;
	struct db_error err = {0};
	bool ok = question_load(ctx->db, number, &d, &err);
	if (ok) {
		form_values_set(&s->draft.values, "_edit.id", d.row.id);
		question_detail_free(&d);
	}
	db_error_clear(&err);
	form_values_set(&s->draft.values, "_edit.version", v);
	form_values_set(&s->draft.values, "_edit.number", n);
	form_values_clear(&now);
	return ok;
}

struct view
view_form_new(struct view_ctx *ctx, const char *name, const char *draft_id)
{
	struct view none = {NULL, NULL};
	struct form_def *def = NULL;
	struct form_error err;
	const struct session *who = ctx->session;
	if (!form_load(loket_datadir(), who->organisation, name, &def, &err)) {
		char where[512];
		form_error_format(&err, where, sizeof where);
		view_message(ctx, _("This form cannot be used: %s"), where);
		return none;
	}
	struct form_state *s = xcalloc(1, sizeof *s);
	s->def = def;
	s->draft_dir = form_draft_dir();
	if (draft_id && s->draft_dir && form_draft_read(s->draft_dir, draft_id, &s->draft)) {
		s->dirty = true;
	} else {
		snprintf(s->draft.form, sizeof s->draft.form, "%s", name);
		uuid_generate(s->draft.id);
		snprintf(s->draft.role, sizeof s->draft.role, "%s", who->role ? who->role : "");
		if (ctx->open_question[0]) {
			char number[16];
			snprintf(number, sizeof number, "%d", ctx->open_question_number);
			form_values_set(&s->draft.values, "_question", ctx->open_question);
			form_values_set(&s->draft.values, "_number", number);
		}
		if (ctx->edit_number > 0 &&
		    !prefill_edit(s, ctx, ctx->edit_number)) { /* changing a question */
			ctx->edit_number = 0;
			form_def_free(&s->def);
			free(s->draft_dir);
			form_draft_clear(&s->draft);
			free(s);
			return none;
		}
		if (ctx->open_referral[0]) { /* outcome or return of a referral */
			char number[16], version[16];
			snprintf(number, sizeof number, "%d", ctx->open_question_number);
			snprintf(version, sizeof version, "%d", ctx->open_referral_version);
			form_values_set(&s->draft.values, "_referral.id", ctx->open_referral);
			form_values_set(&s->draft.values, "_referral.version", version);
			form_values_set(&s->draft.values, "_number", number);
		}
		for (int i = 0; ctx->carry && i < ctx->carry->n; i++)
			form_values_set(&s->draft.values, ctx->carry->names[i], ctx->carry->values[i]);
	}
	if (form_values_get(&s->draft.values, "_edit.number"))
		s->title = xasprintf(_("Question %s: change"), value(s, "_edit.number"));
	ctx->edit_number = 0;
	ctx->open_question[0] = '\0';
	ctx->open_referral[0] = '\0';
	struct view v = {&form_ops, s};
	return v;
}
