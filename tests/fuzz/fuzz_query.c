/* fuzz_query.c: libFuzzer target for the supervisors' query language: parse,
 * and when it parses, check the JSON it becomes.  Built and run by tests/fuzz/run.sh (target
 * query); tests/fuzz/replay_query runs the seed corpus through it in
 * `make check`. */
#include "config.h"

#include "query/lang.h"

#include <stdbool.h>
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
		/* the JSON for PostgreSQL must be one well-formed object: balanced
		 * outside strings, and no raw control character anywhere */
		for (int count = 0; count < 2; count++) {
			char *spec = query_to_json(&q, count);
			int depth = 0;
			bool in_string = false;
			for (const char *p = spec; *p; p++) {
				if ((unsigned char)*p < 0x20)
					abort();
				if (in_string && *p == '\\') {
					if (!*++p)
						abort();
				} else if (*p == '"') {
					in_string = !in_string;
				} else if (!in_string && (*p == '{' || *p == '[')) {
					depth++;
				} else if (!in_string && (*p == '}' || *p == ']') && --depth < 0) {
					abort();
				}
			}
			if (depth != 0 || in_string)
				abort();
			free(spec);
		}
	}
	query_free(&q);
	free(text);
	return 0;
}
