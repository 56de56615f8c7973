CREATE TABLE `rule_watches` (
	`user_key` text PRIMARY KEY NOT NULL,
	`household` text NOT NULL,
	`last_summary` text NOT NULL,
	`rules_version` text NOT NULL,
	`created_on` text NOT NULL,
	`checked_on` text NOT NULL,
	`expires_on` text NOT NULL
);
