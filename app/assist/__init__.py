"""Span recommenders: proposals the annotator accepts or rejects.

A proposal is never stored as a span: it lives in memory until the annotator
accepts it (then it is an ordinary span of theirs, made by `Project.add_span`)
or rejects it (then its key is remembered in the project's `setting` table).
So exports, agreement and gold never see a proposal that was not accepted.

- `proposals`: the `Proposal` record, own-span snapshot, filtering.
- `string_match`: INCEpTION's string-matching recommender.
- `extents`: one document's proposals as parallel arrays (a `Proposal` made when asked for).
- `live`: the open documents' proposals, kept up to date edit by edit.
- `training` / `model`: a spaCy NER pipeline trained on the annotator's spans.
- `worker`: training and proposing in a separate process, off the GUI thread.
- `decisions`: accepting (spans) and rejecting (a remembered setting).
"""
