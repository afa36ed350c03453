"""Streaming a large CSV file into the address tables, restartably.

The file is read in chunks; each chunk is written and its progress recorded in one
transaction, so a load that stops (a crash, Ctrl-C, a full disk) is picked up at the
first unwritten row when the same file is imported again. A file already loaded in
full is not loaded twice unless asked."""

import csv
import gc
import gzip
import hashlib
import io
import itertools
import multiprocessing
import queue
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm

from ier.core.text import holds_nul
from ier.geography.layouts import (
    AddressRow,
    Deletion,
    Layout,
    Parsed,
    PostcodeRow,
    Rejected,
)
from ier.geography.models import (
    Address,
    AreaSource,
    Authority,
    ImportRun,
    PostcodeArea,
    PostcodeDivision,
)
from ier.geography.writers import (
    UpsertWriter,
    address_writer,
    analyse,
    area_writer,
    copy_text_of,
    division_writer,
)

CHUNK_ROWS = 50_000
EXAMPLES_PER_REASON = 5
# csv's default field limit is too small for nothing we load, but guard the reader.
csv.field_size_limit(1 << 20)


def fingerprint(path: Path) -> str:
    """Identifies a file's contents cheaply: its size and the hash of its first and
    last megabyte (hashing tens of gigabytes in full would take minutes)."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
        if size > 2 << 20:
            handle.seek(-(1 << 20), io.SEEK_END)
            digest.update(handle.read())
    return digest.hexdigest()


def open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


class Councils:
    """Finds the authority a row belongs to: by GSS code (following mergers already
    in force), by local custodian code, or by the postcode directory."""

    def __init__(
        self, custodians: dict[str, str] | None = None, today: date | None = None
    ):
        today = today or timezone.localdate()
        authorities = {a.pk: a for a in Authority.objects.all()}
        self.by_gss = {
            a.gss_code: self._current(a, authorities, today).pk
            for a in authorities.values()
        }
        self.by_custodian = {
            code: self.by_gss[gss]
            for code, gss in (custodians or {}).items()
            if gss in self.by_gss
        }

    @staticmethod
    def _current(authority: Authority, authorities: dict, today: date) -> Authority:
        seen = {authority.pk}
        while (
            authority.replaced_by_id
            and authority.replaced_from
            and authority.replaced_from <= today
            and authority.replaced_by_id not in seen
        ):
            authority = authorities[authority.replaced_by_id]
            seen.add(authority.pk)
        return authority

    def directory(self, postcodes: set[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        areas = PostcodeArea.objects.filter(
            postcode__in=postcodes, source=AreaSource.DIRECTORY
        ).values_list("postcode", "authority_id")
        for postcode, authority_id in areas:
            found.setdefault(postcode, []).append(authority_id)
        return found


def _refuse_nul(row: list[str]) -> Rejected | None:
    """A row with a NUL in any column, which no database column can hold."""
    for number, value in enumerate(row, start=1):
        if holds_nul(value):
            return Rejected("nul_character", "column %d" % number)
    return None


class Chunk:
    """One chunk's rows, sorted into what to write and what was rejected."""

    def __init__(self) -> None:
        self.rows: dict = {}
        self.deletions: list[int] = []
        self.rejected: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = {}
        # Rows a parsing process has already formatted for COPY (then `rows` is
        # empty): one string crosses between processes instead of a tuple a row.
        self.copy_text = ""
        self.copy_rows = 0
        # The postcode directory's divisions: postcode -> (ward, ced, pcon).
        self.divisions: dict[str, tuple[str, str, str]] = {}

    def reject(self, reason: str, line: int, detail: str) -> None:
        self.rejected[reason] += 1
        kept = self.examples.setdefault(reason, [])
        if len(kept) < EXAMPLES_PER_REASON:
            kept.append("line %d: %s" % (line, detail) if detail else "line %d" % line)


class Loader:
    """Loads one file in `layout` and records the run."""

    def __init__(
        self,
        layout: Layout,
        custodians: dict[str, str] | None = None,
        chunk_rows: int = CHUNK_ROWS,
        progress: bool = True,
        replace_directory: bool = True,
        workers: int = 1,
    ):
        self.layout = layout
        self.workers = workers
        self.chunk_rows = chunk_rows
        self.progress = progress
        self.replace_directory = replace_directory
        self.councils = Councils(custodians)
        self.writer: UpsertWriter = (
            area_writer() if layout.kind == ImportRun.Kind.ONSPD else address_writer()
        )
        self.division_writer = division_writer()

    def load(self, path: Path, force: bool = False) -> tuple[ImportRun, bool]:
        """Load `path`; returns the run and whether anything was (re)loaded now."""
        run, fresh = self._run_for(path, force)
        if not fresh:
            return run, False
        try:
            self._stream(path, run)
        except BaseException:
            ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.FAILED)
            raise
        self._finish(run)
        return run, True

    def _run_for(self, path: Path, force: bool) -> tuple[ImportRun, bool]:
        mark = fingerprint(path)
        previous = ImportRun.objects.filter(
            kind=self.layout.kind, fingerprint=mark
        ).first()
        if previous and previous.state == ImportRun.State.COMPLETE and not force:
            return previous, False
        if previous and previous.state in (
            ImportRun.State.RUNNING,
            ImportRun.State.FAILED,
        ):
            previous.state = ImportRun.State.RUNNING
            previous.save(update_fields=["state"])
            return previous, True
        run = ImportRun.objects.create(
            kind=self.layout.kind,
            layout=self.layout.name,
            file_name=path.name[:300],
            fingerprint=mark,
        )
        return run, True

    def _stream(self, path: Path, run: ImportRun) -> None:
        with open_text(path) as handle, self._bar(run) as bar, collector_paused():
            if self.workers > 1 and self._can_overlap():
                self._stream_in_parallel(handle, run, bar)
                return
            sorted_chunks = (
                (self._sort(rows, start), len(rows))
                for start, rows in self._chunks(handle, run.rows_done)
            )
            if self._can_overlap():
                self._write_alongside(run, sorted_chunks, bar)
                return
            for chunk, count in sorted_chunks:
                self._commit(run, chunk, count)
                bar.update(count)

    def _stream_in_parallel(self, handle: IO[str], run: ImportRun, bar: tqdm) -> None:
        """Parse chunks in `workers` processes, in file order, while a thread writes
        them: the parsing, not the database, is what limits one process."""
        # The header is read before the processes start, so each inherits the layout
        # bound to it.
        line, ahead = bind_header(handle, self.layout)
        blocks = text_blocks(
            itertools.chain(ahead, handle), line, run.rows_done, self.chunk_rows
        )
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, _start_worker, (self, run.pk)) as pool:
            parsed = pool.imap(_prepare_block, blocks)
            routed = ((self._routed(chunk), count) for chunk, count in parsed)
            self._write_alongside(run, routed, bar)

    def _routed(self, chunk: Chunk) -> Chunk:
        if chunk.rows and self.layout.kind != ImportRun.Kind.ONSPD:
            self._route_by_directory(chunk)
        return chunk

    def _can_overlap(self) -> bool:
        """Writing on a second connection while this one reads needs each chunk to
        commit on its own, which a caller's open transaction (a test) prevents."""
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def _write_alongside(self, run: ImportRun, chunks: Iterator, bar: tqdm) -> None:
        """Parse the next chunk while a second thread writes the last one: the
        database does its share of the work on the other core meanwhile."""
        pending: queue.Queue = queue.Queue(maxsize=2)
        failure: list[BaseException] = []

        def write() -> None:
            try:
                # Keeps taking chunks after a failure so the reader never blocks.
                while (item := pending.get()) is not None:
                    if failure:
                        continue
                    try:
                        self._commit(run, *item)
                        bar.update(item[1])
                    except BaseException as exc:  # handed back to the reader
                        failure.append(exc)
            finally:
                connection.close()

        writer = threading.Thread(target=write, name="import-writer")
        writer.start()
        try:
            for item in chunks:
                if failure:
                    break
                pending.put(item)
        finally:
            pending.put(None)
            writer.join()
        if failure:
            raise failure[0]

    def _bar(self, run: ImportRun) -> tqdm:
        return tqdm(
            initial=run.rows_done,
            unit=" rows",
            unit_scale=True,
            file=sys.stderr,
            disable=not self.progress,
            desc=self.layout.name,
            mininterval=1,
        )

    def _chunks(
        self, handle: IO[str], skip: int
    ) -> Iterator[tuple[int, list[list[str]]]]:
        """(line number of the first row, rows) for each chunk after `skip` rows."""
        reader = csv.reader(handle)
        first = next(reader, None)
        if first is None:
            return
        if self.layout.looks_like_header(first):
            self.layout.bind(first)
            rows_iter: Iterator[list[str]] = reader
            line = 2 + skip
        else:
            self.layout.bind(None)
            rows_iter = itertools.chain([first], reader)
            line = 1 + skip
        for _ in itertools.islice(rows_iter, skip):
            pass
        rows: list[list[str]] = []
        for row in rows_iter:
            rows.append(row)
            if len(rows) >= self.chunk_rows:
                yield line, rows
                line += len(rows)
                rows = []
        if rows:
            yield line, rows

    def _sort(
        self, rows: list[list[str]], first_line: int, route: bool = True
    ) -> Chunk:
        chunk = Chunk()
        parse = self.layout.parse
        for offset, row in enumerate(rows):
            self._place(chunk, _refuse_nul(row) or parse(row), first_line + offset)
        if route and chunk.rows and self.layout.kind != ImportRun.Kind.ONSPD:
            self._route_by_directory(chunk)
        return chunk

    def _place(self, chunk: Chunk, parsed: Parsed, line: int) -> None:
        if isinstance(parsed, Rejected):
            chunk.reject(parsed.reason, line, parsed.detail)
        elif isinstance(parsed, Deletion):
            chunk.deletions.append(parsed.uprn)
        elif isinstance(parsed, PostcodeRow):
            self._place_postcode(chunk, parsed, line)
        elif isinstance(parsed, AddressRow):
            self._place_address(chunk, parsed, line)

    def _place_postcode(self, chunk: Chunk, row: PostcodeRow, line: int) -> None:
        authority_id = self.councils.by_gss.get(row.gss_code)
        if authority_id is None:
            chunk.reject(
                "unknown_council", line, "%s %s" % (row.postcode, row.gss_code)
            )
            return
        chunk.rows.setdefault((row.postcode, authority_id), line)
        if any(row.divisions):
            chunk.divisions.setdefault(row.postcode, row.divisions)

    def _place_address(self, chunk: Chunk, row: AddressRow, line: int) -> None:
        if row.uprn in chunk.rows:
            chunk.reject("duplicate_uprn", line, str(row.uprn))
            return
        authority_id = (
            self.councils.by_gss.get(row.gss_code)
            if row.gss_code
            else self.councils.by_custodian.get(row.custodian_code)
        )
        if authority_id is None and row.gss_code:
            chunk.reject("unknown_council", line, "%d %s" % (row.uprn, row.gss_code))
            return
        chunk.rows[row.uprn] = (row, authority_id, line)

    def _route_by_directory(self, chunk: Chunk) -> None:
        """Rows without a council of their own (AddressBase Plus without a custodian
        code table) take the postcode directory's, when it names only one."""
        unplaced = {
            r.postcode
            for r, authority_id, _ in chunk.rows.values()
            if authority_id is None
        }
        if not unplaced:
            return
        directory = self.councils.directory(unplaced)
        for uprn, (row, authority_id, line) in list(chunk.rows.items()):
            if authority_id is not None:
                continue
            found = directory.get(row.postcode, [])
            if len(found) == 1:
                chunk.rows[uprn] = (row, found[0], line)
            else:
                del chunk.rows[uprn]
                reason = "no_council" if not found else "ambiguous_council"
                chunk.reject(reason, line, "%d %s" % (uprn, row.postcode))

    def _all_placed(self, chunk: Chunk) -> bool:
        """Whether every row of `chunk` has its council (only rows routed by the
        postcode directory, which needs the database, do not yet)."""
        return self.layout.kind == ImportRun.Kind.ONSPD or all(
            authority_id is not None for _, authority_id, _ in chunk.rows.values()
        )

    def _records(self, chunk: Chunk, run_id: int) -> list[tuple]:
        if self.layout.kind == ImportRun.Kind.ONSPD:
            return [
                (postcode, authority_id, AreaSource.DIRECTORY.value, False, run_id)
                for postcode, authority_id in chunk.rows
            ]
        return [
            (
                r.uprn,
                r.line_1,
                r.line_2,
                r.line_3,
                r.town,
                r.postcode,
                authority_id,
                r.sort_key,
                False,
                run_id,
            )
            for r, authority_id, _ in chunk.rows.values()
        ]

    def _commit(self, run: ImportRun, chunk: Chunk, row_count: int) -> None:
        records = self._records(chunk, run.pk)
        offered = len(records) + chunk.copy_rows
        with transaction.atomic():
            written = self.writer.write(records, chunk.copy_text, chunk.copy_rows)
            if chunk.divisions:
                self.division_writer.write(
                    [
                        (postcode, *codes, False, run.pk)
                        for postcode, codes in chunk.divisions.items()
                    ]
                )
            if chunk.deletions:
                Address.objects.filter(uprn__in=chunk.deletions).delete()
            if written < offered:
                # Keys this run had already written from earlier in the file.
                chunk.rejected[
                    "duplicate_uprn"
                    if self.layout.kind != "onspd"
                    else "duplicate_postcode"
                ] += offered - written
            rejections = _merge(run.rejections, chunk)
            ImportRun.objects.filter(pk=run.pk).update(
                rows_done=F("rows_done") + row_count,
                rows_loaded=F("rows_loaded") + written + len(chunk.deletions),
                rows_rejected=F("rows_rejected") + sum(chunk.rejected.values()),
                rejections=rejections,
            )
        run.rejections = rejections
        run.rows_done += row_count

    def _finish(self, run: ImportRun) -> None:
        with transaction.atomic():
            if self.layout.kind == ImportRun.Kind.ONSPD:
                if self.replace_directory:
                    PostcodeArea.objects.filter(source=AreaSource.DIRECTORY).exclude(
                        import_run=run
                    ).delete()
                    PostcodeDivision.objects.filter(synthetic=False).exclude(
                        import_run=run
                    ).delete()
            else:
                derive_areas_from_addresses(run)
            ImportRun.objects.filter(pk=run.pk).update(
                state=ImportRun.State.COMPLETE, finished_at=timezone.now()
            )
        analyse()
        run.refresh_from_db()


def bind_header(handle: IO[str], layout: Layout) -> tuple[int, list[str]]:
    """Bind `layout` to the file's header, if it has one; returns the line number of
    the first row and the line read ahead that is a row, if any."""
    first = handle.readline()
    header = next(csv.reader([first]), None) if first else None
    if header is not None and layout.looks_like_header(header):
        layout.bind(header)
        return 2, []
    layout.bind(None)
    return 1, [first] if first else []


def text_blocks(
    lines: Iterator[str], line: int, skip: int, size: int
) -> Iterator[tuple[int, str, int]]:
    """(line number of the first row, the text of `size` rows, rows) after `skip`
    rows. Only lines are read here, not fields: a row runs on over the next line
    while its quotes are unbalanced."""
    records = _records_of(lines)
    for _ in itertools.islice(records, skip):
        pass
    line += skip
    while block := list(itertools.islice(records, size)):
        yield line, "".join(block), len(block)
        line += len(block)


def _records_of(lines: Iterator[str]) -> Iterator[str]:
    pending = ""
    for text in lines:
        text = pending + text if pending else text
        if '"' in text and text.count('"') % 2:
            pending = text
            continue
        pending = ""
        yield text
    if pending:
        yield pending


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. Parsing makes millions of short-lived
    lists and tuples, none in a cycle (reference counting frees them), and each
    collection walks every one still alive: that took half the parsing time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_WORKER: "Loader | None" = None
_RUN_ID = 0


def _start_worker(loader: "Loader", run_id: int) -> None:
    global _WORKER, _RUN_ID  # one loader per parsing process, set when it starts
    _WORKER, _RUN_ID = loader, run_id
    # A parsing process only parses: see collector_paused().
    gc.disable()


def _prepare_block(block: tuple[int, str, int]) -> tuple[Chunk, int]:
    """Parse and sort one block in a parsing process, and format its rows for COPY
    here too when none of them waits for the postcode directory."""
    first_line, text, count = block
    assert _WORKER is not None
    chunk = _WORKER._sort(split_rows(text), first_line, route=False)
    if chunk.rows and _WORKER._all_placed(chunk):
        chunk.copy_text = copy_text_of(_WORKER._records(chunk, _RUN_ID))
        chunk.copy_rows = len(chunk.rows)
        chunk.rows = {}
    return chunk, count


def split_rows(text: str) -> list[list[str]]:
    """The CSV rows of `text`. A block with no quotes and no carriage returns is
    split on commas and newlines directly (what the csv module would return, at a
    fraction of the cost: most AddressBase rows are dozens of empty fields)."""
    if '"' in text or "\r" in text:
        return list(csv.reader(io.StringIO(text, newline="")))
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.split(",") if line else [] for line in lines]


def _merge(rejections: dict, chunk: Chunk) -> dict:
    merged = {reason: dict(entry) for reason, entry in rejections.items()}
    for reason, count in chunk.rejected.items():
        entry = merged.setdefault(reason, {"count": 0, "examples": []})
        entry["count"] += count
        room = EXAMPLES_PER_REASON - len(entry["examples"])
        entry["examples"] = (
            entry["examples"] + chunk.examples.get(reason, [])[: max(room, 0)]
        )
    return merged


def derive_areas_from_addresses(run: ImportRun | None = None) -> None:
    """Record each council that has addresses at a postcode (a postcode whose
    addresses lie in two councils crosses a boundary), and forget pairs no address
    supports any more."""
    source = AreaSource.ADDRESSES.value
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO geography_postcodearea "
            "(postcode, authority_id, source, synthetic, import_run_id) "
            "SELECT DISTINCT postcode, authority_id, %s, synthetic, import_run_id "
            "FROM geography_address WHERE import_run_id = %s "
            "ON CONFLICT (postcode, authority_id, source) DO UPDATE "
            "SET import_run_id = excluded.import_run_id",
            [source, run.pk if run else None],
        )
        cursor.execute(
            "DELETE FROM geography_postcodearea WHERE source = %s AND NOT EXISTS "
            "(SELECT 1 FROM geography_address a WHERE "
            "a.postcode = geography_postcodearea.postcode "
            "AND a.authority_id = geography_postcodearea.authority_id)",
            [source],
        )


def undo(run: ImportRun) -> tuple[int, int]:
    """Remove what `run` loaded; returns (addresses, postcode areas) removed."""
    with transaction.atomic():
        addresses, _ = Address.objects.filter(import_run=run).delete()
        areas, _ = PostcodeArea.objects.filter(import_run=run).delete()
        PostcodeDivision.objects.filter(import_run=run).delete()
        if run.kind == ImportRun.Kind.ADDRESSBASE:
            derive_areas_from_addresses(None)
        ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.REVERSED)
    return addresses, areas


def read_custodians(path: Path) -> dict[str, str]:
    """A two-column CSV (local custodian code, GSS code), header optional."""
    with open_text(path) as handle:
        pairs = [row[:2] for row in csv.reader(handle) if len(row) >= 2]
    return {code.strip(): gss.strip() for code, gss in pairs if code.strip().isdigit()}
