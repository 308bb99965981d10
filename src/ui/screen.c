/* screen.c: terminal set-up and restore, signals through a self-pipe, and the
 * one way text reaches the screen (through the sanitiser). */
#include "config.h"

#include "ui/screen.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/terms.h"
#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t curses_on;
static bool use_colour;

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &c, 1) < 0) {
		/* the pipe is full: the loop will see the earlier bytes */
	}
	errno = saved;
}

/* What a crash writes to give the terminal back, made at start-up from the
 * terminal's own strings: attributes off, cursor visible, keypad mode and
 * the alternate screen left, bracketed paste off.  And the terminal modes
 * from before curses.  The handler may only use async-signal-safe calls
 * (write, tcsetattr), never endwin() or stdio, which could be in the middle
 * of what crashed. */
static char crash_seq[256];
static size_t crash_len;
static struct termios crash_tio;
static volatile sig_atomic_t crash_tio_saved;

static void
crash_add(const char *s)
{
	if (!s || s == (const char *)-1)
		return;
	for (; *s && crash_len < sizeof crash_seq - 1; s++) {
		if (s[0] == '$' && s[1] == '<') { /* terminfo padding: $<5> */
			const char *end = strchr(s, '>');
			if (end) {
				s = end;
				continue;
			}
		}
		crash_seq[crash_len++] = *s;
	}
}

static void
crash_prepare(void)
{
	crash_len = 0;
	crash_add(tigetstr("sgr0"));
	crash_add(tigetstr("cnorm"));
	crash_add(tigetstr("rmkx"));
	crash_add(tigetstr("rmcup"));
	crash_add("\033[?2004l\r\n");
}

/* A crash still gives the terminal back before the default action. */
static void
on_fatal(int sig)
{
	if (curses_on) {
		curses_on = 0;
		if (write(STDOUT_FILENO, crash_seq, crash_len) < 0) {
			/* nothing more can be done */
		}
		if (crash_tio_saved)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &crash_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool
install_signals(void)
{
	if (pipe(sig_pipe) < 0)
		return false;
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	const int events[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGWINCH};
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		sigaction(events[i], &sa, NULL);
	/* its own stack, so that a stack overflow is handled too */
	static char alt[64 * 1024];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
	if (sigaltstack(&ss, NULL) == 0)
		sa.sa_flags = SA_ONSTACK;
	sa.sa_handler = on_fatal;
	const int fatal[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return true;
}

static void
init_colours(void)
{
	const char *no_colour = getenv("NO_COLOR");
	use_colour = has_colors() && !(no_colour && *no_colour);
	if (!use_colour)
		return;
	start_color();
	use_default_colors();
	init_pair(UI_BAR, COLOR_WHITE, COLOR_BLUE);
	init_pair(UI_SELECTED, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_HEADER, COLOR_YELLOW, -1);
	init_pair(UI_WARNING, COLOR_WHITE, COLOR_RED);
	init_pair(UI_DIM, COLOR_CYAN, -1);
}

/* Home and End have several spellings, and the terminfo entry often knows
 * only one: inside tmux or screen with TERM=xterm-256color, End arrives as
 * ESC [ 4 ~, which curses would hand over as a lone Esc (closing a prompt or a
 * form) followed by junk.  Teach curses the common ones it does not know. */
static void
define_missing_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} keys[] = {
		{"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME}, {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME},
		{"\033[4~", KEY_END},  {"\033[8~", KEY_END},  {"\033[F", KEY_END},  {"\033OF", KEY_END},
		{"\033[3~", KEY_DC},   {"\033[Z", KEY_BTAB},
		{"\033[200~", UI_KEY_PASTE_BEGIN}, {"\033[201~", UI_KEY_PASTE_END},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (key_defined(keys[i].seq) == 0)
			define_key(keys[i].seq, keys[i].key);
}

bool
ui_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs(_("loket: the terminal interface needs a terminal; use a subcommand in scripts\n"),
		      stderr);
		return false;
	}
	if (!install_signals()) {
		perror("loket: pipe");
		return false;
	}
	crash_tio_saved = tcgetattr(STDIN_FILENO, &crash_tio) == 0;
	if (!newterm(NULL, stdout, stdin)) {
		sanitize_fprintf(stderr, _("loket: cannot use terminal type '%s'\n"),
		        getenv("TERM") ? getenv("TERM") : "");
		return false;
	}
	crash_prepare();
	curses_on = 1;
	atexit(ui_stop);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	define_missing_keys();
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	init_colours();
	ui_bracketed_paste(true);
	return true;
}

/* Bracketed paste (xterm's mode 2004): the terminal marks a paste with
 * ESC [ 200 ~ and ESC [ 201 ~, so that pasted text is never taken for keys.
 * Terminals that do not know the mode ignore it. */
void
ui_bracketed_paste(bool on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

void
ui_stop(void)
{
	if (!curses_on)
		return;
	curses_on = 0;
	curs_set(1);
	endwin();
	ui_bracketed_paste(false);
}

int
ui_signal_fd(void)
{
	return sig_pipe[0];
}

int
ui_signal_read(bool *resize)
{
	unsigned char buf[64];
	ssize_t n;
	int quit = 0;
	while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH)
				*resize = true;
			else if (!quit)
				quit = buf[i];
		}
	}
	return quit;
}

void
ui_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

void
ui_style(WINDOW *w, enum ui_style style, bool on)
{
	attr_t attr = A_NORMAL;
	switch (style) {
	case UI_NORMAL:
		return;
	case UI_BAR:
	case UI_SELECTED:
		attr = use_colour ? COLOR_PAIR(style) : A_REVERSE;
		break;
	case UI_HEADER:
		attr = use_colour ? COLOR_PAIR(style) | A_BOLD : A_BOLD;
		break;
	case UI_WARNING:
		attr = use_colour ? COLOR_PAIR(style) | A_BOLD : A_REVERSE | A_BOLD;
		break;
	case UI_DIM:
		attr = use_colour ? COLOR_PAIR(style) : A_DIM;
		break;
	case UI_MATCH: /* on top of the row's own look, the cursor's too */
		attr = A_BOLD | A_UNDERLINE;
		break;
	}
	if (on)
		wattron(w, attr);
	else
		wattroff(w, attr);
}

void
ui_put(WINDOW *w, int y, int x, int width, const char *raw)
{
	if (width <= 0)
		return;
	char *clean = sanitize_dup(raw ? raw : "", SANITIZE_DEFAULT);
	char *fit = text_fit(clean, width);
	mvwaddstr(w, y, x, fit);
	for (int used = text_width(fit); used < width; used++)
		waddch(w, ' ');
	free(fit);
	free(clean);
}

/* The first line of a text that may have several: line breaks (LF, CR LF)
 * as blanks (a new string). */
static char *
one_line(const char *raw)
{
	char *line = xstrdup(raw ? raw : "");
	char *o = line;
	for (const char *p = line; *p; p++) {
		bool gap = *p == '\n' || (*p == '\r' && p[1] == '\n');
		if (!gap)
			*o++ = *p;
		else if (o > line && o[-1] != ' ')
			*o++ = ' '; /* a line break, or several, read as one blank */
	}
	*o = '\0';
	return line;
}

void
ui_put_line(WINDOW *w, int y, int x, int width, const char *raw)
{
	char *line = one_line(raw);
	ui_put(w, y, x, width, line);
	free(line);
}

void
ui_put_marked(WINDOW *w, int y, int x, int width, const char *raw,
              const struct search_terms *terms)
{
	if (!terms || terms->n == 0 || width <= 0) {
		ui_put_line(w, y, x, width, raw);
		return;
	}
	char *line = one_line(raw);
	char *clean = sanitize_dup(line, SANITIZE_DEFAULT);
	char *fit = text_fit(clean, width);
	wmove(w, y, x);
	const char *plain = fit; /* the start of what is not yet drawn */
	for (const char *p = fit; *p;) {
		size_t n = search_terms_match(terms, fit, p);
		if (n == 0) {
			p++;
			continue;
		}
		waddnstr(w, plain, (int)(p - plain));
		ui_style(w, UI_MATCH, true);
		waddnstr(w, p, (int)n);
		ui_style(w, UI_MATCH, false);
		p += n;
		plain = p;
	}
	waddstr(w, plain);
	for (int used = text_width(fit); used < width; used++)
		waddch(w, ' ');
	free(fit);
	free(clean);
	free(line);
}

/* How many bytes of s go on one line of width columns: all that fit, but
 * broken after the last blank when a word would be cut. */
static size_t
wrap_point(const char *s, int width)
{
	size_t n = text_prefix(s, width, NULL);
	if (n == 0 && *s) { /* a character wider than the cell: take it whole */
		uint32_t cp;
		n = utf8_decode((const unsigned char *)s, strlen(s), &cp);
		return n ? n : 1;
	}
	if (s[n] == '\0' || s[n] == ' ')
		return n;
	for (size_t k = n; k > 0; k--)
		if (s[k - 1] == ' ')
			return k;
	return n;
}

int
ui_put_wrapped(WINDOW *w, int y, int x, int width, const char *raw, int skip, int max_lines)
{
	if (width <= 0)
		return 0;
	char *clean = sanitize_dup(raw ? raw : "", SANITIZE_MULTILINE);
	int line = 0;
	for (const char *p = clean;;) {
		size_t brk = strcspn(p, "\n");
		char *seg = xstrndup(p, brk);
		const char *s = seg;
		/* an indented paragraph keeps its indent on every line it wraps to */
		int indent = (int)strspn(s, " ");
		if (indent > width / 2)
			indent = 0;
		bool first = true;
		do {
			int at = first ? 0 : indent;
			size_t n = wrap_point(s, width - at);
			if (line >= skip && line - skip < max_lines) {
				char *piece = xstrndup(s, n);
				if (at)
					ui_put(w, y + line - skip, x, at, "");
				ui_put(w, y + line - skip, x + at, width - at, piece);
				free(piece);
			}
			line++;
			s += n;
			while (*s == ' ')
				s++; /* a wrapped line does not start with blanks */
			first = false;
		} while (*s);
		free(seg);
		if (p[brk] == '\0')
			break;
		p += brk + 1;
	}
	free(clean);
	return line;
}
