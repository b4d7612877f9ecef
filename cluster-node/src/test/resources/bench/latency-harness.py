#!/usr/bin/python3
# A stand-in for `claude -p --output-format stream-json --verbose` for LatencyBenchmark: it takes
# Claude Code's command line (run by the claude-code adapter, read by the real stream-json parser)
# and prints paced turns whose lines carry the wall-clock time they were written at, in
# microseconds since the epoch, so the benchmark can tell how long a line took to become a
# journaled event. The prompt holds the settings: "turns=N gap_ms=G".
#
# Per turn n: the raw stream's message_start, an assistant line with one tool_use (its input carries
# "written_us"), the raw stream's message_delta, a pause, the user line with its tool_result
# ("written_us=T"), a pause. Turn n is complete, for the parser, at its tool result (its message
# ended and its tool call is answered); without the raw stream it would be when the assistant line
# of turn n+1 arrives (or the result line, which also carries "written_us=T").
import json
import os
import sys
import time

args = sys.argv[1:]


def flag(name, default):
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else default


session = flag("--session-id", flag("--resume", "latency-bench"))
prompt = args[args.index("--") + 1] if "--" in args else ""
settings = dict(kv.split("=", 1) for kv in prompt.split() if "=" in kv)
turns = int(settings.get("turns", "10"))
gap = int(settings.get("gap_ms", "20")) / 1000.0
usage = {"input_tokens": 11, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
out = sys.stdout.fileno()


# Like Claude Code, keep the session in $HOME/.claude/projects/<cwd, / turned to ->/<session>.jsonl,
# every printed line appended before it is printed: the worker checkpoints that file every turn.
session_file = None
if os.environ.get("HOME"):
    project = os.path.join(os.environ["HOME"], ".claude", "projects", os.getcwd().replace("/", "-"))
    os.makedirs(project, exist_ok=True)
    session_file = open(os.path.join(project, session + ".jsonl"), "a")


def emit(build):
    """Stamps the time, then writes the line in one write(2): a pipe write of under 4 KiB is atomic."""
    written_us = time.time_ns() // 1000
    line = json.dumps(build(written_us), separators=(",", ":")) + "\n"
    if session_file:
        session_file.write(line)
        session_file.flush()
    os.write(out, line.encode())


emit(lambda t: {"type": "system", "subtype": "init", "session_id": session, "model": "latency-bench",
                "cwd": os.getcwd(), "tools": ["Bash"]})
for n in range(1, turns + 1):
    # the raw stream of --include-partial-messages, as the adapter asks for it: message_start before
    # the message's blocks, message_delta (its final usage) after them
    emit(lambda t: {"type": "stream_event", "parent_tool_use_id": None, "session_id": session,
                    "event": {"type": "message_start", "message": {"id": "msg_%d" % n, "usage": usage}}})
    emit(lambda t: {"type": "assistant", "parent_tool_use_id": None, "session_id": session,
                    "message": {"id": "msg_%d" % n, "type": "message", "role": "assistant", "model": "latency-bench",
                                "content": [{"type": "tool_use", "id": "toolu_%d" % n, "name": "Bash",
                                             "input": {"command": "echo turn %d" % n, "written_us": t}}],
                                "usage": usage}})
    emit(lambda t: {"type": "stream_event", "parent_tool_use_id": None, "session_id": session,
                    "event": {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 1}}})
    time.sleep(gap)
    emit(lambda t: {"type": "user", "parent_tool_use_id": None, "session_id": session,
                    "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_%d" % n,
                                                             "content": "written_us=%d" % t, "is_error": False}]}})
    time.sleep(gap)
emit(lambda t: {"type": "result", "subtype": "success", "is_error": False, "result": "written_us=%d" % t,
                "num_turns": turns, "total_cost_usd": 0, "usage": usage, "session_id": session})
