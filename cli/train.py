"""``kwextract train``: a model directory from labelled JSONL files or docsutf8/keys folders."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kwextract.config import (
    BASE_LEARNING_RATE,
    NEW_MODEL_LEARNING_RATE,
    OTHER_LANGUAGE_BASE_LEARNING_RATE,
    UNSUPERVISED_EPOCHS,
    UNSUPERVISED_LAYERS,
    UNSUPERVISED_PRETRAIN_EPOCHS,
    ModelConfig,
    TrainConfig,
)
from kwextract.errors import InputError

from ._util import app, errors_to_exit_codes, stderr


@app.command("train")
def train_command(
    train_data: Optional[list[Path]] = typer.Option(
        None, "--train", help="Labelled data (JSONL or docsutf8/keys folder); repeatable (a file given twice is sampled "
        "twice per epoch)."
    ),
    dev_data: Optional[list[Path]] = typer.Option(None, "--dev", help="Dev data for early stopping; repeatable."),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    encoder: str = typer.Option("lstm", help="rnn, gru or lstm."),
    bidirectional: bool = typer.Option(True, "--bidirectional/--unidirectional"),
    hidden_size: int = typer.Option(128, help="Units per direction."),
    num_layers: Optional[int] = typer.Option(None, help="Encoder layers [default: 2; 1 with --unsupervised]."),
    word_dim: int = typer.Option(64, help="Word embedding size; 0: no word identities at all (no word vectors, no corpus IDF), a model whose inputs carry across languages."),
    window_tokens: int = typer.Option(128, help="Tokens per sentence-aligned window the encoder reads."),
    epochs: Optional[int] = typer.Option(None, help="[default: 30; 6 with --unsupervised, which has no dev data]"),
    patience: int = typer.Option(5, help="Stop after this many epochs without a better dev F1@10."),
    batch_size: int = typer.Option(32),
    learning_rate: Optional[float] = typer.Option(
        None, help=f"[default: {NEW_MODEL_LEARNING_RATE}; {BASE_LEARNING_RATE} with --base; "
                   f"{OTHER_LANGUAGE_BASE_LEARNING_RATE} with a --base trained in another language than --lang]"
    ),
    lr_decay: float = typer.Option(
        1.0, help="Multiply the learning rate by this after each epoch that does not beat the best dev F1@10 "
        "(1: constant).",
    ),
    seed: int = typer.Option(13),
    max_windows_per_doc: int = typer.Option(16, help="Windows sampled per long document per epoch."),
    phrase_scorer: bool = typer.Option(
        True, "--phrase-scorer/--no-phrase-scorer",
        help="After training, fit trees that score phrases from the tagger's statistics on the dev data "
        "(kept only if they help there).",
    ),
    pretrain_epochs: Optional[int] = typer.Option(
        None, help="First train the (one-layer) encoder as a language model on the training texts for this many "
        "epochs [default: 0; 10 with --unsupervised and one layer].",
    ),
    word_vector_epochs: int = typer.Option(
        0, help="First learn skip-gram word vectors from the training texts for this many epochs and start the "
        "word embeddings from them (0: a random start).",
    ),
    pretrained_vectors: Optional[str] = typer.Option(
        None, "--pretrained-vectors", help="Frozen general-English word vectors read beside the learned ones: "
        "'glove-6b-50d' (pip install \"kwextract[glove]\"; the model keeps the rows it needs).",
    ),
    pretrained_words: int = typer.Option(
        20_000, help="With --pretrained-vectors: how many of their most frequent words to add to the vocabulary.",
    ),
    base: Optional[str] = typer.Option(
        None, "--base", help="Continue training this model (a directory, or 'default' for the bundled one) on "
        "--train instead of starting a new one; its architecture and vocabularies are kept (architecture options "
        "are ignored), and it is returned unchanged if no epoch beats it on --dev.",
    ),
    teacher: Optional[str] = typer.Option(
        None, "--teacher", help="Learn this model's tag probabilities beside the gold tags (a directory, or "
        "'default' for the bundled pair): distils a teacher, e.g. an ensemble, into one tagger.",
    ),
    teacher_weight: float = typer.Option(
        0.5, help="With --teacher: the teacher's share of the loss (0 to 1); the gold tags have the rest.",
    ),
    anchor_weight: float = typer.Option(
        TrainConfig.anchor_weight, help="With --base: an L2 pull of every weight towards the base model's (L2-SP), so that a few "
        "labelled texts do not undo what the base learned; 0: none. kwextract adapt trains with 1e-4.",
    ),
    new_characters: bool = typer.Option(
        TrainConfig.new_characters, "--new-characters", help="With --base: characters of the training texts that the base "
        "does not know (ç, õ, Cyrillic letters...) join its character vocabulary, each starting from its base letter "
        "(ç from c); without it, they are all one unknown character to the model.",
    ),
    general_rarity: bool = typer.Option(
        TrainConfig.general_rarity, "--general-rarity", help="A new model also reads how rare each word is in its "
        "text's language (the 30,000 most frequent words of 23 languages, from wordfreq: pip install "
        "\"kwextract[rarity]\"; the model keeps the lists): above all for models that read no word identities "
        "(--word-dim 0), which otherwise know nothing of it.",
    ),
    word_dropout: float = typer.Option(
        TrainConfig.word_dropout, help="Share of training tokens whose word is hidden (read as an unknown word, vector and IDF), so "
        "that the tagger also learns from casing, shape and position what words it never saw look like.",
    ),
    name: str = typer.Option("custom", help="Model name for its card."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the checkpoint of an interrupted run."),
    unsupervised: bool = typer.Option(
        False, "--unsupervised", help="No labels: learn from TF-IDF silver labels of --unlabeled texts."
    ),
    held_out: float = typer.Option(
        0.0, help="With --unsupervised: share of the texts kept apart with their silver labels to stop training "
        "(--patience) and calibrate the model's own selection (top_k=None); see docs/learning-without-labels.md.",
    ),
    unlabeled: Optional[list[Path]] = typer.Option(
        None, "--unlabeled", help="Raw texts (folder, .txt, JSONL/CSV) for --unsupervised; repeatable."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="CODE", help="Language of the training texts (ISO 639-1: en, fr, pt...): the model's "
        "language. Default: the --base model's, or English."),
) -> None:
    """Train a keyphrase tagger.

    \b
    Examples:
      kwextract train --train data/train.jsonl --dev data/dev.jsonl -o my-model
      kwextract train --unsupervised --unlabeled texts/ -o my-model   (no labels)
      kwextract train --train t.jsonl --dev d.jsonl --teacher default -o one-tagger   (distil the pair)
    """
    from kwextract.train import TrainEvent, train  # torch and spaCy: only when the command runs
    from kwextract.unsupervised import train_unsupervised

    from ._progress import train_progress

    with errors_to_exit_codes():
        model_config = ModelConfig(
            encoder=encoder, bidirectional=bidirectional, hidden_size=hidden_size,
            num_layers=num_layers if num_layers is not None else (UNSUPERVISED_LAYERS if unsupervised else 2),
            word_dim=word_dim, window_tokens=window_tokens,
        )
        config = TrainConfig(
            train=tuple(str(p) for p in train_data or ()),
            dev=tuple(str(p) for p in dev_data or ()),
            epochs=epochs if epochs is not None else (UNSUPERVISED_EPOCHS if unsupervised else 30),
            patience=patience,
            batch_size=batch_size,
            learning_rate=learning_rate,  # None: the library's default for the case (default_learning_rate)
            lr_decay=lr_decay,
            seed=seed,
            max_windows_per_doc=max_windows_per_doc,
            phrase_scorer=phrase_scorer,
            pretrain_epochs=pretrain_epochs if pretrain_epochs is not None else
            (UNSUPERVISED_PRETRAIN_EPOCHS if unsupervised and model_config.num_layers == 1 else 0),
            word_vector_epochs=word_vector_epochs,
            pretrained_vectors=pretrained_vectors,
            pretrained_words=pretrained_words,
            base=base,
            lang=lang,
            teacher=teacher,
            teacher_weight=teacher_weight,
            anchor_weight=anchor_weight,
            new_characters=new_characters,
            general_rarity=general_rarity,
            word_dropout=word_dropout,
        )
        if unsupervised == bool(train_data):
            raise InputError("give labelled data with --train, or --unsupervised with --unlabeled texts (not both)")
        if unsupervised and base:
            raise InputError("--base continues a model on labelled --train data; to adapt a model to unlabelled "
                             "texts use kwextract adapt")
        if unsupervised and not unlabeled:
            raise InputError("--unsupervised needs --unlabeled PATH (raw texts)")
        progress = train_progress(stderr, disable=quiet)
        best = {"dev": "-", "measure": "-loss" if unsupervised and not held_out else "dev F1@10"}
        task = progress.add_task("train", total=None, epoch=0, loss=0.0, **best)

        def on_event(event: TrainEvent) -> None:
            progress.start()  # at the first event: an input refused before training leaves no empty bar
            if event.kind == "epoch_start":
                progress.reset(task, total=event.steps, epoch=event.epoch, loss=0.0, **best)
            elif event.kind == "step":
                progress.update(task, completed=event.step, loss=event.loss)
            elif event.dev_f1 is not None:
                best.update(dev=f"{event.dev_f1:.4f} (best {event.best_f1:.4f})", measure=event.measure)
                progress.update(task, **best)

        def log(message: str) -> None:
            if not quiet:
                progress.console.print(message, highlight=False)

        try:
            if unsupervised:
                train_unsupervised(list(unlabeled or ()), config, model_config, output, log=log, on_event=on_event,
                                   held_out=held_out)
            else:
                train(config, model_config, output, on_event=on_event, log=log, resume=resume, meta={"name": name})
        finally:
            progress.stop()
    stderr.print(f"model written to {output}")
