/* file.c: read files; find the data directory. */
#include "config.h"

#include "util/file.h"
#include "util/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

bool
file_read(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	struct strbuf sb;
	strbuf_init(&sb);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		strbuf_add(&sb, chunk, n);
	bool ok = !ferror(f);
	int saved = errno;
	fclose(f);
	if (!ok) {
		strbuf_free(&sb);
		errno = saved;
		return false;
	}
	if (len)
		*len = sb.len;
	*out = strbuf_detach(&sb);
	return true;
}

const char *
loket_datadir(void)
{
	const char *d = getenv("LOKET_DATADIR");
	return d && *d ? d : PKGDATADIR;
}
