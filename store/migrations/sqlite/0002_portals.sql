-- Reserved for the portals migration (portal and verdict columns of
-- dossiers): numbers run without a gap, and 0003 is the clerks'. Replaced
-- by that migration when both are merged.
SELECT 1;
