CREATE TABLE "revised_codings" (
	"project_id" text NOT NULL,
	"item_id" text NOT NULL,
	"field_key" text NOT NULL,
	"codebook_version_id" text NOT NULL,
	"value" jsonb NOT NULL,
	"joint_version" text NOT NULL,
	"revised_by" text,
	"revised_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revised_codings_item_id_field_key_pk" PRIMARY KEY("item_id","field_key")
);
--> statement-breakpoint
ALTER TABLE "revised_codings" ADD CONSTRAINT "revised_codings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revised_codings" ADD CONSTRAINT "revised_codings_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revised_codings" ADD CONSTRAINT "revised_codings_codebook_version_id_codebook_versions_id_fk" FOREIGN KEY ("codebook_version_id") REFERENCES "public"."codebook_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revised_codings" ADD CONSTRAINT "revised_codings_revised_by_users_id_fk" FOREIGN KEY ("revised_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revised_codings_project_idx" ON "revised_codings" USING btree ("project_id");