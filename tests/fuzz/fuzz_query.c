/* fuzz_query.c: libFuzzer target for the supervisors' query language: parse,
 * and when it parses, compile.  Built and run by tests/fuzz/run.sh (target
 * query); tests/fuzz/replay_query runs the seed corpus through it in
 * `make check`. */
#include "config.h"

#include "query/lang.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* the language is text: stop at the first NUL */
	struct query q;
	struct query_error err;
	if (query_parse(text, &q, &err)) {
		char *sql = NULL;
		const char *params[QUERY_MAX_TERMS * QUERY_MAX_VALUES];
		query_compile(&q, &sql, params, (int)(sizeof params / sizeof params[0]));
		free(sql);
	}
	query_free(&q);
	free(text);
	return 0;
}
