/* fuzz_sanitize.c: libFuzzer target for the one sanitiser and the form
 * field that shows text (src/util/textedit.c).  For any bytes:
 *   - sanitize_text's output is valid UTF-8 with no control character (but
 *     the line break when asked), no DEL, no C1 control and no character the
 *     sanitiser itself calls unsafe: nothing it writes can move the cursor,
 *     change colours, reorder or hide text;
 *   - a form field given the same bytes as a paste keeps exactly what it
 *     accepted (no refused character, valid UTF-8), and every row it shows,
 *     at the width the first byte picks, is safe in the same way and exactly
 *     that many columns wide.
 * Built and run by tests/fuzz/run.sh (target sanitize); tests/fuzz/
 * replay_sanitize runs the seed corpus through it in `make check`. */
#include "config.h"

#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/textedit.h"
#include "util/utf8.h"
#include "util/width.h"

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Safe for a terminal: valid UTF-8, nothing unsafe but newline when allowed. */
static void
check_safe(const char *s, size_t len, bool newline_ok)
{
	if (!utf8_valid(s, len))
		abort();
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0)
			abort();
		if (cp == '\n' ? !newline_ok : sanitize_is_unsafe(cp))
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		setlocale(LC_CTYPE, "C.UTF-8");
		ready = true;
	}
	const char *text = (const char *)data;
	for (unsigned flags = 0; flags < 2; flags++) {
		struct strbuf sb;
		strbuf_init(&sb);
		sanitize_text(&sb, text, size, flags ? SANITIZE_MULTILINE : SANITIZE_DEFAULT);
		check_safe(sb.buf, sb.len, flags != 0);
		strbuf_free(&sb);
	}
	int width = size ? 1 + data[0] % 90 : 20;
	for (int multiline = 0; multiline < 2; multiline++) {
		struct textedit t;
		textedit_init(&t, "", 0, multiline);
		struct textedit_result r;
		textedit_insert(&t, text, size, true, &r);
		const char *kept = textedit_text(&t);
		size_t kept_len = strlen(kept);
		if (!utf8_valid(kept, kept_len) || utf8_length(kept, kept_len) != t.length ||
		    r.inserted != t.length)
			abort();
		for (size_t i = 0; i < kept_len;) {
			uint32_t cp;
			size_t n = utf8_decode((const unsigned char *)kept + i, kept_len - i, &cp);
			if (textedit_refuses(cp, multiline))
				abort();
			i += n;
		}
		struct textedit_layout l = {0};
		textedit_layout(&t, width, &l);
		for (int row = 0; row < l.n; row++) {
			char *shown = textedit_row_text(&t, &l, row);
			check_safe(shown, strlen(shown), false);
			if (text_width(shown) != width)
				abort();
			free(shown);
		}
		/* the cursor stays inside the field wherever it goes */
		textedit_home(&t);
		for (int k = 0; k < 64 && textedit_right(&t); k++) {
			int rr, cc;
			textedit_cursor_pos(&t, &l, &rr, &cc);
			if (rr < 0 || rr >= (l.n ? l.n : 1) || cc < 0 || cc >= width)
				abort();
		}
		textedit_layout_free(&l);
		textedit_free(&t);
	}
	return 0;
}
