/* test_conf.c: Check suite for src/util/conf — the configuration file's
 * syntax, its errors with their line numbers, the checks on the file itself
 * (secrets and permissions, type, size) and where loket looks for it. */
#include "config.h"

#include "util/conf.h"
#include "util/xalloc.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;      /* a fresh temporary directory for each test */
static char *made[64]; /* files and directories to remove, in order made */
static size_t made_n;
static struct conf *cf; /* the configuration under test */
static char *err;       /* its error */

static void
track(char *path)
{
	ck_assert_uint_lt(made_n, sizeof made / sizeof made[0]);
	made[made_n++] = path;
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	dir = xasprintf("%s/test_conf.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	made_n = 0;
	cf = NULL;
	err = NULL;
}

static void
teardown(void)
{
	conf_free(&cf);
	free(err);
	err = NULL;
	while (made_n > 0) {
		char *path = made[--made_n];
		remove(path);
		free(path);
	}
	rmdir(dir);
	free(dir);
	dir = NULL;
}

/* Write len bytes to a new file in dir with the given mode; its path. */
static const char *
write_bytes(const char *text, size_t len, mode_t mode)
{
	char *path = xasprintf("%s/config.XXXXXX", dir);
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	track(path);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(close(fd), 0);
	return path;
}

static const char *
write_conf(const char *text, mode_t mode)
{
	return write_bytes(text, strlen(text), mode);
}

/* Load path into cf and err, dropping the previous ones; true on success. */
static bool
load(const char *path, bool missing_ok)
{
	conf_free(&cf);
	free(err);
	err = NULL;
	cf = conf_load(path, missing_ok, &err);
	ck_assert((cf == NULL) != (err == NULL));
	return cf != NULL;
}

/* Load text (mode 0600) and expect it to succeed. */
static void
load_ok(const char *text)
{
	const char *path = write_conf(text, 0600);
	ck_assert_msg(load(path, false), "unexpected error: %s", err);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(conf_path(cf), path);
}

/* Load len bytes with mode and expect an error containing "PATH:LINE: " (or
 * "PATH: " when line is 0) and then want. */
static void
load_fails_bytes(const char *text, size_t len, mode_t mode, unsigned line, const char *want)
{
	const char *path = write_bytes(text, len, mode);
	ck_assert(!load(path, false));
	char *prefix = line ? xasprintf("%s:%u: ", path, line) : xasprintf("%s: ", path);
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0, "'%s' does not start with '%s'",
	              err, prefix);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
	free(prefix);
}

static void
load_fails(const char *text, unsigned line, const char *want)
{
	load_fails_bytes(text, strlen(text), 0600, line, want);
}

#define ASSERT_GET(section, key, expected) ck_assert_str_eq(conf_get(cf, section, key), expected)

/* The example from the documentation, sections and all. */
START_TEST(sections_and_comments)
{
	load_ok("# loket settings\n"
	        "; also a comment\n"
	        "\n"
	        "[aanbod]\n"
	        "url = https://catalogus.example.nl/ooapi/v5/offerings\n"
	        "ca_file = /etc/ssl/regio-ca.pem\n"
	        "token = s3cret\n"
	        "connect_timeout = 10\n"
	        "   # an indented comment\n"
	        "[smtp]\n"
	        "url = smtp://mail.example.nl:587\n"
	        "from = loket@leerwerkloket.nl\n"
	        "from_name = Leerwerkloket Twente\n"
	        "[aanbod]\n"
	        "read_timeout = 30\n");
	ASSERT_GET("aanbod", "url", "https://catalogus.example.nl/ooapi/v5/offerings");
	ASSERT_GET("aanbod", "ca_file", "/etc/ssl/regio-ca.pem");
	ASSERT_GET("aanbod", "token", "s3cret");
	ASSERT_GET("aanbod", "read_timeout", "30");
	ASSERT_GET("smtp", "url", "smtp://mail.example.nl:587");
	ASSERT_GET("smtp", "from_name", "Leerwerkloket Twente");
	ck_assert_ptr_null(conf_get(cf, "smtp", "token"));
	ck_assert_ptr_null(conf_get(cf, "", "url"));
	ck_assert_ptr_null(conf_get(cf, "aanbod", "URL")); /* case-sensitive */
	ck_assert_ptr_null(conf_get(cf, "Aanbod", "url"));
	ck_assert_ptr_null(conf_get(cf, "aanbod", "# an indented comment"));
}
END_TEST

START_TEST(whitespace_and_empty_values)
{
	load_ok("[s-1]\n"
	        "\t a \t=\t b  c \t\n"
	        "empty =\n"
	        "blank =    \n"
	        "eq=x=y\n"
	        "crlf = yes\r\n"
	        "   [ok_2]   \n"
	        "last = no newline");
	ASSERT_GET("s-1", "a", "b  c");
	ASSERT_GET("s-1", "empty", "");
	ASSERT_GET("s-1", "blank", "");
	ASSERT_GET("s-1", "eq", "x=y");
	ASSERT_GET("s-1", "crlf", "yes");
	ASSERT_GET("ok_2", "last", "no newline");
}
END_TEST

START_TEST(quoted_values)
{
	load_ok("a = \"  spaced  \"\n"
	        "b = \"say \\\"hi\\\" # not a comment\"\n"
	        "c = \"back\\\\slash\"\n"
	        "d = \"\"\n"
	        "e = \"caf\xc3\xa9\"   \n"
	        "f = not \"quoted\"\n"
	        "g = \"\\\\\"\n");
	ASSERT_GET("", "a", "  spaced  ");
	ASSERT_GET("", "b", "say \"hi\" # not a comment");
	ASSERT_GET("", "c", "back\\slash");
	ASSERT_GET("", "d", "");
	ASSERT_GET("", "e", "caf\xc3\xa9");
	ASSERT_GET("", "f", "not \"quoted\"");
	ASSERT_GET("", "g", "\\");
}
END_TEST

/* Passwords may contain # and backslashes: no inline comments. */
START_TEST(hash_in_unquoted_value)
{
	load_ok("[smtp]\n"
	        "smtp_password = pa#ss ;word # still\\n part\n"
	        "note = ;x\n");
	ASSERT_GET("smtp", "smtp_password", "pa#ss ;word # still\\n part");
	ASSERT_GET("smtp", "note", ";x");
}
END_TEST

START_TEST(keys_before_a_section)
{
	load_ok("\xef\xbb\xbf" /* a byte order mark is skipped */
	        "top = 1\n"
	        "[s]\n"
	        "top = 2\n");
	ASSERT_GET("", "top", "1");
	ck_assert_str_eq(conf_get(cf, NULL, "top"), "1");
	ASSERT_GET("s", "top", "2");
}
END_TEST

/* A misspelt setting is an error that names it, not a silent default. */
START_TEST(unknown_keys)
{
	static const char *const known[] = {"url", "timeout", NULL};
	load_ok("[aanbod]\nurl = https://x\ntimout = 5\n[other]\nanything = 1\n");
	char *error = NULL;
	ck_assert(!conf_check_keys(cf, "aanbod", known, &error));
	ck_assert_ptr_nonnull(strstr(error, ":3: unknown setting timout in [aanbod]"));
	ck_assert_ptr_nonnull(strstr(error, "known are: url, timeout"));
	free(error);
	/* other sections are not checked; a section that is fine passes */
	ck_assert(conf_check_keys(cf, "other", (const char *const[]){"anything", NULL}, &error));
	ck_assert_ptr_null(error);
	ck_assert(conf_check_keys(cf, "absent", known, &error));
}
END_TEST

START_TEST(syntax_errors_name_their_line)
{
	const char *expected = "expected `key = value` or `[section]`";
	load_fails("# fine\n\njust words\n", 3, expected);
	load_fails("[s]\na = 1\n= value\n", 3, expected);
	load_fails("a = 1\nurl https://x\n", 2, expected);
	load_fails("from name = x\n", 1, "only letters, digits and _");
	load_fails("k\xc3\xa9y = x\n", 1, "only letters, digits and _");
	load_fails("a.b = x\n", 1, "only letters, digits and _");
	load_fails("ok = 1\n[]\n", 2, "expected `[section]`");
	load_fails("[a b]\n", 1, "expected `[section]`");
	load_fails("[open\n", 1, "expected `[section]`");
	load_fails("[s] x\n", 1, "expected `[section]`");
	load_fails("[s.t]\n", 1, "expected `[section]`");
	load_fails("[s]\n\n\nk = \"open\n", 4, "missing closing \" in the value of s.k");
	load_fails("k = \"a\\\"\n", 1, "missing closing \"");
	load_fails("k = \"a\" b\n", 1, "unexpected text after the closing \" of k");
	load_fails("k = \"a\" # c\n", 1, "unexpected text after the closing \"");
	load_fails("x = 1\nk = \"a\\nb\"\n", 2, "unknown escape in the value of k");
}
END_TEST

START_TEST(duplicate_keys)
{
	load_fails("[s]\na = 1\nb = 2\na = 3\n", 4, "s.a is already set on line 2");
	load_fails("[s]\na = 1\n[t]\na = 1\n[s]\na = 2\n", 6, "s.a is already set on line 2");
	load_fails("a = 1\na = 1\n", 2, "a is already set on line 1");
	/* the same key in another section, or another case, is a different key */
	load_ok("[s]\na = 1\n[t]\na = 2\nA = 3\n");
	ASSERT_GET("s", "a", "1");
	ASSERT_GET("t", "a", "2");
	ASSERT_GET("t", "A", "3");
}
END_TEST

START_TEST(utf8_and_controls)
{
	load_ok("name = Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"
	        "# a tab\tin a comment is fine\n");
	ASSERT_GET("", "name", "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	load_fails("ok = 1\nname = caf\xe9\n", 2, "not valid UTF-8");
	load_fails("name = \xc0\xaf\n", 1, "not valid UTF-8");         /* overlong */
	load_fails("name = \xed\xa0\x80\n", 1, "not valid UTF-8");     /* surrogate */
	load_fails("# bad \xff in a comment\n", 1, "not valid UTF-8"); /* anywhere */
	load_fails("a = 1\nb = x\033[2Jy\n", 2, "control character U+001B");
	load_fails("b = x\ry\n", 1, "control character U+000D");
	load_fails("b = x\x7fy\n", 1, "control character U+007F");
	load_fails("b = x\xc2\x9b"
	           "y\n",
	           1, "control character U+009B");
	load_fails("b = \"x\ty\"\n", 1, "control character U+0009 in the value of b");
	load_fails("[s]\nb = x\ty\n", 2, "control character U+0009 in the value of s.b");
	load_fails_bytes("a = 1\nb = x\0y\n", 14, 0600, 2, "control character U+0000");
}
END_TEST

START_TEST(secrets_need_private_files)
{
	static const char *const secrets[] = {
	    "[aanbod]\ntoken = s3cret\n",
	    "[smtp]\nurl = smtp://x\npassword = s3cret\n",
	    "[smtp]\nsmtp_password = s3cret\n",
	    "api_token = s3cret\n",
	};
	static const unsigned lines[] = {2, 3, 2, 1};
	static const char *const sections[] = {"aanbod", "smtp", "smtp", ""};
	static const char *const keys[] = {"token", "password", "smtp_password", "api_token"};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		const char *path = write_conf(secrets[i], 0644);
		ck_assert(!load(path, false));
		char *prefix = xasprintf("%s:%u: ", path, lines[i]);
		char *hint = xasprintf("chmod 600 %s", path);
		ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0, "%s", err);
		ck_assert_msg(strstr(err, hint) != NULL, "%s", err);
		ck_assert_msg(strstr(err, "s3cret") == NULL, "%s", err); /* never the value */
		free(prefix);
		free(hint);
		/* group-only, world-writable or executable is just as bad */
		static const mode_t open_modes[] = {0640, 0602, 0610, 0601, 0660};
		for (size_t j = 0; j < sizeof open_modes / sizeof open_modes[0]; j++) {
			ck_assert_int_eq(chmod(path, open_modes[j]), 0);
			ck_assert_msg(!load(path, false), "mode %o", (unsigned)open_modes[j]);
		}
		/* the same file, private */
		ck_assert_int_eq(chmod(path, 0600), 0);
		ck_assert_msg(load(path, false), "%s", err);
		ck_assert_str_eq(conf_get(cf, sections[i], keys[i]), "s3cret");
		ck_assert_int_eq(chmod(path, 0400), 0);
		ck_assert_msg(load(path, false), "%s", err);
		conf_free(&cf);
		ck_assert_ptr_null(cf);
	}
	/* no secrets: a readable file is fine; these names are not secrets */
	const char *path = write_conf("[aanbod]\nurl = https://x\ntoken_file = /etc/t\n"
	                              "password_hint = ask\nmytoken = x\n_password_ = y\n",
	                              0644);
	ck_assert_msg(load(path, false), "%s", err);
	ck_assert_str_eq(conf_get(cf, "aanbod", "password_hint"), "ask");
}
END_TEST

START_TEST(only_regular_files)
{
	char *sub = xasprintf("%s/adir", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	track(sub);
	cf = conf_load(sub, false, &err);
	ck_assert_ptr_null(cf);
	char *want = xasprintf("%s: not a regular file", sub);
	ck_assert_str_eq(err, want);
	free(want);
	/* missing_ok is about missing files, not directories */
	free(err);
	cf = conf_load(sub, true, &err);
	ck_assert_ptr_null(cf);
	ck_assert_ptr_nonnull(err);
	/* a FIFO is refused without blocking */
	char *fifo = xasprintf("%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	track(fifo);
	free(err);
	cf = conf_load(fifo, false, &err);
	ck_assert_ptr_null(cf);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

START_TEST(size_limit)
{
	/* exactly CONF_MAX_SIZE bytes is fine, one more is not */
	size_t n = CONF_MAX_SIZE;
	char *text = xmalloc(n + 2);
	memset(text, '#', n + 1);
	for (size_t i = 79; i < n + 1; i += 80)
		text[i] = '\n';
	memcpy(text, "a = 1\n", 6);
	text[n + 1] = '\0';
	const char *path = write_bytes(text, n, 0600);
	cf = conf_load(path, false, &err);
	ck_assert_msg(cf != NULL, "%s", err);
	ASSERT_GET("", "a", "1");
	load_fails_bytes(text, n + 1, 0600, 0, "larger than 64 KiB");
	free(text);
}
END_TEST

START_TEST(missing_files)
{
	char *path = xasprintf("%s/nothere", dir);
	cf = conf_load(path, true, &err);
	ck_assert_ptr_nonnull(cf);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(conf_path(cf), "");
	ck_assert_ptr_null(conf_get(cf, "aanbod", "url"));
	long v;
	ck_assert(conf_get_int(cf, "aanbod", "connect_timeout", 1, 60, 10, &v, &err));
	ck_assert_int_eq(v, 10);
	conf_free(&cf);
	cf = conf_load(path, false, &err);
	ck_assert_ptr_null(cf);
	char *want = xasprintf("%s: cannot open: %s", path, strerror(ENOENT));
	ck_assert_str_eq(err, want);
	free(want);
	free(path);
}
END_TEST

START_TEST(integers)
{
	load_ok("[aanbod]\n"
	        "connect_timeout = 10\n"
	        "zero = 0\n"
	        "negative = -5\n"
	        "quoted = \"42\"\n"
	        "big = 99999999999999999999999\n"
	        "small = -99999999999999999999999\n"
	        "max = 9223372036854775807\n"
	        "word = ten\n"
	        "trailing = 10s\n"
	        "spaced = \" 10\"\n"
	        "plus = +10\n"
	        "hex = 0x10\n"
	        "empty =\n"
	        "minus = -\n");
	long v = -1;
	ck_assert(conf_get_int(cf, "aanbod", "connect_timeout", 1, 60, 30, &v, &err));
	ck_assert_int_eq(v, 10);
	ck_assert(conf_get_int(cf, "aanbod", "zero", 0, 60, 30, &v, &err));
	ck_assert_int_eq(v, 0);
	ck_assert(conf_get_int(cf, "aanbod", "negative", -10, 10, 30, &v, &err));
	ck_assert_int_eq(v, -5);
	ck_assert(conf_get_int(cf, "aanbod", "quoted", 0, 100, 30, &v, &err));
	ck_assert_int_eq(v, 42);
	if (LONG_MAX == 9223372036854775807) {
		ck_assert(conf_get_int(cf, "aanbod", "max", LONG_MIN, LONG_MAX, 30, &v, &err));
		ck_assert_int_eq(v, LONG_MAX);
	}
	/* out of range for a long, even with the widest bounds */
	ck_assert(!conf_get_int(cf, "aanbod", "big", LONG_MIN, LONG_MAX, 30, &v, &err));
	ck_assert_ptr_nonnull(strstr(err, "aanbod.big must be"));
	free(err);
	err = NULL;
	ck_assert(!conf_get_int(cf, "aanbod", "small", LONG_MIN, LONG_MAX, 30, &v, &err));
	free(err);
	err = NULL;
	ck_assert(conf_get_int(cf, "aanbod", "unset", 1, 60, 30, &v, &err));
	ck_assert_int_eq(v, 30);
	ck_assert(conf_get_int(cf, "nosuch", "connect_timeout", 1, 60, 7, &v, &err));
	ck_assert_int_eq(v, 7);
	ck_assert_ptr_null(err);

	char *want = xasprintf("%s:2: aanbod.connect_timeout must be a whole number from 11 to 60",
	                       conf_path(cf));
	v = -1;
	ck_assert(!conf_get_int(cf, "aanbod", "connect_timeout", 11, 60, 30, &v, &err));
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(v, -1); /* untouched */
	free(want);
	free(err);
	err = NULL;
	ck_assert(!conf_get_int(cf, "aanbod", "connect_timeout", 1, 9, 30, &v, &err));
	ck_assert_ptr_nonnull(strstr(err, "from 1 to 9"));
	static const char *const bad[] = {"big",  "word", "trailing", "spaced",
	                                  "plus", "hex",  "empty",    "minus"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		free(err);
		err = NULL;
		ck_assert_msg(!conf_get_int(cf, "aanbod", bad[i], -1000, 1000, 30, &v, &err), "%s",
		              bad[i]);
		char *name = xasprintf("aanbod.%s must be", bad[i]);
		ck_assert_msg(strstr(err, name) != NULL, "%s", err);
		ck_assert_msg(strstr(err, conf_path(cf)) != NULL, "%s", err);
		free(name);
	}
	free(err);
	err = NULL;
	load_ok("n = 5\n");
	ck_assert(!conf_get_int(cf, "", "n", 6, 9, 7, &v, &err));
	want = xasprintf("%s:1: n must be a whole number from 6 to 9", conf_path(cf));
	ck_assert_str_eq(err, want);
	free(want);
}
END_TEST

static void
clear_env(void)
{
	unsetenv("LOKET_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
}

START_TEST(default_path)
{
	bool explicit_path = true;
	clear_env();
	/* nobody's home: the server's shared file (/etc/loket/config installed) */
	char *shared = conf_default_path(&explicit_path);
	ck_assert_str_eq(shared, SYSCONFDIR "/loket/config");
	free(shared);
	ck_assert(!explicit_path);
	if (access(SYSCONFDIR "/loket/config", F_OK) != 0) {
		cf = conf_load_default(&err);
		ck_assert_ptr_nonnull(cf);
		ck_assert_str_eq(conf_path(cf), "");
		conf_free(&cf);
	}

	setenv("HOME", "/home/anna", 1);
	char *p = conf_default_path(&explicit_path);
	ck_assert_str_eq(p, "/home/anna/.config/loket/config");
	ck_assert(!explicit_path);
	free(p);
	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	p = conf_default_path(NULL);
	ck_assert_str_eq(p, "/home/anna/.config/loket/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = conf_default_path(&explicit_path);
	ck_assert_str_eq(p, "/xdg/loket/config");
	ck_assert(!explicit_path);
	free(p);
	setenv("LOKET_CONFIG", "", 1); /* empty counts as unset */
	p = conf_default_path(&explicit_path);
	ck_assert_str_eq(p, "/xdg/loket/config");
	ck_assert(!explicit_path);
	free(p);
	setenv("LOKET_CONFIG", "/etc/loket.conf", 1);
	p = conf_default_path(&explicit_path);
	ck_assert_str_eq(p, "/etc/loket.conf");
	ck_assert(explicit_path);
	free(p);
	unsetenv("HOME");
	unsetenv("XDG_CONFIG_HOME");
	p = conf_default_path(&explicit_path);
	ck_assert_str_eq(p, "/etc/loket.conf");
	ck_assert(explicit_path);
	free(p);
	clear_env();
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = conf_default_path(&explicit_path);
	ck_assert_str_eq(p, "/xdg/loket/config");
	free(p);
	clear_env();
}
END_TEST

START_TEST(load_default)
{
	clear_env();
	/* a missing file in the default places is fine */
	setenv("HOME", dir, 1);
	cf = conf_load_default(&err);
	ck_assert_msg(cf != NULL, "%s", err);
	ck_assert_str_eq(conf_path(cf), "");
	conf_free(&cf);
	setenv("XDG_CONFIG_HOME", dir, 1);
	cf = conf_load_default(&err);
	ck_assert_ptr_nonnull(cf);
	conf_free(&cf);

	/* a file there is read */
	char *sub = xasprintf("%s/loket", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	track(sub);
	char *path = xasprintf("%s/config", sub);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	track(path);
	fputs("[smtp]\nurl = smtp://mail.example.nl:587\n", f);
	fclose(f);
	cf = conf_load_default(&err);
	ck_assert_msg(cf != NULL, "%s", err);
	ck_assert_str_eq(conf_path(cf), path);
	ASSERT_GET("smtp", "url", "smtp://mail.example.nl:587");
	conf_free(&cf);

	/* an explicit LOKET_CONFIG must exist */
	char *missing = xasprintf("%s/missing.conf", dir);
	setenv("LOKET_CONFIG", missing, 1);
	cf = conf_load_default(&err);
	ck_assert_ptr_null(cf);
	ck_assert_ptr_nonnull(strstr(err, missing));
	free(missing);
	free(err);
	err = NULL;
	const char *given = write_conf("from = loket@leerwerkloket.nl\n", 0644);
	setenv("LOKET_CONFIG", given, 1);
	cf = conf_load_default(&err);
	ck_assert_msg(cf != NULL, "%s", err);
	ck_assert_str_eq(conf_path(cf), given);
	ASSERT_GET("", "from", "loket@leerwerkloket.nl");
	clear_env();
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *t = tcase_create("syntax");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, sections_and_comments);
	tcase_add_test(t, whitespace_and_empty_values);
	tcase_add_test(t, quoted_values);
	tcase_add_test(t, hash_in_unquoted_value);
	tcase_add_test(t, keys_before_a_section);
	tcase_add_test(t, unknown_keys);
	tcase_add_test(t, syntax_errors_name_their_line);
	tcase_add_test(t, duplicate_keys);
	tcase_add_test(t, utf8_and_controls);
	tcase_add_test(t, integers);
	suite_add_tcase(s, t);
	t = tcase_create("file");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, secrets_need_private_files);
	tcase_add_test(t, only_regular_files);
	tcase_add_test(t, size_limit);
	tcase_add_test(t, missing_files);
	tcase_add_test(t, default_path);
	tcase_add_test(t, load_default);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	SRunner *sr = srunner_create(conf_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
