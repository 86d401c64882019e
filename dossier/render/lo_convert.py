"""Convert documents to PDF through one LibreOffice process (run by the *system* Python,
which has the UNO bridge: Debian's python3-uno). Not imported by the package: it is a
script that :mod:`dossier.render.pdf` runs as a child process.

Input: JSON on stdin ``{"pipe": name, "jobs": [{"src": path, "dst": path}, …]}``; the
parent has started ``soffice --accept=pipe,name=<name>;urp;``. For each job the document
is loaded hidden, its indexes (目录) and fields are updated — so a table of contents shows
the page numbers of the converted layout — and it is exported to PDF. One JSON line per
job is printed as it finishes: ``{"src": …, "ok": true, "contents": [[level, heading,
page], …]}`` (the refreshed 目录's entries) or ``{"src": …, "ok": false, "error": "…"}``.
"""

import json
import sys
import time

import uno  # noqa: F401  (system python3 with python3-uno)
from com.sun.star.beans import PropertyValue


def _props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _connect(pipe, seconds=60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # LibreOffice is starting: ask again soon (its start is on every build's path)


def _filter(doc):
    if doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        return "calc_pdf_Export"
    return "writer_pdf_Export"


def _refresh(doc):
    if not doc.supportsService("com.sun.star.text.TextDocument"):
        return
    try:
        doc.getTextFields().refresh()
    except Exception:
        pass
    indexes = doc.getDocumentIndexes()
    # Twice: the first update can change the number of pages the index itself takes.
    for _ in range(2):
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()


def _contents(doc):
    """The entries of the document's tables of contents, as LibreOffice just laid them
    out: ``[[level, heading, page], …]`` (the caller writes them into the .docx, so that
    its 目录 shows the PDF's page numbers)."""
    entries = []
    if not doc.supportsService("com.sun.star.text.TextDocument"):
        return entries
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if not index.supportsService("com.sun.star.text.ContentIndex"):
            continue
        paragraphs = index.getAnchor().createEnumeration()
        while paragraphs.hasMoreElements():
            paragraph = paragraphs.nextElement()
            text = paragraph.getString()
            style = paragraph.getPropertyValue("ParaStyleName")
            digits = "".join(c for c in style if c.isdigit())
            if "\t" not in text or not digits:
                continue  # the index's title, an empty line
            heading, page = text.rsplit("\t", 1)
            entries.append([int(digits), heading.replace("\t", " ").strip(), page.strip()])
    return entries


def main():
    request = json.load(sys.stdin)
    desktop = _connect(request["pipe"])
    for job in request["jobs"]:
        src, dst = job["src"], job["dst"]
        doc = None
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, _props(Hidden=True))
            if doc is None:
                raise RuntimeError("LibreOffice 无法打开该文件")
            _refresh(doc)
            doc.storeToURL(uno.systemPathToFileUrl(dst), _props(FilterName=_filter(doc)))
            result = {"src": src, "ok": True}
            try:
                result["contents"] = _contents(doc)
            except Exception:
                pass  # the PDF is made; only the .docx 目录 keeps its placeholder
        except Exception as exc:  # reported per file; the batch goes on
            result = {"src": src, "ok": False, "error": str(exc)}
        finally:
            # Closed before the result is reported: the parent stops LibreOffice as soon as
            # the last result arrives, and a document still open then leaves its lock file
            # (".~lock.<name>#", seen with every .xlsx) beside it, so that the next
            # conversion of the same file fails.
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if request.get("keep"):
        return  # a warm LibreOffice (dossier.render.office): it stays for the next batch
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge drops as soffice exits


if __name__ == "__main__":
    main()
