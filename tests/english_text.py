"""What of an English page is still written in Chinese.

``chinese_left(html, allowed)`` lists the runs of CJK characters of a page's visible text and
of its ``title``/``aria-label``/``placeholder``/``alt`` attributes, leaving out what is marked
``lang="zh-…"`` (the agency's name, the language switch, registry names the page marks so) and
the ``allowed`` strings (company names, addresses and other proper names the data holds).
"""

import re
from html.parser import HTMLParser

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pieces = []
        self.stack = []  # (tag, skipped) of the open elements

    def _skipping(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        chinese = (attrs.get("lang") or "").lower().startswith("zh")
        skipped = tag in ("script", "style") or chinese
        if not skipped and not self._skipping():
            self.pieces.extend(attrs[name] for name in ATTRIBUTES if attrs.get(name))
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.pieces.append(data)


def chinese_left(html, allowed=()):
    parser = _Text()
    parser.feed(html)
    text = "\n".join(parser.pieces)
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, "")
    return CJK.findall(text)
