-- Indexes for the relief pages under load (bench/load): the latest distributions of one
-- organization read the index backwards instead of sorting the table, and the 4W matrix
-- groups in the order of a covering index instead of sorting every row.
CREATE INDEX respond_distributions_org_recent_idx
    ON respond_distributions (org_id, created_at, id);
CREATE INDEX respond_distributions_4w_idx
    ON respond_distributions (org_id, pcode, item_id, distributed_on, campaign_id, quantity, households, individuals);
