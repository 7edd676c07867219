#!/bin/sh
# The copied-logic check of `npm run lint`: jscpd (settings in .jscpd.json) over the TypeScript and TSX
# of apps/, packages/, bench/ and scripts/ fails on any block of 10 or more lines and 50 or more tokens
# (jscpd's default token floor) that appears twice; threshold 0, so one clone is enough.
# Left out: tests (*.test.ts, *.test.tsx, test/ and e2e/ folders), generated code (**/generated/**),
# node_modules, .next and .d.ts files, and these declarative data files, whose entries repeat one shape
# by nature (a copied entry there is data, not logic that can drift):
#   packages/attributes/src/dictionaries.ts                     phrase lists of the attribute vocabulary
#   packages/demo-shop/src/catalog/{home,leisure,lifestyle}.ts  the synthetic shop's category specs
# Paths are given here, not in the config, so reports show them relative to the repository.
exec jscpd apps packages bench scripts
