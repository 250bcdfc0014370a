PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE therapists (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (email)
);
INSERT INTO therapists VALUES(1,'Dr Rowan Adeyemi','rowan@clinic.example','2026-11-20 09:00:00.000000');
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(320) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	subject VARCHAR(200) NOT NULL, 
	detail JSON, 
	PRIMARY KEY (id)
);
INSERT INTO audit_events VALUES(1,'2026-11-20 09:00:00.000000','rowan@clinic.example','therapist','transcript.view','client:river','{"conversation": 1}');
CREATE TABLE clients (
	id VARCHAR(64) NOT NULL, 
	display_name VARCHAR(200) NOT NULL, 
	therapist_id INTEGER, 
	share_by_default BOOLEAN NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	locale VARCHAR(8) DEFAULT 'US' NOT NULL, 
	growth_prompts VARCHAR(8) DEFAULT 'auto' NOT NULL, 
	rasa_paused BOOLEAN DEFAULT '0' NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(therapist_id) REFERENCES therapists (id)
);
INSERT INTO clients VALUES('river','River',1,1,'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','GB','auto',0,'2026-11-20 09:00:00.000000');
CREATE TABLE invites (
	token_hash VARCHAR(64) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	therapist_id INTEGER, 
	share_by_default BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	PRIMARY KEY (token_hash), 
	FOREIGN KEY(therapist_id) REFERENCES therapists (id)
);
INSERT INTO invites VALUES('cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc','ash@example.org','Ash','client',1,0,'2026-11-20 09:00:00.000000','2026-12-04 09:00:00.000000',NULL);
CREATE TABLE conversations (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	started_at DATETIME NOT NULL, 
	last_activity_at DATETIME NOT NULL, 
	open_for VARCHAR(64), 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id)
);
INSERT INTO conversations VALUES(1,'river','2026-11-20 09:00:00.000000','2026-11-20 09:00:00.000000',NULL);
CREATE TABLE safety_plans (
	client_id VARCHAR(64) NOT NULL, 
	warning_signs TEXT, 
	coping TEXT, 
	distractions TEXT, 
	people_to_ask TEXT, 
	professionals TEXT, 
	safer_surroundings TEXT, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (client_id), 
	FOREIGN KEY(client_id) REFERENCES clients (id)
);
INSERT INTO safety_plans VALUES('river','not sleeping','walk the dog',NULL,NULL,NULL,NULL,'2026-11-20 09:00:00.000000');
CREATE TABLE ptg_checkins (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	offered_at DATETIME, 
	answered_at DATETIME, 
	appreciation INTEGER, 
	relationships INTEGER, 
	strength INTEGER, 
	possibilities INTEGER, 
	spiritual INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id)
);
INSERT INTO ptg_checkins VALUES(1,'river','2026-11-20 09:00:00.000000','2026-11-20 09:00:00.000000',3,2,3,1,2);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR(200), 
	client_id VARCHAR(64), 
	therapist_id INTEGER, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (email), 
	UNIQUE (client_id), 
	FOREIGN KEY(client_id) REFERENCES clients (id), 
	UNIQUE (therapist_id), 
	FOREIGN KEY(therapist_id) REFERENCES therapists (id)
);
INSERT INTO users VALUES(1,'rowan@clinic.example','Dr Rowan Adeyemi','therapist','$argon2id$placeholder',NULL,1,'2026-11-20 09:00:00.000000');
CREATE TABLE messages (
	id INTEGER NOT NULL, 
	conversation_id INTEGER NOT NULL, 
	sender VARCHAR(16) NOT NULL, 
	text TEXT NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	client_message_id VARCHAR(64), 
	reply_to_id INTEGER, 
	risk_level VARCHAR(16), 
	risk_signals JSON, 
	risk_categories JSON, 
	risk_detail JSON, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id), 
	FOREIGN KEY(reply_to_id) REFERENCES messages (id)
);
INSERT INTO messages VALUES(1,1,'client','I can''t sleep since the flood','accepted','c-1',NULL,'none','[]','[]','{"language": "en"}','2026-11-20 09:00:00.000000');
INSERT INTO messages VALUES(2,1,'bot','That sounds exhausting.','accepted',NULL,1,NULL,NULL,NULL,NULL,'2026-11-20 09:00:01.000000');
INSERT INTO messages VALUES(3,1,'client','I don''t want to be here anymore','accepted',NULL,NULL,'crisis','["passive ideation"]','["suicide"]',NULL,'2026-11-20 09:01:00.000000');
CREATE TABLE journal_entries (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	conversation_id INTEGER, 
	exercise VARCHAR(64) NOT NULL, 
	shared_with_therapist BOOLEAN NOT NULL, 
	completed BOOLEAN NOT NULL, 
	started_at DATETIME, 
	saved_at DATETIME NOT NULL, 
	resumed_at DATETIME, 
	at_risk BOOLEAN DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id)
);
INSERT INTO journal_entries VALUES(1,'river',1,'gratitude',1,1,'2026-11-20 09:00:00.000000','2026-11-20 09:00:00.000000',NULL,0);
CREATE TABLE mood_ratings (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	conversation_id INTEGER, 
	score FLOAT NOT NULL, 
	word TEXT, 
	rated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id)
);
INSERT INTO mood_ratings VALUES(1,'river',1,4.0,'tired','2026-11-20 09:00:00.000000');
CREATE TABLE readiness_snapshots (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	conversation_id INTEGER, 
	level VARCHAR(16) NOT NULL, 
	growth_prompts VARCHAR(8) NOT NULL, 
	reasons TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id)
);
INSERT INTO readiness_snapshots VALUES(1,'river',1,'stabilize','auto','["recent crisis"]','2026-11-20 09:00:00.000000');
CREATE TABLE web_sessions (
	token_hash VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (token_hash), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO web_sessions VALUES('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',1,'2026-11-20 09:00:00.000000','2026-11-20 21:00:00.000000');
CREATE TABLE blocked_replies (
	id INTEGER NOT NULL, 
	message_id INTEGER NOT NULL, 
	original_text TEXT NOT NULL, 
	reasons JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (message_id), 
	FOREIGN KEY(message_id) REFERENCES messages (id)
);
INSERT INTO blocked_replies VALUES(1,2,'Look on the bright side!','["toxic positivity"]','2026-11-20 09:00:00.000000');
CREATE TABLE entry_items (
	id INTEGER NOT NULL, 
	entry_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	slot VARCHAR(64), 
	prompt TEXT NOT NULL, 
	answer TEXT NOT NULL, 
	answered_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES journal_entries (id)
);
INSERT INTO entry_items VALUES(1,1,0,'gratitude_1','What helped today?','My neighbour brought soup','2026-11-20 09:00:00.000000');
CREATE TABLE escalations (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	conversation_id INTEGER NOT NULL, 
	message_id INTEGER NOT NULL, 
	reason VARCHAR(200) NOT NULL, 
	risk_level VARCHAR(16) NOT NULL, 
	risk_signals JSON NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	clinician VARCHAR(200), 
	joined_by VARCHAR(200), 
	notes TEXT, 
	urgent BOOLEAN DEFAULT '1' NOT NULL, 
	contact_index INTEGER NOT NULL, 
	notified_at DATETIME NOT NULL, 
	fallback_at DATETIME, 
	created_at DATETIME NOT NULL, 
	acknowledged_at DATETIME, 
	resolved_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id), 
	FOREIGN KEY(message_id) REFERENCES messages (id)
);
INSERT INTO escalations VALUES(1,'river',1,3,'crisis language','crisis','["passive ideation"]','acknowledged','Sam',NULL,NULL,1,0,'2026-11-20 09:00:00.000000',NULL,'2026-11-20 09:00:00.000000','2026-11-20 09:02:00.000000',NULL);
CREATE TABLE message_notes (
	id INTEGER NOT NULL, 
	message_id INTEGER NOT NULL, 
	author VARCHAR(320) NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(message_id) REFERENCES messages (id)
);
INSERT INTO message_notes VALUES(1,3,'rowan@clinic.example','Discussed in session','2026-11-20 09:00:00.000000');
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	escalation_id INTEGER NOT NULL, 
	audience VARCHAR(16) DEFAULT 'on_call' NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	recipient VARCHAR(500) NOT NULL, 
	payload JSON NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	delivered_at DATETIME, 
	failing_since DATETIME, 
	last_error TEXT, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(escalation_id) REFERENCES escalations (id)
);
INSERT INTO outbox VALUES(1,1,'on_call','webhook','http://127.0.0.1:9/hook','{"escalation_id": 1}',1,'2026-11-20 09:00:00.000000','2026-11-20 09:00:00.000000',NULL,NULL,'2026-11-20 09:00:00.000000');
CREATE INDEX ix_audit_events_at ON audit_events (at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE UNIQUE INDEX ux_conversations_open_for ON conversations (open_for);
CREATE INDEX ix_conversations_client_id ON conversations (client_id);
CREATE INDEX ix_ptg_checkins_client_id ON ptg_checkins (client_id);
CREATE INDEX ix_messages_conversation_id ON messages (conversation_id);
CREATE UNIQUE INDEX ux_messages_client_message_id ON messages (conversation_id, client_message_id);
CREATE INDEX ix_messages_reply_to_id ON messages (reply_to_id);
CREATE INDEX ix_journal_entries_client_id ON journal_entries (client_id);
CREATE INDEX ix_mood_ratings_client_id ON mood_ratings (client_id);
CREATE INDEX ix_readiness_snapshots_conversation_id ON readiness_snapshots (conversation_id);
CREATE INDEX ix_readiness_snapshots_client_id ON readiness_snapshots (client_id);
CREATE INDEX ix_web_sessions_user_id ON web_sessions (user_id);
CREATE INDEX ix_entry_items_entry_id ON entry_items (entry_id);
CREATE INDEX ix_escalations_state ON escalations (state);
CREATE INDEX ix_escalations_client_id ON escalations (client_id);
CREATE INDEX ix_message_notes_message_id ON message_notes (message_id);
CREATE INDEX ix_outbox_escalation_id ON outbox (escalation_id);
CREATE INDEX ix_outbox_next_attempt_at ON outbox (next_attempt_at);
COMMIT;
