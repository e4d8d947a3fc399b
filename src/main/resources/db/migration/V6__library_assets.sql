-- The knowledge library: plays the knowledge curator promoted from executed missions, offered to later missions.
CREATE TABLE library_assets (
    id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    name              VARCHAR(200)  NOT NULL,
    description       VARCHAR(2000),
    category          VARCHAR(40)   NOT NULL,
    persona           VARCHAR(200)  NOT NULL,
    tags              VARCHAR(1000),
    impact            VARCHAR(16)   NOT NULL,
    reversibility     VARCHAR(16)   NOT NULL,
    mutating          BOOLEAN       NOT NULL,
    undo_plan_json    TEXT,
    source_mission_id VARCHAR(64)   NOT NULL REFERENCES missions (id),
    source_play_id    VARCHAR(100)  NOT NULL,
    created_by        VARCHAR(255)  NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    reuse_count       INT           NOT NULL,
    rating_sum        INT           NOT NULL,
    rating_count      INT           NOT NULL,
    CONSTRAINT uq_library_source UNIQUE (source_mission_id, source_play_id)
);
CREATE INDEX idx_library_persona ON library_assets (persona);
