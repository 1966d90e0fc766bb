ALTER TABLE "assignments" ADD COLUMN "blind" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "codings" ADD COLUMN "blind" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "type" text DEFAULT 'production' NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "codebook_version_id" text;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_codebook_version_id_codebook_versions_id_fk" FOREIGN KEY ("codebook_version_id") REFERENCES "public"."codebook_versions"("id") ON DELETE no action ON UPDATE no action;