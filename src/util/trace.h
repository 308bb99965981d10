/* trace.h: LOKET_TRACE=FILE appends one line per event to FILE, for the
 * benchmarks and for debugging (as psql -E shows its queries).
 *
 *   SECONDS.MICROS KIND MILLISECONDS TEXT
 *
 * KIND is "sql" (a statement: its first line, at most 120 bytes, and how
 * long it took), "cancel" (a key cancelled a statement: the time from the
 * key to the statement's end), "key" (a key was read) or "frame" (the
 * screen was written to the terminal).  Values are never written: they may be personal data. */
#ifndef LOKET_UTIL_TRACE_H
#define LOKET_UTIL_TRACE_H

#include <stdbool.h>

/* Whether LOKET_TRACE names a file that could be opened. */
bool trace_on(void);
/* A monotonic clock in milliseconds. */
double trace_now_ms(void);
/* Append one line; TEXT up to its first newline, at most 120 bytes. */
void trace_event(const char *kind, double ms, const char *text);

#endif
