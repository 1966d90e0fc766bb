CREATE TABLE "gold_values" (
	"project_id" text NOT NULL,
	"item_id" text NOT NULL,
	"field_key" text NOT NULL,
	"codebook_version_id" text NOT NULL,
	"value" jsonb,
	"rationale" text DEFAULT '' NOT NULL,
	"imported_by" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gold_values_item_id_field_key_pk" PRIMARY KEY("item_id","field_key")
);
--> statement-breakpoint
ALTER TABLE "gold_values" ADD CONSTRAINT "gold_values_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gold_values" ADD CONSTRAINT "gold_values_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gold_values" ADD CONSTRAINT "gold_values_codebook_version_id_codebook_versions_id_fk" FOREIGN KEY ("codebook_version_id") REFERENCES "public"."codebook_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gold_values" ADD CONSTRAINT "gold_values_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gold_values_project_idx" ON "gold_values" USING btree ("project_id");