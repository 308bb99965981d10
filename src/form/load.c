/* load.c: find a form by name — an organisation's own version first
 * (DATADIR/forms/ORG/NAME.form), else the region's (DATADIR/forms/NAME.form). */
#include "config.h"

#include "form/form.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool
safe_name(const char *s)
{
	if (!s || !*s || strlen(s) > FORM_MAX_NAME)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

char *
form_path(const char *datadir, const char *org, const char *name)
{
	if (!safe_name(name) || (org && !safe_name(org)))
		return NULL;
	if (org) {
		char *own = xasprintf("%s/forms/%s/%s.form", datadir, org, name);
		if (access(own, R_OK) == 0)
			return own;
		free(own);
	}
	return xasprintf("%s/forms/%s.form", datadir, name);
}

bool
form_load(const char *datadir, const char *org, const char *name, struct form_def **out,
          struct form_error *err)
{
	memset(err, 0, sizeof *err);
	*out = NULL;
	char *path = form_path(datadir, org, name);
	if (!path) {
		snprintf(err->file, sizeof err->file, "%s", name ? name : "");
		snprintf(err->message, sizeof err->message, "not a form name");
		return false;
	}
	char *text = NULL;
	size_t len = 0;
	bool ok = file_read(path, &text, &len);
	if (!ok) {
		snprintf(err->file, sizeof err->file, "%s", path);
		snprintf(err->message, sizeof err->message, "cannot read the file");
	} else {
		ok = form_parse(path, text, len, out, err);
	}
	if (ok && strcmp((*out)->name, name) != 0) {
		snprintf(err->file, sizeof err->file, "%s", path);
		err->line = err->column = 1;
		snprintf(err->message, sizeof err->message, "the file says 'form %s', expected '%s'",
		         (*out)->name, name);
		form_def_free(out);
		ok = false;
	}
	free(text);
	free(path);
	return ok;
}
