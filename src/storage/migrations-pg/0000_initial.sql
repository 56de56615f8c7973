CREATE TABLE "console_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"user_key" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console_lockouts" (
	"client" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_start" bigint NOT NULL,
	"locked_until" bigint
);
--> statement-breakpoint
CREATE TABLE "console_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_key" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"platform" text NOT NULL,
	"update_id" text NOT NULL,
	"status" text NOT NULL,
	"payload" text,
	"user_key" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"received_at" bigint NOT NULL,
	"lease_owner" text,
	"lease_until" bigint,
	"handled_at" bigint
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"platform" text NOT NULL,
	"target" text NOT NULL,
	"payload" text NOT NULL,
	"user_key" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"ambiguous" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"lease_owner" text,
	"lease_until" bigint
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"day" text NOT NULL,
	"kind" text NOT NULL,
	"verdict" text NOT NULL,
	"user_key" text,
	"role" text NOT NULL,
	"question" text,
	"household" text,
	"answer" text NOT NULL,
	"expected" text,
	"rules_version" text NOT NULL,
	"knowledge_version" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "usage_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"day" text NOT NULL,
	"kind" text NOT NULL,
	"category" text,
	"basis" text,
	"eligible" text,
	"answered" boolean,
	"question" text,
	"user_key" text
);
--> statement-breakpoint
CREATE TABLE "storage_probe" (
	"id" integer PRIMARY KEY NOT NULL,
	"checked_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_watches" (
	"user_key" text PRIMARY KEY NOT NULL,
	"address" text,
	"household" text NOT NULL,
	"last_summary" text NOT NULL,
	"rules_version" text NOT NULL,
	"created_on" text NOT NULL,
	"checked_on" text NOT NULL,
	"expires_on" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"user_key" text PRIMARY KEY NOT NULL,
	"flow_id" text,
	"flow_version" integer,
	"state" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "console_codes_user_key_idx" ON "console_codes" USING btree ("user_key");--> statement-breakpoint
CREATE INDEX "console_sessions_user_key_idx" ON "console_sessions" USING btree ("user_key");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_platform_update_id_uq" ON "inbox" USING btree ("platform","update_id");--> statement-breakpoint
CREATE INDEX "inbox_waiting_idx" ON "inbox" USING btree ("platform","id") WHERE status <> 'done';--> statement-breakpoint
CREATE INDEX "inbox_user_key_idx" ON "inbox" USING btree ("user_key");--> statement-breakpoint
CREATE INDEX "outbox_target_idx" ON "outbox" USING btree ("platform","target","id");--> statement-breakpoint
CREATE INDEX "feedback_day_idx" ON "feedback" USING btree ("day");--> statement-breakpoint
CREATE INDEX "feedback_verdict_idx" ON "feedback" USING btree ("verdict");--> statement-breakpoint
CREATE INDEX "feedback_user_key_idx" ON "feedback" USING btree ("user_key");--> statement-breakpoint
CREATE INDEX "usage_events_day_idx" ON "usage_events" USING btree ("day");--> statement-breakpoint
CREATE INDEX "usage_events_kind_idx" ON "usage_events" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "usage_events_user_key_idx" ON "usage_events" USING btree ("user_key");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");