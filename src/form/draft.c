/* draft.c: the journal of forms being filled in.  One file per draft,
 * replaced atomically on every change; values are percent-encoded with
 * libcurl's curl_easy_escape, so a draft is one line per field. */
#include "config.h"

#include "form/form.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DRAFT_MAGIC "loket-draft 1"

static bool
valid_id(const char *id)
{
	size_t n = strlen(id);
	if (n < 8 || n > 39)
		return false;
	for (; *id; id++)
		if (!((*id >= '0' && *id <= '9') || (*id >= 'a' && *id <= 'f') || *id == '-'))
			return false;
	return true;
}

static bool
make_dir(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

char *
form_draft_dir(void)
{
	char *loket = loket_state_dir();
	if (!loket)
		return NULL;
	char *drafts = xasprintf("%s/drafts", loket);
	free(loket);
	if (!make_dir(drafts)) {
		free(drafts);
		return NULL;
	}
	return drafts;
}

static char *
encode(const struct form_draft *d)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_addf(&sb, DRAFT_MAGIC "\nform %s\nid %s\nrole %s\ndatabase %s\nsaved %lld\n",
	            d->form, d->id, d->role[0] ? d->role : "-", d->database[0] ? d->database : "-",
	            d->saved);
	for (int i = 0; i < d->values.n; i++) {
		char *v = curl_easy_escape(NULL, d->values.values[i], (int)strlen(d->values.values[i]));
		strbuf_addf(&sb, "v %s %s\n", d->values.names[i], v ? v : "");
		curl_free(v);
	}
	return strbuf_detach(&sb);
}

static bool
write_all(int fd, const char *text)
{
	size_t len = strlen(text);
	while (len > 0) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		text += n, len -= (size_t)n;
	}
	return true;
}

bool
form_draft_write(const char *dir, const struct form_draft *d)
{
	if (!valid_id(d->id))
		return errno = EINVAL, false;
	char *path = xasprintf("%s/%s.draft", dir, d->id);
	char *tmp = xasprintf("%s/.%s.tmp", dir, d->id);
	char *text = encode(d);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write_all(fd, text) && fsync(fd) == 0;
	int saved_errno = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	ok = ok && rename(tmp, path) == 0;
	if (ok) { /* make the rename itself durable */
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	} else {
		saved_errno = errno ? errno : saved_errno;
		unlink(tmp);
	}
	free(text);
	free(tmp);
	free(path);
	errno = ok ? 0 : saved_errno;
	return ok;
}

static bool
decode_line(struct form_draft *out, char *line)
{
	if (strncmp(line, "form ", 5) == 0)
		return snprintf(out->form, sizeof out->form, "%s", line + 5) < (int)sizeof out->form;
	if (strncmp(line, "id ", 3) == 0)
		return snprintf(out->id, sizeof out->id, "%s", line + 3) < (int)sizeof out->id;
	if (strncmp(line, "role ", 5) == 0)
		return snprintf(out->role, sizeof out->role, "%s", strcmp(line + 5, "-") ? line + 5 : "") <
		       (int)sizeof out->role;
	if (strncmp(line, "database ", 9) == 0)
		return snprintf(out->database, sizeof out->database, "%s",
		                strcmp(line + 9, "-") ? line + 9 : "") < (int)sizeof out->database;
	if (strncmp(line, "saved ", 6) == 0) {
		out->saved = strtoll(line + 6, NULL, 10);
		return true;
	}
	if (strncmp(line, "v ", 2) != 0)
		return false;
	char *name = line + 2, *sp = strchr(name, ' ');
	if (!sp)
		return false;
	*sp = '\0';
	int len = 0;
	char *value = curl_easy_unescape(NULL, sp + 1, 0, &len);
	if (!value)
		return false;
	char *copy = xstrndup(value, (size_t)len);
	curl_free(value);
	form_values_set(&out->values, name, copy);
	free(copy);
	return true;
}

bool
form_draft_read(const char *dir, const char *id, struct form_draft *out)
{
	memset(out, 0, sizeof *out);
	if (!valid_id(id))
		return false;
	char *path = xasprintf("%s/%s.draft", dir, id);
	char *text = NULL;
	bool ok = file_read(path, &text, NULL) && strncmp(text, DRAFT_MAGIC "\n", 14) == 0;
	free(path);
	for (char *line = ok ? strtok(text + 14, "\n") : NULL; ok && line; line = strtok(NULL, "\n"))
		ok = decode_line(out, line);
	free(text);
	ok = ok && strcmp(out->id, id) == 0 && out->form[0];
	if (!ok)
		form_draft_clear(out);
	return ok;
}

struct entry {
	char *id;
	time_t mtime;
};

static int
newest_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return (y->mtime > x->mtime) - (y->mtime < x->mtime);
}

char **
form_draft_list(const char *dir)
{
	DIR *d = opendir(dir);
	struct entry *list = NULL;
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		size_t len = strlen(e->d_name);
		if (len < 7 || strcmp(e->d_name + len - 6, ".draft") != 0 || e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) == 0) {
			list = xrealloc(list, (n + 1) * sizeof *list);
			list[n].id = xstrndup(e->d_name, len - 6);
			list[n++].mtime = st.st_mtime;
		}
		free(path);
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(list, n, sizeof *list, newest_first);
	char **ids = xcalloc(n + 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = list[i].id;
	free(list);
	return ids;
}

void
form_draft_list_free(char **ids)
{
	for (char **p = ids; p && *p; p++)
		free(*p);
	free(ids);
}

bool
form_draft_remove(const char *dir, const char *id)
{
	if (!valid_id(id))
		return false;
	char *path = xasprintf("%s/%s.draft", dir, id);
	bool ok = unlink(path) == 0 || errno == ENOENT;
	free(path);
	return ok;
}

void
form_draft_clear(struct form_draft *d)
{
	form_values_clear(&d->values);
	memset(d, 0, sizeof *d);
}

bool
form_draft_is_for(const struct form_draft *d, const char *role, const char *database)
{
	return d->database[0] && strcmp(d->role, role ? role : "") == 0 &&
	       strcmp(d->database, database ? database : "") == 0;
}
