/* table.c: the form bindings by name (doc/forms.md, "Bindings").  A new
 * binding is a file in this folder and a line here. */
#include "config.h"

#include "form/form.h"
#include "views/bind/bind.h"

#include <stdio.h>
#include <string.h>

static const struct form_binding *const bindings[] = {
	&bind_question, &bind_referral,       &bind_client, &bind_referral_outcome,
	&bind_referral_return, &bind_signal, &bind_knowledge,
};

/* Before bindings had names of their own, `binds referral` served the
 * central point's answers too: such a form, by its name, still means its
 * binding (an organisation's own forms/ORG/outcome.form, for instance). */
static const struct {
	const char *binds, *form, *binding;
} old_words[] = {
	{"referral", "outcome", "referral-outcome"},
	{"referral", "return", "referral-return"},
};

static const struct form_binding *
by_name(const char *name)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (strcmp(bindings[i]->name, name) == 0)
			return bindings[i];
	return NULL;
}

bool
form_binding_find(const struct form_def *def, const struct form_binding **out,
                  struct form_error *err)
{
	const char *name = def->binds;
	for (size_t i = 0; i < sizeof old_words / sizeof old_words[0]; i++)
		if (strcmp(old_words[i].binds, def->binds) == 0 &&
		    strcmp(old_words[i].form, def->name) == 0)
			name = old_words[i].binding;
	*out = by_name(name);
	if (*out)
		return true;
	memset(err, 0, sizeof *err);
	snprintf(err->file, sizeof err->file, "%s", def->file ? def->file : def->name);
	err->line = def->binds_line;
	err->column = def->binds_col;
	size_t n = (size_t)snprintf(err->message, sizeof err->message,
	                            "unknown binding '%.40s': expected", def->binds);
	size_t last = sizeof bindings / sizeof bindings[0] - 1;
	for (size_t i = 0; i <= last && n < sizeof err->message; i++)
		n += (size_t)snprintf(err->message + n, sizeof err->message - n, "%s %s",
		                      i == 0 ? "" : i == last ? " or" : ",", bindings[i]->name);
	return false;
}
