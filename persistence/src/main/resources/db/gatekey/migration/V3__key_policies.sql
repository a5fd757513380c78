-- Key policies: scopes, IP allowlists and credits (null credits_remaining = unlimited).
-- scopes and allowed_ips hold JSON arrays of strings (null = none).
ALTER TABLE gk_api_key ADD COLUMN scopes VARCHAR(2200);
ALTER TABLE gk_api_key ADD COLUMN allowed_ips VARCHAR(4000);
ALTER TABLE gk_api_key ADD COLUMN credits_remaining BIGINT;
-- incremented when credits are set, adjusted or refilled (not when spent): leases and Redis counters of an older
-- generation are stale
ALTER TABLE gk_api_key ADD COLUMN credits_generation BIGINT DEFAULT 0 NOT NULL;
-- 'daily' or 'monthly'; null = no refill
ALTER TABLE gk_api_key ADD COLUMN refill_interval VARCHAR(8);
ALTER TABLE gk_api_key ADD COLUMN refill_amount BIGINT;
ALTER TABLE gk_api_key ADD COLUMN refill_day INTEGER;
ALTER TABLE gk_api_key ADD COLUMN next_refill_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE gk_api_key ADD CONSTRAINT gk_api_key_credits_ck CHECK (credits_remaining IS NULL OR credits_remaining >= 0);
