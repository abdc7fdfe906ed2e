"""Import ../shared/omz (an unmodified OMZ metadata copy), measure the cards and the drift.

Prints models imported, cards with complete GFLOPs/MParams/inputs/outputs, `zoo check` errors
and the time; skips cleanly when the folder is not there (a user's clone has none).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from generator.authoring.drift import drift_report
from generator.authoring.omz_import import import_omz
from generator.cards.catalog import load_catalog
from generator.cards.checks import run_checks
from generator.exchange.hf_card import export_hf

# ../shared/omz beside the checkout (or beside the worktrees folder of a worktree)
HERE = Path(__file__).resolve()
SOURCES = [HERE.parents[2] / "shared" / "omz", HERE.parents[3] / "shared" / "omz"]


def export_hf_round_trip(catalog, out: Path) -> tuple[float, int, str]:
    """Export every card as a Hugging Face model card; count those huggingface_hub's parser
    reads back with each accuracy figure, GFLOPs and MParams of the card."""
    start = time.perf_counter()
    written = export_hf(catalog.cards, out)
    seconds = time.perf_counter() - start
    try:
        from huggingface_hub import ModelCard
    except ImportError:
        return seconds, len(written), "not checked (huggingface_hub not installed)"
    whole = 0
    for source, path in zip(catalog.cards, written, strict=True):
        card = source.card
        wanted = sorted(float(m.value) for m in card.accuracy)
        if card.complexity is not None:
            wanted += [float(v) for v in (card.complexity.gflops, card.complexity.mparams) if v]
        got = [r.metric_value for r in ModelCard.load(path).data.eval_results or []]
        whole += sorted(got) == sorted(wanted)
    return seconds, len(written), f"{whole} of {len(written)}"


def main() -> int:
    given = [Path(arg) for arg in sys.argv[1:] if arg != "-v"]
    source = next((p for p in given or SOURCES if (p / "models").is_dir()), None)
    if source is None:
        print(f"skipped: no OMZ copy at {given or SOURCES}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        into = Path(tmp) / "model_cards"
        start = time.perf_counter()
        result, _ = import_omz(source, into)
        seconds = time.perf_counter() - start
        again = time.perf_counter()
        second, _ = import_omz(source, into)
        seconds_again = time.perf_counter() - again
        catalog = load_catalog(into)
        findings = run_checks(catalog)
        configs = [s for s in catalog.cards if not s.card.parts]
        complete = [
            s
            for s in configs
            if s.card.complexity
            and s.card.complexity.gflops
            and s.card.complexity.mparams
            and s.card.inputs
            and s.card.outputs
        ]
        errors = [f for f in findings if f.severity == "error"]
        print(f"models imported (configs): {result.models}")
        print(f"cards written: {len(result.report.written)} (composites included)")
        print(f"complete GFLOPs+MParams+inputs+outputs: {len(complete)} of {len(configs)}")
        for kind in ("gflops", "mparams"):
            have = sum(
                bool(s.card.complexity and getattr(s.card.complexity, kind)) for s in configs
            )
            print(f"  with {kind}: {have}")
        print(f"  with inputs: {sum(bool(s.card.inputs) for s in configs)}")
        print(f"  with outputs: {sum(bool(s.card.outputs) for s in configs)}")
        print(f"report entries: {result.report.counts()}")
        print(f"zoo check errors: {len(errors)} (findings: {len(findings)})")
        print(f"import time: {seconds:.2f} s; second run {seconds_again:.2f} s, "
              f"{len(second.report.written)} card(s) changed")  # fmt: skip
        start = time.perf_counter()
        drifts, _ = drift_report(source, None)
        kinds: dict[str, int] = {}
        for drift in drifts:
            kinds[drift.kind] = kinds.get(drift.kind, 0) + 1
        numeric = [d for d in drifts if d.kind in ("differs", "MACs", "shifted", "swapped")]
        print(f"drift index vs README: {len(drifts)} ({dict(sorted(kinds.items()))}), "
              f"{len(numeric)} numeric over {len({d.model for d in numeric})} models, "
              f"{sum(abs((d.ratio or 1) - 1) > 0.1 for d in numeric)} off by > 10%; "
              f"{time.perf_counter() - start:.2f} s")  # fmt: skip
        export_seconds, exported, lossless = export_hf_round_trip(catalog, Path(tmp) / "hf")
        print(f"zoo export hf: {exported} card(s) in {export_seconds:.2f} s; "
              f"read back by huggingface_hub with every figure: {lossless}")  # fmt: skip
        if "-v" in sys.argv:
            for s in configs:
                if s not in complete:
                    print("incomplete:", s.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
