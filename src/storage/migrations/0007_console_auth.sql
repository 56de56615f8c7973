CREATE TABLE `console_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`user_key` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `console_codes_user_key_idx` ON `console_codes` (`user_key`);--> statement-breakpoint
CREATE TABLE `console_lockouts` (
	`client` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_start` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `console_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `console_sessions_user_key_idx` ON `console_sessions` (`user_key`);