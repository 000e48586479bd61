"""Load: the content folder (YAML) into a Library of typed, frozen values.

Takes a content folder; gives a `Library` and the findings met on the way. Every
value remembers its file, line and column, so any later stage can point an editor
at the line to change. Also here: the Markdown subset of block bodies, the printed text
every check reads (`printed`), which version of the English each translation
translates, one patient's fill-in values, and the code systems a topic's codes may
name (`codes`).
"""
