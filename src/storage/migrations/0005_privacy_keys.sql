CREATE TABLE `storage_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`checked_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `feedback` ADD `user_key` text;--> statement-breakpoint
CREATE INDEX `feedback_user_key_idx` ON `feedback` (`user_key`);--> statement-breakpoint
ALTER TABLE `usage_events` ADD `user_key` text;--> statement-breakpoint
CREATE INDEX `usage_events_user_key_idx` ON `usage_events` (`user_key`);--> statement-breakpoint
ALTER TABLE `rule_watches` ADD `address` text;--> statement-breakpoint
-- Sessions were keyed by a plain SHA-256 of the user key, which cannot be turned into the keyed digest:
-- residents start a new conversation (the note is in the README).
DELETE FROM `sessions`;
--> statement-breakpoint
-- Questions kept before this were linked to no one, so /xoa could never reach them: the text goes, the counts stay.
UPDATE `usage_events` SET `question` = NULL WHERE `question` IS NOT NULL;
