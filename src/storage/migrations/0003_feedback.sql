CREATE TABLE `feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`verdict` text NOT NULL,
	`role` text NOT NULL,
	`question` text,
	`household` text,
	`answer` text NOT NULL,
	`expected` text,
	`rules_version` text NOT NULL,
	`knowledge_version` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `feedback_day_idx` ON `feedback` (`day`);--> statement-breakpoint
CREATE INDEX `feedback_verdict_idx` ON `feedback` (`verdict`);--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`category` text,
	`basis` text,
	`eligible` text,
	`answered` integer,
	`question` text
);
--> statement-breakpoint
CREATE INDEX `usage_events_day_idx` ON `usage_events` (`day`);--> statement-breakpoint
CREATE INDEX `usage_events_kind_idx` ON `usage_events` (`kind`);