CREATE TABLE "coder_pseudonyms" (
	"project_id" text NOT NULL,
	"user_id" text NOT NULL,
	"number" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coder_pseudonyms_project_id_user_id_pk" PRIMARY KEY("project_id","user_id"),
	CONSTRAINT "coder_pseudonyms_number_uq" UNIQUE("project_id","number")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "show_coder_names" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coder_pseudonyms" ADD CONSTRAINT "coder_pseudonyms_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coder_pseudonyms" ADD CONSTRAINT "coder_pseudonyms_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;