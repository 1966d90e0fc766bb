ALTER TABLE "users" ADD COLUMN "pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "invites" ADD COLUMN "role" text;--> statement-breakpoint
-- Invitations now carry their role; before, it was the membership row made at invitation time.
UPDATE "invites" SET "role" = COALESCE((SELECT pm."role" FROM "project_members" pm WHERE pm."project_id" = "invites"."project_id" AND pm."user_id" = "invites"."user_id"), 'coder');--> statement-breakpoint
ALTER TABLE "invites" ALTER COLUMN "role" SET NOT NULL;--> statement-breakpoint
-- Accounts whose every link is unused had no password anybody chose: they become pending, and
-- the memberships their unused links stood for become pending invitations (made on first use).
UPDATE "users" SET "pending" = true WHERE EXISTS (SELECT 1 FROM "invites" i WHERE i."user_id" = "users"."id") AND NOT EXISTS (SELECT 1 FROM "invites" i WHERE i."user_id" = "users"."id" AND i."used_at" IS NOT NULL);--> statement-breakpoint
DELETE FROM "project_members" pm USING "invites" i, "users" u WHERE i."user_id" = pm."user_id" AND i."project_id" = pm."project_id" AND i."used_at" IS NULL AND u."id" = pm."user_id" AND u."pending";--> statement-breakpoint
-- Tokens now belong to a session; the old ones (valid for a minute at most) cannot say which.
DELETE FROM "ws_tokens";--> statement-breakpoint
ALTER TABLE "ws_tokens" ADD COLUMN "session_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "ws_tokens" ADD CONSTRAINT "ws_tokens_session_hash_sessions_token_hash_fk" FOREIGN KEY ("session_hash") REFERENCES "public"."sessions"("token_hash") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invites_project_user_idx" ON "invites" USING btree ("project_id","user_id");
