// SPDX-License-Identifier: MIT
/* libFuzzer harness: the log parser alone, on any bytes (NULs, invalid UTF-8,
 * long lines). Every line must come back as a record, an unparsed line or prose,
 * and every kept line must be free of NUL bytes and invalid UTF-8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"
#include "record/logparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ot_log log;
	FILE *f;

	if (!size)
		return 0;
	if (!ot_kinds_legacy())
		ot_kinds_set_legacy(ot_probe_legacy_kinds());
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (ot_log_read_stream(f, "fuzz", &log) == 0) {
		if (log.nrecs + log.nunparsed + log.nprose + log.ndescribed != log.nlines)
			abort(); /* a line was lost */
		for (size_t i = 0; i < log.nlines; i++)
			for (const unsigned char *p = (const unsigned char *)log.lines[i]; *p; p++)
				if (*p < 0x09 || (*p > 0x09 && *p < 0x20) || *p == 0x7f)
					abort(); /* a control byte kept raw */
		ot_log_free(&log);
	}
	fclose(f);
	return 0;
}
