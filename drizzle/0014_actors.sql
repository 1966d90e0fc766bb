CREATE TABLE "actors" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text,
	"affiliation" text,
	"stance" text,
	"notes" text DEFAULT '' NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"merged_into" text,
	"created_by" text,
	"created_on_item" text,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "actors" ADD CONSTRAINT "actors_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actors" ADD CONSTRAINT "actors_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actors_project_idx" ON "actors" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "actors_name_uq" ON "actors" USING btree ("project_id",lower("name")) WHERE "actors"."merged_into" is null and "actors"."deleted_at" is null and "actors"."created_on_item" is null;