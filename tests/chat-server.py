#!/usr/bin/python3
# chat-server.py: a Chat Completions endpoint that replays scripted answers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: chat-server.py --log FILE [--port N]
#
# Serves POST /v1/chat/completions (any path ending in /chat/completions) on
# 127.0.0.1, prints the port on the first line of standard output, and
# appends every request to FILE as one JSON line: {"path", "auth", "body",
# "time"}. What it answers depends on a marker in the candidate's text (the
# part of the user message after "# Candidate"):
#
#   (none)           a good answer made from the request's own schema: the
#                    lowest score, the first option (a list of it for a
#                    multi-choice set) and one span quoting the candidate's
#                    first three words with the first span label
#   [[malformed]]    content that is not JSON
#   [[off-scale]]    a score above the criterion's maximum
#   [[unknown]]      an option that is not in the set
#   [[extra]]        an extra member beside those asked for
#   [[missing]]      no answer for the criteria
#   [[fenced]]       a good answer inside a Markdown code fence
#   [[unplaced]]     a good answer plus a span whose quote is not in the text
#   [[429]]          429 with Retry-After: 1 the first time, then good
#   [[500]]          500 with Retry-After: 0, every time
#   [[500-once]]     500 without Retry-After the first time, then good
#   [[slow]]         the first answer after 3 seconds, then good at once
#   [[drop]]         the connection closed without an answer the first
#                    time, then good
#   [[hang]]         no answer for 60 seconds, every time
#
# The answer's "model" is "served-" followed by the requested model.

import argparse
import http.server
import json
import os
import re
import socket
import sys
import threading
import time

lock = threading.Lock()
attempts = {}
log_file = None


def scripted_marker(text):
    m = re.search(r"\[\[([a-z0-9-]+)\]\]", text)
    return m.group(1) if m else None


def good_answer(schema, candidate):
    answer = {}
    for name, prop in schema["properties"].items():
        if name == "spans":
            item = prop["items"]["properties"]
            words = candidate.split()
            span = {"quote": " ".join(words[:3])}
            if "label" in item:
                span["label"] = item["label"]["enum"][0]
            answer["spans"] = [span]
        elif prop["type"] == "integer":
            answer[name] = prop["minimum"]
        elif prop["type"] == "string":
            answer[name] = prop["enum"][0]
        elif prop["type"] == "array":
            answer[name] = [prop["items"]["enum"][0]]
    return answer


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def reply(self, status, payload, headers=()):
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        body = json.loads(raw)
        with lock:
            log_file.write(json.dumps({"path": self.path,
                                       "auth": self.headers.get("Authorization"),
                                       "body": body,
                                       "time": time.time()}) + "\n")
            log_file.flush()

        if not self.path.endswith("/chat/completions"):
            self.reply(404, {"error": {"message": "no such path"}})
            return

        user = body["messages"][-1]["content"]
        candidate = user.split("# Candidate\n\n", 1)[-1].strip()
        marker = scripted_marker(candidate)
        with lock:
            attempts[candidate] = attempts.get(candidate, 0) + 1
            attempt = attempts[candidate]
        schema = body["response_format"]["json_schema"]["schema"]
        answer = good_answer(schema, candidate)
        content = None

        if marker == "429" and attempt == 1:
            self.reply(429, {"error": {"message": "slow down"}}, [("Retry-After", "1")])
            return
        if marker == "500":
            self.reply(500, {"error": {"message": "the model fell over"}},
                       [("Retry-After", "0")])
            return
        if marker == "500-once" and attempt == 1:
            self.reply(500, {"error": {"message": "the model fell over"}})
            return
        if marker == "slow" and attempt == 1:
            time.sleep(3)
        if marker == "hang":
            time.sleep(60)
        if marker == "drop" and attempt == 1:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return

        if marker == "malformed":
            content = '{"faithfulness": 3, "verdict": '
        elif marker == "off-scale":
            for name, prop in schema["properties"].items():
                if prop.get("type") == "integer":
                    answer[name] = prop["maximum"] + 1
        elif marker == "unknown":
            for name, prop in schema["properties"].items():
                if prop.get("type") == "string":
                    answer[name] = "no-such-option"
        elif marker == "extra":
            answer["confidence"] = 0.9
        elif marker == "missing":
            for name, prop in schema["properties"].items():
                if prop.get("type") == "integer":
                    del answer[name]
        elif marker == "unplaced":
            label = answer["spans"][0].get("label")
            extra = {"quote": "words the candidate never wrote"}
            if label is not None:
                extra["label"] = label
            answer["spans"].append(extra)

        if content is None:
            content = json.dumps(answer)
        if marker == "fenced":
            content = "```json\n" + content + "\n```"
        self.reply(200, {"id": "chatcmpl-%d" % attempt,
                         "object": "chat.completion",
                         "model": "served-" + body["model"],
                         "choices": [{"index": 0,
                                      "message": {"role": "assistant", "content": content},
                                      "finish_reason": "stop"}]})


def main():
    global log_file
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    log_file = open(args.log, "a", encoding="utf-8")

    # A test that dies leaves no server behind to hold its output open.
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
