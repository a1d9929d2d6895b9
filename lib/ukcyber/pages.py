"""Site pages that are not notebooks: the report index and the data dictionary."""

from __future__ import annotations

import pandas as pd

from ukcyber.escaping import escape_html as escape
from ukcyber.render import page

STATUS_LABEL = {
    "ok": "built",
    "skipped": "unchanged",
    "failed": "FAILED",
}


def index_html(manifest: dict) -> str:
    """The ``reports/index.html`` page: every report with title, parameters, time and status."""
    rows = []
    by_notebook: dict[str, list[dict]] = {}
    for entry in manifest["reports"].values():
        by_notebook.setdefault(entry["notebook"], []).append(entry)
    for notebook, entries in by_notebook.items():
        rows.append(f'<tr><th colspan="5" id="nb-{escape(notebook)}">{escape(notebook)}</th></tr>')
        for e in entries:
            status = e["status"]
            label = STATUS_LABEL.get(status, status)
            if status == "failed":
                label += " (showing last good build)" if e.get("last_good") else " (no report yet)"
                label += f": {e.get('error', '')}"
            params = ", ".join(f"{k}={v}" for k, v in e["params"].items()) or "defaults"
            link = (
                f'<a href="{escape(e["html"])}">{escape(e["title"])}</a>'
                if e.get("html")
                else escape(e["title"])
            )
            rows.append(
                "<tr>"
                f"<td>{link}</td>"
                f'<td class="params">{escape(params)}</td>'
                f"<td>{escape(e.get('built_at', ''))}</td>"
                f'<td class="ukc-status-{escape(status)}">{escape(label)}</td>'
                f"<td>{e.get('seconds', 0):.1f} s</td>"
                "</tr>"
            )
    counts = pd.Series([e["status"] for e in manifest["reports"].values()]).value_counts()
    summary = ", ".join(f"{n} {STATUS_LABEL.get(s, s)}" for s, n in counts.items())
    body = (
        f"<p>{len(manifest['reports'])} reports ({escape(summary)}). "
        f'See also the <a href="data_dictionary.html">data dictionary</a>.</p>'
        '<table class="ukc-index"><thead><tr><th>Report</th><th>Parameters</th>'
        "<th>Built</th><th>Status</th><th>Time</th></tr></thead><tbody>"
        + "\n".join(rows)
        + "</tbody></table>"
    )
    meta = {
        "Generated": manifest.get("generated_at", ""),
        "Data fingerprint": manifest.get("data_fingerprint", "")[:12],
    }
    return page(
        title="ukcyber reports",
        body=body,
        assets="assets",
        home="index.html",
        meta=meta,
        with_plotly=False,
    )


def dictionary_html(descriptor: dict, tables: dict[str, pd.DataFrame]) -> str:
    """The data dictionary: every table, field (type, unit, description) and its sources."""
    sources = tables["sources"].set_index("source_id")
    metrics = tables.get("metrics")
    parts = ["<p>Tables:</p><ul>"]
    for res in descriptor["resources"]:
        parts.append(
            f'<li><a href="#{escape(res["name"])}">{escape(res.get("title", res["name"]))}</a> '
            f"({len(tables[res['name']])} rows)</li>"
        )
    parts.append("</ul>")
    for res in descriptor["resources"]:
        name, table = res["name"], tables[res["name"]]
        schema = res["schema"]
        parts.append(f'<h2 id="{escape(name)}">{escape(res.get("title", name))}</h2>')
        parts.append(
            f"<p>{escape(res.get('description', ''))}</p><p>File <code>data/{escape(res['path'])}"
            f"</code>, {len(table)} rows, primary key <code>"
            f"{escape(', '.join(_as_list(schema.get('primaryKey', []))))}</code>.</p>"
        )
        parts.append(
            "<table><thead><tr><th>Field</th><th>Type</th><th>Constraints</th><th>Unit</th>"
            "<th>Description</th></tr></thead><tbody>"
        )
        for f in schema["fields"]:
            constraints = "; ".join(
                f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                for k, v in f.get("constraints", {}).items()
            )
            unit = _field_units(f["name"], table)
            parts.append(
                f"<tr><td><code>{escape(f['name'])}</code></td><td>{escape(f['type'])}</td>"
                f"<td>{escape(constraints)}</td><td>{escape(unit)}</td>"
                f"<td>{escape(f.get('description', ''))}</td></tr>"
            )
        parts.append("</tbody></table>")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            parts.append(
                f"<p>Foreign key <code>{escape(fk['fields'])}</code> → "
                f"<code>{escape(ref['resource'])}.{escape(ref['fields'])}</code></p>"
            )
        if "source_id" in table.columns and name != "sources":
            counts = table["source_id"].value_counts()
            items = "".join(
                f"<li>{escape(sources.at[s, 'title'])} ({escape(sources.at[s, 'kind'])}): "
                f"{n} rows</li>"
                for s, n in counts.items()
            )
            parts.append(f"<p>Sources of this table:</p><ul>{items}</ul>")
    if metrics is not None:
        parts.append('<h2 id="metric-list">Metrics and their units</h2><table><thead><tr>')
        parts.append("<th>Metric</th><th>Title</th><th>Unit</th><th>Scale</th><th>Description</th>")
        parts.append("</tr></thead><tbody>")
        for _, m in metrics.iterrows():
            parts.append(
                f"<tr><td><code>{escape(m['metric'])}</code></td><td>{escape(m['title'])}</td>"
                f"<td>{escape(m['unit'])}</td><td>{escape(m['scale'])}</td>"
                f"<td>{escape(m['description'])}</td></tr>"
            )
        parts.append("</tbody></table>")
    return page(
        title="Data dictionary",
        subtitle=descriptor.get("title", ""),
        body="\n".join(parts),
        assets="assets",
        home="index.html",
        with_plotly=False,
    )


def _as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def _field_units(field: str, table: pd.DataFrame) -> str:
    """Units that apply to a field: for ``value``, the units its rows use."""
    if field != "value" or "unit" not in table.columns:
        return ""
    pairs = table[["unit", "scale"]].drop_duplicates() if "scale" in table.columns else None
    if pairs is None:
        return ", ".join(sorted(table["unit"].unique()))
    labels = [u if s == "one" else f"{u} ({s})" for u, s in pairs.itertuples(index=False)]
    return ", ".join(sorted(labels)) + " — see the unit and scale columns"
