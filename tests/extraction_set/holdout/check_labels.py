"""Check the held-out extraction labels (plain script, not a pytest module).

Usage: python tests/extraction_set/holdout/check_labels.py

For every NN_*.yaml beside this file it checks that:
- the document has title, document_date, split == holdout, text, tasks;
- unicode_form (if given) is a valid form; the text is converted with it and then, for
  comparison only, both text and fragments are NFC-normalised;
- the text is 300-1,500 words;
- each task's source fragment is >= 20 characters and occurs exactly once in the text;
- each lead is a directory name, "" (no addressee), a group ("@ubnd_cap_xa" for UBND các
  xã, phường, đặc khu; "@so_ban_nganh" for các sở, ban, ngành), or flagged
  lead_in_directory: false and written as in the text; a flagged lead must not be a
  directory name;
- each coordinator is a directory name, a group, or occurs in the text as written, and is
  not a name cut at its comma;
- output_kind and deadline are well formed and the due date agrees with the kind;
- flags contain before_document exactly when the due date is earlier than document_date.
"""

import calendar
import csv
import datetime as dt
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
WARDS_CSV = Path("/work/shared/data/haiphong_wards_communes_2025.csv")

CITY_DEPARTMENTS = [
    "Văn phòng Ủy ban nhân dân thành phố",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Công Thương",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tư pháp",
    "Sở Ngoại vụ",
    "Ban Quản lý Khu kinh tế Hải Phòng",
    "Thanh tra thành phố",
]
OUTPUT_KINDS = {
    "de_an",
    "ke_hoach",
    "bao_cao",
    "quyet_dinh",
    "to_trinh",
    "du_thao_qppl",
    "nghi_quyet_hdnd",
    "khac",
    "",
}
GROUPS = {"@ubnd_cap_xa", "@so_ban_nganh", "@so_ban_nganh+ubnd_cap_xa"}
DEADLINE_KINDS = {"date", "month", "quarter", "year", "continuous", "periodic", ""}
FREQUENCIES = {"yearly", "quarterly", "monthly", "half_yearly"}
FLAGS = {"before_document"}


def nfc(s):
    return unicodedata.normalize("NFC", s)


def load_directory():
    names = list(CITY_DEPARTMENTS)
    if WARDS_CSV.exists():
        with WARDS_CSV.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names.append("UBND " + row["full_name"].strip())
    else:
        print(f"warning: {WARDS_CSV} not found; ward names not checked", file=sys.stderr)
    return {nfc(n) for n in names}


def last_day(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def check_deadline(d, doc_date, flags, err):
    if not isinstance(d, dict):
        err("deadline must be a mapping")
        return
    for key in ("kind", "due_date", "frequency", "event"):
        if key not in d:
            err(f"deadline lacks {key!r}")
    kind, due = d.get("kind"), d.get("due_date")
    freq, event = d.get("frequency") or "", d.get("event") or ""
    if kind not in DEADLINE_KINDS:
        err(f"bad deadline kind {kind!r}")
        return
    if due is not None and not isinstance(due, dt.date):
        err(f"due_date {due!r} is not a valid date")
        return
    if kind in ("date", "month", "quarter", "year") and due is None:
        err(f"{kind} deadline needs a due_date")
    if kind in ("continuous", "") and due is not None:
        err(f"{kind or 'event/none'} deadline must have due_date null")
    if kind == "month" and due and due != last_day(due.year, due.month):
        err("month deadline must fall on the last day of the month")
    if kind == "quarter" and due and (due.month % 3 or due != last_day(due.year, due.month)):
        err("quarter deadline must fall on the last day of a quarter")
    if kind == "year" and due and (due.month, due.day) != (12, 31):
        err("year deadline must be 31 December")
    if kind == "periodic":
        if freq not in FREQUENCIES:
            err(f"periodic deadline needs frequency in {sorted(FREQUENCIES)}")
    elif freq:
        err("frequency only goes with a periodic deadline")
    if event and kind != "":
        err("event only goes with kind ''")
    before = bool(due and due < doc_date)
    if before != ("before_document" in flags):
        err(
            f"before_document flag is {'missing' if before else 'wrong'} (due {due}, doc {doc_date})"
        )


def check_file(path, directory):
    errors = []
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))

    def err(msg, where=""):
        errors.append(f"{path.name}{where}: {msg}")

    for key in ("title", "document_date", "split", "text", "tasks"):
        if key not in doc:
            err(f"missing {key!r}")
    if errors:
        return errors, 0, 0
    if doc["split"] != "holdout":
        err("split must be 'holdout'")
    doc_date = doc["document_date"]
    if not isinstance(doc_date, dt.date):
        err("document_date is not a date")
        return errors, 0, 0
    text = doc["text"]
    form = doc.get("unicode_form")
    if form:
        if form not in ("NFC", "NFD", "NFKC", "NFKD"):
            err(f"bad unicode_form {form!r}")
        else:
            text = unicodedata.normalize(form, text)
    text = nfc(text)
    words = len(text.split())
    if not 300 <= words <= 1500:
        err(f"text has {words} words (want 300-1500)")
    tasks = doc["tasks"] or []
    seen_sources = Counter()
    for i, t in enumerate(tasks, 1):

        def terr(msg, i=i):
            err(msg, f" task {i}")

        src = nfc(t.get("source") or "")
        seen_sources[src] += 1
        if len(src) < 20:
            terr(f"source shorter than 20 characters: {src!r}")
        n = text.count(src)
        if n != 1:
            terr(f"source occurs {n} times: {src!r}")
        lead = nfc(t.get("lead", ""))
        in_dir = t.get("lead_in_directory", True)
        if lead and in_dir and lead not in directory and lead not in GROUPS:
            terr(f"lead {lead!r} is not a directory name (flag lead_in_directory: false?)")
        if lead and not in_dir:
            if lead in directory or lead in GROUPS:
                terr(f"lead {lead!r} is a directory name but flagged lead_in_directory: false")
            if lead.casefold() not in text.casefold():
                terr(f"out-of-directory lead {lead!r} is not written so in the text")
        if not lead and not in_dir:
            terr("empty lead with lead_in_directory: false")
        coords = t.get("coordinators") or []
        for c in coords:
            c = nfc(c)
            if c not in directory and c not in GROUPS and c.casefold() not in text.casefold():
                terr(f"coordinator {c!r} neither a directory name nor written in the text")
            # A name with a comma in it ("Sở Văn hóa, Thể thao và Du lịch") split in two by a
            # YAML flow list is a labelling slip, not two coordinators.
            if c not in directory and any(d.startswith(c + ",") for d in directory):
                terr(f"coordinator {c!r} is the start of a directory name with a comma: quote it")
            if c.endswith(("Cảnh sát phòng cháy", "UBND các quận")):
                terr(f"coordinator {c!r} looks cut at a comma: quote the whole name")
            if c == lead and lead:
                terr(f"coordinator {c!r} is also the lead")
        if len(set(coords)) != len(coords):
            terr("duplicate coordinators")
        if t.get("output_kind", None) not in OUTPUT_KINDS:
            terr(f"bad output_kind {t.get('output_kind')!r}")
        flags = t.get("flags") or []
        for f in flags:
            if f not in FLAGS:
                terr(f"unknown flag {f!r}")
        check_deadline(t.get("deadline"), doc_date, flags, terr)
        extra = set(t) - {
            "source",
            "lead",
            "lead_in_directory",
            "coordinators",
            "output_kind",
            "deadline",
            "flags",
        }
        if extra:
            terr(f"unknown keys {sorted(extra)}")
    for src, n in seen_sources.items():
        if n > 1:
            err(f"two labels share the source {src!r}")
    return errors, len(tasks), words


def main():
    directory = load_directory()
    files = sorted(p for p in HERE.glob("[0-9][0-9]_*.yaml"))
    all_errors, total = [], 0
    for p in files:
        errs, n, words = check_file(p, directory)
        total += n
        all_errors += errs
        print(f"{p.name:45s} {n:3d} tasks {words:5d} words {'OK' if not errs else 'FAIL'}")
    print(f"{len(files)} documents, {total} labelled tasks")
    for e in all_errors:
        print("ERROR", e)
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main())
