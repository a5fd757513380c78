-- Usage analytics: requests per key (or per bucket, for refusals before any key was known), per period, per
-- outcome. start_minute is the period's start in minutes since 1970-01-01T00:00Z, so hours and days are UTC and
-- truncation is integer arithmetic on both databases. consumer_id and key_id are 0 for a bucket's keyless
-- refusals: a NULL would make the primary key (and so the upsert) useless. No foreign keys: counts outlive a
-- deleted consumer until the retention removes them.
CREATE TABLE gk_usage_minute (
    bucket_id     BIGINT      NOT NULL,
    start_minute  BIGINT      NOT NULL,
    consumer_id   BIGINT      NOT NULL,
    key_id        BIGINT      NOT NULL,
    outcome       VARCHAR(32) NOT NULL,
    request_count BIGINT      NOT NULL,
    CONSTRAINT gk_usage_minute_pk PRIMARY KEY (bucket_id, start_minute, consumer_id, key_id, outcome)
);
CREATE INDEX gk_usage_minute_consumer_idx ON gk_usage_minute (consumer_id, start_minute);
CREATE INDEX gk_usage_minute_start_idx ON gk_usage_minute (start_minute);

CREATE TABLE gk_usage_hour (
    bucket_id     BIGINT      NOT NULL,
    start_minute  BIGINT      NOT NULL,
    consumer_id   BIGINT      NOT NULL,
    key_id        BIGINT      NOT NULL,
    outcome       VARCHAR(32) NOT NULL,
    request_count BIGINT      NOT NULL,
    CONSTRAINT gk_usage_hour_pk PRIMARY KEY (bucket_id, start_minute, consumer_id, key_id, outcome)
);
CREATE INDEX gk_usage_hour_consumer_idx ON gk_usage_hour (consumer_id, start_minute);
CREATE INDEX gk_usage_hour_start_idx ON gk_usage_hour (start_minute);

CREATE TABLE gk_usage_day (
    bucket_id     BIGINT      NOT NULL,
    start_minute  BIGINT      NOT NULL,
    consumer_id   BIGINT      NOT NULL,
    key_id        BIGINT      NOT NULL,
    outcome       VARCHAR(32) NOT NULL,
    request_count BIGINT      NOT NULL,
    CONSTRAINT gk_usage_day_pk PRIMARY KEY (bucket_id, start_minute, consumer_id, key_id, outcome)
);
CREATE INDEX gk_usage_day_consumer_idx ON gk_usage_day (consumer_id, start_minute);
CREATE INDEX gk_usage_day_start_idx ON gk_usage_day (start_minute);

-- How far each coarser table has been rolled up: periods before rolled_until (a start_minute) are in it, later
-- ones are still summed from the finer table. The rows are locked by the roll-up (FOR UPDATE) and by every flush
-- (FOR SHARE on PostgreSQL), so a roll-up never misses a flush that is being written.
CREATE TABLE gk_usage_rollup (
    granularity  VARCHAR(8) NOT NULL PRIMARY KEY,
    rolled_until BIGINT
);
INSERT INTO gk_usage_rollup (granularity, rolled_until) VALUES ('day', NULL);
INSERT INTO gk_usage_rollup (granularity, rolled_until) VALUES ('hour', NULL);
