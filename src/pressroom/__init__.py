"""pressroom: write a press release once; publish it as a PDF brief, an EPUB, a web page and
Atom/RSS feeds, all from one parsed model."""

__version__ = "0.1.0"
