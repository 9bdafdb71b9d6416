"""The shared store for several bot processes (Discord shards, Telegram webhook workers): Redis.

Every read-modify-write runs as one Lua script, which Redis executes atomically: recording an
answer checks the quiz, claims (quiz, question, user) with HSETNX and updates the leaderboard in
a single step, so two processes delivering the same answer count it exactly once. Keys live
under one namespace (``natobot:`` by default); quiz data expires (finished quizzes after a week),
scores, settings and the gap log do not.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.exceptions import RedisError

from bot.state.store import (
    ACTIVE_TTL,
    FINISHED_TTL,
    GAP_TEXT_MAX,
    AnswerRecord,
    AnswerResult,
    Gap,
    Outcome,
    QuizState,
    Standing,
    StoreError,
    check_posted,
    check_questions,
    from_ts,
    new_quiz_id,
    now_ts,
    rank,
    rank_gaps,
)

log = logging.getLogger(__name__)

# KEYS: active pointer, new quiz.
# ARGV: id, chat, questions, count, created, active ttl, quiz key prefix, finished ttl.
_CREATE = """
local old = redis.call('GET', KEYS[1])
if old then
  local okey = ARGV[7] .. old
  if redis.call('EXISTS', okey) == 1 then
    redis.call('HSET', okey, 'finished', '1')
    redis.call('EXPIRE', okey, ARGV[8])
  end
end
redis.call('HSET', KEYS[2], 'chat', ARGV[2], 'questions', ARGV[3], 'count', ARGV[4],
           'current', '0', 'finished', '0', 'created', ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[6])
return 1
"""

# KEYS: quiz, active pointer. ARGV: from index, quiz id, active ttl, finished ttl.
_ADVANCE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local q = redis.call('HMGET', KEYS[1], 'current', 'finished', 'count')
if q[2] == '1' or tonumber(q[1]) ~= tonumber(ARGV[1]) then return -1 end
local nxt = tonumber(ARGV[1]) + 1
if nxt >= tonumber(q[3]) then
  redis.call('HSET', KEYS[1], 'finished', '1')
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
  return -2
end
redis.call('HSET', KEYS[1], 'current', tostring(nxt))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return nxt
"""

# KEYS: quiz, active pointer. ARGV: quiz id, finished ttl.
_FINISH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'finished') == '1' then return 0 end
redis.call('HSET', KEYS[1], 'finished', '1')
redis.call('EXPIRE', KEYS[1], ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
"""

# KEYS: quiz. ARGV: index, deadline, posted (JSON, or '' for none).
_MARK = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local q = redis.call('HMGET', KEYS[1], 'current', 'finished')
if q[2] == '1' or tonumber(q[1]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'posted_index', ARGV[1], 'deadline', ARGV[2], 'posted', ARGV[3])
return 1
"""

# KEYS: quiz, answers of the question, chat leaderboard.
# ARGV: index, user, name, option, correct (0/1), points, ttl.
_RECORD = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local q = redis.call('HMGET', KEYS[1], 'current', 'finished')
if q[2] == '1' or tonumber(q[1]) ~= tonumber(ARGV[1]) then return {'closed'} end
local rec = cjson.encode({name = ARGV[3], option = tonumber(ARGV[4]), correct = tonumber(ARGV[5])})
if redis.call('HSETNX', KEYS[2], ARGV[2], rec) == 0 then return {'duplicate'} end
redis.call('EXPIRE', KEYS[2], ARGV[7])
local raw = redis.call('HGET', KEYS[3], ARGV[2])
local s
if raw then s = cjson.decode(raw) else s = {score = 0, correct = 0, answered = 0, streak = 0, best = 0} end
s.name = ARGV[3]
s.answered = s.answered + 1
if ARGV[5] == '1' then
  s.correct = s.correct + 1
  s.streak = s.streak + 1
  s.score = s.score + tonumber(ARGV[6])
  if s.streak > s.best then s.best = s.streak end
else
  s.streak = 0
end
local out = cjson.encode(s)
redis.call('HSET', KEYS[3], ARGV[2], out)
return {'accepted', out}
"""

# KEYS: gaps hash. ARGV: field, timestamp.
_GAP = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local now = tonumber(ARGV[2])
local g
if raw then
  g = cjson.decode(raw)
  g.count = g.count + 1
  if now > g.last then g.last = now end
  if now < g.first then g.first = now end
else
  g = {count = 1, first = now, last = now}
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(g))
return g.count
"""


def redact_url(url: str) -> str:
    """The URL without its password, for error messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class RedisStore:
    """The `Store` protocol over Redis (see the module docstring for the guarantees)."""

    def __init__(self, url: str, *, namespace: str = "natobot:", timeout: float = 5.0) -> None:
        self.url = redact_url(url)
        self.ns = namespace
        try:
            self._r = redis.Redis.from_url(
                url,
                decode_responses=True,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                health_check_interval=30,
            )
            self._r.ping()
        except (RedisError, ValueError, OSError) as exc:
            raise self._error(exc) from None
        self.persistent = self._check_persistence()
        self._create = self._r.register_script(_CREATE)
        self._advance = self._r.register_script(_ADVANCE)
        self._finish = self._r.register_script(_FINISH)
        self._record = self._r.register_script(_RECORD)
        self._mark = self._r.register_script(_MARK)
        self._gap = self._r.register_script(_GAP)

    def _check_persistence(self) -> bool | None:
        """Whether redis-server keeps data across a restart (AOF or RDB snapshots). With both off, killing
        it loses every score and setting: say so at start-up. None when the server won't tell (a managed
        Redis may refuse CONFIG)."""
        try:
            config: dict[str, str] = {**self._call_config("appendonly"), **self._call_config("save")}
            aof, save = config.get("appendonly"), config.get("save")
        except RedisError:
            return None
        if aof == "yes" or (save or "").strip():
            return True
        log.warning(
            "Redis at %s has persistence off (appendonly no, no save rules): scores, quiz state and settings "
            "are lost if redis-server restarts. Turn on AOF (appendonly yes) or RDB snapshots.",
            self.url,
        )
        return False

    def _call_config(self, name: str) -> dict[str, str]:
        reply: Any = self._r.config_get(name)  # the sync client: a dict, not an awaitable
        return dict(reply)

    def _error(self, exc: Exception) -> StoreError:
        return StoreError(
            f"the Redis state store at {self.url} failed: {exc}. Check that REDIS_URL is right "
            "and that redis-server is running and reachable; unset REDIS_URL to use the "
            "local SQLite file instead."
        )

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RedisError as exc:
            raise self._error(exc) from None

    # Keys ---------------------------------------------------------------------------------
    def _k(self, *parts: object) -> str:
        return self.ns + ":".join(str(p) for p in parts)

    def close(self) -> None:
        self._r.close()

    # Settings -----------------------------------------------------------------------------
    def get_lang(self, chat: str) -> str | None:
        return self._call(self._r.hget, self._k("lang"), chat)

    def set_lang(self, chat: str, lang: str | None) -> None:
        if lang is None:
            self._call(self._r.hdel, self._k("lang"), chat)
        else:
            self._call(self._r.hset, self._k("lang"), chat, lang)

    # Quizzes ------------------------------------------------------------------------------
    def create_quiz(self, chat: str, questions: Sequence[Mapping[str, Any]]) -> QuizState:
        qs = check_questions(questions)
        state = QuizState(new_quiz_id(), chat, qs, 0, False, time.time())
        self._call(
            self._create,
            keys=[self._k("active", chat), self._k("quiz", state.id)],
            args=[
                state.id,
                chat,
                json.dumps(list(qs), ensure_ascii=False),
                len(qs),
                state.created,
                ACTIVE_TTL,
                self._k("quiz", ""),
                FINISHED_TTL,
            ],
        )
        return state

    def get_quiz(self, quiz_id: str) -> QuizState | None:
        raw = self._call(self._r.hgetall, self._k("quiz", quiz_id))
        if not raw:
            return None
        current, finished = int(raw["current"]), raw["finished"] == "1"
        shown = not finished and raw.get("posted_index") not in (None, "") and int(raw["posted_index"]) == current
        return QuizState(
            quiz_id,
            raw["chat"],
            tuple(json.loads(raw["questions"])),
            current,
            finished,
            float(raw["created"]),
            float(raw["deadline"]) if shown else None,
            json.loads(raw["posted"]) if shown and raw.get("posted") else None,
        )

    def active_quiz(self, chat: str) -> QuizState | None:
        quiz_id = self._call(self._r.get, self._k("active", chat))
        state = self.get_quiz(quiz_id) if quiz_id else None
        return state if state and not state.finished else None

    def advance_quiz(self, quiz_id: str, from_index: int) -> QuizState | None:
        state = self.get_quiz(quiz_id)
        if state is None:
            return None
        result = int(
            self._call(
                self._advance,
                keys=[self._k("quiz", quiz_id), self._k("active", state.chat)],
                args=[from_index, quiz_id, ACTIVE_TTL, FINISHED_TTL],
            )
        )
        if result == -1:
            return None
        if result == -2:
            return QuizState(quiz_id, state.chat, state.questions, from_index, True, state.created)
        return QuizState(quiz_id, state.chat, state.questions, result, False, state.created)

    def finish_quiz(self, quiz_id: str) -> bool:
        chat = self._call(self._r.hget, self._k("quiz", quiz_id), "chat")
        if chat is None:
            return False
        return bool(
            self._call(
                self._finish, keys=[self._k("quiz", quiz_id), self._k("active", chat)], args=[quiz_id, FINISHED_TTL]
            )
        )

    def mark_posted(self, quiz_id: str, index: int, deadline: float, posted: Mapping[str, Any] | None = None) -> bool:
        data = check_posted(posted)
        raw = "" if data is None else json.dumps(data, ensure_ascii=False)
        return bool(self._call(self._mark, keys=[self._k("quiz", quiz_id)], args=[index, repr(float(deadline)), raw]))

    def open_quizzes(self, prefix: str) -> list[QuizState]:
        """Found through the chats' active-quiz pointers (a SCAN: meant for start-up, not for every message)."""
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self._k("active", prefix)) + "*"
        ids = self._call(lambda: {self._r.get(key) for key in self._r.scan_iter(match=pattern, count=500)})
        found = [q for q in (self.get_quiz(i) for i in ids if i) if q and not q.finished and q.chat.startswith(prefix)]
        return sorted(found, key=lambda q: (q.created, q.id))

    def record_answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, correct: bool, points: int = 1
    ) -> AnswerResult:
        chat = self._call(self._r.hget, self._k("quiz", quiz_id), "chat")
        if chat is None:
            return AnswerResult(Outcome.unknown)
        reply = self._call(
            self._record,
            keys=[self._k("quiz", quiz_id), self._k("answers", quiz_id, index), self._k("lb", chat)],
            args=[index, user, name, option, int(bool(correct)), points, ACTIVE_TTL + FINISHED_TTL],
        )
        outcome = Outcome(reply[0])
        if outcome is not Outcome.accepted:
            return AnswerResult(outcome)
        return AnswerResult(outcome, self._standing(chat, user, reply[1]))

    @staticmethod
    def _standing(chat: str, user: str, raw: str) -> Standing:
        s = json.loads(raw)
        return Standing(
            chat,
            user,
            s["name"],
            int(s["score"]),
            int(s["correct"]),
            int(s["answered"]),
            int(s["streak"]),
            int(s["best"]),
        )

    def answers(self, quiz_id: str, index: int) -> list[AnswerRecord]:
        raw = self._call(self._r.hgetall, self._k("answers", quiz_id, index))
        out = []
        for user, value in sorted(raw.items()):
            rec = json.loads(value)
            out.append(AnswerRecord(user, rec["name"], int(rec["option"]), bool(rec["correct"])))
        return out

    def link_ref(self, ref: str, quiz_id: str, index: int) -> None:
        self._call(self._r.set, self._k("ref", ref), json.dumps([quiz_id, index]), ex=ACTIVE_TTL + FINISHED_TTL)

    def resolve_ref(self, ref: str) -> tuple[str, int] | None:
        raw = self._call(self._r.get, self._k("ref", ref))
        if raw is None:
            return None
        quiz_id, index = json.loads(raw)
        return quiz_id, int(index)

    # Leaderboards -------------------------------------------------------------------------
    def leaderboard(self, chat: str, limit: int = 10) -> list[Standing]:
        raw = self._call(self._r.hgetall, self._k("lb", chat))
        return rank((self._standing(chat, user, value) for user, value in raw.items()), limit)

    def standing(self, chat: str, user: str) -> Standing | None:
        raw = self._call(self._r.hget, self._k("lb", chat), user)
        return self._standing(chat, user, raw) if raw else None

    def reset_leaderboard(self, chat: str) -> int:
        pipe = self._r.pipeline(transaction=True)
        pipe.hlen(self._k("lb", chat))
        pipe.delete(self._k("lb", chat))
        count, _ = self._call(pipe.execute)
        return int(count)

    # Unanswered-question log --------------------------------------------------------------
    def log_gap(self, text: str, lang: str, platform: str, now: datetime | None = None) -> None:
        field = json.dumps([text[:GAP_TEXT_MAX], lang, platform], ensure_ascii=False)
        self._call(self._gap, keys=[self._k("gaps")], args=[field, now_ts(now)])

    def top_gaps(self, n: int = 20) -> list[Gap]:
        raw = self._call(self._r.hgetall, self._k("gaps"))
        gaps = []
        for field, value in raw.items():
            text, lang, platform = json.loads(field)
            g = json.loads(value)
            gaps.append(
                Gap(text, lang, platform, int(g["count"]), from_ts(float(g["first"])), from_ts(float(g["last"])))
            )
        return rank_gaps(gaps, n)
