-- The 4W by day, kept in step with respond_distributions by a trigger: one row per
-- organization, area, item, day and campaign ('' for none) with the sums and the number
-- of distributions in it. The 4W page, its exports and the overview read this table (a
-- few rows per day) instead of summing every distribution on each request. A trigger
-- rather than code, so every path that writes distributions (the form, the API, imports,
-- sync) keeps it right inside the same transaction.
CREATE TABLE respond_4w_days (
    org_id         uuid NOT NULL,
    pcode          text NOT NULL,
    item_id        uuid NOT NULL,
    distributed_on date NOT NULL,
    campaign_key   text NOT NULL,
    quantity       bigint NOT NULL,
    households     bigint NOT NULL,
    individuals    bigint NOT NULL,
    distributions  bigint NOT NULL,
    PRIMARY KEY (org_id, pcode, item_id, distributed_on, campaign_key)
);
CREATE INDEX respond_4w_days_day_idx
    ON respond_4w_days (distributed_on, pcode, item_id, org_id);

INSERT INTO respond_4w_days
    (org_id, pcode, item_id, distributed_on, campaign_key, quantity, households, individuals, distributions)
SELECT org_id, pcode, item_id, distributed_on, COALESCE(campaign_id::text, ''),
       SUM(quantity), SUM(households), SUM(individuals), COUNT(*)
  FROM respond_distributions
 GROUP BY org_id, pcode, item_id, distributed_on, COALESCE(campaign_id::text, '');

CREATE FUNCTION respond_4w_days_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE respond_4w_days SET
            quantity = quantity - OLD.quantity,
            households = households - OLD.households,
            individuals = individuals - OLD.individuals,
            distributions = distributions - 1
         WHERE org_id = OLD.org_id AND pcode = OLD.pcode AND item_id = OLD.item_id
           AND distributed_on = OLD.distributed_on
           AND campaign_key = COALESCE(OLD.campaign_id::text, '');
        DELETE FROM respond_4w_days
         WHERE org_id = OLD.org_id AND pcode = OLD.pcode AND item_id = OLD.item_id
           AND distributed_on = OLD.distributed_on
           AND campaign_key = COALESCE(OLD.campaign_id::text, '')
           AND distributions <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO respond_4w_days
            (org_id, pcode, item_id, distributed_on, campaign_key, quantity, households, individuals, distributions)
        VALUES (NEW.org_id, NEW.pcode, NEW.item_id, NEW.distributed_on,
                COALESCE(NEW.campaign_id::text, ''), NEW.quantity, NEW.households, NEW.individuals, 1)
        ON CONFLICT (org_id, pcode, item_id, distributed_on, campaign_key) DO UPDATE SET
            quantity = respond_4w_days.quantity + EXCLUDED.quantity,
            households = respond_4w_days.households + EXCLUDED.households,
            individuals = respond_4w_days.individuals + EXCLUDED.individuals,
            distributions = respond_4w_days.distributions + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER respond_4w_days_apply
AFTER INSERT OR DELETE OR UPDATE OF org_id, pcode, item_id, distributed_on, campaign_id, quantity, households, individuals
ON respond_distributions
FOR EACH ROW EXECUTE FUNCTION respond_4w_days_apply();

-- The table is derived: its rows come only from the trigger above (trigger depth 2 when
-- this runs). A row inserted directly, as a restore copying every table does, is
-- dropped, since the restored distributions rebuild it.
CREATE FUNCTION respond_4w_days_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER respond_4w_days_derived BEFORE INSERT ON respond_4w_days
FOR EACH ROW EXECUTE FUNCTION respond_4w_days_derived();

-- The covering index of 0301 served the per-request sum this table replaces; dropping it
-- spares every distribution write an eight-column index entry.
DROP INDEX respond_distributions_4w_idx;
