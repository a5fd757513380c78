-- Self-serve keys: the application's user ids who may manage a consumer's keys (the portal, ?manager=ID).
CREATE TABLE gk_consumer_manager (
    consumer_id BIGINT       NOT NULL,
    manager     VARCHAR(254) NOT NULL,
    CONSTRAINT gk_consumer_manager_pk PRIMARY KEY (consumer_id, manager),
    CONSTRAINT gk_consumer_manager_consumer_fk FOREIGN KEY (consumer_id) REFERENCES gk_consumer (id)
);
-- ?manager=ID lists and the portal's "consumers I manage": (manager, consumer_id) probes
CREATE INDEX gk_consumer_manager_lookup_idx ON gk_consumer_manager (manager, consumer_id);
