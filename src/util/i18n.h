/* i18n.h: gettext shorthands.  Message ids are English; po/nl.po has Dutch. */
#ifndef LOKET_UTIL_I18N_H
#define LOKET_UTIL_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
