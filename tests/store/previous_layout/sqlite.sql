-- The results store's tables as countysim made them before runs carried a code fingerprint
-- (SQLite, as written by ResultsStore at commit 885bcba).
CREATE TABLE experiment (
	id INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	created_at DATETIME NOT NULL,
	spec_json TEXT,
	code_version VARCHAR(50) NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);
CREATE TABLE indicator_value (
	run_id INTEGER NOT NULL,
	indicator VARCHAR(100) NOT NULL,
	month_index INTEGER NOT NULL,
	month VARCHAR(7) NOT NULL,
	value DOUBLE,
	PRIMARY KEY (run_id, indicator, month_index),
	FOREIGN KEY(run_id) REFERENCES run (id) ON DELETE CASCADE
);
CREATE TABLE run (
	id INTEGER NOT NULL,
	experiment_id INTEGER NOT NULL,
	scenario_name VARCHAR(200) NOT NULL,
	scenario_hash VARCHAR(64) NOT NULL,
	seed BIGINT NOT NULL,
	status VARCHAR(10) NOT NULL,
	started_at DATETIME,
	finished_at DATETIME,
	wall_seconds DOUBLE,
	persons INTEGER,
	months INTEGER,
	code_version VARCHAR(50) NOT NULL,
	error TEXT,
	scenario_json TEXT NOT NULL,
	meta_json TEXT NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_run_key UNIQUE (experiment_id, scenario_hash, seed),
	CONSTRAINT ck_run_status CHECK (status IN ('done', 'failed', 'running')),
	FOREIGN KEY(experiment_id) REFERENCES experiment (id) ON DELETE CASCADE
);
CREATE TABLE summary (
	run_id INTEGER NOT NULL,
	indicator VARCHAR(100) NOT NULL,
	final_value DOUBLE,
	PRIMARY KEY (run_id, indicator),
	FOREIGN KEY(run_id) REFERENCES run (id) ON DELETE CASCADE
);
CREATE INDEX ix_run_scenario_hash ON run (scenario_hash);
CREATE INDEX ix_run_experiment_status ON run (experiment_id, status);
CREATE INDEX ix_indicator_value_indicator ON indicator_value (indicator);
