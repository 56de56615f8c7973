CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`update_id` text NOT NULL,
	`status` text NOT NULL,
	`payload` text,
	`user_key` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`received_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`handled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_platform_update_id_uq` ON `inbox` (`platform`,`update_id`);--> statement-breakpoint
CREATE INDEX `inbox_waiting_idx` ON `inbox` (`platform`,`id`) WHERE status <> 'done';--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`user_key` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`ambiguous` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_target_idx` ON `outbox` (`platform`,`target`,`id`);