-- The stored truth behind a token, checked inside the statement that acts on it (no extra round trip).
-- A statement calls require_role(<token subject>, <token auth_version>, <roles allowed>) in its WHERE
-- clause (or its inserted id): it returns true, or raises
--   UA401 when the user is gone or its role or password changed since the token was issued,
--   UA403 when the stored role is not among those allowed.
-- STABLE, and called with parameters only, so Postgres evaluates it once, before reading any row.
CREATE FUNCTION require_role(actor uuid, token_auth_version integer, allowed text[]) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
  held text;
BEGIN
  SELECT role INTO held FROM users WHERE id = actor AND auth_version = token_auth_version;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the token''s user is gone or its role or password changed' USING ERRCODE = 'UA401';
  END IF;
  IF NOT held = ANY (allowed) THEN
    RAISE EXCEPTION 'the stored role does not allow this' USING ERRCODE = 'UA403';
  END IF;
  RETURN true;
END;
$$;
