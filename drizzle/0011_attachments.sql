CREATE TABLE "attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"project_id" text NOT NULL,
	"item_id" text NOT NULL,
	"name" text NOT NULL,
	"media_type" text,
	"size" bigint,
	"sha256" text,
	"data" "bytea",
	"path" text,
	"url" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_file_or_link" CHECK (("attachments"."url" is null and "attachments"."media_type" is not null and "attachments"."size" is not null and "attachments"."sha256" is not null and ("attachments"."data" is null) <> ("attachments"."path" is null))
        or ("attachments"."url" is not null and "attachments"."data" is null and "attachments"."path" is null))
);
--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "archived_url" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_item_idx" ON "attachments" USING btree ("item_id","seq");--> statement-breakpoint
-- Screenshots and PDFs are compressed already: store them out of line without trying to compress them again.
ALTER TABLE "attachments" ALTER COLUMN "data" SET STORAGE EXTERNAL;