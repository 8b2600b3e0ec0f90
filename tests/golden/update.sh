#!/bin/sh
# Regenerates the golden reports from the fixtures, after a deliberate change to
# the reports (or to the claims they show). Review the diff before committing it.
#   tests/golden/update.sh
set -eu
cd "$(dirname "$0")/../.." || exit 2
make build/tests/unit_tests
OT_UPDATE_GOLDEN=1 build/tests/unit_tests report_golden
make build/opentrail
OT_UPDATE_GOLDEN=1 sh tests/cli/text_view.sh
git status --short -- tests/golden/ || true
