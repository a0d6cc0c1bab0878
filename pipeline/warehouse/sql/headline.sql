-- One chosen row per (regency, indicator, scope, year, period, kind).
-- The rule (pipeline/reconcile/rank.py, README "Headline rule"), in order:
--   0. a value a plausibility rule doubts (status 'suspect') loses to any that is not;
--   1. a stated value that disagrees with its own figures (status 'mismatch') loses;
--   2. a value confirmed by its own numerator/denominator or parts/total wins;
--   3. performance chapter (BAB III) > annexes > planning > executive summary > closing > intro;
--   4. table > sentence > derived;
--   5. the value more candidates agree on;
--   6. the earliest line.
CREATE VIEW headline AS
SELECT
    o.*,
    count(*) OVER k AS n_candidates,
    coalesce(bool_or(o.status = 'conflict') OVER k, false)
        OR coalesce(bool_or(o.status = 'mismatch') OVER k, false) AS has_conflict,
    coalesce(bool_or(o.status = 'suspect') OVER k, false) AS has_suspect
FROM observations AS o
WINDOW k AS (PARTITION BY o.regency, o.indicator, o.scope, o.year, o.period, o.kind)
QUALIFY row_number() OVER (
    PARTITION BY o.regency, o.indicator, o.scope, o.year, o.period, o.kind
    ORDER BY (o.status = 'suspect'), (o.status = 'mismatch'), o.confirmed DESC, o.section_rank, o.method_rank, o.n_agreeing DESC, o.source_line
) = 1;
