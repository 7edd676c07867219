#!/bin/sh
# Prisma's CLI insists on a native schema engine it cannot download offline; `generate` only checks
# that the file exists. Migrations use the WASM engine instead (packages/db/src/cli).
echo "schema-engine is not available offline: use npm run db:migrate / db:migrate:new" >&2
exit 1
