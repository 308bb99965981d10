/* trace.c: the LOKET_TRACE event log; see trace.h. */
#include "config.h"

#include "util/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static FILE *
trace_file(void)
{
	static FILE *f;
	static bool tried;
	if (!tried) {
		tried = true;
		const char *path = getenv("LOKET_TRACE");
		f = path && *path ? fopen(path, "a") : NULL;
	}
	return f;
}

bool
trace_on(void)
{
	return trace_file() != NULL;
}

double
trace_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void
trace_event(const char *kind, double ms, const char *text)
{
	FILE *f = trace_file();
	if (!f)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	size_t len = strcspn(text, "\n");
	if (len > 120)
		len = 120;
	fprintf(f, "%lld.%06ld %s %.3f %.*s\n", (long long)ts.tv_sec, ts.tv_nsec / 1000, kind, ms,
	        (int)len, text);
	fflush(f);
}
