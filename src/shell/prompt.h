/* prompt.h: the one-line prompt at the bottom of the screen (':' commands and
 * '/' searches), edited with GNU readline in callback mode inside curses, as
 * pspg does: keys come from our poll() loop, readline edits and keeps the
 * history, and we draw its line ourselves. */
#ifndef LOKET_SHELL_PROMPT_H
#define LOKET_SHELL_PROMPT_H

#include <curses.h>
#include <stdbool.h>

enum prompt_state {
	PROMPT_EDITING, /* still typing */
	PROMPT_DONE,    /* Enter: the line is in prompt_take() */
	PROMPT_CANCEL,  /* Esc or Ctrl-C */
};

/* Open the prompt with this text before the cursor (":" or "/"). */
/* The readline library's version, as it says it ("8.2"). */
const char *prompt_library_version(void);

void prompt_open(const char *prompt);
bool prompt_active(void);
/* Feed one key from get_wch (is_char: a character, else a KEY_* code). */
enum prompt_state prompt_key(int key, bool is_char);
/* A bracketed paste: inserted as text at the cursor, never run as keys. */
void prompt_paste(const char *text, size_t len);
/* The finished line (owned by the caller), once PROMPT_DONE. */
char *prompt_take(void);
/* Draw the prompt on row y of w and place the cursor there. */
void prompt_draw(WINDOW *w, int y, int width);

#endif
