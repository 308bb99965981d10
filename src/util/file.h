/* file.h: whole-file reads and the data directory. */
#ifndef LOKET_UTIL_FILE_H
#define LOKET_UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf;

/* Append what is left of the stream f to sb.  Returns false, with errno
 * set, on a read error (sb then holds what was read). */
bool file_read_stream(FILE *f, struct strbuf *sb);
/* Read a whole file into a new NUL-terminated buffer.  Returns false and sets
 * errno on failure. */
bool file_read(const char *path, char **out, size_t *len);
/* Where sql/ and forms/ live: $LOKET_DATADIR, else the installed pkgdatadir. */
const char *loket_datadir(void);
/* loket's own state directory, $XDG_STATE_HOME/loket or
 * ~/.local/state/loket, made with mode 0700 when missing.  A new string, or
 * NULL with errno set. */
char *loket_state_dir(void);

#endif
