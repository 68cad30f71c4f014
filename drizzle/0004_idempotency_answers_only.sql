-- Keys no longer have a "running" state (a running create holds an advisory lock instead):
-- claims left by the previous version carry no answer and go before the columns become NOT NULL.
DELETE FROM "idempotency_keys" WHERE "status" IS NULL OR "response" IS NULL OR "headers" IS NULL;
