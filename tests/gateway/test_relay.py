"""The relay's fast path: an upstream read passed on as it came, when nothing in it changes."""

import json

import pytest

from aipower.gateway.core import ends_in_error, unchanged_events

pytestmark = pytest.mark.unit


def event(content, usage="absent"):
    body = {"id": "c1", "choices": [{"index": 0, "delta": {"content": content}}]}
    if usage != "absent":
        body["usage"] = usage
    return f"data: {json.dumps(body)}\n\n".encode()


USAGE = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (event("a"), 1),
        (event("a") + event("b") + event("c"), 3),
        (event("a", usage=None) + event("b", usage=None), 2),
        (event("a") + event('say "usage"'), 2),  # the word in a text is escaped
    ],
)
def test_whole_events_without_usage_pass_unchanged(raw, expected):
    assert unchanged_events(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        event("a") + event("", usage=USAGE),  # the usage to note (and maybe strip)
        event("a", usage=USAGE),  # continuous usage
        event("a") + b"data: [DONE]\n\n",  # the end, held back until settled
        event("a")[:-1],  # an event cut by the read
        event("a")[:20],
        b": keep-alive\n\n" + event("a"),  # a comment line
        event("a") + b"event: x\n" + event("b"),  # another field
        event("a").replace(b"\n", b"\r\n"),  # CRLF line ends
        event("a").replace(b"data: ", b"data:"),  # no space after the colon
        b"",
    ],
)
def test_anything_else_takes_the_line_by_line_path(raw):
    assert unchanged_events(raw) == 0


ERROR = b'data: {"error": {"message": "engine failed", "code": 500}}\n\n'


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (ERROR, True),
        (event("a") + event("b") + ERROR, True),  # one upstream read with the error last
        (event("a") + ERROR + event("b"), False),  # an error that was not the end
        (event('say "error"'), False),  # the word in a text is escaped
        (event("a"), False),
        (b'data: {"error": "x"', False),  # not JSON
        (b'data: ["error"]\n\n', False),
        (b"", False),
        (None, False),
    ],
)
def test_a_stream_ends_in_error_only_when_its_last_event_is_one(block, expected):
    assert ends_in_error(block) is expected
