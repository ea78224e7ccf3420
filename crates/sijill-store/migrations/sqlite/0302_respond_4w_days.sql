-- The 4W by day, kept in step with respond_distributions by triggers: one row per
-- organization, area, item, day and campaign ('' for none) with the sums and the number
-- of distributions in it. The 4W page, its exports and the overview read this table (a
-- few rows per day) instead of summing every distribution on each request. Triggers
-- rather than code, so every path that writes distributions (the form, the API, imports,
-- sync) keeps it right inside the same transaction.
CREATE TABLE respond_4w_days (
    org_id         TEXT NOT NULL,
    pcode          TEXT NOT NULL,
    item_id        TEXT NOT NULL,
    distributed_on TEXT NOT NULL,
    campaign_key   TEXT NOT NULL,
    quantity       INTEGER NOT NULL,
    households     INTEGER NOT NULL,
    individuals    INTEGER NOT NULL,
    distributions  INTEGER NOT NULL,
    PRIMARY KEY (org_id, pcode, item_id, distributed_on, campaign_key)
) WITHOUT ROWID;
CREATE INDEX respond_4w_days_day_idx
    ON respond_4w_days (distributed_on, pcode, item_id, org_id);

INSERT INTO respond_4w_days
    (org_id, pcode, item_id, distributed_on, campaign_key, quantity, households, individuals, distributions)
SELECT org_id, pcode, item_id, distributed_on, COALESCE(campaign_id, ''),
       SUM(quantity), SUM(households), SUM(individuals), COUNT(*)
  FROM respond_distributions
 GROUP BY org_id, pcode, item_id, distributed_on, COALESCE(campaign_id, '');

CREATE TRIGGER respond_4w_days_insert AFTER INSERT ON respond_distributions
BEGIN
    INSERT INTO respond_4w_days
        (org_id, pcode, item_id, distributed_on, campaign_key, quantity, households, individuals, distributions)
    VALUES (NEW.org_id, NEW.pcode, NEW.item_id, NEW.distributed_on, COALESCE(NEW.campaign_id, ''),
            NEW.quantity, NEW.households, NEW.individuals, 1)
    ON CONFLICT (org_id, pcode, item_id, distributed_on, campaign_key) DO UPDATE SET
        quantity = quantity + excluded.quantity,
        households = households + excluded.households,
        individuals = individuals + excluded.individuals,
        distributions = distributions + 1;
END;

CREATE TRIGGER respond_4w_days_delete AFTER DELETE ON respond_distributions
BEGIN
    UPDATE respond_4w_days SET
        quantity = quantity - OLD.quantity,
        households = households - OLD.households,
        individuals = individuals - OLD.individuals,
        distributions = distributions - 1
     WHERE org_id = OLD.org_id AND pcode = OLD.pcode AND item_id = OLD.item_id
       AND distributed_on = OLD.distributed_on AND campaign_key = COALESCE(OLD.campaign_id, '');
    DELETE FROM respond_4w_days
     WHERE org_id = OLD.org_id AND pcode = OLD.pcode AND item_id = OLD.item_id
       AND distributed_on = OLD.distributed_on AND campaign_key = COALESCE(OLD.campaign_id, '')
       AND distributions <= 0;
END;

CREATE TRIGGER respond_4w_days_update
AFTER UPDATE OF org_id, pcode, item_id, distributed_on, campaign_id, quantity, households, individuals
ON respond_distributions
BEGIN
    UPDATE respond_4w_days SET
        quantity = quantity - OLD.quantity,
        households = households - OLD.households,
        individuals = individuals - OLD.individuals,
        distributions = distributions - 1
     WHERE org_id = OLD.org_id AND pcode = OLD.pcode AND item_id = OLD.item_id
       AND distributed_on = OLD.distributed_on AND campaign_key = COALESCE(OLD.campaign_id, '');
    DELETE FROM respond_4w_days
     WHERE org_id = OLD.org_id AND pcode = OLD.pcode AND item_id = OLD.item_id
       AND distributed_on = OLD.distributed_on AND campaign_key = COALESCE(OLD.campaign_id, '')
       AND distributions <= 0;
    INSERT INTO respond_4w_days
        (org_id, pcode, item_id, distributed_on, campaign_key, quantity, households, individuals, distributions)
    VALUES (NEW.org_id, NEW.pcode, NEW.item_id, NEW.distributed_on, COALESCE(NEW.campaign_id, ''),
            NEW.quantity, NEW.households, NEW.individuals, 1)
    ON CONFLICT (org_id, pcode, item_id, distributed_on, campaign_key) DO UPDATE SET
        quantity = quantity + excluded.quantity,
        households = households + excluded.households,
        individuals = individuals + excluded.individuals,
        distributions = distributions + 1;
END;

-- The covering index of 0301 served the per-request sum this table replaces; dropping it
-- spares every distribution write an eight-column index entry.
DROP INDEX respond_distributions_4w_idx;
