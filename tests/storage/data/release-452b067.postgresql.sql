SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
CREATE FUNCTION public.audit_events_refuse() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE public.audit_events (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(320) NOT NULL,
    role character varying(16) NOT NULL,
    action character varying(40) NOT NULL,
    subject character varying(200) NOT NULL,
    detail json
);
CREATE SEQUENCE public.audit_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.audit_events_id_seq OWNED BY public.audit_events.id;
CREATE TABLE public.blocked_replies (
    id integer NOT NULL,
    message_id integer NOT NULL,
    original_text text NOT NULL,
    reasons json NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.blocked_replies_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.blocked_replies_id_seq OWNED BY public.blocked_replies.id;
CREATE TABLE public.clients (
    id character varying(64) NOT NULL,
    display_name character varying(200) NOT NULL,
    therapist_id integer,
    share_by_default boolean NOT NULL,
    token_hash character varying(64) NOT NULL,
    locale character varying(8) DEFAULT 'US'::character varying NOT NULL,
    growth_prompts character varying(8) DEFAULT 'auto'::character varying NOT NULL,
    rasa_paused boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE public.conversations (
    id integer NOT NULL,
    client_id character varying(64) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    last_activity_at timestamp with time zone NOT NULL,
    open_for character varying(64)
);
CREATE SEQUENCE public.conversations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.conversations_id_seq OWNED BY public.conversations.id;
CREATE TABLE public.entry_items (
    id integer NOT NULL,
    entry_id integer NOT NULL,
    "position" integer NOT NULL,
    slot character varying(64),
    prompt text NOT NULL,
    answer text NOT NULL,
    answered_at timestamp with time zone
);
CREATE SEQUENCE public.entry_items_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.entry_items_id_seq OWNED BY public.entry_items.id;
CREATE TABLE public.escalations (
    id integer NOT NULL,
    client_id character varying(64) NOT NULL,
    conversation_id integer NOT NULL,
    message_id integer NOT NULL,
    reason character varying(200) NOT NULL,
    risk_level character varying(16) NOT NULL,
    risk_signals json NOT NULL,
    state character varying(16) NOT NULL,
    clinician character varying(200),
    joined_by character varying(200),
    notes text,
    urgent boolean DEFAULT true NOT NULL,
    contact_index integer NOT NULL,
    notified_at timestamp with time zone NOT NULL,
    fallback_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    acknowledged_at timestamp with time zone,
    resolved_at timestamp with time zone
);
CREATE SEQUENCE public.escalations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.escalations_id_seq OWNED BY public.escalations.id;
CREATE TABLE public.invites (
    token_hash character varying(64) NOT NULL,
    email character varying(320) NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(16) NOT NULL,
    therapist_id integer,
    share_by_default boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);
CREATE TABLE public.journal_entries (
    id integer NOT NULL,
    client_id character varying(64) NOT NULL,
    conversation_id integer,
    exercise character varying(64) NOT NULL,
    shared_with_therapist boolean NOT NULL,
    completed boolean NOT NULL,
    started_at timestamp with time zone,
    saved_at timestamp with time zone NOT NULL,
    resumed_at timestamp with time zone,
    at_risk boolean DEFAULT false NOT NULL
);
CREATE SEQUENCE public.journal_entries_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.journal_entries_id_seq OWNED BY public.journal_entries.id;
CREATE TABLE public.message_notes (
    id integer NOT NULL,
    message_id integer NOT NULL,
    author character varying(320) NOT NULL,
    text text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.message_notes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.message_notes_id_seq OWNED BY public.message_notes.id;
CREATE TABLE public.messages (
    id integer NOT NULL,
    conversation_id integer NOT NULL,
    sender character varying(16) NOT NULL,
    text text NOT NULL,
    status character varying(16) NOT NULL,
    client_message_id character varying(64),
    reply_to_id integer,
    risk_level character varying(16),
    risk_signals json,
    risk_categories json,
    risk_detail json,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.messages_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.messages_id_seq OWNED BY public.messages.id;
CREATE TABLE public.mood_ratings (
    id integer NOT NULL,
    client_id character varying(64) NOT NULL,
    conversation_id integer,
    score double precision NOT NULL,
    word text,
    rated_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.mood_ratings_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.mood_ratings_id_seq OWNED BY public.mood_ratings.id;
CREATE TABLE public.outbox (
    id integer NOT NULL,
    escalation_id integer NOT NULL,
    audience character varying(16) DEFAULT 'on_call'::character varying NOT NULL,
    channel character varying(16) NOT NULL,
    recipient character varying(500) NOT NULL,
    payload json NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    failing_since timestamp with time zone,
    last_error text,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;
CREATE TABLE public.ptg_checkins (
    id integer NOT NULL,
    client_id character varying(64) NOT NULL,
    offered_at timestamp with time zone,
    answered_at timestamp with time zone,
    appreciation integer,
    relationships integer,
    strength integer,
    possibilities integer,
    spiritual integer
);
CREATE SEQUENCE public.ptg_checkins_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.ptg_checkins_id_seq OWNED BY public.ptg_checkins.id;
CREATE TABLE public.readiness_snapshots (
    id integer NOT NULL,
    client_id character varying(64) NOT NULL,
    conversation_id integer,
    level character varying(16) NOT NULL,
    growth_prompts character varying(8) NOT NULL,
    reasons text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.readiness_snapshots_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.readiness_snapshots_id_seq OWNED BY public.readiness_snapshots.id;
CREATE TABLE public.safety_plans (
    client_id character varying(64) NOT NULL,
    warning_signs text,
    coping text,
    distractions text,
    people_to_ask text,
    professionals text,
    safer_surroundings text,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE public.therapists (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    email character varying(320) NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.therapists_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.therapists_id_seq OWNED BY public.therapists.id;
CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(320) NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(16) NOT NULL,
    password_hash character varying(200),
    client_id character varying(64),
    therapist_id integer,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;
CREATE TABLE public.web_sessions (
    token_hash character varying(64) NOT NULL,
    user_id integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);
ALTER TABLE ONLY public.audit_events ALTER COLUMN id SET DEFAULT nextval('public.audit_events_id_seq'::regclass);
ALTER TABLE ONLY public.blocked_replies ALTER COLUMN id SET DEFAULT nextval('public.blocked_replies_id_seq'::regclass);
ALTER TABLE ONLY public.conversations ALTER COLUMN id SET DEFAULT nextval('public.conversations_id_seq'::regclass);
ALTER TABLE ONLY public.entry_items ALTER COLUMN id SET DEFAULT nextval('public.entry_items_id_seq'::regclass);
ALTER TABLE ONLY public.escalations ALTER COLUMN id SET DEFAULT nextval('public.escalations_id_seq'::regclass);
ALTER TABLE ONLY public.journal_entries ALTER COLUMN id SET DEFAULT nextval('public.journal_entries_id_seq'::regclass);
ALTER TABLE ONLY public.message_notes ALTER COLUMN id SET DEFAULT nextval('public.message_notes_id_seq'::regclass);
ALTER TABLE ONLY public.messages ALTER COLUMN id SET DEFAULT nextval('public.messages_id_seq'::regclass);
ALTER TABLE ONLY public.mood_ratings ALTER COLUMN id SET DEFAULT nextval('public.mood_ratings_id_seq'::regclass);
ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);
ALTER TABLE ONLY public.ptg_checkins ALTER COLUMN id SET DEFAULT nextval('public.ptg_checkins_id_seq'::regclass);
ALTER TABLE ONLY public.readiness_snapshots ALTER COLUMN id SET DEFAULT nextval('public.readiness_snapshots_id_seq'::regclass);
ALTER TABLE ONLY public.therapists ALTER COLUMN id SET DEFAULT nextval('public.therapists_id_seq'::regclass);
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);
COPY public.audit_events (id, at, actor, role, action, subject, detail) FROM stdin;
1	2026-11-20 09:00:00+00	rowan@clinic.example	therapist	transcript.view	client:river	{"conversation": 1}
\.
COPY public.blocked_replies (id, message_id, original_text, reasons, created_at) FROM stdin;
1	2	Look on the bright side!	["toxic positivity"]	2026-11-20 09:00:00+00
\.
COPY public.clients (id, display_name, therapist_id, share_by_default, token_hash, locale, growth_prompts, rasa_paused, created_at) FROM stdin;
river	River	1	t	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	GB	auto	f	2026-11-20 09:00:00+00
\.
COPY public.conversations (id, client_id, started_at, last_activity_at, open_for) FROM stdin;
1	river	2026-11-20 09:00:00+00	2026-11-20 09:00:00+00	\N
\.
COPY public.entry_items (id, entry_id, "position", slot, prompt, answer, answered_at) FROM stdin;
1	1	0	gratitude_1	What helped today?	My neighbour brought soup	2026-11-20 09:00:00+00
\.
COPY public.escalations (id, client_id, conversation_id, message_id, reason, risk_level, risk_signals, state, clinician, joined_by, notes, urgent, contact_index, notified_at, fallback_at, created_at, acknowledged_at, resolved_at) FROM stdin;
1	river	1	3	crisis language	crisis	["passive ideation"]	acknowledged	Sam	\N	\N	t	0	2026-11-20 09:00:00+00	\N	2026-11-20 09:00:00+00	2026-11-20 09:02:00+00	\N
\.
COPY public.invites (token_hash, email, name, role, therapist_id, share_by_default, created_at, expires_at, used_at) FROM stdin;
cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc	ash@example.org	Ash	client	1	f	2026-11-20 09:00:00+00	2026-12-04 09:00:00+00	\N
\.
COPY public.journal_entries (id, client_id, conversation_id, exercise, shared_with_therapist, completed, started_at, saved_at, resumed_at, at_risk) FROM stdin;
1	river	1	gratitude	t	t	2026-11-20 09:00:00+00	2026-11-20 09:00:00+00	\N	f
\.
COPY public.message_notes (id, message_id, author, text, created_at) FROM stdin;
1	3	rowan@clinic.example	Discussed in session	2026-11-20 09:00:00+00
\.
COPY public.messages (id, conversation_id, sender, text, status, client_message_id, reply_to_id, risk_level, risk_signals, risk_categories, risk_detail, created_at) FROM stdin;
1	1	client	I can't sleep since the flood	accepted	c-1	\N	none	[]	[]	{"language": "en"}	2026-11-20 09:00:00+00
2	1	bot	That sounds exhausting.	accepted	\N	1	\N	\N	\N	\N	2026-11-20 09:00:01+00
3	1	client	I don't want to be here anymore	accepted	\N	\N	crisis	["passive ideation"]	["suicide"]	\N	2026-11-20 09:01:00+00
\.
COPY public.mood_ratings (id, client_id, conversation_id, score, word, rated_at) FROM stdin;
1	river	1	4	tired	2026-11-20 09:00:00+00
\.
COPY public.outbox (id, escalation_id, audience, channel, recipient, payload, attempts, next_attempt_at, delivered_at, failing_since, last_error, created_at) FROM stdin;
1	1	on_call	webhook	http://127.0.0.1:9/hook	{"escalation_id": 1}	1	2026-11-20 09:00:00+00	2026-11-20 09:00:00+00	\N	\N	2026-11-20 09:00:00+00
\.
COPY public.ptg_checkins (id, client_id, offered_at, answered_at, appreciation, relationships, strength, possibilities, spiritual) FROM stdin;
1	river	2026-11-20 09:00:00+00	2026-11-20 09:00:00+00	3	2	3	1	2
\.
COPY public.readiness_snapshots (id, client_id, conversation_id, level, growth_prompts, reasons, created_at) FROM stdin;
1	river	1	stabilize	auto	["recent crisis"]	2026-11-20 09:00:00+00
\.
COPY public.safety_plans (client_id, warning_signs, coping, distractions, people_to_ask, professionals, safer_surroundings, updated_at) FROM stdin;
river	not sleeping	walk the dog	\N	\N	\N	\N	2026-11-20 09:00:00+00
\.
COPY public.therapists (id, name, email, created_at) FROM stdin;
1	Dr Rowan Adeyemi	rowan@clinic.example	2026-11-20 09:00:00+00
\.
COPY public.users (id, email, name, role, password_hash, client_id, therapist_id, created_at) FROM stdin;
1	rowan@clinic.example	Dr Rowan Adeyemi	therapist	$argon2id$placeholder	\N	1	2026-11-20 09:00:00+00
\.
COPY public.web_sessions (token_hash, user_id, created_at, expires_at) FROM stdin;
bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb	1	2026-11-20 09:00:00+00	2026-11-20 21:00:00+00
\.
SELECT pg_catalog.setval('public.audit_events_id_seq', 1, true);
SELECT pg_catalog.setval('public.blocked_replies_id_seq', 1, true);
SELECT pg_catalog.setval('public.conversations_id_seq', 1, true);
SELECT pg_catalog.setval('public.entry_items_id_seq', 1, true);
SELECT pg_catalog.setval('public.escalations_id_seq', 1, true);
SELECT pg_catalog.setval('public.journal_entries_id_seq', 1, true);
SELECT pg_catalog.setval('public.message_notes_id_seq', 1, true);
SELECT pg_catalog.setval('public.messages_id_seq', 3, true);
SELECT pg_catalog.setval('public.mood_ratings_id_seq', 1, true);
SELECT pg_catalog.setval('public.outbox_id_seq', 1, true);
SELECT pg_catalog.setval('public.ptg_checkins_id_seq', 1, true);
SELECT pg_catalog.setval('public.readiness_snapshots_id_seq', 1, true);
SELECT pg_catalog.setval('public.therapists_id_seq', 1, true);
SELECT pg_catalog.setval('public.users_id_seq', 1, true);
ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.blocked_replies
    ADD CONSTRAINT blocked_replies_message_id_key UNIQUE (message_id);
ALTER TABLE ONLY public.blocked_replies
    ADD CONSTRAINT blocked_replies_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.clients
    ADD CONSTRAINT clients_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.conversations
    ADD CONSTRAINT conversations_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.entry_items
    ADD CONSTRAINT entry_items_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.invites
    ADD CONSTRAINT invites_pkey PRIMARY KEY (token_hash);
ALTER TABLE ONLY public.journal_entries
    ADD CONSTRAINT journal_entries_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.message_notes
    ADD CONSTRAINT message_notes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.mood_ratings
    ADD CONSTRAINT mood_ratings_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.ptg_checkins
    ADD CONSTRAINT ptg_checkins_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.readiness_snapshots
    ADD CONSTRAINT readiness_snapshots_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.safety_plans
    ADD CONSTRAINT safety_plans_pkey PRIMARY KEY (client_id);
ALTER TABLE ONLY public.therapists
    ADD CONSTRAINT therapists_email_key UNIQUE (email);
ALTER TABLE ONLY public.therapists
    ADD CONSTRAINT therapists_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_client_id_key UNIQUE (client_id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_therapist_id_key UNIQUE (therapist_id);
ALTER TABLE ONLY public.web_sessions
    ADD CONSTRAINT web_sessions_pkey PRIMARY KEY (token_hash);
CREATE INDEX ix_audit_events_at ON public.audit_events USING btree (at);
CREATE INDEX ix_conversations_client_id ON public.conversations USING btree (client_id);
CREATE INDEX ix_entry_items_entry_id ON public.entry_items USING btree (entry_id);
CREATE INDEX ix_escalations_client_id ON public.escalations USING btree (client_id);
CREATE INDEX ix_escalations_state ON public.escalations USING btree (state);
CREATE INDEX ix_journal_entries_client_id ON public.journal_entries USING btree (client_id);
CREATE INDEX ix_message_notes_message_id ON public.message_notes USING btree (message_id);
CREATE INDEX ix_messages_conversation_id ON public.messages USING btree (conversation_id);
CREATE INDEX ix_messages_reply_to_id ON public.messages USING btree (reply_to_id);
CREATE INDEX ix_mood_ratings_client_id ON public.mood_ratings USING btree (client_id);
CREATE INDEX ix_outbox_escalation_id ON public.outbox USING btree (escalation_id);
CREATE INDEX ix_outbox_next_attempt_at ON public.outbox USING btree (next_attempt_at);
CREATE INDEX ix_ptg_checkins_client_id ON public.ptg_checkins USING btree (client_id);
CREATE INDEX ix_readiness_snapshots_client_id ON public.readiness_snapshots USING btree (client_id);
CREATE INDEX ix_readiness_snapshots_conversation_id ON public.readiness_snapshots USING btree (conversation_id);
CREATE INDEX ix_web_sessions_user_id ON public.web_sessions USING btree (user_id);
CREATE UNIQUE INDEX ux_conversations_open_for ON public.conversations USING btree (open_for);
CREATE UNIQUE INDEX ux_messages_client_message_id ON public.messages USING btree (conversation_id, client_message_id);
CREATE TRIGGER audit_events_append_only BEFORE DELETE OR UPDATE ON public.audit_events FOR EACH ROW EXECUTE FUNCTION public.audit_events_refuse();
ALTER TABLE ONLY public.blocked_replies
    ADD CONSTRAINT blocked_replies_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.messages(id);
ALTER TABLE ONLY public.clients
    ADD CONSTRAINT clients_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES public.therapists(id);
ALTER TABLE ONLY public.conversations
    ADD CONSTRAINT conversations_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.entry_items
    ADD CONSTRAINT entry_items_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES public.journal_entries(id);
ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES public.conversations(id);
ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.messages(id);
ALTER TABLE ONLY public.invites
    ADD CONSTRAINT invites_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES public.therapists(id);
ALTER TABLE ONLY public.journal_entries
    ADD CONSTRAINT journal_entries_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.journal_entries
    ADD CONSTRAINT journal_entries_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES public.conversations(id);
ALTER TABLE ONLY public.message_notes
    ADD CONSTRAINT message_notes_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.messages(id);
ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES public.conversations(id);
ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_reply_to_id_fkey FOREIGN KEY (reply_to_id) REFERENCES public.messages(id);
ALTER TABLE ONLY public.mood_ratings
    ADD CONSTRAINT mood_ratings_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.mood_ratings
    ADD CONSTRAINT mood_ratings_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES public.conversations(id);
ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_escalation_id_fkey FOREIGN KEY (escalation_id) REFERENCES public.escalations(id);
ALTER TABLE ONLY public.ptg_checkins
    ADD CONSTRAINT ptg_checkins_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.readiness_snapshots
    ADD CONSTRAINT readiness_snapshots_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.readiness_snapshots
    ADD CONSTRAINT readiness_snapshots_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES public.conversations(id);
ALTER TABLE ONLY public.safety_plans
    ADD CONSTRAINT safety_plans_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients(id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES public.therapists(id);
ALTER TABLE ONLY public.web_sessions
    ADD CONSTRAINT web_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);
