"""Return templates written to files: one provider's, or a batch for every provider of a
period. What each template asks for comes from the domain (``domain.returns_templates``);
how the file looks, from ``exports.returns_template``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dom_desk.domain.periods import period_label
from dom_desk.domain.returns_templates import period_specs, provider_spec
from dom_desk.errors import ValidationError
from dom_desk.exports.returns_template import write_template
from dom_desk.files import describe_os_error
from dom_desk.storage.workbook import Workbook


def template_file_name(provider: str, period_code: str) -> str:
    """``Q1 2009-10 HMP Manchester.xlsx`` (the period as people read it: the importer finds
    the period in the template, never in its name), with characters Windows refuses
    replaced."""
    safe = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", provider).strip(" .-") or "provider"
    return f"{period_label(period_code)} {safe}.xlsx"


def make_template(wb: Workbook, provider_name: str, period_code: str, path: Path) -> Path:
    """Writes the return template for one provider and period to ``path``."""
    spec = provider_spec(wb, provider_name, period_code)
    if not spec.lines:
        raise ValidationError(
            f"No measures apply to {spec.provider} in {period_label(period_code)}: "
            "set its targets first."
        )
    return write_template(Path(path), spec)


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    #: One sentence per provider left out, saying why.
    skipped: list[str] = field(default_factory=list)


def make_templates(
    wb: Workbook,
    period_code: str,
    out_dir: Path,
    provider_names: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Writes one template per provider (all of them unless named) into ``out_dir``,
    making the folder if it is not there yet."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(describe_os_error(exc, out_dir)) from exc
    specs = period_specs(wb, period_code, provider_names)
    result = BatchResult()
    for done, spec in enumerate(specs, start=1):
        if spec.lines:
            target = out_dir / template_file_name(spec.provider, spec.period_code)
            result.written.append(write_template(target, spec))
        else:
            result.skipped.append(
                f"{spec.provider}: no measures apply in {period_label(spec.period_code)} "
                "(no targets set for it), so no template was made."
            )
        if progress is not None:
            progress(done, len(specs))
    return result
