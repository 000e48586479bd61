"""Check: what is wrong with a loaded Library, as findings. Never raises on content.

Takes a `Library`; gives a list of findings. `library.check` runs them all:
references and sources, Markdown, glyphs, each topic's codes (`codes`), then the editorial checks (reading
grade, forbidden and required phrasing, review dates) and plain language. They
read a handout as a patient meets it: `handout_text` assembles its text in reading
order, `passages` splits a body into paragraphs and list items, `phrases` matches
words the way a reader sees them, `reading_grade` counts and grades. `examine` loads a content
folder and runs them all with the memos: what `check` runs, and every build before it plans.
"""
