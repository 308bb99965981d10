/* conf.h: loket's configuration file — settings for the training-catalogue
 * sync and the SMTP server, and the only place credentials may come from.
 *
 * Location: $LOKET_CONFIG when set and not empty (an explicit path, so a
 * missing file is an error); else $XDG_CONFIG_HOME/loket/config when that is
 * an absolute path; else $HOME/.config/loket/config.  A missing file at
 * either default place means no settings.
 *
 * Format, one item a line (LF or CRLF endings, UTF-8, at most 64 KiB; a
 * leading byte order mark is skipped):
 *
 *	# a comment; a line starting with ; is one too
 *	[aanbod]
 *	url = https://catalogus.example.nl/ooapi/v5/offerings
 *	token = s3cret
 *	connect_timeout = 10
 *	[smtp]
 *	from_name = "  Leerwerkloket Twente  "
 *
 * - Blank lines and comments (first non-blank character # or ;) are ignored.
 * - [section] starts a section: a non-empty name of ASCII letters, digits,
 *   _ and -.  Keys before the first section belong to section "".  A section
 *   may appear more than once; its keys add up.
 * - key = value: a key is ASCII letters, digits and _, case-sensitive (lower
 *   case by convention).  White space (spaces, tabs) around the key and the
 *   value is trimmed.  An empty value is the empty string.
 * - There are no inline comments: a # in an unquoted value is part of it, as
 *   is a backslash or a quote that does not start the value.
 * - A value starting with " is quoted: it ends at the next unescaped ", which
 *   must end the line.  Inside, \" is a quote and \\ a backslash; any other
 *   backslash is an error.  Quotes keep leading and trailing white space.
 * - A line must be valid UTF-8 and hold no control characters other than
 *   tabs (as white space); a value may not hold any, tabs included.
 * - The same key twice in one section is an error.
 * - Secrets: when a key is password or token, or ends in _password or
 *   _token, the file must not be accessible by group or others (mode & 077),
 *   just like ~/.pgpass; the error asks for chmod 600.
 * - The file must be a regular file (symbolic links are followed).
 *
 * Error messages are translated English, start with "FILE:LINE: " (or
 * "FILE: ") and never quote a value. */
#ifndef LOKET_UTIL_CONF_H
#define LOKET_UTIL_CONF_H

#include <stdbool.h>

/* Largest file conf_load reads, in bytes. */
#define CONF_MAX_SIZE (64 * 1024)

struct conf; /* opaque */

/* The path loket reads (a new string), from the environment as described
 * above, or SYSCONFDIR/loket/config (/etc/loket/config when installed)
 * when neither LOKET_CONFIG, an absolute XDG_CONFIG_HOME nor HOME is set;
 * conf_load_default also falls back to it when the user's file does not
 * exist.  Sets *explicit_path (when not NULL) to true when the path came
 * from LOKET_CONFIG. */
char *conf_default_path(bool *explicit_path);
/* Load a file.  missing_ok: a file that does not exist gives an empty
 * configuration (whose conf_path is "").  Returns NULL with *error (a new
 * string) set on failure; sets *error to NULL on success. */
struct conf *conf_load(const char *path, bool missing_ok, char **error);
/* Load from conf_default_path(): a missing file is fine unless the path came
 * from LOKET_CONFIG; no path at all gives an empty configuration. */
struct conf *conf_load_default(char **error);
/* A value, or NULL when it is not set.  section "" (or NULL) holds the keys
 * before the first [section]. */
const char *conf_get(const struct conf *c, const char *section, const char *key);
/* An integer value within [min, max] in *out; def when not set.  Returns
 * false with *error set (a new string naming the file, line and section.key)
 * when the value is not a whole decimal number in range. */
bool conf_get_int(const struct conf *c, const char *section, const char *key, long min, long max,
                  long def, long *out, char **error);
/* Every key of section must be one of known (NULL-terminated): a misspelt
 * setting would otherwise keep its default unnoticed.  Returns false with
 * *error set (a new string naming the file, line, key and the known keys). */
bool conf_check_keys(const struct conf *c, const char *section, const char *const *known,
                     char **error);
/* The path it was loaded from ("" for none, as when the file was missing). */
const char *conf_path(const struct conf *c);
/* Free a configuration (wiping its values first) and set *c to NULL. */
void conf_free(struct conf **c);

#endif
