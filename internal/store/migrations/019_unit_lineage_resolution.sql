-- The act behind a lineage row ("786/NQ-UBTVQH14", empty where the sources do not say) and how
-- the pair is known: table (an official conversion table), lists (two consecutive official
-- lists show it) or inferred (deduced, unverified); see data/units/README.md (issue 17).
ALTER TABLE unit_lineage ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_lineage ADD COLUMN basis TEXT NOT NULL DEFAULT '';
