CREATE TABLE "item_incidents" (
	"item_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "item_incidents_item_id_incident_id_pk" PRIMARY KEY("item_id","incident_id")
);
--> statement-breakpoint
ALTER TABLE "items" DROP CONSTRAINT "items_incident_id_incidents_id_fk";
--> statement-breakpoint
DROP INDEX "items_incident_idx";--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "start_date" date;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "end_date" date;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "item_incidents" ADD CONSTRAINT "item_incidents_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_incidents" ADD CONSTRAINT "item_incidents_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "item_incidents_incident_idx" ON "item_incidents" USING btree ("incident_id");--> statement-breakpoint
-- An item's one incident becomes its first (primary) linked incident before the column goes.
INSERT INTO "item_incidents" ("item_id", "incident_id", "position") SELECT "id", "incident_id", 0 FROM "items" WHERE "incident_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "items" DROP COLUMN "incident_id";