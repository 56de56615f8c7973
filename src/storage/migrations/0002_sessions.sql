CREATE TABLE `sessions` (
	`user_key` text PRIMARY KEY NOT NULL,
	`flow_id` text,
	`flow_version` integer,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`);