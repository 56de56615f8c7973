-- A conversation turn's statements, run on the server in one round trip each (src/storage/postgres/repositories
-- delivery.ts, startTurn and complete). PL/pgSQL gives each statement a fresh snapshot, so what follows a lock
-- reads what the lock's previous holder committed.

-- Takes the user's turn lock (bounded by lock_timeout), then says whether `p_owner` still holds update
-- `p_inbox_id` (its row locked to the commit), whether an earlier update of the user is still to be handled, and
-- the user's session as it is.
CREATE FUNCTION hcs_turn_start(
  p_lock_space integer,
  p_lock_key integer,
  p_inbox_id bigint,
  p_owner text,
  p_user_key text
) RETURNS TABLE (
  holds boolean,
  earlier_waiting boolean,
  session_state text,
  session_flow_id text,
  session_flow_version integer,
  session_updated_at bigint,
  session_expires_at bigint
) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_space, p_lock_key);
  PERFORM 1 FROM inbox i
    WHERE i.id = p_inbox_id AND i.status = 'processing' AND i.lease_owner = p_owner
    FOR UPDATE;
  holds := FOUND;
  earlier_waiting := EXISTS (
    SELECT 1 FROM inbox i WHERE i.user_key = p_user_key AND i.id < p_inbox_id AND i.status <> 'done');
  SELECT s.state, s.flow_id, s.flow_version, s.updated_at, s.expires_at
    INTO session_state, session_flow_id, session_flow_version, session_updated_at, session_expires_at
    FROM sessions s WHERE s.user_key = p_user_key;
  RETURN NEXT;
END;
$$;
--> statement-breakpoint

-- Deletes the messages sent since the last such statement (`p_sent_ids` with their lease owners), marks update
-- `p_inbox_id` handled if `p_owner` still holds it, and queues the replies under the update's user digest, in
-- order. The first reply to a chat with nothing queued is queued already claimed ('sending'), decided under the
-- chat's lock. Returns one row: whether the update was held, and each reply's id and status in the order given
-- (null when not held).
CREATE FUNCTION hcs_turn_finish(
  p_inbox_id bigint,
  p_owner text,
  p_now bigint,
  p_lease_until bigint,
  p_sent_ids bigint[],
  p_sent_owners text[],
  p_chat_lock_space integer,
  p_platforms text[],
  p_targets text[],
  p_payloads text[],
  p_chat_lock_keys integer[]
) RETURNS TABLE (held boolean, ids bigint[], statuses text[]) LANGUAGE plpgsql AS $$
DECLARE
  v_user_key text;
  v_status text;
  v_id bigint;
  v_chat text;
  v_seen text[] := '{}';
BEGIN
  DELETE FROM outbox o USING unnest(p_sent_ids, p_sent_owners) AS s(id, owner)
    WHERE o.id = s.id AND o.lease_owner = s.owner;
  UPDATE inbox i SET status = 'done', payload = NULL, user_key = NULL, lease_owner = NULL, lease_until = NULL,
      handled_at = p_now
    FROM (SELECT h.id, h.user_key FROM inbox h
          WHERE h.id = p_inbox_id AND h.status = 'processing' AND h.lease_owner = p_owner FOR UPDATE) AS mine
    WHERE i.id = mine.id
    RETURNING mine.user_key INTO v_user_key;
  held := FOUND;
  IF NOT held THEN
    RETURN NEXT;
    RETURN;
  END IF;
  ids := '{}';
  statuses := '{}';
  FOR n IN 1 .. coalesce(array_length(p_targets, 1), 0) LOOP
    v_chat := p_platforms[n] || ':' || p_targets[n];
    IF v_chat = ANY (v_seen) THEN
      v_status := 'pending';
    ELSE
      v_seen := v_seen || v_chat;
      PERFORM pg_advisory_xact_lock(p_chat_lock_space, p_chat_lock_keys[n]);
      v_status := CASE WHEN EXISTS (
          SELECT 1 FROM outbox o WHERE o.platform = p_platforms[n] AND o.target = p_targets[n])
        THEN 'pending' ELSE 'sending' END;
    END IF;
    INSERT INTO outbox (platform, target, payload, user_key, status, attempts, ambiguous, next_attempt_at,
        created_at, lease_owner, lease_until)
      VALUES (p_platforms[n], p_targets[n], p_payloads[n], v_user_key, v_status,
        CASE WHEN v_status = 'sending' THEN 1 ELSE 0 END, 0, p_now, p_now,
        CASE WHEN v_status = 'sending' THEN p_owner END,
        CASE WHEN v_status = 'sending' THEN p_lease_until END)
      RETURNING id INTO v_id;
    ids := ids || v_id;
    statuses := statuses || v_status;
  END LOOP;
  RETURN NEXT;
END;
$$;
