#!/usr/bin/env bash
# A steward's walk through an unseen CSV with nothing but the command line: preview, import, fix the roles,
# accept the suggested rules and run them, save a cleaning recipe, dry-run it, run it, download the
# cleaned rows, then look at the lineage and manage a key. Needs DAM_API_URL and DAM_TOKEN (admin).
# Every command's one JSON line is kept in <work dir>/<step>.json; the last line printed is a summary.
set -euo pipefail
: "${DAM_API_URL:?set DAM_API_URL}" "${DAM_TOKEN:?set DAM_TOKEN}"
WORK="${1:?usage: steward-walk.sh <work dir>}"
cd "$(dirname "$0")/../../../.."

dam() { node --import tsx apps/api/src/cli/dam.ts "$@"; }
# field <file> <dotted.path>: one value of a command's JSON line (strings raw, others as JSON).
field() {
  node -e 'const fs=require("node:fs");let v=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));
    for(const k of process.argv[2].split("."))v=v?.[k];process.stdout.write(typeof v==="string"?v:JSON.stringify(v??null))' "$1" "$2"
}
step() { local name="$1"; shift; echo "== $name" >&2; dam "$@" > "$WORK/$name.json"; }

{
  echo "sku,designation,famille,prix"
  for i in $(seq 1 40); do
    if ((i % 2)); then famille=jouets; else famille=jardin; fi
    if ((i == 5)); then prix=900; else prix=$((10 + i % 5)); fi
    echo "S$i,Article $i,$famille,$prix"
  done
} > "$WORK/boutique.csv"

step preview import "$WORK/boutique.csv" --preview --first 3
step import import "$WORK/boutique.csv" --name boutique --kind CATALOG
RAW=$(field "$WORK/import.json" versionId)
step roles datasets roles "$RAW" --map sku=itemId,designation=title,famille=category,prix=price

# Suggestions come from the version's profile, which a job writes after the load: ask until it is there.
for attempt in $(seq 1 60); do
  if dam rules suggest "$RAW" > "$WORK/suggest.json" 2> "$WORK/suggest.err"; then break; fi
  if ((attempt == 60)); then cat "$WORK/suggest.err" >&2; exit 1; fi
  sleep 1
done
step accept rules suggest "$RAW" --accept all
step rules-run rules run "$RAW"

step recipe clean create boutique --name "price slips" \
  --steps '[{"op":"drop_group_outliers","column":"prix","groupBy":"famille","maxRatio":10}]'
RECIPE=$(field "$WORK/recipe.json" id)
step dry-run clean "$RECIPE" --dry-run
step clean clean "$RECIPE"
CLEAN=$(field "$WORK/clean.json" versionId)
step download datasets download "$CLEAN" --format csv --out "$WORK/boutique-clean.csv"
step download-parquet datasets download "$CLEAN" --format parquet --out "$WORK/boutique-clean.parquet"

step lineage lineage show "$CLEAN" --direction upstream --depth 2
step key-create keys create --name walk-viewer --role viewer
step key-revoke keys revoke "$(field "$WORK/key-create.json" apiKey.id)"
step keys keys list --include-revoked
step models models list

echo "{\"raw\":\"$RAW\",\"recipe\":\"$RECIPE\",\"clean\":\"$CLEAN\"}"
