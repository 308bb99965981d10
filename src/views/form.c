/* form.c: a data-entry form from forms/NAME.form.
 * Tab and Enter go to the next field, Shift-Tab back; Up and Down move
 * between the lines of a multi-line field and past its edges to the fields
 * around it; F10 or Ctrl-S saves after checking every field; Esc cancels
 * (asking first when something was typed).  Every change is journalled as
 * a draft, so nothing typed is lost to a dropped connection, SSH session or
 * crash; the save uses the draft's uuid, so a retry never stores the
 * question twice.  What a form starts with, how it is stored and what
 * comes after is its binding's (`binds NAME`, src/views/bind/): this file
 * knows no kind of form, and reports a failed save one way for all.
 *
 * Each text field is a textedit (src/util/textedit.h) that holds exactly
 * what was typed; the screen only shows it, wrapped at word boundaries, so
 * no terminal size, field height, scroll position or typing speed can
 * change the text.  (libform, used before, keeps a field as a grid of
 * cells padded with blanks, moves words when it wraps and cannot hold a
 * line break: long texts came back changed.)  A paste arrives whole (see
 * fv_paste).  A choice field holds one of its choices, picked with the
 * arrows or by typing the first letters of a label.  Ctrl-E edits a
 * multi-line field in $VISUAL or $EDITOR. */
#include "config.h"

#include "db/db.h"
#include "model/session.h"
#include "form/form.h"
#include "model/refdata.h"
#include "model/refusal.h"
#include "model/referral.h"
#include "ui/screen.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/i18n.h"
#include "util/textedit.h"
#include "util/utf8.h"
#include "util/uuid.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/bind/bind.h"
#include "views/views.h"

#include <ctype.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_COL 2
#define LABEL_MIN 16 /* the label column: the longest label, within these */
#define LABEL_MAX 24
#define COUNT_FROM 100 /* fields this long show their count near the limit */
#define TEXT_ROWS 4      /* a multi-line field's height when space is short */
#define TEXT_ROWS_MAX 12 /* ... and at most, on a tall terminal */
#define FORM_TOP 2       /* the title and a blank line above the fields */

/* One field while the form is open. */
struct field_state {
	struct textedit te; /* text-like fields: exactly what was typed */
	int top;            /* multi-line: the first row shown */
	char prefix[64];    /* choice: the letters typed to pick it */
};

struct form_state {
	struct form_def *def;
	struct code_list *choices; /* per field: choices from a table */
	struct field_state *fs;    /* per field, from the draft at the first load */
	int *row;                  /* per field: screen row (from the top of the area) */
	int *height;               /* per field: rows on screen */
	int cols;                  /* the area's width at the last layout */
	int label_width;           /* the label column */
	bool laid_out;             /* false when the terminal is too small */
	struct form_draft draft;
	char *draft_dir;
	bool dirty;
	bool unjournalled; /* typed since the draft was last written */
	bool confirm_cancel;
	bool pending_save;
	int current;
	char *title; /* instead of the form's own (the binding's) */
	const struct form_binding *bind;
	struct form_values aside; /* the binding's own (fv_aside) */
};

static bool
is_text(const struct form_field *f)
{
	return f->type != FORM_CHOICE && f->type != FORM_CHECKBOX;
}

static const char *
value(const struct form_state *s, const char *name)
{
	const char *v = form_values_get(&s->draft.values, name);
	return v ? v : "";
}

/* The text fields into the draft's values (choices are kept there as they
 * change). */
static void
collect(struct form_state *s)
{
	if (!s->fs)
		return;
	for (int i = 0; i < s->def->nfields; i++)
		if (is_text(&s->def->fields[i]))
			form_values_set(&s->draft.values, s->def->fields[i].name,
			                textedit_text(&s->fs[i].te));
}

static void
journal(struct form_state *s, struct view_ctx *ctx)
{
	collect(s);
	s->unjournalled = false;
	s->draft.saved = (long long)time(NULL);
	if (s->draft_dir && !form_draft_write(s->draft_dir, &s->draft))
		view_message(ctx, "%s", _("Cannot write the draft; what you type may be lost."));
}

/* The field states, from the draft (or each field's default). */
static void
fields_open(struct form_state *s)
{
	int n = s->def->nfields;
	s->fs = xcalloc((size_t)n, sizeof *s->fs);
	s->row = xcalloc((size_t)n, sizeof *s->row);
	s->height = xcalloc((size_t)n, sizeof *s->height);
	for (int i = 0; i < n; i++) {
		const struct form_field *f = &s->def->fields[i];
		const char *v = form_values_get(&s->draft.values, f->name);
		if (!v) {
			v = f->def ? f->def : "";
			form_values_set(&s->draft.values, f->name, v);
		}
		if (is_text(f))
			textedit_init(&s->fs[i].te, v, (size_t)form_field_max(f),
			              f->type == FORM_MULTILINE);
	}
}

static void
fields_close(struct form_state *s)
{
	for (int i = 0; s->fs && i < s->def->nfields; i++)
		if (is_text(&s->def->fields[i]))
			textedit_free(&s->fs[i].te);
	free(s->fs);
	free(s->row);
	free(s->height);
	s->fs = NULL;
	s->row = s->height = NULL;
}

static int choice_count(const struct form_state *s, int i);
static const char *choice_label_at(const struct form_state *s, int i, int k);

/* Columns left for a field after the label column. */
static int
room(const struct form_state *s, int cols)
{
	return cols - LABEL_COL - s->label_width - 3; /* and a column for ↑ ↓ */
}

static int
field_width(const struct form_state *s, const struct form_field *f, int cols)
{
	int left = room(s, cols), want = left;
	switch (f->type) {
	case FORM_CHECKBOX:
		want = 4;
		break;
	case FORM_DATE:
		want = 11;
		break;
	case FORM_POSTCODE:
		want = 8;
		break;
	case FORM_PHONE:
		want = 21;
		break;
	case FORM_CHOICE:
		want = 20; /* the longest label fits, as far as the room allows */
		for (int k = 0; k < choice_count(s, (int)(f - s->def->fields)); k++) {
			int w = text_width(choice_label_at(s, (int)(f - s->def->fields), k)) + 1;
			if (w > want)
				want = w;
		}
		break;
	default:
		break;
	}
	if (want > left)
		want = left;
	return want > 1 ? want : 1;
}

/* Where each field goes: one row each, and what is left shared out among
 * the multi-line fields (at least TEXT_ROWS rows each when there is room).
 * False when the fields do not fit at all. */
static bool
lay_out(struct form_state *s, const struct view_area *area)
{
	int n = s->def->nfields, multi = 0;
	for (int i = 0; i < n; i++)
		multi += s->def->fields[i].type == FORM_MULTILINE;
	/* two rows above the status bar: a long message wraps onto them */
	int spare = area->rows - FORM_TOP - n - 2;
	s->cols = area->cols;
	s->label_width = LABEL_MIN;
	for (int i = 0; i < n; i++) {
		const struct form_field *f = &s->def->fields[i];
		int w = text_width(f->label) + (f->required ? 2 : 0) + 1;
		if (w > s->label_width)
			s->label_width = w < LABEL_MAX ? w : LABEL_MAX;
	}
	if (spare < 0 || room(s, area->cols) < 8)
		return s->laid_out = false;
	int extra = multi ? spare / multi : 0;
	if (extra > TEXT_ROWS_MAX - 1)
		extra = TEXT_ROWS_MAX - 1;
	int used = FORM_TOP;
	for (int i = 0; i < n; i++) {
		s->row[i] = used;
		s->height[i] = s->def->fields[i].type == FORM_MULTILINE ? 1 + extra : 1;
		used += s->height[i];
	}
	return s->laid_out = true;
}

/* Keep the cursor of a multi-line field on screen. */
static void
scroll_to_cursor(struct form_state *s, int i)
{
	const struct form_field *f = &s->def->fields[i];
	if (!s->laid_out || f->type != FORM_MULTILINE)
		return;
	struct textedit_layout l = {0};
	textedit_layout(&s->fs[i].te, field_width(s, f, s->cols), &l);
	int r, c;
	textedit_cursor_pos(&s->fs[i].te, &l, &r, &c);
	int h = s->height[i];
	if (r < s->fs[i].top)
		s->fs[i].top = r;
	if (r >= s->fs[i].top + h)
		s->fs[i].top = r - h + 1;
	if (s->fs[i].top > l.n - h)
		s->fs[i].top = l.n - h > 0 ? l.n - h : 0;
	textedit_layout_free(&l);
}

/* Move to field i, with the cursor at the end of its text. */
static void
go_field(struct form_state *s, int i)
{
	if (i < 0 || i >= s->def->nfields)
		return;
	s->fs[s->current].prefix[0] = '\0';
	s->current = i;
	if (is_text(&s->def->fields[i]))
		textedit_end(&s->fs[i].te);
	scroll_to_cursor(s, i);
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
choice_label_at(const struct form_state *s, int i, int k)
{
	const struct form_field *f = &s->def->fields[i];
	return f->nchoices ? f->choices[k].label : s->choices[i].items[k].label;
}

static const char *
choice_label(const struct form_state *s, int i, const char *code)
{
	for (int k = 0; k < choice_count(s, i); k++)
		if (strcmp(choice_code(s, i, k), code) == 0)
			return choice_label_at(s, i, k);
	return code;
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
		/* One refers to another organisation, never to one's own. */
		if (t == REF_ORGANISATION && ctx->session->organisation)
			code_list_remove(&s->choices[i], ctx->session->organisation);
	}
	return true;
}

static void
set_choice(struct form_state *s, int i, const char *code)
{
	form_values_set(&s->draft.values, s->def->fields[i].name, code);
}

/* Left/Right (or Space) on a choice or checkbox: the next or previous value. */
static void
cycle(struct form_state *s, int i, int step)
{
	const struct form_field *f = &s->def->fields[i];
	const char *now = value(s, f->name);
	s->fs[i].prefix[0] = '\0';
	if (f->type == FORM_CHECKBOX) {
		set_choice(s, i, strcmp(now, "ja") == 0 ? "nee" : "ja");
		return;
	}
	int n = choice_count(s, i), k = 0;
	while (k < n && strcmp(choice_code(s, i, k), now) != 0)
		k++;
	k = k < n ? (k + step + n) % n : (step > 0 ? 0 : n - 1);
	if (n > 0) {
		char *code = xstrdup(choice_code(s, i, k));
		set_choice(s, i, code);
		free(code);
	}
}

/* Does `text` start with `prefix`, ignoring case (ASCII letters and the
 * accented Latin letters Dutch uses, byte for byte otherwise)? */
static bool
starts_with(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strlen(text) < n)
		return false;
	return strncasecmp(text, prefix, n) == 0;
}

/* The first choice whose label or code starts with prefix; -1 if none. */
static int
choice_by_prefix(const struct form_state *s, int i, const char *prefix)
{
	for (int k = 0; k < choice_count(s, i); k++)
		if (starts_with(choice_label_at(s, i, k), prefix) ||
		    starts_with(choice_code(s, i, k), prefix))
			return k;
	return -1;
}

/* A letter typed in a choice field picks the first choice that starts with
 * what was typed there; what picks nothing is refused, visibly. */
static int
type_choice(struct form_state *s, struct view_ctx *ctx, int i, int ch)
{
	struct field_state *fs = &s->fs[i];
	char c[4];
	size_t n = utf8_encode((uint32_t)ch, c);
	if (n == 0)
		return VIEW_HANDLED;
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, fs->prefix);
	strbuf_add(&sb, c, n);
	int k = choice_by_prefix(s, i, sb.buf);
	if (k < 0 && fs->prefix[0]) { /* a fresh start */
		strbuf_reset(&sb);
		strbuf_add(&sb, c, n);
		k = choice_by_prefix(s, i, sb.buf);
	}
	if (k < 0) {
		view_message(ctx, _("%s: no choice starts with '%s%.*s'."), s->def->fields[i].label,
		             fs->prefix, (int)n, c);
		beep();
		strbuf_free(&sb);
		return VIEW_HANDLED;
	}
	snprintf(fs->prefix, sizeof fs->prefix, "%s", sb.buf);
	strbuf_free(&sb);
	char *code = xstrdup(choice_code(s, i, k));
	set_choice(s, i, code);
	free(code);
	return VIEW_HANDLED | VIEW_CHANGED;
}

static void report_insert(struct form_state *s, struct view_ctx *ctx,
                          const struct textedit_result *r);

/* A save that did not go through.  On a lost connection the form waits
 * and saves when the connection is back; a refused value puts the cursor on
 * its field and says why, in the user's language; anything else is said
 * plainly, never as the server's English text.  The form and its draft stay
 * either way.  Clears err. */
static int
save_failed(struct form_state *s, struct view_ctx *ctx, struct db_error *err)
{
	struct refusal r;
	s->pending_save = db_error_is_connection(err);
	if (s->pending_save) {
		view_message(ctx, "%s",
		             _("Connection lost: the form is kept and saved when the connection is back."));
	} else if (refusal_find(err, &r)) {
		const struct form_field *f = r.column[0] ? form_field_find(s->def, r.column) : NULL;
		if (f) {
			go_field(s, (int)(f - s->def->fields));
			view_message(ctx, "%s: %s", f->label, _(r.message));
		} else {
			view_message(ctx, _("Not saved: %s. The form is kept."), _(r.message));
		}
	} else if (strcmp(err->sqlstate, "42501") == 0) {
		view_message(ctx, "%s",
		             _("Not saved: you may not do this here (the database refused it). The form "
		               "is kept."));
	} else {
		view_message(ctx,
		             _("Not saved: the database answered with error %s. The form is kept; F10 "
		               "tries again."),
		             err->sqlstate[0] ? err->sqlstate : "?");
	}
	db_error_clear(err);
	return VIEW_REDRAW;
}

/* Run editor on path, the terminal handed over and taken back whole;
 * true when it exited with status 0. */
static bool
run_editor(const char *editor, const char *path)
{
	def_prog_mode();
	endwin();
	ui_bracketed_paste(false);
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
	ui_bracketed_paste(true);
	clearok(curscr, TRUE);
	return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The editor's text (n bytes) as field i's value, as it saved it but for
 * trailing blank lines and spaces and the characters loket does not store
 * (said, as for a paste). */
static void set_text(struct form_state *s, struct view_ctx *ctx, int i, const char *text,
                     size_t n);

static void
take_edited(struct form_state *s, struct view_ctx *ctx, int i, char *text, size_t n)
{
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
	set_text(s, ctx, i, text, n);
}

/* Text field i's value replaced by text (n bytes), as a paste of it into
 * the emptied field would leave it; a text past the limit is kept and
 * said (it cannot be saved so). */
static void
set_text(struct form_state *s, struct view_ctx *ctx, int i, const char *text, size_t n)
{
	struct textedit *te = &s->fs[i].te;
	size_t max = te->max;
	struct textedit_result r;
	textedit_set(te, "");
	te->max = 0;
	textedit_insert(te, text, n, true, &r);
	te->max = max;
	report_insert(s, ctx, &r);
	if (te->max && te->length > te->max)
		view_message(ctx, _("%s is longer than %d characters: shorten it before saving."),
		             s->def->fields[i].label, (int)te->max);
	scroll_to_cursor(s, i);
	s->dirty = true;
	journal(s, ctx);
}

/* Ctrl-E: the current multi-line field in $VISUAL or $EDITOR (else vi),
 * through a private temporary file; what the editor leaves is the field's
 * new value. */
static int
external_edit(struct form_state *s, struct view_ctx *ctx)
{
	int i = s->current;
	const struct form_field *f = &s->def->fields[i];
	if (f->type != FORM_MULTILINE || !s->fs) {
		view_message(ctx, "%s", _("Ctrl-E edits a text of several lines in your editor."));
		return VIEW_REDRAW;
	}
	/* A locked desk (an SSH ForceCommand: deployment.md) runs nothing but
	 * loket: an editor would give its users a shell (vi's :sh, :!, :w). */
	const char *locked = getenv("LOKET_LOCKED");
	if (locked && *locked && strcmp(locked, "0") != 0) {
		view_message(ctx, "%s",
		             _("Ctrl-E is off on this server: no other program runs from loket here. "
		               "Edit the text in the form."));
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
	char *text = NULL;
	size_t n = 0;
	if (!ok)
		view_message(ctx, _("Cannot write a temporary file: %s"), strerror(errno));
	else if (!run_editor(editor, path))
		view_message(ctx, _("The editor (%s) did not finish normally; the text is unchanged."),
		             editor);
	else if (!file_read(path, &text, &n) || strlen(text) != n)
		view_message(ctx, "%s", _("The edited text could not be read; the text is unchanged."));
	else
		take_edited(s, ctx, i, text, n);
	free(text);
	unlink(path);
	free(path);
	return VIEW_REDRAW;
}

/* The drafts are done and the lists read again where they are; the
 * binding's after_save says what comes next. */
static int
saved(struct form_state *s, struct view_ctx *ctx)
{
	s->pending_save = false;
	fv_forget_draft(s, s->draft.id);
	ctx->stale = STALE_IN_PLACE;
	return VIEW_BACK | s->bind->after_save(s, ctx);
}

/* Store through the binding; a failure is reported one way for all (a
 * newer version by the binding's conflict handler, when it has one). */
static int
store(struct form_state *s, struct view_ctx *ctx)
{
	struct db_error err = {0};
	int flags = 0;
	switch (s->bind->save(s, ctx, &err)) {
	case BIND_SAVED:
		flags = saved(s, ctx);
		break;
	case BIND_FAILED:
		if (strcmp(err.sqlstate, "40001") == 0 && s->bind->conflict)
			flags = s->bind->conflict(s, ctx);
		if (!flags)
			flags = save_failed(s, ctx, &err);
		break;
	case BIND_KEPT:
		flags = VIEW_REDRAW;
		break;
	case BIND_NEXT:
		s->pending_save = false;
		flags = VIEW_BACK | VIEW_NAV;
		break;
	}
	db_error_clear(&err);
	return flags;
}

/* F10: check every field, then store; on a lost connection keep the draft
 * and try again when the connection is back. */
int
fv_save(struct form_state *s, struct view_ctx *ctx)
{
	journal(s, ctx);
	const char *why = NULL;
	const struct form_field *bad = form_first_invalid(s->def, &s->draft.values, &why);
	if (bad) {
		if (s->fs)
			go_field(s, (int)(bad - s->def->fields));
		view_message(ctx, "%s: %s", bad->label, _(why));
		return VIEW_REDRAW;
	}
	return store(s, ctx);
}

/* Esc: the draft goes, and the binding may say where to (the contact
 * details of a referral go back to the referral form). */
static int
leave(struct form_state *s, struct view_ctx *ctx)
{
	fv_forget_draft(s, s->draft.id);
	return VIEW_BACK | (s->bind->leave ? s->bind->leave(s, ctx) : 0);
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


/* The current multi-line field's layout at the current width. */
static bool
current_layout(struct form_state *s, struct textedit_layout *l)
{
	const struct form_field *f = &s->def->fields[s->current];
	if (!s->laid_out || !is_text(f))
		return false;
	textedit_layout(&s->fs[s->current].te, field_width(s, f, s->cols), l);
	return true;
}

/* Say what an insert left out. */
static void
report_insert(struct form_state *s, struct view_ctx *ctx, const struct textedit_result *r)
{
	const struct form_field *f = &s->def->fields[s->current];
	const struct textedit *te = &s->fs[s->current].te;
	char count[48];
	textedit_count(te, count, sizeof count);
	if (r->over_limit) {
		view_message(ctx,
		             ngettext("%s is full (%s characters): %zu character was not added.",
		                      "%s is full (%s characters): %zu characters were not added.",
		                      r->over_limit),
		             f->label, count, r->over_limit);
		beep();
	} else if (r->refused) {
		view_message(ctx,
		             ngettext("%zu character was left out: U+%04X and other invisible or "
		                      "control characters are not stored (doc/forms.md).",
		                      "%zu characters were left out: U+%04X and other invisible or "
		                      "control characters are not stored (doc/forms.md).",
		                      r->refused),
		             r->refused, (unsigned)r->first_refused);
		beep();
	} else if (r->invalid) {
		view_message(ctx, "%s", _("Bytes that were not UTF-8 text were left out."));
		beep();
	}
}

static int
insert(struct form_state *s, struct view_ctx *ctx, const char *text, size_t len, bool paste)
{
	struct textedit_result r;
	textedit_insert(&s->fs[s->current].te, text, len, paste, &r);
	report_insert(s, ctx, &r);
	scroll_to_cursor(s, s->current);
	return VIEW_HANDLED | (r.inserted ? VIEW_CHANGED : 0);
}

/* Up and Down inside a multi-line field; past its first or last line, to
 * the field before or after. */
static void
vertical(struct form_state *s, int step)
{
	struct textedit_layout l = {0};
	bool moved = false;
	if (s->def->fields[s->current].type == FORM_MULTILINE && current_layout(s, &l)) {
		struct textedit *te = &s->fs[s->current].te;
		moved = step < 0 ? textedit_up(te, &l) : textedit_down(te, &l);
		textedit_layout_free(&l);
	}
	if (moved)
		scroll_to_cursor(s, s->current);
	else
		go_field(s, s->current + step);
}

/* Keys on a text field. */
static int
text_key(struct form_state *s, struct view_ctx *ctx, int key)
{
	struct textedit *te = &s->fs[s->current].te;
	struct textedit_layout l = {0};
	bool changed = false;
	switch (key) {
	case KEY_LEFT:
		textedit_left(te);
		break;
	case KEY_RIGHT:
		textedit_right(te);
		break;
	case KEY_HOME:
	case KEY_END:
		if (te->multiline && current_layout(s, &l)) {
			(key == KEY_HOME ? textedit_row_home : textedit_row_end)(te, &l);
			textedit_layout_free(&l);
		} else {
			(key == KEY_HOME ? textedit_home : textedit_end)(te);
		}
		break;
	case KEY_PPAGE:
	case KEY_NPAGE:
		for (int k = 0; k < s->height[s->current] - 1 && current_layout(s, &l); k++) {
			bool moved = key == KEY_PPAGE ? textedit_up(te, &l) : textedit_down(te, &l);
			textedit_layout_free(&l);
			if (!moved)
				break;
		}
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		changed = textedit_backspace(te);
		break;
	case KEY_DC:
		changed = textedit_delete(te);
		break;
	case '\n': /* Ctrl-J: a line break in a multi-line field */
		if (!te->multiline) {
			go_field(s, s->current + 1);
			return VIEW_HANDLED;
		}
		return insert(s, ctx, "\n", 1, false);
	default:
		return 0;
	}
	scroll_to_cursor(s, s->current);
	return VIEW_HANDLED | (changed ? VIEW_CHANGED : 0);
}

/* Keys on a choice or a yes/no field. */
static int
pick_key(struct form_state *s, struct view_ctx *ctx, int key)
{
	int i = s->current;
	struct field_state *fs = &s->fs[i];
	switch (key) {
	case KEY_LEFT:
	case KEY_RIGHT:
		cycle(s, i, key == KEY_RIGHT ? 1 : -1);
		return VIEW_HANDLED | VIEW_CHANGED;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (fs->prefix[0]) {
			size_t n = strlen(fs->prefix);
			do
				n--;
			while (n > 0 && ((unsigned char)fs->prefix[n] & 0xC0) == 0x80);
			fs->prefix[n] = '\0';
			int k = n ? choice_by_prefix(s, i, fs->prefix) : -1;
			if (k >= 0) {
				char *code = xstrdup(choice_code(s, i, k));
				set_choice(s, i, code);
				free(code);
			}
			return VIEW_HANDLED | VIEW_CHANGED;
		}
		if (!s->def->fields[i].required && s->def->fields[i].type == FORM_CHOICE) {
			set_choice(s, i, ""); /* an optional choice can be emptied */
			return VIEW_HANDLED | VIEW_CHANGED;
		}
		return VIEW_HANDLED;
	}
	(void)ctx;
	return 0;
}

/* Keys that move or act rather than type. */
static int
form_command(struct form_state *s, struct view_ctx *ctx, int key)
{
	if (s->bind->key) {
		int flags = s->bind->key(s, ctx, key);
		if (flags)
			return flags;
	}
	switch (key) {
	case KEY_F(10):
	case CTRL_KEY('s'):
		return fv_save(s, ctx);
	case 27:
		return cancel(s, ctx, 0);
	case KEY_F(1):
		return VIEW_HELP;
	case CTRL_KEY('e'):
		return external_edit(s, ctx);
	case '\t':
	case '\r':
	case KEY_ENTER:
		go_field(s, s->current + 1);
		return VIEW_HANDLED;
	case KEY_BTAB:
		go_field(s, s->current - 1);
		return VIEW_HANDLED;
	case KEY_DOWN:
	case KEY_UP:
		vertical(s, key == KEY_DOWN ? 1 : -1);
		return VIEW_HANDLED;
	}
	return is_text(&s->def->fields[s->current]) ? text_key(s, ctx, key) : pick_key(s, ctx, key);
}

static void
after_change(struct form_state *s, struct view_ctx *ctx, int flags)
{
	if (flags & VIEW_CHANGED) {
		s->dirty = true;
		s->unjournalled = true; /* written once the waiting keys are handled */
	}
	const struct form_field *f = &s->def->fields[s->current];
	/* the field's help, while the form stays (not over the screen it
	 * leaves for) */
	if (!ctx->message && f->help && !(flags & (VIEW_BACK | VIEW_NAV)))
		view_message(ctx, "%s", f->help);
}

static int
fv_key(void *state, struct view_ctx *ctx, int key, bool is_char, const struct view_area *area)
{
	(void)area;
	struct form_state *s = state;
	if (s->confirm_cancel)
		return cancel(s, ctx, is_char ? key : 0);
	if (!s->laid_out)
		return key == 27 ? cancel(s, ctx, 0) : VIEW_HANDLED;
	int flags = 0;
	int i = s->current;
	const struct form_field *f = &s->def->fields[i];
	bool command = !is_char || key < 32 || key == 127;
	if (command) {
		flags = form_command(s, ctx, key);
	} else if (f->type == FORM_CHECKBOX) {
		if (key == ' ')
			cycle(s, i, 1);
		else if (strchr("jJyY", key))
			set_choice(s, i, "ja");
		else if (strchr("nN", key))
			set_choice(s, i, "nee");
		else
			return VIEW_REDRAW;
		flags = VIEW_HANDLED | VIEW_CHANGED;
	} else if (f->type == FORM_CHOICE) {
		flags = type_choice(s, ctx, i, key);
	} else {
		char buf[4]; /* curses gives the character's code point */
		size_t n = utf8_encode((uint32_t)key, buf);
		flags = n == 0 ? VIEW_HANDLED : insert(s, ctx, buf, n, false);
	}
	after_change(s, ctx, flags);
	return flags | VIEW_REDRAW;
}

/* A bracketed paste: the whole text into the current text field at once,
 * never run as keys. */
static int
fv_paste(void *state, struct view_ctx *ctx, const char *text, size_t len)
{
	struct form_state *s = state;
	if (s->confirm_cancel || !s->laid_out)
		return VIEW_REDRAW;
	if (!is_text(&s->def->fields[s->current])) {
		view_message(ctx, "%s",
		             _("Pasting works in a text field; choose here with the arrows or by typing."));
		return VIEW_REDRAW;
	}
	int flags = insert(s, ctx, text, len, true);
	after_change(s, ctx, flags);
	return flags | VIEW_REDRAW;
}

/* After the keys that were waiting are handled, and before loket exits:
 * the draft on disk catches up with the screen. */
static void
fv_settle(void *state, struct view_ctx *ctx)
{
	struct form_state *s = state;
	if (s->unjournalled)
		journal(s, ctx);
}

/* Back from the conflict screen with the choice made there. */
static int
fv_answer(void *state, struct view_ctx *ctx, const struct nav_answer *answer,
          const struct view_area *area)
{
	(void)area;
	struct form_state *s = state;
	return s->bind->answer ? s->bind->answer(s, ctx, answer) : 0;
}

static int
fv_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct form_state *s = state;
	if (!s->choices && !load_choices(s, ctx))
		return VIEW_BACK;
	if (!s->fs)
		fields_open(s);
	else
		collect(s);
	if (s->pending_save && db_connected(ctx->db))
		return fv_save(s, ctx);
	if (!lay_out(s, area))
		view_message(ctx, "%s", _("The terminal is too small for this form."));
	else
		for (int i = 0; i < s->def->nfields; i++)
			scroll_to_cursor(s, i);
	return VIEW_REDRAW;
}

/* A text field's rows, underlined, with "↑"/"↓" where more is above or
 * below. */
static void
draw_text(const struct form_state *s, WINDOW *w, int i, int y, int x, int width)
{
	const struct field_state *fs = &s->fs[i];
	struct textedit_layout l = {0};
	textedit_layout(&fs->te, width, &l);
	for (int r = 0; r < s->height[i]; r++) {
		char *row = textedit_row_text(&fs->te, &l, fs->top + r);
		wattron(w, A_UNDERLINE);
		mvwaddstr(w, y + r, x, row); /* safe: textedit shows refused characters as symbols */
		wattroff(w, A_UNDERLINE);
		free(row);
	}
	if (fs->top > 0)
		mvwaddstr(w, y, x + width, "\xe2\x86\x91");
	if (fs->top + s->height[i] < l.n)
		mvwaddstr(w, y + s->height[i] - 1, x + width, "\xe2\x86\x93");
	textedit_layout_free(&l);
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
	if (!s->laid_out)
		return;
	int x = LABEL_COL + s->label_width + 1;
	for (int i = 0; i < s->def->nfields; i++) {
		const struct form_field *f = &s->def->fields[i];
		int y = area->y + s->row[i], width = field_width(s, f, area->cols);
		char *label = xasprintf("%s%s", f->label, f->required ? " *" : "");
		if (i == s->current)
			ui_style(w, UI_SELECTED, true);
		ui_put(w, y, LABEL_COL - 1, s->label_width + 1, label);
		if (i == s->current)
			ui_style(w, UI_SELECTED, false);
		free(label);
		if (is_text(f)) {
			draw_text(s, w, i, y, x, width);
			/* the count, once the limit is near (the last tenth, or 200) */
			const struct textedit *te = &s->fs[i].te;
			size_t warn = te->max / 10 < 200 ? te->max / 10 : 200;
			if (te->max >= COUNT_FROM && te->length + warn >= te->max) {
				char count[48];
				textedit_count(te, count, sizeof count);
				int cy = s->height[i] > 1 ? y + 1 : y;
				int cx = s->height[i] > 1 ? LABEL_COL : x + width + 2;
				ui_style(w, te->length >= te->max ? UI_WARNING : UI_DIM, true);
				ui_put(w, cy, cx, s->height[i] > 1 ? s->label_width - 1 : area->cols - cx - 1,
				       count);
				ui_style(w, te->length >= te->max ? UI_WARNING : UI_DIM, false);
			}
			continue;
		}
		const char *v = value(s, f->name);
		const char *shown = f->type == FORM_CHOICE ? choice_label(s, i, v)
		                    : strcmp(v, "ja") == 0 ? _("yes")
		                    : strcmp(v, "nee") == 0 ? _("no")
		                                            : v;
		wattron(w, A_UNDERLINE);
		ui_put(w, y, x, width, shown);
		wattroff(w, A_UNDERLINE);
		if (f->type == FORM_CHOICE && i == s->current) {
			ui_style(w, UI_DIM, true);
			ui_put(w, y, x + width + 1, area->cols - x - width - 2,
			       _("← → or type to choose"));
			ui_style(w, UI_DIM, false);
		}
	}
}

static void
fv_cursor(const void *state)
{
	const struct form_state *s = state;
	if (!s->laid_out)
		return;
	const struct form_field *f = &s->def->fields[s->current];
	int y = 1 + s->row[s->current], x = LABEL_COL + s->label_width + 1;
	if (is_text(f)) {
		struct textedit_layout l = {0};
		textedit_layout(&s->fs[s->current].te, field_width(s, f, s->cols), &l);
		int r, c;
		textedit_cursor_pos(&s->fs[s->current].te, &l, &r, &c);
		textedit_layout_free(&l);
		y += r - s->fs[s->current].top;
		x += c;
	}
	wmove(stdscr, y, x);
	wnoutrefresh(stdscr);
}

static void
fv_position(const void *state, char *buf, size_t size)
{
	const struct form_state *s = state;
	snprintf(buf, size, "%s", s->pending_save ? _("waiting to save") : "F10");
}

static void
fv_free(void *state)
{
	struct form_state *s = state;
	free(s->title);
	form_values_clear(&s->aside);
	fields_close(s);
	for (int i = 0; s->choices && i < s->def->nfields; i++)
		code_list_free(&s->choices[i]);
	free(s->choices);
	form_def_free(&s->def);
	form_draft_clear(&s->draft);
	free(s->draft_dir);
	free(s);
}

static const struct view_ops form_ops = {
	.keys = KEYS_FORM,
	.load = fv_load,
	.key = fv_key,
	.paste = fv_paste,
	.settle = fv_settle,
	.answer = fv_answer,
	.draw = fv_draw,
	.cursor = fv_cursor,
	.position = fv_position,
	.free = fv_free,
};

/* What a new form starts with besides its defaults: a choice of
 * organisations without a default starts at the region's central point (so
 * Naar in the referral form names it, and ← → come back to it). */
static void
prefill(struct form_state *s, struct view_ctx *ctx)
{
	struct db_error err = {0};
	for (int i = 0; i < s->def->nfields; i++) {
		const struct form_field *f = &s->def->fields[i];
		if (f->type != FORM_CHOICE || !f->choice_table || f->def ||
		    strcmp(f->choice_table, "organisation") != 0 || *value(s, f->name))
			continue;
		char *code = NULL;
		if (referral_central(ctx->db, &code, NULL, &err) && *code &&
		    !(ctx->session->organisation && strcmp(code, ctx->session->organisation) == 0))
			form_values_set(&s->draft.values, f->name, code);
		free(code);
		db_error_clear(&err);
	}
}

static void
set_number(struct form_state *s, const char *name, int n)
{
	char text[16];
	snprintf(text, sizeof text, "%d", n);
	form_values_set(&s->draft.values, name, text);
}

/* A new form's values: what it is about, what it takes over, and what its
 * binding starts it with. */
static bool
start_values(struct form_state *s, struct view_ctx *ctx, const struct nav_form *f)
{
	if (f->question[0]) {
		form_values_set(&s->draft.values, "_question", f->question);
		set_number(s, "_number", f->number);
	}
	if (f->referral[0]) { /* outcome or return of a referral */
		form_values_set(&s->draft.values, "_referral.id", f->referral);
		set_number(s, "_referral.version", f->referral_version);
		set_number(s, "_number", f->number);
	}
	for (int i = 0; f->carry && i < f->carry->n; i++)
		form_values_set(&s->draft.values, f->carry->names[i], f->carry->values[i]);
	prefill(s, ctx);
	return !s->bind->start || s->bind->start(s, ctx, f);
}

/* The form's definition and its binding; NULL, with a message, when the
 * form cannot be used. */
static struct form_def *
open_def(struct view_ctx *ctx, const char *name, const struct form_binding **bind)
{
	struct form_def *def = NULL;
	struct form_error err;
	if (form_load(loket_datadir(), ctx->session->organisation, name, &def, &err) &&
	    form_binding_find(def, bind, &err))
		return def;
	char where[512];
	form_error_format(&err, where, sizeof where);
	view_message(ctx, _("This form cannot be used: %s"), where);
	form_def_free(&def);
	return NULL;
}

/* A new draft for form f, as who is logged in. */
static bool
start_draft(struct form_state *s, struct view_ctx *ctx, const struct nav_form *f)
{
	const struct session *who = ctx->session;
	snprintf(s->draft.form, sizeof s->draft.form, "%s", f->name);
	uuid_generate(s->draft.id);
	snprintf(s->draft.role, sizeof s->draft.role, "%s", who->role ? who->role : "");
	snprintf(s->draft.database, sizeof s->draft.database, "%s",
	         who->database ? who->database : "");
	return start_values(s, ctx, f);
}

struct view
view_form_new(struct view_ctx *ctx, struct nav_form *f)
{
	struct view v = {NULL, NULL};
	const struct form_binding *bind = NULL;
	struct form_def *def = open_def(ctx, f->name, &bind);
	if (!def) {
		nav_form_drop_carry(f);
		return v;
	}
	struct form_state *s = xcalloc(1, sizeof *s);
	s->def = def;
	s->bind = bind;
	s->draft_dir = form_draft_dir();
	if (f->draft[0] && s->draft_dir && form_draft_read(s->draft_dir, f->draft, &s->draft)) {
		s->dirty = true;
	} else if (!start_draft(s, ctx, f)) {
		nav_form_drop_carry(f);
		fv_free(s);
		return v;
	}
	nav_form_drop_carry(f);
	s->title = bind->title ? bind->title(s) : NULL;
	if (!s->title && *value(s, "_number") && strcmp(value(s, "_number"), "0") != 0)
		s->title = xasprintf(_("%s · question %s"), def->title, value(s, "_number"));
	v.ops = &form_ops;
	v.state = s;
	return v;
}

/* What bindings may ask of the form (views/bind/bind.h). */

const struct form_def *
fv_def(const struct form_state *s)
{
	return s->def;
}

const char *
fv_value(const struct form_state *s, const char *name)
{
	return value(s, name);
}

void
fv_set(struct form_state *s, const char *name, const char *v)
{
	form_values_set(&s->draft.values, name, v);
}

void
fv_sync(struct form_state *s)
{
	collect(s);
}

bool
fv_set_text(struct form_state *s, struct view_ctx *ctx, const char *name, const char *v)
{
	for (int i = 0; s->fs && i < s->def->nfields; i++)
		if (is_text(&s->def->fields[i]) && strcmp(s->def->fields[i].name, name) == 0) {
			set_text(s, ctx, i, v, strlen(v));
			return true;
		}
	return false;
}

const struct form_values *
fv_values(const struct form_state *s)
{
	return &s->draft.values;
}

const char *
fv_id(const struct form_state *s)
{
	return s->draft.id;
}

struct form_values *
fv_aside(struct form_state *s)
{
	return &s->aside;
}

void
fv_journal(struct form_state *s, struct view_ctx *ctx)
{
	journal(s, ctx);
}

bool
fv_has_drafts(const struct form_state *s)
{
	return s->draft_dir != NULL;
}

void
fv_forget_draft(struct form_state *s, const char *id)
{
	if (s->draft_dir && *id)
		form_draft_remove(s->draft_dir, id);
}

char *
fv_shown(const struct form_state *s, int i, const char *v)
{
	if (!v)
		v = "";
	if (s->def->fields[i].type == FORM_CHOICE)
		return xstrdup(choice_label(s, i, v));
	return xstrdup(v);
}
