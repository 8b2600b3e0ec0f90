// SPDX-License-Identifier: MIT
/* What the probe backends share. */
#include "probe/backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ot_appendf(char *buf, size_t sz, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len >= sz - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, sz - len, fmt, ap);
	va_end(ap);
}

void ot_setf(char *buf, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sz, fmt, ap);
	va_end(ap);
}
