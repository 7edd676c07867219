-- ModelVersion.inputIds ("<role>:<id>" strings, parsed on read) becomes ModelVersion.inputs, typed JSON
-- { eventsVersionId, catalogVersionId, featureSetId, segmentSetId } validated by ZModelInputs
-- (apps/api/src/modules/models/model-inputs.ts). The old column is dropped once converted: one source
-- of truth, and nothing written after this migration would fill it.
ALTER TABLE "ModelVersion" ADD COLUMN "inputs" JSONB;

-- Entries are read as the old reader did: "<role>:<uuid>" with a known role, else a bare uuid;
-- anything else is skipped. The first entry of a role wins, tagged entries before bare ones. A bare id
-- (written only by tests and benches, never by training) takes the role of what it names: a feature
-- set, a segment set, a catalogue version, else any other dataset version is the events; a bare id
-- that names nothing is dropped (there is nothing to trace or erase through it).
WITH entries AS (
  SELECT m.id AS model_id, e.ord,
         CASE WHEN position(':' IN e.entry) > 1 THEN split_part(e.entry, ':', 1) END AS role,
         CASE WHEN position(':' IN e.entry) > 1 THEN substr(e.entry, position(':' IN e.entry) + 1)
              ELSE e.entry END AS ref
    FROM "ModelVersion" m, unnest(m."inputIds") WITH ORDINALITY AS e(entry, ord)
),
readable AS (
  SELECT model_id, ord, role, ref::uuid AS ref
    FROM entries
   WHERE ref ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     AND (role IS NULL OR role IN ('events', 'catalog', 'features', 'segments'))
),
typed AS (
  SELECT r.model_id, r.ord, r.ref, r.role IS NULL AS bare,
         COALESCE(r.role, CASE
           WHEN EXISTS (SELECT 1 FROM "FeatureSet" f WHERE f.id = r.ref) THEN 'features'
           WHEN EXISTS (SELECT 1 FROM "SegmentSet" s WHERE s.id = r.ref) THEN 'segments'
           WHEN EXISTS (SELECT 1 FROM "DatasetVersion" v JOIN "Dataset" d ON d.id = v."datasetId"
                         WHERE v.id = r.ref AND d.kind = 'CATALOG') THEN 'catalog'
           WHEN EXISTS (SELECT 1 FROM "DatasetVersion" v WHERE v.id = r.ref) THEN 'events'
         END) AS role
    FROM readable r
),
picked AS (
  SELECT DISTINCT ON (model_id, role) model_id, role, ref::text AS ref
    FROM typed
   WHERE role IS NOT NULL
   ORDER BY model_id, role, bare, ord
)
UPDATE "ModelVersion" m
   SET "inputs" = jsonb_build_object(
         'eventsVersionId', COALESCE((SELECT p.ref FROM picked p WHERE p.model_id = m.id AND p.role = 'events'), ''),
         'catalogVersionId', (SELECT p.ref FROM picked p WHERE p.model_id = m.id AND p.role = 'catalog'),
         'featureSetId', (SELECT p.ref FROM picked p WHERE p.model_id = m.id AND p.role = 'features'),
         'segmentSetId', (SELECT p.ref FROM picked p WHERE p.model_id = m.id AND p.role = 'segments'));

ALTER TABLE "ModelVersion" ALTER COLUMN "inputs" SET NOT NULL;
ALTER TABLE "ModelVersion" DROP COLUMN "inputIds";
