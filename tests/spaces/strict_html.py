"""A strict reading of a page's HTML with the standard library's parser: every element closed
in order, no attribute twice, no script but the site's own files. Enough to catch markup
broken by a stored value (a quote ending an attribute, a tag typed in a text field)."""

from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class StrictHTML(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.stack: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._link_text: list[str] | None = None
        self._href = ""

    def _attributes(self, tag, attrs):
        names = [name for name, _ in attrs]
        for name in set(names):
            if names.count(name) > 1:
                self.errors.append(f"<{tag}> has the attribute {name} twice")
        for name in names:
            if name.startswith("on"):
                self.errors.append(f"<{tag}> has an event handler {name}")
        if tag == "script" and not dict(attrs).get("src"):
            self.errors.append("an inline <script>")

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link_text = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag == "a" and self._link_text is not None:
            self.links.append((self._href, " ".join("".join(self._link_text).split())))
            self._link_text = None
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._link_text is not None:
            self._link_text.append(data)


def read_html(content: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(content)
    parser.close()
    if parser.stack:
        parser.errors.append(f"unclosed: {parser.stack}")
    return parser
