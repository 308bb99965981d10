/* file.c: read files; find the data directory. */
#include "config.h"

#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

bool
file_read_stream(FILE *f, struct strbuf *sb)
{
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		strbuf_add(sb, chunk, n);
	return !ferror(f);
}

bool
file_read(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	struct strbuf sb;
	strbuf_init(&sb);
	bool ok = file_read_stream(f, &sb);
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

static bool
make_dir(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

char *
loket_state_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *base;
	if (state && state[0] == '/')
		base = xstrdup(state);
	else if (home && *home)
		base = xasprintf("%s/.local/state", home);
	else
		return errno = ENOENT, NULL;
	bool ok = true;
	if (!state || state[0] != '/') {
		char *local = xasprintf("%s/.local", home);
		ok = make_dir(local);
		free(local);
	}
	char *loket = xasprintf("%s/loket", base);
	ok = ok && make_dir(base) && make_dir(loket);
	free(base);
	if (!ok) {
		free(loket);
		return NULL;
	}
	return loket;
}
