"""The HTML report of a bulk confirmation run.

One self-contained page (inline SVG, no scripts, nothing fetched from elsewhere)
for the electoral registration officer and whoever assures the model: counts by
rating, the distribution of match weights, what each comparison contributes, and
a few matches explained comparison by comparison.

It shows ids, ratings and model evidence only: no names, dates of birth or
addresses, so the report can be shared more widely than the data.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

import datetime
import html
import math
from pathlib import Path

RAG_COLOURS = {"green": "#00703c", "amber": "#f47738", "red": "#d4351c"}
SAMPLES_PER_RATING = 5
HISTOGRAM_BIN_BITS = 2


# Room on the left for level labels such as "Same postcode and numbers (1,234)".
LABEL_WIDTH = 330


def _svg_bars(rows: list[tuple[str, float, str]], width: int = 480) -> str:
    """Horizontal bars: (label, value, colour) with the value printed after each.

    Bars grow right from the middle for positive values and left for negative.
    """
    top = max((abs(value) for _, value, _ in rows), default=1) or 1
    height = 22 * len(rows) + 4
    origin = LABEL_WIDTH + width // 2
    parts = [
        '<svg role="img" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">'
        % (LABEL_WIDTH + width + 90, height)
    ]
    for index, (label, value, colour) in enumerate(rows):
        y = 4 + 22 * index
        length = max(1, round(abs(value) / top * width / 2))
        x = origin - (length if value < 0 else 0)
        parts.append(
            '<text x="%d" y="%d" text-anchor="end" font-size="12">%s</text>'
            '<rect x="%d" y="%d" width="%d" height="16" fill="%s"/>'
            '<text x="%d" y="%d" font-size="12">%s</text>'
            % (
                LABEL_WIDTH - 5,
                y + 13,
                html.escape(label),
                x,
                y,
                length,
                colour,
                LABEL_WIDTH + width + 10,
                y + 13,
                html.escape(_number(value)),
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


def _counts_section(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{:.1f}%</td></tr>".format(
            rag, f"{counts.get(rag, 0):,}", 100 * counts.get(rag, 0) / total
        )
        for rag in RAG_COLOURS
    )
    bars = _svg_bars(
        [(rag, counts.get(rag, 0), colour) for rag, colour in RAG_COLOURS.items()]
    )
    return (
        "<h2>Results by rating</h2><table><tr><th>rating</th><th>electors</th>"
        f"<th>share</th></tr>{rows}</table>{bars}"
    )


def _histogram_section(con, best_table: str) -> str:
    rows = con.execute(
        f"SELECT {HISTOGRAM_BIN_BITS} * floor(match_weight / {HISTOGRAM_BIN_BITS})"
        f" AS bin, rag, count(*) FROM {best_table} GROUP BY ALL ORDER BY bin, rag"
    ).fetchall()
    bars = [
        ("%+d to %+d, %s" % (b, b + HISTOGRAM_BIN_BITS, rag), count, RAG_COLOURS[rag])
        for b, rag, count in rows
    ]
    return (
        "<h2>Match weight of each elector's best candidate</h2>"
        "<p>Electors with no candidate at all are not shown. Match weight is in bits:"
        " each extra bit doubles the odds of a match.</p>" + _svg_bars(bars)
    )


def _level_weight(level: dict) -> float | None:
    m, u = level.get("m_probability"), level.get("u_probability")
    if level.get("is_null_level") or not m or not u:
        return None
    return math.log2(m / u)


def _levels(comparison: dict) -> list[tuple[str, float | None]]:
    return [
        (level.get("label_for_charts") or level["sql_condition"], _level_weight(level))
        for level in comparison["comparison_levels"]
    ]


def _comparison_section(con, trained: dict, best_table: str) -> str:
    parts = [
        "<h2>What each comparison contributes</h2><p>Partial match weight of"
        " each level (log2 of m/u, before name-frequency adjustment) and how"
        " many electors' best candidates fell in it.</p>"
    ]
    for comparison in trained["comparisons"]:
        name = comparison["output_column_name"]
        seen = _level_counts(con, best_table, name, _levels(comparison))
        rows = [
            (
                "{} ({})".format(label, f"{seen.get(label, 0):,}"),
                weight or 0.0,
                "#1d70b8" if (weight or 0) >= 0 else "#d4351c",
            )
            for label, weight in _levels(comparison)
        ]
        parts.append(f"<h3>{html.escape(name)}</h3>{_svg_bars(rows)}")
    return "".join(parts)


def _level_counts(con, best_table, name, levels) -> dict[str, int]:
    column = f"mw_{name}"
    found = con.execute(
        f"SELECT round({column}, 6), count(*) FROM {best_table} GROUP BY ALL"
    ).fetchall()
    counts: dict[str, int] = {}
    for weight, count in found:
        label = _label_for_weight(levels, weight)
        counts[label] = counts.get(label, 0) + count
    return counts


def _label_for_weight(levels, weight) -> str:
    # A null level contributes nothing; several levels may share a weight only if
    # their m/u are equal, in which case the first (most specific) is named.
    for label, level_weight in levels:
        if level_weight is None and weight == 0:
            return label
        if (
            level_weight is not None
            and weight is not None
            and abs(level_weight - weight) < 1e-4
        ):
            return label
    return "other"


def _samples_section(con, trained: dict, best_table: str) -> str:
    names = [c["output_column_name"] for c in trained["comparisons"]]
    columns = [f"mw_{name}" for name in names]
    tf_columns = [c for c in _columns(con, best_table) if c.startswith("mw_tf_adj_")]
    parts = [
        "<h2>Examples, explained</h2><p>A few electors per rating, chosen at"
        " random but the same on every run. Each cell is the comparison's"
        " level and its partial match weight.</p>"
    ]
    for rag in ("green", "amber", "red"):
        rows = con.execute(
            f"SELECT elector_id, person_id, match_probability, match_weight, "
            f"{', '.join([*columns, *tf_columns]) or 'NULL'} FROM {best_table} "
            f"WHERE rag = ? ORDER BY hash(elector_id) LIMIT {SAMPLES_PER_RATING}",
            [rag],
        ).fetchall()
        parts.append(_sample_table(rag, names, tf_columns, rows, trained))
    return "".join(parts)


def _columns(con, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"SELECT * FROM {table} LIMIT 0").description]


def _sample_table(rag, names, tf_columns, rows, trained) -> str:
    levels = {c["output_column_name"]: _levels(c) for c in trained["comparisons"]}
    header = "".join(f"<th>{html.escape(n)}</th>" for n in [*names, "name frequency"])
    body = []
    for elector, person, probability, weight, *weights in rows:
        cells = [
            f"{html.escape(_label_for_weight(levels[name], w))}<br>{w or 0:+.1f}"
            for name, w in zip(names, weights[: len(names)], strict=True)
        ]
        cells.append(f"{sum(w or 0 for w in weights[len(names) :]):+.1f}")
        body.append(
            "<tr><td>{}</td><td>{}</td><td>{:.4f}</td><td>{:+.1f}</td>{}</tr>".format(
                html.escape(elector),
                html.escape(person if rag != "red" else ""),
                probability,
                weight,
                "".join(f"<td>{cell}</td>" for cell in cells),
            )
        )
    return (
        "<h3>{}</h3><table><tr><th>elector</th><th>best candidate</th>"
        "<th>probability</th><th>weight</th>{}</tr>{}</table>".format(
            rag, header, "".join(body) or "<tr><td>none</td></tr>"
        )
    )


STYLE = """
body { font-family: Arial, sans-serif; margin: 2em; color: #0b0c0c; }
table { border-collapse: collapse; margin-bottom: 1em; font-size: 13px; }
td, th { border: 1px solid #b1b4b6; padding: 4px 8px; text-align: left; }
"""


def _blocking_section(summary) -> str:
    evaluation = summary.evaluated
    header = "<th>blocking rule</th><th>candidate pairs</th>"
    if evaluation:
        header += (
            "<th>true pairs reached</th><th>reached by this rule or one before</th>"
        )
    rows = []
    for rule in summary.candidates:
        cells = [html.escape(rule.name), f"{rule.candidate_pairs:,}"]
        if evaluation:
            cells += [
                f"{evaluation.share(rule.true_pairs_reached):.4f}",
                f"{evaluation.share(rule.true_pairs_reached_so_far):.4f}",
            ]
        rows.append("<tr>{}</tr>".format("".join(f"<td>{c}</td>" for c in cells)))
    total = sum(rule.candidate_pairs for rule in summary.candidates)
    parts = [
        "<h2>Blocking</h2><p>Only pairs that agree on a blocking rule are scored."
        " Candidate pairs: what each rule generates on its own (a pair found by"
        f" several rules is scored once, so at most {total:,} pairs were scored).</p>"
    ]
    if evaluation:
        e = evaluation
        parts.append(
            "<p>Against the truth file: <strong>blocking recall"
            f" {e.blocking_recall:.4f}</strong> ({e.true_pairs_reached:,} of"
            f" {e.matchable:,} true pairs reached scoring); green precision"
            f" {e.green_precision:.4f}, green recall {e.green_recall:.4f}.</p>"
        )
    parts.append("<table><tr>{}</tr>{}</table>".format(header, "".join(rows)))
    return "".join(parts)


def write(con, path: Path, trained: dict | None, summary, best_table: str) -> None:
    """Write the report for the decided run to `path`."""
    sections = [_counts_section(summary.counts), _blocking_section(summary)]
    if trained:
        sections += [
            _histogram_section(con, best_table),
            _comparison_section(con, trained, best_table),
            _samples_section(con, trained, best_table),
        ]
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Bulk confirmation report</title><style>{}</style></head><body>"
        "<h1>Bulk confirmation report</h1><p>Written {}. Prior probability that two"
        " random records match: {}.</p>{}</body></html>".format(
            STYLE,
            datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "{:.3g}".format(trained["probability_two_random_records_match"])
            if trained
            else "n/a",
            "".join(sections),
        )
    )
    Path(path).write_text(page, encoding="utf-8")
