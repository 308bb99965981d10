/* prompt.c: readline in callback mode inside curses.  Readline never touches
 * the terminal: rl_getc_function hands it the bytes of the key we got from
 * curses, rl_redisplay_function does nothing (prompt_draw draws the line),
 * and its terminal preparation and signal handling are switched off. */
#include "config.h"

#include "shell/prompt.h"
#include "ui/screen.h"
#include "util/width.h"
#include "util/xalloc.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
prompt_library_version(void)
{
	return rl_library_version;
}
#include <wchar.h>

static unsigned char pending[16]; /* bytes of the key being fed */
static size_t npending, next_byte;
static bool active, initialised;
static enum prompt_state state;
static char *line;
static char *prompt_text;

static int
feed_getc(FILE *f)
{
	(void)f;
	return next_byte < npending ? pending[next_byte++] : EOF;
}

static int
feed_available(void)
{
	return next_byte < npending;
}

static void
no_redisplay(void)
{
}

static void
on_line(char *text)
{
	rl_callback_handler_remove();
	active = false;
	if (!text) {
		state = PROMPT_CANCEL;
		return;
	}
	if (*text)
		add_history(text);
	free(line);
	line = text;
	state = PROMPT_DONE;
}

static void
init_readline(void)
{
	if (initialised)
		return;
	initialised = true;
	rl_readline_name = "loket";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = feed_getc;
	rl_input_available_hook = feed_available;
	rl_redisplay_function = no_redisplay;
	rl_inhibit_completion = 1;
	/* readline must never write to the terminal curses owns */
	rl_outstream = fopen("/dev/null", "w");
	rl_variable_bind("bell-style", "none");
	using_history();
	stifle_history(200);
}

void
prompt_open(const char *prompt)
{
	init_readline();
	free(prompt_text);
	prompt_text = xstrdup(prompt);
	active = true;
	state = PROMPT_EDITING;
	rl_callback_handler_install(NULL, on_line);
}

bool
prompt_active(void)
{
	return active;
}

/* A curses key as the bytes a terminal would send readline. */
static size_t
encode_key(int key, bool is_char, unsigned char *out)
{
	if (is_char) {
		if (key == '\r')
			key = '\n';
		wchar_t wc = (wchar_t)key;
		char mb[8];
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		size_t n = wcrtomb(mb, wc, &ps);
		if (n == (size_t)-1)
			return 0;
		memcpy(out, mb, n);
		return n;
	}
	static const struct {
		int key;
		const char *seq;
	} keys[] = {
		{KEY_LEFT, "\033[D"},  {KEY_RIGHT, "\033[C"}, {KEY_UP, "\033[A"}, {KEY_DOWN, "\033[B"},
		{KEY_HOME, "\001"},    {KEY_END, "\005"},     {KEY_DC, "\004"},   {KEY_BACKSPACE, "\177"},
		{KEY_ENTER, "\n"},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].key == key) {
			size_t n = strlen(keys[i].seq);
			memcpy(out, keys[i].seq, n);
			return n;
		}
	return 0;
}

enum prompt_state
prompt_key(int key, bool is_char)
{
	if (!active)
		return state;
	if (is_char && (key == 27 || key == 3)) { /* Esc, Ctrl-C */
		rl_callback_handler_remove();
		active = false;
		return state = PROMPT_CANCEL;
	}
	npending = encode_key(key, is_char, pending);
	next_byte = 0;
	/* Ctrl-D on an empty line would end the prompt as EOF: keep editing */
	if (npending == 1 && pending[0] == 4 && rl_end == 0)
		return state;
	while (active && next_byte < npending)
		rl_callback_read_char();
	return state;
}

void
prompt_paste(const char *text, size_t len)
{
	if (!active)
		return;
	/* one line: line ends and other controls become blanks */
	char *copy = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		copy[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? ' ' : text[i];
	copy[len] = '\0';
	rl_insert_text(copy);
	free(copy);
}

char *
prompt_take(void)
{
	char *out = line ? line : xstrdup("");
	line = NULL;
	return out;
}

void
prompt_draw(WINDOW *w, int y, int width)
{
	if (!active)
		return;
	const char *buf = rl_line_buffer ? rl_line_buffer : "";
	char *all = xasprintf("%s%s", prompt_text, buf);
	ui_style(w, UI_NORMAL, true);
	ui_put(w, y, 0, width, all);
	/* the cursor sits after the prompt and the first rl_point bytes */
	char *upto = xasprintf("%s%.*s", prompt_text, rl_point, buf);
	int x = text_width(upto);
	free(upto);
	free(all);
	wmove(w, y, x < width ? x : width - 1);
}
