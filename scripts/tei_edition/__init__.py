"""A pipeline that publishes a TEI P5 critical edition as web HTML, EPUB and PDF.

Stages, one module each: load -> validate -> transform -> semantic HTML -> writers.
"""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
NSMAP = {"tei": TEI_NS, "xi": XI_NS}
# The PDF variants besides the default, named here for the command line (which imports nothing
# before it runs) and the build alike; writers/pdf.py's VARIANTS says what each one is.
PDF_VARIANTS = ("print", "archive")


def tei(tag: str) -> str:
    """Clark name of a TEI element, e.g. tei('p') -> '{http://www.tei-c.org/ns/1.0}p'."""
    return f"{{{TEI_NS}}}{tag}"
