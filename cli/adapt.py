"""``kwextract adapt``: self-train a model on raw texts of a new domain (no labels)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kwextract.config import AdaptConfig

from ._util import app, errors_to_exit_codes, stderr


DEFAULTS = AdaptConfig()


@app.command("adapt")
def adapt_command(
    unlabeled: list[Path] = typer.Option(..., "--unlabeled", help="Raw texts of the new domain (folder, .txt, JSONL/CSV)."),
    output: Path = typer.Option(..., "--output", "-o", help="Directory for the adapted model."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Base model (default: the bundled model)."),
    rounds: int = typer.Option(DEFAULTS.rounds, help="Self-training rounds."),
    epochs_per_round: int = typer.Option(DEFAULTS.epochs_per_round),
    min_confidence: float = typer.Option(
        DEFAULTS.min_confidence, help="Silver labels: the model's own selection, only phrases scored at least this."
    ),
    tfidf_phrases: int = typer.Option(DEFAULTS.tfidf_phrases, help="TF-IDF phrases added as silver labels per document."),
    anchor_weight: float = typer.Option(DEFAULTS.anchor_weight, help="L2 pull towards the base weights (guards against drift)."),
    max_tag_rate_change: float = typer.Option(
        DEFAULTS.max_tag_rate_change,
        help="Undo a round and stop when the share of tagged tokens on the new texts moves by more than this factor.",
    ),
    drift_reference: str = typer.Option(
        DEFAULTS.drift_reference,
        help="What the tagged share is compared with: 'base' (the base model's) or 'previous' (the last round's).",
    ),
    max_guard_drop: float = typer.Option(
        DEFAULTS.max_guard_drop, help="Undo a round and stop when it costs any --guard file more F1@10 than this."
    ),
    rehearse: Optional[list[Path]] = typer.Option(
        None, "--rehearse", help="Labelled data of the base model's domain, mixed in against forgetting; repeatable."
    ),
    guard: Optional[list[Path]] = typer.Option(
        None, "--guard", help="Labelled held-out data of the base domain: rounds that hurt it are undone; repeatable."
    ),
    tfidf_weight: Optional[float] = typer.Option(
        None, "--tfidf-weight", min=0.0, help="Weight of TF-IDF evidence in the adapted model's ranking (top 10s "
        "re-ranked; 0: none). Default: the base model's (0 for the bundled models). For texts of another language "
        "than the model's, 0.5 (chosen on dev data, docs/other-languages.md, run 3)."),
    seed: int = typer.Option(13),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="CODE", help="Language of the new texts (ISO 639-1); the adapted model becomes a "
        "model of that language. Default: the base model's language."),
) -> None:
    """Adapt a model to a new domain from unlabelled text (self-training with silver labels).

    \b
    Example:
      kwextract adapt --unlabeled news/ -o news-model
    """
    with errors_to_exit_codes():
        from kwextract.unsupervised import adapt  # torch and spaCy: only when the command runs

        config = AdaptConfig(rounds=rounds, epochs_per_round=epochs_per_round, min_confidence=min_confidence,
                             tfidf_phrases=tfidf_phrases, anchor_weight=anchor_weight,
                             max_tag_rate_change=max_tag_rate_change, drift_reference=drift_reference,
                             max_guard_drop=max_guard_drop, tfidf_weight=tfidf_weight, seed=seed)
        log = (lambda m: None) if quiet else (lambda m: stderr.print(m, highlight=False))
        adapted = adapt(model, list(unlabeled), output, config, rehearse=list(rehearse or ()),
                        guard=list(guard or ()), log=log, lang=lang)
    history = adapted.meta["adaptation"]["history"]
    kept = sum(not r.get("undone") for r in history)
    why = undone_reason(history[-1], max_tag_rate_change, max_guard_drop) if history else ""
    # said even with --quiet: whether anything was learned is the command's result
    if kept:
        stderr.print(f"adapted model written to {output} ({kept} of {len(history)} rounds kept{'; ' + why if why else ''})")
        return
    stderr.print(f"no adaptation round was kept: {why or 'the drift or guard check undid it'}; {output} holds the base "
                 "model unchanged" + (", with its new --tfidf-weight" if tfidf_weight is not None else ""))
    if history and history[-1].get("undone_by") == "drift":
        stderr.print("If the new texts carry many more keyphrases than the model's own domain, a looser check "
                     "(--max-tag-rate-change 10) can let adaptation through: in kwextract's tests it helped English news "
                     "and hurt French news, so compare the two models on a few labelled texts.")


def undone_reason(last: dict, max_tag_rate_change: float, max_guard_drop: float) -> str:
    """Why adaptation's last round was undone, from its history entry ("" when it was kept)."""
    if not last.get("undone"):
        return ""
    if last.get("undone_by") == "guard":
        return f"round {last['round']} cost a --guard file more than {max_guard_drop:g} F1@10 (--max-guard-drop)"
    before, after = last.get("reference_tag_rate"), last["tag_rate"]
    if last.get("undone_by") != "drift" or before is None:  # a history written before the reason was recorded
        return f"round {last['round']} was undone by the drift or guard check"
    moved = f" (×{after / before:.1f})" if before else ""
    return (f"round {last['round']} was undone, as the share of tokens the model tags on the new texts went from "
            f"{before:.1%} to {after:.1%}{moved}, beyond --max-tag-rate-change {max_tag_rate_change:g}")
