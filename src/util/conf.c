/* conf.c: read loket's configuration file (format in conf.h). */
#include "config.h"

#include "util/conf.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct conf_entry {
	char *section;
	char *key;
	char *value;
	unsigned line;
};

struct conf {
	char *path; /* "" when no file was read */
	struct conf_entry *v;
	size_t n, cap;
};

/* The parser's state for one file. */
struct parser {
	struct conf *c;
	const char *path;
	unsigned line;
	char *section;   /* current section, "" before the first */
	bool open_perms; /* the file is accessible by group or others */
	char **error;
};

/* Overwrite memory that held secrets so it does not linger in freed blocks. */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

static void
wipe_str(char *s)
{
	if (s)
		wipe(s, strlen(s));
}

static void set_error(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_error(char **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (error)
		*error = msg;
	else
		free(msg);
}

static struct conf *
conf_new(const char *path)
{
	struct conf *c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	return c;
}

static const struct conf_entry *
find(const struct conf *c, const char *section, const char *key)
{
	if (!c || !key)
		return NULL;
	if (!section)
		section = "";
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].section, section) == 0 && strcmp(c->v[i].key, key) == 0)
			return &c->v[i];
	return NULL;
}

/* "section.key", or just "key" in section "". */
static char *
qualified(const char *section, const char *key)
{
	return *section ? xasprintf("%s.%s", section, key) : xstrdup(key);
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool
is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

static bool
is_section_char(char ch)
{
	return is_key_char(ch) || ch == '-';
}

static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* A key whose value must not be readable by others. */
static bool
is_secret(const char *key)
{
	static const char *const suffixes[] = {"_password", "_token"};
	if (strcmp(key, "password") == 0 || strcmp(key, "token") == 0)
		return true;
	size_t len = strlen(key);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t n = strlen(suffixes[i]);
		if (len > n && strcmp(key + len - n, suffixes[i]) == 0)
			return true;
	}
	return false;
}

/* Check a whole line: valid UTF-8 and no control characters but tabs. */
static bool
check_line(struct parser *p, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(u, len, &cp);
		if (n == 0) {
			set_error(p->error, _("%s:%u: not valid UTF-8"), p->path, p->line);
			return false;
		}
		if (is_control(cp) && cp != '\t') {
			set_error(p->error, _("%s:%u: control character U+%04X"), p->path, p->line,
			          (unsigned)cp);
			return false;
		}
		u += n, len -= n;
	}
	return true;
}

static bool
parse_section(struct parser *p, const char *s, size_t len)
{
	/* s starts with '[' and has no blanks at either end. */
	size_t n = 0;
	while (1 + n < len && is_section_char(s[1 + n]))
		n++;
	if (n == 0 || 1 + n + 1 != len || s[1 + n] != ']') {
		set_error(p->error,
		          _("%s:%u: expected `[section]` with a name of letters, digits, _ and -"),
		          p->path, p->line);
		return false;
	}
	free(p->section);
	p->section = xstrndup(s + 1, n);
	return true;
}

/* Decode the value of name from s (len bytes, trimmed) into a new string.  The
 * buffer never grows, so no copy of a secret is left behind in freed memory. */
static char *
parse_value(struct parser *p, const char *name, const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;
	if (len > 0 && s[0] == '"') {
		size_t i = 1;
		bool closed = false;
		while (i < len && !closed) {
			char ch = s[i++];
			if (ch == '"') {
				closed = true;
			} else if (ch != '\\') {
				out[n++] = ch;
			} else if (i < len && (s[i] == '"' || s[i] == '\\')) {
				out[n++] = s[i++];
			} else {
				set_error(
				    p->error,
				    _("%s:%u: unknown escape in the value of %s: inside quotes "
				      "only \\\" and \\\\ are allowed"),
				    p->path, p->line, name);
				goto fail;
			}
		}
		if (!closed) {
			set_error(p->error, _("%s:%u: missing closing \" in the value of %s"),
			          p->path, p->line, name);
			goto fail;
		}
		if (i != len) {
			set_error(p->error, _("%s:%u: unexpected text after the closing \" of %s"),
			          p->path, p->line, name);
			goto fail;
		}
	} else {
		memcpy(out, s, len);
		n = len;
	}
	out[n] = '\0';
	/* The line had no other controls; a value may not even hold a tab. */
	if (memchr(out, '\t', n)) {
		set_error(p->error, _("%s:%u: control character U+0009 in the value of %s"),
		          p->path, p->line, name);
		goto fail;
	}
	return out;
fail:
	wipe(out, n);
	free(out);
	return NULL;
}

static bool
parse_setting(struct parser *p, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	if (!eq || eq == s) {
		set_error(p->error, _("%s:%u: expected `key = value` or `[section]`"), p->path,
		          p->line);
		return false;
	}
	size_t klen = (size_t)(eq - s);
	while (klen > 0 && is_blank(s[klen - 1]))
		klen--;
	for (size_t i = 0; i < klen; i++) {
		if (!is_key_char(s[i])) {
			set_error(p->error,
			          _("%s:%u: expected `key = value` where the key has only letters, "
			            "digits and _"),
			          p->path, p->line);
			return false;
		}
	}
	char *key = xstrndup(s, klen);
	char *name = qualified(p->section, key);
	const struct conf_entry *old = find(p->c, p->section, key);
	if (old) {
		set_error(p->error, _("%s:%u: %s is already set on line %u"), p->path, p->line,
		          name, old->line);
		goto fail;
	}
	if (is_secret(key) && p->open_perms) {
		set_error(p->error,
		          _("%s:%u: %s is a secret, but the file is accessible by group or "
		            "others; run `chmod 600 %s`"),
		          p->path, p->line, name, p->path);
		goto fail;
	}
	const char *v = eq + 1;
	size_t vlen = len - (size_t)(v - s);
	while (vlen > 0 && is_blank(*v))
		v++, vlen--;
	char *value = parse_value(p, name, v, vlen);
	if (!value)
		goto fail;
	struct conf *c = p->c;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = (struct conf_entry){
	    .section = xstrdup(p->section), .key = key, .value = value, .line = p->line};
	free(name);
	return true;
fail:
	free(name);
	free(key);
	return false;
}

static bool
parse_line(struct parser *p, const char *s, size_t len)
{
	if (!check_line(p, s, len))
		return false;
	while (len > 0 && is_blank(*s))
		s++, len--;
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (len == 0 || s[0] == '#' || s[0] == ';')
		return true;
	if (s[0] == '[')
		return parse_section(p, s, len);
	return parse_setting(p, s, len);
}

static bool
parse(struct parser *p, const char *text, size_t len)
{
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3, len -= 3;
	while (len > 0) {
		p->line++;
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		size_t used = nl ? n + 1 : n;
		if (nl && n > 0 && text[n - 1] == '\r')
			n--;
		if (!parse_line(p, text, n))
			return false;
		text += used, len -= used;
	}
	return true;
}

/* Read all of fd (a regular file) into a new buffer of at most
 * CONF_MAX_SIZE + 1 bytes; false with errno set on failure. */
static bool
read_all(int fd, char **out, size_t *len)
{
	char *buf = xmalloc(CONF_MAX_SIZE + 2);
	size_t n = 0;
	while (n < CONF_MAX_SIZE + 1) {
		ssize_t r = read(fd, buf + n, CONF_MAX_SIZE + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			wipe(buf, n);
			free(buf);
			errno = saved;
			return false;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return true;
}

struct conf *
conf_load(const char *path, bool missing_ok, char **error)
{
	if (error)
		*error = NULL;
	/* O_NONBLOCK: a FIFO must not hang the open; fstat refuses it next. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return conf_new("");
		set_error(error, _("%s: cannot open: %s"), path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		set_error(error, _("%s: cannot open: %s"), path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(error, _("%s: not a regular file"), path);
		close(fd);
		return NULL;
	}
	if (st.st_size > CONF_MAX_SIZE) {
		set_error(error, _("%s: larger than %d KiB"), path, CONF_MAX_SIZE / 1024);
		close(fd);
		return NULL;
	}
	char *text;
	size_t len;
	bool ok = read_all(fd, &text, &len);
	int saved = errno;
	close(fd);
	if (!ok) {
		set_error(error, _("%s: cannot read: %s"), path, strerror(saved));
		return NULL;
	}
	if (len > CONF_MAX_SIZE) { /* it grew while we read it */
		wipe(text, len);
		free(text);
		set_error(error, _("%s: larger than %d KiB"), path, CONF_MAX_SIZE / 1024);
		return NULL;
	}
	struct parser p = {
	    .c = conf_new(path),
	    .path = path,
	    .section = xstrdup(""),
	    .open_perms = (st.st_mode & 077) != 0,
	    .error = error,
	};
	ok = parse(&p, text, len);
	wipe(text, len);
	free(text);
	free(p.section);
	if (!ok)
		conf_free(&p.c);
	return p.c;
}

char *
conf_default_path(bool *explicit_path)
{
	const char *env = getenv("LOKET_CONFIG");
	bool from_env = env && *env;
	if (explicit_path)
		*explicit_path = from_env;
	if (from_env)
		return xstrdup(env);
	/* The XDG base directory spec says to ignore relative paths. */
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/loket/config", xdg);
	const char *home = getenv("HOME");
	if (home && *home)
		return xasprintf("%s/.config/loket/config", home);
	return xstrdup(SYSCONFDIR "/loket/config");
}

struct conf *
conf_load_default(char **error)
{
	bool explicit_path;
	char *path = conf_default_path(&explicit_path);
	if (!path) {
		if (error)
			*error = NULL;
		return conf_new("");
	}
	/* No file of one's own: the server's shared one (root's, mode 644,
	 * without secrets: deployment.md), SYSCONFDIR/loket/config. */
	if (!explicit_path && access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		path = xstrdup(SYSCONFDIR "/loket/config");
	}
	struct conf *c = conf_load(path, !explicit_path, error);
	free(path);
	return c;
}

const char *
conf_get(const struct conf *c, const char *section, const char *key)
{
	const struct conf_entry *e = find(c, section, key);
	return e ? e->value : NULL;
}

bool
conf_check_keys(const struct conf *c, const char *section, const char *const *known,
                char **error)
{
	*error = NULL;
	const char *sec = section ? section : "";
	for (size_t i = 0; i < c->n; i++) {
		const struct conf_entry *e = &c->v[i];
		if (strcmp(e->section, sec) != 0)
			continue;
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(*k, e->key) == 0;
		if (!ok) {
			struct strbuf list;
			strbuf_init(&list);
			for (const char *const *k = known; *k; k++)
				strbuf_addf(&list, "%s%s", k == known ? "" : ", ", *k);
			*error = xasprintf(_("%s:%u: unknown setting %s in [%s]; known are: %s"), c->path,
			                   e->line, e->key, sec, list.buf);
			strbuf_free(&list);
			return false;
		}
	}
	return true;
}

bool
conf_get_int(const struct conf *c, const char *section, const char *key, long min, long max,
             long def, long *out, char **error)
{
	const struct conf_entry *e = find(c, section, key);
	if (!e) {
		*out = def;
		return true;
	}
	const char *s = e->value;
	const char *digits = s[0] == '-' ? s + 1 : s;
	bool ok = *digits >= '0' && *digits <= '9';
	long v = 0;
	if (ok) {
		char *end;
		errno = 0;
		v = strtol(s, &end, 10);
		ok = errno == 0 && *end == '\0' && v >= min && v <= max;
	}
	if (!ok) {
		char *name = qualified(e->section, e->key);
		set_error(error, _("%s:%u: %s must be a whole number from %ld to %ld"), c->path,
		          e->line, name, min, max);
		free(name);
		return false;
	}
	*out = v;
	return true;
}

const char *
conf_path(const struct conf *c)
{
	return c ? c->path : "";
}

void
conf_free(struct conf **c)
{
	if (!c || !*c)
		return;
	struct conf *conf = *c;
	for (size_t i = 0; i < conf->n; i++) {
		free(conf->v[i].section);
		free(conf->v[i].key);
		wipe_str(conf->v[i].value);
		free(conf->v[i].value);
	}
	free(conf->v);
	free(conf->path);
	free(conf);
	*c = NULL;
}
