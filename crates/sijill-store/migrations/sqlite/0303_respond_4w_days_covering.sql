-- The rows by day of the 4W page are read a page at a time in day, area, item,
-- organization order: an index in that order holding every summed column lets the
-- grouping walk it in order and stop at the page's end, without a sort or a visit to
-- the table per row.
DROP INDEX respond_4w_days_day_idx;
CREATE INDEX respond_4w_days_day_idx
    ON respond_4w_days (distributed_on, pcode, item_id, org_id, campaign_key, quantity, households, individuals, distributions);
